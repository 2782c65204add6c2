"""The report workbook (outputs.md): sheet Engagement with fills, drop-downs and protection, and its
CSV twin. Pure formatting: the rows and facts come from report_data."""

import textwrap
from datetime import date, timedelta
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Protection, Side
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from leap_assets.reporting.about import write_about
from leap_assets.reporting.columns import (
    CHOICES,
    CONTACT,
    CONTACT_DAYS,
    DATE_HEADERS,
    DO_NOT_CONTACT,
    HEADERS,
    RAG_HEADERS,
    SCORE_HEADERS,
    SHEET,
    letter,
    reason_text,
)
from leap_assets.writing.cells import put_row, storable
from leap_assets.writing.cells import write_csv as write_cells_csv

RAG_FILLS = {"Red": "F4A3A3", "Amber": "FFD37F", "Green": "A9D8A0", "No data": "D9D9D9"}
HEADER_FILL = PatternFill("solid", start_color="DCE6F1")
CONTACT_HEADER_FILL = PatternFill("solid", start_color="FFE699")
CONTACT_FILL = PatternFill("solid", start_color="FFF8DC")
THIN = Side(style="thin", color="BFBFBF")
# Wide enough that no header word is split, narrow enough that the figures up to Reasons fit one
# screen at the sheet's zoom; the student's id and name stay frozen while scrolling to the contact columns.
WIDTHS = {
    "Student ID": 11,
    "Last name": 14,
    "First name": 12,
    "Department": 16,
    "Course": 26,
    "Level": 6,
    "Online only": 8,
    "Attendance RAG": 11,
    "Online RAG": 10,
    "Combined RAG": 10,
    "Previous week": 10,
    "Change": 9,
    "Reasons": 44,
    "Opted out of support": 22,
    "Last contact": 11,
    "Contacted": 11,
    "Contact date": 11,
    "Contact method": 15,
    "Outcome": 24,
    "Follow-up needed": 10,
    "Notes": 30,
}
FIGURE_WIDTH = 12
WRAPPED = {"Course", "Reasons", "Opted out of support", "Notes"}
TOP = Alignment(vertical="top")
WRAP_TOP = Alignment(wrap_text=True, vertical="top")
LINE_HEIGHT = 15  # points per line of the default 11-point font
DATE_FORMAT = "yyyy-mm-dd"


def contact_window(report_date: date) -> tuple[date, date]:
    """The dates a contact may carry: the report date and the four weeks after it."""
    return report_date, report_date + timedelta(days=CONTACT_DAYS)


def build_workbook(rows: list[list], report_date: date, about: list[tuple]) -> Workbook:
    """A report workbook: `rows` are display rows in HEADERS order; `about` the About sheet's lines."""
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    reasons = HEADERS.index("Reasons")
    rows = [[*values[:reasons], reason_text(values[reasons]), *values[reasons + 1 :]] for values in rows]
    _engagement(sheet, rows, report_date)
    write_about(book, about)
    for each in book.worksheets:
        _print_header_footer(each, print_title(about))
    book.properties.title = "Student Engagement Report"
    book.properties.creator = "LEAP"
    return book


def _engagement(sheet: Worksheet, rows: list[list], report_date: date) -> None:
    line = put_row(sheet, 1, HEADERS)
    for values in rows:
        line = put_row(sheet, line, values)
    last = len(rows) + 1
    contact_columns = {HEADERS.index(h) + 1 for h in CONTACT}
    for col, header in enumerate(HEADERS, start=1):
        cell = sheet.cell(row=1, column=col)
        cell.font = Font(bold=True)
        cell.fill = CONTACT_HEADER_FILL if col in contact_columns else HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        cell.border = Border(bottom=THIN)
        sheet.column_dimensions[letter(header)].width = WIDTHS.get(header, FIGURE_WIDTH)
    sheet.row_dimensions[1].height = 45
    _format_cells(sheet, last, contact_columns)
    _validations(sheet, last, report_date)
    sheet.freeze_panes = "D2"  # the header row, and the student's id and name while scrolling right
    sheet.sheet_view.zoomScale = 85
    sheet.auto_filter.ref = f"A1:{letter(HEADERS[-1])}{last}"
    # Guards against slips, not people: no password; filtering, sorting and resizing stay allowed (Excel
    # still sorts only unlocked cells on a protected sheet: the About sheet says how to sort the figures).
    sheet.protection.sheet = True
    sheet.protection.autoFilter = False
    sheet.protection.sort = False
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def _format_cells(sheet: Worksheet, last: int, contact_columns: set[int]) -> None:
    """Each data cell gets one named style, made once per distinct look: setting a cell's alignment,
    fill, font and protection one by one cost openpyxl a style lookup each (10 of the 17 s a
    5,000-student school's workbook took)."""
    wrapped = {HEADERS.index(h) + 1 for h in WRAPPED}
    looks = _Looks(sheet, contact_columns)
    for row in sheet.iter_rows(min_row=2, max_row=last):
        for cell in row:
            cell.style = looks.name(cell.column, cell.value)
        sheet.row_dimensions[row[0].row].height = LINE_HEIGHT * _lines(sheet, row, wrapped)


