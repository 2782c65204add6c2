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
    return moodle.events(WEEK.start, WEEK.as_of)


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


def daily(drop: dict[date, int] | None = None) -> pd.DataFrame:
    """Three weeks of days: 1000 events on weekdays, 600 at weekends, with some days replaced."""
    first = WEEK.vle_window[0] - timedelta(days=7)
    days = [first + timedelta(days=n) for n in range(21)]
    counts = {d: (600 if d.weekday() >= 5 else 1000) for d in days}
    counts.update(drop or {})
    return pd.DataFrame({"day": pd.to_datetime(list(counts)), "rows": list(counts.values())})


def test_ordinary_weekly_rhythm_passes(check):
    assert check(moodle.daily_volume(), metrics.daily_volume(daily(), WEEK, TERMS), key="day") == []


def test_a_truncated_day_file_fails_and_names_the_day(check):
    frame = metrics.daily_volume(daily({date(2026, 10, 14): 80}), WEEK, TERMS)
    failed = check(moodle.daily_volume(), frame, key="day")
    assert [r.expectation for r in failed] == ["expect_column_values_to_be_between(ratio)"]
    assert "2026-10-14: 0.08" in failed[0].observed_value


def test_a_missing_day_file_fails(check):
    days = daily()
    frame = metrics.daily_volume(days[days["day"] != pd.Timestamp("2026-10-16")], WEEK, TERMS)
    failed = check(moodle.daily_volume(), frame, key="day")
    assert "2026-10-16: 0" in failed[0].observed_value


def test_days_outside_term_are_not_compared():
    frame = metrics.daily_volume(daily({date(2026, 10, 14): 0}), WEEK, TERMS.assign(start=[date(2026, 10, 19)]))
    assert frame.empty


def test_most_students_found_in_moodle_pass_and_a_collapse_fails(check):
    population = [str(i) for i in range(20)]
    assert check(moodle.coverage(), metrics.coverage(population, population[:18], True)) == []
    failed = check(moodle.coverage(), metrics.coverage(population, population[:3], True))
    assert [r.expectation for r in failed] == ["expect_column_values_to_be_between(share)"]


def test_mostly_unmapped_activity_fails(check):
    good = pd.DataFrame(
        {"kind": ["users", "courses"], "unmapped": [40, 2], "events": [500, 900], "share_of_events": [0.02, 0.04]}
    )
    assert check(moodle.mapping(), good, key="kind") == []
    bad = good.assign(share_of_events=[0.02, 0.7])
    failed = check(moodle.mapping(), bad, key="kind")
    assert "courses: 0.7" in failed[0].observed_value


def test_a_missing_last_day_of_moodle_fails_freshness(check):
    assert check(moodle.freshness(), metrics.freshness("moodle", WEEK.as_of, WEEK.as_of)) == []
    failed = check(moodle.freshness(), metrics.freshness("moodle", date(2026, 10, 15), WEEK.as_of))
    assert [r.expectation for r in failed] == ["expect_column_values_to_be_between(lag_days)"]
