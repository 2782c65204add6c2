from datetime import date, timedelta

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
    return seats.attendance_rows(TERM_START, WEEK.as_of, 0.9)


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


SCHOOLS = {"LAW": ("School of Law",), "HIS": ("School of History", "School of Law")}
# Module instances SITS runs all term, with the schools of their students.
MODULES = pd.DataFrame(
    [(m, date(2026, 9, 14), date(2026, 12, 11), SCHOOLS[m[:3]]) for m in
     ("LAW1001", "LAW1002", "HIS1001", "HIS2001", "HIS3001")],
    columns=["module", "start", "end", "schools"],
)  # fmt: skip
USUAL = {"LAW1001": 120, "LAW1002": 60, "HIS1001": 90, "HIS2001": 12, "HIS3001": 12}


def weekly(this_week: dict[str, int], before: list[dict[str, int]] | None = None) -> pd.DataFrame:
    """Rows per module and week: `this_week` for WEEK, `before` for the weeks before it (newest first;
    default: three ordinary weeks)."""
    history = before if before is not None else [USUAL, USUAL, USUAL]
    frame = [(m, WEEK.start, n) for m, n in this_week.items()]
    for back, counts in enumerate(history, start=1):
        frame += [(m, WEEK.start - timedelta(days=7 * back), n) for m, n in counts.items()]
    return pd.DataFrame(frame, columns=["module", "week_start", "rows"])


def volume(this_week, before=None, modules=MODULES, teaching=lambda module, week: True, terms=TERMS):
    return metrics.attendance_volume(weekly(this_week, before), modules, WEEK, terms, teaching, 3, 20)


def test_fortnightly_sessions_and_a_module_that_ended_are_not_a_drop(check):
    # LAW1002 runs a fortnightly seminar; HIS1001 ended, so SITS no longer runs it.
    ended = MODULES.assign(end=[date(2026, 12, 11), date(2026, 12, 11), date(2026, 10, 9)] + [date(2026, 12, 11)] * 2)
    fortnightly = [{**USUAL, "LAW1002": 40}, USUAL, {**USUAL, "LAW1002": 40}]
    frame = volume({"LAW1001": 120, "LAW1002": 60, "HIS2001": 12, "HIS3001": 12}, fortnightly, modules=ended)
    assert check(seats.attendance_volume(0.4), frame, key="scope") == []
    assert "module HIS1001" not in set(frame["scope"])


def test_an_unusual_last_week_does_not_trip_the_median_baseline(check):
    # Last week LAW1001 had a one-off exam rehearsal (twice its rows): the median of three weeks ignores it.
    before = [{**USUAL, "LAW1001": 400}, USUAL, USUAL]
    frame = volume({**USUAL, "LAW1001": 110}, before)
    law = frame.set_index("scope").loc["module LAW1001"]
    assert (law["rows_baseline"], law["rows_this_week"]) == (120, 110)
    assert check(seats.attendance_volume(0.4), frame, key="scope") == []


def test_a_module_whose_card_readers_failed_fails_and_names_its_schools(check):
    frame = volume({**USUAL, "HIS1001": 3})
    failed = check(seats.attendance_volume(0.4), frame, key="scope")
    assert [r.expectation for r in failed] == ["expect_column_values_to_be_between(ratio)"]
    assert "module HIS1001: 0.0333" in failed[0].observed_value
    assert set(failed[0].unexpected_keys) == {"subject HIS", "module HIS1001"}  # HIS1001 is most of HIS
    row = frame.set_index("scope").loc["module HIS1001"]
    assert row["schools"] == "School of History; School of Law"


def test_a_building_of_small_modules_going_quiet_fails_by_subject(check):
    # Each HIS module alone is too small to judge; together they are a subject (a department's building).
    history = [{"HIS2001": 12, "HIS3001": 12, "LAW1001": 120}] * 3
    frame = volume({"LAW1001": 120}, history, modules=MODULES[MODULES["module"] != "HIS1001"])
    assert "module HIS2001" not in set(frame["scope"])
    failed = check(seats.attendance_volume(0.4), frame, key="scope")
    assert failed[0].observed_value.endswith(": subject HIS: 0")
    assert failed[0].unexpected_keys == ("subject HIS",)


