"""Benchmark: one erasure request on a built term, through `leap privacy process`.

    uv run python benchmarks/erasure.py /tmp/leap-erasure-demo                        # the demo university
    uv run python benchmarks/erasure.py /tmp/leap-erasure-20k --students 20000 --weeks 12 --start 2026-08-31

The first call generates the university and backfills its term (skipped when the folder already holds
a built warehouse). Each call then erases one student who is in every week's reports and has Moodle
activity, and reports the wall time and peak RSS of `leap privacy process` (the erasure itself: landed
files, published views, the warehouse transaction and its compaction) and of the re-publication of the
weeks that held the student, which that command runs next. Nothing is written to the work tree.
"""

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import duckdb


def leap(env: dict[str, str], *args: str) -> tuple[float, int, str]:
    """(seconds, peak RSS in MB of the process and its children, output) of one `leap` command."""
    started = time.monotonic()
    done = subprocess.run(
        ["/usr/bin/time", "-v", sys.executable, "-m", "orchestration.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.monotonic() - started
    if done.returncode != 0:
        raise SystemExit(f"leap {' '.join(args)} failed:\n{done.stdout}\n{done.stderr[-3000:]}")
    peak = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr).group(1)) // 1024
    return seconds, peak, done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--students", type=int, default=2000)
    parser.add_argument("--weeks", type=int, default=10)
    parser.add_argument("--start", default="2026-09-14")
    args = parser.parse_args()
    root = args.folder.resolve()
    env = {
        **os.environ,
        "LEAP_LANDING": str(root / "landing"),
        "LEAP_WAREHOUSE": str(root / "warehouse" / "leap.duckdb"),
        "LEAP_PUBLISH": str(root / "publish"),
        "DAGSTER_HOME": str(root / "dagster"),
    }
    warehouse = root / "warehouse" / "leap.duckdb"
    if not warehouse.exists():
        generate = ["generate", "--students", str(args.students), "--weeks", str(args.weeks), "--start", args.start]
        print(f"generate: {leap(env, *generate, '--seed', '2026')[0]:.0f} s")
        seconds, peak, _ = leap(env, "backfill", "--term", "AUT", "--year", args.start[:4])
        print(f"backfill of the term: {seconds:.0f} s, peak RSS {peak} MB")
    with duckdb.connect(str(warehouse), read_only=True) as con:
        weeks = con.execute("select count(distinct week_start) from marts.engagement_weekly").fetchone()[0]
        student = con.execute(
            "select student_id from marts.engagement_weekly e where exists (select 1 from raw.sits_studentidmap m "
            "join raw.moodle_log l on l.userid = m.identifier where m.student_id = e.student_id) "
            "group by student_id having count(*) = ? order by student_id limit 1",
            [weeks],
        ).fetchone()[0]
        size = warehouse.stat().st_size
    requests = root / "landing" / "privacy" / "requests.csv"
    requests.parent.mkdir(parents=True, exist_ok=True)
    number = sum(1 for _ in requests.open()) if requests.exists() else 0
    with requests.open("a") as handle:
        if not number:
            handle.write("REQUEST_ID,STUDENT_ID,TYPE,RECEIVED_DATE,DETAILS,APPROVED_BY\n")
        handle.write(f"BENCH-{number + 1},{student},erasure,2026-11-29,,Benchmark\n")
    seconds, peak, output = leap(env, "privacy", "process")
    published = re.search(r"Built (\d+) report week\(s\) in (\d+) s", output)
    republished = int(published.group(2)) if published else 0
    print(f"warehouse before: {size / 1e6:.0f} MB; report weeks: {weeks}")
    print(f"leap privacy process (one erasure): {seconds:.0f} s in all, peak RSS {peak} MB")
    print(f"  of which re-publishing {published.group(1) if published else 0} week(s): {republished} s")
    print(f"  so the erasure itself: {seconds - republished:.0f} s")


if __name__ == "__main__":
    main()
