"""`leap generate`: a seeded synthetic university, written into a landing zone in the formats of
sources.md, in the order a real term would land it (extract, a week of Moodle days, that week's
attendance file, the next extract, ...)."""

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from leap_assets.synthetic import calibration as cal
from leap_assets.synthetic import reading_week as rw
from leap_assets.synthetic.assessments import build_assessments
from leap_assets.synthetic.attendance import Attendance, correction_week
from leap_assets.synthetic.outcomes import module_results
from leap_assets.synthetic.sits import HEADERS, AssessmentSnapshots, build_tables
from leap_assets.synthetic.structure import Structure, build_staff, build_structure, hire, school_slug
from leap_assets.synthetic.students import NEVER, Students, build_students
from leap_assets.synthetic.timeline import Term
from leap_assets.synthetic.vle import Moodle
from leap_assets.synthetic.writer import Output

NOTES = (
    "Remote study agreed with the Senior Tutor",
    "Health: studying remotely, reviewed monthly",
    "Placement abroad, modules online only",
    'Caring responsibilities; "online until further notice"',
)


@dataclass
class GenerationSummary:
    """What `generate` wrote."""

    landing: Path
    files_written: int
    bytes_written: int
    rows: dict[str, int]  # data rows (headers excluded) per source: sits, seats, moodle, schools
    seconds: float
    period_code: str
    academic_year: str
    first_week_start: dt.date
    last_week_start: dt.date
    students: int
    weeks: int
    seed: int
    moodle_countable_rows: int  # student learning events on module courses (LEAP counts them once mapped)
    reading_week: rw.ReadingWeek | None = None  # one department's week without teaching (reading_week.py)
    reading_week_seats_rows: int = 0  # SEAtS rows its sessions would have had


def _check(students: int, weeks: int, start: dt.date, seed: int) -> None:
    if not isinstance(start, dt.date) or isinstance(start, dt.datetime):
        raise ValueError(f"start must be a date (got {start!r}).")
    if start.weekday() != 0:
        raise ValueError(f"start must be a Monday, but {start.isoformat()} is a {start:%A}.")
    if students < 10:
        raise ValueError(f"students must be at least 10 (got {students}).")
    if weeks < 1:
        raise ValueError(f"weeks must be at least 1 (got {weeks}).")
    if seed < 0:
        raise ValueError(f"seed must be zero or a positive whole number (got {seed}).")


