"""Helpers for tests that run `leap` (or a small Dagster job) in other processes and watch their runs
through the instance's event log: no test hook in production code."""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import duckdb
import pytest


def start(args: list[str], env: dict[str, str] | None = None, log: Path | None = None) -> subprocess.Popen:
    """`python <args>` in its own process group (so a kill reaches dbt too), output to `log`."""
    output = log.open("w") if log else subprocess.DEVNULL
    return subprocess.Popen(
        [sys.executable, *args],
        env={**os.environ, **(env or {})},
        stdout=output,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def leap(*args: str, env: dict[str, str] | None = None, log: Path | None = None) -> subprocess.Popen:
    return start(["-m", "orchestration.cli", *args], env=env, log=log)


def kill_group(process: subprocess.Popen) -> None:
    """SIGKILL the process and everything it started (dbt), as a power cut would."""
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)


def step_events(instance: dg.DagsterInstance, step_key: str | None = None) -> list[tuple[str, str, str, float]]:
    """(run_id, step_key, event type, timestamp) of every step start, success and failure, oldest first."""
    kinds = {dg.DagsterEventType.STEP_START, dg.DagsterEventType.STEP_SUCCESS, dg.DagsterEventType.STEP_FAILURE}
    events = []
    for run in instance.get_runs():
        for entry in instance.all_logs(run.run_id):
            event = entry.dagster_event
            if event and event.event_type in kinds and (step_key is None or event.step_key == step_key):
                events.append((run.run_id, event.step_key, event.event_type.value, entry.timestamp))
    return sorted(events, key=lambda e: e[3])


def wait_for_step(
    instance: dg.DagsterInstance, step_key: str, process: subprocess.Popen, timeout: float = 600
) -> float:
    """Wait until some run starts `step_key`; returns when (epoch seconds). Fails if the process ends first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        started = [e for e in step_events(instance, step_key) if e[2] == "STEP_START"]
        if started:
            return started[0][3]
        if process.poll() is not None:
            raise AssertionError(f"the process ended (exit {process.returncode}) before step {step_key} started")
        time.sleep(0.1)
    raise AssertionError(f"step {step_key} did not start within {timeout} s")


def step_intervals(instance: dg.DagsterInstance) -> list[tuple[str, str, float, float]]:
    """(run_id, step_key, start, end) of every finished step."""
    open_steps, intervals = {}, []
    for run_id, step, kind, at in step_events(instance):
        if kind == "STEP_START":
            open_steps[(run_id, step)] = at
        elif (run_id, step) in open_steps:
            intervals.append((run_id, step, open_steps.pop((run_id, step)), at))
    return intervals


def table(warehouse: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql).fetchall()


@contextmanager
def isolated_leap(root: Path) -> Iterator[dict[str, Path]]:
    """Every LEAP setting pointed at folders under `root` for the block (for module-scoped fixtures,
    which cannot use the function-scoped `monkeypatch`)."""
    env = {
        "LEAP_LANDING": root / "landing",
        "LEAP_WAREHOUSE": root / "warehouse" / "leap.duckdb",
        "LEAP_PUBLISH": root / "publish",
        "DAGSTER_HOME": root / "dagster",
    }
    with pytest.MonkeyPatch.context() as patch:
        for name, path in env.items():
            patch.setenv(name, str(path))
        env["LEAP_LANDING"].mkdir(parents=True, exist_ok=True)
        yield env
