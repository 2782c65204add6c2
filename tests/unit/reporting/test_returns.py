"""The contact loop: returned workbooks read by header name, validated, quarantined by cell, loaded."""

import json
import os
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from leap_assets.reporting import contacts
from leap_assets.reporting.columns import HEADERS
from leap_assets.warehouse.db import connect
from tests.support.mart_rows import WEEK, add_rows, execute, row
from tests.support.published_reports import publish

NEXT_WEEK = date(2026, 10, 19)


def fill(report: Path, target: Path, entries: dict[str, dict], mtime: int | None = None, edit=None) -> Path:
    """Save `report` as a returned workbook with contact cells filled in, by student id and header."""
    book = openpyxl.load_workbook(report)
    sheet = book["Engagement"]
    for cells in sheet.iter_rows(min_row=2):
        values = entries.get(cells[0].value, {})
        for header, value in values.items():
            cells[HEADERS.index(header)].value = value
    if edit:
        edit(book)
    target.parent.mkdir(parents=True, exist_ok=True)
    book.save(target)
    if mtime is not None:
        os.utime(target, (mtime, mtime))
    return target


def ingest(warehouse: Path, landing: Path):
    with connect(warehouse) as con:
        return contacts.ingest(con, landing, "Europe/London")


def contact_rows(warehouse: Path) -> dict[str, tuple]:
    found = execute(
        warehouse,
        "select student_id, contacted, contact_date, contact_method, outcome, follow_up_needed, notes, _source_file"
        " from marts.contacts order by student_id",
    )
    return {r[0]: r[1:] for r in found}


def quarantined(warehouse: Path) -> list[tuple]:
    return execute(
        warehouse,
        "select field, reason, _source_line, student_id, record from quarantine.rows"
        " where source = 'returns' order by _source_line, field",
    )


@pytest.fixture
def returns_dir(landing: Path) -> Path:
    return landing / "returns" / WEEK.isoformat()


VALID = {
    "Contacted": "Yes",
    "Contact date": date(2026, 10, 20),
    "Contact method": "Email",
    "Outcome": "Support offered",
    "Follow-up needed": "No",
    "Notes": "Arranged a chat",
}


def test_a_filled_in_return_loads_into_the_contacts_mart(mart, published, landing, returns_dir):
    entries = {
        "00000002": VALID,
        "00000004": {
            "Contacted": "no",
            "Contact method": "phone",
            "Outcome": "No response",
            "Contact date": "21/10/2026",
        },
    }
    fill(published[1], returns_dir / "engineering.xlsx", entries)
    [outcome] = ingest(mart, landing)
    assert (outcome.status, outcome.rows_loaded, outcome.rows_quarantined) == ("loaded", 2, 0)
    assert outcome.newest_data_date == date(2026, 10, 21)
    rel = "returns/2026-10-12/engineering.xlsx"
    assert contact_rows(mart) == {
        "00000002": (True, date(2026, 10, 20), "Email", "Support offered", False, "Arranged a chat", rel),
        "00000004": (False, date(2026, 10, 21), "Phone", "No response", None, None, rel),
    }
    assert execute(mart, "select distinct week_start from marts.contacts") == [(WEEK,)]
    assert execute(mart, "select source, status from meta.landed_files") == [("returns", "loaded")]


