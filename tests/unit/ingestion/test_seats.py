from datetime import UTC, date, datetime

from leap_assets.ingestion import seats
from tests.support.landing import write

TZ = "Europe/London"
HEADER = "STUDENT_ID\tEVENT_ID\tEVENT_MANDATORY\tSTART_TIME\tEVENT_ATTENDED"


def tsv(header: str, *rows: str) -> str:
    return "".join(f"{line}\n" for line in (header, *rows))


def land(con, landing, name: str, text: str):
    write(landing / "seats" / name, text)
    return seats.ingest(con, landing, TZ)


def test_attendance_rows_load_typed_with_utc_start_local_date_and_file_date(con, landing):
    text = tsv(
        "STUDENT_ID\tEVENT_ID\tEVENT_NAME\tEVENT_MANDATORY\tSTART_TIME\tEND_TIME\tEVENT_ATTENDED"
        "\tATTENDANCE_LATE\tATTENDANCE_CATEGORY\tMOD_INSTANCE_ID\tSTAFF_ID",
        '00000001\tEV01\tLecture "one"\t1\t2026-10-05T09:00:00Z\t2026-10-05T10:00:00+01:00\t1\t0\tP\tMOD-1\t007',
        "00000002\tEV01\t\t0\t2026-10-05T10:00:00+01:00\t\t0\t\t\t\t",
    )
    [outcome] = land(con, landing, "attendance_2026-10-06.tsv", text)
    assert (outcome.status, outcome.rows_loaded, outcome.rows_quarantined) == ("loaded", 2, 0)
    assert outcome.newest_data_date == date(2026, 10, 5)
    rows = con.execute(
        "select student_id, event_id, event_name, event_mandatory, start_time, start_date, end_time,"
        " event_attended, attendance_late, attendance_category, mod_instance_id, staff_id, file_date,"
        " _source_file, _source_line from raw.seats_attendance order by _source_line"
    ).fetchall()
    nine = (datetime(2026, 10, 5, 9, tzinfo=UTC), date(2026, 10, 5))
    file = (date(2026, 10, 6), "seats/attendance_2026-10-06.tsv")
    assert rows == [
        ("00000001", "EV01", 'Lecture "one"', 1, *nine, nine[0], 1, 0, "P", "MOD-1", "007", *file, 2),
        ("00000002", "EV01", None, 0, *nine, None, 0, None, None, None, None, *file, 3),
    ]


def test_files_not_named_as_the_contract_says_are_ignored(con, landing):
    write(landing / "seats/attendance_latest.tsv", tsv(HEADER))
    write(landing / "seats/attendance_2026-13-01.tsv", tsv(HEADER))
    write(landing / "seats/attendance_2026-10-06.csv", tsv(HEADER))
    assert seats.ingest(con, landing, TZ) == []


def test_missing_required_column_rejects_the_file_naming_it(con, landing):
    text = tsv("STUDENT_ID\tEVENT_ID\tEVENT_MANDATORY\tEVENT_ATTENDED", "00000001\tEV01\t1\t1")
    [outcome] = land(con, landing, "attendance_2026-10-06.tsv", text)
    assert outcome.status == "rejected"
    assert "seats/attendance_2026-10-06.tsv" in outcome.message and "START_TIME" in outcome.message
    assert con.execute("select count(*) from raw.seats_attendance").fetchone() == (0,)


def test_unparsable_start_time_is_quarantined_with_line_and_reason_and_the_rest_loads(con, landing):
    text = tsv(HEADER, "00000001\tEV01\t1\t05/10/2026 09:00\t1", "00000002\tEV01\t1\t2026-10-05T09:00:00Z\t1")
    [outcome] = land(con, landing, "attendance_2026-10-06.tsv", text)
    assert (outcome.rows_loaded, outcome.rows_quarantined) == (1, 1)
    [(line, field, loaded, reason, student)] = con.execute(
        "select _source_line, field, row_loaded, reason, student_id from quarantine.rows"
    ).fetchall()
    assert (line, field, loaded, student) == (2, "START_TIME", False, "00000001")
    assert "unparsable START_TIME" in reason
    assert con.execute("select student_id from raw.seats_attendance").fetchall() == [("00000002",)]


def test_unparsable_optional_end_time_loads_as_null_with_a_quarantine_record(con, landing):
    text = tsv(HEADER + "\tEND_TIME", "00000001\tEV01\t1\t2026-10-05T09:00:00Z\t1\tten o'clock")
    [outcome] = land(con, landing, "attendance_2026-10-06.tsv", text)
    assert (outcome.rows_loaded, outcome.rows_quarantined) == (1, 0)
    assert con.execute("select end_time from raw.seats_attendance").fetchall() == [(None,)]
    assert con.execute("select _source_line, field, row_loaded from quarantine.rows").fetchall() == [
        (2, "END_TIME", True)
    ]


