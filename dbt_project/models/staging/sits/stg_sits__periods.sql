with

source as (
    select * from {{ source('sits', 'sits_period') }}
),

final as (
    select
        extract_date,
        period_code,
        academic_year,
        period_name,
        period_start_date as start_date,
        period_end_date as end_date,
        _source_file as source_file,
        _source_line as source_line
    from source
)

select * from final
