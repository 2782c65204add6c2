"""Progress lines from inside a run to the command that started it in this process.

`leap` runs its jobs in process (orchestration/runs/instance.py): while it does, it registers a sink
that prints each line on the terminal, or as a plain line when the output is not a terminal (a log,
cron, `make demo | tee`). A run the daemon or the UI launches has no sink: the lines go nowhere,
and the run's own log in the instance holds the same facts. Lines name files and counts, never a
student.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager

_sink: Callable[[str], None] | None = None


@contextmanager
def reporting_to(sink: Callable[[str], None]) -> Iterator[None]:
    """Send `report`'s lines to `sink` for the block (the block's runs are in this process)."""
    global _sink
    previous, _sink = _sink, sink
    try:
        yield
    finally:
        _sink = previous


def report(line: str) -> None:
    if _sink is not None:
        _sink(line)
