"""The publishing assets and the returns sensor in Dagster, on a temporary warehouse (no dbt run)."""

import os
from datetime import date
from pathlib import Path

import dagster as dg
import openpyxl
import pytest
from click.testing import CliRunner

from leap_assets.reporting.assets import returns, student_engagement_reports
from leap_assets.resources import LeapPaths
from orchestration.cli import main
from orchestration.definitions import defs
from orchestration.sensors import returns_sensor
from tests.support.mart_rows import ENGINEERING, HEALTH, build_warehouse, execute, row


@pytest.fixture
def env(tmp_path: Path) -> dict[str, Path]:
    paths = {"landing": tmp_path / "landing", "warehouse": tmp_path / "w.duckdb", "publish": tmp_path / "publish"}
    paths["landing"].mkdir()
    rows = [row("00000001"), row("00000002", combined_rag="red"), row("10000001", school=HEALTH)]
    build_warehouse(paths["warehouse"], rows)
    return paths


def resources(env: dict[str, Path]) -> dict:
    return {"paths": LeapPaths(**{k: str(v) for k, v in env.items()})}


def test_report_asset_publishes_every_school_of_the_partition_with_counts(env):
    result = dg.materialize([student_engagement_reports], partition_key="2026-10-12", resources=resources(env))
    assert result.success
    [event] = result.get_asset_materialization_events()
    metadata = {k: v.value for k, v in event.materialization.metadata.items()}
    assert (metadata["files_written"], metadata["schools"], metadata["rows"]) == (4, 2, 3)
    assert (metadata["rag_red"], metadata["rag_green"], metadata["rag_none"]) == (1, 2, 0)
    assert metadata["rows_per_school"] == {f"2026-10-12 {ENGINEERING}": 2, f"2026-10-12 {HEALTH}": 1}
    assert len(list((env["publish"] / "2026-10-12").rglob("*.xlsx"))) == 2


def test_returns_asset_loads_a_landed_return_and_reports_counts(env):
    dg.materialize([student_engagement_reports], partition_key="2026-10-12", resources=resources(env))
    report = next((env["publish"] / "2026-10-12" / "school-of-engineering").glob("*.xlsx"))
    book = openpyxl.load_workbook(report)
    sheet = book["Engagement"]
    sheet["W2"], sheet["X2"], sheet["Y2"], sheet["Z2"] = "Yes", date(2026, 10, 20), "Phone", "Support offered"
    sheet["W3"] = "Perhaps"
    target = env["landing"] / "returns" / "2026-10-12" / "engineering.xlsx"
    target.parent.mkdir(parents=True)
    book.save(target)
    result = dg.materialize([returns], resources=resources(env))
    [event] = result.get_asset_materialization_events()
    metadata = {k: v.value for k, v in event.materialization.metadata.items()}
    assert (metadata["files_landed"], metadata["rows_loaded"], metadata["rows_quarantined"]) == (1, 1, 1)
    assert execute(env["warehouse"], "select student_id, contact_method from marts.contacts") == [("00000002", "Phone")]


def test_returns_sensor_requests_a_run_when_new_or_changed_workbooks_land(env):
    folder = env["landing"] / "returns" / "2026-10-12"
    folder.mkdir(parents=True)
    context = dg.build_sensor_context(resources=resources(env))
    assert returns_sensor(context).skip_reason is not None
    (folder / "a.xlsx").write_bytes(b"first")
    (folder / "~$a.xlsx").write_bytes(b"Excel's lock file")
    first = returns_sensor(dg.build_sensor_context(resources=resources(env)))
    assert len(first.run_requests) == 1
    again = returns_sensor(dg.build_sensor_context(cursor=first.cursor, resources=resources(env)))
    assert again.run_requests == [] and again.skip_reason
    (folder / "a.xlsx").write_bytes(b"second")
    os.utime(folder / "a.xlsx", ns=(1, 1))
    changed = returns_sensor(dg.build_sensor_context(cursor=again.cursor, resources=resources(env)))
    assert len(changed.run_requests) == 1
    assert changed.run_requests[0].run_key != first.run_requests[0].run_key


