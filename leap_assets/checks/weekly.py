"""The weekly quality checks: every suite run on one report week's data, and the Dagster checks on the
engagement_weekly mart that their results decide.

Blocking checks guard what would make a school's report wrong: no usable SITS snapshot, attendance
or VLE data collapsing for the week (a module's rows or a day's events far below the week before, or
most students missing from the source), and the mart breaking its published contract. The rest warn:
odd codes, stale data, unmapped activity or a shift in the share of red students deserve a look but
do not make the figures wrong.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import dagster as dg
import duckdb
import pandas as pd

from expectations import metrics
from expectations.metrics import Week
from expectations.runner import ResultRecord, Validator
from expectations.suites import engagement_weekly, moodle, schools, seats, sits
from leap_assets.checks import frames

MART_KEY = dg.AssetKey(["marts", "engagement_weekly"])


@dataclass(frozen=True)
class WeeklyCheck:
    name: str
    source: str
    suites: tuple[str, ...]
    blocking: bool
    description: str


WEEKLY_CHECKS = (
    WeeklyCheck("sits_usable", "sits", ("sits.snapshot",), True,
                "SITS: a complete snapshot exists for the week and has not lost students against the one before."),
    WeeklyCheck("seats_usable", "seats", ("seats.attendance_volume", "seats.coverage"), True,
                "SEAtS: no running module's attendance rows collapsed against last week; most UG students appear."),
    WeeklyCheck("moodle_usable", "moodle", ("moodle.daily_volume", "moodle.coverage"), True,
                "Moodle: no day of the VLE window collapsed against the week before; most students appear."),
    WeeklyCheck("mart_contract", "engagement_weekly", ("engagement_weekly.contract",), True,
                "engagement_weekly: the week's rows keep the published columns, dates and ranges."),
    WeeklyCheck("sits_values", "sits", ("sits.students", "sits.courses", "sits.freshness"), False,
                "SITS: codes, birth dates, missing values and the snapshot's age."),
    WeeklyCheck("seats_values", "seats", ("seats.attendance_rows", "seats.freshness"), False,
                "SEAtS: codes, session dates within the term and the newest session's date."),
    WeeklyCheck("moodle_values", "moodle", ("moodle.events", "moodle.mapping", "moodle.freshness"), False,
                "Moodle: learning events only, dated in their day, mapped to students and courses, fresh."),
    WeeklyCheck("schools_values", "schools", ("schools.online_only",), False,
                "School lists: every row names a student with sensible dates."),
    WeeklyCheck("mart_distribution", "engagement_weekly",
                ("engagement_weekly.distribution", "engagement_weekly.no_data"), False,
                "engagement_weekly: the share of red students per school and of students with no status."),
)  # fmt: skip
BLOCKING_SUITES = frozenset(s for c in WEEKLY_CHECKS if c.blocking for s in c.suites)


def check_specs() -> list[dg.AssetCheckSpec]:
    return [
        dg.AssetCheckSpec(c.name, asset=MART_KEY, blocking=c.blocking, description=c.description) for c in WEEKLY_CHECKS
    ]


@dataclass
class Validation:
    """A suite, the frame it validates and the column naming a row of a metrics frame."""

    source: str
    build: Callable[[], object]
    frame: pd.DataFrame
    key: str | None = None


def week_validations(con: duckdb.DuckDBPyConnection, start: date) -> dict[str, Validation]:
    """Every suite's frame for the week, keyed by suite name (the report reads the metrics frames too)."""
    week = Week(start, frames.vle_window_days(con))
    extract = frames.snapshot_date(con, week)
    term_frame = frames.terms(con, extract)
    first_day = frames.term_start(term_frame, week)
    compare = metrics.week_in_term(week, term_frame) and metrics.week_in_term(week.previous, term_frame)
    previous = frames.previous_complete_extract(con, extract) if extract else None
    mart = frames.mart_rows(con, week)
    population = set(mart["student_id"]) if not mart.empty else set()
    ug = set(mart.loc[(mart["level"] == "UG") & ~mart["is_online_only"], "student_id"]) if not mart.empty else set()
    snapshot = metrics.sits_snapshot(
        extract, frames.students_in(con, extract), frames.students_in(con, previous) if previous else None, week
    )
    volume = metrics.attendance_volume(
        frames.seats_module_rows(con, week),
        frames.seats_module_rows(con, week.previous),
        frames.running_modules(con, extract, week.previous.start, week.as_of),
        compare,
    )
    in_term = metrics.week_in_term(week, term_frame)
    seats_newest = frames.newest(con, "raw.seats_attendance", "start_date", week.as_of)
    moodle_newest = frames.newest(con, "raw.moodle_log", "event_date", week.as_of)
    v = Validation
    return {
        "sits.snapshot": v("sits", sits.snapshot, snapshot),
        "sits.students": v("sits", lambda: sits.students(week.as_of), frames.sits_students(con, extract)),
        "sits.courses": v("sits", sits.courses, frames.sits_courses(con, extract)),
        "sits.freshness": v("sits", sits.freshness, snapshot),
        "seats.attendance_rows": v(
            "seats", lambda: seats.attendance_rows(first_day, week.as_of), frames.seats_rows(con, week)
        ),
        "seats.attendance_volume": v("seats", seats.attendance_volume, volume, "scope"),
        "seats.coverage": v("seats", seats.coverage, metrics.coverage(ug, frames.seats_students(con, week), in_term)),
        "seats.freshness": v(
            "seats",
            seats.freshness,
            metrics.freshness("seats", seats_newest, week.as_of),
        ),
        "moodle.events": v("moodle", lambda: moodle.events(week.start, week.as_of), frames.moodle_rows(con, week)),
        "moodle.daily_volume": v(
            "moodle", moodle.daily_volume, metrics.daily_volume(frames.moodle_daily(con, week), week, term_frame), "day"
        ),
        "moodle.coverage": v(
            "moodle",
            moodle.coverage,
            metrics.coverage(population, frames.moodle_students(con, week, extract), in_term),
        ),
        "moodle.mapping": v("moodle", moodle.mapping, frames.moodle_unmapped(con, week, extract), "kind"),
        "moodle.freshness": v(
            "moodle",
            moodle.freshness,
            metrics.freshness("moodle", moodle_newest, week.as_of),
        ),
        "schools.online_only": v("schools", lambda: schools.online_only(week.as_of), frames.schools_rows(con)),
        "engagement_weekly.contract": v(
            "engagement_weekly", lambda: engagement_weekly.contract(week.start, week.vle_window_days), mart
        ),
        "engagement_weekly.distribution": v(
            "engagement_weekly",
            engagement_weekly.distribution,
            metrics.red_share_shift(mart) if not mart.empty else metrics.red_share_shift(_empty_mart()),
            "school",
        ),
        "engagement_weekly.no_data": v("engagement_weekly", engagement_weekly.no_data, mart),
    }


