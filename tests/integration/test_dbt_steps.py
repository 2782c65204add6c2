"""The dbt steps run dbt inside the run's process (leap_assets/transform/inprocess.py): their results
reach Dagster as materializations and check results, the warehouse file is free when a step ends, one
invocation's week range never carries into the next, and a failure says what dbt said."""

import re
import subprocess
import sys
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from leap_assets.resources import LeapPaths
from leap_assets.transform.dbt import dbt_staging, dbt_weekly
from leap_assets.transform.project import MART_KEY
from orchestration.runs.run_failures import reason
from tests.support.built_term import copy_term
from tests.support.leap_processes import isolated_leap

WEEKS = ("2026-10-12", "2026-10-19")
MART = "select * from marts.engagement_weekly where week_start = ? order by student_id"


@pytest.fixture
def term(built_term: Path, tmp_path: Path):
    copy_term(built_term, tmp_path)
    with isolated_leap(tmp_path) as env:
        yield {"paths": LeapPaths(warehouse=str(env["LEAP_WAREHOUSE"]))}, env["LEAP_WAREHOUSE"]


def mart_rows(warehouse: Path, week: str) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:  # in this process: fails if dbt kept it open
        return con.execute(MART, [week]).fetchall()


def free_for_another_process(warehouse: Path) -> bool:
    opened = subprocess.run([sys.executable, "-c", f"import duckdb; duckdb.connect({str(warehouse)!r}).close()"])
    return opened.returncode == 0


def test_two_weeks_built_one_after_the_other_in_one_process_each_get_their_own_rows(term):
    resources, warehouse = term
    before = {week: mart_rows(warehouse, week) for week in WEEKS}
    assert all(before.values())
    with duckdb.connect(str(warehouse)) as con:
        con.execute("delete from marts.engagement_weekly")
    for built, week in enumerate(WEEKS, start=1):
        result = dg.materialize([dbt_weekly], partition_key=week, resources=resources)
        assert result.success
        # Each week exactly as the CLI's backfill built it; the earlier week untouched by the later run.
        assert {w: mart_rows(warehouse, w) for w in WEEKS[:built]} == {w: before[w] for w in WEEKS[:built]}
        assert all(not mart_rows(warehouse, w) for w in WEEKS[built:])
        assert free_for_another_process(warehouse)
        materialized = [e.materialization for e in result.get_asset_materialization_events()]
        assert [m.partition for m in materialized if m.asset_key == MART_KEY] == [week]
        checks = [e for e in result.get_asset_check_evaluations() if e.asset_key == MART_KEY]
        # Every dbt test on the mart reported as its asset check, and passed.
        assert {c.check_name for c in checks} == {k.name for k in dbt_weekly.check_keys if k.asset_key == MART_KEY}
        assert len(checks) >= 30 and all(check.passed for check in checks)


def test_a_failed_dbt_step_names_dbt_s_reason_and_its_log_and_leaves_the_warehouse_free(term):
    resources, warehouse = term
    with duckdb.connect(str(warehouse)) as con:
        con.execute("drop table raw.seats_attendance")
    result = dg.materialize([dbt_staging], resources=resources, raise_on_error=False)
    assert not result.success
    [failure] = [e for e in result.all_events if e.is_step_failure]
    error = failure.step_failure_data.error
    while error.cause is not None and "DbtCliRuntimeError" not in error.cls_name:
        error = error.cause
    assert "Errors parsed from dbt logs:" in error.message
    # The model that failed and DuckDB's reason, not dbt's status lines or the command line.
    assert reason(error.message) == (
        "Failure in model stg_seats__attendances (models/staging/seats/stg_seats__attendances.sql) "
        "Catalog Error: Table with name seats_attendance does not exist!"
    )
    log = Path(re.search(r"view the dbt debug log: (\S+dbt\.log)", error.message).group(1))
    assert log.exists() and "seats_attendance" in log.read_text()
    assert free_for_another_process(warehouse)
