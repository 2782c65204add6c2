"""Report weeks: Monday to Sunday on the local calendar, keyed by the Monday (`week_start`)."""

from datetime import date, timedelta
from functools import cache

from leap_assets.landed_terms import landed_terms
from leap_assets.settings import settings

# When neither LEAP_FIRST_WEEK nor a landed SITS period.tsv says where the weeks start.
DEFAULT_FIRST_WEEK = "2024-07-29"


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def first_week() -> str:
    """The first report week: LEAP_FIRST_WEEK when set, else the Monday of the earliest term start in the
    landed SITS period.tsv files, else DEFAULT_FIRST_WEEK.

    Read afresh at each call; `partitions_start()` is the value one process keeps. A landing zone that
    cannot be read falls back to the default, so it never stops the code location loading. Earlier
    weeks cannot be built.
    """
    if settings().first_week:
        return settings().first_week
    try:
        starts = [term.start for term in landed_terms(settings().landing)]
    except Exception:  # a bad setting or folder is reported by the commands that use it
        starts = []
    return monday_of(min(starts)).isoformat() if starts else DEFAULT_FIRST_WEEK


@cache
def partitions_start() -> str:
    """The first report week as this process's weekly partitions have it: read on first use (never at
    import) and then kept, so the partitions, the sensors and the CLI's checks agree within a process."""
    return first_week()


@cache
def _weekly_partitions():
    import dagster as dg

    return dg.WeeklyPartitionsDefinition(
        start_date=partitions_start(), day_offset=1, timezone=settings().timezone, fmt="%Y-%m-%d"
    )


def __getattr__(name: str):
    # `weekly_partitions` is built on first use: the date helpers below serve commands (`leap ingest`
    # with nothing new) that must not pay for importing Dagster.
    if name == "weekly_partitions":
        return _weekly_partitions()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def last_complete_week(today: date) -> date:
    """The most recent report week whose Sunday has passed: what Monday's reports are about."""
    return monday_of(today) - timedelta(days=7)


def weeks_between(first: date, last: date) -> list[date]:
    """Every week_start from the week holding `first` to the week holding `last`, oldest first."""
    start, end = monday_of(first), monday_of(last)
    return [start + timedelta(days=7 * i) for i in range((end - start).days // 7 + 1)]
