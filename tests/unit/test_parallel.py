import os

import pytest

from leap_assets.parallel import map_in_pool, run_pool
from leap_assets.settings import SettingError, settings


def test_without_a_pool_the_work_is_done_here_in_order():
    assert map_in_pool(divmod, [7, 9], [2, 4]) == [(3, 1), (2, 1)]


def test_in_a_run_pool_the_work_goes_to_other_processes_and_comes_back_in_order(monkeypatch):
    monkeypatch.setenv("LEAP_WORKERS", "2")
    with run_pool(tasks=3) as pool:
        assert pool is not None
        assert map_in_pool(divmod, [7, 9, 11], [2, 4, 3]) == [(3, 1), (2, 1), (3, 2)]
        assert os.getpid() not in set(map_in_pool(_pid, [0, 1, 2]))


def test_one_worker_or_one_piece_of_work_opens_no_pool(monkeypatch):
    monkeypatch.setenv("LEAP_WORKERS", "1")
    with run_pool(tasks=5) as pool:
        assert pool is None
    monkeypatch.setenv("LEAP_WORKERS", "4")
    with run_pool(tasks=1) as pool:
        assert pool is None


@pytest.mark.parametrize("value", ["0", "two", "-1", "1.5"])
def test_leap_workers_must_be_a_whole_number_of_processes(monkeypatch, value):
    monkeypatch.setenv("LEAP_WORKERS", value)
    with pytest.raises(SettingError, match="LEAP_WORKERS"):
        settings()


def _pid(_: int) -> int:
    return os.getpid()
