"""The one Dagster code location of LEAP (loaded by workspace.yaml)."""

import dagster as dg

from leap_assets.checks.ingestion import INGESTION_CHECKS
from leap_assets.governance.backtest_assets import governance_backtest
from leap_assets.governance.quality_report import governance_report
from leap_assets.governance.release import quality_release
from leap_assets.governance.retention_assets import retention_purge, retention_respected
from leap_assets.governance.review import governance_review
from leap_assets.governance.transparency import transparency
from leap_assets.ingestion.assets import moodle, schools, seats, sits
from leap_assets.privacy.assets import privacy
from leap_assets.reporting.assets import returns, student_engagement_reports
from leap_assets.transform.dbt import dbt_staging, dbt_weekly
from orchestration.alert_sensors import run_failure_alert_sensor, stale_sources_sensor
from orchestration.jobs import backtest_job, ingest_job, privacy_job, release_job, review_job, weekly_job
from orchestration.landing_sensors import landed_weeks_sensor, landing_sensor
from orchestration.privacy_sensors import privacy_sensor, republish_sensor
from orchestration.resources import build_resources
from orchestration.retention import daily_retention, purge_job, retention_check_job
from orchestration.schedules import monday_reports
from orchestration.sensors import returns_sensor

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
        quality_release,
        transparency,
        governance_review,
        governance_backtest,
        retention_purge,
    ],
    asset_checks=[*INGESTION_CHECKS, retention_respected],
    jobs=[ingest_job, privacy_job, weekly_job, release_job, review_job, backtest_job, purge_job, retention_check_job],
    schedules=[monday_reports, daily_retention],
    sensors=[
        returns_sensor,
        landing_sensor,
        landed_weeks_sensor,
        privacy_sensor,
        republish_sensor,
        run_failure_alert_sensor,
        stale_sources_sensor,
    ],
    resources=build_resources(),
    executor=dg.in_process_executor,
)
