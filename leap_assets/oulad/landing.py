"""`leap import oulad`: OULAD turned into a landing zone in the formats of sources.md. Every mapping is
documented in the README ("The OULAD import"); the constants below are the choices it describes."""

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from leap_assets.oulad.reading import Oulad, OuladError, read_oulad

# The faculty of each OULAD module (Kuzilek et al. 2017, Table 1): LEAP's school.
SCHOOLS = {"AAA": "Social Sciences", "BBB": "Social Sciences", "GGG": "Social Sciences", "CCC": "STEM",
           "DDD": "STEM", "EEE": "STEM", "FFF": "STEM"}  # fmt: skip
MONTHS = {"B": 2, "J": 10}  # presentations starting in February (B) and October (J)
PRESENTATION = re.compile(r"(?P<year>\d{4})(?P<month>[BJ])")
SEX = {"M": "1", "F": "2"}
DISABILITY = {"Y": "96", "N": "00"}  # 96: a disability not listed (OULAD says only yes or no)
RESULT = {"Pass": "1", "Distinction": "1", "Fail": "2", "Withdrawn": "3"}
WITHDRAWAL_REASON = "99"  # OULAD does not say why a student withdrew
MOODLE_COURSE_BASE = 1000  # Moodle course id = base + the presentation's line in courses.csv
CLICK_MINUTE = 12 * 60  # OULAD dates clicks by day only: each is stamped at noon, London time
SUBMISSION_COLUMNS = ["STUDENT_ID", "ASSESS_INSTANCE_ID", "ASSESS_SEQ_ID", "ASSESS_DUE_DATE",
                      "ASSESS_SUBMISSION_DATE", "ASSESS_ACTUAL_MARK", "ASSESS_AGREED_MARK"]  # fmt: skip
MOODLE_COLUMNS = ["id", "eventname", "component", "action", "target", "crud", "edulevel", "contextid",
                  "contextlevel", "contextinstanceid", "userid", "courseid", "relateduserid", "anonymous",
                  "other", "timecreated", "origin", "ip", "realuserid"]  # fmt: skip


@dataclass
class ImportSummary:
    landing: Path
    extract_date: dt.date
    rows: dict[str, int] = field(default_factory=dict)  # landing file (relative) -> data rows
    vle_file: str = ""
    vle_skipped: list[str] = field(default_factory=list)
    clicks_outside: int = 0  # VLE rows of presentations or sites the other files do not know


def presentation_start(code: str) -> dt.date:
    """Day 0 of a presentation: the first Monday of its month (2013J: 7 October 2013)."""
    match = PRESENTATION.fullmatch(code)
    if not match:
        raise OuladError(f"the OULAD presentation code {code!r} is not a year followed by B or J")
    first = dt.date(int(match["year"]), MONTHS[match["month"]], 1)
    return first + dt.timedelta(days=(7 - first.weekday()) % 7)


def academic_year(day: dt.date) -> str:
    first = day.year if day.month >= 8 else day.year - 1
    return f"{first}/{(first + 1) % 100:02d}"


def _dates(start: pd.Series, offset: pd.Series) -> pd.Series:
    """start + offset days as YYYY-MM-DD text, empty where the offset is missing."""
    days = pd.to_timedelta(offset, unit="D")
    return (pd.to_datetime(start) + days).dt.strftime("%Y-%m-%d").fillna("")


def _text(values: pd.Series) -> pd.Series:
    """Numbers as the shortest text (19.0 -> 19), empty where missing."""
    return values.map(lambda v: "" if pd.isna(v) else f"{v:g}")


def _write(landing: Path, relative: str, frame: pd.DataFrame, summary: ImportSummary, sep: str = "\t") -> None:
    path = landing / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, sep=sep, index=False, lineterminator="\n")
    summary.rows[relative] = len(frame)


def presentations(oulad: Oulad) -> pd.DataFrame:
    """courses.csv with each presentation's start, end (last day), instance id and Moodle course id."""
    frame = oulad.courses.reset_index(drop=True).copy()
    unknown = sorted(set(oulad.info["code_module"]) - set(SCHOOLS))
    if unknown:
        raise OuladError(f"studentInfo.csv names module(s) {', '.join(unknown)} with no known faculty")
    frame["start"] = [presentation_start(c) for c in frame["code_presentation"]]
    frame["end"] = [s + dt.timedelta(days=int(n) - 1) for s, n in zip(frame["start"],
                    frame["module_presentation_length"], strict=True)]  # fmt: skip
    frame["instance"] = frame["code_module"] + "-" + frame["code_presentation"]
    frame["moodle_course"] = MOODLE_COURSE_BASE + frame.index + 1
    known = set(frame["instance"])
    missing = sorted(set(oulad.info["code_module"] + "-" + oulad.info["code_presentation"]) - known)
    if missing:
        raise OuladError(f"studentInfo.csv names presentation(s) {', '.join(missing)} that courses.csv does not list")
    return frame


