"""The board's quality settings (validity.md, "The board owns the settings").

`LEAP_QUALITY_FILE` names the file (default `config/quality.yml`). It holds every threshold of every
weekly check, whether the check blocks (holds reports back) or warns, how many teaching weeks a volume
baseline spans, and each source's freshness limit (`max_lag_days`). A key the file leaves out keeps its
default (DEFAULTS below; the committed file spells them all out, and a test keeps the two equal). A
mistake is one sentence naming the file and the key. `version` is the first 12 hex digits of a SHA-256
over the settings in force, stored on every data_quality_results row, so that a past verdict is read
against the settings it used.
"""

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from leap_assets.config_files import read_yaml
from leap_assets.settings import config_path, settings

DEFAULT_QUALITY_FILE = "config/quality.yml"
SEVERITIES = ("block", "warn")

# Every setting with its default. A share or ratio is a fraction 0..1; counts and days are integers.
DEFAULTS: dict[str, Any] = {
    "baseline_weeks": 3,
    "sources": {
        "sits": {"max_lag_days": 14},
        "seats": {"max_lag_days": 4},
        "moodle": {"max_lag_days": 1},
    },
    "checks": {
        "sits_usable": {"severity": "block", "min_students_ratio": 0.8},
        "seats_usable": {
            "severity": "block",
            "min_volume_ratio": 0.4,
            "min_baseline_rows": 20,
            "min_coverage": 0.5,
            "min_students": 20,
        },
        "moodle_usable": {
            "severity": "block",
            "min_daily_ratio": 0.5,
            "min_baseline_rows": 100,
            "min_coverage": 0.5,
            "min_students": 20,
        },
        "mart_contract": {"severity": "block"},
        "sits_values": {
            "severity": "warn",
            "min_known_share": 0.9,
            "min_department_share": 0.9,
            "earliest_birth_year": 1920,
            "min_age_years": 14,
        },
        "seats_values": {"severity": "warn", "min_module_share": 0.9},
        "moodle_values": {"severity": "warn", "min_same_day_share": 0.95, "max_unmapped_share": 0.5},
        "schools_values": {"severity": "warn", "max_days_ahead": 366},
        "mart_distribution": {
            "severity": "warn",
            "max_red_shift": 0.15,
            "min_shift_students": 20,
            "min_with_status": 0.75,
        },
    },
}

# How each key is read: "share" 0..1, "count" a whole number >= 0 (>= 1 for weeks), "severity".
KINDS = {
    "severity": "severity",
    "baseline_weeks": "weeks",
    "max_lag_days": "count",
    "min_baseline_rows": "count",
    "min_students": "count",
    "min_shift_students": "count",
    "earliest_birth_year": "count",
    "min_age_years": "count",
    "max_days_ahead": "count",
}


class QualitySettingsError(ValueError):
    """The settings file cannot be used: one sentence naming the file and the key."""


@dataclass(frozen=True)
class QualitySettings:
    values: dict[str, Any]
    path: Path | None = None

    @property
    def version(self) -> str:
        canonical = json.dumps(self.values, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:12]

    @property
    def baseline_weeks(self) -> int:
        return int(self.values["baseline_weeks"])

    def check(self, name: str) -> dict[str, Any]:
        return self.values["checks"][name]

    def blocks(self, name: str) -> bool:
        return self.check(name)["severity"] == "block"

    def max_lag_days(self, source: str) -> int:
        return int(self.values["sources"][source]["max_lag_days"])

    def rows(self) -> list[tuple[str, str, str]]:
        """(check or source, setting, value) for the report's "settings in force" table."""
        out = [("volume baselines", "baseline_weeks", str(self.baseline_weeks))]
        for source, limits in self.values["sources"].items():
            out += [(f"source {source}", key, str(value)) for key, value in limits.items()]
        for check, items in self.values["checks"].items():
            out += [(check, key, str(value)) for key, value in items.items()]
        return out


def quality_file() -> tuple[Path, bool]:
    """The settings file's path, and whether LEAP_QUALITY_FILE named it."""
    return config_path(settings().quality_file, DEFAULT_QUALITY_FILE)


def load_quality_settings(path: Path | None = None, named: bool = True) -> QualitySettings:
    """Read and validate the settings; a missing default file means the defaults."""
    if path is None:
        path, named = quality_file()
    if not path.exists():
        if named:
            raise QualitySettingsError(f"the quality settings file {path} (LEAP_QUALITY_FILE) does not exist")
        return QualitySettings(_merge(DEFAULTS, {}, path, ""), None)
    given = read_yaml(path, "quality settings file", QualitySettingsError)
    return QualitySettings(_merge(DEFAULTS, given if given is not None else {}, path, ""), path)


def _merge(defaults: dict[str, Any], given: object, path: Path, prefix: str) -> dict[str, Any]:
    if not isinstance(given, dict):
        raise QualitySettingsError(f"the quality settings file {path}: {prefix or 'the file'} must be a mapping")
    unknown = sorted(str(key) for key in set(given) - set(defaults))
    if unknown:
        allowed = ", ".join(defaults)
        raise QualitySettingsError(
            f"the quality settings file {path} has an unknown key {prefix}{unknown[0]} (allowed here: {allowed})"
        )
    merged: dict[str, Any] = {}
    for key, default in defaults.items():
        name = f"{prefix}{key}"
        if isinstance(default, dict):
            merged[key] = _merge(default, given.get(key) or {}, path, f"{name}.")
        else:
            merged[key] = _value(given.get(key, default), key, name, path)
    return merged


def _value(value: object, key: str, name: str, path: Path) -> Any:
    kind = KINDS.get(key, "share")
    where = f"the quality settings file {path}: {name}"
    if kind == "severity":
        if value not in SEVERITIES:
            raise QualitySettingsError(f"{where} must be block or warn, not {value!r}")
        return value
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise QualitySettingsError(f"{where} must be a number, not {value!r}")
    if kind == "share":
        if not 0 <= value <= 1:
            raise QualitySettingsError(f"{where} must be a fraction between 0 and 1, not {value!r}")
        return float(value)
    if value != int(value) or value < (1 if kind == "weeks" else 0):
        least = 1 if kind == "weeks" else 0
        raise QualitySettingsError(f"{where} must be a whole number of at least {least}, not {value!r}")
    return int(value)