class _Looks:
    """The named styles of the Engagement sheet's data cells: one per column kind and, in the RAG and
    opt-out columns, per value (its fill, or bold for "Do not contact")."""

    def __init__(self, sheet: Worksheet, contact_columns: set[int]) -> None:
        self.book = sheet.parent
        self.contact = contact_columns
        self.rag = {HEADERS.index(h) + 1 for h in RAG_HEADERS}
        self.score = {HEADERS.index(h) + 1 for h in SCORE_HEADERS}
        self.dates = {HEADERS.index(h) + 1 for h in DATE_HEADERS}
        self.opted = HEADERS.index("Opted out of support") + 1
        self.wrapped = {HEADERS.index(h) + 1 for h in WRAPPED}
        self.names: dict[tuple, str] = {}

    def name(self, col: int, value) -> str:
        rag = value if col in self.rag and value in RAG_FILLS else None
        look = (
            "id" if col == 1 else "score" if col in self.score and not rag else None,
            "date" if col in self.dates else None,
            rag,
            col == self.opted and value == DO_NOT_CONTACT,
            col in self.wrapped,
            col in self.contact,
        )
        if look not in self.names:
            self.names[look] = self._add(look)
        return self.names[look]

    def _add(self, look: tuple) -> str:
        kind, date_kind, rag, bold, wrap, contact = look
        style = NamedStyle(name=f"LEAP report {len(self.names) + 1}")
        style.alignment = WRAP_TOP if wrap else Alignment(horizontal="center", vertical="top") if rag else TOP
        number_format = {"id": "@", "score": "0.0"}.get(kind or "", "General")
        style.number_format = DATE_FORMAT if date_kind else number_format  # ids are text: leading zeros kept
        if rag:
            style.fill = PatternFill("solid", start_color=RAG_FILLS[rag])
        if bold:
            style.font = Font(bold=True)
        if contact:
            style.protection = Protection(locked=False)
            style.fill = CONTACT_FILL
        self.book.add_named_style(style)
        return style.name


def print_title(about: list[tuple]) -> str:
    """Whose report and which week, from the About sheet's lines: `School: X, week starting 2026-10-12`."""
    facts = [line[1:3] for line in about if line[0] == "fact"]
    week = dict(facts).get("Week starting", "")
    scope = next((f"{key}: {value}" for key, value in facts if key not in ("Week", "Week starting")), "")
    return f"{scope}, week starting {week}" if scope else f"Week starting {week}"


def _print_header_footer(sheet: Worksheet, title: str) -> None:
    """Every printed page says whose report and which week it is, its page number, and the policy's
    reminder. `&` starts a printer code in a header, so text from data has it doubled; control characters
    the file cannot hold are dropped, as in cells."""
    sheet.oddHeader.left.text = "Student Engagement Report"
    sheet.oddHeader.right.text = storable(title)[:120].replace("&", "&&")
    sheet.oddFooter.left.text = "Page &P of &N"
    sheet.oddFooter.right.text = "Support, never punish"


def _lines(sheet: Worksheet, row: tuple, wrapped: set[int]) -> int:
    """Lines the row's wrapped cells need: set explicitly, as not every spreadsheet program re-measures
    row heights when it opens a file."""
    lines = 1
    for col in wrapped:
        value = row[col - 1].value
        if isinstance(value, str) and value:
            # Upper-case codes are wider than the digit a column's width is measured in.
            width = max(1, int(sheet.column_dimensions[row[col - 1].column_letter].width * 0.85))
            wrapped_lines = sum(
                max(1, len(textwrap.wrap(part, width=width, break_on_hyphens=False))) for part in value.split("\n")
            )
            lines = max(lines, wrapped_lines)
    return lines


def _validations(sheet: Worksheet, last: int, report_date: date) -> None:
    if last < 2:
        return
    for header, choices in CHOICES.items():
        rule = DataValidation(
            type="list",
            formula1='"' + ",".join(choices) + '"',
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=header,
            error=f"Choose one of: {', '.join(choices)}.",
        )
        _apply(sheet, rule, header, last)
    first, final = contact_window(report_date)
    rule = DataValidation(
        type="date",
        operator="between",
        formula1=f"DATE({first.year},{first.month},{first.day})",
        formula2=f"DATE({final.year},{final.month},{final.day})",
        allow_blank=True,
        showErrorMessage=True,
        showInputMessage=True,
        errorTitle="Contact date",
        error=f"Enter a date from {first} to {final} (the four weeks after the report date).",
        promptTitle="Contact date",
        prompt=f"A date from {first} to {final}.",
    )
    _apply(sheet, rule, "Contact date", last)


def _apply(sheet: Worksheet, rule: DataValidation, header: str, last: int) -> None:
    column = letter(header)
    rule.add(f"{column}2:{column}{last}")
    sheet.add_data_validation(rule)


def write_csv(path: Path, rows: list[list]) -> None:
    """The CSV twin of the Engagement sheet: same header and cells, UTF-8, RFC 4180 quoting."""
    write_cells_csv(path, HEADERS, rows)
