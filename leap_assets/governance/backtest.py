"""The back-test of the indicator (validity.md, "Back-testing the indicator"): plain pandas over the
student-weeks `backtest_data.student_weeks` reads. No I/O but the CSV writer, no Dagster.

Per week: students, outcomes known, scored, counts by combined RAG, the adverse rate of each RAG, the
red/green ratio and the AUC of `combined_score`. Fairness of the errors by group, per week and over
the range, with small-number suppression. Threshold sensitivity over a grid around the summary
thresholds in force, recomputed from the stored `combined_score` (the mart is not rebuilt).
"""

import csv
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from leap_assets.governance.backtest_data import ADVERSE, NOT_ADVERSE
from leap_assets.governance.quality_tables import ETHNIC_GROUPS, SEX

RAGS = ("red", "amber", "green", "none")
CSV_COLUMNS = [
    "week_start", "students", "known_outcome", "scored", "red", "amber", "green", "none",
    "adverse_rate_red", "adverse_rate_amber", "adverse_rate_green", "adverse_rate_none", "red_green_ratio", "auc",
]  # fmt: skip
DIMENSIONS = ("School", "Level", "Sex", "Ethnicity group", "Disability")
GRID_STEPS = (-10.0, -5.0, 0.0, 5.0, 10.0)
NOT_KNOWN = "Not known"


def auc(scores: pd.Series, adverse: pd.Series) -> float | None:
    """P(an adverse student scores below a not-adverse one), ties counting one half (Mann-Whitney U over
    average ranks); None when either group is empty. Rows with a null score are left out."""
    keep = scores.notna()
    scores, adverse = scores[keep].astype(float), adverse[keep].astype(bool)
    bad, good = int(adverse.sum()), int((~adverse).sum())
    if not bad or not good:
        return None
    ranks = scores.rank(method="average")
    # Pairs where the not-adverse student scores higher, plus half the ties.
    u_good = ranks[~adverse].sum() - good * (good + 1) / 2
    return float(u_good / (bad * good))


