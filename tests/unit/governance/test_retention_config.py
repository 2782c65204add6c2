"""The retention file: the committed defaults, period arithmetic, and one-sentence errors."""

from datetime import date
from pathlib import Path

import pytest

from leap_assets.governance.retention_config import (
    DEFAULT_PERIODS,
    Period,
    RetentionConfigError,
    load_retention,
    retention_file,
)

ROOT = Path(__file__).resolve().parents[3]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "retention.yml"
    path.write_text(text)
    return path


def test_the_committed_file_holds_the_specification_defaults():
    retention = load_retention(ROOT / "config" / "retention.yml", required=True)
    assert retention.periods == DEFAULT_PERIODS
    assert {k: str(v) for k, v in retention.periods.items()} == {
        "landing": "400 days",
        "raw": "400 days",
        "quarantine": "400 days",
        "marts": "2 academic years",
        "publish": "2 academic years",
        "contacts": "1 year",
        "access_log": "2 years",
    }
    assert retention.year_starts == (8, 1) and retention.compact_warehouse


def test_a_missing_default_file_means_the_defaults_and_a_named_missing_file_is_an_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("LEAP_RETENTION_FILE", raising=False)
    assert load_retention().periods == DEFAULT_PERIODS
    monkeypatch.setenv("LEAP_RETENTION_FILE", str(tmp_path / "nowhere.yml"))
    assert retention_file() == (tmp_path / "nowhere.yml", True)
    with pytest.raises(RetentionConfigError, match=r"nowhere\.yml does not exist \(LEAP_RETENTION_FILE\)"):
        load_retention()


@pytest.mark.parametrize(
    ("period", "today", "cutoff"),
    [
        ("400 days", date(2029, 6, 15), date(2028, 5, 11)),
        ("1 year", date(2029, 6, 15), date(2028, 6, 15)),
        ("1 year", date(2029, 2, 28), date(2028, 2, 28)),
        ("1 year", date(2028, 2, 29), date(2027, 2, 28)),
        ("2 academic years", date(2029, 7, 31), date(2027, 8, 1)),
        ("2 academic years", date(2029, 8, 1), date(2028, 8, 1)),
        ("1 academic year", date(2029, 8, 1), date(2029, 8, 1)),
    ],
)
def test_a_period_keeps_from_its_cutoff(tmp_path, period, today, cutoff):
    retention = load_retention(write(tmp_path, f"periods:\n  raw: {period}\n"))
    assert retention.cutoff(today, "raw") == cutoff


def test_academic_years_can_start_on_another_day(tmp_path):
    retention = load_retention(write(tmp_path, 'academic_year_starts: "09-01"\nperiods:\n  marts: 2 academic years\n'))
    assert retention.cutoff(date(2029, 8, 31), "marts") == date(2027, 9, 1)
    assert retention.cutoff(date(2029, 9, 1), "marts") == date(2028, 9, 1)


def test_a_target_period_overrides_its_layer_for_that_target_only(tmp_path):
    retention = load_retention(write(tmp_path, "periods:\n  raw.moodle_log: 200 Days\n"))
    assert retention.period("raw", "moodle_log") == Period(200, "days")
    assert retention.period("raw", "seats_attendance") == Period(400, "days")
    assert retention.period("contacts") == Period(1, "years")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("periods:\n  staff: 1 year\n", r"periods\.staff is not a layer or target LEAP keeps"),
        ("periods:\n  raw.staff_league: 1 year\n", r"periods\.raw\.staff_league is not a layer or target"),
        ("periods:\n  raw: forever\n", r"periods\.raw is 'forever'; a period is a whole number"),
        ("periods:\n  raw: 0 days\n", r"periods\.raw is '0 days'"),
        ("periods:\n  raw: 400\n", r"periods\.raw is 400;"),
        ("periods: 400 days\n", r"`periods` must map layers to periods"),
        ("period:\n  raw: 400 days\n", r"unknown key 'period'"),
        ('academic_year_starts: "02-29"\n', r"academic_year_starts is '02-29'; give the first day as MM-DD"),
        ("compact_warehouse: sometimes\n", r"compact_warehouse must be true or false"),
        ("periods: [raw\n", r"is not valid YAML"),
        ("- raw\n", r"must be a mapping with a `periods` key"),
    ],
)
def test_a_malformed_file_is_one_sentence_naming_the_file_and_key(tmp_path, text, message):
    path = write(tmp_path, text)
    with pytest.raises(RetentionConfigError, match=message) as error:
        load_retention(path)
    assert str(path) in str(error.value)
    assert "\n" not in str(error.value)
