"""The end of `leap demo`: the contact loop shown on synthetic people, and where to look next.

Before the demo builds its last week it lands what a school and a student would send back: one
returned report (a staff member's contact with a red student of the week before) and one opt-out
privacy request (another student of that report). The last week's report then shows the contact
under "Last contact" and the opted-out student's row as "Do not contact". Both are written once: a
re-run of the demo finds them landed and leaves them alone, so they load once.
"""

import csv
import io
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from leap_assets.permissions import private_file, private_folder
from leap_assets.settings import settings
from leap_assets.writing.files import atomic_write

REQUEST_ID = "DEMO-OPT-OUT-1"
REQUEST_HEADER = ["REQUEST_ID", "STUDENT_ID", "TYPE", "RECEIVED_DATE", "DETAILS", "APPROVED_BY"]


@dataclass
class Feedback:
    week: date  # the report week the return belongs to
    school_folder: str  # the school's folder (slug) under publish/<week>/
    returned: Path
    requests: Path
    new: bool = True  # False when an earlier run of the demo landed them


def land_feedback(week: date, last_week: date) -> Feedback | None:
    """Land a returned report of `week` with one contact, and one opt-out request, about two students who
    will still be in the report of `last_week`; None when no published report of `week` has two."""
    from openpyxl import load_workbook

    from leap_assets.reporting.columns import SHEET

    config = settings()
    reports = sorted((config.publish / week.isoformat()).glob(f"*/student-engagement_*_{week.isoformat()}.xlsx"))
    requests = config.landing / "privacy" / "requests.csv"
    for report in reports:  # landed by an earlier run of the demo: left alone
        landed = config.landing / "returns" / week.isoformat() / report.name
        if landed.exists():
            return Feedback(week, report.parent.name, landed, requests, new=False)
    staying = _staying(last_week)
    for report in reports:
        target = config.landing / "returns" / week.isoformat() / report.name
        book = load_workbook(report)
        sheet = book[SHEET]
        column = {cell.value: cell.column for cell in sheet[1]}
        rows = [row for row in range(2, sheet.max_row + 1) if _student(sheet, row, column) in staying]
        # Red students first: they are the ones a tutor contacts.
        rows.sort(key=lambda row: _rag_rank(sheet.cell(row, column["Combined RAG"]).value))
        if len(rows) < 2:
            continue
        contacted, opting_out = rows[0], rows[1]
        report_date = week + timedelta(days=7)
        for header, value in {
            "Contacted": "Yes",
            "Contact date": report_date + timedelta(days=1),
            "Contact method": "Email",
            "Outcome": "Support offered",
            "Follow-up needed": "Yes",
            "Notes": "Demo: a tutor e-mailed to offer support (synthetic)",
        }.items():
            sheet.cell(contacted, column[header]).value = value
        # The opt-out first: the returned report, renamed into place last, marks both as landed.
        requests = _add_opt_out(config.landing, _student(sheet, opting_out, column), report_date + timedelta(days=1))
        atomic_write(target, book.save)
        return Feedback(week, report.parent.name, target, requests)
    return None


def _student(sheet, row: int, column: dict) -> str:
    return str(sheet.cell(row, column["Student ID"]).value or "")


def _rag_rank(value) -> int:
    text = str(value or "").casefold()
    return next((rank for rank, rag in enumerate(("red", "amber", "green")) if text.startswith(rag)), 3)


def _staying(last_week: date) -> set[str]:
    """Students whose course membership in the newest SITS extract still runs in `last_week` (a student
    who withdrew would not be in its report to show the contact or the opt-out)."""
    from leap_assets.warehouse.db import connect

    with connect(settings().warehouse, read_only=True) as con:
        rows = con.execute(
            """
            select distinct student_id from raw.sits_studentcoursemembership
            where extract_date = (select max(extract_date) from raw.sits_studentcoursemembership)
              and course_join_date <= ?
              and (course_end_date >= ? or (course_end_date is null and active_membership = 1))
            """,
            [last_week, last_week],
        ).fetchall()
    return {str(student) for (student,) in rows}


def _add_opt_out(landing: Path, student: str, received: date) -> Path:
    """Append the demo's opt-out to landing/privacy/requests.csv (created with its header if missing)."""
    path = landing / "privacy" / "requests.csv"
    private_folder(path.parent)
    text = path.read_text(encoding="utf-8-sig") if path.exists() else ""
    if REQUEST_ID in text:
        return path
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    if not text:
        writer.writerow(REQUEST_HEADER)
    elif not text.endswith("\n"):
        out.write("\r\n")
    details = "Demo: the student asked not to be contacted about their engagement (synthetic)"
    writer.writerow([REQUEST_ID, student, "opt_out", received.isoformat(), details, ""])
    with path.open("a", encoding="utf-8", newline="") as handle:
        handle.write(out.getvalue())
    private_file(path)
    return path


def ending(week: date, feedback: Feedback | None) -> str:
    """Where the outputs of the demo's last week are, the data-quality verdict per source, and the UI."""
    from leap_assets.published import DOCS, report_path

    publish = settings().publish
    quality = report_path(publish, week)
    lines = ["", f"Where to look (the week of {week}):"]
    lines.append(f"  governance report   {quality}")
    lines.append(f"  Data Docs           {quality.parent / DOCS / 'index.html'}")
    lines.append(f"  transparency page   {publish / 'transparency.html'}")
    workbook = _example_workbook(publish, week, feedback)
    if workbook:
        lines.append(f"  example workbook    {workbook}")
    if feedback:
        lines.append(
            f'  returned report     {feedback.returned} (one contact, under "Last contact" in the example workbook)'
        )
        lines.append(f'  privacy request     {feedback.requests} (one opt-out: that row reads "Do not contact")')
    verdicts = _verdicts(week)
    if verdicts:
        width = max(len(source) for source, _ in verdicts) + 2
        lines.append("Data quality of the week, verdict per source:")
        lines += [f"  {source:<{width}}{label}" for source, label in verdicts]
    lines.append("The Dagster UI (runs, assets, checks, sensors): make dev, then http://127.0.0.1:3000")
    return "\n".join(lines)


def _example_workbook(publish: Path, week: date, feedback: Feedback | None) -> Path | None:
    """The last week's workbook of the school whose return was landed, else the first published one."""
    found = sorted((publish / week.isoformat()).glob(f"*/student-engagement_*_{week.isoformat()}.xlsx"))
    chosen = [path for path in found if feedback and path.parent.name == feedback.school_folder]
    return (chosen or found or [None])[0]


def _verdicts(week: date) -> list[tuple[str, str]]:
    """(source, verdict) as the week's data-quality report gives them; [] when nothing was checked."""
    from leap_assets.checks.weekly import blocking_suites
    from leap_assets.governance.quality_report import SOURCE_NAMES
    from leap_assets.governance.review_data import AcademicYear, quality_verdicts
    from leap_assets.quality.settings import load_quality_settings
    from leap_assets.warehouse.db import connect

    academic = AcademicYear(week.year if week.month >= 8 else week.year - 1)
    with connect(settings().warehouse, read_only=True) as con:
        found = quality_verdicts(con, academic, SOURCE_NAMES, blocking_suites(load_quality_settings()))
    return [(SOURCE_NAMES.get(source, source), verdict.label) for source, verdict in found.get(week, {}).items()]
