"""Retention (governance.md): find what has outlived its period, and purge it from every layer.

Plain functions of `today` (a date on the local calendar), so a test can move the clock. The purge
removes warehouse rows in one transaction that also records them in `meta.purges`, then removes the
landed and published files (recorded after they are gone): a crash between the two leaves files
that the check reports and the next purge removes. Counts only are recorded, never the removed data.

Deleting rows from DuckDB does not remove their bytes: CHECKPOINT rewrites only the row groups that
lost enough rows (others keep deleted rows behind a delete mask) and returns freed blocks to the
file's free list, where they keep their old contents until DuckDB reuses them; the file never
shrinks. So after a purge that removed rows, the warehouse is rewritten into a fresh file (COPY FROM
DATABASE) that replaces the old one, unless the retention file turns `compact_warehouse` off.
"""

import shutil
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb

from leap_assets.governance.retention_config import Retention
from leap_assets.governance.retention_rules import (
    FILE_TABLES,
    TABLE_RULES,
    ArchiveItem,
    landed_date,
    landing_items,
    publish_items,
)
from leap_assets.warehouse.db import compact, connect


@dataclass(frozen=True)
class Held:
    """What one target holds beyond its period (a check finding) or removed (a purge record)."""

    layer: str
    target: str
    cutoff: date  # the first day still kept
    rows: int = 0
    files: int = 0
    oldest: date | None = None  # the oldest day held beyond the period (check findings only)

    def as_dict(self) -> dict:
        found = asdict(self)
        return {k: str(v) if isinstance(v, date) else v for k, v in found.items() if v is not None}


def table_exists(con: duckdb.DuckDBPyConnection, qualified: str) -> bool:
    schema, table = qualified.split(".")
    found = con.execute(
        "select count(*) from duckdb_tables() where schema_name = ? and table_name = ?", [schema, table]
    ).fetchone()
    return bool(found and found[0])


def _overdue_tables(con: duckdb.DuckDBPyConnection, today: date, retention: Retention, timezone: str) -> list[Held]:
    found = []
    for rule in TABLE_RULES:
        if not table_exists(con, rule.table):
            continue
        cutoff = retention.cutoff(today, rule.layer, rule.target)
        rows, oldest = con.execute(
            f"select count(*), min({rule.day}) from {rule.table} where {rule.day} < $cutoff",
            rule.params(cutoff, timezone),
        ).fetchone()
        if rows:
            found.append(Held(rule.layer, rule.table, cutoff, rows=rows, oldest=oldest))
    return found


def _file_findings(con: duckdb.DuckDBPyConnection, today: date, retention: Retention) -> list[tuple[Held, list[str]]]:
    """Rows of tables that follow their landed file (quarantine, the landing registry) whose file's data
    date is before its cutoff: one finding per table and cutoff, with the paths it covers."""
    found = []
    for table, column in FILE_TABLES.items():
        layer = "quarantine" if table == "quarantine.rows" else "landing"
        expired: dict[date, dict[str, date]] = {}
        for (path,) in con.execute(f"select distinct {column} from {table}").fetchall():
            dated = landed_date(path)
            if dated is None:  # not a dated landed file (a school list, privacy requests): kept
                continue
            source, day = dated
            cutoff = retention.cutoff(today, layer, source if layer == "landing" else None)
            if day < cutoff:
                expired.setdefault(cutoff, {})[path] = day
        for cutoff, paths in sorted(expired.items()):
            (rows,) = con.execute(
                f"select count(*) from {table} where {column} in (select unnest(?::varchar[]))", [list(paths)]
            ).fetchone()
            found.append((Held(layer, table, cutoff, rows=rows, oldest=min(paths.values())), list(paths)))
    return found


def expired_items(landing: Path, publish: Path, today: date, retention: Retention) -> list[ArchiveItem]:
    """Landed and published files and folders that describe days before their cutoff."""
    items = [i for i in landing_items(landing) if i.day < retention.cutoff(today, "landing", i.target)]
    return items + [i for i in publish_items(publish) if i.day < retention.cutoff(today, "publish")]


def _group_items(items: list[ArchiveItem], today: date, retention: Retention) -> list[Held]:
    """One finding per landing folder (sits, seats, ...) or published week folder."""
    groups: dict[tuple[str, str], list[ArchiveItem]] = {}
    for item in items:
        name = f"landing/{item.target}" if item.layer == "landing" else f"publish/{item.target}"
        groups.setdefault((item.layer, name), []).append(item)
    return [
        Held(
            layer,
            name,
            retention.cutoff(today, layer, group[0].target if layer == "landing" else None),
            files=sum(i.files() for i in group),
            oldest=min(i.day for i in group),
        )
        for (layer, name), group in sorted(groups.items())
    ]


def overdue(
    warehouse: Path, landing: Path, publish: Path, today: date, retention: Retention, timezone: str
) -> list[Held]:
    """Everything held beyond its period on `today`: warehouse rows (read-only) and archive files."""
    found = []
    if warehouse.exists():
        with connect(warehouse, read_only=True) as con:
            found += _overdue_tables(con, today, retention, timezone)
            found += [held for held, _ in _file_findings(con, today, retention)]
    return found + _group_items(expired_items(landing, publish, today, retention), today, retention)


def purge(
    warehouse: Path, landing: Path, publish: Path, today: date, retention: Retention, timezone: str
) -> list[Held]:
    """Remove everything beyond its period and record it in meta.purges; returns what was removed."""
    purged_at = datetime.now(UTC)
    items = expired_items(landing, publish, today, retention)
    with connect(warehouse) as con:
        con.execute("begin transaction")
        try:
            removed = _delete_rows(con, today, retention, timezone)
            record(con, purged_at, removed)
            con.execute("commit")
        except BaseException:
            con.execute("rollback")
            raise
        files = _remove(items, today, retention)
        record(con, purged_at, files)
        con.execute("checkpoint")
        if retention.compact_warehouse and any(r.rows for r in removed):
            compact(con, warehouse)
    return removed + files


def _delete_rows(con: duckdb.DuckDBPyConnection, today: date, retention: Retention, timezone: str) -> list[Held]:
    removed = []
    for finding, paths in _file_findings(con, today, retention):
        column = FILE_TABLES[finding.target]
        con.execute(f"delete from {finding.target} where {column} in (select unnest(?::varchar[]))", [paths])
        removed.append(Held(finding.layer, finding.target, finding.cutoff, rows=finding.rows))
    for finding in _overdue_tables(con, today, retention, timezone):
        rule = next(r for r in TABLE_RULES if r.table == finding.target)
        con.execute(f"delete from {rule.table} where {rule.day} < $cutoff", rule.params(finding.cutoff, timezone))
        removed.append(Held(finding.layer, finding.target, finding.cutoff, rows=finding.rows))
    return removed


def _remove(items: list[ArchiveItem], today: date, retention: Retention) -> list[Held]:
    """Delete the expired files and folders; one record per landing source or published week."""
    records = _group_items(items, today, retention)
    for item in items:
        if item.path.is_dir() and not item.path.is_symlink():
            shutil.rmtree(item.path)
        else:
            item.path.unlink(missing_ok=True)
    return [Held(r.layer, r.target, r.cutoff, files=r.files) for r in records]


def record(con: duckdb.DuckDBPyConnection, purged_at: datetime, removed: list[Held]) -> None:
    """Append to meta.purges: counts only, never the removed values."""
    rows = [(purged_at, r.layer, r.target, r.cutoff, r.rows, r.files) for r in removed if r.rows or r.files]
    if rows:
        con.executemany("insert into meta.purges values (?, ?, ?, ?, ?, ?)", rows)
