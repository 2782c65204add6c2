"""Opening the DuckDB warehouse: one writer at a time, readers read-only, always closed after use."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from leap_assets.warehouse.schema import ddl


def initialise(path: Path) -> None:
    """Create the warehouse file and its raw, meta and quarantine layers if they do not exist."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(path)) as con:
        for statement in ddl():
            con.execute(statement)


@contextmanager
def connect(path: Path, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    if not read_only:
        initialise(path)
    con = duckdb.connect(str(path), read_only=read_only)
    try:
        con.execute("set TimeZone = 'UTC'")
        yield con
    finally:
        con.close()
