"""Retention in Dagster: the `retention_purge` asset and its check `retention_respected`.

Both take the day to apply retention for from their config (`today`, YYYY-MM-DD), else today on the
local calendar: the daily schedule passes its own tick's date, and tests move the clock with it.
"""

from datetime import date

import dagster as dg

from leap_assets.governance import retention_rules
from leap_assets.governance.retention import Held, overdue, purge
from leap_assets.governance.retention_config import RetentionConfigError, load_retention
from leap_assets.resources import LeapPaths
from leap_assets.warehouse.db import WAREHOUSE_POOL

CHECK_OP = "retention_purge_retention_respected"


class RetentionDay(dg.Config):
    """The day retention is applied for (YYYY-MM-DD); empty means today on the local calendar."""

    today: str | None = None

    def day(self, paths: LeapPaths) -> date:
        if not self.today:
            return retention_rules.local_today(paths.timezone)
        try:
            return date.fromisoformat(self.today)
        except ValueError:
            raise dg.Failure(description=f"config today must be a date as YYYY-MM-DD, not {self.today!r}.") from None


def run_config(day: date) -> dict:
    """Run config that applies retention for `day` in the purge and in its check."""
    config = {"config": {"today": day.isoformat()}}
    return {"ops": {"retention_purge": config, CHECK_OP: config}}


def _retention():
    try:
        return load_retention()
    except RetentionConfigError as error:
        raise dg.Failure(description=f"{error}.") from None


def _table(found: list[Held], count: str) -> str:
    lines = ["| layer | target | kept from | oldest held | rows | files |", "|---|---|---|---|---|---|"]
    lines += [f"| {h.layer} | {h.target} | {h.cutoff} | {h.oldest or ''} | {h.rows} | {h.files} |" for h in found]
    return "\n".join(lines) if found else f"Nothing {count}."


@dg.asset(group_name="governance", kinds={"duckdb"}, pool=WAREHOUSE_POOL)
def retention_purge(context: dg.AssetExecutionContext, config: RetentionDay, paths: LeapPaths) -> dg.MaterializeResult:
    """Remove what has outlived its retention period in every layer and the landing archive."""
    today, retention = config.day(paths), _retention()
    removed = purge(paths.warehouse_path, paths.landing_path, paths.publish_path, today, retention, paths.timezone)
    context.log.info(f"Retention for {today} ({retention.source}): {len(removed)} target(s) purged")
    return dg.MaterializeResult(
        metadata={
            "today": today.isoformat(),
            "retention_file": retention.source,
            "rows_removed": sum(r.rows for r in removed),
            "files_removed": sum(r.files for r in removed),
            "removed": dg.MetadataValue.json([r.as_dict() for r in removed]),
            "summary": dg.MetadataValue.md(_table(removed, "was over its retention period")),
        }
    )


@dg.asset_check(asset=retention_purge, pool=WAREHOUSE_POOL)
def retention_respected(config: RetentionDay, paths: LeapPaths) -> dg.AssetCheckResult:
    """Fails while any layer or the landing archive holds something older than its retention period."""
    today, retention = config.day(paths), _retention()
    found = overdue(paths.warehouse_path, paths.landing_path, paths.publish_path, today, retention, paths.timezone)
    return dg.AssetCheckResult(
        passed=not found,
        metadata={
            "today": today.isoformat(),
            "rows_overdue": sum(h.rows for h in found),
            "files_overdue": sum(h.files for h in found),
            "overdue": dg.MetadataValue.json([h.as_dict() for h in found]),
            "summary": dg.MetadataValue.md(_table(found, "is held beyond its retention period")),
        },
    )
