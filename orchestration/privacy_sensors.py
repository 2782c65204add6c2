"""Privacy sensors: process new requests when requests.csv changes, then re-publish affected weeks."""

import dagster as dg

from leap_assets.privacy.assets import weeks_to_republish
from leap_assets.privacy.requests import REQUESTS
from leap_assets.resources import LeapPaths
from orchestration.jobs import privacy_job, weekly_job
from orchestration.runs.run_failures import WEEKS_TAG
from orchestration.sensors import files_changed


@dg.sensor(
    job=privacy_job,
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Process privacy requests when landing/privacy/requests.csv gets new bytes.",
)
def privacy_sensor(context: dg.SensorEvaluationContext, paths: LeapPaths) -> dg.SensorResult:
    """Process privacy requests when landing/privacy/requests.csv gets new bytes."""
    path = paths.landing_path / REQUESTS
    return files_changed(context, paths.landing_path, [path] if path.exists() else [], "privacy", "privacy requests")


@dg.asset_sensor(
    asset_key=dg.AssetKey("privacy"),
    job=weekly_job,
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Re-publish the report weeks whose files still hold a student erased by the last privacy run.",
)
def republish_sensor(context: dg.SensorEvaluationContext, asset_event: dg.EventLogEntry):
    """Re-publish the report weeks whose files still hold a student erased by the last privacy run."""
    materialization = asset_event.asset_materialization
    weeks = weeks_to_republish(materialization.metadata if materialization else {})
    if not weeks:
        return dg.SkipReason("The privacy run left no published week holding an erased student.")
    return [
        dg.RunRequest(
            run_key=f"republish-{asset_event.run_id}-{week}",
            partition_key=week,
            tags={"leap/republish": "1", WEEKS_TAG: week},
        )
        for week in weeks
    ]
