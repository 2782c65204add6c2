"""Variants of the committed source registry, written to a temporary folder for one test."""

from collections.abc import Callable
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
COMMITTED = ROOT / "config" / "sources.yml"


def committed() -> dict:
    return yaml.safe_load(COMMITTED.read_text(encoding="utf-8"))


def variant(folder: Path, edit: Callable[[dict], object]) -> Path:
    """The committed registry with `edit` applied to its parsed form, as a file in `folder`."""
    data = committed()
    edit(data)
    path = folder / "sources.yml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path
