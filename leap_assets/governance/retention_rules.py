"""What each retention target holds and which day each of its rows or files describes.

The day a row or file describes (README "Retention"):

- landed files: the data date in the name: `sits/<extract date>/`, `seats/attendance_<date>.tsv`,
  `moodle/logstore_<date>.csv`, `returns/<week_start>/` (a SITS extract and a week of returns go as
  whole folders); their `meta.landed_files` rows go with them;
- raw SITS tables (and `raw.sits_extracts`): the extract date (the snapshot goes as a whole);
- raw SEAtS and Moodle rows: the event's local date (`start_date`, `event_date`), else the file's date;
- quarantined rows: the data date of the file they came from;
- `marts.engagement_weekly`, `marts.data_quality_results`, `marts.report_status`, published
  `publish/<week_start>/`: the week;
- `marts.contacts`: the contact date, else the report week;
- `meta.access_log`: the local date of the access.

School online-only lists, the privacy ledger, the suppression list, rectifications, releases of held
reports (meta.quality_releases, a governance record) and meta.purges hold no dated activity and are
outside retention (README "Retention").
"""

import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from leap_assets.warehouse.schema import SITS_TABLES

DATE = r"(\d{4}-\d{2}-\d{2})"
# Landed paths (relative to the landing zone) and the data date each carries.
LANDED = {
    "sits": re.compile(rf"sits/{DATE}/[^/]+"),
    "seats": re.compile(rf"seats/attendance_{DATE}\.tsv"),
    "moodle": re.compile(rf"moodle/logstore_{DATE}\.csv"),
    "returns": re.compile(rf"returns/{DATE}/[^/]+"),
}
# What the landing archive holds per source: dated folders, or dated files in a folder.
FOLDERS = {"sits": re.compile(DATE), "returns": re.compile(DATE)}
FILES = {"seats": re.compile(rf"attendance_{DATE}\.tsv"), "moodle": re.compile(rf"logstore_{DATE}\.csv")}
WEEK_FOLDER = re.compile(DATE)


@dataclass(frozen=True)
class TableRule:
    """One warehouse table under retention: whose period applies and the day each row describes."""

    layer: str  # as recorded in meta.purges
    table: str  # schema.table
    target: str | None  # the `layer.target` whose period applies (None: the layer's)
    day: str  # SQL: the day a row describes; `$zone` is the local time zone

    def params(self, cutoff: date, zone: str) -> dict:
        """Query parameters of `{day} < $cutoff`."""
        return {"cutoff": cutoff, "zone": zone} if "$zone" in self.day else {"cutoff": cutoff}


TABLE_RULES = [
    *(TableRule("raw", f"raw.sits_{name}", "sits", "extract_date") for name in [*SITS_TABLES, "extracts"]),
    TableRule("raw", "raw.seats_attendance", "seats_attendance", "coalesce(start_date, file_date)"),
    TableRule("raw", "raw.moodle_log", "moodle_log", "coalesce(event_date, file_date)"),
    TableRule("marts", "marts.engagement_weekly", "engagement_weekly", "week_start"),
    TableRule("marts", "marts.data_quality_results", "data_quality_results", "week_start"),
    TableRule("marts", "marts.report_status", "report_status", "week_start"),
    TableRule("contacts", "marts.contacts", None, "coalesce(contact_date, week_start)"),
    TableRule("access_log", "meta.access_log", None, "cast(timezone($zone, accessed_at) as date)"),
]

# Tables whose rows follow the file they were landed from: table -> column holding the landed path.
FILE_TABLES = {"quarantine.rows": "_source_file", "meta.landed_files": "path"}


def local_today(zone: str) -> date:
    """Today on the local calendar (the clock the tests move)."""
    return datetime.now(ZoneInfo(zone)).date()


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def landed_date(rel: str) -> tuple[str, date] | None:
    """(source, data date) of a landed path such as `moodle/logstore_2026-09-14.csv`; None when undated."""
    for source, pattern in LANDED.items():
        match = pattern.fullmatch(rel)
        if match and (day := _date(match.group(1))):
            return source, day
    return None


@dataclass(frozen=True)
class ArchiveItem:
    """A landed file or folder, or a published week folder, with the day it describes."""

    layer: str  # landing | publish
    target: str  # the source (landing) or the week folder (publish)
    path: Path
    day: date

    def files(self) -> int:
        if self.path.is_dir() and not self.path.is_symlink():
            return sum(1 for p in self.path.rglob("*") if not p.is_dir() or p.is_symlink())
        return 1


def landing_items(landing: Path) -> list[ArchiveItem]:
    """Every dated item of the landing archive that LEAP manages (other names are not LEAP's)."""
    items = []
    for source, pattern in FOLDERS.items():
        items += _dated(landing / source, pattern, lambda p: p.is_dir(), "landing", source)
    for source, pattern in FILES.items():
        items += _dated(landing / source, pattern, lambda p: p.is_file(), "landing", source)
    return items


def publish_items(publish: Path) -> list[ArchiveItem]:
    """The published week folders `publish/<week_start>/`."""
    return _dated(publish, WEEK_FOLDER, lambda p: p.is_dir(), "publish", None)


def _dated(folder: Path, pattern: re.Pattern, kind, layer: str, target: str | None) -> list[ArchiveItem]:
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.iterdir()):
        match = pattern.fullmatch(path.name)
        day = _date(match.group(1)) if match else None
        if day and kind(path):
            found.append(ArchiveItem(layer, target or path.name, path, day))
    return found
