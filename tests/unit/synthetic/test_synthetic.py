"""The synthetic university (`leap generate`): exact landing formats, determinism, special cases."""

import csv
import datetime as dt
import itertools
import json
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from leap_assets.synthetic import GenerationSummary, generate

LONDON = ZoneInfo("Europe/London")
START = dt.date(2026, 10, 5)  # six weeks from here span the clock change of Sunday 25 October 2026
WEEKS = 6

# Headers exactly as sources.md names them.
SITS = {
    "student": "STUDENT_ID FIRST_NAME LAST_NAME PRIMARY_EMAIL_ADDRESS SEXID ETHNICITY DIFFLEARN1 DOB OVERSEAS",
    "course": "COURSE_ID TITLE INST_TIER_1 INST_TIER_2 X_LEVEL",
    "studentcoursemembership": "STUDENT_COURSE_MEMBERSHIP_ID STUDENT_ID COURSE_ID ACTIVE_MEMBERSHIP "
    "COURSE_JOIN_DATE COURSE_END_DATE WITHDRAWAL_REASON COURSE_OUTCOME",
    "module": "MOD_ID MOD_NAME",
    "moduleinstance": "MOD_INSTANCE_ID MOD_ID MOD_ACADEMIC_YEAR",
    "studentmoduleinstance": "STUDENT_ID MOD_INSTANCE_ID MOD_START_DATE MOD_END_DATE MOD_RESULT",
    "assessmentinstance": "ASSESS_INSTANCE_ID MOD_INSTANCE_ID ASSESS_TYPE ASSESS_WEIGHT ASSESS_SUMMATIVE",
    "studentassessmentinstance": "STUDENT_ID ASSESS_INSTANCE_ID ASSESS_SEQ_ID ASSESS_DUE_DATE "
    "ASSESS_SUBMISSION_DATE ASSESS_ACTUAL_MARK ASSESS_AGREED_MARK",
    "staff": "STAFF_ID FIRST_NAME LAST_NAME PRIMARY_EMAIL_ADDRESS",
    "stafflink": "STAFF_ID PROPERTY_NAME PROPERTY_VALUE RELATIONSHIP",
    "studentidmap": "STUDENT_ID DOMAIN IDENTIFIER",
    "modulemap": "MOD_INSTANCE_ID MODULE_MAP_DOMAIN DOMAIN_MAPPED_ID",
    "period": "PERIOD_CODE ACADEMIC_YEAR PERIOD_NAME PERIOD_START_DATE PERIOD_END_DATE",
}
SEATS = (
    "STUDENT_ID EVENT_ID EVENT_NAME EVENT_TYPE EVENT_TYPE_DESCRIPTION EVENT_MANDATORY START_TIME END_TIME "
    "EVENT_ATTENDED ATTENDANCE_LATE ATTENDANCE_CATEGORY MOD_INSTANCE_ID STAFF_ID"
)
MOODLE = (
    "id eventname component action target crud edulevel contextid contextlevel contextinstanceid userid "
    "courseid relateduserid anonymous other timecreated origin ip realuserid"
)
SCHOOLS = ["STUDENT_ID", "FROM_DATE", "TO_DATE", "NOTE"]
NULLS = ("", "NULL", "\\N")


@pytest.fixture(scope="module")
def term(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, GenerationSummary, list[tuple[int, int]]]:
    landing = tmp_path_factory.mktemp("landing")
    calls: list[tuple[int, int]] = []
    summary = generate(landing, 150, WEEKS, START, seed=3, progress=lambda done, total: calls.append((done, total)))
    return landing, summary, calls


def tsv(path: Path) -> list[dict[str, str]]:
    lines = path.read_text(encoding="utf-8").split("\n")
    assert lines[-1] == ""
    header = lines[0].split("\t")
    return [dict(zip(header, line.split("\t"), strict=True)) for line in lines[1:-1]]


def moodle_rows(landing: Path) -> list[dict[str, str]]:
    rows = []
    for path in sorted((landing / "moodle").iterdir()):
        with path.open(encoding="utf-8", newline="") as handle:
            rows += [dict(row, file=path.name) for row in csv.DictReader(handle)]
    return rows


