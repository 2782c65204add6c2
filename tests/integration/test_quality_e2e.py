"""End to end: a generated university whose attendance feed lost a whole subject (its building's card
readers failed) in one week. `leap run` for that week ingests, builds the mart through dbt, and stops
before publishing: the school reports are not written, the run says which check failed, and the
governance report is published and names the cause."""

import duckdb
import pytest
from click.testing import CliRunner
from dagster import AssetKey, DagsterEventType, DagsterInstance, DagsterRunStatus, RunsFilter

from orchestration.cli import main

WEEK = "2026-10-26"


def drop_subject(path, subject: str) -> int:
    """Remove the rows of every module of `subject` from a SEAtS file; returns how many were removed."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    column = lines[0].rstrip("\n").split("\t").index("MOD_INSTANCE_ID")
    kept = [lines[0]] + [line for line in lines[1:] if not line.split("\t")[column].startswith(subject)]
    path.write_text("".join(kept), encoding="utf-8")
    return len(lines) - len(kept)


@pytest.mark.e2e
def test_a_collapsed_attendance_feed_blocks_the_week_and_the_governance_report_names_it(leap_env):
    runner = CliRunner()
    generated = runner.invoke(main, ["generate", "--students", "60", "--weeks", "3", "--start", "2026-10-12",
                                     "--seed", "7"], catch_exceptions=False)  # fmt: skip
    assert generated.exit_code == 0, generated.output
    assert drop_subject(leap_env["LEAP_LANDING"] / "seats" / "attendance_2026-11-02.tsv", "LAW") > 20

    result = runner.invoke(main, ["run", "--week", WEEK], catch_exceptions=False)

    assert result.exit_code == 1
    assert f"week {WEEK} failed" in result.output and "seats_usable" in result.output
    assert "subject LAW: 0" in result.output
    # The blocked week raised an alert naming the check (and the webhook would have had it too).
    alerts = (leap_env["LEAP_PUBLISH"] / "alerts.log").read_text()
    assert "RUN_FAILED weekly_job failed" in alerts and "seats_usable" in alerts and f"week={WEEK}" in alerts

    instance = DagsterInstance.get()
    (run,) = instance.get_runs(filters=RunsFilter(job_name="weekly_job"))
    assert run.status == DagsterRunStatus.FAILURE and run.tags["dagster/partition"] == WEEK
    checks = {
        e.dagster_event.event_specific_data.check_name: e.dagster_event.event_specific_data
        for e in instance.all_logs(run.run_id, of_type=DagsterEventType.ASSET_CHECK_EVALUATION)
    }
    assert not checks["seats_usable"].passed and checks["seats_usable"].blocking
    assert checks["sits_usable"].passed and checks["mart_contract"].passed and checks["moodle_usable"].passed
    assert WEEK in instance.get_materialized_partitions(AssetKey("governance_report"))
    assert WEEK in instance.get_materialized_partitions(AssetKey(["marts", "engagement_weekly"]))
    assert WEEK not in instance.get_materialized_partitions(AssetKey("student_engagement_reports"))
    week_folder = leap_env["LEAP_PUBLISH"] / WEEK
    assert not list(week_folder.glob("*/*.xlsx"))

    report = (week_folder / "governance" / "data-quality.html").read_text(encoding="utf-8")
    assert "Not fit for use this week" in report and "subject LAW: 0" in report
    assert (week_folder / "governance" / "data-docs" / "index.html").is_file()
    with duckdb.connect(str(leap_env["LEAP_WAREHOUSE"]), read_only=True) as con:
        failed = con.execute(
            "select suite from marts.data_quality_results where week_start = ? and not passed", [WEEK]
        ).fetchall()
    assert ("seats.attendance_volume",) in failed
