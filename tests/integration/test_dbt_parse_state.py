"""A warehouse's first dbt run starts from a template of dbt's parse state (transform/project.py),
not from a parse of the whole project: the state is handed on only as dbt itself would accept it."""

from pathlib import Path

import msgpack
import pytest
from dbt.cli.main import dbtRunner

from leap_assets.transform import project
from leap_assets.transform.inprocess import project_args
from leap_assets.transform.project import PARTIAL_PARSE, profile_hash, retarget


def dbt_parse(warehouse: Path, target: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """`dbt parse` for `warehouse` in `target` (seeded or not); the names of the events dbt fired."""
    monkeypatch.setenv("LEAP_WAREHOUSE", str(warehouse))
    events: list[str] = []
    result = dbtRunner(callbacks=[lambda message: events.append(message.info.name)]).invoke(
        ["parse", "--quiet", "--no-send-anonymous-usage-stats", *project_args(target)]
    )
    assert result.success, result.exception
    return events


def saved_hash(state: bytes) -> str:
    return msgpack.unpackb(state, strict_map_key=False)["state_check"]["profile_hash"]["checksum"]


@pytest.fixture(scope="module")
def parsed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, bytes]:
    """A warehouse and the state of dbt's full parse for it, with no state to start from."""
    root = tmp_path_factory.mktemp("parsed")
    warehouse, target = root / "one" / "leap.duckdb", root / "target"
    with pytest.MonkeyPatch.context() as monkeypatch:
        events = dbt_parse(warehouse, target, monkeypatch)
    assert "PartialParsingSkipParsing" not in events
    return warehouse, (target / PARTIAL_PARSE).read_bytes()


def test_the_profile_hash_is_the_one_dbt_saves(parsed):
    # Fails as soon as dbt hashes the profile differently: the template is then never handed on.
    warehouse, state = parsed
    assert profile_hash(warehouse) == saved_hash(state)
    assert profile_hash(warehouse.parent / "elsewhere" / warehouse.name) != saved_hash(state)


def test_a_state_is_handed_on_only_to_a_warehouse_of_the_same_name_and_only_with_the_hash_dbt_saved(parsed):
    warehouse, state = parsed
    other = Path("/srv/another/leap.duckdb")
    moved = retarget(state, warehouse, other)
    assert saved_hash(moved) == profile_hash(other)
    # Everything but the hash is the state as dbt wrote it.
    unpacked, original = (msgpack.unpackb(s, strict_map_key=False) for s in (moved, state))
    original["state_check"]["profile_hash"]["checksum"] = profile_hash(other)
    assert unpacked == original
    # Another name: dbt-duckdb's catalog (and every node's database) is the file's stem.
    assert retarget(state, warehouse, other.with_name("warehouse.duckdb")) is None
    # A state not parsed for the warehouse it is said to be from.
    assert retarget(state, other, warehouse) is None


def test_a_new_warehouse_s_first_parse_starts_from_the_template_and_parses_nothing(
    parsed, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    warehouse, state = parsed
    monkeypatch.setattr(project, "TEMPLATES", tmp_path / "templates")
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster"))
    (tmp_path / PARTIAL_PARSE).write_bytes(state)
    project.save_template(tmp_path / PARTIAL_PARSE, warehouse)
    new = tmp_path / "new" / "leap.duckdb"
    assert project.template_state(new.with_name("warehouse.duckdb")) is None
    seeded = project.invocation_target("parse", new, parses=True)
    events = dbt_parse(new, seeded, monkeypatch)
    assert "UnableToPartialParse" not in events
    assert "PartialParsingSkipParsing" in events
