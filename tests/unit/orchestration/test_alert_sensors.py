"""The alert sensors: every failed run alerted once whoever launched it, and stale sources in term."""

import json
import sys
from datetime import date
from types import SimpleNamespace

import dagster as dg
import duckdb
import pytest

from leap_assets.resources import LeapPaths
from leap_assets.warehouse.db import initialise
from orchestration import alert_sensors
from orchestration.alert_sensors import run_failure_alert_sensor, stale_sources_sensor
from orchestration.runs import instance as leap_instance
from orchestration.runs.run_failures import run_weeks

WEEK = "2026-10-12"
START, END = "dagster/asset_partition_range_start", "dagster/asset_partition_range_end"
SENSOR_TAGS = {"dagster/sensor_name": "landed_weeks_sensor", "dagster/run_key": f"week-{WEEK}-abc"}


@pytest.fixture
def publish(tmp_path, monkeypatch):
    monkeypatch.setenv("LEAP_PUBLISH", str(tmp_path / "publish"))
    monkeypatch.delenv("LEAP_ALERT_WEBHOOK", raising=False)
    return tmp_path / "publish"


def _alert_lines(publish) -> list[str]:
    path = publish / "alerts.log"
    return path.read_text().splitlines() if path.exists() else []


@dg.asset(partitions_def=dg.StaticPartitionsDefinition([WEEK]))
def broken_week() -> None:
    """Fails the way dbt does: a coloured, multi-line message."""
    raise RuntimeError("\x1b[31mNo complete SITS extract has been loaded\x1b[0m\nsee the run log")


TINY = dg.Definitions(assets=[broken_week], jobs=[dg.define_asset_job("weekly_job", [broken_week])])


def _sense_failure(instance: dg.DagsterInstance, run: dg.DagsterRun, event: dg.DagsterEvent) -> None:
    context = dg.build_run_status_sensor_context(
        sensor_name=run_failure_alert_sensor.name, dagster_instance=instance, dagster_run=run, dagster_event=event
    )
    run_failure_alert_sensor(context)


def test_a_failed_sensor_requested_run_raises_one_plain_alert(publish):
    instance = dg.DagsterInstance.ephemeral()
    result = TINY.resolve_job_def("weekly_job").execute_in_process(
        instance=instance, partition_key=WEEK, tags=SENSOR_TAGS, raise_on_error=False
    )
    assert not result.success
    _sense_failure(instance, result.dagster_run, result.get_run_failure_event())
    (line,) = _alert_lines(publish)
    assert f"RUN_FAILED weekly_job failed for week {WEEK}: step broken_week failed:" in line
    assert "step broken_week failed: No complete SITS extract has been loaded run_id=" in line
    assert f"run_id={result.run_id} job=weekly_job week={WEEK}" in line
    assert "\x1b" not in line
    _sense_failure(instance, result.dagster_run, result.get_run_failure_event())
    assert len(_alert_lines(publish)) == 1


def test_a_cli_run_s_failure_is_alerted_by_the_cli_only_once(publish, tmp_path, monkeypatch):
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster"))
    monkeypatch.setattr("leap_assets.transform.project.ensure_manifest", lambda: None)
    monkeypatch.setitem(sys.modules, "orchestration.definitions", SimpleNamespace(defs=TINY))
    outcome = leap_instance.run_job("weekly_job", week=date.fromisoformat(WEEK))
    assert not outcome.success
    assert outcome.error.startswith("step broken_week failed:")
    (line,) = _alert_lines(publish)
    assert f"run_id={outcome.run_id}" in line
    instance = leap_instance.instance()
    run = instance.get_run_by_id(outcome.run_id)
    records = instance.get_records_for_run(outcome.run_id, of_type=dg.DagsterEventType.RUN_FAILURE).records
    _sense_failure(instance, run, records[0].event_log_entry.dagster_event)
    assert len(_alert_lines(publish)) == 1


def test_a_malformed_webhook_leaves_a_cli_run_s_outcome_unchanged(publish, tmp_path, monkeypatch):
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster"))
    monkeypatch.setenv("LEAP_ALERT_WEBHOOK", "http://[::1")
    monkeypatch.setattr("leap_assets.transform.project.ensure_manifest", lambda: None)
    monkeypatch.setitem(sys.modules, "orchestration.definitions", SimpleNamespace(defs=TINY))
    outcome = leap_instance.run_job("weekly_job", week=date.fromisoformat(WEEK))
    assert not outcome.success and outcome.run_id
    alert, note = _alert_lines(publish)
    assert "RUN_FAILED weekly_job failed" in alert
    assert "WEBHOOK_FAILED alert run_failed not delivered to the webhook: LEAP_ALERT_WEBHOOK is a malformed" in note


TERM = (date(2026, 9, 21), date(2026, 12, 11))
IN_TERM = date(2026, 11, 2)


@pytest.fixture
def term_warehouse(tmp_path):
    """A warehouse whose newest complete SITS extract has one term, with SEAtS and Moodle landed."""
    path = tmp_path / "warehouse.duckdb"
    initialise(path)
    with duckdb.connect(str(path)) as con:
        con.execute("insert into raw.sits_extracts values ('2026-10-26', true, null, null, now())")
        con.execute("insert into raw.sits_extracts values ('2026-10-30', false, 'student', null, now())")
        con.execute(
            "insert into raw.sits_period values ('2026-10-26', 'AUT', '2026/27', 'Autumn', ?, ?, 'sits', 2)",
            list(TERM),
        )
        for file, source, newest in [("seats/a.tsv", "seats", "2026-10-30"), ("moodle/a.csv", "moodle", "2026-11-01")]:
            con.execute(
                "insert into meta.landed_files (path, source, sha256, status, rows_loaded, rows_quarantined,"
                " rows_filtered, rows_duplicate, newest_data_date, landed_at) values (?, ?, 'x', 'loaded',"
                " 1, 0, 0, 0, ?, now())",
                [file, source, newest],
            )
    return path


