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


def test_the_layers_import_downwards_only():
    """orchestration -> leap_assets -> expectations, never back (the README's Layout)."""
    rank = {"orchestration": 2, "leap_assets": 1, "expectations": 0}
    upward = [
        f"{module} -> {target}"
        for module, targets in import_graph().items()
        for target in targets
        if rank[target.split(".")[0]] > rank[module.split(".")[0]]
    ]
    assert upward == []


def test_the_rooms_of_leap_assets_form_no_circle():
    """Sub-packages (and top-level modules) of leap_assets import one way: no circle between rooms."""

    def room(module: str) -> str:
        parts = module.split(".")
        return ".".join(parts[:2])

    rooms: dict[str, set[str]] = {}
    for module, targets in import_graph().items():
        if module.startswith("leap_assets."):
            rooms.setdefault(room(module), set()).update(
                room(t) for t in targets if t.startswith("leap_assets.") and room(t) != room(module)
            )
    assert cycles(rooms) == []
