"""Suites are validated with real Great Expectations; one ephemeral context per test session (worker)."""

import pandas as pd
import pytest

from expectations.runner import ResultRecord, Validator


@pytest.fixture(scope="session")
def validator() -> Validator:
    return Validator()


@pytest.fixture
def check(validator):
    """check(suite, frame, key=None) -> the failed records (empty when the suite passes)."""

    def run(suite, frame: pd.DataFrame, key: str | None = None) -> list[ResultRecord]:
        records = validator.validate("test", suite, frame, key)
        assert records, "the suite produced no results"
        return [r for r in records if not r.passed]

    return run
