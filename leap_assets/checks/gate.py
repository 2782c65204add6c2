"""The quality gate (validity.md): which school reports a week's failed blocking checks hold back.

A blocking check that fails on a row of a metrics frame (a module's attendance, a school's coverage)
holds the schools that row feeds; one that fails on a whole source or the mart holds every school.
Every other school is published. The verdict per week and school goes to `marts.report_status`:

- `published`: no blocking check failed for the school;
- `held`: the checks, what they observed and their thresholds, in words (counts only);
- `released`: held, but a named person released it (`leap quality release`) for exactly these
  observations. A release is recorded in `meta.quality_releases` with the `evidence` it covers (a
  hash of the failing observations), so new data that changes them runs the gate again.

A hold is not a failed run: the run succeeds, records the hold and raises an alert.
"""

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import duckdb
import pandas as pd

from expectations.runner import ResultRecord
from leap_assets.checks.weekly import WEEKLY_CHECKS, Validation, failures
from leap_assets.quality.settings import QualitySettings

STATUS_TABLE = "marts.report_status"
RELEASES_TABLE = "meta.quality_releases"
DDL = (
    f"""
    create table if not exists {STATUS_TABLE} (
        week_start date not null,
        school varchar not null,
        status varchar not null,
        checks varchar,
        observed varchar,
        threshold varchar,
        evidence varchar,
        settings_version varchar not null,
        decided_at timestamptz not null,
        released_by varchar,
        release_reason varchar,
        released_at timestamptz
    )
    """,
    f"""
    create table if not exists {RELEASES_TABLE} (
        released_at timestamptz not null,
        week_start date not null,
        school varchar not null,
        released_by varchar not null,
        reason varchar not null,
        checks varchar not null,
        observed varchar,
        evidence varchar not null,
        run_id varchar
    )
    """,
)


@dataclass(frozen=True)
class Hold:
    """One failed blocking check, as it concerns one school."""

    check: str
    observed: str
    threshold: str


@dataclass
class SchoolStatus:
    week: date
    school: str
    status: str  # published | held | released
    holds: list[Hold] = field(default_factory=list)
    evidence: str | None = None
    released_by: str | None = None
    release_reason: str | None = None

    @property
    def checks(self) -> str:
        return ", ".join(dict.fromkeys(h.check for h in self.holds))

    @property
    def observed(self) -> str:
        return "; ".join(dict.fromkeys(h.observed for h in self.holds))

    @property
    def threshold(self) -> str:
        return "; ".join(dict.fromkeys(h.threshold for h in self.holds))


