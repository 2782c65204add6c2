"""How runs replace weeks: idempotent, range = week by week, later data never rewrites a week,
a week that empties ends with no rows, and the runs fail clearly without vars or extracts."""

from datetime import date

import duckdb
import leap_scenario
from leap_dbt import assert_success
from leap_rows import insert

W = leap_scenario.W.isoformat()
W_PREVIOUS = leap_scenario.W_PREVIOUS.isoformat()
W_NEXT = leap_scenario.W_NEXT.isoformat()


def test_running_the_same_week_twice_changes_nothing(scenario):
    before = scenario.mart()
    assert_success(scenario("run", "--select", "engagement_weekly", weeks=(W, W)))
    assert scenario.mart() == before


def test_a_range_run_equals_week_by_week_runs_in_any_order(scenario, tmp_path):
    week_by_week = scenario.copy_to(tmp_path / "week_by_week")
    for week in (W_NEXT, W_PREVIOUS):  # W was built by the fixture
        assert_success(week_by_week("run", "--select", "engagement_weekly", weeks=(week, week)))
    assert_success(scenario("run", "--select", "engagement_weekly", weeks=(W_PREVIOUS, W_NEXT)))

    ranged = scenario.mart()
    assert ranged == week_by_week.mart()
    assert {str(row["week_start"]) for row in ranged} == {W_PREVIOUS, W, W_NEXT}
    # The week before the range was only computed for W's trend, never written.
    assert "2026-09-21" not in {str(row["week_start"]) for row in ranged}


def test_later_data_does_not_change_an_earlier_week(scenario):
    before = scenario.mart(W)
    with duckdb.connect(str(scenario.warehouse)) as con:
        # A complete extract dated after W's report date in which everybody left before W...
        insert(con, "raw.sits_extracts", [
            {"extract_date": date(2026, 10, 16), "is_complete": True, "loaded_at": "2026-10-16 06:00:00+00"},
        ])  # fmt: skip
        con.execute(
            "insert into raw.sits_studentcoursemembership by name select * replace "
            "(date '2026-10-16' as extract_date, 2 as active_membership, date '2026-10-04' as course_end_date) "
            "from raw.sits_studentcoursemembership where extract_date = date '2026-10-09'"
        )
        for table in ("sits_student", "sits_course"):
            con.execute(
                f"insert into raw.{table} by name select * replace (date '2026-10-16' as extract_date) "
                f"from raw.{table} where extract_date = date '2026-10-09'"
            )
        # ...activity after W's as_of_date, and a SEAtS correction moving a W+1 session.
        insert(con, "raw.moodle_log", [
            {"id": 10_000, "userid": "u4", "courseid": "101", "event_date": date(2026, 10, 13),
             "timecreated": 1791892800, "edulevel": 2, "anonymous": 0, "origin": "web",
             "file_date": date(2026, 10, 13)},
        ])  # fmt: skip
        insert(con, "raw.seats_attendance", [
            leap_scenario.session("S1", "E9", date(2026, 10, 13), 0, file_date=date(2026, 10, 13)),
            leap_scenario.session("S1", "E9", date(2026, 10, 14), 1, file_date=date(2026, 10, 20)),
        ])  # fmt: skip
    assert_success(scenario("run", "--select", "engagement_weekly", weeks=(W, W_NEXT)))
    assert scenario.mart(W) == before
    # W+1's report date (2026-10-19) admits the new extract, in which nobody is left.
    assert scenario.mart(W_NEXT) == []


def test_a_seats_correction_of_a_session_in_the_week_does_change_it(scenario):
    with duckdb.connect(str(scenario.warehouse)) as con:
        insert(con, "raw.seats_attendance", [
            leap_scenario.session("S4", "E2", date(2026, 10, 6), 1, file_date=date(2026, 10, 26)),
        ])  # fmt: skip
    assert_success(scenario("run", "--select", "engagement_weekly", weeks=(W, W)))
    s4 = next(row for row in scenario.mart(W) if row["student_id"] == "S4")
    assert (s4["attendance_attended_7d"], s4["attendance_pct_7d"], s4["attendance_rag"]) == (2, 100.0, "green")


def test_a_week_whose_population_empties_ends_with_no_rows_and_other_weeks_stay(scenario):
    assert_success(scenario("run", "--select", "engagement_weekly", weeks=(W_NEXT, W_NEXT)))
    with duckdb.connect(str(scenario.warehouse)) as con:
        con.execute(
            "insert or replace into meta.privacy_state select student_id, true, false, false, now() "
            "from raw.sits_student"
        )
    assert_success(scenario("run", "--select", "engagement_weekly", weeks=(W, W)))
    assert scenario.mart(W) == []
    assert len(scenario.mart(W_NEXT)) == 6


def test_a_run_without_week_vars_fails_with_a_clear_message(dbt):
    result = dbt("run", "--select", "engagement_weekly")
    assert not result.success
    assert "week_start_from and week_start_to" in _messages(result)


def test_a_week_start_that_is_not_a_monday_is_refused(dbt):
    result = dbt("run", "--select", "engagement_weekly", weeks=("2026-10-06", "2026-10-06"))
    assert not result.success
    assert "must be a Monday" in _messages(result)


def test_without_a_complete_extract_the_run_fails_and_keeps_the_rows(scenario):
    before = scenario.mart()
    with duckdb.connect(str(scenario.warehouse)) as con:
        con.execute("update raw.sits_extracts set is_complete = false")
    result = scenario("run", "--select", "engagement_weekly", weeks=(W, W))
    assert not result.success
    assert "No complete SITS extract" in _messages(result)
    assert scenario.mart() == before


def test_a_run_reads_only_the_dates_its_windows_need(scenario):
    compiled = scenario.folder / "target" / "compiled" / "leap" / "models" / "marts" / "engagement_weekly.sql"
    assert_success(scenario("run", "--select", "engagement_weekly", weeks=(W, W)))
    sql = " ".join(compiled.read_text().split())
    # W-1's attendance window starts 2026-09-28 and its VLE window 2026-09-21; W ends 2026-10-11.
    assert "start_date between cast('2026-09-28' as date) and cast('2026-10-11' as date)" in sql
    assert "event_date between cast('2026-09-21' as date) and cast('2026-10-11' as date)" in sql


def _messages(result) -> str:
    parts = [str(result.exception or "")]
    parts += [str(r.message) for r in (result.result or []) if getattr(r, "message", None)]
    return "\n".join(parts)


def test_without_vars_a_run_builds_the_weeks_of_the_build_window_row(scenario, tmp_path):
    from leap_assets.transform.window import clear_window, write_window

    by_vars = scenario.copy_to(tmp_path / "by_vars")
    assert_success(by_vars("run", "--select", "engagement_weekly", weeks=(W_PREVIOUS, W_NEXT)))
    with duckdb.connect(str(scenario.warehouse)) as con:
        write_window(con, leap_scenario.W_PREVIOUS, leap_scenario.W_NEXT)
    assert_success(scenario("run", "--select", "engagement_weekly"))
    assert scenario.mart() == by_vars.mart()
    with duckdb.connect(str(scenario.warehouse)) as con:
        clear_window(con)
    assert "week_start_from and week_start_to" in _messages(scenario("run", "--select", "engagement_weekly"))
