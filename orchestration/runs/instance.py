"""The local Dagster instance under DAGSTER_HOME, and running LEAP's jobs in it (so runs show in the UI).

One writer: every asset and check that touches the warehouse is in the `warehouse` pool, and the
instance gives every pool one slot (`concurrency: pools: default_limit: 1`). The in-process executor
of `execute_in_process` claims the slot from the instance before each such step, so two `leap`
processes, a sensor run and a backfill, queue step by step instead of failing on DuckDB's file lock.
A run killed mid-step keeps its slot: `orchestration/runs/crashed_runs.py` frees it before each run.
The runs a `leap` command starts also take turns on a lock file, since the pool's SQLite storage can
give one slot to two claims made in the same instant (`orchestration/runs/turns.py`).
"""

import os
import sys
import uuid
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import dagster as dg
import yaml

from leap_assets.permissions import private_folder
from leap_assets.progress import reporting_to
from leap_assets.settings import settings
from orchestration.runs.crashed_runs import process_tags, reap_crashed_runs
from orchestration.runs.run_failures import NO_STEP_ERROR, WEEKS_TAG, alert_run_failed, first_error
from orchestration.runs.turns import file_lock, run_turn

UI_URL = "http://127.0.0.1:3000"  # where `make dev` serves the Dagster UI
# Serialises setting up the instance: two processes creating its SQLite storage at once corrupt it.
INSTANCE_LOCK = ".leap-instance.lock"
NUX_SEEN = Path(".nux") / "nux.yaml"  # where the Dagster UI records that its welcome was shown

INSTANCE_YAML = """\
# Written by LEAP on first use; edit freely.
telemetry:
  enabled: false
concurrency:
  pools:
    # DuckDB has one writer: each step that touches the warehouse takes the one slot of its pool.
    default_limit: 1
  runs:
    # Runs the daemon launches (sensors, schedule, UI) also start one at a time.
    max_concurrent_runs: 1
"""


def dagster_home() -> Path:
    """Make DAGSTER_HOME exist (default ./.leap/dagster) with LEAP's instance settings."""
    home = settings().dagster_home
    # Owner-only when LEAP creates it: by default `.leap/` holds the warehouse beside the instance.
    private_folder(home)
    os.environ["DAGSTER_HOME"] = str(home)
    config = home / "dagster.yaml"
    with file_lock(home / INSTANCE_LOCK):
        if not config.exists():
            config.write_text(INSTANCE_YAML)
        else:
            upgrade_config(config)
        # The UI greets a new instance with Dagster's community and newsletter sign-up, which asks
        # the person on duty for an email address: marked as seen, as its own "Skip" would.
        seen = home / NUX_SEEN
        if not seen.exists():
            seen.parent.mkdir(exist_ok=True)
            seen.write_text("seen: 1\n")
    return home


def upgrade_config(config: Path) -> None:
    """Add the pool limit to a dagster.yaml written before LEAP set it, keeping every other setting.

    A limit already set (whatever its value) is the user's choice and is left alone.
    """
    text = config.read_text()
    upgraded = with_pool_limit(text)
    if upgraded is None:
        return
    if upgraded == "":
        # A layout the line edit cannot follow (e.g. flow style): rewrite it whole, keeping a copy.
        values = yaml.safe_load(text) or {}
        concurrency = values.get("concurrency") or {}
        values["concurrency"] = {**concurrency, "pools": {**(concurrency.get("pools") or {}), "default_limit": 1}}
        backup = config.with_name(f"dagster.yaml.{datetime.now():%Y%m%d%H%M%S}.bak")
        backup.write_text(text)
        upgraded = yaml.safe_dump(values, sort_keys=False)
        note = f"added concurrency.pools.default_limit: 1 to {config} (the old file is {backup.name})"
        print(f"leap: {note}", file=sys.stderr)
    temporary = config.with_name(f".{config.name}.partial")
    temporary.write_text(upgraded)
    os.replace(temporary, config)


def with_pool_limit(text: str) -> str | None:
    """`text` with `concurrency: pools: default_limit: 1` added by inserting lines; None when it has a
    limit already (or is not a mapping), "" when lines cannot be inserted safely."""
    before = yaml.safe_load(text) or {}
    if not isinstance(before, dict):
        return None
    concurrency = before.get("concurrency") or {}
    pools = concurrency.get("pools") if isinstance(concurrency, dict) else None
    if isinstance(pools, dict) and "default_limit" in pools:
        return None
    lines = [line if line.endswith("\n") else line + "\n" for line in text.splitlines(keepends=True)]
    top = _line_of(lines, "concurrency", "")
    if "concurrency" not in before:
        lines += ["concurrency:\n", *_limit_lines("  pools:\n", "    ")]
    elif top is not None:
        inner = _child_indent(lines, top) or "  "
        at = _line_of(lines, "pools", inner, start=top + 1)
        if at is None:
            lines[top + 1 : top + 1] = _limit_lines(f"{inner}pools:\n", inner * 2)
        else:
            deeper = _child_indent(lines, at) or ""
            lines[at + 1 : at + 1] = _limit_lines(None, deeper if len(deeper) > len(inner) else inner * 2)
    expected = dict(before)
    expected["concurrency"] = {**concurrency, "pools": {**(pools or {}), "default_limit": 1}}
    upgraded = "".join(lines)
    try:
        return upgraded if yaml.safe_load(upgraded) == expected else ""
    except yaml.YAMLError:
        return ""


