from datetime import date

import pandas as pd

from expectations import metrics
from expectations.metrics import ALL_MODULES, Week
from expectations.suites import seats
from tests.unit.expectations.helpers import dates

WEEK = Week(date(2026, 10, 12))
TERM_START = date(2026, 9, 14)
TERMS = pd.DataFrame({"start": [date(2026, 9, 14)], "end": [date(2026, 12, 11)]})


def rows(**overrides) -> pd.DataFrame:
    """Four rows of the week's file, produced on the report date."""
    frame = pd.DataFrame(
        {
            "event_mandatory": [1, 1, 0, 1],
            "event_attended": [1, 0, 1, 1],
            "attendance_late": [0, 0, 1, None],
            "attendance_category": ["P", "A", "L", None],
            "start_date": dates("2026-10-12", "2026-10-13", "2026-10-14", "2026-10-16"),
            "start_time": pd.to_datetime(
                ["2026-10-12T09:00Z", "2026-10-13T09:00Z", "2026-10-14T09:00Z", "2026-10-16T09:00Z"]
            ),
            "end_time": pd.to_datetime(["2026-10-12T10:00Z", "2026-10-13T10:00Z", None, "2026-10-16T11:00Z"]),
            "file_date": dates(*["2026-10-19"] * 4),
            "mod_instance_id": ["LAW1001-2627-AUT"] * 4,
        }
    )
    for column, values in overrides.items():
        frame[column] = values
    return frame


def suite():
    return seats.attendance_rows(TERM_START, WEEK.as_of)


def test_good_attendance_rows_pass(check):
    assert check(suite(), rows()) == []


def test_an_unknown_attendance_category_fails(check):
    failed = check(suite(), rows(attendance_category=["P", "Z", "A", "P"]))
    assert [r.expectation for r in failed] == ["expect_column_values_to_be_in_set(attendance_category)"]


def test_a_flag_that_is_not_one_or_zero_fails(check):
    failed = check(suite(), rows(event_attended=[1, 2, 0, 1]))
    assert [r.expectation for r in failed] == ["expect_column_values_to_be_in_set(event_attended)"]


def test_a_session_dated_outside_the_term_fails(check):
    failed = check(suite(), rows(start_date=dates("2025-10-12", "2026-10-13", "2026-10-14", "2026-10-16")))
    assert [r.expectation for r in failed] == ["expect_column_values_to_be_between(start_date)"]


def test_a_session_dated_after_its_file_fails(check):
    bad = rows(file_date=dates("2026-10-19", "2026-10-19", "2026-10-13", "2026-10-19"))
    assert [r.expectation for r in check(suite(), bad)] == [
        "expect_column_pair_values_a_to_be_greater_than_b(file_date, start_date)"
    ]


def test_a_session_ending_before_it_starts_fails(check):
    bad = rows(end_time=pd.to_datetime(["2026-10-12T08:00Z", None, None, None]))
    assert [r.expectation for r in check(suite(), bad)] == [
        "expect_column_pair_values_a_to_be_greater_than_b(end_time, start_time)"
    ]


def test_rows_without_module_ids_fail(check):
    failed = check(suite(), rows(mod_instance_id=[None, None, "LAW1001-2627-AUT", None]))
    assert [r.expectation for r in failed] == ["expect_column_values_to_not_be_null(mod_instance_id)"]


def counts(**modules: int) -> pd.DataFrame:
    return pd.DataFrame({"module": list(modules), "rows": list(modules.values())})


RUNNING = ("LAW1001", "LAW1002", "HIS1001", "HIS2001", "HIS3001")


def volume(this_week: pd.DataFrame, running=RUNNING, compare=True) -> pd.DataFrame:
    previous = counts(LAW1001=120, LAW1002=60, HIS1001=90, HIS2001=12, HIS3001=12)
    return metrics.attendance_volume(this_week, previous, running, compare)


def test_fortnightly_sessions_and_a_module_that_ended_are_not_a_drop(check):
    # LAW1002 runs a fortnightly seminar (two thirds of last week); HIS1001 ended, so SITS no longer runs it.
    this_week = counts(LAW1001=120, LAW1002=40, HIS2001=12, HIS3001=12)
    frame = volume(this_week, running=("LAW1001", "LAW1002", "HIS2001", "HIS3001"))
    assert check(seats.attendance_volume(), frame, key="scope") == []


def test_a_module_whose_card_readers_failed_fails(check):
    this_week = counts(LAW1001=120, LAW1002=60, HIS1001=3, HIS2001=12, HIS3001=12)
    failed = check(seats.attendance_volume(), volume(this_week), key="scope")
    assert [r.expectation for r in failed] == ["expect_column_values_to_be_between(ratio)"]
    assert "module HIS1001: 0.0333" in failed[0].observed_value


def test_a_building_of_small_modules_going_quiet_fails_by_subject(check):
    # Each HIS module alone is too small to judge; together they are a subject (a department's building).
    previous = counts(HIS2001=12, HIS3001=12, LAW1001=120)
    frame = metrics.attendance_volume(counts(LAW1001=120), previous, RUNNING, True)
    assert "module HIS2001" not in set(frame["scope"])
    failed = check(seats.attendance_volume(), frame, key="scope")
    assert failed[0].observed_value.endswith(": subject HIS: 0")


def test_a_week_missing_from_seats_fails(check):
    failed = check(seats.attendance_volume(), volume(counts()), key="scope")
    assert failed[0].observed_value.startswith(f"6 of 6 unexpected (100.0%): {ALL_MODULES}: 0; subject HIS: 0")


def test_weeks_outside_term_are_not_compared(check):
    frame = volume(counts(), compare=False)
    assert frame.empty
    assert check(seats.attendance_volume(), frame, key="scope") == []


def test_most_undergraduates_found_in_seats_pass(check):
    assert check(seats.coverage(), metrics.coverage(["a", "b", "c"], ["a", "b", "c", "x"], True)) == []


def test_a_coverage_collapse_fails(check):
    frame = metrics.coverage([str(i) for i in range(10)], ["1", "2"], True)
    failed = check(seats.coverage(), frame)
    assert [r.expectation for r in failed] == ["expect_column_values_to_be_between(share)"]


def test_coverage_is_not_judged_outside_term(check):
    assert check(seats.coverage(), metrics.coverage(["a", "b"], [], False)) == []


def test_fresh_attendance_passes_and_stale_or_missing_attendance_fails(check):
    assert check(seats.freshness(), metrics.freshness("seats", date(2026, 10, 16), WEEK.as_of)) == []
    stale = check(seats.freshness(), metrics.freshness("seats", date(2026, 10, 9), WEEK.as_of))
    assert [r.expectation for r in stale] == ["expect_column_values_to_be_between(lag_days)"]
    missing = check(seats.freshness(), metrics.freshness("seats", None, WEEK.as_of))
    assert [r.expectation for r in missing] == ["expect_column_values_to_not_be_null(lag_days)"]


def test_weeks_in_term_are_whole_weeks_inside_a_term():
    assert metrics.week_in_term(WEEK, TERMS)
    assert not metrics.week_in_term(Week(date(2026, 9, 7)), TERMS)
    assert metrics.week_in_term(Week(date(2026, 12, 7)), TERMS)  # the term ends on that Friday
    assert not metrics.week_in_term(Week(date(2026, 12, 14)), TERMS)
