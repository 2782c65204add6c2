"""The weekly quality checks: every suite run on one report week's data, and the Dagster checks on the
engagement_weekly mart that their results decide.

A check is `block` or `warn` as the board's settings say (config/quality.yml). A blocking check that
fails holds back the reports it makes wrong, school by school (leap_assets/checks/gate.py): its metrics
frames carry a `schools` column naming the schools a failing row feeds (a module's attendance: the
schools of its students; "*": every school, as for a day of Moodle or the SITS snapshot). Volume and
coverage checks skip what the academic calendar lists as non-teaching (leap_assets/quality/calendar.py)
and compare with a robust baseline (expectations/metrics.py).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import dagster as dg
import duckdb
import pandas as pd

from expectations import metrics
from expectations.metrics import EVERY_SCHOOL, Week
from expectations.runner import ResultRecord, Validator
from expectations.suites import engagement_weekly, moodle, schools, seats, sits
from leap_assets.checks import frames
from leap_assets.quality.calendar import Calendar
from leap_assets.quality.settings import QualitySettings
from leap_assets.transform.project import MART_KEY


@dataclass(frozen=True)
class WeeklyCheck:
    name: str
    source: str
    suites: tuple[str, ...]
    description: str


WEEKLY_CHECKS = (
    WeeklyCheck("sits_usable", "sits", ("sits.snapshot",),
                "SITS: a complete snapshot exists for the week and has not lost students against the one before."),
    WeeklyCheck("seats_usable", "seats", ("seats.attendance_volume", "seats.coverage"),
                "SEAtS: no taught module's attendance rows collapsed against its baseline; most UG students of "
                "each school appear."),
    WeeklyCheck("moodle_usable", "moodle", ("moodle.daily_volume", "moodle.coverage"),
                "Moodle: no day of the VLE window collapsed against its weekday's baseline; most students of "
                "each school appear."),
    WeeklyCheck("mart_contract", "engagement_weekly", ("engagement_weekly.contract",),
                "engagement_weekly: the week's rows keep the published columns, dates and ranges."),
    WeeklyCheck("sits_values", "sits", ("sits.students", "sits.courses", "sits.freshness"),
                "SITS: codes, birth dates, missing values and the snapshot's age."),
    WeeklyCheck("seats_values", "seats", ("seats.attendance_rows", "seats.freshness"),
                "SEAtS: codes, session dates within the term and the newest session's date."),
    WeeklyCheck("moodle_values", "moodle", ("moodle.events", "moodle.mapping", "moodle.freshness"),
                "Moodle: learning events only, dated in their day, mapped to students and courses, fresh."),
    WeeklyCheck("schools_values", "schools", ("schools.online_only",),
                "School lists: every row names a student with sensible dates."),
    WeeklyCheck("mart_distribution", "engagement_weekly",
                ("engagement_weekly.distribution", "engagement_weekly.no_data"),
                "engagement_weekly: the share of red students per school and of students with no status."),
)  # fmt: skip
CHECKS_BY_NAME = {c.name: c for c in WEEKLY_CHECKS}


def check_specs() -> list[dg.AssetCheckSpec]:
    # Not blocking for Dagster: a failed blocking check holds schools (the gate), it does not fail the run.
    return [dg.AssetCheckSpec(c.name, asset=MART_KEY, blocking=False, description=c.description) for c in WEEKLY_CHECKS]


@dataclass
class Validation:
    """A suite, the frame it validates and the column naming a row of a metrics frame."""

    source: str
    build: Callable[[], object]
    frame: pd.DataFrame
    key: str | None = None

    def row(self, key_value: str) -> pd.Series | None:
        if self.key is None or self.frame.empty:
            return None
        found = self.frame[self.frame[self.key].astype(str) == key_value]
        return None if found.empty else found.iloc[0]

    def schools_of(self, key_value: str) -> frozenset[str] | None:
        """The schools a failing row makes wrong; None for every school."""
        row = self.row(key_value)
        if row is None or "schools" not in row.index or row["schools"] == EVERY_SCHOOL:
            return None
        return frozenset(name for name in str(row["schools"]).split("; ") if name)

    def describe(self, key_value: str) -> str:
        """What a failing row of a metrics frame saw, in words (counts only)."""
        row = self.row(key_value)
        if row is None:
            return key_value
        if "ratio" in row.index:
            now, baseline = int(row.get("rows_this_week", row.get("rows"))), float(row["rows_baseline"])
            return f"{key_value}: {now:,} rows against a baseline of {baseline:,.0f} ({row['ratio']:.0%})"
        if "share" in row.index:
            found, students = int(row["found"]), int(row["students"])
            return f"{key_value}: {found:,} of {students:,} students found ({row['share']:.0%})"
        return key_value


def week_validations(
    con: duckdb.DuckDBPyConnection, start: date, quality: QualitySettings, calendar: Calendar
) -> dict[str, Validation]:
    """Every suite's frame for the week, keyed by suite name (the report reads the metrics frames too)."""
    week = Week(start, frames.vle_window_days(con))
    extract = frames.snapshot_date(con, week)
    term_frame = frames.terms(con, extract)
    first_day = frames.term_start(term_frame, week)
    in_term = metrics.week_in_term(week, term_frame)
    judge = in_term and not calendar.university_closed(week.start)
    previous = frames.previous_complete_extract(con, extract) if extract else None
    mart = frames.mart_rows(con, week)
    modules = frames.module_instances(con, extract, week)
    owners = {m: (s, d) for m, s, d in zip(modules["module"], modules["school"], modules["department"], strict=True)}

    def teaching(module: str, week_start: date) -> bool:
        school, department = owners.get(module, (None, None))
        return calendar.module_teaching(week_start, module, school, department)

    def closed(day: date) -> bool:
        return calendar.university_closed(day - timedelta(days=day.weekday()))

    taught = taught_students(mart, frames.student_modules(con, extract), metrics.running_through(modules, week),
                             calendar, week.start)  # fmt: skip
    ug = taught[(taught["level"] == "UG") & ~taught["is_online_only"].astype(bool)]
    c = quality.check
    lookback = quality.baseline_weeks + metrics.EXTRA_LOOKBACK_WEEKS
    snapshot = metrics.sits_snapshot(
        extract, frames.students_in(con, extract), frames.students_in(con, previous) if previous else None, week
    )
    volume = metrics.attendance_volume(
        frames.seats_module_weekly(con, week, lookback), modules, week, term_frame, teaching,
        quality.baseline_weeks, c("seats_usable")["min_baseline_rows"],
    )  # fmt: skip
    daily = metrics.daily_volume(
        frames.moodle_daily(con, week, lookback), week, term_frame, closed,
        quality.baseline_weeks, c("moodle_usable")["min_baseline_rows"],
    )  # fmt: skip
    seats_cover = metrics.coverage_by_school(
        ug, frames.seats_students(con, week), judge, c("seats_usable")["min_students"]
    )
    moodle_cover = metrics.coverage_by_school(
        taught, frames.moodle_students(con, week, extract), judge, c("moodle_usable")["min_students"]
    )
    seats_newest = frames.newest(con, "raw.seats_attendance", "start_date", week.as_of)
    moodle_newest = frames.newest(con, "raw.moodle_log", "event_date", week.as_of)
    sv, mv, dist = c("sits_values"), c("moodle_values"), c("mart_distribution")
    v = Validation
    return {
        "sits.snapshot": v("sits", lambda: sits.snapshot(c("sits_usable")["min_students_ratio"]), snapshot),
        "sits.students": v(
            "sits",
            lambda: sits.students(week.as_of, sv["min_known_share"], sv["earliest_birth_year"], sv["min_age_years"]),
            frames.sits_students(con, extract),
        ),
        "sits.courses": v("sits", lambda: sits.courses(sv["min_department_share"]), frames.sits_courses(con, extract)),
        "sits.freshness": v("sits", lambda: sits.freshness(quality.max_lag_days("sits")), snapshot),
        "seats.attendance_rows": v(
            "seats",
            lambda: seats.attendance_rows(first_day, week.as_of, c("seats_values")["min_module_share"]),
            frames.seats_rows(con, week),
        ),
        "seats.attendance_volume": v(
            "seats", lambda: seats.attendance_volume(c("seats_usable")["min_volume_ratio"]), volume, "scope"
        ),
        "seats.coverage": v("seats", lambda: seats.coverage(c("seats_usable")["min_coverage"]), seats_cover, "school"),
        "seats.freshness": v(
            "seats",
            lambda: seats.freshness(quality.max_lag_days("seats")),
            metrics.freshness("seats", seats_newest, week.as_of),
        ),
        "moodle.events": v(
            "moodle",
            lambda: moodle.events(week.start, week.as_of, mv["min_same_day_share"]),
            frames.moodle_rows(con, week),
        ),
        "moodle.daily_volume": v(
            "moodle", lambda: moodle.daily_volume(c("moodle_usable")["min_daily_ratio"]), daily, "day"
        ),
        "moodle.coverage": v(
            "moodle", lambda: moodle.coverage(c("moodle_usable")["min_coverage"]), moodle_cover, "school"
        ),
        "moodle.mapping": v(
            "moodle",
            lambda: moodle.mapping(mv["max_unmapped_share"]),
            frames.moodle_unmapped(con, week, extract),
            "kind",
        ),
        "moodle.freshness": v(
            "moodle",
            lambda: moodle.freshness(quality.max_lag_days("moodle")),
            metrics.freshness("moodle", moodle_newest, week.as_of),
        ),
        "schools.online_only": v(
            "schools",
            lambda: schools.online_only(week.as_of, c("schools_values")["max_days_ahead"]),
            frames.schools_rows(con),
        ),
        "engagement_weekly.contract": v(
            "engagement_weekly", lambda: engagement_weekly.contract(week.start, week.vle_window_days), mart
        ),
        "engagement_weekly.distribution": v(
            "engagement_weekly",
            lambda: engagement_weekly.distribution(dist["max_red_shift"]),
            metrics.red_share_shift(mart if not mart.empty else _empty_mart(), dist["min_shift_students"]),
            "school",
        ),
        "engagement_weekly.no_data": v(
            "engagement_weekly", lambda: engagement_weekly.no_data(dist["min_with_status"]), mart
        ),
    }