def _people(seed: int, structure: Structure, st: Students) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Staff, personal and module tutors, then Moodle user ids: (students, visitors, staff)."""
    rng = np.random.default_rng([seed, 3])
    dept = structure.course_dept[st.course]
    staff = build_staff(rng, structure, np.bincount(dept, minlength=len(structure.dept_code)))
    structure.staff = staff
    tutor = np.zeros(st.n, dtype=np.int64)
    for d in range(len(structure.dept_code)):
        who = np.flatnonzero(dept == d)
        tutor[who] = rng.choice(staff.academics(d), len(who))
    st.tutor = tutor
    structure.mod_tutor = np.array([rng.choice(staff.academics(int(d))) for d in structure.mod_dept])
    changing = np.flatnonzero(st.new_tutor != NEVER)
    for i, s in enumerate(changing.tolist()):
        d = int(dept[s])
        if i == 0:  # a new lecturer takes over a tutee from the change on
            st.new_tutor[s] = hire(staff, rng, d, int(structure.dept_school[d]), st.change_day)
        else:
            others = [a for a in staff.academics(d).tolist() if a != tutor[s]] or [int(tutor[s])]
            st.new_tutor[s] = int(rng.choice(others))
    visitors = max(2, round(cal.VISITOR_SHARE * st.n))
    total = st.n + visitors + len(staff.staff_id)
    uid = rng.choice(4 * total, total, replace=False) + 20_000  # below: admins, staff of years past
    return uid[: st.n], uid[st.n : st.n + visitors], uid[st.n + visitors :]


def _school_lists(out: Output, term: Term, structure: Structure, st: Students, seed: int) -> None:
    rng = np.random.default_rng([seed, 8])
    listed = np.flatnonzero(st.online_from != NEVER)
    school = structure.dept_school[structure.course_dept[st.course]]
    for n, k in enumerate(np.unique(school[listed]).tolist()):
        lines = []
        for s in listed[school[listed] == k].tolist():
            start = st.online_from[s]
            since = term.date(start) if start > 0 else term.start - dt.timedelta(days=int(rng.integers(0, 90)))
            until = "" if st.online_to[s] == NEVER else str(term.date(st.online_to[s]))
            note = NOTES[int(rng.integers(len(NOTES)))]
            quoted = f'"{note.replace(chr(34), chr(34) * 2)}"' if any(c in note for c in ',"') else note
            lines.append(f"{st.sid[s]},{since},{until},{quoted}")
        name = f"schools/online_only_{school_slug(structure.schools[k])}.csv"
        # Schools keep these in Excel: the first list is saved as "CSV UTF-8", with a BOM.
        out.write(name, ("STUDENT_ID", "FROM_DATE", "TO_DATE", "NOTE"), lines, "schools", sep=",",
                  newline="\r\n", bom=n == 0)  # fmt: skip


def generate(
    landing: Path,
    students: int,
    weeks: int,
    start: dt.date,
    seed: int,
    progress: Callable[[int, int], None] | None = None,
    reading_week: bool = True,
) -> GenerationSummary:
    """Write a synthetic term of `weeks` weeks from Monday `start` for `students` students under `landing`.

    Deterministic: the same arguments write byte-identical files. `progress(done, total)` is called
    after each file or extract folder. A term of six weeks or more has a reading week in one
    department (`reading_week.py`) unless `reading_week` is False.
    """
    _check(students, weeks, start, seed)
    began = time.perf_counter()
    term = Term(start, weeks)
    structure = build_structure(np.random.default_rng([seed, 1]), term)
    st = build_students(np.random.default_rng([seed, 2]), term, structure, students)
    student_uid, visitor_uid, staff_uid = _people(seed, structure, st)
    reading = rw.choose(term, structure) if reading_week else None
    asm = build_assessments(np.random.default_rng([seed, 4]), term, structure, st)
    results = module_results(np.random.default_rng([seed, 9]), term, st)
    tables = build_tables(term, structure, st, asm, student_uid, results)
    assessments = AssessmentSnapshots(term, st, asm)
    attendance = Attendance(np.random.default_rng([seed, 5]), term, structure, st, reading)
    moodle = Moodle(seed, term, structure, st, asm, student_uid, visitor_uid, staff_uid, reading)
    out = Output(Path(landing))
    total = len(term.extract_days) + term.days + weeks + 2
    done = 0

    def step() -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, total)

    def extract(day: int) -> None:
        files = {
            f"{name}.tsv": (
                header,
                assessments.at(day) if name == "studentassessmentinstance" else tables[name].at(day),
            )
            for name, header in HEADERS.items()
        }
        out.write_folder(f"sits/{term.date(day)}", files, "sits")
        step()

    _school_lists(out, term, structure, st, seed)
    step()
    extract(term.extract_days[0])
    corrected = correction_week(term)
    for week in range(weeks):
        for day in range(7 * week, 7 * week + 7):
            moodle.write_day(out, day)
            step()
        attendance.write_week(out, week, keep=week == corrected)
        step()
        extract(7 * week + 7)
        if week == corrected:
            attendance.write_correction(out)
            step()
    return GenerationSummary(
        landing=Path(landing),
        files_written=out.files,
        bytes_written=out.bytes,
        rows={source: out.rows[source] for source in ("sits", "seats", "moodle", "schools")},
        seconds=time.perf_counter() - began,
        period_code=term.period_code,
        academic_year=term.academic_year,
        first_week_start=term.start,
        last_week_start=term.date(7 * (weeks - 1)),
        students=students,
        weeks=weeks,
        seed=seed,
        moodle_countable_rows=moodle.qualifying,
        reading_week=reading,
        reading_week_seats_rows=attendance.reading_rows,
    )
