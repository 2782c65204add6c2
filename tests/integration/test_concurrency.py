"""One writer: runs in different processes take turns on the warehouse pool's one slot, a run killed
while holding it does not block the next one for ever, and two real `leap` commands at once both
succeed instead of failing on DuckDB's file lock."""

import itertools
import textwrap
import time

import pytest

from leap_assets.warehouse.db import WAREHOUSE_POOL
from orchestration.runs.crashed_runs import reap_crashed_runs
from orchestration.runs.instance import instance as leap_instance
from tests.support.leap_processes import kill_group, leap, start, step_intervals, table, wait_for_step

HOLDER = textwrap.dedent(
    '''
    """A run of one step in the warehouse pool that holds its slot for argv[1] seconds."""
    import sys
    import time

    import dagster as dg

    from orchestration.runs.crashed_runs import process_tags
    from orchestration.runs.instance import instance

    @dg.asset(pool="warehouse")
    def hold() -> None:
        """Hold the warehouse pool's slot for a while."""
        time.sleep(float(sys.argv[1]))

    if __name__ == "__main__":
        result = dg.materialize([hold], instance=instance(), tags=process_tags())
        sys.exit(0 if result.success else 1)
    '''
)


def warehouse_steps() -> set[str]:
    """The steps (ops) of LEAP's jobs that take the warehouse pool."""
    from orchestration.definitions import defs

    jobs = [defs.resolve_job_def(name) for name in ("ingest_job", "weekly_job")]
    return {op.name for job in jobs for op in job.graph.node_defs if op.pool == WAREHOUSE_POOL}


@pytest.fixture
def holder(tmp_path, leap_env):
    script = tmp_path / "hold.py"
    script.write_text(HOLDER)
    return lambda seconds: start([str(script), str(seconds)])


def test_a_run_s_warehouse_step_waits_while_another_process_holds_the_slot(holder):
    instance = leap_instance()
    first = holder(8)
    wait_for_step(instance, "hold", first, timeout=120)
    second = holder(0)
    assert first.wait(timeout=120) == 0 and second.wait(timeout=120) == 0
    (a, b) = sorted(step_intervals(instance), key=lambda interval: interval[2])
    assert a[0] != b[0]
    assert b[2] >= a[3], "the second run's step started before the first released the slot"


def test_a_run_killed_holding_the_slot_is_failed_and_its_slot_freed(holder, leap_env):
    instance = leap_instance()
    alive = holder(600)
    wait_for_step(instance, "hold", alive, timeout=120)
    assert reap_crashed_runs(instance) == [], "a live process's run must not be touched"
    (run,) = instance.get_runs()
    kill_group(alive)

    assert reap_crashed_runs(instance) == [run.run_id]
    assert instance.get_run_by_id(run.run_id).status.value == "FAILURE"
    (alert,) = (leap_env["LEAP_PUBLISH"] / "alerts.log").read_text().splitlines()
    assert f"RUN_FAILED {run.job_name} failed" in alert and "ended without finishing it" in alert
    assert f"run_id={run.run_id}" in alert
    assert not instance.event_log_storage.get_concurrency_run_ids()
    started = time.monotonic()
    assert holder(0).wait(timeout=120) == 0
    assert time.monotonic() - started < 60


@pytest.mark.e2e
def test_two_leap_commands_at_once_both_succeed(leap_env, tmp_path):
    generated = leap("generate", "--students", "150", "--weeks", "2", "--start", "2026-10-12", "--seed", "5")
    assert generated.wait(timeout=300) == 0
    logs = [tmp_path / "first.log", tmp_path / "second.log"]
    # A fresh instance and warehouse: both processes also race to create them.
    first = leap("run", "--week", "2026-10-12", log=logs[0])
    second = leap("backfill", "--from", "2026-10-19", "--to", "2026-10-19", log=logs[1])
    codes = [first.wait(timeout=1200), second.wait(timeout=1200)]
    outputs = [log.read_text() for log in logs]
    assert codes == [0, 0], outputs
    assert not any("lock" in output.lower() for output in outputs), outputs

    weeks = table(
        leap_env["LEAP_WAREHOUSE"],
        "select week_start::varchar, count(*) from marts.engagement_weekly group by 1 order by 1",
    )
    assert [week for week, _ in weeks] == ["2026-10-12", "2026-10-19"] and all(rows > 0 for _, rows in weeks)
    # The two processes' runs took turns: no two warehouse steps of different runs overlapped.
    in_pool = warehouse_steps()
    intervals = sorted((i for i in step_intervals(leap_instance()) if i[1] in in_pool), key=lambda i: i[2])
    assert len({run_id for run_id, *_ in intervals}) == 4
    for earlier, later in itertools.pairwise(intervals):
        assert later[2] >= earlier[3], f"{later[1]} of run {later[0]} overlapped {earlier[1]} of run {earlier[0]}"
