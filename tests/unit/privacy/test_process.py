import json
import shutil

import duckdb
import pytest

from leap_assets.ingestion import seats
from leap_assets.privacy.process import process
from leap_assets.privacy.rectify import rectifiable
from leap_assets.warehouse.db import connect
from leap_assets.writing.names import request_name
from tests.support.privacy_world import requests

A1 = request_name("A1")  # governance.md: request-derived paths are named so that no two requests share one


def run(u):
    return process(u.landing, u.publish, u.warehouse)


def ledger(u) -> dict[str, tuple]:
    with duckdb.connect(str(u.warehouse), read_only=True) as con:
        rows = con.execute("select request_id, request_type, subject, status, reason from meta.privacy_requests")
        return {row[0]: row[1:] for row in rows.fetchall()}


def text_cells(con, texts: list[str]) -> int:
    """Rows of any text column in any layer equal to one of `texts`."""
    columns = con.execute(
        "select table_schema, table_name, column_name, data_type from information_schema.columns "
        "where table_schema in ('raw', 'quarantine', 'marts', 'meta') and data_type in ('VARCHAR', 'VARCHAR[]')"
    ).fetchall()
    found = 0
    for schema, table, column, kind in columns:
        test = f"list_has_any({column}, ?::varchar[])" if kind == "VARCHAR[]" else f"{column} in (select unnest(?))"
        found += con.execute(f"select count(*) from {schema}.{table} where {test}", [texts]).fetchone()[0]
    return found


def test_an_access_export_holds_rows_from_every_layer_that_holds_the_student(university):
    u = university
    requests(u.landing, f"A1,{u.student},access,2026-11-01,,")
    result = run(u)
    assert result.done == {"access": 1}
    export = json.loads((u.publish / "privacy" / "access" / A1 / f"access-{A1}.json").read_text())
    assert export["student_id"] == u.student
    assert {
        "raw.sits_student",
        "raw.seats_attendance",
        "raw.moodle_log",
        "raw.sits_studentassessmentinstance",
        "quarantine.rows",
        "marts.engagement_weekly",
        "marts.contacts",
        "meta.access_log",
    } <= set(export["layers"])
    assert all(row["userid"] == u.moodle_id for row in export["layers"]["raw.moodle_log"])
    assert export["published_files"] == [
        "2026-10-12/school-of-x/student-engagement_school-of-x_2026-10-12.csv",
        "2026-10-12/views/9900001/student-engagement-view_9900001_2026-10-12.csv",
    ]
    from openpyxl import load_workbook

    book = load_workbook(u.publish / "privacy" / "access" / A1 / f"access-{A1}.xlsx")
    assert "raw.sits_student" in book.sheetnames and book["About"]["B2"].value == u.student


def test_an_erasure_leaves_no_trace_in_warehouse_landing_or_publish_and_keeps_marks_under_a_token(university):
    u = university
    with duckdb.connect(str(u.warehouse), read_only=True) as con:
        marks = con.execute(
            "select count(*) from raw.sits_studentassessmentinstance where student_id = ?", [u.student]
        ).fetchone()[0]
        others = con.execute("select count(*) from raw.sits_student where student_id != ?", [u.student]).fetchone()[0]
    requests(u.landing, f"A1,{u.student},access,2026-11-01,,", f"E1,{u.student},erasure,2026-11-02,,DPO")
    result = run(u)
    assert result.done == {"access": 1, "erasure": 1}
    assert result.weeks_to_republish == ["2026-10-12"]

    needles = [u.student.encode(), u.email.encode()]
    with duckdb.connect(str(u.warehouse), read_only=True) as con:
        assert text_cells(con, [u.student, u.email]) == 0
        token = con.execute("select subject from meta.privacy_requests where request_id = 'E1'").fetchone()[0]
        assert token.startswith("ERASED-")
        assert (
            con.execute(
                "select count(*) from raw.sits_studentassessmentinstance where student_id = ?", [token]
            ).fetchone()[0]
            == marks
            > 0
        )
        assert con.execute("select count(*) from raw.moodle_log where userid = ?", [u.moodle_id]).fetchone()[0] == 0
        assert con.execute("select count(*) from raw.sits_student").fetchone()[0] == others
        assert con.execute("select student_ids, student_count from meta.access_log").fetchall() == [([u.other], 1)]
        assert con.execute("select count(*) from meta.suppression_list").fetchone()[0] == 2  # id and Moodle id
    data = u.warehouse.read_bytes()
    assert not any(n in data for n in needles)  # compacted: no deleted value left in freed blocks
    # The week's school report is rebuilt by the caller (weeks_to_republish); everything else is clean now.
    report = u.publish / "2026-10-12" / "school-of-x" / "student-engagement_school-of-x_2026-10-12.csv"
    for path in [*u.landing.rglob("*"), *u.publish.rglob("*")]:
        if path.is_file() and path.suffix != ".xlsx" and path != report:
            assert not any(n in path.read_bytes() for n in needles), path
    assert ledger(u)["A1"][1] == token  # earlier requests of the student name the token too
    assert f"E1,{token},erasure" in (u.landing / "privacy" / "requests.csv").read_text()
    assert not (u.publish / "privacy" / "access" / A1).exists()

    certificate = json.loads((u.publish / "privacy" / "erasure" / f"certificate-{request_name('E1')}.json").read_text())
    assert certificate["residual_rows"] == 0
    assert certificate["tables"]["raw.sits_student"]["deleted"] >= 1
    assert certificate["tables"]["raw.sits_studentassessmentinstance"] == {"anonymised": marks}
    assert any(path.startswith("moodle/") for path in certificate["landed_files"])
    assert certificate["published_files"]["2026-10-12/views/9900001/student-engagement-view_9900001_2026-10-12.csv"]
    text = json.dumps(certificate).encode()
    assert not any(n in text for n in [*needles, f'"{u.moodle_id}"'.encode()])


