"""engagement_weekly on the hand-worked scenario (leap_scenario): the dbt unit tests, the numbers
of report week W, and the mart's contract."""

import leap_scenario
import pytest
from leap_dbt import assert_success

from expectations.mart_contract import contract_column_names, mart_columns

# engagement-rules.md, "Output", as published: the code reads the columns from the dbt YAML; this pin
# makes any change of a name or of the order there a deliberate one, made with the spec.
PUBLISHED_COLUMNS = [
    "week_start", "as_of_date", "report_date", "sits_extract_date", "rule_version", "student_id",
    "first_name", "last_name", "school", "department", "course_id", "course_title", "level",
    "is_online_only", "attendance_expected_7d", "attendance_attended_7d", "attendance_pct_7d",
    "attendance_rag", "vle_events_14d", "vle_active_days_14d", "vle_score_14d", "vle_rag",
    "submissions_due_28d", "submissions_on_time_28d", "submissions_late_28d", "submissions_missing_28d",
    "submission_score_28d", "submission_rag", "online_score", "online_rag", "combined_score",
    "combined_rag", "reason_codes", "previous_combined_rag", "rag_change", "is_opted_out",
]  # fmt: skip


def test_the_dbt_yaml_states_the_published_columns():
    assert contract_column_names() == PUBLISHED_COLUMNS


def test_every_dbt_unit_test_passes(scenario_build):
    _, result = scenario_build
    unit_tests = [r for r in result.result if r.node.resource_type == "unit_test"]
    failed = [f"{r.node.name}: {r.message}" for r in unit_tests if str(r.status) != "pass"]
    assert len(unit_tests) >= 30
    assert not failed


def test_build_passes_every_model_and_data_test(scenario_build):
    _, result = scenario_build
    assert_success(result)


def test_scenario_week_has_the_hand_worked_figures(scenario):
    rows = scenario.mart(leap_scenario.W.isoformat())
    assert [row["student_id"] for row in rows] == [e["student_id"] for e in leap_scenario.EXPECTED_W]
    for row, expected in zip(rows, leap_scenario.EXPECTED_W, strict=True):
        actual = {key: row[key] for key in expected}
        assert actual == pytest.approx(expected, nan_ok=False), row["student_id"]


def test_scenario_week_dates_snapshot_and_names(scenario):
    row = scenario.mart(leap_scenario.W.isoformat())[0]
    assert (str(row["as_of_date"]), str(row["report_date"])) == ("2026-10-11", "2026-10-12")
    # 2026-10-12 is on the report date but incomplete: the newest complete one is used.
    assert str(row["sits_extract_date"]) == "2026-10-09"
    assert (row["first_name"], row["school"], row["department"]) == ("Ada", "ENG", "CIVIL")
    assert len(row["rule_version"]) == 12 and int(row["rule_version"], 16) >= 0


def test_mart_has_the_contract_columns_in_order_and_types(scenario):
    columns = scenario.rows(
        "select column_name, data_type from information_schema.columns "
        "where table_schema = 'marts' and table_name = 'engagement_weekly' order by ordinal_position"
    )
    # The YAML enforces the contract in dbt: the built table has exactly its columns, in order.
    assert [name for name, _ in columns] == contract_column_names()
    types = dict(columns)
    assert {name: data_type.upper() for name, data_type in columns} == {
        column.name: column.data_type.upper() for column in mart_columns()
    }
    assert {types[c] for c in ("week_start", "as_of_date", "report_date", "sits_extract_date")} == {"DATE"}
    assert {types[c] for c in contract_column_names() if c.endswith(("_7d", "_14d", "_28d")) and "score" not in c} <= {
        "INTEGER",
        "DOUBLE",
    }
    assert types["attendance_pct_7d"] == types["combined_score"] == "DOUBLE"
    assert types["is_online_only"] == types["is_opted_out"] == "BOOLEAN"


def test_restricted_and_departed_students_are_not_reported(scenario):
    students = {row["student_id"] for row in scenario.mart()}
    assert "S6" not in students  # restricted
    assert "S8" not in students  # membership ended before W


def test_schemas_are_named_exactly(scenario):
    schemas = {name for (name,) in scenario.rows("select schema_name from information_schema.schemata")}
    assert {"staging", "marts", "seeds"} <= schemas
    assert not {name for name in schemas if name.startswith("main_")}
