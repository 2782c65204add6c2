"""Jobs: what a run of `leap ingest`, `leap run` and `leap backfill` materialises."""

import dagster as dg

from leap_assets.partitions import weekly_partitions

INGEST_ASSETS = dg.AssetSelection.groups("ingestion", "staging")

ingest_job = dg.define_asset_job(
    name="ingest_job",
    selection=INGEST_ASSETS,
    description="Land everything new in the landing zone and refresh the staging views.",
    executor_def=dg.in_process_executor,
)

weekly_job = dg.define_asset_job(
    name="weekly_job",
    selection=dg.AssetSelection.all() - INGEST_ASSETS - dg.AssetSelection.groups("privacy"),
    partitions_def=weekly_partitions,
    description="Build (and publish) one report week, or a range of weeks in one run.",
    executor_def=dg.in_process_executor,
)
