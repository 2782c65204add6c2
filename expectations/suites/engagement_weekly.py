"""The engagement_weekly mart, as other tools read it: its public columns in order, the week's dates,
figures within their ranges, and no sudden shift of the share of red students in a school.

dbt tests own the relational facts (keys, not-null, accepted RAG values); these suites check the
published contract and the distribution, which dbt cannot compare week on week."""

from datetime import date, timedelta

import pandas as pd

from expectations.mart_contract import contract_column_names
from expectations.suites import build, expect

SOURCE = "engagement_weekly"
# engagement-rules.md, "Output": names and order are a public contract, stated once in the dbt YAML.
CONTRACT_COLUMNS = contract_column_names()
SCORES = ["attendance_pct_7d", "vle_score_14d", "submission_score_28d", "online_score", "combined_score"]
COUNTS = ["attendance_expected_7d", "vle_events_14d", "submissions_due_28d"]


def _on(column: str, day: date, label: str):
    return expect().ExpectColumnValuesToBeBetween(
        column=column, min_value=pd.Timestamp(day), max_value=pd.Timestamp(day), meta={"label": label}
    )


def contract(week_start: date, vle_window_days: int = 14):
    """The week's rows of the mart (every contract column; names may be blanked)."""
    e = expect()
    return build(
        "engagement_weekly.contract",
        [
            e.ExpectTableColumnsToMatchOrderedList(
                column_list=CONTRACT_COLUMNS, meta={"label": "The mart has exactly the published columns, in order"}
            ),
            e.ExpectTableRowCountToBeBetween(min_value=1, meta={"label": "The week has rows"}),
            _on("week_start", week_start, f"Every row is for week {week_start}"),
            _on("as_of_date", week_start + timedelta(days=6), "as_of_date is the week's Sunday"),
            _on("report_date", week_start + timedelta(days=7), "report_date is the Monday after"),
            *[
                e.ExpectColumnValuesToBeBetween(
                    column=column, min_value=0, max_value=100, meta={"label": f"{column} is between 0 and 100"}
                )
                for column in SCORES
            ],
            *[
                e.ExpectColumnValuesToBeBetween(column=column, min_value=0, meta={"label": f"{column} is not negative"})
                for column in COUNTS
            ],
            e.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A="attendance_expected_7d",
                column_B="attendance_attended_7d",
                or_equal=True,
                ignore_row_if="either_value_is_missing",
                meta={"label": "No student attended more sessions than were expected"},
            ),
            e.ExpectColumnValuesToBeBetween(
                column="vle_active_days_14d",
                min_value=0,
                max_value=vle_window_days,
                meta={"label": f"VLE active days are between 0 and {vle_window_days}"},
            ),
        ],
    )


def distribution(max_shift: float):
    """Per school, the share of red students against last week (metrics.red_share_shift)."""
    return build(
        "engagement_weekly.distribution",
        [
            expect().ExpectColumnValuesToBeBetween(
                column="shift",
                min_value=-max_shift,
                max_value=max_shift,
                meta={"label": f"No school's share of red students moved by more than {max_shift:.0%} in a week"},
            )
        ],
    )


def no_data(min_with_status: float):
    """The week's rows (column combined_rag): most students have a status; many "none" means a source
    is missing for them."""
    return build(
        "engagement_weekly.no_data",
        [
            expect().ExpectColumnValuesToNotBeInSet(
                column="combined_rag",
                value_set=["none"],
                mostly=min_with_status,
                meta={"label": f"At least {min_with_status:.0%} of students have a combined status"},
            )
        ],
    )
