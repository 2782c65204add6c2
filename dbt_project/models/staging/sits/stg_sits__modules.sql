with

source as (
    select * from {{ source('sits', 'sits_module') }}
),

final as (
    select
        extract_date,
        mod_id as module_id,
        mod_name as module_name,
        _source_file as source_file,
        _source_line as source_line
    from source
)

select * from final
