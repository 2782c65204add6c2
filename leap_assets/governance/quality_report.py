"""The governance board's weekly data-quality report, and the quality gate that decides which school
reports of the week are published.

The report asset runs every weekly suite (leap_assets/checks/weekly.py) under the board's settings and
the academic calendar, stores the results, decides each school's status (leap_assets/checks/gate.py:
published, held or released), raises an alert for each school held anew, and writes
`publish/<week>/governance/data-quality.html` and the Data Docs beside it. It carries the weekly checks
on the engagement_weekly mart. None of them is blocking for Dagster: a hold is not a failed run. The
school reports asset runs after it and publishes every school that is not held.

Carrying checks on another asset's key takes `allow_arbitrary_check_specs`, a hidden option of
`dg.multi_asset` (dagster-dbt relies on it for the same purpose).
"""

from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import dagster as dg

from expectations.metrics import Week
from expectations.runner import ResultRecord, Validator
from leap_assets.alerts import raise_alert
from leap_assets.checks import frames, gate, results, weekly
from leap_assets.checks.gate import SchoolStatus
from leap_assets.governance import quality_data as data
from leap_assets.governance.quality_html import Coverage, ReportContent, render
from leap_assets.governance.quality_tables import Verdict, fairness_tables, rag_table, verdicts
from leap_assets.parallel import run_pool, spawn_context
from leap_assets.partitions import weekly_partitions
from leap_assets.progress import report
from leap_assets.published import DOCS, report_path
from leap_assets.quality.calendar import Calendar, CalendarError, load_calendar
from leap_assets.quality.settings import QualitySettings, QualitySettingsError, load_quality_settings
from leap_assets.resources import LeapPaths
from leap_assets.transform.project import MART_KEY
from leap_assets.warehouse.db import WAREHOUSE_POOL
from leap_assets.writing.files import atomic_write, replace_folder

SOURCE_NAMES = {
    "sits": "SITS (student records)",
    "seats": "SEAtS (attendance)",
    "moodle": "Moodle (VLE activity)",
    "schools": "School online-only lists",
    "engagement_weekly": "Weekly engagement figures (engagement_weekly mart)",
}


@dataclass
class WeekQuality:
    week: date
    records: list[ResultRecord]
    report: Path
    data_docs: Path
    verdicts: dict[str, Verdict]
    statuses: list[SchoolStatus]
    new_holds: list[SchoolStatus]


# DuckDB's memory for one week's checks (its default is 80% of the machine). A 20,000-student term's
# checks, in two LEAP_WORKERS processes, peaked at 2.09 GB for the whole process tree without it and
# 1.98 GB with it, in the same 34 s.
CHECK_MEMORY = "128MB"


