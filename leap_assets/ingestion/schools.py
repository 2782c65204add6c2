"""School-kept online-only lists: `landing/schools/online_only_<name>.csv`, each path one list."""

from pathlib import Path

import duckdb

from leap_assets.ingestion.landed import (
    LandedFile,
    Outcome,
    QuarantineLog,
    insert_frame,
    land_file,
    pending,
)
from leap_assets.ingestion.layout import school_lists
from leap_assets.ingestion.validate import Validator
from leap_assets.sources.contracts import SCHOOLS
from leap_assets.sources.reading import read_all

SOURCE = "schools"
REQUIRED, OPTIONAL = list(SCHOOLS.required), list(SCHOOLS.optional)


def candidates(landing: Path) -> list[Path]:
    return school_lists(landing)


def known_students(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Students known to SITS: present in any extract, complete or not."""
    return {row[0] for row in con.execute("select distinct student_id from raw.sits_student").fetchall()}


def ingest(con: duckdb.DuckDBPyConnection, landing: Path, timezone: str) -> list[Outcome]:
    """Land every new or changed online-only list; new content at a path replaces that list."""
    files = pending(con, landing, candidates(landing))
    if not files:
        return []
    known = known_students(con)
    return [land_file(con, SOURCE, landed, _loader(landed, known)) for landed in files]


def _loader(landed: LandedFile, known: set[str]):
    def load(con: duckdb.DuckDBPyConnection, quarantine: QuarantineLog, outcome: Outcome) -> None:
        header, chunk = read_all(
            landed.path, landed.rel, required=REQUIRED, optional=OPTIONAL, delimiter=",", quoted=True
        )
        outcome.extra_columns = header.extra_columns
        quarantine.bad_rows(chunk.bad_rows)
        frame = chunk.frame.reindex(columns=[*REQUIRED, *OPTIONAL, "_source_line"])
        rows = (
            Validator(frame, quarantine)
            .required("student_id", "from_date")
            .date("from_date", required=True)
            .date("to_date", required=False)
            .exists("student_id", known, "unknown student: no SITS extract knows STUDENT_ID")
            .valid()
        )
        rows = rows.assign(list_name=landed.path.name, _source_file=landed.rel)
        outcome.rows_loaded = insert_frame(con, "schools_online_only", rows)
        dates = rows["from_date"].dropna()
        outcome.newest_data_date = max(dates) if len(dates) else None

    return load
