"""The landed-file registry and the quarantine: which bytes were loaded from which path, and which
rows broke the contract. Each file is landed in one transaction, so a crash leaves it all or nothing."""

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pandas as pd

from leap_assets.ingestion.identity import file_sha256, vouching_stat
from leap_assets.privacy.guard import IngestScrubber
from leap_assets.progress import report
from leap_assets.sources.reading import BadRow, FileRejected
from leap_assets.warehouse.schema import RAW_TABLES


@dataclass(frozen=True)
class LandedFile:
    path: Path
    rel: str  # path relative to the landing zone, with forward slashes: the file's name everywhere
    sha256: str
    stat: tuple[int, int] | None = None  # (size, mtime_ns) before hashing, when old enough to vouch


@dataclass
class Outcome:
    rel: str
    source: str
    sha256: str
    status: str = "loaded"
    message: str | None = None
    rows_loaded: int = 0
    rows_quarantined: int = 0
    rows_filtered: int = 0
    rows_duplicate: int = 0
    extra_columns: list[str] = field(default_factory=list)
    newest_data_date: date | None = None


def pending(con: duckdb.DuckDBPyConnection, landing: Path, paths: list[Path]) -> list[LandedFile]:
    """The files whose bytes at that path have not been landed yet, in path order.

    A file whose size and mtime are those recorded when it was hashed is not hashed again, so a run
    costs the new files, not the whole history. A new file that holds a student on the suppression
    list (an erasure) is rewritten without them before it is hashed and loaded.
    """
    known = {
        path: (sha, (size, mtime))
        for path, sha, size, mtime in con.execute(
            "select path, sha256, size_bytes, mtime_ns from meta.landed_files"
        ).fetchall()
    }
    result = []
    scrub = IngestScrubber(con)
    for path in sorted(paths):
        rel = path.relative_to(landing).as_posix()
        stat = vouching_stat(path)
        known_sha, known_stat = known.get(rel, (None, None))
        if stat is not None and stat == known_stat:
            continue
        if scrub(path, rel):  # a file holding an erased student is rewritten without them first
            stat = vouching_stat(path)
        sha = file_sha256(path)
        if sha != known_sha:
            result.append(LandedFile(path=path, rel=rel, sha256=sha, stat=stat))
        elif stat is not None:
            con.execute("update meta.landed_files set size_bytes = ?, mtime_ns = ? where path = ?", [*stat, rel])
    return result


class QuarantineLog:
    """Quarantine records of one file, written with the file's rows in the same transaction."""

    def __init__(self, source: str, rel: str):
        self.source = source
        self.rel = rel
        self.frames: list[pd.DataFrame] = []

    def rows(
        self,
        frame: pd.DataFrame,
        mask: pd.Series,
        reason: str,
        *,
        field: str | None = None,
        loaded: bool = False,
    ) -> int:
        """Quarantine the rows of `frame` where `mask` holds; returns how many."""
        hits = frame[mask]
        if hits.empty:
            return 0
        data_columns = [c for c in hits.columns if not c.startswith("_")]
        records = [json.dumps(r, default=str) for r in hits[data_columns].to_dict("records")]
        student = hits["student_id"] if "student_id" in hits else pd.Series(None, index=hits.index)
        self.frames.append(
            pd.DataFrame(
                {
                    "_source_line": hits["_source_line"].astype("int64").to_numpy(),
                    "field": field,
                    "reason": reason,
                    "row_loaded": loaded,
                    "student_id": student.astype("object").to_numpy(),
                    "record": records,
                }
            )
        )
        return len(hits)

    def bad_rows(self, bad: list[BadRow]) -> int:
        if bad:
            self.frames.append(
                pd.DataFrame(
                    {
                        "_source_line": [b.line for b in bad],
                        "field": None,
                        "reason": [b.reason for b in bad],
                        "row_loaded": False,
                        "student_id": None,
                        "record": [b.record for b in bad],
                    }
                )
            )
        return len(bad)

    def count(self, loaded: bool) -> int:
        """Distinct lines quarantined (not loaded), or with a value nulled (loaded)."""
        lines = {line for f in self.frames for line in f.loc[f["row_loaded"] == loaded, "_source_line"].tolist()}
        return len(lines)

    def write(self, con: duckdb.DuckDBPyConnection) -> None:
        if not self.frames:
            return
        frame = pd.concat(self.frames, ignore_index=True)
        frame.insert(0, "source", self.source)
        frame.insert(1, "_source_file", self.rel)
        frame["quarantined_at"] = pd.Timestamp.now(tz="UTC")
        con.register("quarantine_frame", frame)
        con.execute("insert into quarantine.rows by name select * from quarantine_frame")
        con.unregister("quarantine_frame")


