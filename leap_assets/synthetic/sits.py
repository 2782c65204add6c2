"""SITS: the 13 UDD entity files, as full snapshots on each extract date.

Every row is built once, with the range of extract days in which it is true, so a snapshot is a
filter: withdrawals, transfers, a late joiner, a tutor change, a renaming, a new member of staff and
mappings that arrive late all show up in exactly the extracts that would hold them. Submissions and
marks appear only in extracts dated after they happened.
"""

import datetime as dt

import numpy as np

from leap_assets.synthetic.assessments import Assessments
from leap_assets.synthetic.structure import Structure
from leap_assets.synthetic.students import ALWAYS, NEVER, OUTCOME_FOR_REASON, Students
from leap_assets.synthetic.timeline import PERIODS, Term, academic_year_start

FOREVER = 10**6
HEADERS = {
    "student": ("STUDENT_ID", "FIRST_NAME", "LAST_NAME", "PRIMARY_EMAIL_ADDRESS", "SEXID", "ETHNICITY",
                "DIFFLEARN1", "DOB", "OVERSEAS"),
    "course": ("COURSE_ID", "TITLE", "INST_TIER_1", "INST_TIER_2", "X_LEVEL"),
    "studentcoursemembership": ("STUDENT_COURSE_MEMBERSHIP_ID", "STUDENT_ID", "COURSE_ID", "ACTIVE_MEMBERSHIP",
                                "COURSE_JOIN_DATE", "COURSE_END_DATE", "WITHDRAWAL_REASON", "COURSE_OUTCOME"),
    "module": ("MOD_ID", "MOD_NAME"),
    "moduleinstance": ("MOD_INSTANCE_ID", "MOD_ID", "MOD_ACADEMIC_YEAR"),
    "studentmoduleinstance": ("STUDENT_ID", "MOD_INSTANCE_ID", "MOD_START_DATE", "MOD_END_DATE", "MOD_RESULT"),
    "assessmentinstance": ("ASSESS_INSTANCE_ID", "MOD_INSTANCE_ID", "ASSESS_TYPE", "ASSESS_WEIGHT",
                           "ASSESS_SUMMATIVE"),
    "studentassessmentinstance": ("STUDENT_ID", "ASSESS_INSTANCE_ID", "ASSESS_SEQ_ID", "ASSESS_DUE_DATE",
                                  "ASSESS_SUBMISSION_DATE", "ASSESS_ACTUAL_MARK", "ASSESS_AGREED_MARK"),
    "staff": ("STAFF_ID", "FIRST_NAME", "LAST_NAME", "PRIMARY_EMAIL_ADDRESS"),
    "stafflink": ("STAFF_ID", "PROPERTY_NAME", "PROPERTY_VALUE", "RELATIONSHIP"),
    "studentidmap": ("STUDENT_ID", "DOMAIN", "IDENTIFIER"),
    "modulemap": ("MOD_INSTANCE_ID", "MODULE_MAP_DOMAIN", "DOMAIN_MAPPED_ID"),
    "period": ("PERIOD_CODE", "ACADEMIC_YEAR", "PERIOD_NAME", "PERIOD_START_DATE", "PERIOD_END_DATE"),
}  # fmt: skip


class Versioned:
    """TSV lines, each true for extract days in [since, until)."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.since: list[int] = []
        self.until: list[int] = []
        self._arrays: tuple[np.ndarray, np.ndarray] | None = None

    def add(self, *fields: object, since: int = ALWAYS, until: int = FOREVER) -> None:
        """A row (fields as text) that holds from extract day `since` until before `until`."""
        self.lines.append("\t".join(str(f) for f in fields))
        self.since.append(int(since))
        self.until.append(int(until))

    def at(self, day: int) -> list[str]:
        """The lines of the snapshot taken on extract day `day`."""
        if self._arrays is None:
            self._arrays = (np.array(self.since), np.array(self.until))
        since, until = self._arrays
        return [self.lines[i] for i in np.flatnonzero((since <= day) & (day < until))]


def other_periods(term: Term) -> list[tuple[str, str, dt.date, dt.date]]:
    """The academic year's conventional terms (code, name, start, end), the generated one included."""
    year = academic_year_start(term.start)

    def monday_from(day: dt.date) -> dt.date:
        return day + dt.timedelta(days=(7 - day.weekday()) % 7)

    usual = {"AUT": (dt.date(year, 9, 22), 12), "SPR": (dt.date(year + 1, 1, 8), 11),
             "SUM": (dt.date(year + 1, 4, 22), 8)}  # fmt: skip
    rows = []
    for code, name, _ in PERIODS:
        if code == term.period_code:
            rows.append((code, name, term.start, term.end))
            continue
        start = monday_from(usual[code][0])
        end = start + dt.timedelta(weeks=usual[code][1], days=-1)
        if end < term.start or start > term.end:
            rows.append((code, name, start, end))
    return rows


