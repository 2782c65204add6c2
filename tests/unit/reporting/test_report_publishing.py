"""Publishing a week: hostile school names, collisions, re-runs, atomic writes and privacy marks."""

from pathlib import Path

import openpyxl
import pytest

from leap_assets.reporting import reports as reports_module
from leap_assets.warehouse.db import connect
from tests.support.mart_rows import ENGINEERING, WEEK, build_warehouse, execute, row
from tests.support.published_reports import publish


def ids_in(path: Path) -> list[str]:
    sheet = openpyxl.load_workbook(path)["Engagement"]
    return [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)]


def every_file(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


def test_hostile_school_names_stay_inside_the_week_folder(tmp_path, publish_root):
    names = ["../../etc", "a/b", "/absolute", "École/../../x", "..", "日本語"]
    rows = [row(f"{i:08d}", school=name) for i, name in enumerate(names)]
    result = publish(build_warehouse(tmp_path / "w.duckdb", rows), publish_root)
    week_folder = (publish_root / "2026-10-12").resolve()
    assert len(result.reports) == len(names)
    for path in every_file(tmp_path):
        if path.suffix in (".xlsx", ".csv"):
            assert path.resolve().is_relative_to(week_folder), path
    for report in result.reports:
        assert report.files[0].parent.parent == week_folder
        assert ids_in(report.files[0]) == [r["student_id"] for r in rows if r["school"] == report.school]


def test_two_schools_sharing_a_slug_do_not_overwrite_each_other(tmp_path, publish_root):
    rows = [row("00000001", school="Arts & Humanities"), row("00000002", school="Arts Humanities")]
    result = publish(build_warehouse(tmp_path / "w.duckdb", rows), publish_root)
    paths = [r.files[0] for r in result.reports]
    assert len(set(paths)) == 2
    assert sorted(ids_in(p)[0] for p in paths) == ["00000001", "00000002"]


def test_rerun_replaces_the_weeks_files_and_removes_a_school_without_rows(tmp_path, publish_root):
    warehouse = build_warehouse(tmp_path / "w.duckdb", [row("00000001"), row("00000002", school="Gone School")])
    first = publish(warehouse, publish_root)
    other_week = publish_root / "2026-10-19" / "gone-school" / "student-engagement_gone-school_2026-10-19.xlsx"
    other_week.parent.mkdir(parents=True)
    other_week.write_text("another week's report")
    governance = publish_root / "2026-10-12" / "governance" / "data-quality.html"
    governance.parent.mkdir(parents=True)
    governance.write_text("not ours")
    crash_leftover = first.files[0].with_name(f".{first.files[0].name}.0123456789ab.partial")
    crash_leftover.write_text("half a workbook")

    execute(warehouse, "delete from marts.engagement_weekly where school = 'Gone School'")
    execute(warehouse, "update marts.engagement_weekly set last_name = 'Renamed'")
    second = publish(warehouse, publish_root)

    assert [r.school for r in second.reports] == [ENGINEERING]
    assert not (publish_root / "2026-10-12" / "gone-school").exists()
    assert not crash_leftover.exists()
    assert other_week.exists() and governance.exists()
    sheet = openpyxl.load_workbook(second.files[0])["Engagement"]
    assert sheet["B2"].value == "Renamed"
    assert sorted(p.name for p in second.removed) == [
        crash_leftover.name,
        "student-engagement_gone-school_2026-10-12.csv",
        "student-engagement_gone-school_2026-10-12.xlsx",
    ]


def test_a_crash_while_writing_leaves_the_old_files_whole(tmp_path, publish_root, monkeypatch):
    warehouse = build_warehouse(tmp_path / "w.duckdb", [row("00000001")])
    first = publish(warehouse, publish_root)
    before = {p: p.read_bytes() for p in first.files}
    execute(warehouse, "update marts.engagement_weekly set last_name = 'New'")

    def power_cut(path, rows):
        path.write_text("half")
        raise OSError("power cut")

    monkeypatch.setattr(reports_module, "write_csv", power_cut)
    with pytest.raises(OSError, match="power cut"):
        publish(warehouse, publish_root)
    assert {p: p.read_bytes() for p in first.files} == before
    assert [p.name for p in every_file(publish_root)] == sorted(p.name for p in first.files)


def test_safeguarding_override_lifts_the_do_not_contact_mark_and_says_so(tmp_path, publish_root):
    rows = [row("00000001", is_opted_out=True), row("00000002", is_opted_out=True), row("00000003")]
    warehouse = build_warehouse(tmp_path / "w.duckdb", rows)
    execute(
        warehouse,
        "insert into meta.privacy_state values ('00000002', false, true, true, now()),"
        " ('00000003', false, true, false, now())",
    )
    sheet = openpyxl.load_workbook(publish(warehouse, publish_root).files[0])["Engagement"]
    marks = {r[0]: r[20] for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert marks == {
        "00000001": "Do not contact: opted out",
        "00000002": "Opted out; safeguarding override recorded: contact allowed",
        "00000003": "Do not contact: opted out",  # opted out since the mart was built: still marked
    }


def test_restricted_students_are_left_out_of_every_report(tmp_path, publish_root):
    warehouse = build_warehouse(tmp_path / "w.duckdb", [row("00000001"), row("00000002")])
    execute(warehouse, "insert into meta.privacy_state values ('00000002', true, false, false, now())")
    result = publish(warehouse, publish_root)
    assert ids_in(result.files[0]) == ["00000001"]
    assert "00000002" not in result.files[1].read_text()


def test_a_week_without_rows_publishes_nothing(tmp_path, publish_root):
    warehouse = build_warehouse(tmp_path / "w.duckdb", [row("00000001")])
    with connect(warehouse, read_only=True) as con:
        result = reports_module.publish_week(con, publish_root, WEEK.replace(day=19))
    assert result.reports == [] and every_file(publish_root) == []
