"""Returned workbooks under hostile input (outputs.md, operations.md "Inputs have limits"): too big, a
zip bomb, too many rows, formulas in contact cells, extra sheets, hidden rows, merged cells, another
week's or school's report, SQL in the notes. Each is rejected whole in one sentence, or loads what is
valid and quarantines the rest with a cell reference."""

import time
import tracemalloc
import zipfile
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from leap_assets.reporting import contacts
from leap_assets.reporting.columns import HEADERS
from leap_assets.warehouse.db import connect
from tests.hostile.conftest import SQL_SHAPED, one_sentence
from tests.support.mart_rows import WEEK, add_rows, execute, row

VALID = {
    "Contacted": "Yes",
    "Contact date": date(2026, 10, 20),
    "Contact method": "Email",
    "Outcome": "Support offered",
    "Follow-up needed": "No",
    "Notes": "Arranged a chat",
}


def returned(report: Path, landing: Path, name: str = "r.xlsx", fill=None, week: date = WEEK) -> Path:
    """The published report saved as a return, after `fill(book)` changed it."""
    book = openpyxl.load_workbook(report)
    if fill:
        fill(book)
    target = landing / "returns" / week.isoformat() / name
    target.parent.mkdir(parents=True, exist_ok=True)
    book.save(target)
    return target


def set_contact(sheet, line: int, values: dict) -> None:
    for header, value in values.items():
        sheet.cell(line, HEADERS.index(header) + 1).value = value


def ingest(warehouse: Path, landing: Path, max_mb: float = 20.0):
    with connect(warehouse) as con:
        (outcome,) = contacts.ingest(con, landing, "Europe/London", max_mb)
    return outcome


def loaded(warehouse: Path) -> list[tuple]:
    return execute(warehouse, "select student_id, notes from marts.contacts order by 1")


def quarantined(warehouse: Path) -> list[tuple]:
    return execute(warehouse, "select field, reason from quarantine.rows where source = 'returns' order by 1")


def assert_rejected(outcome, *words: str) -> None:
    assert outcome.status == "rejected" and outcome.rows_loaded == 0
    assert one_sentence(outcome.message) and all(word in outcome.message for word in words), outcome.message


def test_a_formula_in_a_contact_cell_is_quarantined_with_its_reference_and_the_rest_loads(mart, published, landing):
    _, report = published

    def fill(book):
        sheet = book["Engagement"]
        set_contact(sheet, 2, VALID)
        set_contact(sheet, 3, {**VALID, "Notes": '=HYPERLINK("http://x.example","y")'})
        set_contact(sheet, 4, {**VALID, "Contact method": "=A1"})

    returned(report, landing, fill=fill)
    outcome = ingest(mart, landing)
    notes, method = HEADERS.index("Notes") + 1, HEADERS.index("Contact method") + 1
    letter = openpyxl.utils.get_column_letter
    assert (outcome.rows_loaded, outcome.rows_quarantined) == (1, 2)
    refs = {f"Engagement!{letter(method)}4", f"Engagement!{letter(notes)}3"}
    assert {field for field, _ in quarantined(mart)} == refs
    assert all("formula" in reason for _, reason in quarantined(mart))


def test_a_workbook_over_the_size_limit_is_rejected_unread(mart, published, landing):
    _, report = published
    returned(report, landing)
    assert_rejected(ingest(mart, landing, max_mb=0.001), "LEAP_RETURN_MAX_MB", "MB")
    assert loaded(mart) == [] and quarantined(mart) == []


