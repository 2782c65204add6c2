"""Small-number suppression, fairness rates and verdicts of the governance report (no GX, no warehouse)."""

import pandas as pd

from expectations.runner import ResultRecord
from leap_assets.governance.quality_data import SourceLoad
from leap_assets.governance.quality_tables import (
    ALL,
    COMPLEMENT,
    SUPPRESSED,
    fairness_tables,
    no_data_count,
    rag_table,
    suppress,
    verdicts,
)


def shown_numbers(frame: pd.DataFrame, columns: list[str]) -> list[int]:
    values = [str(v) for c in columns for v in frame[c]]
    return [int(v.replace(",", "")) for v in values if v not in (SUPPRESSED, COMPLEMENT, "")]


def test_counts_under_five_are_hidden_and_a_lone_hidden_cell_gets_a_complement():
    cells = pd.DataFrame({"red": [3, 40], "green": [50, 60], "total": [53, 100]}, index=["a", "b"])
    mask = suppress(cells, total_column="total")
    # red=3 alone would be total - green: green is hidden as well.
    assert mask.loc["a"].tolist() == [True, True, False]
    assert not mask.loc["b"].any()


def test_complements_also_run_down_columns_with_a_total_row():
    cells = pd.DataFrame({"students": [3, 30, 40, 73]}, index=["x", "y", "z", ALL])
    mask = suppress(cells, total_row=ALL)
    assert mask["students"].tolist() == [True, True, False, False]


def test_rag_table_never_shows_a_count_under_five():
    counts = pd.DataFrame(
        [("Law", "UG", "red", 2), ("Law", "UG", "green", 30), ("Law", "UG", "amber", 9), ("Law", "UG", "none", 6),
         ("Law", "PG", "green", 4),
         ("Arts", "UG", "green", 12), ("Arts", "UG", "none", 1)],
        columns=["school", "level", "combined_rag", "students"],
    )  # fmt: skip
    table = rag_table(counts)
    assert min(shown_numbers(table, ["Students", "Red", "Amber", "Green"])) >= 5
    law_ug = table[(table["School"] == "Law") & (table["Level"] == "UG")].iloc[0]
    # The complement is the smaller shown cell: amber (9), not green (30).
    assert law_ug["Red"] == SUPPRESSED and law_ug["Amber"] == COMPLEMENT and law_ug["Green"] == "30"


def test_a_few_students_without_status_no_longer_hide_the_green_count_of_all_students():
    counts = pd.DataFrame(
        [(school, level, rag, n) for school in ("Law", "Arts") for level in ("UG", "PG")
         for rag, n in (("red", 12), ("amber", 40), ("green", 200), ("none", 2))],
        columns=["school", "level", "combined_rag", "students"],
    )  # fmt: skip
    table = rag_table(counts).set_index(["School", "Level"])
    assert "No data" not in table.columns
    assert not table.isin([SUPPRESSED, COMPLEMENT]).any().any()
    assert table.loc[(ALL, ""), "Green"] == "800" and table.loc[(ALL, ""), "Students"] == "1,008"
    assert no_data_count(counts) == "8" and no_data_count(counts[counts["school"] == "Law"].head(4)) == SUPPRESSED


def people(rows: list[tuple[str, str, str, str, int]]) -> pd.DataFrame:
    expanded = [r[:4] for r in rows for _ in range(r[4])]
    return pd.DataFrame(expanded, columns=["combined_rag", "sexid", "ethnicity", "difflearn1"])


def test_fairness_rates_hide_small_groups_and_small_numerators():
    frame = people(
        [("red", "2", "10", "00", 6), ("green", "2", "10", "00", 30), ("amber", "1", "10", "51", 8),
         ("green", "1", "31", "00", 20), ("red", "3", "22", "00", 2), ("green", None, None, None, 2)]
    )  # fmt: skip
    tables = fairness_tables(frame)
    sex = tables["Sex"].set_index("Group")
    assert sex.at["Female", "Red rate"] == "16.7%"
    assert sex.at["Female", "Red disparity"] == f"{(6 / 36) / (8 / 68):.2f}"
    assert sex.at["Other", "Students"] == SUPPRESSED and sex.at["Other", "Red rate"] == SUPPRESSED
    assert sex.at["Male", "Red rate"] == SUPPRESSED  # no red male student: 0 is under 5
    for table in tables.values():
        assert min(shown_numbers(table, ["Students"])) >= 5


def test_a_group_rate_is_shown_only_with_five_or_more_in_both_parts():
    frame = people([("red", "1", "10", "00", 4), ("green", "1", "10", "00", 96), ("red", "2", "10", "00", 5),
                    ("green", "2", "10", "00", 95), ("red", "3", "10", "00", 3),
                    ("green", "3", "10", "00", 9)])  # fmt: skip
    sex = fairness_tables(frame)["Sex"].set_index("Group")
    assert sex.at["Female", "Red rate"] == "5.0%"
    assert sex.at["Male", "Red rate"] == SUPPRESSED


def test_one_hidden_rate_beside_a_shown_total_hides_a_second():
    frame = people([("red", "1", "10", "00", 4), ("green", "1", "10", "00", 96), ("red", "2", "10", "00", 5),
                    ("green", "2", "10", "00", 95)])  # fmt: skip
    sex = fairness_tables(frame)["Sex"].set_index("Group")
    assert sex.at["Male", "Red rate"] == SUPPRESSED
    assert sex.at["Female", "Red rate"] == COMPLEMENT  # else all students' 4.5% would give the male count away
    assert sex.at[ALL, "Red rate"] == "4.5%"


def record(source: str, suite: str, passed: bool) -> ResultRecord:
    return ResultRecord(source, suite, "expect_x(c)", passed, "observed", f"{suite} label")


def test_verdicts_follow_the_checks_in_plain_english():
    records = [
        record("seats", "seats.attendance_volume", False),
        record("moodle", "moodle.freshness", False),
        record("sits", "sits.snapshot", True),
    ]
    loads = {s: SourceLoad(s, rows_loaded=100) for s in ("sits", "seats", "moodle", "schools")}
    loads["schools"].files_rejected = ["schools/online_only_law.csv: not UTF-8"]
    blocking = frozenset({"seats.attendance_volume", "sits.snapshot"})
    judged = verdicts(records, loads, {"sits": "", "seats": "", "moodle": "", "schools": ""}, blocking)
    assert {s: v.level for s, v in judged.items()} == {
        "sits": "fit", "seats": "unfit", "moodle": "care", "schools": "care",
    }  # fmt: skip
    assert judged["seats"].sentence.startswith("Not fit for use this week: seats.attendance_volume label")
    assert "held back" in judged["seats"].sentence
    assert judged["sits"].sentence.startswith("Fit for use")
