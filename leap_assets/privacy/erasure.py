"""Erasure (governance.md): remove a student from every layer, landed file and published file.

Files first, then the warehouse in one transaction: a crash between the two leaves the request
unprocessed, and running it again finds the files already clean. Assessment marks (statutory) are kept
under a random token that is stored nowhere with the id. The caller compacts the warehouse afterwards
(DuckDB keeps deleted values in freed blocks until the file is rewritten) and re-publishes the weeks
whose reports held the student.
"""

import hashlib
import json
import os
import shutil
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from leap_assets.permissions import private_file
from leap_assets.privacy.holdings import SPECIAL, Person, published_files, student_tables, where_clause
from leap_assets.privacy.keys import Keyed
from leap_assets.privacy.scrub import scrub_csv_twin, scrub_text, scrub_workbook, text_format

ANONYMISED = {"raw.sits_studentassessmentinstance"}  # marks are kept, under the token


@dataclass
class Certificate:
    """What an erasure removed: tables, files and row counts; no personal data."""

    request_id: str
    token: str
    tables: dict[str, dict[str, int]] = field(default_factory=dict)
    landed_files: dict[str, int] = field(default_factory=dict)  # path -> rows removed
    published_files: dict[str, str] = field(default_factory=dict)  # path -> what was done
    unmanaged_files: list[str] = field(default_factory=list)  # landing files LEAP does not manage
    weeks_to_republish: list[str] = field(default_factory=list)
    residual_rows: int = 0
    rewritten: dict[str, str] = field(default_factory=dict)  # landed path -> sha256 after the rewrite

    @classmethod
    def resume(cls, journal: Path, request_id: str, token: str) -> "Certificate":
        """A fresh certificate, or the one an interrupted attempt at this request saved."""
        if not journal.exists():
            return cls(request_id=request_id, token=token)
        saved = json.loads(journal.read_text())
        return cls(
            request_id=request_id,
            token=saved["token"],
            landed_files=saved["landed_files"],
            published_files=saved["published_files"],
            unmanaged_files=saved["unmanaged_files"],
            weeks_to_republish=saved["weeks_to_republish"],
            rewritten=saved["rewritten"],
        )

    def save(self, journal: Path, rewritten: dict[str, str]) -> None:
        """Journal the file work done so far, before the warehouse transaction."""
        self.rewritten.update(rewritten)
        data = {
            "token": self.token,
            "landed_files": self.landed_files,
            "published_files": self.published_files,
            "unmanaged_files": sorted(set(self.unmanaged_files)),
            "weeks_to_republish": self.weeks_to_republish,
            "rewritten": self.rewritten,
        }
        temporary = journal.with_name(journal.name + ".tmp")
        temporary.write_text(json.dumps(data))
        private_file(temporary)
        os.replace(temporary, journal)

    def as_dict(self) -> dict:
        return {
            "request_id": self.request_id,
            "token": self.token,
            "tables": self.tables,
            "landed_files": self.landed_files,
            "published_files": self.published_files,
            "unmanaged_landing_files_still_holding_the_student": self.unmanaged_files,
            "weeks_to_republish": self.weeks_to_republish,
            "residual_rows": self.residual_rows,
            "rows_removed": sum(t.get("deleted", 0) for t in self.tables.values()),
            "rows_anonymised": sum(t.get("anonymised", 0) for t in self.tables.values()),
        }


def _needles(who: Person) -> list[bytes]:
    """Every record about the person holds one of these in its text (a superset test: parsed after)."""
    return [*who.needles, *(uid.encode() for uid in who.moodle_ids)]


def scrub_landing(landing: Path, who: Person, certificate: Certificate) -> dict[str, str]:
    """Rewrite every managed landed file without the person; returns rel -> new sha256."""
    ids = {("student", who.student_id), *(("moodle", uid) for uid in who.moodle_ids)}
    needles = _needles(who)
    rewritten: dict[str, str] = {}
    for path in sorted(p for p in landing.rglob("*") if p.is_file()):
        rel = path.relative_to(landing).as_posix()
        if rel.startswith("privacy/") or path.name.startswith("."):
            continue
        fmt = text_format(rel)
        if fmt is not None:
            removed = scrub_text(path, *fmt, drop=lambda kind, value: (kind, value) in ids, needles=needles)
        elif rel.startswith("returns/") and path.suffix == ".xlsx":
            removed = _workbook_holds(path, who) and scrub_workbook(path, lambda kind, v: v == who.student_id)
        else:
            if any(n in path.read_bytes() for n in who.needles):
                certificate.unmanaged_files.append(rel)
            continue
        if removed:
            certificate.landed_files[rel] = certificate.landed_files.get(rel, 0) + int(removed)
            rewritten[rel] = file_sha256(path)
    return rewritten


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _workbook_holds(path: Path, who: Person) -> bool:
    """Cheap test on the zipped XML (ids are text cells) before opening the workbook."""
    try:
        with zipfile.ZipFile(path) as archive:
            return any(
                who.student_id.encode() in archive.read(name)
                for name in archive.namelist()
                if name.endswith(".xml") and ("sharedStrings" in name or "/worksheets/" in name)
            )
    except (zipfile.BadZipFile, OSError):
        return False


