"""What the dbt project states about itself: every staging model has its key tested, and every dbt
source names the Dagster asset that fills it."""

from leap_dbt import PROJECT_DIR


def test_every_staging_model_has_a_key_test(dbt_manifest):
    staging = {
        node.unique_id: node.name
        for node in dbt_manifest.nodes.values()
        if node.resource_type == "model" and node.fqn[1] == "staging"
    }
    keyed = {
        parent
        for node in dbt_manifest.nodes.values()
        if node.resource_type == "test" and getattr(node, "test_metadata", None) and node.test_metadata.name == "key"
        for parent in node.depends_on.nodes
    }
    assert len(staging) >= 18
    assert sorted(name for unique_id, name in staging.items() if unique_id not in keyed) == []


def test_every_source_names_the_asset_that_fills_it_in_its_own_file(dbt_manifest):
    owners = {}
    for source in dbt_manifest.sources.values():
        asset_key = source.config.meta.get("dagster", {}).get("asset_key")
        assert asset_key, f"{source.source_name}.{source.name} names no meta.dagster.asset_key"
        owners.setdefault(source.source_name, set()).add((tuple(asset_key), source.original_file_path))
    assert owners.keys() == {"sits", "seats", "moodle", "schools", "meta"}
    for name, found in owners.items():
        [(asset_key, path)] = found  # one asset and one file per source
        expected_asset = "privacy" if name == "meta" else name
        assert asset_key == (expected_asset,)
        assert (PROJECT_DIR / path).parent.name == name


def test_dbt_s_duckdb_runs_within_a_memory_limit(dbt):
    # DuckDB's default is 80% of the machine: a 100,000-student term's weeks took 7 GB of it.
    result = dbt("show", "--inline", "select current_setting('memory_limit') as memory_limit")
    assert result.success, result.exception
    [limit] = result.result.results[0].agate_table.rows[0]
    number, unit = limit.split()
    assert unit in ("MiB", "GiB") and float(number) * (1024 if unit == "GiB" else 1) <= 2048, limit
