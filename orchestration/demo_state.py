"""What a second `leap demo` can skip: generating a university its landing zone already holds, and a
back-test newer than every run that built its weeks."""

import json
from datetime import date
from pathlib import Path

from leap_assets.permissions import private_folder
from leap_assets.settings import settings

MARKER = "leap-demo.json"  # in DAGSTER_HOME: which demo university was generated into which landing zone
SOURCES = ("sits", "seats", "moodle", "schools")


def _wanted(parameters: dict) -> dict:
    return {"landing": str(settings().landing), **{key: str(value) for key, value in parameters.items()}}


def already_generated(parameters: dict) -> bool:
    """Whether this landing zone holds the demo university generated with these parameters."""
    marker = settings().dagster_home / MARKER
    landing = settings().landing
    try:
        recorded = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return recorded == _wanted(parameters) and all(
        (landing / source).is_dir() and any((landing / source).iterdir()) for source in SOURCES
    )


def record_generated(parameters: dict) -> None:
    home = settings().dagster_home
    private_folder(home)
    (home / MARKER).write_text(json.dumps(_wanted(parameters)), encoding="utf-8")


def backtest_is_current(page: Path, sheet: Path, weeks: list[date]) -> bool:
    """Whether the back-test's files are newer than the end of the newest run that built any of `weeks`."""
    from orchestration.runs.instance import instance
    from orchestration.runs.resume import last_runs

    if not (page.exists() and sheet.exists()):
        return False
    runs = last_runs(instance(), weeks)
    if len(runs) < len(weeks) or any(record.end_time is None for record in runs.values()):
        return False
    return min(page.stat().st_mtime, sheet.stat().st_mtime) > max(record.end_time for record in runs.values())
