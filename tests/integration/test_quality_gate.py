"""The quality gate holds back exactly the school reports broken data makes wrong: on a week whose
LAW1001 attendance collapsed (card readers failing in its building), the governance report is built
and names the cause, the run succeeds, the School of Law's report is held and the School of History's
is published. The mart is a stand-in over a prepared warehouse (no dbt); the reports asset is real."""

from pathlib import Path

import dagster as dg
import duckdb
import pytest

from leap_assets.checks.weekly import WEEKLY_CHECKS
from leap_assets.governance.quality_report import governance_report
from leap_assets.partitions import weekly_partitions
from leap_assets.reporting.assets import student_engagement_reports
from leap_assets.resources import LeapPaths
from leap_assets.transform.project import MART_KEY
from tests.support.quality_warehouse import W, build

LAW, HISTORY = "School of Law", "School of History"


@dg.asset(key=MART_KEY, partitions_def=weekly_partitions)
def engagement_weekly() -> dg.MaterializeResult:
    """Stand-in for the dbt mart: the prepared warehouse already holds its rows."""
    return dg.MaterializeResult()


def run_week(paths: LeapPaths):
    job = dg.define_asset_job("week", partitions_def=weekly_partitions)
    defs = dg.Definitions(
        assets=[engagement_weekly, governance_report, student_engagement_reports],
        jobs=[job],
        resources={"paths": paths},
    )
    return defs.resolve_job_def("week").execute_in_process(
        partition_key=W.isoformat(), instance=dg.DagsterInstance.ephemeral(), raise_on_error=False
    )


def prepared(tmp_path: Path, broken: bool) -> LeapPaths:
    warehouse = build(tmp_path / "warehouse.duckdb", broken_seats=broken)
    return LeapPaths(warehouse=str(warehouse), publish=str(tmp_path / "publish"))


def evaluations(result) -> dict[str, object]:
    found = {}
    for event in result.all_events:
        if event.event_type_value == "ASSET_CHECK_EVALUATION":
            evaluation = event.event_specific_data
            found[evaluation.check_name] = evaluation
    return found


def published_schools(paths: LeapPaths) -> set[str]:
    return {p.parent.name for p in (paths.publish_path / W.isoformat()).glob("*/student-engagement_*.xlsx")}


def statuses(paths: LeapPaths) -> dict[str, tuple]:
    with duckdb.connect(str(paths.warehouse_path), read_only=True) as con:
        rows = con.execute(
            "select school, status, checks, observed, settings_version from marts.report_status where week_start = ?",
            [W],
        ).fetchall()
    return {school: rest for school, *rest in rows}


@pytest.mark.parametrize("broken", [False, True], ids=["good week", "attendance collapsed"])
def test_a_failed_blocking_check_holds_only_the_schools_it_makes_wrong(tmp_path, monkeypatch, broken):
    monkeypatch.setenv("LEAP_PUBLISH", str(tmp_path / "publish"))  # where alerts.log goes
    paths = prepared(tmp_path, broken)
    result = run_week(paths)
    assert result.success  # a hold is not a failed run
    checks = evaluations(result)
    assert set(checks) == {c.name for c in WEEKLY_CHECKS}
    report = (paths.publish_path / W.isoformat() / "governance" / "data-quality.html").read_text()
    status = statuses(paths)
    if not broken:
        assert all(c.passed for c in checks.values())
        assert published_schools(paths) == {"school-of-law", "school-of-history"}
        assert {s: v[0] for s, v in status.items()} == {LAW: "published", HISTORY: "published"}
        assert "Every school's report (2) is published this week." in report
        return
    assert not checks["seats_usable"].passed and not checks["seats_usable"].blocking
    assert checks["seats_usable"].severity == dg.AssetCheckSeverity.ERROR
    assert "subject LAW: 0" in checks["seats_usable"].description
    assert published_schools(paths) == {"school-of-history"}
    assert status[HISTORY][0] == "published"
    assert tuple(status[LAW][:2]) == ("held", "seats_usable")
    assert "module LAW1001-2627-AUT: 0 rows against a baseline of 32 (0%)" in status[LAW][2]
    assert "1 of 2 school report(s) held back this week." in report and "Held back" in report
    alerts = (tmp_path / "publish" / "alerts.log").read_text()
    [line] = [line for line in alerts.splitlines() if "REPORT_HELD" in line]
    for words in (LAW, str(W), "seats_usable", "baseline of 32", "data-quality.html", "calendar"):
        assert words in line


def test_a_hold_removes_the_schools_earlier_report_of_that_week_and_alerts_once(tmp_path, monkeypatch):
    monkeypatch.setenv("LEAP_PUBLISH", str(tmp_path / "publish"))
    good = prepared(tmp_path / "good", broken=False)
    broken = prepared(tmp_path / "broken", broken=True)
    paths = LeapPaths(warehouse=broken.warehouse, publish=str(tmp_path / "publish"))
    assert run_week(LeapPaths(warehouse=good.warehouse, publish=paths.publish)).success
    assert published_schools(paths) == {"school-of-law", "school-of-history"}
    assert run_week(paths).success and run_week(paths).success  # new data broke the week; run twice
    assert published_schools(paths) == {"school-of-history"}
    alerts = (tmp_path / "publish" / "alerts.log").read_text()
    assert sum("REPORT_HELD" in line for line in alerts.splitlines()) == 1
