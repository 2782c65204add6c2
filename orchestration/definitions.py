"""The one Dagster code location of LEAP (loaded by workspace.yaml)."""

import dagster as dg

from leap_assets.checks.ingestion import INGESTION_CHECKS
from leap_assets.governance.review import governance_review
from leap_assets.governance.transparency import transparency
from leap_assets.ingestion.assets import moodle, schools, seats, sits
from leap_assets.reporting.assets import returns, student_engagement_reports
from leap_assets.reporting.governance import governance_report
from leap_assets.transform.dbt import dbt_staging, dbt_weekly
from orchestration.jobs import ingest_job, review_job, weekly_job
from orchestration.landing_sensors import landed_weeks_sensor, landing_sensor
from orchestration.resources import build_resources
from orchestration.schedules import monday_reports
from orchestration.sensors import returns_sensor

# meta.privacy_state is written by the privacy-request processor, outside the asset graph for now.
privacy = dg.AssetSpec(
    "privacy",
    group_name="privacy",
    description="Current privacy state per student (meta.privacy_state): restriction, opt-out, safeguarding.",
)

defs = dg.Definitions(
    assets=[
        privacy,
        sits,
        seats,
        moodle,
        schools,
        dbt_staging,
        dbt_weekly,
        returns,
        student_engagement_reports,
        governance_report,
        transparency,
        governance_review,
    ],
    asset_checks=INGESTION_CHECKS,
    jobs=[ingest_job, weekly_job, review_job],
    schedules=[monday_reports],
    sensors=[returns_sensor, landing_sensor, landed_weeks_sensor],
    resources=build_resources(),
    executor=dg.in_process_executor,
)
