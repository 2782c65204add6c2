"""Shared fixtures: every test gets its own warehouse and landing zone; nothing touches the work tree."""

import os

# Without it the weekly partitions would start at the first term in ./landing (a demo left there by
# `make demo`), read when the definitions are imported: pinned, every test sees the same weeks.
os.environ.setdefault("LEAP_FIRST_WEEK", "2024-07-29")
# One process per run: pytest-xdist already keeps every core busy, and on a test's few students the
# worker pools of a run (leap_assets/parallel.py) cost more to spawn (about 9 s a run) than they save.
# The crash-safety tests run with 2 workers, so killing a run with its workers stays tested end to end.
os.environ.setdefault("LEAP_WORKERS", "1")

from pathlib import Path

import pytest

from leap_assets.warehouse.db import connect
from tests.support.built_term import build, shared_root

TESTS = Path(__file__).resolve().parent
# The tier of a test follows its folder; a test marked e2e (a whole generated term) is e2e wherever it is.
TIERS = {"unit": "unit", "dbt": "dbt", "integration": "integration", "hostile": "integration"}


# Slowest tier first: with `-n 2 --dist loadscope --no-loadscope-reorder` (make test) the two workers
# start on the long end-to-end tests and the quick ones fill the gaps, instead of one worker ending
# alone on a long test; a module goes to one worker whole, so its module fixture is built once.
RUN_ORDER = ("e2e", "integration", "dbt", "unit")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test with its tier, so `pytest -m "unit or dbt"` (make test-fast) selects by tier,
    and run the slowest tiers first (the order within a tier, and so module fixtures, is kept)."""
    for item in items:
        if item.get_closest_marker("e2e"):
            continue
        folder = Path(item.fspath).resolve().relative_to(TESTS).parts[0]
        tier = TIERS.get(folder)
        if tier is None:
            raise pytest.UsageError(f"{item.nodeid}: tests/{folder} has no tier in tests/conftest.py's TIERS")
        item.add_marker(getattr(pytest.mark, tier))
    items.sort(key=lambda item: next(i for i, tier in enumerate(RUN_ORDER) if item.get_closest_marker(tier)))


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


@pytest.fixture(scope="session")
def built_term(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small term built once per session (tests/support/built_term.py): copy it with `copy_term`
    and change the copy, never the original."""
    return build(shared_root(tmp_path_factory))
