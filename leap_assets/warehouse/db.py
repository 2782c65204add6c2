"""Opening the DuckDB warehouse: one writer at a time, readers read-only, always closed after use.

DuckDB lets one process open the file while another writes it only by failing: runs take turns
through the Dagster `warehouse` pool, and whatever opens the file outside a run (`leap status`, the
CLI between its runs, a sensor) waits up to LEAP_LOCK_WAIT seconds (default 30; the CLI waits 1800)
for the other process to close it instead of failing at once.
"""

import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from leap_assets.permissions import private_file, private_folder
from leap_assets.settings import settings
from leap_assets.warehouse.schema import ddl

# The Dagster pool of every asset and check that touches the warehouse: the instance gives it one slot.
WAREHOUSE_POOL = "warehouse"


def _open(path: Path, read_only: bool, config: dict[str, str] | None = None) -> duckdb.DuckDBPyConnection:
    """duckdb.connect, retried while another process holds the file's lock."""
    deadline = time.monotonic() + settings().lock_wait_seconds
    pause = 0.05
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only, config=config or {})
        except duckdb.IOException as error:
            if "lock" not in str(error).lower() or time.monotonic() + pause > deadline:
                raise
        time.sleep(pause)
        pause = min(pause * 2, 1.0)


def initialise(path: Path) -> None:
    """Create the warehouse file and its raw, meta and quarantine layers if they do not exist.

    The file holds personal data: its folder and the file are the owner's only (operations.md)."""
    private_folder(path.parent)
    with _open(path, read_only=False) as con:
        for statement in ddl():
            con.execute(statement)
    private_file(path)


@contextmanager
def connect(
    path: Path, read_only: bool = False, memory_limit: str | None = None
) -> Iterator[duckdb.DuckDBPyConnection]:
    """The warehouse, open for the block. With `memory_limit` (DuckDB's own default is 80% of the
    machine) DuckDB spills beyond it into a folder of this process's own beside the warehouse
    (DuckDB's default folder would be shared by every process reading the file), removed on close."""
    if not read_only:
        initialise(path)
    spill = path.parent / f".spill-{os.getpid()}" if memory_limit else None
    config = {"memory_limit": memory_limit, "temp_directory": str(spill)} if memory_limit else None
    con = _open(path, read_only, config)
    try:
        con.execute("set TimeZone = 'UTC'")
        yield con
    finally:
        con.close()
        if spill is not None:
            shutil.rmtree(spill, ignore_errors=True)


def compact(con: duckdb.DuckDBPyConnection, warehouse: Path) -> None:
    """Rewrite the warehouse into a fresh file and put it in place of the old one.

    The copy is made while `con` still holds the writer's lock, and swapped in with an atomic rename
    before the lock is released, so no other writer can slip a change into the old file; a process
    that opens the path after the rename gets the new file (closing `con` later touches neither it nor
    its WAL). A crash leaves the old file whole (and a partial copy that the next compaction replaces).
    """
    fresh = warehouse.with_name(f".{warehouse.name}.compacting")
    for leftover in (fresh, fresh.with_name(fresh.name + ".wal")):
        leftover.unlink(missing_ok=True)
    (name,) = con.execute("select current_database()").fetchone()
    con.execute(f"attach {_sql_text(str(fresh))} as leap_compacted")
    try:
        con.execute(f"copy from database {_sql_name(name)} to leap_compacted")
    finally:
        con.execute("detach leap_compacted")
    private_file(fresh)
    os.replace(fresh, warehouse)


# DuckDB takes neither a path nor a database name as a bound parameter here: they are quoted, so a
# `'` or `"` in the warehouse's file name (its database name) is part of the name, never SQL.
def _sql_text(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _sql_name(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