def scrub_published(publish: Path, who: Person, certificate: Certificate, access_folders: list[Path]) -> None:
    """Views are scrubbed in place; the weeks whose reports hold the person are listed to re-publish."""
    weeks = set()
    for path in published_files(publish, who):
        rel = path.relative_to(publish).as_posix()
        parts = rel.split("/")
        if "views" in parts:
            removed = scrub_workbook(path, lambda kind, v: v == who.student_id) if path.suffix == ".xlsx" else 0
            removed = removed or (scrub_csv_twin(path, {who.student_id}) if path.suffix == ".csv" else 0)
            certificate.published_files[rel] = f"rows removed: {removed}"
        else:
            weeks.add(parts[0])
            certificate.published_files[rel] = "re-published without the student"
    for folder in access_folders:
        if folder.exists():
            shutil.rmtree(folder)
            certificate.published_files[folder.relative_to(publish).as_posix()] = "access export deleted"
    certificate.weeks_to_republish = sorted(weeks | set(certificate.weeks_to_republish))


def erase_rows(con: duckdb.DuckDBPyConnection, who: Person, token: str, certificate: Certificate) -> None:
    """Delete (or anonymise) every warehouse row about the person; run inside the caller's transaction."""
    for table in [*student_tables(con), *sorted(SPECIAL)]:
        condition, parameters = where_clause(table, who)
        if table == "meta.access_log":
            sql = (
                "update meta.access_log set student_ids = list_filter(student_ids, lambda s: s != ?), "
                f"student_count = student_count - 1 where {condition}"
            )
            count = _changed(con, sql, [who.student_id, *parameters])
            kind = "anonymised"
        elif table == "meta.privacy_requests" or table in ANONYMISED:
            column = "subject" if table == "meta.privacy_requests" else "student_id"
            count = _changed(con, f"update {table} set {column} = ? where {condition}", [token, *parameters])
            kind = "anonymised"
        else:
            count = _changed(con, f"delete from {table} where {condition}", parameters)
            kind = "deleted"
        if count:
            certificate.tables[table] = {kind: count}


def _changed(con: duckdb.DuckDBPyConnection, sql: str, parameters: list) -> int:
    result = con.execute(sql, parameters).fetchone()
    return int(result[0]) if result else 0


def record_rewritten(con: duckdb.DuckDBPyConnection, rewritten: dict[str, str]) -> None:
    """The registry vouches for the rewritten bytes, so they are not taken for a new delivery."""
    for rel, sha in rewritten.items():
        con.execute(
            "update meta.landed_files set sha256 = ?, size_bytes = null, mtime_ns = null where path = ?", [sha, rel]
        )


def suppress(con: duckdb.DuckDBPyConnection, who: Person, keyed: Keyed, request_id: str) -> set[str]:
    hashes = {keyed("student", who.student_id), *(keyed("moodle", uid) for uid in who.moodle_ids)}
    now = datetime.now(UTC)
    for digest in sorted(hashes):
        con.execute("insert or ignore into meta.suppression_list values (?, ?, ?)", [digest, request_id, now])
    return hashes


def residual_rows(con: duckdb.DuckDBPyConnection, who: Person) -> int:
    """Rows still naming the person in any text column of any layer (0 after an erasure)."""
    texts = [who.student_id, *who.emails]
    columns = con.execute(
        "select table_schema || '.' || table_name, column_name, data_type from information_schema.columns "
        "join information_schema.tables using (table_schema, table_name) where table_type = 'BASE TABLE' "
        "and table_schema in ('raw', 'quarantine', 'marts', 'meta') and data_type in ('VARCHAR', 'VARCHAR[]')"
    ).fetchall()
    total = 0
    for table, column, kind in columns:
        test = f'list_has_any("{column}", ?::varchar[])' if kind == "VARCHAR[]" else f'"{column}" in (select unnest(?))'
        total += con.execute(f"select count(*) from {table} where {test}", [texts]).fetchone()[0]
    return total
