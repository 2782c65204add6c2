"""`leap`: the command line, a thin layer over the same Dagster jobs the UI runs."""

import os
from datetime import date, timedelta

import click

from leap_assets.partitions import last_complete_week, monday_of, weeks_between
from leap_assets.settings import settings
from orchestration.cli.common import LeapError, check_landing, check_monday, check_term, parse_day
from orchestration.cli.governance import governance
from orchestration.cli.help import EPILOG
from orchestration.cli.oulad import import_group
from orchestration.cli.privacy import privacy
from orchestration.cli.purge import purge
from orchestration.cli.quality import quality
from orchestration.cli.steps import (
    build_report_weeks,
    check_gate_settings,
    check_weeks,
    generate_term,
    ingest_landing,
)
from orchestration.runs import status as status_report
from orchestration.terms import TermNotFound, term_weeks

DEMO = {"students": 2000, "weeks": 10, "start": date(2026, 9, 14), "seed": 2026}


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 110}, epilog=EPILOG)
@click.version_option(package_name="leap", prog_name="leap", message="%(prog)s %(version)s")
def main() -> None:
    """LEAP: weekly student engagement from SITS, SEAtS and Moodle."""
    # Between its runs the CLI reads the warehouse; another process's run may hold it for minutes.
    os.environ.setdefault("LEAP_LOCK_WAIT", "1800")


@main.command()
@click.option("--students", type=click.IntRange(min=10), default=2000, show_default=True)
@click.option("--weeks", type=click.IntRange(min=1, max=52), default=10, show_default=True)
@click.option("--start", default=DEMO["start"].isoformat(), show_default=True, help="first Monday of the term")
@click.option("--seed", type=int, default=DEMO["seed"], show_default=True)
@click.option("--landing", type=click.Path(file_okay=False), default=None, help="default: LEAP_LANDING")
@click.option("--calendar", type=click.Path(dir_okay=False), default=None,
              help="list the term's reading week in this calendar file (created, or merged into)")  # fmt: skip
@click.option("--no-reading-week", is_flag=True, help="every department teaches every week")
def generate(students: int, weeks: int, start: str, seed: int, landing: str | None, calendar: str | None,
             no_reading_week: bool) -> None:  # fmt: skip
    """Write a synthetic, seeded university into the landing zone, in the source formats."""
    generate_term(students, weeks, parse_day(start, "--start"), seed, landing, calendar, not no_reading_week)


@main.command()
def ingest() -> None:
    """Load everything new in the landing zone (a Dagster run of ingest_job)."""
    check_landing()
    ingest_landing()


@main.command()
@click.option("--week", default=None, help="week_start (a Monday); default: the last complete week")
def run(week: str | None) -> None:
    """Ingest, then build and publish one report week."""
    chosen = parse_day(week, "--week") if week else last_complete_week(date.today())
    check_weeks([chosen])
    check_landing()
    check_gate_settings()
    ingest_landing()
    build_report_weeks([chosen])


@main.command()
@click.option("--term", default=None, help="PERIOD_CODE in SITS period.tsv")
@click.option("--year", default=None, help="academic year the term belongs to, e.g. 2026 for 2026/27")
@click.option("--from", "first", default=None, help="first week (YYYY-MM-DD)")
@click.option("--to", "last", default=None, help="last week (YYYY-MM-DD)")
@click.option("--rebuild", is_flag=True, help="build every week again, even those already built from the same data")
def backfill(term: str | None, year: str | None, first: str | None, last: str | None, rebuild: bool) -> None:
    """Build every report week of a term or a date range, oldest first; a re-run resumes."""
    if term or year:
        if not (term and year) or first or last:
            raise LeapError("give either --term and --year together, or --from and --to.")
        check_landing()
        check_term(term, year)
        check_gate_settings()
        ingest_landing()
        try:
            weeks = term_weeks(settings().warehouse, term, year)
        except TermNotFound as missing:
            raise LeapError(str(missing)) from None
    elif first and last:
        start, end = parse_day(first, "--from"), parse_day(last, "--to")
        check_monday(start, "--from")
        check_monday(end, "--to")
        if end < start:
            raise LeapError(f"--to ({end}) is before --from ({start}).")
        weeks = weeks_between(start, end)
        check_weeks(weeks)
        check_landing()
        check_gate_settings()
        ingest_landing()
    else:
        raise LeapError("give either --term and --year, or --from and --to.")
    build_report_weeks(weeks, resume=not rebuild)


