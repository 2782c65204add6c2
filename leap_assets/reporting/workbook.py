"""The report workbook (outputs.md): sheet Engagement with fills, drop-downs and protection, and its
CSV twin. Pure formatting: the rows and facts come from report_data.

Written with XlsxWriter, which streams the file about three times faster than openpyxl builds it
(a 5,108-student school: 0.9 s against 2.9 s); the tests read every property back with openpyxl.
"""

import textwrap
from datetime import date, timedelta
from pathlib import Path

import xlsxwriter

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
    reason_text,
)
from leap_assets.writing.cells import storable, write_value
from leap_assets.writing.cells import write_csv as write_cells_csv

RAG_FILLS = {"Red": "F4A3A3", "Amber": "FFD37F", "Green": "A9D8A0", "No data": "D9D9D9"}
HEADER_FILL = "DCE6F1"
CONTACT_HEADER_FILL = "FFE699"
CONTACT_FILL = "FFF8DC"
THIN = "BFBFBF"  # the header row's bottom border
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
LINE_HEIGHT = 15  # points per line of the default 11-point font
DATE_FORMAT = "yyyy-mm-dd"
TITLE = "Student Engagement Report"
# What never changes in a workbook's files, so a run's reports differ only in their content.
OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}


def contact_window(report_date: date) -> tuple[date, date]:
    """The dates a contact may carry: the report date and the four weeks after it."""
    return report_date, report_date + timedelta(days=CONTACT_DAYS)


def write_workbook(path: Path, rows: list[list], report_date: date, about: list[tuple]) -> None:
    """Write a report workbook to `path`: `rows` are display rows in HEADERS order; `about` the About
    sheet's lines."""
    book = xlsxwriter.Workbook(str(path), OPTIONS)
    try:
        sheet = book.add_worksheet(SHEET)
        reasons = HEADERS.index("Reasons")
        rows = [[*values[:reasons], reason_text(values[reasons]), *values[reasons + 1 :]] for values in rows]
        _engagement(book, sheet, rows, report_date)
        about_sheet = write_about(book, about)
        for each in (sheet, about_sheet):
            _print_header_footer(each, print_title(about))
        book.set_properties({"title": TITLE, "author": "LEAP"})
    finally:
        book.close()


def _engagement(book, sheet, rows: list[list], report_date: date) -> None:
    contact_columns = {HEADERS.index(h) for h in CONTACT}
    for col, header in enumerate(HEADERS):
        fill = CONTACT_HEADER_FILL if col in contact_columns else HEADER_FILL
        look = {"bold": True, "bg_color": f"#{fill}", "text_wrap": True, "valign": "top"}
        write_value(sheet, 0, col, header, book.add_format({**look, "bottom": 1, "bottom_color": f"#{THIN}"}))
        sheet.set_column(col, col, WIDTHS.get(header, FIGURE_WIDTH))
    sheet.set_row(0, 45)
    looks = _Looks(book, contact_columns)
    wrapped = [(HEADERS.index(h), WIDTHS.get(h, FIGURE_WIDTH)) for h in WRAPPED]
    for number, values in enumerate(rows, start=1):
        for col, value in enumerate(values):
            write_value(sheet, number, col, value, looks.format(col, value))
        sheet.set_row(number, LINE_HEIGHT * _lines(values, wrapped))
    last = len(rows)  # the last row, counted from 0
    _validations(sheet, last, report_date)
    sheet.freeze_panes(1, 3)  # the header row, and the student's id and name while scrolling right
    sheet.set_zoom(85)
    sheet.autofilter(0, 0, last, len(HEADERS) - 1)
    # Guards against slips, not people: no password; filtering, sorting and resizing stay allowed (Excel
    # still sorts only unlocked cells on a protected sheet: the About sheet says how to sort the figures).
    sheet.protect("", {"autofilter": True, "sort": True, "format_columns": True, "format_rows": True})
    sheet.repeat_rows(0)
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)


