from datetime import date

import pytest

from leap_assets.ingestion import sits
from leap_assets.ingestion.sits_rules import REQUIRED, RULES
from leap_assets.warehouse.schema import SITS_TABLES
from tests.support.landing import write

TZ = "Europe/London"
DAY = "2026-09-21"


def tsv(*rows: str, newline: str = "\n") -> str:
    """Rows written with `|` for readability; the file gets tabs."""
    return "".join(row.replace("|", "\t") + newline for row in rows)


BASE = {
    "student": tsv(
        "STUDENT_ID|FIRST_NAME|LAST_NAME|PRIMARY_EMAIL_ADDRESS|SEXID|ETHNICITY|DIFFLEARN1|DOB|OVERSEAS",
        "00917342|Ada|Lovelace|ada@uni.ac.uk|2|10|00|2005-12-10|0",
        '00000002|"Al"|Turing|alan@uni.ac.uk|1|10||2006-06-23|1',
    ),
    "course": tsv(
        "COURSE_ID|TITLE|INST_TIER_1|INST_TIER_2|X_LEVEL",
        "C001|BSc Computing|SCI|CS|UG",
        "C002|MSc Data Science|SCI|CS|PG",
    ),
    "studentcoursemembership": tsv(
        "STUDENT_COURSE_MEMBERSHIP_ID|STUDENT_ID|COURSE_ID|ACTIVE_MEMBERSHIP|COURSE_JOIN_DATE|"
        "COURSE_END_DATE|WITHDRAWAL_REASON|COURSE_OUTCOME",
        "M1|00917342|C001|1|2026-09-14|||",
        "M2|00000002|C002|2|2025-09-15|2026-06-30|03|",
    ),
    "module": tsv("MOD_ID|MOD_NAME", "CS101|Programming", "CS102|Data"),
    "moduleinstance": tsv(
        "MOD_INSTANCE_ID|MOD_ID|MOD_ACADEMIC_YEAR", "CS101-2026|CS101|2026/27", "CS102-2026|CS102|2026/27"
    ),
    "studentmoduleinstance": tsv(
        "STUDENT_ID|MOD_INSTANCE_ID|MOD_START_DATE|MOD_END_DATE|MOD_RESULT",
        "00917342|CS101-2026|2026-09-21|2027-01-29|3",
        "00000002|CS101-2026|2026-09-21|2027-01-29|",
    ),
    "assessmentinstance": tsv(
        "ASSESS_INSTANCE_ID|MOD_INSTANCE_ID|ASSESS_TYPE|ASSESS_WEIGHT|ASSESS_SUMMATIVE",
        "A1|CS101-2026|CW|40.5|1",
    ),
    "studentassessmentinstance": tsv(
        "STUDENT_ID|ASSESS_INSTANCE_ID|ASSESS_SEQ_ID|ASSESS_DUE_DATE|ASSESS_SUBMISSION_DATE|"
        "ASSESS_ACTUAL_MARK|ASSESS_AGREED_MARK",
        "00917342|A1|001|2026-10-26|2026-10-25|62.5|",
        "00000002|A1|001|2026-10-26|||",
    ),
    "staff": tsv("STAFF_ID|FIRST_NAME|LAST_NAME|PRIMARY_EMAIL_ADDRESS", "0042|Grace|Hopper|grace@uni.ac.uk"),
    "stafflink": tsv(
        "STAFF_ID|PROPERTY_NAME|PROPERTY_VALUE|RELATIONSHIP",
        "0042|STUDENT_ID|00917342|PERSONAL_TUTOR",
        "0042|MOD_INSTANCE_ID|CS101-2026|MODULE_TUTOR",
        "0042|INST_TIER_1|SCI|SCHOOL_STAFF",
    ),
    "studentidmap": tsv("STUDENT_ID|DOMAIN|IDENTIFIER", "00917342|VLE|101", "00000002|VLE|102", "00000002|LIBRARY|102"),
    "modulemap": tsv("MOD_INSTANCE_ID|MODULE_MAP_DOMAIN|DOMAIN_MAPPED_ID", "CS101-2026|VLE|7"),
    "period": tsv(
        "PERIOD_CODE|ACADEMIC_YEAR|PERIOD_NAME|PERIOD_START_DATE|PERIOD_END_DATE",
        "AUT|2026/27|Autumn term|2026-09-21|2026-12-11",
    ),
}
BASE_ROWS = {
    "student": 2,
    "course": 2,
    "studentcoursemembership": 2,
    "module": 2,
    "moduleinstance": 2,
    "studentmoduleinstance": 2,
    "assessmentinstance": 1,
    "studentassessmentinstance": 2,
    "staff": 1,
    "stafflink": 3,
    "studentidmap": 3,
    "modulemap": 1,
    "period": 1,
}


