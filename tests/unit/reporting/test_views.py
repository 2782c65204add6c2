"""Scoped views (governance.md): tutors by the week's SITS links, schools and site-wide by grant, and
every view or refusal in the access log, which holds no engagement figures."""

from datetime import date
from pathlib import Path

import openpyxl
import pytest

from leap_assets.reporting.access import AccessFileError, Grant, load_grants
from leap_assets.reporting.views import ViewError, write_view
from tests.support.mart_rows import ENGINEERING, HEALTH, WEEK, execute
from tests.support.published_reports import publish

ROOT = Path(__file__).resolve().parents[3]
EXTRACT = date(2026, 10, 19)  # the week's sits_extract_date
TUTOR, OTHER_TUTOR, SCHOOL_STAFF, UNGRANTED_SCHOOL_STAFF, ADMIN = "0000001", "0000002", "0000009", "0000010", "9900001"
GRANTS = {
    SCHOOL_STAFF: Grant(SCHOOL_STAFF, "school", "Board", date(2026, 9, 1)),
    ADMIN: Grant(ADMIN, "admin", "DPO", date(2026, 9, 1)),
}


def links(warehouse: Path, extract: date, rows: list[tuple[str, str, str, str]]) -> None:
    for line, (staff, prop, value, relationship) in enumerate(rows, start=2):
        execute(
            warehouse,
            "insert into raw.sits_stafflink values (?, ?, ?, ?, ?, 'sits/x/stafflink.tsv', ?)",
            [extract, staff, prop, value, relationship, line],
        )


def on_module(warehouse: Path, extract: date, module: str, students: list[str]) -> None:
    for student in students:
        execute(
            warehouse,
            "insert into raw.sits_studentmoduleinstance values (?, ?, ?, '2026-09-21', '2026-12-11', null, 'x', 2)",
            [extract, student, module],
        )


@pytest.fixture
def scoped(mart: Path) -> Path:
    """Links in the week's snapshot, and older links in an earlier one that must not count."""
    links(
        mart,
        EXTRACT,
        [
            (TUTOR, "STUDENT_ID", "00000001", "PERSONAL_TUTOR"),
            (TUTOR, "STUDENT_ID", "00000002", "PERSONAL_TUTOR"),
            (TUTOR, "MOD_INSTANCE_ID", "MOD-1", "MODULE_TUTOR"),
            (OTHER_TUTOR, "STUDENT_ID", "00000003", "PERSONAL_TUTOR"),
            (OTHER_TUTOR, "MOD_INSTANCE_ID", "MOD-2", "MODULE_TUTOR"),
            (SCHOOL_STAFF, "INST_TIER_1", HEALTH, "SCHOOL_STAFF"),
            (UNGRANTED_SCHOOL_STAFF, "INST_TIER_1", ENGINEERING, "SCHOOL_STAFF"),
        ],
    )
    on_module(mart, EXTRACT, "MOD-1", ["00000004", "10000001"])
    on_module(mart, EXTRACT, "MOD-2", ["00000005"])
    links(mart, date(2026, 10, 12), [(TUTOR, "STUDENT_ID", "00000006", "PERSONAL_TUTOR")])
    on_module(mart, date(2026, 10, 12), "MOD-1", ["00917342"])
    return mart


def view_ids(path: Path) -> set[str]:
    sheet = openpyxl.load_workbook(path)["Engagement"]
    return {r[0] for r in sheet.iter_rows(min_row=2, values_only=True)}


def log_rows(warehouse: Path) -> list[tuple]:
    return execute(
        warehouse,
        "select staff_id, role, action, week_start, student_ids, student_count, output from meta.access_log"
        " order by accessed_at",
    )


def test_a_tutor_sees_exactly_their_tutees_and_module_students_of_the_weeks_snapshot(scoped, publish_root):
    result = write_view(scoped, publish_root, TUTOR, WEEK, GRANTS)
    assert result.files[0] == (
        publish_root / "2026-10-12" / "views" / TUTOR / f"student-engagement-view_{TUTOR}_2026-10-12.xlsx"
    )
    assert view_ids(result.files[0]) == {"00000001", "00000002", "00000004", "10000001"}
    assert result.role == "tutor"
    other = write_view(scoped, publish_root, OTHER_TUTOR, WEEK, GRANTS)
    assert view_ids(other.files[0]) == {"00000003", "00000005"}
    csv_ids = {line.split(",")[0] for line in other.files[1].read_text().splitlines()[1:]}
    assert csv_ids == {"00000003", "00000005"}


