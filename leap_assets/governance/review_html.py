"""Rendering the annual review pack: one self-contained HTML page (inline CSS, no script, no external
resource) for the governance board.

Small numbers (governance.md): every count of people or of records about people (requests, accesses,
staff, rows and files purged) from 1 to 4 is shown as "<5"; where a table shows a total, a second
count is hidden ("*") so that the small one cannot be worked out from it (the same complementary
suppression as the weekly data-quality report). Zero is shown: it reveals no one. Counts of weeks and
of landed files are about the data, not people, and are shown as they are. Cells of counts that
suppression governs carry the class "count" (as in the weekly report), so tests can find every one.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

import pandas as pd

from leap_assets.governance.backtest_html import BacktestResult, fairness_html, summary_html
from leap_assets.governance.quality_html import CSS, e, table
from leap_assets.governance.quality_tables import COMPLEMENT, SUPPRESSED, THRESHOLD, Verdict, suppress
from leap_assets.governance.review_data import AcademicYear
from leap_assets.sources.registry import Registry

NONE = "<p>None in this year.</p>"
TOTAL = "Total"


@dataclass
class ReviewContent:
    year: AcademicYear
    today: date
    generated_at: datetime
    registry: Registry
    source_names: dict[str, str]
    files: pd.DataFrame  # source, files, rejected
    verdicts: dict[date, dict[str, Verdict]]
    requests: pd.DataFrame  # request_type, status, requests
    access: pd.DataFrame  # role, views, refused, staff
    purges: pd.DataFrame  # layer, target, runs, rows_removed, files_removed, last_cutoff
    backtests: list[BacktestResult] = field(default_factory=list)  # the year's completed terms
    gate: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["status", "school_weeks"]))
    releases: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(
            columns=["released_at", "week_start", "school", "released_by", "reason", "checks"]
        )
    )


def small(value: int, hidden: bool = False) -> str:
    """A count as shown in the pack: 1-4 as "<5", a complementary hidden count as "*"."""
    value = int(value)
    if 0 < value < THRESHOLD:
        return SUPPRESSED
    return COMPLEMENT if hidden else f"{value:,}"


def suppressed(cells: pd.DataFrame, total_column=None, total_row=None) -> pd.DataFrame:
    """Display strings of a count table with its totals: 1-4 hidden, plus complements along shown totals."""
    cells = cells.astype(int)
    # Zeros are shown, so they are not small; they may still be hidden as a complement.
    mask = suppress(cells.mask(cells == 0, THRESHOLD), total_column=total_column, total_row=total_row)
    return pd.DataFrame(
        {c: [small(cells.at[r, c], mask.at[r, c]) for r in cells.index] for c in cells.columns}, index=cells.index
    )


def requests_table(frame: pd.DataFrame) -> pd.DataFrame | None:
    if frame.empty:
        return None
    pivot = frame.pivot_table(index="request_type", columns="status", values="requests", aggfunc="sum", fill_value=0)
    pivot = pivot.reindex(columns=sorted(pivot.columns, key=lambda s: (s != "done", s)), fill_value=0)
    pivot[TOTAL] = pivot.sum(axis=1)
    pivot.loc["All requests"] = pivot.sum(axis=0)
    shown = suppressed(pivot, total_column=TOTAL, total_row="All requests")
    shown.columns = [str(c).capitalize() if c != TOTAL else c for c in shown.columns]
    return shown.rename_axis("Request type").reset_index()


def access_table(frame: pd.DataFrame) -> pd.DataFrame | None:
    if frame.empty:
        return None
    counts = frame.set_index("role")[["views", "refused"]].astype(int)
    counts[TOTAL] = counts.sum(axis=1)
    counts.loc["All roles"] = counts.sum(axis=0)
    shown = suppressed(counts, total_column=TOTAL, total_row="All roles")
    staff = frame.set_index("role")["staff"]
    shown["Staff"] = [small(staff[r]) if r in staff.index else "" for r in shown.index]
    shown.columns = ["Views and exports", "Refused", TOTAL, "Staff"]
    return shown.rename_axis("Role").reset_index()


def purges_table(frame: pd.DataFrame) -> pd.DataFrame | None:
    if frame.empty:
        return None
    return pd.DataFrame(
        {
            "Layer": frame["layer"],
            "Table or folder": frame["target"],
            "Purges": frame["runs"].astype(int).map(lambda n: f"{n:,}"),
            "Rows removed": frame["rows_removed"].map(small),
            "Files removed": frame["files_removed"].map(small),
            "Latest cutoff": frame["last_cutoff"].astype(str),
        }
    )


def sources_table(content: ReviewContent) -> pd.DataFrame:
    files = content.files.set_index("source") if not content.files.empty else pd.DataFrame()
    rows = []
    for key, source in content.registry.sources.items():
        flags = []
        approval = content.registry.approval(key, content.today)
        if not approval.approved:
            flags.append(f"Not ingested: {approval.reason}")
        if source.approved_on and content.year.first <= source.approved_on <= content.year.last:
            flags.append("Approved this year")
        if source.review_date and source.review_date < content.today:
            flags.append("Review overdue")
        elif source.review_date and source.review_date <= content.year.last:
            flags.append("Review due this year")
        landed = files.loc[key] if key in files.index else None
        rows.append(
            {
                "Source": source.name,
                "Approved by": source.approved_by or "-",
                "Approved on": str(source.approved_on or "-"),
                "Consultation": source.consultation_ref or "-",
                "Review date": str(source.review_date or "-"),
                "Files landed": f"{int(landed['files']):,}" if landed is not None else "0",
                "Rejected whole": f"{int(landed['rejected']):,}" if landed is not None else "0",
                "Flags": "; ".join(flags) or "-",
            }
        )
    return pd.DataFrame(rows)


def quality_tables(content: ReviewContent) -> tuple[pd.DataFrame, pd.DataFrame] | None:
    """(weeks by verdict per source, the verdict of each week per source)."""
    if not content.verdicts:
        return None
    names = {s: n.split(" (")[0] for s, n in content.source_names.items()}
    grid = pd.DataFrame(
        [
            {"Week": str(week), **{names[s]: v.label for s, v in judged.items()}}
            for week, judged in content.verdicts.items()
        ]
    )
    summary = []
    for source, name in names.items():
        labels = [judged[source].label for judged in content.verdicts.values() if source in judged]
        summary.append(
            {
                "Source": name,
                **{label: str(labels.count(label)) for label in ("Fit for use", "Use with care", "Not fit for use")},
            }
        )
    return pd.DataFrame(summary), grid


def gate_html(content: ReviewContent) -> str:
    """School-weeks published, held and released by the quality gate, and every release."""
    if content.gate.empty:
        return NONE
    labels = {"published": "Published", "held": "Held back (still)", "released": "Released after a hold"}
    outcome = pd.DataFrame(
        [(labels.get(r.status, r.status), f"{int(r.school_weeks):,}") for r in content.gate.itertuples()],
        columns=["School reports", "School-weeks"],
    )
    if content.releases.empty:
        return table(outcome) + "<p>No held report was released.</p>"
    releases = pd.DataFrame(
        [
            (f"{pd.Timestamp(r.released_at):%Y-%m-%d}", str(pd.Timestamp(r.week_start).date()), r.school,
             r.checks, r.released_by, r.reason)
            for r in content.releases.itertuples()
        ],
        columns=["Released on", "Report week", "School", "Checks overridden", "Released by", "Reason"],
    )  # fmt: skip
    return table(outcome) + "<h3>Releases</h3>" + table(releases)


def _section(frame: pd.DataFrame | None, counts: set[str]) -> str:
    return NONE if frame is None else table(frame, counts=counts)


def backtests_html(results: list[BacktestResult]) -> str:
    if not results:
        return "<p>No term of the year has ended yet.</p>"
    return "".join(
        f"<h3>{e(r.label)}: weeks {e(r.first)} to {e(r.last)}</h3>{summary_html(r)}"
        f"<h4>Fairness of the errors over the term</h4>{fairness_html(r.fairness_range)}"
        for r in results
    )


def render(content: ReviewContent) -> str:
    year = content.year
    quality = quality_tables(content)
    quality_html = (
        NONE
        if quality is None
        else "<h3>Weeks by verdict</h3>" + table(quality[0]) + "<h3>Each week</h3>" + table(quality[1])
    )
    ongoing = (
        f'<p class="note">The year is not over: figures to {content.today}.</p>' if content.today <= year.last else ""
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>LEAP annual review {e(year.label)}</title><style>{CSS}</style></head>
<body>
<h1>Learning analytics: annual review {e(year.label)}</h1>
<p class="lead">{e(content.registry.installation)}: the academic year {year.first} to {year.last}, for the governance
board. Prepared {content.generated_at:%Y-%m-%d %H:%M} UTC from the source registry and LEAP's own records. It holds
no student names or ids; a release of a held report names the person who made it.</p>{ongoing}
<h2>Sources and approvals</h2>
<p>Each source in the registry, its approval, and the files that landed in the year. A source whose review date has
passed is still ingested until its approval is withdrawn: the board should review it.</p>
{table(sources_table(content))}
<h2>Data quality over the year</h2>
<p>The verdict of each week's data-quality report, per source: <em>fit for use</em>, <em>use with care</em> (a
warning, or rows set aside) or <em>not fit for use</em> (a check that protects the reports failed, and that week's
school reports were held back).</p>{quality_html}
<h3>School reports and the quality gate</h3>
<p>School-weeks whose report was published, held back by a blocking check, or released by a named person after a
hold (with the reason they gave).</p>{gate_html(content)}
<h2>Back-test of the indicator</h2>
<p>For each term of the year that has ended: how often students red in a week went on to withdraw or fail, against
amber and green, and whether the errors fell equally on every group (<code>leap governance backtest</code> gives
the full report with the threshold sensitivity).</p>{backtests_html(content.backtests)}
<h2>Privacy requests handled</h2>
<p>Requests processed in the year, by type and outcome.</p>
{_section(requests_table(content.requests), {"Done", "Refused", TOTAL})}
<h2>Access to student-level data, by role</h2>
<p>Views and exports logged in the year, refusals, and how many staff made them.</p>
{_section(access_table(content.access), {"Views and exports", "Refused", TOTAL, "Staff"})}
<h2>Retention purges</h2>
<p>What the scheduled purges removed in the year.</p>
{_section(purges_table(content.purges), {"Rows removed", "Files removed"})}
<h2>About this pack</h2>
<p class="note">Small numbers: any count of people, or of records about people, from 1 to 4 is shown as "&lt;5"; where
a total would let a hidden count be worked out, a second count is hidden too and shown as "*". Counts of weeks and
of landed files are about the data and are shown in full. A report week belongs to the year its Monday falls in.</p>
</body></html>
"""
