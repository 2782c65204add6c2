"""SEAtS attendance (Jisc attendance TSV binding): `landing/seats/attendance_<YYYY-MM-DD>.tsv`.

Every valid row of every file is kept in raw.seats_attendance with its file date and line: a later
file (by the date in its name, then line order) corrects an earlier row of the same
(STUDENT_ID, EVENT_ID), and that is resolved in the dbt staging model, so raw keeps the evidence. For
the same reason a key repeated within one file is not a duplicate-key error: both rows load.
"""

from datetime import date
from pathlib import Path

import duckdb
import pandas as pd

from leap_assets.ingestion.landed import (
    LandedFile,
    Outcome,
    QuarantineLog,
    insert_frame,
    land_file,
    pending,
)
from leap_assets.ingestion.layout import SEATS_NAME, dated_files, name_date
from leap_assets.ingestion.validate import Validator
from leap_assets.sources.contracts import SEATS
from leap_assets.sources.reading import read_rows

SOURCE = "seats"
TABLE = "seats_attendance"
NAME = SEATS_NAME
REQUIRED, OPTIONAL = list(SEATS.required), list(SEATS.optional)
FLAG = {"0", "1"}
FLAG_COLUMNS = ("event_mandatory", "event_attended", "attendance_late")
CATEGORIES = {"P", "L", "A", "X", "C"}


def file_date(path: Path) -> date | None:
    return name_date(path, NAME)


def candidates(landing: Path) -> list[Path]:
    return dated_files(landing / "seats", NAME)


def ingest(con: duckdb.DuckDBPyConnection, landing: Path, timezone: str) -> list[Outcome]:
    """Land every new or changed attendance file; new bytes at a path replace that path's rows."""
    files = pending(con, landing, candidates(landing))
    return [land_file(con, SOURCE, landed, _loader(landed, timezone)) for landed in files]


def _loader(landed: LandedFile, timezone: str):
    produced = file_date(landed.path)

    def load(con: duckdb.DuckDBPyConnection, quarantine: QuarantineLog, outcome: Outcome) -> None:
        header, chunks = read_rows(
            landed.path, landed.rel, required=REQUIRED, optional=OPTIONAL, delimiter="\t", quoted=False
        )
        outcome.extra_columns = header.extra_columns
        newest: list[date] = []
        for chunk in chunks:
            quarantine.bad_rows(chunk.bad_rows)
            rows = _validate(chunk.frame, quarantine, timezone)
            rows = rows.assign(file_date=produced, _source_file=landed.rel)
            outcome.rows_loaded += insert_frame(con, TABLE, rows)
            dates = rows["start_date"].dropna()
            if len(dates):
                newest.append(max(dates))
        outcome.newest_data_date = max(newest, default=None)

    return load


def _validate(frame: pd.DataFrame, quarantine: QuarantineLog, timezone: str) -> pd.DataFrame:
    """The loadable rows of a chunk, typed; flags are matched exactly as `1`/`0`, then stored as INTEGER."""
    rows = (
        Validator(frame, quarantine)
        .required(*REQUIRED)
        .code("event_mandatory", FLAG, required=True)
        .timestamp("start_time", timezone, required=True, date_column="start_date")
        .code("event_attended", FLAG, required=True)
        .timestamp("end_time", timezone, required=False)
        .code("attendance_late", FLAG, required=False)
        .code("attendance_category", CATEGORIES, required=False)
        .valid()
    )
    flags = {name: pd.to_numeric(rows[name]).astype("Int64") for name in FLAG_COLUMNS}
    return rows.assign(**flags)
