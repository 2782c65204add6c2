"""A small university whose engagement for report week 2026-10-05 is worked out by hand.

Report week W = 2026-10-05 (as_of 2026-10-11, report 2026-10-12); W-1 = 2026-09-28.
Extracts: 2026-09-28 (complete, W-1's), 2026-10-09 (complete, W's), 2026-10-12 (incomplete: never
used). The expected rows of W are in EXPECTED_W; the tests derive nothing themselves.
"""

from datetime import UTC, date, datetime

import duckdb
from leap_rows import insert

W = date(2026, 10, 5)
W_PREVIOUS = date(2026, 9, 28)
W_NEXT = date(2026, 10, 12)

COURSES = [
    dict(zip(("course_id", "title", "inst_tier_1", "inst_tier_2", "x_level"), row, strict=True))
    for row in [
        ("C1", "BEng Civil Engineering", "ENG", "CIVIL", "UG"),
        ("C2", "MSc Data Science", "SCI", "COMP", "PG"),
        ("C3", "BSc Mathematics", "SCI", "MATH", "UG"),
    ]
]
FIRST_NAMES = ["Ada", "Ben", "Cat", "Dan", "Eve", "Fay", "Gus", "Hal", "Ivy"]
STUDENT_NAMES = {f"S{i}": name for i, name in enumerate(FIRST_NAMES, start=1)}
TERM_START, TERM_END = date(2026, 9, 21), date(2026, 12, 18)


def _membership(mid, student, course, joined, active=1, ended=None):
    return {
        "student_course_membership_id": mid,
        "student_id": student,
        "course_id": course,
        "active_membership": active,
        "course_join_date": joined,
        "course_end_date": ended,
    }


# (extract date, students, memberships, module enrolments (student, module))
EXTRACTS = {
    date(2026, 9, 28): (
        ["S1", "S2", "S3", "S4", "S7", "S9"],
        [
            _membership("M-1", "S1", "C1", date(2025, 9, 22)),
            _membership("M-2", "S2", "C1", date(2025, 9, 22)),
            _membership("M-3", "S3", "C2", date(2026, 9, 21)),
            _membership("M-4", "S4", "C1", date(2025, 9, 22)),
            _membership("M-7", "S7", "C1", date(2025, 9, 22)),
            _membership("M-9", "S9", "C1", date(2025, 9, 22)),
        ],
        [("S1", "MOD1"), ("S2", "MOD1"), ("S4", "MOD1"), ("S7", "MOD1")],
    ),
    date(2026, 10, 9): (
        ["S1", "S2", "S3", "S4", "S5", "S6", "S7", "S8", "S9"],
        [
            _membership("M-1", "S1", "C1", date(2025, 9, 22)),
            _membership("M-2", "S2", "C1", date(2025, 9, 22)),
            _membership("M-3", "S3", "C2", date(2026, 9, 21)),
            # Withdrawn on Wednesday of W: in W (end date >= week_start), not in W+1.
            _membership("M-4", "S4", "C1", date(2025, 9, 22), active=2, ended=date(2026, 10, 7)),
            # Two memberships: the later join (C3) is the one reported.
            _membership("M-5a", "S5", "C1", date(2025, 9, 22), active=2),
            _membership("M-5b", "S5", "C3", date(2026, 9, 21)),
            _membership("M-6", "S6", "C1", date(2025, 9, 22)),  # restricted
            _membership("M-7", "S7", "C1", date(2025, 9, 22)),  # opted out
            _membership("M-8", "S8", "C1", date(2025, 9, 22), active=2, ended=date(2026, 10, 2)),
            _membership("M-9", "S9", "C1", date(2025, 9, 22)),
        ],
        [
            ("S1", "MOD1"),
            ("S2", "MOD1"),
            ("S4", "MOD1"),
            ("S7", "MOD1"),
            ("S8", "MOD1"),
            ("S6", "MOD1"),
            ("S1", "MOD2"),
            ("S3", "MOD2"),
            ("S5", "MOD2"),
            ("S3", "MOD3"),  # nobody is active on MOD3: a zero median, left out
        ],
    ),
}
COURSE_MAP = [("MOD1", "101"), ("MOD2", "102"), ("MOD1", "103"), ("MOD2", "103")]