def publish_week(paths: LeapPaths, start: date, quality: QualitySettings, calendar: Calendar) -> WeekQuality:
    """Validate one week, store its results and each school's status, and write its report and Data Docs."""
    validator = Validator(run_name=f"week-{start.isoformat()}")
    with paths.read(memory_limit=CHECK_MEMORY) as con:
        validations = weekly.week_validations(con, start, quality, calendar)
        week = Week(start, frames.vle_window_days(con))
        extract = frames.snapshot_date(con, week)
        first_day = frames.term_start(frames.terms(con, extract), week)
        loads = data.source_loads(con, week, extract)
        population, assessed = data.assessment_coverage(con, week, extract)
        not_counted, unknown = data.seats_outside_population(con, week)
        rag = data.rag_by_school_level(con, week)
        trend = data.rag_trend(con, week, first_day)
        people = data.demographics(con, week)
    records = weekly.run_validations(validator, validations)
    mart = validations["engagement_weekly.contract"].frame
    schools = sorted(set(mart["school"])) if not mart.empty else []
    holds = gate.holds_by_school(records, validations, schools, quality)
    with paths.write() as con:
        results.replace_week(con, start, records, quality.version)
        statuses, new_holds = gate.record_week(con, start, holds, quality.version)

    seats_cover = validations["seats.coverage"].frame.iloc[0]
    moodle_cover = validations["moodle.coverage"].frame.iloc[0]
    unmapped = validations["moodle.mapping"].frame.set_index("kind")
    judged = verdicts(records, loads, SOURCE_NAMES, weekly.blocking_suites(quality))
    content = ReportContent(
        week_start=week.start,
        as_of=week.as_of,
        generated_at=datetime.now(UTC),
        source_names=SOURCE_NAMES,
        verdicts=judged,
        loads=loads,
        records=records,
        coverage=[
            Coverage("Undergraduates (not online-only) found in SEAtS this week", *_pair(seats_cover)),
            Coverage(f"Students found in Moodle in the {week.vle_window_days}-day window", *_pair(moodle_cover)),
            Coverage("Students with an assessment record in the SITS snapshot", int(population), int(assessed)),
            Coverage("Moodle users with learning activity that no SITS mapping links", _count(unmapped, "users"), None),
        ],
        other_counts=[
            ("Moodle courses with learning activity that no module maps to", f"{_count(unmapped, 'courses'):,}"),
            ("Learning events on unmapped users or courses (not analysed)", f"{_events(unmapped):,}"),
            ("SEAtS rows of the week outside the UG population (kept, never counted)", f"{int(not_counted):,}"),
            ("...of which for students no SITS extract knows", f"{int(unknown):,}"),
        ],
        rag_table=rag_table(rag),
        trend=trend,
        fairness=fairness_tables(people),
        data_docs=f"{DOCS}/index.html",
        statuses=statuses,
        settings=quality.rows(),
        settings_version=quality.version,
        settings_file=str(quality.path) if quality.path else "(defaults: no settings file)",
        non_teaching=[entry.label() for entry in calendar.in_week(start)],
        calendar_file=str(calendar.path) if calendar.path else "(no calendar file)",
    )
    report = atomic_write(
        report_path(paths.publish_path, start), lambda tmp: tmp.write_text(render(content), encoding="utf-8")
    )
    docs = replace_folder(report.parent / DOCS, validator.build_data_docs)
    return WeekQuality(start, records, report, docs, judged, statuses, new_holds)


def publish_weeks(
    paths: LeapPaths, weeks: list[date], quality: QualitySettings, calendar: Calendar
) -> list[WeekQuality]:
    """`publish_week` for every week, side by side in the run's worker processes when there are several
    (weeks are independent: each reads and writes only its own rows). The workers take turns with the
    warehouse file (DuckDB lets one process at a time hold it while another writes); their checks, Data
    Docs and reports run in parallel."""
    lock = spawn_context().Lock()
    with run_pool(len(weeks), initializer=_take_turns_with, initargs=(lock,)) as pool:
        if pool is None:
            done = (publish_week(paths, week, quality, calendar) for week in weeks)
        else:
            where = {"landing": str(paths.landing_path), "warehouse": str(paths.warehouse_path),
                     "publish": str(paths.publish_path), "zone": paths.timezone}  # fmt: skip
            n = len(weeks)
            done = pool.map(_publish_in_worker, [where] * n, weeks, [quality] * n, [calendar] * n)
        published = []
        for week_quality in done:  # in week order, each as soon as it (and the weeks before it) are checked
            held = [s.school for s in week_quality.statuses if s.status == "held"]
            report(f"  week {week_quality.week}: checked" + (f", held back: {', '.join(held)}" if held else ""))
            published.append(week_quality)
        return published


_turn = None  # in a worker: the lock its process takes before it opens the warehouse


def _take_turns_with(lock) -> None:
    global _turn
    _turn = lock


class _TakingTurns:
    """LeapPaths whose warehouse connections wait for the other workers' to close."""

    def __init__(self, paths: LeapPaths, lock):
        self.paths, self.lock = paths, lock
        self.publish_path = paths.publish_path

    @contextmanager
    def read(self, memory_limit: str | None = None):
        with self.lock, self.paths.read(memory_limit) as con:
            yield con

    @contextmanager
    def write(self):
        with self.lock, self.paths.write() as con:
            yield con


