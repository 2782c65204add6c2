"""The contract of each SITS (UDD v1.6) file: its required fields, codes, keys and the references it
must resolve within its own extract (sources.md, "sits")."""

from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from leap_assets.ingestion.validate import Validator
from leap_assets.ingestion.values import parse_date, parse_timestamp
from leap_assets.sources.contracts import SITS_REQUIRED, sits_optional

REQUIRED: dict[str, list[str]] = {name: list(fields) for name, fields in SITS_REQUIRED.items()}

SEXID = {"1", "2", "3", "4"}
LEVELS = {"UG", "PG"}
ACTIVE_MEMBERSHIP = {"1", "2"}
MOD_RESULT = {"1", "2", "3"}
PROPERTY_NAMES = {"STUDENT_ID", "MOD_INSTANCE_ID", "INST_TIER_1"}
RELATIONSHIPS = {"PERSONAL_TUTOR", "MODULE_TUTOR", "SCHOOL_STAFF"}

# The key each referenced file offers to the others: only its loaded rows exist for them.
KEYS = {
    "student": "student_id",
    "course": "course_id",
    "module": "mod_id",
    "moduleinstance": "mod_instance_id",
    "assessmentinstance": "assess_instance_id",
    "staff": "staff_id",
}


def optional(name: str) -> list[str]:
    return list(sits_optional(name))


@dataclass
class Known:
    """The keys a referenced file offers: those of its loaded rows, and those withheld (not loaded
    only because they refer to a file rejected whole, which is reported once, on that file)."""

    loaded: set[str] = field(default_factory=set)
    withheld: set[str] = field(default_factory=set)
    rejected: str | None = None  # `<name>.tsv` when the file itself was rejected whole
    causes: set[str] = field(default_factory=set)  # the rejected files behind `withheld`


class SitsValidator(Validator):
    """The shared Validator plus the checks only SITS needs."""

    def __init__(self, frame: pd.DataFrame, quarantine):
        super().__init__(frame, quarantine)
        self.withheld = pd.Series(False, index=frame.index)
        self.causes: set[str] = set()

    def resolves(self, column: str, target: str, known: Known, where: pd.Series | None = None) -> "SitsValidator":
        """Quarantine a reference to a row that is absent (or quarantined) in `target`.tsv.

        A reference into a file rejected whole (or to a row withheld for that reason) is not a row
        fault: the row is withheld without a quarantine record, so one rejected module.tsv is one
        problem in the report, not a record for every row that hangs off it."""
        values = self.frame[column]
        broken = values.notna() & ~values.isin(known.loaded)
        if where is not None:
            broken &= where.fillna(False).astype(bool)
        withheld = broken if known.rejected else broken & values.isin(known.withheld)
        self._withhold(withheld, {known.rejected} if known.rejected else known.causes)
        reason = f"broken reference: {column.upper()} not in this extract's {target}.tsv"
        self._reject(broken & ~withheld, reason, column)
        return self

    def _withhold(self, mask: pd.Series, causes: set[str]) -> None:
        mask = mask & self.keep
        if mask.any():
            self.keep &= ~mask
            self.withheld |= mask
            self.causes |= causes

    def date_or_timestamp(self, column: str, timezone: str) -> "SitsValidator":
        """An optional date, or an ISO 8601 timestamp stored as its local date in `timezone`."""
        text = self.frame[column]
        dates, bad = parse_date(text)
        if bad.any():
            _, local, still_bad = parse_timestamp(text.where(bad), timezone)
            dates = dates.where(~bad, local)
            bad &= still_bad
        self._typed(column, dates, bad, False, "(expected YYYY-MM-DD or an ISO 8601 timestamp)")
        return self


Rule = Callable[[SitsValidator, dict[str, Known], str], None]


def _student(v: SitsValidator, known: dict[str, Known], timezone: str) -> None:
    v.required("student_id").code("sexid", SEXID, required=False).date("dob", required=False)
    v.unique("student_id")


def _course(v: SitsValidator, known: dict[str, Known], timezone: str) -> None:
    v.required(*REQUIRED["course"]).code("x_level", LEVELS, required=True).unique("course_id")


def _membership(v: SitsValidator, known: dict[str, Known], timezone: str) -> None:
    v.required(*REQUIRED["studentcoursemembership"])
    v.code("active_membership", ACTIVE_MEMBERSHIP, required=True)
    v.date("course_join_date", required=True).date("course_end_date", required=False)
    # Spec silent: STUDENT_COURSE_MEMBERSHIP_ID is UDD's primary key; a repeat would count a student twice.
    v.unique("student_course_membership_id")
    v.resolves("student_id", "student", known["student"])
    v.resolves("course_id", "course", known["course"])