def test_a_week_missing_from_seats_fails_for_every_school_taking_a_module(check):
    frame = volume({})
    failed = check(seats.attendance_volume(0.4), frame, key="scope")
    assert failed[0].observed_value.startswith(f"6 of 6 unexpected (100.0%): {ALL_MODULES}: 0; subject HIS: 0")
    assert frame.set_index("scope").loc[ALL_MODULES, "schools"] == "School of History; School of Law"


def test_a_listed_reading_week_is_not_judged_and_the_week_after_compares_with_teaching_weeks(check):
    reading = WEEK.start

    def teaching(module: str, week: date) -> bool:
        return not (module.startswith("HIS") and week == reading)

    during = volume({"LAW1001": 120, "LAW1002": 60}, teaching=teaching)
    assert not any("HIS" in scope for scope in during["scope"])
    assert check(seats.attendance_volume(0.4), during, key="scope") == []
    # The week after: its baseline skips the reading week (zero rows) and uses the three before it.
    after = Week(WEEK.start + timedelta(days=7))
    rows = weekly(USUAL, [{"LAW1001": 120, "LAW1002": 60}, USUAL, USUAL, USUAL])
    rows["week_start"] = rows["week_start"] + pd.Timedelta(days=7)
    frame = metrics.attendance_volume(rows, MODULES, after, TERMS, teaching, 3, 20)
    assert frame.set_index("scope").loc["module HIS1001", "rows_baseline"] == 90
    assert check(seats.attendance_volume(0.4), frame, key="scope") == []


def test_an_unlisted_reading_week_looks_like_a_lost_feed(check):
    failed = check(seats.attendance_volume(0.4), volume({"LAW1001": 120, "LAW1002": 60}), key="scope")
    assert "subject HIS: 0" in failed[0].observed_value


def test_weeks_outside_term_are_not_compared(check):
    frame = volume({}, terms=TERMS.assign(start=[date(2026, 10, 19)]))
    assert frame.empty
    assert check(seats.attendance_volume(0.4), frame, key="scope") == []


def population(**schools: int) -> pd.DataFrame:
    return pd.DataFrame(
        [(f"{school[:3]}{n:04d}", school) for school, size in schools.items() for n in range(size)],
        columns=["student_id", "school"],
    )


def test_most_undergraduates_of_each_school_found_in_seats_pass(check):
    people = population(Law=30, History=30)
    frame = metrics.coverage_by_school(people, list(people["student_id"])[:55], True, 20)
    assert check(seats.coverage(0.5), frame, key="school") == []


def test_a_school_missing_from_seats_fails_for_that_school_only(check):
    people = population(Law=30, History=30)
    law_only = [s for s in people["student_id"] if s.startswith("Law")]
    frame = metrics.coverage_by_school(people, law_only, True, 20)
    failed = check(seats.coverage(0.5), frame, key="school")
    assert [r.expectation for r in failed] == ["expect_column_values_to_be_between(share)"]
    assert failed[0].unexpected_keys == ("History",)


def test_coverage_is_not_judged_outside_term_or_for_a_small_school(check):
    people = population(Law=30, History=4)
    assert check(seats.coverage(0.5), metrics.coverage_by_school(people, [], False, 20), key="school") == []
    small = metrics.coverage_by_school(people, [s for s in people["student_id"] if s.startswith("Law")], True, 20)
    assert small.set_index("school")["share"].isna().to_dict() == {
        "(all schools)": False,
        "History": True,
        "Law": False,
    }
    assert check(seats.coverage(0.5), small, key="school") == []


def test_fresh_attendance_passes_and_stale_or_missing_attendance_fails(check):
    assert check(seats.freshness(4), metrics.freshness("seats", date(2026, 10, 16), WEEK.as_of)) == []
    stale = check(seats.freshness(4), metrics.freshness("seats", date(2026, 10, 9), WEEK.as_of))
    assert [r.expectation for r in stale] == ["expect_column_values_to_be_between(lag_days)"]
    missing = check(seats.freshness(4), metrics.freshness("seats", None, WEEK.as_of))
    assert [r.expectation for r in missing] == ["expect_column_values_to_not_be_null(lag_days)"]


def test_weeks_in_term_are_whole_weeks_inside_a_term():
    assert metrics.week_in_term(WEEK, TERMS)
    assert not metrics.week_in_term(Week(date(2026, 9, 7)), TERMS)
    assert metrics.week_in_term(Week(date(2026, 12, 7)), TERMS)  # the term ends on that Friday
    assert not metrics.week_in_term(Week(date(2026, 12, 14)), TERMS)
