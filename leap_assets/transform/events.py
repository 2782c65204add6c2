"""A dbt step's Dagster events: dbt run in process (transform/inprocess.py), its results told as
dagster-dbt tells them.

The selection (the asset's `select`, or the subset the UI asked for), the materializations of
models and seeds, and the asset checks of dbt tests all come from dagster-dbt's own functions, fed
the events dbt would have printed as JSON log lines; only the process is different. The events reach
Dagster when dbt ends, not model by model. A failed dbt command raises dagster-dbt's error, with the
errors dbt reported, after the results of what did run.
"""

import json
import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt.asset_utils import extract_runtime_selection_from_args, get_updated_cli_invocation_params_for_context
from dagster_dbt.core.dbt_cli_event import DbtCoreCliEventMessage
from dagster_dbt.errors import DagsterDbtCliRuntimeError

from leap_assets.transform.inprocess import invoke
from leap_assets.transform.project import MANIFEST, invocation_target, keep_parse_state

# A node's one-line status ("42 of 53 ERROR creating ..."): dbt says the same, and why, in the
# RunResultFailure and RunResultError events that follow, which the error keeps.
STATUS_LINES = {"LogModelResult", "LogSeedResult", "LogTestResult", "LogSnapshotResult"}


@cache
def _manifest(path: Path, mtime_ns: int) -> dict[str, Any]:
    return json.loads(path.read_bytes())


def stream(context: dg.AssetExecutionContext, warehouse: Path, args: list[str]) -> Iterator[Any]:
    """Run `dbt <args>` for this `@dbt_assets` step and yield its outputs and check results."""
    cleaned, selects, excludes = extract_runtime_selection_from_args(args)
    manifest = _manifest(MANIFEST, MANIFEST.stat().st_mtime_ns)
    params = get_updated_cli_invocation_params_for_context(
        context=context,
        manifest=manifest,
        dagster_dbt_translator=None,
        runtime_selects=selects,
        runtime_excludes=excludes,
    )
    command = [*cleaned, *params.selection_args]
    if params.indirect_selection:
        command += ["--indirect-selection", params.indirect_selection]
    target = invocation_target(context.op_execution_context.op.name, warehouse)
    raw: list[dict[str, Any]] = []
    result = invoke(command, warehouse, target, on_event=raw.append)
    errors = []
    for event in raw:
        info = event["info"]
        if info["level"] == "error" and info["name"] not in STATUS_LINES:
            errors.append(info["msg"])
        if info["level"] != "debug":
            sys.stdout.write(info["msg"] + "\n")  # dbt's lines, in the step's captured output as before
        if "node_info" not in event["data"]:
            continue
        message = DbtCoreCliEventMessage(raw_event=event, event_history_metadata={})
        yield from message.to_default_asset_events(
            manifest=params.manifest, dagster_dbt_translator=params.dagster_dbt_translator, context=context
        )
    sys.stdout.flush()
    if not result.success:
        # The folder stays, with its dbt.log, for a look.
        if not errors and result.exception is not None:
            errors.append(str(result.exception))
        raise DagsterDbtCliRuntimeError(description=failure_text(command, target, errors))
    keep_parse_state(target)


def failure_text(command: list[str], target: Path, errors: list[str]) -> str:
    """dagster-dbt's wording, which the run-failure alert reads dbt's own reason from."""
    parsed = "\n\n".join(["", "Errors parsed from dbt logs:", *errors]) if errors else ""
    return (
        f"The dbt command\n\n`dbt {' '.join(command)}`\n\nfailed."
        f" Check the stdout in the Dagster compute logs for the full information about"
        f" the error, or view the dbt debug log: {target / 'dbt.log'}.{parsed}"
    )
