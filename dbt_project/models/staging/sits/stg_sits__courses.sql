with

source as (
    select * from {{ source('sits', 'sits_course') }}
),

final as (
    select
        extract_date,
        course_id,
        title as course_title,
        inst_tier_1 as school,
        inst_tier_2 as department,
        x_level as level,
        _source_file as source_file,
        _source_line as source_line
    from source
)

select * from final
