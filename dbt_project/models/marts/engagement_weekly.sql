{{
    config(
        materialized='incremental',
        incremental_strategy='replace_weeks',
        on_schema_change='fail',
        full_refresh=false,
        pre_hook="{{ assert_complete_extract_exists() }}",
    )
}}

-- depends_on: {{ ref('stg_sits__extracts') }}
-- One row per report week and student of the population: the public contract of
-- engagement-rules.md "Output", in its column order. Each run replaces the rows of its weeks.
with

weeks as (
    select * from {{ ref('int_weeks') }}
),

parameters as (
    select * from {{ ref('int_rule_parameters') }}
),

scores as (
    select * from {{ ref('int_scores_weekly') }}
),

reasons as (
    select * from {{ ref('int_reason_codes_weekly') }}
),

trend as (
    select * from {{ ref('int_trend_weekly') }}
),

final as (
    select
        weeks.week_start,
        weeks.as_of_date,
        weeks.report_date,
        weeks.sits_extract_date,
        parameters.rule_version,
        scores.student_id,
        scores.first_name,
        scores.last_name,
        scores.school,
        scores.department,
        scores.course_id,
        scores.course_title,
        scores.level,
        scores.is_online_only,
        scores.attendance_expected_7d,
        scores.attendance_attended_7d,
        scores.attendance_pct_7d,
        scores.attendance_rag,
        scores.vle_events_14d,
        scores.vle_active_days_14d,
        scores.vle_score_14d,
        scores.vle_rag,
        scores.submissions_due_28d,
        scores.submissions_on_time_28d,
        scores.submissions_late_28d,
        scores.submissions_missing_28d,
        scores.submission_score_28d,
        scores.submission_rag,
        scores.online_score,
        scores.online_rag,
        scores.combined_score,
        scores.combined_rag,
        reasons.reason_codes,
        trend.previous_combined_rag,
        trend.rag_change,
        scores.is_opted_out
    from scores
    inner join weeks
        on scores.week_start = weeks.week_start
    inner join reasons
        on scores.week_start = reasons.week_start and scores.student_id = reasons.student_id
    inner join trend
        on scores.week_start = trend.week_start and scores.student_id = trend.student_id
    cross join parameters
    where weeks.is_reported
)

select * from final
