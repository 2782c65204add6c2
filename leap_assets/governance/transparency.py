"""The transparency page asset: `publish/transparency.html`, written from the source registry each time
the landing zone is ingested (ingest_job), so it always says what the current registry says."""

import csv
from collections import Counter
from datetime import datetime
from zoneinfo import ZoneInfo

import dagster as dg

from leap_assets.governance.transparency_html import PageContent, Rules, render
from leap_assets.reporting.access import AccessFileError, access_file, load_grants
from leap_assets.resources import LeapPaths
from leap_assets.settings import settings
from leap_assets.sources.registry import SourceRegistryError, load_registry
from leap_assets.transform.project import PROJECT_DIR
from leap_assets.writing.files import atomic_write

PAGE = "transparency.html"
THRESHOLDS = PROJECT_DIR / "seeds" / "rule_thresholds.csv"


def rules() -> Rules:
    """The windows and summary thresholds of the weekly status, from the dbt seed that the models use."""
    with THRESHOLDS.open(encoding="utf-8", newline="") as handle:
        values = {row["parameter"]: float(row["value"]) for row in csv.DictReader(handle)}
    return Rules(
        attendance_days=int(values["attendance_window_days"]),
        vle_days=int(values["vle_window_days"]),
        submission_days=int(values["submission_window_days"]),
        green_min=int(values["summary_green_min"]),
        amber_min=int(values["summary_amber_min"]),
    )


def student_access() -> bool:
    """Whether students may see their own rows (governance.md: off unless LEAP_STUDENT_ACCESS=true)."""
    return settings().student_access


@dg.asset(group_name="governance", kinds={"html"})
def transparency(context: dg.AssetExecutionContext, paths: LeapPaths) -> dg.MaterializeResult:
    """The public transparency page: purpose, sources and fields used, how data is used, who sees what."""
    try:
        registry = load_registry()
        grants = load_grants(*access_file())
    except (SourceRegistryError, AccessFileError) as error:
        raise dg.Failure(description=f"The transparency page cannot be written: {error}.") from None
    by_role = Counter(grant.role for grant in grants.values())
    content = PageContent(
        registry=registry,
        today=datetime.now(ZoneInfo(paths.timezone)).date(),
        rules=rules(),
        grants=dict(by_role),
        student_access=student_access(),
    )
    target = atomic_write(paths.publish_path / PAGE, lambda tmp: tmp.write_text(render(content), encoding="utf-8"))
    context.log.info(f"Transparency page written to {target}")
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(target)),
            "source_registry": str(registry.path),
            "sources_listed": len(registry.sources),
            "grants_by_role": dg.MetadataValue.json(dict(by_role)),
        }
    )
