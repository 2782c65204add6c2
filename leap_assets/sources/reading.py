"""Reading a landed file by the common rules of sources.md: UTF-8 (BOM tolerated), header matched by
name case-insensitively, empty cell = null, physical line numbers, whole-file rejection.

Only fields the source registry (config/sources.yml) lists for the file are read: an optional column
it does not list is read as absent (all null) and shown among the file's ignored columns; a required
one it does not list rejects the file. Paths no registry entry governs (not a landing-zone file of
the contract) are read as the caller asks.
"""

import codecs
import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow as pa

from leap_assets.sources.plain_reading import LineCounter, read_plain
from leap_assets.sources.registry import allowed_fields

csv.field_size_limit(1 << 24)


class FileRejected(Exception):
    """The file breaks the contract as a whole: nothing from it is loaded."""


@dataclass
class BadRow:
    line: int
    reason: str
    record: str


@dataclass
class Chunk:
    """Rows of a file as text: columns are the contract's names lower-cased, plus `_source_line`
    (an Arrow table instead of a frame when the caller asked for one and DuckDB read the file)."""

    frame: pd.DataFrame | pa.Table
    bad_rows: list[BadRow] = field(default_factory=list)


@dataclass
class Header:
    columns: dict[str, int]  # contract name (lower case) -> position in the file
    extra_columns: list[str]
    width: int


def check_utf8(path: Path, label: str, counter: LineCounter | None = None) -> None:
    """Reject a zero-byte or non-UTF-8 file with a message naming it; `counter` sees every block."""
    size = path.stat().st_size
    if size == 0:
        raise FileRejected(f"{label}: the file is empty (zero bytes)")
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = 0
    with path.open("rb") as handle:
        while block := handle.read(1 << 22):
            try:
                decoder.decode(block)
            except UnicodeDecodeError as error:
                raise FileRejected(f"{label}: not UTF-8 (invalid byte at offset {offset + error.start})") from None
            if counter is not None:
                counter.add(block)
            offset += len(block)
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            raise FileRejected(f"{label}: not UTF-8 (truncated character at the end)") from None


def match_header(
    raw: list[str], required: list[str], optional: list[str], label: str, allowed: frozenset[str] | None = None
) -> Header:
    """Map contract names to positions; `allowed`, when given, is what the source registry lists."""
    if allowed is not None:
        unlisted = [name.upper() for name in required if name not in allowed]
        if unlisted:
            raise FileRejected(
                f"{label}: the source registry does not list the required column(s) {', '.join(unlisted)},"
                " so the file cannot be loaded"
            )
        optional = [name for name in optional if name in allowed]
    names = [name.strip().lower() for name in raw]
    if names and names[0].startswith("\ufeff"):
        names[0] = names[0][1:]
    wanted = [*required, *optional]
    columns = {}
    for position, name in enumerate(names):
        if name in wanted and name not in columns:
            columns[name] = position
    missing = [name.upper() for name in required if name not in columns]
    if missing:
        raise FileRejected(f"{label}: missing required column(s) {', '.join(missing)}")
    extra = [raw[i].strip().lstrip("\ufeff") for i, n in enumerate(names) if n not in wanted]
    return Header(columns=columns, extra_columns=extra, width=len(names))


