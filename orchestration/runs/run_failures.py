"""The alert of a failed run: its job, run id, weeks and the first step error, in one plain sentence.

Shared by the CLI (`run_job` alerts for its own runs as soon as they end) and the run-failure sensor
(every run, whoever launched it); `raise_alert` keeps it to one alert per run id.
"""

import re
from collections.abc import Iterable

import dagster as dg

from leap_assets.alerts import raise_alert

NO_STEP_ERROR = "the run failed (see the Dagster UI for its log)"
# The report weeks a run builds (one week, or `first..last` for a range), shown in the UI's runs list.
WEEKS_TAG = "leap/weeks"
# "Runtime Error in model x (path)" repeats the "Failure in model x (path)" line before it: the line
# after it says why.
_DBT_ERROR_IN = re.compile(
    r"^(?:Encountered an error:|[A-Z][a-z]+ Error in (?:model|test|seed|snapshot|unit_test) .*)$"
)
_CLASS_PREFIX = re.compile(r"^(?:[A-Za-z_]\w*\.)*(?=[A-Z])\w*(?:Error|Exception|Failure|Interrupt)\s*:\s*(?=\S)")


def first_error(events: Iterable[dg.DagsterEvent]) -> str | None:
    """`step <key> failed: <why>` for the first failed step among `events`; None when no step failed."""
    for event in events:
        if event.is_step_failure and event.step_failure_data and event.step_failure_data.error:
            error = event.step_failure_data.error
            # The asset's own exception is the cause of Dagster's wrapper; dbt's error is the one to keep.
            while error.cause is not None and "DbtCliError" not in error.cls_name:
                error = error.cause
            return f"step {event.step_key} failed: {reason(error.message)}"
    return None


def reason(message: str) -> str:
    """The line that says why: for dbt, the error dbt itself reported, not the command line."""
    if "Errors parsed from dbt logs:" in message:
        parsed = message.split("Errors parsed from dbt logs:", 1)[1].splitlines()
        lines = [line.strip() for line in parsed if line.strip() and not _DBT_ERROR_IN.match(line.strip())]
        if lines:
            return " ".join(lines[:2])
    lines = message.strip().splitlines()
    # "dagster._core.definitions.events.Failure: Not fit to publish" says it with a class name first.
    return _CLASS_PREFIX.sub("", lines[0]) if lines else NO_STEP_ERROR


def run_weeks(tags: dict[str, str]) -> str:
    """The report weeks of a run from its tags: one week, `first..last` for a range, or `none`."""
    if tags.get("dagster/partition"):
        return tags["dagster/partition"]
    first = tags.get("dagster/asset_partition_range_start")
    last = tags.get("dagster/asset_partition_range_end")
    if first and last:
        return first if first == last else f"{first}..{last}"
    return "none"


def alert_run_failed(job_name: str, run_id: str, tags: dict[str, str], error: str | None) -> dict:
    """Raise the one `run_failed` alert of this run ({} when it was already raised)."""
    weeks = run_weeks(tags)
    during = "" if weeks == "none" else f" for weeks {weeks}" if ".." in weeks else f" for week {weeks}"
    return raise_alert(
        "run_failed", f"{job_name} failed{during}: {error or NO_STEP_ERROR}", run_id=run_id, job=job_name, week=weeks
    )
