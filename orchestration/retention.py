"""Retention wiring: the purge job, a check-only job, and the daily schedule (README "Retention")."""

from zoneinfo import ZoneInfo

import dagster as dg

from leap_assets.governance.retention_assets import retention_purge, retention_respected, run_config
from leap_assets.settings import settings

purge_job = dg.define_asset_job(
    name="purge_job",
    selection=dg.AssetSelection.assets(retention_purge),
    description="Apply retention: purge what has outlived its period, then check nothing older is held.",
    executor_def=dg.in_process_executor,
)

retention_check_job = dg.define_asset_job(
    name="retention_check_job",
    selection=dg.AssetSelection.checks(retention_respected),
    description="Check, without removing anything, that nothing is held beyond its retention period.",
    executor_def=dg.in_process_executor,
)


# 02:30 local: after midnight's last landings, before the Monday 06:00 reports, and never in the
# hour that British Summer Time skips or repeats (01:00-02:00).
@dg.schedule(
    cron_schedule="30 2 * * *",
    execution_timezone=settings().timezone,
    job=purge_job,
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Apply retention every day at 02:30 Europe/London, for the day of the tick.",
)
def daily_retention(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
    """Apply retention every day at 02:30 Europe/London, for the day of the tick."""
    day = context.scheduled_execution_time.astimezone(ZoneInfo(settings().timezone)).date()
    return dg.RunRequest(
        run_key=f"retention-{day.isoformat()}", run_config=run_config(day), tags={"leap/trigger": "schedule"}
    )