def _limit_lines(pools_line: str | None, indent: str) -> list[str]:
    limit = [f"{indent}# Added by LEAP: DuckDB has one writer, so the warehouse pool gets one slot.\n",
             f"{indent}default_limit: 1\n"]  # fmt: skip
    return [pools_line, *limit] if pools_line else limit


def _line_of(lines: list[str], key: str, indent: str, start: int = 0) -> int | None:
    """The line `key:` at exactly this indentation, from `start` to the end of the enclosing block."""
    for index in range(start, len(lines)):
        line = lines[index]
        stripped = line.lstrip(" ")
        if not stripped.strip() or stripped.startswith("#"):
            continue
        if len(line) - len(stripped) < len(indent):
            return None
        if len(line) - len(stripped) == len(indent) and stripped.split("#")[0].rstrip() == f"{key}:":
            return index
    return None


def _child_indent(lines: list[str], parent: int) -> str | None:
    """The indentation of the first entry under the key on line `parent`."""
    for line in lines[parent + 1 :]:
        stripped = line.lstrip(" ")
        if stripped.strip() and not stripped.startswith("#"):
            return line[: len(line) - len(stripped)] or None
    return None


def instance() -> dg.DagsterInstance:
    home = dagster_home()
    with file_lock(home / INSTANCE_LOCK):
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
    current = instance()
    run_tags = {**process_tags(), **(tags or {})}
    partition_key = None
    if week is not None and (last_week is None or last_week == week):
        partition_key = week.isoformat()
    elif week is not None and last_week is not None:
        run_tags["dagster/asset_partition_range_start"] = week.isoformat()
        run_tags["dagster/asset_partition_range_end"] = last_week.isoformat()
    if week is not None:
        run_tags[WEEKS_TAG] = partition_key or f"{week.isoformat()}..{last_week.isoformat()}"
    run_id = str(uuid.uuid4())  # chosen here so the link is printed while the run is going
    announce(job_name, run_id, run_tags)
    # The run's own log is in the instance (and the UI); the terminal shows only LEAP's summary.
    home = dagster_home()
    log_path = home / "logs" / "runs.log"
    private_folder(log_path.parent)
    quiet = {"loggers": {"console": {"config": {"log_level": "ERROR"}}}}
    terminal = sys.stdout  # progress lines from inside the run (leap_assets/progress.py) still reach it
    # Another leap command's run goes first (orchestration/runs/turns.py says why, beyond the pool).
    with run_turn(home, job_name, waiting=lambda holder: _waiting_line(holder, terminal)):
        # A run killed earlier may still hold the warehouse pool's slot: free it, or this run waits forever.
        reap_crashed_runs(current)
        result = _execute(job, current, {**quiet, **(run_config or {})}, log_path, terminal, run_id=run_id,
                          tags=run_tags, partition_key=partition_key)  # fmt: skip
    if result.success:
        return RunOutcome(True, result.run_id, None)
    error = first_error(result.all_events) or NO_STEP_ERROR
    alert_run_failed(job_name, result.run_id, result.dagster_run.tags, error)
    return RunOutcome(False, result.run_id, error)


def _execute(job, current, run_config: dict, log_path: Path, terminal, **execution):
    """`job` in this process; Dagster's output to the run log, LEAP's progress lines to `terminal`."""
    with (
        log_path.open("a") as log,
        reporting_to(lambda line: _progress_line(line, terminal)),
        redirect_stdout(log),
        redirect_stderr(log),
    ):
        return job.execute_in_process(run_config=run_config, instance=current, raise_on_error=False, **execution)


def _waiting_line(holder: str, terminal) -> None:
    _progress_line(f"Waiting for {holder or 'another leap command'} to finish its run on this instance.", terminal)


def _progress_line(line: str, terminal) -> None:
    from tqdm import tqdm

    tqdm.write(line, file=terminal)  # a plain line when there is no bar, or no terminal


def run_url(run_id: str) -> str:
    return f"{UI_URL}/runs/{run_id}"


def announce(job_name: str, run_id: str, tags: dict[str, str]) -> None:
    """One line per run a command starts: its id and where the UI shows it (`make dev`)."""
    from tqdm import tqdm

    weeks = tags.get(WEEKS_TAG)
    what = f"{job_name}, {'weeks' if '..' in (weeks or '') else 'week'} {weeks}" if weeks else job_name
    # tqdm.write keeps a progress bar on the terminal intact; without one it is a plain print.
    tqdm.write(f"Run {run_id[:8]} ({what}): {run_url(run_id)}")


def materialization_metadata(asset: str, run_id: str) -> dict:
    """The metadata of the materialization of `asset` made by this run ({} if the run made none)."""
    event = instance().get_latest_materialization_event(dg.AssetKey(asset))
    if event is None or event.run_id != run_id or event.asset_materialization is None:
        return {}
    return {key: getattr(value, "value", value) for key, value in event.asset_materialization.metadata.items()}
