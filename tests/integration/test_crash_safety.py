"""Crash safety: `leap backfill` killed with SIGKILL (with dbt and its workers, the whole process group)
while it ingests; re-run and killed again while dbt builds the mart; again while it writes the
governance report's Data Docs; again while it writes the schools' workbooks; a last plain re-run then
completes the term, and the warehouse and the published files are exactly those of a run that was
never interrupted.

Each re-run recovers from what the killed runs before it left, as a night of power cuts would leave
it, and the term is built from scratch only twice (the reference and the chain), not once per kill.
The moment to kill is found from outside, in the instance's event log (the step's STEP_START), plus
half of the step's duration in the uninterrupted reference run; the test checks that the step had
not finished when the kill landed.
"""

import hashlib
import re
import shutil
import time
from pathlib import Path

import dagster as dg
import duckdb
import openpyxl
import pytest

from leap_assets.warehouse.schema import RAW_TABLES
from tests.support.leap_processes import kill_group, leap, step_events, step_intervals, wait_for_step

START, WEEKS, STUDENTS, SEED = "2026-10-12", 3, 150, 7
BACKFILL = ("backfill", "--term", "AUT", "--year", "2026")
TEMPORARY = (".partial", ".old", ".tmp")
RUN_TIME = re.compile(r"\d{8}T\d{6}\.\d+Z")


def environment(root: Path) -> dict[str, str]:
    return {
        "LEAP_LANDING": str(root / "landing"),
        "LEAP_WAREHOUSE": str(root / "warehouse" / "leap.duckdb"),
        "LEAP_PUBLISH": str(root / "publish"),
        "DAGSTER_HOME": str(root / "dagster"),
        # The schools' workbooks and the weeks' checks in worker processes, as on a real term: a kill
        # reaches them too (the rest of the suite runs with one process, tests/conftest.py).
        "LEAP_WORKERS": "2",
    }


def run_to_end(*args: str, env: dict[str, str], log: Path) -> None:
    process = leap(*args, env=env, log=log)
    assert process.wait(timeout=1800) == 0, log.read_text()


def marts(env: dict[str, str]) -> list[tuple]:
    with duckdb.connect(env["LEAP_WAREHOUSE"], read_only=True) as con:
        return con.execute("select * from marts.engagement_weekly order by week_start, student_id").fetchall()


def landed(env: dict[str, str]) -> dict[str, tuple]:
    """Per raw table its row count and distinct (file, line) count; per landed path its bytes and rows."""
    with duckdb.connect(env["LEAP_WAREHOUSE"], read_only=True) as con:
        counts = {}
        for table, columns in RAW_TABLES.items():
            has_lines = any(name == "_source_line" for name, _ in columns)
            lineage = "count(distinct (_source_file, _source_line))" if has_lines else "0"
            counts[table] = con.execute(f"select count(*), {lineage} from raw.{table}").fetchone()
        files = con.execute("select path, sha256, status, rows_loaded, rows_quarantined from meta.landed_files")
        return {"tables": counts, "files": sorted(files.fetchall())}


def published(env: dict[str, str]) -> dict[str, str]:
    """Every published file: the CSVs' content, the rest by name only (Data Docs name folders by time).

    Checks first that every workbook opens and that no temporary file or folder is left behind.
    """
    root = Path(env["LEAP_PUBLISH"])
    leftovers = [p for p in root.rglob("*") if p.name.startswith(".") or p.name.endswith(TEMPORARY)]
    assert not leftovers, f"temporary files left behind: {leftovers}"
    files = {}
    for path in sorted(p for p in root.rglob("*") if p.is_file() and p.name != "alerts.log"):
        if path.suffix == ".xlsx":
            openpyxl.load_workbook(path, read_only=True).close()
        name = RUN_TIME.sub("<run>", path.relative_to(root).as_posix())
        files[name] = hashlib.sha256(path.read_bytes()).hexdigest() if path.suffix == ".csv" else "present"
    return files


def wait_for_file(root: Path, pattern: str, process, timeout: float = 600) -> None:
    deadline = time.monotonic() + timeout
    while not any(root.glob(pattern)):
        assert process.poll() is None and time.monotonic() < deadline, f"no {pattern} appeared"
        time.sleep(0.02)


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """A generated landing zone and the uninterrupted backfill of its term, with each step's duration."""
    root = tmp_path_factory.mktemp("reference")
    env = environment(root)
    args = ("generate", "--students", str(STUDENTS), "--weeks", str(WEEKS), "--start", START, "--seed", str(SEED))
    run_to_end(*args, env=env, log=root / "generate.log")
    pristine = root / "pristine-landing"
    shutil.copytree(env["LEAP_LANDING"], pristine)
    run_to_end(*BACKFILL, env=env, log=root / "backfill.log")
    with dg.DagsterInstance.from_config(env["DAGSTER_HOME"]) as instance:
        durations = {step: end - start for _, step, start, end in step_intervals(instance)}
    return {"landing": pristine, "env": env, "durations": durations}


# The stages in the order a backfill reaches them, each killed in a run that got further than the last.
STAGES = [
    ("ingestion", "moodle", None),
    ("dbt", "dbt_weekly", None),
    # While the Data Docs folder is being built beside the old one, before the swap.
    ("publishing", "governance_report", "*/governance/.data-docs-*.partial"),
    ("publishing", "student_engagement_reports", None),
]


@pytest.mark.e2e
def test_a_backfill_killed_at_each_stage_in_turn_completes_on_re_run_as_if_never_interrupted(
    reference, tmp_path, monkeypatch
):
    env = environment(tmp_path)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    shutil.copytree(reference["landing"], env["LEAP_LANDING"])
    from orchestration.runs.instance import instance as leap_instance

    instance = leap_instance()
    killed = []
    for stage, step, sign in STAGES:
        doomed = leap(*BACKFILL, env=env, log=tmp_path / f"killed-{step}.log")
        # No earlier run got as far as this step: its first start is this run's.
        started = wait_for_step(instance, step, doomed)
        if sign:
            wait_for_file(Path(env["LEAP_PUBLISH"]), sign, doomed)
        else:
            time.sleep(max(0.0, started + reference["durations"][step] / 2 - time.time()))
        kill_group(doomed)
        finished = [e for e in step_events(instance, step) if e[2] != "STEP_START"]
        assert not finished, f"{step} finished before the kill: the {stage} stage was not interrupted"
        (run,) = [run for run in instance.get_runs() if run.status == dg.DagsterRunStatus.STARTED]
        killed.append(run.run_id)

    run_to_end(*BACKFILL, env=env, log=tmp_path / "rerun.log")

    assert [instance.get_run_by_id(run_id).status for run_id in killed] == [dg.DagsterRunStatus.FAILURE] * 4
    assert not instance.event_log_storage.get_concurrency_run_ids(), "a pool slot is still claimed"
    expected = reference["env"]
    assert landed(env) == landed(expected)
    assert all(rows == lines for rows, lines in landed(env)["tables"].values() if lines), "duplicate raw rows"
    assert marts(env) == marts(expected)
    assert published(env) == published(expected)
