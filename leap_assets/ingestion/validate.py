"""Row validation shared by the sources: each check quarantines the rows that break it and types the
column; a row is quarantined once, for the first rule it breaks, and the rest of the file still loads."""

import pandas as pd

from leap_assets.ingestion.landed import QuarantineLog
from leap_assets.ingestion.values import parse_code, parse_date, parse_float, parse_int, parse_timestamp


class Validator:
    """Validates one frame of text cells in place; `valid()` is what may be loaded."""

    def __init__(self, frame: pd.DataFrame, quarantine: QuarantineLog):
        self.frame = frame
        self.quarantine = quarantine
        self.keep = pd.Series(True, index=frame.index)

    def _reject(self, mask: pd.Series, reason: str, column: str | None) -> None:
        mask = mask & self.keep
        self.quarantine.rows(self.frame, mask, reason, field=column.upper() if column else None)
        self.keep &= ~mask

    def _null_optional(self, mask: pd.Series, reason: str, column: str) -> None:
        mask = mask & self.keep
        self.quarantine.rows(self.frame, mask, reason, field=column.upper(), loaded=True)

    def required(self, *columns: str) -> "Validator":
        for column in columns:
            self._reject(self.frame[column].isna(), f"missing required {column.upper()}", column)
        return self

    def _typed(self, column: str, values: pd.Series, bad: pd.Series, required: bool, what: str):
        text = self.frame[column]
        if required:
            self._reject(bad, f"unparsable {column.upper()} {what}", column)
        else:
            self._null_optional(bad, f"unparsable optional {column.upper()} {what}: loaded as null", column)
        self.frame[column] = values.where(~bad, None) if values.dtype == object else values
        return text

    def date(self, column: str, required: bool) -> "Validator":
        values, bad = parse_date(self.frame[column])
        self._typed(column, values, bad, required, "(expected YYYY-MM-DD)")
        return self

    def timestamp(self, column: str, timezone: str, required: bool, date_column: str | None = None):
        utc, dates, bad = parse_timestamp(self.frame[column], timezone)
        self._typed(column, utc, bad, required, "(expected an ISO 8601 timestamp)")
        if date_column:
            self.frame[date_column] = dates
        return self

    def integer(self, column: str, required: bool, allowed: set[int] | None = None) -> "Validator":
        values, bad = parse_int(self.frame[column], allowed)
        what = f"(expected one of {sorted(allowed)})" if allowed else "(expected a whole number)"
        self._typed(column, values, bad, required, what)
        return self

    def number(self, column: str, required: bool = False) -> "Validator":
        values, bad = parse_float(self.frame[column])
        self._typed(column, values, bad, required, "(expected a number)")
        return self

    def code(self, column: str, allowed: set[str], required: bool) -> "Validator":
        values, bad = parse_code(self.frame[column], allowed)
        if required:
            self._reject(bad, f"unknown code in {column.upper()} (expected one of {sorted(allowed)})", column)
        else:
            self._null_optional(bad, f"unknown code in optional {column.upper()}: loaded as null", column)
        self.frame[column] = values
        return self

    def unique(self, *columns: str) -> "Validator":
        """Every row sharing a key is quarantined (sources.md: a duplicate is a contract error).

        Every row whose key fields are present counts, even one already quarantined for another
        check: an invalid twin takes its valid copy down with it, rather than letting whichever copy
        happens to pass the other checks load as if it were the only one."""
        key = self.frame[list(columns)]
        present = key.notna().all(axis=1)
        duplicated = key[present].duplicated(keep=False).reindex(self.frame.index, fill_value=False)
        names = ", ".join(c.upper() for c in columns)
        self._reject(duplicated, f"duplicate key ({names})", None)
        return self

    def exists(self, column: str, known: set[str] | pd.Series, reason: str) -> "Validator":
        """A reference that does not resolve is quarantined (nulls are left to `required`)."""
        values = self.frame[column]
        known_values = set(known) if not isinstance(known, set) else known
        self._reject(values.notna() & ~values.isin(known_values), reason, column)
        return self

    def valid(self) -> pd.DataFrame:
        return self.frame[self.keep]
