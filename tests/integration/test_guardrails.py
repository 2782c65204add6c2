"""Guardrails (governance.md): nothing is grouped, counted or ranked by a staff member, in any dbt model
or published output, and no generated text uses punitive words.

Staff ids may appear only in meta.access_log and as access scopes: the folder and file names of
`publish/<week>/views/<staff>/` and the "Prepared for staff" line of such a view's About sheet."""

import csv
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import openpyxl
import pytest
from click.testing import CliRunner

from leap_assets.transform.project import ensure_manifest
from leap_assets.warehouse.schema import SITS_TABLES
from orchestration.cli import main
from tests.support.leap_processes import isolated_leap
from tests.support.wording import punitive, workbook_strings

WEEK = "2026-09-21"
STAFF_SOURCES = {"sits_staff", "sits_stafflink"}
CLAUSE = re.compile(
    r"\b(group\s+by|partition\s+by|order\s+by)\b(.*?)"
    r"(?=[()]|\b(?:having|limit|qualify|window|union|select|from|where|rows|range|order\s+by|offset)\b|;|$)",
    re.DOTALL,
)
COUNTING = re.compile(r"\b(count|approx_count_distinct|rank|dense_rank|row_number|ntile)\s*\(([^()]*)\)")
# Headers that name a member of staff (a count of staff per role, say "Staff", is not one).
STAFF_HEADER = re.compile(
    r"\b(staff|tutor|lecturer|teacher|supervisor|advis[eo]r)[ _-]?(id|ids|no|number|code|name|email|e-mail)\b"
    r"|^(personal |module )?tutor$|\b(contacted|recorded|entered|completed|owned) by\b",
    re.IGNORECASE,
)


def _strip(sql: str) -> str:
    """Lower-case SQL without comments (SQL and Jinja), so that only code is searched."""
    sql = re.sub(r"\{#.*?#\}|/\*.*?\*/", " ", sql, flags=re.DOTALL)
    return re.sub(r"--[^\n]*", " ", sql).lower()


def staff_groupings(sql: str, staff_columns: set[str]) -> list[str]:
    """Every GROUP BY / PARTITION BY / ORDER BY over a staff column, and every count or rank of one."""
    code = _strip(sql)
    columns = "|".join(sorted(map(re.escape, staff_columns)))
    staff = re.compile(rf"(?<![\w.])(?:\w+\.)?\"?({columns})\"?\b")
    mentions_staff = bool(staff.search(code))
    found = []
    for match in CLAUSE.finditer(code):
        keys = match.group(2).strip()
        positional = re.fullmatch(r"all|[\d\s,]+", keys) is not None
        if staff.search(keys) or (positional and match.group(1).startswith("group") and mentions_staff):
            found.append(" ".join(match.group(0).split()))
    found += [" ".join(m.group(0).split()) for m in COUNTING.finditer(code) if staff.search(m.group(2))]
    return found


def _staff_models(manifest: dict) -> set[str]:
    """Models that read the SITS staff tables, directly or through other models."""
    reading = {
        uid
        for uid, node in manifest["nodes"].items()
        if any(
            manifest["sources"][s]["name"] in STAFF_SOURCES
            for s in node["depends_on"].get("nodes", [])
            if s.startswith("source.")
        )
    }
    while True:
        more = {
            uid for uid, node in manifest["nodes"].items() if set(node["depends_on"].get("nodes", [])) & reading
        } - reading
        if not more:
            return reading
        reading |= more


def _staff_table_columns(manifest: dict) -> set[str]:
    names = {c for table in ("staff", "stafflink") for c, _ in SITS_TABLES[table]}
    for node in manifest["nodes"].values():
        if node["name"] in ("stg_sits__staff", "stg_sits__stafflinks"):
            names |= set(node["columns"])
    return names


