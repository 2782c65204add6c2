with

source as (
    select * from {{ source('schools', 'schools_online_only') }}
),

final as (
    select
        list_name,
        student_id,
        from_date,
        to_date,
        note,
        _source_file as source_file,
        _source_line as source_line
    from source
)

select * from final
