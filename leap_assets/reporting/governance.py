"""The governance board's weekly data-quality report, and the weekly quality checks that gate publishing.

The report asset runs every weekly suite (leap_assets/checks/weekly.py), stores the results, writes
`publish/<week>/governance/data-quality.html` and the Data Docs beside it, and reports the checks on
the engagement_weekly mart. It carries those checks itself, so it is built even when one of them
fails (the board needs the report most on such a week) while the blocking ones hold back every other
asset downstream of the mart, the school reports among them; the run then fails naming the check.

Carrying checks on another asset's key takes `allow_arbitrary_check_specs`, a hidden option of
`dg.multi_asset` (dagster-dbt relies on it for the same purpose); tests/integration/test_quality_gate.py
proves that the gate really holds.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import dagster as dg

from expectations.metrics import Week
from expectations.runner import ResultRecord, Validator
from leap_assets.checks import frames, results, weekly
from leap_assets.ingestion.assets import WAREHOUSE_POOL
from leap_assets.partitions import weekly_partitions
from leap_assets.reporting import governance_data as data
from leap_assets.reporting.files import atomic_write, replace_folder
from leap_assets.reporting.governance_html import Coverage, ReportContent, render
from leap_assets.reporting.governance_tables import Verdict, fairness_tables, rag_table, verdicts
from leap_assets.resources import LeapPaths

SOURCE_NAMES = {
    "sits": "SITS (student records)",
    "seats": "SEAtS (attendance)",
    "moodle": "Moodle (VLE activity)",
    "schools": "School online-only lists",
    "engagement_weekly": "Weekly engagement figures (engagement_weekly mart)",
}
REPORT = "data-quality.html"
DOCS = "data-docs"


@dataclass
class WeekQuality:
    week: date
    records: list[ResultRecord]
    report: Path
    data_docs: Path
    verdicts: dict[str, Verdict]


def publish_week(paths: LeapPaths, start: date) -> WeekQuality:
    """Validate one week, store its results, and write its report and Data Docs."""
    validator = Validator()
    with paths.read() as con:
        validations = weekly.week_validations(con, start)
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
    with paths.write() as con:
        results.replace_week(con, start, records)

    seats_cover = validations["seats.coverage"].frame.iloc[0]
    moodle_cover = validations["moodle.coverage"].frame.iloc[0]
    unmapped = validations["moodle.mapping"].frame.set_index("kind")
    judged = verdicts(records, loads, SOURCE_NAMES)
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
    )
    folder = paths.publish_path / start.isoformat() / "governance"
    report = atomic_write(folder / REPORT, lambda tmp: tmp.write_text(render(content), encoding="utf-8"))
    docs = replace_folder(folder / DOCS, validator.build_data_docs)
    return WeekQuality(start, records, report, docs, judged)


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
            deps=[weekly.MART_KEY],
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
    """Run the weekly quality suites, store their results, publish the data-quality report."""
    published = {}
    for key in context.partition_keys:
        quality = publish_week(paths, date.fromisoformat(key))
        published[quality.week] = quality
        summary = ", ".join(f"{s} {v.label.lower()}" for s, v in quality.verdicts.items())
        context.log.info(f"Week {key}: {summary}; report at {quality.report}")
    checks = weekly.check_results({w: q.records for w, q in published.items()})
    yield from checks
    yield dg.MaterializeResult(
        asset_key="governance_report",
        metadata={
            "weeks": ", ".join(str(w) for w in published),
            "expectations_checked": sum(len(q.records) for q in published.values()),
            "expectations_failed": sum(not r.passed for q in published.values() for r in q.records),
            "reports": dg.MetadataValue.md(
                "\n".join(
                    f"- {w}: `{q.report}`; "
                    + ", ".join(f"{SOURCE_NAMES[s].split(' (')[0]}: {v.label}" for s, v in q.verdicts.items())
                    for w, q in published.items()
                )
            ),
        },
    )
    blocked = weekly.blocking_failures({w: q.records for w, q in published.items()})
    if blocked:
        # Dagster would fail the step for a blocking check anyway; this says why in one sentence.
        raise dg.Failure(description=f"Not fit to publish: {blocked} See the governance report for the week.")
