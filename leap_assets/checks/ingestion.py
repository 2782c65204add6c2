"""Checks on the ingestion assets: the newest data each source landed, validated as soon as it lands.

They warn and never block: ingestion only feeds the staging views, and whether a week is fit to report
is decided by the weekly checks on the mart, which block the reports. Results are stored under the
report week the newest data belongs to; that week's own run later replaces them with its verdict.
"""

from datetime import date, timedelta

import dagster as dg
import duckdb
import pandas as pd

from expectations import metrics
from expectations.metrics import Week
from expectations.runner import ResultRecord, Validator
from expectations.suites import moodle, schools, seats, sits
from leap_assets.checks import frames, results
from leap_assets.checks.weekly import Validation, run_validations
from leap_assets.ingestion.assets import moodle as moodle_asset
from leap_assets.ingestion.assets import schools as schools_asset
from leap_assets.ingestion.assets import seats as seats_asset
from leap_assets.ingestion.assets import sits as sits_asset
from leap_assets.partitions import last_complete_week, monday_of
from leap_assets.quality.settings import QualitySettings, QualitySettingsError, load_quality_settings
from leap_assets.resources import LeapPaths
from leap_assets.warehouse.db import WAREHOUSE_POOL

Collected = tuple[date | None, dict[str, Validation]]


def _newest(con: duckdb.DuckDBPyConnection, sql: str) -> date | None:
    found = con.execute(sql).fetchone()[0]
    return pd.Timestamp(found).date() if found is not None else None


def sits_validations(con: duckdb.DuckDBPyConnection, quality: QualitySettings) -> Collected:
    """The newest extract, complete or not, against the complete extract before it."""
    extract = _newest(con, "select max(extract_date) from raw.sits_extracts")
    if extract is None:
        return None, {}
    week = Week(monday_of(extract - timedelta(days=1)))
    sql = "select bool_or(is_complete) from raw.sits_extracts where extract_date = ?"
    complete = bool(con.execute(sql, [extract]).fetchone()[0])
    previous = frames.previous_complete_extract(con, extract)
    snapshot = metrics.sits_snapshot(
        extract if complete else None,
        frames.students_in(con, extract),
        frames.students_in(con, previous) if previous else None,
        week,
    )
    sv = quality.check("sits_values")
    return week.start, {
        "sits.snapshot": Validation(
            "sits", lambda: sits.snapshot(quality.check("sits_usable")["min_students_ratio"]), snapshot
        ),
        "sits.students": Validation(
            "sits",
            lambda: sits.students(week.as_of, sv["min_known_share"], sv["earliest_birth_year"], sv["min_age_years"]),
            frames.sits_students(con, extract),
        ),
        "sits.courses": Validation(
            "sits", lambda: sits.courses(sv["min_department_share"]), frames.sits_courses(con, extract)
        ),
    }


def seats_validations(con: duckdb.DuckDBPyConnection, quality: QualitySettings) -> Collected:
    """The rows of the newest attendance file."""
    produced = _newest(con, "select max(file_date) from raw.seats_attendance")
    if produced is None:
        return None, {}
    week = Week(monday_of(produced - timedelta(days=1)))
    extract = frames.snapshot_date(con, week)
    first_day = frames.term_start(frames.terms(con, extract), week)
    rows = frames.seats_rows(con, week)
    rows = rows[pd.to_datetime(rows["file_date"]).dt.date == produced]
    return week.start, {
        "seats.attendance_rows": Validation(
            "seats",
            lambda: seats.attendance_rows(first_day, produced, quality.check("seats_values")["min_module_share"]),
            rows,
        )
    }


def moodle_validations(con: duckdb.DuckDBPyConnection, quality: QualitySettings) -> Collected:
    """The events loaded from the newest day file."""
    day = _newest(con, "select max(file_date) from raw.moodle_log")
    if day is None:
        return None, {}
    rows = con.execute(
        "select edulevel, anonymous, origin, event_date, file_date from raw.moodle_log where file_date = ?", [day]
    ).df()
    return monday_of(day), {
        "moodle.events": Validation(
            "moodle", lambda: moodle.events(day, day, quality.check("moodle_values")["min_same_day_share"]), rows
        )
    }


def schools_validations(con: duckdb.DuckDBPyConnection, quality: QualitySettings) -> Collected:
    """Every online-only list as it stands."""
    week = Week(last_complete_week(date.today()))
    rows = frames.schools_rows(con)
    return week.start, {
        "schools.online_only": Validation(
            "schools", lambda: schools.online_only(week.as_of, quality.check("schools_values")["max_days_ahead"]), rows
        )
    }


def _check(paths: LeapPaths, collect) -> dg.AssetCheckResult:
    try:
        quality = load_quality_settings()
    except QualitySettingsError as error:
        return dg.AssetCheckResult(passed=False, severity=dg.AssetCheckSeverity.WARN, description=f"{error}.")
    with paths.read() as con:
        week, validations = collect(con, quality)
    if week is None:
        return dg.AssetCheckResult(passed=True, severity=dg.AssetCheckSeverity.WARN, description="No data landed yet.")
    records: list[ResultRecord] = run_validations(Validator(), validations)
    with paths.write() as con:
        results.replace_week(con, week, records, quality.version)
    failed = [r for r in records if not r.passed]
    lines = [f"- {r.suite}: {r.description} (observed {r.observed_value})" for r in failed[:20]]
    return dg.AssetCheckResult(
        passed=not failed,
        severity=dg.AssetCheckSeverity.WARN,
        description=f"{failed[0].description}: {failed[0].observed_value}" if failed else None,
        metadata={
            "week_start": str(week),
            "expectations_checked": len(records),
            "expectations_failed": len(failed),
            "failures": dg.MetadataValue.md("\n".join(lines) if lines else "None."),
        },
    )


@dg.asset_check(asset=sits_asset, pool=WAREHOUSE_POOL)
def sits_newest_extract(paths: LeapPaths) -> dg.AssetCheckResult:
    """The newest SITS extract: complete, codes and dates valid, no sudden drop in students."""
    return _check(paths, sits_validations)


@dg.asset_check(asset=seats_asset, pool=WAREHOUSE_POOL)
def seats_newest_file(paths: LeapPaths) -> dg.AssetCheckResult:
    """The newest SEAtS file: attendance codes valid, sessions dated within the term and not after the file."""
    return _check(paths, seats_validations)


@dg.asset_check(asset=moodle_asset, pool=WAREHOUSE_POOL)
def moodle_newest_file(paths: LeapPaths) -> dg.AssetCheckResult:
    """The newest Moodle day file: learning events only, dated on the file's day."""
    return _check(paths, moodle_validations)


@dg.asset_check(asset=schools_asset, pool=WAREHOUSE_POOL)
def schools_lists(paths: LeapPaths) -> dg.AssetCheckResult:
    """The online-only lists: every row names a student with sensible dates."""
    return _check(paths, schools_validations)


INGESTION_CHECKS = [sits_newest_extract, seats_newest_file, moodle_newest_file, schools_lists]