def test_files_landed_again_and_restored_rows_never_bring_an_erased_student_back(university):
    u = university
    requests(u.landing, f"E1,{u.student},erasure,2026-11-02,,DPO")
    run(u)
    relanded = u.landing / "seats" / "attendance_2026-10-19.tsv"
    shutil.copy(u.original / "seats" / "attendance_2026-10-19.tsv", relanded)
    relanded.touch()
    assert u.student.encode() in relanded.read_bytes()
    with connect(u.warehouse) as con:
        con.execute("delete from meta.landed_files where path = 'seats/attendance_2026-10-19.tsv'")
        seats.ingest(con, u.landing, "Europe/London")
        assert (
            con.execute("select count(*) from raw.seats_attendance where student_id = ?", [u.student]).fetchone()[0]
            == 0
        )
        assert con.execute("select count(*) from raw.seats_attendance").fetchone()[0] > 0
        # A restore from a backup taken before the erasure puts rows back: the next privacy run erases them.
        con.execute(
            "insert into raw.sits_student (extract_date, student_id, _source_file, _source_line)"
            " values (date '2026-10-05', ?, 'x', 2)",
            [u.student],
        )
    assert u.student.encode() not in relanded.read_bytes()
    result = run(u)
    assert result.restored_rows_erased == 1
    with duckdb.connect(str(u.warehouse), read_only=True) as con:
        assert text_cells(con, [u.student]) == 0


def test_each_request_is_processed_once_and_one_needing_approval_without_it_is_refused(university):
    u = university
    requests(
        u.landing,
        f"P1,{u.student},restriction,2026-11-01,,",
        f"P2,{u.student},opt_out,2026-11-01,,",
        f"P3,{u.other},restriction,2026-11-01,,Board",
        f"P4,{u.other},lift_restriction,2026-11-03,,Board",
        f"P5,{u.other},safeguarding_override,2026-11-02,,Welfare lead",
    )
    first = run(u)
    assert (first.done, first.refused) == (
        {"opt_out": 1, "restriction": 1, "safeguarding_override": 1, "lift_restriction": 1},
        1,
    )
    assert ledger(u)["P1"][2:] == (
        "refused",
        "a restriction request needs APPROVED_BY (who approved it), and it is empty",
    )
    with duckdb.connect(str(u.warehouse), read_only=True) as con:
        states = dict(
            (r[0], r[1:])
            for r in con.execute(
                "select student_id, is_restricted, is_opted_out, has_safeguarding_override from meta.privacy_state"
            ).fetchall()
        )
    assert states == {u.student: (False, True, False), u.other: (False, False, True)}
    again = run(u)
    assert (again.done, again.refused) == ({}, 0)


@pytest.mark.parametrize(
    ("details", "reason"),
    [
        ("seats:{s}/{e} ATTENDED_WELL=1", "cannot be rectified"),
        ("seats:{s}/{e} START_TIME=2026-10-12T09:00:00Z", "cannot be rectified"),
        ("seats:{s}/{e} EVENT_ATTENDED=yes", "is not a valid INTEGER"),
        ("seats:{s}/NO-SUCH-EVENT EVENT_ATTENDED=1", "no seats row"),
    ],
)
def test_a_rectification_of_an_unknown_field_a_bad_value_or_a_missing_row_is_refused(university, details, reason):
    u = university
    with duckdb.connect(str(u.warehouse), read_only=True) as con:
        event = con.execute(
            "select min(event_id) from raw.seats_attendance where student_id = ?", [u.student]
        ).fetchone()[0]
    requests(u.landing, f"C1,{u.student},rectification,2026-11-01,{details.format(s=u.student, e=event)},DPO")
    run(u)
    status, why = ledger(u)["C1"][2:]
    assert status == "refused" and reason in why


def test_a_rectification_is_recorded_with_its_request_id(university):
    u = university
    with duckdb.connect(str(u.warehouse), read_only=True) as con:
        event = con.execute(
            "select min(event_id) from raw.seats_attendance where student_id = ?", [u.student]
        ).fetchone()[0]
    requests(u.landing, f"C1,{u.student},rectification,2026-11-01,seats:{u.student}/{event} EVENT_ATTENDED=0,DPO")
    assert run(u).done == {"rectification": 1}
    with duckdb.connect(str(u.warehouse), read_only=True) as con:
        assert con.execute("select request_id, target, row_key, field, value from meta.rectifications").fetchall() == [
            ("C1", "seats", f"{u.student}/{event}", "event_attended", "0")
        ]


def test_the_staging_models_apply_exactly_the_fields_a_rectification_may_change():
    import re
    from pathlib import Path

    models = Path(__file__).parents[3] / "dbt_project" / "models" / "staging"
    for target, model, table in [
        ("seats", "seats/stg_seats__attendances.sql", "seats_attendance"),
        ("sits.student", "sits/stg_sits__students.sql", "sits_student"),
        (
            "sits.studentassessmentinstance",
            "sits/stg_sits__studentassessmentinstances.sql",
            "sits_studentassessmentinstance",
        ),
    ]:
        sql = (models / model).read_text()
        listed = re.search(rf"rectification_overrides\('{re.escape(target)}', \[(.*?)\]\)", sql, re.DOTALL).group(1)
        assert set(re.findall(r"'(\w+)'", listed)) == set(rectifiable(table)), model
        assert set(re.findall(r"rectified\('(\w+)'", sql)) == set(rectifiable(table)), model
