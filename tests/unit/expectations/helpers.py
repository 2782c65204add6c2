"""Small builders shared by the suite tests."""

import pandas as pd


def dates(*values: str | None) -> pd.Series:
    """A date column as DuckDB hands it to pandas (datetime64)."""
    return pd.to_datetime(pd.Series(values))
