"""Fixtures for the publishing tests: a temporary warehouse with a few engagement_weekly rows."""

from pathlib import Path

import pytest

from leap_assets.reporting.reports import publish_week
from leap_assets.warehouse.db import connect
from tests.support.mart_rows import ENGINEERING, HEALTH, WEEK, build_warehouse, row


def sample_rows() -> list[dict]:
    """Seven Engineering students covering every RAG (two share a name up to case), two Health students."""
    return [
        row("00000001", last_name="ADAMS", first_name="AL", combined_rag="red"),
        row("00917342", last_name="Zeta", first_name="Ann", combined_rag="green"),
        row("00000002", last_name="adams", first_name="Bea", combined_rag="red", attendance_rag="red",
            attendance_pct_7d=33.333333, reason_codes="ATTENDANCE_RED;SUBMISSION_MISSING", rag_change="worse"),
        row("00000003", last_name="Adams", first_name="al", combined_rag="red", previous_combined_rag=None,
            rag_change="new"),
        row("00000004", last_name="Brown", first_name="Cy", combined_rag="amber", vle_score_14d=74.25, vle_rag="amber"),
        row("00000005", last_name="Adams", first_name="Al", combined_rag="none", attendance_pct_7d=None,
            attendance_rag="none", level="PG", reason_codes="ATTENDANCE_NOT_COVERED_PG;NO_DATA"),
        row("00000006", last_name="Online", first_name="Ola", is_online_only=True, attendance_rag="none",
            is_opted_out=True, reason_codes="ATTENDANCE_DISCOUNTED_ONLINE_ONLY;OPTED_OUT_OF_SUPPORT"),
        row("10000001", school=HEALTH, last_name="Health", first_name="Hal", department="Nursing"),
        row("10000002", school=HEALTH, last_name="Care", first_name="Cat", combined_rag="amber"),
    ]  # fmt: skip


@pytest.fixture
def mart(tmp_path: Path) -> Path:
    """A warehouse holding sample_rows() for WEEK."""
    return build_warehouse(tmp_path / "warehouse.duckdb", sample_rows())


@pytest.fixture
def publish_root(tmp_path: Path) -> Path:
    return tmp_path / "publish"


def publish(warehouse: Path, root: Path, week=WEEK):
    with connect(warehouse, read_only=True) as con:
        return publish_week(con, root, week)


@pytest.fixture
def published(mart: Path, publish_root: Path):
    """The sample week published: (result, Engineering workbook path)."""
    result = publish(mart, publish_root)
    engineering = next(r for r in result.reports if r.school == ENGINEERING)
    return result, engineering.files[0]