def ensure_tables(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("create schema if not exists marts")
    con.execute("create schema if not exists meta")
    for ddl in DDL:
        con.execute(ddl)


def holds_by_school(
    records: Sequence[ResultRecord],
    validations: dict[str, Validation],
    schools: Sequence[str],
    quality: QualitySettings,
) -> dict[str, list[Hold]]:
    """Every school of the week with the holds of the blocking checks that failed for it."""
    everyone = list(schools)
    holds: dict[str, list[Hold]] = {school: [] for school in everyone}
    for check in WEEKLY_CHECKS:
        if not quality.blocks(check.name):
            continue
        for record in failures(list(records), check.suites):
            item = validations.get(record.suite)
            if record.unexpected_keys and item is not None and item.key is not None:
                for key in record.unexpected_keys:
                    affected = item.schools_of(key)
                    hit = everyone if affected is None else [s for s in everyone if s in affected]
                    for school in hit:
                        holds[school].append(Hold(check.name, item.describe(key), record.description))
            else:
                observed = f"{record.suite}: {record.observed_value}"
                for school in everyone:
                    holds[school].append(Hold(check.name, observed, record.description))
    return holds


def evidence(holds: Sequence[Hold]) -> str | None:
    """What a release of these holds covers: a hash of the failing observations."""
    if not holds:
        return None
    items = sorted({(h.check, h.observed) for h in holds})
    return hashlib.sha256(json.dumps(items).encode("utf-8")).hexdigest()[:16]


def record_week(
    con: duckdb.DuckDBPyConnection, week: date, holds: dict[str, list[Hold]], settings_version: str
) -> tuple[list[SchoolStatus], list[SchoolStatus]]:
    """Decide and store every school's status for the week, in one transaction. Returns the statuses and
    those held anew (not held for the same observations before), whose alerts are due."""
    ensure_tables(con)
    before = {s.school: s for s in week_status(con, week)}
    releases = _releases(con, week)
    statuses = []
    for school in sorted(holds):
        items = holds[school]
        proof = evidence(items)
        if not items:
            statuses.append(SchoolStatus(week, school, "published"))
            continue
        release = releases.get((school, proof))
        if release:
            statuses.append(SchoolStatus(week, school, "released", items, proof, *release))
        else:
            statuses.append(SchoolStatus(week, school, "held", items, proof))
    new = [
        s
        for s in statuses
        if s.status == "held"
        and not (s.school in before and before[s.school].status == "held" and before[s.school].evidence == s.evidence)
    ]
    decided = datetime.now(UTC)
    frame = pd.DataFrame(
        [
            (week, s.school, s.status, s.checks or None, s.observed or None, s.threshold or None, s.evidence,
             settings_version, decided, s.released_by, s.release_reason, None)
            for s in statuses
        ],
        columns=["week_start", "school", "status", "checks", "observed", "threshold", "evidence",
                 "settings_version", "decided_at", "released_by", "release_reason", "released_at"],
    )  # fmt: skip
    con.execute("begin transaction")
    try:
        con.execute(f"delete from {STATUS_TABLE} where week_start = ?", [week])
        if not frame.empty:
            con.register("gate_statuses", frame)
            con.execute(f"insert into {STATUS_TABLE} by name select * from gate_statuses")
            con.unregister("gate_statuses")
        con.execute(
            f"""
            update {STATUS_TABLE} as s set released_at = r.released_at
            from (select school, evidence, max(released_at) as released_at from {RELEASES_TABLE}
                  where week_start = ? group by all) as r
            where s.week_start = ? and s.status = 'released' and s.school = r.school and s.evidence = r.evidence
            """,
            [week, week],
        )
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    return statuses, new


def _releases(con: duckdb.DuckDBPyConnection, week: date) -> dict[tuple[str, str], tuple[str, str]]:
    rows = con.execute(
        f"select school, evidence, released_by, reason from {RELEASES_TABLE} where week_start = ? order by released_at",
        [week],
    ).fetchall()
    return {(school, proof): (by, reason) for school, proof, by, reason in rows}


def _exists(con: duckdb.DuckDBPyConnection, qualified: str) -> bool:
    schema, name = qualified.split(".")
    found = con.execute(
        "select count(*) from information_schema.tables where table_schema = ? and table_name = ?", [schema, name]
    ).fetchone()[0]
    return bool(found)


def week_status(con: duckdb.DuckDBPyConnection, week: date) -> list[SchoolStatus]:
    """The stored status of every school of the week (empty when the gate has not judged it)."""
    if not _exists(con, STATUS_TABLE):
        return []
    rows = con.execute(
        f"""
        select school, status, checks, observed, threshold, evidence, released_by, release_reason
        from {STATUS_TABLE} where week_start = ? order by school
        """,
        [week],
    ).fetchall()
    statuses = []
    for school, status, checks, observed, threshold, proof, by, reason in rows:
        holds = [Hold(c, observed or "", threshold or "") for c in (checks or "").split(", ") if c]
        statuses.append(SchoolStatus(week, school, status, holds, proof, by, reason))
    return statuses


def held_schools(con: duckdb.DuckDBPyConnection, week: date) -> dict[str, SchoolStatus]:
    """The schools whose report of the week is held back."""
    return {s.school: s for s in week_status(con, week) if s.status == "held"}


def record_release(
    con: duckdb.DuckDBPyConnection, week: date, schools: Sequence[str], by: str, reason: str, run_id: str | None
) -> list[SchoolStatus]:
    """Record the release of these held schools of the week, for the observations they are held on."""
    ensure_tables(con)
    held = held_schools(con, week)
    released = [held[s] for s in schools if s in held]
    now = datetime.now(UTC)
    con.execute("begin transaction")
    try:
        for status in released:
            con.execute(
                f"insert into {RELEASES_TABLE} values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [now, week, status.school, by, reason, status.checks, status.observed, status.evidence, run_id],
            )
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    return released


def releases_between(con: duckdb.DuckDBPyConnection, first: date, last: date) -> pd.DataFrame:
    """Releases of report weeks in [first, last] (who, when, week, school, checks, reason)."""
    if not _exists(con, RELEASES_TABLE):
        return pd.DataFrame(columns=["released_at", "week_start", "school", "released_by", "reason", "checks"])
    return con.execute(
        f"""
        select released_at, week_start, school, released_by, reason, checks from {RELEASES_TABLE}
        where week_start between ? and ? order by released_at
        """,
        [first, last],
    ).df()
