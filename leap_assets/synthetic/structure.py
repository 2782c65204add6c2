"""The university's shape: schools, departments, courses, modules (with their Moodle courses) and staff.

Each department runs two undergraduate courses and one postgraduate course. Each undergraduate year
takes four modules this term: one shared by the department's courses and three of the course's own;
a postgraduate course takes four. Some modules run for half of the term only.
"""

import unicodedata
from dataclasses import dataclass, field

import numpy as np

from leap_assets.synthetic import names
from leap_assets.synthetic.timeline import Term

FOUNDATION_TITLE = "Foundation Year in Science & Technology"
# Moodle courses that no module maps to (site-wide spaces students use too).
SITE_COURSES = {"Library & Learning Skills": 1001, "Student Hub": 1002}


def ascii_slug(text: str, keep: str = "") -> str:
    """Lower-case ASCII letters and digits (plus `keep`), for e-mail addresses and usernames."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in plain.lower() if ch.isalnum() or ch in keep)


def school_slug(school: str) -> str:
    """`School of Health & Psychological Sciences` -> `health-and-psychological-sciences`."""
    text = school.removeprefix("School of ").replace("&", "and").lower()
    return "-".join("".join(ch if ch.isalnum() else " " for ch in text).split())


@dataclass
class Structure:
    """Departments, courses and module instances of one term, as parallel lists and arrays."""

    schools: list[str]
    dept_code: list[str]
    dept_name: list[str]
    dept_school: np.ndarray
    dept_group_type: list[str]
    course_id: list[str]
    course_title: list[str]
    course_dept: np.ndarray
    course_pg: np.ndarray
    foundation_course: int
    mod_id: list[str]
    mod_name: list[str]
    mod_instance: list[str]
    mod_dept: np.ndarray
    mod_pg: np.ndarray
    mod_start: np.ndarray  # first term day the module runs
    mod_end: np.ndarray  # last term day (inclusive)
    mod_moodle: np.ndarray  # Moodle course id
    modules_of: dict[tuple[int, int], list[int]]  # (course, year of study) -> module indices
    shared_moodle_pair: tuple[int, int]  # two module instances on one Moodle course
    late_mapped_module: int  # its modulemap row arrives a week after its first events
    staff: "Staff | None" = None
    mod_tutor: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))

    @property
    def course_level(self) -> list[str]:
        """X_LEVEL of each course."""
        return ["PG" if pg else "UG" for pg in self.course_pg]

    def ug_courses(self) -> np.ndarray:
        """Undergraduate degree courses students are on now (not the foundation year)."""
        index = np.arange(len(self.course_id))
        return index[~self.course_pg & (index != self.foundation_course)]


def build_structure(rng: np.random.Generator, term: Term) -> Structure:
    """Departments, courses, modules and Moodle course ids for `term`."""
    schools, codes, dnames, dschool, gtypes = [], [], [], [], []
    cid, ctitle, cdept, cpg = [], [], [], []
    mid, mname, minst, mdept, mpg, mstart, mend = [], [], [], [], [], [], []
    modules_of: dict[tuple[int, int], list[int]] = {}
    half = term.weeks >= 4

    def add_module(code: str, name: str, dept: int, pg: bool, may_be_half: bool) -> int:
        start, end = 0, term.days - 1
        if half and may_be_half and rng.random() < 0.15:
            start, end = (0, term.middle - 1) if rng.random() < 0.5 else (term.middle, term.days - 1)
        mid.append(code)
        mname.append(name)
        minst.append(f"{code}-{term.year_code}-{term.period_code}")
        mdept.append(dept)
        mpg.append(pg)
        mstart.append(start)
        mend.append(end)
        return len(mid) - 1

    for school_name, departments in names.SCHOOLS:
        schools.append(school_name)
        for code, dname, ug_titles, pg_title, group_type, topics in departments:
            dept = len(codes)
            codes.append(code)
            dnames.append(dname)
            dschool.append(len(schools) - 1)
            gtypes.append(group_type)
            ug = []
            for i, title in enumerate(ug_titles):
                cid.append(f"U{code}{i + 1:02d}")
                ctitle.append(title)
                cdept.append(dept)
                cpg.append(False)
                ug.append(len(cid) - 1)
            for year in (1, 2, 3):
                shared = add_module(f"{code}{year}000", names.SHARED_MODULE[year].format(dname), dept, False, False)
                for i, course in enumerate(ug):
                    own = [
                        add_module(
                            f"{code}{year}{i + 1}{k + 1:02d}",
                            names.MODULE_PATTERNS[year][k].format(topics[(k + 3 * i + year) % 8]),
                            dept,
                            False,
                            True,
                        )
                        for k in range(3)
                    ]
                    modules_of[(course, year)] = [shared, *own]
            cid.append(f"P{code}01")
            ctitle.append(pg_title)
            cdept.append(dept)
            cpg.append(True)
            modules_of[(len(cid) - 1, 1)] = [
                add_module(
                    f"{code}7{k + 1:03d}",
                    names.MODULE_PATTERNS[7][k].format(topics[(k + 3) % 8]),
                    dept,
                    True,
                    True,
                )
                for k in range(4)
            ]
    science = schools.index("School of Science & Technology")
    cid.append("UFND01")
    ctitle.append(FOUNDATION_TITLE)
    cdept.append(next(d for d, s in enumerate(dschool) if s == science))
    cpg.append(False)

    n_mod = len(mid)
    moodle = 1200 + np.cumsum(rng.integers(1, 6, n_mod))
    # A postgraduate module taught alongside the final-year module on the same subject shares its
    # Moodle course: one Moodle course, two module instances.
    pg_first = modules_of[(cid.index(f"P{codes[0]}01"), 1)][0]
    ug_twin = modules_of[(0, 3)][1]
    moodle[pg_first] = moodle[ug_twin]
    return Structure(
        schools=schools,
        dept_code=codes,
        dept_name=dnames,
        dept_school=np.array(dschool),
        dept_group_type=gtypes,
        course_id=cid,
        course_title=ctitle,
        course_dept=np.array(cdept),
        course_pg=np.array(cpg),
        foundation_course=len(cid) - 1,
        mod_id=mid,
        mod_name=mname,
        mod_instance=minst,
        mod_dept=np.array(mdept),
        mod_pg=np.array(mpg),
        mod_start=np.array(mstart),
        mod_end=np.array(mend),
        mod_moodle=moodle,
        modules_of=modules_of,
        shared_moodle_pair=(ug_twin, pg_first),
        late_mapped_module=modules_of[(0, 1)][0],
    )


@dataclass
class Staff:
    """Academic staff per department and professional staff per school."""

    staff_id: list[str]
    first: list[str]
    last: list[str]
    email: list[str]
    dept: np.ndarray  # -1 for school-level staff
    school: np.ndarray
    visible_from: np.ndarray  # term day from which SITS lists them (new hires)

    def academics(self, dept: int) -> np.ndarray:
        """Indices of the department's academic staff already in post."""
        return np.flatnonzero((self.dept == dept) & (self.visible_from < -7))


