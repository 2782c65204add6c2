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


def test_between_compares_duckdb_s_int32_and_microsecond_dates_in_bulk_with_the_same_outcome(validator, monkeypatch):
    """DuckDB returns int32 and datetime64[us] columns, which GX's "between" would check value by value
    in Python; the runner hands GX the same values as int64 and datetime64[ns], which it compares in bulk."""
    from great_expectations.expectations.metrics.column_map_metrics.column_values_between import ColumnValuesBetween

    gx = load_gx()
    bulk = []
    vectorised = ColumnValuesBetween._pandas_vectorized.__func__

    def counted(cls, column, *args):
        bulk.append(column.name)
        return vectorised(cls, column, *args)

    monkeypatch.setattr(ColumnValuesBetween, "_pandas_vectorized", classmethod(counted))
    days = pd.Series(pd.to_datetime(["2026-10-12", "2026-10-14", "2026-10-30"])).astype("datetime64[us]")
    frame = pd.DataFrame({"edulevel": pd.Series([2, 2, 7], dtype="int32"), "event_date": days})
    records = validator.validate("moodle", suite(
        "runner.bulk",
        gx.expectations.ExpectColumnValuesToBeBetween(column="edulevel", min_value=0, max_value=2),
        gx.expectations.ExpectColumnValuesToBeBetween(
            column="event_date", min_value=pd.Timestamp("2026-10-12"), max_value=pd.Timestamp("2026-10-18")
        ),
    ), frame)  # fmt: skip
    assert sorted(bulk) == ["edulevel", "event_date"]
    assert [(r.passed, r.observed_value) for r in records] == [
        (False, "1 of 3 unexpected (33.3%), e.g. 7"),
        (False, "1 of 3 unexpected (33.3%), e.g. 2026-10-30"),
    ]


def test_a_date_beyond_nanosecond_range_is_still_checked(validator):
    gx = load_gx()
    frame = pd.DataFrame({"to_date": pd.array(["2026-10-12", "9999-12-31"], dtype="datetime64[us]")})
    first, last = pd.Timestamp("2026-01-01").as_unit("us"), pd.Timestamp("2030-01-01").as_unit("us")
    (record,) = validator.validate("schools", suite("runner.far", gx.expectations.ExpectColumnValuesToBeBetween(
        column="to_date", min_value=first, max_value=last
    )), frame)  # fmt: skip
    assert (record.passed, record.observed_value) == (False, "1 of 2 unexpected (50.0%), e.g. 9999-12-31")


def test_a_pair_expectation_quotes_its_unexpected_dates_as_dates(validator):
    gx = load_gx()
    days = pd.DataFrame({"file_date": ["2026-10-28", "2026-10-29"], "start_date": ["2026-10-29", "2026-10-29"]})
    days = days.astype("datetime64[us]")
    later = gx.expectations.ExpectColumnPairValuesAToBeGreaterThanB(
        column_A="file_date", column_B="start_date", or_equal=True
    )
    (record,) = validator.validate("seats", suite("runner.pair", later), days)
    assert record.observed_value == "1 of 2 unexpected (50.0%), e.g. (2026-10-28, 2026-10-29)"