def _sits(con: duckdb.DuckDBPyConnection, extract_date: date) -> None:
    students, memberships, enrolments = EXTRACTS[extract_date]
    at = {"extract_date": extract_date, "_source_file": f"sits/{extract_date}/x.tsv"}
    insert(
        con,
        "raw.sits_student",
        [{**at, "student_id": s, "first_name": STUDENT_NAMES[s], "last_name": "Test"} for s in students],
    )
    insert(con, "raw.sits_course", [{**at, **course} for course in COURSES])
    insert(con, "raw.sits_studentcoursemembership", [{**at, **m} for m in memberships])
    insert(
        con,
        "raw.sits_studentmoduleinstance",
        [
            {**at, "student_id": s, "mod_instance_id": m, "mod_start_date": TERM_START, "mod_end_date": TERM_END}
            for s, m in enrolments
        ],
    )
    insert(
        con,
        "raw.sits_studentidmap",
        [{**at, "student_id": s, "domain": "VLE", "identifier": "u" + s[1:]} for s in students],
    )
    insert(
        con,
        "raw.sits_modulemap",
        [{**at, "mod_instance_id": m, "module_map_domain": "VLE", "domain_mapped_id": c} for m, c in COURSE_MAP],
    )


def _assessments(con: duckdb.DuckDBPyConnection) -> None:
    def item(extract_date, student, assess, due, submitted):
        return {
            "extract_date": extract_date,
            "student_id": student,
            "assess_instance_id": assess,
            "assess_seq_id": "1",
            "assess_due_date": due,
            "assess_submission_date": submitted,
        }

    d = date
    rows = []
    for extract_date in EXTRACTS:
        rows += [
            item(extract_date, "S1", "A1", d(2026, 10, 1), d(2026, 9, 30)),  # on time
            item(extract_date, "S1", "A2", d(2026, 10, 2), d(2026, 10, 4)),  # late
            item(extract_date, "S1", "A3", d(2026, 10, 10), None),  # due after W's extract: not yet known
            item(extract_date, "S2", "A1", d(2026, 10, 1), None),  # missing
            item(extract_date, "S2", "A2", d(2026, 10, 2), d(2026, 10, 2)),  # on time (on the due date)
            item(extract_date, "S4", "A1", d(2026, 10, 1), d(2026, 10, 13)),  # after as_of: missing
            item(extract_date, "S3", "A0", d(2026, 9, 6), d(2026, 9, 6)),  # before every window
            item(extract_date, "S3", "A1", d(2026, 9, 20), d(2026, 9, 20)),  # on time
        ]
    insert(con, "raw.sits_studentassessmentinstance", rows)


def session(student, event, day, attended, category=None, late=None, mandatory=1, file_date=date(2026, 10, 9)):
    start = datetime(day.year, day.month, day.day, 9, 0, tzinfo=UTC)
    return {
        "file_date": file_date,
        "student_id": student,
        "event_id": event,
        "event_mandatory": mandatory,
        "start_time": start,
        "start_date": day,
        "event_attended": attended,
        "attendance_late": late,
        "attendance_category": category,
        "_source_file": f"seats/attendance_{file_date}.tsv",
    }


def _attendance(con: duckdb.DuckDBPyConnection) -> None:
    d = date
    insert(
        con,
        "raw.seats_attendance",
        [
            session("S1", "E1", d(2026, 10, 5), 1, "P"),
            session("S1", "E2", d(2026, 10, 6), 1, late=1),  # late, category derived: attended
            session("S1", "E3", d(2026, 10, 7), 1),
            session("S1", "E4", d(2026, 10, 8), 1),  # corrected below to absent
            session("S1", "E5", d(2026, 10, 9), 0, "C"),  # cancelled
            session("S1", "E6", d(2026, 10, 9), 0, "X"),  # excused
            session("S1", "E7", d(2026, 10, 9), 0, mandatory=0),  # not mandatory
            session("S1", "E8", d(2026, 10, 4), 1),  # W-1
            session("S2", "E1", d(2026, 10, 5), 0),
            session("S2", "E2", d(2026, 10, 6), 0),
            session("S3", "E1", d(2026, 10, 5), 0),  # a postgraduate: never counted
            session("S4", "E1", d(2026, 10, 5), 1),
            session("S4", "E2", d(2026, 10, 6), 0),
            session("S5", "E1", d(2026, 10, 5), 1),
        ],
    )
    insert(
        con,
        "raw.seats_attendance",
        [
            session("S1", "E4", d(2026, 10, 8), 0, "A", file_date=d(2026, 10, 12)),  # the correction
        ],
    )


