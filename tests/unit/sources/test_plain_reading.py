"""DuckDB's reader is used only where it reads a file exactly as Python's `csv` does: same cells,
nulls and physical line numbers; anything else is left to the exact reader, with its bad rows."""

import pandas as pd
import pytest

from leap_assets.sources import plain_reading, reading
from leap_assets.sources.reading import read_rows

CSV = {"required": ["id", "name"], "optional": ["note"], "delimiter": ",", "quoted": True, "null_tokens": ("NULL",)}
TSV = {"required": ["id", "name"], "optional": ["note"], "delimiter": "\t", "quoted": False}

# (content, whether DuckDB may read it)
CSV_FILES = {
    "plain": ("ID,Name,Note\n1,a,x\n2,,NULL\n", True),
    "bom_crlf_no_last_newline": ("\ufeffid,name,note\r\n1,a,x\r\n2,b,", True),
    "quoted_commas_and_quotes": ('id,name,note\n1,"a,""b""",\n2,"",y\n', True),
    "quote_by_space_inside_quotes": ('id,name,note\n1,"a, ""b""",\n', False),  # a harmless false alarm
    "extra_and_missing_columns": ("name,id,other\nb,1,z\n", True),
    "quote_inside_unquoted_field": ('id,name,note\n1,a"b,x\n', True),
    "blanks_and_tabs_kept": ("id,name,note\n1, a ,\tx\n", True),
    "header_only": ("id,name,note\n", True),
    "record_spanning_lines": ('id,name,note\n1,"a\nb",x\n2,c,y\n', False),
    "blank_line": ("id,name,note\n1,a,x\n\n2,b,y\n", False),
    "trailing_blank_line": ("id,name,note\n1,a,x\n\n", False),
    "too_many_fields": ("id,name,note\n1,a,x,extra\n2,b,y\n", False),
    "too_few_fields": ("id,name,note\n1,a\n2,b,y\n", False),
    "space_after_closing_quote": ('id,name,note\n1,"a" ,x\n', False),
    "space_before_opening_quote": ('id,name,note\n1, "a,b",x\n', False),
    "unterminated_quote": ('id,name,note\n1,"a,x\n', False),
    "character_after_closing_quote": ('id,name,note\n1,"a"b,x\n2,c,y\n', False),
    "lone_carriage_returns": ("id,name,note\r1,a,x\r2,b,y\r", True),
    "header_spanning_lines": ('id,name,"no\nte"\n1,a,x\n', False),
}
TSV_FILES = {
    "quotes_are_data": ('id\tname\tnote\n1\t"a\t"b"\n2\t""\t\n', True),
    "wrong_width": ("id\tname\tnote\n1\ta\n2\tb\tc\n", False),
}


def _read(path, options):
    header, chunks = read_rows(path, path.name, chunk_rows=2, **options)
    parts = list(chunks)
    bad = [(b.line, b.reason, b.record) for p in parts for b in p.bad_rows]
    return header, pd.concat([p.frame for p in parts], ignore_index=True), bad


@pytest.mark.parametrize(
    ("content", "plain", "options"),
    [pytest.param(*case, CSV, id=f"csv-{name}") for name, case in CSV_FILES.items()]
    + [pytest.param(*case, TSV, id=f"tsv-{name}") for name, case in TSV_FILES.items()],
)
def test_duckdb_reads_a_file_only_where_it_reads_it_as_python_does(tmp_path, monkeypatch, content, plain, options):
    path = tmp_path / "a.csv"
    path.write_bytes(content.encode("utf-8"))
    monkeypatch.setattr(plain_reading, "PLAIN_MIN_BYTES", 0)
    used = []
    original = plain_reading.read_plain

    def spy(*args, **kwargs):
        batches = original(*args, **kwargs)
        used.append(batches is not None)
        return batches

    monkeypatch.setattr(reading, "read_plain", spy)
    fast = _read(path, options)
    monkeypatch.setattr(reading, "read_plain", lambda *args, **kwargs: None)
    exact = _read(path, options)
    assert any(used) == plain
    assert fast[0] == exact[0]
    pd.testing.assert_frame_equal(fast[1], exact[1])
    assert fast[2] == exact[2]
    for column in (c for c in fast[1].columns if c != "_source_line"):
        assert fast[1][column].map(lambda v: v is None or isinstance(v, str)).all()


def test_arrow_chunks_hold_the_same_rows_as_frames(tmp_path, monkeypatch):
    path = tmp_path / "a.csv"
    path.write_text('id,name\n1,"a, b"\n2,\n3,NULL\n', encoding="utf-8")
    monkeypatch.setattr(plain_reading, "PLAIN_MIN_BYTES", 0)
    _, frame, _ = _read(path, CSV)
    _, chunks = read_rows(path, path.name, chunk_rows=2, arrow=True, **CSV)
    rows = [row for chunk in chunks for row in chunk.frame.to_pylist()]
    assert (
        rows
        == frame.to_dict("records")
        == [
            {"id": "1", "name": "a, b", "note": None, "_source_line": 2},
            {"id": "2", "name": None, "note": None, "_source_line": 3},
            {"id": "3", "name": None, "note": None, "_source_line": 4},
        ]
    )
