with

source as (
    select * from {{ source('sits', 'sits_studentmoduleinstance') }}
),

final as (
    select
        extract_date,
        student_id,
        mod_instance_id as module_instance_id,
        mod_start_date as module_start_date,
        mod_end_date as module_end_date,
        mod_result as module_result,
        _source_file as source_file,
        _source_line as source_line
    from source
)

select * from final
