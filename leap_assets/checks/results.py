"""marts.data_quality_results: every expectation's outcome per report week (outputs.md).

The table is created here, idempotently, rather than in warehouse/schema.py: it is a mart (dbt owns
that schema's other tables) written only by the quality checks. Re-running a week replaces that
week's rows of each suite it ran, so the table always holds the latest verdict per week and suite.
"""

from collections.abc import Sequence
from datetime import UTC, date, datetime

import duckdb
import pandas as pd

from expectations.runner import ResultRecord

TABLE = "marts.data_quality_results"
DDL = f"""
create table if not exists {TABLE} (
    week_start date not null,
    source varchar not null,
    suite varchar not null,
    expectation varchar not null,
    passed boolean not null,
    observed_value varchar,
    checked_at timestamptz not null,
    settings_version varchar
)
"""
COLUMNS = ["week_start", "source", "suite", "expectation", "passed", "observed_value", "checked_at", "settings_version"]


def ensure_table(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("create schema if not exists marts")
    con.execute(DDL)
    # A table made before the board's settings existed gains the column (its old rows stay null).
    con.execute(f"alter table {TABLE} add column if not exists settings_version varchar")


def replace_week(
    con: duckdb.DuckDBPyConnection, week: date, records: Sequence[ResultRecord], settings_version: str
) -> int:
    """Replace the week's rows of every suite in `records` with them, in one transaction; each row
    carries the version of the quality settings it was judged by."""
    ensure_table(con)
    checked_at = datetime.now(UTC)
    frame = pd.DataFrame(
        [(week, r.source, r.suite, r.expectation, r.passed, r.observed_value, checked_at, settings_version)
         for r in records],
        columns=COLUMNS,
    )  # fmt: skip
    suites = sorted({r.suite for r in records})
    con.execute("begin transaction")
    try:
        if suites:
            con.execute(f"delete from {TABLE} where week_start = ? and list_contains(?, suite)", [week, suites])
        con.register("dq_new_results", frame)
        con.execute(f"insert into {TABLE} by name select * from dq_new_results")
        con.unregister("dq_new_results")
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    return len(frame)


def read_week(con: duckdb.DuckDBPyConnection, week: date) -> pd.DataFrame:
    """The stored results of a week (empty when the table or the week has none)."""
    exists = con.execute(
        "select count(*) from information_schema.tables where table_schema = 'marts' and table_name = ?",
        ["data_quality_results"],
    ).fetchone()[0]
    if not exists:
        return pd.DataFrame(columns=COLUMNS)
    return con.execute(f"select * from {TABLE} where week_start = ? order by source, suite, expectation", [week]).df()
