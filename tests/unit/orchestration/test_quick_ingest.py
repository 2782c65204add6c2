"""`leap ingest` tells "nothing new" apart without a run, and never when a run would do something."""

import os
import time
from pathlib import Path

import pytest

from leap_assets.ingestion import seats
from leap_assets.settings import settings
from leap_assets.warehouse.db import connect
from orchestration import quick_ingest
from tests.support.landing import write

TZ = "Europe/London"
ATTENDANCE = "STUDENT_ID\tEVENT_ID\tEVENT_MANDATORY\tSTART_TIME\tEVENT_ATTENDED\n1\tEV1\t1\t2026-10-05T09:00:00Z\t1\n"


def _old(path: Path) -> None:
    """Age a file past the racy window, so that its size and mtime may vouch for its bytes."""
    then = time.time_ns() - 10 * 1_000_000_000
    os.utime(path, ns=(then, then))


@pytest.fixture
def ingested(tmp_path, monkeypatch):
    """A warehouse that has landed one attendance file, and the state a successful run leaves."""
    monkeypatch.setenv("LEAP_LANDING", str(tmp_path / "landing"))
    monkeypatch.setenv("LEAP_WAREHOUSE", str(tmp_path / "warehouse" / "leap.duckdb"))
    monkeypatch.setenv("LEAP_PUBLISH", str(tmp_path / "publish"))
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster"))
    monkeypatch.setenv("LEAP_PRIVACY_DIR", str(tmp_path / "privacy"))
    current = settings()
    current.dagster_home.mkdir(parents=True)
    write(current.publish / "transparency.html", "<html></html>")
    _old(write(current.landing / "seats" / "attendance_2026-10-06.tsv", ATTENDANCE))
    with connect(current.warehouse) as con:
        seats.ingest(con, current.landing, TZ)
    quick_ingest.remember(current, quick_ingest.check(current).fingerprint)
    return current


def test_nothing_new_after_a_successful_run(ingested):
    assert quick_ingest.check(ingested).nothing_new


def test_no_state_means_a_full_run(ingested):
    quick_ingest.forget(ingested)
    assert not quick_ingest.check(ingested).nothing_new


def test_a_new_source_file_means_a_full_run(ingested):
    _old(write(ingested.landing / "seats" / "attendance_2026-10-07.tsv", ATTENDANCE))
    assert not quick_ingest.check(ingested).nothing_new


def test_new_bytes_at_a_landed_path_mean_a_full_run(ingested):
    path = ingested.landing / "seats" / "attendance_2026-10-06.tsv"
    _old(write(path, ATTENDANCE.replace("EV1", "EV2")))
    assert not quick_ingest.check(ingested).nothing_new


def test_the_same_bytes_touched_are_still_nothing_new(ingested):
    path = ingested.landing / "seats" / "attendance_2026-10-06.tsv"
    os.utime(path)
    assert quick_ingest.check(ingested).nothing_new


def test_a_file_outside_the_contract_is_not_new(ingested):
    write(ingested.landing / "seats" / "notes.txt", "ignored")
    assert quick_ingest.check(ingested).nothing_new


@pytest.mark.parametrize(
    "change",
    [
        "requests",
        "environment",
        "day",
        "transparency page",
        "suppression list",
    ],
)
def test_a_change_outside_the_source_files_means_a_full_run(ingested, monkeypatch, change):
    if change == "requests":
        write(ingested.landing / "privacy" / "requests.csv", "REQUEST_ID,REQUEST_TYPE\n")
    elif change == "environment":
        monkeypatch.setenv("LEAP_STUDENT_ACCESS", "true")
    elif change == "day":
        monkeypatch.setattr(quick_ingest, "_today", lambda _: "2099-01-01")
    elif change == "transparency page":
        (ingested.publish / "transparency.html").unlink()
    else:
        write(Path(os.environ["LEAP_PRIVACY_DIR"]) / "suppression.txt", "ab" * 32 + "\n")
    assert not quick_ingest.check(settings()).nothing_new


def test_a_warehouse_changed_by_another_run_means_a_full_run(ingested):
    with connect(ingested.warehouse) as con:
        con.execute("update meta.landed_files set landed_at = landed_at + interval 1 second")
    assert not quick_ingest.check(ingested).nothing_new
