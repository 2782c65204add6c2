import os
import stat

from leap_assets.privacy.keys import Keyed, privacy_dir, remember_on_disk, secret, suppressed_on_disk
from leap_assets.privacy.scrub import scrub_text, scrub_workbook, text_format
from tests.support.landing import write

MOODLE = (
    "id,eventname,userid,relateduserid,other,timecreated\r\n"
    '1,\\mod\\viewed,501,,"{""a"":\r\n""multi-line""}",1\r\n'
    "2,\\mod\\viewed,502,,null,2\r\n"
    '3,\\grade\\viewed,900,501,"x,y",3\r\n'
    "4,\\mod\\viewed,503,NULL,,4\r\n"
)


def drop(*ids):
    wanted = set(ids)
    return lambda kind, value: (kind, value) in wanted


def test_scrubbing_removes_exactly_the_rows_of_the_person_and_keeps_every_other_byte(tmp_path):
    path = write(tmp_path / "moodle" / "logstore_2026-10-12.csv", MOODLE)
    delimiter, quoted, ids = text_format("moodle/logstore_2026-10-12.csv")
    assert scrub_text(path, delimiter, quoted, ids, drop(("moodle", "501"))) == 2  # as user and as related user
    lines = MOODLE.split("\r\n")
    assert path.read_bytes() == "\r\n".join([lines[0], lines[3], lines[5], ""]).encode()


def test_sits_rows_name_the_student_by_id_by_tutor_link_and_by_moodle_mapping(tmp_path):
    stafflink = write(
        tmp_path / "sits" / "2026-10-05" / "stafflink.tsv",
        "STAFF_ID\tPROPERTY_NAME\tPROPERTY_VALUE\tRELATIONSHIP\n"
        "S1\tSTUDENT_ID\t00000001\tPERSONAL_TUTOR\n"
        "S1\tMOD_INSTANCE_ID\t00000001\tMODULE_TUTOR\n",
    )
    fmt = text_format("sits/2026-10-05/stafflink.tsv")
    assert scrub_text(stafflink, *fmt, drop(("student", "00000001"))) == 1
    assert "MODULE_TUTOR" in stafflink.read_text() and "PERSONAL_TUTOR" not in stafflink.read_text()


def test_a_file_without_any_needle_is_left_alone_unparsed(tmp_path):
    path = write(tmp_path / "seats" / "attendance_2026-10-12.tsv", "STUDENT_ID\tEVENT_ID\n00000001\tE1\n")
    before = os.stat(path).st_mtime_ns
    fmt = text_format("seats/attendance_2026-10-12.tsv")
    assert scrub_text(path, *fmt, drop(("student", "00000001")), needles=[b"00000009"]) == 0
    assert os.stat(path).st_mtime_ns == before


def test_only_files_leap_manages_have_a_format():
    assert text_format("privacy/requests.csv") is None
    assert text_format("notes/students.csv") is None
    assert text_format("schools/online_only_law.csv") is not None


def test_a_report_shaped_workbook_loses_the_rows_of_the_person(tmp_path):
    from openpyxl import Workbook, load_workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Engagement"
    sheet.append(["Student ID", "Last name"])
    sheet.append(["00000001", "A"])
    sheet.append(["00000002", "B"])
    book.save(tmp_path / "r.xlsx")
    assert scrub_workbook(tmp_path / "r.xlsx", drop(("student", "00000001"))) == 1
    rows = list(load_workbook(tmp_path / "r.xlsx")["Engagement"].values)
    assert rows == [("Student ID", "Last name"), ("00000002", "B")]


def test_the_secret_is_private_and_the_suppression_file_holds_hashes_not_ids(tmp_path, monkeypatch):
    monkeypatch.setenv("LEAP_PRIVACY_DIR", str(tmp_path / "privacy"))
    key = secret()
    assert len(key) == 32 and secret() == key
    assert stat.S_IMODE(os.stat(privacy_dir() / "secret.key").st_mode) == 0o600
    keyed = Keyed()
    digest = keyed("student", "00000001")
    assert digest != keyed("moodle", "00000001") and len(digest) == 64
    assert Keyed(b"another secret")("student", "00000001") != digest
    remember_on_disk({digest})
    assert suppressed_on_disk() == {digest}
    assert b"00000001" not in (privacy_dir() / "suppression.txt").read_bytes()