def test_invalid_cells_are_quarantined_with_cell_references_and_the_rest_load(mart, published, landing, returns_dir):
    # Row order in the Engineering report: 00000001, 00000003, 00000002, 00000004, 00000006, 00917342, 00000005.
    entries = {
        "00000001": {**VALID, "Contact method": "Fax"},
        "00000003": {**VALID, "Contact date": "31/02/2026"},
        "00000002": {**VALID, "Contacted": "Maybe", "Outcome": "Great"},
        "00000004": VALID,
        "00000006": {**VALID, "Contact date": date(2026, 12, 25)},
    }

    def smuggle_health_student(book):
        book["Engagement"]["A7"].value = "10000001"  # 00917342's row now names a Health student

    fill(published[1], returns_dir / "r.xlsx", {**entries, "00917342": VALID}, edit=smuggle_health_student)
    [outcome] = ingest(mart, landing)
    assert (outcome.status, outcome.rows_loaded, outcome.rows_quarantined) == ("loaded", 1, 5)
    assert list(contact_rows(mart)) == ["00000004"]
    found = [(field, reason.split(" (")[0], line, student) for field, reason, line, student, _ in quarantined(mart)]
    assert found == [
        ("Engagement!Y2", "Contact method not in the drop-down list", 2, "00000001"),
        ("Engagement!X3", "Contact date does not parse as a date", 3, "00000003"),
        ("Engagement!W4", "Contacted not in the drop-down list", 4, "00000002"),
        ("Engagement!Z4", "Outcome not in the drop-down list", 4, "00000002"),
        ("Engagement!X6", "Contact date outside the four weeks after the report date", 6, "00000006"),
        ("Engagement!A7", "student not in this school's report for this week", 7, "10000001"),
    ]
    record = json.loads(quarantined(mart)[0][4])
    assert record["cell"] == "Engagement!Y2" and record["Contact method"] == "Fax" and "Notes" not in record


def test_columns_are_found_by_header_name_not_letter(mart, published, landing, returns_dir):
    def move_columns(book):
        sheet = book["Engagement"]
        sheet.insert_rows(1)  # a title row above the header
        sheet["A1"] = "Returned by the school office"
        sheet.insert_cols(2, 3)

    fill(published[1], returns_dir / "moved.xlsx", {"00000004": VALID}, edit=move_columns)
    [outcome] = ingest(mart, landing)
    assert outcome.rows_loaded == 1
    assert contact_rows(mart)["00000004"][2] == "Email"


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            lambda b: setattr(b["Engagement"], "title", "Sheet1"),
            "not a LEAP Student Engagement Report: it has no sheet",
        ),
        (lambda b: b["Engagement"].delete_cols(26), "has no column(s) Outcome"),
        (lambda b: b["About this report"].__setitem__("B4", "2026-10-19"), "the report of week 2026-10-19"),
    ],
)
def test_a_workbook_that_is_not_this_weeks_leap_report_is_rejected_whole(
    mart, published, landing, returns_dir, edit, message
):
    fill(published[1], returns_dir / "foreign.xlsx", {"00000004": VALID}, edit=edit)
    [outcome] = ingest(mart, landing)
    assert outcome.status == "rejected"
    assert outcome.message.startswith("returns/2026-10-12/foreign.xlsx: ") and message in outcome.message
    assert contact_rows(mart) == {} and quarantined(mart) == []


def test_bytes_that_are_no_workbook_are_rejected_whole(mart, landing, returns_dir):
    returns_dir.mkdir(parents=True)
    (returns_dir / "notes.xlsx").write_text("not a zip")
    [outcome] = ingest(mart, landing)
    assert outcome.status == "rejected" and "not a readable Excel workbook" in outcome.message


def test_relanding_the_same_workbook_changes_nothing(mart, published, landing, returns_dir):
    fill(published[1], returns_dir / "r.xlsx", {"00000004": VALID, "00000001": {**VALID, "Outcome": "?"}})
    assert len(ingest(mart, landing)) == 1
    # (The registry may note the file's size and mtime on a later pass: that is not a landing.)
    registry = "select path, sha256, status, rows_loaded, rows_quarantined, landed_at from meta.landed_files"
    before = (contact_rows(mart), quarantined(mart), execute(mart, registry))
    assert ingest(mart, landing) == []
    assert (contact_rows(mart), quarantined(mart), execute(mart, registry)) == before