def test_school_grant_gives_the_schools_of_the_staff_members_sits_links(scoped, publish_root):
    result = write_view(scoped, publish_root, SCHOOL_STAFF, WEEK, GRANTS)
    assert view_ids(result.files[0]) == {"10000001", "10000002"}
    about = {
        r[0]: r[1] for r in openpyxl.load_workbook(result.files[0])["About this report"].iter_rows(values_only=True)
    }
    assert (about["Prepared for staff"], about["Access"], about["Schools"]) == (SCHOOL_STAFF, "school", HEALTH)


def test_admin_sees_every_student_but_not_restricted_ones(scoped, publish_root):
    execute(scoped, "insert into meta.privacy_state values ('00000001', true, false, false, now())")
    result = write_view(scoped, publish_root, ADMIN, WEEK, GRANTS)
    everyone = {s for (s,) in execute(scoped, "select student_id from marts.engagement_weekly")}
    assert view_ids(result.files[0]) == everyone - {"00000001"}


@pytest.mark.parametrize("staff", ["7777777", UNGRANTED_SCHOOL_STAFF])
def test_anyone_not_granted_gets_nothing_and_the_refusal_is_logged(scoped, publish_root, staff):
    with pytest.raises(ViewError, match=f"staff {staff} may not see student data for week 2026-10-12"):
        write_view(scoped, publish_root, staff, WEEK, GRANTS)
    assert not publish_root.exists()
    assert log_rows(scoped) == [(staff, "none", "view_refused", WEEK, [], 0, None)]


def test_every_view_is_in_the_access_log_with_its_students_and_no_figures(scoped, publish_root):
    write_view(scoped, publish_root, TUTOR, WEEK, GRANTS)
    write_view(scoped, publish_root, SCHOOL_STAFF, WEEK, GRANTS)
    assert log_rows(scoped) == [
        (TUTOR, "tutor", "view", WEEK, ["00000001", "00000002", "00000004", "10000001"], 4,
         f"2026-10-12/views/{TUTOR}/student-engagement-view_{TUTOR}_2026-10-12.xlsx"),
        (SCHOOL_STAFF, "school", "view", WEEK, ["10000001", "10000002"], 2,
         f"2026-10-12/views/{SCHOOL_STAFF}/student-engagement-view_{SCHOOL_STAFF}_2026-10-12.xlsx"),
    ]  # fmt: skip
    columns = {
        c
        for (c,) in execute(
            scoped, "select column_name from information_schema.columns where table_name = 'access_log'"
        )
    }
    assert not columns & {"combined_rag", "attendance_pct_7d", "vle_score_14d", "combined_score", "reason_codes"}


def test_views_survive_a_rerun_of_the_weeks_reports(scoped, publish_root):
    view = write_view(scoped, publish_root, TUTOR, WEEK, GRANTS)
    publish(scoped, publish_root)
    assert all(p.exists() for p in view.files)


def test_a_week_that_was_not_built_is_a_clear_error(scoped, publish_root):
    with pytest.raises(ViewError, match="week 2026-10-26 has no engagement rows"):
        write_view(scoped, publish_root, TUTOR, date(2026, 10, 26), GRANTS)


def test_the_committed_example_access_file_loads():
    grants = load_grants(ROOT / "config" / "access.yml", required=True)
    assert {g.role for g in grants.values()} == {"admin", "site_explorer", "school"}
    assert all(g.approved_by and g.approved_on for g in grants.values())


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1234567:\n  role: admin\n  approved_by: x\n  approved_on: 2026-09-01\n", "must be quoted text"),
        ('"1":\n  role: tutor\n  approved_by: x\n  approved_on: 2026-09-01\n', "has role 'tutor'"),
        ('"1":\n  role: admin\n', "needs approved_by and approved_on"),
        ("- just a list\n", "must map staff ids to grants"),
        ('"1": [unclosed\n', "is not valid YAML"),
    ],
)
def test_a_malformed_access_file_is_one_clear_error(tmp_path, text, message):
    path = tmp_path / "access.yml"
    path.write_text(text)
    with pytest.raises(AccessFileError, match=message):
        load_grants(path)


def test_a_missing_default_access_file_grants_nothing_but_a_named_one_must_exist(tmp_path):
    assert load_grants(tmp_path / "absent.yml") == {}
    with pytest.raises(AccessFileError, match="does not exist"):
        load_grants(tmp_path / "absent.yml", required=True)
