"""The source registry: the committed file is complete and valid, mistakes are named, approval and
field lists decide what is read."""

from datetime import date
from pathlib import Path

import pytest

from leap_assets.sources.contracts import SOURCES, contract, known_fields
from leap_assets.sources.reading import FileRejected, read_all
from leap_assets.sources.registry import SourceRegistryError, load_registry, sources_file, using
from tests.support.landing import write
from tests.support.registry_files import COMMITTED, variant

TODAY = date(2026, 11, 30)


def test_committed_registry_approves_every_source_and_lists_every_field_the_code_reads():
    registry = load_registry(COMMITTED)
    assert set(registry.sources) == set(SOURCES)
    for source, files in contract().items():
        assert registry.approval(source, TODAY).approved, source
        for file_key in files:
            assert registry.sources[source].files[file_key].allowed == set(known_fields(source, file_key))
    assert any("example" in contact.name for contact in registry.contacts)


def test_sources_file_comes_from_leap_sources_file(monkeypatch, tmp_path):
    monkeypatch.setenv("LEAP_SOURCES_FILE", str(tmp_path / "mine.yml"))
    assert sources_file() == ((tmp_path / "mine.yml").resolve(), True)
    monkeypatch.delenv("LEAP_SOURCES_FILE")
    assert sources_file()[0].as_posix().endswith("config/sources.yml")


def test_a_missing_registry_file_is_named(tmp_path):
    with pytest.raises(SourceRegistryError, match=r"missing\.yml does not exist"):
        load_registry(tmp_path / "missing.yml")


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda d: d["sources"].update(vle={}), r"sources\.vle is not a LEAP source"),
        (
            lambda d: d["sources"]["moodle"]["files"]["logstore_<YYYY-MM-DD>.csv"]["fields"].update(ip="why"),
            r"sources\.moodle\.files\[logstore_<YYYY-MM-DD>\.csv\]\.fields lists ip, which LEAP does not read",
        ),
        (
            lambda d: d["sources"]["sits"]["files"].update({"grades.tsv": {"what": "x", "fields": {}}}),
            r"sources\.sits\.files\[grades\.tsv\] is not a file of sits",
        ),
        (lambda d: d["sources"]["seats"].pop("approved_on"), r"sources\.seats needs both approved_by and approved_on"),
        (
            lambda d: d["sources"]["seats"].update(approved_on="last July"),
            r"sources\.seats\.approved_on must be a date as YYYY-MM-DD",
        ),
        (lambda d: d["sources"]["schools"].pop("review_date"), r"sources\.schools\.review_date must be given"),
        (lambda d: d["sources"]["sits"].pop("lawful_basis"), r"sources\.sits\.lawful_basis must be given"),
        (
            lambda d: d["sources"]["sits"].update(purpose="To flag visa holders"),
            r"sources\.sits\.purpose uses the word 'visa'",
        ),
        (lambda d: d["installation"].update(contacts=[]), r"installation\.contacts must be a list"),
    ],
)
def test_a_registry_mistake_is_one_sentence_naming_the_file_and_key(tmp_path, edit, message):
    path = variant(tmp_path, edit)
    with pytest.raises(SourceRegistryError, match=message) as raised:
        load_registry(path)
    assert str(path) in str(raised.value)


def test_a_source_without_approval_or_approved_later_is_not_approved(tmp_path):
    def edit(data):
        for key in ("approved_by", "approved_on", "consultation_ref"):
            data["sources"]["moodle"].pop(key)
        data["sources"]["seats"]["approved_on"] = date(2026, 12, 1)
        del data["sources"]["schools"]

    registry = load_registry(variant(tmp_path, edit))
    moodle = registry.approval("moodle", TODAY)
    assert not moodle.approved and "moodle is not approved" in moodle.reason
    assert "approved only from 2026-12-01" in registry.approval("seats", TODAY).reason
    assert "schools is not listed in the source registry" in registry.approval("schools", TODAY).reason
    assert registry.approval("sits", TODAY).approved


