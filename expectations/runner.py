"""Validate pandas DataFrames against GX 1.x suites in one ephemeral context; plain result records out.

Knows nothing of Dagster or the warehouse. Great Expectations is imported on first use (it costs
seconds), with its usage analytics and progress bars off. Unexpected values are echoed only as a short
sample, and never for identifier columns: a record may be shown to the governance board.
"""

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from expectations.data_docs import make_offline

# Columns whose values identify a person: a result never quotes them.
PRIVATE_COLUMNS = frozenset({"student_id", "userid", "realuserid", "relateduserid", "identifier", "staff_id", "dob"})
SAMPLE = 5


@dataclass(frozen=True)
class ResultRecord:
    """One expectation's outcome on one frame."""

    source: str
    suite: str
    expectation: str  # the GX type and its column(s), e.g. expect_column_values_to_be_in_set(edulevel)
    passed: bool
    observed_value: str
    description: str  # plain English, from the expectation's meta["label"]
    # For a metrics frame validated with a key column: the key of every row that broke the expectation
    # (module, day, school), so that the gate can tell which schools a failure makes wrong.
    unexpected_keys: tuple[str, ...] = ()


def load_gx():
    """Import Great Expectations with analytics off (the variable must be set before the import)."""
    os.environ["GX_ANALYTICS_ENABLED"] = "false"
    import great_expectations as gx

    return gx


class Validator:
    """One ephemeral GX context: validate frames, then optionally build the Data Docs of the results."""

    def __init__(self, run_name: str | None = None) -> None:
        """`run_name` names every validation run in the Data Docs (the report week); GX's own is `__none__`."""
        gx = load_gx()
        from great_expectations.core.run_identifier import RunIdentifier
        from great_expectations.data_context.types.base import ProgressBarsConfig

        self._gx = gx
        self.context = gx.get_context(mode="ephemeral")
        self.context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
        self._datasource = self.context.data_sources.add_pandas("leap")
        self._batches: dict[str, Any] = {}
        self.run_name = run_name
        self._run_identifier = RunIdentifier

    def _batch(self, name: str):
        if name not in self._batches:
            asset = self._datasource.add_dataframe_asset(name)
            self._batches[name] = asset.add_batch_definition_whole_dataframe("whole frame")
        return self._batches[name]

    def validate(self, source: str, suite, frame: pd.DataFrame, key: str | None = None) -> list[ResultRecord]:
        """Validate `frame` against `suite`; `key` names the column that identifies a row of a metrics frame
        (module, day, school), so a failure says which rows broke it."""
        suite = self.context.suites.add_or_update(suite)
        definition = self.context.validation_definitions.add_or_update(
            self._gx.ValidationDefinition(name=suite.name, data=self._batch(suite.name), suite=suite)
        )
        result_format: dict[str, Any] = {"result_format": "SUMMARY", "partial_unexpected_count": 20}
        if key is not None:
            result_format = {"result_format": "COMPLETE", "unexpected_index_column_names": [key]}
        run_id = self._run_identifier(run_name=self.run_name) if self.run_name else None
        batch = {"dataframe": vectorisable(frame)}
        outcome = definition.run(batch_parameters=batch, result_format=result_format, run_id=run_id)
        return [_record(source, suite.name, result, key) for result in outcome.results]

    def build_data_docs(self, directory: Path) -> Path:
        """Write the Data Docs site of every validation run so far into `directory`, ready to be read offline
        (its styles and scripts copied beside it, no vendor footer); returns its index."""
        directory.mkdir(parents=True, exist_ok=True)
        site = {
            "class_name": "SiteBuilder",
            "show_how_to_buttons": False,
            "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(directory)},
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        }
        name = "leap_governance"
        sites = self.context.variables.data_docs_sites or {}
        if name in sites:
            self.context.update_data_docs_site(name, site)
        else:
            self.context.add_data_docs_site(name, site)
        self.context.build_data_docs(site_names=[name])
        make_offline(directory)
        return directory / "index.html"


