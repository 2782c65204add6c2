"""Text from data is only ever text (outputs.md): the one place every workbook and CSV writer of LEAP
puts a value, so that a name such as `=HYPERLINK(...)` or `=cmd|' /C calc'!A0` stays a name.

Workbooks: openpyxl turns any string starting with `=` into a formula; `put` stores it as a string
cell instead, and drops the control characters that the file format cannot hold (openpyxl would
raise on them, so one odd byte in a name would stop a whole week's reports).
CSV: the OWASP rule, a leading `'` before a text starting with `=`, `+`, `-`, `@`, tab or CR.
"""

import csv
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def put(sheet: Worksheet, row: int, column: int, value):
    """Write `value` to a cell: numbers, dates and booleans as themselves, any text as a string cell."""
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.value = value
        cell.data_type = "s"  # never "f": text from data is not a formula
    else:
        cell.value = value
    return cell


def put_row(sheet: Worksheet, row: int, values: Iterable) -> int:
    """Write a row of values from column 1; returns the next row number."""
    for column, value in enumerate(values, start=1):
        put(sheet, row, column, value)
    return row + 1


def csv_text(value: str) -> str:
    """A text value as a CSV cell: a leading `'` where a spreadsheet would read a formula."""
    return "'" + value if value.startswith(FORMULA_START) else value


def csv_value(cell: str) -> str:
    """The text `csv_text` wrote: what readers of LEAP's own CSVs (erasure, the guard) compare."""
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(FORMULA_START) else cell


def csv_cell(value) -> str:
    """Any value as a CSV cell: numbers and dates as themselves, text by `csv_text`."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return f"{value:.1f}"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    return csv_text(str(value))


def write_csv(path: Path, header: list[str], rows: Iterable[Iterable]) -> None:
    """A CSV file LEAP publishes: UTF-8, RFC 4180 quoting, every cell through `csv_cell`."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([csv_cell(h) for h in header])
        writer.writerows([csv_cell(v) for v in values] for values in rows)
