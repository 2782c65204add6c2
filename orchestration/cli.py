"""`leap`: the command line, a thin layer over the same Dagster jobs the UI runs."""

import os
import sys
import time
from datetime import date, timedelta

import click

from leap_assets.partitions import FIRST_WEEK, last_complete_week, monday_of
from leap_assets.settings import settings
from orchestration import status as status_report
from orchestration.cli_args import LeapError, check_landing, check_monday, check_term
from orchestration.cli_governance import governance
from orchestration.cli_help import EPILOG
from orchestration.terms import TermNotFound, term_weeks

DEMO = {"students": 2000, "weeks": 10, "start": date(2026, 9, 14), "seed": 2026}


def parse_day(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise LeapError(f"{option} must be a date as YYYY-MM-DD, not {value!r}.") from None


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
    _generate(students, weeks, parse_day(start, "--start"), seed, landing, calendar, not no_reading_week)


def _generate(students: int, weeks: int, start: date, seed: int, landing: str | None, calendar: str | None = None,
              reading_week: bool = True) -> None:  # fmt: skip
    from pathlib import Path

    from tqdm import tqdm

    from leap_assets.quality.calendar import CalendarError, load_calendar
    from leap_assets.synthetic import generate as generate_university
    from leap_assets.synthetic.reading_week import announce

    if start.weekday() != 0:
        raise LeapError(f"--start must be a Monday; {start} is a {start:%A}.")
    target = Path(landing).resolve() if landing else settings().landing
    if calendar:  # a broken calendar file stops the command before the term is written
        try:
            load_calendar(Path(calendar), named=False)
        except CalendarError as error:
            raise LeapError(f"{error}.") from None
    with tqdm(total=0, desc="generating", unit="step", disable=None) as bar:

        def progress(done: int, total: int) -> None:
            bar.total = total
            bar.n = done
            bar.refresh()

        summary = generate_university(target, students=students, weeks=weeks, start=start, seed=seed, progress=progress,
                                      reading_week=reading_week)  # fmt: skip
    click.echo(
        f"Generated {students} students over {weeks} weeks into {target}: "
        f"{summary.files_written} files, {summary.bytes_written / 1e6:.1f} MB in {summary.seconds:.1f} s "
        f"(term {summary.period_code} {summary.academic_year})."
    )
    try:
        note = announce(summary.reading_week, summary.reading_week_seats_rows, Path(calendar) if calendar else None)
    except CalendarError as error:
        raise LeapError(f"{error}.") from None
    if note:
        click.echo(note)


@main.command()
def ingest() -> None:
    """Load everything new in the landing zone (a Dagster run of ingest_job)."""
    check_landing()
    _ingest()


def _ingest() -> None:
    from orchestration import quick_ingest
    from orchestration.cli_privacy import check_secret

    check_secret()
    # Nothing new since the last ingest: say so, without starting Dagster or dbt.
    quick = quick_ingest.check(settings())
    if quick.nothing_new:
        click.echo("Nothing new to ingest: the landing zone, requests and settings are as the last ingest left them.")
    else:
        _ingest_run(quick.fingerprint)
    if quick.notes_due or not quick.nothing_new:
        from leap_assets.ingestion.assets import registry_notes

        for note in registry_notes(settings().landing, settings().timezone):
            click.echo(note)


def _ingest_run(fingerprint: str) -> None:
    from orchestration import quick_ingest
    from orchestration.cli_privacy import privacy_metadata, republish
    from orchestration.instance import run_job

    click.echo("Ingesting the landing zone...")
    quick_ingest.forget(settings())
    outcome = run_job("ingest_job")
    if not outcome.success:
        raise LeapError(f"ingestion failed in run {outcome.run_id}: {outcome.error}")
    click.echo(status_report.ingest_summary())
    republish(privacy_metadata(outcome.run_id))  # an erasure among the new requests
    quick_ingest.remember(settings(), fingerprint)


@main.command()
@click.option("--week", default=None, help="week_start (a Monday); default: the last complete week")
def run(week: str | None) -> None:
    """Ingest, then build and publish one report week."""
    chosen = parse_day(week, "--week") if week else last_complete_week(date.today())
    _check_weeks([chosen])
    check_landing()
    _check_gate_settings()
    _ingest()
    _build_weeks([chosen])


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
        _check_gate_settings()
        _ingest()
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
        weeks = weeks_in(start, end)
        _check_weeks(weeks)
        check_landing()
        _check_gate_settings()
        _ingest()
    else:
        raise LeapError("give either --term and --year, or --from and --to.")
    _build_weeks(weeks, resume=not rebuild)


def weeks_in(start: date, end: date) -> list[date]:
    first = monday_of(start)
    return [first + timedelta(days=7 * i) for i in range((monday_of(end) - first).days // 7 + 1)]


def _build_weeks(weeks: list[date], resume: bool = False) -> int:
    """Oldest first, a line per week built; the first failing week stops the rest and says why.
    Returns how many weeks it built.

    With `resume`, weeks already built from the current data and models are skipped (orchestration/resume.py).
    """
    from orchestration.backfill import WeekFailed, build_weeks
    from orchestration.resume import already_built

    _check_weeks(weeks)
    _check_gate_settings()
    if not status_report.complete_extract_loaded():
        raise LeapError(
            "No complete SITS extract has been loaded: land one in landing/sits/<YYYY-MM-DD>/ (student, course, "
            "studentcoursemembership, module, moduleinstance and studentmoduleinstance) and run again; "
            "`leap status` lists the extracts."
        )
    if resume:
        done = {built.week for built in already_built(weeks)}
        if done:
            shown = ", ".join(str(week) for week in sorted(done))
            click.echo(f"Resuming: {len(done)} of {len(weeks)} week(s) already built from the current data: {shown}.")
            click.echo("(`leap backfill --rebuild` builds them again.)")
        weeks = [week for week in weeks if week not in done]
        if not weeks:
            click.echo("Nothing left to build.")
            return 0
    started = time.monotonic()
    done = []

    def progress(week: date) -> None:
        # One plain line per week, terminal or not (a log, a CI job): a bar shows nothing there.
        done.append(week)
        click.echo(f"Week {week} built ({len(done)} of {len(weeks)}, {time.monotonic() - started:.0f} s).")

    click.echo(f"Building {len(weeks)} report week(s), oldest first...")
    try:
        build_weeks(weeks, progress=progress)
    except WeekFailed as failure:
        raise LeapError(f"{failure}.") from None
    click.echo(f"Built {len(weeks)} report week(s) in {time.monotonic() - started:.0f} s.")
    for line in status_report.held_lines(weeks):
        click.echo(line)
    return len(weeks)


def _check_gate_settings() -> None:
    """The board's quality settings and the academic calendar, validated before any work starts."""
    from leap_assets.quality.calendar import CalendarError, load_calendar
    from leap_assets.quality.settings import QualitySettingsError, load_quality_settings

    try:
        load_quality_settings()
        load_calendar()
    except (QualitySettingsError, CalendarError) as error:
        raise LeapError(f"{error}.") from None


def _check_weeks(weeks: list[date]) -> None:
    complete = last_complete_week(date.today())
    for week in weeks:
        if week.weekday() != 0:
            raise LeapError(
                f"a report week starts on a Monday; {week} is a {week:%A}, in the week of {monday_of(week)}."
            )
        if week < date.fromisoformat(FIRST_WEEK):
            raise LeapError(
                f"week {week} is before the first reportable week {FIRST_WEEK} (the first landed term's Monday, "
                "or LEAP_FIRST_WEEK when set)."
            )
        if week > complete:
            raise LeapError(f"week {week} has not ended yet; the last complete week is {complete}.")


@main.command()
def status() -> None:
    """Freshness of each source, the last run of each week, quarantined rows and ignored files."""
    click.echo(status_report.full_status())


@main.command()
@click.option("--oulad", default=None, type=click.Path(), help="the OULAD folder: the real-data demo instead")
def demo(oulad: str | None) -> None:
    """Generate the demo university, ingest it, backfill its whole term, summarise and back-test it."""
    from orchestration.cli_governance import run_backtest

    if oulad:
        from pathlib import Path

        from orchestration.cli_oulad import oulad_demo

        oulad_demo(Path(oulad))
        return
    from leap_assets.governance.backtest_assets import backtest_paths
    from orchestration import demo_state
    from orchestration.cli_demo import ending, land_feedback

    if demo_state.already_generated(DEMO):
        click.echo(f"The demo university is already in {settings().landing}: not generated again.")
    else:
        _generate(DEMO["students"], DEMO["weeks"], DEMO["start"], DEMO["seed"], None)
        demo_state.record_generated(DEMO)
    _ingest()
    first = DEMO["start"]
    weeks = [first + timedelta(days=7 * i) for i in range(DEMO["weeks"])]
    built = _build_weeks(weeks[:-1], resume=True)
    # Before the last week: a school returns its report with a contact, and a student opts out.
    feedback = land_feedback(weeks[-2], weeks[-1])
    if feedback and feedback.new:
        click.echo(
            f"Landed a returned report of the week of {feedback.week} (one contact) and one opt-out request; "
            "ingesting them before the last week."
        )
        _ingest()
    built += _build_weeks(weeks[-1:], resume=True)
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
    from orchestration.instance import dagster_home

    ensure_manifest()
    click.echo(f"dbt manifest ready; DAGSTER_HOME={dagster_home()}")


from orchestration.cli_privacy import privacy  # noqa: E402 (the group's commands import this module lazily)

main.add_command(privacy)

main.add_command(governance)

from orchestration.cli_purge import purge  # noqa: E402 (its command imports this module lazily)

main.add_command(purge)

from orchestration.cli_oulad import import_group  # noqa: E402 (its commands import this module lazily)

main.add_command(import_group)

from orchestration.cli_quality import quality  # noqa: E402 (its command imports this module lazily)

main.add_command(quality)

if __name__ == "__main__":
    sys.exit(main())
