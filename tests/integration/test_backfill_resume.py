"""`leap backfill` of a term whose second week cannot be published (the publish share is full when its
workbooks are written): the backfill stops at that week, says which and why, runs nothing after it;
once there is room again, the re-run resumes, skipping the week already built, and completes the term.
A week held back by the quality gate is not such a failure: the backfill goes on past it."""

import pytest
from click.testing import CliRunner
from dagster import AssetKey, DagsterRunStatus, RunsFilter

from leap_assets.reporting import assets as reporting_assets
from orchestration.cli import main
from orchestration.runs.instance import instance as leap_instance
from orchestration.runs.status import run_weeks
from tests.support.landing import drop_subject
from tests.support.leap_processes import table

WEEKS = ["2026-10-12", "2026-10-19", "2026-10-26", "2026-11-02"]
WEEKLY_ASSETS = [AssetKey(["marts", "engagement_weekly"]), AssetKey("governance_report"),
                 AssetKey("student_engagement_reports")]  # fmt: skip


def leap(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def weekly_runs() -> list:
    return leap_instance().get_runs(filters=RunsFilter(job_name="weekly_job"))


@pytest.mark.e2e
def test_a_failed_week_stops_the_backfill_and_a_re_run_resumes_after_the_fix(leap_env, monkeypatch):
    # Chunks of two weeks: the failing week ends the first chunk, so the second never starts.
    monkeypatch.setenv("LEAP_BACKFILL_CHUNK", "2")
    generated = leap("generate", "--students", "150", "--weeks", "4", "--start", WEEKS[0], "--seed", "7")
    assert generated.exit_code == 0, generated.output
    writes = reporting_assets.publish_week

    def disk_full_in_week_two(con, root, week, held=frozenset()):
        if week.isoformat() == WEEKS[1]:
            raise OSError(28, "No space left on device")
        return writes(con, root, week, held)

    monkeypatch.setattr(reporting_assets, "publish_week", disk_full_in_week_two)
    failed = leap("backfill", "--term", "AUT", "--year", "2026")

    assert failed.exit_code == 1
    assert "week 2026-10-19 failed" in failed.output and "No space left on device" in failed.output
    assert "1 earlier week(s) are built, 2 later week(s) were not run" in failed.output
    instance = leap_instance()
    for key in WEEKLY_ASSETS:
        assert not set(WEEKS[2:]) & instance.get_materialized_partitions(key), key
    assert instance.get_materialized_partitions(AssetKey("student_engagement_reports")) == {WEEKS[0]}
    assert not {week for run in weekly_runs() for week in run_weeks(run.tags)} & set(WEEKS[2:])
    runs_before = {run.run_id for run in weekly_runs()}

    monkeypatch.setattr(reporting_assets, "publish_week", writes)  # room again
    # Meanwhile the Law building's card readers failed in the third week: a hold, not a failure.
    assert drop_subject(leap_env["LEAP_LANDING"] / "seats" / "attendance_2026-11-02.tsv", "LAW") > 20
    resumed = leap("backfill", "--term", "AUT", "--year", "2026")

    assert resumed.exit_code == 0, resumed.output
    assert f"Week {WEEKS[2]}: held back by the quality gate: School of Law." in resumed.output
    assert "Resuming: 1 of 4 week(s) already built from the current data: 2026-10-12." in resumed.output
    assert "Built 3 report week(s)" in resumed.output
    new_runs = [run for run in weekly_runs() if run.run_id not in runs_before]
    assert all(run.status == DagsterRunStatus.SUCCESS for run in new_runs)
    assert sorted(week for run in new_runs for week in run_weeks(run.tags)) == WEEKS[1:]
    assert leap_instance().get_materialized_partitions(AssetKey("student_engagement_reports")) == set(WEEKS)
    built = table(leap_env["LEAP_WAREHOUSE"], "select distinct week_start::varchar from marts.engagement_weekly")
    assert sorted(week for (week,) in built) == WEEKS

    # Nothing changed since: a third run has nothing to build, unless told to --rebuild.
    again = leap("backfill", "--term", "AUT", "--year", "2026")
    assert again.exit_code == 0 and "Nothing left to build." in again.output
    rebuilt = leap("backfill", "--from", WEEKS[3], "--to", WEEKS[3], "--rebuild")
    assert rebuilt.exit_code == 0 and "Built 1 report week(s)" in rebuilt.output
