"""Terms as the landed SITS `period.tsv` files list them, read without the warehouse.

Cheap and forgiving on purpose: it runs before any ingest (to reject an unknown term at once) and when
the code location loads (to start the weekly partitions at the first term), so a file it cannot read
is skipped, never an error; ingestion validates the files properly.
"""

import csv
from dataclasses import dataclass
from datetime import date
from pathlib import Path


@dataclass(frozen=True)
class LandedTerm:
    code: str
    academic_year: str
    start: date


def landed_terms(landing: Path) -> list[LandedTerm]:
    """Every readable term row of `landing/sits/<YYYY-MM-DD>/period.tsv`, in no particular order."""
    terms = []
    for path in sorted((landing / "sits").glob("*/period.tsv")):
        try:
            with path.open(encoding="utf-8-sig", newline="") as handle:
                for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
                    term = _term(row)
                    if term:
                        terms.append(term)
        except (OSError, UnicodeDecodeError, csv.Error):
            continue
    return terms


def _term(row: dict) -> LandedTerm | None:
    code, year = (row.get("PERIOD_CODE") or "").strip(), (row.get("ACADEMIC_YEAR") or "").strip()
    try:
        start = date.fromisoformat((row.get("PERIOD_START_DATE") or "").strip())
    except ValueError:
        return None
    return LandedTerm(code, year, start) if code and year else None


def matches(term: LandedTerm, code: str, year: str) -> bool:
    """`year` matches ACADEMIC_YEAR exactly or as its first year (`2026` matches `2026/27`), as term_weeks does."""
    return term.code == code and (term.academic_year == year or term.academic_year.startswith(f"{year}/"))
