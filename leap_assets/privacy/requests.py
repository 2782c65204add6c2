"""Reading `landing/privacy/requests.csv` (governance.md, Privacy requests).

Columns (matched by name): REQUEST_ID (R, unique), STUDENT_ID (R), TYPE (R), RECEIVED_DATE (R),
DETAILS, APPROVED_BY (R for all types but access, opt_out and opt_in). A row is a request once it has
a REQUEST_ID; anything else wrong with it refuses the request with a reason, in the ledger.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from leap_assets.privacy.request_file import read_file, serialise
from leap_assets.privacy.scrub import replace_bytes
from leap_assets.sources.contracts import REQUESTS as REQUESTS_CONTRACT

REQUESTS = "privacy/requests.csv"
TYPES = (
    "access",
    "erasure",
    "restriction",
    "lift_restriction",
    "rectification",
    "opt_out",
    "opt_in",
    "safeguarding_override",
)
NO_APPROVAL_NEEDED = ("access", "opt_out", "opt_in")
REQUIRED, OPTIONAL = list(REQUESTS_CONTRACT.required), list(REQUESTS_CONTRACT.optional)

# Rectification targets: the DETAILS row key names the row, the assignment names a column of it.
TARGETS = {
    "seats": ("seats_attendance", ("student_id", "event_id")),
    "sits.student": ("sits_student", ("student_id",)),
    "sits.studentassessmentinstance": (
        "sits_studentassessmentinstance",
        ("student_id", "assess_instance_id", "assess_seq_id"),
    ),
}
_KEY = re.compile(r"^(?P<target>seats|sits\.student|sits\.studentassessmentinstance):(?P<key>\S+)$", re.IGNORECASE)
_ASSIGN = re.compile(r"^(?:(?P<source>[A-Za-z_.]+)\.)?(?P<field>[A-Za-z_]+)=(?P<value>.*)$", re.DOTALL)


@dataclass(frozen=True)
class Request:
    line: int
    request_id: str
    student_id: str | None
    kind: str | None
    received: date | None
    details: str | None
    approved_by: str | None

    def refusal(self) -> str | None:
        """Why this request cannot be carried out as written, or None."""
        if not self.student_id:
            return "STUDENT_ID is empty"
        if self.kind not in TYPES:
            return f"TYPE {self.kind!r} is not one of {', '.join(TYPES)}"
        if self.received is None:
            return "RECEIVED_DATE is not a date as YYYY-MM-DD"
        if self.kind not in NO_APPROVAL_NEEDED and not self.approved_by:
            return f"a {self.kind} request needs APPROVED_BY (who approved it), and it is empty"
        if self.kind == "rectification":
            try:
                rectification(self)
            except ValueError as problem:
                return str(problem)
        return None


@dataclass(frozen=True)
class Override:
    target: str  # seats | sits.student | sits.studentassessmentinstance
    table: str  # the raw table
    row_key: str  # the key parts joined by "/"
    key: dict[str, str]  # key column -> value
    field: str  # lower-case column name
    value: str | None  # empty means null


def rectification(request: Request) -> Override:
    """Parse DETAILS `<target>:<row key> <FIELD>=<value>` (key and assignment split by space or `;`)."""
    text = (request.details or "").strip()
    parts = re.split(r"[;\s]+", text, maxsplit=1)
    if len(parts) != 2:
        raise ValueError("DETAILS must name a row and a change, e.g. 'seats:<STUDENT_ID>/<EVENT_ID> EVENT_ATTENDED=1'")
    key_match, assign = _KEY.match(parts[0]), _ASSIGN.match(parts[1].strip())
    if not key_match:
        targets = ", ".join(f"{t}:" for t in TARGETS)
        raise ValueError(f"DETAILS row key {parts[0]!r} does not start with one of {targets}")
    if not assign:
        raise ValueError(f"DETAILS change {parts[1]!r} is not FIELD=value")
    target = key_match["target"].lower()
    table, key_columns = TARGETS[target]
    values = key_match["key"].split("/")
    if len(values) != len(key_columns):
        raise ValueError(f"the row key of {target} is {'/'.join(c.upper() for c in key_columns)}")
    key = dict(zip(key_columns, values, strict=True))
    if key["student_id"] != request.student_id:
        raise ValueError("the row key names another student than STUDENT_ID")
    source = (assign["source"] or "").lower()
    if source and source not in (target, target.split(".")[0], target.split(".")[-1]):
        raise ValueError(f"the change names source {source!r} but the row is in {target}")
    value = assign["value"].strip()
    return Override(target, table, "/".join(values), key, assign["field"].lower(), value or None)


def read_requests(landing: Path) -> tuple[list[Request], list[tuple[int, str, str]]]:
    """Requests in file order, and problems of rows that are not requests: (line, field, reason)."""
    path = landing / REQUESTS
    if not path.exists():
        return [], []
    parsed = read_file(path, REQUESTS, REQUIRED, OPTIONAL)
    columns = parsed.header.columns
    problems = []
    seen: set[str] = set()
    requests = []
    for record in parsed.records:
        if record.fields is None:
            problems.append((record.line, "", record.problem))
            continue
        if not record.fields:
            continue
        row = {name: record.fields[position] for name, position in columns.items()}
        line = record.line
        request_id = (row["request_id"] or "").strip()
        if not request_id:
            problems.append((line, "REQUEST_ID", "REQUEST_ID is empty: the row is not a request"))
            continue
        if request_id in seen:
            problems.append((line, "REQUEST_ID", f"REQUEST_ID {request_id} appears again: only its first row counts"))
            continue
        seen.add(request_id)
        requests.append(
            Request(
                line=line,
                request_id=request_id,
                student_id=_text(row["student_id"]),
                kind=(_text(row["type"]) or "").lower() or None,
                received=_day(row["received_date"]),
                details=_text(row.get("details")),
                approved_by=_text(row.get("approved_by")),
            )
        )
    return requests, problems


def _text(value) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _day(value) -> date | None:
    try:
        return date.fromisoformat(value.strip()) if isinstance(value, str) else None
    except ValueError:
        return None


def replace_student_ids(landing: Path, token_for: Callable[[str], str | None]) -> int:
    """Rewrite requests.csv with every STUDENT_ID that `token_for` maps replaced; returns cells changed.

    Only the records that change are written anew; every other line (malformed ones included) keeps
    its bytes, and so do the BOM and the line endings.
    """
    path = landing / REQUESTS
    if not path.exists():
        return 0
    parsed = read_file(path, REQUESTS, REQUIRED, OPTIONAL)
    column = parsed.header.columns["student_id"]
    changed = 0
    for record in parsed.records:
        value = record.fields[column].strip() if record.fields else ""
        token = token_for(value) if value else None
        if token is not None:
            record.fields[column] = token
            record.raw = serialise(record.fields, record.raw)
            changed += 1
    if changed:
        replace_bytes(path, parsed.text().encode("utf-8"))
    return changed
