"""Non-punitive wording (governance.md guardrails): no generated workbook or CSV text speaks of
sanctions, visas, discipline or non-compliance."""

import re
from pathlib import Path

import openpyxl
import pytest

from leap_assets.reporting.access import Grant
from leap_assets.reporting.views import write_view
from tests.support.mart_rows import WEEK, execute
from tests.unit.reporting.conftest import publish

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


def test_no_generated_report_view_or_csv_uses_punitive_words(scoped_week, publish_root):
    warehouse, result = scoped_week
    grants = {"9900001": Grant("9900001", "site_explorer", "Board", WEEK)}
    view = write_view(warehouse, publish_root, "9900001", WEEK, grants)
    texts = []
    for path in [*result.files, *view.files]:
        texts += workbook_strings(path) if path.suffix == ".xlsx" else [path.read_text(encoding="utf-8")]
    assert len(texts) > 500
    offending = [t for t in texts if punitive(t)]
    assert offending == []


def test_the_scan_would_catch_a_punitive_word(tmp_path):
    book = openpyxl.Workbook()
    book.active["A1"] = "Risk of Non-Compliance"
    book.save(tmp_path / "bad.xlsx")
    assert any(punitive(t) for t in workbook_strings(tmp_path / "bad.xlsx"))


@pytest.fixture
def scoped_week(mart, publish_root):
    """The sample week published with an opt-out override recorded, so every kind of row is written."""
    execute(mart, "insert into meta.privacy_state values ('00000002', false, true, true, now())")
    return mart, publish(mart, publish_root)
