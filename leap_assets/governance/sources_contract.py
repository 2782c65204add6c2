"""What LEAP can read from each file of each source, and which registry entry a landed path falls under.

The registry (config/sources.yml) may list only fields the code can read, so the transparency page
says exactly what is used; it must list every field the code requires, or the source is unusable.
The lists come from the ingestion modules themselves (imported when first needed: they import the
reading core, which consults the registry), so the code and the registry cannot drift apart unseen.
"""

import re
from dataclasses import dataclass
from functools import cache

SOURCES = ("sits", "seats", "moodle", "schools", "returns", "privacy")
DATE = r"\d{4}-\d{2}-\d{2}"

# Registry file keys of the sources with one kind of file, and the landing paths they govern.
FILE_KEYS = {
    "seats": "attendance_<YYYY-MM-DD>.tsv",
    "moodle": "logstore_<YYYY-MM-DD>.csv",
    "schools": "online_only_<name>.csv",
    "returns": "<week_start>/<any name>.xlsx",
    "privacy": "requests.csv",
}
PATHS = [
    ("sits", re.compile(rf"sits/{DATE}/(?P<file>[a-z]+\.tsv)")),
    ("seats", re.compile(rf"seats/attendance_{DATE}\.tsv")),
    ("moodle", re.compile(rf"moodle/logstore_{DATE}\.csv")),
    ("schools", re.compile(r"schools/online_only_[^/]+\.csv")),
    ("returns", re.compile(rf"returns/{DATE}/[^/]+\.xlsx")),
    ("privacy", re.compile(r"privacy/requests\.csv")),
]


@dataclass(frozen=True)
class FileContract:
    """Field names in lower case. `required`: the code cannot load the file without them. `decisive`:
    optional in a file, but deciding what is kept, so the registry must list them too."""

    required: tuple[str, ...]
    optional: tuple[str, ...]
    decisive: tuple[str, ...] = ()

    @property
    def known(self) -> tuple[str, ...]:
        return (*self.required, *self.optional)

    @property
    def must_list(self) -> tuple[str, ...]:
        return (*self.required, *self.decisive)


@cache
def contract() -> dict[str, dict[str, FileContract]]:
    """source -> registry file key -> what the code reads from such a file."""
    from leap_assets.ingestion import moodle, schools, seats, sits_rules
    from leap_assets.privacy import requests
    from leap_assets.reporting import returned
    from leap_assets.warehouse.schema import SITS_TABLES

    def lower(names) -> tuple[str, ...]:
        return tuple(name.lower() for name in names)

    return {
        "sits": {
            f"{name}.tsv": FileContract(lower(sits_rules.REQUIRED[name]), lower(sits_rules.optional(name)))
            for name in SITS_TABLES
        },
        "seats": {FILE_KEYS["seats"]: FileContract(lower(seats.REQUIRED), lower(seats.OPTIONAL))},
        # realuserid decides the learning-activity filter ("logged in as" events are dropped): without it
        # such events would be kept, so the registry cannot leave it out.
        "moodle": {FILE_KEYS["moodle"]: FileContract(lower(moodle.REQUIRED), lower(moodle.OPTIONAL), ("realuserid",))},
        "schools": {FILE_KEYS["schools"]: FileContract(lower(schools.REQUIRED), lower(schools.OPTIONAL))},
        "returns": {FILE_KEYS["returns"]: FileContract(lower(returned.REQUIRED), ("school", "week starting"))},
        "privacy": {FILE_KEYS["privacy"]: FileContract(lower(requests.REQUIRED), lower(requests.OPTIONAL))},
    }


def known_fields(source: str, file_key: str) -> tuple[str, ...]:
    """Every field the code can read from the file, with the Moodle filter's realuserid."""
    spec = contract()[source][file_key]
    return (*spec.known, *spec.decisive)


def display(source: str, name: str) -> str:
    """A lower-case field name as the source writes it (upper case, Moodle's lower case, report headers)."""
    if source == "moodle":
        return name
    if source == "returns":
        from leap_assets.reporting.returned import REQUIRED

        return {h.lower(): h for h in [*REQUIRED, "School", "Week starting"]}.get(name, name)
    return name.upper()


def entry_of(rel: str) -> tuple[str, str] | None:
    """(source, registry file key) of a path relative to the landing zone, or None when no entry
    governs it (not a file of the contract)."""
    for source, pattern in PATHS:
        match = pattern.fullmatch(rel)
        if match:
            return source, match.groupdict().get("file") or FILE_KEYS[source]
    return None
