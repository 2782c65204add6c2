"""Who may see which students (governance.md "Roles and what each may see"), and the access log.

Tutors are scoped by the SITS links of the week's snapshot; `site_explorer`, `admin` and `school` need a
grant in the access file (LEAP_ACCESS_FILE, default config/access.yml). Anyone else gets nothing."""

import getpass
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import yaml

from leap_assets.settings import config_path, settings

GRANTED_ROLES = ("admin", "site_explorer", "school")
DEFAULT_ACCESS_FILE = "config/access.yml"


class AccessFileError(Exception):
    """The access file cannot be read as grants: one sentence naming the file and the entry."""


@dataclass(frozen=True)
class Grant:
    staff_id: str
    role: str
    approved_by: str
    approved_on: date
    schools: tuple[str, ...] = ()


@dataclass
class Scope:
    staff_id: str
    roles: list[str] = field(default_factory=list)
    everyone: bool = False
    schools: set[str] = field(default_factory=set)
    students: set[str] = field(default_factory=set)  # named students (tutor links)

    @property
    def granted(self) -> bool:
        return bool(self.roles)

    @property
    def role(self) -> str:
        return ",".join(self.roles) or "none"


def access_file() -> tuple[Path, bool]:
    """The access file's path, and whether it was named explicitly (then it must exist)."""
    return config_path(settings().access_file, DEFAULT_ACCESS_FILE)


def load_grants(path: Path, required: bool = False) -> dict[str, Grant]:
    """staff id -> grant. A missing default file grants nothing; a malformed one is an error."""
    if not path.exists():
        if required:
            raise AccessFileError(f"the access file {path} does not exist (LEAP_ACCESS_FILE)")
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise AccessFileError(f"{path} is not valid YAML ({type(error).__name__})") from None
    entries = data.get("grants", data) if isinstance(data, dict) else None
    if not isinstance(entries, dict):
        raise AccessFileError(f"{path} must map staff ids to grants")
    return {str(staff): _grant(path, staff, entry) for staff, entry in entries.items()}


def _grant(path: Path, staff, entry) -> Grant:
    if not isinstance(staff, str):
        raise AccessFileError(f"{path}: staff id {staff!r} must be quoted text (ids keep their leading zeros)")
    if not isinstance(entry, dict):
        raise AccessFileError(f"{path}: the grant of staff {staff} must give role, approved_by and approved_on")
    role, approved_by, approved_on = entry.get("role"), entry.get("approved_by"), entry.get("approved_on")
    if role not in GRANTED_ROLES:
        roles = ", ".join(GRANTED_ROLES)
        raise AccessFileError(f"{path}: staff {staff} has role {role!r}; the roles granted here are {roles}")
    if not approved_by or not isinstance(approved_on, date):
        raise AccessFileError(f"{path}: the grant of staff {staff} needs approved_by and approved_on (YYYY-MM-DD)")
    schools = entry.get("schools") or []
    if not isinstance(schools, list):
        raise AccessFileError(f"{path}: the schools of staff {staff} must be a list")
    return Grant(staff, role, str(approved_by), approved_on, tuple(str(s) for s in schools))


def resolve_scope(con: duckdb.DuckDBPyConnection, staff_id: str, extract: date | None, grants: dict) -> Scope:
    """What `staff_id` may see in a week whose SITS snapshot is `extract`."""
    scope = Scope(staff_id=staff_id)
    grant: Grant | None = grants.get(staff_id)
    links = _links(con, staff_id, extract) if extract else []
    if grant and grant.role in ("admin", "site_explorer"):
        scope.roles.append(grant.role)
        scope.everyone = True
    elif grant and grant.role == "school":
        scope.roles.append("school")
        scope.schools |= set(grant.schools)
        scope.schools |= {v for rel, prop, v in links if rel == "SCHOOL_STAFF" and prop == "INST_TIER_1"}
    tutees = {v for rel, prop, v in links if rel == "PERSONAL_TUTOR" and prop == "STUDENT_ID"}
    modules = {v for rel, prop, v in links if rel == "MODULE_TUTOR" and prop == "MOD_INSTANCE_ID"}
    if modules:
        tutees |= {
            s
            for (s,) in con.execute(
                """
                select distinct student_id from raw.sits_studentmoduleinstance
                where extract_date = ? and mod_instance_id in (select unnest(?::varchar[]))
                """,
                [extract, sorted(modules)],
            ).fetchall()
        }
    if any(rel in ("PERSONAL_TUTOR", "MODULE_TUTOR") for rel, _, _ in links):
        scope.roles.append("tutor")
        scope.students = tutees
    return scope


def _links(con: duckdb.DuckDBPyConnection, staff_id: str, extract: date) -> list[tuple[str, str, str]]:
    return con.execute(
        """
        select relationship, property_name, property_value from raw.sits_stafflink
        where extract_date = ? and staff_id = ? and property_value is not null
        """,
        [extract, staff_id],
    ).fetchall()


def in_scope(scope: Scope, rows: list[dict]) -> list[dict]:
    """The rows (mart records) this scope may see."""
    if scope.everyone:
        return rows
    return [r for r in rows if r["school"] in scope.schools or r["student_id"] in scope.students]


def log_access(
    con: duckdb.DuckDBPyConnection,
    scope: Scope,
    action: str,
    week: date,
    student_ids: list[str],
    output: str | None,
) -> None:
    """One access-log row: who, in which role, what, which students, when (no engagement figures)."""
    con.execute(
        """
        insert into meta.access_log (accessed_at, staff_id, role, action, week_start, student_ids,
                                     student_count, output, requested_by)
        values (?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
        [
            datetime.now(UTC),
            scope.staff_id,
            scope.role,
            action,
            week,
            sorted(student_ids),
            len(student_ids),
            output,
            _os_user(),
        ],
    )


def _os_user() -> str | None:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return None