def test_the_detector_catches_grouping_counting_and_ranking_by_staff():
    staff = {"staff_id"}
    assert staff_groupings("select staff_id, count(*) from marts.contacts group by staff_id", staff)
    assert staff_groupings("select c.staff_id, count(*) as n from contacts c group by all", staff)
    assert staff_groupings("select rank() over (partition by l.staff_id order by n desc) from links l", staff)
    assert staff_groupings("select count(distinct staff_id) as tutors from seats", staff)
    assert staff_groupings('select * from t order by n desc, "staff_id"', staff)
    ranked = "select property_value from links qualify row_number() over (order by relationship) = 1"
    assert staff_groupings(ranked, {"staff_id", "relationship"})
    # Passing a staff column through, or ordering students by name, groups nothing by staff.
    assert staff_groupings("select staff_id, student_id from seats order by student_id, last_name", staff) == []
    assert staff_groupings("select count(*) from seats -- group by staff_id\n", staff) == []
    assert staff_groupings("select student_id, count(*) from seats group by all", staff) == []


def test_no_dbt_model_groups_counts_or_ranks_by_a_staff_member():
    manifest = json.loads(Path(ensure_manifest()).read_text())
    models = {uid: n for uid, n in manifest["nodes"].items() if n["resource_type"] == "model"}
    macros = {uid: m for uid, m in manifest["macros"].items() if m["package_name"] == "leap"}
    assert len(models) > 20 and macros
    staff_models, table_columns = _staff_models(manifest), _staff_table_columns(manifest)
    offending = {}
    for uid, node in {**models, **macros}.items():
        # In a model that reads the staff tables, every column of theirs (names, links) is a staff column.
        columns = {"staff_id", "staff_ids", "tutor_id"} | (table_columns if uid in staff_models else set())
        sql = node.get("compiled_code") or node.get("raw_code") or node.get("macro_sql", "")
        if found := staff_groupings(sql, columns):
            offending[uid] = found
    assert offending == {}


class _Cells(HTMLParser):
    """Header and data cells of every HTML table, and the visible text."""

    def __init__(self):
        super().__init__()
        self.headers, self.cells, self.text = [], [], []
        self._cell, self._skip = None, 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        if tag in ("th", "td"):
            self._cell = (tag, [])

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1
        if tag in ("th", "td") and self._cell:
            (self.headers if self._cell[0] == "th" else self.cells).append(" ".join("".join(self._cell[1]).split()))
            self._cell = None

    def handle_data(self, data):
        if self._skip:
            return
        self.text.append(data)
        if self._cell:
            self._cell[1].append(data)


def outputs(publish: Path) -> dict[str, dict[str, list[str]]]:
    """Per published file: its table headers, its cell values and all its text."""
    found = {}
    for path in sorted(p for p in publish.rglob("*") if p.is_file()):
        rel = path.relative_to(publish).as_posix()
        if path.suffix == ".xlsx":
            book = openpyxl.load_workbook(path, read_only=True)
            rows = {sheet.title: [list(r) for r in sheet.iter_rows(values_only=True)] for sheet in book.worksheets}
            book.close()
            headers = [str(v) for sheet, r in rows.items() if r for v in r[0] if v is not None]
            cells = [str(v) for sheet, r in rows.items() for row in r[1:] for v in row if v is not None]
            if "/views/" in rel:  # the view's own access scope, on its About sheet
                about = rows.get("About this report", [])
                cells = [c for c in cells if not any(r[:2] == ["Prepared for staff", c] for r in about)]
            found[rel] = {"headers": headers, "cells": cells, "text": workbook_strings(path)}
        elif path.suffix == ".csv":
            rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
            found[rel] = {
                "headers": rows[0] if rows else [],
                "cells": [v for r in rows[1:] for v in r],
                "text": [path.read_text(encoding="utf-8")],
            }
        elif path.suffix in (".html", ".htm"):
            parser = _Cells()
            parser.feed(path.read_text(encoding="utf-8"))
            found[rel] = {"headers": parser.headers, "cells": parser.cells, "text": ["".join(parser.text)]}
    return found