def vectorisable(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with the same values in the dtypes GX compares in bulk.

    GX's pandas "between" compares a whole column at once only when it is int64, float64 or
    datetime64[ns]; any other dtype, such as the int32 and datetime64[us] columns DuckDB returns, goes
    value by value through a Python function (3.4 of a 20,000-student week's 4.6 s of validation).
    Dates outside datetime64[ns]'s range (1677 to 2262: a hostile file's year 9999) stay as they are.
    """
    converted = {}
    for name, dtype in frame.dtypes.items():
        if isinstance(dtype, np.dtype) and dtype.kind == "M" and dtype != np.dtype("datetime64[ns]"):
            try:
                converted[name] = frame[name].astype("datetime64[ns]")
            except (OverflowError, pd.errors.OutOfBoundsDatetime):
                continue
        elif isinstance(dtype, np.dtype) and dtype.kind in "iu" and dtype.itemsize < 8:
            converted[name] = frame[name].astype("int64")
        elif isinstance(dtype, np.dtype) and dtype.kind == "f" and dtype != np.dtype("float64"):
            converted[name] = frame[name].astype("float64")
    return frame.assign(**converted) if converted else frame


def _columns(kwargs: dict) -> list[str]:
    found = [kwargs[name] for name in ("column", "column_A", "column_B") if kwargs.get(name)]
    return found + list(kwargs.get("column_list") or [])


def _record(source: str, suite: str, result, key: str | None) -> ResultRecord:
    config = result.expectation_config
    kwargs = dict(config.kwargs)
    columns = _columns(kwargs)
    label = (config.meta or {}).get("label") or config.type.replace("_", " ")
    exception = (result.exception_info or {}).get("exception_message") if result.exception_info else None
    if exception is None and isinstance(result.exception_info, dict):
        # GX nests exception info per metric in some versions.
        for info in result.exception_info.values():
            if isinstance(info, dict) and info.get("raised_exception"):
                exception = info.get("exception_message")
                break
    if exception:
        observed = f"could not be evaluated: {str(exception).splitlines()[0][:200]}"
    else:
        observed = _observed(result.result or {}, columns, key)
    keys: tuple[str, ...] = ()
    if key is not None and not result.success:
        keys = tuple(str(row.get(key)) for row in (result.result or {}).get("unexpected_index_list") or [])
    return ResultRecord(
        source=source,
        suite=suite,
        expectation=f"{config.type}({', '.join(columns)})",
        passed=bool(result.success),
        observed_value=observed,
        description=str(label),
        unexpected_keys=keys,
    )


def _fmt(value: Any) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return "missing"
    if isinstance(value, float):
        return f"{value:.3g}"
    if isinstance(value, tuple):  # a pair expectation's unexpected (A, B)
        return "(" + ", ".join(_fmt(v) for v in value) + ")"
    if isinstance(value, np.datetime64):
        value = pd.Timestamp(value)
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    return str(value)


def _observed(result: dict, columns: list[str], key: str | None) -> str:
    """A short human reading of what GX saw: the observed value, or how many values were unexpected."""
    if "observed_value" in result and "unexpected_count" not in result:
        value = result["observed_value"]
        if isinstance(value, list):
            return ", ".join(_fmt(v) for v in value[:12]) + (" ..." if len(value) > 12 else "")
        return _fmt(value)
    count = int(result.get("unexpected_count") or 0)
    total = int(result.get("element_count") or 0)
    if total == 0:
        return "no rows to check"
    text = f"{count:,} of {total:,} unexpected ({100 * count / total:.1f}%)"
    if count == 0:
        return f"0 of {total:,} unexpected"
    single = result.get("partial_unexpected_list") or []
    if key is None and total == 1 and single and columns and columns[0] not in PRIVATE_COLUMNS:
        return f"{columns[0]} = {_fmt(single[0])}"  # a one-row metrics frame: its value says it all
    if key is not None and result.get("unexpected_index_list"):
        value_column = next((c for c in columns if c != key), None)
        rows = result["unexpected_index_list"][:SAMPLE]
        names = [
            f"{row.get(key)}: {_fmt(row.get(value_column))}" if value_column else str(row.get(key)) for row in rows
        ]
        return f"{text}: {'; '.join(names)}"
    if any(column in PRIVATE_COLUMNS for column in columns):
        return text
    sample = list(dict.fromkeys(_fmt(v) for v in result.get("partial_unexpected_list") or []))[:SAMPLE]
    return f"{text}, e.g. {', '.join(sample)}" if sample else text
