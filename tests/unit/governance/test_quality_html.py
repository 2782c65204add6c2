"""The governance report's cells: suppressed values in words, large disparities highlighted."""

import pandas as pd

from leap_assets.governance.quality_html import DISPARITY_HIGHLIGHT, table
from leap_assets.governance.quality_status import banner, weeks_nav


def test_a_disparity_at_or_above_the_threshold_is_highlighted_in_words_too():
    frame = pd.DataFrame(
        {
            "Group": ["A", "B", "C"],
            "Students": ["40", "<5", "30"],
            "Red disparity": [f"{DISPARITY_HIGHLIGHT:.2f}", "<5", "1.10"],
        }
    )
    page = table(frame, counts={"Students"}, rates={"Red disparity"}, words=True)
    assert f'<td class="rate high">{DISPARITY_HIGHLIGHT:.2f} (high)</td>' in page
    assert '<td class="rate">1.10</td>' in page
    assert '<td class="count small">fewer than 5</td>' in page and '<td class="rate small">suppressed</td>' in page


def test_the_banner_names_published_and_held_schools_as_text():
    class Status:
        def __init__(self, school, status):
            self.school, self.status = school, status

    page = banner([Status("<b>Law</b>", "published"), Status("Arts", "held")])
    assert (
        "1 of 2 school report(s) held back" in page
        and "&lt;b&gt;Law&lt;/b&gt;" in page
        and "Held back:</strong> Arts" in page
    )
    assert "2026-10-05" in weeks_nav(pd.Timestamp("2026-10-12").date())


def test_other_pages_sharing_the_table_keep_their_own_markers():
    frame = pd.DataFrame({"Group": ["A"], "Students": ["<5"], "Red disparity": ["2.00"]})
    page = table(frame, counts={"Students"}, rates={"Red disparity"})
    assert '<td class="count">&lt;5</td>' in page and '<td class="rate">2.00</td>' in page
