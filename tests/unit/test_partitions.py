"""leap_assets/partitions.py: where the weekly partitions start (LEAP_FIRST_WEEK, else the first landed term,
else the default)."""

from pathlib import Path

import pytest

from leap_assets.partitions import DEFAULT_FIRST_WEEK, first_week

HEADER = "PERIOD_CODE\tACADEMIC_YEAR\tPERIOD_NAME\tPERIOD_START_DATE\tPERIOD_END_DATE\n"


def land_period(landing: Path, extract: str, rows: str, encoding: str = "utf-8") -> None:
    path = landing / "sits" / extract / "period.tsv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes((HEADER + rows).encode(encoding))


@pytest.fixture
def env(landing: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("LEAP_LANDING", str(landing))
    monkeypatch.delenv("LEAP_FIRST_WEEK", raising=False)
    return landing


def test_weeks_start_on_the_monday_of_the_earliest_landed_term(env):
    land_period(env, "2026-10-05", "AUT\t2026/27\tAutumn\t2026-09-16\t2026-12-13\n")
    land_period(env, "2026-10-12", "SPR\t2026/27\tSpring\t2027-01-11\t2027-03-28\nOLD\t2025/26\tOld\tnot a date\t-\n")
    assert first_week() == "2026-09-14"


def test_leap_first_week_overrides_the_landed_terms(env, monkeypatch):
    land_period(env, "2026-10-05", "AUT\t2026/27\tAutumn\t2026-09-14\t2026-12-13\n")
    monkeypatch.setenv("LEAP_FIRST_WEEK", "2013-01-07")
    assert first_week() == "2013-01-07"


@pytest.mark.parametrize(
    "broken", [None, b"\xff\xfe not utf-8", b"no header at all", b""], ids=["nothing", "binary", "garbage", "empty"]
)
def test_nothing_readable_landed_falls_back_to_the_default_and_never_raises(env, broken):
    if broken is not None:
        path = env / "sits" / "2026-10-05" / "period.tsv"
        path.parent.mkdir(parents=True)
        path.write_bytes(broken)
    assert first_week() == DEFAULT_FIRST_WEEK


def test_a_missing_landing_zone_falls_back_to_the_default(env, monkeypatch, tmp_path):
    monkeypatch.setenv("LEAP_LANDING", str(tmp_path / "not-there"))
    assert first_week() == DEFAULT_FIRST_WEEK
