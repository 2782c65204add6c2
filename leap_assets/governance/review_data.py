"""The counts behind the annual review pack, read for one academic year (1 August to 31 July).

Everything returned is a count, a date or a verdict: no names, no ids. Timestamps are taken in the
local calendar (LEAP_TIMEZONE) before their date is compared with the year. A report week belongs to
the year its `week_start` falls in. A table that does not exist yet (an older warehouse, or a step
that has never run) reads as empty, so the pack still says "none".
"""

from dataclasses import dataclass
from datetime import date

import duckdb
import pandas as pd

from expectations.metrics import Week
from expectations.runner import ResultRecord
from leap_assets.checks import frames
from leap_assets.governance.quality_data import source_loads
from leap_assets.governance.quality_tables import Verdict, verdicts


@dataclass(frozen=True)
class AcademicYear:
    year: int  # 2026 is the academic year 2026/27

    @property
    def first(self) -> date:
        return date(self.year, 8, 1)

    @property
    def last(self) -> date:
        return date(self.year + 1, 7, 31)

    @property
    def label(self) -> str:
        return f"{self.year}/{(self.year + 1) % 100:02d}"


def _local_day(column: str) -> str:
    """The local date of a timestamp column; the zone is the first parameter."""
    return f"timezone(?, {column})::date"


def _frame(con: duckdb.DuckDBPyConnection, table: str, sql: str, params: list, columns: list[str]) -> pd.DataFrame:
    if not frames.table_exists(con, table):
        return empty(columns)
    return con.execute(sql, params).df()


def files_landed(con: duckdb.DuckDBPyConnection, year: AcademicYear, timezone: str) -> pd.DataFrame:
    """Per source: files landed (by the day they were last landed) and of which rejected whole."""
    day = _local_day("landed_at")
    return _frame(
        con,
        "meta.landed_files",
        f"""
        select source, count(*) as files, count(*) filter (where status = 'rejected') as rejected
        from meta.landed_files where {day} between ? and ? group by source order by source
        """,
        [timezone, year.first, year.last],
        ["source", "files", "rejected"],
    )


def quality_verdicts(
    con: duckdb.DuckDBPyConnection, year: AcademicYear, source_names: dict[str, str], blocking: frozenset[str]
) -> dict[date, dict[str, Verdict]]:
    """Week -> source -> the verdict the weekly data-quality report gives, from the stored results and
    the landing counts of that week (the same function the weekly report uses)."""
    results = _frame(
        con,
        "marts.data_quality_results",
        """
        select week_start, source, suite, expectation, passed, observed_value from marts.data_quality_results
        where week_start between ? and ? order by week_start, source, suite, expectation
        """,
        [year.first, year.last],
        ["week_start", "source", "suite", "expectation", "passed", "observed_value"],
    )
    if results.empty:
        return {}
    window = frames.vle_window_days(con)
    by_week = {}
    for start, rows in results.groupby("week_start", sort=True):
        week = Week(pd.Timestamp(start).date(), window)
        records = [
            ResultRecord(r.source, r.suite, r.expectation, bool(r.passed), str(r.observed_value), r.expectation)
            for r in rows.itertuples(index=False)
        ]
        loads = source_loads(con, week, frames.snapshot_date(con, week))
        by_week[week.start] = verdicts(records, loads, source_names, blocking)
    return by_week


def gate_outcomes(con: duckdb.DuckDBPyConnection, year: AcademicYear) -> tuple[pd.DataFrame, pd.DataFrame]:
    """School-weeks of the year by the quality gate's status (status, school_weeks), and the releases
    (released_at, week_start, school, released_by, reason, checks)."""
    statuses = _frame(
        con,
        "marts.report_status",
        """
        select status, count(*) as school_weeks from marts.report_status
        where week_start between ? and ? group by status order by status
        """,
        [year.first, year.last],
        ["status", "school_weeks"],
    )
    releases = _frame(
        con,
        "meta.quality_releases",
        """
        select released_at, week_start, school, released_by, reason, checks from meta.quality_releases
        where week_start between ? and ? order by released_at
        """,
        [year.first, year.last],
        ["released_at", "week_start", "school", "released_by", "reason", "checks"],
    )
    return statuses, releases


def requests_handled(con: duckdb.DuckDBPyConnection, year: AcademicYear, timezone: str) -> pd.DataFrame:
    """Privacy requests processed in the year, by type and outcome (columns request_type, status, requests)."""
    day = _local_day("processed_at")
    return _frame(
        con,
        "meta.privacy_requests",
        f"""
        select request_type, status, count(*) as requests from meta.privacy_requests
        where {day} between ? and ? group by all order by all
        """,
        [timezone, year.first, year.last],
        ["request_type", "status", "requests"],
    )


def access_by_role(con: duckdb.DuckDBPyConnection, year: AcademicYear, timezone: str) -> pd.DataFrame:
    """Views and refusals of student-level data in the year, by role: accesses and distinct staff
    (columns role, views, refused, staff)."""
    day = _local_day("accessed_at")
    return _frame(
        con,
        "meta.access_log",
        f"""
        select role,
            count(*) filter (where action <> 'view_refused') as views,
            count(*) filter (where action = 'view_refused') as refused,
            count(distinct staff_id) as staff
        from meta.access_log where {day} between ? and ? group by role order by role
        """,
        [timezone, year.first, year.last],
        ["role", "views", "refused", "staff"],
    )


def purges(con: duckdb.DuckDBPyConnection, year: AcademicYear, timezone: str) -> pd.DataFrame:
    """Retention purges run in the year, per layer and target (columns layer, target, runs, rows_removed,
    files_removed, last_cutoff)."""
    day = _local_day("purged_at")
    return _frame(
        con,
        "meta.purges",
        f"""
        select layer, target, count(*) as runs, sum(rows_removed) as rows_removed,
            sum(files_removed) as files_removed, max(cutoff) as last_cutoff
        from meta.purges where {day} between ? and ? group by layer, target order by layer, target
        """,
        [timezone, year.first, year.last],
        ["layer", "target", "runs", "rows_removed", "files_removed", "last_cutoff"],
    )


def empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame(columns=columns)
