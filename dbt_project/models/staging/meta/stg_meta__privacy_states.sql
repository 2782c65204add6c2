with

source as (
    select * from {{ source('meta', 'privacy_state') }}
),

final as (
    select
        student_id,
        is_restricted,
        is_opted_out,
        has_safeguarding_override,
        updated_at
    from source
)

select * from final
