"""The session's small built term (40 students, 2 weeks, tests/support/built_term.py), then an access request,
an erasure and another backfill: nothing of the erased student anywhere, no other student in the
access export, and every file holding personal data owner-only (operations.md)."""

import csv
import io
import json
import re
import stat
import zipfile
from pathlib import Path

import duckdb
import openpyxl
import pytest
from click.testing import CliRunner

from leap_assets.privacy.access_export import access_folder
from leap_assets.writing.names import request_name
from orchestration.cli import main
from tests.support.built_term import WEEKS, copy_term
from tests.support.leap_processes import isolated_leap

TOKENS = re.compile(r"[A-Za-z0-9@._+-]+")


def leap(*args: str):
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


def query(warehouse: Path, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


@pytest.fixture(scope="module")
def term(tmp_path_factory, built_term):
    root = tmp_path_factory.mktemp("term")
    copy_term(built_term, root)  # the session's 40 students, both weeks of 2026-10-12 backfilled
    with isolated_leap(root) as env, pytest.MonkeyPatch.context() as patch:
        patch.delenv("LEAP_PRIVACY_DIR", raising=False)
        patch.delenv("LEAP_PUBLISH_GROUP", raising=False)
        warehouse = env["LEAP_WAREHOUSE"]
        # The erased student: in the reports and in Moodle, with a name no other student shares.
        erased, email, first, last = query(
            warehouse,
            "select s.student_id, s.primary_email_address, s.first_name, s.last_name from raw.sits_student s "
            "join marts.engagement_weekly e using (student_id) "
            "where exists (select 1 from raw.sits_studentidmap m join raw.moodle_log l on l.userid = m.identifier "
            "where m.student_id = s.student_id) and (select count(*) from raw.sits_student o "
            "where o.first_name = s.first_name and o.last_name = s.last_name and o.student_id != s.student_id) = 0 "
            "order by 1 limit 1",
        )[0]
        everyone = {r[0] for r in query(warehouse, "select distinct student_id from raw.sits_student")}
        tutor = query(
            warehouse,
            "select staff_id from raw.sits_stafflink where relationship = 'MODULE_TUTOR' order by 1 limit 1",
        )[0][0]
        leap("view", "--staff", tutor, "--week", "2026-10-12")
        # The student whose access is requested is in that view, with the other students it lists.
        viewed = {r[0] for r in query(warehouse, "select unnest(student_ids) from meta.access_log")}
        accessed = sorted(viewed - {erased})[0]
        assert len(viewed) > 2
        requests = env["LEAP_LANDING"] / "privacy" / "requests.csv"
        requests.parent.mkdir(parents=True, exist_ok=True)
        requests.write_text(
            "REQUEST_ID,STUDENT_ID,TYPE,RECEIVED_DATE,DETAILS,APPROVED_BY\n"
            f"ACC-1,{accessed},access,2026-11-01,,\n"
            f"ERA-1,{erased},erasure,2026-11-02,,Data Protection Officer\n"
        )
        leap("privacy", "process")
        leap("backfill", *WEEKS)
        yield {**env, "erased": (erased, email, first, last), "accessed": accessed, "everyone": everyone}


def workbook_texts(path: Path) -> tuple[list[list[str]], bytes]:
    """The workbook's rows, cell by cell, and the bytes of every XML part."""
    with zipfile.ZipFile(path) as archive:
        xml = b"".join(archive.read(n) for n in archive.namelist() if n.endswith((".xml", ".rels")))
    book = openpyxl.load_workbook(path)
    rows = [[str(c.value) for c in r if c.value is not None] for s in book.worksheets for r in s.iter_rows()]
    return rows, xml


def file_rows(path: Path) -> tuple[list[list[str]], bytes]:
    if path.suffix == ".xlsx":
        return workbook_texts(path)
    data = path.read_bytes()
    if path.suffix in (".csv", ".tsv"):
        text = data.decode("utf-8", "replace")
        return list(csv.reader(io.StringIO(text), delimiter="\t" if path.suffix == ".tsv" else ",")), data
    return [], data


@pytest.mark.e2e
def test_after_an_erasure_and_a_backfill_nothing_of_the_student_remains_anywhere(term):
    erased, email, first, last = term["erased"]
    found = []
    with duckdb.connect(str(term["LEAP_WAREHOUSE"]), read_only=True) as con:
        relations = con.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_catalog = current_database() order by 1, 2"
        ).fetchall()
        assert len(relations) > 40  # every table and view of every layer
        for schema, name in relations:
            for values in con.execute(f'select * from "{schema}"."{name}"').fetchall():
                texts = [str(v) for v in values if v is not None]
                joined = "\x1f".join(texts)
                if erased in joined or email in joined or {first, last} <= set(texts):
                    found.append(f"{schema}.{name}")
                    break
    for root in (term["LEAP_LANDING"], term["LEAP_PUBLISH"]):
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            rows, data = file_rows(path)
            if erased.encode() in data or email.encode() in data:
                found.append(str(path))
            elif any({first, last} <= {cell.strip() for cell in r} for r in rows):
                found.append(f"{path}: name")
    assert found == []


@pytest.mark.e2e
def test_an_access_export_of_a_generated_student_holds_no_other_students_id(term):
    accessed = term["accessed"]
    others = term["everyone"] - {accessed}
    folder = access_folder(term["LEAP_PUBLISH"], "ACC-1")
    name = f"access-{request_name('ACC-1')}"
    document = json.loads((folder / f"{name}.json").read_text())
    assert {"raw.sits_student", "marts.engagement_weekly", "meta.access_log"} <= set(document["layers"])
    tokens = set(TOKENS.findall(json.dumps(document)))
    assert accessed in tokens and not tokens & others
    rows, _ = workbook_texts(folder / f"{name}.xlsx")
    cells = {token for r in rows for cell in r for token in TOKENS.findall(cell)}
    assert accessed in cells and not cells & others


@pytest.mark.e2e
def test_every_file_and_folder_holding_personal_data_is_owner_only(term):
    warehouse_folder = term["LEAP_WAREHOUSE"].parent
    wrong = []
    for root in (warehouse_folder, term["LEAP_PUBLISH"]):
        for path in [root, *root.rglob("*")]:
            expected = 0o700 if path.is_dir() else 0o600
            if stat.S_IMODE(path.stat().st_mode) != expected:
                wrong.append(f"{path}: {oct(stat.S_IMODE(path.stat().st_mode))}")
    certificate = next((term["LEAP_PUBLISH"] / "privacy" / "erasure").glob("certificate-*.json"))
    rewritten = json.loads(certificate.read_text())["landed_files"]
    assert rewritten  # the erasure rewrote landed files: they hold personal data too
    for rel in rewritten:
        path = term["LEAP_LANDING"] / rel
        if path.exists() and stat.S_IMODE(path.stat().st_mode) != 0o600:
            wrong.append(f"{path}: {oct(stat.S_IMODE(path.stat().st_mode))}")
    assert (warehouse_folder / "privacy" / "secret.key").exists()
    assert wrong == []
