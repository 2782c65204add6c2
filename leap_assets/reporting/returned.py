"""Reading a returned report workbook by header name: the contact cells of every row, with their cell
references, and what its About sheet says. A workbook that is not a LEAP report is rejected whole."""

import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from leap_assets.ingestion.reading import FileRejected
from leap_assets.reporting.columns import ABOUT_SHEET, CONTACT, SHEET

REQUIRED = ["Student ID", *CONTACT]
HEADER_SEARCH_ROWS = 10  # the header is row 1 as published; a row or two inserted above is tolerated


@dataclass
class ReturnedRow:
    line: int  # the sheet's row number
    student_id: str | None
    cells: dict[str, object]  # contact header -> value as stored
    refs: dict[str, str]  # header -> cell reference, e.g. "Engagement!W7"

    @property
    def is_empty(self) -> bool:
        """A row whose contact columns are all empty is not a contact."""
        return all(v is None or (isinstance(v, str) and not v.strip()) for v in self.cells.values())


@dataclass
class Returned:
    school: str | None = None
    week: date | None = None
    rows: list[ReturnedRow] = field(default_factory=list)


def _key(value) -> str:
    return str(value).strip().casefold() if value is not None else ""


def _text_id(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


def _as_date(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip()[:10]) if value is not None else None
    except ValueError:
        return None


def read_return(path: Path, label: str) -> Returned:
    """The rows and About facts of a returned workbook; FileRejected when it is not a LEAP report."""
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError):
        raise FileRejected(f"{label}: not a readable Excel workbook (.xlsx)") from None
    try:
        if SHEET not in book.sheetnames:
            raise FileRejected(f"{label}: not a LEAP Student Engagement Report: it has no sheet {SHEET!r}")
        returned = Returned(rows=_rows(book[SHEET], label))
        if ABOUT_SHEET in book.sheetnames:
            facts = {_key(r[0]): r[1] for r in book[ABOUT_SHEET].iter_rows(max_col=2, values_only=True) if r[0]}
            returned.school = _text_id(facts.get("school"))
            returned.week = _as_date(facts.get("week starting"))
        return returned
    finally:
        book.close()


def _rows(sheet, label: str) -> list[ReturnedRow]:
    rows = sheet.iter_rows(values_only=True)
    columns: dict[str, int] = {}
    header_line = 0
    for header_line, values in enumerate(rows, start=1):
        names = [_key(v) for v in values]
        if "student id" in names:
            columns = {h: names.index(h.casefold()) for h in REQUIRED if h.casefold() in names}
            break
        if header_line >= HEADER_SEARCH_ROWS:
            break
    missing = [h for h in REQUIRED if h not in columns]
    if missing:
        raise FileRejected(
            f"{label}: not a LEAP Student Engagement Report: sheet {SHEET!r} has no column(s) {', '.join(missing)}"
        )
    letters = {h: get_column_letter(i + 1) for h, i in columns.items()}
    found = []
    for line, values in enumerate(rows, start=header_line + 1):
        cell = {h: (values[i] if i < len(values) else None) for h, i in columns.items()}
        if all(v is None for v in cell.values()):
            continue
        found.append(
            ReturnedRow(
                line=line,
                student_id=_text_id(cell.pop("Student ID")),
                cells=cell,
                refs={h: f"{SHEET}!{letters[h]}{line}" for h in REQUIRED},
            )
        )
    return found