def extract(landing, day=DAY, **files):
    """Write an extract folder: the base files, each replaced by a keyword (str or bytes; None omits it)."""
    for name, content in {**BASE, **files}.items():
        if content is None:
            continue
        path = landing / "sits" / day / f"{name}.tsv"
        if isinstance(content, bytes):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
        else:
            write(path, content)


def by_name(outcomes):
    return {o.rel.rsplit("/", 1)[1].removesuffix(".tsv"): o for o in outcomes}


def completeness(con, day=DAY):
    return con.execute(
        "select is_complete, missing_files, rejected_files from raw.sits_extracts where extract_date = ?",
        [day],
    ).fetchone()


def quarantined(con, name):
    return con.execute(
        "select _source_line, field, row_loaded, reason from quarantine.rows"
        " where _source_file = ? order by _source_line, field",
        [f"sits/{DAY}/{name}.tsv"],
    ).fetchall()


def count(con, name):
    return con.execute(f"select count(*) from raw.sits_{name}").fetchone()[0]


def test_rules_cover_every_sits_table():
    assert set(RULES) == set(REQUIRED) == set(SITS_TABLES)


def test_complete_extract_loads_every_file_typed_with_leading_zeros(con, landing):
    extract(landing)
    outcomes = by_name(sits.ingest(con, landing, TZ))
    assert set(outcomes) == set(SITS_TABLES)
    for name, outcome in outcomes.items():
        assert (outcome.status, outcome.rows_loaded, outcome.rows_quarantined) == ("loaded", BASE_ROWS[name], 0)
        assert outcome.newest_data_date == date(2026, 9, 21)
        assert count(con, name) == BASE_ROWS[name]
    assert completeness(con) == (True, None, None)
    assert con.execute(
        "select extract_date, student_id, first_name, sexid, difflearn1, dob, _source_file, _source_line"
        " from raw.sits_student order by _source_line"
    ).fetchall() == [
        (date(2026, 9, 21), "00917342", "Ada", "2", "00", date(2005, 12, 10), f"sits/{DAY}/student.tsv", 2),
        (date(2026, 9, 21), "00000002", '"Al"', "1", None, date(2006, 6, 23), f"sits/{DAY}/student.tsv", 3),
    ]
    assert con.execute(
        "select active_membership, course_join_date, course_end_date, withdrawal_reason"
        " from raw.sits_studentcoursemembership order by student_course_membership_id"
    ).fetchall() == [(1, date(2026, 9, 14), None, None), (2, date(2025, 9, 15), date(2026, 6, 30), "03")]
    assert con.execute("select assess_weight from raw.sits_assessmentinstance").fetchall() == [(40.5,)]
    assert con.execute(
        "select assess_seq_id, assess_submission_date, assess_actual_mark, assess_agreed_mark"
        " from raw.sits_studentassessmentinstance order by student_id desc"
    ).fetchall() == [("001", date(2026, 10, 25), 62.5, None), ("001", None, None, None)]
    assert con.execute("select staff_id from raw.sits_stafflink").fetchall() == [("0042",)] * 3
    registry = "select status, rows_loaded, newest_data_date from meta.landed_files where path = ?"
    row = con.execute(registry, [f"sits/{DAY}/student.tsv"]).fetchone()
    assert row == ("loaded", 2, date(2026, 9, 21))


