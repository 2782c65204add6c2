"""Rectification overrides: recorded here, applied by the staging models on top of landed rows.

The landed data stays as it was delivered; staging replaces the named field of the named row in every
run (and backfill) from then on, and carries the request id beside it (`rectified_by`).
"""

from datetime import UTC, datetime

import duckdb

from leap_assets.privacy.requests import Request, rectification
from leap_assets.warehouse.schema import RAW_TABLES

# Fields that can be rectified per target: not keys, lineage or what decides the row's week and file.
FIXED = {"student_id", "event_id", "assess_instance_id", "assess_seq_id", "extract_date", "file_date"}
FIXED_SEATS = {"start_time", "start_date", "end_time"}


def rectifiable(table: str) -> dict[str, str]:
    """Column -> SQL type of the fields a rectification may change in a raw table."""
    fixed = FIXED | (FIXED_SEATS if table == "seats_attendance" else set())
    return {name: kind.split()[0] for name, kind in RAW_TABLES[table] if name not in fixed and not name.startswith("_")}


def record_override(con: duckdb.DuckDBPyConnection, request: Request) -> tuple[str | None, str]:
    """(why refused, or None; one-line summary). Refuses unknown fields, bad values and rows not held."""
    override = rectification(request)
    fields = rectifiable(override.table)
    if override.field not in fields:
        allowed = ", ".join(name.upper() for name in fields)
        return f"{override.field.upper()} cannot be rectified in {override.target} (allowed: {allowed})", ""
    kind = fields[override.field]
    if override.value is not None:
        cast = con.execute(f"select try_cast(? as {kind})", [override.value]).fetchone()[0]
        if cast is None:
            return f"{override.value!r} is not a valid {kind} for {override.field.upper()}", ""
    condition = " and ".join(f"{column} = ?" for column in override.key)
    held = con.execute(
        f"select count(*) from raw.{override.table} where {condition}", list(override.key.values())
    ).fetchone()[0]
    if not held:
        return f"no {override.target} row {override.row_key} is held", ""
    con.execute(
        "insert into meta.rectifications values (?, ?, ?, ?, ?, ?, ?)",
        [
            request.request_id,
            request.student_id,
            override.target,
            override.row_key,
            override.field,
            override.value,
            datetime.now(UTC),
        ],
    )
    return None, f"{override.target} {override.field.upper()} overridden in every run from now on"
