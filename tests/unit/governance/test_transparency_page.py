"""The transparency page: written from the registry and the access file, self-contained, in plain and
non-punitive words, counting grants by role without naming anyone."""

import re
from datetime import date
from pathlib import Path

import dagster as dg
import pytest

from leap_assets.governance.transparency import transparency
from leap_assets.governance.transparency_fields import PLAIN_NAMES, plain_name
from leap_assets.governance.transparency_html import staff_count
from leap_assets.resources import LeapPaths
from leap_assets.sources.registry import load_registry
from tests.support.registry_files import variant

PUNITIVE = re.compile(r"sanction|visa|disciplinary|non-compliance", re.IGNORECASE)
ACCESS = """
"7700001": {role: admin, approved_by: Board, approved_on: 2026-09-01}
"7700002": {role: admin, approved_by: Board, approved_on: 2026-09-01}
"7700003": {role: school, approved_by: Board, approved_on: 2026-09-01, schools: [Law]}
"""


def registry_edit(data: dict) -> None:
    for key in ("approved_by", "approved_on", "consultation_ref"):
        data["sources"]["moodle"].pop(key)
    data["sources"]["sits"]["review_date"] = date(2026, 1, 31)


@pytest.fixture
def page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    registry = variant(tmp_path, registry_edit)
    access = tmp_path / "access.yml"
    access.write_text(ACCESS, encoding="utf-8")
    monkeypatch.setenv("LEAP_SOURCES_FILE", str(registry))
    monkeypatch.setenv("LEAP_ACCESS_FILE", str(access))
    publish = tmp_path / "publish"
    result = dg.materialize([transparency], resources={"paths": LeapPaths(publish=str(publish))})
    assert result.success
    assert [p.name for p in publish.iterdir()] == ["transparency.html"]  # no temporary left behind
    return (publish / "transparency.html").read_text(encoding="utf-8")


def test_page_lists_every_source_and_every_field_used_and_nothing_else(page, tmp_path):
    registry = load_registry(tmp_path / "sources.yml")
    for source in registry.sources.values():
        assert source.name in page
        for spec in source.files.values():
            for name in spec.fields:
                assert f"<code>{name}</code>" in page, name
    for never_read in ("ip", "other", "relateduserid"):
        assert f"<code>{never_read}</code>" not in page
    assert "UK GDPR Article 9(2)(g)" in page  # the special category condition for ethnicity and disability


def test_page_says_which_source_is_not_in_use_and_which_review_is_overdue(page):
    moodle = page[page.index('id="source-moodle"') : page.index('id="source-schools"')]
    assert "Not in use" in moodle
    sits = page[page.index('id="source-sits"') : page.index('id="source-seats"')]
    assert "review overdue" in sits and "2026-01-31" in sits


def test_grants_are_counted_by_role_without_naming_anyone(page):
    who = page[page.index('id="who-sees"') : page.index('id="requests"')]
    counts = dict(re.findall(r"<td>(Administrators|School staff|Learning analytics team)</td>.*?"
                             r'<td class="num">([^<]+)</td>', who))  # fmt: skip
    assert counts == {"Administrators": "fewer than 5", "School staff": "fewer than 5", "Learning analytics team": "0"}
    assert "77000" not in page


def test_page_explains_the_weekly_status_with_the_configured_thresholds_and_how_to_ask(page):
    assert "green at 70 or more, amber from 30" in page
    assert "last 7 days" in page and "last 14 days" in page and "last 28 days" in page
    assert "offer support" in page and "never used to punish" in page
    for kind in ("access", "erasure", "restriction / lift_restriction", "rectification", "opt_out / opt_in"):
        assert f"<code>{kind}</code>" in page
    assert "mailto:dpo@example.ac.uk" in page and "(example)" in page


def test_page_is_self_contained_and_free_of_punitive_words(page):
    assert "<script" not in page and "<link" not in page and 'src="http' not in page
    assert "<style>" in page
    assert not PUNITIVE.search(page)


def test_a_broken_registry_fails_the_page_naming_the_file(tmp_path, monkeypatch):
    broken = tmp_path / "sources.yml"
    broken.write_text("sources: [not, a, mapping]\n", encoding="utf-8")
    monkeypatch.setenv("LEAP_SOURCES_FILE", str(broken))
    result = dg.materialize(
        [transparency], resources={"paths": LeapPaths(publish=str(tmp_path / "p"))}, raise_on_error=False
    )
    assert not result.success
    failure = next(e for e in result.all_events if e.is_step_failure)
    assert str(broken) in failure.step_failure_data.error.message
    assert not (tmp_path / "p" / "transparency.html").exists()


def test_staff_counts_from_one_to_four_are_suppressed_and_larger_ones_shown():
    assert [staff_count(n) for n in (0, 1, 4, 5, 1234)] == ["0", "fewer than 5", "fewer than 5", "5", "1,234"]


def test_fields_have_plain_names_with_the_system_name_beside_them(page, tmp_path):
    registry = load_registry(tmp_path / "sources.yml")
    missing = [
        name
        for source in registry.sources.values()
        for spec in source.files.values()
        for name in spec.fields
        if name not in PLAIN_NAMES and plain_name(name) != name  # a system name, not already words
    ]
    assert not missing  # a field added to the registry needs a plain name here too
    assert "<strong>Disability (declared)</strong>" in page and "<code>DIFFLEARN1</code>" in page
    assert "<strong>Level of study (undergraduate or postgraduate)</strong>" in page
    assert plain_name("Contact date") == "Contact date" and plain_name("SOME_NEW_FIELD") == "Some new field"


def test_page_opens_with_a_contents_list_linking_every_section_and_source(page, tmp_path):
    contents = page[page.index('<nav class="contents"') : page.index("</nav>")]
    for anchor in re.findall(r'<h2 id="([^"]+)"', page):
        assert f'href="#{anchor}"' in contents, anchor
    for source in load_registry(tmp_path / "sources.yml").sources.values():
        assert f'href="#source-{source.key}"' in contents and f'id="source-{source.key}"' in page
