"""SITS student-record snapshots: codes and dates of the students and courses of the week's snapshot,
and the snapshot itself (complete, not shrunk against the extract before it, not stale)."""

from datetime import date

from expectations.suites import build, expect

SOURCE = "sits"
SEXID = ["1", "2", "3", "4"]
# HESA ETHNIC codes (UDD ETHNICITY).
ETHNICITY = [
    "10", "11", "12", "13", "14", "15", "16", "19", "21", "22", "29", "31", "32", "33", "34", "39",
    "41", "42", "43", "49", "50", "80", "90", "98", "99",
]  # fmt: skip
LEVELS = ["UG", "PG"]


def students(as_of: date, min_known_share: float, earliest_birth_year: int, min_age_years: int):
    """The snapshot's students (columns sexid, ethnicity, difflearn1, birth_year): codes, plausible birth
    years, and few unknown values (fairness reporting needs them). Birth years, not dates: a failure
    may quote a sample of values, and a date of birth is personal data."""
    e = expect()
    return build(
        "sits.students",
        [
            e.ExpectTableRowCountToBeBetween(min_value=1, meta={"label": "The snapshot holds students"}),
            e.ExpectColumnValuesToBeInSet(column="sexid", value_set=SEXID, meta={"label": "SEXID is 1, 2, 3 or 4"}),
            e.ExpectColumnValuesToNotBeNull(
                column="sexid", mostly=min_known_share, meta={"label": f"SEXID is filled in for {min_known_share:.0%}"}
            ),
            e.ExpectColumnValuesToBeInSet(
                column="ethnicity", value_set=ETHNICITY, meta={"label": "ETHNICITY is a HESA code"}
            ),
            e.ExpectColumnValuesToNotBeNull(
                column="ethnicity",
                mostly=min_known_share,
                meta={"label": f"ETHNICITY is filled in for {min_known_share:.0%}"},
            ),
            e.ExpectColumnValuesToMatchRegex(
                column="difflearn1", regex=r"^[0-9]{2}$", meta={"label": "DIFFLEARN1 is a two-digit code"}
            ),
            e.ExpectColumnValuesToBeBetween(
                column="birth_year",
                min_value=earliest_birth_year,
                max_value=as_of.year - min_age_years,
                meta={"label": f"Years of birth are plausible ({earliest_birth_year} to {as_of.year - min_age_years})"},
            ),
        ],
    )


def courses(min_department_share: float):
    """The snapshot's courses (columns x_level, inst_tier_1, inst_tier_2): level codes and schools."""
    e = expect()
    return build(
        "sits.courses",
        [
            e.ExpectColumnValuesToBeInSet(column="x_level", value_set=LEVELS, meta={"label": "X_LEVEL is UG or PG"}),
            e.ExpectColumnValuesToNotBeNull(column="inst_tier_1", meta={"label": "Every course names its school"}),
            e.ExpectColumnValuesToNotBeNull(
                column="inst_tier_2",
                mostly=min_department_share,
                meta={"label": f"At least {min_department_share:.0%} of courses name their department"},
            ),
        ],
    )


def snapshot(min_students_ratio: float):
    """The week's snapshot (metrics.sits_snapshot): there is one, and it has not lost more than
    1 - `min_students_ratio` of the students of the complete extract before it."""
    e = expect()
    return build(
        "sits.snapshot",
        [
            e.ExpectColumnValuesToBeInSet(
                column="snapshot_found", value_set=[True], meta={"label": "A complete SITS extract exists for the week"}
            ),
            e.ExpectColumnValuesToBeBetween(
                column="students_ratio",
                min_value=min_students_ratio,
                meta={"label": f"Students kept at least {min_students_ratio:.0%} of the previous extract's count"},
            ),
        ],
    )


def freshness(max_age_days: int):
    """The week's snapshot (metrics.sits_snapshot) is dated at most `max_age_days` before the report date,
    and not after it (the oldest-extract fallback)."""
    return build(
        "sits.freshness",
        [
            expect().ExpectColumnValuesToBeBetween(
                column="age_days",
                min_value=0,
                max_value=max_age_days,
                meta={"label": f"The snapshot is at most {max_age_days} days old on the report date"},
            )
        ],
    )
