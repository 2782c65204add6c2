"""The common rules of sources.md, on the shared reading core."""

import os
import time
from datetime import UTC, date, datetime
from pathlib import Path

import pandas as pd
import pytest

from leap_assets.ingestion import landed as registry
from leap_assets.ingestion import seats
from leap_assets.ingestion.values import parse_timestamp
from leap_assets.sources.reading import FileRejected, read_all, read_rows
from tests.support.landing import write

TSV = {"required": ["student_id", "event_id"], "optional": ["note"], "delimiter": "\t", "quoted": False}
CSV = {"required": ["id", "name"], "optional": ["note"], "delimiter": ",", "quoted": True}


def read(path: Path, **options):
    header, chunk = read_all(path, path.name, **options)
    return header, chunk.frame.to_dict("records"), chunk.bad_rows


def test_bom_shuffled_columns_and_an_unknown_extra_column_load_by_header_name(tmp_path):
    path = write(tmp_path / "a.tsv", "\ufeffRoom\tEvent_ID\tstudent_id\nB12\tEV1\t00917342\n")
    header, rows, bad = read(path, **TSV)
    assert header.extra_columns == ["Room"]
    assert rows == [{"student_id": "00917342", "event_id": "EV1", "note": None, "_source_line": 2}]
    assert bad == []


def test_crlf_line_ends_load_without_carriage_returns(tmp_path):
    path = write(tmp_path / "a.tsv", "STUDENT_ID\tEVENT_ID\tNOTE\r\n1\tEV1\tx\r\n2\tEV2\t\r\n")
    _, rows, _ = read(path, **TSV)
    assert [(r["student_id"], r["note"], r["_source_line"]) for r in rows] == [("1", "x", 2), ("2", None, 3)]


def test_zero_byte_file_is_rejected_with_a_message_naming_it(tmp_path):
    path = write(tmp_path / "attendance_2026-10-06.tsv", "")
    with pytest.raises(FileRejected, match=r"attendance_2026-10-06\.tsv.*empty"):
        read(path, **TSV)


def test_header_only_file_is_valid_and_empty(tmp_path):
    path = write(tmp_path / "a.tsv", "STUDENT_ID\tEVENT_ID\n")
    header, rows, bad = read(path, **TSV)
    assert (rows, bad, header.extra_columns) == ([], [], [])


def test_a_file_that_is_not_utf8_is_rejected(tmp_path):
    path = write(tmp_path / "a.tsv", "STUDENT_ID\tEVENT_ID\nJosé\tEV1\n", encoding="latin-1")
    with pytest.raises(FileRejected, match=r"a\.tsv.*not UTF-8"):
        read(path, **TSV)


def test_missing_required_column_is_rejected_naming_the_column(tmp_path):
    path = write(tmp_path / "a.tsv", "STUDENT_ID\tNOTE\n1\tx\n")
    with pytest.raises(FileRejected, match=r"a\.tsv.*EVENT_ID"):
        read(path, **TSV)


def test_a_row_with_the_wrong_field_count_is_a_bad_row_with_its_line(tmp_path):
    path = write(tmp_path / "a.tsv", "STUDENT_ID\tEVENT_ID\n1\tEV1\n2\tEV2\textra\n3\n4\tEV4\n")
    _, rows, bad = read(path, **TSV)
    assert [r["_source_line"] for r in rows] == [2, 5]
    assert [(b.line, b.reason) for b in bad] == [(3, "expected 2 fields, found 3"), (4, "expected 2 fields, found 1")]


def test_tsv_has_no_quoting_so_a_quote_is_data(tmp_path):
    path = write(tmp_path / "a.tsv", 'STUDENT_ID\tEVENT_ID\tNOTE\n1\t"EV1\tsays "hi"\n')
    _, rows, _ = read(path, **TSV)
    assert (rows[0]["event_id"], rows[0]["note"]) == ('"EV1', 'says "hi"')


def test_a_quoted_csv_record_spanning_lines_gets_its_first_physical_line(tmp_path):
    text = 'ID,NAME,NOTE\r\n1,"two\r\nlines, and ""quotes""",x\r\n2,b,\r\n'
    path = write(tmp_path / "a.csv", text)
    _, rows, _ = read(path, **CSV)
    assert [(r["id"], r["name"], r["_source_line"]) for r in rows] == [
        ("1", 'two\r\nlines, and "quotes"', 2),
        ("2", "b", 4),
    ]


