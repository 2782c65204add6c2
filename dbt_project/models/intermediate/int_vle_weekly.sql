-- VLE engagement per population student and week: events on any active module (an event on a
-- course mapped to several active modules counts once here), their distinct local dates, and the
-- mean module score over the modules with a non-zero median (null when none remain).
with

population as (
    select * from {{ ref('int_population_weekly') }}
),

module_courses as (
    select * from {{ ref('int_active_module_courses_weekly') }}
),

activity as (
    select * from {{ ref('int_vle_activity_weekly') }}
),

module_scores as (
    select * from {{ ref('int_vle_module_scores') }}
),

on_active_modules as (
    select
        activity.week_start,
        activity.student_id,
        sum(activity.event_count) as event_count,
        count(distinct activity.event_date) as active_days
    from activity
    where
        exists (
            select 1
            from module_courses
            where
                module_courses.week_start = activity.week_start
                and module_courses.student_id = activity.student_id
                and module_courses.moodle_course_id = activity.moodle_course_id
        )
    group by activity.week_start, activity.student_id
),

scored as (
    select
        week_start,
        student_id,
        count(*) as scored_module_count,
        -- An exact (decimal) sum of scores rounded to 1e-9, so that the mean does not depend on the
        -- order a parallel engine adds doubles in: a re-run gives the same bits, and the same RAG.
        -- Rounded explicitly before the cast, which truncates on some engines (200/3 would become
        -- 66.666666666 and three scores averaging exactly 75 would fall just below it).
        cast(sum(cast(round(module_score, 9) as decimal(38, 9))) as double) / count(*) as vle_score
    from module_scores
    where is_scored
    group by week_start, student_id
),

final as (
    select
        population.week_start,
        population.student_id,
        cast(coalesce(on_active_modules.event_count, 0) as integer) as vle_events_14d,
        cast(coalesce(on_active_modules.active_days, 0) as integer) as vle_active_days_14d,
        scored.vle_score as vle_score_14d,
        cast(coalesce(scored.scored_module_count, 0) as integer) as vle_scored_module_count
    from population
    left join on_active_modules
        on
            population.week_start = on_active_modules.week_start
            and population.student_id = on_active_modules.student_id
    left join scored
        on population.week_start = scored.week_start and population.student_id = scored.student_id
)

select * from final
