"""`leap governance review --year`: the annual review pack through a real Dagster run of review_job."""

from datetime import UTC, datetime

from click.testing import CliRunner
from dagster import AssetKey, DagsterInstance, DagsterRunStatus, RunsFilter

from leap_assets.warehouse.db import connect
from orchestration.cli import main


def leap(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_review_command_writes_the_pack_for_the_academic_year_through_dagster(leap_env):
    with connect(leap_env["LEAP_WAREHOUSE"]) as con:
        for n in range(3):
            con.execute(
                "insert into meta.privacy_requests (request_id, request_type, subject, status, processed_at)"
                " values (?, 'opt_out', 'S0000042', 'done', ?)",
                [f"R{n}", datetime(2026, 10, 1, 9, tzinfo=UTC)],
            )

    result = leap("governance", "review", "--year", "2026/27")
    assert result.exit_code == 0, result.output
    pack = leap_env["LEAP_PUBLISH"] / "governance" / "review-2026.html"
    assert f"Annual review pack: {pack}" in result.output
    page = pack.read_text(encoding="utf-8")
    assert "annual review 2026/27" in page and "2026-08-01 to 2027-07-31" in page
    assert '<td class="count">&lt;5</td>' in page and "S0000042" not in page

    instance = DagsterInstance.get()
    [run] = instance.get_runs(filters=RunsFilter(job_name="review_job"))
    assert run.status == DagsterRunStatus.SUCCESS
    assert run.run_config["ops"]["governance_review"]["config"] == {"year": 2026}
    event = instance.get_latest_materialization_event(AssetKey("governance_review"))
    assert event.asset_materialization.metadata["academic_year"].value == "2026/27"


def test_review_command_refuses_a_malformed_or_future_year_in_one_sentence(leap_env):
    malformed = leap("governance", "review", "--year", "last year")
    assert malformed.exit_code == 1
    assert "leap: --year must be an academic year as YYYY (2026 for 2026/27), not 'last year'." in malformed.output
    future = leap("governance", "review", "--year", "2999")
    assert future.exit_code == 1 and "has not begun yet" in future.output
    assert not (leap_env["LEAP_PUBLISH"] / "governance").exists()