def insert_frame(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> int:
    """Append a frame to a raw table by column name."""
    if frame.empty:
        return 0
    con.register("insert_frame", frame)
    con.execute(f"insert into raw.{table} by name select * from insert_frame")
    con.unregister("insert_frame")
    return len(frame)


def forget_file(con: duckdb.DuckDBPyConnection, rels: list[str]) -> None:
    """Remove every row these paths loaded before (new bytes at a path replace the old)."""
    for table, columns in RAW_TABLES.items():
        if any(name == "_source_file" for name, _ in columns):
            con.execute(f"delete from raw.{table} where _source_file in (select unnest(?))", [rels])
    con.execute("delete from quarantine.rows where _source_file in (select unnest(?))", [rels])


def record(con: duckdb.DuckDBPyConnection, outcome: Outcome, stat: tuple[int, int] | None = None) -> None:
    """Record what landing a path did; `stat` is the LandedFile's, when it can vouch for the bytes."""
    size, mtime_ns = stat or (None, None)
    con.execute(
        """
        insert or replace into meta.landed_files
            (path, source, sha256, status, message, rows_loaded, rows_quarantined, rows_filtered,
             rows_duplicate, extra_columns, newest_data_date, landed_at, size_bytes, mtime_ns)
        values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
        [
            outcome.rel,
            outcome.source,
            outcome.sha256,
            outcome.status,
            outcome.message,
            outcome.rows_loaded,
            outcome.rows_quarantined,
            outcome.rows_filtered,
            outcome.rows_duplicate,
            ", ".join(outcome.extra_columns) or None,
            outcome.newest_data_date,
            datetime.now(UTC),
            size,
            mtime_ns,
        ],
    )


def land_file(
    con: duckdb.DuckDBPyConnection,
    source: str,
    landed: LandedFile,
    load: Callable[[duckdb.DuckDBPyConnection, QuarantineLog, Outcome], None],
) -> Outcome:
    """Land one file atomically: forget what its path loaded before, run `load`, record the outcome.

    `load` inserts rows, fills the outcome's counts and adds quarantine records; raising
    FileRejected rolls all of it back, keeps what the path loaded before, and records the rejection.
    """
    outcome = Outcome(rel=landed.rel, source=source, sha256=landed.sha256)
    quarantine = QuarantineLog(source, landed.rel)
    con.begin()
    try:
        forget_file(con, [landed.rel])
        load(con, quarantine, outcome)
        quarantine.write(con)
        outcome.rows_quarantined = quarantine.count(loaded=False)
        record(con, outcome, landed.stat)
        con.commit()
    except FileRejected as rejection:
        con.rollback()
        outcome = Outcome(
            rel=landed.rel, source=source, sha256=landed.sha256, status="rejected", message=str(rejection)
        )
        con.begin()
        record(con, outcome, landed.stat)
        con.commit()
    except BaseException:
        con.rollback()
        raise
    report_landed(outcome)
    return outcome


def report_landed(outcome: Outcome) -> None:
    """One progress line per landed file for the command that started the run (leap_assets/progress.py)."""
    if outcome.status == "rejected":
        report(f"  {outcome.rel}: rejected whole")
        return
    quarantined = f", {outcome.rows_quarantined:,} quarantined" if outcome.rows_quarantined else ""
    report(f"  {outcome.rel}: {outcome.rows_loaded:,} rows loaded{quarantined}")
