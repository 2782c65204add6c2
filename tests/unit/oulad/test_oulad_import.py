"""`leap import oulad`: a small OULAD subset turned into a landing zone, row counts per landing file
after the documented mapping, the mapping of dates, memberships and results, and one sentence for a
missing or malformed file. One test reads the real files when they are there."""

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner

from leap_assets.oulad.landing import import_oulad, presentation_start
from orchestration.cli import main

REAL = Path(__file__).resolve().parents[4] / "shared" / "data" / "oulad"
FILES = {
    "courses.csv": ["code_module,code_presentation,module_presentation_length", "AAA,2013J,268", "CCC,2014B,241"],
    "studentInfo.csv": [
        "code_module,code_presentation,id_student,gender,region,highest_education,imd_band,age_band,"
        "num_of_prev_attempts,studied_credits,disability,final_result",
        "AAA,2013J,11,M,Wales,A Level,?,0-35,0,60,N,Pass",
        "AAA,2013J,12,F,Wales,A Level,10-20,0-35,0,60,Y,Fail",
        "AAA,2013J,13,F,Wales,A Level,10-20,0-35,0,60,N,Withdrawn",
        "AAA,2013J,14,M,Wales,A Level,10-20,0-35,0,60,N,Withdrawn",
        "CCC,2014B,11,M,Wales,A Level,10-20,0-35,1,60,Y,Distinction",
    ],
    "studentRegistration.csv": [
        "code_module,code_presentation,id_student,date_registration,date_unregistration",
        "AAA,2013J,11,-30,?",
        "AAA,2013J,12,?,?",
        "AAA,2013J,13,-10,30",
        "AAA,2013J,14,-5,?",
        "CCC,2014B,11,-1,?",
    ],
    "assessments.csv": [
        "code_module,code_presentation,id_assessment,assessment_type,date,weight",
        "AAA,2013J,1,TMA,19,10",
        "AAA,2013J,2,TMA,54,20",
        "AAA,2013J,3,Exam,?,100",
        "CCC,2014B,4,CMA,20,0",
    ],
    "studentAssessment.csv": [
        "id_assessment,id_student,date_submitted,is_banked,score",
        "1,11,18,0,78",
        "1,12,25,0,?",
        "2,11,54,0,60",
        "1,13,19,0,50",
        "3,11,230,0,70",
        "4,11,20,0,90",
    ],
    "vle.csv": [
        "id_site,code_module,code_presentation,activity_type,week_from,week_to",
        "500,AAA,2013J,resource,?,?",
        "600,CCC,2014B,quiz,?,?",
    ],
    "studentVle_sample.csv": [
        "code_module,code_presentation,id_student,id_site,date,sum_click",
        "AAA,2013J,11,500,-2,3",
        "AAA,2013J,12,500,8,1",
        "CCC,2014B,11,600,0,2",
        "CCC,2014B,11,999,0,5",
    ],
}


def write_oulad(folder: Path, files: dict[str, list[str]] = FILES) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, lines in files.items():
        (folder / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def read(path: Path, sep: str = "\t") -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=sep))


def test_presentations_start_on_the_first_monday_of_their_month():
    assert str(presentation_start("2013J")) == "2013-10-07"
    assert str(presentation_start("2014B")) == "2014-02-03"


def test_row_counts_per_landing_file_follow_the_mapping(tmp_path):
    summary = import_oulad(write_oulad(tmp_path / "oulad"), tmp_path / "landing")
    extract = f"sits/{summary.extract_date}"
    assert str(summary.extract_date) == "2014-10-02"  # the day after CCC 2014B ends (its day 240)
    counts = {name: n for name, n in summary.rows.items()}
    assert counts[f"{extract}/student.tsv"] == 4  # distinct id_student
    assert counts[f"{extract}/course.tsv"] == counts[f"{extract}/moduleinstance.tsv"] == 2  # courses.csv
    assert counts[f"{extract}/studentcoursemembership.tsv"] == 5  # studentRegistration.csv
    assert counts[f"{extract}/studentmoduleinstance.tsv"] == 5  # studentInfo.csv
    assert counts[f"{extract}/assessmentinstance.tsv"] == 4  # assessments.csv
    # Registrations x dated assessments of their presentation (4 x 2 + 1 x 1), less the one due after
    # student 13 unregistered (day 54 > day 30).
    assert counts[f"{extract}/studentassessmentinstance.tsv"] == 8
    assert counts[f"{extract}/period.tsv"] == 2
    moodle = sum(n for name, n in counts.items() if name.startswith("moodle/"))
    assert moodle == 3 + 1 + 2 and summary.clicks_outside == 1  # sum_click of rows whose site is known
    assert counts["schools/online_only_social-sciences.csv"] == 4 and counts["schools/online_only_stem.csv"] == 1


