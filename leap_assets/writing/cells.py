"""Text from data is only ever text (outputs.md): the one place every workbook and CSV writer of LEAP
puts a value, so that a name such as `=HYPERLINK(...)` or `=cmd|' /C calc'!A0` stays a name.

Workbooks: openpyxl turns any string starting with `=` into a formula; `put` stores it as a string
cell instead, and drops the control characters that the file format cannot hold (openpyxl would
raise on them, so one odd byte in a name would stop a whole week's reports). `write_value` does the
same for XlsxWriter, which writes the weekly reports: text only ever through `write_string`.
CSV: the OWASP rule, a leading `'` before a text starting with `=`, `+`, `-`, `@`, tab or CR.
"""

import csv
import math
import numbers
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def storable(text: str) -> str:
    """Text without the control characters a workbook's XML cannot hold (a cell, a print header)."""
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def put(sheet: Worksheet, row: int, column: int, value):
    """Write `value` to a cell: numbers, dates and booleans as themselves, any text as a string cell."""
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, str):
        value = storable(value)
        cell.value = value
        cell.data_type = "s"  # never "f": text from data is not a formula
    else:
        cell.value = value
    return cell


def write_value(sheet: Any, row: int, column: int, value, style: Any = None) -> None:
    """Write `value` to an XlsxWriter worksheet's cell (row and column from 0) in `style`: numbers,
    dates and booleans as themselves, any text as a string cell, nothing (an empty text, a number that
    is not one) as a blank cell that still carries the style."""
    if value is None or (isinstance(value, numbers.Real) and not math.isfinite(value)):
        sheet.write_blank(row, column, None, style)
    elif isinstance(value, bool):
        sheet.write_boolean(row, column, value, style)
    elif isinstance(value, numbers.Real):
        sheet.write_number(row, column, value, style)
    elif isinstance(value, date):
        sheet.write_datetime(row, column, value, style)
    elif text := storable(str(value)):
        sheet.write_string(row, column, text, style)
    else:
        sheet.write_blank(row, column, None, style)  # an empty text is no value, as openpyxl writes it


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
