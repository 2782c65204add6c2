"""Rendering the back-test: one self-contained HTML page (inline CSS, plots as inline PNGs, no script,
no external resource) and the section the annual review pack embeds for each completed term.

The per-week table holds counts of whole weeks and is shown in full (as the CSV is). Group breakdowns
are suppressed as everywhere (governance.md): a count under 5 students shows "<5", a rate resting on
fewer than 5 students too, and a second count is hidden ("*") where the "All students" row would let
a hidden one be worked out. Over a range, the counts are student-weeks and suppression is decided on
the distinct students behind them.
"""

import base64
import io
from dataclasses import dataclass, field
from datetime import date, datetime

import pandas as pd

from leap_assets.governance.backtest import ALL, DIMENSIONS, RAGS, ErrorCounts
from leap_assets.governance.quality_html import COLOURS, CSS, e, table
from leap_assets.governance.quality_tables import COMPLEMENT, SUPPRESSED, THRESHOLD, suppress


@dataclass
class BacktestResult:
    first: date
    last: date
    label: str  # "term AUT 2026/27" or "weeks 2026-09-14 to 2026-11-16"
    outcomes_extract: date | None
    thresholds: dict[str, float]
    weekly: pd.DataFrame  # backtest.CSV_COLUMNS
    overall: dict
    fairness_range: dict[str, ErrorCounts]
    fairness_weeks: dict[date, dict[str, ErrorCounts]] = field(default_factory=dict)
    grid: pd.DataFrame = field(default_factory=pd.DataFrame)


def pct(value) -> str:
    return "-" if value is None or pd.isna(value) else f"{100 * value:.1f}%"


def num(value, digits: int = 2) -> str:
    return "-" if value is None or pd.isna(value) else f"{value:.{digits}f}"


def _png(fig) -> str:
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def plot_auc_ratio(weekly: pd.DataFrame) -> str:
    plt = _pyplot()
    weeks = [pd.Timestamp(w) for w in weekly["week_start"]]
    fig, ax = plt.subplots(figsize=(9, 3.4), dpi=100)
    ax.plot(weeks, weekly["auc"].astype(float), marker="o", color="#0b5cad", label="AUC")
    ax.axhline(0.5, color="#757575", linestyle=":", linewidth=1)
    ax.set_ylim(0, 1)
    ax.set_ylabel("AUC (0.5 = chance)")
    other = ax.twinx()
    other.plot(weeks, weekly["red_green_ratio"].astype(float), marker="s", color=COLOURS["red"], label="red/green")
    other.set_ylabel("adverse rate, red / green")
    other.set_ylim(bottom=0)
    ax.set_title("AUC of the combined score and red/green ratio by week")
    ax.legend(handles=ax.get_lines()[:1] + other.get_lines(), loc="lower right", frameon=False)
    ax.grid(alpha=0.3)
    fig.autofmt_xdate()
    return _png(fig)


def plot_adverse_by_rag(weekly: pd.DataFrame) -> str:
    plt = _pyplot()
    weeks = [pd.Timestamp(w) for w in weekly["week_start"]]
    fig, ax = plt.subplots(figsize=(9, 3.4), dpi=100)
    for rag in RAGS:
        ax.plot(weeks, 100 * weekly[f"adverse_rate_{rag}"].astype(float), marker="o", color=COLOURS[rag],
                label=rag if rag != "none" else "no data")  # fmt: skip
    ax.set_ylim(0, 100)
    ax.set_ylabel("% withdrew or failed")
    ax.set_title("Adverse outcome rate by combined status, week by week")
    ax.legend(loc="upper right", ncols=4, frameon=False)
    ax.grid(alpha=0.3)
    fig.autofmt_xdate()
    return _png(fig)