@pytest.mark.parametrize(
    ("name", "content", "column", "complete"),
    [
        ("course", tsv("COURSE_ID|TITLE|INST_TIER_1", "C001|BSc|SCI"), "X_LEVEL", False),
        ("studentmoduleinstance", tsv("student_id|MOD_START_DATE|MOD_END_DATE"), "MOD_INSTANCE_ID", False),
        ("period", tsv("PERIOD_CODE|ACADEMIC_YEAR|PERIOD_START_DATE|PERIOD_END_DATE"), "PERIOD_NAME", True),
    ],
)
def test_missing_required_column_rejects_the_file_and_only_a_required_file_makes_it_incomplete(
    con, landing, name, content, column, complete
):
    extract(landing, **{name: content})
    outcomes = by_name(sits.ingest(con, landing, TZ))
    rejected = outcomes[name]
    assert (rejected.status, rejected.rows_loaded) == ("rejected", 0)
    assert f"sits/{DAY}/{name}.tsv" in rejected.message and column in rejected.message
    assert count(con, name) == 0
    assert completeness(con) == (complete, None, f"{name}.tsv")
    assert outcomes["student"].rows_loaded == 2
    registry = "select status, message from meta.landed_files where path = ?"
    assert con.execute(registry, [rejected.rel]).fetchone() == ("rejected", rejected.message)


def test_a_rejected_course_file_is_reported_once_and_the_rows_referring_to_it_are_withheld(con, landing):
    # Issue 12: a file rejected whole is one problem; the rows hanging off it are not loaded, and not
    # quarantined one by one (the extract is incomplete, so none of them could have been used).
    extract(landing, course=tsv("COURSE_ID|TITLE", "C001|BSc"))
    outcomes = by_name(sits.ingest(con, landing, TZ))
    membership = outcomes["studentcoursemembership"]
    assert (membership.rows_loaded, membership.rows_quarantined) == (0, 0)
    assert "2 row(s) not loaded: they depend on course.tsv" in membership.message
    assert quarantined(con, "studentcoursemembership") == []


def test_missing_required_file_makes_the_extract_incomplete_and_a_missing_optional_file_does_not(con, landing):
    extract(landing, studentmoduleinstance=None, course=None, period=None)
    outcomes = by_name(sits.ingest(con, landing, TZ))
    assert len(outcomes) == 10
    assert completeness(con) == (False, "course.tsv, studentmoduleinstance.tsv", None)
    extract(landing, "2026-09-28", period=None, staff=None, modulemap=None)
    sits.ingest(con, landing, TZ)
    assert completeness(con, "2026-09-28") == (True, None, None)
    # Without staff.tsv the tutor links are not checked against it.
    assert con.execute("select count(*) from raw.sits_stafflink where extract_date = '2026-09-28'").fetchone() == (3,)


def test_header_only_files_are_valid_and_empty(con, landing):
    headers = {name: content.splitlines()[0] for name, content in BASE.items()}
    extract(landing, **{**headers, "studentidmap": "STUDENT_ID\tDOMAIN\tIDENTIFIER\r\n"})
    outcomes = by_name(sits.ingest(con, landing, TZ))
    assert {(o.status, o.rows_loaded, o.rows_quarantined) for o in outcomes.values()} == {("loaded", 0, 0)}
    assert completeness(con) == (True, None, None)


def test_zero_byte_file_is_rejected_and_an_empty_staff_file_leaves_links_unchecked(con, landing):
    extract(landing, staff=b"", module=b"")
    outcomes = by_name(sits.ingest(con, landing, TZ))
    assert outcomes["staff"].status == outcomes["module"].status == "rejected"
    assert "zero bytes" in outcomes["module"].message and "module.tsv" in outcomes["module"].message
    assert completeness(con) == (False, None, "module.tsv, staff.tsv")
    # Staff is not checked; the module tutor link goes with the module instances it names.
    assert (outcomes["stafflink"].rows_loaded, outcomes["stafflink"].rows_quarantined) == (2, 0)
    # moduleinstance rows name no loaded module, and everything hanging off them goes too, withheld
    # without a quarantine record each (issue 12: the rejected module.tsv is reported once).
    for name, withheld in (("moduleinstance", 2), ("studentmoduleinstance", 2), ("modulemap", 1), ("stafflink", 1)):
        assert outcomes[name].rows_quarantined == 0
        assert outcomes[name].message.startswith(f"{withheld} row(s) not loaded: they depend on module.tsv")


