-- Students online-only in each week: a row of any school list with from_date on or before the
-- week's last day and to_date empty or on or after its first day (sources.md).
with

weeks as (
    select * from {{ ref('int_weeks') }}
),

listed as (
    select * from {{ ref('stg_schools__online_only_periods') }}
),

final as (
    select distinct
        weeks.week_start,
        listed.student_id
    from weeks
    inner join listed
        on
            weeks.as_of_date >= listed.from_date
            and (listed.to_date is null or weeks.week_start <= listed.to_date)
)

select * from final
