"""marts.data_quality_results: one row per expectation per week; re-running a week replaces its rows."""

from datetime import timedelta

import duckdb

from expectations.runner import ResultRecord
from leap_assets.checks import results
from leap_assets.governance.quality_report import publish_week
from leap_assets.quality.calendar import Calendar
from leap_assets.quality.settings import load_quality_settings
from leap_assets.resources import LeapPaths
from tests.support.quality_warehouse import W, build

COLUMNS = ["week_start", "source", "suite", "expectation", "passed", "observed_value", "checked_at", "settings_version"]


def record(suite: str, expectation: str, passed: bool = True) -> ResultRecord:
    return ResultRecord(suite.split(".")[0], suite, expectation, passed, "observed", "label")


GATE = (load_quality_settings(), Calendar())


def stored(con) -> list[tuple]:
    return con.execute(f"select week_start, suite, expectation, passed from {results.TABLE} order by all").fetchall()


def test_results_are_stored_per_week_and_a_rerun_replaces_only_its_suites(tmp_path):
    other = W - timedelta(days=7)
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        results.replace_week(con, W, [record("seats.coverage", "a"), record("moodle.events", "b")], "v1")
        results.replace_week(con, other, [record("seats.coverage", "a")], "v1")
        results.replace_week(con, W, [record("seats.coverage", "a", passed=False), record("seats.coverage", "c")], "v2")
        assert [c[0] for c in con.execute(f"describe {results.TABLE}").fetchall()] == COLUMNS
        versions = con.execute(f"select week_start, settings_version from {results.TABLE} order by all").fetchall()
        assert sorted(set(versions)) == [(W - timedelta(days=7), "v1"), (W, "v1"), (W, "v2")]
        assert stored(con) == [
            (other, "seats.coverage", "a", True),
            (W, "moodle.events", "b", True),
            (W, "seats.coverage", "a", False),
            (W, "seats.coverage", "c", True),
        ]


def test_a_week_run_writes_every_suite_once_and_again_on_a_rerun(tmp_path):
    paths = LeapPaths(warehouse=str(build(tmp_path / "warehouse.duckdb")), publish=str(tmp_path / "publish"))
    first = publish_week(paths, W, *GATE)
    with duckdb.connect(paths.warehouse, read_only=True) as con:
        rows = con.execute(f"select count(*), count(distinct suite), max(checked_at) from {results.TABLE}").fetchone()
        weeks = con.execute(f"select distinct week_start from {results.TABLE}").fetchall()
    assert rows[0] == len(first.records) and rows[1] == 17
    assert weeks == [(W,)]
    publish_week(paths, W, *GATE)
    with duckdb.connect(paths.warehouse, read_only=True) as con:
        again = con.execute(f"select count(*), max(checked_at) from {results.TABLE}").fetchone()
    assert again[0] == rows[0] and again[1] > rows[2]
