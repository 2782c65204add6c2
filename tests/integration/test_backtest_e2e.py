"""The back-test of a generated, backfilled term through `leap governance backtest` (a Dagster run of
backtest_job): the CSV's AUC and ratios equal an independent pandas computation from the mart and the
SITS tables, the page holds no student id, and the annual review pack carries the term's back-test."""

import csv
from itertools import product
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from click.testing import CliRunner
from dagster import DagsterInstance, DagsterRunStatus, RunsFilter

from orchestration.cli import main
from tests.support.leap_processes import isolated_leap

FIRST, LAST = "2026-09-14", "2026-09-28"


def leap(*args: str) -> str:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def backtested(tmp_path_factory) -> tuple[dict[str, Path], str]:
    root = tmp_path_factory.mktemp("backtest")
    with isolated_leap(root) as env:
        leap("generate", "--students", "200", "--weeks", "3", "--start", FIRST, "--seed", "41")
        leap("backfill", "--from", FIRST, "--to", LAST)
        output = leap("governance", "backtest", "--term", "AUT", "--year", "2026")
        leap("governance", "review", "--year", "2026")
        instance = DagsterInstance.get()
        [run] = instance.get_runs(filters=RunsFilter(job_name="backtest_job"))
        assert run.status == DagsterRunStatus.SUCCESS
        assert run.run_config["ops"]["governance_backtest"]["config"]["first_week"] == FIRST
    return env, output


def expected(warehouse: Path) -> pd.DataFrame:
    """Per week, from the mart and the newest complete extract, by brute force."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        mart = con.execute(
            "select week_start, as_of_date, student_id, course_id, combined_score, combined_rag"
            " from marts.engagement_weekly"
        ).df()
        newest = con.execute("select max(extract_date) from raw.sits_extracts where is_complete").fetchone()[0]
        members = con.execute("select * from raw.sits_studentcoursemembership where extract_date = ?", [newest]).df()
        modules = con.execute("select * from raw.sits_studentmoduleinstance where extract_date = ?", [newest]).df()
    outcomes = []
    for row in mart.itertuples():
        mine = members[(members.student_id == row.student_id) & (members.course_id == row.course_id)]
        mine = mine[(mine.course_join_date <= row.as_of_date)
                    & (mine.course_end_date.isna() | (mine.course_end_date >= row.week_start))]  # fmt: skip
        withdrawn = None
        if len(mine):
            latest = mine.sort_values("course_join_date").iloc[-1]
            reason = latest.withdrawal_reason
            withdrawn = bool(latest.active_membership == 2 and isinstance(reason, str) and reason not in ("", "40"))
        running = modules[(modules.student_id == row.student_id) & (modules.mod_start_date <= row.as_of_date)
                          & (modules.mod_end_date >= row.week_start)].mod_result.tolist()  # fmt: skip
        if withdrawn or "2" in running:
            outcomes.append("adverse")
        elif withdrawn is False and running and all(r == "1" for r in running):
            outcomes.append("not_adverse")
        else:
            outcomes.append("unknown")
    mart["outcome"] = outcomes
    rows = []
    for week, rows_of_week in mart.groupby("week_start"):
        known = rows_of_week[rows_of_week.outcome != "unknown"]
        rate = {}
        for rag in ("red", "green"):
            of_rag = known[known.combined_rag == rag]
            rate[rag] = (of_rag.outcome == "adverse").mean() if len(of_rag) else None
        bad = known[(known.outcome == "adverse") & known.combined_score.notna()].combined_score.tolist()
        good = known[(known.outcome == "not_adverse") & known.combined_score.notna()].combined_score.tolist()
        wins = sum(1.0 if a < g else 0.5 if a == g else 0.0 for a, g in product(bad, good))
        rows.append({
            "week_start": str(pd.Timestamp(week).date()), "known_outcome": len(known),
            "adverse_rate_red": rate["red"], "adverse_rate_green": rate["green"],
            "red_green_ratio": rate["red"] / rate["green"] if rate["red"] is not None and rate["green"] else None,
            "auc": wins / (len(bad) * len(good)) if bad and good else None,
        })  # fmt: skip
    return pd.DataFrame(rows)


@pytest.mark.e2e
def test_csv_auc_and_ratios_equal_an_independent_computation(backtested):
    env, output = backtested
    sheet = env["LEAP_PUBLISH"] / "governance" / f"backtest_{FIRST}_{LAST}.csv"
    assert f"Back-test: {sheet.with_suffix('.html')}" in output
    with sheet.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["week_start", "students", "known_outcome", "scored", "red", "amber", "green", "none",
                             "adverse_rate_red", "adverse_rate_amber", "adverse_rate_green", "adverse_rate_none",
                             "red_green_ratio", "auc"]  # fmt: skip
    want = expected(env["LEAP_WAREHOUSE"]).set_index("week_start")
    assert [r["week_start"] for r in rows] == ["2026-09-14", "2026-09-21", "2026-09-28"]
    for row in rows:
        truth = want.loc[row["week_start"]]
        assert int(row["known_outcome"]) == truth["known_outcome"] > 0
        for column in ("adverse_rate_red", "adverse_rate_green", "red_green_ratio", "auc"):
            if truth[column] is None or pd.isna(truth[column]):
                assert row[column] == ""
            else:
                assert row[column] == f"{truth[column]:.4f}", (row["week_start"], column)
        assert f"week {row['week_start']}: " in output
    assert any(row["auc"] and float(row["auc"]) > 0.6 for row in rows)  # outcomes follow engagement


@pytest.mark.e2e
def test_the_page_is_self_contained_and_names_no_student(backtested):
    env, _ = backtested
    page = (env["LEAP_PUBLISH"] / "governance" / f"backtest_{FIRST}_{LAST}.html").read_text(encoding="utf-8")
    assert page.count('src="data:image/png;base64,') == 3 and "<script" not in page and "http" not in page
    for heading in ("Week by week", "Fairness of the errors", "Threshold sensitivity", "Ethnicity group"):
        assert heading in page
    with duckdb.connect(str(env["LEAP_WAREHOUSE"]), read_only=True) as con:
        students = [r[0] for r in con.execute("select distinct student_id from marts.engagement_weekly").fetchall()]
    assert not [s for s in students if s in page]
    review = (env["LEAP_PUBLISH"] / "governance" / "review-2026.html").read_text(encoding="utf-8")
    assert "Back-test of the indicator" in review and "(AUT): weeks 2026-09-14 to 2026-09-28" in review


def test_backtest_command_refuses_a_half_range_in_one_sentence(leap_env):
    result = CliRunner().invoke(main, ["governance", "backtest", "--term", "AUT"])
    assert (
        result.exit_code == 1 and result.output == "leap: give either --term and --year together, or --from and --to.\n"
    )
    result = CliRunner().invoke(main, ["governance", "backtest", "--from", "2026-10-05", "--to", "2026-09-28"])
    assert result.exit_code == 1 and "is before --from" in result.output


def test_a_range_with_no_mart_rows_gives_empty_weeks_through_dagster(leap_env):
    output = leap("governance", "backtest", "--from", "2026-09-16", "--to", "2026-09-22")
    sheet = leap_env["LEAP_PUBLISH"] / "governance" / "backtest_2026-09-14_2026-09-21.csv"
    assert sheet.read_text(encoding="utf-8").splitlines()[1:] == [
        "2026-09-14,0,0,0,0,0,0,0,,,,,,",
        "2026-09-21,0,0,0,0,0,0,0,,,,,,",
    ]
    assert "week 2026-09-21: red - vs green -, red/green -, AUC - (0 of 0 outcomes known)" in output
