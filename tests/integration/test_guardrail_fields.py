"""Guardrail (governance.md "Only learning activity"): Moodle `ip`, `other`, `relateduserid` and
`realuserid`, and every field the source registry does not list, never reach the warehouse; a source
the registry does not approve is not ingested and its files stay in the landing zone."""

import csv
import hashlib
import re
from datetime import date
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner
from dagster import AssetKey, DagsterInstance

from leap_assets.sources.registry import load_registry
from leap_assets.synthetic import generate
from orchestration.cli import main
from tests.support.registry_files import COMMITTED, variant

MARKS = {"ip": "LEAPIPMARK", "other": "LEAPOTHERMARK", "relateduserid": "LEAPRELATEDMARK", "realuserid": "LEAPREALMARK"}
NEVER_COLUMNS = {"ip", "other", "relateduserid", "realuserid"}
# Columns LEAP adds itself: lineage, the dates it derives from a path or a timestamp, the list's name.
LEAP_COLUMNS = {"_source_file", "_source_line", "extract_date", "file_date", "start_date", "event_date", "list_name"}
LEAP_TABLES = {"sits_extracts"}  # LEAP's own record of which extracts are complete
RAW_FILES = {
    "seats_attendance": ("seats", "attendance_<YYYY-MM-DD>.tsv"),
    "moodle_log": ("moodle", "logstore_<YYYY-MM-DD>.csv"),
    "schools_online_only": ("schools", "online_only_<name>.csv"),
}


