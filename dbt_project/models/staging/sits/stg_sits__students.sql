with

source as (
    select * from {{ source('raw', 'sits_student') }}
),

final as (
    select
        extract_date,
        student_id,
        first_name,
        last_name,
        primary_email_address as email_address,
        sexid as sex_id,
        ethnicity,
        difflearn1 as disability_code,
        dob as date_of_birth,
        overseas as overseas_code,
        _source_file as source_file,
        _source_line as source_line
    from source
)

select * from final