def _tick(warehouse, today, monkeypatch, cursor=None):
    monkeypatch.setattr(alert_sensors, "local_today", lambda zone: today)
    context = dg.build_sensor_context(cursor=cursor, resources={"paths": LeapPaths(warehouse=str(warehouse))})
    return stale_sources_sensor(context)


@pytest.fixture
def quality(tmp_path, monkeypatch):
    path = tmp_path / "quality.yml"
    path.write_text("sources:\n  seats:\n    max_lag_days: 4\n")
    monkeypatch.setenv("LEAP_QUALITY_FILE", str(path))
    return path


def test_a_source_older_than_its_limit_in_term_raises_one_alert_a_day(publish, term_warehouse, quality, monkeypatch):
    first = _tick(term_warehouse, IN_TERM, monkeypatch)  # SEAtS 3 days old (limit 4), Moodle 1 (limit 1): fresh
    assert first.skip_reason.skip_message == "Every source is fresh." and _alert_lines(publish) == []
    later = date(2026, 11, 5)  # SITS 10 days (limit 14), SEAtS 6, Moodle 4
    second = _tick(term_warehouse, later, monkeypatch, first.cursor)
    lines = _alert_lines(publish)
    assert [line.split()[1] for line in lines] == ["SOURCE_STALE", "SOURCE_STALE"]
    assert "seats has no new data since 2026-10-30 (6 days); its limit in term is 4 days" in lines[0]
    assert "source=seats newest=2026-10-30 max_lag_days=4" in lines[0]
    assert "moodle has no new data since 2026-11-01 (4 days)" in lines[1]
    again = _tick(term_warehouse, later, monkeypatch, second.cursor)  # a restarted daemon keeps its cursor
    assert again.skip_reason.skip_message == "Stale sources (seats, moodle) were alerted today already."
    assert len(_alert_lines(publish)) == 2
    next_day = _tick(term_warehouse, date(2026, 11, 6), monkeypatch, again.cursor)
    assert len(_alert_lines(publish)) == 4
    assert json.loads(next_day.cursor) == {"moodle": "2026-11-06", "seats": "2026-11-06"}


def test_a_source_with_no_data_at_all_in_term_is_stale(publish, term_warehouse, quality, monkeypatch):
    with duckdb.connect(str(term_warehouse)) as con:
        con.execute("delete from meta.landed_files where source = 'moodle'")
    _tick(term_warehouse, IN_TERM, monkeypatch)
    (line,) = _alert_lines(publish)
    assert "SOURCE_STALE moodle has no data at all; its limit in term is 1 day source=moodle newest=none" in line


def test_no_stale_alert_out_of_term(publish, term_warehouse, quality, monkeypatch):
    result = _tick(term_warehouse, date(2026, 12, 20), monkeypatch)
    assert result.skip_reason.skip_message == "2026-12-20 is in no term of the newest SITS extract."
    assert _alert_lines(publish) == []


def test_the_board_s_max_lag_days_changes_the_verdict(publish, term_warehouse, quality, monkeypatch):
    later = date(2026, 11, 5)
    quality.write_text("sources:\n  seats:\n    max_lag_days: 7\n  moodle:\n    max_lag_days: 5\n")
    assert _tick(term_warehouse, later, monkeypatch).skip_reason.skip_message == "Every source is fresh."
    quality.write_text("sources:\n  seats:\n    max_lag_days: 5\n  moodle:\n    max_lag_days: 5\n")
    _tick(term_warehouse, later, monkeypatch)
    (line,) = _alert_lines(publish)
    assert "seats has no new data since 2026-10-30 (6 days); its limit in term is 5 days" in line


def test_no_warehouse_or_a_bad_settings_file_is_a_skip(publish, tmp_path, term_warehouse, quality, monkeypatch):
    assert _tick(tmp_path / "none.duckdb", IN_TERM, monkeypatch).skip_reason.skip_message == "No warehouse yet."
    quality.write_text("sources:\n  seats:\n    max_lag_dayz: 5\n")
    result = _tick(term_warehouse, IN_TERM, monkeypatch, cursor="not json")
    assert result.skip_reason.skip_message.startswith("Freshness not checked: the quality settings file")
    assert "max_lag_dayz" in result.skip_reason.skip_message
    assert _alert_lines(publish) == []


def test_the_alert_sensors_run_by_themselves_and_say_what_they_do():
    for sensor in (run_failure_alert_sensor, stale_sources_sensor):
        assert sensor.default_status == dg.DefaultSensorStatus.RUNNING
        assert sensor.description and sensor.description.strip() == sensor.description


@pytest.mark.parametrize(
    ("tags", "weeks"),
    [
        ({"dagster/partition": WEEK}, WEEK),
        ({START: WEEK, END: "2026-10-26"}, f"{WEEK}..2026-10-26"),
        ({START: WEEK, END: WEEK}, WEEK),
        ({}, "none"),
    ],
)
def test_a_failed_run_s_alert_names_its_weeks_from_its_tags(tags, weeks):
    assert run_weeks(tags) == weeks
