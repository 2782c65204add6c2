"""The contact loop (outputs.md): returned report workbooks in `landing/returns/<week_start>/` loaded
into `marts.contacts`. Invalid rows are quarantined with their cell reference; the rest load; a later
return for the same week and student replaces the earlier one."""

from collections import Counter
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
import pandas as pd
from openpyxl.utils.datetime import from_excel

from leap_assets.ingestion.landed import LandedFile, Outcome, QuarantineLog, land_file, pending
from leap_assets.ingestion.layout import returned_workbooks
from leap_assets.reporting.columns import CHOICES, CONTACT_DAYS
from leap_assets.reporting.report_data import table_exists
from leap_assets.reporting.reports import PREFIX
from leap_assets.reporting.returned import EXTRA_ROWS, Returned, ReturnedRow, read_return
from leap_assets.sources.reading import FileRejected
from leap_assets.writing.names import school_slugs

SOURCE = "returns"
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d %H:%M:%S")


@dataclass
class Contact:
    week_start: date
    student_id: str
    contacted: bool | None
    contact_date: date | None
    contact_method: str | None
    outcome: str | None
    follow_up_needed: bool | None
    notes: str | None


def _built_weeks(con: duckdb.DuckDBPyConnection) -> set[date]:
    if not table_exists(con, "marts", "engagement_weekly"):
        return set()
    return {w for (w,) in con.execute("select distinct week_start from marts.engagement_weekly").fetchall()}


def _waits(path: Path, built: set[date]) -> bool:
    """A return for a week not built yet cannot be checked: it waits (unrecorded) for a later run.

    (A warehouse rebuilt from the landing zone ingests before it rebuilds the weeks; recording such a
    return as rejected would lose it for good, since the same bytes are never landed twice.)
    """
    try:
        return date.fromisoformat(path.parent.name) not in built
    except ValueError:
        return False


def waiting(con: duckdb.DuckDBPyConnection, landing: Path) -> list[Path]:
    """Returned workbooks whose week has not been built yet."""
    built = _built_weeks(con)
    return [path for path in returned_workbooks(landing) if _waits(path, built)]


def ingest(con: duckdb.DuckDBPyConnection, landing: Path, timezone: str, max_mb: float = 20.0) -> list[Outcome]:
    """Land every new or changed return, oldest first (by modification time), so later replaces earlier.

    `max_mb` is LEAP_RETURN_MAX_MB: a larger workbook is rejected whole, unread."""
    built = _built_weeks(con)
    ready = [path for path in returned_workbooks(landing) if not _waits(path, built)]
    files = pending(con, landing, ready)
    files.sort(key=lambda f: (f.path.stat().st_mtime_ns, f.rel))
    return [land_file(con, SOURCE, landed, _loader(landed, max_mb)) for landed in files]


def _choice(value, header: str) -> tuple[str | None, str | None]:
    """The canonical drop-down value, or an error; Excel booleans count as Yes/No."""
    if isinstance(value, bool) and CHOICES[header] == ["Yes", "No"]:
        return ("Yes" if value else "No"), None
    text = str(value).strip() if value is not None else ""
    if not text:
        return None, None
    for choice in CHOICES[header]:
        if text.casefold() == choice.casefold():
            return choice, None
    return None, f"{header} not in the drop-down list (expected one of {', '.join(CHOICES[header])})"


