"""The dbt docs site: every model, every column it returns and the outputs that read them are described."""

import duckdb
import leap_scenario
from leap_dbt import assert_success

EXPOSURES = {"school_report_workbooks", "governance_quality_page", "indicator_backtest_page"}


def models(manifest) -> list:
    return [node for node in manifest.nodes.values() if node.resource_type == "model"]


def test_every_model_and_column_in_the_manifest_has_a_description(dbt_manifest):
    found = models(dbt_manifest)
    assert len(found) >= 30
    assert not [m.name for m in found if not m.description.strip()]
    missing = [(m.name, c) for m in found for c, info in m.columns.items() if not info.description.strip()]
    assert not missing
    assert not [m.name for m in found if not m.columns]  # a model that lists no column documents none


def test_every_column_a_model_returns_is_documented(scenario):
    """Compiled against the built scenario, each model's SQL is described by DuckDB: the YAML must list
    every column it returns (staging, the ephemeral intermediates and the mart alike)."""
    week = leap_scenario.W.isoformat()
    assert_success(scenario("compile", weeks=(week, week)))
    compiled = scenario.folder / "target" / "compiled" / "leap"
    undocumented = []
    with duckdb.connect(str(scenario.warehouse), read_only=True) as con:
        for model in models(scenario.manifest):
            sql = (compiled / model.original_file_path).read_text(encoding="utf-8")
            returned = [row[0] for row in con.execute(f"describe ({sql})").fetchall()]
            undocumented += [(model.name, column) for column in returned if column not in model.columns]
    assert not undocumented


def test_the_published_outputs_are_exposures_of_the_models_they_read(dbt_manifest):
    exposures = {e.name: e for e in dbt_manifest.exposures.values()}
    assert set(exposures) >= EXPOSURES
    for name in EXPOSURES:
        exposure = exposures[name]
        assert exposure.description.strip() and exposure.owner.email
        assert "model.leap.engagement_weekly" in exposure.depends_on.nodes
