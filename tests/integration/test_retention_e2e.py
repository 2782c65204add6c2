"""Retention through Dagster and `leap purge`, with the clock moved forward: the check fails before a
purge and passes after, the purge removes exactly what is over its period, and a second removes nothing."""

from datetime import UTC, date, datetime

import dagster as dg
import duckdb
import pytest
from click.testing import CliRunner

from leap_assets.governance import retention_rules
from leap_assets.governance.retention_assets import run_config
from orchestration.cli import main
from orchestration.definitions import defs
from tests.support.retention_world import MARTS_CUT, RAW_CUT, TODAY, build


@pytest.fixture
def world(tmp_path, monkeypatch):
    built = build(tmp_path)
    for name, path in [
        ("LEAP_WAREHOUSE", built.warehouse),
        ("LEAP_LANDING", built.landing),
        ("LEAP_PUBLISH", built.publish),
    ]:
        monkeypatch.setenv(name, str(path))
    return built


def run(job: str, day: date) -> dg.ExecuteInProcessResult:
    config = run_config(day)
    if job == "retention_check_job":
        config = {"ops": {k: v for k, v in config["ops"].items() if k != "retention_purge"}}
    return defs.resolve_job_def(job).execute_in_process(run_config=config, instance=dg.DagsterInstance.ephemeral())


def test_the_check_runs_alone_and_fails_naming_what_is_held(world):
    result = run("retention_check_job", TODAY)
    assert result.success
    [evaluation] = result.get_asset_check_evaluations()
    assert not evaluation.passed
    overdue = {h["target"]: h for h in evaluation.metadata["overdue"].value}
    assert overdue["raw.moodle_log"] == {
        "layer": "raw",
        "target": "raw.moodle_log",
        "cutoff": str(RAW_CUT),
        "rows": 1,
        "files": 0,
        "oldest": "2028-05-10",
    }
    assert overdue[f"publish/{date(2027, 7, 31)}"]["files"] == 2
    assert result.get_asset_materialization_events() == []  # nothing was purged
    assert world.count("raw.moodle_log") == 2


def test_the_purge_job_removes_what_is_over_and_its_check_then_passes(world):
    result = run("purge_job", TODAY)
    assert result.success
    [materialization] = result.get_asset_materialization_events()
    metadata = {k: v.value for k, v in materialization.materialization.metadata.items()}
    assert metadata["today"] == str(TODAY)
    assert (metadata["rows_removed"], metadata["files_removed"]) == (19, 7)  # report_status's old week too
    [evaluation] = result.get_asset_check_evaluations()
    assert evaluation.passed and evaluation.metadata["rows_overdue"].value == 0
    assert world.query("select week_start from marts.engagement_weekly") == [(MARTS_CUT,)]
    assert run("retention_check_job", TODAY).get_asset_check_evaluations()[0].passed
    again = run("purge_job", TODAY)
    assert again.get_asset_materialization_events()[0].materialization.metadata["rows_removed"].value == 0


def test_the_daily_schedule_purges_for_the_local_day_of_its_tick():
    schedule = defs.resolve_schedule_def("daily_retention")
    assert (schedule.cron_schedule, schedule.execution_timezone, schedule.job_name) == (
        "30 2 * * *",
        "Europe/London",
        "purge_job",
    )
    # 01:30 UTC in June is 02:30 British Summer Time on the same day.
    context = dg.build_schedule_context(scheduled_execution_time=datetime(2029, 6, 15, 1, 30, tzinfo=UTC))
    request = schedule.evaluate_tick(context).run_requests[0]
    assert request.run_config == run_config(date(2029, 6, 15))
    assert request.run_key == "retention-2029-06-15"


def test_retention_runs_only_in_its_own_jobs():
    for job in ("weekly_job", "ingest_job"):
        assert dg.AssetKey("retention_purge") not in defs.resolve_job_def(job).asset_layer.selected_asset_keys
    assert defs.resolve_job_def("purge_job").asset_layer.selected_asset_keys == {dg.AssetKey("retention_purge")}


def test_leap_purge_names_a_malformed_retention_file_in_one_sentence(leap_env, tmp_path, monkeypatch):
    bad = tmp_path / "retention.yml"
    bad.write_text("periods:\n  raw: forever\n")
    monkeypatch.setenv("LEAP_RETENTION_FILE", str(bad))
    for args in (["purge"], ["purge", "--check"]):
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 1
        assert result.output.strip().splitlines() == [
            f"leap: {bad}: periods.raw is 'forever'; a period is a whole number of at least 1 followed by days, "
            "years or academic years."
        ]
    assert not leap_env["LEAP_WAREHOUSE"].exists()


def leap(*args: str, code: int = 0):
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == code, result.output
    return result.output


def query(env, sql: str) -> list[tuple]:
    with duckdb.connect(str(env["LEAP_WAREHOUSE"]), read_only=True) as con:
        return con.execute(sql).fetchall()


def landed(env) -> list[str]:
    return sorted(p.relative_to(env["LEAP_LANDING"]).as_posix() for p in env["LEAP_LANDING"].rglob("*") if p.is_file())


@pytest.mark.e2e
def test_leap_purge_on_a_generated_term_with_the_clock_moved_one_then_two_years_on(leap_env, monkeypatch):
    leap("generate", "--students", "150", "--weeks", "3", "--start", "2026-09-14", "--seed", "5")
    leap("backfill", "--from", "2026-09-14", "--to", "2026-09-28")
    mart_rows = query(leap_env, "select count(*) from marts.engagement_weekly")[0][0]
    assert mart_rows > 0

    # 400 days after 2026-09-25: raw rows and landed files before then are over their period.
    monkeypatch.setattr(retention_rules, "local_today", lambda zone: date(2027, 10, 30))
    held = leap("purge", "--check", code=1)
    assert "raw.moodle_log" in held and "landing/sits" in held and "marts.engagement_weekly" not in held
    output = leap("purge")
    assert "Nothing is held beyond its retention period." in output
    assert query(leap_env, "select min(event_date) >= date '2026-09-25' from raw.moodle_log") == [(True,)]
    assert query(leap_env, "select min(extract_date) from raw.sits_student") == [(date(2026, 9, 28),)]
    dated = [retention_rules.landed_date(p) for p in landed(leap_env)]
    assert min(day for _, day in filter(None, dated)) >= date(2026, 9, 25)
    assert query(leap_env, "select count(*) from marts.engagement_weekly") == [(mart_rows,)]
    layers = {layer for (layer,) in query(leap_env, "select distinct layer from meta.purges")}
    assert layers == {"raw", "landing"}
    assert "Nothing is held" in leap("purge", "--check")

    # The compacted warehouse still builds a week (dbt views, the incremental mart, the reports).
    leap("run", "--week", "2026-10-05")

    # Two academic years on, the 2026/27 marts and published weeks go too.
    monkeypatch.setattr(retention_rules, "local_today", lambda zone: date(2028, 9, 1))
    leap("purge")
    for table in ("marts.engagement_weekly", "marts.data_quality_results", "raw.moodle_log", "raw.sits_student"):
        assert query(leap_env, f"select count(*) from {table}") == [(0,)], table
    assert [p.name for p in leap_env["LEAP_PUBLISH"].iterdir() if p.name[:2] == "20"] == []
    assert [p for p in landed(leap_env) if retention_rules.landed_date(p)] == []
    purges = query(leap_env, "select count(*) from meta.purges")
    assert "nothing was over its retention period" in leap("purge")
    assert query(leap_env, "select count(*) from meta.purges") == purges
