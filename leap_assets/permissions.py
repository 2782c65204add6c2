"""Files that hold personal data are readable and writable by their owner only (operations.md).

Every writer of such a file (the warehouse, the privacy folder and its secret, landed files LEAP
rewrites, published reports, views and exports) creates its folders through `private_folder` and
gives a file its mode through `private_file` before renaming it into place, so it is never visible
with a wider mode. `LEAP_PUBLISH_GROUP` opens the publish folder to that group read-only (files
0640, folders 0750), for the share the schools read from; the privacy exports under
`publish/privacy/` stay the owner's alone.
"""

import grp
import os
from pathlib import Path

from leap_assets.settings import settings

FILE_MODE = 0o600
FOLDER_MODE = 0o700
SHARED_FILE_MODE = 0o640
SHARED_FOLDER_MODE = 0o750
PRIVATE_IN_PUBLISH = "privacy"  # subject access exports and erasure certificates


class GroupError(ValueError):
    """LEAP_PUBLISH_GROUP names no group of this machine: one sentence for the user."""


def _shared_group(path: Path) -> int | None:
    """The group id that may read `path`, when it is in the publish folder and a group is set."""
    config = settings()
    if not config.publish_group:
        return None
    root = config.publish
    resolved = path.resolve()
    if resolved != root and not resolved.is_relative_to(root):
        return None
    if resolved.is_relative_to(root / PRIVATE_IN_PUBLISH):
        return None
    try:
        return grp.getgrnam(config.publish_group).gr_gid
    except KeyError:
        raise GroupError(f"LEAP_PUBLISH_GROUP names the group {config.publish_group!r}, which does not exist") from None


def _apply(path: Path, private: int, shared: int) -> None:
    group = _shared_group(path)
    if group is None:
        os.chmod(path, private)
        return
    try:
        os.chown(path, -1, group)
    except PermissionError:
        raise GroupError(
            f"LEAP_PUBLISH_GROUP names the group {settings().publish_group!r}, which this user may not give files to"
        ) from None
    os.chmod(path, shared)


def private_file(path: Path) -> Path:
    """Give a file LEAP wrote its mode: owner only (or the publish group's read access)."""
    _apply(path, FILE_MODE, SHARED_FILE_MODE)
    return path


def private_folder(path: Path) -> Path:
    """`mkdir -p` where every folder it creates is the owner's only (a folder that exists is left
    as its owner set it: it may be a share IT made for LEAP)."""
    created = []
    current = path
    while not current.exists():
        created.append(current)
        current = current.parent
    path.mkdir(parents=True, exist_ok=True)
    for folder in created:
        _apply(folder, FOLDER_MODE, SHARED_FOLDER_MODE)
    return path


def private_tree(root: Path) -> None:
    """Every folder and file under `root` (built by another tool) given LEAP's modes."""
    _apply(root, FOLDER_MODE, SHARED_FOLDER_MODE)
    for folder, folders, files in os.walk(root):
        for name in folders:
            _apply(Path(folder) / name, FOLDER_MODE, SHARED_FOLDER_MODE)
        for name in files:
            _apply(Path(folder) / name, FILE_MODE, SHARED_FILE_MODE)
