"""The purge and the check with the clock moved: exactly what is over its period goes, per target."""

import shutil
from datetime import UTC, date, datetime

import pytest

from leap_assets.governance import retention as retention_module
from leap_assets.governance.retention import overdue, purge
from leap_assets.governance.retention_config import Retention, load_retention
from leap_assets.warehouse.db import connect
from tests.support.retention_world import (
    ACCESS_CUT,
    CONTACTS_CUT,
    DAY,
    DEFAULTS,
    MARTS_CUT,
    RAW_CUT,
    TODAY,
    ZONE,
    World,
    build,
)

OLD, KEPT = RAW_CUT - DAY, RAW_CUT


@pytest.fixture
def world(tmp_path) -> World:
    return build(tmp_path)


def run_purge(world: World, today: date = TODAY, retention=DEFAULTS):
    return purge(world.warehouse, world.landing, world.publish, today, retention, ZONE)


def check(world: World, today: date = TODAY, retention=DEFAULTS):
    return overdue(world.warehouse, world.landing, world.publish, today, retention, ZONE)


def test_raw_rows_just_outside_400_days_go_and_rows_just_inside_stay(world):
    run_purge(world)
    assert world.query("select distinct extract_date from raw.sits_student") == [(KEPT,)]
    assert world.query("select distinct extract_date from raw.sits_extracts") == [(KEPT,)]
    # SEAtS rows go by the event's date even when their file is newer; without a date, by the file's.
    assert world.query("select start_date, student_id from raw.seats_attendance") == [(KEPT, "00000001")]
    assert world.query("select event_date from raw.moodle_log") == [(KEPT,)]


def test_marts_keep_the_academic_year_of_the_row_and_one_more(world):
    run_purge(world)
    assert world.query("select week_start from marts.engagement_weekly") == [(MARTS_CUT,)]
    assert world.query("select week_start from marts.data_quality_results") == [(MARTS_CUT,)]
    assert world.query("select week_start from marts.report_status") == [(MARTS_CUT,)]
    # On 31 July 2029 the 2027/28 rows are still inside; on 1 August they are not.
    run_purge(world, date(2029, 7, 31))
    assert world.count("marts.engagement_weekly") == 1
    run_purge(world, date(2029, 8, 1))
    assert world.count("marts.engagement_weekly") == 0


def test_contacts_go_a_year_after_the_contact_or_else_after_the_report_week(world):
    run_purge(world)
    assert world.query("select student_id from marts.contacts order by 1") == [("00000001",), ("00000004",)]


def test_access_log_rows_go_two_years_after_the_local_day_of_the_access(world):
    run_purge(world)
    # 23:30 UTC on 14 June is 00:30 on 15 June in London: kept; 22:30 UTC is still 14 June: removed.
    assert world.query("select accessed_at from meta.access_log") == [(datetime(2027, 6, 14, 23, 30, tzinfo=UTC),)]


def test_landing_files_and_folders_over_400_days_go_with_their_registry_and_quarantine_rows(world):
    run_purge(world)
    remaining = sorted(p.relative_to(world.landing).as_posix() for p in world.landing.rglob("*") if p.is_file())
    assert remaining == [
        f"moodle/logstore_{KEPT}.csv",
        f"returns/{KEPT}/engineering.xlsx",
        "schools/online_only_engineering.csv",
        f"seats/attendance_{KEPT}.tsv",
        "seats/notes_2020-01-01.txt",
        f"sits/{KEPT}/course.tsv",
        f"sits/{KEPT}/student.tsv",
    ]
    assert not (world.landing / "sits" / str(OLD)).exists()
    assert not (world.landing / "returns" / str(OLD)).exists()
    paths = [p for (p,) in world.query("select path from meta.landed_files order by path")]
    assert all(str(KEPT) in p for p in paths) and len(paths) == 4
    quarantined = [p for (p,) in world.query("select _source_file from quarantine.rows")]
    assert all(str(KEPT) in p for p in quarantined) and len(quarantined) == 4


def test_published_week_folders_go_after_two_academic_years_and_other_files_stay(world):
    run_purge(world)
    assert sorted(p.name for p in world.publish.iterdir()) == [str(MARTS_CUT), "alerts.log", "transparency.html"]


def test_every_removal_is_recorded_in_meta_purges_with_counts_only(world):
    removed = run_purge(world)
    rows = world.query("select layer, target, cutoff, rows_removed, files_removed from meta.purges order by 1, 2")
    assert len({r[0] for r in world.query("select purged_at from meta.purges")}) == 1
    recorded = {(layer, target): (cutoff, n_rows, n_files) for layer, target, cutoff, n_rows, n_files in rows}
    assert recorded[("raw", "raw.sits_student")] == (RAW_CUT, 1, 0)
    assert recorded[("raw", "raw.seats_attendance")] == (RAW_CUT, 2, 0)
    assert recorded[("raw", "raw.moodle_log")] == (RAW_CUT, 1, 0)
    assert recorded[("quarantine", "quarantine.rows")] == (RAW_CUT, 4, 0)
    assert recorded[("landing", "meta.landed_files")] == (RAW_CUT, 4, 0)
    assert recorded[("landing", "landing/sits")] == (RAW_CUT, 0, 2)
    assert recorded[("landing", "landing/seats")] == (RAW_CUT, 0, 1)
    assert recorded[("marts", "marts.engagement_weekly")] == (MARTS_CUT, 1, 0)
    assert recorded[("marts", "marts.data_quality_results")] == (MARTS_CUT, 1, 0)
    assert recorded[("marts", "marts.report_status")] == (MARTS_CUT, 1, 0)
    assert recorded[("publish", f"publish/{MARTS_CUT - DAY}")] == (MARTS_CUT, 0, 2)
    assert recorded[("contacts", "marts.contacts")] == (CONTACTS_CUT, 2, 0)
    assert recorded[("access_log", "meta.access_log")] == (ACCESS_CUT, 1, 0)
    assert len(rows) == len(removed) == 16
    assert "00000001" not in repr(world.query("select * from meta.purges"))


