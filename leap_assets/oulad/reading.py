"""Reading the Open University Learning Analytics Dataset (OULAD, Kuzilek et al. 2017, CC BY 4.0):
its CSVs checked for the columns the import needs, with "?" read as missing. A missing or malformed
file raises OuladError with one sentence naming it."""

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

REQUIRED = {
    "courses": ("code_module", "code_presentation", "module_presentation_length"),
    "studentInfo": ("code_module", "code_presentation", "id_student", "gender", "disability", "final_result"),
    "studentRegistration": ("code_module", "code_presentation", "id_student", "date_registration",
                            "date_unregistration"),
    "assessments": ("code_module", "code_presentation", "id_assessment", "assessment_type", "date", "weight"),
    "studentAssessment": ("id_assessment", "id_student", "date_submitted", "is_banked", "score"),
    "vle": ("id_site", "code_module", "code_presentation", "activity_type"),
    "studentVle": ("code_module", "code_presentation", "id_student", "id_site", "date", "sum_click"),
}  # fmt: skip
NUMERIC = {
    "courses": ("module_presentation_length",),
    "studentRegistration": ("date_registration", "date_unregistration"),
    "assessments": ("date", "weight"),
    "studentAssessment": ("date_submitted", "score"),
    "studentVle": ("date", "sum_click"),
}
# Our copy holds samples of studentVle.csv (the full file is 443 MB); they overlap, so one is read.
VLE_FULL = "studentVle.csv"
VLE_SAMPLES = "studentVle_*.csv"


class OuladError(Exception):
    """An OULAD folder the import cannot use: the message is one sentence."""


@dataclass
class Oulad:
    courses: pd.DataFrame
    info: pd.DataFrame
    registrations: pd.DataFrame
    assessments: pd.DataFrame
    submissions: pd.DataFrame
    sites: pd.DataFrame
    clicks: pd.DataFrame
    vle_file: str
    vle_skipped: list[str]


def vle_file(folder: Path) -> tuple[Path, list[str]]:
    """The studentVle file to read: the full file when present, else the largest sample (the others
    are listed as skipped)."""
    if (folder / VLE_FULL).is_file():
        return folder / VLE_FULL, sorted(p.name for p in folder.glob(VLE_SAMPLES))
    samples = sorted(folder.glob(VLE_SAMPLES), key=lambda p: (-p.stat().st_size, p.name))
    if not samples:
        raise OuladError(f"the OULAD folder {folder} has no {VLE_FULL} (nor a {VLE_SAMPLES} sample of it)")
    return samples[0], [p.name for p in samples[1:]]


def read_table(path: Path, name: str) -> pd.DataFrame:
    """One OULAD CSV as text columns (numeric ones converted), or OuladError naming the file."""
    if not path.is_file():
        raise OuladError(f"the OULAD file {path} is missing")
    try:
        frame = pd.read_csv(path, dtype=str, na_values=["?"], keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as error:
        reason = "it is empty" if isinstance(error, pd.errors.EmptyDataError) else "it is not a readable CSV file"
        raise OuladError(f"the OULAD file {path} cannot be read: {reason}") from None
    frame.columns = [str(c).strip().lstrip("\ufeff") for c in frame.columns]
    missing = [c for c in REQUIRED[name] if c not in frame.columns]
    if missing:
        raise OuladError(f"the OULAD file {path} lacks the column(s) {', '.join(missing)}")
    for column in NUMERIC.get(name, ()):
        values = pd.to_numeric(frame[column], errors="coerce")
        bad = values.isna() & frame[column].notna()
        if bad.any():
            line = int(bad.to_numpy().nonzero()[0][0]) + 2
            raise OuladError(f"the OULAD file {path} has a non-numeric {column} on line {line}")
        frame[column] = values
    return frame


def read_oulad(folder: Path) -> Oulad:
    """Every file the import uses, checked; OuladError at the first one missing or malformed."""
    folder = Path(folder)
    if not folder.is_dir():
        raise OuladError(f"the OULAD folder {folder} does not exist")
    clicks_path, skipped = vle_file(folder)
    tables = {name: read_table(folder / f"{name}.csv", name) for name in REQUIRED if name != "studentVle"}
    return Oulad(
        courses=tables["courses"],
        info=tables["studentInfo"],
        registrations=tables["studentRegistration"],
        assessments=tables["assessments"],
        submissions=tables["studentAssessment"],
        sites=tables["vle"],
        clicks=read_table(clicks_path, "studentVle"),
        vle_file=clicks_path.name,
        vle_skipped=skipped,
    )