def test_a_required_field_left_out_makes_the_source_unusable_naming_it(tmp_path):
    def edit(data):
        data["sources"]["seats"]["files"]["attendance_<YYYY-MM-DD>.tsv"]["fields"].pop("EVENT_ID")
        data["sources"]["moodle"]["files"]["logstore_<YYYY-MM-DD>.csv"]["fields"].pop("realuserid")

    registry = load_registry(variant(tmp_path, edit))
    seats = registry.approval("seats", TODAY)
    assert not seats.approved
    assert "does not list EVENT_ID for attendance_<YYYY-MM-DD>.tsv" in seats.reason
    # realuserid decides the learning-activity filter: leaving it out would keep "logged in as" events.
    assert "does not list realuserid" in registry.approval("moodle", TODAY).reason


def test_a_passed_review_date_keeps_the_source_approved_but_overdue(tmp_path):
    registry = load_registry(variant(tmp_path, lambda d: d["sources"]["sits"].update(review_date=date(2026, 11, 1))))
    approval = registry.approval("sits", TODAY)
    assert approval.approved and approval.review_overdue and approval.review_date == date(2026, 11, 1)
    assert not registry.approval("seats", TODAY).review_overdue


def test_fields_for_a_landed_path_are_the_listed_ones_and_other_paths_are_not_governed(tmp_path):
    registry = load_registry(
        variant(tmp_path, lambda d: d["sources"]["sits"]["files"]["student.tsv"]["fields"].pop("DOB"))
    )
    student = registry.fields_for("sits/2026-10-05/student.tsv")
    assert "dob" not in student and "student_id" in student
    assert "ip" not in registry.fields_for("moodle/logstore_2026-10-05.csv")
    assert registry.fields_for("notes/readme.txt") is None


def test_an_unlisted_optional_column_is_read_as_empty_even_when_the_file_has_it(tmp_path):
    registry = load_registry(
        variant(tmp_path, lambda d: d["sources"]["schools"]["files"]["online_only_<name>.csv"]["fields"].pop("NOTE"))
    )
    landing = tmp_path / "landing"
    path = write(landing / "schools" / "online_only_law.csv", "STUDENT_ID,FROM_DATE,NOTE\n001,2026-10-01,secret\n")
    options = {"required": ["student_id", "from_date"], "optional": ["to_date", "note"], "delimiter": ","}
    with using(registry):
        header, chunk = read_all(path, "schools/online_only_law.csv", quoted=True, **options)
    assert chunk.frame.loc[0, "note"] is None
    assert "secret" not in chunk.frame.astype(str).to_numpy().ravel().tolist()
    assert header.extra_columns == ["NOTE"]


def test_an_unlisted_required_column_rejects_the_file(tmp_path):
    registry = load_registry(
        variant(
            tmp_path, lambda d: d["sources"]["schools"]["files"]["online_only_<name>.csv"]["fields"].pop("FROM_DATE")
        )
    )
    path = write(tmp_path / "schools" / "online_only_law.csv", "STUDENT_ID,FROM_DATE\n001,2026-10-01\n")
    options = {"required": ["student_id", "from_date"], "optional": [], "delimiter": ",", "quoted": True}
    with using(registry), pytest.raises(FileRejected, match="does not list the required column"):
        read_all(path, "schools/online_only_law.csv", **options)


def test_paths_outside_the_contract_are_read_without_consulting_the_registry(tmp_path, monkeypatch):
    monkeypatch.setenv("LEAP_SOURCES_FILE", str(tmp_path / "none.yml"))
    path: Path = write(tmp_path / "a.csv", "ID,NAME\n1,x\n")
    _, chunk = read_all(path, "a.csv", required=["id", "name"], optional=[], delimiter=",", quoted=True)
    assert chunk.frame.loc[0, "name"] == "x"
