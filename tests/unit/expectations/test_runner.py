import os

import pandas as pd

from expectations.runner import ResultRecord, load_gx


def suite(name: str, *expectations):
    gx = load_gx()
    built = gx.ExpectationSuite(name=name)
    for expectation in expectations:
        built.add_expectation(expectation)
    return built


def test_results_are_plain_records_with_the_observed_value(validator):
    gx = load_gx()
    frame = pd.DataFrame({"code": ["P", "A", "Z"]})
    records = validator.validate(
        "seats",
        suite(
            "runner.plain",
            gx.expectations.ExpectColumnValuesToBeInSet(column="code", value_set=["P", "A"], meta={"label": "Codes"}),
            gx.expectations.ExpectTableRowCountToBeBetween(min_value=1),
        ),
        frame,
    )
    by_type = {r.expectation: r for r in records}
    assert all(isinstance(r, ResultRecord) for r in records)
    assert by_type["expect_column_values_to_be_in_set(code)"] == ResultRecord(
        "seats", "runner.plain", "expect_column_values_to_be_in_set(code)", False,
        "1 of 3 unexpected (33.3%), e.g. Z", "Codes",
    )  # fmt: skip
    assert by_type["expect_table_row_count_to_be_between()"].observed_value == "3"


def test_identifier_values_are_never_quoted(validator):
    gx = load_gx()
    frame = pd.DataFrame({"student_id": ["00917342", "00917342", "00000001"]})
    (record,) = validator.validate(
        "sits", suite("runner.private", gx.expectations.ExpectColumnValuesToBeUnique(column="student_id")), frame
    )
    assert not record.passed
    assert "00917342" not in record.observed_value


def test_a_missing_column_is_a_failed_record_not_a_crash(validator):
    gx = load_gx()
    (record,) = validator.validate(
        "moodle", suite("runner.missing", gx.expectations.ExpectColumnValuesToNotBeNull(column="edulevel")),
        pd.DataFrame({"other": [1]}),
    )  # fmt: skip
    assert not record.passed and record.observed_value.startswith("could not be evaluated")


def test_analytics_are_off_and_data_docs_are_built(validator, tmp_path):
    gx = load_gx()
    validator.validate("t", suite("runner.docs", gx.expectations.ExpectTableRowCountToBeBetween(min_value=1)),
                       pd.DataFrame({"a": [1]}))  # fmt: skip
    index = validator.build_data_docs(tmp_path / "docs")
    assert os.environ["GX_ANALYTICS_ENABLED"] == "false"
    assert index.is_file() and "runner" in index.read_text()
    assert list((tmp_path / "docs" / "validations").rglob("*.html"))
