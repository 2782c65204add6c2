"""The blocking quality checks really gate publishing: on a week whose attendance collapsed, the
governance report is still built and names the cause, the run fails saying which check, and an asset
downstream of the mart is not materialised. The mart is a stand-in over a prepared warehouse (no dbt)."""

import dagster as dg
import pytest

from leap_assets.checks.weekly import MART_KEY, WEEKLY_CHECKS
from leap_assets.partitions import weekly_partitions
from leap_assets.reporting.governance import governance_report
from leap_assets.resources import LeapPaths
from tests.unit.expectations.quality_warehouse import W, build


@dg.asset(key=MART_KEY, partitions_def=weekly_partitions)
def engagement_weekly() -> dg.MaterializeResult:
    """Stand-in for the dbt mart: the prepared warehouse already holds its rows."""
    return dg.MaterializeResult()


@dg.asset(partitions_def=weekly_partitions, deps=[MART_KEY])
def school_reports() -> dg.MaterializeResult:
    """Stand-in for the school reports downstream of the mart."""
    return dg.MaterializeResult()


def run_week(tmp_path, broken: bool):
    paths = LeapPaths(
        warehouse=str(build(tmp_path / "warehouse.duckdb", broken_seats=broken)), publish=str(tmp_path / "publish")
    )
    job = dg.define_asset_job("week", partitions_def=weekly_partitions)
    defs = dg.Definitions(
        assets=[engagement_weekly, governance_report, school_reports], jobs=[job], resources={"paths": paths}
    )
    result = defs.resolve_job_def("week").execute_in_process(
        partition_key=W.isoformat(), instance=dg.DagsterInstance.ephemeral(), raise_on_error=False
    )
    return result, paths


def materialised(result) -> set[str]:
    return {e.asset_key.to_user_string() for e in result.get_asset_materialization_events()}


def evaluations(result) -> dict[str, object]:
    found = {}
    for event in result.all_events:
        if event.event_type_value == "ASSET_CHECK_EVALUATION":
            evaluation = event.event_specific_data
            found[evaluation.check_name] = evaluation
    return found


@pytest.mark.parametrize("broken", [False, True], ids=["good week", "attendance collapsed"])
def test_blocking_checks_hold_back_what_is_downstream_of_the_mart(tmp_path, broken):
    result, paths = run_week(tmp_path, broken)
    checks = evaluations(result)
    assert set(checks) == {c.name for c in WEEKLY_CHECKS}
    report = (paths.publish_path / W.isoformat() / "governance" / "data-quality.html").read_text()
    assert "governance_report" in materialised(result)
    if not broken:
        assert result.success
        assert all(c.passed for c in checks.values())
        assert "school_reports" in materialised(result)
        assert "Not fit for use this week" not in report
        return
    assert not result.success
    assert not checks["seats_usable"].passed and checks["seats_usable"].blocking
    assert "subject LAW: 0" in checks["seats_usable"].description
    assert "school_reports" not in materialised(result)
    failure = next(e for e in result.all_events if e.is_step_failure)
    assert failure.step_key == "governance_report"
    assert "week 2026-10-12 seats_usable: No running module" in failure.step_failure_data.error.message
    assert "Not fit for use this week" in report and "module LAW1001-2627-AUT: 0" in report
