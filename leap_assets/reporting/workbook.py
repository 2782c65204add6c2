"""The report workbook (outputs.md): sheet Engagement with fills, drop-downs and protection, and its
CSV twin. Pure formatting: the rows and facts come from report_data."""

import textwrap
from datetime import date, timedelta
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
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
)
from leap_assets.writing.cells import put_row
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
    _engagement(sheet, rows, report_date)
    write_about(book, about)
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
    # Guards against slips, not people: no password; filtering and resizing stay allowed.
    sheet.protection.sheet = True
    sheet.protection.autoFilter = False
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def _format_cells(sheet: Worksheet, last: int, contact_columns: set[int]) -> None:
    rag_columns = {HEADERS.index(h) + 1 for h in RAG_HEADERS}
    score_columns = {HEADERS.index(h) + 1 for h in SCORE_HEADERS}
    date_columns = {HEADERS.index(h) + 1 for h in DATE_HEADERS}
    opted = HEADERS.index("Opted out of support") + 1
    wrapped = {HEADERS.index(h) + 1 for h in WRAPPED}
    unlocked = Protection(locked=False)
    for row in sheet.iter_rows(min_row=2, max_row=last):
        for cell in row:
            col = cell.column
            cell.alignment = TOP
            if col == 1:
                cell.number_format = "@"  # ids are text: leading zeros kept
            if col in rag_columns and cell.value in RAG_FILLS:
                cell.fill = PatternFill("solid", start_color=RAG_FILLS[cell.value])
                cell.alignment = Alignment(horizontal="center", vertical="top")
            elif col in score_columns:
                cell.number_format = "0.0"
            if col in date_columns:
                cell.number_format = DATE_FORMAT
            if col == opted and cell.value == DO_NOT_CONTACT:
                cell.font = Font(bold=True)
            if col in wrapped:
                cell.alignment = WRAP_TOP
            if col in contact_columns:
                cell.protection = unlocked
                cell.fill = CONTACT_FILL
        sheet.row_dimensions[row[0].row].height = LINE_HEIGHT * _lines(sheet, row, wrapped)


def _lines(sheet: Worksheet, row: tuple, wrapped: set[int]) -> int:
    """Lines the row's wrapped cells need: set explicitly, as not every spreadsheet program re-measures
    row heights when it opens a file."""
    lines = 1
    for col in wrapped:
        value = row[col - 1].value
        if isinstance(value, str) and value:
            # Upper-case codes are wider than the digit a column's width is measured in.
            width = max(1, int(sheet.column_dimensions[row[col - 1].column_letter].width * 0.85))
            lines = max(lines, len(textwrap.wrap(value, width=width, break_on_hyphens=False)))
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
