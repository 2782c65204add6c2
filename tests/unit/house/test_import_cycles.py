"""No import circle between the project's modules, imports inside functions included: a new one
fails with the modules that form it (issue 14 took the last two apart)."""

from import_graph import cycles, import_graph, imports_of, project_modules


def test_no_import_cycle():
    found = cycles(import_graph())
    assert not found, "import circle(s): " + "; ".join(" <-> ".join(cycle) for cycle in found)


def test_the_cycle_finder_sees_an_import_inside_a_function(tmp_path):
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]
    module = tmp_path / "late.py"
    module.write_text("def later():\n    from leap_assets.ingestion import seats\n    return seats\n")
    modules = project_modules()
    assert imports_of("late", module, modules) == {"leap_assets.ingestion.seats"}
