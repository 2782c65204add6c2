"""The annual review pack asset: `publish/governance/review-<YYYY>.html` for the academic year YYYY/YY+1
(1 August YYYY to 31 July YYYY+1), run by `leap governance review --year YYYY` (review_job) with the year
as run config: sources and approvals, data-quality verdicts over time, privacy requests handled,
access by role and retention purges, all as counts with small numbers suppressed."""

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import dagster as dg
import pandas as pd

from leap_assets.checks.weekly import blocking_suites
from leap_assets.governance import backtest_assets, backtest_data
from leap_assets.governance import review_data as data
from leap_assets.governance.quality_report import SOURCE_NAMES
from leap_assets.governance.review_html import ReviewContent, render
from leap_assets.quality.settings import load_quality_settings
from leap_assets.resources import LeapPaths
from leap_assets.sources.registry import SourceRegistryError, load_registry
from leap_assets.warehouse.db import WAREHOUSE_POOL
from leap_assets.writing.files import atomic_write


class ReviewConfig(dg.Config):
    """Which academic year the pack covers."""

    year: int  # 2026 covers 1 August 2026 to 31 July 2027


def pack_path(publish: Path, year: int) -> Path:
    return publish / "governance" / f"review-{year}.html"


def build_pack(paths: LeapPaths, year: int) -> tuple[Path, ReviewContent]:
    """Read the year's counts (an absent warehouse reads as an empty year) and write the pack."""
    registry = load_registry()
    academic = data.AcademicYear(year)
    empty = ReviewContent(
        year=academic,
        today=datetime.now(ZoneInfo(paths.timezone)).date(),
        generated_at=datetime.now(UTC),
        registry=registry,
        source_names=SOURCE_NAMES,
        files=data.empty(["source", "files", "rejected"]),
        verdicts={},
        requests=data.empty(["request_type", "status", "requests"]),
        access=data.empty(["role", "views", "refused", "staff"]),
        purges=data.empty(["layer", "target", "runs", "rows_removed", "files_removed", "last_cutoff"]),
    )
    content = empty
    if paths.warehouse_path.exists():
        zone = paths.timezone
        with paths.read() as con:
            gate, releases = data.gate_outcomes(con, academic)
            content = replace(
                empty,
                files=data.files_landed(con, academic, zone),
                verdicts=data.quality_verdicts(con, academic, SOURCE_NAMES, blocking_suites(load_quality_settings())),
                requests=data.requests_handled(con, academic, zone),
                access=data.access_by_role(con, academic, zone),
                purges=data.purges(con, academic, zone),
                backtests=term_backtests(con, academic, empty.today),
                gate=gate,
                releases=releases,
            )
    target = pack_path(paths.publish_path, year)
    atomic_write(target, lambda tmp: tmp.write_text(render(content), encoding="utf-8"))
    return target, content


def term_backtests(con, academic: data.AcademicYear, today) -> list:
    """The back-test of every term of SITS period.tsv starting in the year whose end has passed."""
    terms = backtest_data.completed_terms(con, academic.first, academic.last, today)
    return [
        backtest_assets.compute(
            con, pd.Timestamp(t.start).date(), pd.Timestamp(t.end).date(), f"{t.period_name} ({t.period_code})"
        )
        for t in terms.itertuples(index=False)
    ]


@dg.asset(group_name="governance", kinds={"html"}, pool=WAREHOUSE_POOL)
def governance_review(
    context: dg.AssetExecutionContext, config: ReviewConfig, paths: LeapPaths
) -> dg.MaterializeResult:
    """The governance board's annual review pack for one academic year (run config: year)."""
    try:
        target, content = build_pack(paths, config.year)
    except SourceRegistryError as error:
        raise dg.Failure(description=f"The review pack cannot be written: {error}.") from None
    context.log.info(f"Annual review {content.year.label} written to {target}")
    return dg.MaterializeResult(
        metadata={
            "academic_year": content.year.label,
            "path": dg.MetadataValue.path(str(target)),
            "weeks_with_quality_results": len(content.verdicts),
            "terms_back_tested": len(content.backtests),
            "requests_processed": int(content.requests["requests"].sum()) if len(content.requests) else 0,
        }
    )
