"""The governance board's data-quality report on a tiny warehouse: sections, small numbers, no personal
data, self-contained HTML that a real headless browser renders, and the Data Docs beside it."""

import re
import shutil
import struct
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from leap_assets.governance.quality_report import publish_week
from leap_assets.quality.calendar import Calendar
from leap_assets.quality.settings import load_quality_settings
from leap_assets.resources import LeapPaths
from tests.support.quality_warehouse import STUDENTS, W, build


class Cells(HTMLParser):
    """Every table cell (class, text), every tag's attributes and the headings of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: list[tuple[str, str]] = []
        self.rows: list[list[tuple[str, str]]] = []
        self.tags: list[tuple[str, dict]] = []
        self.headings: list[str] = []
        self._cell: tuple[str, list[str]] | None = None
        self._heading: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "tr":
            self.rows.append([])
        if tag in ("td", "th"):
            self._cell = (dict(attrs).get("class") or "", [])
        if tag in ("h2", "h3"):
            self._heading = []

    def handle_data(self, data):
        if self._cell is not None:
            self._cell[1].append(data)
        if self._heading is not None:
            self._heading.append(data)

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            cell = (self._cell[0], "".join(self._cell[1]).strip())
            self.cells.append(cell)
            self.rows[-1].append(cell)
            self._cell = None
        if tag in ("h2", "h3") and self._heading is not None:
            self.headings.append("".join(self._heading).strip())
            self._heading = None


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    root = tmp_path_factory.mktemp("quality")
    paths = LeapPaths(warehouse=str(build(root / "warehouse.duckdb")), publish=str(root / "publish"))
    quality = publish_week(paths, W, load_quality_settings(), Calendar())
    page = quality.report.read_text(encoding="utf-8")
    parsed = Cells()
    parsed.feed(page)
    return quality, page, parsed


def test_the_report_is_published_for_the_week_with_every_section(published):
    quality, _, parsed = published
    assert quality.report.parent.parent.name == W.isoformat() and quality.report.name == "data-quality.html"
    for heading in ("Verdict per source", "Sources this week", "Coverage", "Engagement status by school and level",
                    "Trend over the term", "Fairness", "Sex", "Ethnicity group", "Disability"):  # fmt: skip
        assert heading in parsed.headings
    texts = [text for _, text in parsed.cells]
    for label in ("Files landed for this week", "Rows set aside for review (quarantined)", "Newest data date",
                  "Expectations passed", "unparsable timestamp"):  # fmt: skip
        assert label in texts
    assert {v.label for v in quality.verdicts.values()} <= {"Fit for use", "Use with care", "Not fit for use"}


def test_verdicts_are_plain_english_and_name_what_needs_care(published):
    quality, page, _ = published
    assert quality.verdicts["sits"].level == "fit"
    assert quality.verdicts["moodle"].level == "care" and "could not be read" in quality.verdicts["moodle"].sentence
    assert quality.verdicts["seats"].level == "care" and "set aside for review" in quality.verdicts["seats"].sentence
    assert "Use with care" in page and "Fit for use" in page


def test_no_student_count_under_five_appears_anywhere(published):
    _, _, parsed = published
    counts = [text for css, text in parsed.cells if css.split()[:1] == ["count"]]
    assert counts, "no student counts found"
    for text in counts:
        assert text in ("fewer than 5", "hidden") or int(text.replace(",", "")) >= 5, text
    assert "fewer than 5" in counts  # the population is small: suppression really happened
    for row in parsed.rows:
        rates = [text for css, text in row if css == "rate" and text not in ("-", "")]
        sizes = [text for css, text in row if css.startswith("count")]
        if rates:  # a rate is shown only beside a group of at least 5 students
            assert sizes and sizes[0] not in ("fewer than 5", "hidden") and int(sizes[0].replace(",", "")) >= 5, row


def test_suppressed_cells_say_so_in_words_with_a_legend(published):
    _, page, parsed = published
    assert not [text for _, text in parsed.cells if text in ("<5", "*")]  # "<5" beside a rate reads as "under 5 %"
    hidden = {text for css, text in parsed.cells if "small" in css.split()}
    assert hidden and hidden <= {"fewer than 5", "suppressed", "hidden"}
    assert page.count('class="legend"') >= 2 and "it is not a rate under 5%" in page


def test_the_page_opens_with_the_week_s_reports_and_links_to_the_weeks_around_it(published):
    quality, page, parsed = published
    banner = page[page.index('class="banner') : page.index("</div>", page.index('class="banner'))]
    for status in quality.statuses:
        assert status.school in banner
    assert "Published:" in banner or "Held back:" in banner
    links = [a.get("href") for t, a in parsed.tags if t == "a"]
    assert "../../2026-10-05/governance/data-quality.html" in links
    assert "../../2026-10-19/governance/data-quality.html" in links


def test_the_trend_is_drawn_overall_by_school_and_by_level(published):
    _, _, parsed = published
    for heading in ("Trend over the term", "Trend by school", "Trend by level"):
        assert heading in parsed.headings
    assert sum(1 for t, a in parsed.tags if t == "img") >= 3


def test_no_personal_data_is_in_the_report(published):
    _, page, _ = published
    for student_id, *_ in STUDENTS:
        assert student_id not in page
    assert "Smith" not in page and "Alex" not in page


def test_the_page_is_self_contained(published):
    _, page, parsed = published
    for tag, attrs in parsed.tags:
        for name in ("src", "href"):
            assert not re.match(r"\s*(https?:)?//", attrs.get(name) or ""), (tag, attrs)
        if tag == "img":
            assert attrs["src"].startswith("data:image/png;base64,")
    assert [t for t, _ in parsed.tags].count("img") >= 1
    assert not {"script", "link", "iframe"} & {t for t, _ in parsed.tags}
    assert "http://" not in page and "https://" not in page


def test_the_data_docs_site_is_built_beside_the_report(published):
    quality, _, _ = published
    assert quality.data_docs == quality.report.parent / "data-docs"
    assert (quality.data_docs / "index.html").is_file()
    assert len(list((quality.data_docs / "validations").rglob("*.html"))) >= 15
    assert not [p for p in quality.report.parent.iterdir() if p.name.startswith(".")]


def png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", header[16:24])


@pytest.mark.skipif(shutil.which("chromium") is None, reason="chromium is not installed (.ci/run installs it)")
def test_the_report_renders_in_a_headless_browser(published, tmp_path):
    quality, _, _ = published
    shot = tmp_path / "shot.png"
    result = subprocess.run(
        ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}",
         f"--screenshot={shot}", "--window-size=1280,2000", quality.report.as_uri()],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert shot.is_file(), result.stderr[-2000:]
    assert png_size(shot) == (1280, 2000)
    assert shot.stat().st_size > 50_000  # a blank page compresses to a few kilobytes


def dump_dom_offline(page: Path, profile: Path) -> str:
    """The page's DOM after its scripts ran, in headless Chromium with every host name unresolvable."""
    result = subprocess.run(
        ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
         "--host-resolver-rules=MAP * ~NOTFOUND", "--virtual-time-budget=5000", "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert "</html>" in result.stdout, result.stderr[-2000:]
    return result.stdout


def assert_loads_only_local_files(page: Path, dom: str) -> None:
    parsed = Cells()
    parsed.feed(dom)
    loaded = [a.get("href") for t, a in parsed.tags if t == "link" and "stylesheet" in (a.get("rel") or "")]
    loaded += [a.get("src") for t, a in parsed.tags if t in ("script", "img") and a.get("src")]
    for url in loaded:
        assert not re.match(r"\s*(https?:)?//", url), (page.name, url)
        if not url.startswith("data:"):
            assert (page.parent / url).resolve().is_file(), (page.name, url)


@pytest.mark.skipif(shutil.which("chromium") is None, reason="chromium is not installed (.ci/run installs it)")
def test_the_report_and_its_data_docs_render_offline_from_a_copy(published, tmp_path):
    quality, _, _ = published
    copy = shutil.copytree(quality.report.parent, tmp_path / "governance")  # as on a locked-down share
    report = copy / quality.report.name
    assert_loads_only_local_files(report, dump_dom_offline(report, tmp_path / "profile"))

    index = copy / "data-docs" / "index.html"
    dom = dump_dom_offline(index, tmp_path / "profile")
    assert_loads_only_local_files(index, dom)
    assert "newsletter" not in dom.lower() and "__none__" not in dom
    assert f"week-{W.isoformat()}" in dom  # each run is named after its report week
    page = next((copy / "data-docs" / "validations" / "sits" / "students").rglob("*.html"))
    dom = dump_dom_offline(page, tmp_path / "profile")
    assert_loads_only_local_files(page, dom)
    assert 'class="bootstrap-table' in dom  # jQuery and bootstrap-table ran from the local copies
    parsed = Cells()
    parsed.feed(dom)
    assert sum(1 for row in parsed.rows if len(row) >= 3) >= 5  # the validation tables have rows
    assert "Succeeded" in dom and "fa-check-circle" in dom
    fonts = copy / "data-docs" / "static" / "vendor" / "fontawesome-free" / "webfonts"
    assert (fonts / "fa-solid-900.woff2").is_file()  # the icons' font, which all.min.css loads by a relative url