def leap(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def mark_moodle(landing: Path) -> int:
    """Put distinctive strings in every Moodle row's ip, other and relateduserid (and realuserid on every
    tenth row, which makes that row "logged in as" and so not kept); returns the rows marked."""
    marked = 0
    for path in sorted((landing / "moodle").glob("logstore_*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
            header = list(rows[0])
        for number, row in enumerate(rows):
            row.update(ip=f"203.0.113.7 {MARKS['ip']}", other=f'{{"note":"{MARKS["other"]}"}}')
            row["relateduserid"] = MARKS["relateduserid"]
            if number % 10 == 0:
                row["realuserid"] = MARKS["realuserid"]
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=header)
            writer.writeheader()
            writer.writerows(rows)
        marked += len(rows)
    return marked


def text_columns(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str]]:
    return con.execute(
        """
        select table_schema, table_name, column_name from information_schema.columns
        where data_type in ('VARCHAR', 'VARCHAR[]', 'JSON') order by all
        """
    ).fetchall()


def occurrences(con: duckdb.DuckDBPyConnection, needles: list[str]) -> list[str]:
    """Every text column (tables and views, every schema) holding any of `needles`, scanned in SQL."""
    found = []
    pattern = "|".join(needles)
    for schema, table, column in text_columns(con):
        sql = f'select count(*) from "{schema}"."{table}" where regexp_matches(cast("{column}" as varchar), ?)'
        if con.execute(sql, [pattern]).fetchone()[0]:
            found.append(f"{schema}.{table}.{column}")
    return found


def untraceable_raw_columns(con: duckdb.DuckDBPyConnection, registry_path: Path) -> list[str]:
    """Raw columns that are neither a field the registry lists for that table's file nor LEAP's own."""
    registry = load_registry(registry_path)
    bad = []
    columns = con.execute(
        "select table_name, column_name from information_schema.columns where table_schema = 'raw' order by all"
    ).fetchall()
    for table, column in columns:
        if table in LEAP_TABLES or column in LEAP_COLUMNS:
            continue
        source, file_key = RAW_FILES.get(table) or ("sits", f"{table.removeprefix('sits_')}.tsv")
        spec = registry.sources[source].files.get(file_key)
        if spec is None or column not in spec.allowed:
            bad.append(f"raw.{table}.{column}")
    return bad


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.e2e
def test_moodle_ip_other_and_unlisted_fields_never_reach_the_warehouse(leap_env):
    landing = leap_env["LEAP_LANDING"]
    generate(landing, students=150, weeks=2, start=date(2026, 9, 14), seed=11)
    assert mark_moodle(landing) > 1000

    result = leap("ingest")
    assert result.exit_code == 0, result.output

    with duckdb.connect(str(leap_env["LEAP_WAREHOUSE"]), read_only=True) as con:
        assert con.execute("select count(*) from raw.moodle_log").fetchone()[0] > 1000
        columns = {c for (c,) in con.execute("select distinct column_name from information_schema.columns").fetchall()}
        assert not columns & NEVER_COLUMNS
        assert untraceable_raw_columns(con, COMMITTED) == []
        assert occurrences(con, list(MARKS.values())) == []
        # The scan does see text: a value that is loaded is found.
        assert occurrences(con, ["^mod_"]) != []


@pytest.mark.e2e
def test_an_unlisted_field_is_not_loaded_and_an_unapproved_source_stays_in_landing(leap_env, tmp_path, monkeypatch):
    def edit(data: dict) -> None:
        data["sources"]["sits"]["files"]["student.tsv"]["fields"].pop("PRIMARY_EMAIL_ADDRESS")
        data["sources"]["seats"]["files"]["attendance_<YYYY-MM-DD>.tsv"]["fields"].pop("EVENT_NAME")
        for key in ("approved_by", "approved_on", "consultation_ref"):
            data["sources"]["moodle"].pop(key)

    registry = variant(tmp_path, edit)
    monkeypatch.setenv("LEAP_SOURCES_FILE", str(registry))
    landing = leap_env["LEAP_LANDING"]
    generate(landing, students=150, weeks=2, start=date(2026, 9, 14), seed=12)
    moodle_files = {path: digest(path) for path in (landing / "moodle").glob("*.csv")}
    first_extract = sorted((landing / "sits").iterdir())[0] / "student.tsv"
    with first_extract.open(encoding="utf-8", newline="") as handle:
        emails = [row["PRIMARY_EMAIL_ADDRESS"] for row in csv.DictReader(handle, delimiter="\t")][:20]
    assert all(emails)

    result = leap("ingest")
    assert result.exit_code == 0, result.output
    assert f"Not ingested: moodle is not approved in {registry}" in result.output
    assert f"its {len(moodle_files)} file(s) stay in the landing zone untouched" in result.output

    assert {path: digest(path) for path in (landing / "moodle").glob("*.csv")} == moodle_files
    with duckdb.connect(str(leap_env["LEAP_WAREHOUSE"]), read_only=True) as con:
        assert con.execute("select count(*) from meta.landed_files where source = 'moodle'").fetchone()[0] == 0
        assert con.execute("select count(*) from raw.moodle_log").fetchone()[0] == 0
        assert con.execute("select count(*), count(primary_email_address) from raw.sits_student").fetchone()[1] == 0
        assert con.execute("select count(*) from raw.sits_student").fetchone()[0] > 0
        assert con.execute("select count(event_name) from raw.seats_attendance").fetchone()[0] == 0
        assert con.execute("select count(*) from raw.seats_attendance").fetchone()[0] > 0
        assert occurrences(con, [re.escape(e) for e in emails]) == []
    event = DagsterInstance.get().get_latest_materialization_event(AssetKey("moodle"))
    assert "moodle is not approved" in event.asset_materialization.metadata["not_ingested"].value
    assert (leap_env["LEAP_PUBLISH"] / "transparency.html").is_file()

    # Approved later, the files that stayed are ingested by the next run.
    monkeypatch.setenv("LEAP_SOURCES_FILE", str(COMMITTED))
    assert leap("ingest").exit_code == 0
    with duckdb.connect(str(leap_env["LEAP_WAREHOUSE"]), read_only=True) as con:
        landed = con.execute("select count(*) from meta.landed_files where source = 'moodle'").fetchone()[0]
    assert landed == len(moodle_files)
