"""Jobs: what a run of `leap ingest`, `leap run` and `leap backfill` materialises."""

import dagster as dg

from leap_assets.checks.weekly import WEEKLY_CHECKS
from leap_assets.transform.project import MART_KEY

# `contacts` holds the returns asset (returned workbooks), loaded with every ingest.
INGEST_ASSETS = dg.AssetSelection.groups("ingestion", "staging", "privacy", "contacts")

# Governance outputs that are not report weeks: the transparency page follows every ingest (it says what
# the source registry says); the annual review pack and the back-test run on their own, for the year or the
# range of weeks given as run config.
GOVERNANCE_ASSETS = dg.AssetSelection.groups("governance")

ingest_job = dg.define_asset_job(
    name="ingest_job",
    selection=INGEST_ASSETS | dg.AssetSelection.assets("transparency"),
    description="Land everything new in the landing zone, refresh the staging views and the transparency page.",
    executor_def=dg.in_process_executor,
)

privacy_job = dg.define_asset_job(
    name="privacy_job",
    selection=dg.AssetSelection.assets("privacy"),
    description="Process new privacy requests (landing/privacy/requests.csv), each once, with a ledger.",
    executor_def=dg.in_process_executor,
)

RELEASE = dg.AssetSelection.assets("quality_release")

weekly_job = dg.define_asset_job(
    name="weekly_job",
    selection=dg.AssetSelection.all()
    - INGEST_ASSETS
    - dg.AssetSelection.groups("privacy")
    - GOVERNANCE_ASSETS
    - RELEASE,
    description="Build (and publish) one report week, or a range of weeks in one run.",
    executor_def=dg.in_process_executor,
)

review_job = dg.define_asset_job(
    name="review_job",
    selection=dg.AssetSelection.assets("governance_review"),
    description="Write the governance board's annual review pack for one academic year (run config: year).",
    executor_def=dg.in_process_executor,
)

backtest_job = dg.define_asset_job(
    name="backtest_job",
    selection=dg.AssetSelection.assets("governance_backtest"),
    description="Back-test the indicator on outcomes over a range of report weeks (run config: first_week, last_week).",
    executor_def=dg.in_process_executor,
)

release_job = dg.define_asset_job(
    name="release_job",
    # The gate's asset carries the weekly checks on the mart: they are selected with it.
    selection=RELEASE
    | dg.AssetSelection.assets("governance_report", "student_engagement_reports")
    | dg.AssetSelection.checks(*(dg.AssetCheckKey(MART_KEY, check.name) for check in WEEKLY_CHECKS)),
    description="Release held school reports of one week (run config: by, reason, schools), then publish them.",
    executor_def=dg.in_process_executor,
)
