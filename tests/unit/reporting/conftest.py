"""The reporting tests' mart and publish folder (tests/support/published_reports.py)."""

from tests.support.published_reports import mart, publish_root, published  # noqa: F401 (fixtures)