def test_latin1_student_file_is_rejected_and_no_student_exists_for_the_other_files(con, landing):
    extract(landing, student=BASE["student"].replace("Ada", "Zoë").encode("latin-1"))
    outcomes = by_name(sits.ingest(con, landing, TZ))
    assert outcomes["student"].status == "rejected"
    assert "not UTF-8" in outcomes["student"].message and "student.tsv" in outcomes["student"].message
    assert completeness(con) == (False, None, "student.tsv")
    assert (outcomes["studentidmap"].rows_loaded, outcomes["studentidmap"].rows_quarantined) == (0, 0)
    assert "depend on student.tsv" in outcomes["studentidmap"].message
    assert outcomes["course"].rows_loaded == 2


def test_bom_shuffled_columns_and_an_extra_column_load_and_the_extra_is_listed(con, landing):
    student = "\ufeffLast_Name\tNICKNAME\tstudent_id\tDOB\nLovelace\tAddie\t00917342\t2005-12-10\n"
    extract(landing, student=student)
    outcome = by_name(sits.ingest(con, landing, TZ))["student"]
    assert (outcome.rows_loaded, outcome.extra_columns) == (1, ["NICKNAME"])
    assert con.execute("select student_id, last_name, first_name, dob from raw.sits_student").fetchall() == [
        ("00917342", "Lovelace", None, date(2005, 12, 10))
    ]
    assert con.execute("select extra_columns from meta.landed_files where path = ?", [outcome.rel]).fetchone() == (
        "NICKNAME",
    )


def test_crlf_line_endings_load(con, landing):
    extract(landing, module=tsv("MOD_ID|MOD_NAME", "CS101|Programming", "CS102|Data", newline="\r\n"))
    assert by_name(sits.ingest(con, landing, TZ))["module"].rows_loaded == 2
    assert con.execute("select mod_name from raw.sits_module order by mod_id").fetchall() == [
        ("Programming",),
        ("Data",),
    ]


def test_unparsable_required_date_quarantines_the_row_with_line_and_reason(con, landing):
    extract(
        landing,
        studentmoduleinstance=tsv(
            "STUDENT_ID|MOD_INSTANCE_ID|MOD_START_DATE|MOD_END_DATE",
            "00917342|CS101-2026|2026-09-21|2027-01-29",
            "00000002|CS101-2026|21/09/2026|2027-01-29",
        ),
    )
    outcome = by_name(sits.ingest(con, landing, TZ))["studentmoduleinstance"]
    assert (outcome.rows_loaded, outcome.rows_quarantined) == (1, 1)
    [(line, field, loaded, reason)] = quarantined(con, "studentmoduleinstance")
    assert (line, field, loaded) == (3, "MOD_START_DATE", False)
    assert "unparsable MOD_START_DATE" in reason
    assert con.execute("select student_id from quarantine.rows").fetchone() == ("00000002",)


def test_unparsable_optional_values_load_as_null_with_a_quarantine_record(con, landing):
    student = tsv("STUDENT_ID|SEXID|DOB", "00917342|9|10/12/2005", "00000002|1|2006-06-23")
    extract(landing, student=student)
    outcome = by_name(sits.ingest(con, landing, TZ))["student"]
    assert (outcome.rows_loaded, outcome.rows_quarantined) == (2, 0)
    assert con.execute("select sexid, dob from raw.sits_student where student_id = '00917342'").fetchone() == (
        None,
        None,
    )
    assert [(line, field, loaded) for line, field, loaded, _ in quarantined(con, "student")] == [
        (2, "DOB", True),
        (2, "SEXID", True),
    ]


def test_duplicate_student_id_quarantines_both_rows_and_the_student_then_does_not_exist(con, landing):
    student = tsv("STUDENT_ID|FIRST_NAME", "00917342|Ada", "00000002|Alan", "00917342|Augusta")
    extract(landing, student=student)
    outcomes = by_name(sits.ingest(con, landing, TZ))
    assert [(line, reason) for line, _, _, reason in quarantined(con, "student")] == [
        (2, "duplicate key (STUDENT_ID)"),
        (4, "duplicate key (STUDENT_ID)"),
    ]
    assert con.execute("select student_id from raw.sits_student").fetchall() == [("00000002",)]
    for name, line in [
        ("studentcoursemembership", 2),
        ("studentmoduleinstance", 2),
        ("studentassessmentinstance", 2),
        ("studentidmap", 2),
    ]:
        assert outcomes[name].rows_quarantined == 1
        assert quarantined(con, name) == [
            (line, "STUDENT_ID", False, "broken reference: STUDENT_ID not in this extract's student.tsv")
        ]
    # A tutor link to the student goes too.
    assert quarantined(con, "stafflink") == [
        (2, "PROPERTY_VALUE", False, "broken reference: PROPERTY_VALUE not in this extract's student.tsv")
    ]


