"""A tiny warehouse for the quality checks and the governance report, without ingestion or dbt.

Twelve students in report week W (2026-10-12) and the weeks before: raw SITS, SEAtS and Moodle rows
that pass every suite, landed-file and quarantine records, and engagement_weekly rows. Most fairness
groups hold fewer than 5 students. `broken_seats=True` drops module LAW1001's attendance from week W,
as if the card readers of its building had failed.
"""

from datetime import date, timedelta
from pathlib import Path

import duckdb
import yaml

from leap_assets.warehouse.db import initialise

ROOT = Path(__file__).resolve().parents[2]
MART_YML = ROOT / "dbt_project" / "models" / "marts" / "engagement_weekly.yml"
W = date(2026, 10, 12)
TERM = (date(2026, 9, 14), date(2026, 12, 11))
EXTRACTS = (date(2026, 10, 5), date(2026, 10, 19))
# id, sex, ethnicity, disability, course, combined_rag in W
STUDENTS = [
    ("00000001", "2", "10", "00", "LAWUG", "red"), ("00000002", "2", "10", "00", "LAWUG", "green"),
    ("00000003", "2", "31", "51", "LAWUG", "amber"), ("00000004", "1", "10", "00", "LAWUG", "green"),
    ("00000005", "1", "22", "00", "LAWUG", "green"), ("00000006", "2", "10", None, "LAWUG", "red"),
    ("00000007", "1", "39", "00", "LAWUG", "green"), ("00000008", "2", "10", "00", "LAWUG", "amber"),
    ("00000009", "2", "10", "00", "HISPG", "green"), ("00000010", "4", "98", "00", "HISPG", "none"),
    ("00000011", "1", "31", "54", "HISPG", "green"), ("00000012", "2", "43", "00", "HISPG", "green"),
]  # fmt: skip
COURSES = {"LAWUG": ("School of Law", "Law", "UG"), "HISPG": ("School of History", "History", "PG")}


def mart_columns() -> list[tuple[str, str]]:
    model = yaml.safe_load(MART_YML.read_text())["models"][0]
    return [(c["name"], c["data_type"]) for c in model["columns"]]


def _mart_row(week: date, student: tuple, rag: str, previous: str | None) -> dict:
    sid, _, _, _, course, _ = student
    school, department, level = COURSES[course]
    ug = level == "UG"
    return {
        "week_start": week, "as_of_date": week + timedelta(days=6), "report_date": week + timedelta(days=7),
        "sits_extract_date": EXTRACTS[0] if week < date(2026, 10, 12) else EXTRACTS[1], "rule_version": "0123abcd4567",
        "student_id": sid, "first_name": "Alex", "last_name": "Smith", "school": school, "department": department,
        "course_id": course, "course_title": course, "level": level, "is_online_only": False,
        "attendance_expected_7d": 4 if ug else None, "attendance_attended_7d": 3 if ug else None,
        "attendance_pct_7d": 75.0 if ug else None, "attendance_rag": "green" if ug else "none",
        "vle_events_14d": 30, "vle_active_days_14d": 8, "vle_score_14d": 80.0, "vle_rag": "green",
        "submissions_due_28d": 1, "submissions_on_time_28d": 1, "submissions_late_28d": 0,
        "submissions_missing_28d": 0, "submission_score_28d": 100.0, "submission_rag": "green",
        "online_score": 90.0, "online_rag": "green", "combined_score": 82.0, "combined_rag": rag,
        "reason_codes": "", "previous_combined_rag": previous, "rag_change": "same" if previous else "new",
        "is_opted_out": False,
    }  # fmt: skip


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: list[tuple]) -> None:
    if rows:
        con.executemany(f"insert into {table} values ({', '.join('?' for _ in rows[0])})", rows)