def test_memberships_results_and_submissions_are_mapped_as_documented(tmp_path):
    summary = import_oulad(write_oulad(tmp_path / "oulad"), tmp_path / "landing")
    extract = tmp_path / "landing" / "sits" / str(summary.extract_date)
    members = {r["STUDENT_COURSE_MEMBERSHIP_ID"]: r for r in read(extract / "studentcoursemembership.tsv")}
    assert members["11-AAA-2013J"] | {} == {
        "STUDENT_COURSE_MEMBERSHIP_ID": "11-AAA-2013J", "STUDENT_ID": "11", "COURSE_ID": "AAA-2013J",
        "ACTIVE_MEMBERSHIP": "1", "COURSE_JOIN_DATE": "2013-09-07", "COURSE_END_DATE": "2014-07-01",
        "WITHDRAWAL_REASON": "",
    }  # fmt: skip
    assert members["12-AAA-2013J"]["COURSE_JOIN_DATE"] == "2013-10-07"  # no registration date: the start
    withdrawn = members["13-AAA-2013J"]
    assert (withdrawn["ACTIVE_MEMBERSHIP"], withdrawn["COURSE_END_DATE"], withdrawn["WITHDRAWAL_REASON"]) == (
        "2", "2013-11-06", "99")  # fmt: skip
    assert (members["14-AAA-2013J"]["ACTIVE_MEMBERSHIP"], members["14-AAA-2013J"]["COURSE_END_DATE"]) == ("2", "")
    results = {
        (r["STUDENT_ID"], r["MOD_INSTANCE_ID"]): r["MOD_RESULT"] for r in read(extract / "studentmoduleinstance.tsv")
    }
    assert results == {("11", "AAA-2013J"): "1", ("12", "AAA-2013J"): "2", ("13", "AAA-2013J"): "3",
                       ("14", "AAA-2013J"): "3", ("11", "CCC-2014B"): "1"}  # fmt: skip
    due = {(r["STUDENT_ID"], r["ASSESS_INSTANCE_ID"]): r for r in read(extract / "studentassessmentinstance.tsv")}
    assert (due[("11", "1")]["ASSESS_DUE_DATE"], due[("11", "1")]["ASSESS_SUBMISSION_DATE"]) == (
        "2013-10-26",
        "2013-10-25",
    )
    assert due[("12", "1")]["ASSESS_ACTUAL_MARK"] == "" and due[("14", "2")]["ASSESS_SUBMISSION_DATE"] == ""
    student = {r["STUDENT_ID"]: r for r in read(extract / "student.tsv")}
    assert (student["12"]["SEXID"], student["12"]["DIFFLEARN1"], student["11"]["DIFFLEARN1"]) == ("2", "96", "96")
    events = read(tmp_path / "landing" / "moodle" / "logstore_2013-10-07.csv", sep=",")
    assert len(events) == 3 and {e["timecreated"] for e in events} == {"1380970800"}  # noon BST, 5 Oct 2013
    assert {(e["userid"], e["courseid"], e["edulevel"], e["origin"]) for e in events} == {("11", "1001", "2", "web")}


@pytest.mark.parametrize(
    ("change", "sentence"),
    [
        (lambda f: (f / "studentInfo.csv").unlink(), "the OULAD file {dir}/studentInfo.csv is missing."),
        (lambda f: (f / "assessments.csv").write_text("code_module,date\nAAA,19\n"),
         "the OULAD file {dir}/assessments.csv lacks the column(s) code_presentation, id_assessment, "
         "assessment_type, weight."),
        (lambda f: (f / "studentRegistration.csv").write_text(
            "code_module,code_presentation,id_student,date_registration,date_unregistration\nAAA,2013J,11,soon,?\n"),
         "the OULAD file {dir}/studentRegistration.csv has a non-numeric date_registration on line 2."),
        (lambda f: (f / "courses.csv").write_bytes(b""),
         "the OULAD file {dir}/courses.csv cannot be read: it is empty."),
    ],
)  # fmt: skip
def test_a_missing_or_malformed_file_gives_one_sentence(tmp_path, change, sentence):
    folder = write_oulad(tmp_path / "oulad")
    change(folder)
    result = CliRunner().invoke(main, ["import", "oulad", str(folder), "--landing", str(tmp_path / "landing")])
    assert result.exit_code == 1
    assert result.output == f"leap: {sentence.format(dir=folder)}\n"
    assert "Traceback" not in result.output


@pytest.mark.skipif(not REAL.is_dir(), reason="the OULAD copy is not beside the project")
def test_the_real_oulad_files_import_with_the_documented_counts(tmp_path):
    summary = import_oulad(REAL, tmp_path / "landing")
    extract = f"sits/{summary.extract_date}"
    assert summary.vle_file == "studentVle_sample100k_Ellie190.csv" and len(summary.vle_skipped) == 2
    assert summary.rows[f"{extract}/studentcoursemembership.tsv"] == 32_593
    assert summary.rows[f"{extract}/studentmoduleinstance.tsv"] == 32_593
    assert summary.rows[f"{extract}/student.tsv"] == 28_785
    assert summary.rows[f"{extract}/assessmentinstance.tsv"] == 206
    assert summary.rows[f"{extract}/course.tsv"] == 22 and summary.rows[f"{extract}/period.tsv"] == 4
    assert sum(n for name, n in summary.rows.items() if name.startswith("moodle/")) == 372_384
    assert summary.clicks_outside == 0
