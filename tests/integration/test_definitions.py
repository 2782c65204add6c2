import subprocess
import sys
from pathlib import Path

import dagster as dg

from leap_assets.partitions import partitions_start
from leap_assets.transform.project import MART_KEY
from orchestration.definitions import defs

ROOT = Path(__file__).resolve().parents[2]


def test_every_source_has_an_ingestion_asset_feeding_its_staging_models():
    graph = defs.resolve_asset_graph()
    keys = {key.to_user_string() for key in graph.get_all_asset_keys()}
    assert {"sits", "seats", "moodle", "schools"} <= keys
    staging = {k for k in keys if k.startswith("staging/stg_")}
    for source in ("sits", "seats", "moodle", "schools"):
        fed = [k for k in staging if k.startswith(f"staging/stg_{source}__")]
        assert fed, f"no staging model for {source}"
        for key in fed:
            parents = {p.to_user_string() for p in graph.get(dg.AssetKey.from_user_string(key)).parent_keys}
            assert source in parents, f"{key} does not depend on the {source} ingestion asset"


def test_the_mart_key_is_the_key_dagster_dbt_gives_the_model_and_what_publishing_depends_on():
    graph = defs.resolve_asset_graph()
    mart = graph.get(MART_KEY)
    assert mart.is_materializable and "dbt" in mart.kinds, "MART_KEY is not the dbt model's asset"
    for child in ("governance_report", "student_engagement_reports"):
        assert MART_KEY in graph.get(dg.AssetKey(child)).parent_keys, child


def test_every_asset_has_a_description_for_the_ui():
    for spec in defs.resolve_all_asset_specs():
        assert spec.description, f"{spec.key.to_user_string()} has no description"


def test_weekly_models_are_partitioned_by_week_and_ingestion_is_not():
    graph = defs.resolve_asset_graph()
    for key in graph.get_all_asset_keys():
        node = graph.get(key)
        name = key.to_user_string()
        if name.startswith(("intermediate/", "marts/")):
            assert node.partitions_def is not None, name
            assert node.partitions_def.get_partition_keys()[0] == partitions_start()
        if name in {"sits", "seats", "moodle", "schools"}:
            assert node.partitions_def is None, name


def test_workspace_yaml_loads_the_one_code_location():
    dagster = Path(sys.executable).with_name("dagster")
    result = subprocess.run(
        [str(dagster), "definitions", "validate", "-w", "workspace.yaml"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "leap" in result.stdout + result.stderr


def test_every_sensor_schedule_and_job_has_a_description_for_the_ui():
    # Dagster ignores their docstrings: each must pass description= itself.
    for sensor in defs.sensors:
        assert sensor.description, f"sensor {sensor.name} has no description"
    for schedule in defs.schedules:
        assert schedule.description, f"schedule {schedule.name} has no description"
    for job in defs.jobs:
        assert job.description, f"job {job.name} has no description"


def test_the_group_lineage_runs_from_ingestion_to_the_marts_and_never_back():
    graph = defs.resolve_asset_graph()
    upstream_groups = {"ingestion", "privacy", "staging"}
    for key in graph.get_all_asset_keys():
        node = graph.get(key)
        assert node.group_name and node.group_name != "default", f"{key.to_user_string()} has no group"
        if node.group_name in upstream_groups:
            for parent in node.parent_keys:
                assert graph.get(parent).group_name in upstream_groups, (
                    f"{parent.to_user_string()} ({graph.get(parent).group_name}) feeds {key.to_user_string()}"
                )


def test_the_rule_parameter_test_is_a_check_on_the_seed_not_a_stray_asset():
    checks = {(c.asset_key.to_user_string(), c.name) for c in defs.resolve_asset_graph().asset_check_keys}
    assert ("seeds/rule_thresholds", "assert_every_rule_parameter_is_seeded") in checks


def test_loading_the_definitions_says_nothing_on_stderr():
    """Dagster's beta notice for `backfill_policy` was printed by every `leap` command and `make dev`."""
    code = "import orchestration.definitions"  # with Python's default warning filters, as a user runs it
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "Warning" not in result.stderr, result.stderr
