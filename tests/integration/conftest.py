"""Fixtures for tests that drive Dagster and the CLI: an isolated landing zone, warehouse and instance."""

from pathlib import Path

import pytest

from leap_assets.transform.project import ensure_manifest


@pytest.fixture(scope="session", autouse=True)
def dbt_manifest():
    return ensure_manifest()


@pytest.fixture
def leap_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """Point every LEAP setting at a fresh temporary folder."""
    paths = {
        "LEAP_LANDING": tmp_path / "landing",
        "LEAP_WAREHOUSE": tmp_path / "warehouse" / "leap.duckdb",
        "LEAP_PUBLISH": tmp_path / "publish",
        "DAGSTER_HOME": tmp_path / "dagster",
    }
    for name, path in paths.items():
        monkeypatch.setenv(name, str(path))
    paths["LEAP_LANDING"].mkdir()
    return paths
