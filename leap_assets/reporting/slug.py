"""Folder and file names from school names and staff ids that can never leave their folder."""

import hashlib
import re
from collections import defaultdict
from pathlib import Path

_OUTSIDE = re.compile(r"[^a-z0-9]+")


def slug(name: str) -> str:
    """outputs.md: lower-cased, every run outside `a-z0-9` one `-`, no leading or trailing `-`."""
    return _OUTSIDE.sub("-", name.lower()).strip("-") or "school"


def _digest(name: str) -> str:
    return hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]


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
            result[name] = base if len(members) == 1 else f"{base}-{_digest(name)}"
    return result


def staff_folder(staff_id: str) -> str:
    """A staff id as a folder name: itself when already a slug (`0123456`), else slug plus a digest."""
    base = slug(staff_id)
    return base if base == staff_id else f"{base}-{_digest(staff_id)}"


def inside(root: Path, *parts: str) -> Path:
    """`root / parts`, refusing any result that is not strictly inside `root` (defence in depth)."""
    base = root.resolve()
    target = base.joinpath(*parts).resolve()
    if target == base or not target.is_relative_to(base):
        raise ValueError(f"refusing to write outside {base}: {'/'.join(parts)!r}")
    return target