def extracts(landing: Path) -> list[Path]:
    return sorted((landing / "sits").iterdir())


def london_date(text: str) -> dt.date:
    if "T" not in text:
        return dt.date.fromisoformat(text)
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(LONDON).date()


def test_same_seed_writes_identical_bytes_and_another_seed_does_not(tmp_path: Path) -> None:
    def files(root: Path) -> dict[str, bytes]:
        return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}

    args = {"students": 40, "weeks": 2, "start": START}
    first = files(generate(tmp_path / "a", seed=11, **args).landing)
    assert first == files(generate(tmp_path / "b", seed=11, **args).landing)
    other = files(generate(tmp_path / "c", seed=12, **args).landing)
    shared = sorted(first.keys() & other.keys())
    assert any(name.startswith("moodle/") for name in shared)
    assert all(first[name] != other[name] for name in shared if name.startswith(("moodle/", "seats/")))


@pytest.mark.parametrize(
    ("students", "weeks", "start", "seed", "says"),
    [
        (9, 4, START, 1, "students"),
        (50, 0, START, 1, "weeks"),
        (50, 4, START + dt.timedelta(days=1), 1, "Monday"),
        (50, 4, START, -1, "seed"),
    ],
)
def test_bad_arguments_raise_a_one_sentence_value_error(
    tmp_path: Path, students: int, weeks: int, start: dt.date, seed: int, says: str
) -> None:
    with pytest.raises(ValueError, match=says):
        generate(tmp_path, students, weeks, start, seed=seed)
    assert not any(tmp_path.iterdir())


def test_summary_describes_the_term_and_what_was_written(term) -> None:
    landing, summary, calls = term
    files = [p for p in landing.rglob("*") if p.is_file()]
    assert summary.files_written == len(files)
    assert summary.bytes_written == sum(p.stat().st_size for p in files)
    assert (summary.period_code, summary.academic_year) == ("AUT", "2026/27")
    assert summary.first_week_start == START
    assert summary.last_week_start == START + dt.timedelta(weeks=WEEKS - 1)
    assert summary.rows["moodle"] == len(moodle_rows(landing))
    assert summary.rows["seats"] == sum(len(tsv(p)) for p in (landing / "seats").iterdir())
    assert calls[-1][0] == calls[-1][1] and [d for d, _ in calls] == list(range(1, len(calls) + 1))


def test_one_complete_sits_extract_per_report_date(term) -> None:
    landing, _, _ = term
    names = [p.name for p in extracts(landing)]
    expected = [START - dt.timedelta(days=7)] + [START + dt.timedelta(days=7 * k) for k in range(1, WEEKS + 1)]
    assert names == [str(d) for d in expected]
    for folder in extracts(landing):
        assert sorted(p.name for p in folder.iterdir()) == sorted(f"{name}.tsv" for name in SITS)


def test_every_file_header_is_exactly_the_contract(term) -> None:
    landing, _, _ = term
    for folder in extracts(landing):
        for name, header in SITS.items():
            assert (folder / f"{name}.tsv").read_text(encoding="utf-8").split("\n")[0] == "\t".join(header.split())
    for path in (landing / "seats").iterdir():
        assert path.name.startswith("attendance_") and path.suffix == ".tsv"
        assert path.read_text(encoding="utf-8").split("\n")[0] == "\t".join(SEATS.split())
    moodle = sorted((landing / "moodle").iterdir())
    assert [p.name for p in moodle] == [f"logstore_{START + dt.timedelta(days=d)}.csv" for d in range(7 * WEEKS)]
    for path in moodle:
        assert path.read_bytes().decode("utf-8").split("\r\n")[0] == ",".join(MOODLE.split())
    lists = list((landing / "schools").iterdir())
    assert 1 <= len(lists) <= 2
    for path in lists:
        assert path.name.startswith("online_only_")
        assert path.read_text(encoding="utf-8-sig").splitlines()[0].split(",") == SCHOOLS


