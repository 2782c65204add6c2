"""The weekly schedule: last week's reports every Monday at 06:00 on the local calendar."""

from zoneinfo import ZoneInfo

import dagster as dg

from leap_assets.partitions import last_complete_week
from leap_assets.settings import settings
from orchestration.jobs import weekly_job
from orchestration.runs.run_failures import WEEKS_TAG


@dg.schedule(
    cron_schedule="0 6 * * 1",
    execution_timezone=settings().timezone,
    job=weekly_job,
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Issue last week's reports every Monday at 06:00 Europe/London.",
)
def monday_reports(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
    """Issue last week's reports every Monday at 06:00 Europe/London."""
    local = context.scheduled_execution_time.astimezone(ZoneInfo(settings().timezone))
    week = last_complete_week(local.date()).isoformat()
    return dg.RunRequest(
        run_key=f"monday-reports-{week}", partition_key=week, tags={"leap/trigger": "schedule", WEEKS_TAG: week}
    )
