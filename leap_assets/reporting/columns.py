"""The Student Engagement Report's columns and drop-down lists (outputs.md): one place for the
workbook, its CSV twin and the reading of returned workbooks."""

from openpyxl.utils import get_column_letter

from leap_assets.contracts import CONTACT_HEADERS

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
CONTACT = list(CONTACT_HEADERS)  # what a return must carry back: leap_assets/contracts.py
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

DO_NOT_CONTACT = "Do not contact: opted out"
OVERRIDE = "Opted out; safeguarding override recorded: contact allowed"


def letter(header: str) -> str:
    """The column letter of a header in a freshly published report (`Contacted` -> `W`)."""
    return get_column_letter(HEADERS.index(header) + 1)
