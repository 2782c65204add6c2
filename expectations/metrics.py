"""Figures a row-by-row expectation cannot see: drops against the week before, coverage shares,
freshness and week-on-week shifts. Each function returns a small DataFrame (one row per module, day,
school or source) for a suite to validate with GX's own expectations. Pure pandas."""

import re
import statistics
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

ALL_MODULES = "(all modules)"
ALL_SCHOOLS = "(all schools)"
# A `schools` cell naming every school: the row is about a whole source, so a failure holds them all.
EVERY_SCHOOL = "*"
# How far back a baseline may look for its teaching weeks (past reading weeks and vacations).
EXTRA_LOOKBACK_WEEKS = 4


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


def baseline_candidates(week: Week, baseline_weeks: int) -> list[Week]:
    """The weeks before `week` a baseline may use, newest first."""
    return [Week(week.start - timedelta(days=7 * k), week.vle_window_days) for k in
            range(1, baseline_weeks + EXTRA_LOOKBACK_WEEKS + 1)]  # fmt: skip


def running_through(modules: pd.DataFrame, week: Week) -> set[str]:
    """Module instances whose SITS dates (frame: module, start, end) cover the whole week."""
    if modules.empty:
        return set()
    starts = pd.to_datetime(modules["start"]).dt.date
    ends = pd.to_datetime(modules["end"]).dt.date
    return set(modules.loc[(starts <= week.start) & (ends >= week.as_of), "module"])


def attendance_volume(
    rows: pd.DataFrame,
    modules: pd.DataFrame,
    week: Week,
    terms: pd.DataFrame,
    teaching: Callable[[str, date], bool],
    baseline_weeks: int,
    min_baseline_rows: int,
) -> pd.DataFrame:
    """SEAtS rows this week against a robust baseline, per module, per subject (the modules sharing a
    code prefix: a department, usually one building) and for all modules.

    `rows` holds rows per module and week (module, week_start, rows); `modules` the module instances
    SITS knows (module, start, end, schools: the schools of the students taking it). A module is judged
    when SITS runs it through the week and the calendar (`teaching(module, week_start)`) says it is
    taught. Its baseline is the median of its rows in its last `baseline_weeks` teaching weeks in term
    that SITS ran it through and SEAtS has rows for (a reading week, a vacation and a fortnightly session
    do not trip it). A
    subject, and all modules, compare the sum of their judged modules' rows with the sum of their
    baselines. A row is kept when its baseline holds at least `min_baseline_rows` rows. Nothing is judged
    in a week outside term.
    """
    columns = ["scope", "schools", "rows_baseline", "rows_this_week", "ratio"]
    if not week_in_term(week, terms):
        return pd.DataFrame(columns=columns).astype({"ratio": float})
    counts = {
        (str(m), pd.Timestamp(w).date()): int(n)
        for m, w, n in zip(rows["module"], rows["week_start"], rows["rows"], strict=True)
    }
    # `schools` may arrive as lists, tuples or numpy arrays (a DuckDB list column): read them as tuples.
    schools_of = {m: tuple(v) for m, v in zip(modules["module"], modules["schools"], strict=True)}
    candidates = baseline_candidates(week, baseline_weeks)
    running = {w.start: running_through(modules, w) for w in [week, *candidates]}
    # Whether each candidate week is in term, worked out once (not once per module: it parses the terms).
    in_term = {w.start: week_in_term(w, terms) for w in candidates}
    # A week with no rows at all is history not landed (or an outage held in its own week), not a baseline.
    with_data = {w for (_, w), n in counts.items() if n > 0}
    judged = []
    for module in sorted(running[week.start]):
        if not teaching(module, week.start):
            continue
        usable = [
            w.start for w in candidates
            if w.start in with_data and in_term[w.start] and module in running[w.start]
            and teaching(module, w.start)
        ][:baseline_weeks]  # fmt: skip
        baseline = float(statistics.median(counts.get((module, w), 0) for w in usable)) if usable else 0.0
        if baseline > 0:  # a module with no attendance rows in its teaching weeks is not in SEAtS
            judged.append((module, baseline, counts.get((module, week.start), 0)))
    # All modules feed the reports of every school whose students take one: a collapse holds those.
    everyone = join_schools(school for m, _, _ in judged for school in schools_of.get(m, ()))
    out = [(ALL_MODULES, everyone, sum(b for _, b, _ in judged), sum(n for _, _, n in judged))]
    subjects: dict[str, list] = {}
    for module, baseline, now in judged:
        name = subject(module)
        if name:
            totals = subjects.setdefault(name, [set(), 0.0, 0])
            totals[0] |= set(schools_of.get(module, ()))
            totals[1] += baseline
            totals[2] += now
    # Broadest first: a failure reads "all modules", then the subject, then the module.
    out += [(f"subject {name}", join_schools(s), b, n) for name, (s, b, n) in sorted(subjects.items())]
    out += [(f"module {m}", join_schools(schools_of.get(m, ())), b, n) for m, b, n in judged]
    frame = pd.DataFrame(out, columns=columns[:4])
    frame = frame[frame["rows_baseline"] >= max(min_baseline_rows, 1)].reset_index(drop=True)
    frame["ratio"] = (frame["rows_this_week"] / frame["rows_baseline"]).astype(float)
    return frame


