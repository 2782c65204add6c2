import shutil
from datetime import date

import pytest

from leap_assets.ingestion import moodle
from tests.support.landing import write

TZ = "Europe/London"
COLUMNS = [
    *("id", "eventname", "component", "action", "target", "crud", "edulevel", "contextid", "contextlevel"),
    *("contextinstanceid", "userid", "courseid", "relateduserid", "anonymous", "other", "timecreated"),
    *("origin", "ip", "realuserid"),
]
OCT_5_0930_UTC = 1791192600  # 2026-10-05T09:30:00Z


def row(**cells) -> dict:
    """A qualifying page view unless told otherwise."""
    base = {
        "id": "1",
        "eventname": "\\mod_page\\event\\course_module_viewed",
        "component": "mod_page",
        "action": "viewed",
        "target": "course_module",
        "crud": "r",
        "edulevel": "2",
        "contextid": "300",
        "contextlevel": "70",
        "contextinstanceid": "40",
        "userid": "42",
        "courseid": "17",
        "relateduserid": "NULL",
        "anonymous": "0",
        "other": "NULL",
        "timecreated": str(OCT_5_0930_UTC),
        "origin": "web",
        "ip": "NULL",
        "realuserid": "NULL",
    }
    return base | {name: str(value) for name, value in cells.items()}


def csv_text(*rows: dict, columns: list[str] = COLUMNS) -> str:
    lines = [",".join(columns)] + [",".join(r[c] for c in columns) for r in rows]
    return "".join(f"{line}\r\n" for line in lines)


def land(con, landing, name: str, text: str):
    write(landing / "moodle" / name, text)
    return moodle.ingest(con, landing, TZ)


def test_learning_events_load_typed_with_text_ids_local_date_and_file_date(con, landing):
    text = csv_text(row(id=7, userid="0042", courseid=17), row(id=8, timecreated=1791243000, origin="WS"))
    [outcome] = land(con, landing, "logstore_2026-10-06.csv", text)
    assert (outcome.status, outcome.rows_loaded, outcome.rows_filtered, outcome.rows_duplicate) == (
        "loaded",
        2,
        0,
        0,
    )
    assert outcome.newest_data_date == date(2026, 10, 6)
    rows = con.execute(
        "select id, eventname, component, action, target, crud, edulevel, contextid, contextlevel,"
        " contextinstanceid, userid, courseid, anonymous, timecreated, event_date, origin, file_date,"
        " _source_file, _source_line from raw.moodle_log order by id"
    ).fetchall()
    common = ("\\mod_page\\event\\course_module_viewed", "mod_page", "viewed", "course_module", "r", 2)
    common += (300, 70, 40, "42", "17", 0)
    file = (date(2026, 10, 6), "moodle/logstore_2026-10-06.csv")
    assert rows == [
        (7, *common, OCT_5_0930_UTC, date(2026, 10, 5), "web", *file, 2),
        # 2026-10-05T23:30:00Z is 6 October in London (BST)
        (8, *common, 1791243000, date(2026, 10, 6), "WS", *file, 3),
    ]


def test_ip_and_other_never_reach_the_warehouse(con, landing, warehouse):
    text = csv_text(row(id=1, ip="203.0.113.77", other='"{""secret"":""zebra-ocelot, 91""}"', relateduserid=5))
    [outcome] = land(con, landing, "logstore_2026-10-06.csv", text)
    assert outcome.rows_loaded == 1 and outcome.extra_columns == []
    columns = {r[0] for r in con.execute("select column_name from (describe raw.moodle_log)").fetchall()}
    assert not columns & {"ip", "other", "relateduserid", "realuserid"}
    con.execute("checkpoint")
    for schema, table in con.execute(
        "select schema_name, table_name from duckdb_tables() where database_name = current_database()"
    ).fetchall():
        hits = con.execute(
            f"select count(*) from {schema}.{table} t"
            " where t::varchar like '%203.0.113.77%' or t::varchar like '%zebra-ocelot%'"
        ).fetchone()
        assert hits == (0,), f"{schema}.{table}"
    assert b"zebra-ocelot" not in warehouse.read_bytes() and b"203.0.113.77" not in warehouse.read_bytes()


