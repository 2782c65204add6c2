"""The dbt project and its manifest: parsed once (and again when the models change), never on import."""

import hashlib
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import dagster as dg

from leap_assets.settings import settings

PROJECT_DIR = Path(__file__).resolve().parents[2] / "dbt_project"
TARGET_DIR = PROJECT_DIR / "target"
MANIFEST = TARGET_DIR / "manifest.json"
PARTIAL_PARSE = "partial_parse.msgpack"
SOURCE_FOLDERS = ("models", "seeds", "macros", "tests")
# The mart's asset key, as dagster-dbt names the dbt model marts/engagement_weekly (its schema, then
# its name); the checks, the governance report and the workbooks depend on it by this key.
MART_KEY = dg.AssetKey(["marts", "engagement_weekly"])


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


def parse_cache() -> Path:
    """Where the dbt runs against this warehouse keep their partial-parse state (in DAGSTER_HOME).

    dbt re-parses the whole project (4-7 s) when the profile's environment differs from the one its
    saved state was parsed with, and the warehouse path is in the profile: the state that `leap prepare`
    left in dbt_project/target matches only the warehouse it was parsed for. Each warehouse keeps its
    own, refreshed after every run, so a run parses only what changed since the last one.
    """
    key = hashlib.sha256(str(settings().warehouse).encode("utf-8")).hexdigest()[:12]
    return settings().dagster_home / "dbt" / key


def invocation_target(name: str, parses: bool = False) -> Path:
    """A fresh target folder for one dbt invocation; one that `parses` is seeded with the newest
    partial-parse state."""
    cache = parse_cache()
    target = cache / f"{name}-{uuid.uuid4().hex[:10]}"
    target.mkdir(parents=True)
    for saved in (cache / PARTIAL_PARSE, TARGET_DIR / PARTIAL_PARSE) if parses else ():
        if saved.exists():
            shutil.copyfile(saved, target / PARTIAL_PARSE)
            break
    return target


def keep_parse_state(target: Path) -> None:
    """Keep the invocation's partial-parse state for the next run, then remove its folder."""
    state = target / PARTIAL_PARSE
    if state.exists():
        partial = target.parent / f".{PARTIAL_PARSE}.{target.name}"
        shutil.copyfile(state, partial)
        os.replace(partial, target.parent / PARTIAL_PARSE)
    shutil.rmtree(target, ignore_errors=True)
