with

source as (
    select * from {{ source('sits', 'sits_assessmentinstance') }}
),

final as (
    select
        extract_date,
        assess_instance_id as assessment_instance_id,
        mod_instance_id as module_instance_id,
        assess_type as assessment_type,
        assess_weight as assessment_weight,
        assess_summative as assessment_summative,
        _source_file as source_file,
        _source_line as source_line
    from source
)

select * from final
