"""Files under hostile conditions (operations.md): a broken secret key, quotes in the warehouse's file
name, owner-only modes and the publish group, one rejected SITS file."""

import grp
import os
import shutil
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from leap_assets.ingestion import sits
from leap_assets.permissions import GroupError
from leap_assets.privacy import keys
from leap_assets.reporting.reports import publish_week
from leap_assets.warehouse.db import compact, connect
from orchestration.cli import main
from tests.hostile.conftest import FORMULAS, SQL_SHAPED, one_sentence


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def privacy_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "privacy"
    monkeypatch.setenv("LEAP_PRIVACY_DIR", str(folder))
    monkeypatch.setenv("LEAP_WAREHOUSE", str(tmp_path / "warehouse" / "leap.duckdb"))
    monkeypatch.setenv("LEAP_LANDING", str(tmp_path / "landing"))
    monkeypatch.setenv("LEAP_PUBLISH", str(tmp_path / "publish"))
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster"))
    (tmp_path / "landing").mkdir()  # a missing landing folder is an error of its own, checked first
    return folder


def test_a_new_secret_is_whole_owner_only_and_leaves_no_temporary(privacy_dir):
    key = keys.secret()
    assert len(key) == 32 and keys.secret() == key
    assert mode(privacy_dir) == 0o700 and mode(privacy_dir / keys.KEY_FILE) == 0o600
    assert [p.name for p in privacy_dir.iterdir()] == [keys.KEY_FILE]


@pytest.mark.parametrize(
    ("content", "words"),
    [("", "is empty"), ("abc123", "not a key of 64 hex digits"), ("zz" * 32, "not a key"), (None, "cannot be read")],
)
def test_an_empty_short_or_unreadable_secret_stops_every_command_in_one_sentence(privacy_dir, content, words):
    privacy_dir.mkdir()
    path = privacy_dir / keys.KEY_FILE
    if content is None:
        path.mkdir()  # unreadable as a file, even for root
    else:
        path.write_text(content)
    with pytest.raises(keys.SecretError) as error:
        keys.secret()
    assert words in str(error.value) and one_sentence(str(error.value))
    for command in (["privacy", "process"], ["ingest"]):
        result = CliRunner().invoke(main, command)
        assert result.exit_code != 0 and "Traceback" not in result.output
        assert result.output.startswith("leap: the privacy secret") and one_sentence(result.output), result.output
    assert path.exists() and (path.is_dir() or path.read_text() == content)  # never silently replaced


@pytest.mark.parametrize("name", ['quote"d.duckdb', "o'neil.duckdb", "semi;colon -- x.duckdb", "ünï ç.duckdb"])
def test_the_compaction_works_whatever_the_warehouse_is_called(tmp_path, name):
    warehouse = tmp_path / "w" / name
    with connect(warehouse) as con:
        con.execute("insert into meta.access_log values (now(), 's', 'admin', 'view', null, ['1'], 1, null, 'me')")
        compact(con, warehouse)
    with connect(warehouse, read_only=True) as con:
        assert con.execute("select count(*) from meta.access_log").fetchone() == (1,)
    assert mode(warehouse) == 0o600 and mode(warehouse.parent) == 0o700
    assert sorted(p.name for p in warehouse.parent.iterdir()) == [name]


def test_published_reports_are_owner_only_and_the_publish_group_may_read_them(mart, tmp_path, monkeypatch):
    root = tmp_path / "publish"
    monkeypatch.setenv("LEAP_PUBLISH", str(root))
    with connect(mart, read_only=True) as con:
        week = publish_week(con, root, date_of(con))
    for path in week.files:
        assert mode(path) == 0o600 and mode(path.parent) == 0o700
    group = grp.getgrgid(os.getgid()).gr_name
    monkeypatch.setenv("LEAP_PUBLISH_GROUP", group)
    shutil.rmtree(root)
    with connect(mart, read_only=True) as con:
        week = publish_week(con, root, date_of(con))
    for path in week.files:
        assert mode(path) == 0o640 and mode(path.parent) == 0o750 and path.stat().st_gid == os.getgid()
    monkeypatch.setenv("LEAP_PUBLISH_GROUP", "no-such-group-leap")
    with pytest.raises(GroupError) as error, connect(mart, read_only=True) as con:
        publish_week(con, root, date_of(con))
    assert one_sentence(str(error.value)) and "no-such-group-leap" in str(error.value)


def date_of(con):
    return con.execute("select min(week_start) from marts.engagement_weekly").fetchone()[0]


def test_one_rejected_module_file_is_one_problem_not_a_cascade_of_row_records(delivered, tmp_path, con):
    landing = tmp_path / "landing"
    shutil.copytree(delivered, landing)
    sits.ingest(con, landing, "Europe/London")
    baseline = con.execute("select count(*) from quarantine.rows where source = 'sits'").fetchone()[0]
    for module in (landing / "sits").glob("*/module.tsv"):
        module.write_bytes(b"")
    outcomes = sits.ingest(con, landing, "Europe/London")
    rejected = [o for o in outcomes if o.status == "rejected"]
    assert rejected and all(o.rel.endswith("module.tsv") and "zero bytes" in o.message for o in rejected)
    after = con.execute("select count(*) from quarantine.rows where source = 'sits'").fetchone()[0]
    assert after <= baseline  # the rejection is reported once, on the file; no record per dependent row
    withheld = [o for o in outcomes if o.message and "depend on module.tsv" in o.message]
    assert withheld and all(o.rows_quarantined == 0 or o.status == "loaded" for o in withheld)


def test_sql_and_formula_shaped_values_in_landed_sits_files_are_stored_verbatim(delivered, tmp_path, con):
    landing = tmp_path / "landing"
    shutil.copytree(delivered, landing)
    hostile = [*SQL_SHAPED, *FORMULAS[:3]]
    for path in (landing / "sits").glob("*/student.tsv"):
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        header = lines[0].rstrip("\r\n").split("\t")
        first, last = header.index("FIRST_NAME"), header.index("LAST_NAME")
        for number, line in enumerate(lines[1 : len(hostile) + 1], start=1):
            cells = line.rstrip("\r\n").split("\t")
            cells[first] = cells[last] = hostile[number - 1]
            lines[number] = "\t".join(cells) + "\n"
        path.write_text("".join(lines), encoding="utf-8")
    outcomes = sits.ingest(con, landing, "Europe/London")
    assert all(o.status == "loaded" for o in outcomes)
    stored = {r[0] for r in con.execute("select distinct first_name from raw.sits_student").fetchall()}
    assert set(hostile) <= stored  # data, never SQL: every value kept exactly, no table harmed
    assert con.execute("select count(*) from raw.sits_student").fetchone()[0] > len(hostile)
