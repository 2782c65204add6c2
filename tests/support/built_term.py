"""One small generated term, built once per test session and copied by the tests that need a built
term to start from (they then change their copy: privacy requests, new files, another backfill).

40 students, 2 weeks from 2026-10-12, seed 11: `leap generate`, then `leap backfill` of both weeks,
through the CLI in this process. Under pytest-xdist the first worker to ask builds it and the other
waits for it (a lock file beside it); each copy is a whole LEAP installation (landing zone, warehouse
and its privacy folder, publish folder, Dagster instance), so it behaves exactly as the built term."""

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from orchestration.runs.turns import file_lock
from tests.support.leap_processes import isolated_leap

WEEKS = ("--from", "2026-10-12", "--to", "2026-10-19")
GENERATE = ("generate", "--students", "40", "--weeks", "2", "--start", "2026-10-12", "--seed", "11")
PRISTINE = "pristine-landing"  # the landing zone as generated, before any ingest
FOLDERS = ("landing", "warehouse", "publish", "dagster")


def shared_root(factory: pytest.TempPathFactory) -> Path:
    """A folder every xdist worker of this session sees (the parent of the workers' own folders)."""
    base = factory.getbasetemp()
    return base.parent if base.name.startswith("popen-gw") else base


def build(root: Path) -> Path:
    """The built term, root/built-term-40x2 (built on the first call; later calls, in any worker, reuse it)."""
    term = root / "built-term-40x2"
    with file_lock(root / "built-term-40x2.lock"):  # LEAP's own fcntl lock: no extra dependency
        if not (term / "done").exists():
            shutil.rmtree(term, ignore_errors=True)
            _build(term)
            (term / "done").touch()
    return term


def _build(term: Path) -> None:
    # Imported only when a test asks for the term: tests/conftest.py imports this module for every tier.
    from leap_assets.transform.project import ensure_manifest
    from orchestration.cli import main

    with isolated_leap(term) as env, pytest.MonkeyPatch.context() as patch:
        patch.delenv("LEAP_PRIVACY_DIR", raising=False)
        patch.delenv("LEAP_PUBLISH_GROUP", raising=False)
        ensure_manifest()
        for args in (GENERATE, ("backfill", *WEEKS)):
            result = CliRunner().invoke(main, list(args), catch_exceptions=False)
            assert result.exit_code == 0, result.output
            if args is GENERATE:
                shutil.copytree(env["LEAP_LANDING"], term / PRISTINE)


def copy_term(term: Path, root: Path) -> Path:
    """A private copy of the built term under `root` (laid out as `isolated_leap` and `leap_env` expect);
    returns the landing zone as generated, before any ingest."""
    for folder in (*FOLDERS, PRISTINE):
        shutil.copytree(term / folder, root / folder, dirs_exist_ok=True)
    return root / PRISTINE
