"""The synthetic university's reading week: one department without sessions for a week, in the calendar."""

import datetime as dt
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from leap_assets.quality.calendar import NonTeachingWeek, load_calendar
from leap_assets.synthetic import GenerationSummary, generate
from leap_assets.synthetic.names import SCHOOLS
from orchestration.cli.commands import DEMO, main
from tests.unit.synthetic.test_synthetic import london_date, moodle_rows, tsv

START, WEEKS, STUDENTS, SEED = dt.date(2026, 9, 14), 8, 200, 4
ARGS = ["--students", str(STUDENTS), "--weeks", str(WEEKS), "--start", START.isoformat(), "--seed", str(SEED)]
CODES = [code for _, departments in SCHOOLS for code, *_ in departments]
REPO = Path(__file__).resolve().parents[3]


def leap(monkeypatch: pytest.MonkeyPatch, *args: str) -> str:
    monkeypatch.setenv("LEAP_LOCK_WAIT", "1800")  # main() sets it for the process; keep it to this test
    result = CliRunner().invoke(main, ["generate", *args])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def terms(tmp_path_factory: pytest.TempPathFactory) -> tuple[GenerationSummary, Path, Path]:
    """The same term with its reading week (generate) and without (`leap generate --no-reading-week`)."""
    root = tmp_path_factory.mktemp("reading")
    summary = generate(root / "reading", STUDENTS, WEEKS, START, seed=SEED)
    with pytest.MonkeyPatch.context() as monkeypatch:
        leap(monkeypatch, *ARGS, "--landing", str(root / "plain"), "--no-reading-week")
    return summary, root / "reading", root / "plain"


def subject(module_instance: str) -> str:
    """The module code prefix (the quality check's "subject"): the letters before the first digit."""
    found = re.match(r"[A-Z]+", module_instance)
    assert found, module_instance
    return found.group()


def seats_by_week(landing: Path) -> Counter[tuple[dt.date, str]]:
    """SEAtS rows per (week Monday, subject), the correction file included, by the session's date."""
    rows: Counter[tuple[dt.date, str]] = Counter()
    for path in sorted((landing / "seats").iterdir()):
        for row in tsv(path):
            day = london_date(row["START_TIME"])
            rows[(day - dt.timedelta(days=day.weekday()), subject(row["MOD_INSTANCE_ID"]))] += 1
    return rows


def test_the_reading_week_is_mid_term_in_the_first_department_of_the_first_school(terms) -> None:
    summary, landing, _ = terms
    reading = summary.reading_week
    assert reading is not None
    assert (reading.week, reading.monday) == (5, START + dt.timedelta(weeks=5))
    assert (reading.department_name, reading.department_code, reading.school) == (
        "Accounting & Finance", "ACF", "Business School")  # fmt: skip
    assert reading.entry() == NonTeachingWeek(reading.monday, "department", "Accounting & Finance", "Reading week")
    # The calendar's name is the department exactly as SITS writes INST_TIER_2.
    extract = sorted((landing / "sits").iterdir())[-1]
    courses = tsv(extract / "course.tsv")
    assert {c["INST_TIER_1"] for c in courses if c["INST_TIER_2"] == reading.department_name} == {reading.school}
    # Every module instance id starts with its department's code, and no code starts another.
    instances = [row["MOD_INSTANCE_ID"] for row in tsv(extract / "moduleinstance.tsv")]
    assert {subject(m) for m in instances} == set(CODES)
    assert sum(subject(m) == reading.department_code for m in instances) == len(reading.modules)


def test_the_department_has_no_sessions_in_its_reading_week_and_teaches_around_it(terms) -> None:
    summary, landing, plain = terms
    reading = summary.reading_week
    assert reading is not None
    monday, code = reading.monday, reading.department_code
    rows = seats_by_week(landing)
    assert rows[(monday, code)] == 0
    for other in (monday - dt.timedelta(weeks=1), monday + dt.timedelta(weeks=1)):
        assert rows[(other, code)] > 0
    assert all(rows[(monday, c)] > 0 for c in CODES if c != code)
    # The rows left out are exactly the department's that week: every other row is the plain term's.
    plain_rows = seats_by_week(plain)
    assert plain_rows[(monday, code)] == summary.reading_week_seats_rows > 0
    assert rows == plain_rows - Counter({(monday, code): plain_rows[(monday, code)]})
    for path in sorted((landing / "seats").iterdir()):
        if path.name != f"attendance_{monday + dt.timedelta(weeks=1)}.tsv":
            assert path.read_bytes() == (plain / "seats" / path.name).read_bytes(), path.name


