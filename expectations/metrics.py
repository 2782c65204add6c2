"""Figures a row-by-row expectation cannot see: drops against the week before, coverage shares,
freshness and week-on-week shifts. Each function returns a small DataFrame (one row per module, day,
school or source) for a suite to validate with GX's own expectations. Pure pandas."""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

# A module or day with fewer rows than this the week before is too small to judge a drop on.
MIN_BASELINE_ROWS = 20
# A school with fewer students than this in both weeks is too small to judge a shift on.
MIN_SHIFT_STUDENTS = 20
ALL_MODULES = "(all modules)"


@dataclass(frozen=True)
class Week:
    """A report week (engagement-rules.md): Monday `start`, `as_of` the Sunday, reported the Monday after."""

    start: date
    vle_window_days: int = 14

    @property
    def as_of(self) -> date:
        return self.start + timedelta(days=6)

    @property
    def report_date(self) -> date:
        return self.start + timedelta(days=7)

    @property
    def previous(self) -> "Week":
        return Week(self.start - timedelta(days=7), self.vle_window_days)

    @property
    def vle_window(self) -> list[date]:
        return [self.as_of - timedelta(days=n) for n in range(self.vle_window_days - 1, -1, -1)]


def in_terms(day: date, terms: pd.DataFrame) -> bool:
    """Whether `day` falls in a term of SITS period.tsv (columns start, end)."""
    if terms.empty:
        return False
    starts = pd.to_datetime(terms["start"]).dt.date
    ends = pd.to_datetime(terms["end"]).dt.date
    return bool(((starts <= day) & (ends >= day)).any())


def week_in_term(week: Week, terms: pd.DataFrame) -> bool:
    """A week is in term when its teaching days, Monday to Friday, all are (a vacation week, or one
    a term starts or ends in, is not compared with another)."""
    return all(in_terms(week.start + timedelta(days=n), terms) for n in range(5))


def subject(module: str) -> str | None:
    """The subject of a module instance id: its leading letters (LAW1001-2627-AUT -> LAW)."""
    found = re.match(r"[A-Za-z]+", module)
    return found.group(0).upper() if found else None


def attendance_volume(
    this_week: pd.DataFrame, previous_week: pd.DataFrame, running_modules: Iterable[str], compare: bool
) -> pd.DataFrame:
    """SEAtS rows this week against the week before (frames: module, rows), per module, per subject
    (the modules sharing a code prefix: a department, usually one building) and for all modules.

    Modules and subjects count only the modules SITS says run through both weeks (a module that ends is
    not a drop), and are compared when they had at least MIN_BASELINE_ROWS rows the week before
    (a fortnightly session halves a small module). Nothing is compared when `compare` is false (the
    week or the week before is outside term).
    """
    columns = ["scope", "rows_previous_week", "rows_this_week", "ratio"]
    if not compare:
        return pd.DataFrame(columns=columns).astype({"ratio": float})
    now = this_week.groupby("module")["rows"].sum()
    before = previous_week.groupby("module")["rows"].sum()
    running = sorted(set(running_modules) & set(before.index))
    modules = [(f"module {m}", int(before[m]), int(now.get(m, 0))) for m in running]
    subjects: dict[str, list[int]] = {}
    for module in running:
        name = subject(module)
        if name:
            totals = subjects.setdefault(name, [0, 0])
            totals[0] += int(before[module])
            totals[1] += int(now.get(module, 0))
    # Broadest first: a failure reads "all modules", then the subject, then the module.
    rows = [(ALL_MODULES, int(before.sum()), int(now.sum()))]
    rows += [(f"subject {name}", b, n) for name, (b, n) in sorted(subjects.items())]
    frame = pd.DataFrame(rows + modules, columns=columns[:3])
    frame = frame[frame["rows_previous_week"] >= MIN_BASELINE_ROWS].reset_index(drop=True)
    frame["ratio"] = (frame["rows_this_week"] / frame["rows_previous_week"]).astype(float)
    return frame


def daily_volume(daily: pd.DataFrame, week: Week, terms: pd.DataFrame) -> pd.DataFrame:
    """Moodle learning events per day of the VLE window against the same weekday a week earlier
    (frame: day, rows). A day is compared when both days are in term and the earlier one had at least
    MIN_BASELINE_ROWS events; a day with no events at all counts as zero (a missing file)."""
    counts = {pd.Timestamp(d).date(): int(n) for d, n in zip(daily["day"], daily["rows"], strict=True)}
    rows = []
    for day in week.vle_window:
        before = day - timedelta(days=7)
        baseline = counts.get(before, 0)
        if baseline >= MIN_BASELINE_ROWS and in_terms(day, terms) and in_terms(before, terms):
            rows.append((day.isoformat(), baseline, counts.get(day, 0)))
    frame = pd.DataFrame(rows, columns=["day", "rows_week_before", "rows"])
    frame["ratio"] = (frame["rows"] / frame["rows_week_before"]).astype(float)
    return frame


def coverage(population: Iterable[str], found: Iterable[str], compare: bool) -> pd.DataFrame:
    """Share of a population found in a source: one row (students, found, share). The share is null
    when there is nothing to judge (no population, or `compare` false): a null share is not checked."""
    people = set(population)
    seen = len(people & set(found))
    share = seen / len(people) if people and compare else None
    return pd.DataFrame([{"students": len(people), "found": seen, "share": share}]).astype({"share": float})


def freshness(source: str, newest: date | None, as_of: date) -> pd.DataFrame:
    """Days between a source's newest data dated on or before `as_of` and `as_of` (null: no data at all)."""
    lag = (as_of - pd.Timestamp(newest).date()).days if newest is not None and not pd.isna(newest) else None
    return pd.DataFrame([{"source": source, "newest_data_date": newest, "lag_days": lag}]).astype({"lag_days": float})


def sits_snapshot(snapshot: date | None, students: int, previous_students: int | None, week: Week) -> pd.DataFrame:
    """The week's SITS snapshot: whether one exists, its students against the complete extract before it,
    and its age on the report date."""
    ratio = students / previous_students if previous_students else None
    age = (week.report_date - pd.Timestamp(snapshot).date()).days if snapshot is not None else None
    return pd.DataFrame(
        [
            {
                "snapshot_found": snapshot is not None,
                "students": students,
                "previous_students": previous_students,
                "students_ratio": ratio,
                "age_days": age,
            }
        ]
    ).astype({"students_ratio": float, "age_days": float})


def red_share_shift(mart: pd.DataFrame) -> pd.DataFrame:
    """Per school, the share of students red this week against the share red last week, over the
    students with a status in both weeks (mart columns: school, combined_rag, previous_combined_rag)."""
    both = mart[mart["previous_combined_rag"].notna()]
    rows = []
    for school, group in both.groupby("school", sort=True):
        if len(group) >= MIN_SHIFT_STUDENTS:
            now = float((group["combined_rag"] == "red").mean())
            before = float((group["previous_combined_rag"] == "red").mean())
            rows.append((school, len(group), before, now, now - before))
    return pd.DataFrame(rows, columns=["school", "students", "share_red_previous_week", "share_red", "shift"])
