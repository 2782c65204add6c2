"""The Student Engagement Report workbook, read back with openpyxl: exactly the format of outputs.md."""

import csv
from datetime import date

import openpyxl
import pytest

from leap_assets.reporting.columns import CONTACT, HEADERS, REASON_TEXTS, letter
from leap_assets.warehouse.db import connect
from tests.support.mart_rows import ENGINEERING, WEEK, build_warehouse, execute
from tests.support.published_reports import publish, sample_rows

EXPECTED_HEADERS = [
    "Student ID", "Last name", "First name", "Department", "Course", "Level", "Online only",
    "Attendance % (7 days)", "Attendance RAG", "VLE score (14 days)", "VLE active days", "Submissions due",
    "Submissions on time", "Submissions late", "Submissions missing", "Online RAG", "Combined RAG",
    "Previous week", "Change", "Reasons", "Opted out of support", "Last contact",
    "Contacted", "Contact date", "Contact method", "Outcome", "Follow-up needed", "Notes",
]  # fmt: skip


def sheet_of(path):
    return openpyxl.load_workbook(path)["Engagement"]


def records(sheet) -> list[dict]:
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


def test_workbook_is_published_under_the_week_and_school_slug(published, publish_root):
    result, path = published
    assert path == publish_root / "2026-10-12" / "school-of-engineering" / (
        "student-engagement_school-of-engineering_2026-10-12.xlsx"
    )
    assert path.with_suffix(".csv").exists()
    assert {r.slug for r in result.reports} == {"school-of-engineering", "school-of-health-psychological-sciences"}


def test_header_row_holds_exactly_the_28_texts_in_order(published):
    sheet = sheet_of(published[1])
    assert [c.value for c in sheet[1]] == EXPECTED_HEADERS == HEADERS


def test_student_ids_are_text_and_keep_leading_zeros(published):
    sheet = sheet_of(published[1])
    ids = [c for c in sheet["A"][1:]]
    assert all(c.data_type == "s" and isinstance(c.value, str) for c in ids)
    assert "00917342" in [c.value for c in ids]


def test_rows_sorted_by_combined_rag_then_names_case_insensitive_then_id(published):
    got = [
        (r["Combined RAG"], r["Last name"], r["First name"], r["Student ID"]) for r in records(sheet_of(published[1]))
    ]
    assert got == [
        ("Red", "ADAMS", "AL", "00000001"),
        ("Red", "Adams", "al", "00000003"),
        ("Red", "adams", "Bea", "00000002"),
        ("Amber", "Brown", "Cy", "00000004"),
        ("Green", "Online", "Ola", "00000006"),
        ("Green", "Zeta", "Ann", "00917342"),
        ("No data", "Adams", "Al", "00000005"),
    ]


def test_rag_cells_are_filled_and_spelled_out(published):
    sheet = sheet_of(published[1])
    colours = {"Red": "F4A3A3", "Amber": "FFD37F", "Green": "A9D8A0", "No data": "D9D9D9"}
    seen = set()
    for header in ("Attendance RAG", "Online RAG", "Combined RAG", "Previous week"):
        for cell in sheet[letter(header)][1:]:
            if cell.value is None:
                continue
            assert cell.value in colours, cell.value
            assert cell.fill.fill_type == "solid"
            assert cell.fill.start_color.rgb.endswith(colours[cell.value])
            seen.add(cell.value)
    assert seen == set(colours)


def test_scores_show_one_decimal_place(published):
    sheet = sheet_of(published[1])
    rows = {r["Student ID"]: r for r in records(sheet)}
    assert rows["00000002"]["Attendance % (7 days)"] == pytest.approx(33.3)
    assert rows["00000004"]["VLE score (14 days)"] == pytest.approx(74.3)  # half-up, as printed
    assert rows["00000005"]["Attendance % (7 days)"] is None
    for header in ("Attendance % (7 days)", "VLE score (14 days)"):
        assert all(c.number_format == "0.0" for c in sheet[letter(header)][1:])


def test_contact_columns_carry_drop_down_validation(published):
    sheet = sheet_of(published[1])
    last = sheet.max_row
    rules = {str(dv.sqref): dv for dv in sheet.data_validations.dataValidation}
    assert rules[f"W2:W{last}"].formula1 == '"Yes,No"'
    assert rules[f"AA2:AA{last}"].formula1 == '"Yes,No"'
    assert rules[f"Y2:Y{last}"].formula1 == '"Email,Phone,In person,Online meeting,Other"'
    assert rules[f"Z2:Z{last}"].formula1 == (
        '"Support offered,Referred to support service,Student declined,No response,Other"'
    )
    assert all(rules[f"{c}2:{c}{last}"].type == "list" for c in "WYZ")
    dated = rules[f"X2:X{last}"]
    # The report is issued on 2026-10-19; contacts may be dated within the four weeks after it.
    # An absent operator is "between", the file format's default (ECMA-376), which XlsxWriter leaves out.
    assert (dated.type, dated.operator or "between") == ("date", "between")
    assert (dated.formula1, dated.formula2) == ("DATE(2026,10,19)", "DATE(2026,11,16)")
    assert all(dv.showErrorMessage for dv in rules.values())


