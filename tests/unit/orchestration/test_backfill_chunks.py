from datetime import date, timedelta

from orchestration.runs.backfill import chunks

MONDAY = date(2026, 9, 28)


def weeks(*offsets: int) -> list[date]:
    return [MONDAY + timedelta(days=7 * i) for i in offsets]


def test_consecutive_weeks_are_cut_into_chunks_oldest_first():
    assert chunks(weeks(4, 0, 1, 2, 3), 2) == [weeks(0, 1), weeks(2, 3), weeks(4)]


def test_a_gap_between_weeks_starts_a_new_chunk():
    assert chunks(weeks(0, 1, 3), 4) == [weeks(0, 1), weeks(3)]


def test_a_failing_week_is_pinned_down_and_stops_the_later_weeks(monkeypatch):
    import pytest

    from orchestration.runs import backfill
    from orchestration.runs.instance import RunOutcome

    bad = MONDAY + timedelta(days=14)
    calls = []

    def fake_run_job(job, week=None, last_week=None, tags=None):
        calls.append((week, last_week))
        covered = week <= bad <= (last_week or week)
        return RunOutcome(not covered, f"run{len(calls)}", "no complete SITS extract" if covered else None)

    monkeypatch.setattr(backfill, "run_job", fake_run_job)
    monkeypatch.setattr(backfill, "ensure_manifest", lambda: None)
    monkeypatch.setenv("LEAP_BACKFILL_CHUNK", "4")
    done = []
    with pytest.raises(backfill.WeekFailed) as failure:
        backfill.build_weeks(weeks(0, 1, 2, 3, 4, 5), progress=done.append)
    assert failure.value.week == bad
    assert (failure.value.built, failure.value.not_run) == (2, 3)
    assert done == weeks(0, 1)
    # The failing chunk was retried week by week, oldest first, and nothing after the failure ran.
    assert calls == [(MONDAY, weeks(3)[0]), *[(w, None) for w in weeks(0, 1, 2)]]
    assert "week 2026-10-12 failed" in str(failure.value)


def test_a_dbt_failure_is_reported_by_dbt_s_own_reason_not_its_command_line():
    from orchestration.runs.run_failures import reason as _reason

    message = (
        "The dbt CLI process with command\n\n`dbt build --vars {...}`\n\nfailed with exit code `2`.\n\n"
        "Errors parsed from dbt logs:\n\nEncountered an error:\nIO Error: Could not set lock on file\n"
    )
    assert _reason(message) == "IO Error: Could not set lock on file"
    # A failed node: which one, then why (dbt's "Runtime Error in model x" repeats the first line).
    failed = (
        "The dbt command\n\n`dbt build`\n\nfailed.\n\nErrors parsed from dbt logs:\n\n"
        "Failure in test not_null_x_id (models/x.yml)\n\n  Got 3 results, configured to fail if != 0\n\n"
        "Failure in model x (models/x.sql)\n\n  Runtime Error in model x (models/x.sql)\n  Catalog Error: no y\n"
    )
    assert _reason(failed) == "Failure in test not_null_x_id (models/x.yml) Got 3 results, configured to fail if != 0"
    model_only = failed.split("Failure in model")[0].split("Errors parsed from dbt logs:")[0]
    model_only += "Errors parsed from dbt logs:\n\n" + "Failure in model" + failed.split("Failure in model")[1]
    assert _reason(model_only) == "Failure in model x (models/x.sql) Catalog Error: no y"
    assert _reason("plain failure\nmore") == "plain failure"
