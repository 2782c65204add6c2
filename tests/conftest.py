"""Shared fixtures: every test gets its own warehouse and landing zone; nothing touches the work tree."""

import os

# Without it the weekly partitions would start at the first term in ./landing (a demo left there by
# `make demo`), read when the definitions are imported: pinned, every test sees the same weeks.
os.environ.setdefault("LEAP_FIRST_WEEK", "2024-07-29")

from pathlib import Path

import pytest

from leap_assets.warehouse.db import connect

TESTS = Path(__file__).resolve().parent
# The tier of a test follows its folder; a test marked e2e (a whole generated term) is e2e wherever it is.
TIERS = {"unit": "unit", "dbt": "dbt", "integration": "integration", "hostile": "integration"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test with its tier, so `pytest -m "unit or dbt"` (make test-fast) selects by tier."""
    for item in items:
        if item.get_closest_marker("e2e"):
            continue
        folder = Path(item.fspath).resolve().relative_to(TESTS).parts[0]
        tier = TIERS.get(folder)
        if tier is None:
            raise pytest.UsageError(f"{item.nodeid}: tests/{folder} has no tier in tests/conftest.py's TIERS")
        item.add_marker(getattr(pytest.mark, tier))


@pytest.fixture
def landing(tmp_path: Path) -> Path:
    path = tmp_path / "landing"
    path.mkdir()
    return path


@pytest.fixture
def warehouse(tmp_path: Path) -> Path:
    return tmp_path / "warehouse.duckdb"


@pytest.fixture
def con(warehouse: Path):
    with connect(warehouse) as connection:
        yield connection
