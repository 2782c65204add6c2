"""Non-punitive wording (governance.md guardrails): the words a generated text must not use, and every
string a workbook carries, for the scans of tests/unit/reporting/test_wording.py and
tests/integration/test_guardrails.py."""

import re
from pathlib import Path

import openpyxl

# Words that cast engagement as enforcement (also scanned over a whole published term by
# tests/integration/test_guardrails.py). The policy reminder itself is allowed: "support, never punish"
# (About sheet), "never used to punish" (transparency page), "never to punish" (source registry).
BANNED = re.compile(
    r"\b(sanction\w*|visas?|disciplin\w*|non-?complian\w*|punish\w*|penalt\w*|penalis\w*|penaliz\w*"
    r"|misconduct|expel\w*|expulsion|ukvi|immigration|home office)\b",
    re.IGNORECASE,
)
ALLOWED = re.compile(r"\bnever (?:used )?(?:to )?punish\b", re.IGNORECASE)


def punitive(text: str) -> list[str]:
    """The punitive words in `text`, outside the allowed policy reminder."""
    return [match.group(0) for match in BANNED.finditer(ALLOWED.sub("", text))]


def workbook_strings(path: Path) -> list[str]:
    """Every string the workbook carries: cells, drop-down texts, titles, headers, properties."""
    book = openpyxl.load_workbook(path)
    found = [book.properties.title or "", book.properties.creator or ""]
    for sheet in book.worksheets:
        found.append(sheet.title)
        found += [str(c.value) for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
        for rule in sheet.data_validations.dataValidation:
            found += [t or "" for t in (rule.formula1, rule.formula2, rule.error, rule.errorTitle, rule.prompt)]
            found.append(rule.promptTitle or "")
    return found
