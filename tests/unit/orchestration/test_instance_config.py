"""The instance's dagster.yaml: written with the one-writer pool limit, and upgraded in place when an
older LEAP wrote it without one, keeping whatever the user edited; and how LEAP tells that the
process of a run is gone."""

import subprocess
import sys
import textwrap

import dagster as dg
import pytest
import yaml

from orchestration.runs import instance as leap_instance
from orchestration.runs.crashed_runs import PID_TAG, STARTED_TAG, is_alive, process_tags

OLD_LEAP_YAML = """\
# Written by LEAP on first use; edit freely.
telemetry:
  enabled: false
concurrency:
  runs:
    # DuckDB has one writer: runs queue rather than fail on the file lock.
    max_concurrent_runs: 1
"""


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster"))
    return tmp_path / "dagster"


def test_a_new_instance_gives_every_pool_one_slot(home):
    leap_instance.dagster_home()
    assert yaml.safe_load((home / "dagster.yaml").read_text())["concurrency"]["pools"] == {"default_limit": 1}
    with dg.DagsterInstance.get() as instance:
        assert instance.event_log_storage.get_pool_config().default_pool_limit == 1


def test_a_new_instance_does_not_greet_staff_with_a_newsletter_sign_up(home):
    leap_instance.dagster_home()
    assert (home / ".nux" / "nux.yaml").read_text() == "seen: 1\n"
    leap_instance.dagster_home()  # and a second start leaves it be
    assert (home / ".nux" / "nux.yaml").exists()


def test_an_older_leap_config_gains_the_pool_limit_and_keeps_the_user_s_edits(home):
    home.mkdir()
    edited = OLD_LEAP_YAML.replace("max_concurrent_runs: 1", "max_concurrent_runs: 3  # ours: the server has room")
    (home / "dagster.yaml").write_text(edited + "run_monitoring:\n  enabled: true\n")
    leap_instance.dagster_home()
    text = (home / "dagster.yaml").read_text()
    assert "# ours: the server has room" in text and "# Written by LEAP on first use" in text
    assert yaml.safe_load(text) == {
        "telemetry": {"enabled": False},
        "concurrency": {"pools": {"default_limit": 1}, "runs": {"max_concurrent_runs": 3}},
        "run_monitoring": {"enabled": True},
    }
    leap_instance.dagster_home()
    assert (home / "dagster.yaml").read_text() == text, "a second start must not add it twice"


@pytest.mark.parametrize(
    ("config", "pools"),
    [
        ("telemetry:\n  enabled: false\n", {"default_limit": 1}),
        ("concurrency:\n    pools:\n        granularity: op\n", {"granularity": "op", "default_limit": 1}),
        ("concurrency:\n  pools:\n", {"default_limit": 1}),
        ("concurrency: {runs: {max_concurrent_runs: 2}}\n", {"default_limit": 1}),
    ],
)
def test_the_limit_is_added_whatever_the_layout(home, config, pools):
    home.mkdir()
    (home / "dagster.yaml").write_text(config)
    leap_instance.dagster_home()
    assert yaml.safe_load((home / "dagster.yaml").read_text())["concurrency"]["pools"] == pools


def test_a_flow_style_config_is_rewritten_with_a_copy_of_the_old_one(home):
    home.mkdir()
    (home / "dagster.yaml").write_text("concurrency: {runs: {max_concurrent_runs: 2}}\n")
    leap_instance.dagster_home()
    (backup,) = home.glob("dagster.yaml.*.bak")
    assert backup.read_text() == "concurrency: {runs: {max_concurrent_runs: 2}}\n"
    assert yaml.safe_load((home / "dagster.yaml").read_text())["concurrency"]["runs"] == {"max_concurrent_runs": 2}


def test_a_limit_the_user_chose_is_left_alone(home):
    home.mkdir()
    config = textwrap.dedent(
        """\
        concurrency:
          pools:
            default_limit: 4
        """
    )
    (home / "dagster.yaml").write_text(config)
    leap_instance.dagster_home()
    assert (home / "dagster.yaml").read_text() == config


def test_a_run_s_process_is_alive_only_while_that_very_process_runs():
    mine = process_tags()
    assert is_alive(mine)
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    assert not is_alive({**mine, PID_TAG: ended.stdout.strip()})
    if STARTED_TAG in mine:  # Linux: a pid reused by a later process is not the run's process
        assert not is_alive({**mine, STARTED_TAG: "1"})
    assert is_alive({**mine, "leap/host": "another-machine", PID_TAG: ended.stdout.strip()}), "cannot tell: keep"
