"""Terms from SITS `period.tsv`: what "backfill a term" means."""

from datetime import date, timedelta
from pathlib import Path

from leap_assets.partitions import monday_of
from leap_assets.warehouse.db import connect


class TermNotFound(Exception):
    pass


def term_weeks(warehouse: Path, code: str, year: str) -> list[date]:
    """Report weeks overlapping the term (newest extract's period row), oldest first.

    `year` matches ACADEMIC_YEAR exactly or as its first year (`2026` matches `2026/27`).
    """
    if not warehouse.exists():
        raise TermNotFound(f"the warehouse {warehouse} does not exist yet: run `leap ingest` first.")
    with connect(warehouse, read_only=True) as con:
        row = con.execute(
            """
            select period_start_date, period_end_date
            from raw.sits_period
            where period_code = ? and (academic_year = ? or academic_year like ? || '/%')
            order by extract_date desc
            limit 1
            """,
            [code, year, year],
        ).fetchone()
    if row is None:
        raise TermNotFound(f"no term {code} in academic year {year} in any SITS period.tsv.")
    start, end = row
    first = monday_of(start)
    return [first + timedelta(days=7 * i) for i in range((monday_of(end) - first).days // 7 + 1)]
