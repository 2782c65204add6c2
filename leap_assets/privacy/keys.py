"""The installation's privacy secret and the suppression list kept beside it.

Erased students are remembered only as keyed hashes (HMAC-SHA256 with a secret of the installation):
the ids themselves are kept nowhere. The secret and a copy of the suppression list live in the privacy
folder (`LEAP_PRIVACY_DIR`, default: `privacy/` next to the warehouse file), outside the warehouse, so a
warehouse restored from an old backup is cleaned again on the next run. Back the folder up separately.
"""

import contextlib
import hashlib
import hmac
import os
import re
import secrets
import uuid
from pathlib import Path

from leap_assets.permissions import FILE_MODE, private_file, private_folder
from leap_assets.settings import settings

KEY_FILE = "secret.key"
LIST_FILE = "suppression.txt"
KEY_BYTES = 32
_KEY_TEXT = re.compile(rf"[0-9a-f]{{{2 * KEY_BYTES}}}")


class SecretError(Exception):
    """The installation secret cannot be used: the message is one sentence for the user."""


def privacy_dir() -> Path:
    return private_folder(settings().private_data_dir())


def secret() -> bytes:
    """The installation secret, created on first use: written whole to a temporary file, then linked
    into place (a crash leaves no key or the whole key, and of two processes only one key wins)."""
    path = privacy_dir() / KEY_FILE
    if not path.exists():
        temporary = path.with_name(f".{KEY_FILE}.{uuid.uuid4().hex[:12]}.tmp")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
        try:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_hex(KEY_BYTES))
                handle.flush()
                os.fsync(handle.fileno())
            with contextlib.suppress(FileExistsError):  # another process created it first: use theirs
                os.link(temporary, path)
        finally:
            temporary.unlink(missing_ok=True)
    return _read_key(path)


def check_secret() -> None:
    """SecretError now, before any run starts, when a secret exists but cannot be used."""
    path = privacy_dir() / KEY_FILE
    if path.exists() or path.is_symlink():
        _read_key(path)


def _read_key(path: Path) -> bytes:
    """The key, or SecretError: an empty or short key would make the suppression hashes guessable."""
    try:
        text = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else "not text"
        raise SecretError(
            f"the privacy secret {path} cannot be read ({reason}): restore it from the backup of the privacy folder"
        ) from None
    if not _KEY_TEXT.fullmatch(text):
        state = "empty" if not text else f"not a key of {2 * KEY_BYTES} hex digits"
        raise SecretError(
            f"the privacy secret {path} is {state} (a key being written when a process was stopped?): "
            "restore it from the backup of the privacy folder, or delete it if no student has been erased yet"
        )
    return bytes.fromhex(text)


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
    private_file(temporary)
    os.replace(temporary, path)
