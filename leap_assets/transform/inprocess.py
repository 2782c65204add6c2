"""dbt invoked inside the run's own process, on a project parsed once per process and warehouse.

As a subprocess (dagster-dbt's `DbtCliResource`), every dbt step paid for a new Python, importing
dbt (3-4 s) and parsing the project (1.5-3.5 s) before its first model: about 4.5 of the 6.4 s a
staging build took. In the run's process dbt is already imported (dagster-dbt imports it) and the
parsed manifest is kept, so the second and later steps of a process start at once. dbt-core
supports this (`dbtRunner(manifest=...)`); three things it does not do by itself, done here:

- dbt-duckdb keeps its DuckDB instance open after an invocation, to reuse it; it is closed after
  each one, so the checks (read-only) and other processes can open the file.
- A node compiled by one invocation keeps its compiled SQL in the shared manifest, and the weekly
  models compile the report weeks in (`macros/week_range.sql`); every node is reset to uncompiled
  before an invocation, so no week range carries over.
- dbt's flags, adapter and event manager are per process: one invocation at a time.
"""

import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from leap_assets.transform.project import (
    MANIFEST,
    PARTIAL_PARSE,
    PROJECT_DIR,
    invocation_target,
    keep_parse_state,
    save_template,
)

_ONE_AT_A_TIME = threading.RLock()
_parsed: dict[tuple[str, int], Any] = {}  # (warehouse, manifest.json's mtime) -> dbt's Manifest


def project_args(target: Path) -> list[str]:
    return [
        "--project-dir", str(PROJECT_DIR),
        "--profiles-dir", str(PROJECT_DIR),
        "--target-path", str(target),
        "--log-path", str(target),
    ]  # fmt: skip


def invoke(args: list[str], warehouse: Path, target: Path, on_event: Callable[[dict[str, Any]], None] | None = None):
    """Run one dbt command against `warehouse` (absolute); `on_event` gets each event as dbt's JSON log
    line would hold it (info and data). Returns dbt's `dbtRunnerResult`."""
    from dbt.cli.main import dbtRunner
    from dbt_common.events.functions import msg_to_dict

    callbacks = [lambda message: on_event(msg_to_dict(message))] if on_event else []
    with _ONE_AT_A_TIME:
        # The profile reads LEAP_WAREHOUSE: the run's resource path, the one the Python side writes.
        os.environ["LEAP_WAREHOUSE"] = str(warehouse)
        try:
            manifest = uncompiled(parsed_manifest(warehouse))
            # Errors and the rest go to the callback and to dbt.log in the target folder, not stdout.
            quiet = [
                "--log-level", "none", "--log-level-file", "debug", "--no-use-colors", "--no-send-anonymous-usage-stats"
            ]  # fmt: skip
            return dbtRunner(manifest=manifest, callbacks=callbacks).invoke([*args, *quiet, *project_args(target)])
        finally:
            close_duckdb()


def parsed_manifest(warehouse: Path):
    """The project as dbt parsed it for this warehouse, once per process (and again when the models
    change, which `ensure_manifest` marks by rewriting manifest.json). dbt-duckdb names the catalog
    after the warehouse file, and the manifest records it, so each warehouse has its own."""
    from dbt.cli.main import dbtRunner

    key = (str(warehouse), MANIFEST.stat().st_mtime_ns if MANIFEST.exists() else 0)
    if key not in _parsed:
        target = invocation_target("parse", warehouse, parses=True)
        # The parsed project is kept in memory: no manifest.json in the throwaway folder (0.7 s).
        args = ["parse", "--quiet", "--no-write-json", "--no-send-anonymous-usage-stats", *project_args(target)]
        result = dbtRunner().invoke(args)
        if not result.success:
            raise RuntimeError(f"dbt could not parse the project (see {target / 'dbt.log'}): {result.exception}")
        save_template(target / PARTIAL_PARSE, warehouse)
        keep_parse_state(target)
        _parsed.clear()  # one warehouse per process in practice; never keep a stale project
        _parsed[key] = result.result
    return _parsed[key]


def close_duckdb() -> None:
    """Close the DuckDB instance dbt-duckdb keeps open in the process after an invocation."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    try:
        DuckDBConnectionManager.env().close()
    except Exception:  # no environment was created (the invocation failed before connecting)
        return
    DuckDBConnectionManager.close_all_connections()


def uncompiled(manifest):
    """The manifest with no node marked compiled: dbt reuses a compiled node's SQL as it stands, which
    would carry the previous invocation's report weeks into this one. (copy.deepcopy of a dbt 1.11
    Manifest is broken, so the one parsed manifest is reset in place.)"""
    for node in manifest.nodes.values():
        if node.resource_type in ("model", "test", "snapshot", "analysis"):
            node.compiled = False
            node.compiled_code = None
            node.extra_ctes_injected = False
            node.extra_ctes = []
    return manifest
