"""Privacy sensors: process new requests when requests.csv changes, then re-publish affected weeks."""

import json

import dagster as dg

from leap_assets.privacy.assets import weeks_to_republish
from leap_assets.privacy.requests import REQUESTS
from leap_assets.resources import LeapPaths
from orchestration.jobs import privacy_job, weekly_job
from orchestration.sensors import batch_key, changed, fingerprints


@dg.sensor(job=privacy_job, minimum_interval_seconds=60, default_status=dg.DefaultSensorStatus.RUNNING)
def privacy_sensor(context: dg.SensorEvaluationContext, paths: LeapPaths) -> dg.SensorResult:
    """Process privacy requests when landing/privacy/requests.csv gets new bytes."""
    previous = json.loads(context.cursor) if context.cursor else {}
    landing = paths.landing_path
    path = landing / REQUESTS
    current = fingerprints(landing, [path] if path.exists() else [], previous)
    new = changed(previous, current)
    cursor = json.dumps(current, sort_keys=True)
    if not new:
        return dg.SensorResult(skip_reason="No new privacy requests.", cursor=cursor)
    return dg.SensorResult(run_requests=[dg.RunRequest(run_key=f"privacy-{batch_key(current, new)}")], cursor=cursor)


@dg.asset_sensor(
    asset_key=dg.AssetKey("privacy"),
    job=weekly_job,
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.RUNNING,
)
def republish_sensor(context: dg.SensorEvaluationContext, asset_event: dg.EventLogEntry):
    """Re-publish the report weeks whose files still hold a student erased by the last privacy run."""
    materialization = asset_event.asset_materialization
    weeks = weeks_to_republish(materialization.metadata if materialization else {})
    if not weeks:
        return dg.SkipReason("The privacy run left no published week holding an erased student.")
    return [
        dg.RunRequest(
            run_key=f"republish-{asset_event.run_id}-{week}", partition_key=week, tags={"leap/republish": "1"}
        )
        for week in weeks
    ]
