with

source as (
    select * from {{ source('sits', 'sits_modulemap') }}
),

final as (
    select
        extract_date,
        mod_instance_id as module_instance_id,
        module_map_domain as domain,
        domain_mapped_id as domain_identifier,
        _source_file as source_file,
        _source_line as source_line
    from source
)

select * from final
