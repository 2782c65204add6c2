"""Sensors that only raise alerts: every failed run, and every source gone stale in term."""

import json
from datetime import date, datetime
from zoneinfo import ZoneInfo

import dagster as dg
import duckdb

from leap_assets.alerts import raise_alert
from leap_assets.quality.settings import QualitySettings, QualitySettingsError, load_quality_settings
from leap_assets.resources import LeapPaths
from orchestration.runs.run_failures import alert_run_failed, first_error, reason

SOURCES = ("sits", "seats", "moodle")


# Dagster does not take a sensor's description from its docstring: both are given.
@dg.run_failure_sensor(
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Alert on every failed run, whoever launched it (CLI, schedule, sensor, daemon or UI).",
)
def run_failure_alert_sensor(context: dg.RunFailureSensorContext) -> None:
    """Alert on every failed run, whoever launched it (CLI, schedule, sensor, daemon or UI)."""
    run = context.dagster_run
    # A run can fail outside any step (killed, a resource that would not start): Dagster's message then.
    error = first_error(context.get_step_failure_events()) or reason(context.failure_event.message or "")
    alert_run_failed(run.job_name, run.run_id, run.tags, error)


def local_today(zone: str) -> date:
    """Today's date where the university is (tests replace this to move the clock)."""
    return datetime.now(ZoneInfo(zone)).date()


def term_of(con: duckdb.DuckDBPyConnection, today: date) -> tuple[str, date, date] | None:
    """The term of the newest complete SITS extract's period.tsv that holds `today`, if any."""
    return con.execute(
        """
        select period_name, period_start_date, period_end_date from raw.sits_period
        where extract_date = (select max(extract_date) from raw.sits_extracts where is_complete)
          and period_start_date <= ? and period_end_date >= ?
        order by period_start_date
        limit 1
        """,
        [today, today],
    ).fetchone()


def newest_data(con: duckdb.DuckDBPyConnection, source: str) -> date | None:
    """The newest date a source's usable data covers (for SITS: its newest complete extract)."""
    if source == "sits":
        return con.execute("select max(extract_date) from raw.sits_extracts where is_complete").fetchone()[0]
    return con.execute(
        "select max(newest_data_date) from meta.landed_files where source = ? and status = 'loaded'", [source]
    ).fetchone()[0]


def stale_sources(
    con: duckdb.DuckDBPyConnection, today: date, quality: QualitySettings
) -> list[tuple[str, date | None, int]] | None:
    """(source, newest data date, max_lag_days) of each source older than its limit; None out of term."""
    if term_of(con, today) is None:
        return None
    stale = []
    for source in SOURCES:
        newest, limit = newest_data(con, source), quality.max_lag_days(source)
        if newest is None or (today - newest).days > limit:
            stale.append((source, newest, limit))
    return stale


def _days(count: int) -> str:
    return f"{count} day" if count == 1 else f"{count} days"


@dg.sensor(
    minimum_interval_seconds=3600,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Alert once a day for each source with no new data for longer than its max_lag_days, in term.",
)
def stale_sources_sensor(context: dg.SensorEvaluationContext, paths: LeapPaths) -> dg.SensorResult:
    """Alert once a day for each source with no new data for longer than its max_lag_days, in term."""
    try:
        alerted = json.loads(context.cursor) if context.cursor else {}
    except ValueError:
        alerted = {}
    if not paths.warehouse_path.exists():
        return dg.SensorResult(skip_reason="No warehouse yet.", cursor=context.cursor)
    try:
        quality = load_quality_settings()
    except QualitySettingsError as error:
        return dg.SensorResult(skip_reason=f"Freshness not checked: {error}.", cursor=context.cursor)
    today = local_today(paths.timezone)
    try:
        with paths.read() as con:
            stale = stale_sources(con, today, quality)
    except duckdb.Error as error:
        # Most often a run holds the write lock; the next tick looks again.
        return dg.SensorResult(skip_reason=f"Warehouse not readable now: {error}", cursor=context.cursor)
    if stale is None:
        return dg.SensorResult(skip_reason=f"{today} is in no term of the newest SITS extract.", cursor=context.cursor)
    # The cursor holds the day each source was last alerted, so a restarted daemon does not repeat it.
    new = [(source, newest, limit) for source, newest, limit in stale if alerted.get(source) != today.isoformat()]
    for source, newest, limit in new:
        what = f"no new data since {newest} ({_days((today - newest).days)})" if newest else "no data at all"
        raise_alert(
            "source_stale",
            f"{source} has {what}; its limit in term is {_days(limit)}",
            source=source,
            newest=str(newest or "none"),
            max_lag_days=str(limit),
        )
        alerted[source] = today.isoformat()
    cursor = json.dumps(alerted, sort_keys=True)
    if not new:
        names = ", ".join(source for source, _, _ in stale)
        why = f"Stale sources ({names}) were alerted today already." if stale else "Every source is fresh."
        return dg.SensorResult(skip_reason=why, cursor=cursor)
    return dg.SensorResult(cursor=cursor)
