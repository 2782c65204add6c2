"""Students: who they are, what they study, what happens to them this term.

Term days are integers from the term's first Monday; -1 means "never" for event days. Special cases
(late joiner, withdrawal, mid-term transfer, earlier foundation year, online-only, tutor change, name
change) are drawn as shares of the cohort, with at least one of each whenever the cohort allows.
"""

import datetime as dt
from dataclasses import dataclass

import numpy as np

from leap_assets.synthetic import calibration as cal
from leap_assets.synthetic import names
from leap_assets.synthetic.engagement import weekly_levels
from leap_assets.synthetic.structure import Structure, ascii_slug
from leap_assets.synthetic.timeline import Term

NEVER = -1
ALWAYS = -(10**6)  # "visible in every extract"

ETHNICITY = ("10", "15", "19", "21", "22", "29", "31", "32", "33", "34", "39", "41", "42", "43",
             "49", "50", "80", "90", "98")  # fmt: skip
ETHNICITY_P = (0.55, 0.005, 0.06, 0.02, 0.06, 0.01, 0.06, 0.04, 0.02, 0.03, 0.02, 0.01, 0.01,
               0.015, 0.01, 0.01, 0.01, 0.02, 0.02)  # fmt: skip
DISABILITY = ("00", "51", "53", "54", "55", "56", "57", "58", "96", "")
DISABILITY_P = (0.84, 0.05, 0.01, 0.02, 0.04, 0.01, 0.003, 0.002, 0.01, 0.015)
WITHDRAWAL_REASONS = ("3", "10", "43", "44", "97", "98")  # UDD WITHDRAWAL_REASON
OUTCOME_FOR_REASON = {"3": "04", "10": "10", "43": "06", "44": "07", "97": "11", "98": "99"}


@dataclass
class Enrolments:
    """Student-module rows. `end` may be cut short by a transfer, known to SITS from `end_known_from`."""

    student: np.ndarray
    module: np.ndarray
    start: np.ndarray
    end: np.ndarray
    planned_end: np.ndarray
    end_known_from: np.ndarray
    visible_from: np.ndarray


@dataclass
class Students:
    """Parallel arrays, one entry per student, sorted by STUDENT_ID."""

    sid: list[str]
    first: list[str]
    last: list[str]
    email: list[str]
    sexid: np.ndarray
    ethnicity: np.ndarray
    difflearn: np.ndarray
    dob: list[str]
    overseas: np.ndarray
    pg: np.ndarray
    course: np.ndarray
    year: np.ndarray
    join_date: list[dt.date]
    start_day: np.ndarray  # first term day on the books (late joiners), else 0
    withdraw_day: np.ndarray
    withdraw_reason: list[str]
    transfer_day: np.ndarray
    prior_course: np.ndarray
    foundation: np.ndarray
    online_from: np.ndarray
    online_to: np.ndarray  # NEVER = open-ended
    change_day: int  # extract day on which tutor changes and a renaming show
    new_tutor: np.ndarray  # NEVER = no change
    renamed: dict[int, str]
    level: np.ndarray  # (students, weeks) latent engagement
    enrolments: Enrolments
    tutor: np.ndarray | None = None  # personal tutor (staff index), set once staff exist

    @property
    def n(self) -> int:
        """How many students."""
        return len(self.sid)

    def online_on(self, day: int) -> np.ndarray:
        """Who is online-only on term day `day`."""
        started = (self.online_from != NEVER) & (self.online_from <= day)
        return started & ((self.online_to == NEVER) | (day <= self.online_to))

    def gone_by(self, day: int) -> np.ndarray:
        """Who has withdrawn on or before term day `day`."""
        return (self.withdraw_day != NEVER) & (self.withdraw_day <= day)


def _weekday_between(rng: np.random.Generator, lo: int, hi: int, size: int) -> np.ndarray:
    """Random term days in [lo, hi] that fall Tuesday to Friday (when registry staff process changes)."""
    days = np.array([d for d in range(lo, hi + 1) if d % 7 in (1, 2, 3, 4)] or [lo])
    return rng.choice(days, size)