def test_figures_are_locked_contact_cells_unlocked_sheet_protected_without_password(published):
    sheet = sheet_of(published[1])
    assert sheet.protection.sheet is True
    assert not sheet.protection.password
    contact_letters = {letter(h) for h in CONTACT}
    for row in sheet.iter_rows(min_row=2, max_row=sheet.max_row):
        for cell in row:
            assert cell.protection.locked is (cell.column_letter not in contact_letters), cell.coordinate
    assert all(c.protection.locked for c in sheet[1])  # the header itself is locked


def test_header_is_frozen_and_auto_filter_covers_the_table(published):
    sheet = sheet_of(published[1])
    assert sheet.freeze_panes == "D2"
    assert sheet.auto_filter.ref == f"A1:AB{sheet.max_row}"
    assert sheet.max_row == 8


def test_opted_out_student_is_marked_do_not_contact(published):
    rows = {r["Student ID"]: r for r in records(sheet_of(published[1]))}
    assert rows["00000006"]["Opted out of support"] == "Do not contact: opted out"
    assert rows["00917342"]["Opted out of support"] == "No"
    assert rows["00000006"]["Online only"] == "Yes"
    assert rows["00000002"]["Reasons"] == (
        "Attendance is red.\nAt least one submission due in the window has not been received."
    )
    assert (rows["00000002"]["Change"], rows["00000003"]["Change"]) == ("Worse", "New")
    assert rows["00000003"]["Previous week"] is None


def test_no_workbook_holds_a_student_of_another_school(published, mart):
    result, _ = published
    school_of = dict(execute(mart, "select student_id, school from marts.engagement_weekly"))
    for report in result.reports:
        ids = [r["Student ID"] for r in records(sheet_of(report.files[0]))]
        assert ids and all(school_of[i] == report.school for i in ids)
        about = dict(
            r[:2] for r in openpyxl.load_workbook(report.files[0])["About this report"].iter_rows(values_only=True)
        )
        assert about["School"] == report.school
        csv_ids = [line.split(",")[0] for line in report.files[1].read_text(encoding="utf-8").splitlines()[1:]]
        assert csv_ids == ids


def test_reasons_are_plain_english_in_the_workbook_and_codes_in_the_csv_twin(published):
    path = published[1]
    book = {r["Student ID"]: r["Reasons"] for r in records(sheet_of(path))}
    with path.with_suffix(".csv").open(encoding="utf-8", newline="") as handle:
        twin = {r["Student ID"]: r["Reasons"] for r in csv.DictReader(handle)}
    assert twin["00000002"] == "ATTENDANCE_RED; SUBMISSION_MISSING"
    for student, codes in twin.items():
        texts = (book[student] or "").split("\n") if codes else []
        assert texts == [REASON_TEXTS[code] for code in codes.split("; ") if code], student
        assert not any(code in (book[student] or "") for code in REASON_TEXTS)
    about = openpyxl.load_workbook(path)["About this report"]
    glossary = {r[0]: r[1] for r in about.iter_rows(values_only=True) if r[0] in REASON_TEXTS}
    assert glossary == REASON_TEXTS  # the About sheet keeps every code beside its meaning


def test_printed_pages_say_whose_report_which_week_the_page_and_the_policy(published):
    book = openpyxl.load_workbook(published[1])
    for sheet in book.worksheets:
        assert sheet.oddHeader.right.text == f"School: {ENGINEERING}, week starting 2026-10-12", sheet.title
        assert sheet.oddHeader.left.text == "Student Engagement Report"
        assert sheet.oddFooter.left.text == "Page &P of &N"
        assert sheet.oddFooter.right.text == "Support, never punish"


def test_a_school_name_with_an_ampersand_is_not_read_as_a_printer_code(tmp_path):
    from leap_assets.reporting.workbook import write_workbook

    def header(about) -> str:
        path = tmp_path / "report.xlsx"
        write_workbook(path, [], date(2026, 10, 19), about)
        return openpyxl.load_workbook(path)["Engagement"].oddHeader.right.text

    about = [("title", "Student Engagement Report"), ("fact", "School", "Arts &P Design &&"),
             ("fact", "Week starting", "2026-10-12")]  # fmt: skip
    assert header(about) == "School: Arts &&P Design &&&&, week starting 2026-10-12"
    about[1] = ("fact", "Staff", "a\x00b\x07c")  # control characters a workbook cannot hold
    assert header(about) == "Staff: abc, week starting 2026-10-12"


def test_sorting_and_filtering_are_allowed_on_the_protected_sheet(published):
    sheet = sheet_of(published[1])
    assert sheet.protection.sheet is True
    assert sheet.protection.sort is False and sheet.protection.autoFilter is False  # False: not blocked
    assert sheet.auto_filter.ref


