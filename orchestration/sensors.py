"""Sensors: watch the landing zone and request runs when new data lands."""

import hashlib
import json

import dagster as dg

from leap_assets.publish.contacts import candidates as returned_workbooks
from leap_assets.resources import LeapPaths


def _fingerprints(paths: LeapPaths, previous: dict[str, list]) -> dict[str, list]:
    """rel -> [mtime_ns, size, sha256]; a file whose mtime and size are unchanged is not hashed again."""
    landing = paths.landing_path
    seen = {}
    for path in returned_workbooks(landing):
        rel = path.relative_to(landing).as_posix()
        info = path.stat()
        known = previous.get(rel)
        if known and known[:2] == [info.st_mtime_ns, info.st_size]:
            seen[rel] = known
        else:
            seen[rel] = [info.st_mtime_ns, info.st_size, hashlib.sha256(path.read_bytes()).hexdigest()]
    return seen


@dg.sensor(
    target=dg.AssetSelection.assets("returns"),
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.RUNNING,
)
def returns_sensor(context: dg.SensorEvaluationContext, paths: LeapPaths) -> dg.SensorResult:
    """Load returned report workbooks when new or changed ones land in landing/returns/<week>/."""
    previous = json.loads(context.cursor) if context.cursor else {}
    current = _fingerprints(paths, previous)
    new = sorted(rel for rel, print_ in current.items() if previous.get(rel, [None] * 3)[2] != print_[2])
    cursor = json.dumps(current, sort_keys=True)
    if not new:
        return dg.SensorResult(skip_reason="No new returned workbooks.", cursor=cursor)
    run_key = hashlib.sha256(json.dumps([[rel, current[rel][2]] for rel in new]).encode()).hexdigest()[:16]
    return dg.SensorResult(
        run_requests=[dg.RunRequest(run_key=f"returns-{run_key}", tags={"leap/new_returns": str(len(new))})],
        cursor=cursor,
    )
