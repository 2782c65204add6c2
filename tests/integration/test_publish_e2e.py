"""The whole contact loop on a generated university: publish a week, view it as a tutor, return a
filled-in workbook, and see the contact in the next week's report. Real dbt, real Dagster runs."""

from datetime import date

import duckdb
import openpyxl
import pytest
from click.testing import CliRunner

from leap_assets.reporting.columns import HEADERS
from leap_assets.writing.names import school_slugs
from orchestration.cli import main

WEEK, NEXT = "2026-10-12", "2026-10-19"


def leap(*args: str):
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


def query(env, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(env["LEAP_WAREHOUSE"]), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def sheet_rows(path) -> list[dict]:
    rows = list(openpyxl.load_workbook(path)["Engagement"].iter_rows(values_only=True))
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


@pytest.mark.e2e
def test_reports_views_and_returns_over_two_generated_weeks(leap_env):
    leap("generate", "--students", "60", "--weeks", "2", "--start", WEEK, "--seed", "11")
    leap("run", "--week", WEEK)

    # One workbook per school, every student of the week in exactly their school's workbook.
    mart = dict(query(leap_env, "select student_id, school from marts.engagement_weekly where week_start = ?", [WEEK]))
    slugs = school_slugs(sorted(set(mart.values())))
    seen = {}
    for school, slug in slugs.items():
        path = leap_env["LEAP_PUBLISH"] / WEEK / slug / f"student-engagement_{slug}_{WEEK}.xlsx"
        rows = sheet_rows(path)
        assert all(mart[r["Student ID"]] == school for r in rows)
        seen.update({r["Student ID"]: school for r in rows})
        assert path.with_suffix(".csv").exists()
    assert seen == mart

    # A personal tutor's view holds exactly their tutees and module students of the week's snapshot.
    extract = query(leap_env, "select max(sits_extract_date) from marts.engagement_weekly where week_start = ?", [WEEK])
    tutor = query(
        leap_env,
        "select min(staff_id) from raw.sits_stafflink where extract_date = ? and relationship = 'PERSONAL_TUTOR'",
        [extract[0][0]],
    )[0][0]
    expected = {
        s
        for (s,) in query(
            leap_env,
            """
            select l.property_value from raw.sits_stafflink l
            where l.extract_date = $1 and l.staff_id = $2 and l.relationship = 'PERSONAL_TUTOR'
            union
            select m.student_id from raw.sits_stafflink l join raw.sits_studentmoduleinstance m
              on m.extract_date = l.extract_date and m.mod_instance_id = l.property_value
            where l.extract_date = $1 and l.staff_id = $2 and l.relationship = 'MODULE_TUTOR'
            """,
            [extract[0][0], tutor],
        )
    } & set(mart)
    leap("view", "--staff", tutor, "--week", WEEK)
    view = leap_env["LEAP_PUBLISH"] / WEEK / "views" / tutor / f"student-engagement-view_{tutor}_{WEEK}.xlsx"
    assert {r["Student ID"] for r in sheet_rows(view)} == expected
    assert query(leap_env, "select staff_id, role, student_count from meta.access_log") == [
        (tutor, "tutor", len(expected))
    ]

    # A school returns its workbook with one contact; the next week's report shows its date.
    school, slug = next(iter(slugs.items()))
    report = leap_env["LEAP_PUBLISH"] / WEEK / slug / f"student-engagement_{slug}_{WEEK}.xlsx"
    book = openpyxl.load_workbook(report)
    sheet = book["Engagement"]
    student = sheet["A2"].value
    for header, value in [("Contacted", "Yes"), ("Contact date", date(2026, 10, 20)), ("Outcome", "Support offered")]:
        sheet.cell(2, HEADERS.index(header) + 1, value)
    returned = leap_env["LEAP_LANDING"] / "returns" / WEEK / "returned.xlsx"
    returned.parent.mkdir(parents=True)
    book.save(returned)

    leap("run", "--week", NEXT)
    assert query(leap_env, "select student_id, contact_date from marts.contacts") == [(student, date(2026, 10, 20))]
    following = leap_env["LEAP_PUBLISH"] / NEXT / slug / f"student-engagement_{slug}_{NEXT}.xlsx"
    last = {r["Student ID"]: r["Last contact"] for r in sheet_rows(following)}
    assert last[student].date() == date(2026, 10, 20)
    assert sum(v is not None for v in last.values()) == 1
