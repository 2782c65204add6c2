"""The source registry (governance.md "Source registry and transparency"): config/sources.yml, or the
file LEAP_SOURCES_FILE names. For every source: what it is, purpose, lawful basis, the fields used
per file, and the governing board's approval.

How LEAP reads it:
- A source is approved when it has both `approved_by` and `approved_on`, dated today or earlier.
  One that is not is never ingested: its files stay in the landing zone, unrecorded, and the run
  says why. A source missing from the registry is not approved.
- A passed `review_date` does not stop ingestion: stopping on a calendar date would drop students
  from support in the middle of a term with nobody deciding it. The run warns, and the transparency
  page and the annual review pack flag the overdue review; withdrawing a source is done by removing
  its approval.
- Only listed fields are read (leap_assets/sources/reading.py). A source whose list leaves out a
  field LEAP requires is unusable: it is not ingested, and the run names the field.
- Every text is published on the transparency page, so the loader refuses punitive wording in it.
"""

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml

from leap_assets.settings import config_path, settings
from leap_assets.sources.contracts import SOURCES, contract, display, entry_of, known_fields

DEFAULT_SOURCES_FILE = "config/sources.yml"
PUNITIVE = re.compile(r"sanction|visa|disciplinary|non-compliance", re.IGNORECASE)
SOURCE_TEXTS = ("name", "what", "purpose", "lawful_basis")


class SourceRegistryError(Exception):
    """The registry cannot be used: one sentence naming the file and the key at fault."""


@dataclass(frozen=True)
class SourceFile:
    key: str  # as the registry names it, e.g. "student.tsv" or "logstore_<YYYY-MM-DD>.csv"
    what: str
    fields: dict[str, str]  # field name as written -> why it is used

    @property
    def allowed(self) -> frozenset[str]:
        return frozenset(name.lower() for name in self.fields)


@dataclass(frozen=True)
class Source:
    key: str
    name: str
    what: str
    purpose: str
    lawful_basis: str
    special_category: str | None
    approved_by: str | None
    approved_on: date | None
    consultation_ref: str | None
    review_date: date | None
    files: dict[str, SourceFile]


@dataclass(frozen=True)
class Contact:
    role: str
    name: str
    email: str
    how: str


@dataclass(frozen=True)
class Approval:
    source: str
    approved: bool
    reason: str | None = None  # why the source may not be ingested
    review_overdue: bool = False
    review_date: date | None = None


@dataclass(frozen=True)
class Registry:
    path: Path
    installation: str
    purpose: str
    contacts: list[Contact]
    requests_email: str
    response_time: str
    sources: dict[str, Source] = field(default_factory=dict)

    def approval(self, source: str, today: date) -> Approval:
        """Whether `source` may be ingested today, and if not, one sentence saying why."""
        entry = self.sources.get(source)
        where = f"{self.path} (sources.{source})"
        if entry is None:
            return Approval(source, False, f"{source} is not listed in the source registry {self.path}")
        if not entry.approved_by or not entry.approved_on:
            return Approval(
                source, False, f"{source} is not approved in {where}: approved_by and approved_on are not both given"
            )
        if entry.approved_on > today:
            return Approval(source, False, f"{source} is approved only from {entry.approved_on} in {where}")
        for file_key, spec in contract()[source].items():
            listed = entry.files[file_key].allowed if file_key in entry.files else frozenset()
            unlisted = [name for name in spec.must_list if name not in listed]
            if unlisted:
                names = ", ".join(display(source, name) for name in unlisted)
                return Approval(
                    source,
                    False,
                    f"{where} does not list {names} for {file_key}, which LEAP needs to read that file",
                )
        overdue = entry.review_date is not None and entry.review_date < today
        return Approval(source, True, review_overdue=overdue, review_date=entry.review_date)

    def fields_for(self, rel: str) -> frozenset[str] | None:
        """Lower-case fields that may be read from a landed path, or None when no entry governs the path."""
        found = entry_of(rel)
        if found is None:
            return None
        source, file_key = found
        entry = self.sources.get(source)
        spec = entry.files.get(file_key) if entry else None
        return spec.allowed if spec else frozenset()


def sources_file() -> tuple[Path, bool]:
    """The registry's path, and whether LEAP_SOURCES_FILE named it."""
    return config_path(settings().sources_file, DEFAULT_SOURCES_FILE)


_cache: dict[Path, tuple[tuple[int, int], Registry]] = {}
_active: ContextVar[Registry | None] = ContextVar("leap_source_registry", default=None)


def load_registry(path: Path | None = None) -> Registry:
    """The registry at `path` (default: sources_file()), validated; cached while the file is unchanged."""
    path = path or sources_file()[0]
    if not path.is_file():
        raise SourceRegistryError(f"the source registry {path} does not exist (LEAP_SOURCES_FILE): nothing is ingested")
    info = path.stat()
    stamp = (info.st_size, info.st_mtime_ns)
    cached = _cache.get(path)
    if cached and cached[0] == stamp:
        return cached[1]
    registry = parse(path, path.read_bytes())
    _cache[path] = (stamp, registry)
    return registry


@contextmanager
def using(registry: Registry) -> Iterator[Registry]:
    """Make `registry` the one every file read in this block is checked against (one run, one reading)."""
    token = _active.set(registry)
    try:
        yield registry
    finally:
        _active.reset(token)