def test_a_source_with_its_own_landing_period_is_purged_and_recorded_with_its_own_cutoff(world, tmp_path):
    config = tmp_path / "retention.yml"
    config.write_text("periods:\n  landing.moodle: 100 days\n")
    run_purge(world, retention=load_retention(config))
    moodle_cut = TODAY - 100 * DAY
    assert not (world.landing / "moodle" / f"logstore_{KEPT}.csv").exists()
    assert (world.landing / "seats" / f"attendance_{KEPT}.tsv").exists()
    assert world.count("raw.moodle_log") == 1  # raw rows keep the raw period
    recorded = world.query(
        "select target, cutoff, rows_removed, files_removed from meta.purges where layer = 'landing'"
    )
    assert sorted(recorded) == [
        ("landing/moodle", moodle_cut, 0, 2),
        ("landing/returns", RAW_CUT, 0, 1),
        ("landing/seats", RAW_CUT, 0, 1),
        ("landing/sits", RAW_CUT, 0, 2),
        ("meta.landed_files", RAW_CUT, 3, 0),
        ("meta.landed_files", moodle_cut, 2, 0),
    ]


def test_the_check_fails_before_the_purge_names_what_is_held_and_passes_after(world):
    before = check(world)
    held = {h.target: h for h in before}
    assert held["raw.moodle_log"].rows == 1 and held["raw.moodle_log"].oldest == OLD
    assert held["landing/moodle"].files == 1 and held["marts.contacts"].rows == 2
    assert {h.layer for h in before} == {"raw", "quarantine", "landing", "marts", "publish", "contacts", "access_log"}
    run_purge(world)
    assert check(world) == []


def test_purging_twice_removes_nothing_more(world):
    run_purge(world)
    purges = world.count("meta.purges")
    assert run_purge(world) == []
    assert world.count("meta.purges") == purges


def test_a_later_day_purges_what_has_since_expired(world):
    run_purge(world)
    assert check(world, TODAY + DAY) != []
    run_purge(world, TODAY + DAY)
    assert world.count("raw.moodle_log") == 0
    assert check(world, TODAY + DAY) == []


def test_a_crash_after_the_warehouse_commit_leaves_files_that_the_check_reports_and_the_next_purge_removes(
    world, monkeypatch
):
    def power_cut(path):
        raise OSError("power cut")

    monkeypatch.setattr(shutil, "rmtree", power_cut)
    with pytest.raises(OSError):
        run_purge(world)
    assert world.count("raw.moodle_log") == 1  # the warehouse part was committed
    assert {h.layer for h in check(world)} == {"landing", "publish"}
    monkeypatch.undo()
    run_purge(world)
    assert check(world) == []


def test_removed_values_do_not_stay_in_the_warehouse_file(tmp_path):
    secrets = [f"{i:08d}-{'kx9q' * 6}-{i * 7919:012d}" for i in range(300)]
    warehouse = tmp_path / "w.duckdb"
    with connect(warehouse) as con:
        # Uncompressed, so that a value still in the file can be found by its bytes.
        con.execute("set force_compression = 'uncompressed'")
        con.execute(
            "insert into meta.access_log select ?::timestamptz, s, 'admin', 'view', null, [s], 1, null, 'test' "
            "from unnest(?::varchar[]) t(s)",
            [f"{ACCESS_CUT - 10 * DAY}T12:00:00+00:00", secrets],
        )
        con.execute("checkpoint")
    assert sum(s.encode() in warehouse.read_bytes() for s in secrets) == len(secrets)
    removed = purge(warehouse, tmp_path / "landing", tmp_path / "publish", TODAY, DEFAULTS, ZONE)
    assert [(r.target, r.rows) for r in removed] == [("meta.access_log", 300)]
    data = warehouse.read_bytes()
    assert [s for s in secrets if s.encode() in data] == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["w.duckdb"]  # no copy or WAL left behind
    with connect(warehouse) as con:  # the compacted file is a working warehouse
        assert con.execute("select count(*) from meta.purges").fetchone() == (1,)


def test_a_fresh_warehouse_without_marts_is_purged_and_checked_without_error(tmp_path):
    warehouse = tmp_path / "w.duckdb"
    assert overdue(warehouse, tmp_path, tmp_path, TODAY, DEFAULTS, ZONE) == []
    assert purge(warehouse, tmp_path, tmp_path, TODAY, DEFAULTS, ZONE) == []


def test_compaction_can_be_turned_off(world, monkeypatch):
    calls = []
    monkeypatch.setattr(retention_module, "compact", lambda con, path: calls.append(path))
    run_purge(world, retention=Retention(compact_warehouse=False))
    assert calls == []
    run_purge(world, TODAY + DAY)
    assert calls == [world.warehouse]
