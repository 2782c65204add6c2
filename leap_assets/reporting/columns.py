"""The Student Engagement Report's columns and drop-down lists (outputs.md): one place for the
workbook, its CSV twin and the reading of returned workbooks."""

from openpyxl.utils import get_column_letter

from leap_assets.sources.contracts import CONTACT_HEADERS

SHEET = "Engagement"
ABOUT_SHEET = "About this report"

STUDENT = ["Student ID", "Last name", "First name", "Department", "Course", "Level", "Online only"]
FIGURES = [
    "Attendance % (7 days)",
    "Attendance RAG",
    "VLE score (14 days)",
    "VLE active days",
    "Submissions due",
    "Submissions on time",
    "Submissions late",
    "Submissions missing",
    "Online RAG",
    "Combined RAG",
    "Previous week",
    "Change",
    "Reasons",
    "Opted out of support",
    "Last contact",
]
CONTACT = list(CONTACT_HEADERS)  # what a return must carry back: leap_assets/sources/contracts.py
HEADERS = [*STUDENT, *FIGURES, *CONTACT]

# Headers whose cells hold a RAG status, filled and spelled out.
RAG_HEADERS = ["Attendance RAG", "Online RAG", "Combined RAG", "Previous week"]
SCORE_HEADERS = ["Attendance % (7 days)", "VLE score (14 days)"]
DATE_HEADERS = ["Last contact", "Contact date"]

YES_NO = ["Yes", "No"]
METHODS = ["Email", "Phone", "In person", "Online meeting", "Other"]
OUTCOMES = ["Support offered", "Referred to support service", "Student declined", "No response", "Other"]
CHOICES = {"Contacted": YES_NO, "Contact method": METHODS, "Outcome": OUTCOMES, "Follow-up needed": YES_NO}

# A contact date must fall within this many days after the report date (inclusive).
CONTACT_DAYS = 28

RAG_LABELS = {"red": "Red", "amber": "Amber", "green": "Green", "none": "No data"}
RAG_ORDER = {"red": 0, "amber": 1, "green": 2, "none": 3}
CHANGE_LABELS = {"worse": "Worse", "better": "Better", "same": "Same", "new": "New"}

# The reason codes of engagement-rules.md in plain English: the workbook's Reasons column shows these
# texts, the CSV twin keeps the codes for machines, the About sheet lists both.
REASON_TEXTS = {
    "ATTENDANCE_RED": "Attendance is red.",
    "ATTENDANCE_AMBER": "Attendance is amber.",
    "ATTENDANCE_NO_SESSIONS": "No timetabled sessions were expected in the attendance window.",
    "ATTENDANCE_DISCOUNTED_ONLINE_ONLY": "Online-only student: attendance is shown but not counted.",
    "ATTENDANCE_NOT_COVERED_PG": "Postgraduate: attendance is not recorded in SEAtS.",
    "VLE_RED": "Online (VLE) engagement is red.",
    "VLE_AMBER": "Online (VLE) engagement is amber.",
    "VLE_NO_ACTIVITY": "No VLE activity on the student's scored modules in the VLE window.",
    "VLE_NOT_SCORED": "No module set a VLE expectation in the window, so there is no VLE score.",
    "SUBMISSION_MISSING": "At least one submission due in the window has not been received.",
    "SUBMISSION_LATE": "At least one submission due in the window arrived after its due date.",
    "SUBMISSION_RED": "Submissions are red.",
    "SUBMISSION_AMBER": "Submissions are amber.",
    "NO_DATA": "There is not enough data for a combined RAG.",
    "OPTED_OUT_OF_SUPPORT": "The student has opted out of support contact.",
}

DO_NOT_CONTACT = "Do not contact: opted out"
OVERRIDE = "Opted out; safeguarding override recorded: contact allowed"


def reason_text(codes: str | None) -> str:
    """The Reasons cell of the workbook: one plain-English line per code of the CSV twin's `A; B` (an
    unknown code is shown as it is)."""
    found = [code.strip() for code in (codes or "").split(";") if code.strip()]
    return "\n".join(REASON_TEXTS.get(code, code) for code in found)


def letter(header: str) -> str:
    """The column letter of a header in a freshly published report (`Contacted` -> `W`)."""
    return get_column_letter(HEADERS.index(header) + 1)