def build(path: Path, broken_seats: bool = False) -> Path:
    initialise(path)
    now = "2026-10-19 06:00:00+00"
    with duckdb.connect(str(path)) as con:
        for extract in EXTRACTS:
            _insert(con, "raw.sits_extracts", [(extract, True, None, None, now)])
            rows = [(extract, s[0], "Alex", "Smith", None, s[1], s[2], s[3], date(2005, 1, 1), None, "sits", i + 2)
                    for i, s in enumerate(STUDENTS)]  # fmt: skip
            _insert(con, "raw.sits_student", rows)
            _insert(con, "raw.sits_course", [(extract, c, c, *v, "sits", 2) for c, v in COURSES.items()])
            _insert(con, "raw.sits_period", [(extract, "AUT", "2026/27", "Autumn", *TERM, "sits", 2)])
            for module in ("LAW1001-2627-AUT", "HIS1001-2627-AUT"):
                takers = [s for s in STUDENTS if s[4].startswith(module[:3])]
                _insert(con, "raw.sits_studentmoduleinstance",
                        [(extract, s[0], module, *TERM, None, "sits", 2) for s in takers])  # fmt: skip
                _insert(con, "raw.sits_modulemap", [(extract, module, "VLE", f"C{module[:3]}", "sits", 2)])
            _insert(con, "raw.sits_studentidmap", [(extract, s[0], "VLE", f"U{s[0]}", "sits", 2) for s in STUDENTS])
            _insert(con, "raw.sits_studentassessmentinstance",
                    [(extract, s[0], "A1", "1", date(2026, 10, 2), date(2026, 10, 1), None, None, "sits", 2)
                     for s in STUDENTS[:10]])  # fmt: skip
        seats = []
        for week in (W - timedelta(days=7), W):
            produced = week + timedelta(days=7)
            for n, day in enumerate(week + timedelta(days=d) for d in range(4)):
                for s in STUDENTS[:8]:
                    if broken_seats and week == W:
                        continue
                    start = f"{day}T09:00:00+01:00"
                    seats.append((produced, s[0], f"E{day}", "LAW1001 Lecture", "LEC", "Lecture", 1, start, day,
                                  f"{day}T10:00:00+01:00", int(n % 4 != 0), 0, None, "LAW1001-2627-AUT", None,
                                  f"seats/attendance_{produced}.tsv", len(seats) + 2))  # fmt: skip
        _insert(con, "raw.seats_attendance", seats)
        moodle, day = [], W - timedelta(days=21)
        while day <= W + timedelta(days=6):
            for s in STUDENTS:
                for k in range(3):
                    moodle.append((len(moodle) + 1, "\\mod\\x", "mod_x", "viewed", "x", "r", 2, 1, 70, 1,
                                   f"U{s[0]}", "CLAW" if s[4] == "LAWUG" else "CHIS", 0, 1_790_000_000 + k, day, "web",
                                   day, f"moodle/logstore_{day}.csv", k + 2))  # fmt: skip
            day += timedelta(days=1)
        _insert(con, "raw.moodle_log", moodle)
        _insert(con, "raw.schools_online_only", [("online_only_law.csv", "00000004", date(2026, 9, 14), None, None,
                                                  "schools/online_only_law.csv", 2)])  # fmt: skip
        files = [(f"seats/attendance_{W + timedelta(days=7)}.tsv", "seats", "loaded", None, 28, 2),
                 (f"moodle/logstore_{W}.csv", "moodle", "loaded", None, 36, 0),
                 (f"moodle/logstore_{W + timedelta(days=1)}.csv", "moodle", "rejected", "not UTF-8", 0, 0),
                 ("sits/2026-10-19/student.tsv", "sits", "loaded", None, 12, 0),
                 ("schools/online_only_law.csv", "schools", "loaded", None, 1, 0)]  # fmt: skip
        _insert(con, "meta.landed_files", [(p, s, "0" * 64, st, m, n, q, 0, 0, None, W, now, None, None)
                                           for p, s, st, m, n, q in files])  # fmt: skip
        _insert(con, "quarantine.rows", [("seats", files[0][0], 7 + i, "START_TIME", "unparsable timestamp", False,
                                          None, None, now) for i in range(2)])  # fmt: skip
        con.execute("create schema if not exists marts")
        con.execute(f"create table marts.engagement_weekly ({', '.join(f'{n} {t}' for n, t in mart_columns())})")
        names = [n for n, _ in mart_columns()]
        rows = []
        for offset, week in enumerate((W - timedelta(days=14), W - timedelta(days=7), W)):
            for s in STUDENTS:
                rag = s[5] if week == W else ("green" if s[5] == "none" else s[5])
                rows.append(_mart_row(week, s, rag, None if offset == 0 else rag))
        _insert(con, "marts.engagement_weekly", [tuple(r[n] for n in names) for r in rows])
    return path