def read_rows(
    path: Path,
    label: str,
    *,
    required: list[str],
    optional: list[str],
    delimiter: str,
    quoted: bool,
    null_tokens: tuple[str, ...] = (),
    chunk_rows: int = 250_000,
    arrow: bool = False,
) -> tuple[Header, Iterator[Chunk]]:
    """Check the file, read its header and return it with an iterator of row chunks.

    `required`/`optional` are lower-case contract names. TSV is read with no quoting (a `"` is data),
    CSV with RFC 4180 quoting; a record spanning lines is numbered by its first physical line.
    Rows with the wrong number of fields are returned as bad rows. A well-formed file is read by
    DuckDB (plain_reading.py), any other by Python's `csv`, with the same result.
    """
    counter = LineCounter(quoted)
    check_utf8(path, label, counter)
    handle = path.open("r", encoding="utf-8-sig", newline="")
    quoting = csv.QUOTE_MINIMAL if quoted else csv.QUOTE_NONE
    reader = csv.reader(handle, delimiter=delimiter, quoting=quoting, strict=quoted)
    try:
        raw_header = next(reader)
    except StopIteration:
        handle.close()
        raise FileRejected(f"{label}: the file has no header row") from None
    except csv.Error as error:
        handle.close()
        raise FileRejected(f"{label}: unreadable header ({error})") from None
    header = match_header(raw_header, required, optional, label, allowed_fields(label))
    wanted = list(header.columns.items())
    absent = [name for name in optional if name not in header.columns]
    nulls = {"", *null_tokens}
    if reader.line_num == 1:  # a header spanning lines is left to the exact reader
        options = {"delimiter": delimiter, "quoted": quoted, "null_tokens": null_tokens, "chunk_rows": chunk_rows}
        batches = read_plain(path, counter.result(), width=header.width, wanted=wanted, **options)
        if batches is not None:
            handle.close()
            return header, _plain_chunks(batches, wanted, absent, arrow)

    def chunks() -> Iterator[Chunk]:
        with handle:
            values: dict[str, list] = {name: [] for name, _ in wanted}
            lines: list[int] = []
            bad: list[BadRow] = []
            yielded = False
            previous_end = reader.line_num
            while True:
                try:
                    row = next(reader)
                except StopIteration:
                    break
                except csv.Error as error:
                    bad.append(BadRow(previous_end + 1, f"unreadable record ({error})", ""))
                    previous_end = reader.line_num
                    continue
                first_line = previous_end + 1
                previous_end = reader.line_num
                if not row:
                    continue  # a blank line holds no record
                if len(row) != header.width:
                    bad.append(
                        BadRow(
                            first_line,
                            f"expected {header.width} fields, found {len(row)}",
                            delimiter.join(row)[:500],
                        )
                    )
                    continue
                for name, position in wanted:
                    cell = row[position]
                    values[name].append(None if cell in nulls else cell)
                lines.append(first_line)
                if len(lines) >= chunk_rows:
                    yield _chunk(values, lines, bad, absent)
                    yielded = True
                    values = {name: [] for name, _ in wanted}
                    lines, bad = [], []
            if lines or bad or not yielded:
                yield _chunk(values, lines, bad, absent)

    return header, chunks()


def _chunk(values: dict[str, list], lines: list[int], bad: list[BadRow], absent: list[str]) -> Chunk:
    """A frame with every contract column; optional columns the file lacks are all null."""
    columns = {name: pd.Series(column, dtype="object") for name, column in values.items()}
    columns.update({name: pd.Series([None] * len(lines), dtype="object") for name in absent})
    frame = pd.DataFrame(columns)
    frame["_source_line"] = pd.Series(lines, dtype="int64")
    return Chunk(frame=frame, bad_rows=bad)


def _plain_chunks(batches: Iterator[pa.RecordBatch], wanted: list, absent: list[str], arrow: bool) -> Iterator[Chunk]:
    """Chunks as the exact reader makes them (text cells as Python strings, None for null), or as
    Arrow tables with the same columns."""
    names = [name for name, _ in wanted]
    yielded = False
    for batch in batches:
        if arrow:
            columns = [batch.column(name) for name in names]
            columns += [pa.nulls(batch.num_rows, pa.string())] * len(absent)
            columns.append(batch.column("_source_line"))
            yield Chunk(frame=pa.Table.from_arrays(columns, names=[*names, *absent, "_source_line"]))
        else:
            values = {name: batch.column(name).to_numpy(zero_copy_only=False) for name in names}
            yield _chunk(values, batch.column("_source_line").to_numpy(), [], absent)
        yielded = True
    if not yielded:
        yield _chunk({name: [] for name in names}, [], [], absent)


def read_all(path: Path, label: str, **options) -> tuple[Header, Chunk]:
    """The whole file as one chunk (for files small enough to validate at once)."""
    header, chunks = read_rows(path, label, chunk_rows=1 << 62, **options)
    parts = list(chunks)
    if len(parts) == 1:
        return header, parts[0]
    frame = pd.concat([part.frame for part in parts], ignore_index=True)
    return header, Chunk(frame=frame, bad_rows=[b for part in parts for b in part.bad_rows])
