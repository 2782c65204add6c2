"""Vectorised parsing of text cells into typed values, with a mask of the cells that did not parse.

Each parser takes a Series of text (None = empty cell) and returns (values, bad), where `bad` is True
only for non-empty cells that failed; empty cells are null and never bad.
"""

import re
from collections.abc import Callable
from functools import wraps
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
OFFSET_PATTERN = re.compile(r"(?:Z|[+-]\d{2}(?::?\d{2})?)$", re.IGNORECASE)
TIMESTAMP_PATTERN = r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)?$"


def per_distinct(parse: Callable[..., tuple[pd.Series, ...]]) -> Callable[..., tuple[pd.Series, ...]]:
    """Parse each distinct value once (dates and times in a landed file repeat: sessions, terms).

    Every parser here works value by value, so the result is the same as parsing every cell."""

    @wraps(parse)
    def parse_distinct(text: pd.Series, *args) -> tuple[pd.Series, ...]:
        codes, distinct = pd.factorize(text)
        if len(distinct) * 2 > len(text):
            return parse(text, *args)
        # One more value, null, for the empty cells (code -1).
        values = pd.Series([*distinct, None], dtype="object")
        positions = np.where(codes < 0, len(distinct), codes)
        return tuple(result.iloc[positions].set_axis(text.index) for result in parse(values, *args))

    return parse_distinct


@per_distinct
def parse_date(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """`YYYY-MM-DD` dates (object Series of datetime.date or None)."""
    present = text.notna()
    shaped = text.str.fullmatch(DATE_PATTERN, na=False)
    parsed = pd.to_datetime(text.where(shaped), format="%Y-%m-%d", errors="coerce")
    bad = present & parsed.isna()
    return _as_dates(parsed), bad


@per_distinct
def parse_timestamp(text: pd.Series, timezone: str) -> tuple[pd.Series, pd.Series, pd.Series]:
    """ISO 8601 timestamps: returns (UTC timestamps, local dates in `timezone`, bad).

    A timestamp without an offset is local time in `timezone`: in the repeated hour of the autumn
    change it is the first occurrence, in the skipped hour of spring it moves forward by the gap
    (both are what Python's zoneinfo does with fold=0).
    """
    present = text.notna()
    shaped = text.str.fullmatch(TIMESTAMP_PATTERN, na=False)
    has_offset = shaped & text.str.contains(OFFSET_PATTERN, na=False)
    naive = shaped & ~has_offset
    utc = pd.Series(pd.NaT, index=text.index, dtype="datetime64[us, UTC]")
    if has_offset.any():
        with_offset = text[has_offset]
        # Offsets written `Z` or `+HH:MM` (nearly all) need no rewriting: only `+HHMM` and `+HH` do.
        compact = ~(with_offset.str[-1].isin(["Z", "z"]) | (with_offset.str[-3] == ":"))
        if compact.any():
            fixed = with_offset[compact].str.replace(r"([+-]\d{2})(\d{2})$", r"\1:\2", regex=True)
            with_offset = with_offset.where(~compact, fixed.str.replace(r"([+-]\d{2})$", r"\1:00", regex=True))
        utc[has_offset] = pd.to_datetime(with_offset, format="ISO8601", utc=True, errors="coerce").dt.as_unit("us")
    if naive.any():
        local = pd.to_datetime(text[naive], format="ISO8601", errors="coerce")
        utc[naive] = _localise(local, timezone)
    bad = present & utc.isna()
    dates = _as_dates(utc.dt.tz_convert(timezone).dt.tz_localize(None).dt.normalize())
    return utc, dates, bad


def _localise(local: pd.Series, timezone: str) -> pd.Series:
    zone = ZoneInfo(timezone)
    fast = local.dt.tz_localize(timezone, ambiguous=np.ones(len(local), dtype=bool), nonexistent="NaT").dt.tz_convert(
        "UTC"
    )
    gaps = local.notna() & fast.isna()
    if gaps.any():
        fixed = [value.to_pydatetime().replace(tzinfo=zone, fold=0) for value in local[gaps]]
        fast[gaps] = pd.to_datetime(pd.Series(fixed, index=local[gaps].index), utc=True)
    return fast.dt.as_unit("us")


def parse_int(text: pd.Series, allowed: set[int] | None = None) -> tuple[pd.Series, pd.Series]:
    """Whole numbers (nullable Int64); values outside `allowed` count as bad."""
    present = text.notna()
    shaped = text.str.strip().str.fullmatch(r"[+-]?\d{1,18}", na=False)
    values = pd.to_numeric(text.where(shaped).str.strip(), errors="coerce").astype("Int64")
    if allowed is not None:
        values = values.where(values.isin(list(allowed)))
    bad = present & values.isna()
    return values, bad


def parse_float(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Decimal numbers (float64, NaN for null)."""
    present = text.notna()
    values = pd.to_numeric(text.str.strip(), errors="coerce").astype("float64")
    bad = present & values.isna()
    return values, bad


def parse_code(text: pd.Series, allowed: set[str]) -> tuple[pd.Series, pd.Series]:
    """Codes matched exactly as listed."""
    present = text.notna()
    ok = text.isin(list(allowed))
    return text.where(ok), present & ~ok


def _as_dates(values: pd.Series) -> pd.Series:
    dates = values.dt.date
    return dates.astype("object").where(values.notna(), None)