def _moodle(con: duckdb.DuckDBPyConnection) -> None:
    def events(user, course, day, count):
        noon = int(datetime(day.year, day.month, day.day, 12, tzinfo=UTC).timestamp())
        return [
            {
                "userid": user,
                "courseid": course,
                "event_date": day,
                "timecreated": noon,
                "edulevel": 2,
                "anonymous": 0,
                "origin": "web",
                "eventname": "\\mod_page\\event\\course_module_viewed",
            }
        ] * count

    d = date
    rows = [
        *events("u1", "101", d(2026, 9, 27), 1),  # W-1 only
        *events("u1", "101", d(2026, 10, 1), 2),
        *events("u1", "101", d(2026, 10, 5), 2),
        *events("u1", "103", d(2026, 10, 6), 2),  # a course mapped to MOD1 and MOD2
        *events("u1", "101", d(2026, 10, 12), 5),  # after W
        *events("u2", "101", d(2026, 10, 2), 3),
        *events("u3", "102", d(2026, 10, 7), 1),
        *events("u7", "101", d(2026, 10, 5), 9),
        *events("u6", "101", d(2026, 10, 6), 100),  # restricted: never counted
        *events("u8", "101", d(2026, 10, 6), 100),  # left before W: never counted
    ]
    insert(
        con, "raw.moodle_log", [{**row, "id": i, "file_date": row["event_date"]} for i, row in enumerate(rows, start=1)]
    )


def load(con: duckdb.DuckDBPyConnection) -> None:
    """Land the whole scenario into an initialised warehouse."""
    loaded_at = datetime(2026, 10, 12, 6, tzinfo=UTC)
    insert(
        con,
        "raw.sits_extracts",
        [
            {"extract_date": date(2026, 9, 28), "is_complete": True, "loaded_at": loaded_at},
            {"extract_date": date(2026, 10, 9), "is_complete": True, "loaded_at": loaded_at},
            {
                "extract_date": date(2026, 10, 12),
                "is_complete": False,
                "missing_files": "course",
                "loaded_at": loaded_at,
            },
        ],
    )
    for extract_date in EXTRACTS:
        _sits(con, extract_date)
    # The incomplete extract knows nobody: were it used, W would be empty.
    _assessments(con)
    _attendance(con)
    _moodle(con)
    insert(
        con,
        "raw.schools_online_only",
        [
            {"list_name": "online_only_eng.csv", "student_id": "S2", "from_date": date(2026, 9, 1)},
        ],
    )
    insert(
        con,
        "meta.privacy_state",
        [
            {
                "student_id": "S6",
                "is_restricted": True,
                "is_opted_out": False,
                "has_safeguarding_override": False,
                "updated_at": loaded_at,
            },
            {
                "student_id": "S7",
                "is_restricted": False,
                "is_opted_out": True,
                "has_safeguarding_override": False,
                "updated_at": loaded_at,
            },
        ],
    )


def _expected(student, course, level, online, att, vle, sub, scores, reasons, trend, opted_out=False):
    """One row of W as worked out by hand (see the comments in EXPECTED_W)."""
    return {
        "student_id": student,
        "course_id": course,
        "level": level,
        "is_online_only": online,
        "attendance_expected_7d": att[0],
        "attendance_attended_7d": att[1],
        "attendance_pct_7d": att[2],
        "attendance_rag": att[3],
        "vle_events_14d": vle[0],
        "vle_active_days_14d": vle[1],
        "vle_score_14d": vle[2],
        "vle_rag": vle[3],
        "submissions_due_28d": sub[0],
        "submissions_on_time_28d": sub[1],
        "submissions_late_28d": sub[2],
        "submissions_missing_28d": sub[3],
        "submission_score_28d": sub[4],
        "submission_rag": sub[5],
        "online_score": scores[0],
        "online_rag": scores[1],
        "combined_score": scores[2],
        "combined_rag": scores[3],
        "reason_codes": reasons,
        "previous_combined_rag": trend[0],
        "rag_change": trend[1],
        "is_opted_out": opted_out,
    }


