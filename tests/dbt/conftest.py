"""dbt fixtures: the project is parsed once per session, then invoked in-process on temp warehouses."""

from pathlib import Path

import duckdb
import leap_scenario
import pytest
from leap_dbt import Dbt, assert_success, parse_project

from leap_assets.warehouse.db import initialise


@pytest.fixture(scope="session")
def dbt_manifest(tmp_path_factory: pytest.TempPathFactory):
    """The project parsed once: later invocations skip parsing (seconds each on this machine)."""
    return parse_project(tmp_path_factory.mktemp("dbt_parse"))


@pytest.fixture
def dbt(dbt_manifest, tmp_path: Path) -> Dbt:
    """dbt on an initialised, empty warehouse of the test's own."""
    runner = Dbt(dbt_manifest, tmp_path)
    initialise(runner.warehouse)
    return runner


@pytest.fixture(scope="session")
def scenario_build(dbt_manifest, tmp_path_factory):
    """The hand-worked scenario landed and built once for report week W: (dbt, build result)."""
    dbt = Dbt(dbt_manifest, tmp_path_factory.mktemp("scenario"))
    initialise(dbt.warehouse)
    with duckdb.connect(str(dbt.warehouse)) as con:
        leap_scenario.load(con)
    week = leap_scenario.W.isoformat()
    return dbt, dbt("build", weeks=(week, week))


@pytest.fixture
def scenario(scenario_build, tmp_path: Path) -> Dbt:
    """A private copy of the built scenario warehouse, for tests that run dbt again or change data."""
    dbt, result = scenario_build
    assert_success(result)
    return dbt.copy_to(tmp_path)
