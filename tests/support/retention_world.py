"""A small warehouse, landing archive and publish folder with something on each side of every
retention cutoff, for a fixed `TODAY` (synthetic ids only)."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb

from leap_assets.checks.gate import ensure_tables as ensure_gate_tables
from leap_assets.checks.results import ensure_table
from leap_assets.governance.retention_config import Retention
from leap_assets.warehouse.db import connect

TODAY = date(2029, 6, 15)
ZONE = "Europe/London"
DEFAULTS = Retention()
RAW_CUT = date(2028, 5, 11)  # 400 days before TODAY: kept from this day on
MARTS_CUT = date(2027, 8, 1)  # the academic year before TODAY's (2028/29) starts here
CONTACTS_CUT = date(2028, 6, 15)
ACCESS_CUT = date(2027, 6, 15)
DAY = timedelta(days=1)


@dataclass
class World:
    warehouse: Path
    landing: Path
    publish: Path

    def query(self, sql: str, params: list | None = None) -> list[tuple]:
        with duckdb.connect(str(self.warehouse), read_only=True) as con:
            return con.execute(sql, params or []).fetchall()

    def count(self, table: str) -> int:
        return self.query(f"select count(*) from {table}")[0][0]


def _touch(path: Path, text: str = "x\n") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def landed_path(source: str, day: date) -> str:
    return {
        "sits": f"sits/{day}/student.tsv",
        "seats": f"seats/attendance_{day}.tsv",
        "moodle": f"moodle/logstore_{day}.csv",
        "returns": f"returns/{day}/engineering.xlsx",
    }[source]


def build(root: Path) -> World:
    """Every target with one item just outside its period (cutoff - 1 day) and one just inside."""
    world = World(root / "warehouse.duckdb", root / "landing", root / "publish")
    old, kept = RAW_CUT - DAY, RAW_CUT
    with connect(world.warehouse) as con:
        ensure_table(con)
        con.execute("create table marts.engagement_weekly (week_start date not null, student_id varchar)")
        for day in (old, kept):
            _landed(world, con, day)
            con.execute(
                "insert into raw.sits_student by name select ? as extract_date, '00000001' as student_id, "
                "? as _source_file, 2 as _source_line",
                [day, landed_path("sits", day)],
            )
            con.execute("insert into raw.sits_extracts values (?, true, null, null, now())", [day])
            con.execute(
                "insert into raw.seats_attendance by name select ? as file_date, ? as start_date, "
                "'00000001' as student_id, ? as _source_file, 2 as _source_line",
                [day + 3 * DAY, day, landed_path("seats", day + 3 * DAY)],
            )
            con.execute(
                "insert into raw.moodle_log by name select ? as id, ? as event_date, ? as file_date, "
                "'u1' as userid, ? as _source_file, 2 as _source_line",
                [day.toordinal(), day, day, landed_path("moodle", day)],
            )
        # A SEAtS row whose start could not be read falls back to its file's date.
        con.execute(
            "insert into raw.seats_attendance by name select ? as file_date, '00000002' as student_id, "
            "? as _source_file, 3 as _source_line",
            [old, landed_path("seats", old)],
        )
        ensure_gate_tables(con)
        for week in (MARTS_CUT - DAY, MARTS_CUT):
            con.execute("insert into marts.engagement_weekly values (?, '00000001')", [week])
            con.execute(
                "insert into marts.data_quality_results values (?, 'seats', 'seats', 'rows', true, '1', now(), 'v1')",
                [week],
            )
            con.execute(
                "insert into marts.report_status (week_start, school, status, settings_version, decided_at) "
                "values (?, 'School of Engineering', 'published', 'v1', now())",
                [week],
            )
            _touch(world.publish / week.isoformat() / "school-of-engineering" / "report.xlsx")
            _touch(world.publish / week.isoformat() / "governance" / "data-quality.html")
        # By the contact date when there is one, else by the report week.
        for student, week, contact in [
            ("00000001", CONTACTS_CUT - 5 * DAY, CONTACTS_CUT),
            ("00000002", CONTACTS_CUT - 5 * DAY, CONTACTS_CUT - DAY),
            ("00000003", CONTACTS_CUT - DAY, None),
            ("00000004", CONTACTS_CUT, None),
        ]:
            con.execute(
                "insert into marts.contacts (week_start, student_id, contact_date, _source_file) values (?, ?, ?, ?)",
                [week, student, contact, landed_path("returns", week)],
            )
        # 22:30 UTC the day before the cutoff is 23:30 that day in London (summer time): removed;
        # 23:30 UTC is 00:30 on the cutoff day: kept.
        for moment in (datetime(2027, 6, 14, 22, 30, tzinfo=UTC), datetime(2027, 6, 14, 23, 30, tzinfo=UTC)):
            con.execute(
                "insert into meta.access_log values (?, '9900001', 'admin', 'view', null, ['00000001'], 1, null, 't')",
                [moment],
            )
    # Files the contract does not name are not LEAP's to remove.
    _touch(world.landing / "seats" / "notes_2020-01-01.txt")
    _touch(world.landing / "schools" / "online_only_engineering.csv")
    _touch(world.publish / "alerts.log")
    _touch(world.publish / "transparency.html")
    return world


def _landed(world: World, con: duckdb.DuckDBPyConnection, day: date) -> None:
    """Landing files of `day` for every source, each recorded in meta.landed_files and quarantine."""
    for source in ("sits", "seats", "moodle", "returns"):
        rel = landed_path(source, day)
        _touch(world.landing / rel)
        if source == "sits":
            _touch(world.landing / f"sits/{day}/course.tsv")
        con.execute(
            "insert into meta.landed_files (path, source, sha256, status, rows_loaded, rows_quarantined, "
            "rows_filtered, rows_duplicate, landed_at) values (?, ?, 'ab', 'loaded', 1, 1, 0, 0, now())",
            [rel, source],
        )
        con.execute(
            "insert into quarantine.rows values (?, ?, 5, null, 'bad date', false, '00000009', '{}', now())",
            [source, rel],
        )
