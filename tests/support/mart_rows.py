"""A temporary warehouse holding a handful of engagement_weekly rows, without running dbt.

The mart table gets exactly the columns and types of the dbt contract (engagement_weekly.yml)."""

import csv
from datetime import date, timedelta
from pathlib import Path

import duckdb
import yaml

from leap_assets.warehouse.db import initialise

ROOT = Path(__file__).resolve().parents[2]
MART_YML = ROOT / "dbt_project" / "models" / "marts" / "engagement_weekly.yml"
SEED = ROOT / "dbt_project" / "seeds" / "rule_thresholds.csv"
WEEK = date(2026, 10, 12)
ENGINEERING = "School of Engineering"
HEALTH = "School of Health & Psychological Sciences"


def mart_columns() -> list[tuple[str, str]]:
    model = yaml.safe_load(MART_YML.read_text())["models"][0]
    return [(c["name"], c["data_type"]) for c in model["columns"]]


def row(student_id: str, week: date = WEEK, **overrides) -> dict:
    """A green UG student of Engineering in `week`; override any column."""
    values = {
        "week_start": week,
        "as_of_date": week + timedelta(days=6),
        "report_date": week + timedelta(days=7),
        "sits_extract_date": week + timedelta(days=7),
        "rule_version": "0123abcd4567",
        "student_id": student_id,
        "first_name": "Alex",
        "last_name": "Smith",
        "school": ENGINEERING,
        "department": "Civil Engineering",
        "course_id": "C100",
        "course_title": "BEng Civil Engineering",
        "level": "UG",
        "is_online_only": False,
        "attendance_expected_7d": 10,
        "attendance_attended_7d": 8,
        "attendance_pct_7d": 80.0,
        "attendance_rag": "green",
        "vle_events_14d": 30,
        "vle_active_days_14d": 6,
        "vle_score_14d": 90.0,
        "vle_rag": "green",
        "submissions_due_28d": 1,
        "submissions_on_time_28d": 1,
        "submissions_late_28d": 0,
        "submissions_missing_28d": 0,
        "submission_score_28d": 100.0,
        "submission_rag": "green",
        "online_score": 95.0,
        "online_rag": "green",
        "combined_score": 87.5,
        "combined_rag": "green",
        "reason_codes": "",
        "previous_combined_rag": "green",
        "rag_change": "same",
        "is_opted_out": False,
    }
    unknown = set(overrides) - set(values)
    assert not unknown, unknown
    values.update(overrides)
    return values


def build_warehouse(path: Path, rows: list[dict]) -> Path:
    """An initialised warehouse with the mart, the rule seed and these rows."""
    initialise(path)
    columns = mart_columns()
    with duckdb.connect(str(path)) as con:
        con.execute("create schema if not exists marts")
        con.execute("create schema if not exists seeds")
        cols = ", ".join(f"{name} {kind}" for name, kind in columns)
        con.execute(f"create table if not exists marts.engagement_weekly ({cols})")
        con.execute(
            "create table if not exists seeds.rule_thresholds (parameter varchar, value double, description varchar)"
        )
        if not con.execute("select count(*) from seeds.rule_thresholds").fetchone()[0]:
            with SEED.open() as handle:
                seed = [(r["parameter"], float(r["value"]), r["description"]) for r in csv.DictReader(handle)]
            con.executemany("insert into seeds.rule_thresholds values (?, ?, ?)", seed)
    add_rows(path, rows)
    return path


def add_rows(path: Path, rows: list[dict]) -> None:
    names = [name for name, _ in mart_columns()]
    with duckdb.connect(str(path)) as con:
        placeholders = ", ".join("?" for _ in names)
        con.executemany(
            f"insert into marts.engagement_weekly ({', '.join(names)}) values ({placeholders})",
            [[r[n] for n in names] for r in rows],
        )


def execute(path: Path, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(path)) as con:
        return con.execute(sql, params or []).fetchall()
