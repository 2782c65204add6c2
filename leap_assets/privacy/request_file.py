"""`landing/privacy/requests.csv` record by record, keeping each record's own bytes (governance.md).

A malformed line (an unterminated quote, too many or too few fields) is quarantined with its line
number and never hides the lines after it: a record is read on from its first physical line only
while a quote is open, and when that record is broken, reading starts again on the next line. The
raw text of each record is kept, so that rewriting the file (an erasure replacing a STUDENT_ID with
its token) changes that record alone and keeps every other line byte for byte.
"""

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from leap_assets.sources.reading import FileRejected, Header, check_utf8, match_header
from leap_assets.sources.registry import allowed_fields

BOM = "\ufeff"


@dataclass
class Record:
    line: int  # first physical line (the header is line 1)
    raw: str  # the record's text as in the file, line endings included
    fields: list[str] | None  # None when the record is malformed
    problem: str | None = None


@dataclass
class RequestFile:
    bom: str
    header_raw: str
    header: Header
    records: list[Record]

    def text(self) -> str:
        return self.bom + self.header_raw + "".join(record.raw for record in self.records)


def _lines(text: str) -> list[str]:
    """Physical lines with their endings (LF, CRLF or CR), as csv itself splits them."""
    return io.StringIO(text, newline="").readlines()


def _parse(raw: str) -> list[str]:
    """One record's fields (RFC 4180); csv.Error when it is not one well-formed record."""
    rows = list(csv.reader(io.StringIO(raw, newline=""), strict=True))
    if len(rows) != 1:
        raise csv.Error("not one record")
    return rows[0]


def _open_quote(text: str) -> bool:
    """An odd number of `"` leaves a quoted field open (an escaped quote is `""`)."""
    return text.count('"') % 2 == 1


def read_file(path: Path, label: str, required: list[str], optional: list[str]) -> RequestFile:
    check_utf8(path, label)
    text = path.read_bytes().decode("utf-8")
    bom = BOM if text.startswith(BOM) else ""
    lines = _lines(text[len(bom) :])
    if not lines:
        raise FileRejected(f"{label}: the file has no header row")
    try:
        header = match_header(_parse(lines[0]), required, optional, label, allowed_fields(label))
    except csv.Error as error:
        raise FileRejected(f"{label}: unreadable header ({error})") from None
    records, index = [], 1
    while index < len(lines):
        end = index + 1
        while _open_quote("".join(lines[index:end])) and end < len(lines):
            end += 1
        raw = "".join(lines[index:end])
        record = _record(index + 1, raw, header.width)
        if record.fields is None and end > index + 1:
            # A broken record that ran over several lines: only its first line is quarantined, and
            # reading starts again on the next one, so the requests below it are not swallowed.
            record, end = _record(index + 1, lines[index], header.width), index + 1
        records.append(record)
        index = end
    return RequestFile(bom, lines[0], header, records)


def _record(line: int, raw: str, width: int) -> Record:
    if not raw.strip():
        return Record(line, raw, [])  # a blank line holds no record
    if _open_quote(raw):
        return Record(line, raw, None, "unreadable record (a quote is not closed)")
    try:
        fields = _parse(raw)
    except csv.Error as error:
        return Record(line, raw, None, f"unreadable record ({error})")
    if len(fields) != width:
        return Record(line, raw, None, f"expected {width} fields, found {len(fields)}")
    return Record(line, raw, fields)


def serialise(fields: list[str], raw: str) -> str:
    """A changed record in RFC 4180, ending as the record it replaces ended."""
    ending = raw[len(raw.rstrip("\r\n")) :]
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator=ending).writerow(fields)
    return out.getvalue()
