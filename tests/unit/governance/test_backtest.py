"""The back-test's rules on hand-computed cases: the outcome of a student-week, the AUC with ties,
suppression in the group tables, an empty week, the CSV format and the sensitivity grid."""

from datetime import date

import pandas as pd
import pytest

from leap_assets.governance import backtest as bt
from leap_assets.governance import backtest_data as data
from leap_assets.governance.backtest_html import fairness_table

W1, W2 = date(2026, 10, 5), date(2026, 10, 12)
OLD, NEW = date(2026, 9, 1), date(2026, 12, 1)


def mart_row(con, week: date, student: str, course: str, score: float | None, rag: str) -> None:
    con.execute(
        "insert into marts.engagement_weekly values (?, ?::date + 6, ?, ?, ?, 'Arts', 'UG', ?, ?)",
        [week, week, OLD, student, course, score, rag],
    )


def membership(con, extract: date, student: str, course: str, active: int, joined: str, ended, reason) -> None:
    con.execute(
        "insert into raw.sits_studentcoursemembership (extract_date, student_course_membership_id, student_id,"
        " course_id, active_membership, course_join_date, course_end_date, withdrawal_reason, _source_file,"
        " _source_line) values (?, ?, ?, ?, ?, ?, ?, ?, 'f', 2)",
        [extract, f"{student}-{course}", student, course, active, joined, ended, reason],
    )


def module(con, extract: date, student: str, instance: str, start: str, end: str, result: str | None) -> None:
    con.execute(
        "insert into raw.sits_studentmoduleinstance (extract_date, student_id, mod_instance_id, mod_start_date,"
        " mod_end_date, mod_result, _source_file, _source_line) values (?, ?, ?, ?, ?, ?, 'f', 2)",
        [extract, student, instance, start, end, result],
    )


@pytest.fixture
def outcomes(con) -> dict[tuple[date, str], str]:
    con.execute("create schema if not exists marts")
    con.execute(
        "create table marts.engagement_weekly (week_start date, as_of_date date, sits_extract_date date,"
        " student_id varchar, course_id varchar, school varchar, level varchar, combined_score double,"
        " combined_rag varchar)"
    )
    for extract in (OLD, NEW):
        con.execute("insert into raw.sits_extracts values (?, true, null, null, now())", [extract])
    # An older extract knows none of the outcomes: only the newest complete one counts.
    membership(con, OLD, "S1", "C1", 1, "2025-09-01", None, None)
    module(con, OLD, "S2", "M1", "2026-09-14", "2026-12-13", "1")
    term = ("2026-09-14", "2026-12-13")
    # S1 withdrew (whatever the modules say); S2 failed one of two running modules; S3 passed all.
    membership(con, NEW, "S1", "C1", 2, "2025-09-01", "2026-11-03", "44")
    module(con, NEW, "S1", "M1", *term, "1")
    membership(con, NEW, "S2", "C1", 1, "2025-09-01", None, None)
    module(con, NEW, "S2", "M1", *term, "1")
    module(con, NEW, "S2", "M2", *term, "2")
    membership(con, NEW, "S3", "C1", 1, "2025-09-01", None, None)
    module(con, NEW, "S3", "M1", *term, "1")
    module(con, NEW, "S3", "M9", "2026-01-05", "2026-03-29", "2")  # a fail in a module not running: ignored
    # S4: a result not known yet; S5: no module running in the week; S6: no membership of the row's course.
    membership(con, NEW, "S4", "C1", 1, "2025-09-01", None, None)
    module(con, NEW, "S4", "M1", *term, "1")
    module(con, NEW, "S4", "M2", *term, "3")
    membership(con, NEW, "S5", "C1", 1, "2025-09-01", None, None)
    module(con, NEW, "S5", "M1", "2026-10-12", "2026-12-13", "1")
    module(con, NEW, "S6", "M1", *term, "1")
    # S7 has two memberships: a course left by transfer in week 1 (reason 40: not a withdrawal), and the
    # course transferred to, which they later withdrew from. Week 1 is under the first, week 2 the second.
    membership(con, NEW, "S7", "C1", 2, "2025-09-01", "2026-10-09", "40")
    membership(con, NEW, "S7", "C2", 2, "2026-10-10", "2026-11-20", "3")
    module(con, NEW, "S7", "M1", *term, "1")
    # S8: a course completed earlier (ended, no reason) and the current one, all passed.
    membership(con, NEW, "S8", "C0", 2, "2024-09-01", "2025-06-30", None)
    membership(con, NEW, "S8", "C1", 1, "2025-09-01", None, None)
    module(con, NEW, "S8", "M1", *term, "1")
    for student in ("S1", "S2", "S3", "S4", "S5", "S6", "S8"):
        mart_row(con, W1, student, "C1", 50.0, "amber")
    mart_row(con, W1, "S7", "C1", 50.0, "amber")
    mart_row(con, W2, "S7", "C2", 50.0, "amber")
    frame = data.student_weeks(con, W1, W2)
    return {(row.week_start, row.student_id): row.outcome for row in frame.itertuples()}


