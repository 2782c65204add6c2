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

    @classmethod
    def from_env(cls) -> "Settings":
        env = os.environ
        return cls(
            landing=Path(env.get("LEAP_LANDING", "landing")).resolve(),
            warehouse=Path(env.get("LEAP_WAREHOUSE", ".leap/warehouse.duckdb")).resolve(),
            publish=Path(env.get("LEAP_PUBLISH", "publish")).resolve(),
            dagster_home=Path(env.get("DAGSTER_HOME", ".leap/dagster")).resolve(),
            timezone=env.get("LEAP_TIMEZONE", "Europe/London"),
        )


def settings() -> Settings:
    return Settings.from_env()
