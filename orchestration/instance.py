"""The local Dagster instance under DAGSTER_HOME, and running LEAP's jobs in it (so runs show in the UI)."""

import os
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import dagster as dg

from leap_assets.settings import settings
from orchestration.alerts import raise_alert

INSTANCE_YAML = """\
# Written by LEAP on first use; edit freely.
telemetry:
  enabled: false
concurrency:
  runs:
    # DuckDB has one writer: runs queue rather than fail on the file lock.
    max_concurrent_runs: 1
"""


def dagster_home() -> Path:
    """Make DAGSTER_HOME exist (default ./.leap/dagster) with LEAP's instance settings."""
    home = settings().dagster_home
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists():
        config.write_text(INSTANCE_YAML)
    os.environ["DAGSTER_HOME"] = str(home)
    return home


def instance() -> dg.DagsterInstance:
    dagster_home()
    return dg.DagsterInstance.get()


@dataclass
class RunOutcome:
    success: bool
    run_id: str
    error: str | None


def run_job(
    job_name: str,
    week: date | None = None,
    last_week: date | None = None,
    tags: dict[str, str] | None = None,
    run_config: dict | None = None,
) -> RunOutcome:
    """Run one job in process, recorded in the instance; a week range runs as one run. `run_config`
    (e.g. an asset's config under "ops") is merged with LEAP's quiet console logging."""
    from leap_assets.transform.project import ensure_manifest

    ensure_manifest()
    from orchestration.definitions import defs

    job = defs.resolve_job_def(job_name)
    run_tags = dict(tags or {})
    partition_key = None
    if week is not None and (last_week is None or last_week == week):
        partition_key = week.isoformat()
    elif week is not None and last_week is not None:
        run_tags["dagster/asset_partition_range_start"] = week.isoformat()
        run_tags["dagster/asset_partition_range_end"] = last_week.isoformat()
    # The run's own log is in the instance (and the UI); the terminal shows only LEAP's summary.
    log_path = dagster_home() / "logs" / "runs.log"
    log_path.parent.mkdir(exist_ok=True)
    quiet = {"loggers": {"console": {"config": {"log_level": "ERROR"}}}}
    with log_path.open("a") as log, redirect_stdout(log), redirect_stderr(log):
        result = job.execute_in_process(
            run_config={**quiet, **(run_config or {})},
            instance=instance(),
            partition_key=partition_key,
            tags=run_tags,
            raise_on_error=False,
        )
    if result.success:
        return RunOutcome(True, result.run_id, None)
    error = _first_error(result)
    weeks = "-".join(k for k in (run_tags.get("dagster/asset_partition_range_start"), partition_key) if k)
    raise_alert("run_failed", f"{job_name} failed: {error}", run_id=result.run_id, week=weeks or "none")
    return RunOutcome(False, result.run_id, error)


def _first_error(result: dg.ExecuteInProcessResult) -> str:
    for event in result.all_events:
        if event.is_step_failure and event.step_failure_data and event.step_failure_data.error:
            error = event.step_failure_data.error
            while error.cause is not None and "DbtCliError" not in error.cls_name:
                error = error.cause
            return f"step {event.step_key} failed: {_reason(error.message)}"
    return "the run failed (see the Dagster UI for its log)"


def _reason(message: str) -> str:
    """The line that says why: for dbt, the error dbt itself reported, not the command line."""
    if "Errors parsed from dbt logs:" in message:
        parsed = message.split("Errors parsed from dbt logs:", 1)[1].splitlines()
        lines = [line.strip() for line in parsed if line.strip() and line.strip() != "Encountered an error:"]
        if lines:
            return " ".join(lines[:2])
    return message.strip().splitlines()[0]