def build_tables(
    term: Term,
    structure: Structure,
    st: Students,
    asm: Assessments,
    student_uid: np.ndarray,
    results: tuple[list[str], np.ndarray] | None = None,
) -> dict[str, Versioned]:
    """Every SITS row of the term with the extract days it belongs to (all files but assessments);
    `results` (outcomes.module_results) gives each enrolment's MOD_RESULT and when SITS shows it."""
    t = {name: Versioned() for name in HEADERS if name != "studentassessmentinstance"}
    school_of = [structure.schools[structure.dept_school[d]] for d in structure.course_dept]
    for c, cid in enumerate(structure.course_id):
        dept = structure.course_dept[c]
        t["course"].add(cid, structure.course_title[c], school_of[c], structure.dept_name[dept],
                        structure.course_level[c])  # fmt: skip
    for m, mod in enumerate(structure.mod_id):
        t["module"].add(mod, structure.mod_name[m])
        t["moduleinstance"].add(structure.mod_instance[m], mod, term.academic_year)
        since = term.extract_days[min(2, len(term.extract_days) - 1)] if m == structure.late_mapped_module else ALWAYS
        t["modulemap"].add(structure.mod_instance[m], "VLE", int(structure.mod_moodle[m]), since=since)
    for i, inst in enumerate(asm.inst_id):
        t["assessmentinstance"].add(inst, structure.mod_instance[asm.inst_module[i]], asm.inst_type[i],
                                    asm.inst_weight[i], asm.inst_summative[i])  # fmt: skip
    for code, name, start, end in other_periods(term):
        t["period"].add(code, term.academic_year, f"{name} {term.academic_year}", start, end)

    staff = structure.staff
    assert staff is not None and st.tutor is not None
    for k, sid in enumerate(staff.staff_id):
        t["staff"].add(sid, staff.first[k], staff.last[k], staff.email[k], since=staff.visible_from[k])
        if staff.dept[k] == -1:
            t["stafflink"].add(sid, "INST_TIER_1", structure.schools[staff.school[k]], "SCHOOL_STAFF")
    for m, inst in enumerate(structure.mod_instance):
        t["stafflink"].add(staff.staff_id[structure.mod_tutor[m]], "MOD_INSTANCE_ID", inst, "MODULE_TUTOR")

    idmap_since = _idmap_since(term, st)
    for s, sid in enumerate(st.sid):
        since = int(st.start_day[s]) if st.start_day[s] > 0 else ALWAYS
        fields = (sid, st.first[s], st.last[s], st.email[s], st.sexid[s], st.ethnicity[s],
                  st.difflearn[s], st.dob[s], st.overseas[s])  # fmt: skip
        if s in st.renamed:
            t["student"].add(*fields, since=since, until=st.change_day)
            t["student"].add(*fields[:2], st.renamed[s], *fields[3:], since=st.change_day)
        else:
            t["student"].add(*fields, since=since)
        tutor = staff.staff_id[st.tutor[s]]
        if st.new_tutor[s] != NEVER:
            t["stafflink"].add(tutor, "STUDENT_ID", sid, "PERSONAL_TUTOR", since=since, until=st.change_day)
            t["stafflink"].add(staff.staff_id[st.new_tutor[s]], "STUDENT_ID", sid, "PERSONAL_TUTOR",
                               since=st.change_day)  # fmt: skip
        else:
            t["stafflink"].add(tutor, "STUDENT_ID", sid, "PERSONAL_TUTOR", since=since)
        t["studentidmap"].add(sid, "VLE", int(student_uid[s]), since=idmap_since[s])
        if s % 37 == 5:  # the library system's card numbers: a domain LEAP ignores
            t["studentidmap"].add(sid, "LIBRARY", f"LB{sid[::-1]}", since=since)
        _memberships(t["studentcoursemembership"], term, structure, st, s, since)

    enr = st.enrolments
    for r in range(len(enr.student)):
        sid, inst = st.sid[enr.student[r]], structure.mod_instance[enr.module[r]]
        start, since = term.date(enr.start[r]), enr.visible_from[r]
        if enr.end[r] != enr.planned_end[r]:
            known = enr.end_known_from[r]
            t["studentmoduleinstance"].add(sid, inst, start, term.date(enr.planned_end[r]), "3", since=since,
                                           until=known)  # fmt: skip
            since = max(since, known)
        row = (sid, inst, start, term.date(enr.end[r]))
        if results is not None and results[0][r] != "3":
            shown = max(since, int(results[1][r]))
            t["studentmoduleinstance"].add(*row, "3", since=since, until=shown)
            t["studentmoduleinstance"].add(*row, results[0][r], since=shown)
        else:
            t["studentmoduleinstance"].add(*row, "3", since=since)
    return t


