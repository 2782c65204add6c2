"""Resource instances. Paths come from the environment when a run starts (see leap_assets.settings)."""

from leap_assets.resources import LeapPaths


def build_resources() -> dict:
    # dbt needs no resource: it runs in the run's process (leap_assets/transform/inprocess.py) on the
    # warehouse `paths` names.
    return {"paths": LeapPaths()}
