"""Benchmark: the Monday run. One new week's files land; `leap run` ingests them, builds, checks and
publishes that week. Timed with some weeks of history already built, to show it stays flat as
history grows.

    uv run python benchmarks/monday_run.py /tmp/leap-monday --students 20000 --history 12
    uv run python benchmarks/monday_run.py /tmp/leap-monday-36 --students 20000 --history 36

Generates `--history` + 1 weeks ending with the last complete week (untimed, into <folder>/generated),
lands every file of the history weeks in <folder>/landing and runs `leap backfill` over them (untimed),
then lands the last week's files (its Moodle day files, and the SEAtS file and SITS extract dated the
Monday after it) and times `leap run --week <last week>`, a fresh process, as the Monday schedule's
run would be. Reports its wall time, the peak resident memory of its process tree (dbt included) and
the time of each step of its Dagster runs. Nothing is written to the work tree.
"""

import argparse
import json
import os
import re
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import dagster as dg
from term_backfill import fresh_folder, run_stage

from leap_assets.partitions import last_complete_week

DATED = re.compile(r"(\d{4}-\d{2}-\d{2})")


def is_new(relative: Path, week: date) -> bool:
    """Whether a generated file arrives with `week`: Moodle days of the week, SEAtS files and SITS
    extracts dated after its Monday (the Monday after it); school lists are history."""
    found = DATED.search(str(relative))
    if relative.parts[0] == "schools" or not found:
        return False
    day = date.fromisoformat(found[1])
    return day >= week if relative.parts[0] == "moodle" else day > week


def land(generated: Path, landing: Path, week: date, new: bool) -> int:
    """Hard-link the history files (new=False) or the week's files (new=True) into the landing zone."""
    count = 0
    for source in sorted(p for p in generated.rglob("*") if p.is_file()):
        relative = source.relative_to(generated)
        if is_new(relative, week) != new:
            continue
        target = landing / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        os.link(source, target)
        count += 1
    return count


def step_times(dagster_home: Path, since: float) -> list[str]:
    """`job: step seconds, ...` for every run started after `since` (a Unix time), oldest first."""
    os.environ["DAGSTER_HOME"] = str(dagster_home)
    instance = dg.DagsterInstance.get()
    lines = []
    wanted = {dg.DagsterEventType.STEP_START, dg.DagsterEventType.STEP_SUCCESS}
    for record in reversed(instance.get_run_records(limit=20)):
        if (record.start_time or 0) < since:
            continue
        started, steps = {}, []
        for event in instance.get_records_for_run(record.dagster_run.run_id, of_type=wanted).records:
            entry = event.event_log_entry
            if entry.dagster_event.event_type == dg.DagsterEventType.STEP_START:
                started[entry.step_key] = entry.timestamp
            elif entry.step_key in started:
                steps.append(f"{entry.step_key.split('__')[-1]} {entry.timestamp - started[entry.step_key]:.1f}")
        wall = (record.end_time or 0) - record.start_time
        lines.append(f"{record.dagster_run.job_name} ({wall:.1f} s): {', '.join(steps)}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="an empty or absent folder for everything the run writes")
    parser.add_argument("--students", type=int, default=2000)
    parser.add_argument("--history", type=int, default=12, help="weeks built before the Monday run")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    options = parser.parse_args()
    if not 1 <= options.history <= 51:
        sys.exit("--history must be 1 to 51 weeks (a generated term has at most 52).")
    week = last_complete_week(date.today())
    start = week - timedelta(days=7 * options.history)
    root, env = fresh_folder(options.folder)
    generated = root / "generated"
    generate = ["generate", "--students", str(options.students), "--weeks", str(options.history + 1)]
    generate += ["--start", start.isoformat(), "--seed", str(options.seed), "--landing", str(generated)]
    print(f"Generating {options.history + 1} weeks from {start} (untimed)...", flush=True)
    run_stage(generate, env)
    land(generated, root / "landing", week, new=False)
    history = ["backfill", "--from", start.isoformat(), "--to", (week - timedelta(days=7)).isoformat()]
    print(f"Building the {options.history} weeks of history (untimed)...", flush=True)
    built = run_stage(history, env)
    print(f"  history built in {built['seconds']:,.1f} s", flush=True)

    files = land(generated, root / "landing", week, new=True)
    since = time.time()
    monday = run_stage(["run", "--week", week.isoformat()], env)
    steps = step_times(root / "dagster", since)
    print(f"Monday run of week {week}: {options.students:,} students, {options.history} weeks of history, "
          f"{files} new file(s), {os.cpu_count()} CPU(s)")  # fmt: skip
    print(f"leap run: {monday['seconds']:,.1f} s, peak RSS of the process tree {monday['peak_tree_mib']:,} MiB")
    for line in steps:
        print(f"  {line}")
    if options.json:
        figures = {"students": options.students, "history_weeks": options.history, "week": week.isoformat(),
                   "new_files": files, "seconds": monday["seconds"], "peak_tree_mib": monday["peak_tree_mib"],
                   "history_seconds": built["seconds"], "steps": steps}  # fmt: skip
        options.json.write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