def _registrations(oulad: Oulad, pres: pd.DataFrame) -> pd.DataFrame:
    keys = ["code_module", "code_presentation", "id_student"]
    reg = oulad.info.merge(oulad.registrations, on=keys, how="left")
    reg = reg.merge(pres[["code_module", "code_presentation", "start", "end", "instance"]], on=keys[:2])
    reg["withdrawn"] = reg["final_result"] == "Withdrawn"
    reg["joined"] = _dates(reg["start"], reg["date_registration"].fillna(0))
    left = _dates(reg["start"], reg["date_unregistration"])
    reg["ended"] = np.where(reg["withdrawn"], left, pd.to_datetime(reg["end"]).dt.strftime("%Y-%m-%d"))
    return reg


def sits_files(oulad: Oulad, pres: pd.DataFrame, reg: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The SITS extract's files (sources.md names and columns)."""
    newest = reg.sort_values("start", kind="stable").drop_duplicates("id_student", keep="last")
    student = pd.DataFrame({"STUDENT_ID": newest["id_student"], "FIRST_NAME": "", "LAST_NAME": "",
                            "SEXID": newest["gender"].map(SEX).fillna("4"),
                            "DIFFLEARN1": newest["disability"].map(DISABILITY).fillna("")})  # fmt: skip
    student = student.sort_values("STUDENT_ID")
    course = pd.DataFrame({"COURSE_ID": pres["instance"],
                           "TITLE": "OU module " + pres["code_module"] + ", presentation " + pres["code_presentation"],
                           "INST_TIER_1": pres["code_module"].map(SCHOOLS),
                           "INST_TIER_2": "Module " + pres["code_module"], "X_LEVEL": "UG"})  # fmt: skip
    membership = pd.DataFrame({"STUDENT_COURSE_MEMBERSHIP_ID": reg["id_student"] + "-" + reg["instance"],
                               "STUDENT_ID": reg["id_student"], "COURSE_ID": reg["instance"],
                               "ACTIVE_MEMBERSHIP": np.where(reg["withdrawn"], "2", "1"),
                               "COURSE_JOIN_DATE": reg["joined"], "COURSE_END_DATE": reg["ended"],
                               "WITHDRAWAL_REASON": np.where(reg["withdrawn"], WITHDRAWAL_REASON, "")})  # fmt: skip
    modules = sorted(pres["code_module"].unique())
    module = pd.DataFrame({"MOD_ID": modules, "MOD_NAME": [f"OU module {m}" for m in modules]})
    instance = pd.DataFrame({"MOD_INSTANCE_ID": pres["instance"], "MOD_ID": pres["code_module"],
                             "MOD_ACADEMIC_YEAR": [academic_year(s) for s in pres["start"]]})  # fmt: skip
    enrolment = pd.DataFrame({"STUDENT_ID": reg["id_student"], "MOD_INSTANCE_ID": reg["instance"],
                              "MOD_START_DATE": pd.to_datetime(reg["start"]).dt.strftime("%Y-%m-%d"),
                              "MOD_END_DATE": pd.to_datetime(reg["end"]).dt.strftime("%Y-%m-%d"),
                              "MOD_RESULT": reg["final_result"].map(RESULT).fillna("3")})  # fmt: skip
    items = oulad.assessments.merge(pres[["code_module", "code_presentation", "instance", "start"]],
                                    on=["code_module", "code_presentation"])  # fmt: skip
    assessment = pd.DataFrame({"ASSESS_INSTANCE_ID": items["id_assessment"], "MOD_INSTANCE_ID": items["instance"],
                               "ASSESS_TYPE": items["assessment_type"], "ASSESS_WEIGHT": _text(items["weight"]),
                               "ASSESS_SUMMATIVE": np.where(items["weight"] > 0, "Y", "N")})  # fmt: skip
    idmap = pd.DataFrame({"STUDENT_ID": student["STUDENT_ID"], "DOMAIN": "VLE", "IDENTIFIER": student["STUDENT_ID"]})
    modulemap = pd.DataFrame({"MOD_INSTANCE_ID": pres["instance"], "MODULE_MAP_DOMAIN": "VLE",
                              "DOMAIN_MAPPED_ID": pres["moodle_course"].astype(str)})  # fmt: skip
    return {"student": student, "course": course, "studentcoursemembership": membership, "module": module,
            "moduleinstance": instance, "studentmoduleinstance": enrolment, "assessmentinstance": assessment,
            "studentassessmentinstance": submissions(oulad, items, reg), "studentidmap": idmap,
            "modulemap": modulemap, "period": periods(pres)}  # fmt: skip


def submissions(oulad: Oulad, items: pd.DataFrame, reg: pd.DataFrame) -> pd.DataFrame:
    """One row per registered student and dated assessment of the presentation (each is due), except
    those due after a withdrawn student's unregistration; submitted when studentAssessment has it."""
    dated = items[items["date"].notna()]
    due = reg[["code_module", "code_presentation", "id_student", "withdrawn", "date_unregistration"]].merge(
        dated[["code_module", "code_presentation", "id_assessment", "date", "start"]],
        on=["code_module", "code_presentation"],
    )
    left_before = due["withdrawn"] & due["date_unregistration"].notna() & (due["date"] > due["date_unregistration"])
    due = due[~left_before].merge(oulad.submissions, on=["id_assessment", "id_student"], how="left")
    mark = _text(due["score"])
    frame = pd.DataFrame({"STUDENT_ID": due["id_student"], "ASSESS_INSTANCE_ID": due["id_assessment"],
                          "ASSESS_SEQ_ID": "1", "ASSESS_DUE_DATE": _dates(due["start"], due["date"]),
                          "ASSESS_SUBMISSION_DATE": _dates(due["start"], due["date_submitted"]),
                          "ASSESS_ACTUAL_MARK": mark, "ASSESS_AGREED_MARK": mark})  # fmt: skip
    return frame[SUBMISSION_COLUMNS].sort_values(["STUDENT_ID", "ASSESS_INSTANCE_ID"], kind="stable")


def periods(pres: pd.DataFrame) -> pd.DataFrame:
    """One term per presentation code: from its Monday to the last day of its longest module."""
    grouped = pres.groupby("code_presentation", sort=True).agg(start=("start", "min"), end=("end", "max"))
    names = {"B": "February", "J": "October"}
    return pd.DataFrame({"PERIOD_CODE": grouped.index, "ACADEMIC_YEAR": [academic_year(s) for s in grouped["start"]],
                         "PERIOD_NAME": [f"{names[c[-1]]} {c[:4]} presentations" for c in grouped.index],
                         "PERIOD_START_DATE": grouped["start"].astype(str),
                         "PERIOD_END_DATE": grouped["end"].astype(str)})  # fmt: skip


def moodle_events(oulad: Oulad, pres: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """`sum_click` learning events per studentVle row, at noon London time on its day; events of
    presentations or sites the other files do not know are left out (and counted)."""
    keys = ["code_module", "code_presentation"]
    clicks = oulad.clicks.merge(pres[[*keys, "start", "moodle_course"]], on=keys)
    clicks = clicks.merge(oulad.sites[["id_site", *keys, "activity_type"]], on=["id_site", *keys])
    outside = len(oulad.clicks) - len(clicks)
    clicks = clicks.loc[clicks.index.repeat(clicks["sum_click"].astype(int))].reset_index(drop=True)
    day = pd.to_datetime(clicks["start"]) + pd.to_timedelta(clicks["date"], unit="D")
    noon = day + pd.Timedelta(minutes=CLICK_MINUTE)
    utc = noon.dt.tz_localize(ZoneInfo("Europe/London")).dt.tz_convert("UTC")
    epoch = (utc - pd.Timestamp(0, tz="UTC")) // pd.Timedelta(seconds=1)
    component = "mod_" + clicks["activity_type"].str.lower()
    events = pd.DataFrame({"eventname": "\\" + component + "\\event\\course_module_viewed", "component": component,
                           "action": "viewed", "target": "course_module", "crud": "r", "edulevel": "2",
                           "contextid": clicks["id_site"], "contextlevel": "70", "contextinstanceid": clicks["id_site"],
                           "userid": clicks["id_student"], "courseid": clicks["moodle_course"].astype(str),
                           "relateduserid": "", "anonymous": "0", "other": "", "timecreated": epoch.astype(str),
                           "origin": "web", "ip": "", "realuserid": "", "day": day})  # fmt: skip
    events = events.sort_values(["day", "courseid", "userid"], kind="stable").reset_index(drop=True)
    events.insert(0, "id", (events.index + 1).astype(str))
    return events, outside


def import_oulad(folder: Path, landing: Path) -> ImportSummary:
    """Write the landing zone: one SITS extract (dated the day after the last presentation ends),
    weekly Moodle logstore files, and one online-only list per school. No SEAtS files."""
    oulad = read_oulad(Path(folder))
    pres = presentations(oulad)
    reg = _registrations(oulad, pres)
    extract = max(pres["end"]) + dt.timedelta(days=1)
    summary = ImportSummary(landing=landing, extract_date=extract, vle_file=oulad.vle_file,
                            vle_skipped=oulad.vle_skipped)  # fmt: skip
    for name, frame in sits_files(oulad, pres, reg).items():
        _write(landing, f"sits/{extract}/{name}.tsv", frame, summary)
    events, summary.clicks_outside = moodle_events(oulad, pres)
    # One file per report week, produced on the Monday after it (sources.md names files by that date).
    produced = (events["day"] - pd.to_timedelta(events["day"].dt.weekday, unit="D") + pd.Timedelta(days=7)).dt.date
    for date, rows in events.groupby(produced, sort=True):
        _write(landing, f"moodle/logstore_{date}.csv", rows[MOODLE_COLUMNS], summary, sep=",")
    reg["school"] = reg["code_module"].map(SCHOOLS)
    for school, rows in reg.groupby("school", sort=True):
        first = rows.groupby("id_student")["joined"].min().reset_index()
        listed = pd.DataFrame({"STUDENT_ID": first["id_student"], "FROM_DATE": first["joined"], "TO_DATE": "",
                               "NOTE": "The Open University teaches at a distance"})  # fmt: skip
        _write(landing, f"schools/online_only_{school.lower().replace(' ', '-')}.csv", listed, summary, sep=",")
    return summary