def build_staff(rng: np.random.Generator, structure: Structure, dept_students: np.ndarray) -> Staff:
    """Staff sized to the departments: about one academic per 28 students, at least three."""
    dept_of, school_of = [], []
    for dept, count in enumerate(dept_students):
        n = max(3, int(np.ceil(count / 28)))
        dept_of += [dept] * n
        school_of += [int(structure.dept_school[dept])] * n
    for school in range(len(structure.schools)):
        dept_of += [-1, -1]
        school_of += [school, school]
    n = len(dept_of)
    numbers = rng.choice(900_000, n, replace=False) + 100_000
    first = [str(x) for x in rng.choice(names.FEMALE + names.MALE, n)]
    last = [str(x) for x in rng.choice(names.LAST, n)]
    emails, seen = [], set()
    for f, la in zip(first, last, strict=True):
        base = f"{ascii_slug(f)}.{ascii_slug(la)}"
        k = 1
        while (candidate := base if k == 1 else f"{base}{k}") in seen:
            k += 1
        seen.add(candidate)
        emails.append(f"{candidate}@example.ac.uk")
    return Staff(
        staff_id=[f"{x:07d}" for x in numbers],
        first=first,
        last=last,
        email=emails,
        dept=np.array(dept_of),
        school=np.array(school_of),
        visible_from=np.full(n, -(10**6)),
    )


def hire(staff: Staff, rng: np.random.Generator, dept: int, school: int, day: int) -> int:
    """Add an academic who starts on term day `day` (appears in SITS from then); returns the index."""
    taken = set(staff.staff_id)
    while (number := f"{int(rng.integers(100_000, 1_000_000)):07d}") in taken:
        pass
    first, last = str(rng.choice(names.FEMALE)), str(rng.choice(names.LAST))
    staff.staff_id.append(number)
    staff.first.append(first)
    staff.last.append(last)
    staff.email.append(f"{ascii_slug(first)}.{ascii_slug(last)}.new@example.ac.uk")
    staff.dept = np.append(staff.dept, dept)
    staff.school = np.append(staff.school, school)
    staff.visible_from = np.append(staff.visible_from, day)
    return len(staff.staff_id) - 1