def test_moodle_activity_on_the_departments_courses_falls_but_students_still_read(terms) -> None:
    summary, landing, plain = terms
    reading = summary.reading_week
    assert reading is not None
    extract = sorted((landing / "sits").iterdir())[-1]
    courses = {row["DOMAIN_MAPPED_ID"] for row in tsv(extract / "modulemap.tsv")
               if subject(row["MOD_INSTANCE_ID"]) == reading.department_code}  # fmt: skip

    def per_week(root: Path) -> Counter[dt.date]:
        weeks: Counter[dt.date] = Counter()
        for row in moodle_rows(root):
            if row["courseid"] in courses:
                day = dt.date.fromisoformat(row["file"].removeprefix("logstore_").removesuffix(".csv"))
                weeks[day - dt.timedelta(days=day.weekday())] += 1
        return weeks

    rows, plain_rows = per_week(landing), per_week(plain)
    week, before = reading.monday, reading.monday - dt.timedelta(weeks=1)
    assert 0 < rows[week] < rows[before]
    assert 0.4 < rows[week] / plain_rows[week] < 0.8  # about half (a session still opens on its course)
    assert all(rows[w] == plain_rows[w] for w in plain_rows if w != week)


def test_no_reading_week_teaches_every_department_every_week(terms) -> None:
    _, _, plain = terms
    rows = seats_by_week(plain)
    mondays = [START + dt.timedelta(weeks=k) for k in range(WEEKS)]
    assert all(rows[(monday, code)] > 0 for monday in mondays for code in CODES)


def test_a_short_term_has_no_reading_week(tmp_path: Path) -> None:
    assert generate(tmp_path, 30, 5, START, seed=1).reading_week is None


def test_calendar_option_lists_the_week_and_keeps_other_entries(tmp_path: Path, monkeypatch) -> None:
    calendar = tmp_path / "calendar.yml"
    calendar.write_text("# Kept by IT\nnon_teaching:\n  - week: 2026-12-21\n    scope: university\n"
                        "    reason: Closure\n", encoding="utf-8")  # fmt: skip
    args = ["--students", "40", "--weeks", "6", "--start", START.isoformat(), "--calendar", str(calendar)]
    output = leap(monkeypatch, *args, "--landing", str(tmp_path / "a"))
    assert f"listed in the academic calendar {calendar}" in output
    week = NonTeachingWeek(START + dt.timedelta(weeks=4), "department", "Accounting & Finance", "Reading week")
    closure = NonTeachingWeek(dt.date(2026, 12, 21), "university", None, "Closure")
    assert load_calendar(calendar).entries == (week, closure)
    assert calendar.read_text(encoding="utf-8").startswith("# Kept by IT\n")
    written = calendar.read_bytes()
    assert "already listed" in leap(monkeypatch, *args, "--landing", str(tmp_path / "b"))
    assert calendar.read_bytes() == written

    fresh = tmp_path / "new" / "calendar.yml"
    leap(monkeypatch, *args[:-1], str(fresh), "--landing", str(tmp_path / "c"))
    assert load_calendar(fresh).entries == (week,)


def test_without_calendar_option_the_entry_is_shown_with_how_to_list_it(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("LEAP_CALENDAR_FILE", str(tmp_path / "none.yml"))
    args = ["--students", "40", "--weeks", "6", "--start", START.isoformat(), "--landing", str(tmp_path / "a")]
    output = leap(monkeypatch, *args)
    assert "does not list it: run again with --calendar" in output
    assert "name: Accounting & Finance" in output and "reason: Reading week" in output
    assert not (tmp_path / "none.yml").exists()
    # Once the calendar in force lists it (as config/calendar.yml lists the demo's), the command says so.
    leap(monkeypatch, *args, "--calendar", str(tmp_path / "none.yml"))
    assert f"listed in the academic calendar {tmp_path / 'none.yml'}." in leap(monkeypatch, *args)


def test_a_broken_calendar_file_stops_before_generating(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("LEAP_LOCK_WAIT", "1800")
    (tmp_path / "calendar.yml").write_text("non_teaching: [\n", encoding="utf-8")
    args = ["generate", "--students", "40", "--weeks", "6", "--landing", str(tmp_path / "a"),
            "--calendar", str(tmp_path / "calendar.yml")]  # fmt: skip
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1 and "is not valid YAML" in result.output
    assert not (tmp_path / "a").exists()


def test_committed_calendar_holds_exactly_the_demos_reading_week(tmp_path: Path) -> None:
    summary = generate(tmp_path / "demo", **DEMO)
    shutil.rmtree(tmp_path / "demo")  # 145 MB
    assert summary.reading_week is not None
    assert load_calendar(REPO / "config" / "calendar.yml").entries == (summary.reading_week.entry(),)
