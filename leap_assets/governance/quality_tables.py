"""The governance report's tables: small-number suppression, fairness rates, RAG by school and level,
and the plain-English verdict per source. Pure pandas, no I/O.

Small numbers (governance.md): any count of students under 5 is suppressed ("<5" here; the page says
"fewer than 5"), and so is any rate whose numerator or denominator is under 5 (a rate and its group
size would give the count away). Where a total is shown, one hidden cell could be worked out from it
and the others, so a second cell is hidden too ("*": complementary suppression, repeated until no
hidden cell stands alone), the smallest shown one, which loses the least. The RAG table counts the
students with a combined status: the few with none ("No data", often 1-4 in a row) are one note for
the whole week, so that they no longer force a complement into every row.
"""

from collections.abc import Hashable
from dataclasses import dataclass

import pandas as pd

from expectations.runner import ResultRecord
from leap_assets.governance.quality_data import SourceLoad

THRESHOLD = 5
SUPPRESSED = "<5"
COMPLEMENT = "*"  # hidden although not small, so that a small count cannot be worked out from a total
RAGS = ("red", "amber", "green", "none")
RAG_LABELS = {"red": "Red", "amber": "Amber", "green": "Green", "none": "No data"}
ALL = "All students"
SEX = {"1": "Male", "2": "Female", "3": "Other"}
ETHNIC_GROUPS = {"1": "White", "2": "Black", "3": "Asian", "4": "Mixed", "5": "Other", "8": "Other"}


def suppress(
    cells: pd.DataFrame,
    total_column: Hashable | None = None,
    total_row: Hashable | None = None,
    prefer: tuple = (),
) -> pd.DataFrame:
    """A mask of the cells to hide: every count under THRESHOLD, then complementary cells along each
    row that has a shown total (total_column) and down each column that has a shown total (total_row).
    A complementary cell is the smallest shown one, taken first from the columns in `prefer`."""
    mask = cells < THRESHOLD
    body = [r for r in cells.index if r != total_row]
    parts = [c for c in cells.columns if c != total_column]

    def rank(position: tuple) -> tuple:
        column = position[1]
        return (prefer.index(column) if column in prefer else len(prefer), cells.at[position])

    def complement(positions: list[tuple]) -> bool:
        hidden = [p for p in positions if mask.at[p]]
        shown = [p for p in positions if not mask.at[p]]
        if len(hidden) == 1 and shown:
            mask.at[min(shown, key=rank)] = True
            return True
        return False

    changed = True
    while changed:
        changed = False
        if total_column is not None:
            for r in cells.index:
                if not mask.at[r, total_column]:
                    changed |= complement([(r, c) for c in parts])
        if total_row is not None:
            for c in cells.columns:
                if not mask.at[total_row, c]:
                    changed |= complement([(r, c) for r in body])
    return mask


def show(value: int, hidden: bool) -> str:
    if not hidden:
        return f"{int(value):,}"
    return SUPPRESSED if value < THRESHOLD else COMPLEMENT


def rag_table(counts: pd.DataFrame) -> pd.DataFrame:
    """Students with a combined status by school and level (rows) and status (columns), with an "All
    students" row and a Students column; cells are display strings, suppressed. Students without a
    status are left out: `no_data_count` gives the note that stands for them."""
    statuses = [rag for rag in RAGS if rag != "none"]
    if counts.empty:
        return pd.DataFrame(columns=["School", "Level", "Students", *(RAG_LABELS[r] for r in statuses)])
    pivot = counts.pivot_table(
        index=["school", "level"], columns="combined_rag", values="students", aggfunc="sum", fill_value=0
    ).reindex(columns=statuses, fill_value=0)
    pivot["students"] = pivot.sum(axis=1)
    pivot = pivot[pivot["students"] > 0]
    pivot.loc[(ALL, ""), :] = pivot.sum(axis=0)
    pivot = pivot.astype(int)
    mask = suppress(pivot, total_column="students", total_row=(ALL, ""))
    rows = []
    for (school, level), values in pivot.iterrows():
        row = {
            "School": school,
            "Level": level,
            "Students": show(values["students"], mask.at[(school, level), "students"]),
        }
        for rag in statuses:
            row[RAG_LABELS[rag]] = show(values[rag], mask.at[(school, level), rag])
        rows.append(row)
    return pd.DataFrame(rows)


def no_data_count(counts: pd.DataFrame) -> str:
    """The week's students without a combined status, in all schools: a count, or "<5"."""
    total = int(counts.loc[counts["combined_rag"].fillna("none") == "none", "students"].sum()) if len(counts) else 0
    return show(total, total < THRESHOLD)