def leap(*args: str) -> None:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def published_term(tmp_path_factory) -> tuple[Path, set[str]]:
    """A generated term with one week built, the review pack, and a tutor's and the admin's views."""
    root = tmp_path_factory.mktemp("guardrails")
    with isolated_leap(root) as env:
        leap("generate", "--students", "150", "--weeks", "2", "--start", "2026-09-14", "--seed", "17")
        leap("run", "--week", WEEK)
        with duckdb.connect(str(env["LEAP_WAREHOUSE"]), read_only=True) as con:
            tutor = con.execute(
                "select min(staff_id) from raw.sits_stafflink where relationship = 'PERSONAL_TUTOR'"
            ).fetchone()[0]
            staff = con.execute("select staff_id, primary_email_address from raw.sits_staff").fetchall()
        leap("view", "--staff", tutor, "--week", WEEK)
        leap("view", "--staff", "9900001", "--week", WEEK)
        leap("governance", "review", "--year", "2026")
    identifiers = {value for row in staff for value in row if value} | {"9900001"}
    return env["LEAP_PUBLISH"], identifiers


@pytest.mark.e2e
def test_no_published_output_has_a_staff_column_or_a_table_keyed_by_staff(published_term):
    publish, staff_identifiers = published_term
    found = outputs(publish)
    kinds = {Path(rel).suffix for rel in found}
    assert kinds == {".xlsx", ".csv", ".html"} and any("/views/" in rel for rel in found)
    assert staff_findings(found, staff_identifiers) == {}


def staff_findings(found: dict, staff_identifiers: set[str]) -> dict[str, list[str]]:
    """Per file: headers naming a member of staff, and cells holding a staff id or email."""
    findings = {}
    for rel, f in found.items():
        hits = [h for h in f["headers"] if STAFF_HEADER.search(h)] + sorted(set(f["cells"]) & staff_identifiers)
        if hits:
            findings[rel] = hits
    return findings


def test_the_output_scan_catches_a_staff_column_and_a_table_keyed_by_staff(tmp_path):
    (tmp_path / "w" / "views" / "0123456").mkdir(parents=True)
    (tmp_path / "w" / "contacts.csv").write_text("Week,Contacts\n2026-09-21,0123456\n")
    (tmp_path / "w" / "league.html").write_text("<table><tr><th>Personal tutor</th><th>Red</th></tr></table>")
    view = openpyxl.Workbook()
    view.active.append(["Student ID", "Contacted"])
    view.create_sheet("About this report").append(["Prepared for staff", "0123456"])
    view.save(tmp_path / "w" / "views" / "0123456" / "view.xlsx")
    tagged = openpyxl.Workbook()
    tagged.active.append(["Student ID", "Staff email"])
    tagged.active.append(["00000001", "a.tutor@example.ac.uk"])
    tagged.save(tmp_path / "w" / "tagged.xlsx")
    assert staff_findings(outputs(tmp_path), {"0123456", "a.tutor@example.ac.uk"}) == {
        "w/contacts.csv": ["0123456"],
        "w/league.html": ["Personal tutor"],
        "w/tagged.xlsx": ["Staff email", "a.tutor@example.ac.uk"],
    }


@pytest.mark.e2e
def test_no_published_output_uses_punitive_words(published_term):
    publish, _ = published_term
    found = outputs(publish)
    assert sum(len(f["text"]) for f in found.values()) > 500
    offending = {rel: sorted({w.lower() for t in f["text"] for w in punitive(t)}) for rel, f in found.items()}
    assert {rel: words for rel, words in offending.items() if words} == {}


def test_the_word_scan_allows_only_the_policy_reminder():
    assert punitive("Support, never punish: this report starts supportive conversations.") == []
    assert punitive("It is never used to punish a student, never to punish.") == []
    assert punitive("It may be used to punish a student") == ["punish"]
    assert punitive("It is advisable to support") == []
    assert punitive("Students may be punished; see the Visa team") == ["punished", "Visa"]
    assert punitive("Penalties for NON-COMPLIANCE") == ["Penalties", "NON-COMPLIANCE"]