def test_withdrawn_failed_passed_and_unknown_outcomes(outcomes):
    assert outcomes[(W1, "S1")] == "adverse"  # withdrawn, although every module passed
    assert outcomes[(W1, "S2")] == "adverse"  # a running module failed
    assert outcomes[(W1, "S3")] == "not_adverse"  # a fail outside the week does not count
    assert outcomes[(W1, "S4")] == "unknown"  # one running module not known yet
    assert outcomes[(W1, "S5")] == "unknown"  # no module running in the week
    assert outcomes[(W1, "S6")] == "unknown"  # no membership of the row's course


def test_a_student_with_two_memberships_is_judged_by_the_one_of_the_rows_course(outcomes):
    assert outcomes[(W1, "S7")] == "not_adverse"  # left C1 by transfer, modules passed
    assert outcomes[(W2, "S7")] == "adverse"  # withdrew from C2
    assert outcomes[(W1, "S8")] == "not_adverse"  # a completed earlier course is not a withdrawal


def test_auc_counts_ties_as_one_half_and_is_undefined_for_one_group():
    scores = pd.Series([10.0, 50.0, 50.0, 80.0, 90.0, None])
    adverse = pd.Series([True, True, False, False, False, True])
    # Pairs (adverse, not adverse): 10 < 50, 80, 90 (3); 50 = 50 (1/2), 50 < 80, 90 (2): 5.5 of 6.
    assert bt.auc(scores, adverse) == pytest.approx(5.5 / 6)
    assert bt.auc(pd.Series([20.0, 20.0]), pd.Series([True, False])) == 0.5
    assert bt.auc(pd.Series([1.0, 2.0]), pd.Series([True, True])) is None


def frame_of(rows: list[tuple]) -> pd.DataFrame:
    columns = ["week_start", "student_id", "combined_score", "combined_rag", "outcome"]
    frame = pd.DataFrame(rows, columns=columns)
    for column in ("school", "level", "sexid", "ethnicity", "difflearn1"):
        frame[column] = None
    return frame


def test_week_figures_by_hand_and_an_empty_week():
    rows = [(W1, "A", 10.0, "red", "adverse"), (W1, "B", 20.0, "red", "not_adverse"),
            (W1, "C", 80.0, "green", "adverse"), (W1, "D", 90.0, "green", "not_adverse"),
            (W1, "E", 95.0, "green", "not_adverse"), (W1, "F", 50.0, "amber", "unknown"),
            (W1, "G", None, "none", "adverse")]  # fmt: skip
    weekly = bt.week_figures(frame_of(rows), [W1, W2])
    first, empty = weekly.iloc[0], weekly.iloc[1]
    assert (first["students"], first["known_outcome"], first["scored"]) == (7, 6, 6)
    assert (first["red"], first["amber"], first["green"], first["none"]) == (2, 1, 3, 1)
    assert first["adverse_rate_red"] == 0.5 and first["adverse_rate_green"] == pytest.approx(1 / 3)
    assert pd.isna(first["adverse_rate_amber"]) and first["adverse_rate_none"] == 1.0
    assert first["red_green_ratio"] == pytest.approx(1.5)
    assert first["auc"] == pytest.approx(5 / 6)  # A below all 3; C below D and E only
    assert empty["students"] == 0 and pd.isna(empty["auc"]) and pd.isna(empty["red_green_ratio"])