def join_schools(schools: Iterable[str]) -> str:
    """The `schools` cell of a metrics row: the schools a failure of the row makes wrong."""
    return "; ".join(sorted({school for school in schools if school}))


def daily_volume(
    daily: pd.DataFrame,
    week: Week,
    terms: pd.DataFrame,
    closed: Callable[[date], bool],
    baseline_weeks: int,
    min_baseline_rows: int,
) -> pd.DataFrame:
    """Moodle learning events per day of the VLE window against a robust baseline (frame: day, rows):
    the median of the same weekday in the last `baseline_weeks` weeks that were in term, not closed
    for the whole university (`closed(day)`, from the calendar) and had events. A day is judged when it is in term, not
    closed, and its baseline holds at least `min_baseline_rows` events; a day with no events at all
    counts as zero (a missing file). Moodle is one feed for the whole university: a failure holds every
    school."""
    counts = {pd.Timestamp(d).date(): int(n) for d, n in zip(daily["day"], daily["rows"], strict=True)}
    rows = []
    for day in week.vle_window:
        if not in_terms(day, terms) or closed(day):
            continue
        earlier = [day - timedelta(days=7 * k) for k in range(1, baseline_weeks + EXTRA_LOOKBACK_WEEKS + 1)]
        # A day with no events at all is a missing file (or history not landed), never a baseline.
        usable = [d for d in earlier if counts.get(d, 0) > 0 and in_terms(d, terms) and not closed(d)][:baseline_weeks]
        if not usable:
            continue
        baseline = float(pd.Series([counts.get(d, 0) for d in usable]).median())
        if baseline >= max(min_baseline_rows, 1):
            rows.append((day.isoformat(), EVERY_SCHOOL, baseline, counts.get(day, 0)))
    frame = pd.DataFrame(rows, columns=["day", "schools", "rows_baseline", "rows"])
    frame["ratio"] = (frame["rows"] / frame["rows_baseline"]).astype(float)
    return frame


def coverage_by_school(population: pd.DataFrame, found: Iterable[str], judge: bool, min_students: int) -> pd.DataFrame:
    """Share of a population (frame: student_id, school) found in a source, for all schools and per
    school (columns school, schools, students, found, share). The share is null, so not judged, when
    `judge` is false (outside term, a closed week) or fewer than `min_students` students are counted."""
    seen = set(found)
    rows = []
    groups = [(ALL_SCHOOLS, EVERY_SCHOOL, population)]
    groups += [(school, school, group) for school, group in population.groupby("school", sort=True)]
    for name, schools, group in groups:
        people = set(group["student_id"])
        hits = len(people & seen)
        share = hits / len(people) if judge and people and len(people) >= min_students else None
        rows.append((name, schools, len(people), hits, share))
    frame = pd.DataFrame(rows, columns=["school", "schools", "students", "found", "share"])
    return frame.astype({"share": float})


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


def red_share_shift(mart: pd.DataFrame, min_students: int) -> pd.DataFrame:
    """Per school, the share of students red this week against the share red last week, over the
    students with a status in both weeks (mart columns: school, combined_rag, previous_combined_rag)."""
    both = mart[mart["previous_combined_rag"].notna()]
    rows = []
    for school, group in both.groupby("school", sort=True):
        if len(group) >= min_students:
            now = float((group["combined_rag"] == "red").mean())
            before = float((group["previous_combined_rag"] == "red").mean())
            rows.append((school, len(group), before, now, now - before))
    return pd.DataFrame(rows, columns=["school", "students", "share_red_previous_week", "share_red", "shift"])
