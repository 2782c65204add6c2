"""The fast way to read a well-formed landed file: DuckDB's CSV reader instead of Python's `csv`.

It is used only where both read the file alike, and gives up (None) at the first doubt, so that the
exact reader in reading.py reads the file instead, with its own line numbers, reasons and messages:

- every record is one physical line (the number of records plus the header is the number of lines:
  no record spans lines, no blank line), so a record's line is its position plus 2;
- DuckDB finds nothing wrong (strict: any record with the wrong number of fields, an unterminated or
  misplaced quote, is an error here and a bad row there);
- in a quoted (CSV) file no quote is next to spaces at a field's edge (`"x" ,`, `, "x"`): DuckDB
  skips such spaces where Python's reader keeps them or rejects the record.

DuckDB reads in a private in-memory database, so an error cannot abort the warehouse's transaction;
it parses the file twice (to count, then to stream its rows), which costs less than keeping them.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa

# A quote with spaces between it and the edge of its field (a superset: quoted text such as `"" ,`
# also matches, which only costs the exact reader).
SPACED_QUOTE = re.compile(rb'" +(?:[,\r\n]|$)|(?:^|[,\r\n]) +"')
BLANK_BY_QUOTE = (b'" ', b' "')  # a tab is data to both readers
MEMORY_LIMIT = "1GB"
# Below this size Python's reader is as fast as starting DuckDB (measured: demo files of 1-3 MB).
PLAIN_MIN_BYTES = 4 << 20  # DuckDB spills the file's rows to disk beyond this


@dataclass
class Lines:
    """What one pass over a file's bytes found out, besides that it is UTF-8."""

    count: int = 0  # physical lines as Python's reader counts them (\n, \r\n and a lone \r end one)
    spaced_quote: bool = False


class LineCounter:
    """Counts physical lines block by block (a \r\n may straddle two blocks)."""

    def __init__(self, quoted: bool):
        self.quoted = quoted
        self.lines = Lines()
        self.breaks = 0
        self.tail = b""

    def add(self, block: bytes) -> None:
        self.breaks += block.count(b"\n")
        if b"\r" in block or self.tail[-1:] == b"\r":
            crlf = block.count(b"\r\n") + (self.tail[-1:] == b"\r" and block[:1] == b"\n")
            self.breaks += block.count(b"\r") - crlf
        if self.quoted and not self.lines.spaced_quote:
            # Substring tests run at memory speed; the pattern only confirms a rare hit. The bytes
            # around the boundary with the previous block are tested on their own.
            for text in (self.tail + block[:8], block):
                if any(pair in text for pair in BLANK_BY_QUOTE) and SPACED_QUOTE.search(text):
                    self.lines.spaced_quote = True
        self.tail = block[-8:]

    def result(self) -> Lines:
        ended = self.tail[-1:] in (b"\n", b"\r")
        self.lines.count = self.breaks + (0 if ended or not self.tail else 1)
        return self.lines


def read_plain(
    path: Path,
    lines: Lines,
    *,
    width: int,
    wanted: list[tuple[str, int]],
    delimiter: str,
    quoted: bool,
    null_tokens: tuple[str, ...],
    chunk_rows: int,
) -> Iterator[pa.RecordBatch] | None:
    """The records after the header as Arrow batches (wanted columns as text, null for an empty cell
    or a null token, then `_source_line`), or None when the exact reader must read the file."""
    if lines.spaced_quote or path.stat().st_size < PLAIN_MIN_BYTES:
        return None
    con = duckdb.connect(config={"memory_limit": MEMORY_LIMIT})
    columns = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(width)) + "}"
    quote = "'\"'" if quoted else "''"
    source = f"""read_csv(
        $path, header = false, skip = 1, auto_detect = false, delim = $delimiter, quote = {quote},
        escape = {quote}, columns = {columns}, strict_mode = true, null_padding = false
    )"""
    parameters = {"path": str(path), "delimiter": delimiter}
    try:
        # A first pass parses the whole file: any error shows here, before a row is handed over.
        [(records,)] = con.execute(f"select count(*) from {source}", parameters).fetchall()
    except duckdb.Error:
        con.close()
        return None
    if records + 1 != lines.count:
        con.close()
        return None
    tokens = ", ".join(f"'{token}'" for token in null_tokens)
    cells = [
        f"case when c{position} in ({tokens}) then null else c{position} end as {name}"
        if tokens
        else f"c{position} as {name}"
        for name, position in wanted
    ] or ["null as _nothing"]

    def batches() -> Iterator[pa.RecordBatch]:
        # Results come in file order (DuckDB's preserve_insertion_order, on by default), so a
        # record's line is its position plus 2.
        line = 2
        with con:
            reader = con.sql(f"select {', '.join(cells)} from {source}", params=parameters)
            for batch in reader.to_arrow_reader(min(chunk_rows, 1 << 30)):
                numbers = pa.array(range(line, line + batch.num_rows), pa.int64())
                line += batch.num_rows
                yield pa.RecordBatch.from_arrays([*batch.columns, numbers], names=[*batch.schema.names, "_source_line"])

    return batches()
