"""Where the board's weekly page lives in the publish folder, for every room that links to it (the
quality report writes it; scoped views, `leap status` and the demo point at it)."""

from datetime import date
from pathlib import Path

REPORT = "data-quality.html"
DOCS = "data-docs"


def report_path(publish: Path, week: date) -> Path:
    """publish/<week_start>/governance/data-quality.html"""
    return publish / week.isoformat() / "governance" / REPORT


def docs_folder(publish: Path, week: date) -> Path:
    """The week's Great Expectations Data Docs, beside its governance page."""
    return report_path(publish, week).parent / DOCS
