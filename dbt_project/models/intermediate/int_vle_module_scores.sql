-- Per week, student and active module: the student's qualifying events on the module's courses,
-- the module's median over every population student with it active (zeros included; the mean of
-- the two middle values for an even count) and the capped module score. A zero median sets no
-- expectation: the module is kept here with is_scored false and no score.
with

active_modules as (
    select * from {{ ref('int_active_modules_weekly') }}
),

module_courses as (
    select * from {{ ref('int_active_module_courses_weekly') }}
),

activity as (
    select * from {{ ref('int_vle_activity_weekly') }}
),

parameters as (
    select * from {{ ref('int_rule_parameters') }}
),

module_events as (
    select
        module_courses.week_start,
        module_courses.student_id,
        module_courses.module_instance_id,
        sum(activity.event_count) as event_count
    from module_courses
    inner join activity
        on
            module_courses.week_start = activity.week_start
            and module_courses.student_id = activity.student_id
            and module_courses.moodle_course_id = activity.moodle_course_id
    group by module_courses.week_start, module_courses.student_id, module_courses.module_instance_id
),

cohort as (
    select
        active_modules.week_start,
        active_modules.student_id,
        active_modules.module_instance_id,
        coalesce(module_events.event_count, 0) as event_count
    from active_modules
    left join module_events
        on
            active_modules.week_start = module_events.week_start
            and active_modules.student_id = module_events.student_id
            and active_modules.module_instance_id = module_events.module_instance_id
),

medians as (
    select
        week_start,
        module_instance_id,
        {{ median('event_count') }} as module_median
    from cohort
    group by week_start, module_instance_id
),

final as (
    select
        cohort.week_start,
        cohort.student_id,
        cohort.module_instance_id,
        cohort.event_count,
        medians.module_median,
        medians.module_median > 0 as is_scored,
        case
            when medians.module_median > 0
                then least(parameters.vle_module_score_cap, cohort.event_count * 100 / medians.module_median)
        end as module_score
    from cohort
    inner join medians
        on cohort.week_start = medians.week_start and cohort.module_instance_id = medians.module_instance_id
    cross join parameters
)

select * from final
