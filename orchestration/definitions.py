"""The one Dagster code location of LEAP (loaded by workspace.yaml)."""

import dagster as dg

from leap_assets.ingestion.assets import moodle, schools, seats, sits
from leap_assets.transform.dbt import dbt_staging, dbt_weekly
from orchestration.jobs import ingest_job, weekly_job
from orchestration.resources import build_resources

defs = dg.Definitions(
    assets=[sits, seats, moodle, schools, dbt_staging, dbt_weekly],
    jobs=[ingest_job, weekly_job],
    resources=build_resources(),
    executor=dg.in_process_executor,
)
