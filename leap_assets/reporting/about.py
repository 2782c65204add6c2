"""The sheet "About this report": the week, its windows and rules, the data it used, counts by RAG,
and the policy reminders. Every sentence here is supportive and non-punitive (governance.md)."""

from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from leap_assets.reporting.columns import ABOUT_SHEET, CONTACT_DAYS, DO_NOT_CONTACT, RAG_LABELS
from leap_assets.reporting.report_data import WeekFacts
from leap_assets.writing.cells import put

REMINDERS = [
    "Act on the combined RAG: it brings attendance and online engagement together. A single figure "
    "is a prompt to look more closely, not a judgement.",
    "Support, never punish: this report exists to start supportive conversations about a student's "
    "engagement and wellbeing. Use it only for that.",
    "Document contact: fill in the yellow contact columns (Contacted, Contact date, Contact method, "
    "Outcome, Follow-up needed, Notes) and return the workbook, so the next report shows the last contact.",
    "Discount attendance for online-only students: their attendance figures are shown, but they do "
    "not set their attendance RAG or count towards the combined RAG.",
    f'Respect opt-outs: a row marked "{DO_NOT_CONTACT}" belongs to a student who asked not to be '
    "contacted about their engagement. Only a recorded safeguarding override lifts this, and the row "
    "then says so.",
    "Keep notes brief and factual: students may ask to see what is recorded about them.",
    "This workbook holds personal data about the students listed only: share it only with staff who support them.",
]

REASONS = [
    ("ATTENDANCE_RED / ATTENDANCE_AMBER", "Attendance RAG is red / amber."),
    ("ATTENDANCE_NO_SESSIONS", "No timetabled sessions were expected this week."),
    ("ATTENDANCE_DISCOUNTED_ONLINE_ONLY", "Online-only student: attendance is shown but not counted."),
    ("ATTENDANCE_NOT_COVERED_PG", "Postgraduate: attendance is not recorded in SEAtS."),
    ("VLE_RED / VLE_AMBER", "VLE score is red / amber."),
    ("VLE_NO_ACTIVITY", "No VLE activity on the student's scored modules in the window."),
    ("VLE_NOT_SCORED", "No module set an expectation in the window, so there is no VLE score."),
    ("SUBMISSION_MISSING", "At least one submission due in the window has not been received."),
    ("SUBMISSION_LATE", "At least one submission due in the window arrived after its due date."),
    ("SUBMISSION_RED / SUBMISSION_AMBER", "Submission score is red / amber."),
    ("NO_DATA", "There is not enough data for a combined RAG."),
    ("OPTED_OUT_OF_SUPPORT", "The student has opted out of support contact."),
]


def _date(value: date | None, missing: str = "no data yet") -> str:
    return value.isoformat() if value else missing


def about_lines(facts: WeekFacts, scope: list[tuple[str, str]], counts: dict[str, int]) -> list[tuple]:
    """The About sheet as (kind, cells...) lines; `scope` says whose report it is (school or staff)."""
    lines: list[tuple] = [("title", "Student Engagement Report"), *[("fact", k, v) for k, v in scope]]
    lines += [
        ("fact", "Week", f"{facts.week_start} to {facts.as_of_date} (Monday to Sunday)"),
        ("fact", "Week starting", facts.week_start.isoformat()),
        ("fact", "As-of date", facts.as_of_date.isoformat()),
        ("fact", "Report date", facts.report_date.isoformat()),
        ("fact", "Rule version", facts.rule_version),
        ("blank",),
        ("heading", "Windows (each ends on the as-of date and includes it)"),
    ]
    for label, parameter in [
        ("Attendance", "attendance_window_days"),
        ("VLE (Moodle)", "vle_window_days"),
        ("Submissions", "submission_window_days"),
    ]:
        days, first, last = facts.window(parameter)
        lines.append(("fact", label, f"{days} days: {first} to {last}"))
    lines += [
        ("blank",),
        ("heading", "Newest data used"),
        ("fact", "SITS (student records)", f"extract of {_date(facts.sits_extract_date)}"),
        ("fact", "SEAtS (attendance)", _date(facts.newest_seats)),
        ("fact", "Moodle (VLE)", _date(facts.newest_moodle)),
        ("blank",),
        ("heading", "Students by combined RAG"),
        *[("fact", RAG_LABELS[rag], counts.get(rag, 0)) for rag in RAG_LABELS],
        ("fact", "Total", sum(counts.values())),
        ("blank",),
        ("heading", "Using this report"),
        *[("bullet", text) for text in REMINDERS],
        (
            "bullet",
            f"Contact dates: the report date ({facts.report_date}) or up to {CONTACT_DAYS} days after it.",
        ),
        ("blank",),
        ("heading", "Thresholds (rule configuration)"),
        ("row", "Parameter", "Value", "Meaning"),
        *[("row", *t) for t in facts.thresholds],
        ("blank",),
        ("heading", "Reasons"),
        *[("fact", code, meaning) for code, meaning in REASONS],
    ]
    return lines


def write_about(book: Workbook, lines: list[tuple]) -> None:
    sheet = book.create_sheet(ABOUT_SHEET)
    for column, width in zip("ABC", (36, 70, 70), strict=True):
        sheet.column_dimensions[column].width = width
    wrap = Alignment(wrap_text=True, vertical="top", horizontal="left")
    for number, (kind, *cells) in enumerate(lines, start=1):
        if kind == "bullet":
            sheet.merge_cells(start_row=number, start_column=1, end_row=number, end_column=2)
            put(sheet, number, 1, "• " + cells[0]).alignment = wrap
            sheet.row_dimensions[number].height = 15 * (1 + len(cells[0]) // 95)
            continue
        for col, value in enumerate(cells, start=1):
            cell = put(sheet, number, col, value)
            if kind == "title":
                cell.font = Font(bold=True, size=14)
            elif kind == "heading":
                cell.font = Font(bold=True)  # not wrapped: a heading runs on into the empty cells beside it
                continue
            elif (kind == "row" and cells[0] == "Parameter") or (kind == "fact" and col == 1):
                cell.font = Font(bold=True)
            cell.alignment = wrap
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.protection.sheet = True
