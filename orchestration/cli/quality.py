"""`leap quality release`: a named person publishes the held school reports of a week, through Dagster."""

import difflib
from datetime import date

import click

from orchestration.cli.common import LeapError, parse_day


@click.group()
def quality() -> None:
    """The quality gate: release a school report it held back."""


@quality.command()
@click.option("--week", required=True, help="week_start (a Monday) of the held report week")
@click.option("--school", default=None, help="the school to release (default: every school held that week)")
@click.option("--by", "by", required=True, help="the name of the person releasing it (recorded)")
@click.option("--reason", required=True, help="why the report may be used despite the failed check (recorded)")
def release(week: str, school: str | None, by: str, reason: str) -> None:
    """Publish held school reports of a week, recording who released them, when and why."""
    from leap_assets.checks.gate import week_status
    from leap_assets.published import report_path
    from leap_assets.settings import settings
    from leap_assets.warehouse.db import connect
    from orchestration.runs.instance import run_job

    chosen = parse_day(week, "--week")
    if chosen.weekday() != 0:
        raise LeapError(f"a report week starts on a Monday; {chosen} is a {chosen:%A}.")
    if not by.strip() or not reason.strip():
        raise LeapError("a release needs the name of who releases it (--by) and a reason (--reason).")
    statuses = _statuses(chosen, week_status, connect, settings().warehouse)
    if not statuses:
        raise LeapError(f"the week of {chosen} has not been through the quality gate: build it first (leap run --week "
                        f"{chosen}).")  # fmt: skip
    held = sorted(s.school for s in statuses if s.status == "held")
    if not held:
        raise LeapError(f"no school report of the week of {chosen} is held back.")
    if school is not None and school not in held:
        close = difflib.get_close_matches(school, held, n=1)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        raise LeapError(f"{school!r} is not held in the week of {chosen} (held: {', '.join(held)}).{hint}")
    config = {"by": by.strip(), "reason": reason.strip(), "schools": [school] if school else []}
    outcome = run_job("release_job", week=chosen, run_config={"ops": {"quality_release": {"config": config}}})
    if not outcome.success:
        raise LeapError(f"the release failed in run {outcome.run_id}: {outcome.error}")
    after = {s.school: s.status for s in _statuses(chosen, week_status, connect, settings().warehouse)}
    for name in [school] if school else held:
        state = after.get(name, "gone")
        if state == "released":
            click.echo(f"Released {name} for the week of {chosen}: its report is published.")
        else:
            click.echo(f"{name} is {state}: the data changed since it was held, so the gate judged it again.")
    click.echo(f"Governance report: {report_path(settings().publish, chosen)}")


def _statuses(week: date, week_status, connect, warehouse):
    if not warehouse.exists():
        return []
    with connect(warehouse, read_only=True) as con:
        return week_status(con, week)
