with

source as (
    select * from {{ source('sits', 'sits_studentassessmentinstance') }}
),

-- Rectification requests (governance.md) override fields in every snapshot; the landed rows stay.
overrides as (
    {{ rectification_overrides('sits.studentassessmentinstance', [
        'assess_due_date', 'assess_submission_date', 'assess_actual_mark', 'assess_agreed_mark'
    ]) }}
),

final as (
    select
        source.extract_date,
        source.student_id,
        source.assess_instance_id as assessment_instance_id,
        source.assess_seq_id as assessment_seq_id,
        {{ rectified('assess_due_date', 'date', 'source') }} as due_date,
        {{ rectified('assess_submission_date', 'date', 'source') }} as submission_date,
        {{ rectified('assess_actual_mark', 'double', 'source') }} as actual_mark,
        {{ rectified('assess_agreed_mark', 'double', 'source') }} as agreed_mark,
        overrides.rectified_by,
        source._source_file as source_file,
        source._source_line as source_line
    from source
    left join overrides
        on overrides.row_key = {{ dbt.concat([
            "source.student_id", "'/'", "source.assess_instance_id", "'/'", "source.assess_seq_id"
        ]) }}
)

select * from final
