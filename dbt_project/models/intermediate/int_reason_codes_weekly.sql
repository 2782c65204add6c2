-- Why each student has their status: the reason codes of engagement-rules.md that apply, as one
-- ';'-joined string in code-point order. Codes are independent of one another.
with

scores as (
    select * from {{ ref('int_scores_weekly') }}
),

final as (
    select
        week_start,
        student_id,
        {{ reason_codes({
            'ATTENDANCE_RED': "attendance_rag = 'red'",
            'ATTENDANCE_AMBER': "attendance_rag = 'amber'",
            'ATTENDANCE_NO_SESSIONS':
                'is_attendance_applicable and not is_online_only and attendance_expected_7d = 0',
            'ATTENDANCE_DISCOUNTED_ONLINE_ONLY': 'is_online_only',
            'ATTENDANCE_NOT_COVERED_PG': "level = 'PG'",
            'VLE_RED': "vle_rag = 'red'",
            'VLE_AMBER': "vle_rag = 'amber'",
            'VLE_NO_ACTIVITY': 'vle_scored_module_count > 0 and vle_events_14d = 0',
            'VLE_NOT_SCORED': 'vle_score_14d is null',
            'SUBMISSION_MISSING': 'submissions_missing_28d >= 1',
            'SUBMISSION_LATE': 'submissions_late_28d >= 1',
            'SUBMISSION_RED': "submission_rag = 'red'",
            'SUBMISSION_AMBER': "submission_rag = 'amber'",
            'NO_DATA': "combined_rag = 'none'",
            'OPTED_OUT_OF_SUPPORT': 'is_opted_out',
        }) }} as reason_codes
    from scores
)

select * from final
