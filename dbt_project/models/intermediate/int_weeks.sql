-- The weeks this run computes (the vars' report weeks and the week before them), their dates,
-- windows and SITS snapshot: the newest complete extract dated on or before the report date,
-- else the oldest complete extract; an incomplete extract is never used (sources.md).
with

spine as (
    {{ week_spine() }}
),

complete_extracts as (
    select extract_date from {{ ref('stg_sits__extracts') }}
    where is_complete
),

parameters as (
    select * from {{ ref('int_rule_parameters') }}
),

dated as (
    select
        week_start,
        is_reported,
        cast({{ dbt.dateadd('day', 6, 'week_start') }} as date) as as_of_date,
        cast({{ dbt.dateadd('day', 7, 'week_start') }} as date) as report_date
    from spine
),

newest_by_report_date as (
    select
        dated.week_start,
        max(complete_extracts.extract_date) as extract_date
    from dated
    inner join complete_extracts
        on dated.report_date >= complete_extracts.extract_date
    group by dated.week_start
),

oldest as (
    select min(extract_date) as extract_date from complete_extracts
),

final as (
    select
        dated.week_start,
        dated.as_of_date,
        dated.report_date,
        dated.is_reported,
        coalesce(newest_by_report_date.extract_date, oldest.extract_date) as sits_extract_date,
        cast({{ dbt.dateadd('day', '1 - parameters.attendance_window_days', 'dated.as_of_date') }} as date)
            as attendance_window_start,
        cast({{ dbt.dateadd('day', '1 - parameters.vle_window_days', 'dated.as_of_date') }} as date)
            as vle_window_start,
        cast({{ dbt.dateadd('day', '1 - parameters.submission_window_days', 'dated.as_of_date') }} as date)
            as submission_window_start
    from dated
    left join newest_by_report_date
        on dated.week_start = newest_by_report_date.week_start
    cross join oldest
    cross join parameters
)

select * from final