def test_identifiers_are_text_with_leading_zeros(term) -> None:
    landing, _, _ = term
    ids = [row["STUDENT_ID"] for row in tsv(extracts(landing)[-1] / "student.tsv")]
    assert all(len(i) == 8 and i.isdigit() for i in ids)
    assert any(i.startswith("0") for i in ids)
    assert len(set(ids)) == len(ids)
    emails = [row["PRIMARY_EMAIL_ADDRESS"] for row in tsv(extracts(landing)[-1] / "student.tsv")]
    assert all(e.endswith("@students.example.ac.uk") for e in emails)


def test_term_and_academic_year_are_in_period(term) -> None:
    landing, _, _ = term
    periods = {row["PERIOD_CODE"]: row for row in tsv(extracts(landing)[0] / "period.tsv")}
    assert periods["AUT"]["PERIOD_START_DATE"] == str(START)
    assert periods["AUT"]["PERIOD_END_DATE"] == str(START + dt.timedelta(days=7 * WEEKS - 1))
    assert {row["ACADEMIC_YEAR"] for row in periods.values()} == {"2026/27"}
    assert {"SPR", "SUM"} <= periods.keys()


def levels(landing: Path) -> dict[str, str]:
    folder = extracts(landing)[-1]
    level = {row["COURSE_ID"]: row["X_LEVEL"] for row in tsv(folder / "course.tsv")}
    return {row["STUDENT_ID"]: level[row["COURSE_ID"]] for row in tsv(folder / "studentcoursemembership.tsv")}


def test_seats_holds_undergraduates_only_and_postgraduates_exist(term) -> None:
    landing, _, _ = term
    level = levels(landing)
    seen = {row["STUDENT_ID"] for p in (landing / "seats").iterdir() for row in tsv(p)}
    assert seen and {level[s] for s in seen} == {"UG"}
    assert "PG" in level.values()


def test_attendance_has_every_kind_of_row(term) -> None:
    landing, _, _ = term
    rows = [row for p in sorted((landing / "seats").iterdir()) for row in tsv(p)]
    assert {row["ATTENDANCE_CATEGORY"] for row in rows} == {"P", "L", "A", "X", "C", ""}
    assert {row["EVENT_MANDATORY"] for row in rows} == {"0", "1"}
    assert any(row["ATTENDANCE_LATE"] == "1" and row["EVENT_ATTENDED"] == "1" for row in rows)
    cancelled = {row["EVENT_ID"] for row in rows if row["ATTENDANCE_CATEGORY"] == "C"}
    assert all(row["ATTENDANCE_CATEGORY"] == "C" for row in rows if row["EVENT_ID"] in cancelled)


def test_a_later_attendance_file_restates_earlier_rows(term) -> None:
    landing, _, _ = term
    files = sorted((landing / "seats").iterdir())
    mondays = [p for p in files if dt.date.fromisoformat(p.stem[-10:]).weekday() == 0]
    assert len(mondays) == WEEKS
    (correction,) = [p for p in files if p not in mondays]
    assert dt.date.fromisoformat(correction.stem[-10:]) > START + dt.timedelta(days=7 * WEEKS / 2)
    earlier = {(row["STUDENT_ID"], row["EVENT_ID"]): row for p in files if p.stem < correction.stem for row in tsv(p)}
    restated = tsv(correction)
    assert restated and all((row["STUDENT_ID"], row["EVENT_ID"]) in earlier for row in restated)
    changed = [row for row in restated if row != earlier[(row["STUDENT_ID"], row["EVENT_ID"])]]
    assert any(row["ATTENDANCE_CATEGORY"] == "X" for row in changed)


def test_timestamps_carry_the_london_offset_on_both_sides_of_the_clock_change(term) -> None:
    landing, _, _ = term
    rows = [row for p in (landing / "seats").iterdir() for row in tsv(p)]
    for row in rows:
        start = dt.datetime.fromisoformat(row["START_TIME"].replace("Z", "+00:00"))
        local = start.astimezone(LONDON)
        if row["START_TIME"].endswith(("+01:00", "+00:00")):
            assert start.utcoffset() == local.utcoffset()
    text = {row["START_TIME"][:10]: row["START_TIME"] for row in rows}
    assert text["2026-10-23"].endswith("+01:00")
    assert text["2026-10-26"].endswith(("+00:00", "Z"))
    night = [row for row in rows if "Sleep laboratory" in row["EVENT_NAME"]]
    assert night and night[0]["START_TIME"] == "2026-10-24T23:30:00Z"
    assert london_date(night[0]["START_TIME"]) == dt.date(2026, 10, 25)


