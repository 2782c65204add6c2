from datetime import date, timedelta

import pandas as pd

from expectations import metrics
from expectations.suites import engagement_weekly
from expectations.suites.engagement_weekly import CONTRACT_COLUMNS

WEEK = date(2026, 10, 12)


def mart(n: int = 4, **overrides) -> pd.DataFrame:
    """n rows of the week with every contract column, in order."""
    values = {column: [None] * n for column in CONTRACT_COLUMNS}
    values |= {
        "week_start": [pd.Timestamp(WEEK)] * n,
        "as_of_date": [pd.Timestamp(WEEK + timedelta(days=6))] * n,
        "report_date": [pd.Timestamp(WEEK + timedelta(days=7))] * n,
        "student_id": [f"{i:08d}" for i in range(n)],
        "school": ["School of Law"] * n,
        "level": ["UG"] * n,
        "is_online_only": [False] * n,
        "attendance_expected_7d": [10] * n,
        "attendance_attended_7d": [8] * n,
        "attendance_pct_7d": [80.0] * n,
        "vle_events_14d": [20] * n,
        "vle_active_days_14d": [6] * n,
        "vle_score_14d": [90.0] * n,
        "submissions_due_28d": [1] * n,
        "submission_score_28d": [100.0] * n,
        "online_score": [95.0] * n,
        "combined_score": [87.5] * n,
        "combined_rag": ["green"] * n,
        "previous_combined_rag": ["green"] * n,
    }
    frame = pd.DataFrame(values)[CONTRACT_COLUMNS]
    for column, column_values in overrides.items():
        frame[column] = column_values
    return frame


def test_rows_keeping_the_contract_pass(check):
    assert check(engagement_weekly.contract(WEEK), mart()) == []


def test_a_renamed_or_reordered_column_breaks_the_contract(check):
    renamed = mart().rename(columns={"combined_rag": "status"})
    assert [r.expectation.split("(")[0] for r in check(engagement_weekly.contract(WEEK), renamed)][:1] == [
        "expect_table_columns_to_match_ordered_list"
    ]
    reordered = mart()[[*CONTRACT_COLUMNS[1:], CONTRACT_COLUMNS[0]]]
    failed = check(engagement_weekly.contract(WEEK), reordered)
    assert [r.expectation.split("(")[0] for r in failed] == ["expect_table_columns_to_match_ordered_list"]


def test_an_empty_week_breaks_the_contract(check):
    failed = check(engagement_weekly.contract(WEEK), mart(0))
    assert [r.expectation for r in failed] == ["expect_table_row_count_to_be_between()"]


def test_rows_of_another_week_break_the_contract(check):
    failed = check(engagement_weekly.contract(WEEK), mart(week_start=pd.Timestamp(WEEK - timedelta(days=7))))
    assert [r.expectation for r in failed] == ["expect_column_values_to_be_between(week_start)"]


def test_a_percentage_above_100_breaks_the_contract(check):
    failed = check(engagement_weekly.contract(WEEK), mart(attendance_pct_7d=[80.0, 125.0, None, 0.0]))
    assert [r.expectation for r in failed] == ["expect_column_values_to_be_between(attendance_pct_7d)"]


def test_attending_more_sessions_than_expected_breaks_the_contract(check):
    failed = check(engagement_weekly.contract(WEEK), mart(attendance_attended_7d=[8, 11, 8, None]))
    assert [r.expectation for r in failed] == [
        "expect_column_pair_values_a_to_be_greater_than_b(attendance_expected_7d, attendance_attended_7d)"
    ]


def shift_frame(red_now: int, red_before: int, students: int = 40) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "school": ["School of Law"] * students,
            "combined_rag": ["red"] * red_now + ["green"] * (students - red_now),
            "previous_combined_rag": ["red"] * red_before + ["green"] * (students - red_before),
        }
    )


def test_a_steady_share_of_red_passes(check):
    frame = metrics.red_share_shift(shift_frame(red_now=5, red_before=4), 20)
    assert check(engagement_weekly.distribution(0.15), frame, key="school") == []


def test_a_sudden_rise_in_red_students_fails_and_names_the_school(check):
    frame = metrics.red_share_shift(shift_frame(red_now=20, red_before=4), 20)
    failed = check(engagement_weekly.distribution(0.15), frame, key="school")
    assert "School of Law: 0.4" in failed[0].observed_value


def test_small_schools_are_not_judged_on_shifts():
    assert metrics.red_share_shift(shift_frame(red_now=10, red_before=0, students=12), 20).empty


def test_many_students_without_a_status_fails(check):
    assert check(engagement_weekly.no_data(0.75), mart()) == []
    failed = check(engagement_weekly.no_data(0.75), mart(combined_rag=["none", "none", "green", "none"]))
    assert [r.expectation for r in failed] == ["expect_column_values_to_not_be_in_set(combined_rag)"]
