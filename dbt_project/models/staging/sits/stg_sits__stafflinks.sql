with

source as (
    select * from {{ source('sits', 'sits_stafflink') }}
),

final as (
    select
        extract_date,
        staff_id,
        property_name,
        property_value,
        relationship,
        _source_file as source_file,
        _source_line as source_line
    from source
)

select * from final
