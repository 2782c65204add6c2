"""The sheet "About this report": the week, its windows and rules, the data it used, counts by RAG,
and the policy reminders. Every sentence here is supportive and non-punitive (governance.md)."""

from datetime import date

from leap_assets.reporting.columns import ABOUT_SHEET, CONTACT_DAYS, DO_NOT_CONTACT, RAG_LABELS, REASON_TEXTS
from leap_assets.reporting.report_data import WeekFacts
from leap_assets.writing.cells import write_value

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
    "Filter any column with the arrows in the header row. Excel does not sort locked cells on a protected "
    "sheet: to sort, choose Review > Unprotect Sheet (there is no password), sort, then protect it again.",
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
        ("heading", "Reasons (the Engagement sheet shows the meaning, the CSV file the code)"),
        ("row", "Code", "Meaning"),
        *[("row", code, meaning) for code, meaning in REASON_TEXTS.items()],
    ]
    return lines


def write_about(book, lines: list[tuple]):
    """The About sheet in an XlsxWriter workbook, protected like the Engagement sheet; returns it."""
    sheet = book.add_worksheet(ABOUT_SHEET)
    for column, width in enumerate((36, 70, 70)):
        sheet.set_column(column, column, width)
    top = {"text_wrap": True, "valign": "top", "align": "left"}
    wrap, bold = book.add_format(top), book.add_format({**top, "bold": True})
    # Not wrapped: a heading runs on into the empty cells beside it.
    title, heading = book.add_format({**top, "bold": True, "font_size": 14}), book.add_format({"bold": True})
    for number, (kind, *cells) in enumerate(lines):
        if kind == "bullet":
            sheet.merge_range(number, 0, number, 1, "", wrap)
            write_value(sheet, number, 0, "• " + cells[0], wrap)
            sheet.set_row(number, 15 * (1 + len(cells[0]) // 95))
            continue
        for col, value in enumerate(cells):
            if kind == "title":
                look = title
            elif kind == "heading":
                look = heading
            elif (kind == "row" and cells[0] in ("Parameter", "Code")) or (kind == "fact" and col == 0):
                look = bold
            else:
                look = wrap
            write_value(sheet, number, col, value, look)
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    sheet.protect()
    return sheet
