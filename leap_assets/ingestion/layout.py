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
