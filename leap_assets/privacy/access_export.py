"""The access export (governance.md): everything LEAP holds about a student, as JSON and a workbook.

Written to `LEAP_PUBLISH/privacy/access/<request>/`, a folder for the data protection officer to
send on; an erasure of the same student later deletes it.
"""

import json
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb

from leap_assets.privacy.holdings import Person, held_rows, published_files
from leap_assets.reporting.files import staged
from leap_assets.reporting.slug import inside, slug

SHEET_LIMIT = 31  # Excel's limit on sheet names


def access_folder(publish: Path, request_id: str) -> Path:
    return inside(publish, "privacy", "access", slug(request_id))


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
        layers[table] = [dict(zip(columns, map(_plain, row), strict=True)) for row in rows]
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
    name = f"access-{slug(request_id)}"
    json_path, book_path = folder / f"{name}.json", folder / f"{name}.xlsx"
    with staged(json_path, book_path) as (json_tmp, book_tmp):
        json_tmp.write_text(json.dumps(document, indent=2, ensure_ascii=False), encoding="utf-8")
        _workbook(document, book_tmp)
    return {
        "files": [json_path.relative_to(publish).as_posix(), book_path.relative_to(publish).as_posix()],
        "rows": {table: len(rows) for table, rows in layers.items()},
        "published_files": len(files),
    }


def _workbook(document: dict, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    about = book.active
    about.title = "About"
    about.append(["Access export", document["request_id"]])
    about.append(["Student ID", document["student_id"]])
    about.append(["Generated at (UTC)", document["generated_at"]])
    about.append([document["what_this_is"]])
    about.append([])
    about.append(["Table", "Rows"])
    for table, rows in document["layers"].items():
        about.append([table, len(rows)])
    about.append([])
    about.append(["Published files holding the student"])
    for rel in document["published_files"]:
        about.append([rel])
    for table, rows in document["layers"].items():
        sheet = book.create_sheet(table[:SHEET_LIMIT])
        columns = list(rows[0]) if rows else []
        sheet.append(columns)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([json.dumps(v) if isinstance(v, list) else v for v in row.values()])
    book.save(path)
