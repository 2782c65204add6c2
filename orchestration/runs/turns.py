"""Taking turns across processes with a lock file (fcntl.flock): the instance's first set-up, and LEAP's
own runs.

Why LEAP's runs take turns on a lock as well as through the `warehouse` pool: Dagster's SQLite storage
first counts a pool's free slots and then takes one, in two statements (SQLite ignores `SELECT ... FOR
UPDATE`), so two processes that ask in the same instant can both be given the pool's one slot. CI saw
it once: two `leap` commands started together ran their `moodle` ingest steps at the same time. The
lock closes that gap for every run a `leap` command starts; the operating system releases it when the
process ends, however it ends, so a killed command never blocks the next one. Runs the Dagster daemon
launches (sensors, the schedule, the UI) still take turns only through the pool and
`max_concurrent_runs: 1`.
"""

import os
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

RUN_LOCK = ".leap-run.lock"  # in DAGSTER_HOME; holds the pid and job of the run that has the turn


@contextmanager
def file_lock(path: Path, holder: str = "", waiting: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold an exclusive lock on `path` for the block, waiting for it if another process has it.

    `holder` is written into the file while the lock is held; a process that has to wait first calls
    `waiting` with what the holder wrote (so it can say whom it waits for)."""
    try:
        import fcntl
    except ImportError:  # Windows: no advisory locks; the Dagster pool alone makes runs take turns
        yield
        return
    with path.open("a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if waiting is not None:
                handle.seek(0)
                waiting(handle.read().strip())
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            if holder:
                handle.seek(0)
                handle.truncate()
                handle.write(holder)
                handle.flush()
            yield
        finally:
            if holder:
                handle.truncate(0)
                handle.flush()
            fcntl.flock(handle, fcntl.LOCK_UN)


def run_turn(home: Path, job_name: str, waiting: Callable[[str], None]) -> AbstractContextManager[None]:
    """The turn of one run LEAP starts in this instance (see the module's docstring)."""
    return file_lock(home / RUN_LOCK, holder=f"process {os.getpid()} ({job_name})", waiting=waiting)
