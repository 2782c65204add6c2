"""Rendering the governance board's data-quality report: one self-contained HTML page.

Inline CSS, plots as inline base64 PNGs (matplotlib, Agg backend), no script and no external resource,
so the page reads the same offline, attached to an email or printed. Student counts carry the class
"count" and shares "rate", so tests can find every number that small-number suppression governs.
"""

import base64
import html
import io
from dataclasses import dataclass, field
from datetime import date, datetime

import pandas as pd

from expectations.runner import ResultRecord
from leap_assets.checks.gate import SchoolStatus
from leap_assets.reporting.governance_data import SourceLoad
from leap_assets.reporting.governance_tables import RAG_LABELS, THRESHOLD, Verdict

COLOURS = {"red": "#b3261e", "amber": "#c77c02", "green": "#2e7d32", "none": "#757575"}
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


def _cell(value, column: str, count_columns: set[str], rate_columns: set[str]) -> str:
    css = "count" if column in count_columns else ("rate" if column in rate_columns else "")
    if value == "":
        css = ""
    return f'<td class="{css}">{e(value)}</td>' if css else f"<td>{e(value)}</td>"


def table(frame: pd.DataFrame, counts: set[str] = frozenset(), rates: set[str] = frozenset()) -> str:
    head = "".join(f"<th>{e(c)}</th>" for c in frame.columns)
    body = "".join(
        "<tr>" + "".join(_cell(v, c, counts, rates) for c, v in zip(frame.columns, row, strict=True)) + "</tr>"
        for row in frame.itertuples(index=False)
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def plot_trend(trend: pd.DataFrame) -> str | None:
    """Share of students by combined RAG per week, as an inline PNG; a point resting on fewer than 5
    students is left out (it could give a small count away)."""
    if trend.empty:
        return None
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    pivot = trend.pivot_table(index="week_start", columns="combined_rag", values="students", aggfunc="sum")
    pivot = pivot.reindex(columns=list(RAG_LABELS), fill_value=0).fillna(0)
    totals = pivot.sum(axis=1)
    fig, ax = plt.subplots(figsize=(9, 3.6), dpi=110)
    for rag, label in RAG_LABELS.items():
        shares = (100 * pivot[rag] / totals).where((pivot[rag] >= THRESHOLD) & (totals >= THRESHOLD))
        ax.plot([pd.Timestamp(w) for w in pivot.index], shares, marker="o", color=COLOURS[rag], label=label)
    ax.set_ylabel("% of students")
    ax.set_ylim(0, 100)
    ax.set_title("Combined status over the term")
    ax.grid(alpha=0.3)
    ax.legend(loc="upper left", ncols=4, frameon=False)
    fig.autofmt_xdate()
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


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


STATUS_LABELS = {"published": "Published", "held": "Held back", "released": "Released"}


def _statuses(content: ReportContent) -> str:
    """The gate's verdict per school: the first thing the board and the person on duty read."""
    if not content.statuses:
        return "<p>No school has students in this week: no reports.</p>"
    rows = []
    for s in content.statuses:
        if s.status == "published":
            why = "Every blocking check passed for this school."
        elif s.status == "held":
            why = (
                f"{e(s.checks)} failed: {e(s.observed)}. Expected: {e(s.threshold)}. If this was a non-teaching "
                f"week, list it in the academic calendar and run the week again; or a named person may release "
                f"it: <code>leap quality release --week {s.week} --school ... --by ... --reason ...</code>."
            )
        else:
            why = e(f"Held by {s.checks} ({s.observed}); released by {s.released_by}: {s.release_reason}")
        rows.append(
            f'<tr><td>{e(s.school)}</td><td><span class="verdict {s.status}">{STATUS_LABELS[s.status]}</span></td>'
            f"<td>{why}</td></tr>"
        )
    held = sum(s.status == "held" for s in content.statuses)
    lead = (
        f"<p><strong>{held} of {len(content.statuses)} school report(s) held back this week.</strong> Nobody in a "
        f"held school is offered support from this week's report until it is fixed or released.</p>"
        if held
        else f"<p>Every school's report ({len(content.statuses)}) is published this week.</p>"
    )
    head = "<thead><tr><th>School</th><th>Report</th><th>Why</th></tr></thead>"
    return f"{lead}<table>{head}{''.join(rows)}</table>"


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
    return table(frame, counts={"Of", "Found"}, rates={"Share"}) + table(others)


def render(content: ReportContent) -> str:
    image = plot_trend(content.trend)
    trend = (
        f'<img alt="Share of students red, amber, green and with no data in each week of the term" '
        f'src="data:image/png;base64,{image}">'
        if image
        else "<p>No weeks built yet.</p>"
    )
    fairness = "".join(
        f"<h3>{e(dimension)}</h3>"
        + table(frame, counts={"Students"}, rates={"Red rate", "Amber rate", "Red disparity", "Amber disparity"})
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
<h2>Reports this week</h2>{_statuses(content)}
<h2>Verdict per source</h2>{_verdicts(content)}
<h2>Sources this week</h2>{"".join(_source(content, s) for s in content.loads)}
<h2>Coverage</h2>
<p>How much of the week's population each source covers, and activity LEAP could not link to a student or module.</p>
{_coverage(content)}
<h2>Engagement status by school and level</h2>
{table(content.rag_table, counts=rag_counts)}
<h3>Trend over the term</h3>{trend}
<h2>Fairness</h2>
<p>Combined-status red and amber rates by group, and each rate divided by the rate for all students (the disparity
ratio: 1.00 means the same as everyone). A ratio well above 1 is a prompt to look at how the data and thresholds
treat that group, not a finding about the students in it.</p>{fairness}
<h2>The board's settings</h2>{_settings(content)}
<h2>About this report</h2>
<p class="note">Small numbers: any count under {THRESHOLD} students is shown as "&lt;5", as is any rate resting on
fewer than {THRESHOLD} students; where a total would let a hidden count be worked out, a second count is hidden too
and shown as "*" (along a row of statuses, the green count first).
Verdicts: <em>not fit for use</em> means a blocking check failed, and the school reports it would make wrong are
held back (see "Reports this week"); <em>use with care</em> means a warning was raised or some rows were set aside.
The full Great Expectations results are in the <a href="{e(content.data_docs)}">Data Docs</a> beside this page.</p>
</body></html>
"""
