with

source as (
    select * from {{ source('sits', 'sits_moduleinstance') }}
),

final as (
    select
        extract_date,
        mod_instance_id as module_instance_id,
        mod_id as module_id,
        mod_academic_year as academic_year,
        _source_file as source_file,
        _source_line as source_line
    from source
)

select * from final
