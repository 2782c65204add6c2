"""Which report weeks newly landed files can change, so that only those weeks are built again.

The dates come from the warehouse after ingestion (raw rows carry `_source_file`). A week whose own
figures change also changes the next week's trend (`previous_combined_rag` is computed from the week
before), so every directly touched week brings its following week with it.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import PurePosixPath

import duckdb

from leap_assets.partitions import last_complete_week, monday_of, weeks_between

WEEK = timedelta(days=7)


@dataclass
class Touched:
    """The data dates that newly landed files carry, per source."""

    moodle_dates: set[date] = field(default_factory=set)  # local event dates
    seats_dates: set[date] = field(default_factory=set)  # session dates, before and after correction
    sits_extracts: set[date] = field(default_factory=set)  # extract (folder) dates
    school_ranges: list[tuple[date, date | None]] = field(default_factory=list)  # (from, to); None = open


def vle_weeks(day: date) -> list[date]:
    """The weeks whose 14-day VLE window [W+6-13, W+6] holds `day`: its own week and the next."""
    return [monday_of(day), monday_of(day) + WEEK]


def snapshot_weeks(extract: date, complete: set[date], newest: date, first: date) -> list[date]:
    """Weeks whose chosen snapshot (newest complete extract on or before W+7) may become or stop being `extract`."""
    others = [day for day in complete if day != extract]
    later = min((day for day in others if day > extract), default=None)
    # The first week whose report date (W+7) is on or after the extract; an extract older than every
    # other complete one is also the fallback snapshot of all earlier weeks.
    start = monday_of(extract - timedelta(days=1)) if any(day < extract for day in others) else first
    return [week for week in weeks_between(max(start, first), newest) if later is None or week + WEEK < later]


def weeks_for(touched: Touched, complete_extracts: set[date], today: date, first_week: date) -> list[date]:
    """The report weeks (Mondays, oldest first) that `touched` can change and that exist as partitions."""
    newest = last_complete_week(today)
    if newest < first_week:
        return []
    direct: set[date] = set()
    for day in touched.moodle_dates:
        direct.update(vle_weeks(day))
    direct.update(monday_of(day) for day in touched.seats_dates)
    for extract in touched.sits_extracts:
        direct.update(snapshot_weeks(extract, complete_extracts, newest, first_week))
    for start, end in touched.school_ranges:
        direct.update(weeks_between(max(start, first_week), min(end or newest, newest)))
    weeks = direct | {week + WEEK for week in direct}
    return sorted(week for week in weeks if first_week <= week <= newest)


def read_touched(con: duckdb.DuckDBPyConnection, files: list[str]) -> Touched:
    """The data dates of `files` (paths relative to the landing zone) as the warehouse now holds them."""
    touched = Touched()
    by_source: dict[str, list[str]] = {}
    for rel in files:
        by_source.setdefault(PurePosixPath(rel).parts[0], []).append(rel)
    if moodle := by_source.get("moodle"):
        rows = con.execute(
            "select distinct event_date from raw.moodle_log where _source_file in ? and event_date is not null",
            [moodle],
        ).fetchall()
        touched.moodle_dates = {row[0] for row in rows}
    if seats := by_source.get("seats"):
        # A correction may move a session: the dates of the same keys in other files count too.
        rows = con.execute(
            """
            with keys as (
                select distinct student_id, event_id from raw.seats_attendance where _source_file in ?
            )
            select distinct a.start_date
            from raw.seats_attendance as a
            inner join keys as k on a.student_id = k.student_id and a.event_id = k.event_id
            where a.start_date is not null
            """,
            [seats],
        ).fetchall()
        touched.seats_dates = {row[0] for row in rows}
    for rel in by_source.get("sits", []):
        try:
            touched.sits_extracts.add(date.fromisoformat(PurePosixPath(rel).parts[1]))
        except (IndexError, ValueError):
            continue
    for rel in by_source.get("schools", []):
        row = con.execute(
            """
            select min(from_date), max(to_date), count(*) filter (where to_date is null)
            from raw.schools_online_only where _source_file = ? and from_date is not null
            """,
            [rel],
        ).fetchone()
        if row and row[0] is not None:
            touched.school_ranges.append((row[0], None if row[2] or row[1] is None else row[1]))
    return touched


def complete_extracts(con: duckdb.DuckDBPyConnection) -> set[date]:
    rows = con.execute("select extract_date from raw.sits_extracts where is_complete").fetchall()
    return {row[0] for row in rows}


def weeks_touched(con: duckdb.DuckDBPyConnection, files: list[str], today: date, first_week: date) -> list[date]:
    """The report weeks that newly landed `files` can change, read from the warehouse after ingestion."""
    return weeks_for(read_touched(con, files), complete_extracts(con), today, first_week)