def test_null_tokens_are_null_only_when_the_source_says_so(tmp_path):
    path = write(tmp_path / "a.csv", "ID,NAME,NOTE\n1,NULL,\\N\n")
    _, [plain], _ = read(path, **CSV)
    _, [moodle], _ = read(path, **CSV, null_tokens=("NULL", "\\N"))
    assert (plain["name"], plain["note"]) == ("NULL", "\\N")
    assert (moodle["name"], moodle["note"]) == (None, None)


def test_chunks_carry_physical_lines_across_chunk_boundaries(tmp_path):
    path = write(tmp_path / "a.csv", 'ID,NAME\n1,"a\nb"\n2,c\n3,d\n')
    _, chunks = read_rows(path, "a.csv", required=["id", "name"], optional=[], delimiter=",", quoted=True, chunk_rows=2)
    lines = [chunk.frame["_source_line"].tolist() for chunk in chunks]
    assert lines == [[2, 4], [5]]


def timestamps(*texts: str) -> tuple[list, list]:
    utc, dates, bad = parse_timestamp(pd.Series(list(texts), dtype="object"), "Europe/London")
    assert not bad.any()
    return [t.to_pydatetime() for t in utc], list(dates)


def test_timestamp_without_offset_in_the_repeated_october_hour_is_the_first_occurrence():
    [utc], [day] = timestamps("2026-10-25T01:30:00")
    assert utc == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # 01:30 BST, not 01:30 GMT
    assert day == date(2026, 10, 25)


def test_timestamp_without_offset_in_the_skipped_march_hour_moves_forward_by_the_gap():
    [utc], _ = timestamps("2026-03-29T01:30:00")
    assert utc == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)  # shown as 02:30 BST


def test_a_utc_timestamp_late_in_the_evening_is_the_next_day_in_london():
    utc, days = timestamps("2026-10-05T23:30:00Z", "2026-10-06T00:30:00+01:00", "2026-12-05T23:30:00Z")
    assert utc[0] == utc[1] == datetime(2026, 10, 5, 23, 30, tzinfo=UTC)
    assert days == [date(2026, 10, 6), date(2026, 10, 6), date(2026, 12, 5)]


def test_an_unparsable_timestamp_is_bad_and_an_empty_one_is_null():
    utc, dates, bad = parse_timestamp(pd.Series(["05/10/2026", None], dtype="object"), "Europe/London")
    assert bad.tolist() == [True, False]
    assert utc.isna().all() and dates.isna().all()


SEATS = "STUDENT_ID\tEVENT_ID\tEVENT_MANDATORY\tSTART_TIME\tEVENT_ATTENDED\n1\tEV{n}\t1\t2026-10-05T09:00:00Z\t1\n"
AN_HOUR_AGO = time.time_ns() - 3600 * 10**9


def stamp(path: Path, mtime_ns: int) -> None:
    os.utime(path, ns=(mtime_ns, mtime_ns))


def test_a_landed_file_whose_size_and_mtime_are_unchanged_is_not_hashed_again(con, landing, monkeypatch):
    path = write(landing / "seats/attendance_2026-10-06.tsv", SEATS.format(n=1))
    stamp(path, AN_HOUR_AGO)
    assert len(seats.ingest(con, landing, "Europe/London")) == 1
    monkeypatch.setattr(registry, "file_sha256", lambda path: pytest.fail(f"{path} hashed again"))
    assert seats.ingest(con, landing, "Europe/London") == []


def test_same_size_new_bytes_with_the_same_recent_mtime_are_still_seen(con, landing):
    path = write(landing / "seats/attendance_2026-10-06.tsv", SEATS.format(n=1))
    recent = path.stat().st_mtime_ns
    seats.ingest(con, landing, "Europe/London")
    write(path, SEATS.format(n=2))
    stamp(path, recent)  # rewritten within the same mtime tick
    [outcome] = seats.ingest(con, landing, "Europe/London")
    assert outcome.rows_loaded == 1
    assert con.execute("select event_id from raw.seats_attendance").fetchall() == [("EV2",)]


def test_a_touched_file_with_the_same_bytes_is_not_landed_again_and_is_not_hashed_after(con, landing, monkeypatch):
    path = write(landing / "seats/attendance_2026-10-06.tsv", SEATS.format(n=1))
    seats.ingest(con, landing, "Europe/London")
    stamp(path, AN_HOUR_AGO)
    assert seats.ingest(con, landing, "Europe/London") == []
    monkeypatch.setattr(registry, "file_sha256", lambda path: pytest.fail(f"{path} hashed again"))
    assert seats.ingest(con, landing, "Europe/London") == []
