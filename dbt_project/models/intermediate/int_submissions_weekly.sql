-- Submissions per population student and week, from the week's SITS snapshot: items due in the
-- submission window and before the extract date (an item due on or after it is not yet known to
-- that snapshot). On time: submitted on or before the due date; late: after it and on or before
-- as_of_date; missing: no submission, or one after as_of_date.
with

weeks as (
    select * from {{ ref('int_weeks') }}
),

population as (
    select * from {{ ref('int_population_weekly') }}
),

assessments as (
    select * from {{ ref('stg_sits__studentassessmentinstances') }}
),

parameters as (
    select * from {{ ref('int_rule_parameters') }}
),

due as (
    select
        weeks.week_start,
        assessments.student_id,
        case
            when assessments.submission_date is null or assessments.submission_date > weeks.as_of_date
                then 'missing'
            when assessments.submission_date <= assessments.due_date then 'on_time'
            else 'late'
        end as submission_status
    from weeks
    inner join assessments
        on weeks.sits_extract_date = assessments.extract_date
    where
        assessments.due_date between weeks.submission_window_start and weeks.as_of_date
        and assessments.due_date < weeks.sits_extract_date
),

counted as (
    select
        week_start,
        student_id,
        count(*) as due_count,
        sum(case when submission_status = 'on_time' then 1 else 0 end) as on_time_count,
        sum(case when submission_status = 'late' then 1 else 0 end) as late_count,
        sum(case when submission_status = 'missing' then 1 else 0 end) as missing_count
    from due
    group by week_start, student_id
),

final as (
    select
        population.week_start,
        population.student_id,
        cast(coalesce(counted.due_count, 0) as integer) as submissions_due_28d,
        cast(coalesce(counted.on_time_count, 0) as integer) as submissions_on_time_28d,
        cast(coalesce(counted.late_count, 0) as integer) as submissions_late_28d,
        cast(coalesce(counted.missing_count, 0) as integer) as submissions_missing_28d,
        case
            when counted.due_count > 0 then
                (counted.on_time_count + parameters.submission_late_credit * counted.late_count) * 100
                / counted.due_count
                * case
                    when counted.missing_count >= parameters.submission_missing_min
                        then parameters.submission_missing_factor
                    else 1
                end
        end as submission_score_28d
    from population
    left join counted
        on population.week_start = counted.week_start and population.student_id = counted.student_id
    cross join parameters
)

select * from final
