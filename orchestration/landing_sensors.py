"""Landing-zone sensors: ingest new source files, then build exactly the report weeks they touch."""

import hashlib
import json
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import dagster as dg
import duckdb

from leap_assets.ingestion import moodle, schools, seats, sits
from leap_assets.ingestion.touched import weeks_touched
from leap_assets.partitions import partitions_start
from leap_assets.resources import LeapPaths
from orchestration.jobs import ingest_job, weekly_job
from orchestration.runs.run_failures import WEEKS_TAG
from orchestration.sensors import files_changed


def source_files(landing: Path) -> list[Path]:
    """Every file of the four source systems that ingestion would read."""
    extract_files = [path for folder in sits.extracts(landing).values() for path in sits.files_of(folder)]
    return [*extract_files, *seats.candidates(landing), *moodle.candidates(landing), *schools.candidates(landing)]


@dg.sensor(
    job=ingest_job,
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Ingest when new or changed SITS, SEAtS, Moodle or school-list files land.",
)
def landing_sensor(context: dg.SensorEvaluationContext, paths: LeapPaths) -> dg.SensorResult:
    """Ingest when new or changed SITS, SEAtS, Moodle or school-list files land."""
    landing = paths.landing_path
    return files_changed(context, landing, source_files(landing), "ingest", "source files")


def _local_today(zone: str) -> date:
    return datetime.now(ZoneInfo(zone)).date()


@dg.sensor(
    job=weekly_job,
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Build the report weeks that newly landed files can change, once per landed batch.",
)
def landed_weeks_sensor(context: dg.SensorEvaluationContext, paths: LeapPaths) -> dg.SensorResult:
    """Build the report weeks that newly landed files can change, once per landed batch."""
    since = json.loads(context.cursor)["landed_at"] if context.cursor else None
    if not paths.warehouse_path.exists():
        return dg.SensorResult(skip_reason="No warehouse yet.", cursor=context.cursor)
    try:
        with paths.read() as con:
            # Rejected files count too: a rejected SITS file can make an extract incomplete.
            query = "select path, sha256, landed_at from meta.landed_files"
            if since:
                query += " where landed_at > ?::timestamptz"
            rows = con.execute(query + " order by path", [since] if since else []).fetchall()
            files = [row[0] for row in rows]
            weeks = weeks_touched(con, files, _local_today(paths.timezone), date.fromisoformat(partitions_start()))
    except duckdb.Error as error:
        # Most often the ingest run holds the write lock; the next tick reads what it landed.
        return dg.SensorResult(skip_reason=f"Warehouse not readable now: {error}", cursor=context.cursor)
    if not rows:
        return dg.SensorResult(skip_reason="No newly landed files.", cursor=context.cursor)
    cursor = json.dumps({"landed_at": max(row[2] for row in rows).isoformat()})
    if not weeks:
        return dg.SensorResult(skip_reason=f"{len(files)} landed file(s) touch no built week.", cursor=cursor)
    batch = hashlib.sha256(json.dumps([[row[0], row[1]] for row in rows]).encode()).hexdigest()[:12]
    requests = [
        dg.RunRequest(
            run_key=f"week-{week.isoformat()}-{batch}",
            partition_key=week.isoformat(),
            tags={"leap/landed_files": str(len(files)), WEEKS_TAG: week.isoformat()},
        )
        for week in weeks
    ]
    return dg.SensorResult(run_requests=requests, cursor=cursor)
