-- Each population student's active module instances per week: studentmoduleinstance rows of the
-- week's snapshot whose [start, end] overlaps the VLE window. Nothing is clipped to these dates.
with

weeks as (
    select * from {{ ref('int_weeks') }}
),

population as (
    select * from {{ ref('int_population_weekly') }}
),

enrolments as (
    select * from {{ ref('stg_sits__studentmoduleinstances') }}
),

final as (
    select distinct
        weeks.week_start,
        weeks.sits_extract_date,
        enrolments.student_id,
        enrolments.module_instance_id
    from weeks
    inner join enrolments
        on weeks.sits_extract_date = enrolments.extract_date
    inner join population
        on weeks.week_start = population.week_start and enrolments.student_id = population.student_id
    where
        enrolments.module_start_date <= weeks.as_of_date
        and enrolments.module_end_date >= weeks.vle_window_start
)

select * from final