def _empty_mart() -> pd.DataFrame:
    return pd.DataFrame(columns=["school", "combined_rag", "previous_combined_rag"])


def run_validations(validator: Validator, validations: dict[str, Validation]) -> list[ResultRecord]:
    """Validate every frame; a suite that cannot run at all is one failed record, never a crash."""
    records: list[ResultRecord] = []
    for name, item in validations.items():
        try:
            records += validator.validate(item.source, item.build(), item.frame, item.key)
        except Exception as error:  # a broken frame must fail its check, not hide the others
            message = f"could not be validated: {type(error).__name__}: {str(error).splitlines()[0][:200]}"
            records.append(ResultRecord(item.source, name, "suite", False, message, "The suite ran"))
    return records


def failures(records: list[ResultRecord], suites: tuple[str, ...]) -> list[ResultRecord]:
    return [r for r in records if r.suite in suites and not r.passed]


def check_results(by_week: dict[date, list[ResultRecord]]) -> list[dg.AssetCheckResult]:
    """One result per weekly check over the weeks of the run: it passes when every week passed."""
    results = []
    for check in WEEKLY_CHECKS:
        failed = [(week, r) for week, records in sorted(by_week.items()) for r in failures(records, check.suites)]
        checked = sum(1 for records in by_week.values() for r in records if r.suite in check.suites)
        lines = [f"- {week}: {r.suite}: {r.description} (observed {r.observed_value})" for week, r in failed[:20]]
        results.append(
            dg.AssetCheckResult(
                asset_key=MART_KEY,
                check_name=check.name,
                passed=not failed,
                severity=dg.AssetCheckSeverity.ERROR if check.blocking else dg.AssetCheckSeverity.WARN,
                description=(f"{failed[0][1].description}: {failed[0][1].observed_value}" if failed else None),
                metadata={
                    "weeks": ", ".join(str(w) for w in sorted(by_week)),
                    "expectations_checked": checked,
                    "expectations_failed": len(failed),
                    "failures": dg.MetadataValue.md("\n".join(lines) if lines else "None."),
                },
            )
        )
    return results


def blocking_failures(by_week: dict[date, list[ResultRecord]]) -> str:
    """One sentence naming each week's failed blocking checks and what they saw ("" when none failed)."""
    parts = []
    for week, records in sorted(by_week.items()):
        for check in (c for c in WEEKLY_CHECKS if c.blocking):
            failed = failures(records, check.suites)
            if failed:
                parts.append(f"week {week} {check.name}: {failed[0].description} (observed {failed[0].observed_value})")
    return "; ".join(parts) + "." if parts else ""
