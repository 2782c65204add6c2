"""Privacy requests under hostile input (governance.md): a malformed requests.csv loses nothing,
request ids that differ only by case or punctuation never share a path, and an access export
discloses no other student."""

import json
from pathlib import Path

import duckdb
import openpyxl
import pytest

from leap_assets.privacy.access_export import access_folder
from leap_assets.privacy.process import process
from leap_assets.privacy.requests import read_requests
from leap_assets.writing.names import request_name
from tests.hostile.conftest import SQL_SHAPED
from tests.support.landing import write

HEADER = "REQUEST_ID,STUDENT_ID,TYPE,RECEIVED_DATE,DETAILS,APPROVED_BY"


def run(u):
    return process(u.landing, u.publish, u.warehouse)


def ledger(u) -> dict[str, tuple]:
    with duckdb.connect(str(u.warehouse), read_only=True) as con:
        rows = con.execute("select request_id, request_type, status, reason from meta.privacy_requests").fetchall()
    return {r[0]: r[1:] for r in rows}


def quarantined(u) -> list[tuple]:
    with duckdb.connect(str(u.warehouse), read_only=True) as con:
        return con.execute(
            "select _source_line, reason from quarantine.rows where source = 'privacy' order by 1"
        ).fetchall()


def all_student_ids(u) -> set[str]:
    with duckdb.connect(str(u.warehouse), read_only=True) as con:
        return {r[0] for r in con.execute("select distinct student_id from raw.sits_student").fetchall()}


@pytest.mark.parametrize(
    ("bad_line", "reason"),
    [
        ('R2,{s},access,2026-11-01,"never closed,', "quote is not closed"),
        ("R2,{s},access,2026-11-01,,,,extra,fields", "expected 6 fields, found 9"),
        ('R2,{s},access,2026-11-01,"closed" then text,', "unreadable record"),
    ],
)
def test_a_malformed_line_is_quarantined_with_its_number_and_hides_no_request_after_it(university, bad_line, reason):
    u = university
    lines = [
        HEADER,
        f"R1,{u.student},opt_out,2026-11-01,,",
        bad_line.format(s=u.student),
        f"R3,{u.other},opt_out,2026-11-02,,",
        f'R4,{u.other},opt_in,2026-11-03,"a note, with a comma\nand a second line",',
    ]
    write(u.landing / "privacy" / "requests.csv", "\n".join(lines) + "\n")
    requests, problems = read_requests(u.landing)
    assert [r.request_id for r in requests] == ["R1", "R3", "R4"]
    assert [(line, reason in why) for line, _, why in problems] == [(3, True)]
    run(u)
    assert set(ledger(u)) == {"R1", "R3", "R4"}
    assert [line for line, _ in quarantined(u)] == [3]


def test_bom_crlf_and_ids_differing_only_by_case_are_separate_requests_with_separate_exports(university):
    u = university
    ids = ["ACC-1", "acc-1", "acc 1", "Acc_1", "acc/1", "../acc-1"]
    text = "\ufeff" + HEADER + "\r\n" + "".join(f"{i},{u.student},access,2026-11-01,,\r\n" for i in ids)
    write(u.landing / "privacy" / "requests.csv", text)
    result = run(u)
    assert result.done == {"access": len(ids)} and result.not_requests == 0
    folders = {access_folder(u.publish, i) for i in ids}
    assert len(folders) == len(ids)  # never shared, whatever the difference
    for request_id in ids:
        folder = access_folder(u.publish, request_id)
        assert folder.parent == (u.publish / "privacy" / "access").resolve()
        export = json.loads((folder / f"access-{request_name(request_id)}.json").read_text())
        assert export["request_id"] == request_id  # each folder holds its own request's export


def test_an_exact_duplicate_request_id_counts_once_and_is_quarantined(university):
    u = university
    write(
        u.landing / "privacy" / "requests.csv",
        f"{HEADER}\nR1,{u.student},opt_out,2026-11-01,,\nR1,{u.other},opt_out,2026-11-01,,\n",
    )
    run(u)
    assert list(ledger(u)) == ["R1"]
    assert quarantined(u) == [(3, "REQUEST_ID R1 appears again: only its first row counts")]


