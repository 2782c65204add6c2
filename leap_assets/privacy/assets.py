"""The `privacy` ingestion asset: new rows of landing/privacy/requests.csv, processed once each."""

import json

import dagster as dg

from leap_assets.privacy.process import process
from leap_assets.resources import LeapPaths
from leap_assets.warehouse.db import WAREHOUSE_POOL


@dg.asset(group_name="privacy", kinds={"duckdb"}, pool=WAREHOUSE_POOL)
def privacy(context: dg.AssetExecutionContext, paths: LeapPaths) -> dg.MaterializeResult:
    """Privacy requests: access, erasure, restriction, rectification and opt-outs, with a ledger."""
    result = process(paths.landing_path, paths.publish_path, paths.warehouse_path)
    if result.refused:
        context.log.warning(f"{result.refused} request(s) refused: see meta.privacy_requests for why")
    if result.not_requests:
        context.log.warning(f"{result.not_requests} row(s) of requests.csv are not requests (quarantine.rows)")
    if result.restored_rows_erased:
        context.log.warning(f"{result.restored_rows_erased} row(s) of erased students were found again and erased")
    return dg.MaterializeResult(
        metadata={
            "requests_done": sum(result.done.values()),
            "requests_refused": result.refused,
            "done_by_type": dg.MetadataValue.json(result.done),
            "rows_not_requests": result.not_requests,
            "restored_rows_erased": result.restored_rows_erased,
            "erasure_certificates": dg.MetadataValue.json(result.certificates),
            # Report weeks whose published files still hold an erased student: re-published next.
            "weeks_to_republish": dg.MetadataValue.json(result.weeks_to_republish),
            "seconds": round(result.seconds, 2),
        }
    )


def weeks_to_republish(metadata: dict) -> list[str]:
    value = metadata.get("weeks_to_republish")
    data = getattr(value, "data", value)
    return list(data) if isinstance(data, list) else json.loads(data or "[]")
