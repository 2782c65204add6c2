"""SITS student records: `landing/sits/<YYYY-MM-DD>/<file>.tsv`, each folder one complete snapshot.

References cross the files of an extract (a student quarantined in student.tsv does not exist for the
others), so an extract is landed as a whole: when any of its files is new or changed, every file of
the folder is read, validated and reloaded in one transaction, with one registry row per file.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pandas as pd

from leap_assets.ingestion.landed import (
    LandedFile,
    Outcome,
    QuarantineLog,
    file_sha256,
    forget_file,
    insert_frame,
    pending,
    record,
    report_landed,
)
from leap_assets.ingestion.layout import extracts, files_of
from leap_assets.ingestion.sits_rules import KEYS, REQUIRED, RULES, Known, SitsValidator, optional, typed
from leap_assets.sources.reading import FileRejected, read_all
from leap_assets.warehouse.schema import SITS_REQUIRED_FILES, SITS_TABLES

SOURCE = "sits"


@dataclass
class ExtractFile:
    """One file of an extract on its way in: rows are None until validated, and stay None if rejected."""

    name: str
    landed: LandedFile
    outcome: Outcome
    quarantine: QuarantineLog
    frame: pd.DataFrame | None = None
    rows: pd.DataFrame | None = None


def ingest(con: duckdb.DuckDBPyConnection, landing: Path, timezone: str) -> list[Outcome]:
    """Land every SITS extract folder with a new or changed file, each as a whole snapshot."""
    folders = extracts(landing)
    changed = pending(con, landing, [path for folder in folders.values() for path in files_of(folder)])
    if not changed:
        return []
    touched = {landed.path.parent for landed in changed}
    fresh = {landed.rel: landed.sha256 for landed in changed}
    outcomes = []
    for day, folder in sorted(folders.items()):
        if folder in touched:
            landed = land_extract(con, landing, day, folder, fresh, timezone)
            for outcome in landed:
                report_landed(outcome)
            outcomes += landed
    return outcomes


def land_extract(
    con: duckdb.DuckDBPyConnection,
    landing: Path,
    day: date,
    folder: Path,
    fresh: dict[str, str],
    timezone: str,
) -> list[Outcome]:
    """Reload one extract folder atomically: the folder-level counterpart of registry.land_file.

    A file rejected whole loads nothing (not even what its path loaded before: the extract is one
    snapshot) and is recorded as rejected; the other files still load.
    """
    files = _read(con, landing, day, folder, fresh)
    _validate(files, day, timezone)
    rels = [f"{folder.relative_to(landing).as_posix()}/{name}.tsv" for name in SITS_TABLES]
    absent = [rel for rel in rels if rel not in {f.landed.rel for f in files.values()}]
    con.begin()
    try:
        forget_file(con, rels)
        # A file gone from a reloaded folder no longer belongs to its snapshot.
        con.execute("delete from meta.landed_files where path in (select unnest(?))", [absent])
        for file in files.values():
            if file.rows is not None:
                file.outcome.rows_loaded = insert_frame(con, f"sits_{file.name}", file.rows)
            file.quarantine.write(con)
            file.outcome.rows_quarantined = file.quarantine.count(loaded=False)
            record(con, file.outcome)
        _record_completeness(con, day, files)
        con.commit()
    except BaseException:
        con.rollback()
        raise
    return [file.outcome for file in files.values()]


def _read(
    con: duckdb.DuckDBPyConnection, landing: Path, day: date, folder: Path, fresh: dict[str, str]
) -> dict[str, ExtractFile]:
    """Read every known file of the folder as text; a file breaking the contract whole is rejected."""
    paths = files_of(folder)
    rels = [path.relative_to(landing).as_posix() for path in paths]
    # Files not in `fresh` are unchanged since they were landed: the registry holds their hash
    # (a file that appeared since `pending` looked is hashed here).
    known = dict(
        con.execute("select path, sha256 from meta.landed_files where path in (select unnest(?))", [rels]).fetchall()
    )
    files = {}
    for path, rel in zip(paths, rels, strict=True):
        name = path.stem
        landed = LandedFile(path=path, rel=rel, sha256=fresh.get(rel) or known.get(rel) or file_sha256(path))
        file = ExtractFile(
            name=name,
            landed=landed,
            outcome=Outcome(rel=rel, source=SOURCE, sha256=landed.sha256),
            quarantine=QuarantineLog(SOURCE, rel),
        )
        try:
            header, chunk = read_all(
                path, rel, required=REQUIRED[name], optional=optional(name), delimiter="\t", quoted=False
            )
        except FileRejected as rejection:
            file.outcome.status = "rejected"
            file.outcome.message = str(rejection)
        else:
            file.outcome.extra_columns = header.extra_columns
            file.outcome.newest_data_date = day
            file.quarantine.bad_rows(chunk.bad_rows)
            columns = [column for column, _ in SITS_TABLES[name]]
            file.frame = chunk.frame.reindex(columns=[*columns, "_source_line"])
        files[name] = file
    return files


def _validate(files: dict[str, ExtractFile], day: date, timezone: str) -> None:
    """Validate the files in dependency order: only a file's loaded rows exist for the files after it.

    A referenced file that is missing counts as empty, except staff.tsv, which is optional and only
    checked against when it loaded. A file rejected whole is reported once: the rows that refer to
    it (or to rows withheld for it) are withheld, counted in their file's message, not quarantined
    one by one (the extract is incomplete, so none of them could have been used).
    """
    known: dict[str, Known] = {name: Known() for name in KEYS if name != "staff"}
    for name, rule in RULES.items():
        file = files.get(name)
        if file is None or file.frame is None:
            if file is not None and name in known:
                known[name] = Known(rejected=f"{name}.tsv")
            continue
        validator = SitsValidator(file.frame, file.quarantine)
        rule(validator, known, timezone)
        rows = typed(name, validator.valid())
        if name in KEYS:
            withheld = validator.frame.loc[validator.withheld, KEYS[name]].dropna()
            known[name] = Known(loaded=set(rows[KEYS[name]]), withheld=set(withheld), causes=validator.causes)
        if validator.withheld.any():
            rejected = ", ".join(sorted(validator.causes))
            count = int(validator.withheld.sum())
            file.outcome.message = f"{count} row(s) not loaded: they depend on {rejected}, rejected whole (see there)"
        file.rows = rows.assign(extract_date=day, _source_file=file.landed.rel)


def _record_completeness(con: duckdb.DuckDBPyConnection, day: date, files: dict[str, ExtractFile]) -> None:
    """Whether the extract may be used for any week: its six required files present and not rejected."""
    missing = [f"{name}.tsv" for name in SITS_REQUIRED_FILES if name not in files]
    rejected = [f"{name}.tsv" for name, file in files.items() if file.outcome.status == "rejected"]
    complete = not missing and not any(
        files[name].outcome.status == "rejected" for name in SITS_REQUIRED_FILES if name in files
    )
    con.execute("delete from raw.sits_extracts where extract_date = ?", [day])
    con.execute(
        "insert into raw.sits_extracts (extract_date, is_complete, missing_files, rejected_files, loaded_at)"
        " values (?, ?, ?, ?, ?)",
        [day, complete, ", ".join(missing) or None, ", ".join(rejected) or None, datetime.now(UTC)],
    )
