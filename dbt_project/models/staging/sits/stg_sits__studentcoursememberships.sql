with

source as (
    select * from {{ source('sits', 'sits_studentcoursemembership') }}
),

final as (
    select
        extract_date,
        student_course_membership_id as membership_id,
        student_id,
        course_id,
        active_membership = 1 as is_active_membership,
        course_join_date,
        course_end_date,
        withdrawal_reason,
        course_outcome,
        _source_file as source_file,
        _source_line as source_line
    from source
)

select * from final
