"""Benchmark: land one 1,000,000-row Moodle export into a warehouse that already holds ~5 million rows.

    uv run python benchmarks/moodle_ingest.py /tmp/leap-bench            # prepare (once), then measure
    uv run python benchmarks/moodle_ingest.py /tmp/leap-bench --rows 200000 --history-files 3

Seven 1,000,000-row history files keep ~5.2 million rows (a quarter are not learning activity). They
are landed through `moodle.ingest` itself, so the warehouse and the landing zone look as they would
after a week of daily runs. The measured landing runs in a fresh process so that its peak RSS is
its own. Nothing is written to the work tree.
"""

import argparse
import resource
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import duckdb

from leap_assets.ingestion import moodle
from leap_assets.warehouse.db import connect

FIRST_DAY = date(2026, 10, 1)


def export(path: Path, first_id: int, rows: int, day: date) -> None:
    """A synthetic logstore export: ~25% non-learning rows, half the `other` cells quoted JSON with commas."""
    epoch = int((day - date(1970, 1, 1)).total_seconds())
    query = f"""
        copy (
            select
                i as id,
                ['\\mod_page\\event\\course_module_viewed', '\\core\\event\\course_viewed',
                 '\\mod_forum\\event\\post_created', '\\core\\event\\user_loggedin'][1 + i % 4] as eventname,
                'mod_page' as component, 'viewed' as action, 'course_module' as target, 'r' as crud,
                case when i % 10 = 3 then 0 when i % 17 = 0 then 1 else 2 end as edulevel,
                hash(i) % 99999 as contextid, 70 as contextlevel, hash(i + 1) % 9999 as contextinstanceid,
                hash(i + 2) % 30000 as userid, 1 + hash(i + 3) % 800 as courseid,
                'NULL' as relateduserid, case when i % 101 = 0 then 1 else 0 end as anonymous,
                case when i % 2 = 0 then '{{"cmid":"' || i % 9999 || '","name":"a, b"}}' else 'N;' end as other,
                {epoch} + hash(i + 4) % 86400 as timecreated,
                case i % 16 when 3 then 'ws' when 11 then 'cli' when 15 then 'cron' else 'web' end as origin,
                '10.' || i % 256 || '.' || (i // 256) % 256 || '.7' as ip,
                case when i % 97 = 0 then '5' else 'NULL' end as realuserid
            from range({first_id}, {first_id + rows}) t(i)
        ) to '{path}' (header, delimiter ',', quote '"', force_quote (other))
    """
    duckdb.execute(query)


def prepare(root: Path, rows: int, history_files: int) -> None:
    landing = root / "landing"
    (landing / "moodle").mkdir(parents=True, exist_ok=True)
    for n in range(history_files + 1):
        day = FIRST_DAY + timedelta(days=n)
        path = landing / "moodle" / f"logstore_{day}.csv"
        target = root / path.name if n == history_files else path  # the measured file waits outside
        if not target.exists():
            export(target, 1 + n * rows, rows, day)
    with connect(root / "warehouse.duckdb") as con:
        started = time.perf_counter()
        outcomes = moodle.ingest(con, landing, "Europe/London")
        if outcomes:
            print(f"history: landed {len(outcomes)} files in {time.perf_counter() - started:.1f}s")
        [(count,)] = con.execute("select count(*) from raw.moodle_log").fetchall()
        print(f"history: raw.moodle_log holds {count:,} rows")
        started = time.perf_counter()
        assert moodle.ingest(con, landing, "Europe/London") == []
        print(f"a run with nothing new: {time.perf_counter() - started:.2f}s")


def measure(root: Path) -> None:
    landing = root / "landing"
    [waiting] = sorted(root.glob("logstore_*.csv"))
    waiting.rename(landing / "moodle" / waiting.name)
    with connect(root / "warehouse.duckdb") as con:
        started = time.perf_counter()
        [outcome] = moodle.ingest(con, landing, "Europe/London")
        elapsed = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    peak, cpu = usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime
    size = (landing / "moodle" / waiting.name).stat().st_size / 1e6
    print(
        f"landed {waiting.name} ({size:.0f} MB): {elapsed:.1f}s wall, {cpu:.1f}s CPU (whole process), "
        f"peak RSS {peak:.0f} MiB; loaded "
        f"{outcome.rows_loaded:,}, filtered {outcome.rows_filtered:,}, duplicate {outcome.rows_duplicate:,}, "
        f"quarantined {outcome.rows_quarantined:,}"
    )
    (landing / "moodle" / waiting.name).rename(waiting)  # ready to measure again
    with connect(root / "warehouse.duckdb") as con:
        con.execute("delete from raw.moodle_log where _source_file = ?", [f"moodle/{waiting.name}"])
        con.execute("delete from meta.landed_files where path = ?", [f"moodle/{waiting.name}"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("root", type=Path)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--history-files", type=int, default=7)
    parser.add_argument("--measure-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure_only:
        measure(args.root)
        return
    args.root.mkdir(parents=True, exist_ok=True)
    prepare(args.root, args.rows, args.history_files)
    subprocess.run([sys.executable, __file__, str(args.root), "--measure-only"], check=True)


if __name__ == "__main__":
    main()
