"""Invariants of a whole built term, computed independently of the dbt models."""

import duckdb

POPULATION = """
with weeks as (
    select distinct week_start, as_of_date, report_date, sits_extract_date from marts.engagement_weekly
),
chosen as (
    select
        w.*,
        coalesce(
            (
                select max(e.extract_date) from raw.sits_extracts e
                where e.is_complete and e.extract_date <= w.report_date
            ),
            (select min(e.extract_date) from raw.sits_extracts e where e.is_complete)
        ) as expected_extract
    from weeks w
)
select distinct c.week_start, c.sits_extract_date = c.expected_extract as right_extract, m.student_id
from chosen c
join raw.sits_studentcoursemembership m on m.extract_date = c.expected_extract
where m.course_join_date <= c.as_of_date
  and (m.course_end_date >= c.week_start or (m.course_end_date is null and m.active_membership = 1))
"""


def rag_sql(score: str, green: str, amber: str) -> str:
    return (
        f"case when {score} is null then 'none' when {score} >= (select value from t where parameter = '{green}')"
        f" then 'green' when {score} >= (select value from t where parameter = '{amber}') then 'amber' else 'red' end"
    )


def check_term(con: duckdb.DuckDBPyConnection) -> None:
    """Every population student has exactly one row; every RAG agrees with its score and thresholds."""
    population = con.execute(POPULATION).fetchall()
    assert population and all(right for _, right, _ in population), "a week used the wrong SITS extract"
    expected = {(week, student) for week, _, student in population}
    rows = con.execute("select week_start, student_id from marts.engagement_weekly").fetchall()
    assert len(rows) == len(set(rows)), "a student has two rows in one week"
    assert set(rows) == expected, "the mart's population differs from the population rule"

    con.execute("create or replace temp table t as select parameter, value::double as value from seeds.rule_thresholds")
    checks = {
        "combined_rag": rag_sql("combined_score", "summary_green_min", "summary_amber_min"),
        "online_rag": rag_sql("online_score", "summary_green_min", "summary_amber_min"),
        "vle_rag": rag_sql("vle_score_14d", "vle_green_min", "vle_amber_min"),
        "submission_rag": rag_sql("submission_score_28d", "submission_green_min", "submission_amber_min"),
        "attendance_rag": "case when level <> 'UG' or is_online_only then 'none' else "
        + rag_sql("attendance_pct_7d", "attendance_green_min", "attendance_amber_min")
        + " end",
    }
    for column, rule in checks.items():
        wrong = con.execute(f"select count(*) from marts.engagement_weekly where {column} <> {rule}").fetchone()[0]
        assert wrong == 0, f"{wrong} row(s) whose {column} disagrees with the score and thresholds"
    reds = con.execute("select count(*) from marts.engagement_weekly where combined_rag = 'red'").fetchone()[0]
    greens = con.execute("select count(*) from marts.engagement_weekly where combined_rag = 'green'").fetchone()[0]
    assert reds > 0 and greens > reds, "a generated term should show mostly green and some red"


def drop_everything_after(con: duckdb.DuckDBPyConnection, as_of: str, report_date: str) -> None:
    """Remove from raw every activity dated after `as_of` and every extract dated after `report_date`."""
    con.execute("delete from raw.moodle_log where event_date > ?", [as_of])
    con.execute("delete from raw.seats_attendance where start_date > ?", [as_of])
    con.execute("delete from raw.sits_studentassessmentinstance where assess_submission_date > ?", [as_of])
    for (table,) in con.execute(
        "select table_name from information_schema.tables where table_schema = 'raw' and table_name like 'sits_%'"
    ).fetchall():
        con.execute(f"delete from raw.{table} where extract_date > ?", [report_date])
