with

source as (
    select * from {{ source('raw', 'sits_studentassessmentinstance') }}
),

final as (
    select
        extract_date,
        student_id,
        assess_instance_id as assessment_instance_id,
        assess_seq_id as assessment_seq_id,
        assess_due_date as due_date,
        assess_submission_date as submission_date,
        assess_actual_mark as actual_mark,
        assess_agreed_mark as agreed_mark,
        _source_file as source_file,
        _source_line as source_line
    from source
)

select * from final
