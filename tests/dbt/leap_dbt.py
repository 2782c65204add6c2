"""Running the dbt project in-process against a test warehouse, with a manifest parsed once.

Each warehouse file is named warehouse.duckdb: dbt-duckdb names the catalog after the file stem
and the parsed manifest records it, so every test warehouse must share that name.
"""

import json
import shutil
from pathlib import Path

import duckdb
import pytest
from dbt.cli.main import dbtRunner, dbtRunnerResult

from leap_assets.transform.inprocess import close_duckdb, uncompiled

PROJECT_DIR = Path(__file__).resolve().parents[2] / "dbt_project"
WAREHOUSE_FILE = "warehouse.duckdb"


class Dbt:
    """dbt commands against one warehouse, with a private target folder and the session's manifest."""

    def __init__(self, manifest, folder: Path):
        self.manifest = manifest
        self.folder = folder
        self.warehouse = folder / WAREHOUSE_FILE

    def __call__(self, *args: str, weeks: tuple[str, str] | None = None) -> dbtRunnerResult:
        argv = [
            *args,
            "--project-dir", str(PROJECT_DIR),
            "--profiles-dir", str(PROJECT_DIR),
            "--target-path", str(self.folder / "target"),
            "--log-path", str(self.folder / "logs"),
            "--quiet",
        ]  # fmt: skip
        if weeks:
            argv += ["--vars", json.dumps({"week_start_from": weeks[0], "week_start_to": weeks[1]})]
        # The profile reads LEAP_WAREHOUSE: set it for this invocation only, never for other tests.
        with pytest.MonkeyPatch.context() as monkeypatch:
            monkeypatch.setenv("LEAP_WAREHOUSE", str(self.warehouse))
            result = dbtRunner(manifest=uncompiled(self.manifest)).invoke(argv)
        close_duckdb()
        return result

    def rows(self, sql: str) -> list[tuple]:
        with duckdb.connect(str(self.warehouse), read_only=True) as con:
            return con.execute(sql).fetchall()

    def mart(self, week_start: str | None = None) -> list[dict]:
        """engagement_weekly as dicts, ordered by week and student (one week when given)."""
        where = f"where week_start = date '{week_start}'" if week_start else ""
        with duckdb.connect(str(self.warehouse), read_only=True) as con:
            cursor = con.execute(f"select * from marts.engagement_weekly {where} order by week_start, student_id")
            names = [column[0] for column in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def copy_to(self, folder: Path) -> "Dbt":
        """The same warehouse, copied into another folder (tests that change it work on a copy)."""
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copy(self.warehouse, folder / WAREHOUSE_FILE)
        return Dbt(self.manifest, folder)


def assert_success(result: dbtRunnerResult) -> None:
    failures = [
        f"{r.node.unique_id}: {r.status} {r.message}"
        for r in (result.result or [])
        if str(r.status) not in ("success", "pass")
    ]
    assert result.success, failures or result.exception


def parse_project(folder: Path):
    """Parse the project once (no vars needed): later invocations reuse the manifest."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv("LEAP_WAREHOUSE", str(folder / WAREHOUSE_FILE))
        result = dbtRunner().invoke([
            "parse",
            "--project-dir", str(PROJECT_DIR),
            "--profiles-dir", str(PROJECT_DIR),
            "--target-path", str(folder / "target"),
            "--log-path", str(folder / "logs"),
            "--quiet",
        ])  # fmt: skip
    assert result.success, result.exception
    return result.result
