"""Privacy rights end to end through `leap` on a generated university (governance.md)."""

import csv
import json
import shutil
import zipfile
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from leap_assets.writing.names import request_name
from orchestration.cli import main
from tests.support.built_term import WEEKS, copy_term


def leap(*args: str):
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


def query(warehouse: Path, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def traces(roots: list[Path], needles: list[str], names: tuple[str, str]) -> list[str]:
    """Files holding a needle (workbooks searched inside), or a row with both the first and last name."""
    found = []
    for root in roots:
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            if path.suffix == ".xlsx":
                with zipfile.ZipFile(path) as book:
                    data = b"".join(book.read(n) for n in book.namelist() if n.endswith(".xml"))
            else:
                data = path.read_bytes()
            if any(n.encode() in data for n in needles):
                found.append(str(path))
            elif path.suffix in (".csv", ".tsv"):
                delimiter = "\t" if path.suffix == ".tsv" else ","
                for row in csv.reader(data.decode("utf-8", "replace").splitlines(), delimiter=delimiter):
                    if set(names) <= {cell.strip() for cell in row}:
                        found.append(f"{path}: name")
                        break
    return found


def report_ids(publish: Path) -> set[str]:
    ids = set()
    for path in publish.glob("2026-10-*/*/student-engagement_*.csv"):
        with path.open(encoding="utf-8") as handle:
            ids |= {row["Student ID"] for row in csv.DictReader(handle)}
    return ids


def report_row(publish: Path, student: str) -> dict:
    for path in publish.glob("2026-10-12/*/student-engagement_*.csv"):
        with path.open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                if row["Student ID"] == student:
                    return row
    raise AssertionError(f"{student} is in no report of 2026-10-12")


def requests(landing: Path, *rows: str) -> None:
    path = landing / "privacy" / "requests.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    header = "" if path.exists() else "REQUEST_ID,STUDENT_ID,TYPE,RECEIVED_DATE,DETAILS,APPROVED_BY\n"
    with path.open("a", encoding="utf-8") as handle:
        handle.write(header + "".join(f"{row}\n" for row in rows))


@pytest.mark.e2e
def test_erasure_restriction_rectification_and_opt_out_through_the_cli(leap_env, tmp_path, built_term):
    landing, warehouse, publish = leap_env["LEAP_LANDING"], leap_env["LEAP_WAREHOUSE"], leap_env["LEAP_PUBLISH"]
    # The session's built term (40 students, both weeks of 2026-10-12 backfilled) and its files as generated.
    original = copy_term(built_term, tmp_path)

    erased, email, first, last = query(
        warehouse,
        "select s.student_id, s.primary_email_address, s.first_name, s.last_name from raw.sits_student s "
        "join marts.engagement_weekly e using (student_id) "
        "where exists (select 1 from raw.moodle_log l join raw.sits_studentidmap m on m.identifier = l.userid "
        "where m.student_id = s.student_id) order by 1 limit 1",
    )[0]
    students = sorted(report_ids(publish) - {erased})
    restricted, opted_out = students[0], students[1]
    rectified, event = query(
        warehouse,
        "select a.student_id, a.event_id from staging.stg_seats__attendances a join marts.engagement_weekly e "
        "on e.student_id = a.student_id and e.week_start = '2026-10-12' where not a.is_attended and a.is_mandatory "
        "and a.attendance_category not in ('C', 'X') and a.start_date between '2026-10-12' and '2026-10-18' "
        "and a.student_id not in (?, ?, ?) order by 1, 2 limit 1",
        [erased, restricted, opted_out],
    )[0]
    attended = (
        "select attendance_attended_7d from marts.engagement_weekly where week_start = '2026-10-12' and student_id = ?"
    )
    attended_before = query(warehouse, attended, [rectified])[0][0]

    requests(
        landing,
        f"R1,{erased},access,2026-11-01,,",
        f"R2,{erased},erasure,2026-11-02,,Data Protection Officer",
        f"R3,{restricted},restriction,2026-11-02,,Data Protection Officer",
        f"R4,{rectified},rectification,2026-11-02,seats:{rectified}/{event} EVENT_ATTENDED=1,Registry",
        f"R5,{opted_out},opt_out,2026-11-02,,",
        f"R6,{opted_out},access,2026-11-03,,",
    )
    result = leap("privacy", "process")
    assert "Requests carried out: 2 access, 1 erasure, 1 opt_out, 1 rectification, 1 restriction" in result.output
    assert "Re-publishing 2 report week(s)" in result.output

    # Erasure: nothing left in the warehouse file, the landing zone or the publish folder.
    needles = [erased, email]
    assert traces([landing, publish, warehouse.parent], needles, (first, last)) == []
    certificate = json.loads((publish / "privacy" / "erasure" / f"certificate-{request_name('R2')}.json").read_text())
    assert certificate["residual_rows"] == 0
    assert {"raw.sits_student", "raw.moodle_log", "marts.engagement_weekly"} <= set(certificate["tables"])
    assert any(p.startswith("sits/") for p in certificate["landed_files"])
    assert any(p.startswith("moodle/") for p in certificate["landed_files"])
    assert certificate["weeks_to_republish"] == ["2026-10-12", "2026-10-19"]

    # An access export has rows from every layer that holds the student.
    export = json.loads(
        (publish / "privacy" / "access" / request_name("R6") / f"access-{request_name('R6')}.json").read_text()
    )
    assert {"raw.sits_student", "raw.seats_attendance", "marts.engagement_weekly", "meta.privacy_state"} <= set(
        export["layers"]
    )

    # The next run: the restricted student is in no report but still in raw; the opt-out and the
    # rectification show.
    leap("backfill", *WEEKS)
    assert restricted not in report_ids(publish)
    assert query(warehouse, "select count(*) from raw.sits_student where student_id = ?", [restricted])[0][0] > 0
    assert report_row(publish, opted_out)["Opted out of support"] == "Do not contact: opted out"
    assert query(warehouse, attended, [rectified])[0][0] == attended_before + 1

    # The original files land again: scrubbed on ingest, and a backfill brings nobody back.
    for source in ("sits", "seats", "moodle", "schools"):
        shutil.copytree(original / source, landing / source, dirs_exist_ok=True)
    leap("backfill", *WEEKS)
    assert traces([landing, publish, warehouse.parent], needles, (first, last)) == []
    assert query(warehouse, attended, [rectified])[0][0] == attended_before + 1  # the rectification survives

    requests(landing, f"R7,{restricted},lift_restriction,2026-11-09,,Data Protection Officer")
    leap("privacy", "process")
    leap("backfill", *WEEKS)
    assert restricted in report_ids(publish)