def _publish_in_worker(where: dict, week: date, quality: QualitySettings, calendar: Calendar) -> WeekQuality:
    return publish_week(_TakingTurns(LeapPaths(**where), _turn), week, quality, calendar)


def hold_sentence(status: SchoolStatus, report: Path) -> str:
    """The plain words of a hold: week, school, check, observed against threshold, and where to read more."""
    return (
        f"The report of {status.school} for the week of {status.week} is held back: {status.checks} failed "
        f"({status.observed}; expected: {status.threshold}). If that was a non-teaching week, list it in the "
        f"academic calendar (LEAP_CALENDAR_FILE) and run the week again, or release it with `leap quality "
        f"release`. Governance report: {report}"
    )


def _pair(frame_row) -> tuple[int, int]:
    return int(frame_row["students"]), int(frame_row["found"])


def _count(unmapped, kind: str) -> int:
    return int(unmapped.at[kind, "unmapped"]) if kind in unmapped.index else 0


def _events(unmapped) -> int:
    return int(unmapped["events"].sum()) if len(unmapped) else 0


@dg.multi_asset(
    name="governance_report",
    specs=[
        dg.AssetSpec(
            "governance_report",
            # A release of the week (release_job) is recorded before the gate judges it again.
            deps=[MART_KEY, "quality_release"],
            group_name="publish",
            kinds={"html"},
            description="The governance board's data-quality report for the week, with its Data Docs.",
        )
    ],
    check_specs=weekly.check_specs(),
    partitions_def=weekly_partitions,
    backfill_policy=dg.BackfillPolicy.single_run(),
    pool=WAREHOUSE_POOL,
    allow_arbitrary_check_specs=True,
)
def governance_report(context: dg.AssetExecutionContext, paths: LeapPaths):
    """Run the weekly quality suites, decide each school's status, publish the data-quality report."""
    try:
        quality, calendar = load_quality_settings(), load_calendar()
    except (QualitySettingsError, CalendarError) as error:
        raise dg.Failure(description=f"{str(error)[0].upper()}{str(error)[1:]}.") from None
    published = {}
    weeks = [date.fromisoformat(key) for key in context.partition_keys]
    for key, quality_week in zip(context.partition_keys, publish_weeks(paths, weeks, quality, calendar), strict=True):
        published[quality_week.week] = quality_week
        summary = ", ".join(f"{s} {v.label.lower()}" for s, v in quality_week.verdicts.items())
        context.log.info(f"Week {key}: {summary}; report at {quality_week.report}")
        for status in quality_week.statuses:
            if status.status != "published":
                context.log.warning(hold_sentence(status, quality_week.report))
        for status in quality_week.new_holds:
            raise_alert(
                "report_held",
                hold_sentence(status, quality_week.report),
                week=key,
                school=status.school,
                checks=status.checks,
            )
    yield from weekly.check_results({w: q.records for w, q in published.items()}, quality)
    held = [(w, s) for w, q in published.items() for s in q.statuses if s.status == "held"]
    yield dg.MaterializeResult(
        asset_key="governance_report",
        metadata={
            "weeks": ", ".join(str(w) for w in published),
            "settings_version": quality.version,
            "expectations_checked": sum(len(q.records) for q in published.values()),
            "expectations_failed": sum(not r.passed for q in published.values() for r in q.records),
            "schools_held": len(held),
            "held": dg.MetadataValue.md(
                "\n".join(f"- {w}: {s.school}: {s.checks} ({s.observed})" for w, s in held) if held else "None."
            ),
            "reports": dg.MetadataValue.md(
                "\n".join(
                    f"- {w}: `{q.report}`; "
                    + ", ".join(f"{SOURCE_NAMES[s].split(' (')[0]}: {v.label}" for s, v in q.verdicts.items())
                    for w, q in published.items()
                )
            ),
        },
    )
