"""School slugs (outputs.md) and the folder guard: no name can leave its folder."""

from pathlib import Path

import pytest

from leap_assets.writing.names import inside, school_slugs, slug, staff_folder


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("School of Engineering", "school-of-engineering"),
        ("School of Health & Psychological Sciences", "school-of-health-psychological-sciences"),
        ("../../etc", "etc"),
        ("..", "school"),
        ("/etc/passwd", "etc-passwd"),
        ("a/b\\c", "a-b-c"),
        ("  --Arts--  ", "arts"),
        ("École d'Été", "cole-d-t"),
        ("日本語学部", "school"),
        ("", "school"),
        ("Physics 2.0", "physics-2-0"),
    ],
)
def test_slug_follows_the_rule_of_outputs_md(name, expected):
    assert slug(name) == expected


def test_colliding_schools_each_get_a_distinct_suffix_that_does_not_depend_on_order():
    names = ["Arts & Humanities", "Arts Humanities", "School of Engineering"]
    first = school_slugs(names)
    assert school_slugs(list(reversed(names))) == first
    assert first["School of Engineering"] == "school-of-engineering"
    assert first["Arts & Humanities"] != first["Arts Humanities"]
    assert all(
        first[n].startswith("arts-humanities-") and len(first[n]) == len("arts-humanities-") + 8 for n in names[:2]
    )


def test_inside_refuses_any_path_that_leaves_the_root(tmp_path: Path):
    assert inside(tmp_path, "2026-10-12", "etc", "x.xlsx") == tmp_path.resolve() / "2026-10-12" / "etc" / "x.xlsx"
    for parts in [("..", "x"), ("a", "..", "..", "x"), ("/etc", "passwd"), ()]:
        with pytest.raises(ValueError, match="refusing to write outside"):
            inside(tmp_path, *parts)


def test_staff_folder_is_the_id_when_safe_and_a_slug_with_digest_otherwise():
    assert staff_folder("0123456") == "0123456"
    assert staff_folder("../S1").startswith("s1-")
    assert staff_folder("S-1") != staff_folder("s_1")
