"""Non-punitive wording (governance.md guardrails): no generated workbook or CSV text speaks of
sanctions, visas, discipline or non-compliance."""

import openpyxl
import pytest

from leap_assets.reporting.access import Grant
from leap_assets.reporting.views import write_view
from tests.support.mart_rows import WEEK, execute
from tests.support.published_reports import publish
from tests.support.wording import punitive, workbook_strings


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
