from datetime import date

import pandas as pd

from expectations.suites import schools
from tests.unit.expectations.helpers import dates

AS_OF = date(2026, 10, 18)


def lists(**overrides) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "student_id": ["00000001", "00000002", "00000003"],
            "from_date": dates("2026-09-14", "2026-10-01", "2026-10-05"),
            "to_date": dates("2026-12-11", None, "2026-10-05"),
        }
    )
    for column, values in overrides.items():
        frame[column] = values
    return frame


def test_good_online_only_lists_pass(check):
    assert check(schools.online_only(AS_OF, 366), lists()) == []


def test_a_period_ending_before_it_starts_fails(check):
    failed = check(schools.online_only(AS_OF, 366), lists(to_date=dates("2026-09-01", None, None)))
    assert [r.expectation for r in failed] == ["expect_column_pair_values_a_to_be_greater_than_b(to_date, from_date)"]


def test_a_row_without_a_student_or_start_fails(check):
    bad = lists(student_id=["00000001", None, "00000003"], from_date=dates("2026-09-14", "2026-10-01", None))
    assert {r.expectation for r in check(schools.online_only(AS_OF, 366), bad)} == {
        "expect_column_values_to_not_be_null(student_id)",
        "expect_column_values_to_not_be_null(from_date)",
    }


def test_an_implausible_start_date_fails(check):
    failed = check(schools.online_only(AS_OF, 366), lists(from_date=dates("1926-09-14", "2026-10-01", "2026-10-05")))
    assert [r.expectation for r in failed] == ["expect_column_values_to_be_between(from_date)"]
