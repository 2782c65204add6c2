from datetime import date, timedelta

import pandas as pd

from expectations import metrics
from expectations.metrics import Week
from expectations.suites import moodle
from tests.unit.expectations.helpers import dates

WEEK = Week(date(2026, 10, 12))
TERMS = pd.DataFrame({"start": [date(2026, 9, 14)], "end": [date(2026, 12, 11)]})


def events(**overrides) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "edulevel": [2, 2, 2, 2],
            "anonymous": [0, 0, 0, 0],
            "origin": ["web", "ws", "web", "web"],
            "event_date": dates("2026-10-12", "2026-10-13", "2026-10-14", "2026-10-18"),
            "file_date": dates("2026-10-12", "2026-10-13", "2026-10-14", "2026-10-18"),
        }
    )
    for column, values in overrides.items():
        frame[column] = values
    return frame


def suite():
    return moodle.events(WEEK.start, WEEK.as_of, 0.95)


def test_good_learning_events_pass(check):
    assert check(suite(), events()) == []


def test_a_non_participating_event_fails(check):
    assert [r.expectation for r in check(suite(), events(edulevel=[2, 1, 2, 2]))] == [
        "expect_column_values_to_be_in_set(edulevel)"
    ]


def test_an_anonymous_event_fails(check):
    assert [r.expectation for r in check(suite(), events(anonymous=[0, 0, 1, 0]))] == [
        "expect_column_values_to_be_in_set(anonymous)"
    ]


def test_a_cron_event_fails(check):
    assert [r.expectation for r in check(suite(), events(origin=["web", "cron", "web", "web"]))] == [
        "expect_column_values_to_not_be_in_set(origin)"
    ]


def test_events_dated_outside_the_week_or_off_their_file_day_fail(check):
    moved = dates("2026-10-12", "2026-10-13", "2026-10-14", "2027-01-18")
    assert {r.expectation for r in check(suite(), events(event_date=moved))} == {
        "expect_column_values_to_be_between(event_date)",
        "expect_column_pair_values_to_be_equal(event_date, file_date)",
    }


def daily(drop: dict[date, int] | None = None, weeks: int = 5) -> pd.DataFrame:
    """`weeks` weeks of days up to the week's end: 1000 events on weekdays, 600 at weekends, with some
    days replaced."""
    first = WEEK.as_of - timedelta(days=7 * weeks - 1)
    days = [first + timedelta(days=n) for n in range(7 * weeks)]
    counts = {d: (600 if d.weekday() >= 5 else 1000) for d in days}
    counts.update(drop or {})
    return pd.DataFrame({"day": pd.to_datetime(list(counts)), "rows": list(counts.values())})


def volume(days: pd.DataFrame, closed=lambda day: False, terms=TERMS) -> pd.DataFrame:
    return metrics.daily_volume(days, WEEK, terms, closed, 3, 100)


def test_ordinary_weekly_rhythm_passes(check):
    assert check(moodle.daily_volume(0.5), volume(daily()), key="day") == []


def test_a_quiet_saturday_after_a_busy_one_passes_against_the_median(check):
    # Last Saturday was a revision rush (1,400 events); this one is ordinary-quiet (450): the median of the
    # last three Saturdays is 600, so 75%, not the 32% a comparison with last Saturday alone would give.
    frame = volume(daily({date(2026, 10, 10): 1400, date(2026, 10, 17): 450}))
    assert frame.set_index("day").loc["2026-10-17", "rows_baseline"] == 600
    assert check(moodle.daily_volume(0.5), frame, key="day") == []


def test_a_truncated_day_file_fails_names_the_day_and_holds_every_school(check):
    frame = volume(daily({date(2026, 10, 14): 80}))
    failed = check(moodle.daily_volume(0.5), frame, key="day")
    assert [r.expectation for r in failed] == ["expect_column_values_to_be_between(ratio)"]
    assert "2026-10-14: 0.08" in failed[0].observed_value
    assert failed[0].unexpected_keys == ("2026-10-14",)
    assert set(frame["schools"]) == {"*"}


def test_a_missing_day_file_fails(check):
    days = daily()
    frame = volume(days[days["day"] != pd.Timestamp("2026-10-16")])
    failed = check(moodle.daily_volume(0.5), frame, key="day")
    assert "2026-10-16: 0" in failed[0].observed_value


def test_days_outside_term_or_of_a_closed_week_are_not_compared():
    assert volume(daily({date(2026, 10, 14): 0}), terms=TERMS.assign(start=[date(2026, 10, 19)])).empty
    closed = volume(daily({date(2026, 10, 14): 0}), closed=lambda day: date(2026, 10, 12) <= day <= date(2026, 10, 18))
    assert "2026-10-14" not in set(closed["day"])


def test_a_small_baseline_is_not_judged():
    tiny = daily().assign(rows=lambda f: f["rows"] // 20)  # 50 and 30 events a day
    assert volume(tiny).empty


def test_most_students_found_in_moodle_pass_and_a_collapse_fails(check):
    people = pd.DataFrame({"student_id": [str(i) for i in range(20)], "school": ["Law"] * 20})
    passing = metrics.coverage_by_school(people, list(people["student_id"])[:18], True, 20)
    assert check(moodle.coverage(0.5), passing, key="school") == []
    failed = check(moodle.coverage(0.5), metrics.coverage_by_school(people, ["1", "2"], True, 20), key="school")
    assert [r.expectation for r in failed] == ["expect_column_values_to_be_between(share)"]
    assert set(failed[0].unexpected_keys) == {"(all schools)", "Law"}


def test_mostly_unmapped_activity_fails(check):
    good = pd.DataFrame(
        {"kind": ["users", "courses"], "unmapped": [40, 2], "events": [500, 900], "share_of_events": [0.02, 0.04]}
    )
    assert check(moodle.mapping(0.5), good, key="kind") == []
    bad = good.assign(share_of_events=[0.02, 0.7])
    failed = check(moodle.mapping(0.5), bad, key="kind")
    assert "courses: 0.7" in failed[0].observed_value


def test_a_missing_last_day_of_moodle_fails_freshness(check):
    assert check(moodle.freshness(1), metrics.freshness("moodle", WEEK.as_of, WEEK.as_of)) == []
    failed = check(moodle.freshness(1), metrics.freshness("moodle", date(2026, 10, 15), WEEK.as_of))
    assert [r.expectation for r in failed] == ["expect_column_values_to_be_between(lag_days)"]
