"""Report weeks: Monday to Sunday on the local calendar, keyed by the Monday (`week_start`)."""

import os
from datetime import date, timedelta

import dagster as dg

# The first week any LEAP installation can report. Set LEAP_FIRST_WEEK (a Monday) to start later;
# earlier weeks cannot be backfilled.
FIRST_WEEK = os.environ.get("LEAP_FIRST_WEEK", "2024-07-29")
TIMEZONE = os.environ.get("LEAP_TIMEZONE", "Europe/London")

weekly_partitions = dg.WeeklyPartitionsDefinition(
    start_date=FIRST_WEEK, day_offset=1, timezone=TIMEZONE, fmt="%Y-%m-%d"
)


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def last_complete_week(today: date) -> date:
    """The most recent report week whose Sunday has passed: what Monday's reports are about."""
    return monday_of(today) - timedelta(days=7)


def weeks_between(first: date, last: date) -> list[date]:
    """Every week_start from the week holding `first` to the week holding `last`, oldest first."""
    start, end = monday_of(first), monday_of(last)
    return [start + timedelta(days=7 * i) for i in range((end - start).days // 7 + 1)]