def test_unknown_optional_category_is_nulled_and_unknown_mandatory_flag_is_quarantined(con, landing):
    text = tsv(
        HEADER + "\tATTENDANCE_CATEGORY",
        "00000001\tEV01\t1\t2026-10-05T09:00:00Z\t1\tp",
        "00000002\tEV01\tY\t2026-10-05T09:00:00Z\t1\tP",
    )
    [outcome] = land(con, landing, "attendance_2026-10-06.tsv", text)
    assert (outcome.rows_loaded, outcome.rows_quarantined) == (1, 1)
    assert con.execute("select student_id, attendance_category from raw.seats_attendance").fetchall() == [
        ("00000001", None)
    ]
    records = con.execute(
        "select _source_line, field, row_loaded, reason from quarantine.rows order by _source_line"
    ).fetchall()
    assert [r[:3] for r in records] == [(2, "ATTENDANCE_CATEGORY", True), (3, "EVENT_MANDATORY", False)]
    assert "unknown code in EVENT_MANDATORY" in records[1][3]


def test_corrections_in_a_later_file_and_a_repeated_key_in_one_file_keep_every_row_in_raw(con, landing):
    land(con, landing, "attendance_2026-10-06.tsv", tsv(HEADER, "00000001\tEV01\t1\t2026-10-05T09:00:00Z\t0"))
    text = tsv(HEADER, "00000001\tEV01\t1\t2026-10-05T09:00:00Z\t1", "00000001\tEV01\t1\t2026-10-12T09:00:00Z\t1")
    [outcome] = land(con, landing, "attendance_2026-10-13.tsv", text)
    assert (outcome.rows_loaded, outcome.rows_quarantined) == (2, 0)
    rows = con.execute(
        "select file_date, _source_line, event_attended, start_date from raw.seats_attendance"
        " order by file_date, _source_line"
    ).fetchall()
    assert rows == [
        (date(2026, 10, 6), 2, 0, date(2026, 10, 5)),
        (date(2026, 10, 13), 2, 1, date(2026, 10, 5)),
        (date(2026, 10, 13), 3, 1, date(2026, 10, 12)),
    ]


def test_same_bytes_are_a_no_op_and_new_bytes_at_the_path_replace_its_rows(con, landing):
    first = tsv(HEADER, "00000001\tEV01\t1\t2026-10-05T09:00:00Z\t1", "00000002\tEV01\t1\t2026-10-05T09:00:00Z\t1")
    assert len(land(con, landing, "attendance_2026-10-06.tsv", first)) == 1
    assert land(con, landing, "attendance_2026-10-06.tsv", first) == []
    [outcome] = land(
        con, landing, "attendance_2026-10-06.tsv", tsv(HEADER, "00000003\tEV02\t1\t2026-10-06T09:00:00Z\t0")
    )
    assert outcome.rows_loaded == 1
    assert con.execute("select student_id, event_id from raw.seats_attendance").fetchall() == [("00000003", "EV02")]


def test_local_date_is_taken_in_london_across_the_october_clock_change(con, landing):
    text = tsv(
        HEADER,
        "00000001\tEV01\t1\t2026-10-24T23:30:00Z\t1",  # 00:30 BST on Sunday 25 Oct
        "00000001\tEV02\t1\t2026-10-25T23:30:00Z\t1",  # 23:30 GMT, still 25 Oct
        "00000001\tEV03\t1\t2026-10-05T23:30:00Z\t1",  # 00:30 BST on 6 Oct
    )
    [outcome] = land(con, landing, "attendance_2026-10-26.tsv", text)
    dates = con.execute("select event_id, start_date from raw.seats_attendance order by event_id").fetchall()
    assert dates == [("EV01", date(2026, 10, 25)), ("EV02", date(2026, 10, 25)), ("EV03", date(2026, 10, 6))]
    assert outcome.newest_data_date == date(2026, 10, 25)


def test_timestamp_without_offset_is_local_time(con, landing):
    text = tsv(HEADER, "00000001\tEV01\t1\t2026-10-05T09:00:00\t1", "00000001\tEV02\t1\t2026-11-05 09:00\t1")
    land(con, landing, "attendance_2026-11-06.tsv", text)
    rows = con.execute("select event_id, start_time from raw.seats_attendance order by event_id").fetchall()
    assert rows == [
        ("EV01", datetime(2026, 10, 5, 8, tzinfo=UTC)),  # BST
        ("EV02", datetime(2026, 11, 5, 9, tzinfo=UTC)),  # GMT
    ]


def test_unknown_extra_columns_are_listed_and_unknown_students_are_kept(con, landing):
    text = tsv(HEADER + "\tROOM", "99999999\tEV01\t1\t2026-10-05T09:00:00Z\t1\tB12")
    [outcome] = land(con, landing, "attendance_2026-10-06.tsv", text)
    assert (outcome.rows_loaded, outcome.extra_columns) == (1, ["ROOM"])
    assert con.execute("select extra_columns from meta.landed_files").fetchone() == ("ROOM",)


def test_a_header_only_file_is_valid_and_empty(con, landing):
    [outcome] = land(con, landing, "attendance_2026-10-06.tsv", tsv(HEADER))
    assert (outcome.status, outcome.rows_loaded, outcome.newest_data_date) == ("loaded", 0, None)