def _idmap_since(term: Term, st: Students) -> list[int]:
    """A late joiner's Moodle mapping reaches SITS one extract after the student does."""
    days = term.extract_days
    since = []
    for start in st.start_day.tolist():
        if start <= 0:
            since.append(ALWAYS)
            continue
        first = next((k for k, e in enumerate(days) if e >= start), len(days))
        since.append(days[first + 1] if first + 1 < len(days) else FOREVER)
    return since


def _memberships(table: Versioned, term: Term, structure: Structure, st: Students, s: int, since: int) -> None:
    sid = st.sid[s]
    seq = 1
    if st.foundation[s]:
        joined = st.join_date[s]
        table.add(f"{sid}-{seq}", sid, structure.course_id[structure.foundation_course], 2,
                  dt.date(joined.year - 1, 9, 21), dt.date(joined.year, 6, 30), "", "01")  # fmt: skip
        seq += 1
    if st.transfer_day[s] != NEVER:
        day = int(st.transfer_day[s])
        old = (f"{sid}-{seq}", sid, structure.course_id[st.prior_course[s]])
        table.add(*old, 1, st.join_date[s], "", "", "", until=day)
        table.add(*old, 2, st.join_date[s], term.date(day - 1), "40", "", since=day)
        seq += 1
        joined, since = term.date(day), day
    else:
        joined = st.join_date[s]
    current = (f"{sid}-{seq}", sid, structure.course_id[st.course[s]])
    gone = int(st.withdraw_day[s])
    if gone == NEVER:
        table.add(*current, 1, joined, "", "", "", since=since)
        return
    reason = st.withdraw_reason[s]
    table.add(*current, 1, joined, "", "", "", since=since, until=gone)
    table.add(*current, 2, joined, term.date(gone), reason, OUTCOME_FOR_REASON[reason], since=gone)


class AssessmentSnapshots:
    """studentassessmentinstance as SITS knows it on an extract day: only past submissions and marks."""

    def __init__(self, term: Term, st: Students, asm: Assessments) -> None:
        self.asm = asm
        self.prefix = [
            f"{st.sid[s]}\t{asm.inst_id[i]}\t1\t{term.date(asm.inst_due[i])}"
            for s, i in zip(asm.student.tolist(), asm.item.tolist(), strict=True)
        ]

    def at(self, day: int) -> list[str]:
        """The rows of the snapshot taken on extract day `day`."""
        asm = self.asm
        shown = ((asm.sub_day != NEVER) & (asm.sub_day < day)).tolist()
        marked = ((asm.mark_day != NEVER) & (asm.mark_day <= day)).tolist()
        return [
            f"{self.prefix[r]}\t{asm.sub_text[r] if shown[r] else ''}\t{asm.mark_text[r] if marked[r] else ''}\t"
            for r in np.flatnonzero(asm.visible_from <= day).tolist()
        ]