def _groups(frame: pd.DataFrame) -> dict[str, pd.Series]:
    sex = frame["sexid"].map(SEX).fillna("Not known")
    ethnicity = frame["ethnicity"].fillna("").str[:1].map(ETHNIC_GROUPS).fillna("Not known")
    disability = (
        frame["difflearn1"]
        .fillna("00")
        .map(lambda code: "No known disability" if code in ("00", "") else "Disability declared")
    )
    return {"Sex": sex, "Ethnicity group": ethnicity, "Disability": disability}


def fairness_tables(frame: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Per dimension, the combined-RAG red and amber rates of each group and their ratio to the rate of
    all students (frame: combined_rag, sexid, ethnicity, difflearn1; one row per student)."""
    tables = {}
    for dimension, group in _groups(frame).items():
        counts = pd.DataFrame(
            {
                "students": group.value_counts(),
                "red": group[frame["combined_rag"] == "red"].value_counts(),
                "amber": group[frame["combined_rag"] == "amber"].value_counts(),
            }
        ).fillna(0)
        counts = counts.sort_index()
        counts.loc[ALL] = [
            len(frame),
            int((frame["combined_rag"] == "red").sum()),
            int((frame["combined_rag"] == "amber").sum()),
        ]
        counts = counts.astype(int)
        mask = suppress(counts, total_row=ALL)
        overall = {
            rag: counts.at[ALL, rag] / counts.at[ALL, "students"] if counts.at[ALL, "students"] else None
            for rag in ("red", "amber")
        }
        rows = []
        for name, values in counts.iterrows():
            row = {"Group": name, "Students": show(values["students"], mask.at[name, "students"])}
            for rag in ("red", "amber"):
                hidden = _hidden_rate(values, mask.loc[name], rag)
                base = _hidden_rate(counts.loc[ALL], mask.loc[ALL], rag)
                rate = values[rag] / values["students"] if values["students"] else None
                row[f"{RAG_LABELS[rag]} rate"] = hidden or ("-" if rate is None else f"{100 * rate:.1f}%")
                if hidden or base or rate is None or not overall[rag]:
                    row[f"{RAG_LABELS[rag]} disparity"] = hidden or base or "-"
                else:
                    row[f"{RAG_LABELS[rag]} disparity"] = f"{rate / overall[rag]:.2f}"
            rows.append(row)
        tables[dimension] = pd.DataFrame(rows)
    return tables


def _hidden_rate(values: pd.Series, hidden: pd.Series, rag: str) -> str:
    """How a rate is hidden ("<5" when it rests on fewer than 5 students, "*" when its count is hidden
    as a complement), or "" when it may be shown."""
    if min(values[rag], values["students"]) < THRESHOLD:
        return SUPPRESSED
    return COMPLEMENT if hidden[rag] or hidden["students"] else ""


@dataclass
class Verdict:
    source: str
    level: str  # fit | care | unfit
    label: str
    reasons: list[str]

    @property
    def sentence(self) -> str:
        if self.level == "fit":
            return "Fit for use: every check passed and nothing needed setting aside."
        points = "; ".join(self.reasons)
        if self.level == "care":
            return f"Use with care: {points}. The figures can be used; please keep these points in mind."
        return (
            f"Not fit for use this week: {points}. The school reports for this week are held back until the "
            "data is put right, so that no student is contacted on the strength of a data problem."
        )


def verdicts(
    records: list[ResultRecord],
    loads: dict[str, SourceLoad],
    sources: dict[str, str],
    blocking_suites: frozenset[str],
) -> dict[str, Verdict]:
    """Fit for use, use with care or not fit for use, per source (and the mart), with the reasons; a
    source is not fit for use when a suite of a check the board's settings make blocking failed."""
    result = {}
    for source in sources:
        failed = [r for r in records if r.source == source and not r.passed]
        blocking = [r for r in failed if r.suite in blocking_suites]
        reasons = [f"{r.description} (observed {r.observed_value})" for r in (blocking or failed)]
        load = loads.get(source)
        if not blocking and load is not None:
            if load.files_rejected:
                reasons.append(f"{len(load.files_rejected)} file(s) could not be read and were set aside whole")
            if load.rows_quarantined and load.rows_quarantined > 0.01 * max(load.rows_loaded, 1):
                reasons.append(f"{load.rows_quarantined:,} row(s) were set aside for review")
            if load.incomplete_extracts:
                reasons.append(f"{len(load.incomplete_extracts)} incomplete extract(s) were not used")
        level = "unfit" if blocking else ("care" if reasons else "fit")
        label = {"fit": "Fit for use", "care": "Use with care", "unfit": "Not fit for use"}[level]
        result[source] = Verdict(source, level, label, reasons)
    return result
