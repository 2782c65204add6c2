"""The landing zone's layout (sources.md): which paths LEAP reads; anything else is ignored."""

import re
from datetime import date
from pathlib import Path

from leap_assets.warehouse.schema import SITS_TABLES

DATE = r"\d{4}-\d{2}-\d{2}"
KNOWN = [
    re.compile(rf"sits/{DATE}/({'|'.join(SITS_TABLES)})\.tsv"),
    re.compile(rf"seats/attendance_{DATE}\.tsv"),
    re.compile(rf"moodle/logstore_{DATE}\.csv"),
    re.compile(r"schools/online_only_[^/]+\.csv"),
    re.compile(rf"returns/{DATE}/[^/]+\.xlsx"),
    re.compile(r"privacy/requests\.csv"),
]
SEATS_NAME = re.compile(r"attendance_(\d{4}-\d{2}-\d{2})\.tsv")
MOODLE_NAME = re.compile(r"logstore_(\d{4}-\d{2}-\d{2})\.csv")
EXTRACT_FOLDER = re.compile(DATE)


def ignored_files(landing: Path) -> list[str]:
    """Files in the landing zone outside the folders and names of the contract."""
    if not landing.exists():
        return []
    found = []
    for path in sorted(p for p in landing.rglob("*") if p.is_file()):
        rel = path.relative_to(landing).as_posix()
        if not any(pattern.fullmatch(rel) for pattern in KNOWN):
            found.append(rel)
    return found


def name_date(path: Path, name: re.Pattern) -> date | None:
    """The date a file's name carries (`name` has it as group 1), or None when it is not the contract's."""
    match = name.fullmatch(path.name)
    try:
        return date.fromisoformat(match.group(1)) if match else None
    except ValueError:
        return None


def dated_files(folder: Path, name: re.Pattern) -> list[Path]:
    """The files of `folder` named as the contract says (a real date in the name); others are ignored."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and name_date(p, name))


def extract_date(folder: Path) -> date | None:
    """The date a SITS folder is named after, or None when its name is not a valid `YYYY-MM-DD`."""
    if not EXTRACT_FOLDER.fullmatch(folder.name):
        return None
    try:
        return date.fromisoformat(folder.name)
    except ValueError:
        return None


def extracts(landing: Path) -> dict[date, Path]:
    """The SITS extract folders, by date, oldest first."""
    root = landing / "sits"
    if not root.is_dir():
        return {}
    found = {}
    for folder in root.iterdir():
        day = extract_date(folder) if folder.is_dir() else None
        if day:
            found[day] = folder
    return dict(sorted(found.items()))


def files_of(folder: Path) -> list[Path]:
    """The known files present in an extract folder; any other name is ignored."""
    return [folder / f"{name}.tsv" for name in SITS_TABLES if (folder / f"{name}.tsv").is_file()]


def school_lists(landing: Path) -> list[Path]:
    return sorted((landing / "schools").glob("online_only_*.csv"))


def returned_workbooks(landing: Path) -> list[Path]:
    """Returned workbooks (returns/<week_start>/*.xlsx); Excel's own lock files (`~$...`) and hidden
    files are not returns."""
    return sorted(
        p
        for p in (landing / "returns").glob("*/*.xlsx")
        if EXTRACT_FOLDER.fullmatch(p.parent.name) and not p.name.startswith(("~$", ".")) and p.is_file()
    )


def source_files(landing: Path) -> dict[str, list[Path]]:
    """The files of each source system (sits, seats, moodle, schools) that its ingestion reads."""
    return {
        "sits": [path for folder in extracts(landing).values() for path in files_of(folder)],
        "seats": dated_files(landing / "seats", SEATS_NAME),
        "moodle": dated_files(landing / "moodle", MOODLE_NAME),
        "schools": school_lists(landing),
    }
