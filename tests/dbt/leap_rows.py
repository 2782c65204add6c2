"""Inserting raw and meta rows into a test warehouse by column name, filling lineage columns."""

from collections.abc import Iterable, Mapping
from typing import Any

import duckdb

LINEAGE_DEFAULTS = {"_source_file": "test.tsv", "_source_line": 2}


def insert(con: duckdb.DuckDBPyConnection, table: str, rows: Iterable[Mapping[str, Any]]) -> int:
    """Insert dict rows into `schema.table`; lineage columns default unless given. Returns the count."""
    table_columns = [
        name
        for (name,) in con.execute(
            "select column_name from information_schema.columns "
            "where table_schema || '.' || table_name = ? order by ordinal_position",
            [table],
        ).fetchall()
    ]
    count = 0
    for line, row in enumerate(rows, start=2):
        values = {**LINEAGE_DEFAULTS, "_source_line": line, **row}
        names = [name for name in values if name in table_columns]
        unknown = set(values) - set(table_columns) - set(LINEAGE_DEFAULTS)
        if unknown:
            raise KeyError(f"{table} has no column(s) {sorted(unknown)}")
        placeholders = ", ".join("?" for _ in names)
        con.execute(
            f"insert into {table} ({', '.join(names)}) values ({placeholders})",
            [values[name] for name in names],
        )
        count += 1
    return count