def test_reports_are_built_by_the_weekly_job_and_returns_by_the_ingest_job():
    weekly = defs.resolve_job_def("weekly_job").asset_layer.selected_asset_keys
    ingest = defs.resolve_job_def("ingest_job").asset_layer.selected_asset_keys
    assert dg.AssetKey("student_engagement_reports") in weekly and dg.AssetKey("returns") not in weekly
    assert dg.AssetKey("returns") in ingest and dg.AssetKey("student_engagement_reports") not in ingest
    graph = defs.resolve_asset_graph()
    reports = graph.get(dg.AssetKey("student_engagement_reports"))
    assert reports.partitions_def is not None and graph.get(dg.AssetKey("returns")).partitions_def is None
    assert dg.AssetKey(["marts", "engagement_weekly"]) in reports.parent_keys
    assert defs.resolve_sensor_def("returns_sensor") is not None


def leap(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def cli_env(leap_env, monkeypatch, tmp_path):
    warehouse = leap_env["LEAP_WAREHOUSE"]
    warehouse.parent.mkdir(parents=True)
    build_warehouse(warehouse, [row("00000001"), row("00000002"), row("10000001", school=HEALTH)])
    execute(
        warehouse,
        "insert into raw.sits_stafflink values ('2026-10-19', '0000001', 'STUDENT_ID', '00000002',"
        " 'PERSONAL_TUTOR', 'sits/2026-10-19/stafflink.tsv', 2)",
    )
    access = tmp_path / "access.yml"
    access.write_text('"9900002":\n  role: site_explorer\n  approved_by: Board\n  approved_on: 2026-09-01\n')
    monkeypatch.setenv("LEAP_ACCESS_FILE", str(access))
    return leap_env


def test_leap_view_writes_the_tutors_view_and_logs_it(cli_env):
    result = leap("view", "--staff", "0000001", "--week", "2026-10-12")
    assert result.exit_code == 0, result.output
    assert "View of staff 0000001 (tutor), week 2026-10-12: 1 student(s)" in result.output
    files = sorted(p.name for p in (cli_env["LEAP_PUBLISH"] / "2026-10-12" / "views" / "0000001").iterdir())
    assert files == [
        "student-engagement-view_0000001_2026-10-12.csv",
        "student-engagement-view_0000001_2026-10-12.xlsx",
    ]
    assert leap("view", "--staff", "9900002", "--week", "2026-10-12").exit_code == 0
    logged = execute(cli_env["LEAP_WAREHOUSE"], "select staff_id, role, student_count from meta.access_log order by 1")
    assert logged == [("0000001", "tutor", 1), ("9900002", "site_explorer", 3)]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--staff", "5555555", "--week", "2026-10-12"], "staff 5555555 may not see student data for week 2026-10-12"),
        (["--staff", "0000001", "--week", "2026-10-13"], "a report week starts on a Monday"),
        (["--staff", "0000001", "--week", "12/10/2026"], "--week must be a date as YYYY-MM-DD"),
        (["--staff", "0000001", "--week", "2026-10-19"], "week 2026-10-19 has no engagement rows"),
    ],
)
def test_leap_view_mistakes_and_refusals_are_one_sentence(cli_env, args, message):
    result = leap("view", *args)
    assert result.exit_code == 1
    assert message in result.output and "Traceback" not in result.output
    assert result.output.count("\n") == 1
    assert not (cli_env["LEAP_PUBLISH"] / "2026-10-12" / "views").exists()


def test_leap_view_names_a_missing_access_file(cli_env, monkeypatch, tmp_path):
    monkeypatch.setenv("LEAP_ACCESS_FILE", str(tmp_path / "nowhere.yml"))
    result = leap("view", "--staff", "0000001", "--week", "2026-10-12")
    assert result.exit_code == 1 and "nowhere.yml does not exist" in result.output
