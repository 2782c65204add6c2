"""The academic calendar: the fixed format, validation in one sentence, and what each scope covers."""

from datetime import date
from pathlib import Path

import pytest

from leap_assets.quality.calendar import CalendarError, NonTeachingWeek, dump_entries, load_calendar

WEEK = date(2026, 11, 2)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "calendar.yml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_fixed_format_round_trips_and_each_scope_covers_what_it_names(tmp_path):
    entries = [
        NonTeachingWeek(WEEK, "module", "HIS101-2026", "Reading week"),
        NonTeachingWeek(WEEK, "module", "LAW*", "Moot week"),
        NonTeachingWeek(WEEK, "department", "Economics", "Reading week"),
        NonTeachingWeek(WEEK, "school", "School of Health", "Placements"),
        NonTeachingWeek(date(2026, 12, 21), "university", None, "Closure"),
    ]
    calendar = load_calendar(write(tmp_path, dump_entries(entries)))
    assert sorted(calendar.entries, key=str) == sorted(entries, key=str)
    assert not calendar.module_teaching(WEEK, "HIS101-2026", "School of Arts", "History")
    assert calendar.module_teaching(WEEK, "HIS102-2026", "School of Arts", "History")
    assert not calendar.module_teaching(WEEK, "LAW2001-2627-AUT", "School of Law", "Law")
    assert not calendar.teaching(WEEK, "School of Social Sciences", "Economics")
    assert not calendar.teaching(WEEK, "School of Health", "Nursing")
    assert calendar.teaching(WEEK, "School of Law", "Law") and calendar.teaching(date(2026, 11, 9), "School of Health")
    assert calendar.university_closed(date(2026, 12, 21)) and not calendar.university_closed(WEEK)


def test_the_committed_calendar_is_valid():
    committed = Path(__file__).resolve().parents[3] / "config" / "calendar.yml"
    assert load_calendar(committed).entries


def test_a_missing_default_calendar_is_empty_and_a_named_missing_one_is_an_error(tmp_path):
    assert load_calendar(tmp_path / "absent.yml", named=False).entries == ()
    with pytest.raises(CalendarError, match="does not exist"):
        load_calendar(tmp_path / "absent.yml", named=True)


@pytest.mark.parametrize(
    ("text", "sentence"),
    [
        ("non_teaching:\n  - week: 2026-11-03\n    scope: university\n    reason: x\n", "2026-11-03 is a Tuesday"),
        ("non_teaching:\n  - week: 2026-11-02\n    scope: faculty\n    name: A\n    reason: x\n", "scope must be one"),
        ("non_teaching:\n  - week: 2026-11-02\n    scope: school\n    reason: x\n", "a school entry needs a name"),
        ("non_teaching:\n  - week: 2026-11-02\n    scope: module\n    name: A\n", "reason must say why"),
        ("non_teaching:\n  - week: 2026-11-02\n    scope: university\n    name: A\n    reason: x\n", "has no name"),
        ("non_teaching:\n  - week: soon\n    scope: university\n    reason: x\n", "week must be a date"),
        ("non_teaching:\n  - week: 2026-11-02\n    scope: module\n    name: A\n    reason: x\n    when: y\n",
         "unknown key 'when'"),
        ("holidays: []\n", "unknown key 'holidays'"),
        ("non_teaching: [\n", "is not valid YAML"),
    ],
)  # fmt: skip
def test_a_mistake_is_one_sentence_naming_the_file_and_entry(tmp_path, text, sentence):
    with pytest.raises(CalendarError) as raised:
        load_calendar(write(tmp_path, text))
    assert sentence in str(raised.value) and "calendar.yml" in str(raised.value) and "\n" not in str(raised.value)