def _module(v: SitsValidator, known: dict[str, Known], timezone: str) -> None:
    # Spec silent on the uniqueness of MOD_ID, MOD_INSTANCE_ID, ASSESS_INSTANCE_ID and STAFF_ID: each
    # is the key other files reference, and a repeated key would multiply every row joined to it.
    v.required(*REQUIRED["module"]).unique("mod_id")


def _instance(v: SitsValidator, known: dict[str, Known], timezone: str) -> None:
    v.required(*REQUIRED["moduleinstance"]).unique("mod_instance_id")
    v.resolves("mod_id", "module", known["module"])


def _student_instance(v: SitsValidator, known: dict[str, Known], timezone: str) -> None:
    v.required(*REQUIRED["studentmoduleinstance"])
    v.date("mod_start_date", required=True).date("mod_end_date", required=True)
    v.code("mod_result", MOD_RESULT, required=False)
    v.unique("student_id", "mod_instance_id")
    v.resolves("student_id", "student", known["student"])
    v.resolves("mod_instance_id", "moduleinstance", known["moduleinstance"])


def _assessment(v: SitsValidator, known: dict[str, Known], timezone: str) -> None:
    v.required(*REQUIRED["assessmentinstance"]).number("assess_weight")
    v.unique("assess_instance_id")
    v.resolves("mod_instance_id", "moduleinstance", known["moduleinstance"])


def _student_assessment(v: SitsValidator, known: dict[str, Known], timezone: str) -> None:
    v.required(*REQUIRED["studentassessmentinstance"]).date("assess_due_date", required=True)
    v.date_or_timestamp("assess_submission_date", timezone)
    v.number("assess_actual_mark").number("assess_agreed_mark")
    v.unique("student_id", "assess_instance_id", "assess_seq_id")
    v.resolves("student_id", "student", known["student"])
    v.resolves("assess_instance_id", "assessmentinstance", known["assessmentinstance"])


def _staff(v: SitsValidator, known: dict[str, Known], timezone: str) -> None:
    v.required("staff_id").unique("staff_id")


def _stafflink(v: SitsValidator, known: dict[str, Known], timezone: str) -> None:
    v.required(*REQUIRED["stafflink"])
    v.code("property_name", PROPERTY_NAMES, required=True).code("relationship", RELATIONSHIPS, required=True)
    # staff.tsv is optional: links are checked against it only when it loaded.
    if "staff" in known:
        v.resolves("staff_id", "staff", known["staff"])
    kind = v.frame["property_name"]
    v.resolves("property_value", "student", known["student"], where=kind == "STUDENT_ID")
    v.resolves("property_value", "moduleinstance", known["moduleinstance"], where=kind == "MOD_INSTANCE_ID")


def _idmap(v: SitsValidator, known: dict[str, Known], timezone: str) -> None:
    v.required(*REQUIRED["studentidmap"]).unique("domain", "identifier")
    v.resolves("student_id", "student", known["student"])


def _modulemap(v: SitsValidator, known: dict[str, Known], timezone: str) -> None:
    v.required(*REQUIRED["modulemap"])
    v.resolves("mod_instance_id", "moduleinstance", known["moduleinstance"])


def _period(v: SitsValidator, known: dict[str, Known], timezone: str) -> None:
    v.required(*REQUIRED["period"])
    v.date("period_start_date", required=True).date("period_end_date", required=True)
    # Spec silent: `leap backfill --term CODE --year YYYY` names a period by code and year, so a
    # repeated pair would make a backfill ambiguous.
    v.unique("period_code", "academic_year")


# In dependency order: a file is validated after every file it references.
RULES: dict[str, Rule] = {
    "student": _student,
    "course": _course,
    "module": _module,
    "moduleinstance": _instance,
    "assessmentinstance": _assessment,
    "staff": _staff,
    "studentcoursemembership": _membership,
    "studentmoduleinstance": _student_instance,
    "studentassessmentinstance": _student_assessment,
    "stafflink": _stafflink,
    "studentidmap": _idmap,
    "modulemap": _modulemap,
    "period": _period,
}


def typed(name: str, rows: pd.DataFrame) -> pd.DataFrame:
    """Cast what the checks left as text to the raw table's non-text types."""
    if name == "studentcoursemembership":
        rows = rows.assign(active_membership=pd.to_numeric(rows["active_membership"]).astype("Int64"))
    return rows
