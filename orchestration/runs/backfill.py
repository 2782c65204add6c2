"""Building report weeks: consecutive weeks in chunks of one Dagster run each, oldest first.

A run over a range of weeks costs one dbt invocation, one import of Great Expectations and one
start-up of the run instead of one per week, so a chunk holds a whole term by default
(`LEAP_BACKFILL_CHUNK`, 13 weeks: longer ranges go in term-sized runs, which bounds a run's memory).
When a chunk fails, its weeks are re-run one at a time, oldest first, so the failure is pinned to a
week and the weeks after it are not run. (The failed chunk's run may have replaced the mart rows of
its later weeks, from the same data; it published none of them, and they count as not built.)

Progress is reported per week as runs record it: the weeks of a chunk once its run has succeeded.

Every run is tagged with the dbt models it ran (`leap/models`), so that a re-run can resume:
`orchestration/runs/resume.py` says which weeks are already built from the current data.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from leap_assets.settings import settings
from leap_assets.transform.project import ensure_manifest
from orchestration.runs.instance import run_job
from orchestration.runs.resume import MODELS_TAG, models_version


@dataclass
class WeekFailed(Exception):
    week: date
    run_id: str
    error: str | None
    built: int
    not_run: int

    def __str__(self) -> str:
        return (
            f"week {self.week} failed (run {self.run_id}): {self.error}; "
            f"{self.built} earlier week(s) are built, {self.not_run} later week(s) were not run"
        )


def chunks(weeks: list[date], size: int) -> list[list[date]]:
    """Runs of consecutive weeks, at most `size` long (a gap starts a new chunk)."""
    result: list[list[date]] = []
    for week in sorted(weeks):
        if result and len(result[-1]) < size and (week - result[-1][-1]).days == 7:
            result[-1].append(week)
        else:
            result.append([week])
    return result


def build_weeks(weeks: list[date], progress: Callable[[date], None] = lambda week: None) -> list[str]:
    """Build every week, oldest first; returns the run ids; raises WeekFailed at the first failure."""
    ordered = sorted(weeks)
    run_ids: list[str] = []
    built = 0
    ensure_manifest()  # parse first, so the tag names the models the runs will use
    tags = {MODELS_TAG: models_version()}
    for chunk in chunks(ordered, settings().backfill_chunk):
        outcome = run_job("weekly_job", week=chunk[0], last_week=chunk[-1], tags=tags)
        run_ids.append(outcome.run_id)
        if outcome.success:
            for week in chunk:
                built += 1
                progress(week)
            continue
        for week in chunk if len(chunk) > 1 else []:
            single = run_job("weekly_job", week=week, tags=tags)
            run_ids.append(single.run_id)
            if not single.success:
                raise WeekFailed(week, single.run_id, single.error, built, len(ordered) - built - 1)
            built += 1
            progress(week)
        if len(chunk) == 1:
            raise WeekFailed(chunk[0], outcome.run_id, outcome.error, built, len(ordered) - built - 1)
    return run_ids