def taught_students(
    mart: pd.DataFrame, memberships: pd.DataFrame, running: set[str], calendar: Calendar, week_start: date
) -> pd.DataFrame:
    """The week's population (student_id, school, level, is_online_only) less the students the calendar
    says are not taught this week: their school or department is listed, or every module they take
    that runs this week is."""
    columns = ["student_id", "school", "level", "is_online_only"]
    if mart.empty:
        return pd.DataFrame(columns=columns)
    entries = calendar.in_week(week_start)
    if not entries:
        return mart[columns]
    taking = memberships[memberships["module"].isin(running)].groupby("student_id")["module"].agg(list).to_dict()
    keep = []
    for student, school, department in zip(mart["student_id"], mart["school"], mart["department"], strict=True):
        modules = taking.get(student, [])
        keep.append(
            calendar.teaching(week_start, school, department)
            and (not modules or any(calendar.module_teaching(week_start, m, None, None) for m in modules))
        )
    return mart.loc[keep, columns]


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


def check_results(by_week: dict[date, list[ResultRecord]], quality: QualitySettings) -> list[dg.AssetCheckResult]:
    """One result per weekly check over the weeks of the run: it passes when every week passed. A failed
    blocking check is an error (its holds are in marts.report_status), a failed warning a warning."""
    results = []
    for check in WEEKLY_CHECKS:
        failed = [(week, r) for week, records in sorted(by_week.items()) for r in failures(records, check.suites)]
        checked = sum(1 for records in by_week.values() for r in records if r.suite in check.suites)
        lines = [f"- {week}: {r.suite}: {r.description} (observed {r.observed_value})" for week, r in failed[:20]]
        blocks = quality.blocks(check.name)
        results.append(
            dg.AssetCheckResult(
                asset_key=MART_KEY,
                check_name=check.name,
                passed=not failed,
                severity=dg.AssetCheckSeverity.ERROR if blocks else dg.AssetCheckSeverity.WARN,
                description=(f"{failed[0][1].description}: {failed[0][1].observed_value}" if failed else None),
                metadata={
                    "weeks": ", ".join(str(w) for w in sorted(by_week)),
                    "severity": "block" if blocks else "warn",
                    "settings_version": quality.version,
                    "expectations_checked": checked,
                    "expectations_failed": len(failed),
                    "failures": dg.MetadataValue.md("\n".join(lines) if lines else "None."),
                },
            )
        )
    return results


def blocking_suites(quality: QualitySettings) -> frozenset[str]:
    """The suites of the checks the board's settings make blocking."""
    return frozenset(s for c in WEEKLY_CHECKS if quality.blocks(c.name) for s in c.suites)
