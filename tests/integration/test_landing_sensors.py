"""The landing-zone sensors on a temporary landing zone and warehouse: one ingest per new file set, then
one weekly run per touched week, never repeated by a later tick or a restarted daemon."""

import os
from datetime import UTC, datetime
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from leap_assets.resources import LeapPaths
from leap_assets.warehouse.db import initialise
from orchestration.definitions import defs
from orchestration.landing_sensors import landed_weeks_sensor, landing_sensor
from tests.support.landing import write


@pytest.fixture
def env(tmp_path: Path) -> dict[str, Path]:
    (tmp_path / "landing").mkdir()
    return {"landing": tmp_path / "landing", "warehouse": tmp_path / "w.duckdb"}


def tick(sensor, env: dict[str, Path], cursor: str | None = None):
    """One evaluation, as a daemon would run it with a fresh instance (a restart keeps only the cursor)."""
    paths = LeapPaths(landing=str(env["landing"]), warehouse=str(env["warehouse"]))
    context = dg.build_sensor_context(
        cursor=cursor, instance=dg.DagsterInstance.ephemeral(), resources={"paths": paths}
    )
    return sensor(context)


def test_a_new_source_file_requests_one_ingest_run_once_even_after_a_restart(env):
    assert tick(landing_sensor, env).run_requests == []
    moodle = write(env["landing"] / "moodle" / "logstore_2025-03-05.csv", "id,eventname\n")
    write(env["landing"] / "sits" / "2025-03-03" / "notes.txt", "not a source file")
    first = tick(landing_sensor, env)
    assert len(first.run_requests) == 1 and first.run_requests[0].run_key.startswith("ingest-")

    again = tick(landing_sensor, env, first.cursor)
    assert again.run_requests == [] and again.skip_reason
    restarted = tick(landing_sensor, env, again.cursor)
    assert restarted.run_requests == []

    stat = moodle.stat()
    os.utime(moodle, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))  # touched, same bytes: nothing new
    assert tick(landing_sensor, env, restarted.cursor).run_requests == []

    write(moodle, "id,eventname\n1,x\n")
    changed = tick(landing_sensor, env, restarted.cursor)
    assert len(changed.run_requests) == 1
    assert changed.run_requests[0].run_key != first.run_requests[0].run_key


def land(con, path: str, source: str, landed_at: datetime) -> None:
    con.execute(
        "insert into meta.landed_files (path, source, sha256, status, rows_loaded, rows_quarantined, rows_filtered,"
        " rows_duplicate, landed_at) values (?, ?, ?, 'loaded', 1, 0, 0, 0, ?)",
        [path, source, f"sha-{path}", landed_at],
    )


def test_landed_files_request_one_weekly_run_per_touched_week_once(env):
    assert tick(landed_weeks_sensor, env).skip_reason.skip_message == "No warehouse yet."
    initialise(env["warehouse"])
    with duckdb.connect(str(env["warehouse"])) as con:
        land(con, "moodle/logstore_2025-03-06.csv", "moodle", datetime(2025, 3, 6, 7, tzinfo=UTC))
        con.execute(
            "insert into raw.moodle_log (id, file_date, event_date, _source_file, _source_line)"
            " values (1, '2025-03-06', '2025-03-05', 'moodle/logstore_2025-03-06.csv', 2)"
        )
    first = tick(landed_weeks_sensor, env)
    keys = [request.partition_key for request in first.run_requests]
    assert keys == ["2025-03-03", "2025-03-10", "2025-03-17"]
    assert len({request.run_key for request in first.run_requests}) == 3

    assert tick(landed_weeks_sensor, env, first.cursor).run_requests == []

    with duckdb.connect(str(env["warehouse"])) as con:
        land(con, "seats/attendance_2025-04-01.tsv", "seats", datetime(2025, 4, 1, 7, tzinfo=UTC))
        con.execute(
            "insert into raw.seats_attendance (file_date, student_id, event_id, start_date, _source_file, _source_line)"
            " values ('2025-04-01', '00000001', 'EV1', '2025-03-19', 'seats/attendance_2025-04-01.tsv', 2)"
        )
    correction = tick(landed_weeks_sensor, env, first.cursor)
    assert [request.partition_key for request in correction.run_requests] == ["2025-03-17", "2025-03-24"]
    assert tick(landed_weeks_sensor, env, correction.cursor).run_requests == []


def test_both_landing_sensors_are_in_the_definitions():
    assert defs.resolve_sensor_def("landing_sensor").job_name == "ingest_job"
    assert defs.resolve_sensor_def("landed_weeks_sensor").job_name == "weekly_job"
