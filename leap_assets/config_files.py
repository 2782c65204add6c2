"""The YAML files people keep by hand (the board's quality settings, the academic calendar): where
each one is, and reading it so that a mistake is one sentence naming the file and the line."""

from pathlib import Path

import yaml


def read_yaml(path: Path, what: str, error: type[Exception]) -> object:
    """The file's YAML; `error` with one sentence ("the <what> <path> is not valid YAML at line N")."""
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as problem:
        mark = getattr(problem, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise error(f"the {what} {path} is not valid YAML{where}") from None
