"""End to end on a generated term with a reading week in one department (validity.md, the gate):

- listed in the academic calendar, the term publishes every school's report every week with no
  release, and the governance report shows the week as non-teaching for that department;
- the same week without the entry holds that department's school, with the hint to list the week;
  listing it and running the week again publishes it;
- Moodle missing for one whole day university-wide holds every school of the week;
- a changed threshold in the board's settings changes the verdict and settings_version, and a bad
  key stops the command with one sentence before any work.
"""

import csv
import html

import duckdb
import pytest
from click.testing import CliRunner

from leap_assets.quality.calendar import load_calendar
from orchestration.cli import main

START = "2026-09-14"
QUIET_WEEK = "2026-10-05"  # its VLE window loses one day of Moodle
LOST_DAY = "2026-10-07"


def leap(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def statuses(warehouse, week: str) -> dict[str, str]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return dict(
            con.execute("select school, status from marts.report_status where week_start = ?", [week]).fetchall()
        )


def settings_versions(warehouse, week: str) -> set[str]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            "select distinct settings_version from marts.data_quality_results where week_start = ? and suite like '%.%'"
            " and suite not like 'moodle.events' ",
            [week],
        ).fetchall()
    return {row[0] for row in rows}


def school_of(landing, department: str) -> str:
    newest = sorted((landing / "sits").iterdir())[-1]
    with (newest / "course.tsv").open(encoding="utf-8") as handle:
        return next(r["INST_TIER_1"] for r in csv.DictReader(handle, delimiter="\t") if r["INST_TIER_2"] == department)


@pytest.mark.e2e
def test_a_listed_reading_week_is_ordinary_and_an_unlisted_one_holds_only_its_school(leap_env, monkeypatch, tmp_path):
    listed = tmp_path / "calendar.yml"
    generated = leap("generate", "--students", "120", "--weeks", "6", "--start", START, "--seed", "11",
                     "--calendar", str(listed))  # fmt: skip
    assert generated.exit_code == 0, generated.output
    [entry] = load_calendar(listed).entries
    reading, department = entry.week.isoformat(), entry.name
    school = school_of(leap_env["LEAP_LANDING"], department)
    monkeypatch.setenv("LEAP_CALENDAR_FILE", str(listed))

    term = leap("backfill", "--term", "AUT", "--year", "2026")

    assert term.exit_code == 0, term.output
    assert "held back" not in term.output
    with duckdb.connect(str(leap_env["LEAP_WAREHOUSE"]), read_only=True) as con:
        outcome = con.execute("select status, count(*) from marts.report_status group by 1").fetchall()
        weeks = con.execute("select count(distinct week_start) from marts.report_status").fetchone()[0]
    assert dict(outcome).keys() == {"published"} and weeks == 6
    report = (leap_env["LEAP_PUBLISH"] / reading / "governance" / "data-quality.html").read_text(encoding="utf-8")
    assert html.escape(f"department {department}: Reading week") in report
    assert (
        not (leap_env["LEAP_PUBLISH"] / "alerts.log").exists()
        or "REPORT_HELD" not in (leap_env["LEAP_PUBLISH"] / "alerts.log").read_text()
    )

    # The same week, the calendar not listing it: the department's drop to zero looks like a lost feed.
    empty = tmp_path / "empty-calendar.yml"
    empty.write_text("non_teaching: []\n", encoding="utf-8")
    monkeypatch.setenv("LEAP_CALENDAR_FILE", str(empty))
    unlisted = leap("run", "--week", reading)
    assert unlisted.exit_code == 0, unlisted.output
    assert f"Week {reading}: held back by the quality gate: {school}." in unlisted.output
    assert "list it in the academic calendar and run the week again" in unlisted.output
    status = statuses(leap_env["LEAP_WAREHOUSE"], reading)
    assert status[school] == "held" and {s for k, s in status.items() if k != school} == {"published"}
    alerts = (leap_env["LEAP_PUBLISH"] / "alerts.log").read_text()
    assert school in alerts and "academic calendar (LEAP_CALENDAR_FILE)" in alerts

    monkeypatch.setenv("LEAP_CALENDAR_FILE", str(listed))
    relisted = leap("run", "--week", reading)
    assert relisted.exit_code == 0 and "held back" not in relisted.output
    assert set(statuses(leap_env["LEAP_WAREHOUSE"], reading).values()) == {"published"}

    # Moodle loses a whole day university-wide: every school of the week is held.
    day_file = leap_env["LEAP_LANDING"] / "moodle" / f"logstore_{LOST_DAY}.csv"
    header = day_file.read_text(encoding="utf-8").splitlines(keepends=True)[0]
    day_file.write_text(header, encoding="utf-8")
    before = settings_versions(leap_env["LEAP_WAREHOUSE"], QUIET_WEEK)
    lost = leap("run", "--week", QUIET_WEEK)
    assert lost.exit_code == 0, lost.output
    held = statuses(leap_env["LEAP_WAREHOUSE"], QUIET_WEEK)
    assert held and set(held.values()) == {"held"}
    assert f"{LOST_DAY}: 0 rows against a baseline" in lost.output and "moodle_usable failed" in lost.output

    # The board relaxes the daily Moodle threshold: the verdict and settings_version change.
    relaxed = tmp_path / "quality.yml"
    relaxed.write_text("checks:\n  moodle_usable:\n    min_daily_ratio: 0.0\n", encoding="utf-8")
    monkeypatch.setenv("LEAP_QUALITY_FILE", str(relaxed))
    again = leap("run", "--week", QUIET_WEEK)
    assert again.exit_code == 0 and "held back" not in again.output
    assert set(statuses(leap_env["LEAP_WAREHOUSE"], QUIET_WEEK).values()) == {"published"}
    after = settings_versions(leap_env["LEAP_WAREHOUSE"], QUIET_WEEK)
    assert len(before) == len(after) == 1 and before != after

    relaxed.write_text("checks:\n  moodle_usable:\n    min_ratio: 0.0\n", encoding="utf-8")
    bad = CliRunner().invoke(main, ["run", "--week", QUIET_WEEK])
    assert bad.exit_code == 1
    assert bad.output.strip().count("\n") == 0
    assert "unknown key checks.moodle_usable.min_ratio" in bad.output and str(relaxed) in bad.output
    assert "Ingesting" not in bad.output