def parse_contact_date(value) -> date | None:
    """A date cell, an Excel serial number, or text in ISO or day/month/year form; ValueError if none."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and 1 <= value < 2_958_466:
        return from_excel(value).date()
    for form in DATE_FORMATS:
        try:
            return datetime.strptime(str(value).strip(), form).date()
        except ValueError:
            continue
    raise ValueError(value)


def check_row(row: ReturnedRow, week: date, in_report: set[str]) -> tuple[Contact | None, list[tuple[str, str]]]:
    """Validate one non-empty row: the contact to load, or the (cell reference, reason) problems."""
    problems = [
        (row.refs[h], f"{h} holds a formula, which LEAP never evaluates: type the value itself") for h in row.formulas
    ]
    if row.student_id is None and "Student ID" not in row.formulas:
        problems.append((row.refs["Student ID"], "missing Student ID"))
    elif row.student_id not in in_report:
        problems.append((row.refs["Student ID"], "student not in this school's report for this week"))
    values = {}
    for header in CHOICES:
        values[header], problem = _choice(row.cells.get(header), header)
        if problem:
            problems.append((row.refs[header], problem))
    first, last = week + timedelta(days=7), week + timedelta(days=7 + CONTACT_DAYS)
    contact_date = None
    try:
        contact_date = parse_contact_date(row.cells.get("Contact date"))
    except ValueError:
        problems.append((row.refs["Contact date"], "Contact date does not parse as a date (expected YYYY-MM-DD)"))
    if contact_date is not None and not first <= contact_date <= last:
        problems.append(
            (row.refs["Contact date"], f"Contact date outside the four weeks after the report date ({first} to {last})")
        )
    if problems:
        return None, problems
    notes = row.cells.get("Notes")
    return (
        Contact(
            week_start=week,
            student_id=row.student_id,
            contacted=None if values["Contacted"] is None else values["Contacted"] == "Yes",
            contact_date=contact_date,
            contact_method=values["Contact method"],
            outcome=values["Outcome"],
            follow_up_needed=None if values["Follow-up needed"] is None else values["Follow-up needed"] == "Yes",
            notes=(str(notes).strip() or None) if notes is not None else None,
        ),
        [],
    )


def _week_of(landed: LandedFile) -> date:
    name = landed.path.parent.name
    try:
        week = date.fromisoformat(name)
    except ValueError:
        raise FileRejected(f"{landed.rel}: the folder {name} is not a date (YYYY-MM-DD)") from None
    if week.weekday() != 0:
        raise FileRejected(f"{landed.rel}: the folder {name} is not a report week (a Monday)")
    return week


def _school(con: duckdb.DuckDBPyConnection, returned: Returned, landed: LandedFile, week: date) -> str:
    """The report's school: from its About sheet, else from the published file name."""
    schools = [s for (s,) in con.execute(
        "select distinct school from marts.engagement_weekly where week_start = ?", [week]
    ).fetchall()]  # fmt: skip
    if returned.school is not None:
        if returned.school not in schools:
            raise FileRejected(f"{landed.rel}: no Student Engagement Report for {returned.school} in week {week}")
        return returned.school
    named = [s for s, sl in school_slugs(schools).items() if f"{PREFIX}_{sl}_" in landed.path.name]
    if len(named) != 1:
        raise FileRejected(
            f"{landed.rel}: cannot tell which school's report this is (no School on its {'About this report'!r} "
            "sheet and the file name is not a published report's name)"
        )
    return named[0]


def _loader(landed: LandedFile, max_mb: float):
    def load(con: duckdb.DuckDBPyConnection, quarantine: QuarantineLog, outcome: Outcome) -> None:
        week = _week_of(landed)
        in_report: set[str] = set()

        def row_limit(returned: Returned) -> int:
            """Checked from the About sheet before any row is read: the rows the return may have."""
            if returned.week is not None and returned.week != week:
                raise FileRejected(f"{landed.rel}: this is the report of week {returned.week}, returned under {week}")
            school = _school(con, returned, landed, week)
            in_report.update(s for (s,) in con.execute(
                "select student_id from marts.engagement_weekly where week_start = ? and school = ?", [week, school]
            ).fetchall())  # fmt: skip
            return len(in_report) + EXTRA_ROWS

        returned = read_return(landed.path, landed.rel, max_mb, row_limit)
        rows = [row for row in returned.rows if not row.is_empty]
        seen = Counter(row.student_id for row in rows if row.student_id)
        contacts = []
        for row in rows:
            if seen[row.student_id] > 1:
                _quarantine(quarantine, row, row.refs["Student ID"], "student on more than one row of the return")
                continue
            contact, problems = check_row(row, week, in_report)
            for ref, reason in problems:
                _quarantine(quarantine, row, ref, reason)
            if contact is not None:
                contacts.append(contact)
        _store(con, landed.rel, week, contacts)
        outcome.rows_loaded = len(contacts)
        dates = [c.contact_date for c in contacts if c.contact_date]
        outcome.newest_data_date = max(dates) if dates else None

    return load


def _quarantine(quarantine: QuarantineLog, row: ReturnedRow, ref: str, reason: str) -> None:
    """One record per problem cell; the notes are left out of the record (free text is not needed to fix it)."""
    record = {"cell": ref, "student_id": row.student_id, "_source_line": row.line}
    record.update({h: v for h, v in row.cells.items() if h != "Notes"})
    frame = pd.DataFrame([record])
    quarantine.rows(frame, pd.Series(True, index=frame.index), reason, field=ref)


def _store(con: duckdb.DuckDBPyConnection, rel: str, week: date, contacts: list[Contact]) -> None:
    """Replace what this path loaded before, and any earlier return's row for the same week and student."""
    con.execute("delete from marts.contacts where _source_file = ?", [rel])
    if not contacts:
        return
    frame = pd.DataFrame([asdict(c) for c in contacts]).assign(_source_file=rel)
    con.execute(
        "delete from marts.contacts where week_start = ? and student_id in (select unnest(?::varchar[]))",
        [week, frame["student_id"].tolist()],
    )
    con.register("contacts_frame", frame)
    con.execute("insert into marts.contacts by name select * from contacts_frame")
    con.unregister("contacts_frame")
