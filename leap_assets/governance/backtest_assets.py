"""The back-test asset: `publish/governance/backtest_<first>_<last>.html` and `.csv` for a range of
report weeks, run by `leap governance backtest` (backtest_job) with the range as run config."""

from datetime import UTC, date, datetime
from pathlib import Path

import dagster as dg
import duckdb

from leap_assets.governance import backtest as bt
from leap_assets.governance import backtest_data as data
from leap_assets.governance.backtest_html import BacktestResult, render
from leap_assets.partitions import weeks_between
from leap_assets.resources import LeapPaths
from leap_assets.warehouse.db import WAREHOUSE_POOL
from leap_assets.writing.files import staged


class BacktestConfig(dg.Config):
    """Which report weeks the back-test covers."""

    first_week: str  # YYYY-MM-DD: the week holding this day is the first
    last_week: str  # YYYY-MM-DD: the week holding this day is the last
    label: str = ""  # how the page names the range, e.g. "term AUT 2026/27"


def backtest_paths(publish: Path, first: date, last: date) -> tuple[Path, Path]:
    stem = publish / "governance" / f"backtest_{first}_{last}"
    return stem.with_suffix(".html"), stem.with_suffix(".csv")


def compute(con: duckdb.DuckDBPyConnection | None, first: date, last: date, label: str) -> BacktestResult:
    """Every figure of the back-test of the weeks from `first` to `last` (None: no warehouse yet)."""
    weeks = weeks_between(first, last)
    frame = data.student_weeks(con, weeks[0], weeks[-1]) if con is not None else data.student_weeks_empty()
    thresholds = data.thresholds(con) if con is not None else dict(data.DEFAULT_THRESHOLDS)
    by_week = {week: rows for week, rows in frame.groupby("week_start", sort=True)}
    return BacktestResult(
        first=weeks[0],
        last=weeks[-1],
        label=label or f"weeks {weeks[0]} to {weeks[-1]}",
        outcomes_extract=data.outcomes_extract(con) if con is not None else None,
        thresholds=thresholds,
        weekly=bt.week_figures(frame, weeks),
        overall=bt.range_figures(frame),
        fairness_range=bt.fairness(frame),
        fairness_weeks={week: bt.fairness(by_week[week]) for week in weeks if week in by_week},
        grid=bt.sensitivity(frame, thresholds["summary_amber_min"], thresholds["summary_green_min"]),
    )


def read_and_compute(paths: LeapPaths, first: date, last: date, label: str) -> BacktestResult:
    if not paths.warehouse_path.exists():
        return compute(None, first, last, label)
    with paths.read() as con:
        return compute(con, first, last, label)


def write_backtest(paths: LeapPaths, first: date, last: date, label: str = "") -> tuple[Path, Path, BacktestResult]:
    """Compute and write the HTML and the CSV (both or neither: renamed into place together)."""
    result = read_and_compute(paths, first, last, label)
    page, sheet = backtest_paths(paths.publish_path, result.first, result.last)
    with staged(page, sheet) as (page_tmp, sheet_tmp):
        page_tmp.write_text(render(result, datetime.now(UTC)), encoding="utf-8")
        bt.write_csv(result.weekly, sheet_tmp)
    return page, sheet, result


@dg.asset(group_name="governance", kinds={"html", "csv"}, pool=WAREHOUSE_POOL)
def governance_backtest(
    context: dg.AssetExecutionContext, config: BacktestConfig, paths: LeapPaths
) -> dg.MaterializeResult:
    """The back-test of the indicator on outcomes over a range of weeks (run config: first_week, last_week)."""
    try:
        first, last = date.fromisoformat(config.first_week), date.fromisoformat(config.last_week)
    except ValueError:
        raise dg.Failure(description="first_week and last_week must be dates as YYYY-MM-DD.") from None
    if last < first:
        raise dg.Failure(description=f"last_week ({last}) is before first_week ({first}).")
    page, sheet, result = write_backtest(paths, first, last, config.label)
    context.log.info(f"Back-test {result.first} to {result.last} written to {page}")
    overall = result.overall
    metadata = {
        "path": dg.MetadataValue.path(str(page)),
        "csv": dg.MetadataValue.path(str(sheet)),
        "weeks": len(result.weekly),
        "student_weeks": overall["students"],
        "known_outcome": overall["known_outcome"],
        "outcomes_extract": str(result.outcomes_extract or "none"),
    }
    for name in ("auc", "red_green_ratio"):
        if overall[name] is not None:
            metadata[name] = dg.MetadataValue.float(float(overall[name]))
    return dg.MaterializeResult(metadata=metadata)
