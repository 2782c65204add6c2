"""Terms from SITS `period.tsv`: what "backfill a term" means."""

from datetime import date, timedelta
from pathlib import Path

import duckdb

from leap_assets.landed_terms import landed_terms, matches
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


def check_term_known(landing: Path, warehouse: Path, code: str, year: str) -> None:
    """Raise TermNotFound, before any ingest, when neither a landed period.tsv nor the warehouse has the term.

    term_weeks, after the ingest, stays the authority (a landed file may yet be rejected).
    """
    landed = landed_terms(landing)
    if any(matches(term, code, year) for term in landed) or _in_warehouse(warehouse, code, year):
        return
    known = sorted({f"{term.code} {term.academic_year}" for term in landed})
    hint = f" (landed terms: {', '.join(known[:8])})" if known else ""
    raise TermNotFound(f"no term {code} in academic year {year} in any SITS period.tsv{hint}.")


def _in_warehouse(warehouse: Path, code: str, year: str) -> bool:
    if not warehouse.exists():
        return False
    try:
        with connect(warehouse, read_only=True) as con:
            found = con.execute(
                "select count(*) from raw.sits_period"
                " where period_code = ? and (academic_year = ? or academic_year like ? || '/%')",
                [code, year, year],
            ).fetchone()[0]
    except duckdb.CatalogException:  # no period table yet
        return False
    except duckdb.Error:  # unreadable now: let the ingest and term_weeks decide
        return True
    return bool(found)
