"""The access export (governance.md): everything LEAP holds about a student, as JSON and a workbook.

Written to `LEAP_PUBLISH/privacy/access/<request name>/` (one folder per REQUEST_ID, never shared),
a folder for the data protection officer to send on; an erasure of the same student later deletes it.
The export holds data about that student only: an access-log entry that lists several students
appears with this student's id alone, and a quarantine record that merely contains the id inside
another value (`123` in `91234`) is not theirs.
"""

import json
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb

from leap_assets.privacy.holdings import Person, held_rows, published_files
from leap_assets.writing.cells import put, put_row
from leap_assets.writing.files import staged
from leap_assets.writing.names import inside, request_name

SHEET_LIMIT = 31  # Excel's limit on sheet names


def access_folder(publish: Path, request_id: str) -> Path:
    return inside(publish, "privacy", "access", request_name(request_id))


def _plain(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def export_access(con: duckdb.DuckDBPyConnection, publish: Path, request_id: str, who: Person) -> dict:
    """Write the export; returns a summary (paths and row counts per table) for the ledger."""
    layers = {}
    for table, columns, rows in held_rows(con, who):
        records = [_only_theirs(table, dict(zip(columns, map(_plain, row), strict=True)), who) for row in rows]
        if kept := [record for record in records if record is not None]:
            layers[table] = kept
    files = [p.relative_to(publish).as_posix() for p in published_files(publish, who)]
    document = {
        "request_id": request_id,
        "student_id": who.student_id,
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "what_this_is": "Every row LEAP holds about the student, by warehouse layer and table, "
        "and the published files that contain them.",
        "layers": layers,
        "published_files": files,
    }
    folder = access_folder(publish, request_id)
    name = f"access-{request_name(request_id)}"
    json_path, book_path = folder / f"{name}.json", folder / f"{name}.xlsx"
    with staged(json_path, book_path) as (json_tmp, book_tmp):
        json_tmp.write_text(json.dumps(document, indent=2, ensure_ascii=False), encoding="utf-8")
        _workbook(document, book_tmp)
    return {
        "files": [json_path.relative_to(publish).as_posix(), book_path.relative_to(publish).as_posix()],
        "rows": {table: len(rows) for table, rows in layers.items()},
        "published_files": len(files),
    }


def _only_theirs(table: str, record: dict, who: Person) -> dict | None:
    """The record as far as it is about this student, or None when it is not theirs at all."""
    if table == "meta.access_log":
        # The entry lists every student of the view: this student's id alone, no count of the others.
        record.pop("student_count", None)
        return {**record, "student_ids": [who.student_id]}
    if table == "quarantine.rows" and record.get("student_id") != who.student_id:
        try:
            values = json.loads(record.get("record") or "{}")
        except ValueError:
            values = {}
        mine = {who.student_id, *who.emails, *who.moodle_ids}
        held = {str(v).strip() for v in (values.values() if isinstance(values, dict) else [])}
        return record if held & mine else None
    return record


def _workbook(document: dict, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    about = book.active
    about.title = "About"
    line = put_row(about, 1, ["Access export", document["request_id"]])
    line = put_row(about, line, ["Student ID", document["student_id"]])
    line = put_row(about, line, ["Generated at (UTC)", document["generated_at"]])
    line = put_row(about, line, [document["what_this_is"]]) + 1
    line = put_row(about, line, ["Table", "Rows"])
    for table, rows in document["layers"].items():
        line = put_row(about, line, [table, len(rows)])
    line = put_row(about, line + 1, ["Published files holding the student"])
    for rel in document["published_files"]:
        line = put_row(about, line, [rel])
    for table, rows in document["layers"].items():
        sheet = book.create_sheet(table[:SHEET_LIMIT])
        columns = list(rows[0]) if rows else []
        for column, name in enumerate(columns, start=1):
            put(sheet, 1, column, name).font = Font(bold=True)
        for number, row in enumerate(rows, start=2):
            put_row(sheet, number, [json.dumps(v) if isinstance(v, list | dict) else v for v in row.values()])
    book.save(path)
