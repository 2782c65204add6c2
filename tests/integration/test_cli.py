"""The `leap` command line end to end on a small generated university, through a real Dagster instance."""

import re
from datetime import date

import duckdb
import pytest
from click.testing import CliRunner
from dagster import DagsterInstance, DagsterRunStatus, RunsFilter

from orchestration.cli import main
from orchestration.runs.instance import run_job
from orchestration.runs.status import run_weeks
from tests.support.term_invariants import check_term, drop_everything_after


def leap(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.mark.e2e
def test_generate_ingest_backfill_a_term_and_report_status(leap_env):
    result = leap("generate", "--students", "60", "--weeks", "3", "--start", "2026-10-12", "--seed", "7")
    assert result.exit_code == 0, result.output
    assert "Generated 60 students over 3 weeks" in result.output

    ingested = leap("ingest")
    assert ingested.exit_code == 0, ingested.output
    warehouse = str(leap_env["LEAP_WAREHOUSE"])
    with duckdb.connect(warehouse, read_only=True) as con:
        by_source = dict(con.execute("select source, count(*) from meta.landed_files group by source").fetchall())
        moodle_rows = con.execute("select count(*) from raw.moodle_log").fetchone()[0]
    assert set(by_source) == {"sits", "seats", "moodle", "schools"}
    # Without a terminal (CliRunner, cron, `| tee`) the ingest still says, file by file, what it landed.
    landed_lines = [line for line in ingested.output.splitlines() if re.fullmatch(r"  \S+: [\d,]+ rows loaded.*", line)]
    assert len(landed_lines) == sum(by_source.values())
    assert any(line.startswith("  moodle/logstore_2026-10-12.csv: ") for line in landed_lines)

    # Landing the same bytes again loads nothing twice.
    assert leap("ingest").exit_code == 0
    with duckdb.connect(warehouse, read_only=True) as con:
        assert con.execute("select count(*) from raw.moodle_log").fetchone()[0] == moodle_rows

    result = leap("backfill", "--term", "AUT", "--year", "2026")
    assert result.exit_code == 0, result.output
    assert "Built 3 report week(s)" in result.output
    # One plain line per week as its checks finish, its reports are published, and once it is built.
    for week in ("2026-10-12", "2026-10-19", "2026-10-26"):
        assert f"  week {week}: checked" in result.output
        assert f"  week {week}: " in result.output and "school report(s) published" in result.output
        assert f"Week {week} built (" in result.output
    with duckdb.connect(warehouse, read_only=True) as con:
        weeks = con.execute(
            "select week_start::varchar, count(*), count(distinct student_id) from marts.engagement_weekly"
            " group by 1 order by 1"
        ).fetchall()
    assert [w for w, _, _ in weeks] == ["2026-10-12", "2026-10-19", "2026-10-26"]
    assert all(rows == students > 0 for _, rows, students in weeks)

    # The term's consecutive weeks are built as one Dagster run over the partition range.
    instance = DagsterInstance.get()
    runs = instance.get_runs(filters=RunsFilter(job_name="weekly_job"))
    assert [run_weeks(r.tags) for r in runs] == [["2026-10-12", "2026-10-19", "2026-10-26"]]
    assert all(r.status == DagsterRunStatus.SUCCESS for r in runs)
    # The runs list of the UI says which weeks a run built, and the CLI printed where to watch it.
    assert runs[0].tags["leap/weeks"] == "2026-10-12..2026-10-26"
    assert f"(weekly_job, weeks 2026-10-12..2026-10-26): http://127.0.0.1:3000/runs/{runs[0].run_id}" in result.output

    status = leap("status")
    assert status.exit_code == 0
    assert "2026-10-26  success" in status.output and "complete" in status.output

    missing = leap("backfill", "--term", "NOPE", "--year", "2026")
    assert missing.exit_code == 1
    assert "no term NOPE in academic year 2026" in missing.output

    with duckdb.connect(warehouse, read_only=True) as con:
        check_term(con)
        first_week = con.execute(
            "select * from marts.engagement_weekly where week_start = '2026-10-12' order by student_id"
        ).fetchall()

    # Nothing dated after a week's as_of_date (nor any extract after its report date) changes that week.
    with duckdb.connect(warehouse) as con:
        drop_everything_after(con, "2026-10-18", "2026-10-19")
    assert run_job("weekly_job", week=date(2026, 10, 12)).success
    with duckdb.connect(warehouse, read_only=True) as con:
        rebuilt = con.execute(
            "select * from marts.engagement_weekly where week_start = '2026-10-12' order by student_id"
        ).fetchall()
    assert rebuilt == first_week


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["generate", "--start", "2026-10-13"], "--start must be a Monday"),
        (["generate", "--start", "13/10/2026"], "--start must be a date as YYYY-MM-DD"),
        (["backfill", "--from", "2026-10-19", "--to", "2026-10-05"], "is before --from"),
        (
            ["backfill", "--from", "2026-10-13", "--to", "2026-10-19"],
            "2026-10-13 is a Tuesday, in the week of 2026-10-12",
        ),
        (["backfill", "--from", "2026-10-12", "--to", "2026-10-25"], "--to must be a report week's Monday"),
        (["backfill", "--term", "AUT"], "--term and --year together"),
        (["backfill"], "give either --term and --year"),
        (
            ["run", "--week", "2026-10-14"],
            "a report week starts on a Monday; 2026-10-14 is a Wednesday, in the week of",
        ),
        (["run", "--week", "2999-01-07"], "has not ended yet"),
        (["run", "--week", "2020-01-06"], "before the first reportable week"),
    ],
)
def test_user_mistakes_get_one_clear_sentence_and_a_non_zero_exit(leap_env, args, message):
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output
    assert not leap_env["LEAP_WAREHOUSE"].exists()