def test_an_erasure_rewrites_its_own_line_and_keeps_every_other_byte(university):
    u = university
    malformed = f'R9,{u.other},access,2026-11-01,"unterminated\r\n'
    body = (
        "\ufeff" + HEADER + "\r\n"
        f'R1,{u.other},opt_out,2026-11-01,"kept, ""as is""",\r\n'
        f"R2,{u.student},erasure,2026-11-02,,Data Protection Officer\r\n"
        + malformed
        + f"R3,{u.other},opt_in,2026-11-03,,\n"
    )
    path = write(u.landing / "privacy" / "requests.csv", body)
    run(u)
    assert ledger(u)["R2"][1] == "done"
    after = path.read_bytes().decode("utf-8")
    token = next(line for line in after.splitlines() if line.startswith("R2,")).split(",")[1]
    assert token.startswith("ERASED-") and u.student not in after
    assert after == body.replace(f"R2,{u.student},", f"R2,{token},")


@pytest.mark.parametrize("value", SQL_SHAPED)
def test_sql_shaped_request_fields_are_data(university, value):
    u = university
    quoted = '"' + value.replace('"', '""') + '"'
    write(
        u.landing / "privacy" / "requests.csv",
        f"{HEADER}\n{quoted},{u.student},opt_out,2026-11-01,{quoted},\nR2,{quoted},access,2026-11-01,,\n",
    )
    result = run(u)
    assert result.done.get("opt_out") == 1 and result.not_requests == 0
    assert set(ledger(u)) == {value, "R2"}
    assert len(all_student_ids(u)) == 30  # nothing dropped


def test_an_access_export_holds_no_other_students_id(university):
    u = university
    everyone = all_student_ids(u)
    others = everyone - {u.student}
    with duckdb.connect(str(u.warehouse)) as con:
        # A view that listed many students, and a quarantine record of another student whose id
        # merely contains this student's id.
        con.execute(
            "insert into meta.access_log values (now(), '9900001', 'admin', 'view', date '2026-10-12', ?, ?,"
            " null, 'tester')",
            [sorted(everyone), len(everyone)],
        )
        con.execute(
            "insert into quarantine.rows values ('seats', 'seats/x.tsv', 7, 'EVENT_ID', 'missing', false, ?, ?, now())",
            [f"9{u.student}", json.dumps({"student_id": f"9{u.student}", "event_id": "E1"})],
        )
        others.add(f"9{u.student}")
    write(u.landing / "privacy" / "requests.csv", f"{HEADER}\nA1,{u.student},access,2026-11-01,,\n")
    assert run(u).done == {"access": 1}
    folder = access_folder(u.publish, "A1")
    document = json.loads((folder / f"access-{request_name('A1')}.json").read_text())
    values = list(_walk(document))
    assert u.student in values and not others & set(values)
    assert not [v for v in values if isinstance(v, str) and any(o in v for o in others)]
    book = openpyxl.load_workbook(folder / f"access-{request_name('A1')}.xlsx")
    cells = [c.value for s in book.worksheets for r in s.iter_rows() for c in r if c.value is not None]
    assert not [v for v in cells if isinstance(v, str) and any(o in v for o in others)]
    assert document["layers"]["meta.access_log"][-1]["student_ids"] == [u.student]


def _walk(value):
    if isinstance(value, dict):
        for key, inner in value.items():
            yield key
            yield from _walk(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _walk(inner)
    else:
        yield value


def test_files_of_the_export_stay_inside_the_privacy_folder(university):
    u = university
    assert access_folder(u.publish, "../../../../tmp/x").is_relative_to((u.publish / "privacy" / "access").resolve())
    assert Path(access_folder(u.publish, "x" * 1000)).name.__len__() < 100
