"""Where LEAP keeps things: every path and zone comes from the environment, with local defaults."""

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Settings:
    landing: Path
    warehouse: Path
    publish: Path
    dagster_home: Path
    timezone: str
    return_max_mb: float = 20.0  # operations.md: a returned workbook larger than this is rejected whole
    publish_group: str | None = None  # a group that may read the publish folder (the schools' share)
    workers: int = 2  # processes a run spreads independent weeks and schools over (leap_assets/parallel.py)

    @classmethod
    def from_env(cls) -> "Settings":
        env = os.environ
        return cls(
            landing=Path(env.get("LEAP_LANDING", "landing")).resolve(),
            warehouse=Path(env.get("LEAP_WAREHOUSE", ".leap/warehouse.duckdb")).resolve(),
            publish=Path(env.get("LEAP_PUBLISH", "publish")).resolve(),
            dagster_home=Path(env.get("DAGSTER_HOME", ".leap/dagster")).resolve(),
            timezone=env.get("LEAP_TIMEZONE", "Europe/London"),
            return_max_mb=_positive(env.get("LEAP_RETURN_MAX_MB", "20"), "LEAP_RETURN_MAX_MB"),
            publish_group=env.get("LEAP_PUBLISH_GROUP") or None,
            workers=_workers(env.get("LEAP_WORKERS")),
        )


class SettingError(ValueError):
    """An environment variable holds an unusable value: the message is one sentence for the user."""


def _positive(text: str, name: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not 0 < value < float("inf"):
        raise SettingError(f"{name} must be a positive number of megabytes, not {text!r}")
    return value


def _workers(text: str | None) -> int:
    """LEAP_WORKERS, default one per CPU up to 2 (the writer and the checks scale no further on a laptop)."""
    if text is None or not text.strip():
        return max(1, min(2, os.cpu_count() or 1))
    if not text.strip().isdigit() or int(text) < 1:
        raise SettingError(f"LEAP_WORKERS must be a whole number of processes, 1 or more, not {text!r}")
    return int(text)


def settings() -> Settings:
    return Settings.from_env()
