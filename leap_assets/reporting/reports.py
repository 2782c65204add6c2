"""Publishing one week's Student Engagement Reports: a workbook and its CSV twin per school."""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb

from leap_assets.parallel import map_in_pool
from leap_assets.reporting.about import about_lines
from leap_assets.reporting.report_data import WeekFacts, display_values, rag_counts, week_facts, week_records
from leap_assets.reporting.workbook import write_csv, write_workbook
from leap_assets.writing.files import remove_stale, staged
from leap_assets.writing.names import inside, school_slugs

PREFIX = "student-engagement"


@dataclass
class SchoolReport:
    school: str
    slug: str
    rows: int
    rag: dict[str, int]
    files: list[Path]


@dataclass
class WeekPublished:
    week: date
    reports: list[SchoolReport] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)
    held: list[str] = field(default_factory=list)  # schools the quality gate holds this week

    @property
    def files(self) -> list[Path]:
        return [path for report in self.reports for path in report.files]


def report_path(root: Path, week: date, slug: str, suffix: str = ".xlsx") -> Path:
    """publish/<week_start>/<school-slug>/student-engagement_<school-slug>_<week_start>.xlsx"""
    return inside(root, week.isoformat(), slug, f"{PREFIX}_{slug}_{week.isoformat()}{suffix}")


def write_report(
    xlsx: Path,
    rows: list[dict],
    facts: WeekFacts,
    scope: list[tuple[str, str]],
    before_publish: Callable[[], None] | None = None,
) -> list[Path]:
    """The workbook and its CSV twin for these rows, written beside them and renamed into place
    together; `before_publish` runs between the two (a failure there publishes nothing)."""
    values = [display_values(row) for row in rows]
    about = about_lines(facts, scope, rag_counts(rows))
    twin = xlsx.with_suffix(".csv")
    with staged(xlsx, twin) as (book_path, csv_path):
        write_workbook(book_path, values, facts.report_date, about)
        write_csv(csv_path, values)
        if before_publish:
            before_publish()
    return [xlsx, twin]


def publish_week(
    con: duckdb.DuckDBPyConnection, root: Path, week: date, held: frozenset[str] = frozenset()
) -> WeekPublished:
    """Write the report of every school of the week that the quality gate does not hold, then remove
    that week's reports no longer due (a held school's earlier files among them: never serve a hold)."""
    result = WeekPublished(week=week, held=sorted(held))
    facts = week_facts(con, week)
    by_school: dict[str, list[dict]] = defaultdict(list)
    for row in week_records(con, week) if facts else []:
        by_school[row["school"]].append(row)
    slugs = school_slugs(list(by_school))
    schools = sorted(set(by_school) - held)
    for school in schools:
        if any(row["school"] != school for row in by_school[school]):
            raise AssertionError("a school's report must hold only that school's students")
    # Schools are written in the run's worker processes when it has them (leap_assets/parallel.py).
    written = map_in_pool(
        write_report,
        [report_path(root, week, slugs[school]) for school in schools],
        [by_school[school] for school in schools],
        [facts] * len(schools),
        [[("School", school)] for school in schools],
    )
    for school, files in zip(schools, written, strict=True):
        rows = by_school[school]
        result.reports.append(SchoolReport(school, slugs[school], len(rows), rag_counts(rows), files))
    keep = {path.resolve() for path in result.files}
    result.removed = remove_stale(root / week.isoformat(), f"*/{PREFIX}_*_{week.isoformat()}.*", keep)
    return result
