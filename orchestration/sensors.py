"""Sensors: watch the landing zone and request runs when new data lands."""

import hashlib
import json
from pathlib import Path

import dagster as dg

from leap_assets.ingestion.landed import file_sha256
from leap_assets.ingestion.layout import returned_workbooks
from leap_assets.resources import LeapPaths


def fingerprints(landing: Path, files: list[Path], previous: dict[str, list]) -> dict[str, list]:
    """rel -> [mtime_ns, size, sha256]; a file whose mtime and size are unchanged is not hashed again."""
    seen = {}
    for path in files:
        rel = path.relative_to(landing).as_posix()
        info = path.stat()
        known = previous.get(rel)
        if known and known[:2] == [info.st_mtime_ns, info.st_size]:
            seen[rel] = known
        else:
            seen[rel] = [info.st_mtime_ns, info.st_size, file_sha256(path)]
    return seen


def changed(previous: dict[str, list], current: dict[str, list]) -> list[str]:
    """Paths whose bytes were not seen before (a touched file with the same bytes is not new)."""
    return sorted(rel for rel, print_ in current.items() if previous.get(rel, [None] * 3)[2] != print_[2])


def batch_key(current: dict[str, list], new: list[str]) -> str:
    """A run key naming exactly these bytes at these paths, so a repeated tick never repeats a run."""
    return hashlib.sha256(json.dumps([[rel, current[rel][2]] for rel in new]).encode()).hexdigest()[:16]


def files_changed(context: dg.SensorEvaluationContext, landing: Path, files: list[Path], prefix: str, what: str):
    """One run request (keyed `<prefix>-<batch>`) when any of `files` has bytes not seen before."""
    previous = json.loads(context.cursor) if context.cursor else {}
    current = fingerprints(landing, files, previous)
    new = changed(previous, current)
    cursor = json.dumps(current, sort_keys=True)
    if not new:
        return dg.SensorResult(skip_reason=f"No new {what}.", cursor=cursor)
    request = dg.RunRequest(run_key=f"{prefix}-{batch_key(current, new)}", tags={"leap/new_files": str(len(new))})
    return dg.SensorResult(run_requests=[request], cursor=cursor)


@dg.sensor(
    target=dg.AssetSelection.assets("returns"),
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Load returned report workbooks when new or changed ones land in landing/returns/<week>/.",
)
def returns_sensor(context: dg.SensorEvaluationContext, paths: LeapPaths) -> dg.SensorResult:
    """Load returned report workbooks when new or changed ones land in landing/returns/<week>/."""
    landing = paths.landing_path
    return files_changed(context, landing, returned_workbooks(landing), "returns", "returned workbooks")
