"""End to end: a generated university whose attendance feed lost a whole subject (its building's card
readers failed) in one week. `leap run` for that week succeeds: the School of Law's report is held back
(alert, governance report, `leap status`, `leap view` refused for its staff) while every other school's
report is published; `leap quality release` then publishes it through a Dagster run, recorded in the
warehouse, the governance report and the alert log."""

import csv

import duckdb
import pytest
from click.testing import CliRunner
from dagster import DagsterEventType, DagsterInstance, DagsterRunStatus, RunsFilter

from orchestration.cli import main
from tests.support.landing import drop_subject

WEEK = "2026-10-26"
LAW = "School of Law"


def school_staff(landing, school: str) -> str:
    """A staff id linked to the school (SCHOOL_STAFF) in the newest SITS extract."""
    newest = sorted((landing / "sits").iterdir())[-1]
    with (newest / "stafflink.tsv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            if row["RELATIONSHIP"] == "SCHOOL_STAFF" and row["PROPERTY_VALUE"] == school:
                return row["STAFF_ID"]
    raise AssertionError(f"no staff of {school}")


def published(publish, week: str) -> set[str]:
    return {p.parent.name for p in (publish / week).glob("*/student-engagement_*.xlsx")}


@pytest.mark.e2e
def test_a_collapsed_subject_holds_its_school_only_and_a_release_publishes_it(leap_env, monkeypatch):
    runner = CliRunner()
    generated = runner.invoke(main, ["generate", "--students", "60", "--weeks", "3", "--start", "2026-10-12",
                                     "--seed", "7"], catch_exceptions=False)  # fmt: skip
    assert generated.exit_code == 0, generated.output
    assert drop_subject(leap_env["LEAP_LANDING"] / "seats" / "attendance_2026-11-02.tsv", "LAW") > 20

    result = runner.invoke(main, ["run", "--week", WEEK], catch_exceptions=False)

    # A hold is not a failed run: the week is built, the other schools are published.
    assert result.exit_code == 0, result.output
    assert f"Week {WEEK}: held back by the quality gate: {LAW}." in result.output
    assert "seats_usable failed" in result.output and "subject LAW: 0 rows against a baseline" in result.output
    report_path = leap_env["LEAP_PUBLISH"] / WEEK / "governance" / "data-quality.html"
    assert str(report_path) in result.output
    assert "Traceback" not in result.output and "dagster._core" not in result.output
    schools = published(leap_env["LEAP_PUBLISH"], WEEK)
    assert "school-of-law" not in schools and len(schools) >= 2
    alerts = (leap_env["LEAP_PUBLISH"] / "alerts.log").read_text()
    [held] = [line for line in alerts.splitlines() if "REPORT_HELD" in line]
    for words in (LAW, WEEK, "seats_usable", str(report_path), "calendar"):
        assert words in held
    assert "RUN_FAILED" not in alerts and "\x1b[" not in alerts

    instance = DagsterInstance.get()
    (run,) = instance.get_runs(filters=RunsFilter(job_name="weekly_job"))
    assert run.status == DagsterRunStatus.SUCCESS
    checks = {
        e.dagster_event.event_specific_data.check_name: e.dagster_event.event_specific_data
        for e in instance.all_logs(run.run_id, of_type=DagsterEventType.ASSET_CHECK_EVALUATION)
    }
    assert not checks["seats_usable"].passed
    assert checks["sits_usable"].passed and checks["mart_contract"].passed and checks["moodle_usable"].passed
    report = report_path.read_text(encoding="utf-8")
    assert "Held back" in report and "subject LAW: 0 rows against a baseline" in report
    with duckdb.connect(str(leap_env["LEAP_WAREHOUSE"]), read_only=True) as con:
        statuses = dict(con.execute("select school, status from marts.report_status where week_start = ?",
                                    [WEEK]).fetchall())  # fmt: skip
        versions = con.execute("select distinct settings_version from marts.data_quality_results where week_start = ?",
                               [WEEK]).fetchall()  # fmt: skip
    assert statuses[LAW] == "held" and {s for k, s in statuses.items() if k != LAW} == {"published"}
    assert len(versions) == 1 and len(versions[0][0]) == 12

    status = runner.invoke(main, ["status"], catch_exceptions=False)
    assert f"{WEEK}" in status.output and f"needs attention: held back: {LAW}" in status.output

    staff = school_staff(leap_env["LEAP_LANDING"], LAW)
    access = leap_env["LEAP_LANDING"].parent / "access.yml"
    access.write_text(f'"{staff}":\n  role: school\n  approved_by: Board\n  approved_on: 2026-09-01\n')
    monkeypatch.setenv("LEAP_ACCESS_FILE", str(access))
    view = runner.invoke(main, ["view", "--staff", staff, "--week", WEEK])
    assert view.exit_code == 1
    assert f"the report of {LAW} for week {WEEK} is held back by the quality gate" in view.output
    assert not (leap_env["LEAP_PUBLISH"] / WEEK / "views").exists()

    wrong = runner.invoke(main, ["quality", "release", "--week", WEEK, "--school", "School of Lw", "--by", "A. Chair",
                                 "--reason", "x"])  # fmt: skip
    assert wrong.exit_code == 1 and "Did you mean 'School of Law'?" in wrong.output
    released = runner.invoke(main, ["quality", "release", "--week", WEEK, "--school", LAW, "--by", "A. Chair",
                                    "--reason", "Law's building was closed for works; the rest is sound"],
                             catch_exceptions=False)  # fmt: skip
    assert released.exit_code == 0, released.output
    assert f"Released {LAW} for the week of {WEEK}: its report is published." in released.output
    assert "school-of-law" in published(leap_env["LEAP_PUBLISH"], WEEK)
    (release_run,) = instance.get_runs(filters=RunsFilter(job_name="release_job"))
    assert release_run.status == DagsterRunStatus.SUCCESS
    with duckdb.connect(str(leap_env["LEAP_WAREHOUSE"]), read_only=True) as con:
        recorded = con.execute("select school, released_by, checks, reason from meta.quality_releases").fetchall()
        after = con.execute("select status from marts.report_status where week_start = ? and school = ?",
                            [WEEK, LAW]).fetchone()  # fmt: skip
    assert recorded == [(LAW, "A. Chair", "seats_usable", "Law's building was closed for works; the rest is sound")]
    assert after == ("released",)
    report = report_path.read_text(encoding="utf-8")
    assert "Released" in report and "released by A. Chair" in report
    assert "REPORT_RELEASED" in (leap_env["LEAP_PUBLISH"] / "alerts.log").read_text()
    view = runner.invoke(main, ["view", "--staff", staff, "--week", WEEK], catch_exceptions=False)
    assert view.exit_code == 0, view.output
