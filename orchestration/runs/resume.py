"""Resuming a backfill: which report weeks are already built from the data the warehouse holds now.

A week counts as built when its newest `weekly_job` run succeeded, ran the current dbt models (tag
`leap/models`), and nothing that can change that week has happened since the run started:

- no landed SITS, SEAtS, Moodle or school-list file touches it (`leap_assets.ingestion.touched`, the
  same reading the landed-weeks sensor uses: a week's windows, its SITS snapshot, the week after);
- no returned workbook for an earlier (or the same) week has landed (its contacts show in the week);
- no privacy request, suppression, rectification or purge has been recorded (these may change any
  week, so any of them makes every week unbuilt);
- no other kind of landed file (conservatively: it makes every week unbuilt).

A re-run of `leap backfill` builds only the other weeks; `--rebuild` builds them all.
"""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import PurePosixPath

import dagster as dg
import duckdb

from leap_assets.ingestion.touched import weeks_touched
from leap_assets.partitions import partitions_start
from leap_assets.transform.project import MANIFEST

MODELS_TAG = "leap/models"
SOURCES = ("sits", "seats", "moodle", "schools")
# Tables whose change can alter any week, and the column saying when each row was written.
ANY_WEEK_CHANGES = {
    "privacy_state": "updated_at",
    "privacy_requests": "processed_at",
    "suppression_list": "added_at",
    "rectifications": "applied_at",
    "purges": "purged_at",
}
RUNS_LOOKED_AT = 5000


def models_version() -> str:
    """A fingerprint of the parsed dbt project: re-parsed when a model, seed or macro changes."""
    return hashlib.sha256(MANIFEST.read_bytes()).hexdigest()[:16] if MANIFEST.exists() else "unparsed"


@dataclass(frozen=True)
class WeekBuilt:
    week: date
    run_id: str
    started: datetime


def last_runs(instance: dg.DagsterInstance, weeks: Iterable[date]) -> dict[date, dg.RunRecord]:
    """The newest weekly_job run that covered each of `weeks` (weeks never run are absent)."""
    from orchestration.runs.status import run_weeks

    wanted = {week.isoformat(): week for week in weeks}
    newest: dict[date, dg.RunRecord] = {}
    for record in instance.get_run_records(filters=dg.RunsFilter(job_name="weekly_job"), limit=RUNS_LOOKED_AT):
        for key in run_weeks(record.dagster_run.tags):  # records come newest first
            if key in wanted and wanted[key] not in newest:
                newest[wanted[key]] = record
    return newest


def built_weeks(instance: dg.DagsterInstance, con: duckdb.DuckDBPyConnection, weeks: list[date]) -> list[WeekBuilt]:
    """The weeks of `weeks` already built from the current data and models, oldest first."""
    version = models_version()
    candidates = []
    for week, record in last_runs(instance, weeks).items():
        run = record.dagster_run
        if run.status != dg.DagsterRunStatus.SUCCESS or run.tags.get(MODELS_TAG) != version or not record.start_time:
            continue
        candidates.append(WeekBuilt(week, run.run_id, datetime.fromtimestamp(record.start_time, UTC)))
    if not candidates:
        return []
    changes = _changes_since(con, min(c.started for c in candidates))
    touched = _Touched(con)
    return sorted(
        (c for c in candidates if not touched.week(c.week, [what for at, what in changes if at >= c.started])),
        key=lambda c: c.week,
    )


def already_built(weeks: list[date]) -> list[WeekBuilt]:
    """`built_weeks` in LEAP's instance and warehouse."""
    from leap_assets.settings import settings
    from leap_assets.warehouse.db import connect
    from orchestration.runs.instance import instance

    if not weeks or not settings().warehouse.exists():
        return []
    with connect(settings().warehouse, read_only=True) as con:
        return built_weeks(instance(), con, weeks)


def _changes_since(con: duckdb.DuckDBPyConnection, since: datetime) -> list[tuple[datetime, str]]:
    """(when, what) of every landed file and privacy or retention record written since `since`."""
    changes = con.execute("select landed_at, path from meta.landed_files where landed_at >= ?", [since]).fetchall()
    tables = con.execute("select table_name from duckdb_tables() where schema_name = 'meta'").fetchall()
    for table, column in ANY_WEEK_CHANGES.items():
        if (table,) in tables:
            sql = f"select max({column}) from meta.{table} where {column} >= ?"
            newest = con.execute(sql, [since]).fetchone()[0]
            if newest is not None:
                changes.append((newest, f"meta.{table}"))
    return [(at.astimezone(UTC), what) for at, what in changes]


class _Touched:
    """Whether changes can alter a week; the weeks a set of landed files touches are read once."""

    def __init__(self, con: duckdb.DuckDBPyConnection):
        self.con = con
        self.by_files: dict[frozenset[str], set[date]] = {}

    def week(self, week: date, changes: list[str]) -> bool:
        files = set()
        for what in changes:
            parts = PurePosixPath(what).parts
            if what.startswith("meta.") or parts[0] not in (*SOURCES, "returns"):
                return True
            if parts[0] != "returns":
                files.add(what)
            elif len(parts) < 2 or not _is_date(parts[1]) or date.fromisoformat(parts[1]) <= week:
                return True
        if not files:
            return False
        key = frozenset(files)
        if key not in self.by_files:
            first = date.fromisoformat(partitions_start())
            self.by_files[key] = set(weeks_touched(self.con, sorted(files), date.today(), first))
        return week in self.by_files[key]


def _is_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True