@pytest.mark.parametrize(
    ("name", "content", "field"),
    [
        ("course", tsv("COURSE_ID|TITLE|INST_TIER_1|X_LEVEL", "C001|BSc|SCI|UG", "C002|FdA|SCI|FE"), "X_LEVEL"),
        (
            "studentcoursemembership",
            tsv(
                "STUDENT_COURSE_MEMBERSHIP_ID|STUDENT_ID|COURSE_ID|ACTIVE_MEMBERSHIP|COURSE_JOIN_DATE",
                "M1|00917342|C001|1|2026-09-14",
                "M2|00000002|C002|3|2026-09-14",
            ),
            "ACTIVE_MEMBERSHIP",
        ),
        (
            "stafflink",
            tsv(
                "STAFF_ID|PROPERTY_NAME|PROPERTY_VALUE|RELATIONSHIP",
                "0042|STUDENT_ID|00917342|PERSONAL_TUTOR",
                "0042|STUDENT_ID|00000002|personal_tutor",
            ),
            "RELATIONSHIP",
        ),
    ],
)
def test_unknown_code_in_a_required_field_is_quarantined(con, landing, name, content, field):
    extract(landing, **{name: content})
    outcome = by_name(sits.ingest(con, landing, TZ))[name]
    assert (outcome.rows_loaded, outcome.rows_quarantined) == (1, 1)
    [(line, got_field, loaded, reason)] = quarantined(con, name)
    assert (line, got_field, loaded) == (3, field, False)
    assert reason.startswith(f"unknown code in {field}")


def test_submission_timestamps_are_stored_as_their_london_date(con, landing):
    extract(
        landing,
        studentassessmentinstance=tsv(
            "STUDENT_ID|ASSESS_INSTANCE_ID|ASSESS_SEQ_ID|ASSESS_DUE_DATE|ASSESS_SUBMISSION_DATE",
            "00917342|A1|001|2026-10-26|2026-10-25T00:30",
            "00917342|A1|002|2026-10-26|2026-10-05T23:30:00Z",
            "00917342|A1|003|2026-10-26|2026-10-05T23:30:00+01:00",
            "00917342|A1|004|2026-10-26|2026-10-05",
            "00917342|A1|005|2026-10-26|last Tuesday",
        ),
    )
    outcome = by_name(sits.ingest(con, landing, TZ))["studentassessmentinstance"]
    assert (outcome.rows_loaded, outcome.rows_quarantined) == (5, 0)
    assert con.execute(
        "select assess_seq_id, assess_submission_date from raw.sits_studentassessmentinstance order by 1"
    ).fetchall() == [
        ("001", date(2026, 10, 25)),
        ("002", date(2026, 10, 6)),
        ("003", date(2026, 10, 5)),
        ("004", date(2026, 10, 5)),
        ("005", None),
    ]
    assert [(line, field, loaded) for line, field, loaded, _ in quarantined(con, "studentassessmentinstance")] == [
        (6, "ASSESS_SUBMISSION_DATE", True)
    ]


def test_broken_references_cascade_through_the_files_that_depend_on_them(con, landing):
    extract(
        landing,
        moduleinstance=tsv(
            "MOD_INSTANCE_ID|MOD_ID|MOD_ACADEMIC_YEAR", "CS101-2026|CS999|2026/27", "CS102-2026|CS102|2026/27"
        ),
        stafflink=tsv(
            "STAFF_ID|PROPERTY_NAME|PROPERTY_VALUE|RELATIONSHIP",
            "0042|MOD_INSTANCE_ID|CS102-2026|MODULE_TUTOR",
            "0099|INST_TIER_1|SCI|SCHOOL_STAFF",
            "0042|INST_TIER_1|ANY_SCHOOL|SCHOOL_STAFF",
            "0042|MOD_INSTANCE_ID|CS101-2026|MODULE_TUTOR",
        ),
    )
    outcomes = by_name(sits.ingest(con, landing, TZ))
    assert quarantined(con, "moduleinstance") == [
        (2, "MOD_ID", False, "broken reference: MOD_ID not in this extract's module.tsv")
    ]
    for name in ["studentmoduleinstance", "assessmentinstance", "modulemap"]:
        assert outcomes[name].rows_loaded == 0, name
    assert outcomes["studentassessmentinstance"].rows_quarantined == 2
    assert quarantined(con, "studentassessmentinstance")[0][3] == (
        "broken reference: ASSESS_INSTANCE_ID not in this extract's assessmentinstance.tsv"
    )
    assert [(line, field) for line, field, _, _ in quarantined(con, "stafflink")] == [
        (3, "STAFF_ID"),
        (5, "PROPERTY_VALUE"),
    ]


