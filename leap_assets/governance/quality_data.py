"""The pipeline's own counts behind the governance board's data-quality report, read for one week.

Everything returned is a count or a date: no names, no ids. Demographic codes are read only to be
counted by group, and student ids are compared inside DuckDB, never returned.
"""

from dataclasses import dataclass, field
from datetime import date

import duckdb
import pandas as pd

from expectations.metrics import Week
from leap_assets.checks import frames

SOURCES = ("sits", "seats", "moodle", "schools")
# Which landed files belong to a report week: by the date in their path (sources.md names).
FILE_DATE = r"(\d{4}-\d{2}-\d{2})"


@dataclass
class SourceLoad:
    """What landed for one source and the week."""

    source: str
    files: int = 0
    files_rejected: list[str] = field(default_factory=list)  # "path: message"
    rows_loaded: int = 0
    rows_quarantined: int = 0
    quarantine_reasons: list[tuple[str, int]] = field(default_factory=list)
    newest_data_date: date | None = None
    files_to_date: int = 0
    incomplete_extracts: list[str] = field(default_factory=list)


def _week_files(source: str, week: Week) -> tuple[str, list]:
    """A predicate on meta.landed_files choosing the source's files that feed the week, by the date in
    their path: Moodle's day files of the week; SEAtS files and SITS extracts produced during the week or
    on its report date; every school list in force."""
    dated = f"try_cast(regexp_extract(path, '{FILE_DATE}', 1) as date)"
    if source == "moodle":
        return f"{dated} between ? and ?", [week.start, week.as_of]
    if source == "schools":
        return "true", []
    return f"{dated} > ? and {dated} <= ?", [week.start, week.report_date]


def source_loads(con: duckdb.DuckDBPyConnection, week: Week, extract: date | None) -> dict[str, SourceLoad]:
    loads = {}
    for source in SOURCES:
        load = SourceLoad(source)
        predicate, params = _week_files(source, week)
        files = con.execute(
            f"""
            select path, status, message, rows_loaded, rows_quarantined from meta.landed_files
            where source = ? and {predicate} order by path
            """,
            [source, *params],
        ).df()
        load.files = len(files)
        load.rows_loaded = int(files["rows_loaded"].sum()) if len(files) else 0
        load.rows_quarantined = int(files["rows_quarantined"].sum()) if len(files) else 0
        rejected = files[files["status"] == "rejected"]
        load.files_rejected = [f"{p}: {m}" for p, m in zip(rejected["path"], rejected["message"], strict=True)]
        load.files_to_date = int(
            con.execute("select count(*) from meta.landed_files where source = ?", [source]).fetchone()[0]
        )
        if len(files):
            reasons = con.execute(
                """
                select reason, count(*) as n from quarantine.rows
                where source = ? and list_contains(?, _source_file) group by reason order by n desc, reason
                """,
                [source, list(files["path"])],
            ).fetchall()
            load.quarantine_reasons = [(str(r), int(n)) for r, n in reasons]
        loads[source] = load
    loads["sits"].newest_data_date = extract
    loads["seats"].newest_data_date = frames.newest(con, "raw.seats_attendance", "start_date", week.as_of)
    loads["moodle"].newest_data_date = frames.newest(con, "raw.moodle_log", "event_date", week.as_of)
    found = con.execute("select max(landed_at) from meta.landed_files where source = 'schools'").fetchone()[0]
    loads["schools"].newest_data_date = pd.Timestamp(found).date() if found is not None else None
    incomplete = con.execute(
        "select extract_date, missing_files, rejected_files from raw.sits_extracts "
        "where not is_complete and extract_date <= ? order by extract_date",
        [week.report_date],
    ).fetchall()
    loads["sits"].incomplete_extracts = [
        f"{d}: missing {m or 'nothing'}; rejected {r or 'nothing'}" for d, m, r in incomplete
    ]
    return loads


def assessment_coverage(con: duckdb.DuckDBPyConnection, week: Week, extract: date | None) -> tuple[int, int]:
    """(students in the week's population, of whom with an assessment record in the snapshot)."""
    if not frames.table_exists(con, frames.MART):
        return 0, 0
    return con.execute(
        f"""
        select count(*), count(*) filter (where exists (
            select 1 from raw.sits_studentassessmentinstance as sai
            where sai.extract_date = ? and sai.student_id = mart.student_id))
        from {frames.MART} as mart where mart.week_start = ?
        """,
        [extract, week.start],
    ).fetchone()


def seats_outside_population(con: duckdb.DuckDBPyConnection, week: Week) -> tuple[int, int]:
    """SEAtS rows of the week that are kept but never counted: (rows of students outside the week's UG
    population, rows of students no SITS extract knows)."""
    table, _ = frames.seats_current(con)
    unknown = "not exists (select 1 from raw.sits_student as k where k.student_id = s.student_id)"
    if not frames.table_exists(con, frames.MART):
        sql = f"select count(*), count(*) filter (where {unknown}) from {table} as s where s.start_date between ? and ?"
        return con.execute(sql, [week.start, week.as_of]).fetchone()
    return con.execute(
        f"""
        select
            count(*) filter (where not exists (
                select 1 from {frames.MART} as m
                where m.week_start = ? and m.level = 'UG' and m.student_id = s.student_id)),
            count(*) filter (where {unknown})
        from {table} as s where s.start_date between ? and ?
        """,
        [week.start, week.start, week.as_of],
    ).fetchone()


def rag_by_school_level(con: duckdb.DuckDBPyConnection, week: Week) -> pd.DataFrame:
    """Students per school, level and combined RAG (columns school, level, combined_rag, students)."""
    if not frames.table_exists(con, frames.MART):
        return pd.DataFrame(columns=["school", "level", "combined_rag", "students"])
    return con.execute(
        f"""
        select school, level, combined_rag, count(*) as students from {frames.MART}
        where week_start = ? group by all order by all
        """,
        [week.start],
    ).df()


def rag_trend(con: duckdb.DuckDBPyConnection, week: Week, first_day: date) -> pd.DataFrame:
    """Students per week, school, level and combined RAG from the term's first week to this one
    (week_start, school, level, combined_rag, students): the trend overall, by school and by level."""
    if not frames.table_exists(con, frames.MART):
        return pd.DataFrame(columns=["week_start", "school", "level", "combined_rag", "students"])
    return con.execute(
        f"""
        select week_start, school, level, combined_rag, count(*) as students from {frames.MART}
        where week_start between ? and ? group by all order by all
        """,
        [first_day, week.start],
    ).df()


def demographics(con: duckdb.DuckDBPyConnection, week: Week) -> pd.DataFrame:
    """One row per student of the week without any id: combined_rag and the snapshot's sex, ethnicity and
    disability codes (for group rates only)."""
    if not frames.table_exists(con, frames.MART):
        return pd.DataFrame(columns=["combined_rag", "sexid", "ethnicity", "difflearn1"])
    return con.execute(
        f"""
        select mart.combined_rag, student.sexid, student.ethnicity, student.difflearn1
        from {frames.MART} as mart
        left join raw.sits_student as student
            on student.extract_date = mart.sits_extract_date and student.student_id = mart.student_id
        where mart.week_start = ?
        """,
        [week.start],
    ).df()
