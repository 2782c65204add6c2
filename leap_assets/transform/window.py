"""The report weeks a dbt run builds, handed to dbt through one warehouse row (meta.build_window).

dbt's `--vars` are part of its parse: a new week range made every run re-parse the whole project
(4-7 s). The weekly models read the range from this row at run time instead
(`dbt_project/macros/week_range.sql`); vars, when given (the dbt tests), still win. The row exists only
while a run builds: it is written just before dbt starts and deleted when it ends, so a plain `dbt run`
without vars still fails with a message saying what to pass.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import duckdb

TABLE = "meta.build_window"


def write_window(con: duckdb.DuckDBPyConnection, first: date, last: date) -> None:
    con.execute("create schema if not exists meta")
    con.execute(f"create table if not exists {TABLE} (week_start_from date not null, week_start_to date not null)")
    con.execute("begin transaction")
    con.execute(f"delete from {TABLE}")
    con.execute(f"insert into {TABLE} values (?, ?)", [first, last])
    con.execute("commit")


def clear_window(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(f"drop table if exists {TABLE}")


@contextmanager
def build_window(open_writer, first: date, last: date) -> Iterator[None]:
    """The row for [first, last] while the block runs; `open_writer()` opens the warehouse to write."""
    with open_writer() as con:
        write_window(con, first, last)
    try:
        yield
    finally:
        with open_writer() as con:
            clear_window(con)