# fmt: off
# MOD1 cohort in W: S1 6 (101: 4, 103: 2), S2 3, S4 0, S7 9 -> median 4.5 (S6 restricted and S8 left
# are not in it). MOD2 cohort: S1 2 (103), S3 1, S5 0 -> median 1. MOD3 (S3 only, no events): median 0.
# W-1 (extract 2026-09-28, MOD1 only): S1 3, S2 3, S4 0, S7 0 -> median 1.5.
EXPECTED_W = [
    # 75% attendance is green (boundary); VLE 100 (both modules capped); 1 on time + 1 late of 2 -> 75.
    _expected("S1", "C1", "UG", False, (4, 3, 75.0, "green"), (6, 3, 100.0, "green"),
              (2, 1, 1, 0, 75.0, "amber"), (87.5, "green", 81.25, "green"),
              "SUBMISSION_AMBER;SUBMISSION_LATE", ("green", "same")),
    # Online-only: attendance kept (0 of 2) but discounted; VLE 3/4.5; 1 on time + 1 missing -> 50, halved.
    _expected("S2", "C1", "UG", True, (2, 0, 0.0, "none"), (3, 1, 300 / 4.5, "amber"),
              (2, 1, 0, 1, 25.0, "red"), ((300 / 4.5 + 25) / 2, "amber", (300 / 4.5 + 25) / 2, "amber"),
              "ATTENDANCE_DISCOUNTED_ONLINE_ONLY;SUBMISSION_MISSING;SUBMISSION_RED;VLE_AMBER", ("green", "worse")),
    # Postgraduate: no attendance figures; MOD3's zero median leaves MOD2 only.
    _expected("S3", "C2", "PG", False, (None, None, None, "none"), (1, 1, 100.0, "green"),
              (1, 1, 0, 0, 100.0, "green"), (100.0, "green", 100.0, "green"),
              "ATTENDANCE_NOT_COVERED_PG", ("green", "same")),
    # Withdrawn on Wednesday: still in W; a submission after as_of_date is missing.
    _expected("S4", "C1", "UG", False, (2, 1, 50.0, "amber"), (0, 0, 0.0, "red"),
              (1, 0, 0, 1, 0.0, "red"), (0.0, "red", 25.0, "red"),
              "ATTENDANCE_AMBER;SUBMISSION_MISSING;SUBMISSION_RED;VLE_NO_ACTIVITY;VLE_RED", ("red", "same")),
    # Two memberships: reported under C3 (the later join); not in W-1's snapshot: new.
    _expected("S5", "C3", "UG", False, (1, 1, 100.0, "green"), (0, 0, 0.0, "red"),
              (0, 0, 0, 0, None, "none"), (0.0, "red", 50.0, "amber"),
              "VLE_NO_ACTIVITY;VLE_RED", (None, "new")),
    # Opted out: kept and flagged; no sessions; VLE 9/4.5 capped at 100; red in W-1 (0 events).
    _expected("S7", "C1", "UG", False, (0, 0, None, "none"), (9, 1, 100.0, "green"),
              (0, 0, 0, 0, None, "none"), (100.0, "green", 100.0, "green"),
              "ATTENDANCE_NO_SESSIONS;OPTED_OUT_OF_SUPPORT", ("red", "better"), opted_out=True),
    # Nothing at all, both weeks.
    _expected("S9", "C1", "UG", False, (0, 0, None, "none"), (0, 0, None, "none"),
              (0, 0, 0, 0, None, "none"), (None, "none", None, "none"),
              "ATTENDANCE_NO_SESSIONS;NO_DATA;VLE_NOT_SCORED", ("none", "same")),
]
# fmt: on
