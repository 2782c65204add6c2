"""Runs whose process died (kill -9, power cut, closed laptop lid): marked failed, their pool slots freed.

Dagster frees a step's pool slot when the step ends; a process killed mid-step never ends it, so the
slot stays claimed and every later run waits for the warehouse pool for ever. Every run LEAP starts
carries its host, process id and the process's start time as tags; before each run LEAP fails the
runs of this host still in progress whose process is gone, and frees the slots of runs that are over.
Runs launched by the Dagster daemon (sensors, schedule, UI) carry no such tags and are left to Dagster.
"""

import os
import socket
from pathlib import Path

import dagster as dg

from orchestration.runs.run_failures import alert_run_failed

HOST_TAG = "leap/host"
PID_TAG = "leap/pid"
STARTED_TAG = "leap/pid_started"  # the process's start time (clock ticks since boot): a reused pid differs
IN_PROGRESS = [
    dg.DagsterRunStatus.NOT_STARTED,
    dg.DagsterRunStatus.STARTING,
    dg.DagsterRunStatus.STARTED,
    dg.DagsterRunStatus.CANCELING,
]


def process_tags() -> dict[str, str]:
    """The tags that let a later LEAP process tell whether this one is still alive."""
    tags = {HOST_TAG: socket.gethostname(), PID_TAG: str(os.getpid())}
    started = _process_started(os.getpid())
    if started:
        tags[STARTED_TAG] = started
    return tags


def _process_started(pid: int) -> str | None:
    """Field 22 of /proc/<pid>/stat (Linux); None where there is no /proc."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name (field 2) may hold spaces and parentheses: count from the last ")".
    return stat.rsplit(")", 1)[1].split()[19]


def is_alive(tags: dict[str, str]) -> bool:
    """Whether the process that started a run with these tags still runs (True when it cannot tell)."""
    if tags.get(HOST_TAG) != socket.gethostname() or not tags.get(PID_TAG, "").isdigit():
        return True
    pid = int(tags[PID_TAG])
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # alive, another user's
    started = tags.get(STARTED_TAG)
    return not (started and _process_started(pid) not in (None, started))


def _still_running(tags: dict[str, str]) -> bool:
    """A finished run's process may still be in a step (a run cancelled in the UI): keep its slot then."""
    return tags.get(HOST_TAG) == socket.gethostname() and is_alive(tags)


def reap_crashed_runs(instance: dg.DagsterInstance) -> list[str]:
    """Fail this host's in-progress runs whose process is gone and free every finished run's slots."""
    reaped = []
    records = instance.get_run_records(
        filters=dg.RunsFilter(statuses=IN_PROGRESS, tags={HOST_TAG: socket.gethostname()})
    )
    for record in records:
        run = record.dagster_run
        if is_alive(run.tags):
            continue
        message = f"Process {run.tags[PID_TAG]} that ran this run ended without finishing it (killed or crashed)."
        instance.report_run_failed(run, message=message)
        reaped.append(run.run_id)
        alert_run_failed(run.job_name, run.run_id, run.tags, message)
    storage = instance.event_log_storage
    if storage.supports_global_concurrency_limits:
        for run_id in storage.get_concurrency_run_ids():
            record = instance.get_run_record_by_id(run_id)
            if record is None or (record.dagster_run.is_finished and not _still_running(record.dagster_run.tags)):
                # What Dagster's daemon does for finished runs after a timeout; LEAP often runs without it.
                storage.free_concurrency_slots_for_run(run_id)
    return reaped
