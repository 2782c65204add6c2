"""The steps the commands share: generate a term, ingest the landing zone, build report weeks, and
re-publish what a privacy request needs. Each stops with one sentence (LeapError) when it cannot go on.

Dagster, dbt and Great Expectations are imported inside the steps that run them, so `leap -h`, a
mistyped argument or a no-op ingest answer in well under a second.
"""

import time
from datetime import date

import click

from leap_assets.partitions import last_complete_week, monday_of, partitions_start
from leap_assets.settings import settings
from orchestration.cli.common import LeapError
from orchestration.runs import status as status_report


def generate_term(students: int, weeks: int, start: date, seed: int, landing: str | None, calendar: str | None = None,
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


def ingest_landing() -> None:
    """Ingest what is new in the landing zone (a Dagster run of ingest_job); nothing new: one line, no run."""
    from orchestration import quick_ingest

    check_secret()
    # Nothing new since the last ingest: say so, without starting Dagster or dbt.
    quick = quick_ingest.check(settings())
    if quick.nothing_new:
        click.echo("Nothing new to ingest: the landing zone, requests and settings are as the last ingest left them.")
    else:
        ingest_run(quick.fingerprint)
    if quick.notes_due or not quick.nothing_new:
        from leap_assets.ingestion.assets import registry_notes

        for note in registry_notes(settings().landing, settings().timezone):
            click.echo(note)


def ingest_run(fingerprint: str) -> None:
    from orchestration import quick_ingest
    from orchestration.runs.instance import run_job

    click.echo("Ingesting the landing zone...")
    quick_ingest.forget(settings())
    outcome = run_job("ingest_job")
    if not outcome.success:
        raise LeapError(f"ingestion failed in run {outcome.run_id}: {outcome.error}")
    click.echo(status_report.ingest_summary())
    republish(privacy_metadata(outcome.run_id))  # an erasure among the new requests
    quick_ingest.remember(settings(), fingerprint)


def build_report_weeks(weeks: list[date], resume: bool = False) -> int:
    """Oldest first, a line per week built; the first failing week stops the rest and says why.
    Returns how many weeks it built.

    With `resume`, weeks already built from the current data and models are skipped (orchestration/runs/resume.py).
    """
    from orchestration.runs.backfill import WeekFailed, build_weeks
    from orchestration.runs.resume import already_built

    check_weeks(weeks)
    check_gate_settings()
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


def check_gate_settings() -> None:
    """The board's quality settings and the academic calendar, validated before any work starts."""
    from leap_assets.quality.calendar import CalendarError, load_calendar
    from leap_assets.quality.settings import QualitySettingsError, load_quality_settings

    try:
        load_quality_settings()
        load_calendar()
    except (QualitySettingsError, CalendarError) as error:
        raise LeapError(f"{error}.") from None


def check_weeks(weeks: list[date]) -> None:
    complete = last_complete_week(date.today())
    for week in weeks:
        if week.weekday() != 0:
            raise LeapError(
                f"a report week starts on a Monday; {week} is a {week:%A}, in the week of {monday_of(week)}."
            )
        if week < date.fromisoformat(partitions_start()):
            raise LeapError(
                f"week {week} is before the first reportable week {partitions_start()} "
                "(the first landed term's Monday, or LEAP_FIRST_WEEK when set)."
            )
        if week > complete:
            raise LeapError(f"week {week} has not ended yet; the last complete week is {complete}.")


def check_secret() -> None:
    """Stop with one sentence when the privacy secret exists but is empty, short or unreadable."""
    from leap_assets.privacy.keys import SecretError
    from leap_assets.privacy.keys import check_secret as check

    try:
        check()
    except SecretError as error:
        raise LeapError(f"{error}.") from None


def privacy_metadata(run_id: str) -> dict:
    """The metadata of the `privacy` materialization made by this run ({} if it made none)."""
    from orchestration.runs.instance import materialization_metadata

    return materialization_metadata("privacy", run_id)


def privacy_summary(metadata: dict) -> str:
    done = metadata.get("done_by_type") or {}
    parts = [f"{count} {kind}" for kind, count in sorted(done.items())] or ["none"]
    lines = [f"Requests carried out: {', '.join(parts)}; refused: {metadata.get('requests_refused', 0)}."]
    if metadata.get("rows_not_requests"):
        lines.append(f"{metadata['rows_not_requests']} row(s) of requests.csv are not requests (see quarantine.rows).")
    for path in metadata.get("erasure_certificates") or []:
        lines.append(f"Erasure certificate: {path}")
    return "\n".join(lines)


def republish(metadata: dict) -> None:
    """Rebuild and re-publish the weeks whose published files still hold an erased student."""
    weeks = [date.fromisoformat(week) for week in metadata.get("weeks_to_republish") or []]
    if weeks:
        click.echo(f"Re-publishing {len(weeks)} report week(s) without the erased student(s)...")
        build_report_weeks(weeks)
