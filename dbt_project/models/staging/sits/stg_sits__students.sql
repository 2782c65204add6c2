with

source as (
    select * from {{ source('sits', 'sits_student') }}
),

-- Rectification requests (governance.md) override fields in every snapshot; the landed rows stay.
overrides as (
    {{ rectification_overrides('sits.student', [
        'first_name', 'last_name', 'primary_email_address', 'sexid', 'ethnicity', 'difflearn1', 'dob', 'overseas'
    ]) }}
),

final as (
    select
        source.extract_date,
        source.student_id,
        {{ rectified('first_name', 'varchar', 'source') }} as first_name,
        {{ rectified('last_name', 'varchar', 'source') }} as last_name,
        {{ rectified('primary_email_address', 'varchar', 'source') }} as email_address,
        {{ rectified('sexid', 'varchar', 'source') }} as sex_id,
        {{ rectified('ethnicity', 'varchar', 'source') }} as ethnicity,
        {{ rectified('difflearn1', 'varchar', 'source') }} as disability_code,
        {{ rectified('dob', 'date', 'source') }} as date_of_birth,
        {{ rectified('overseas', 'varchar', 'source') }} as overseas_code,
        overrides.rectified_by,
        source._source_file as source_file,
        source._source_line as source_line
    from source
    left join overrides
        on source.student_id = overrides.row_key
)

select * from final
