"""Rewrite files without the rows of given people, keeping every other byte as it was.

Used by erasure (the landed and published files that hold an erased student) and at ingestion (a file
landing later that still holds a suppressed student is rewritten before it is loaded). A rewrite goes
to a temporary name in the same folder and is renamed over the original, so a crash leaves the old
file or the new one.
"""

import csv
import os
import re
from collections.abc import Callable, Iterable
from pathlib import Path

from leap_assets.permissions import private_file
from leap_assets.writing.cells import csv_value

# (kind, value) pairs: kind `student` is a SITS STUDENT_ID, `moodle` a Moodle user id.
Ids = Callable[[dict[str, str]], Iterable[tuple[str, str]]]

_LINES = re.compile(r"(?<=\n)")


def _student(row: dict[str, str]) -> Iterable[tuple[str, str]]:
    if row.get("student_id"):
        yield "student", row["student_id"]
    if (row.get("property_name") or "").upper() == "STUDENT_ID" and row.get("property_value"):
        yield "student", row["property_value"]  # stafflink: a tutor's link to this student
    if (row.get("domain") or "").upper() == "VLE" and row.get("identifier"):
        yield "moodle", row["identifier"]  # studentidmap


def _moodle(row: dict[str, str]) -> Iterable[tuple[str, str]]:
    for column in ("userid", "relateduserid"):
        if row.get(column) not in (None, "", "NULL", "\\N"):
            yield "moodle", row[column]


def text_format(rel: str) -> tuple[str, bool, Ids] | None:
    """(delimiter, quoted, ids of a row) for a landed path LEAP manages, else None."""
    top = rel.split("/", 1)[0]
    if rel.endswith(".tsv") and top in ("sits", "seats"):
        return "\t", False, _student
    if rel.endswith(".csv") and top == "moodle":
        return ",", True, _moodle
    if rel.endswith(".csv") and top == "schools":
        return ",", True, _student
    return None


def scrub_text(
    path: Path,
    delimiter: str,
    quoted: bool,
    ids: Ids,
    drop: Callable[[str, str], bool],
    needles: Iterable[bytes] = (),
) -> int:
    """Remove the records any of whose ids `drop` says to remove; returns how many were removed.

    `needles`, when given, are byte strings one of which occurs in the text of every record to remove
    (the ids themselves): a file holding none of them is not parsed at all, and a record holding none
    of them is kept without looking at its fields.
    """
    data = path.read_bytes()
    needles = list(needles)
    if needles and not any(needle in data for needle in needles):
        return 0
    texts = [needle.decode("utf-8") for needle in needles]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return 0  # not UTF-8: ingestion rejects it whole and loads nothing from it
    lines = _LINES.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    if not lines:
        return 0
    reader = csv.reader(iter(lines), delimiter=delimiter, quoting=csv.QUOTE_MINIMAL if quoted else csv.QUOTE_NONE)
    try:
        header = [name.strip().lstrip("\ufeff").lower() for name in next(reader)]
    except (StopIteration, csv.Error):
        return 0
    kept = lines[: reader.line_num]
    removed = 0
    consumed = reader.line_num
    while True:
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error:
            kept.extend(lines[consumed : reader.line_num])  # unreadable: left for ingestion to quarantine
            consumed = reader.line_num
            continue
        physical = lines[consumed : reader.line_num]
        consumed = reader.line_num
        if texts and not any(text in line for line in physical for text in texts):
            kept.extend(physical)
            continue
        row = dict(zip(header, record, strict=False))
        if any(drop(kind, value) for kind, value in ids(row)):
            removed += 1
        else:
            kept.extend(physical)
    if removed:
        replace_bytes(path, "".join(kept).encode("utf-8"))
    return removed


def replace_bytes(path: Path, data: bytes) -> None:
    temporary = path.with_name(f".{path.name}.scrub-tmp")
    temporary.write_bytes(data)
    private_file(temporary)  # a rewritten landed file holds personal data: the owner's only
    os.replace(temporary, path)


def scrub_csv_twin(path: Path, student_ids: set[str]) -> int:
    """A published CSV (header `Student ID`) without the given students' rows."""
    return scrub_text(path, ",", True, _published_ids, lambda kind, value: value in student_ids)


def _published_ids(row: dict[str, str]) -> Iterable[tuple[str, str]]:
    if row.get("student id"):
        yield "student", csv_value(row["student id"])


def scrub_workbook(path: Path, drop: Callable[[str, str], bool], sheet: str = "Engagement") -> int:
    """A report-shaped workbook (returned or a published view) without the rows of the given students."""
    from openpyxl import load_workbook

    book = load_workbook(path)
    if sheet not in book.sheetnames:
        return 0
    rows = book[sheet]
    header = [str(cell.value or "").strip().lower() for cell in rows[1]]
    if "student id" not in header:
        return 0
    column = header.index("student id") + 1
    doomed = [
        index
        for index in range(2, rows.max_row + 1)
        if rows.cell(index, column).value is not None and drop("student", str(rows.cell(index, column).value).strip())
    ]
    for index in reversed(doomed):
        rows.delete_rows(index)
    if doomed:
        temporary = path.with_name(f".{path.name}.scrub-tmp")
        book.save(temporary)
        private_file(temporary)
        os.replace(temporary, path)
    return len(doomed)
