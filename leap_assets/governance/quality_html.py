"""Rendering the governance board's data-quality report: one self-contained HTML page.

Inline CSS, plots as inline base64 PNGs (matplotlib, Agg backend), no script and no external resource,
so the page reads the same offline, attached to an email or printed. Student counts carry the class
"count" and shares "rate" (plus "small" when suppressed, "high" for a large disparity), so tests can
find every number that small-number suppression governs. Charts: governance_plots; the week's banner
and school statuses: governance_status.
"""

import html
from dataclasses import dataclass, field
from datetime import date, datetime

import pandas as pd

from expectations.runner import ResultRecord
from leap_assets.checks.gate import SchoolStatus
from leap_assets.governance.quality_data import SourceLoad
from leap_assets.governance.quality_plots import COLOURS as COLOURS  # the back-test's charts share them
from leap_assets.governance.quality_plots import plot_by, plot_trend
from leap_assets.governance.quality_status import banner, statuses_table, weeks_nav
from leap_assets.governance.quality_tables import (
    COMPLEMENT,
    RAG_LABELS,
    SUPPRESSED,
    THRESHOLD,
    Verdict,
    no_data_count,
)

# A group's red or amber rate at least this many times the rate of all students is highlighted: the
# inverse of the four-fifths rule of adverse-impact testing (a ratio under 0.8 for a favourable outcome).
DISPARITY_HIGHLIGHT = 1.25
# How a hidden cell reads on the page: "<5" beside a rate would read as "under 5 %".
SHOWN_AS = {
    ("count", SUPPRESSED): "fewer than 5",
    ("rate", SUPPRESSED): "suppressed",
    ("count", COMPLEMENT): "hidden",
    ("rate", COMPLEMENT): "hidden",
}
LEGEND = (
    '<p class="legend"><strong>Small numbers.</strong> <span class="small">fewer than 5</span>: a count of '
    f'fewer than {THRESHOLD} students, not shown. <span class="small">suppressed</span>: a rate or ratio '
    f"resting on fewer than {THRESHOLD} students, not shown (it is not a rate under 5%). "
    '<span class="small">hidden</span>: a count of 5 or more hidden so that a smaller one cannot be worked out '
    "from a total.</p>"
)
CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;margin:2rem auto;max-width:1100px;
color:#1f2328;line-height:1.45;padding:0 1rem}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{border-bottom:2px solid #d0d7de;padding-bottom:.2rem;margin-top:2.2rem}
h3{margin-bottom:.3rem}p.lead{color:#57606a;margin-top:0}
table{border-collapse:collapse;margin:.5rem 0 1rem;font-size:.92rem}
th,td{border:1px solid #d0d7de;padding:.3rem .55rem;text-align:left;vertical-align:top}
th{background:#f6f8fa}td.count,td.rate,td.num{text-align:right;font-variant-numeric:tabular-nums}
.verdict{display:inline-block;white-space:nowrap;padding:.1rem .5rem;border-radius:.7rem;font-weight:600;color:#fff}
.fit{background:#2e7d32}.care{background:#9a6700}.unfit{background:#b3261e}
.held{background:#b3261e}.published{background:#2e7d32}.released{background:#9a6700}
.failed{color:#b3261e}.passed{color:#2e7d32}.note{color:#57606a;font-size:.9rem}
img{max-width:100%;border:1px solid #d0d7de}
td.small,span.small{color:#57606a;font-style:italic}
td.high{background:#fde2e1;font-weight:600}
.legend{background:#f6f8fa;border:1px solid #d0d7de;padding:.4rem .7rem;font-size:.9rem}
.banner{border:2px solid #d0d7de;border-radius:.4rem;padding:.6rem .9rem;margin:1rem 0}
.banner.some-held{border-color:#b3261e;background:#fdf0ef}.banner.all-published{border-color:#2e7d32;background:#eef7ee}
nav.weeks{display:flex;justify-content:space-between;font-size:.95rem;margin:.5rem 0}
"""


@dataclass
class Coverage:
    label: str
    students: int
    found: int | None  # None: a count, not a share


@dataclass
class ReportContent:
    week_start: date
    as_of: date
    generated_at: datetime
    source_names: dict[str, str]
    verdicts: dict[str, Verdict]
    loads: dict[str, SourceLoad]
    records: list[ResultRecord]
    coverage: list[Coverage]
    other_counts: list[tuple[str, str]]  # (what, value) counts of data, not of students
    rag_table: pd.DataFrame
    trend: pd.DataFrame  # week_start, combined_rag, students
    fairness: dict[str, pd.DataFrame]
    data_docs: str  # relative link to the Data Docs index
    statuses: list[SchoolStatus] = field(default_factory=list)  # the quality gate's verdict per school
    settings: list[tuple[str, str, str]] = field(default_factory=list)  # (check or source, setting, value)
    settings_version: str = ""
    settings_file: str = ""
    non_teaching: list[str] = field(default_factory=list)  # the calendar's entries for the week, in words
    calendar_file: str = ""


def e(value) -> str:
    return html.escape(str(value))


def _cell(value, column: str, count_columns: set[str], rate_columns: set[str], words: bool) -> str:
    kind = "count" if column in count_columns else ("rate" if column in rate_columns else "")
    if value == "" or not kind:
        return f"<td>{e(value)}</td>"
    if words and (kind, value) in SHOWN_AS:
        return f'<td class="{kind} small">{e(SHOWN_AS[kind, value])}</td>'
    if words and column.endswith("disparity") and _ratio(value) >= DISPARITY_HIGHLIGHT:
        return f'<td class="{kind} high">{e(value)} (high)</td>'
    return f'<td class="{kind}">{e(value)}</td>'


def _ratio(value) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


def table(
    frame: pd.DataFrame, counts: set[str] = frozenset(), rates: set[str] = frozenset(), words: bool = False
) -> str:
    """An HTML table; with `words`, hidden cells say so in words and large disparities are highlighted (the
    governance report; the back-test and review pack keep their own "<5" and "*" with their notes)."""
    head = "".join(f"<th>{e(c)}</th>" for c in frame.columns)
    body = "".join(
        "<tr>" + "".join(_cell(v, c, counts, rates, words) for c, v in zip(frame.columns, row, strict=True)) + "</tr>"
        for row in frame.itertuples(index=False)
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _verdicts(content: ReportContent) -> str:
    rows = "".join(
        f'<tr><td>{e(content.source_names[s])}</td><td><span class="verdict {v.level}">{e(v.label)}</span></td>'
        f"<td>{e(v.sentence)}</td></tr>"
        for s, v in content.verdicts.items()
    )
    return f"<table><thead><tr><th>Source</th><th>Verdict</th><th>In plain English</th></tr></thead>{rows}</table>"


def _source(content: ReportContent, source: str) -> str:
    load = content.loads[source]
    records = [r for r in content.records if r.source == source]
    passed = sum(r.passed for r in records)
    facts = pd.DataFrame(
        [
            ("Files landed for this week", f"{load.files:,} (of {load.files_to_date:,} to date)"),
            ("Files set aside whole", f"{len(load.files_rejected):,}"),
            ("Rows loaded", f"{load.rows_loaded:,}"),
            ("Rows set aside for review (quarantined)", f"{load.rows_quarantined:,}"),
            ("Newest data date", load.newest_data_date or "no data"),
            ("Expectations passed", f"{passed} of {len(records)}"),
        ],
        columns=["", "This week"],
    )
    parts = [f"<h3>{e(content.source_names[source])}</h3>", table(facts)]
    if load.quarantine_reasons:
        reasons = pd.DataFrame(load.quarantine_reasons, columns=["Reason rows were set aside", "Rows"])
        parts.append(table(reasons))
    for item in load.files_rejected + load.incomplete_extracts:
        parts.append(f'<p class="note">{e(item)}</p>')
    failed = [r for r in records if not r.passed]
    if failed:
        items = "".join(
            f"<li><strong>{e(r.description)}</strong> ({e(r.suite)}): observed {e(r.observed_value)}</li>"
            for r in failed
        )
        parts.append(f'<p class="failed">What did not pass:</p><ul>{items}</ul>')
    else:
        parts.append('<p class="passed">Every expectation passed.</p>')
    return "".join(parts)


def _settings(content: ReportContent) -> str:
    frame = pd.DataFrame(content.settings, columns=["Check or source", "Setting", "Value"])
    calendar = (
        "<p>Non-teaching this week (not judged on volume or coverage): "
        + "; ".join(e(item) for item in content.non_teaching)
        + ".</p>"
        if content.non_teaching
        else "<p>The academic calendar lists no non-teaching week for this week.</p>"
    )
    return (
        f"<p>Settings in force: <code>{e(content.settings_file)}</code>, version "
        f"<code>{e(content.settings_version)}</code> (stored with every result). Academic calendar: "
        f"<code>{e(content.calendar_file)}</code>.</p>{calendar}{table(frame)}"
    )


def _coverage(content: ReportContent) -> str:
    rows = []
    for item in content.coverage:
        small = item.students < THRESHOLD
        students = "<5" if small else f"{item.students:,}"
        if item.found is None:
            rows.append((item.label, students, "", ""))
            continue
        hidden = small or item.found < THRESHOLD
        found = "<5" if item.found < THRESHOLD else f"{item.found:,}"
        share = "<5" if hidden else f"{100 * item.found / item.students:.1f}%"
        rows.append((item.label, students, found, share))
    frame = pd.DataFrame(rows, columns=["Measure", "Of", "Found", "Share"])
    others = pd.DataFrame(content.other_counts, columns=["Measure", "Count"])
    return table(frame, counts={"Of", "Found"}, rates={"Share"}, words=True) + table(others)


def _image(data: str | None, alt: str, missing: str = "No weeks built yet.") -> str:
    return f'<img alt="{e(alt)}" src="data:image/png;base64,{data}">' if data else f"<p>{e(missing)}</p>"


def _no_data(content: ReportContent) -> str:
    week = content.trend[pd.to_datetime(content.trend["week_start"]) == pd.Timestamp(content.week_start)]
    shown = no_data_count(week) if len(week) else "0"
    count = "fewer than 5" if shown == SUPPRESSED else shown
    return (
        f'<p class="note">Students without a combined status this week ("No data"), in all schools: {e(count)}. '
        "They are not in the table, so that a few of them in a row do not force another count to be hidden.</p>"
    )


def render(content: ReportContent) -> str:
    trend = _image(
        plot_trend(content.trend),
        "Share of students green and amber (upper panel), red and with no data (lower panel, own scale) "
        "in each report week of the term",
    )
    by_school = _image(plot_by(content.trend, "school", "By school"), "Red and amber shares per week, by school", "")
    by_level = _image(plot_by(content.trend, "level", "By level"), "Red and amber shares per week, by level", "")
    fairness = "".join(
        f"<h3>{e(dimension)}</h3>"
        + table(
            frame,
            counts={"Students"},
            rates={"Red rate", "Amber rate", "Red disparity", "Amber disparity"},
            words=True,
        )
        for dimension, frame in content.fairness.items()
    )
    rag_counts = {"Students", *RAG_LABELS.values()}
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>LEAP data-quality report, week of {e(content.week_start)}</title><style>{CSS}</style></head>
<body>
<h1>Data-quality report for the governance board</h1>
<p class="lead">Report week {e(content.week_start)} to {e(content.as_of)}.
Prepared {content.generated_at:%Y-%m-%d %H:%M} UTC from the Great Expectations validation results and the
pipeline's own counts. It holds no names or ids.</p>
{weeks_nav(content.week_start)}{banner(content.statuses)}
<h2>Reports this week</h2>{statuses_table(content.statuses)}
<h2>Verdict per source</h2>{_verdicts(content)}
<h2>Sources this week</h2>{"".join(_source(content, s) for s in content.loads)}
<h2>Coverage</h2>
<p>How much of the week's population each source covers, and activity LEAP could not link to a student or module.</p>
{_coverage(content)}
<h2>Engagement status by school and level</h2>
<p>Students with a combined status, by school and level.</p>{LEGEND}
{table(content.rag_table, counts=rag_counts, words=True)}{_no_data(content)}
<h3>Trend over the term</h3>{trend}
<h3>Trend by school</h3>{by_school}
<h3>Trend by level</h3>{by_level}
<h2>Fairness</h2>
<p>Combined-status red and amber rates by group, and each rate divided by the rate for all students (the disparity
ratio: 1.00 means the same as everyone). A ratio well above 1 is a prompt to look at how the data and thresholds
treat that group, not a finding about the students in it. A ratio of {DISPARITY_HIGHLIGHT:.2f} or more is
highlighted and marked "(high)".</p>{LEGEND}{fairness}
<h2>The board's settings</h2>{_settings(content)}
<h2>About this report</h2>
<p class="note">Small numbers: any count under {THRESHOLD} students is suppressed and shown as "fewer than 5",
and any rate or ratio resting on fewer than {THRESHOLD} students as "suppressed"; where a total would let a hidden
count be worked out, the smallest other count is hidden too and shown as "hidden".
Verdicts: <em>not fit for use</em> means a blocking check failed, and the school reports it would make wrong are
held back (see "Reports this week"); <em>use with care</em> means a warning was raised or some rows were set aside.
The full Great Expectations results are in the <a href="{e(content.data_docs)}">Data Docs</a> beside this page.</p>
</body></html>
"""
