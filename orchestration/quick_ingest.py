"""`leap ingest` with nothing new: told apart in Python, before Dagster or dbt is started.

The ingest job lands new source files, processes new privacy requests, loads returns, rebuilds the
staging views (and their dbt tests) and rewrites the transparency page. A run changes nothing when,
since the last successful `leap ingest` of this warehouse:

- no landing file of an approved source has bytes the source registry has not recorded (the same
  test as ingestion's own: size and mtime that vouch for the bytes, else the SHA-256);
- requests.csv, the hand-kept config files, the dbt staging models, seeds and macros, LEAP's
  settings and the local date are the same (a fingerprint kept in DAGSTER_HOME);
- the warehouse still holds what that run left (its landed-file registry, privacy ledger and views);
- no student is on the suppression list (an erasure makes every run check for their rows again).

Anything unusual (no state yet, a warehouse another process is writing, an unreadable registry) means
a full run, which reports it in its own words.
"""

import hashlib
import json
import os
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb

from leap_assets.ingestion.identity import file_sha256, vouching_stat
from leap_assets.ingestion.layout import source_files
from leap_assets.privacy.keys import suppressed_on_disk
from leap_assets.settings import Settings
from leap_assets.sources.registry import SourceRegistryError, load_registry
from leap_assets.transform.project import PROJECT_DIR

STATE_FILE = "leap-ingest-state.json"
SOURCES = ("sits", "seats", "moodle", "schools", "returns")
CONFIG_FOLDER = Path("config")
DBT_INPUTS = ("dbt_project.yml", "profiles.yml", "models/staging", "seeds", "macros")
TRANSPARENCY_PAGE = "transparency.html"  # governance/transparency.py writes it on every ingest run


@dataclass(frozen=True)
class Check:
    nothing_new: bool
    fingerprint: str  # of the inputs outside the landed-file registry, taken before any run
    notes_due: bool = False  # a source is not approved, or its review is overdue: print the registry notes


def check(settings: Settings) -> Check:
    """Whether an ingest run would change nothing; the fingerprint to remember after a full run.

    The source registry's approvals depend only on its file and the date, both in the fingerprint,
    so those the last run saw still hold when the fingerprint is the same (reading the registry again
    would import every source's reader)."""
    fingerprint = inputs_fingerprint(settings, _today(settings))
    state = _read_state(settings)
    fresh = state.get("fingerprint") == fingerprint and isinstance(state.get("approved"), list)
    if not fresh or not (settings.publish / TRANSPARENCY_PAGE).is_file():
        return Check(False, fingerprint)
    notes_due = bool(state.get("notes_due"))
    if suppressed_on_disk() or not settings.warehouse.is_file():
        return Check(False, fingerprint, notes_due)
    try:
        with duckdb.connect(str(settings.warehouse), read_only=True) as con:
            digest = warehouse_digest(con)
            same = state.get("warehouse") == digest and digest[SUPPRESSED] == 0
            same = same and not unlanded(con, settings.landing, state["approved"])
    except (duckdb.Error, OSError):
        return Check(False, fingerprint, notes_due)
    return Check(same, fingerprint, notes_due)


def _today(settings: Settings) -> str:
    return datetime.now(ZoneInfo(settings.timezone)).date().isoformat()


def remember(settings: Settings, fingerprint: str) -> None:
    """After a successful full run: what it saw, so that the next `leap ingest` can tell nothing is new."""
    try:
        registry = load_registry()
    except SourceRegistryError:
        return  # the run said why; with no state the next `leap ingest` runs in full too
    today = date.fromisoformat(_today(settings))
    approvals = [registry.approval(source, today) for source in SOURCES]
    try:
        with duckdb.connect(str(settings.warehouse), read_only=True) as con:
            digest = warehouse_digest(con)
    except duckdb.Error:
        return  # another process is writing: the next `leap ingest` runs in full, which is only slower
    state = {
        "fingerprint": fingerprint,
        "warehouse": digest,
        "approved": [a.source for a in approvals if a.approved],
        "notes_due": any(not a.approved or a.review_overdue for a in approvals),
    }
    path = settings.dagster_home / STATE_FILE
    temporary = path.with_name(f".{path.name}.partial")
    temporary.write_text(json.dumps(state))
    os.replace(temporary, path)


def forget(settings: Settings) -> None:
    """Before a full run: a run that fails or is killed leaves no state vouching for it."""
    (settings.dagster_home / STATE_FILE).unlink(missing_ok=True)


def _read_state(settings: Settings) -> dict:
    try:
        state = json.loads((settings.dagster_home / STATE_FILE).read_text())
    except (OSError, ValueError):
        return {}
    return state if isinstance(state, dict) else {}


def inputs_fingerprint(settings: Settings, today: str) -> str:
    """A digest of what the ingest job reads besides the source files: config, dbt staging, requests."""
    digest = hashlib.sha256()
    # Every LEAP setting (paths, zone, hand-kept file names, student access...) is in `settings`.
    digest.update(json.dumps([today, repr(settings)]).encode())
    named = [settings.access_file, settings.sources_file, settings.quality_file, settings.calendar_file]
    files = [*_files_under(CONFIG_FOLDER.resolve()), *(path for path in named if path is not None)]
    files.append(settings.landing / "privacy" / "requests.csv")
    for name in DBT_INPUTS:
        files += _files_under(PROJECT_DIR / name)
    for path in files:
        digest.update(str(path).encode())
        digest.update(file_sha256(path).encode() if path.is_file() else b"absent")
    return digest.hexdigest()


def _files_under(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    return sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else []


SUPPRESSED = 3  # the digest's count of meta.suppression_list


def warehouse_digest(con: duckdb.DuckDBPyConnection) -> list:
    """What the last run left in the warehouse: its landed files, privacy ledger, views and seeds."""
    return [
        *(str(v) for v in con.execute("select count(*), max(landed_at) from meta.landed_files").fetchone()),
        con.execute("select count(*) from meta.privacy_requests").fetchone()[0],
        con.execute("select count(*) from meta.suppression_list").fetchone()[0],
        con.execute("select count(*) from duckdb_views() where not internal").fetchone()[0],
        con.execute("select count(*) from duckdb_tables() where schema_name = 'seeds'").fetchone()[0],
    ]


def unlanded(con: duckdb.DuckDBPyConnection, landing: Path, sources: list[str]) -> list[str]:
    """Files of `sources` whose current bytes the registry has not recorded (as registry.pending sees it).

    Returns are every `returns/<folder>/<name>.xlsx` (a superset of what is read: a return waiting
    for its week, or an Excel lock file, makes a full run, which is only slower)."""
    known = {
        path: (sha, (size, mtime))
        for path, sha, size, mtime in con.execute(
            "select path, sha256, size_bytes, mtime_ns from meta.landed_files"
        ).fetchall()
    }
    files = {source: paths for source, paths in source_files(landing).items() if source in sources}
    if "returns" in sources:
        files["returns"] = sorted(p for p in (landing / "returns").glob("*/*.xlsx") if p.is_file())
    new = []
    for path in (path for paths in files.values() for path in paths):
        rel = path.relative_to(landing).as_posix()
        known_sha, known_stat = known.get(rel, (None, None))
        stat = vouching_stat(path)
        if known_sha is None or ((stat is None or stat != known_stat) and file_sha256(path) != known_sha):
            new.append(rel)
    return new