def test_a_quoted_cell_spanning_lines_keeps_physical_line_numbers(con, landing):
    text = csv_text(row(id=1, eventname='"\\core\\event\\x\r\nwith, a ""break"""'), row(id=2))
    [outcome] = land(con, landing, "logstore_2026-10-06.csv", text)
    assert outcome.rows_loaded == 2
    rows = con.execute("select id, eventname, _source_line from raw.moodle_log order by id").fetchall()
    assert rows == [(1, '\\core\\event\\x\r\nwith, a "break"', 2), (2, row()["eventname"], 4)]


@pytest.mark.parametrize(
    "cells",
    [
        {"edulevel": 0},
        {"edulevel": 1},
        {"anonymous": 1},
        {"userid": 0},
        {"userid": -1},
        {"realuserid": 7},
        {"origin": "cli"},
        {"origin": "CRON"},
        {"origin": "Restore"},
    ],
)
def test_non_learning_rows_are_counted_as_filtered_and_not_kept(con, landing, cells):
    [outcome] = land(con, landing, "logstore_2026-10-06.csv", csv_text(row(id=1), row(id=2, **cells)))
    assert (outcome.rows_loaded, outcome.rows_filtered, outcome.rows_quarantined) == (1, 1, 0)
    assert con.execute("select id from raw.moodle_log").fetchall() == [(1,)]
    assert con.execute("select rows_filtered from meta.landed_files").fetchone() == (1,)


def test_null_tokens_are_null_so_a_null_realuserid_qualifies(con, landing):
    text = csv_text(
        row(id=1, realuserid="NULL", contextid="NULL"),
        row(id=2, realuserid="\\N", component="\\N"),
        row(id=3, realuserid=""),
        row(id=4, realuserid="null"),  # not one of the exact tokens: a value, so "logged in as"
    )
    [outcome] = land(con, landing, "logstore_2026-10-06.csv", text)
    assert (outcome.rows_loaded, outcome.rows_filtered, outcome.rows_quarantined) == (3, 1, 0)
    assert con.execute("select id, contextid, component from raw.moodle_log order by id").fetchall() == [
        (1, None, "mod_page"),
        (2, 300, None),
        (3, 300, "mod_page"),
    ]
    assert con.execute("select count(*) from quarantine.rows").fetchone() == (0,)


def test_a_repeated_id_within_a_file_is_loaded_once_the_first_by_line(con, landing):
    text = csv_text(row(id=1, courseid=10), row(id=2), row(id=1, courseid=11))
    [outcome] = land(con, landing, "logstore_2026-10-06.csv", text)
    assert (outcome.rows_loaded, outcome.rows_duplicate, outcome.rows_quarantined) == (2, 1, 0)
    assert con.execute("select courseid, _source_line from raw.moodle_log where id = 1").fetchall() == [("10", 2)]


def test_a_repeated_id_within_a_file_is_found_across_chunks(con, landing, monkeypatch):
    monkeypatch.setattr(moodle, "CHUNK_ROWS", 1)
    text = csv_text(row(id=1, courseid=10), row(id=2), row(id=1, courseid=11))
    [outcome] = land(con, landing, "logstore_2026-10-06.csv", text)
    assert (outcome.rows_loaded, outcome.rows_duplicate) == (2, 1)
    assert con.execute("select courseid from raw.moodle_log where id = 1").fetchall() == [("10",)]


@pytest.mark.parametrize("order", ["earliest_first", "latest_first"])
def test_a_repeated_id_across_files_keeps_the_earliest_file_date_whatever_the_landing_order(con, landing, order):
    early = ("logstore_2026-10-05.csv", csv_text(row(id=1, courseid=10), row(id=2)))
    late = ("logstore_2026-10-06.csv", csv_text(row(id=1, courseid=11), row(id=3)))
    for name, text in [early, late] if order == "earliest_first" else [late, early]:
        land(con, landing, name, text)
    rows = con.execute("select id, courseid, file_date from raw.moodle_log order by id").fetchall()
    assert rows == [(1, "10", date(2026, 10, 5)), (2, "17", date(2026, 10, 5)), (3, "17", date(2026, 10, 6))]
    counts = con.execute("select path, rows_loaded, rows_duplicate from meta.landed_files order by path").fetchall()
    assert counts == [("moodle/logstore_2026-10-05.csv", 2, 0), ("moodle/logstore_2026-10-06.csv", 1, 1)]