@pytest.mark.parametrize(
    ("name", "content", "lines"),
    [
        ("course", tsv("COURSE_ID|TITLE|INST_TIER_1|X_LEVEL", "C001|A|S|UG", "C001|B|S|UG", "C002|C|S|PG"), [2, 3]),
        ("module", tsv("MOD_ID|MOD_NAME", "CS101|A", "CS102|B", "CS102|C"), [3, 4]),
        ("staff", tsv("STAFF_ID", "0042", "42", "0042"), [2, 4]),
        (
            "period",
            tsv(
                "PERIOD_CODE|ACADEMIC_YEAR|PERIOD_NAME|PERIOD_START_DATE|PERIOD_END_DATE",
                "AUT|2026/27|Autumn|2026-09-21|2026-12-11",
                "AUT|2027/28|Autumn|2027-09-20|2027-12-10",
                "AUT|2026/27|Autumn again|2026-09-28|2026-12-11",
            ),
            [2, 4],
        ),
        ("studentidmap", tsv("STUDENT_ID|DOMAIN|IDENTIFIER", "00917342|VLE|7", "00000002|VLE|7"), [2, 3]),
        (
            "studentassessmentinstance",
            tsv(
                "STUDENT_ID|ASSESS_INSTANCE_ID|ASSESS_SEQ_ID|ASSESS_DUE_DATE",
                "00917342|A1|001|2026-10-26",
                "00917342|A1|002|2026-10-26",
                "00917342|A1|001|2026-11-26",
            ),
            [2, 4],
        ),
    ],
)
def test_every_row_sharing_a_key_is_quarantined(con, landing, name, content, lines):
    extract(landing, **{name: content})
    sits.ingest(con, landing, TZ)
    assert [line for line, *_ in quarantined(con, name)] == lines
    assert all(reason.startswith("duplicate key") for *_, reason in quarantined(con, name))


def test_a_row_with_the_wrong_number_of_fields_is_quarantined_by_line(con, landing):
    extract(landing, module="MOD_ID\tMOD_NAME\nCS101\tProgramming\nCS102\tData\textra\n")
    outcome = by_name(sits.ingest(con, landing, TZ))["module"]
    assert (outcome.rows_loaded, outcome.rows_quarantined) == (1, 1)
    assert quarantined(con, "module") == [(3, None, False, "expected 2 fields, found 3")]


def test_relanding_the_same_bytes_is_a_no_op(con, landing):
    extract(landing)
    assert len(sits.ingest(con, landing, TZ)) == 13
    assert sits.ingest(con, landing, TZ) == []
    assert count(con, "student") == 2
    assert con.execute("select count(*) from raw.sits_extracts").fetchone() == (1,)


def test_changing_one_file_reloads_the_whole_folder_without_duplicates(con, landing):
    extract(landing, student=BASE["student"] + tsv("00917342|Ada|L|a@x|2|10|00|2005-12-10|0"))
    sits.ingest(con, landing, TZ)
    assert count(con, "studentidmap") == 2  # the duplicated student's rows are quarantined
    quarantine_before = con.execute("select count(*) from quarantine.rows").fetchone()[0]
    write(landing / "sits" / DAY / "student.tsv", BASE["student"])
    outcomes = sits.ingest(con, landing, TZ)
    assert len(outcomes) == 13
    assert {name: count(con, name) for name in SITS_TABLES} == BASE_ROWS
    assert quarantine_before > 0
    assert con.execute("select count(*) from quarantine.rows").fetchone() == (0,)
    assert con.execute("select count(*) from meta.landed_files").fetchone() == (13,)
    assert con.execute("select count(*) from raw.sits_extracts").fetchone() == (1,)


