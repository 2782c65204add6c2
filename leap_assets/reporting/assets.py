"""Published outputs: the weekly Student Engagement Reports, and the returns that close the contact loop."""

from datetime import date

import dagster as dg

from leap_assets.checks.gate import held_schools
from leap_assets.ingestion.assets import gate, summary_metadata
from leap_assets.parallel import run_pool
from leap_assets.partitions import weekly_partitions
from leap_assets.progress import report as progress
from leap_assets.reporting import contacts
from leap_assets.reporting.columns import RAG_LABELS
from leap_assets.reporting.reports import WeekPublished, publish_week
from leap_assets.resources import LeapPaths
from leap_assets.settings import settings
from leap_assets.transform.project import MART_KEY
from leap_assets.warehouse.db import WAREHOUSE_POOL


# Its own group: it reads the built weeks (deps on the mart), so in "ingestion" it drew the marts
# upstream of ingestion in the UI's group lineage.
@dg.asset(group_name="contacts", kinds={"duckdb", "excel"}, pool=WAREHOUSE_POOL, deps=[MART_KEY])
def returns(context: dg.AssetExecutionContext, paths: LeapPaths) -> dg.MaterializeResult:
    """Returned report workbooks: staff contacts loaded into marts.contacts, invalid cells quarantined."""
    allowed = gate(context, paths, "returns")  # the source registry: an unapproved source is not read
    if isinstance(allowed, dg.MaterializeResult):
        return allowed
    with paths.write() as con:
        outcomes = contacts.ingest(con, paths.landing_path, paths.timezone, settings().return_max_mb)
        waiting = contacts.waiting(con, paths.landing_path)
    if waiting:
        context.log.info(f"{len(waiting)} returned workbook(s) wait until their report week is built")
    for outcome in outcomes:
        if outcome.status == "rejected":
            context.log.warning(f"Rejected {outcome.message}")
        elif outcome.rows_quarantined:
            context.log.warning(f"{outcome.rel}: {outcome.rows_quarantined} row(s) quarantined (see quarantine.rows)")
    return dg.MaterializeResult(metadata={**summary_metadata(outcomes), "files_waiting_for_their_week": len(waiting)})


REPORTS_DESCRIPTION = "One Student Engagement Report workbook and CSV twin per school for the week, in LEAP_PUBLISH."


# A multi_asset of one so that, like the dbt models, a range of weeks runs as one run (single_run
# backfill policy); the function handles every partition key of its run.
@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            "student_engagement_reports",
            # After the quality gate: governance_report records which schools are held this week.
            deps=[MART_KEY, returns, "governance_report"],
            group_name="publish",
            kinds={"excel", "csv"},
            description=REPORTS_DESCRIPTION,
        )
    ],
    pool=WAREHOUSE_POOL,
    partitions_def=weekly_partitions,
    backfill_policy=dg.BackfillPolicy.single_run(),
)
def student_engagement_reports(context: dg.AssetExecutionContext, paths: LeapPaths) -> dg.MaterializeResult:
    """One Student Engagement Report workbook and CSV twin per school for the week, in LEAP_PUBLISH."""
    weeks = []
    # One pool of workbook writers for the run's weeks: schools are written side by side.
    with run_pool(tasks=len(context.partition_keys) * 2), paths.read() as con:
        for key in context.partition_keys:
            week = date.fromisoformat(key)
            weeks.append(publish_week(con, paths.publish_path, week, frozenset(held_schools(con, week))))
            progress(f"  week {week}: {len(weeks[-1].reports)} school report(s) published")
    for week in weeks:
        context.log.info(f"Week {week.week}: {len(week.files)} file(s) written, {len(week.removed)} stale removed")
        if week.held:
            context.log.warning(f"Week {week.week}: held back by the quality gate: {', '.join(week.held)}")
    return dg.MaterializeResult(metadata=report_metadata(weeks))


def report_metadata(weeks: list[WeekPublished]) -> dict:
    """Files written, rows and combined RAG per school (counts only, no student data)."""
    reports = [(w.week, r) for w in weeks for r in w.reports]
    totals = dict.fromkeys(RAG_LABELS, 0)
    for _, report in reports:
        for rag, count in report.rag.items():
            totals[rag] += count
    lines = ["| week | school | rows | red | amber | green | no data | file |", "|---|---|---|---|---|---|---|---|"]
    lines += [
        f"| {week} | {r.school} | {r.rows} | {r.rag['red']} | {r.rag['amber']} | {r.rag['green']} "
        f"| {r.rag['none']} | {r.files[0].parent.name}/{r.files[0].name} |"
        for week, r in reports
    ]
    return {
        "schools_held": sum(len(w.held) for w in weeks),
        "held": dg.MetadataValue.md("\n".join(f"- {w.week}: {', '.join(w.held)}" for w in weeks if w.held) or "None."),
        "files_written": sum(len(w.files) for w in weeks),
        "stale_files_removed": sum(len(w.removed) for w in weeks),
        "schools": len(reports),
        "rows": sum(r.rows for _, r in reports),
        **{f"rag_{rag}": count for rag, count in totals.items()},
        "rows_per_school": dg.MetadataValue.json({f"{w} {r.school}": r.rows for w, r in reports}),
        "reports": dg.MetadataValue.md("\n".join(lines) if reports else "No students in this week: no reports."),
    }
