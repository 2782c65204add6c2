"""Every LEAP setting, read from the environment in one place, at call time (never at import).

`settings()` is the only reader of `LEAP_*` variables (and DAGSTER_HOME): each module asks it for
the value it needs, so what a setting means, its default and the sentence a bad value gets are
stated once, here. Inside a Dagster run, paths come from the `LeapPaths` resource
(leap_assets/resources.py), whose unset fields fall back to these.
"""

import os
from dataclasses import dataclass
from pathlib import Path

# The variables, their defaults and what they are for: `leap --help` lists them from here.
VARIABLES = {
    "LEAP_LANDING": ("./landing", "the landing zone the sources deliver into"),
    "LEAP_WAREHOUSE": ("./.leap/warehouse.duckdb", "the DuckDB warehouse"),
    "LEAP_PUBLISH": ("./publish", "published reports and the board's pages"),
    "DAGSTER_HOME": ("./.leap/dagster", "the Dagster instance (runs, schedules, sensors)"),
    "LEAP_TIMEZONE": ("Europe/London", "the local calendar of every day"),
    "LEAP_FIRST_WEEK": ("the first term in landed SITS period.tsv", "the first buildable week"),
    "LEAP_BACKFILL_CHUNK": ("13", "consecutive weeks per backfill run"),
    "LEAP_WORKERS": ("2, or 1 on one CPU", "processes a run spreads its weeks' checks and schools' workbooks over"),
    "LEAP_LOCK_WAIT": ("30; 1800 for leap", "seconds to wait for the warehouse file"),
    "LEAP_ALERT_WEBHOOK": ("unset", "a URL that receives every alert as JSON (alerts.log always)"),
    "LEAP_ACCESS_FILE": ("config/access.yml", "staff access grants"),
    "LEAP_SOURCES_FILE": ("config/sources.yml", "the source registry"),
    "LEAP_QUALITY_FILE": ("config/quality.yml", "the board's data-quality settings"),
    "LEAP_CALENDAR_FILE": ("config/calendar.yml", "the academic calendar"),
    "LEAP_RETENTION_FILE": ("config/retention.yml", "retention periods"),
    "LEAP_PRIVACY_DIR": ("privacy/ beside the warehouse", "the secret key and erasure list"),
    "LEAP_RETURN_MAX_MB": ("20", "the largest returned workbook read"),
    "LEAP_PUBLISH_GROUP": ("unset", "a group that may read the publish folder"),
    "LEAP_STUDENT_ACCESS": ("false", "whether students may see their own figures (transparency page)"),
}


class SettingError(ValueError):
    """An environment variable holds an unusable value: the message is one sentence for the user."""


@dataclass(frozen=True)
class Settings:
    landing: Path
    warehouse: Path
    publish: Path
    dagster_home: Path
    timezone: str
    return_max_mb: float = 20.0  # operations.md: a returned workbook larger than this is rejected whole
    publish_group: str | None = None  # a group that may read the publish folder (the schools' share)
    # Hand-kept files: None means the default under config/ (then a missing file has defaults).
    access_file: Path | None = None
    sources_file: Path | None = None
    retention_file: Path | None = None
    quality_file: Path | None = None
    calendar_file: Path | None = None
    privacy_dir: Path | None = None  # None: beside the warehouse
    alert_webhook: str = ""
    lock_wait_seconds: float = 30.0
    backfill_chunk: int = 13
    student_access: bool = False
    first_week: str | None = None  # LEAP_FIRST_WEEK; unset: the first landed term (leap_assets/partitions.py)
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
            return_max_mb=_positive(env.get("LEAP_RETURN_MAX_MB", "20"), "LEAP_RETURN_MAX_MB", "megabytes"),
            publish_group=env.get("LEAP_PUBLISH_GROUP") or None,
            access_file=_named(env.get("LEAP_ACCESS_FILE")),
            sources_file=_named(env.get("LEAP_SOURCES_FILE")),
            retention_file=_named(env.get("LEAP_RETENTION_FILE")),
            quality_file=_named(env.get("LEAP_QUALITY_FILE")),
            calendar_file=_named(env.get("LEAP_CALENDAR_FILE")),
            privacy_dir=_named(env.get("LEAP_PRIVACY_DIR")),
            alert_webhook=env.get("LEAP_ALERT_WEBHOOK", "").strip(),
            lock_wait_seconds=_positive(env.get("LEAP_LOCK_WAIT", "30"), "LEAP_LOCK_WAIT", "seconds"),
            backfill_chunk=max(1, int(_positive(env.get("LEAP_BACKFILL_CHUNK", "13"), "LEAP_BACKFILL_CHUNK", "weeks"))),
            student_access=env.get("LEAP_STUDENT_ACCESS", "false").strip().lower() in ("1", "true", "yes"),
            first_week=env.get("LEAP_FIRST_WEEK") or None,
            workers=_workers(env.get("LEAP_WORKERS")),
        )

    def private_data_dir(self) -> Path:
        """Where the installation secret and the suppression list live (LEAP_PRIVACY_DIR)."""
        return self.privacy_dir or self.warehouse.parent / "privacy"


def _named(value: str | None) -> Path | None:
    return Path(value).resolve() if value else None


def _positive(text: str, name: str, unit: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not 0 < value < float("inf"):
        raise SettingError(f"{name} must be a positive number of {unit}, not {text!r}")
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


def config_path(named: Path | None, default: str) -> tuple[Path, bool]:
    """A hand-kept file's path, and whether a setting named it explicitly (then it must exist)."""
    return (named or Path(default).resolve()), named is not None
