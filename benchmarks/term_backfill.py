"""Benchmark: a whole-term backfill from nothing, as IT would run it, timed stage by stage.

    uv run python benchmarks/term_backfill.py /tmp/leap-term                   # the demo university
    uv run python benchmarks/term_backfill.py /tmp/leap-term-20k --students 20000 --weeks 12 --start 2026-08-31

    uv run python benchmarks/term_backfill.py /tmp/leap-ingest --stages generate,ingest,again --steps

Runs `leap generate`, `leap ingest` and `leap backfill --term CODE --year YYYY` one after the other,
each as its own process (in its own process group) with LEAP_LANDING, LEAP_WAREHOUSE, LEAP_PUBLISH and
DAGSTER_HOME inside the given folder, which must be empty or absent. For each stage it reports the
wall time, the peak resident memory of the whole process tree (the sum over the stage's processes,
dbt included, sampled every 0.2 s from /proc) and the largest single process's peak (getrusage).
`--stages` picks which of them run, in that order: `again` is a second `leap ingest` with nothing
new landed (after `ingest`, or after `backfill` when both are given). Nothing is written to the work tree.
"""

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import threading
import time
from datetime import date, timedelta
from pathlib import Path

from leap_assets.partitions import last_complete_week

SAMPLE_SECONDS = 0.2
STAGES = ("generate", "ingest", "backfill", "again")


def tree_rss_kib(group: int) -> int:
    """Resident memory (KiB) of every process in process group `group` (Linux /proc)."""
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            if int(stat.rsplit(")", 1)[1].split()[2]) != group:  # field 5: process group
                continue
            for line in (entry / "status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except (OSError, ValueError, IndexError):
            continue  # the process ended while being read
    return total


def fresh_folder(folder: Path) -> tuple[Path, dict[str, str]]:
    """`folder` (empty or absent, then created) and the environment that points every LEAP path into it."""
    root = folder.resolve()
    if root.exists() and any(root.iterdir()):
        sys.exit(f"{root} is not empty: give an empty or absent folder.")
    root.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "LEAP_LANDING": str(root / "landing"),
        "LEAP_WAREHOUSE": str(root / "warehouse" / "leap.duckdb"),
        "LEAP_PUBLISH": str(root / "publish"),
        "DAGSTER_HOME": str(root / "dagster"),
    }
    return root, env


def run_stage(args: list[str], env: dict[str, str]) -> dict:
    """Run `leap <args>`; returns its wall time, output and peak memory."""
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, "-m", "orchestration.cli", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    peak = [0]

    def sample() -> None:
        while process.poll() is None:
            peak[0] = max(peak[0], tree_rss_kib(process.pid))
            time.sleep(SAMPLE_SECONDS)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output, _ = process.communicate()
    sampler.join()
    seconds = time.monotonic() - started
    if process.returncode != 0:
        sys.exit(f"`leap {' '.join(args)}` failed (exit {process.returncode}):\n{output}")
    return {"seconds": round(seconds, 1), "peak_tree_mib": round(peak[0] / 1024), "output": output}


def print_steps(dagster_home: Path) -> None:
    """Each run's steps and their wall time, from the Dagster instance the stages used."""
    os.environ["DAGSTER_HOME"] = str(dagster_home)
    import dagster as dg

    instance = dg.DagsterInstance.get()
    kinds = {dg.DagsterEventType.STEP_START, dg.DagsterEventType.STEP_SUCCESS, dg.DagsterEventType.STEP_FAILURE}
    for run in reversed(instance.get_runs(limit=100)):
        print(f"run {run.run_id[:8]} ({run.job_name}):")
        started = {}
        for record in instance.get_records_for_run(run.run_id, of_type=kinds, limit=10_000).records:
            entry = record.event_log_entry
            if entry.dagster_event_type == dg.DagsterEventType.STEP_START:
                started[entry.step_key] = entry.timestamp
            elif entry.step_key in started:
                print(f"  {entry.step_key:<40} {entry.timestamp - started.pop(entry.step_key):>8,.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="an empty or absent folder for everything the run writes")
    parser.add_argument("--students", type=int, default=2000)
    parser.add_argument("--weeks", type=int, default=10)
    parser.add_argument("--start", default="2026-09-14", help="first Monday of the term")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    parser.add_argument(
        "--stages",
        default="generate,ingest,backfill",
        help=f"comma-separated, from {', '.join(STAGES)} (again: `leap ingest` once more, nothing new)",
    )
    parser.add_argument("--steps", action="store_true", help="also print each Dagster run's step times")
    options = parser.parse_args()
    chosen = [stage.strip() for stage in options.stages.split(",") if stage.strip()]
    unknown = [stage for stage in chosen if stage not in STAGES]
    if unknown or "generate" not in chosen:
        sys.exit(f"--stages: give generate and any of {', '.join(STAGES[1:])} (not {', '.join(unknown)}).")
    last_week = date.fromisoformat(options.start) + timedelta(days=7 * (options.weeks - 1))
    if last_week > last_complete_week(date.today()):
        sys.exit(f"the term's last week ({last_week}) has not ended yet: give an earlier --start.")
    root, env = fresh_folder(options.folder)
    generate = ["generate", "--students", str(options.students), "--weeks", str(options.weeks)]
    generate += ["--start", options.start, "--seed", str(options.seed)]
    stages = {"generate": run_stage(generate, env)}
    term = re.search(r"\(term (\S+) (\d{4})", stages["generate"]["output"])
    if not term:
        sys.exit("`leap generate` did not say which term it wrote.")
    if "ingest" in chosen:
        stages["ingest"] = run_stage(["ingest"], env)
    if "backfill" in chosen:
        stages["backfill"] = run_stage(["backfill", "--term", term[1], "--year", term[2]], env)
    if "again" in chosen:
        stages["again"] = run_stage(["ingest"], env)

    largest_mib = round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
    landing_mb = sum(p.stat().st_size for p in (root / "landing").rglob("*") if p.is_file()) / 1e6
    warehouse = root / "warehouse" / "leap.duckdb"
    warehouse_mb = warehouse.stat().st_size / 1e6 if warehouse.exists() else 0.0
    print(f"Term {term[1]} {term[2]}: {options.students:,} students, {options.weeks} weeks, seed {options.seed}")
    print(f"landing zone {landing_mb:,.0f} MB, warehouse {warehouse_mb:,.0f} MB, {os.cpu_count()} CPU(s)")
    print(f"{'stage':<10} {'wall (s)':>9} {'peak RSS of the process tree (MiB)':>36}")
    for name, stage in stages.items():
        print(f"{name:<10} {stage['seconds']:>9,.1f} {stage['peak_tree_mib']:>36,}")
    total = sum(stage["seconds"] for stage in stages.values())
    print(f"{'total':<10} {total:>9,.1f}   largest single process: {largest_mib:,} MiB")
    if options.steps:
        print_steps(root / "dagster")
    if options.json:
        figures = {name: {k: v for k, v in stage.items() if k != "output"} for name, stage in stages.items()}
        figures.update(students=options.students, weeks=options.weeks, largest_process_mib=largest_mib,
                       landing_mb=round(landing_mb), warehouse_mb=round(warehouse_mb))  # fmt: skip
        options.json.write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