def plot_grid(grid: pd.DataFrame) -> str:
    plt = _pyplot()
    pivot = grid.pivot_table(index="amber_min", columns="green_min", values="red_green_ratio", aggfunc="first")
    shares = grid.pivot_table(index="amber_min", columns="green_min", values="share_red", aggfunc="first")
    fig, ax = plt.subplots(figsize=(7, 4.2), dpi=100)
    image = ax.imshow(pivot.to_numpy(dtype=float), cmap="viridis", aspect="auto", origin="lower")
    ax.set_xticks(range(len(pivot.columns)), [f"{c:g}" for c in pivot.columns])
    ax.set_yticks(range(len(pivot.index)), [f"{r:g}" for r in pivot.index])
    ax.set_xlabel("green from (summary_green_min)")
    ax.set_ylabel("red below (summary_amber_min)")
    for i, amber in enumerate(pivot.index):
        for j, green in enumerate(pivot.columns):
            ratio, share = pivot.at[amber, green], shares.at[amber, green]
            if not pd.isna(ratio):
                light = image.norm(ratio) > 0.6  # viridis is pale at the top: dark text there
                ax.text(j, i, f"{ratio:.2f}\n{100 * share:.0f}% red", ha="center", va="center", fontsize=7,
                        color="black" if light else "white")  # fmt: skip
    fig.colorbar(image, ax=ax, label="red/green adverse-rate ratio")
    ax.set_title("If the thresholds moved: red/green ratio (and share red)")
    return _png(fig)


def img(data: str, alt: str) -> str:
    return f'<img alt="{e(alt)}" src="data:image/png;base64,{data}">'


def weekly_table(weekly: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Week": weekly["week_start"].astype(str),
            "Students": weekly["students"].map("{:,}".format),
            "Outcome known": weekly["known_outcome"].map("{:,}".format),
            "Scored": weekly["scored"].map("{:,}".format),
            **{rag.capitalize() if rag != "none" else "No data": weekly[rag].map("{:,}".format) for rag in RAGS},
            **{
                f"Adverse, {rag if rag != 'none' else 'no data'}": weekly[f"adverse_rate_{rag}"].map(pct)
                for rag in RAGS
            },
            "Red/green": weekly["red_green_ratio"].map(num),
            "AUC": weekly["auc"].map(lambda v: num(v, 3)),
        }
    )


def _shown(value: int, hidden: bool, people: int) -> str:
    if people < THRESHOLD:
        return SUPPRESSED
    return COMPLEMENT if hidden else f"{int(value):,}"


ERROR_RATES = (("Detection", "red_adverse", "adverse"), ("False alarm", "red_not_adverse", "not_adverse"))


def fairness_table(errors: ErrorCounts) -> pd.DataFrame:
    """Group rows with detection and false-alarm rates and their ratio to all students, suppressed."""
    counts, people = errors.counts, errors.people
    mask = suppress(people, total_row=ALL)

    def rate_of(name, red: str, base: str) -> tuple[float | None, str]:
        hidden = min(people.at[name, red], people.at[name, base]) < THRESHOLD
        if hidden:
            return None, SUPPRESSED
        if mask.at[name, red] or mask.at[name, base]:
            return None, COMPLEMENT
        value = counts.at[name, red] / counts.at[name, base]
        return value, pct(value)

    rows = []
    for name in counts.index:
        row = {"Group": name}
        for label, red, base in (
            ("Detection", "red_adverse", "adverse"),
            ("False alarm", "red_not_adverse", "not_adverse"),
        ):
            row["Adverse" if base == "adverse" else "Not adverse"] = _shown(
                counts.at[name, base], mask.at[name, base], people.at[name, base]
            )
            value, shown = rate_of(name, red, base)
            overall, _ = rate_of(ALL, red, base)
            row[f"{label} rate"] = shown
            if value is None:
                row[f"{label} ratio"] = shown
            else:
                row[f"{label} ratio"] = num(value / overall) if overall else "-"
        rows.append(row)
    columns = ["Group", "Adverse", "Detection rate", "Detection ratio", "Not adverse", "False alarm rate",
               "False alarm ratio"]  # fmt: skip
    return pd.DataFrame(rows)[columns]


FAIRNESS_COUNTS = {"Adverse", "Not adverse"}
FAIRNESS_RATES = {"Detection rate", "Detection ratio", "False alarm rate", "False alarm ratio"}


def fairness_html(tables: dict[str, ErrorCounts]) -> str:
    return "".join(
        f"<h4>{e(d)}</h4>" + table(fairness_table(tables[d]), counts=FAIRNESS_COUNTS, rates=FAIRNESS_RATES)
        for d in DIMENSIONS
        if d in tables
    )


