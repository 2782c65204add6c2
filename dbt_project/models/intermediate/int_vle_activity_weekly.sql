-- Qualifying Moodle events of each week's population in the week's VLE window, per student,
-- Moodle course and local date; users are mapped to students through the week's own snapshot
-- (studentidmap, domain VLE), so a mapping that arrives later applies to earlier events.
with

weeks as (
    select * from {{ ref('int_weeks') }}
),

population as (
    select * from {{ ref('int_population_weekly') }}
),

events as (
    select * from {{ ref('stg_moodle__events') }}
    where {{ activity_date_filter('event_date', 'vle_window_days') }}
),

user_map as (
    select * from {{ ref('stg_sits__studentidmaps') }}
    where domain = 'VLE'
),

daily as (
    select
        moodle_user_id,
        moodle_course_id,
        event_date,
        count(*) as event_count
    from events
    group by moodle_user_id, moodle_course_id, event_date
),

final as (
    select
        weeks.week_start,
        user_map.student_id,
        daily.moodle_course_id,
        daily.event_date,
        sum(daily.event_count) as event_count
    from weeks
    inner join daily
        on daily.event_date between weeks.vle_window_start and weeks.as_of_date
    inner join user_map
        on
            weeks.sits_extract_date = user_map.extract_date
            and daily.moodle_user_id = user_map.domain_identifier
    inner join population
        on weeks.week_start = population.week_start and user_map.student_id = population.student_id
    group by weeks.week_start, user_map.student_id, daily.moodle_course_id, daily.event_date
)

select * from final
