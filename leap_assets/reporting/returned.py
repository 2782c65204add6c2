"""Reading a returned report workbook by header name: the contact cells of every row, with their cell
references, and what its About sheet says. A workbook that is not a LEAP report is rejected whole.

Inputs have limits (operations.md): a file larger than LEAP_RETURN_MAX_MB, or whose parts would
expand to many times that (a zip bomb), is rejected before it is opened; the sheet is read in
streaming mode (openpyxl read_only) and reading stops as soon as it has more rows than the school's
report of that week plus 100. Formulas are read as formulas, never evaluated: the caller quarantines
a contact cell holding one."""

import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from leap_assets.reporting.columns import ABOUT_SHEET, SHEET
from leap_assets.sources.contracts import RETURN_REQUIRED_HEADERS
from leap_assets.sources.reading import FileRejected

REQUIRED = list(RETURN_REQUIRED_HEADERS)
HEADER_SEARCH_ROWS = 10  # the header is row 1 as published; a row or two inserted above is tolerated
ABOUT_ROWS = 200  # the About sheet as published has about 60 lines
EXTRA_ROWS = 100  # rows a return may have beyond its report's (operations.md)
# A report's parts expand about five to ten times when unzipped; far more is a zip bomb.
EXPANSION = 10


@dataclass
class ReturnedRow:
    line: int  # the sheet's row number
    student_id: str | None
    cells: dict[str, object]  # contact header -> value as stored
    refs: dict[str, str]  # header -> cell reference, e.g. "Engagement!W7"
    formulas: list[str] = field(default_factory=list)  # headers whose cell holds a formula (value None)

    @property
    def is_empty(self) -> bool:
        """A row whose contact columns are all empty is not a contact."""
        blank = all(v is None or (isinstance(v, str) and not v.strip()) for v in self.cells.values())
        return blank and not self.formulas


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


def check_size(path: Path, label: str, max_mb: float) -> None:
    """Reject a file larger than the limit, or whose zip parts would expand far beyond it."""
    limit = max_mb * 1_000_000
    size = path.stat().st_size
    if size > limit:
        raise FileRejected(
            f"{label}: the workbook is {size / 1e6:.1f} MB, more than LEAP_RETURN_MAX_MB allows ({max_mb:g} MB)"
        )
    try:
        with zipfile.ZipFile(path) as archive:
            expanded = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise FileRejected(f"{label}: not a readable Excel workbook (.xlsx)") from None
    if expanded > EXPANSION * limit:
        raise FileRejected(
            f"{label}: the workbook would expand to {expanded / 1e6:.0f} MB when opened, more than "
            f"{EXPANSION} times LEAP_RETURN_MAX_MB ({max_mb:g} MB): rejected unread"
        )


def read_return(path: Path, label: str, max_mb: float, row_limit: Callable[[Returned], int]) -> Returned:
    """The rows and About facts of a returned workbook; FileRejected when it is not a LEAP report or
    breaks a limit. `row_limit` gets the About facts and says how many rows the return may have."""
    check_size(path, label, max_mb)
    try:
        book = load_workbook(path, read_only=True, data_only=False)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError):
        raise FileRejected(f"{label}: not a readable Excel workbook (.xlsx)") from None
    try:
        if SHEET not in book.sheetnames:
            raise FileRejected(f"{label}: not a LEAP Student Engagement Report: it has no sheet {SHEET!r}")
        returned = Returned()
        if ABOUT_SHEET in book.sheetnames:
            about = book[ABOUT_SHEET].iter_rows(max_row=ABOUT_ROWS, max_col=2, values_only=True)
            facts = {_key(r[0]): r[1] for r in about if r and r[0]}
            returned.school = _text_id(facts.get("school"))
            returned.week = _as_date(facts.get("week starting"))
        returned.rows = _rows(book[SHEET], label, row_limit(returned))
        return returned
    finally:
        book.close()


def _rows(sheet, label: str, limit: int) -> list[ReturnedRow]:
    rows = sheet.iter_rows()
    columns: dict[str, int] = {}
    header_line = 0
    for header_line, cells in enumerate(rows, start=1):
        names = [_key(c.value) for c in cells]
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
    for line, cells in enumerate(rows, start=header_line + 1):
        picked = {h: (cells[i] if i < len(cells) else None) for h, i in columns.items()}
        if all(c is None or c.value is None for c in picked.values()):
            continue
        if len(found) >= limit:
            raise FileRejected(
                f"{label}: more than {limit} rows ({limit - EXTRA_ROWS} in the school's report of that week "
                f"plus {EXTRA_ROWS}), so it is not a returned report: rejected whole"
            )
        formulas = [h for h, c in picked.items() if c is not None and c.data_type == "f"]
        cell = {h: (None if c is None or h in formulas else c.value) for h, c in picked.items()}
        found.append(
            ReturnedRow(
                line=line,
                student_id=_text_id(cell.pop("Student ID")),
                cells=cell,
                refs={h: f"{SHEET}!{letters[h]}{line}" for h in REQUIRED},
                formulas=formulas,
            )
        )
    return found