def test_moodle_ids_increase_across_files_and_other_is_quoted_json(term) -> None:
    landing, _, _ = term
    rows = moodle_rows(landing)
    ids = [int(row["id"]) for row in rows]
    assert all(a < b for a, b in itertools.pairwise(ids))
    others = [row["other"] for row in rows if row["other"] != "null"]
    assert any("," in o and '"' in o for o in others)
    assert all(isinstance(json.loads(o), dict) for o in others)
    for row in rows:
        day = dt.date.fromisoformat(row["file"][9:19])
        assert dt.datetime.fromtimestamp(int(row["timecreated"]), LONDON).date() == day


def test_moodle_mixes_learning_with_events_that_must_not_count(term) -> None:
    landing, _, _ = term
    rows = moodle_rows(landing)
    folder = extracts(landing)[-1]
    students = {row["IDENTIFIER"] for row in tsv(folder / "studentidmap.tsv") if row["DOMAIN"] == "VLE"}
    courses = {row["DOMAIN_MAPPED_ID"] for row in tsv(folder / "modulemap.tsv")}
    learning = [
        r
        for r in rows
        if r["edulevel"] == "2" and r["anonymous"] == "0" and r["userid"] != "0" and r["realuserid"] in NULLS
        and r["origin"] in ("web", "ws") and r["userid"] in students and r["courseid"] in courses
    ]  # fmt: skip
    assert 0.5 < len(learning) / len(rows) < 0.9
    assert {"0", "1"} <= {r["edulevel"] for r in rows}
    assert any(r["anonymous"] == "1" for r in rows)
    assert {"cli", "cron", "restore"} <= {r["origin"] for r in rows}
    assert any(r["realuserid"] not in NULLS for r in rows)
    assert any(r["userid"] == "0" for r in rows)
    assert any(r["userid"] not in students and r["userid"] != "0" for r in rows)
    assert any(r["courseid"] not in courses and r["courseid"] != "0" for r in rows)
    names = {r["eventname"] for r in learning}
    assert {"\\mod_quiz\\event\\attempt_submitted", "\\mod_forum\\event\\post_created"} <= names
    by_file = {}
    for r in rows:
        by_file.setdefault(r["file"], set()).add(r["relateduserid"])
    assert any("NULL" in tokens for tokens in by_file.values())
    assert any("" in tokens for tokens in by_file.values())


def test_one_moodle_course_maps_to_two_module_instances(term) -> None:
    landing, _, _ = term
    mapped = [row["DOMAIN_MAPPED_ID"] for row in tsv(extracts(landing)[-1] / "modulemap.tsv")]
    assert len(mapped) - len(set(mapped)) == 1


def test_mappings_can_arrive_after_the_events_they_map(term) -> None:
    landing, _, _ = term
    first, later = extracts(landing)[0], extracts(landing)[-1]
    late_course = {r["DOMAIN_MAPPED_ID"] for r in tsv(later / "modulemap.tsv")} - {
        r["DOMAIN_MAPPED_ID"] for r in tsv(first / "modulemap.tsv")
    }
    assert late_course
    week_one = [r for r in moodle_rows(landing) if r["file"] < f"logstore_{START + dt.timedelta(days=7)}"]
    assert any(r["courseid"] in late_course for r in week_one)
    joined = {r["STUDENT_ID"] for r in tsv(later / "student.tsv")} - {
        r["STUDENT_ID"] for r in tsv(first / "student.tsv")
    }
    assert joined
    for folder in extracts(landing):
        has_student = joined <= {r["STUDENT_ID"] for r in tsv(folder / "student.tsv")}
        mapped = joined <= {r["STUDENT_ID"] for r in tsv(folder / "studentidmap.tsv")}
        if has_student and not mapped:
            break
    else:
        pytest.fail("no extract holds the new student before their Moodle mapping")


