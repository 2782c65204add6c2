from datetime import date

from leap_assets.checks.results import ensure_table
from orchestration.status import failing_checks, quarantine_reasons


def test_status_lists_the_failing_expectations_of_the_newest_checked_week(con, warehouse, monkeypatch):
    monkeypatch.setenv("LEAP_WAREHOUSE", str(warehouse))
    ensure_table(con)
    rows = [
        (date(2026, 10, 12), "seats", "seats.attendance_volume", "rows per module", False),
        (date(2026, 10, 19), "moodle", "moodle.daily_volume", "rows per day", False),
        (date(2026, 10, 19), "sits", "sits.snapshot", "complete extract", True),
    ]
    for week, source, suite, expectation, passed in rows:
        con.execute(
            "insert into marts.data_quality_results values (?, ?, ?, ?, ?, null, now())",
            [week, source, suite, expectation, passed],
        )
    con.execute(
        "insert into quarantine.rows values ('seats', 'seats/a.tsv', 3, 'START_TIME', 'unparsable START_TIME (x)',"
        " false, null, '{}', now())"
    )
    con.close()
    report = failing_checks()
    assert "week of 2026-10-19" in report
    assert "moodle.daily_volume: rows per day" in report
    assert "attendance_volume" not in report and "complete extract" not in report
    assert "seats           1  unparsable START_TIME" in quarantine_reasons()
