with

source as (
    select * from {{ source('sits', 'sits_extracts') }}
),

final as (
    select
        extract_date,
        is_complete,
        missing_files,
        rejected_files,
        loaded_at
    from source
)

select * from final
