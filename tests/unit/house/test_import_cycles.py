"""No new import circles between the project's modules, imports inside functions included.

Two circles are older than this test and are being taken apart (issue 14): they are listed here, and
may only shrink. Any other circle, or one of these growing, fails with the modules that form it.
"""

from import_graph import cycles, import_graph

KNOWN = [
    # Source contracts: reading asks governance.sources for allowed fields, which asks the readers.
    {
        "leap_assets.governance.sources", "leap_assets.governance.sources_contract", "leap_assets.ingestion.moodle",
        "leap_assets.ingestion.reading", "leap_assets.ingestion.registry", "leap_assets.ingestion.schools",
        "leap_assets.ingestion.seats", "leap_assets.ingestion.sits_rules", "leap_assets.ingestion.validate",
        "leap_assets.privacy.request_file", "leap_assets.privacy.requests", "leap_assets.reporting.returned",
    },
    # The CLI: its command modules import LeapError from cli.py, which imports them.
    {
        "orchestration.cli", "orchestration.cli_governance", "orchestration.cli_oulad", "orchestration.cli_privacy",
        "orchestration.cli_purge", "orchestration.cli_quality",
    },
]  # fmt: skip


def test_no_import_cycle_beyond_the_known_ones():
    new = [cycle for cycle in cycles(import_graph()) if not any(set(cycle) <= known for known in KNOWN)]
    assert not new, "import circle(s): " + "; ".join(" <-> ".join(cycle) for cycle in new)


def test_the_cycle_finder_sees_an_import_inside_a_function():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]
    from import_graph import imports_of, project_modules

    modules = project_modules()
    # sources_contract imports the readers inside contract(): the finder must count it.
    assert "leap_assets.ingestion.seats" in imports_of(
        "leap_assets.governance.sources_contract", modules["leap_assets.governance.sources_contract"], modules
    )