class _Looks:
    """The formats of the Engagement sheet's data cells: one per column kind and, in the RAG and opt-out
    columns, per value (its fill, or bold for "Do not contact"), made once per workbook."""

    def __init__(self, book, contact_columns: set[int]) -> None:
        self.book = book
        self.contact = contact_columns
        self.rag = {HEADERS.index(h) for h in RAG_HEADERS}
        self.score = {HEADERS.index(h) for h in SCORE_HEADERS}
        self.dates = {HEADERS.index(h) for h in DATE_HEADERS}
        self.opted = HEADERS.index("Opted out of support")
        self.wrapped = {HEADERS.index(h) for h in WRAPPED}
        self.formats: dict[tuple, object] = {}

    def format(self, col: int, value):
        rag = value if col in self.rag and value in RAG_FILLS else None
        look = (
            "id" if col == 0 else "score" if col in self.score and not rag else None,
            col in self.dates,
            rag,
            col == self.opted and value == DO_NOT_CONTACT,
            col in self.wrapped,
            col in self.contact,
        )
        if look not in self.formats:
            self.formats[look] = self._add(look)
        return self.formats[look]

    def _add(self, look: tuple):
        kind, dated, rag, bold, wrap, contact = look
        properties: dict = {"valign": "top"}
        if wrap:
            properties["text_wrap"] = True
        elif rag:
            properties["align"] = "center"
        number_format = {"id": "@", "score": "0.0"}.get(kind or "")  # ids are text: leading zeros kept
        if dated or number_format:
            properties["num_format"] = DATE_FORMAT if dated else number_format
        if rag:
            properties["bg_color"] = f"#{RAG_FILLS[rag]}"
        if bold:
            properties["bold"] = True
        if contact:
            properties["locked"] = False
            properties["bg_color"] = f"#{CONTACT_FILL}"
        return self.book.add_format(properties)


def print_title(about: list[tuple]) -> str:
    """Whose report and which week, from the About sheet's lines: `School: X, week starting 2026-10-12`."""
    facts = [line[1:3] for line in about if line[0] == "fact"]
    week = dict(facts).get("Week starting", "")
    scope = next((f"{key}: {value}" for key, value in facts if key not in ("Week", "Week starting")), "")
    return f"{scope}, week starting {week}" if scope else f"Week starting {week}"


def _print_header_footer(sheet, title: str) -> None:
    """Every printed page says whose report and which week it is, its page number, and the policy's
    reminder. `&` starts a printer code in a header, so text from data has it doubled; control characters
    the file cannot hold are dropped, as in cells."""
    right = storable(title)[:120].replace("&", "&&")
    sheet.set_header(f"&L{TITLE}&R{right}")
    sheet.set_footer("&LPage &P of &N&RSupport, never punish")


def _lines(values: list, wrapped: list[tuple[int, int]]) -> int:
    """Lines the row's wrapped cells need: set explicitly, as not every spreadsheet program re-measures
    row heights when it opens a file."""
    lines = 1
    for col, column_width in wrapped:
        value = values[col]
        if isinstance(value, str) and value:
            # Upper-case codes are wider than the digit a column's width is measured in.
            width = max(1, int(column_width * 0.85))
            wrapped_lines = sum(
                max(1, len(textwrap.wrap(part, width=width, break_on_hyphens=False))) for part in value.split("\n")
            )
            lines = max(lines, wrapped_lines)
    return lines


def _validations(sheet, last: int, report_date: date) -> None:
    if last < 1:
        return
    for header, choices in CHOICES.items():
        column = HEADERS.index(header)
        sheet.data_validation(1, column, last, column, {
            "validate": "list", "source": list(choices), "ignore_blank": True,
            "error_title": header, "error_message": f"Choose one of: {', '.join(choices)}.",
        })  # fmt: skip
    first, final = contact_window(report_date)
    column = HEADERS.index("Contact date")
    sheet.data_validation(1, column, last, column, {
        "validate": "date", "criteria": "between", "ignore_blank": True,
        "minimum": f"=DATE({first.year},{first.month},{first.day})",
        "maximum": f"=DATE({final.year},{final.month},{final.day})",
        "error_title": "Contact date",
        "error_message": f"Enter a date from {first} to {final} (the four weeks after the report date).",
        "input_title": "Contact date", "input_message": f"A date from {first} to {final}.",
    })  # fmt: skip


def write_csv(path: Path, rows: list[list]) -> None:
    """The CSV twin of the Engagement sheet: same header and cells, UTF-8, RFC 4180 quoting."""
    write_cells_csv(path, HEADERS, rows)
