"""A reading week in one department: no sessions for a week in mid-term, and quieter Moodle.

UK universities stop teaching for a week around week 6 or 7 of a term. The generator gives one
department that week, so the demo shows a department's SEAtS rows dropping to zero in an ordinary
week (and the academic calendar listing it, validity.md). The rule is fixed, not drawn:

- the week: term week `weeks // 2 + 1` (0-based; week 7 of a 10-week term), only in a term of at
  least six weeks (a shorter term has none, so it keeps weeks before and after the break);
- the department: the first department, by name, of the first school, by name (Accounting & Finance,
  in the Business School), whatever the seed, so the demo's calendar entry never moves.

Module instance ids of a department start with its code (ACF1000-2627-AUT), so the drop shows as one
subject (module code prefix) as well as one department (SITS course.tsv INST_TIER_2).
"""

import datetime as dt
from dataclasses import dataclass
from itertools import takewhile
from pathlib import Path

import numpy as np

from leap_assets.quality.calendar import CalendarError, NonTeachingWeek, calendar_file, dump_entries, load_calendar
from leap_assets.synthetic.structure import Structure
from leap_assets.synthetic.timeline import Term

MIN_WEEKS = 6
REASON = "Reading week"


@dataclass(frozen=True)
class ReadingWeek:
    """The week (term week index and its Monday) in which one department does not teach."""

    week: int
    monday: dt.date
    department: int
    department_code: str
    department_name: str  # INST_TIER_2, as SITS course.tsv writes it
    school: str  # INST_TIER_1
    modules: frozenset[int]  # module indices of the department (undergraduate and postgraduate)

    def entry(self) -> NonTeachingWeek:
        """The calendar's entry for this week (scope department)."""
        return NonTeachingWeek(self.monday, "department", self.department_name, REASON)

    def quiet(self, module: int, week: int) -> bool:
        """Whether module `module` has its reading week in term week `week`."""
        return week == self.week and module in self.modules


def reading_week_index(weeks: int) -> int | None:
    """The term week (0-based) of the reading week, or None in a term shorter than six weeks."""
    return weeks // 2 + 1 if weeks >= MIN_WEEKS else None


def choose(term: Term, structure: Structure) -> ReadingWeek | None:
    """The term's reading week, by the rule of this module's docstring."""
    week = reading_week_index(term.weeks)
    if week is None:
        return None
    school = min(range(len(structure.schools)), key=lambda k: structure.schools[k])
    in_school = [d for d in range(len(structure.dept_name)) if structure.dept_school[d] == school]
    dept = min(in_school, key=lambda d: structure.dept_name[d])
    modules = np.flatnonzero(structure.mod_dept == dept).tolist()
    code = structure.dept_code[dept]
    # The quality check sees a subject by its module code prefix: every module must carry the code.
    wrong = [structure.mod_instance[m] for m in modules if not structure.mod_instance[m].startswith(code)]
    if wrong:
        raise RuntimeError(f"module instance {wrong[0]} of department {code} does not start with its code")
    return ReadingWeek(week, term.date(7 * week), dept, code, structure.dept_name[dept],
                       structure.schools[school], frozenset(modules))  # fmt: skip


def list_in_calendar(path: Path, entry: NonTeachingWeek) -> bool:
    """Add `entry` to the calendar file at `path` (created if missing), keeping its other entries and
    its leading comments; False if the file already lists it (the file is then left untouched)."""
    path = Path(path)
    existing = list(load_calendar(path, named=False).entries)
    if entry in existing:
        return False
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    header = "".join(takewhile(lambda line: line.startswith("#"), text.splitlines(keepends=True)))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(header + dump_entries([*existing, entry]), encoding="utf-8")
    return True


def announce(reading: ReadingWeek | None, seats_rows: int, calendar: Path | None) -> str | None:
    """What `leap generate` says of the reading week; with `calendar`, it is listed in that file first.

    Raises CalendarError if the calendar file exists but cannot be read.
    """
    if reading is None:
        return f"No reading week in this term; {calendar} is unchanged." if calendar is not None else None
    entry = reading.entry()
    what = (f"Reading week {reading.monday}: {reading.department_name} ({reading.school}) has no sessions "
            f"({seats_rows:,} SEAtS rows fewer) and about half its Moodle activity")  # fmt: skip
    if calendar is not None:
        added = list_in_calendar(calendar, entry)
        return f"{what}; {'listed' if added else 'already listed'} in the academic calendar {calendar}."
    path, named = calendar_file()
    try:
        if entry in load_calendar(path, named).entries:
            return f"{what}; listed in the academic calendar {path}."
    except CalendarError:
        pass  # the hint below is all this command can give; the quality gate names the fault
    lines = "".join(f"    {line}\n" for line in dump_entries([entry]).splitlines()[1:])
    return (
        f"{what}. The academic calendar {path} does not list it: run again with --calendar {path}, or add\n"
        f"{lines.rstrip()}\nunder non_teaching:, or the quality gate will hold {reading.school} that week."
    )