@pytest.mark.e2e
def test_a_backfill_without_a_complete_sits_extract_stops_before_dbt_with_one_sentence(leap_env):
    result = leap("backfill", "--from", "2026-10-12", "--to", "2026-10-19")
    assert result.exit_code == 1
    assert "No complete SITS extract has been loaded" in result.output
    assert "ERROR creating" not in result.output and "Traceback" not in result.output
    assert not DagsterInstance.get().get_runs(filters=RunsFilter(job_name="weekly_job"))
    status = leap("status")
    assert "Report weeks: none built yet." in status.output and "every expectation passed" not in status.output


def test_version_and_short_help_follow_the_conventions_of_other_command_lines(leap_env):
    from importlib.metadata import version

    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0 and result.output == f"leap {version('leap')}\n"
    short, long = CliRunner().invoke(main, ["-h"]), CliRunner().invoke(main, ["--help"])
    assert short.exit_code == 0 and short.output == long.output
    assert "Examples:" in short.output and "leap backfill --term AUT --year 2026" in short.output
    for variable in ("LEAP_LANDING", "LEAP_WAREHOUSE", "LEAP_PUBLISH", "DAGSTER_HOME", "LEAP_FIRST_WEEK"):
        assert variable in short.output
    assert "http://127.0.0.1:3000" in short.output
    assert "--rebuild" in CliRunner().invoke(main, ["backfill", "-h"]).output


def test_an_unknown_term_is_rejected_before_any_ingest(leap_env):
    period = leap_env["LEAP_LANDING"] / "sits" / "2026-10-05" / "period.tsv"
    period.parent.mkdir(parents=True)
    period.write_text(
        "PERIOD_CODE\tACADEMIC_YEAR\tPERIOD_NAME\tPERIOD_START_DATE\tPERIOD_END_DATE\n"
        "AUT\t2026/27\tAutumn term 2026/27\t2026-09-14\t2026-12-13\n"
    )
    result = CliRunner().invoke(main, ["backfill", "--term", "NOPE", "--year", "2026"])
    assert result.exit_code == 1
    assert result.output == (
        "leap: no term NOPE in academic year 2026 in any SITS period.tsv (landed terms: AUT 2026/27).\n"
    )
    assert not leap_env["LEAP_WAREHOUSE"].exists()
    assert not (leap_env["DAGSTER_HOME"] / "storage").exists(), "no Dagster run was started"


@pytest.mark.parametrize(
    "args", [["ingest"], ["run", "--week", "2026-10-12"], ["backfill", "--term", "AUT", "--year", "2026"]]
)
def test_a_missing_landing_folder_is_an_error_and_an_empty_one_is_not(leap_env, args):
    missing = leap_env["LEAP_LANDING"].parent / "not-there"
    result = CliRunner().invoke(main, args, env={"LEAP_LANDING": str(missing)})
    assert result.exit_code == 1
    assert result.output == (
        f"leap: the landing folder {missing} does not exist: create it and land the source files there, "
        "or point LEAP_LANDING at it.\n"
    )
    assert not leap_env["LEAP_WAREHOUSE"].exists()
