"""The privacy sensors: requests.csv is processed once per new content, and an erasure's weeks re-published."""

from pathlib import Path

import dagster as dg

from leap_assets.resources import LeapPaths
from orchestration.definitions import defs
from orchestration.privacy_sensors import privacy_sensor, republish_sensor
from tests.support.landing import write

HEADER = "REQUEST_ID,STUDENT_ID,TYPE,RECEIVED_DATE,DETAILS,APPROVED_BY\n"


def tick(landing: Path, cursor: str | None = None):
    context = dg.build_sensor_context(
        cursor=cursor, instance=dg.DagsterInstance.ephemeral(), resources={"paths": LeapPaths(landing=str(landing))}
    )
    return privacy_sensor(context)


def test_new_requests_request_one_privacy_run_once_even_after_a_restart(landing):
    assert tick(landing).run_requests == []
    requests = write(landing / "privacy" / "requests.csv", HEADER + "R1,00000001,opt_out,2026-11-01,,\n")
    first = tick(landing)
    assert [r.run_key[:8] for r in first.run_requests] == ["privacy-"]
    assert tick(landing, first.cursor).run_requests == []
    write(requests, HEADER + "R1,00000001,opt_out,2026-11-01,,\nR2,00000001,opt_in,2026-11-02,,\n")
    second = tick(landing, first.cursor)
    assert len(second.run_requests) == 1 and second.run_requests[0].run_key != first.run_requests[0].run_key


def test_an_erasure_that_left_published_weeks_requests_one_run_per_week():
    with dg.instance_for_test() as instance:
        context = dg.build_sensor_context(instance=instance, repository_def=defs.get_repository_def())
        assert [type(r) for r in republish_sensor(context)] == [dg.SkipReason]  # no privacy run yet
        instance.report_runless_asset_event(
            dg.AssetMaterialization("privacy", metadata={"weeks_to_republish": dg.MetadataValue.json([])})
        )
        assert [type(r) for r in republish_sensor(context)] == [dg.SkipReason]  # nothing was erased
        instance.report_runless_asset_event(
            dg.AssetMaterialization(
                "privacy", metadata={"weeks_to_republish": dg.MetadataValue.json(["2026-10-12", "2026-10-19"])}
            )
        )
        requests = list(republish_sensor(context))
        assert [r.partition_key for r in requests] == ["2026-10-12", "2026-10-19"]
        assert len({r.run_key for r in requests}) == 2