def test_a_file_rejected_on_reload_loads_nothing_and_a_file_gone_from_the_folder_is_forgotten(con, landing):
    extract(landing)
    sits.ingest(con, landing, TZ)
    (landing / "sits" / DAY / "period.tsv").unlink()
    write(landing / "sits" / DAY / "course.tsv", "COURSE_ID\tTITLE\nC001\tBSc\n")
    outcomes = by_name(sits.ingest(con, landing, TZ))
    assert outcomes["course"].status == "rejected" and "period" not in outcomes
    assert count(con, "course") == count(con, "period") == 0
    assert completeness(con) == (False, None, "course.tsv")
    assert con.execute("select count(*) from meta.landed_files").fetchone() == (12,)


def test_a_later_extract_is_a_separate_snapshot_and_landing_it_leaves_the_earlier_alone(con, landing):
    extract(landing)
    sits.ingest(con, landing, TZ)
    landed_at = con.execute("select landed_at from meta.landed_files where path like 'sits/2026-09-21/%'").fetchall()
    extract(landing, "2026-09-28", student=tsv("STUDENT_ID", "00917342", "00000003"))
    outcomes = sits.ingest(con, landing, TZ)
    assert {o.rel.split("/")[1] for o in outcomes} == {"2026-09-28"}
    assert {o.newest_data_date for o in outcomes} == {date(2026, 9, 28)}
    assert con.execute("select extract_date, student_id from raw.sits_student order by 1, 2").fetchall() == [
        (date(2026, 9, 21), "00000002"),
        (date(2026, 9, 21), "00917342"),
        (date(2026, 9, 28), "00000003"),
        (date(2026, 9, 28), "00917342"),
    ]
    assert (
        con.execute("select landed_at from meta.landed_files where path like 'sits/2026-09-21/%'").fetchall()
        == landed_at
    )
    assert con.execute("select extract_date, is_complete from raw.sits_extracts order by 1").fetchall() == [
        (date(2026, 9, 21), True),
        (date(2026, 9, 28), True),
    ]


def test_folders_not_named_as_a_date_and_unknown_files_are_ignored(con, landing):
    extract(landing)
    write(landing / "sits" / DAY / "notes.txt", "not an extract file")
    write(landing / "sits" / DAY / "Student.tsv", "STUDENT_ID\nX\n")
    extract(landing, "latest")
    extract(landing, "2026-02-30")
    extract(landing, "20260921")
    write(landing / "sits" / "2026-10-01", "a file, not a folder")
    outcomes = sits.ingest(con, landing, TZ)
    assert sorted(o.rel for o in outcomes) == sorted(f"sits/{DAY}/{name}.tsv" for name in SITS_TABLES)
    assert sits.ingest(con, landing, TZ) == []


def test_no_sits_folder_lands_nothing(con, landing):
    assert sits.ingest(con, landing, TZ) == []


def test_an_invalid_twin_takes_its_valid_copy_down_with_it(con, landing):
    # sources.md: every row whose key fields are present counts for uniqueness, even one that fails
    # another check, so the valid copy of a duplicated key is quarantined too.
    rows = tsv(
        "STUDENT_ID|MOD_INSTANCE_ID|MOD_START_DATE|MOD_END_DATE|MOD_RESULT",
        "00917342|CS101-2026|2026-09-21|2027-01-29|3",
        "00000002|CS101-2026|2026-09-21|2027-01-29|",
        "00917342|CS101-2026|not a date|2027-01-29|3",
    )
    extract(landing, studentmoduleinstance=rows)
    outcome = by_name(sits.ingest(con, landing, TZ))["studentmoduleinstance"]
    assert (outcome.rows_loaded, outcome.rows_quarantined) == (1, 2)
    assert [(line, reason.split(" (")[0]) for line, _, _, reason in quarantined(con, "studentmoduleinstance")] == [
        (2, "duplicate key"),
        (4, "unparsable MOD_START_DATE"),
    ]
    loaded = con.execute("select student_id from raw.sits_studentmoduleinstance").fetchall()
    assert loaded == [("00000002",)]