def test_a_later_return_for_the_same_week_and_student_replaces_the_earlier(mart, published, landing, returns_dir):
    early = fill(published[1], returns_dir / "b-first.xlsx", {"00000004": VALID, "00000002": VALID}, mtime=1_000)
    later = {"00000004": {**VALID, "Outcome": "Referred to support service", "Notes": None}}
    fill(published[1], returns_dir / "a-second.xlsx", later, mtime=2_000)
    outcomes = ingest(mart, landing)
    assert [o.rel.rsplit("/", 1)[1] for o in outcomes] == ["b-first.xlsx", "a-second.xlsx"]  # by landing time
    rows = contact_rows(mart)
    assert rows["00000004"][3:] == ("Referred to support service", False, None, "returns/2026-10-12/a-second.xlsx")
    assert rows["00000002"][-1] == "returns/2026-10-12/b-first.xlsx"
    # New bytes at the first path: it is now the latest return for what it holds.
    fill(published[1], early, {"00000004": {**VALID, "Outcome": "Student declined"}}, mtime=3_000)
    ingest(mart, landing)
    rows = contact_rows(mart)
    assert rows["00000004"][3] == "Student declined" and "00000002" not in rows
    assert execute(mart, "select count(*) from marts.contacts where student_id = '00000004'") == [(1,)]


def test_rows_whose_contact_columns_are_empty_are_not_contacts(mart, published, landing, returns_dir):
    fill(published[1], returns_dir / "r.xlsx", {"00000004": {"Notes": "  "}, "00000002": {"Notes": "Left a message"}})
    [outcome] = ingest(mart, landing)
    assert outcome.rows_loaded == 1 and outcome.rows_quarantined == 0
    assert contact_rows(mart)["00000002"][5] == "Left a message"


def test_the_school_is_taken_from_the_file_name_when_the_about_sheet_is_gone(mart, published, landing, returns_dir):
    target = returns_dir / published[1].name
    fill(published[1], target, {"00000004": VALID}, edit=lambda b: b.remove(b["About this report"]))
    assert ingest(mart, landing)[0].rows_loaded == 1
    fill(
        published[1], returns_dir / "renamed.xlsx", {"00000004": VALID}, edit=lambda b: b.remove(b["About this report"])
    )
    outcome = ingest(mart, landing)[0]
    assert outcome.status == "rejected" and "cannot tell which school's report this is" in outcome.message


def test_next_weeks_report_shows_the_last_contact_date(mart, published, publish_root, landing, returns_dir):
    add_rows(mart, [row("00000004", week=NEXT_WEEK), row("00000002", week=NEXT_WEEK)])
    fill(published[1], returns_dir / "r.xlsx", {"00000004": VALID, "00000002": {**VALID, "Contact date": None}})
    ingest(mart, landing)
    following = publish(mart, publish_root, NEXT_WEEK)
    sheet = openpyxl.load_workbook(following.files[0])["Engagement"]
    last = {r[0]: r[HEADERS.index("Last contact")] for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert last["00000004"].date() == date(2026, 10, 20)
    assert last["00000002"] is None
    assert "2026-10-20" in following.files[1].read_text()
    # The week's own report does not show contacts made after it was issued.
    again = publish(mart, publish_root, WEEK)
    sheet = openpyxl.load_workbook(again.reports[0].files[0])["Engagement"]
    assert all(r[HEADERS.index("Last contact")] is None for r in sheet.iter_rows(min_row=2, values_only=True))


def test_a_return_for_a_week_not_built_yet_waits_instead_of_being_rejected(mart, published, landing):
    entry = {**VALID, "Contact date": date(2026, 10, 27)}  # next week's report is issued on 2026-10-26
    target = fill(published[1], landing / "returns" / NEXT_WEEK.isoformat() / "r.xlsx", {"00000004": entry})
    edit = openpyxl.load_workbook(target)
    edit["About this report"]["B4"] = NEXT_WEEK.isoformat()
    edit.save(target)
    with connect(mart) as con:
        assert contacts.waiting(con, landing) == [target]
    assert ingest(mart, landing) == []
    assert execute(mart, "select count(*) from meta.landed_files") == [(0,)]
    add_rows(mart, [row("00000004", week=NEXT_WEEK)])
    [outcome] = ingest(mart, landing)
    assert outcome.rows_loaded == 1
    assert execute(mart, "select week_start, student_id from marts.contacts") == [(NEXT_WEEK, "00000004")]