def build_students(rng: np.random.Generator, term: Term, structure: Structure, n: int) -> Students:
    """The cohort of `n` students with their life events and latent engagement."""
    sid = np.sort(rng.choice(2_900_000, n, replace=False) + 100_000)
    pg = np.zeros(n, dtype=bool)
    # Always both levels, and enough undergraduates for every special case of a small cohort.
    pg[rng.choice(n, int(np.clip(rng.binomial(n, cal.PG_SHARE), 1, max(1, n - 6))), replace=False)] = True
    ug_courses = structure.ug_courses()
    pg_courses = np.flatnonzero(structure.course_pg)
    popularity = rng.lognormal(0, 0.5, len(structure.course_id))
    course = np.where(
        pg,
        rng.choice(pg_courses, n, p=popularity[pg_courses] / popularity[pg_courses].sum()),
        rng.choice(ug_courses, n, p=popularity[ug_courses] / popularity[ug_courses].sum()),
    )
    year = np.where(pg, 1, rng.choice([1, 2, 3], n, p=[0.36, 0.33, 0.31]))
    year[np.flatnonzero(~pg)[:2]] = [1, 2]  # a new entrant and a returner, however small the cohort
    sexid = rng.choice(["1", "2", "3", "4"], n, p=[0.44, 0.54, 0.01, 0.01])
    first = np.where(
        sexid == "1",
        rng.choice(names.MALE, n),
        np.where(sexid == "2", rng.choice(names.FEMALE, n), rng.choice(names.MALE + names.FEMALE, n)),
    ).tolist()
    last = [str(x) for x in rng.choice(names.LAST, n)]
    sids = [f"{x:08d}" for x in sid]
    email = [
        f"{ascii_slug(f)}.{ascii_slug(la)}.{s[-5:]}@students.example.ac.uk"
        for f, la, s in zip(first, last, sids, strict=True)
    ]
    age = np.where(pg, 21 + rng.gamma(2.0, 2.5, n), 18 + year - 1 + np.abs(rng.normal(0.4, 0.5, n)))
    age = np.where(~pg & (rng.random(n) < 0.1), age + rng.uniform(3, 20, n), age)
    dob = [str(term.start - dt.timedelta(days=int(a * 365.25))) for a in age]
    overseas = np.where(
        pg,
        rng.choice(["1", "2", "3", "99"], n, p=[0.45, 0.08, 0.45, 0.02]),
        rng.choice(["1", "2", "3", "99"], n, p=[0.74, 0.06, 0.18, 0.02]),
    )
    join_date = [term.start - dt.timedelta(days=7 + 364 * int(y - 1)) for y in year]
    base = rng.normal(0.0, 1.0, n)
    events = _special_cases(rng, term, structure, pg, year, course, join_date, base)
    level = weekly_levels(rng, base, term.weeks, events["withdraw_day"])
    students = Students(
        sid=sids, first=first, last=last, email=email, sexid=sexid,
        ethnicity=rng.choice(ETHNICITY, n, p=np.array(ETHNICITY_P) / sum(ETHNICITY_P)),
        difflearn=rng.choice(DISABILITY, n, p=DISABILITY_P), dob=dob, overseas=overseas, pg=pg,
        course=course, year=year, join_date=join_date, level=level, enrolments=None,  # type: ignore[arg-type]
        **events,
    )  # fmt: skip
    students.enrolments = build_enrolments(students, structure)
    return students


