"""`leap import oulad DIR` and `leap demo --oulad DIR`: the real-data demo on the Open University
Learning Analytics Dataset (OULAD, CC BY 4.0), imported into the landing zone in the source formats."""

import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import click

from orchestration.cli.common import LeapError
from orchestration.cli.steps import ingest_landing

DEMO_TERM, DEMO_YEAR = "2013J", "2013"  # the October 2013 presentations
# OULAD's weeks are years before LEAP's default first reportable week (LEAP_FIRST_WEEK): the demo runs
# with its weekly partitions starting early enough for every OULAD presentation.
OULAD_FIRST_WEEK = "2013-01-07"


@click.group(name="import")
def import_group() -> None:
    """Import a public data set into the landing zone, in the source formats."""


@import_group.command()
@click.argument("folder", type=click.Path())
@click.option("--landing", type=click.Path(file_okay=False), default=None, help="default: LEAP_LANDING")
def oulad(folder: str, landing: str | None) -> None:
    """Turn the OULAD CSVs in FOLDER into a landing zone (SITS extract, Moodle logs, school lists)."""
    from leap_assets.settings import settings

    target = Path(landing).resolve() if landing else settings().landing
    _import(Path(folder), target)


def _import(folder: Path, target: Path) -> None:
    from leap_assets.oulad.landing import import_oulad
    from leap_assets.oulad.reading import OuladError

    started = time.monotonic()
    try:
        summary = import_oulad(folder, target)
    except OuladError as error:
        raise LeapError(f"{error}.") from None
    files = len(summary.rows)
    click.echo(
        f"Imported OULAD from {folder} into {target} in {time.monotonic() - started:.0f} s: {files} files, "
        f"SITS extract {summary.extract_date}, "
        f"{sum(n for f, n in summary.rows.items() if f.startswith('moodle/')):,} Moodle events from "
        f"{summary.vle_file}."
    )
    if summary.vle_skipped:
        click.echo(f"Not read (samples overlapping the one read): {', '.join(summary.vle_skipped)}.")
    if summary.clicks_outside:
        click.echo(f"{summary.clicks_outside:,} VLE row(s) name a presentation or site the other files do not know.")


def oulad_demo(folder: Path) -> None:
    """Import, ingest, backfill the October 2013 presentations' weeks and back-test them."""
    from leap_assets.partitions import first_week

    if date.fromisoformat(first_week()) > date.fromisoformat(OULAD_FIRST_WEEK):
        # Weekly partitions are fixed when LEAP is imported: run the demo again in a process that has them.
        click.echo(f"(OULAD weeks are in 2013: running with LEAP_FIRST_WEEK={OULAD_FIRST_WEEK}.)")
        env = {**os.environ, "LEAP_FIRST_WEEK": OULAD_FIRST_WEEK}
        done = subprocess.run([sys.executable, "-m", "orchestration.cli", "demo", "--oulad", str(folder)], env=env)
        if done.returncode:
            sys.exit(done.returncode)
        return
    _demo(folder)


def _demo(folder: Path) -> None:
    from leap_assets.settings import settings
    from orchestration.cli.governance import run_backtest
    from orchestration.terms import TermNotFound, term_weeks

    started = time.monotonic()
    _import(folder, settings().landing)
    ingest_landing()
    try:
        weeks = term_weeks(settings().warehouse, DEMO_TERM, DEMO_YEAR)
    except TermNotFound as missing:
        raise LeapError(str(missing)) from None
    built = time.monotonic()
    failed = build_weeks_going_on(weeks)
    click.echo(f"Backfilled {len(weeks)} report week(s) in {time.monotonic() - built:.0f} s.")
    if failed:
        click.echo(
            f"{len(failed)} week(s) failed a blocking quality check (their reports were not published; their "
            f"mart rows were computed and are back-tested): {', '.join(str(w) for w in failed)}."
        )
        click.echo(f"  first reason: {next(iter(failed.values()))}")
    held = held_school_weeks(weeks)
    if held:
        click.echo(
            f"{held[0]} of {held[1]} school-week(s) held back by the quality gate ({held[2]}): their reports were "
            "not published; their mart rows are back-tested."
        )
    run_backtest(weeks[0], weeks[-1], f"term {DEMO_TERM} {DEMO_YEAR}/14, the OULAD October 2013 presentations")
    click.echo(f"OULAD demo done in {time.monotonic() - started:.0f} s.")


def held_school_weeks(weeks: list[date]) -> tuple[int, int, str] | None:
    """(held, all, the checks) of the quality gate's verdicts for the weeks, or None without any."""
    from leap_assets.checks import frames
    from leap_assets.settings import settings
    from leap_assets.warehouse.db import connect

    with connect(settings().warehouse, read_only=True) as con:
        if not frames.table_exists(con, "marts.report_status"):
            return None
        held, total, checks = con.execute(
            "select count(*) filter (where status = 'held'), count(*), string_agg(distinct checks, ', ')"
            " filter (where status = 'held') from marts.report_status where week_start between ? and ?",
            [min(weeks), max(weeks)],
        ).fetchone()
    return (held, total, checks) if held else None


def build_weeks_going_on(weeks: list[date]) -> dict[date, str]:
    """Build every week in chunks like `leap backfill`, but a failed run does not stop the rest: the
    failed weeks are returned with the reason (a blocking check fails after the mart rows are written,
    so the back-test still has them). Once a held week is a successful run, nothing fails here."""
    from tqdm import tqdm

    from leap_assets.settings import settings
    from leap_assets.transform.project import ensure_manifest
    from orchestration.runs.backfill import chunks
    from orchestration.runs.instance import run_job
    from orchestration.runs.resume import MODELS_TAG, models_version

    ensure_manifest()
    tags = {MODELS_TAG: models_version()}
    failed: dict[date, str] = {}
    with tqdm(total=len(weeks), desc="report weeks", unit="week", disable=None) as bar:
        for chunk in chunks(sorted(weeks), settings().backfill_chunk):
            outcome = run_job("weekly_job", week=chunk[0], last_week=chunk[-1], tags=tags)
            if not outcome.success:
                failed.update({week: str(outcome.error) for week in chunk})
            bar.set_postfix_str(chunk[-1].isoformat())
            bar.update(len(chunk))
    return failed
