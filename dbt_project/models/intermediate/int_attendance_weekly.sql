-- Attendance of each student of each week's population over the attendance window: mandatory
-- SEAtS sessions (after corrections) dated in the window; cancelled (C) and excused (X) sessions
-- are not expected; late counts as attended. SEAtS covers undergraduates only: others get nulls.
with

weeks as (
    select * from {{ ref('int_weeks') }}
),

population as (
    select * from {{ ref('int_population_weekly') }}
),

sessions as (
    select * from {{ ref('stg_seats__attendances') }}
    where is_mandatory and {{ activity_date_filter('start_date', 'attendance_window_days') }}
),

in_window as (
    select
        weeks.week_start,
        sessions.student_id,
        sessions.attendance_category in ('C', 'X') as is_not_expected,
        sessions.is_attended
    from weeks
    inner join sessions
        on sessions.start_date between weeks.attendance_window_start and weeks.as_of_date
),

counted as (
    select
        week_start,
        student_id,
        sum(case when is_not_expected then 0 else 1 end) as expected_count,
        sum(case when is_attended and not is_not_expected then 1 else 0 end) as attended_count
    from in_window
    group by week_start, student_id
),

final as (
    select
        population.week_start,
        population.student_id,
        population.level = 'UG' as is_attendance_applicable,
        case when population.level = 'UG' then cast(coalesce(counted.expected_count, 0) as integer) end
            as attendance_expected_7d,
        case when population.level = 'UG' then cast(coalesce(counted.attended_count, 0) as integer) end
            as attendance_attended_7d,
        case
            when population.level = 'UG' and counted.expected_count > 0
                then cast(counted.attended_count as double) * 100 / counted.expected_count
        end as attendance_pct_7d
    from population
    left join counted
        on population.week_start = counted.week_start and population.student_id = counted.student_id
)

select * from final