def test_withdrawal_shows_from_its_date_and_some_have_two_memberships(term) -> None:
    landing, _, _ = term
    final = tsv(extracts(landing)[-1] / "studentcoursemembership.tsv")
    withdrawn = [r for r in final if r["ACTIVE_MEMBERSHIP"] == "2" and r["WITHDRAWAL_REASON"] not in ("", "40")]
    assert withdrawn
    row = withdrawn[0]
    for folder in extracts(landing):
        now = {r["STUDENT_COURSE_MEMBERSHIP_ID"]: r for r in tsv(folder / "studentcoursemembership.tsv")}
        current = now[row["STUDENT_COURSE_MEMBERSHIP_ID"]]
        if folder.name >= row["COURSE_END_DATE"]:
            assert current == row
        else:
            assert (current["ACTIVE_MEMBERSHIP"], current["COURSE_END_DATE"]) == ("1", "")
    per_student: dict[str, int] = {}
    for r in final:
        per_student[r["STUDENT_ID"]] = per_student.get(r["STUDENT_ID"], 0) + 1
    assert max(per_student.values()) >= 2


def test_submissions_and_marks_appear_only_after_they_happen(term) -> None:
    landing, _, _ = term
    formats = set()
    for folder in extracts(landing):
        for row in tsv(folder / "studentassessmentinstance.tsv"):
            text = row["ASSESS_SUBMISSION_DATE"]
            assert row["ASSESS_AGREED_MARK"] == ""
            if text:
                assert london_date(text) < dt.date.fromisoformat(folder.name)
                formats.add("Z" if text.endswith("Z") else "offset" if "T" in text else "date")
            else:
                assert row["ASSESS_ACTUAL_MARK"] == ""
    assert formats == {"Z", "offset", "date"}


def test_personal_tutor_changes_in_a_later_extract(term) -> None:
    landing, _, _ = term

    def tutors(folder: Path) -> set[tuple[str, str]]:
        rows = tsv(folder / "stafflink.tsv")
        return {(r["PROPERTY_VALUE"], r["STAFF_ID"]) for r in rows if r["RELATIONSHIP"] == "PERSONAL_TUTOR"}

    first, last = tutors(extracts(landing)[0]), tutors(extracts(landing)[-1])
    before = dict(first)
    assert any(before.get(student, staff) != staff for student, staff in last)
    relationships = {r["RELATIONSHIP"] for r in tsv(extracts(landing)[-1] / "stafflink.tsv")}
    assert relationships == {"PERSONAL_TUTOR", "MODULE_TUTOR", "SCHOOL_STAFF"}


def test_online_only_lists_name_known_undergraduates(term) -> None:
    landing, _, _ = term
    level = levels(landing)
    for path in (landing / "schools").iterdir():
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
        assert rows and all(level[r["STUDENT_ID"]] == "UG" for r in rows)
        assert all(r["FROM_DATE"] for r in rows)


def test_module_results_reach_sits_after_the_module_ends_and_follow_withdrawals(term) -> None:
    landing, _, _ = term
    seen: dict[tuple[str, str], str] = {}
    for folder in extracts(landing):
        for row in tsv(folder / "studentmoduleinstance.tsv"):
            if row["MOD_RESULT"] != "3":
                assert row["MOD_END_DATE"] < folder.name  # a result is known only once the module has ended
            seen[(row["STUDENT_ID"], row["MOD_INSTANCE_ID"])] = row["MOD_RESULT"]
    final = tsv(extracts(landing)[-1] / "studentcoursemembership.tsv")
    withdrawn = {
        r["STUDENT_ID"] for r in final if r["ACTIVE_MEMBERSHIP"] == "2" and r["WITHDRAWAL_REASON"] not in ("", "40")
    }
    results = set(seen.values())
    assert {"1", "2", "3"} <= results
    assert all(result == "3" for (student, _), result in seen.items() if student in withdrawn)
