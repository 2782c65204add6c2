"""`leap view`: the report one staff member may see for one week (governance.md), written by plain
code rather than a Dagster run: it is a read-only export of the warehouse plus one access-log row.

Output: publish/<week>/views/<staff>/student-engagement-view_<staff>_<week>.xlsx and its CSV twin,
in the report's format. The log row is written before the files are renamed into place, so no view
exists without its log entry; a refusal is logged too, and writes no file."""

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb

from leap_assets.checks.gate import held_schools
from leap_assets.published import report_path as governance_report_path
from leap_assets.reporting.access import Scope, in_scope, log_access, resolve_scope
from leap_assets.reporting.report_data import week_facts, week_records
from leap_assets.reporting.reports import write_report
from leap_assets.warehouse.db import connect
from leap_assets.writing.names import inside, staff_folder

BUSY_WAIT_SECONDS = 30


class ViewError(Exception):
    """The view cannot be produced (or is refused): the message is one sentence for the user."""


@dataclass
class ViewResult:
    files: list[Path]
    students: int
    role: str
    held: list[str] = field(default_factory=list)  # schools left out: the quality gate holds their report


@contextmanager
def _open(warehouse: Path, read_only: bool) -> Iterator[duckdb.DuckDBPyConnection]:
    """The warehouse, waiting while a pipeline run holds the writer's lock."""
    deadline = time.monotonic() + BUSY_WAIT_SECONDS
    while True:
        try:
            opened = connect(warehouse, read_only=read_only)
            con = opened.__enter__()
            break
        except duckdb.IOException:
            if time.monotonic() > deadline:
                raise ViewError(f"the warehouse {warehouse} is busy with a pipeline run; try again shortly") from None
            time.sleep(1)
    try:
        yield con
    finally:
        opened.__exit__(None, None, None)


def view_path(publish: Path, staff_id: str, week: date) -> Path:
    folder = staff_folder(staff_id)
    name = f"student-engagement-view_{folder}_{week.isoformat()}.xlsx"
    return inside(publish, week.isoformat(), "views", folder, name)


def write_view(warehouse: Path, publish: Path, staff_id: str, week: date, grants: dict) -> ViewResult:
    """Write the staff member's view of the week and log it; ViewError when refused or impossible."""
    if not warehouse.exists():
        raise ViewError(f"there is no warehouse at {warehouse} yet: run `leap run` or `leap demo` first")
    with _open(warehouse, read_only=True) as con:
        facts = week_facts(con, week)
        if facts is None:
            raise ViewError(f"week {week} has no engagement rows: build it first with `leap run --week {week}`")
        scope = resolve_scope(con, staff_id, facts.sits_extract_date, grants)
        rows = in_scope(scope, week_records(con, week)) if scope.granted else []
        held = held_schools(con, week)
    # Never serve a held school-week (validity.md): its students are left out until fixed or released.
    held_here = sorted({r["school"] for r in rows} & set(held))
    rows = [r for r in rows if r["school"] not in held]
    log = _logger(warehouse, scope, week)
    if not scope.granted:
        log("view_refused", [], None)
        raise ViewError(
            f"staff {_shown(staff_id)} may not see student data for week {week}: no grant in the access file and "
            f"no tutor link in the SITS extract of {facts.sits_extract_date}"
        )
    if held_here and not rows:
        log("view_refused", [], None)
        checks = ", ".join(sorted({held[school].checks for school in held_here}))
        raise ViewError(
            f"the report of {', '.join(held_here)} for week {week} is held back by the quality gate ({checks}) "
            f"until the data is fixed or the report is released; see {governance_report_path(publish, week)}"
        )
    xlsx = view_path(publish, staff_id, week)
    about = [("Prepared for staff", staff_id), ("Access", scope.role)]
    about.append(("Schools", "; ".join(sorted({r["school"] for r in rows})) or "none"))
    ids = [r["student_id"] for r in rows]
    output = xlsx.relative_to(publish.resolve()).as_posix()
    files = write_report(xlsx, rows, facts, about, lambda: log("view", ids, output))
    return ViewResult(files=files, students=len(rows), role=scope.role, held=held_here)


def _shown(staff_id: str) -> str:
    """A staff id as a message shows it: a pasted page of text stays a readable sentence."""
    return staff_id if len(staff_id) <= 64 else f"{staff_id[:60]}... ({len(staff_id)} characters)"


def _logger(warehouse: Path, scope: Scope, week: date) -> Callable[[str, list[str], str | None], None]:
    def log(action: str, students: list[str], output: str | None) -> None:
        with _open(warehouse, read_only=False) as con:
            log_access(con, scope, action, week, students, output)

    return log
