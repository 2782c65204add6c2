"""A small generated university landed into a warehouse (no dbt), with rows in every layer."""

import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import pytest

from leap_assets.ingestion import moodle, schools, seats, sits
from leap_assets.synthetic import generate
from leap_assets.warehouse.db import connect


@dataclass
class University:
    landing: Path
    original: Path  # a copy of the landing zone as first delivered
    warehouse: Path
    publish: Path
    student: str  # has SITS, SEAtS, Moodle and assessment rows
    email: str
    moodle_id: str
    other: str  # another student, for what must stay


@pytest.fixture(scope="module")
def delivered(tmp_path_factory) -> Path:
    landing = tmp_path_factory.mktemp("delivered") / "landing"
    generate(landing, students=30, weeks=1, start=date(2026, 10, 12), seed=5)
    return landing


@pytest.fixture
def university(delivered: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> University:
    landing, original = tmp_path / "landing", tmp_path / "original"
    shutil.copytree(delivered, landing)
    shutil.copytree(delivered, original)
    warehouse, publish = tmp_path / "warehouse" / "leap.duckdb", tmp_path / "publish"
    monkeypatch.setenv("LEAP_WAREHOUSE", str(warehouse))
    monkeypatch.delenv("LEAP_PRIVACY_DIR", raising=False)
    with connect(warehouse) as con:
        for source in (sits, seats, moodle, schools):
            source.ingest(con, landing, "Europe/London")
        student, email, moodle_id = con.execute(
            """
            select s.student_id, s.primary_email_address, m.identifier
            from raw.sits_student s
            join raw.sits_studentidmap m on m.student_id = s.student_id and m.domain = 'VLE'
            where exists (select 1 from raw.moodle_log l where l.userid = m.identifier)
              and exists (select 1 from raw.seats_attendance a where a.student_id = s.student_id)
              and exists (select 1 from raw.sits_studentassessmentinstance a where a.student_id = s.student_id)
            order by 1 limit 1
            """
        ).fetchone()
        other = con.execute("select min(student_id) from raw.sits_student where student_id != ?", [student]).fetchone()[
            0
        ]
        _every_layer(con, student, other)
    _published(publish, student, other)
    return University(landing, original, warehouse, publish, student, email, moodle_id, other)


def _every_layer(con: duckdb.DuckDBPyConnection, student: str, other: str) -> None:
    con.execute(
        "create table marts.engagement_weekly as select date '2026-10-12' as week_start, ? as student_id", [student]
    )
    con.execute("insert into marts.engagement_weekly values (date '2026-10-12', ?)", [other])
    con.execute(
        "insert into marts.contacts values (date '2026-10-12', ?, true, date '2026-10-20', 'Email', 'Other',"
        " false, 'note', 'returns/2026-10-12/r.xlsx')",
        [student],
    )
    con.execute(
        "insert into meta.access_log values (now(), '9900001', 'admin', 'view', date '2026-10-12', [?, ?], 2,"
        " null, 'tester')",
        [student, other],
    )
    con.execute(
        "insert into quarantine.rows values ('seats', 'seats/attendance_2026-10-12.tsv', 99, 'EVENT_ATTENDED',"
        " 'not 0 or 1', false, ?, '{}', now())",
        [student],
    )


def _published(publish: Path, student: str, other: str) -> None:
    week = publish / "2026-10-12" / "school-of-x"
    week.mkdir(parents=True)
    (week / "student-engagement_school-of-x_2026-10-12.csv").write_text(
        f"Student ID,Last name\n{student},A\n{other},B\n"
    )
    views = publish / "2026-10-12" / "views" / "9900001"
    views.mkdir(parents=True)
    (views / "student-engagement-view_9900001_2026-10-12.csv").write_text(
        f"Student ID,Last name\n{student},A\n{other},B\n"
    )


def requests(landing: Path, *rows: str) -> None:
    path = landing / "privacy" / "requests.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("REQUEST_ID,STUDENT_ID,TYPE,RECEIVED_DATE,DETAILS,APPROVED_BY\n" + "".join(f"{r}\n" for r in rows))
