from datetime import date

import pandas as pd

from expectations import metrics
from expectations.metrics import Week
from expectations.suites import sits

WEEK = Week(date(2026, 10, 12))


def students(n: int = 40, **overrides) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "sexid": ["1", "2"] * (n // 2),
            "ethnicity": ["10", "31", "22", "49"] * (n // 4),
            "difflearn1": ["00", None, "51", "00"] * (n // 4),
            "birth_year": [2004, 2006] * (n // 2),
        }
    )
    for column, values in overrides.items():
        frame[column] = values
    return frame


def test_good_students_pass(check):
    assert check(sits.students(WEEK.as_of, 0.9, 1920, 14), students()) == []


def test_an_unknown_sex_code_fails(check):
    bad = students()
    bad.loc[3, "sexid"] = "7"
    failed = check(sits.students(WEEK.as_of, 0.9, 1920, 14), bad)
    assert [r.expectation for r in failed] == ["expect_column_values_to_be_in_set(sexid)"]
    assert "e.g. 7" in failed[0].observed_value


def test_an_ethnicity_outside_the_hesa_codes_fails(check):
    bad = students()
    bad.loc[0, "ethnicity"] = "White"
    assert [r.expectation for r in check(sits.students(WEEK.as_of, 0.9, 1920, 14), bad)] == [
        "expect_column_values_to_be_in_set(ethnicity)"
    ]


def test_too_many_missing_sex_codes_fail(check):
    bad = students()
    bad.loc[:9, "sexid"] = None  # a quarter unknown
    failed = check(sits.students(WEEK.as_of, 0.9, 1920, 14), bad)
    assert [r.expectation for r in failed] == ["expect_column_values_to_not_be_null(sexid)"]


def test_a_malformed_disability_code_fails(check):
    bad = students()
    bad.loc[0, "difflearn1"] = "5"
    assert [r.expectation for r in check(sits.students(WEEK.as_of, 0.9, 1920, 14), bad)] == [
        "expect_column_values_to_match_regex(difflearn1)"
    ]


def test_an_implausible_birth_year_fails(check):
    bad = students()
    bad.loc[0, "birth_year"] = 1850
    assert [r.expectation for r in check(sits.students(WEEK.as_of, 0.9, 1920, 14), bad)] == [
        "expect_column_values_to_be_between(birth_year)"
    ]


def test_courses_need_a_level_code_and_a_school(check):
    good = pd.DataFrame({"x_level": ["UG", "PG"], "inst_tier_1": ["Law", "Law"], "inst_tier_2": ["Law", "Law"]})
    assert check(sits.courses(0.9), good) == []
    bad = good.assign(x_level=["UG", "FT"], inst_tier_1=["Law", None])
    assert {r.expectation for r in check(sits.courses(0.9), bad)} == {
        "expect_column_values_to_be_in_set(x_level)",
        "expect_column_values_to_not_be_null(inst_tier_1)",
    }


def test_a_snapshot_like_the_one_before_passes(check):
    frame = metrics.sits_snapshot(date(2026, 10, 19), 1990, 2000, WEEK)
    assert check(sits.snapshot(0.8), frame) == []
    assert check(sits.freshness(14), frame) == []


def test_a_snapshot_that_lost_half_its_students_fails(check):
    failed = check(sits.snapshot(0.8), metrics.sits_snapshot(date(2026, 10, 19), 1000, 2000, WEEK))
    assert [r.expectation for r in failed] == ["expect_column_values_to_be_between(students_ratio)"]
    assert failed[0].observed_value == "students_ratio = 0.5"


def test_a_week_without_any_complete_extract_fails(check):
    failed = check(sits.snapshot(0.8), metrics.sits_snapshot(None, 0, None, WEEK))
    assert [r.expectation for r in failed] == ["expect_column_values_to_be_in_set(snapshot_found)"]


def test_a_stale_snapshot_fails_freshness(check):
    failed = check(sits.freshness(14), metrics.sits_snapshot(date(2026, 9, 21), 2000, 2000, WEEK))
    assert [r.expectation for r in failed] == ["expect_column_values_to_be_between(age_days)"]
