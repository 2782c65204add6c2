"""The suppression list at work: erased students never come back, whatever lands or is restored.

The list is kept twice, in `meta.suppression_list` and in a file beside the installation secret
(`keys.py`), and the two are merged on every privacy run. Files landing later are rewritten without
suppressed students before they are loaded; rows of suppressed students found in the warehouse (a
restored backup) are erased again.
"""

import csv
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from leap_assets.privacy.erasure import Certificate, erase_rows
from leap_assets.privacy.holdings import Person, student_tables
from leap_assets.privacy.keys import Keyed, new_token, remember_on_disk, suppressed_on_disk
from leap_assets.privacy.scrub import scrub_text, scrub_workbook, text_format
from leap_assets.writing.cells import csv_value


def suppressed(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {row[0] for row in con.execute("select id_hmac from meta.suppression_list").fetchall()}


def merge_lists(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Make the warehouse table and the file hold the same hashes; returns them."""
    in_table, on_disk = suppressed(con), suppressed_on_disk()
    now = datetime.now(UTC)
    for digest in sorted(on_disk - in_table):
        con.execute("insert or ignore into meta.suppression_list values (?, 'restored', ?)", [digest, now])
    remember_on_disk(in_table)
    return in_table | on_disk


class IngestScrubber:
    """Rewrites a file about to be landed without the rows of suppressed students."""

    def __init__(self, con: duckdb.DuckDBPyConnection):
        self.hashes = suppressed(con) | suppressed_on_disk()
        self.keyed = Keyed() if self.hashes else None

    def __call__(self, path: Path, rel: str) -> int:
        if not self.hashes:
            return 0

        def drop(kind: str, value: str) -> bool:
            return self.keyed(kind, value) in self.hashes

        fmt = text_format(rel)
        if fmt is not None:
            return scrub_text(path, *fmt, drop=drop)
        if rel.startswith("returns/") and path.suffix == ".xlsx":
            return scrub_workbook(path, drop)
        return 0


def erase_restored(con: duckdb.DuckDBPyConnection, hashes: set[str]) -> int:
    """Erase again any suppressed student found in the warehouse; returns rows removed or anonymised."""
    if not hashes:
        return 0
    keyed = Keyed()
    ids: set[str] = set()
    for table in student_tables(con):
        values = con.execute(f"select distinct student_id from {table} where student_id is not null").fetchall()
        ids |= {v for (v,) in values if keyed("student", v) in hashes}
    moodle = con.execute("select distinct userid from raw.moodle_log").fetchall()
    orphans = [u for (u,) in moodle if keyed("moodle", u) in hashes]
    removed = 0
    for student_id in sorted(ids):
        mapped = con.execute(
            "select distinct identifier from raw.sits_studentidmap where student_id = ? and upper(domain) = 'VLE'",
            [student_id],
        ).fetchall()
        certificate = Certificate(request_id="suppression", token=new_token())
        erase_rows(con, Person(student_id, tuple(m for (m,) in mapped), ()), certificate.token, certificate)
        removed += sum(sum(t.values()) for t in certificate.tables.values())
    if orphans:
        result = con.execute("delete from raw.moodle_log where userid in (select unnest(?))", [orphans]).fetchone()
        removed += int(result[0])
    return removed


def weeks_holding(publish: Path, hashes: set[str]) -> list[str]:
    """Report weeks whose published CSVs still list a suppressed student (re-publish them)."""
    if not hashes or not publish.exists():
        return []
    keyed = Keyed()
    weeks = set()
    for path in publish.glob("*/*/student-engagement_*.csv"):
        with path.open(encoding="utf-8-sig", newline="") as handle:
            for row in csv.DictReader(handle):
                if keyed("student", csv_value(row.get("Student ID") or "").strip()) in hashes:
                    weeks.add(path.relative_to(publish).parts[0])
                    break
    return sorted(weeks)
