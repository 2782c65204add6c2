"""Text from data is only ever text (outputs.md): hostile names, titles, school names and staff ids in
every workbook and CSV LEAP writes; path characters and unicode in school names and staff ids."""

import csv
import zipfile
from datetime import date
from pathlib import Path

import openpyxl
import pytest
import yaml
from click.testing import CliRunner

from leap_assets.reporting.access import Grant
from leap_assets.reporting.views import ViewError, write_view
from leap_assets.writing.cells import csv_cell, csv_value
from orchestration.cli import main
from tests.hostile.conftest import FORMULAS, PATH_SHAPED, SQL_SHAPED, UNICODE, one_sentence
from tests.support.mart_rows import WEEK, build_warehouse, execute, row
from tests.support.published_reports import publish

HOSTILE = FORMULAS + SQL_SHAPED
ADMIN = "9900001"


def formulas_in(book_path: Path) -> list[str]:
    """Every formula a spreadsheet would run: `<f>` elements in any part, formula cells by openpyxl."""
    found = []
    with zipfile.ZipFile(book_path) as archive:
        for name in archive.namelist():
            data = archive.read(name)
            if b"<f>" in data or b"<f " in data:
                found.append(name)
    book = openpyxl.load_workbook(book_path)
    for sheet in book.worksheets:
        for cells in sheet.iter_rows():
            found += [f"{sheet.title}!{c.coordinate}" for c in cells if c.data_type == "f"]
    return found


def texts_in(book_path: Path) -> set[str]:
    book = openpyxl.load_workbook(book_path)
    return {c.value for s in book.worksheets for cells in s.iter_rows() for c in cells if isinstance(c.value, str)}


@pytest.fixture
def hostile_week(tmp_path: Path) -> Path:
    """A week whose names, courses, departments and schools are formulas, SQL and path tricks."""
    rows = []
    for number, value in enumerate(HOSTILE, start=1):
        rows.append(
            row(
                f"0000{number:04d}",
                first_name=value,
                last_name=value,
                department=value,
                course_title=value,
                school=PATH_SHAPED[number % len(PATH_SHAPED)] if number % 2 else UNICODE[number % len(UNICODE)],
            )
        )
    rows.append(row("=0000999", first_name="Formula", last_name="Id", school="=School"))
    return build_warehouse(tmp_path / "warehouse.duckdb", rows)


def test_hostile_text_is_a_string_cell_in_every_report_and_a_quoted_text_in_every_csv(hostile_week, tmp_path):
    root = tmp_path / "publish"
    result = publish(hostile_week, root)
    assert sum(r.rows for r in result.reports) == len(HOSTILE) + 1  # nobody lost
    for report in result.reports:
        book, twin = report.files
        assert book.resolve().is_relative_to(root.resolve()) and twin.resolve().is_relative_to(root.resolve())
        assert formulas_in(book) == []
        texts = texts_in(book)
        assert report.school in texts  # the school name, verbatim, as text on the About sheet
        with twin.open(encoding="utf-8", newline="") as handle:
            cells = [cell for line in csv.reader(handle) for cell in line]
        assert not [c for c in cells if c.startswith(("=", "+", "@", "\t", "\r"))]
        assert not [c for c in cells if c.startswith("-") and not c.lstrip("-").replace(".", "").isdigit()]
    # Nothing lost either: every hostile value is in a workbook as the text it was, and in a CSV twin.
    texts = {text for r in result.reports for text in texts_in(r.files[0])}
    cells = {csv_value(cell) for r in result.reports for cell in _csv_cells(r.files[1])}
    kept = [v for v in HOSTILE if "\r" not in v]  # XML reads a carriage return back as a newline
    assert set(kept) <= texts and set(kept) <= cells


def _csv_cells(path: Path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [cell for line in csv.reader(handle) for cell in line]


@pytest.mark.parametrize("value", FORMULAS)
def test_the_csv_rule_quotes_a_formula_and_leaves_numbers_and_dates_alone(value):
    assert csv_cell(value) == "'" + value
    assert csv_value(csv_cell(value)) == value
    assert (csv_cell(-2.5), csv_cell(3), csv_cell(date(2026, 10, 12))) == ("-2.5", "3", "2026-10-12")
    assert csv_cell("'quoted already") == "'quoted already"


@pytest.mark.parametrize(
    "staff",
    [*FORMULAS, *SQL_SHAPED, *PATH_SHAPED, "Zoë-Ñ", "学校職員", "s" * 220, "S" * 5000, "a\x00b", "x\x07y"],
)
def test_a_view_for_any_staff_id_is_written_inside_its_folder_or_refused_in_one_sentence(mart, tmp_path, staff):
    publish_root = tmp_path / "publish"
    grants = {staff: Grant(staff, "admin", "DPO", date(2026, 9, 1))}
    try:
        result = write_view(mart, publish_root, staff, WEEK, grants)
    except ViewError as error:  # a refusal is fine; a traceback is not
        assert one_sentence(str(error))
        return
    book, twin = result.files
    for path in (book, twin):
        assert path.resolve().is_relative_to(publish_root.resolve())
        assert len(path.name.encode()) < 255
    assert formulas_in(book) == []
    logged = execute(mart, "select staff_id from meta.access_log where action = 'view'")
    assert logged == [(staff,)]  # the exact id, bound as a parameter, never SQL


def test_an_ungranted_hostile_staff_id_is_refused_in_one_sentence_and_logged(mart, tmp_path):
    staff = SQL_SHAPED[0]
    with pytest.raises(ViewError) as refused:
        write_view(mart, tmp_path / "publish", staff, WEEK, {ADMIN: Grant(ADMIN, "admin", "DPO", date(2026, 9, 1))})
    assert one_sentence(str(refused.value))
    assert execute(mart, "select staff_id, action from meta.access_log") == [(staff, "view_refused")]
    assert not (tmp_path / "publish").exists()


@pytest.mark.parametrize("staff", ["s" * 300, "Ünïcödé/../staff", SQL_SHAPED[0], FORMULAS[1]])
def test_leap_view_with_any_staff_id_answers_in_one_sentence_or_works(mart, tmp_path, monkeypatch, staff):
    access = tmp_path / "access.yml"
    grant = {staff: {"role": "admin", "approved_by": "DPO", "approved_on": date(2026, 9, 1)}}
    access.write_text(yaml.safe_dump(grant, allow_unicode=True), encoding="utf-8")
    env = {"LEAP_WAREHOUSE": mart, "LEAP_PUBLISH": tmp_path / "publish", "LEAP_ACCESS_FILE": access}
    for name, value in env.items():
        monkeypatch.setenv(name, str(value))
    granted = CliRunner().invoke(main, ["view", "--staff", staff, "--week", WEEK.isoformat()])
    assert granted.exit_code == 0 and "Traceback" not in granted.output, granted.output
    refused = CliRunner().invoke(main, ["view", "--staff", staff + "x" * 5000, "--week", WEEK.isoformat()])
    assert refused.exit_code == 1 and refused.output.startswith("leap: staff ") and one_sentence(refused.output)