def test_a_zip_bomb_shaped_workbook_is_rejected_before_it_is_opened(mart, published, landing):
    _, report = published
    target = returned(report, landing)
    with zipfile.ZipFile(target, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", b"\0" * 30_000_000)  # 30 MB that zips to ~30 kB
    assert target.stat().st_size < 200_000
    started = time.monotonic()
    assert_rejected(ingest(mart, landing, max_mb=1), "expand", "rejected unread")
    assert time.monotonic() - started < 5


def test_more_rows_than_the_report_plus_100_are_rejected_whole_while_streaming(mart, published, landing):
    _, report = published

    def fill(book):
        sheet = book["Engagement"]
        for line in range(2, 3000):
            sheet.cell(line, 1).value = f"X{line:07d}"
            set_contact(sheet, line, VALID)

    target = returned(report, landing, fill=fill)
    tracemalloc.start()
    outcome = ingest(mart, landing)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert_rejected(outcome, "more than 107 rows", "rejected whole")  # 7 Engineering students + 100
    assert loaded(mart) == [] and quarantined(mart) == []  # no flood of quarantine records
    assert peak < 50_000_000, f"{peak / 1e6:.0f} MB to reject {target.stat().st_size / 1e6:.1f} MB"


def test_an_extra_sheet_hidden_rows_and_merged_cells_change_nothing_about_what_loads(mart, published, landing):
    _, report = published

    def fill(book):
        sheet = book["Engagement"]
        sheet.protection.sheet = False
        set_contact(sheet, 2, VALID)
        set_contact(sheet, 3, {**VALID, "Notes": "hidden but valid"})
        sheet.row_dimensions[3].hidden = True
        notes = HEADERS.index("Notes") + 1
        sheet.merge_cells(start_row=4, start_column=notes - 1, end_row=5, end_column=notes)
        extra = book.create_sheet("My notes")
        extra["A1"] = "=1+1"
        extra["A2"] = "00000002"

    returned(report, landing, fill=fill)
    outcome = ingest(mart, landing)
    assert outcome.status == "loaded" and outcome.rows_loaded == 2
    assert len(loaded(mart)) == 2 and "hidden but valid" in [notes for _, notes in loaded(mart)]


def test_a_return_of_another_week_is_rejected_in_one_sentence(mart, published, landing):
    _, report = published
    add_rows(mart, [row("00000001", week=date(2026, 10, 19))])
    returned(report, landing, week=date(2026, 10, 19), fill=lambda b: set_contact(b["Engagement"], 2, VALID))
    assert_rejected(ingest(mart, landing), "report of week 2026-10-12", "2026-10-19")
    assert loaded(mart) == []


def test_a_return_naming_another_school_loads_only_that_schools_students(mart, published, landing):
    _, report = published

    def fill(book):
        about = book["About this report"]
        for cells in about.iter_rows():
            if cells[0].value == "School":
                cells[1].value = "School of Health & Psychological Sciences"
        set_contact(book["Engagement"], 2, VALID)

    returned(report, landing, fill=fill)
    outcome = ingest(mart, landing)
    # The Engineering students are not in Health's report: quarantined by cell, nothing loads for them.
    assert outcome.rows_loaded == 0 and outcome.rows_quarantined == 1
    assert "not in this school's report" in quarantined(mart)[0][1]


@pytest.mark.parametrize("value", SQL_SHAPED)
def test_sql_shaped_notes_and_ids_are_data(mart, published, landing, value):
    _, report = published

    def fill(book):
        set_contact(book["Engagement"], 2, {**VALID, "Notes": value})
        book["Engagement"].cell(3, 1).value = value
        set_contact(book["Engagement"], 3, VALID)

    returned(report, landing, fill=fill)
    outcome = ingest(mart, landing)
    assert (outcome.rows_loaded, outcome.rows_quarantined) == (1, 1)
    assert loaded(mart)[0][1] == value
    assert execute(mart, "select count(*) from marts.engagement_weekly")[0][0] == 9


def test_a_file_that_is_not_a_workbook_is_rejected_in_one_sentence(mart, landing):
    path = landing / "returns" / WEEK.isoformat() / "r.xlsx"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"PK\x03\x04 not really a zip")
    assert_rejected(ingest(mart, landing), "not a readable Excel workbook")