def active_registry() -> Registry:
    return _active.get() or load_registry()


def allowed_fields(rel: str) -> frozenset[str] | None:
    """Lower-case fields the active registry lets LEAP read from a landed path; None for a path no
    entry governs (then the registry is not even loaded)."""
    return active_registry().fields_for(rel) if entry_of(rel) is not None else None


def parse(path: Path, raw: bytes) -> Registry:
    try:
        data = yaml.safe_load(raw.decode("utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise SourceRegistryError(f"{path} is not valid YAML ({type(error).__name__})") from None
    if not isinstance(data, dict) or not isinstance(data.get("sources"), dict):
        raise SourceRegistryError(f"{path} must have a `sources` mapping of source name to entry")
    install = _mapping(path, data.get("installation"), "installation")
    requests = _mapping(path, install.get("requests"), "installation.requests")
    contacts = install.get("contacts")
    if not isinstance(contacts, list) or not contacts:
        raise SourceRegistryError(f"{path}: installation.contacts must be a list of contacts")
    sources = {}
    for key, entry in data["sources"].items():
        if key not in SOURCES:
            raise SourceRegistryError(f"{path}: sources.{key} is not a LEAP source; they are {', '.join(SOURCES)}")
        sources[key] = _source(path, key, _mapping(path, entry, f"sources.{key}"))
    return Registry(
        path=path,
        installation=_text(path, install, "name", "installation"),
        purpose=_text(path, install, "purpose", "installation"),
        contacts=[_contact(path, i, _mapping(path, c, f"installation.contacts[{i}]")) for i, c in enumerate(contacts)],
        requests_email=_text(path, requests, "email", "installation.requests"),
        response_time=_text(path, requests, "response_time", "installation.requests"),
        sources=sources,
    )


def _mapping(path: Path, value, key: str) -> dict:
    if not isinstance(value, dict):
        raise SourceRegistryError(f"{path}: {key} must be a mapping")
    return value


def _text(path: Path, entry: dict, name: str, where: str, required: bool = True) -> str | None:
    value = entry.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise SourceRegistryError(f"{path}: {where}.{name} must be given")
        return None
    if not isinstance(value, str):
        raise SourceRegistryError(f"{path}: {where}.{name} must be text")
    word = PUNITIVE.search(value)
    if word:
        raise SourceRegistryError(
            f"{path}: {where}.{name} uses the word {word.group(0)!r}; published texts speak of engagement and support"
        )
    return value.strip()


def _date(path: Path, entry: dict, name: str, where: str) -> date | None:
    value = entry.get(name)
    if value is None:
        return None
    if not isinstance(value, date):
        raise SourceRegistryError(f"{path}: {where}.{name} must be a date as YYYY-MM-DD, not {value!r}")
    return value


def _contact(path: Path, index: int, entry: dict) -> Contact:
    where = f"installation.contacts[{index}]"
    return Contact(*(_text(path, entry, name, where) for name in ("role", "name", "email", "how")))


def _source(path: Path, key: str, entry: dict) -> Source:
    where = f"sources.{key}"
    texts = {name: _text(path, entry, name, where) for name in SOURCE_TEXTS}
    approved_by = _text(path, entry, "approved_by", where, required=False)
    approved_on = _date(path, entry, "approved_on", where)
    if bool(approved_by) != bool(approved_on):
        raise SourceRegistryError(f"{path}: {where} needs both approved_by and approved_on, or neither")
    consultation = _text(path, entry, "consultation_ref", where, required=approved_on is not None)
    review = _date(path, entry, "review_date", where)
    if approved_on and review is None:
        raise SourceRegistryError(f"{path}: {where}.review_date must be given for an approved source")
    files = _mapping(path, entry.get("files"), f"{where}.files")
    return Source(
        key=key,
        **texts,
        special_category=_text(path, entry, "special_category", where, required=False),
        approved_by=approved_by,
        approved_on=approved_on,
        consultation_ref=consultation,
        review_date=review,
        files={
            name: _file(path, key, str(name), _mapping(path, spec, f"{where}.files[{name}]"))
            for name, spec in files.items()
        },
    )


def _file(path: Path, source: str, name: str, entry: dict) -> SourceFile:
    where = f"sources.{source}.files[{name}]"
    if name not in contract()[source]:
        known = ", ".join(contract()[source])
        raise SourceRegistryError(f"{path}: {where} is not a file of {source}; its files are {known}")
    fields = _mapping(path, entry.get("fields"), f"{where}.fields")
    known = known_fields(source, name)
    seen: set[str] = set()
    for field_name in fields:
        lowered = str(field_name).lower()
        if lowered not in known:
            raise SourceRegistryError(
                f"{path}: {where}.fields lists {field_name}, which LEAP does not read from {name}"
            )
        if lowered in seen:
            raise SourceRegistryError(f"{path}: {where}.fields lists {field_name} twice")
        seen.add(lowered)
        _text(path, fields, field_name, f"{where}.fields")
    return SourceFile(
        key=name,
        what=_text(path, entry, "what", where),
        fields={str(k): v.strip() for k, v in fields.items()},
    )
