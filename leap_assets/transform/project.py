"""The dbt project and its manifest: parsed once (and again when the models change), never on import."""

import hashlib
import os
import pprint
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
TEMPLATES = TARGET_DIR / "parse_templates"  # a warehouse's first parse starts from one of these
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
        save_template(TARGET_DIR / PARTIAL_PARSE, settings().warehouse)
    return MANIFEST


def parse_cache(warehouse: Path) -> Path:
    """Where the dbt runs against this warehouse keep their partial-parse state (in DAGSTER_HOME).

    dbt re-parses the whole project (2.5-7 s) when the profile differs from the one its saved state
    was parsed with, and the warehouse path is in the profile. Each warehouse keeps its own state,
    refreshed after every run, so a run parses only what changed since the last one; a warehouse's
    first run starts from the template state (`template_state`).
    """
    key = hashlib.sha256(str(warehouse).encode("utf-8")).hexdigest()[:12]
    return settings().dagster_home / "dbt" / key


def invocation_target(name: str, warehouse: Path, parses: bool = False) -> Path:
    """A fresh target folder for one dbt invocation; one that `parses` is seeded with the newest
    partial-parse state for `warehouse`."""
    cache = parse_cache(warehouse)
    target = cache / f"{name}-{uuid.uuid4().hex[:10]}"
    target.mkdir(parents=True)
    if parses:
        saved = cache / PARTIAL_PARSE
        if saved.exists():
            shutil.copyfile(saved, target / PARTIAL_PARSE)
        elif (state := template_state(warehouse)) is not None:
            (target / PARTIAL_PARSE).write_bytes(state)
    return target


def template_state(warehouse: Path) -> bytes | None:
    """A partial-parse state valid for `warehouse`, from the template of warehouses of its name; None
    when there is none (dbt then parses the whole project, as it always may)."""
    template = TEMPLATES / f"{warehouse.stem}.msgpack"
    if not template.exists():
        return None
    return retarget(template.read_bytes(), _stand_in(warehouse), warehouse)


def save_template(state: Path, warehouse: Path) -> None:
    """Keep `state`, as dbt parsed it for `warehouse`, as the template of warehouses of its name,
    unless one newer than the manifest is kept already."""
    template = TEMPLATES / f"{warehouse.stem}.msgpack"
    if template.exists() and MANIFEST.exists() and template.stat().st_mtime >= MANIFEST.stat().st_mtime:
        return
    if not state.exists() or (moved := retarget(state.read_bytes(), warehouse, _stand_in(warehouse))) is None:
        return
    TEMPLATES.mkdir(parents=True, exist_ok=True)
    partial = TEMPLATES / f".{template.name}.{uuid.uuid4().hex[:10]}"
    partial.write_bytes(moved)
    os.replace(partial, template)


def _stand_in(warehouse: Path) -> Path:
    """The path a template is kept for: the warehouse's name in the templates folder (never opened)."""
    return TEMPLATES / warehouse.name


def retarget(state: bytes, parsed_for: Path, warehouse: Path) -> bytes | None:
    """dbt's partial-parse `state`, parsed for the warehouse `parsed_for`, made valid for `warehouse`
    of the same name; None when that cannot be shown.

    Nothing dbt parses records the warehouse's folder: dbt-duckdb names the catalog after the file's
    stem, and that is all a node holds of it. So the state parsed for one warehouse is the state of
    any other of the same name, but for the hash of the profile that dbt compares before it trusts
    the state (and the project's files, which it still compares). The hash is recomputed here as dbt
    computes it; only when that gives the saved hash for `parsed_for` is the state handed on, with
    the hash for `warehouse`.
    """
    import msgpack  # dbt's own format for the state; installed with dbt

    if parsed_for.name != warehouse.name:
        return None
    saved = msgpack.unpackb(state, strict_map_key=False)
    check = saved.get("state_check", {}).get("profile_hash", {})
    if check.get("checksum") is None or check.get("checksum") != profile_hash(parsed_for):
        return None
    check["checksum"] = profile_hash(warehouse)
    return msgpack.packb(saved, use_bin_type=True)


def profile_hash(warehouse: Path) -> str | None:
    """dbt's hash of the profile's connection values with the warehouse at `warehouse`
    (dbt/parser/manifest.py, `build_manifest_state_check`): sha256 of their sorted pformat."""
    import yaml
    from dbt.adapters.factory import load_plugin

    profiles = yaml.safe_load((PROJECT_DIR / "profiles.yml").read_text(encoding="utf-8"))["leap"]
    output = dict(profiles["outputs"][profiles["target"]])
    values = {key: value for key, value in output.items() if key not in ("type", "threads")}
    values["path"] = str(warehouse)
    if any("{{" in str(value) for key, value in values.items() if key != "path"):
        return None  # another templated value: not ours to render
    credentials_type = load_plugin(output["type"])
    credentials = credentials_type.from_dict(credentials_type.translate_aliases(values))
    return hashlib.sha256(pprint.pformat(sorted(credentials.connection_info())).encode("utf-8")).hexdigest()


def keep_parse_state(target: Path) -> None:
    """Keep the invocation's partial-parse state for the next run, then remove its folder."""
    state = target / PARTIAL_PARSE
    if state.exists():
        partial = target.parent / f".{PARTIAL_PARSE}.{target.name}"
        shutil.copyfile(state, partial)
        os.replace(partial, target.parent / PARTIAL_PARSE)
    shutil.rmtree(target, ignore_errors=True)
