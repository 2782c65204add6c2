"""Resource instances, configured from the environment (the same variables the CLI reads)."""

import dagster as dg
from dagster_dbt import DbtCliResource

from leap_assets.resources import LeapPaths
from leap_assets.settings import settings
from leap_assets.transform.project import PROJECT_DIR


def build_resources() -> dict:
    config = settings()
    return {
        "paths": LeapPaths(
            landing=str(config.landing),
            warehouse=str(config.warehouse),
            publish=str(config.publish),
            timezone=config.timezone,
        ),
        "dbt": DbtCliResource(project_dir=str(PROJECT_DIR), profiles_dir=str(PROJECT_DIR)),
    }


__all__ = ["build_resources", "dg"]
