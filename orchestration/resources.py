"""Resource instances. Paths come from the environment when a run starts (see leap_assets.settings)."""

from dagster_dbt import DbtCliResource

from leap_assets.resources import LeapPaths
from leap_assets.transform.project import PROJECT_DIR, dbt_executable


def build_resources() -> dict:
    return {
        "paths": LeapPaths(),
        "dbt": DbtCliResource(
            project_dir=str(PROJECT_DIR), profiles_dir=str(PROJECT_DIR), dbt_executable=dbt_executable()
        ),
    }