def grid_table(grid: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Red below": grid["amber_min"].map("{:g}".format),
            "Green from": grid["green_min"].map("{:g}".format),
            "In force": grid["in_force"].map({True: "yes", False: ""}),
            "Share red": grid["share_red"].map(pct),
            "Adverse, red": grid["adverse_rate_red"].map(pct),
            "Adverse, green": grid["adverse_rate_green"].map(pct),
            "Red/green": grid["red_green_ratio"].map(num),
        }
    )


def summary_html(result: BacktestResult) -> str:
    """The part the annual review pack shows for a term: range figures, the plot and the weekly table."""
    o = result.overall
    extract = f"the SITS extract of {result.outcomes_extract}" if result.outcomes_extract else "no SITS extract"
    lead = (
        f"<p>Outcomes from {e(extract)}. Over {o['students']:,} student-weeks ({o['known_outcome']:,} with a known "
        f"outcome): red {pct(o['adverse_rate_red'])} withdrew or failed, amber {pct(o['adverse_rate_amber'])}, green "
        f"{pct(o['adverse_rate_green'])}; red/green ratio {num(o['red_green_ratio'])}, AUC {num(o['auc'], 3)}.</p>"
    )
    if not len(result.weekly) or not result.weekly["known_outcome"].sum():
        return lead + "<p>No week of the range has a student with a known outcome yet.</p>"
    plot = img(plot_auc_ratio(result.weekly), "AUC and red/green ratio by week")
    return lead + plot + table(weekly_table(result.weekly))


def render(result: BacktestResult, generated_at: datetime) -> str:
    weekly_known = len(result.weekly) and result.weekly["known_outcome"].sum()
    rag_plot = img(plot_adverse_by_rag(result.weekly), "Adverse rate by RAG and week") if weekly_known else ""
    grid = NO_GRID
    if not result.grid.empty and result.grid["share_red"].notna().any():
        grid = img(plot_grid(result.grid), "Sensitivity grid heat map") + table(grid_table(result.grid))
    weeks = "".join(
        f"<details><summary>Week {e(week)}</summary>{fairness_html(tables)}</details>"
        for week, tables in result.fairness_weeks.items()
    )
    t = result.thresholds
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>LEAP back-test {e(result.first)} to {e(result.last)}</title><style>{CSS}</style></head>
<body>
<h1>Back-test of the engagement indicator</h1>
<p class="lead">{e(result.label)}: report weeks {e(result.first)} to {e(result.last)}. Prepared
{generated_at:%Y-%m-%d %H:%M} UTC from the engagement mart and the SITS outcomes. It holds no names or ids.</p>
<p>Did red mean what the university says it means? A student-week is <em>adverse</em> when the student's
course membership of that week ended in withdrawal or a module running that week was failed, <em>not adverse</em>
when the membership continued and every module running that week was passed, and <em>unknown</em> otherwise
(left out of the rates). The AUC is the chance that an adverse student scored below a not-adverse one that week
(ties count one half; 0.5 is chance).</p>
<h2>Week by week</h2>{summary_html(result)}
<h3>Adverse rate by status</h3>{rag_plot or "<p>No outcome known yet.</p>"}
<h2>Fairness of the errors</h2>
<p>Detection rate: red among students who went on to withdraw or fail. False-alarm rate: red among students who
did not. Each with its ratio to all students (1.00 = the same as everyone): a ratio well away from 1 is a prompt to
look at how the data and thresholds treat that group, not a finding about its students.</p>
<h3>Over the range (student-weeks)</h3>{fairness_html(result.fairness_range)}
<h3>Week by week</h3>{weeks or "<p>No weeks.</p>"}
<h2>Threshold sensitivity</h2>
<p>Thresholds in force: red below {t["summary_amber_min"]:g}, green from {t["summary_green_min"]:g} (combined
score). What each pair around them would give over the range's scored student-weeks, recomputed from the stored
scores without rebuilding the mart.</p>{grid}
<h2>About this back-test</h2>
<p class="note">It is about the indicator, never about a student: no student-level output is written, and outcomes
never feed back into anyone's status. Small numbers: group counts under {THRESHOLD} students show "&lt;5", as does a
rate resting on fewer than {THRESHOLD} students; "*" hides a second count that a total would give away. The
per-week table counts whole weeks and is shown in full, as in the CSV beside this page.</p>
</body></html>
"""


NO_GRID = "<p>No scored student-week in the range.</p>"
