"""What the back-test reads: one in-memory row per student-week of the mart in a range of weeks, with
the outcome the newest complete SITS extract gives it, the groups the fairness tables need, and the
summary thresholds in force. Student ids stay in this process (to count distinct students for
suppression over a range) and are never written anywhere.

The outcome rule (validity.md, "Back-testing the indicator"), read from the newest complete extract:
- the membership of the row's `course_id` that was active in the week (joined on or before the
  week's Sunday, ending on or after its Monday or with no end date; the latest joined when several);
- *withdrawn*: that membership has `ACTIVE_MEMBERSHIP = 2` and a `WITHDRAWAL_REASON`, other than an
  internal course transfer (the membership ends, the student stays). A membership that ended with no
  reason (a course completed) is not a withdrawal;
- the module instances of the student running in the week (`[MOD_START_DATE, MOD_END_DATE]` overlaps
  it): *adverse* when withdrawn or any has `MOD_RESULT = 2`; *not adverse* when the membership is
  found, not withdrawn, and every running module (at least one) has `MOD_RESULT = 1`; else *unknown*.
"""

from datetime import date

import duckdb
import pandas as pd

from leap_assets.checks import frames

ADVERSE, NOT_ADVERSE, UNKNOWN = "adverse", "not_adverse", "unknown"
# WITHDRAWAL_REASON codes that end a membership without the student leaving: an internal transfer.
NOT_A_WITHDRAWAL = ("40",)
DEFAULT_THRESHOLDS = {"summary_amber_min": 30.0, "summary_green_min": 70.0}
COLUMNS = [
    "week_start", "student_id", "school", "level", "sexid", "ethnicity", "difflearn1",
    "combined_score", "combined_rag", "outcome",
]  # fmt: skip

STUDENT_WEEKS = f"""
with

newest as (
    select max(extract_date) as extract_date from raw.sits_extracts where is_complete
),

mart_rows as (
    select week_start, as_of_date, sits_extract_date, student_id, course_id, school, level,
        combined_score, combined_rag
    from {frames.MART}
    where week_start between $first and $last
),

memberships as (
    select
        mart_rows.week_start,
        mart_rows.student_id,
        membership.active_membership = 2
            and coalesce(membership.withdrawal_reason, '') <> ''
            and membership.withdrawal_reason not in (select unnest($not_withdrawal)) as is_withdrawn,
        row_number() over (
            partition by mart_rows.week_start, mart_rows.student_id
            order by membership.course_join_date desc, membership.student_course_membership_id
        ) as rank_in_week
    from mart_rows
    inner join raw.sits_studentcoursemembership as membership
        on membership.extract_date = (select extract_date from newest)
        and membership.student_id = mart_rows.student_id
        and membership.course_id = mart_rows.course_id
        and membership.course_join_date <= mart_rows.as_of_date
        and (membership.course_end_date is null or membership.course_end_date >= mart_rows.week_start)
),

modules as (
    select
        mart_rows.week_start,
        mart_rows.student_id,
        bool_or(module.mod_result = '2') as any_failed,
        bool_and(coalesce(module.mod_result = '1', false)) as all_passed
    from mart_rows
    inner join raw.sits_studentmoduleinstance as module
        on module.extract_date = (select extract_date from newest)
        and module.student_id = mart_rows.student_id
        and module.mod_start_date <= mart_rows.as_of_date
        and module.mod_end_date >= mart_rows.week_start
    group by all
)

select
    mart_rows.week_start,
    mart_rows.student_id,
    mart_rows.school,
    mart_rows.level,
    student.sexid,
    student.ethnicity,
    student.difflearn1,
    mart_rows.combined_score,
    mart_rows.combined_rag,
    case
        when memberships.is_withdrawn or modules.any_failed then '{ADVERSE}'
        when memberships.is_withdrawn = false and modules.all_passed then '{NOT_ADVERSE}'
        else '{UNKNOWN}'
    end as outcome
from mart_rows
left join memberships
    on memberships.week_start = mart_rows.week_start
    and memberships.student_id = mart_rows.student_id
    and memberships.rank_in_week = 1
left join modules
    on modules.week_start = mart_rows.week_start and modules.student_id = mart_rows.student_id
left join raw.sits_student as student
    on student.extract_date = mart_rows.sits_extract_date and student.student_id = mart_rows.student_id
order by mart_rows.week_start, mart_rows.student_id
"""


def student_weeks(con: duckdb.DuckDBPyConnection, first: date, last: date) -> pd.DataFrame:
    """One row per mart row with week_start in [first, last] (columns COLUMNS); empty without a mart."""
    if not frames.table_exists(con, frames.MART):
        return student_weeks_empty()
    params = {"first": first, "last": last, "not_withdrawal": list(NOT_A_WITHDRAWAL)}
    frame = con.execute(STUDENT_WEEKS, params).df()
    frame["week_start"] = pd.to_datetime(frame["week_start"]).dt.date
    return frame[COLUMNS]


def student_weeks_empty() -> pd.DataFrame:
    return pd.DataFrame(columns=COLUMNS)


def outcomes_extract(con: duckdb.DuckDBPyConnection) -> date | None:
    """The date of the newest complete SITS extract, the one outcomes are read from."""
    newest = con.execute("select max(extract_date) from raw.sits_extracts where is_complete").fetchone()[0]
    return pd.Timestamp(newest).date() if newest is not None else None


def thresholds(con: duckdb.DuckDBPyConnection) -> dict[str, float]:
    """The summary (combined) thresholds in force: the dbt seed's, else the specification's defaults."""
    found = dict(DEFAULT_THRESHOLDS)
    if frames.table_exists(con, "seeds.rule_thresholds"):
        rows = con.execute(
            "select parameter, value from seeds.rule_thresholds where parameter in ($1, $2)", list(found)
        ).fetchall()
        found.update({name: float(value) for name, value in rows})
    return found


def completed_terms(con: duckdb.DuckDBPyConnection, first: date, last: date, today: date) -> pd.DataFrame:
    """Terms of SITS period.tsv (newest extract holding each) starting in [first, last] whose end has
    passed by `today` (columns period_code, academic_year, period_name, start, end), oldest first."""
    columns = ["period_code", "academic_year", "period_name", "start", "end"]
    if not frames.table_exists(con, "raw.sits_period"):
        return pd.DataFrame(columns=columns)
    return con.execute(
        """
        select period_code, academic_year, period_name, period_start_date as start, period_end_date as "end"
        from raw.sits_period
        qualify extract_date = max(extract_date) over (partition by period_code, academic_year)
            and period_start_date between ? and ? and period_end_date < ?
        order by period_start_date, period_code
        """,
        [first, last, today],
    ).df()
