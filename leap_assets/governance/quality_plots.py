"""The governance report's trend charts, as inline base64 PNGs (matplotlib, Agg backend).

Every chart's ticks are the report Mondays of the term. Small numbers: a point resting on fewer than 5
students (its count or the group it is a share of) is left out, as a table would suppress it.
"""

import base64
import io

import pandas as pd

from leap_assets.governance.quality_tables import RAG_LABELS, THRESHOLD

COLOURS = {"red": "#b3261e", "amber": "#c77c02", "green": "#2e7d32", "none": "#757575"}
# Colour-blind-safe (Okabe-Ito) lines for schools and levels, each also with its own marker.
SERIES = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"]
MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*"]


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _png(fig) -> str:
    plt = _pyplot()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _mondays(ax, weeks: list[pd.Timestamp]) -> None:
    """One tick per report Monday, labelled with its date (every other one when the term is long)."""
    step = 1 if len(weeks) <= 14 else 2
    ax.set_xticks(weeks)
    ax.set_xticklabels([w.strftime("%d %b") if i % step == 0 else "" for i, w in enumerate(weeks)])
    ax.set_xlabel("Report week (Monday)")
    ax.grid(alpha=0.3)


def _shares(trend: pd.DataFrame, by: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(counts, totals) per week (and group) and combined RAG."""
    counts = trend.assign(combined_rag=trend["combined_rag"].fillna("none")).pivot_table(
        index=["week_start", *by], columns="combined_rag", values="students", aggfunc="sum", fill_value=0
    )
    counts = counts.reindex(columns=list(RAG_LABELS), fill_value=0)
    return counts, counts.sum(axis=1)


def _share(counts: pd.Series, totals: pd.Series) -> pd.Series:
    return (100 * counts / totals).where((counts >= THRESHOLD) & (totals >= THRESHOLD))


def plot_trend(trend: pd.DataFrame) -> str | None:
    """Share of students by combined RAG per week: green and amber on a 0-100 scale, red and no data
    below on a scale of their own, so that a few per cent still read as a line, not a floor."""
    if trend.empty:
        return None
    plt = _pyplot()
    counts, totals = _shares(trend, [])
    weeks = [pd.Timestamp(w) for w in counts.index]
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(9, 5.4), dpi=110, sharex=True, height_ratios=[3, 2])
    for ax, statuses in ((top, ("green", "amber")), (bottom, ("red", "none"))):
        highest = 0.0
        for rag in statuses:
            shares = _share(counts[rag], totals)
            highest = max(highest, float(shares.max()) if shares.notna().any() else 0.0)
            ax.plot(weeks, shares.to_numpy(), marker="o", color=COLOURS[rag], label=RAG_LABELS[rag])
        ax.set_ylabel("% of students")
        ax.legend(loc="upper left", ncols=2, frameon=False)
        _mondays(ax, weeks)
        ax.set_ylim(0, 100 if statuses[0] == "green" else max(5.0, round(highest * 1.3 + 0.5)))
    top.set_xlabel("")
    top.set_title("Combined status over the term (red and no data on their own scale below)")
    fig.autofmt_xdate()
    fig.tight_layout()
    return _png(fig)


def plot_by(trend: pd.DataFrame, column: str, title: str) -> str | None:
    """Red and amber shares per week, one line per school or level (`column`), side by side."""
    if trend.empty or column not in trend:
        return None
    plt = _pyplot()
    counts, totals = _shares(trend, [column])
    groups = sorted(counts.index.get_level_values(column).unique())
    weeks = [pd.Timestamp(w) for w in sorted(counts.index.get_level_values("week_start").unique())]
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.9 + 0.25 * len(groups)), dpi=110, sharex=True)
    for ax, rag in zip(axes, ("red", "amber"), strict=True):
        for number, group in enumerate(groups):
            part = counts.xs(group, level=column)
            shares = _share(part[rag], totals.xs(group, level=column))
            ax.plot(
                [pd.Timestamp(w) for w in part.index],
                shares.to_numpy(),
                marker=MARKERS[number % len(MARKERS)],
                color=SERIES[number % len(SERIES)],
                label=str(group),
            )
        ax.set_title(f"{RAG_LABELS[rag]}, % of students")
        ax.set_ylim(bottom=0)
        _mondays(ax, weeks)
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncols=min(3, len(groups)), frameon=False)
    fig.suptitle(title)
    fig.autofmt_xdate()
    fig.tight_layout(rect=(0, 0.06 + 0.04 * ((len(groups) + 2) // 3), 1, 1))
    return _png(fig)
