with

source as (
    select * from {{ source('sits', 'sits_studentidmap') }}
),

final as (
    select
        extract_date,
        student_id,
        domain,
        identifier as domain_identifier,
        _source_file as source_file,
        _source_line as source_line
    from source
)

select * from final
