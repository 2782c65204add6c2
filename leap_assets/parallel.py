"""Independent pieces of a run (report weeks, school workbooks) spread over a few worker processes.

Checks and workbook writing are pure Python, held to one core by the GIL; weeks and schools do not
depend on one another, so a run gives them to `LEAP_WORKERS` processes (default: one per CPU, up to
2). Workers are spawned, never forked: a Dagster run has threads, and a forked child can inherit a
lock one of them held. A run with one piece of work, or one worker, does it in its own process.

`run_pool` makes one pool for a whole run (spawning costs a second or two of imports per worker) and
`map_in_pool` uses it when one is open, so the functions that use it keep their signatures.
"""

import multiprocessing
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from typing import Any

from leap_assets.settings import settings

_open: list[ProcessPoolExecutor] = []


def spawn_context():
    return multiprocessing.get_context("spawn")


@contextmanager
def run_pool(tasks: int, initializer: Callable | None = None, initargs: tuple = ()) -> Iterator[Any]:
    """A pool of up to LEAP_WORKERS processes for `tasks` pieces of work (None when one process is
    enough); while it is open, `map_in_pool` uses it."""
    count = min(settings().workers, tasks)
    if count <= 1:
        yield None
        return
    with ProcessPoolExecutor(count, mp_context=spawn_context(), initializer=initializer, initargs=initargs) as pool:
        _open.append(pool)
        try:
            yield pool
        finally:
            _open.remove(pool)


def map_in_pool(function: Callable, *arguments: Iterable) -> list:
    """`function` over the arguments, in the open run pool if any (results in order), else here."""
    columns = [list(column) for column in arguments]
    if not _open or len(columns[0]) <= 1:
        return [function(*row) for row in zip(*columns, strict=True)]
    return list(_open[-1].map(function, *columns))
