"""School-kept online-only lists: every row names a student and a start date, and its dates make sense."""

from datetime import date, timedelta

import pandas as pd

from expectations.suites import build, expect

SOURCE = "schools"


def online_only(as_of: date, max_days_ahead: int):
    """Rows of every online-only list (columns student_id, from_date, to_date)."""
    e = expect()
    return build(
        "schools.online_only",
        [
            e.ExpectColumnValuesToNotBeNull(column="student_id", meta={"label": "Every row names a student"}),
            e.ExpectColumnValuesToNotBeNull(column="from_date", meta={"label": "Every row has a FROM_DATE"}),
            e.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A="to_date",
                column_B="from_date",
                or_equal=True,
                ignore_row_if="either_value_is_missing",
                meta={"label": "TO_DATE is not before FROM_DATE"},
            ),
            e.ExpectColumnValuesToBeBetween(
                column="from_date",
                min_value=pd.Timestamp("2000-01-01"),
                max_value=pd.Timestamp(as_of + timedelta(days=max_days_ahead)),
                meta={"label": f"FROM_DATE is plausible (2000 to {max_days_ahead} days ahead)"},
            ),
        ],
    )
