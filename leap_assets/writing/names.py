"""Folder and file names from school names and staff ids that can never leave their folder."""

import hashlib
import re
from collections import defaultdict
from pathlib import Path

_OUTSIDE = re.compile(r"[^a-z0-9]+")


def slug(name: str) -> str:
    """outputs.md: lower-cased, every run outside `a-z0-9` one `-`, no leading or trailing `-`."""
    return _OUTSIDE.sub("-", name.lower()).strip("-") or "school"


# A name part longer than this is cut (and a digest added): file names stay well under 255 bytes.
MAX_SLUG = 60


def _digest(name: str, length: int = 8) -> str:
    return hashlib.sha256(name.encode("utf-8")).hexdigest()[:length]


def school_slugs(names: list[str]) -> dict[str, str]:
    """Each school's slug; schools of one week that share a slug each get `-<8 hex of SHA-256(name)>`.

    The suffix depends on the name alone, so neither school "wins" the plain slug and the choice does
    not change with the order the schools come in; a school that collides with nobody keeps the exact
    slug of outputs.md.
    """
    groups: dict[str, list[str]] = defaultdict(list)
    for name in sorted(set(names)):
        groups[slug(name)].append(name)
    result = {}
    for base, members in groups.items():
        for name in members:
            plain = len(members) == 1 and len(base) <= MAX_SLUG
            result[name] = base if plain else f"{base[:MAX_SLUG].strip('-')}-{_digest(name)}"
    return result


def staff_folder(staff_id: str) -> str:
    """A staff id as a folder name: itself when already a short slug (`0123456`), else its slug (cut
    to MAX_SLUG) plus a digest, so an id of any length or alphabet gives a usable, distinct name."""
    base = slug(staff_id)
    if base == staff_id and len(base) <= MAX_SLUG:
        return base
    return f"{base[:MAX_SLUG].strip('-')}-{_digest(staff_id)}"


def request_name(request_id: str) -> str:
    """The one name of every path derived from a privacy request (access export folder and files,
    erasure certificate and journal): readable slug plus 12 hex of SHA-256 of the exact id, so two
    different REQUEST_IDs never share a path however they differ (`ACC-1`, `acc 1`, `acc_1`)."""
    base = _OUTSIDE.sub("-", request_id.lower()).strip("-")[:MAX_SLUG].strip("-") or "request"
    return f"{base}-{_digest(request_id, 12)}"


def inside(root: Path, *parts: str) -> Path:
    """`root / parts`, refusing any result that is not strictly inside `root` (defence in depth)."""
    base = root.resolve()
    target = base.joinpath(*parts).resolve()
    if target == base or not target.is_relative_to(base):
        raise ValueError(f"refusing to write outside {base}: {'/'.join(parts)!r}")
    return target