def _special_cases(
    rng: np.random.Generator,
    term: Term,
    structure: Structure,
    pg: np.ndarray,
    year: np.ndarray,
    course: np.ndarray,
    join_date: list[dt.date],
    base: np.ndarray,
) -> dict:
    """Who joins late, withdraws, transfers (updating `course` and `join_date`), studies online only..."""
    n = len(pg)
    ug_courses = structure.ug_courses()

    taken = np.zeros(n, dtype=bool)

    def pick(eligible: np.ndarray, count: int, order: np.ndarray | None = None) -> np.ndarray:
        order = rng.permutation(n) if order is None else order
        chosen = order[eligible[order] & ~taken[order]][:count]
        taken[chosen] = True
        return chosen

    def share(p: float, pool: int) -> int:
        return max(1, round(p * pool))

    start_day = np.zeros(n, dtype=np.int64)
    late = pick((year == 1) | pg, share(cal.LATE_JOINER_SHARE, n))
    # Tuesday to Friday of week two: their first extract is the one after, their Moodle mapping later still.
    join_lo, join_hi = (8, 11) if term.weeks >= 2 else (1, 4)
    start_day[late] = rng.integers(join_lo, join_hi + 1, len(late))
    for s in late:
        join_date[s] = term.date(int(start_day[s]))

    withdraw_day = np.full(n, NEVER)
    lo = min(14, max(1, term.days // 4))
    hi = max(lo, term.days - 8 if term.days >= 21 else term.days - 2)
    leavers = pick(np.ones(n, bool), share(cal.WITHDRAWAL_SHARE, n), np.argsort(base + rng.normal(0, 0.8, n)))
    withdraw_day[leavers] = _weekday_between(rng, lo, hi, len(leavers))
    reasons = rng.choice(WITHDRAWAL_REASONS, n, p=[0.15, 0.1, 0.2, 0.35, 0.1, 0.1])
    withdraw_reason = [str(r) if w != NEVER else "" for r, w in zip(reasons, withdraw_day, strict=True)]

    transfer_day = np.full(n, NEVER)
    prior_course = np.full(n, NEVER)
    movers = pick(~pg & (year <= 2), share(cal.TRANSFER_SHARE, n))
    for s in movers:
        siblings = [c for c in ug_courses if structure.course_dept[c] == structure.course_dept[course[s]]]
        prior_course[s] = course[s]
        course[s] = next(c for c in siblings if c != course[s])
    transfer_day[movers] = 7 * max(1, min(3, term.weeks // 3)) if term.weeks >= 2 else 3

    eligible = ~pg & (year >= 2) & ~taken
    foundation = np.zeros(n, dtype=bool)
    foundation[pick(eligible, round(cal.FOUNDATION_SHARE * eligible.sum()))] = True
    taken[foundation] = False  # a foundation year does not stop other things happening this term

    school = structure.dept_school[structure.course_dept[course]]
    with_ug = np.unique(school[~pg & ~taken])
    lists = rng.permutation(with_ug)[:2] if len(with_ug) else np.array([], dtype=np.int64)
    pool = ~pg & np.isin(school, lists)
    online = pick(pool, share(cal.ONLINE_ONLY_SHARE, int(pool.sum())))
    online_from = np.full(n, NEVER)
    online_to = np.full(n, NEVER)
    online_from[online] = np.where(
        rng.random(len(online)) < 0.7, 0, 7 * rng.integers(1, max(2, term.weeks // 2), len(online))
    )
    ends = rng.random(len(online)) < 0.25
    online_to[online] = np.where(ends, online_from[online] + 7 * rng.integers(2, 5, len(online)) - 1, NEVER)
    online_to[online_to >= term.days - 1] = NEVER

    change_day = term.extract_days[len(term.extract_days) // 2]
    new_tutor = np.full(n, NEVER)
    new_tutor[pick(start_day == 0, share(cal.TUTOR_CHANGE_SHARE, n))] = 0  # staff chosen with tutors
    renamed = {int(s): str(rng.choice(names.LAST)) for s in pick(start_day == 0, 1)}

    return {
        "start_day": start_day, "withdraw_day": withdraw_day, "withdraw_reason": withdraw_reason,
        "transfer_day": transfer_day, "prior_course": prior_course, "foundation": foundation,
        "online_from": online_from, "online_to": online_to, "change_day": change_day, "new_tutor": new_tutor,
        "renamed": renamed,
    }  # fmt: skip


def build_enrolments(st: Students, structure: Structure) -> Enrolments:
    """Module rows of every student, with transfer and late-join adjustments."""
    parts: list[tuple[np.ndarray, ...]] = []
    for (course, year), mods in structure.modules_of.items():
        who = np.flatnonzero((st.course == course) & (st.year == year))
        if not len(who):
            continue
        s = np.repeat(who, len(mods))
        m = np.tile(np.array(mods), len(who))
        start = np.maximum(structure.mod_start[m], st.start_day[s])
        visible = np.where(st.start_day[s] > 0, st.start_day[s], ALWAYS)
        moved = st.transfer_day[s] != NEVER
        if moved.any():
            fresh = moved.copy()
            for r in np.flatnonzero(moved).tolist():
                fresh[r] = m[r] not in structure.modules_of[(st.prior_course[s[r]], st.year[s[r]])]
            start = np.where(fresh, np.maximum(start, st.transfer_day[s]), start)
            visible = np.where(fresh, st.transfer_day[s], visible)
        end = structure.mod_end[m]
        parts.append((s, m, start, end, end, np.full(len(s), ALWAYS), visible))
    for s_ in np.flatnonzero(st.transfer_day != NEVER):
        day = st.transfer_day[s_]
        new = structure.modules_of[(st.course[s_], st.year[s_])]
        old = [m_ for m_ in structure.modules_of[(st.prior_course[s_], st.year[s_])] if m_ not in new]
        m = np.array(old)
        one = np.ones(len(m), dtype=np.int64)
        parts.append((one * s_, m, structure.mod_start[m], np.minimum(structure.mod_end[m], day - 1),
                      structure.mod_end[m], one * day, one * ALWAYS))  # fmt: skip
    cols = [np.concatenate(c) for c in zip(*parts, strict=True)]
    keep = cols[2] <= cols[3]
    order = np.lexsort((cols[1][keep], cols[0][keep]))
    s, m, start, end, planned, known, visible = (c[keep][order] for c in cols)
    return Enrolments(s, m, start, end, planned, known, visible)
