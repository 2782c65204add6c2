"""What the Dagster UI sees, through its GraphQL API on the real code location: the Monday schedule's
next ticks across the end of British Summer Time (25 October 2026, 01:00 UTC), and a term of report
weeks backfilled as a partition range that runs as one run (every weekly asset has a single-run policy)."""

from datetime import UTC, datetime
from pathlib import Path

import dagster as dg
import pytest
from dagster_graphql.test.utils import define_out_of_process_context, execute_dagster_graphql

from orchestration.jobs import weekly_job

WORKSPACE = str(Path(__file__).resolve().parents[2] / "workspace.yaml")
REPOSITORY = {"repositoryLocationName": "leap", "repositoryName": "__repository__"}

FUTURE_TICKS = """
query Ticks($selector: ScheduleSelector!, $cursor: Float) {
  scheduleOrError(scheduleSelector: $selector) {
    __typename
    ... on Schedule { futureTicks(limit: 4, cursor: $cursor) { results { timestamp } } }
  }
}
"""
ASSET_POLICIES = """
{ assetNodes { assetKey { path } jobNames isPartitioned backfillPolicy { policyType } } }
"""
LAUNCH_BACKFILL = """
mutation Launch($params: LaunchBackfillParams!) {
  launchPartitionBackfill(backfillParams: $params) {
    __typename
    ... on LaunchBackfillSuccess { backfillId }
    ... on PythonError { message }
  }
}
"""
BACKFILL = """
query Backfill($id: String!) {
  partitionBackfillOrError(backfillId: $id) {
    ... on PartitionBackfill { status isAssetBackfill partitionNames }
  }
}
"""


@pytest.fixture(scope="module")
def ui():
    with dg.instance_for_test() as instance, define_out_of_process_context(WORKSPACE, None, instance) as context:
        yield context


def test_the_monday_schedule_ticks_at_six_london_time_either_side_of_the_clock_change(ui):
    selector = {**REPOSITORY, "scheduleName": "monday_reports"}
    after_monday_12_october = datetime(2026, 10, 13, tzinfo=UTC).timestamp()
    result = execute_dagster_graphql(ui, FUTURE_TICKS, {"selector": selector, "cursor": after_monday_12_october})
    ticks = result.data["scheduleOrError"]["futureTicks"]["results"]
    ticks = [datetime.fromtimestamp(tick["timestamp"], UTC) for tick in ticks]
    assert ticks == [
        datetime(2026, 10, 19, 5, 0, tzinfo=UTC),  # 06:00 BST
        datetime(2026, 10, 26, 6, 0, tzinfo=UTC),  # 06:00 GMT, the day after the clocks go back
        datetime(2026, 11, 2, 6, 0, tzinfo=UTC),
        datetime(2026, 11, 9, 6, 0, tzinfo=UTC),
    ]


def test_every_weekly_asset_backfills_a_range_of_weeks_in_one_run(ui):
    nodes = execute_dagster_graphql(ui, ASSET_POLICIES).data["assetNodes"]
    weekly = {"/".join(n["assetKey"]["path"]): n for n in nodes if weekly_job.name in n["jobNames"]}
    assert {"marts/engagement_weekly", "student_engagement_reports", "governance_report"} <= set(weekly)
    assert all(n["isPartitioned"] and n["backfillPolicy"]["policyType"] == "SINGLE_RUN" for n in weekly.values())


def test_the_ui_can_backfill_a_term_as_a_partition_range(ui):
    weeks = ["2026-10-12", "2026-10-19", "2026-10-26"]
    params = {
        "assetSelection": [{"path": ["marts", "engagement_weekly"]}, {"path": ["student_engagement_reports"]}],
        "partitionNames": weeks,
    }
    launched = execute_dagster_graphql(ui, LAUNCH_BACKFILL, {"params": params}).data["launchPartitionBackfill"]
    assert launched["__typename"] == "LaunchBackfillSuccess", launched
    backfill = execute_dagster_graphql(ui, BACKFILL, {"id": launched["backfillId"]}).data["partitionBackfillOrError"]
    assert backfill["isAssetBackfill"] and backfill["status"] == "REQUESTED"
    assert sorted(backfill["partitionNames"]) == weeks
