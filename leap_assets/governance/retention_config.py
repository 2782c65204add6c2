"""The retention file (governance.md "Retention"): how long each layer keeps what it holds.

`LEAP_RETENTION_FILE` names the file (default `config/retention.yml`). A missing default file means
the specification's defaults; a file that is named but missing, or malformed, is an error whose one
sentence names the file and the key at fault.
"""

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import yaml

from leap_assets.settings import config_path, settings

DEFAULT_RETENTION_FILE = "config/retention.yml"

# Every layer, with the targets that may be given their own period as `layer.target`.
TARGETS: dict[str, tuple[str, ...]] = {
    "landing": ("sits", "seats", "moodle", "returns"),
    "raw": ("sits", "seats_attendance", "moodle_log"),
    "quarantine": (),
    "marts": ("engagement_weekly", "data_quality_results", "report_status"),
    "publish": (),
    "contacts": (),
    "access_log": (),
}

UNITS = {"day": "days", "days": "days", "year": "years", "years": "years"}
PERIOD = re.compile(r"(\d+)\s+(academic\s+years?|days?|years?)")


@dataclass(frozen=True)
class Period:
    """A retention period: kept while the day described is on or after `cutoff(today)`."""

    amount: int
    unit: str  # days | years | academic_years

    def cutoff(self, today: date, year_starts: tuple[int, int] = (8, 1)) -> date:
        """The first day still kept on `today`: anything describing an earlier day is overdue."""
        if self.unit == "days":
            return today - timedelta(days=self.amount)
        if self.unit == "years":
            return years_before(today, self.amount)
        month, day = year_starts
        start = date(today.year if (today.month, today.day) >= year_starts else today.year - 1, month, day)
        return years_before(start, self.amount - 1)

    def __str__(self) -> str:
        unit = self.unit.replace("_", " ")
        return f"{self.amount} {unit[:-1] if self.amount == 1 else unit}"


def years_before(day: date, years: int) -> date:
    """The same date `years` earlier; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


DEFAULT_PERIODS = {
    "landing": Period(400, "days"),
    "raw": Period(400, "days"),
    "quarantine": Period(400, "days"),
    "marts": Period(2, "academic_years"),
    "publish": Period(2, "academic_years"),
    "contacts": Period(1, "years"),
    "access_log": Period(2, "years"),
}


@dataclass(frozen=True)
class Retention:
    periods: dict[str, Period] = field(default_factory=lambda: dict(DEFAULT_PERIODS))
    year_starts: tuple[int, int] = (8, 1)
    compact_warehouse: bool = True
    source: str = "the built-in defaults"

    def period(self, layer: str, target: str | None = None) -> Period:
        """The period of `layer.target` when the file sets one, else the layer's."""
        return self.periods.get(f"{layer}.{target}") or self.periods[layer]

    def cutoff(self, today: date, layer: str, target: str | None = None) -> date:
        return self.period(layer, target).cutoff(today, self.year_starts)


class RetentionConfigError(Exception):
    """The retention file cannot be used: one sentence naming the file and the key."""


def retention_file() -> tuple[Path, bool]:
    """The retention file's path, and whether it was named explicitly (then it must exist)."""
    return config_path(settings().retention_file, DEFAULT_RETENTION_FILE)


def load_retention(path: Path | None = None, required: bool | None = None) -> Retention:
    """The retention settings of `path` (default: LEAP_RETENTION_FILE, else config/retention.yml)."""
    if path is None:
        path, named = retention_file()
        required = named if required is None else required
    if not path.exists():
        if required:
            raise RetentionConfigError(f"the retention file {path} does not exist (LEAP_RETENTION_FILE)")
        return Retention()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise RetentionConfigError(f"{path} is not valid YAML ({type(error).__name__})") from None
    if not isinstance(data, dict):
        raise RetentionConfigError(f"{path} must be a mapping with a `periods` key")
    unknown = sorted(set(map(str, data)) - {"periods", "academic_year_starts", "compact_warehouse"})
    if unknown:
        raise RetentionConfigError(
            f"{path}: unknown key {unknown[0]!r} (expected periods, academic_year_starts, compact_warehouse)"
        )
    compact = data.get("compact_warehouse", True)
    if not isinstance(compact, bool):
        raise RetentionConfigError(f"{path}: compact_warehouse must be true or false, not {compact!r}")
    return Retention(
        periods=_periods(path, data.get("periods")),
        year_starts=_year_starts(path, data.get("academic_year_starts", "08-01")),
        compact_warehouse=compact,
        source=str(path),
    )


def _periods(path: Path, entries) -> dict[str, Period]:
    """The file's periods over the defaults: a layer it does not name keeps the specification's."""
    entries = {} if entries is None else entries
    if not isinstance(entries, dict):
        raise RetentionConfigError(f"{path}: `periods` must map layers to periods such as `raw: 400 days`")
    periods = dict(DEFAULT_PERIODS)
    for key, value in entries.items():
        layer, _, target = str(key).partition(".")
        if layer not in TARGETS or (target and target not in TARGETS[layer]):
            raise RetentionConfigError(f"{path}: periods.{key} is not a layer or target LEAP keeps ({_known()})")
        periods[str(key)] = parse_period(value, f"{path}: periods.{key}")
    return periods


def parse_period(value, where: str) -> Period:
    """`400 days`, `1 year`, `2 academic years` (case and spacing free); at least one unit."""
    match = PERIOD.fullmatch(str(value).strip().lower()) if isinstance(value, str) else None
    if not match or int(match.group(1)) < 1:
        raise RetentionConfigError(
            f"{where} is {value!r}; a period is a whole number of at least 1 followed by days, years or academic years"
        )
    unit = "academic_years" if match.group(2).startswith("academic") else UNITS[match.group(2)]
    return Period(int(match.group(1)), unit)


def _year_starts(path: Path, value) -> tuple[int, int]:
    try:
        month, day = (int(part) for part in str(value).split("-"))
        date(2001, month, day)  # a common year: 29 February cannot start every academic year
    except ValueError:
        raise RetentionConfigError(
            f'{path}: academic_year_starts is {value!r}; give the first day as MM-DD, e.g. "08-01"'
        ) from None
    return month, day


def _known() -> str:
    keys = [*TARGETS, *(f"{layer}.{target}" for layer, targets in TARGETS.items() for target in targets)]
    return ", ".join(keys)