def test_a_replaced_file_gives_back_ids_it_no_longer_holds_to_later_files(con, landing):
    land(con, landing, "logstore_2026-10-05.csv", csv_text(row(id=1, courseid=10), row(id=2)))
    land(con, landing, "logstore_2026-10-06.csv", csv_text(row(id=1, courseid=11)))
    outcomes = land(con, landing, "logstore_2026-10-05.csv", csv_text(row(id=2)))
    assert [o.rel for o in outcomes] == ["moodle/logstore_2026-10-05.csv", "moodle/logstore_2026-10-06.csv"]
    rows = con.execute("select id, courseid, file_date from raw.moodle_log order by id").fetchall()
    assert rows == [(1, "11", date(2026, 10, 6)), (2, "17", date(2026, 10, 5))]


def test_missing_required_column_rejects_the_file_naming_it(con, landing):
    columns = [c for c in COLUMNS if c != "timecreated"]
    [outcome] = land(con, landing, "logstore_2026-10-06.csv", csv_text(row(), columns=columns))
    assert outcome.status == "rejected"
    assert "moodle/logstore_2026-10-06.csv" in outcome.message and "TIMECREATED" in outcome.message
    assert con.execute("select count(*) from raw.moodle_log").fetchone() == (0,)


def test_unparsable_required_values_are_quarantined_with_line_and_reason(con, landing):
    text = csv_text(
        row(id=1, timecreated="2026-10-05 09:30"),
        row(id=2, timecreated="1.79e9"),
        row(id=3, edulevel=5),
        row(id="x"),
        row(id=5, courseid=""),
        row(id=6),
    )
    [outcome] = land(con, landing, "logstore_2026-10-06.csv", text)
    assert (outcome.rows_loaded, outcome.rows_quarantined, outcome.rows_filtered) == (1, 5, 0)
    records = con.execute(
        "select _source_line, field, row_loaded, reason from quarantine.rows order by _source_line"
    ).fetchall()
    assert [r[:3] for r in records] == [
        (2, "TIMECREATED", False),
        (3, "TIMECREATED", False),
        (4, "EDULEVEL", False),
        (5, "ID", False),
        (6, "COURSEID", False),
    ]
    assert records[0][3] == "unparsable TIMECREATED (expected Unix epoch seconds)"
    assert records[4][3] == "missing required COURSEID"


def test_unparsable_optional_numbers_load_as_null_each_with_a_record(con, landing):
    text = csv_text(row(id=1, contextid="ctx", contextlevel="7.5"), row(id=2))
    [outcome] = land(con, landing, "logstore_2026-10-06.csv", text)
    assert (outcome.rows_loaded, outcome.rows_quarantined) == (2, 0)
    assert con.execute("select contextid, contextlevel from raw.moodle_log order by id").fetchall() == [
        (None, None),
        (300, 70),
    ]
    records = con.execute(
        "select _source_line, field, row_loaded, reason, record from quarantine.rows order by field"
    ).fetchall()
    assert [r[:3] for r in records] == [(2, "CONTEXTID", True), (2, "CONTEXTLEVEL", True)]
    assert records[0][3] == "unparsable optional CONTEXTID (expected a whole number): loaded as null"
    assert '"contextid": "ctx"' in records[0][4] and "_bad" not in records[0][4]


def test_same_bytes_are_a_no_op_and_at_another_path_add_nothing_but_duplicates(con, landing):
    text = csv_text(row(id=1), row(id=2), row(id=3, edulevel=0))
    [first] = land(con, landing, "logstore_2026-10-06.csv", text)
    assert (first.rows_loaded, first.rows_filtered) == (2, 1)
    assert moodle.ingest(con, landing, TZ) == []
    shutil.copy(landing / "moodle/logstore_2026-10-06.csv", landing / "moodle/logstore_2026-10-07.csv")
    [copy] = moodle.ingest(con, landing, TZ)
    assert (copy.rows_loaded, copy.rows_duplicate, copy.rows_filtered) == (0, 2, 1)
    assert con.execute("select count(*), min(file_date) from raw.moodle_log").fetchone() == (2, date(2026, 10, 6))


def test_files_not_named_as_the_contract_says_are_ignored(con, landing):
    write(landing / "moodle/logstore_latest.csv", csv_text(row()))
    write(landing / "moodle/logstore_2026-10-06.csv.bak", csv_text(row()))
    write(landing / "moodle/logstore_2026-02-30.csv", csv_text(row()))
    assert moodle.ingest(con, landing, TZ) == []


def test_a_header_only_file_is_valid_and_empty(con, landing):
    [outcome] = land(con, landing, "logstore_2026-10-06.csv", csv_text())
    assert (outcome.status, outcome.rows_loaded, outcome.newest_data_date) == ("loaded", 0, None)
