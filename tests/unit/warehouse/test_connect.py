"""Opening the warehouse with a memory limit: DuckDB keeps to it, spills into a folder of the process's
own beside the warehouse (never the folder other processes reading the file would share), and the
folder is gone when the connection closes."""

import multiprocessing
import os
from pathlib import Path

import duckdb

from leap_assets.governance.quality_report import CHECK_MEMORY, _TakingTurns
from leap_assets.resources import LeapPaths
from leap_assets.warehouse.db import connect, initialise

# 3 M wide rows held in a temporary table need far more than 16 MB: DuckDB must spill them.
SPILLING = "create temp table wide as select i, repeat('x', 40) || i as padded from range(3000000) t(i)"


def test_a_limited_reader_spills_into_its_own_folder_beside_the_warehouse_and_removes_it(tmp_path: Path):
    warehouse = tmp_path / "w.duckdb"
    initialise(warehouse)
    with connect(warehouse, read_only=True, memory_limit="16MB") as con:
        limit, folder = con.execute(
            "select current_setting('memory_limit'), current_setting('temp_directory')"
        ).fetchone()
        assert limit == "15.2 MiB"
        assert Path(folder) == tmp_path / f".spill-{os.getpid()}"
        con.execute(SPILLING)
        assert con.execute("select count(*) from wide").fetchone()[0] == 3_000_000
        spilled = con.execute("select coalesce(sum(size), 0) from duckdb_temporary_files()").fetchone()[0]
        assert spilled > 0 and any(Path(folder).iterdir())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["w.duckdb"]


def test_an_unlimited_connection_keeps_duckdb_s_defaults(tmp_path: Path):
    warehouse = tmp_path / "w.duckdb"
    with connect(warehouse) as con:
        folder = con.execute("select current_setting('temp_directory')").fetchone()[0]
    assert Path(folder) == Path(f"{warehouse}.tmp")
    with duckdb.connect(str(warehouse), read_only=True) as con:
        default = con.execute("select current_setting('memory_limit')").fetchone()[0]
    with connect(warehouse, read_only=True) as con:
        assert con.execute("select current_setting('memory_limit')").fetchone()[0] == default


def test_the_weeks_checks_read_within_their_limit_in_a_worker_too(tmp_path: Path):
    # In LEAP_WORKERS processes the checks read through the workers' turn-taking wrapper.
    warehouse = tmp_path / "w.duckdb"
    initialise(warehouse)
    for paths in (
        LeapPaths(warehouse=str(warehouse)),
        _TakingTurns(LeapPaths(warehouse=str(warehouse)), multiprocessing.Lock()),
    ):
        with paths.read(memory_limit=CHECK_MEMORY) as con:
            assert (
                con.execute("select current_setting('temp_directory')").fetchone()[0].endswith(f".spill-{os.getpid()}")
            )