def rate(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


def week_figures(frame: pd.DataFrame, weeks: list[date]) -> pd.DataFrame:
    """One row per week of `weeks` (CSV_COLUMNS; rates None where undefined); a week with no rows
    counts zero students."""
    rows = []
    for week in weeks:
        rows_of_week = frame[frame["week_start"] == week]
        rows.append(figures(rows_of_week, week))
    return pd.DataFrame(rows, columns=CSV_COLUMNS)


def figures(rows: pd.DataFrame, week_start) -> dict:
    known = rows[rows["outcome"].isin([ADVERSE, NOT_ADVERSE])]
    adverse = known["outcome"] == ADVERSE
    result = {
        "week_start": week_start,
        "students": len(rows),
        "known_outcome": len(known),
        "scored": int(rows["combined_score"].notna().sum()),
    }
    for rag in RAGS:
        result[rag] = int((rows["combined_rag"] == rag).sum())
    for rag in RAGS:
        of_rag = known["combined_rag"] == rag
        result[f"adverse_rate_{rag}"] = rate(int((adverse & of_rag).sum()), int(of_rag.sum()))
    red, green = result["adverse_rate_red"], result["adverse_rate_green"]
    result["red_green_ratio"] = red / green if red is not None and green else None
    result["auc"] = auc(known["combined_score"], adverse)
    return result


def range_figures(frame: pd.DataFrame) -> dict:
    """The same figures over every student-week of the range."""
    return figures(frame, "range")


def write_csv(weekly: pd.DataFrame, target: Path) -> None:
    """The back-test CSV: CSV_COLUMNS, rates as fractions with 4 decimals, empty where undefined."""
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        for row in weekly.itertuples(index=False):
            cells = []
            for column, value in zip(CSV_COLUMNS, row, strict=True):
                if column == "week_start":
                    cells.append(str(value))
                elif value is None or (isinstance(value, float) and np.isnan(value)):
                    cells.append("")
                elif column.startswith("adverse_rate") or column in ("red_green_ratio", "auc"):
                    cells.append(f"{value:.4f}")
                else:
                    cells.append(str(int(value)))
            writer.writerow(cells)


def groups(frame: pd.DataFrame) -> dict[str, pd.Series]:
    """Each row's group in every fairness dimension (the governance report's groupings)."""
    disability = (
        frame["difflearn1"]
        .fillna("00")
        .map(lambda code: "No known disability" if code in ("00", "") else "Disability declared")
    )
    return {
        "School": frame["school"].fillna(NOT_KNOWN),
        "Level": frame["level"].fillna(NOT_KNOWN),
        "Sex": frame["sexid"].map(SEX).fillna(NOT_KNOWN),
        "Ethnicity group": frame["ethnicity"].fillna("").str[:1].map(ETHNIC_GROUPS).fillna(NOT_KNOWN),
        "Disability": disability,
    }


@dataclass
class ErrorCounts:
    """Per group (index; the last row is everyone): adverse and not-adverse students, and the red
    among each, with the distinct students behind each count (for suppression over a range)."""

    counts: pd.DataFrame  # adverse, red_adverse, not_adverse, red_not_adverse
    people: pd.DataFrame  # the same columns, distinct students


ALL = "All students"
ERROR_COLUMNS = ("adverse", "red_adverse", "not_adverse", "red_not_adverse")


def error_counts(frame: pd.DataFrame, group: pd.Series) -> ErrorCounts:
    """Detection (red among adverse) and false-alarm (red among not adverse) counts by group."""
    red = frame["combined_rag"] == "red"
    masks = {
        "adverse": frame["outcome"] == ADVERSE,
        "red_adverse": (frame["outcome"] == ADVERSE) & red,
        "not_adverse": frame["outcome"] == NOT_ADVERSE,
        "red_not_adverse": (frame["outcome"] == NOT_ADVERSE) & red,
    }
    names = sorted(group.unique().tolist())
    counts = pd.DataFrame(0, index=[*names, ALL], columns=list(ERROR_COLUMNS))
    people = counts.copy()
    for column, mask in masks.items():
        counts[column] = [*group[mask].value_counts().reindex(names, fill_value=0).tolist(), int(mask.sum())]
        ids = frame.loc[mask, "student_id"]
        distinct = ids.groupby(group[mask]).nunique().reindex(names, fill_value=0).tolist()
        people[column] = [*distinct, ids.nunique()]
    return ErrorCounts(counts.astype(int), people.astype(int))


def fairness(frame: pd.DataFrame) -> dict[str, ErrorCounts]:
    """Per dimension, the error counts of each group and of everyone."""
    return {dimension: error_counts(frame, group) for dimension, group in groups(frame).items()}


def sensitivity(frame: pd.DataFrame, amber_min: float, green_min: float) -> pd.DataFrame:
    """For each (amber_min, green_min) around the thresholds in force (red below amber_min, green from
    green_min): share of scored student-weeks that would be red, adverse rates of red and green, and
    their ratio. Scores are compared rounded to 6 decimals, half away from zero, as the mart does."""
    scored = frame[frame["combined_score"].notna()]
    score = scored["combined_score"].astype(float).to_numpy()
    score = np.sign(score) * np.floor(np.abs(score) * 1e6 + 0.5) / 1e6
    known = scored["outcome"].isin([ADVERSE, NOT_ADVERSE]).to_numpy()
    adverse = (scored["outcome"] == ADVERSE).to_numpy()
    rows = []
    for red_step in GRID_STEPS:
        for green_step in GRID_STEPS:
            amber, green = amber_min + red_step, green_min + green_step
            if amber >= green:
                continue
            is_red, is_green = score < amber, score >= green
            red_rate = rate(int((adverse & is_red).sum()), int((known & is_red).sum()))
            green_rate = rate(int((adverse & is_green).sum()), int((known & is_green).sum()))
            rows.append(
                {
                    "amber_min": amber,
                    "green_min": green,
                    "in_force": red_step == 0 and green_step == 0,
                    "share_red": rate(int(is_red.sum()), len(score)),
                    "adverse_rate_red": red_rate,
                    "adverse_rate_green": green_rate,
                    "red_green_ratio": red_rate / green_rate if red_rate is not None and green_rate else None,
                }
            )
    return pd.DataFrame(rows)
