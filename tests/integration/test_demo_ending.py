"""The end of `leap demo`, on a small demo term: the contact loop on synthetic people, and where to look."""

from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from leap_assets.reporting.columns import DO_NOT_CONTACT, SHEET
from orchestration.cli import commands as cli


def listed(output: str, label: str) -> Path:
    line = next(line for line in output.splitlines() if line.strip().startswith(label))
    return Path(line.strip()[len(label) :].split(" (")[0].strip())


@pytest.mark.e2e
def test_the_demo_lands_a_contact_and_an_opt_out_before_its_last_week_and_ends_with_where_to_look(
    leap_env, monkeypatch
):
    monkeypatch.setitem(cli.DEMO, "students", 150)
    monkeypatch.setitem(cli.DEMO, "weeks", 3)
    result = CliRunner().invoke(cli.main, ["demo"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    output = result.output
    assert "Landed a returned report of the week of 2026-09-21 (one contact) and one opt-out request" in output
    # The ending comes after the RAG table.
    assert output.index("Combined RAG for the week of 2026-09-28") < output.index("Where to look")
    for label in ("governance report", "Data Docs", "transparency page", "example workbook"):
        assert listed(output, label).is_file(), label
    assert listed(output, "returned report").parent.name == "2026-09-21"
    assert "Data quality of the week, verdict per source:" in output
    assert "SITS (student records)" in output.split("verdict per source:")[1]
    assert output.rstrip().endswith("make dev, then http://127.0.0.1:3000")

    # The last week's workbook of the school that returned its report shows the loop closed.
    workbook = listed(output, "example workbook")
    assert "2026-09-28" in workbook.name
    sheet = load_workbook(workbook, read_only=True)[SHEET]
    rows = list(sheet.iter_rows(values_only=True))
    column = {header: index for index, header in enumerate(rows[0])}
    opted = [row for row in rows[1:] if row[column["Opted out of support"]] == DO_NOT_CONTACT]
    contacted = [row for row in rows[1:] if row[column["Last contact"]] is not None]
    assert len(opted) == 1 and len(contacted) == 1
    assert opted[0][column["Student ID"]] != contacted[0][column["Student ID"]]

    # A second demo finds both landed already and lands nothing new.
    returned = listed(output, "returned report")
    before = (returned.stat().st_mtime_ns, (leap_env["LEAP_LANDING"] / "privacy" / "requests.csv").read_bytes())
    again = CliRunner().invoke(cli.main, ["demo"], catch_exceptions=False)
    assert again.exit_code == 0, again.output
    after = (returned.stat().st_mtime_ns, (leap_env["LEAP_LANDING"] / "privacy" / "requests.csv").read_bytes())
    assert after == before
