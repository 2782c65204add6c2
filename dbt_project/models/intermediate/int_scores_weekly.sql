-- Every population student's figures for each week with the RAG statuses and the online and
-- combined scores. Online-only students keep their attendance figures, but they are discounted:
-- no attendance RAG and no part in the combined score. Scores are kept unrounded.
with

population as (
    select * from {{ ref('int_population_weekly') }}
),

attendance as (
    select * from {{ ref('int_attendance_weekly') }}
),

vle as (
    select * from {{ ref('int_vle_weekly') }}
),

submissions as (
    select * from {{ ref('int_submissions_weekly') }}
),

parameters as (
    select * from {{ ref('int_rule_parameters') }}
),

joined as (
    select
        population.*,
        attendance.is_attendance_applicable,
        attendance.attendance_expected_7d,
        attendance.attendance_attended_7d,
        attendance.attendance_pct_7d,
        attendance.is_attendance_applicable
        and not population.is_online_only
        and attendance.attendance_pct_7d is not null as is_attendance_counted,
        vle.vle_events_14d,
        vle.vle_active_days_14d,
        vle.vle_score_14d,
        vle.vle_scored_module_count,
        submissions.submissions_due_28d,
        submissions.submissions_on_time_28d,
        submissions.submissions_late_28d,
        submissions.submissions_missing_28d,
        submissions.submission_score_28d,
        case
            when vle.vle_score_14d is null then submissions.submission_score_28d
            when submissions.submission_score_28d is null then vle.vle_score_14d
            else (vle.vle_score_14d + submissions.submission_score_28d) / 2
        end as online_score
    from population
    inner join attendance
        on population.week_start = attendance.week_start and population.student_id = attendance.student_id
    inner join vle
        on population.week_start = vle.week_start and population.student_id = vle.student_id
    inner join submissions
        on population.week_start = submissions.week_start and population.student_id = submissions.student_id
),

combined as (
    select
        *,
        case
            when is_attendance_counted and online_score is not null
                then (attendance_pct_7d + online_score) / 2
            when is_attendance_counted then attendance_pct_7d
            else online_score
        end as combined_score
    from joined
),

final as (
    select
        combined.*,
        case
            when not combined.is_attendance_applicable or combined.is_online_only then 'none'
            else {{ rag(
                'combined.attendance_pct_7d', 'parameters.attendance_green_min', 'parameters.attendance_amber_min'
            ) }}
        end as attendance_rag,
        {{ rag('combined.vle_score_14d', 'parameters.vle_green_min', 'parameters.vle_amber_min') }} as vle_rag,
        {{ rag('combined.submission_score_28d', 'parameters.submission_green_min', 'parameters.submission_amber_min') }}
            as submission_rag,
        {{ rag('combined.online_score', 'parameters.summary_green_min', 'parameters.summary_amber_min') }}
            as online_rag,
        {{ rag('combined.combined_score', 'parameters.summary_green_min', 'parameters.summary_amber_min') }}
            as combined_rag
    from combined
    cross join parameters
)

select * from final
