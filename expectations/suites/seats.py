"""SEAtS attendance: codes and session dates of the week's files, rows per module against the week
before (card readers failing in one building), UG coverage and freshness."""

from datetime import date

import pandas as pd

from expectations.suites import build, expect

SOURCE = "seats"
FLAGS = [0, 1]
CATEGORIES = ["P", "L", "A", "X", "C"]


def attendance_rows(first_day: date, last_day: date, min_module_share: float):
    """Rows of the files landed for the week (columns event_mandatory, event_attended, attendance_late,
    attendance_category, start_date, start_time, end_time, file_date, mod_instance_id): codes, sessions
    dated within the term up to the week's end and never after their file, and module ids filled in."""
    e = expect()
    return build(
        "seats.attendance_rows",
        [
            e.ExpectColumnValuesToBeInSet(
                column="event_mandatory", value_set=FLAGS, meta={"label": "EVENT_MANDATORY is 1 or 0"}
            ),
            e.ExpectColumnValuesToBeInSet(
                column="event_attended", value_set=FLAGS, meta={"label": "EVENT_ATTENDED is 1 or 0"}
            ),
            e.ExpectColumnValuesToBeInSet(
                column="attendance_late", value_set=FLAGS, meta={"label": "ATTENDANCE_LATE is 1 or 0"}
            ),
            e.ExpectColumnValuesToBeInSet(
                column="attendance_category",
                value_set=CATEGORIES,
                meta={"label": "ATTENDANCE_CATEGORY is P, L, A, X or C"},
            ),
            e.ExpectColumnValuesToBeBetween(
                column="start_date",
                min_value=pd.Timestamp(first_day),
                max_value=pd.Timestamp(last_day),
                meta={"label": f"Sessions are dated within the term, {first_day} to {last_day}"},
            ),
            e.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A="file_date",
                column_B="start_date",
                or_equal=True,
                ignore_row_if="either_value_is_missing",
                meta={"label": "No session is dated after the file that reports it"},
            ),
            e.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A="end_time",
                column_B="start_time",
                ignore_row_if="either_value_is_missing",
                meta={"label": "Sessions end after they start"},
            ),
            e.ExpectColumnValuesToNotBeNull(
                column="mod_instance_id",
                mostly=min_module_share,
                meta={"label": f"MOD_INSTANCE_ID is filled in for {min_module_share:.0%} of rows"},
            ),
        ],
    )


def attendance_volume(min_ratio: float):
    """Rows per module, per subject and in all, this week against the week before
    (metrics.attendance_volume): none fell below `min_ratio` of its previous count while SITS says the
    modules were still running (card readers failing in one building, a feed missing a department)."""
    return build(
        "seats.attendance_volume",
        [
            expect().ExpectColumnValuesToBeBetween(
                column="ratio",
                min_value=min_ratio,
                meta={"label": f"No running module or subject fell below {min_ratio:.0%} of its baseline rows"},
            )
        ],
    )


def coverage(min_share: float):
    """Share of the week's undergraduate population (not online-only) with any SEAtS row in the week
    (metrics.coverage); not judged outside term."""
    return build(
        "seats.coverage",
        [
            expect().ExpectColumnValuesToBeBetween(
                column="share",
                min_value=min_share,
                max_value=1,
                meta={"label": f"At least {min_share:.0%} of each school's undergraduates appear in SEAtS this week"},
            )
        ],
    )


def freshness(max_lag_days: int):
    """The newest session dated on or before the week's end is at most `max_lag_days` before it
    (metrics.freshness: sessions run Monday to Friday)."""
    e = expect()
    return build(
        "seats.freshness",
        [
            e.ExpectColumnValuesToNotBeNull(column="lag_days", meta={"label": "SEAtS holds sessions for the week"}),
            e.ExpectColumnValuesToBeBetween(
                column="lag_days",
                min_value=0,
                max_value=max_lag_days,
                meta={"label": f"The newest session is at most {max_lag_days} days before the week's end"},
            ),
        ],
    )
