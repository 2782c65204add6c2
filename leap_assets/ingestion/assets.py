"""One ingestion asset per source: land what is new in the landing zone, report what happened."""

from collections.abc import Callable

import dagster as dg

from leap_assets.ingestion import moodle as moodle_source
from leap_assets.ingestion import schools as schools_source
from leap_assets.ingestion import seats as seats_source
from leap_assets.ingestion import sits as sits_source
from leap_assets.ingestion.registry import Outcome
from leap_assets.resources import LeapPaths

WAREHOUSE_POOL = "warehouse"


def _land(context: dg.AssetExecutionContext, paths: LeapPaths, ingest: Callable) -> dg.MaterializeResult:
    with paths.write() as con:
        outcomes: list[Outcome] = ingest(con, paths.landing_path, paths.timezone)
    for outcome in outcomes:
        if outcome.status == "rejected":
            context.log.warning(f"Rejected {outcome.message}")
        elif outcome.rows_quarantined:
            context.log.warning(f"{outcome.rel}: {outcome.rows_quarantined} row(s) quarantined (see quarantine.rows)")
    return dg.MaterializeResult(metadata=summary_metadata(outcomes))


def summary_metadata(outcomes: list[Outcome]) -> dict:
    """Row counts and a small markdown table of the files landed by this run."""
    dates = [o.newest_data_date for o in outcomes if o.newest_data_date]
    lines = [
        "| file | status | loaded | quarantined | not learning activity | duplicates |",
        "|---|---|---|---|---|---|",
    ]
    lines += [
        f"| {o.rel} | {o.status} | {o.rows_loaded} | {o.rows_quarantined} | {o.rows_filtered} | {o.rows_duplicate} |"
        for o in outcomes[:50]
    ]
    return {
        "files_landed": len(outcomes),
        "files_rejected": sum(o.status == "rejected" for o in outcomes),
        "rows_loaded": sum(o.rows_loaded for o in outcomes),
        "rows_quarantined": sum(o.rows_quarantined for o in outcomes),
        "rows_not_learning_activity": sum(o.rows_filtered for o in outcomes),
        "rows_duplicate": sum(o.rows_duplicate for o in outcomes),
        "newest_data_date": str(max(dates)) if dates else "none",
        "files": dg.MetadataValue.md("\n".join(lines) if outcomes else "No new files."),
    }


@dg.asset(group_name="ingestion", kinds={"duckdb"}, pool=WAREHOUSE_POOL)
def sits(context: dg.AssetExecutionContext, paths: LeapPaths) -> dg.MaterializeResult:
    """Student records: new SITS extract folders landed as dated snapshots."""
    return _land(context, paths, sits_source.ingest)


@dg.asset(group_name="ingestion", kinds={"duckdb"}, pool=WAREHOUSE_POOL)
def seats(context: dg.AssetExecutionContext, paths: LeapPaths) -> dg.MaterializeResult:
    """Attendance: new SEAtS files, every row kept so later files can correct earlier ones."""
    return _land(context, paths, seats_source.ingest)


@dg.asset(group_name="ingestion", kinds={"duckdb"}, pool=WAREHOUSE_POOL)
def moodle(context: dg.AssetExecutionContext, paths: LeapPaths) -> dg.MaterializeResult:
    """VLE activity: new Moodle log exports, learning activity only, ip and other never loaded."""
    return _land(context, paths, moodle_source.ingest)


@dg.asset(group_name="ingestion", kinds={"duckdb"}, pool=WAREHOUSE_POOL, deps=[sits])
def schools(context: dg.AssetExecutionContext, paths: LeapPaths) -> dg.MaterializeResult:
    """School-kept online-only lists (after SITS, which says which students exist)."""
    return _land(context, paths, schools_source.ingest)
