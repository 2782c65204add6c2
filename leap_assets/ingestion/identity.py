"""A landed file's identity: its SHA-256, and the size and mtime that may vouch for it without reading it."""

import hashlib
import time
from pathlib import Path

# A file modified this recently may be rewritten with the same size within the same mtime tick, so
# its stat cannot vouch for its bytes (Git's "racy clean" rule): it is hashed again next time.
RACY_NS = 2_000_000_000


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1 << 22):
            digest.update(block)
    return digest.hexdigest()


def vouching_stat(path: Path) -> tuple[int, int] | None:
    """(size, mtime_ns) of a file last modified long enough ago for them to identify its bytes."""
    info = path.stat()
    if time.time_ns() - info.st_mtime_ns < RACY_NS:
        return None
    return info.st_size, info.st_mtime_ns