def test_csv_twin_has_the_same_columns_and_cells(published):
    path = published[1]
    with path.with_suffix(".csv").open(encoding="utf-8", newline="") as handle:
        lines = list(csv.reader(handle))
    assert lines[0] == HEADERS
    sheet_rows = list(sheet_of(path).iter_rows(min_row=2, values_only=True))
    assert len(lines) - 1 == len(sheet_rows)
    reasons = HEADERS.index("Reasons")
    for text, cells in zip(lines[1:], sheet_rows, strict=True):
        for column, (value, cell) in enumerate(zip(text, cells, strict=True)):
            if column == reasons:
                continue  # the workbook shows the codes' meanings (see the test above)
            expected = "" if cell is None else f"{cell:.1f}" if isinstance(cell, float) else str(cell)
            if isinstance(cell, int) and not isinstance(cell, bool) and "." in value:
                expected = f"{cell:.1f}"  # a whole score (80.0) reads back from xlsx as 80
            assert value == expected


def test_about_sheet_states_the_week_windows_rules_sources_counts_and_reminders(published):
    about = openpyxl.load_workbook(published[1])["About this report"]
    cells = {r[0]: r[1] for r in about.iter_rows(values_only=True) if r[0]}
    assert cells["School"] == ENGINEERING
    assert cells["Week starting"] == "2026-10-12"
    assert cells["As-of date"] == "2026-10-18"
    assert cells["Report date"] == "2026-10-19"
    assert cells["Rule version"] == "0123abcd4567"
    assert cells["Attendance"] == "7 days: 2026-10-12 to 2026-10-18"
    assert cells["VLE (Moodle)"] == "14 days: 2026-10-05 to 2026-10-18"
    assert cells["Submissions"] == "28 days: 2026-09-21 to 2026-10-18"
    assert cells["SITS (student records)"] == "extract of 2026-10-19"
    assert (cells["Red"], cells["Amber"], cells["Green"], cells["No data"], cells["Total"]) == (3, 1, 2, 1, 7)
    assert cells["summary_green_min"] == "70" and cells["attendance_amber_min"] == "50"
    text = " ".join(str(v) for r in about.iter_rows(values_only=True) for v in r if v)
    for reminder in ("Act on the combined RAG", "Support, never punish", "Document contact",
                     "Discount attendance for online-only students"):  # fmt: skip
        assert reminder in text


def test_about_sheet_newest_source_dates_ignore_data_after_the_as_of_date(tmp_path, publish_root):
    warehouse = build_warehouse(tmp_path / "w.duckdb", sample_rows())
    with connect(warehouse) as con:
        for day in ("2026-10-16", "2026-10-25"):  # the second is after the as-of date (2026-10-18)
            con.execute(
                "insert into raw.seats_attendance (file_date, start_date, _source_file, _source_line)"
                " values (?, ?, 'seats/x.tsv', 2)",
                [day, day],
            )
        for number, day in enumerate(("2026-10-18", "2026-10-19")):
            con.execute(
                "insert into raw.moodle_log (id, file_date, event_date, _source_file, _source_line)"
                " values (?, ?, ?, 'moodle/x.csv', 2)",
                [number, day, day],
            )
    result = publish(warehouse, publish_root)
    about = openpyxl.load_workbook(result.reports[0].files[0])["About this report"]
    cells = {r[0]: r[1] for r in about.iter_rows(values_only=True) if r[0]}
    assert (cells["SEAtS (attendance)"], cells["Moodle (VLE)"]) == ("2026-10-16", "2026-10-18")


def test_the_report_week_is_the_one_asked_for(published):
    assert published[0].week == WEEK == date(2026, 10, 12)


def test_each_cell_looks_as_its_column_and_value_say(published):
    sheet = sheet_of(published[1])
    column = {h: letter(h) for h in HEADERS}
    for row in range(2, sheet.max_row + 1):
        cell = {h: sheet[f"{column[h]}{row}"] for h in HEADERS}
        assert cell["Student ID"].number_format == "@"  # text: Excel keeps the leading zeros on edit
        assert cell["Last contact"].number_format == cell["Contact date"].number_format == "yyyy-mm-dd"
        assert cell["Reasons"].alignment.wrap_text and cell["Notes"].alignment.wrap_text
        assert not cell["Last name"].alignment.wrap_text and cell["Last name"].alignment.vertical == "top"
        if cell["Combined RAG"].value:
            assert cell["Combined RAG"].alignment.horizontal == "center"
        opted = cell["Opted out of support"]
        assert bool(opted.font.bold) is (opted.value == "Do not contact: opted out"), opted.coordinate
        assert cell["Contacted"].fill.start_color.rgb.endswith("FFF8DC")
    assert any(sheet[f"{column['Opted out of support']}{r}"].font.bold for r in range(2, sheet.max_row + 1))
