"""Checks of a command's arguments and surroundings, made before any work starts (one sentence each)."""

from datetime import date

import click

from leap_assets.partitions import monday_of
from leap_assets.settings import settings


class LeapError(click.ClickException):
    """A user mistake or an unusable input: one clear sentence, non-zero exit, no traceback."""

    def show(self, file=None) -> None:
        click.echo(f"leap: {self.message}", err=True)


def check_landing() -> None:
    """A landing folder that does not exist is a mistake (a typo in LEAP_LANDING, an unmounted share);
    one that exists and is empty just has nothing new."""
    landing = settings().landing
    if not landing.is_dir():
        raise LeapError(
            f"the landing folder {landing} does not exist: create it and land the source files there, "
            "or point LEAP_LANDING at it."
        )


def check_term(term: str, year: str) -> None:
    """Reject a term that neither the landed period.tsv files nor the warehouse know, before any ingest."""
    from orchestration.terms import TermNotFound, check_term_known

    try:
        check_term_known(settings().landing, settings().warehouse, term, year)
    except TermNotFound as missing:
        raise LeapError(str(missing)) from None


def check_monday(day: date, option: str) -> None:
    if day.weekday() != 0:
        raise LeapError(
            f"{option} must be a report week's Monday; {day} is a {day:%A}, in the week of {monday_of(day)}."
        )


def parse_day(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise LeapError(f"{option} must be a date as YYYY-MM-DD, not {value!r}.") from None
