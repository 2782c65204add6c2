"""SEAtS: weekly attendance files for undergraduates, and one later file of corrections.

Each module has a weekly lecture, small-group sessions (seminar, tutorial, lab or workshop, by
department) and an optional drop-in every other week. Attendance follows the student's engagement that
week; online-only students rarely come in. Some sessions are cancelled (C for everyone), some student
days are authorised absences (X), some rows leave the category empty for LEAP to derive. If the term
holds a clock change, a lab runs through that night, its start written in UTC. In its reading week a
department has no sessions at all (`reading_week`): its rows are drawn with the rest and then left out,
so every other row of the term is the one a term without a reading week has.
"""

from dataclasses import dataclass

import numpy as np

from leap_assets.synthetic import calibration as cal
from leap_assets.synthetic.engagement import expit
from leap_assets.synthetic.reading_week import ReadingWeek
from leap_assets.synthetic.structure import Structure
from leap_assets.synthetic.students import NEVER, Students
from leap_assets.synthetic.timeline import Term, iso_from_epoch_local, iso_local, iso_utc, local_epoch
from leap_assets.synthetic.writer import Output

HEADER = ("STUDENT_ID", "EVENT_ID", "EVENT_NAME", "EVENT_TYPE", "EVENT_TYPE_DESCRIPTION", "EVENT_MANDATORY",
          "START_TIME", "END_TIME", "EVENT_ATTENDED", "ATTENDANCE_LATE", "ATTENDANCE_CATEGORY",
          "MOD_INSTANCE_ID", "STAFF_ID")  # fmt: skip
DESCRIPTION = {"LEC": "Lecture", "SEM": "Seminar", "TUT": "Tutorial", "LAB": "Laboratory",
               "WKS": "Workshop", "DRP": "Drop-in (optional)"}  # fmt: skip
DURATION = {"LEC": 60, "SEM": 60, "TUT": 60, "LAB": 120, "WKS": 90, "DRP": 60}


@dataclass
class Session:
    """One timetabled session of a module (a group's, or everyone's)."""

    module: int
    kind: str
    group: int  # -1: every student of the module
    day: int
    minute: int
    staff: int
    night_lab: bool = False
    event_seq: int = 0


