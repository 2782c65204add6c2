"""Module results: what the back-test compares the indicator with.

A module's result follows the student's latent engagement over the weeks it ran, with noise: the
lower the mean level, the likelier a fail. It reaches SITS in the first extract after the module
ends. Students who withdraw, and modules cut short by a transfer, get no result ("3", not known), and
so does a small share of the rest (a deferred or unboarded mark). Drawn from a stream of its own, so
adding outcomes changed nothing else the generator writes.
"""

import numpy as np

from leap_assets.synthetic.engagement import expit
from leap_assets.synthetic.students import NEVER, Students
from leap_assets.synthetic.timeline import Term

PASS, FAIL, NOT_KNOWN = "1", "2", "3"
FAIL_LOGIT = -2.8  # a student of average engagement fails about one module in sixteen
FAIL_PER_LEVEL = -1.4  # one SD less engagement roughly triples the odds of failing
RESULT_NOISE_SD = 0.7  # what engagement does not explain (the exam, the marker, the student's week)
UNKNOWN_SHARE = 0.03


def module_results(rng: np.random.Generator, term: Term, st: Students) -> tuple[list[str], np.ndarray]:
    """Per enrolment row: MOD_RESULT ("1", "2" or "3") and the extract day from which SITS shows it."""
    enr = st.enrolments
    rows = len(enr.student)
    noise = rng.normal(0.0, RESULT_NOISE_SD, rows)
    unknown = rng.random(rows) < UNKNOWN_SHARE
    draw = rng.random(rows)
    results, known_from = [], np.zeros(rows, dtype=np.int64)
    extracts = np.array(term.extract_days)
    for r in range(rows):
        s, start, end = int(enr.student[r]), int(enr.start[r]), int(enr.end[r])
        known_from[r] = int(extracts[extracts > end].min()) if (extracts > end).any() else NEVER
        weeks = st.level[s, max(0, start // 7) : min(term.weeks, end // 7 + 1)]
        level = float(weeks.mean()) if len(weeks) else 0.0
        cut_short = enr.end[r] != enr.planned_end[r]
        if st.withdraw_day[s] != NEVER or cut_short or unknown[r] or known_from[r] == NEVER:
            results.append(NOT_KNOWN)
            continue
        fails = draw[r] < expit(FAIL_LOGIT + FAIL_PER_LEVEL * level + noise[r])
        results.append(FAIL if fails else PASS)
    return results, known_from
