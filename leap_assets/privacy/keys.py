"""The installation's privacy secret and the suppression list kept beside it.

Erased students are remembered only as keyed hashes (HMAC-SHA256 with a secret of the installation):
the ids themselves are kept nowhere. The secret and a copy of the suppression list live in the privacy
folder (`LEAP_PRIVACY_DIR`, default: `privacy/` next to the warehouse file), outside the warehouse, so a
warehouse restored from an old backup is cleaned again on the next run. Back the folder up separately.
"""

import hashlib
import hmac
import os
import secrets
from pathlib import Path

from leap_assets.settings import settings

KEY_FILE = "secret.key"
LIST_FILE = "suppression.txt"


def privacy_dir() -> Path:
    configured = os.environ.get("LEAP_PRIVACY_DIR")
    folder = Path(configured).resolve() if configured else settings().warehouse.parent / "privacy"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def secret() -> bytes:
    """The installation secret, created (owner-readable only) on first use."""
    path = privacy_dir() / KEY_FILE
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    return bytes.fromhex(path.read_text().strip())


class Keyed:
    """HMACs of identifiers under one secret, memoised: a file of a million rows has few distinct ids."""

    def __init__(self, key: bytes | None = None):
        self.key = key if key is not None else secret()
        self.memo: dict[tuple[str, str], str] = {}

    def __call__(self, kind: str, value: str) -> str:
        """kind is `student` (a SITS STUDENT_ID) or `moodle` (a Moodle user id)."""
        cached = self.memo.get((kind, value))
        if cached is None:
            cached = hmac.new(self.key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()
            self.memo[(kind, value)] = cached
        return cached


def new_token() -> str:
    """A random stand-in for an erased student id, linked to nothing."""
    return "ERASED-" + secrets.token_hex(8)


def suppressed_on_disk() -> set[str]:
    path = privacy_dir() / LIST_FILE
    return set(path.read_text().split()) if path.exists() else set()


def remember_on_disk(hashes: set[str]) -> None:
    """Add hashes to the on-disk copy of the suppression list (atomically)."""
    current = suppressed_on_disk()
    if hashes <= current:
        return
    path = privacy_dir() / LIST_FILE
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text("".join(f"{h}\n" for h in sorted(current | hashes)))
    os.replace(temporary, path)
