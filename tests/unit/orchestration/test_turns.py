"""LEAP's runs take turns on a lock file: a second command waits, says for whom, and goes on when the
first ends, however it ends."""

import os
import signal
import subprocess
import sys
import textwrap
import time

from orchestration.runs.turns import RUN_LOCK, run_turn

HOLDER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from orchestration.runs.turns import run_turn

    with run_turn(Path(sys.argv[1]), "weekly_job", waiting=print):
        Path(sys.argv[2]).write_text("held")
        time.sleep(float(sys.argv[3]))
    """
)


def hold(home, seconds: float) -> subprocess.Popen:
    """Another process that takes the turn and keeps it for `seconds` (returns once it holds it)."""
    marker = home / f"held-{time.monotonic_ns()}"
    process = subprocess.Popen([sys.executable, "-c", HOLDER, str(home), str(marker), str(seconds)])
    deadline = time.monotonic() + 60
    while not marker.exists():
        assert process.poll() is None and time.monotonic() < deadline, "the holder never took its turn"
        time.sleep(0.02)
    return process


def test_a_run_waits_for_the_turn_of_another_process_and_names_it(tmp_path):
    holder = hold(tmp_path, 2)
    asked = time.monotonic()  # the holder keeps its turn for 2 s from (a little before) now
    told = []
    with run_turn(tmp_path, "ingest_job", waiting=told.append):
        assert time.monotonic() - asked > 1.5, "the turn was taken while another process held it"
        assert (tmp_path / RUN_LOCK).read_text() == f"process {os.getpid()} (ingest_job)"
    assert told == [f"process {holder.pid} (weekly_job)"]
    assert holder.wait() == 0
    assert (tmp_path / RUN_LOCK).read_text() == "", "a finished run still names itself as the holder"


def test_a_killed_holder_does_not_block_the_next_run(tmp_path):
    holder = hold(tmp_path, 600)
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait()
    started = time.monotonic()
    with run_turn(tmp_path, "ingest_job", waiting=lambda _: None):
        assert time.monotonic() - started < 5


def test_no_wait_and_no_message_when_no_one_holds_the_turn(tmp_path):
    told = []
    with run_turn(tmp_path, "ingest_job", waiting=told.append):
        pass
    assert told == []
