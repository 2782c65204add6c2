"""The academic calendar (validity.md, "The academic calendar"): non-teaching weeks known in advance.

`LEAP_CALENDAR_FILE` names the file (default `config/calendar.yml`). Its format is fixed so that IT can
keep it by hand and tools can write it:

    non_teaching:
      - week: 2026-11-02        # the report week's Monday
        scope: module           # university | school | department | module
        name: HIS101-2026       # school (INST_TIER_1), department (INST_TIER_2), module instance id,
                                # or a module code prefix ending in * (HIS*); absent for university
        reason: Reading week

A volume or coverage check does not judge a scope in its non-teaching week. A missing default file is
an empty calendar; a named file that is missing, or a mistake in the file, is one sentence naming the
file and the entry at fault.
"""

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml

from leap_assets.config_files import read_yaml
from leap_assets.settings import config_path, settings

DEFAULT_CALENDAR_FILE = "config/calendar.yml"
SCOPES = ("university", "school", "department", "module")


class CalendarError(ValueError):
    """The calendar file cannot be used: the message is one sentence naming the file and the entry."""


@dataclass(frozen=True)
class NonTeachingWeek:
    week: date
    scope: str
    name: str | None
    reason: str

    def covers_module(self, module: str) -> bool:
        """Whether a module instance id falls under a `module` entry (exact id, or a code prefix with *)."""
        if self.scope != "module" or self.name is None:
            return False
        if self.name.endswith("*"):
            return module.startswith(self.name[:-1])
        return module == self.name

    def label(self) -> str:
        where = "the whole university" if self.scope == "university" else f"{self.scope} {self.name}"
        return f"{where}: {self.reason}"


@dataclass(frozen=True)
class Calendar:
    entries: tuple[NonTeachingWeek, ...] = ()
    path: Path | None = None

    def in_week(self, week: date) -> list[NonTeachingWeek]:
        return [entry for entry in self.entries if entry.week == week]

    def university_closed(self, week: date) -> bool:
        return any(entry.scope == "university" for entry in self.in_week(week))

    def teaching(self, week: date, school: str | None = None, department: str | None = None) -> bool:
        """Whether a school (and department) teaches in `week`: no university, school or department entry."""
        for entry in self.in_week(week):
            if entry.scope == "university":
                return False
            if entry.scope == "school" and school is not None and entry.name == school:
                return False
            if entry.scope == "department" and department is not None and entry.name == department:
                return False
        return True

    def module_teaching(self, week: date, module: str, school: str | None, department: str | None) -> bool:
        """Whether a module instance (owned by `school` and `department`) teaches in `week`."""
        if not self.teaching(week, school, department):
            return False
        return not any(entry.covers_module(module) for entry in self.in_week(week))


def calendar_file() -> tuple[Path, bool]:
    """The calendar's path, and whether it was named explicitly (LEAP_CALENDAR_FILE)."""
    return config_path(settings().calendar_file, DEFAULT_CALENDAR_FILE)


def load_calendar(path: Path | None = None, named: bool = True) -> Calendar:
    """Read and validate the calendar; a missing default file is an empty calendar."""
    if path is None:
        path, named = calendar_file()
    if not path.exists():
        if named:
            raise CalendarError(f"the calendar file {path} (LEAP_CALENDAR_FILE) does not exist")
        return Calendar((), None)
    values = read_yaml(path, "calendar file", CalendarError)
    return Calendar(tuple(parse_entries(values, path)), path)


def parse_entries(values: object, path: Path) -> list[NonTeachingWeek]:
    if values is None:
        return []
    if not isinstance(values, dict) or set(values) - {"non_teaching"}:
        extra = sorted(set(values) - {"non_teaching"}) if isinstance(values, dict) else []
        what = f"has an unknown key {extra[0]!r}" if extra else "must be a mapping with the key non_teaching"
        raise CalendarError(f"the calendar file {path} {what}")
    items = values.get("non_teaching") or []
    if not isinstance(items, list):
        raise CalendarError(f"the calendar file {path}: non_teaching must be a list of weeks")
    return [_entry(item, number, path) for number, item in enumerate(items, start=1)]


def _entry(item: object, number: int, path: Path) -> NonTeachingWeek:
    where = f"the calendar file {path}, non_teaching entry {number}"
    if not isinstance(item, dict):
        raise CalendarError(f"{where} must be a mapping with week, scope, name and reason")
    unknown = sorted(set(item) - {"week", "scope", "name", "reason"})
    if unknown:
        raise CalendarError(f"{where} has an unknown key {unknown[0]!r} (allowed: week, scope, name, reason)")
    week = item.get("week")
    if isinstance(week, str):
        try:
            week = date.fromisoformat(week)
        except ValueError:
            raise CalendarError(f"{where}: week must be a date as YYYY-MM-DD, not {week!r}") from None
    if not isinstance(week, date):
        raise CalendarError(f"{where}: week must be a date as YYYY-MM-DD")
    if week.weekday() != 0:
        raise CalendarError(f"{where}: week must be the report week's Monday; {week} is a {week:%A}")
    scope = item.get("scope")
    if scope not in SCOPES:
        raise CalendarError(f"{where}: scope must be one of {', '.join(SCOPES)}, not {scope!r}")
    name = item.get("name")
    if scope == "university":
        if name not in (None, ""):
            raise CalendarError(f"{where}: a university entry has no name")
        name = None
    elif not isinstance(name, str | int) or not str(name).strip():
        raise CalendarError(f"{where}: a {scope} entry needs a name")
    reason = item.get("reason")
    if not isinstance(reason, str) or not reason.strip():
        raise CalendarError(f"{where}: reason must say why the week is not taught (e.g. Reading week)")
    return NonTeachingWeek(week, scope, None if name is None else str(name).strip(), reason.strip())


def dump_entries(entries: list[NonTeachingWeek]) -> str:
    """The calendar file's text for these entries, in the fixed format (for tools that write it)."""
    items = []
    for entry in sorted(entries, key=lambda e: (e.week, e.scope, e.name or "")):
        item: dict = {"week": entry.week.isoformat(), "scope": entry.scope}
        if entry.name is not None:
            item["name"] = entry.name
        item["reason"] = entry.reason
        items.append(item)
    return yaml.safe_dump({"non_teaching": items}, sort_keys=False, allow_unicode=True)