class Attendance:
    """The term's timetable, and the writer of each week's file."""

    def __init__(self, rng: np.random.Generator, term: Term, structure: Structure, st: Students,
                 reading: ReadingWeek | None = None) -> None:  # fmt: skip
        self.rng, self.term, self.structure, self.st, self.reading = rng, term, structure, st, reading
        self.event_seq = 0
        self.reading_rows = 0  # rows the reading week left out
        enr = st.enrolments
        ug = ~st.pg[enr.student]
        self.members: dict[int, tuple[np.ndarray, ...]] = {}
        self.slots: dict[int, list[tuple[str, int, int, int, int]]] = {}
        assert structure.staff is not None
        for m in np.unique(enr.module[ug]).tolist():
            rows = np.flatnonzero(ug & (enr.module == m))
            groups = max(1, int(np.ceil(len(rows) / cal.GROUP_SIZE)))
            group = rng.permutation(len(rows)) % groups
            self.members[m] = (enr.student[rows], enr.start[rows], enr.end[rows], group)
            kind = structure.dept_group_type[structure.mod_dept[m]]
            team = structure.staff.academics(int(structure.mod_dept[m]))
            tutor = int(structure.mod_tutor[m])
            slots = [("LEC", -1, int(rng.integers(0, 5)), 60 * int(rng.integers(9, 17)), tutor)]
            slots += [(kind, g, int(rng.integers(0, 5)), 60 * int(rng.integers(9, 18)), int(rng.choice(team)))
                      for g in range(groups)]  # fmt: skip
            slots.append(("DRP", -1, int(rng.integers(0, 5)), 60 * int(rng.integers(12, 18)), tutor))
            self.slots[m] = slots
        self.kept: tuple | None = None

    def _quiet(self, module: int, week: int) -> bool:
        return self.reading is not None and self.reading.quiet(module, week)

    def _sessions(self, week: int) -> list[Session]:
        out = []
        first, last = 7 * week, 7 * week + 6
        for m, slots in self.slots.items():
            lo, hi = max(first, self.structure.mod_start[m]), min(last, self.structure.mod_end[m])
            for kind, group, weekday, minute, staff in slots:
                day = first + weekday
                if lo <= day <= hi and (kind != "DRP" or week % 2 == 1):
                    out.append(Session(m, kind, group, day, minute, staff))
        for day in self.term.transition_days():
            if first <= day <= last and self.slots:
                taught = [m for m in self.slots if not self._quiet(m, week)] or list(self.slots)
                psychology = [m for m in taught if self.structure.dept_code[self.structure.mod_dept[m]] == "PSY"]
                m = (psychology or taught)[0]
                out.append(Session(m, "LAB", 0, day, 30, self.slots[m][0][4], night_lab=True))
        out.sort(key=lambda s: (s.day, s.minute, s.module, s.group))
        return out

    def _describe(self, s: Session, week: int, shift: int = 0) -> tuple[str, str]:
        """Text of the session's fields before and after the per-student ones."""
        term, structure = self.term, self.structure
        day = term.date(s.day + shift)
        if s.night_lab:
            start_epoch = local_epoch(day, s.minute)
            start, end = iso_utc(start_epoch), iso_from_epoch_local(start_epoch + 150 * 60)
            name = f"{structure.mod_id[s.module]} Sleep laboratory: overnight observation"
        else:
            zulu = week % 2 == 0
            start = iso_local(day, s.minute, zulu)
            end = iso_local(day, s.minute + DURATION[s.kind], zulu)
            name = f"{structure.mod_id[s.module]} {structure.mod_name[s.module]} - {DESCRIPTION[s.kind]}"
            name += f" (group {s.group + 1})" if s.group >= 0 else ""
        event_id = f"TT{term.year_code}-{s.event_seq:06d}"
        mandatory = "0" if s.kind == "DRP" else "1"
        assert structure.staff is not None
        before = f"{event_id}\t{name}\t{s.kind}\t{DESCRIPTION[s.kind]}\t{mandatory}\t{start}\t{end}"
        after = f"{structure.mod_instance[s.module]}\t{structure.staff.staff_id[s.staff]}"
        return before, after

    def write_week(self, out: Output, week: int, keep: bool) -> None:
        """Write `attendance_<Monday after the week>.tsv`; `keep` holds the rows for a correction."""
        rng, st = self.rng, self.st
        sessions = self._sessions(week)
        who, which = [], []
        gone_cutoff = np.where(st.withdraw_day != NEVER, st.withdraw_day + 7 - st.withdraw_day % 7, 10**6)
        for k, s in enumerate(sessions):
            self.event_seq += 1
            s.event_seq = self.event_seq
            student, start, end, group = self.members[s.module]
            ok = (start <= s.day) & (s.day <= end) & (st.start_day[student] <= s.day)
            ok &= s.day < gone_cutoff[student]
            if s.group >= 0:
                ok &= group == s.group
            who.append(student[ok])
            which.append(np.full(int(ok.sum()), k))
        stu = np.concatenate(who) if who else np.zeros(0, dtype=np.int64)
        ses = np.concatenate(which) if which else np.zeros(0, dtype=np.int64)
        kind = np.array([s.kind for s in sessions])[ses] if len(ses) else np.zeros(0, dtype=str)
        day = np.array([s.day for s in sessions], dtype=np.int64)[ses] if len(ses) else ses
        type_logit = np.vectorize(cal.ATTEND_TYPE_LOGIT.get, otypes=[float])(kind) if len(ses) else 0.0
        p = expit(cal.ATTEND_LOGIT + cal.ATTEND_SLOPE * st.level[stu, week] + type_logit)
        online = np.zeros(len(stu), dtype=bool)
        for d in np.unique(day).tolist():
            online[day == d] = st.online_on(d)[stu[day == d]]
        p = np.where(online, cal.ATTEND_ONLINE_ONLY, p)
        attended = rng.random(len(stu)) < p
        # Someone who has left is still on the registers until SITS tells SEAtS, but never comes.
        attended &= ~((st.withdraw_day[stu] != NEVER) & (day >= st.withdraw_day[stu]))
        late = attended & (rng.random(len(stu)) < cal.LATE_SHARE)
        excused = (rng.random((st.n, 7)) < cal.AUTHORISED_DAY_SHARE)[stu, day % 7]
        cancelled = (rng.random(len(sessions)) < cal.CANCELLED_SHARE)[ses]
        category = np.where(late, "L", np.where(attended, "P", "A"))
        category = np.where(rng.random(len(stu)) < cal.EMPTY_CATEGORY_SHARE, "", category)
        category = np.where(excused, "X", category)
        category = np.where(cancelled, "C", category)
        attended &= ~excused & ~cancelled
        late &= attended
        if self.reading is not None and self.reading.week == week:
            taught = ~np.array([self._quiet(s.module, week) for s in sessions], dtype=bool)[ses]
            self.reading_rows += int((~taught).sum())
            stu, ses, attended, late, category = (a[taught] for a in (stu, ses, attended, late, category))
        described = [self._describe(s, week) for s in sessions]
        lines = self._lines(stu, ses, attended, late, category, described)
        out.write(f"seats/attendance_{self.term.date(7 * week + 7)}.tsv", HEADER, lines, "seats")
        if keep:
            self.kept = (week, sessions, stu, ses, attended, late, category)

    def _lines(self, stu, ses, attended, late, category, described) -> list[str]:
        sid = self.st.sid
        return [
            f"{sid[s]}\t{described[k][0]}\t{int(a)}\t{int(la)}\t{c}\t{described[k][1]}"
            for s, k, a, la, c in zip(stu.tolist(), ses.tolist(), attended.tolist(), late.tolist(),
                                      category.tolist(), strict=True)
        ]  # fmt: skip

    def write_correction(self, out: Output) -> None:
        """A later file re-stating rows of a kept week: excused absences, fixed registers, a moved lab."""
        assert self.kept is not None
        week, sessions, stu, ses, attended, late, category = self.kept
        rng = self.rng
        absent = np.flatnonzero(~attended & (category != "C") & (category != "X"))
        if not len(absent):
            absent = np.flatnonzero(category != "C")[:1]
        excuse = absent[rng.random(len(absent)) < 0.05]
        if not len(excuse):
            excuse = absent[:1]
        present = np.setdiff1d(absent[rng.random(len(absent)) < 0.015], excuse)
        attended, late, category = attended.copy(), late.copy(), category.copy()
        attended[excuse], late[excuse], category[excuse] = False, False, "X"
        attended[present], category[present] = True, "P"
        described = [self._describe(s, week) for s in sessions]
        moved = []
        if week + 1 < self.term.weeks:
            groups = [k for k, s in enumerate(sessions)
                      if s.group >= 0 and not s.night_lab and not self._quiet(s.module, week + 1)]  # fmt: skip
            if groups:
                k = groups[int(rng.integers(len(groups)))]
                described[k] = self._describe(sessions[k], week + 1, shift=7)
                moved = np.flatnonzero(ses == k).tolist()
        rows = np.unique(np.concatenate([excuse, present, np.array(moved, dtype=np.int64)]))
        lines = self._lines(stu[rows], ses[rows], attended[rows], late[rows], category[rows], described)
        out.write(f"seats/attendance_{self.term.date(7 * week + 9)}.tsv", HEADER, lines, "seats")


def correction_week(term: Term) -> int:
    """The week whose rows the correction file re-states (its file lands after the term's middle)."""
    return max(0, (term.weeks + 1) // 2 - 1)
