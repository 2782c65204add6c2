"""Assessment instances of each module and every student's submission (or not) of each.

Due dates spread over each module's weeks. Whether a student submits on time, late or never follows
their engagement in the week it is due. Submission dates are written sometimes as a date, sometimes
as an ISO timestamp with the London offset, and sometimes in UTC (`Z`): a submission at 00:30 London
time in BST is 23:30Z the day before, so only a timezone-aware reader sees that it was late.
"""

from dataclasses import dataclass

import numpy as np

from leap_assets.synthetic import calibration as cal
from leap_assets.synthetic.engagement import expit
from leap_assets.synthetic.structure import Structure
from leap_assets.synthetic.students import NEVER, Students
from leap_assets.synthetic.timeline import Term, iso_local, iso_utc, local_epoch

SUMMATIVE_WEIGHTS = {1: ("100",), 2: ("40", "60"), 3: ("20", "30", "50")}
TYPE_BY_GROUP = {"LAB": "5", "SEM": "1", "TUT": "1", "WKS": "3"}  # UDD ASSESS_TYPE codes


@dataclass
class Assessments:
    """Assessment instances (`inst_*`) and student rows (the rest)."""

    inst_id: list[str]
    inst_module: np.ndarray
    inst_type: list[str]
    inst_weight: list[str]
    inst_summative: list[str]
    inst_due: np.ndarray
    student: np.ndarray
    item: np.ndarray
    sub_day: np.ndarray  # London date of the submission (term day), NEVER if none
    sub_text: list[str]
    mark_day: np.ndarray  # first day the mark is in SITS, NEVER if none
    mark_text: list[str]
    visible_from: np.ndarray


def _instances(rng: np.random.Generator, term: Term, structure: Structure) -> tuple[list, ...]:
    ids, module, kinds, weights, summative, due = [], [], [], [], [], []
    for m in range(len(structure.mod_id)):
        first_week, last_week = structure.mod_start[m] // 7, structure.mod_end[m] // 7
        count = int(rng.choice([1, 2, 3], p=[0.15, 0.55, 0.30]))
        formative = count >= 2 and rng.random() < 0.35
        n_summative = count - formative
        span = last_week - first_week + 1
        for k in range(count):
            week = first_week + min(span - 1, round((k + 1) * span / (count + 1)))
            weekday = int(rng.choice([3, 4, 0], p=[0.5, 0.35, 0.15]))
            day = int(np.clip(7 * week + weekday, structure.mod_start[m], structure.mod_end[m]))
            is_formative = formative and k == 0
            ids.append(f"{structure.mod_instance[m]}-A{k + 1}")
            module.append(m)
            if is_formative:
                kinds.append("98")
                weights.append("0")
                summative.append("2")
            else:
                group = structure.dept_group_type[structure.mod_dept[m]]
                kinds.append("7" if "Dissertation" in structure.mod_name[m] else TYPE_BY_GROUP[group])
                weights.append(SUMMATIVE_WEIGHTS[n_summative][k - formative])
                summative.append("1")
            due.append(day)
    return ids, np.array(module), kinds, weights, summative, np.array(due)


def build_assessments(rng: np.random.Generator, term: Term, structure: Structure, st: Students) -> Assessments:
    """Instances, then one row per student and item due while they are on the module."""
    ids, module, kinds, weights, summative, due = _instances(rng, term, structure)
    order = np.argsort(module, kind="stable")
    per_module = np.bincount(module, minlength=len(structure.mod_id))
    first_item = np.concatenate([[0], np.cumsum(per_module)[:-1]])

    enr = st.enrolments
    counts = per_module[enr.module]
    row = np.repeat(np.arange(len(enr.module)), counts)
    within = np.arange(len(row)) - np.repeat(np.cumsum(counts) - counts, counts)
    item = order[first_item[enr.module[row]] + within]
    # Someone who arrives late (joins, or transfers in) is not expected to hand in during week one.
    lower = np.where(enr.start[row] > structure.mod_start[enr.module[row]], enr.start[row] + 7, enr.start[row])
    keep = (due[item] >= lower) & (due[item] <= enr.end[row])
    row, item = row[keep], item[keep]
    student = enr.student[row]
    due_day = due[item]

    z = st.level[student, np.clip(due_day // 7, 0, term.weeks - 1)]
    n = len(item)
    u = rng.random(n)
    on_time = u < expit(cal.ON_TIME_LOGIT + cal.ON_TIME_SLOPE * z)
    late = ~on_time & (rng.random(n) < expit(cal.LATE_NOT_MISSING_LOGIT + cal.LATE_NOT_MISSING_SLOPE * z))
    before = np.minimum(rng.geometric(0.5, n) - 1, 6)
    after = np.minimum(rng.geometric(0.35, n), 14)
    midnight = late & (rng.random(n) < 0.12)
    after[midnight] = 1
    sub_day = np.where(on_time, due_day - before, np.where(late, due_day + after, NEVER))
    sub_day = np.where(on_time, np.maximum(sub_day, enr.start[row]), sub_day)
    gone = st.withdraw_day[student]
    sub_day[(gone != NEVER) & (sub_day >= gone)] = NEVER
    minute = np.where(midnight, rng.integers(0, 60, n), rng.integers(480, 1440, n))
    style = rng.random(n)

    sub_text = []
    for day, mnt, sty, trap in zip(sub_day.tolist(), minute.tolist(), style.tolist(), midnight.tolist(), strict=True):
        if day == NEVER:
            sub_text.append("")
        elif trap or sty < 0.18:
            sub_text.append(iso_utc(local_epoch(term.date(day), mnt)))
        elif sty < 0.45:
            sub_text.append(iso_local(term.date(day), mnt))
        else:
            sub_text.append(str(term.date(day)))
    submitted = sub_day != NEVER
    mark_day = np.where(submitted, np.maximum(due_day + cal.MARKING_DAYS, sub_day + 7), NEVER)
    marks = np.clip(np.round(rng.normal(60 + 7 * z, 9)), 15, 95).astype(int)
    return Assessments(
        inst_id=ids,
        inst_module=module,
        inst_type=kinds,
        inst_weight=weights,
        inst_summative=summative,
        inst_due=due,
        student=student,
        item=item,
        sub_day=sub_day,
        sub_text=sub_text,
        mark_day=mark_day,
        mark_text=[str(x) for x in marks],
        visible_from=enr.visible_from[row],
    )
