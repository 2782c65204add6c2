"""Writing landed files so that a watcher never sees half of one, and counting what was written.

A file is written under a hidden temporary name in its folder and renamed into place; a new SITS
extract folder is filled under a hidden name and renamed whole, so an extract is never seen with
some of its files missing. Hidden names are outside the landing contract, so LEAP ignores them.
"""

import os
import shutil
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

CHUNK = 50_000


class Output:
    """The landing zone being written, with counts of files, bytes and data rows per source."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.files = 0
        self.bytes = 0
        self.rows: Counter[str] = Counter()

    def write(
        self,
        relative: str,
        header: Iterable[str],
        lines: list[str],
        source: str,
        sep: str = "\t",
        newline: str = "\n",
        bom: bool = False,
    ) -> None:
        """Write one file atomically: a header row, then `lines` (already joined by `sep`)."""
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.partial")
        self._dump(temporary, sep.join(header), lines, newline, bom)
        os.replace(temporary, path)
        self._count(path, len(lines), source)

    def write_folder(self, relative: str, files: dict[str, tuple[Iterable[str], list[str]]], source: str) -> None:
        """Write a folder of TSV files (name -> header, lines) so that it appears complete."""
        target = self.root / relative
        if target.exists():
            for name, (header, lines) in files.items():
                self.write(f"{relative}/{name}", header, lines, source)
            return
        staging = target.with_name(f".{target.name}.partial")
        if staging.exists():
            shutil.rmtree(staging)  # our own leftover from an interrupted run
        staging.mkdir(parents=True)
        for name, (header, lines) in files.items():
            self._dump(staging / name, "\t".join(header), lines, "\n", False)
        os.rename(staging, target)
        for name, (_, lines) in files.items():
            self._count(target / name, len(lines), source)

    def _dump(self, path: Path, header: str, lines: list[str], newline: str, bom: bool) -> None:
        with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
            handle.write(header + newline)
            for start in range(0, len(lines), CHUNK):
                handle.write(newline.join(lines[start : start + CHUNK]) + newline)

    def _count(self, path: Path, rows: int, source: str) -> None:
        self.files += 1
        self.bytes += path.stat().st_size
        self.rows[source] += rows
