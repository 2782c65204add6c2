from datetime import date

from leap_assets.ingestion import schools
from tests.support.landing import write


def known(con, *ids):
    for student in ids:
        con.execute(
            "insert into raw.sits_student (extract_date, student_id, _source_file, _source_line)"
            " values ('2026-09-21', ?, 'sits/2026-09-21/student.tsv', 2)",
            [student],
        )


def test_online_only_list_loads_with_nullable_to_date_and_keeps_leading_zeros(con, landing):
    known(con, "00000001", "00000002")
    write(
        landing / "schools/online_only_health.csv",
        "STUDENT_ID,FROM_DATE,TO_DATE,NOTE\n00000001,2026-09-28,,placement\n00000002,2026-09-28,2026-10-31,\n",
    )
    [outcome] = schools.ingest(con, landing, "Europe/London")
    assert (outcome.status, outcome.rows_loaded, outcome.rows_quarantined) == ("loaded", 2, 0)
    rows = con.execute(
        "select student_id, from_date, to_date, note, list_name, _source_line"
        " from raw.schools_online_only order by student_id"
    ).fetchall()
    assert rows == [
        ("00000001", date(2026, 9, 28), None, "placement", "online_only_health.csv", 2),
        ("00000002", date(2026, 9, 28), date(2026, 10, 31), None, "online_only_health.csv", 3),
    ]


def test_unknown_student_and_bad_dates_are_quarantined_with_line_and_reason(con, landing):
    known(con, "00000001")
    write(
        landing / "schools/online_only_x.csv",
        "student_id,from_date,to_date\n00000001,2026-09-28,31/10/2026\n09999999,2026-09-28,\n00000001,not-a-date,\n",
    )
    [outcome] = schools.ingest(con, landing, "Europe/London")
    assert (outcome.rows_loaded, outcome.rows_quarantined) == (1, 2)
    reasons = con.execute(
        "select _source_line, field, row_loaded, reason from quarantine.rows order by _source_line"
    ).fetchall()
    assert [(line, field, loaded) for line, field, loaded, _ in reasons] == [
        (2, "TO_DATE", True),
        (3, "STUDENT_ID", False),
        (4, "FROM_DATE", False),
    ]
    assert "unknown student" in reasons[1][3]
    assert con.execute("select to_date from raw.schools_online_only").fetchone() == (None,)


def test_new_content_at_the_same_path_replaces_the_list_and_same_bytes_are_a_no_op(con, landing):
    known(con, "00000001", "00000002")
    path = landing / "schools/online_only_x.csv"
    write(path, "STUDENT_ID,FROM_DATE\n00000001,2026-09-28\n")
    assert len(schools.ingest(con, landing, "Europe/London")) == 1
    assert schools.ingest(con, landing, "Europe/London") == []
    write(path, "STUDENT_ID,FROM_DATE\n00000002,2026-10-05\n")
    schools.ingest(con, landing, "Europe/London")
    assert con.execute("select student_id from raw.schools_online_only").fetchall() == [("00000002",)]


def test_missing_required_column_rejects_the_file_and_keeps_the_previous_list(con, landing):
    known(con, "00000001")
    path = landing / "schools/online_only_x.csv"
    write(path, "STUDENT_ID,FROM_DATE\n00000001,2026-09-28\n")
    schools.ingest(con, landing, "Europe/London")
    write(path, "STUDENT_ID,NOTE\n00000001,x\n")
    [outcome] = schools.ingest(con, landing, "Europe/London")
    assert outcome.status == "rejected"
    assert "schools/online_only_x.csv" in outcome.message and "FROM_DATE" in outcome.message
    assert con.execute("select count(*) from raw.schools_online_only").fetchone() == (1,)
