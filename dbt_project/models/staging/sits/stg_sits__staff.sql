with

source as (
    select * from {{ source('sits', 'sits_staff') }}
),

final as (
    select
        extract_date,
        staff_id,
        first_name,
        last_name,
        primary_email_address as email_address,
        _source_file as source_file,
        _source_line as source_line
    from source
)

select * from final
