"""The source contracts as plain data: what LEAP reads from each file of each source (required and
optional fields, sources.md), and which registry entry a landed path falls under.

One low module that ingestion (what to read), governance (what the source registry may list, and the
transparency page) and privacy (requests.csv) all read, so the code and the registry cannot drift
apart unseen. The registry (config/sources.yml) may list only fields named here, and must list every
required one, or the source is unusable. Of LEAP it imports only the warehouse's SITS table layout.
"""

import re
from dataclasses import dataclass
from functools import cache

from leap_assets.warehouse.schema import SITS_TABLES

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


SITS_REQUIRED: dict[str, tuple[str, ...]] = {
    "student": ("student_id",),
    "course": ("course_id", "title", "inst_tier_1", "x_level"),
    "studentcoursemembership": (
        "student_course_membership_id",
        "student_id",
        "course_id",
        "active_membership",
        "course_join_date",
    ),
    "module": ("mod_id", "mod_name"),
    "moduleinstance": ("mod_instance_id", "mod_id", "mod_academic_year"),
    "studentmoduleinstance": ("student_id", "mod_instance_id", "mod_start_date", "mod_end_date"),
    "assessmentinstance": ("assess_instance_id", "mod_instance_id"),
    "studentassessmentinstance": ("student_id", "assess_instance_id", "assess_seq_id", "assess_due_date"),
    "staff": ("staff_id",),
    "stafflink": ("staff_id", "property_name", "property_value", "relationship"),
    "studentidmap": ("student_id", "domain", "identifier"),
    "modulemap": ("mod_instance_id", "module_map_domain", "domain_mapped_id"),
    "period": ("period_code", "academic_year", "period_name", "period_start_date", "period_end_date"),
}


def sits_optional(name: str) -> tuple[str, ...]:
    """The columns of a SITS file the code reads but can do without (the rest of its UDD columns)."""
    return tuple(column for column, _ in SITS_TABLES[name] if column not in SITS_REQUIRED[name])


SEATS = FileContract(
    required=("student_id", "event_id", "event_mandatory", "start_time", "event_attended"),
    optional=(
        "event_name",
        "event_type",
        "event_type_description",
        "end_time",
        "attendance_late",
        "attendance_category",
        "mod_instance_id",
        "staff_id",
    ),
)
# realuserid decides the learning-activity filter ("logged in as" events are dropped): without it
# such events would be kept, so the registry cannot leave it out.
MOODLE = FileContract(
    required=("id", "eventname", "edulevel", "userid", "courseid", "anonymous", "timecreated", "origin"),
    optional=("component", "action", "target", "crud", "contextid", "contextlevel", "contextinstanceid"),
    decisive=("realuserid",),
)
SCHOOLS = FileContract(required=("student_id", "from_date"), optional=("to_date", "note"))
REQUESTS = FileContract(
    required=("request_id", "student_id", "type", "received_date"), optional=("details", "approved_by")
)
# A returned workbook: its headers as published (outputs.md), matched case-insensitively.
CONTACT_HEADERS = ("Contacted", "Contact date", "Contact method", "Outcome", "Follow-up needed", "Notes")
RETURN_REQUIRED_HEADERS = ("Student ID", *CONTACT_HEADERS)
RETURN_OPTIONAL_HEADERS = ("School", "Week starting")


@cache
def contract() -> dict[str, dict[str, FileContract]]:
    """source -> registry file key -> what the code reads from such a file."""

    def lower(names) -> tuple[str, ...]:
        return tuple(name.lower() for name in names)

    return {
        "sits": {f"{name}.tsv": FileContract(SITS_REQUIRED[name], sits_optional(name)) for name in SITS_TABLES},
        "seats": {FILE_KEYS["seats"]: SEATS},
        "moodle": {FILE_KEYS["moodle"]: MOODLE},
        "schools": {FILE_KEYS["schools"]: SCHOOLS},
        "returns": {FILE_KEYS["returns"]: FileContract(lower(RETURN_REQUIRED_HEADERS), lower(RETURN_OPTIONAL_HEADERS))},
        "privacy": {FILE_KEYS["privacy"]: REQUESTS},
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
        return {h.lower(): h for h in [*RETURN_REQUIRED_HEADERS, *RETURN_OPTIONAL_HEADERS]}.get(name, name)
    return name.upper()


def entry_of(rel: str) -> tuple[str, str] | None:
    """(source, registry file key) of a path relative to the landing zone, or None when no entry
    governs it (not a file of the contract)."""
    for source, pattern in PATHS:
        match = pattern.fullmatch(rel)
        if match:
            return source, match.groupdict().get("file") or FILE_KEYS[source]
    return None
