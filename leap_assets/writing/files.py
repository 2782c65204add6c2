"""Writing published files atomically: a temporary name in the same folder, then a rename, so a crash
leaves the old file or the new one, never half of one. The temporaries a crash leaves behind are
removed by the next write of the same file (or folder)."""

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from leap_assets.permissions import private_file, private_folder, private_tree

TEMP_SUFFIX = ".partial"
OLD_SUFFIX = ".old"


@contextmanager
def staged(*targets: Path) -> Iterator[list[Path]]:
    """Temporary paths beside `targets`, renamed over them (flushed first) when the block succeeds.

    If the block raises, the temporaries are removed and the targets keep their old content. Folders
    and files are the owner's only (permissions.py) before they are renamed into place.
    """
    temporaries = []
    for target in targets:
        private_folder(target.parent)
        _remove_leftovers(target)
        temporaries.append(target.with_name(f".{target.name}.{uuid.uuid4().hex[:12]}{TEMP_SUFFIX}"))
    try:
        yield temporaries
        for temporary in temporaries:
            private_file(temporary)
            with temporary.open("rb") as handle:
                os.fsync(handle.fileno())
        for temporary, target in zip(temporaries, targets, strict=True):
            os.replace(temporary, target)
    finally:
        for temporary in temporaries:
            temporary.unlink(missing_ok=True)
    for folder in {target.parent for target in targets}:
        _sync_folder(folder)


def atomic_write(target: Path, write: Callable[[Path], object]) -> Path:
    """Call `write(temporary_path)`, then rename the result over `target`."""
    with staged(target) as (temporary,):
        write(temporary)
    return target


def replace_folder(target: Path, build: Callable[[Path], object]) -> Path:
    """Call `build(folder)` on a temporary folder beside `target`, then swap it in by renames.

    A crash leaves the old folder, or (between the two renames) none until the next write.
    """
    _remove_leftovers(target)
    staging = target.with_name(f".{target.name}-{uuid.uuid4().hex[:12]}{TEMP_SUFFIX}")
    private_folder(target.parent)
    try:
        build(staging)
        private_tree(staging)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    retired = target.with_name(f".{target.name}-{uuid.uuid4().hex[:12]}{OLD_SUFFIX}")
    if target.exists():
        target.rename(retired)
    staging.rename(target)
    shutil.rmtree(retired, ignore_errors=True)
    _sync_folder(target.parent)
    return target


def _remove_leftovers(target: Path) -> None:
    """Temporaries of `target` left by a write that was killed (the pool lets one run write at a time)."""
    if not target.parent.is_dir():
        return
    name = target.name
    for pattern in (f".{name}.*{TEMP_SUFFIX}", f".{name}-*{TEMP_SUFFIX}", f".{name}-*{OLD_SUFFIX}"):
        for leftover in target.parent.glob(pattern):
            if leftover.is_dir() and not leftover.is_symlink():
                shutil.rmtree(leftover, ignore_errors=True)
            else:
                leftover.unlink(missing_ok=True)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX); a no-op where folders cannot be opened."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def remove_stale(week_folder: Path, pattern: str, keep: set[Path]) -> list[Path]:
    """Remove files under `week_folder` matching `pattern` (and temporaries a crash left) not in `keep`.

    Folders emptied by the removal go too; nothing else in the week's folder is touched.
    """
    if not week_folder.is_dir():
        return []
    removed = []
    candidates = [*week_folder.glob(pattern), *week_folder.glob(f"*/.*{TEMP_SUFFIX}")]
    for path in sorted(set(candidates)):
        if path.is_file() and path.resolve() not in keep:
            path.unlink()
            removed.append(path)
    for folder in sorted({p.parent for p in removed}):
        if folder != week_folder and not any(folder.iterdir()):
            folder.rmdir()
    return removed
