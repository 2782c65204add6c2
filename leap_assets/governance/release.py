"""Releasing a held report (validity.md, "Release"): a named person publishes the held school reports
of a week with a reason, recorded in the warehouse.

The `quality_release` asset records the release in `meta.quality_releases` (who, when, week, school,
the checks overridden and what they observed, the reason) for the observations the schools are held
on, and raises a `report_released` alert. In `release_job` it runs before the quality gate and the
school reports of the same week: the gate finds the release covering exactly what it sees, marks the
schools released, and the reports asset publishes them. A release covers the data it was given: new
data that changes what a check observes holds the school again.
"""

from datetime import date

import dagster as dg
from pydantic import Field

from leap_assets.alerts import raise_alert
from leap_assets.checks.gate import held_schools, record_release
from leap_assets.partitions import weekly_partitions
from leap_assets.resources import LeapPaths
from leap_assets.warehouse.db import WAREHOUSE_POOL


class ReleaseConfig(dg.Config):
    """Who releases which held schools of the week, and why."""

    by: str
    reason: str
    schools: list[str] = Field(default_factory=list)  # empty: every school held that week


@dg.asset(
    group_name="publish",
    kinds={"duckdb"},
    partitions_def=weekly_partitions,
    backfill_policy=dg.BackfillPolicy.single_run(),
    pool=WAREHOUSE_POOL,
)
def quality_release(context: dg.AssetExecutionContext, config: ReleaseConfig, paths: LeapPaths) -> dg.MaterializeResult:
    """A named person's release of held school reports for the week, recorded with the reason."""
    by, reason = config.by.strip(), config.reason.strip()
    if not by or not reason:
        raise dg.Failure(description="A release needs the name of who releases it (--by) and a reason (--reason).")
    week = date.fromisoformat(context.partition_key)
    with paths.read() as con:
        held = held_schools(con, week)
    chosen = config.schools or sorted(held)
    missing = [school for school in chosen if school not in held]
    if missing:
        listed = ", ".join(sorted(held)) or "none"
        raise dg.Failure(description=f"{missing[0]} is not held in the week of {week} (held: {listed}).")
    with paths.write() as con:
        released = record_release(con, week, chosen, by, reason, context.run_id)
    for status in released:
        raise_alert(
            "report_released",
            f"The report of {status.school} for the week of {week} was released by {by} ({reason}); it was held "
            f"by {status.checks} ({status.observed}).",
            week=str(week),
            school=status.school,
            checks=status.checks,
        )
    return dg.MaterializeResult(
        metadata={
            "week": str(week),
            "released_by": by,
            "reason": reason,
            "schools": ", ".join(s.school for s in released),
            "checks_overridden": ", ".join(sorted({s.checks for s in released})),
        }
    )
