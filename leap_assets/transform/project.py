"""The dbt project and its manifest: parsed once (and again when the models change), never on import."""

import os
import subprocess
import sys
from pathlib import Path

from leap_assets.settings import settings

PROJECT_DIR = Path(__file__).resolve().parents[2] / "dbt_project"
TARGET_DIR = PROJECT_DIR / "target"
MANIFEST = TARGET_DIR / "manifest.json"
SOURCE_FOLDERS = ("models", "seeds", "macros", "tests")


def dbt_env() -> dict[str, str]:
    """The environment dbt runs in: the same warehouse file as the Python side, given absolutely."""
    env = dict(os.environ)
    env["LEAP_WAREHOUSE"] = str(settings().warehouse)
    env.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    return env


def dbt_executable() -> str:
    """The dbt installed beside this Python (the project's venv), so a run never depends on PATH."""
    beside = Path(sys.executable).with_name("dbt")
    return str(beside) if beside.exists() else "dbt"


def manifest_is_stale() -> bool:
    if not MANIFEST.exists():
        return True
    built = MANIFEST.stat().st_mtime
    files = [PROJECT_DIR / "dbt_project.yml", PROJECT_DIR / "profiles.yml"]
    for folder in SOURCE_FOLDERS:
        files += [p for p in (PROJECT_DIR / folder).rglob("*") if p.is_file()]
    return any(p.stat().st_mtime > built for p in files if p.exists())


def ensure_manifest() -> Path:
    """Parse the project when its manifest is missing or older than any model, seed or macro."""
    if manifest_is_stale():
        subprocess.run(
            [
                dbt_executable(),
                "parse",
                "--quiet",
                "--project-dir",
                str(PROJECT_DIR),
                "--profiles-dir",
                str(PROJECT_DIR),
            ],
            check=True,
            env=dbt_env(),
            cwd=PROJECT_DIR,
        )
    return MANIFEST
