"""One ingestion asset per source: land what is new in the landing zone, report what happened.

Each run first asks the source registry (config/sources.yml, leap_assets/sources/registry.py)
whether the source is approved: one that is not is left alone (its files stay in the landing zone,
unrecorded, so they load once it is approved and `leap ingest` runs) and the run's log and metadata
say why. The files of an approved source are read with only the fields the registry lists.
"""

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import dagster as dg

from leap_assets.ingestion import moodle as moodle_source
from leap_assets.ingestion import schools as schools_source
from leap_assets.ingestion import seats as seats_source
from leap_assets.ingestion import sits as sits_source
from leap_assets.ingestion.landed import Outcome
from leap_assets.ingestion.layout import returned_workbooks
from leap_assets.resources import LeapPaths
from leap_assets.sources.registry import Registry, SourceRegistryError, load_registry, using
from leap_assets.warehouse.db import WAREHOUSE_POOL


def source_files(source: str, landing: Path) -> list[Path]:
    """The files of a source in the landing zone that its ingestion would read."""
    if source == "sits":
        return [path for folder in sits_source.extracts(landing).values() for path in sits_source.files_of(folder)]
    module = {"seats": seats_source, "moodle": moodle_source, "schools": schools_source}.get(source)
    if module is not None:
        return module.candidates(landing)
    if source == "returns":
        return returned_workbooks(landing)
    return [landing / "privacy" / "requests.csv"] if (landing / "privacy" / "requests.csv").is_file() else []


def gate(
    context: dg.AssetExecutionContext, paths: LeapPaths, source: str
) -> tuple[Registry, dict] | dg.MaterializeResult:
    """The registry and metadata to add when `source` may be ingested; otherwise the result that says why
    it was not (its files untouched). An unusable registry fails the run naming the file and key."""
    try:
        registry = load_registry()
    except SourceRegistryError as error:
        raise dg.Failure(description=f"{error}.") from None
    approval = registry.approval(source, datetime.now(ZoneInfo(paths.timezone)).date())
    if not approval.approved:
        waiting = len(source_files(source, paths.landing_path))
        note = not_ingested_note(approval.reason, waiting)
        context.log.warning(note)
        return dg.MaterializeResult(
            metadata={"not_ingested": note, "files_left_in_landing": waiting, "source_registry": str(registry.path)}
        )
    extra = {"source_registry": str(registry.path)}
    if approval.review_overdue:
        note = f"the approval of {source} was due for review on {approval.review_date} ({registry.path})"
        context.log.warning(f"Ingested, but {note}: the governance board should review it.")
        extra["review_overdue"] = note
    return registry, extra


def not_ingested_note(reason: str, waiting: int) -> str:
    """One sentence: why a source was not ingested and what became of its files."""
    return f"Not ingested: {reason}; its {waiting} file(s) stay in the landing zone untouched."


def _land(context: dg.AssetExecutionContext, paths: LeapPaths, source: str, ingest: Callable) -> dg.MaterializeResult:
    allowed = gate(context, paths, source)
    if isinstance(allowed, dg.MaterializeResult):
        return allowed
    registry, extra = allowed
    with paths.write() as con, using(registry):
        outcomes: list[Outcome] = ingest(con, paths.landing_path, paths.timezone)
    for outcome in outcomes:
        if outcome.status == "rejected":
            context.log.warning(f"Rejected {outcome.message}")
        elif outcome.rows_quarantined:
            context.log.warning(f"{outcome.rel}: {outcome.rows_quarantined} row(s) quarantined (see quarantine.rows)")
    return dg.MaterializeResult(metadata={**summary_metadata(outcomes), **extra})


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
    return _land(context, paths, "sits", sits_source.ingest)


@dg.asset(group_name="ingestion", kinds={"duckdb"}, pool=WAREHOUSE_POOL)
def seats(context: dg.AssetExecutionContext, paths: LeapPaths) -> dg.MaterializeResult:
    """Attendance: new SEAtS files, every row kept so later files can correct earlier ones."""
    return _land(context, paths, "seats", seats_source.ingest)


@dg.asset(group_name="ingestion", kinds={"duckdb"}, pool=WAREHOUSE_POOL)
def moodle(context: dg.AssetExecutionContext, paths: LeapPaths) -> dg.MaterializeResult:
    """VLE activity: new Moodle log exports, learning activity only, ip and other never loaded."""
    return _land(context, paths, "moodle", moodle_source.ingest)


@dg.asset(group_name="ingestion", kinds={"duckdb"}, pool=WAREHOUSE_POOL, deps=[sits])
def schools(context: dg.AssetExecutionContext, paths: LeapPaths) -> dg.MaterializeResult:
    """School-kept online-only lists (after SITS, which says which students exist)."""
    return _land(context, paths, "schools", schools_source.ingest)


def registry_notes(landing: Path, timezone: str) -> list[str]:
    """What `leap ingest` adds to its summary: each source the registry kept out (with its waiting files),
    and each ingested under an overdue review."""
    try:
        registry = load_registry()
    except SourceRegistryError as error:
        return [f"{error}."]
    today = datetime.now(ZoneInfo(timezone)).date()
    notes = []
    for source in ("sits", "seats", "moodle", "schools", "returns"):
        approval = registry.approval(source, today)
        if not approval.approved:
            notes.append(not_ingested_note(approval.reason, len(source_files(source, landing))))
        elif approval.review_overdue:
            notes.append(f"Review overdue: the approval of {source} was due for review on {approval.review_date}.")
    return notes
