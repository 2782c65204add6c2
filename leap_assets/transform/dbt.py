"""The dbt models as Dagster assets: staging (unpartitioned views) and the weekly models."""

from datetime import timedelta

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, dbt_assets

from leap_assets.partitions import weekly_partitions
from leap_assets.progress import report
from leap_assets.resources import LeapPaths
from leap_assets.transform.events import stream
from leap_assets.transform.project import MANIFEST
from leap_assets.transform.window import build_window
from leap_assets.warehouse.db import WAREHOUSE_POOL

STAGING = "fqn:staging resource_type:seed"
WEEKLY = "fqn:intermediate fqn:marts"


class LeapTranslator(DagsterDbtTranslator):
    """Groups follow the dbt folders. Each dbt source names the asset that fills it in its own YAML
    (`meta.dagster.asset_key` in models/staging/<source>/_<source>__sources.yml)."""

    def get_group_name(self, dbt_resource_props) -> str:
        if dbt_resource_props["resource_type"] == "seed":
            return "staging"
        fqn = dbt_resource_props.get("fqn", [])
        return fqn[1] if len(fqn) > 2 else "transform"


# Many raw tables are written by one ingestion asset, so several dbt sources share its key.
translator = LeapTranslator(settings=DagsterDbtTranslatorSettings(enable_duplicate_source_asset_keys=True))


@dbt_assets(
    manifest=MANIFEST,
    select=STAGING,
    dagster_dbt_translator=translator,
    name="dbt_staging",
    pool=WAREHOUSE_POOL,
)
def dbt_staging(context: dg.AssetExecutionContext, paths: LeapPaths):
    """Staging views over every raw source and the rule seeds (cheap: views, rebuilt on ingest)."""
    yield from stream(context, paths.warehouse_path, ["build", "--exclude", "test_type:unit"])


def _complete_extract_loaded(paths: LeapPaths) -> bool:
    if not paths.warehouse_path.exists():
        return False
    with paths.read() as con:
        found = con.execute(
            "select count(*) from information_schema.tables where table_schema = 'raw' and table_name = 'sits_extracts'"
        ).fetchone()[0]
        return bool(found and con.execute("select count(*) from raw.sits_extracts where is_complete").fetchone()[0])


@dbt_assets(
    manifest=MANIFEST,
    select=WEEKLY,
    dagster_dbt_translator=translator,
    partitions_def=weekly_partitions,
    backfill_policy=dg.BackfillPolicy.single_run(),
    name="dbt_weekly",
    pool=WAREHOUSE_POOL,
)
def dbt_weekly(context: dg.AssetExecutionContext, paths: LeapPaths):
    """The engagement windows, scores and RAG for the report weeks of this run, replaced by week."""
    if not _complete_extract_loaded(paths):
        # The mart's pre-hook would fail too, but in dbt's words, after a parse: say it plainly, first.
        raise dg.Failure(description="No complete SITS extract has been loaded, so no report week can be built.")
    window = context.partition_time_window
    first, last = window.start.date(), window.end.date() - timedelta(days=7)
    # The range goes to dbt in a warehouse row, not --vars: new vars would re-parse the whole project.
    report(f"  dbt: engagement figures for {first}" + (f" to {last}" if last != first else ""))
    with build_window(paths.write, first, last):
        yield from stream(context, paths.warehouse_path, ["build", "--exclude", "test_type:unit"])
