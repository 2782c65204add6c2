from datetime import date

from leap_assets.checks.results import ensure_table
from orchestration.runs.status import failing_checks, full_status, quarantine_reasons


def built(con, *weeks: date) -> None:
    con.execute("create schema if not exists marts")
    con.execute("create table if not exists marts.engagement_weekly (week_start date, student_id varchar)")
    for week in weeks:
        con.execute("insert into marts.engagement_weekly values (?, '00000001')", [week])


def result(con, week: date, source: str, suite: str, expectation: str, passed: bool) -> None:
    con.execute(
        "insert into marts.data_quality_results values (?, ?, ?, ?, ?, null, now(), 'v1')",
        [week, source, suite, expectation, passed],
    )


def test_status_lists_the_failing_expectations_of_the_newest_built_week(con, warehouse, monkeypatch):
    monkeypatch.setenv("LEAP_WAREHOUSE", str(warehouse))
    ensure_table(con)
    built(con, date(2026, 10, 12), date(2026, 10, 19))
    result(con, date(2026, 10, 12), "seats", "seats.attendance_volume", "rows per module", False)
    result(con, date(2026, 10, 19), "moodle", "moodle.daily_volume", "rows per day", False)
    result(con, date(2026, 10, 19), "sits", "sits.snapshot", "complete extract", True)
    # An ingestion check files its verdict under the week its newest data belongs to, never built here.
    result(con, date(2026, 11, 30), "sits", "sits.snapshot", "complete extract", True)
    con.execute(
        "insert into quarantine.rows values ('seats', 'seats/a.tsv', 3, 'START_TIME', 'unparsable START_TIME (x)',"
        " false, null, '{}', now())"
    )
    con.close()
    report = failing_checks()
    assert "week of 2026-10-19" in report and "2026-11-30" not in report
    assert "moodle.daily_volume: rows per day" in report
    assert "attendance_volume" not in report and "complete extract" not in report
    assert "seats           1  unparsable START_TIME" in quarantine_reasons()


def test_status_of_an_empty_warehouse_says_nothing_is_built(con, warehouse, monkeypatch, tmp_path):
    monkeypatch.setenv("LEAP_WAREHOUSE", str(warehouse))
    monkeypatch.setenv("LEAP_LANDING", str(tmp_path / "landing"))
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster"))
    ensure_table(con)
    result(con, date(2026, 11, 30), "sits", "sits.snapshot", "complete extract", True)
    con.close()
    report = full_status()
    assert "Report weeks: none built yet." in report
    assert "Data-quality checks: no report week built yet." in report
    assert "every expectation passed" not in report