@main.command()
def status() -> None:
    """Freshness of each source, the last run of each week, quarantined rows and ignored files."""
    click.echo(status_report.full_status())


@main.command()
@click.option("--oulad", default=None, type=click.Path(), help="the OULAD folder: the real-data demo instead")
def demo(oulad: str | None) -> None:
    """Generate the demo university, ingest it, backfill its whole term, summarise and back-test it."""
    from orchestration.cli.governance import run_backtest

    if oulad:
        from pathlib import Path

        from orchestration.cli.oulad import oulad_demo

        oulad_demo(Path(oulad))
        return
    from leap_assets.governance.backtest_assets import backtest_paths
    from orchestration import demo_state
    from orchestration.cli.demo import ending, land_feedback

    if demo_state.already_generated(DEMO):
        click.echo(f"The demo university is already in {settings().landing}: not generated again.")
    else:
        generate_term(DEMO["students"], DEMO["weeks"], DEMO["start"], DEMO["seed"], None)
        demo_state.record_generated(DEMO)
    ingest_landing()
    first = DEMO["start"]
    weeks = [first + timedelta(days=7 * i) for i in range(DEMO["weeks"])]
    built = build_report_weeks(weeks[:-1], resume=True)
    # Before the last week: a school returns its report with a contact, and a student opts out.
    feedback = land_feedback(weeks[-2], weeks[-1])
    if feedback and feedback.new:
        click.echo(
            f"Landed a returned report of the week of {feedback.week} (one contact) and one opt-out request; "
            "ingesting them before the last week."
        )
        ingest_landing()
    built += build_report_weeks(weeks[-1:], resume=True)
    page, sheet = backtest_paths(settings().publish, weeks[0], weeks[-1])
    if not built and demo_state.backtest_is_current(page, sheet, weeks):
        click.echo(f"Back-test: {page} (up to date: no week was built since it ran)")
    else:
        run_backtest(weeks[0], weeks[-1], f"the demo term, {weeks[0]} to {weeks[-1]}")
    click.echo(status_report.demo_summary(weeks[-1]))
    click.echo(ending(weeks[-1], feedback))


@main.command()
@click.option("--staff", required=True, help="staff id (SITS STAFF_ID)")
@click.option("--week", required=True, help="week_start (a Monday) of a built report week")
def view(staff: str, week: str) -> None:
    """Write the report one staff member may see for one week, and log the access."""
    from leap_assets.reporting.access import AccessFileError, access_file, load_grants
    from leap_assets.reporting.views import ViewError, write_view

    chosen = parse_day(week, "--week")
    if chosen.weekday() != 0:
        raise LeapError(
            f"a report week starts on a Monday; {chosen} is a {chosen:%A}, in the week of {monday_of(chosen)}."
        )
    try:
        path, named = access_file()
        result = write_view(settings().warehouse, settings().publish, staff, chosen, load_grants(path, named))
    except (AccessFileError, ViewError) as error:
        raise LeapError(f"{error}.") from None
    click.echo(f"View of staff {staff} ({result.role}), week {chosen}: {result.students} student(s): {result.files[0]}")
    if result.held:
        click.echo(
            f"Left out: the students of {', '.join(result.held)}, whose report for this week the quality gate "
            f"holds back until the data is fixed or the report is released."
        )


@main.command(hidden=True)
def prepare() -> None:
    """Parse the dbt project if its manifest is stale, and create the Dagster instance folder."""
    from leap_assets.transform.project import ensure_manifest
    from orchestration.runs.instance import dagster_home

    ensure_manifest()
    click.echo(f"dbt manifest ready; DAGSTER_HOME={dagster_home()}")


for group in (privacy, governance, purge, import_group, quality):
    main.add_command(group)