def test_csv_has_exactly_the_columns_rates_with_4_decimals_and_empty_where_undefined(tmp_path):
    rows = [(W1, "A", 10.0, "red", "adverse"), (W1, "B", 80.0, "green", "adverse"),
            (W1, "C", 90.0, "green", "not_adverse")]  # fmt: skip
    target = tmp_path / "backtest.csv"
    bt.write_csv(bt.week_figures(frame_of(rows), [W1, W2]), target)
    lines = target.read_text(encoding="utf-8").splitlines()
    assert lines[0] == ",".join(bt.CSV_COLUMNS)
    assert lines[1] == "2026-10-05,3,3,3,1,0,2,0,1.0000,,0.5000,,2.0000,1.0000"
    assert lines[2] == "2026-10-12,0,0,0,0,0,0,0,,,,,,"


def test_group_cells_under_five_are_suppressed_with_a_complement():
    counts = pd.DataFrame(
        {"adverse": [3, 20, 23], "red_adverse": [2, 12, 14], "not_adverse": [40, 60, 100],
         "red_not_adverse": [8, 6, 14]},
        index=["Small", "Large", bt.ALL],
    )  # fmt: skip
    shown = fairness_table(bt.ErrorCounts(counts, counts.copy())).set_index("Group")
    assert shown.at["Small", "Adverse"] == "<5" and shown.at["Small", "Detection rate"] == "<5"
    assert shown.at["Large", "Adverse"] == "*"  # else 23 - 20 gives the small group away
    assert shown.at["Small", "Not adverse"] == "40" and shown.at["Small", "False alarm rate"] == "20.0%"
    assert shown.at["Small", "False alarm ratio"] == "1.43"  # 20% against 14% of everyone
    assert shown.at[bt.ALL, "Adverse"] == "23" and shown.at[bt.ALL, "Detection rate"] == "60.9%"


def test_fairness_counts_students_and_decides_suppression_on_distinct_students():
    rows = [(w, "A", 10.0, "red", "adverse") for w in (W1, W2)]
    rows += [(W1, s, 90.0, "green", "not_adverse") for s in "BCDEFG"]
    errors = bt.fairness(frame_of(rows))["School"]
    assert errors.counts.at[bt.ALL, "adverse"] == 2 and errors.people.at[bt.ALL, "adverse"] == 1
    assert fairness_table(errors).set_index("Group").at[bt.ALL, "Adverse"] == "<5"


def test_sensitivity_grid_at_the_thresholds_in_force_matches_the_stored_status():
    rows = [(W1, str(n), float(score), rag, outcome) for n, (score, rag, outcome) in enumerate(
        [(10, "red", "adverse"), (29.5, "red", "not_adverse"), (30, "amber", "adverse"),
         (69.9999999999, "green", "not_adverse"), (75, "green", "adverse"), (90, "green", "not_adverse")])]  # fmt: skip
    grid = bt.sensitivity(frame_of(rows), 30.0, 70.0)
    in_force = grid[grid["in_force"]].iloc[0]
    assert in_force["share_red"] == pytest.approx(2 / 6)
    assert in_force["adverse_rate_red"] == 0.5 and in_force["adverse_rate_green"] == pytest.approx(1 / 3)
    assert len(grid) == 25 and grid["amber_min"].min() == 20 and grid["green_min"].max() == 80
    higher = grid[(grid["amber_min"] == 35) & (grid["green_min"] == 70)].iloc[0]
    assert higher["share_red"] == pytest.approx(3 / 6)
