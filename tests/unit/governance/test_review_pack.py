"""The annual review pack on a warehouse filled with synthetic rows: year bounds in the local calendar,
small-number suppression, verdicts over time, and a pack that says "none" when there is nothing."""

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from leap_assets.checks import results
from leap_assets.checks.weekly import blocking_suites
from leap_assets.governance import review_data as data
from leap_assets.governance.review import build_pack
from leap_assets.governance.review_html import requests_table, small
from leap_assets.quality.settings import load_quality_settings
from leap_assets.resources import LeapPaths
from leap_assets.warehouse.db import connect

YEAR = data.AcademicYear(2026)
ZONE = "Europe/London"
COUNT_CELL = re.compile(r'<td class="count">([^<]*)</td>')


def shown_safely(cell: str) -> bool:
    """A count cell as the pack may show it: hidden, zero, or at least 5."""
    if cell in ("&lt;5", "*"):
        return True
    number = int(cell.replace(",", ""))
    return number == 0 or number >= 5


def ts(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def request(con, request_id: str, kind: str, status: str, processed: str) -> None:
    con.execute(
        "insert into meta.privacy_requests (request_id, request_type, subject, status, processed_at)"
        " values (?, ?, 'S0000001', ?, ?)",
        [request_id, kind, status, ts(processed)],
    )


def access(con, staff: str, role: str, action: str, when: str) -> None:
    con.execute(
        "insert into meta.access_log (accessed_at, staff_id, role, action, week_start, student_ids, student_count)"
        " values (?, ?, ?, ?, date '2026-10-05', ['S0000001'], 1)",
        [ts(when), staff, role, action],
    )


@pytest.fixture
def filled(tmp_path: Path) -> LeapPaths:
    """A warehouse with a year of synthetic governance records (and some just outside the year)."""
    warehouse = tmp_path / "warehouse.duckdb"
    with connect(warehouse) as con:
        # 00:30 on 1 August in London (BST) is still 31 July in UTC: it belongs to 2026/27.
        request(con, "R1", "erasure", "done", "2026-07-31T23:30:00+00:00")
        request(con, "R2", "erasure", "done", "2026-10-01T10:00:00+00:00")
        request(con, "R3", "erasure", "done", "2027-03-01T10:00:00+00:00")
        for n in range(6):
            request(con, f"A{n}", "access", "done", "2026-11-02T10:00:00+00:00")
        request(con, "A9", "access", "refused", "2026-11-03T10:00:00+00:00")
        # 00:30 on 1 August 2027 in London: the next academic year.
        request(con, "R9", "erasure", "done", "2027-07-31T23:30:00+00:00")
        request(con, "R0", "erasure", "done", "2026-07-31T22:30:00+00:00")  # 23:30 on 31 July in London
        for n in range(7):
            access(con, f"T{n % 2}", "tutor", "view", "2026-10-12T09:00:00+00:00")
        access(con, "9900001", "admin", "view", "2026-10-12T09:00:00+00:00")
        access(con, "X1", "none", "view_refused", "2026-10-12T09:00:00+00:00")
        con.execute(
            "insert into meta.purges values (?, 'raw', 'moodle_log', date '2025-09-01', 3, 0),"
            " (?, 'landing', 'moodle', date '2025-09-01', 120, 40)",
            [ts("2026-09-01T02:00:00+00:00"), ts("2026-09-01T02:00:00+00:00")],
        )
        con.execute(
            "insert into meta.landed_files (path, source, sha256, status, rows_loaded, rows_quarantined,"
            " rows_filtered, rows_duplicate, landed_at) values"
            " ('seats/attendance_2026-10-05.tsv', 'seats', 'x', 'loaded', 10, 0, 0, 0, ?),"
            " ('seats/attendance_2026-10-06.tsv', 'seats', 'y', 'rejected', 0, 0, 0, 0, ?)",
            [ts("2026-10-05T08:00:00+00:00"), ts("2026-10-06T08:00:00+00:00")],
        )
        blocking = sorted(blocking_suites(load_quality_settings()))[0]
        results.ensure_table(con)
        con.execute(
            f"insert into {results.TABLE} values"
            " (date '2026-10-05', 'engagement_weekly', ?, 'expect_x', true, '1', now(), 'v1'),"
            " (date '2026-10-12', 'engagement_weekly', ?, 'expect_x', false, '0', now(), 'v1'),"
            " (date '2027-08-02', 'engagement_weekly', ?, 'expect_x', false, '0', now(), 'v1')",
            [blocking, blocking, blocking],
        )
    return LeapPaths(warehouse=str(warehouse), publish=str(tmp_path / "publish"), zone=ZONE)


def test_a_year_runs_from_1_august_to_31_july_in_the_local_calendar(filled):
    with filled.read() as con:
        handled = data.requests_handled(con, YEAR, ZONE)
    erasures = handled[(handled["request_type"] == "erasure") & (handled["status"] == "done")]["requests"]
    assert int(erasures.sum()) == 3  # R1 (1 August in London), R2, R3; not R0 (31 July) nor R9 (2027/28)
    assert YEAR.first == date(2026, 8, 1) and YEAR.last == date(2027, 7, 31) and YEAR.label == "2026/27"


def test_counts_from_one_to_four_are_hidden_with_their_complements_and_zero_is_shown():
    frame = data.empty(["request_type", "status", "requests"])
    frame.loc[0] = ["access", "done", 6]
    frame.loc[1] = ["access", "refused", 1]
    frame.loc[2] = ["erasure", "done", 3]
    shown = requests_table(frame).set_index("Request type")
    assert shown.at["access", "Refused"] == "<5"
    assert shown.at["erasure", "Done"] == "<5"
    assert shown.at["erasure", "Refused"] == "0"
    # 6 and 7 would give the refused access away (7 - 6): hidden as complements.
    assert shown.at["access", "Done"] == "*"
    assert shown.at["All requests", "Total"] == "10"
    assert [small(n) for n in (0, 1, 4, 5, 1234)] == ["0", "<5", "<5", "5", "1,234"]


def test_pack_shows_no_count_of_people_from_one_to_four(filled):
    target, content = build_pack(filled, 2026)
    page = target.read_text(encoding="utf-8")
    assert target == Path(filled.publish) / "governance" / "review-2026.html"
    cells = COUNT_CELL.findall(page)
    assert cells, "the pack has count cells"
    assert all(shown_safely(cell) for cell in cells), cells
    assert "&lt;5" in page
    # Access by role: 7 tutor views by 2 staff, 1 admin view, 1 refusal.
    access = content.access.set_index("role")
    assert int(access.at["tutor", "views"]) == 7 and int(access.at["tutor", "staff"]) == 2
    assert "S0000001" not in page and "9900001" not in page and "T0" not in page


def test_verdicts_over_the_year_come_from_the_stored_results_of_weeks_in_the_year(filled):
    target, content = build_pack(filled, 2026)
    assert sorted(content.verdicts) == [date(2026, 10, 5), date(2026, 10, 12)]
    assert content.verdicts[date(2026, 10, 12)]["engagement_weekly"].label == "Not fit for use"
    assert content.verdicts[date(2026, 10, 5)]["engagement_weekly"].label == "Fit for use"
    page = target.read_text(encoding="utf-8")
    assert "2027-08-02" not in page


def test_sources_and_approvals_flag_reviews_due_in_the_year_and_count_files(filled):
    target, content = build_pack(filled, 2026)
    page = target.read_text(encoding="utf-8")
    # The committed registry's reviews fall on 2027-07-31, inside 2026/27.
    assert page.count("Review due this year") == len(content.registry.sources)
    assert "SEAtS attendance" in page and "Learning Analytics Governance Board (example)" in page
    files = content.files.set_index("source")
    assert (int(files.at["seats", "files"]), int(files.at["seats", "rejected"])) == (2, 1)


def test_an_empty_year_or_no_warehouse_still_gives_a_pack_that_says_none(filled, tmp_path):
    _, content = build_pack(filled, 2024)
    page = (Path(filled.publish) / "governance" / "review-2024.html").read_text(encoding="utf-8")
    assert page.count("None in this year.") == 5 and content.verdicts == {}
    bare = LeapPaths(warehouse=str(tmp_path / "absent.duckdb"), publish=str(tmp_path / "out"), zone=ZONE)
    target, _ = build_pack(bare, 2026)
    assert target.read_text(encoding="utf-8").count("None in this year.") == 5
    assert not (tmp_path / "absent.duckdb").exists()
