"""Writing landing files in tests, byte for byte."""

from pathlib import Path


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    """Write a landing file exactly as given (no newline translation)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))
    return path


def drop_subject(path, subject: str) -> int:
    """Remove the rows of every module of `subject` from a SEAtS file; returns how many were removed."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    column = lines[0].rstrip("\n").split("\t").index("MOD_INSTANCE_ID")
    kept = [lines[0]] + [line for line in lines[1:] if not line.split("\t")[column].startswith(subject)]
    path.write_text("".join(kept), encoding="utf-8")
    return len(lines) - len(kept)
