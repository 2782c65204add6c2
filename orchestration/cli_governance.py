"""`leap governance review --year YYYY`: the governance board's annual review pack, through Dagster."""

import re
from datetime import date

import click

YEAR = re.compile(r"(?P<year>\d{4})(?:/(?P<next>\d{2}))?")


@click.group()
def governance() -> None:
    """Governance: the annual review pack for the governance board."""


def academic_year(value: str, today: date) -> int:
    """The first calendar year of an academic year given as 2026 or 2026/27, which must have begun."""
    from orchestration.cli import LeapError

    match = YEAR.fullmatch(value.strip())
    year = int(match["year"]) if match else None
    if year is None or (match["next"] and int(match["next"]) != (year + 1) % 100):
        raise LeapError(f"--year must be an academic year as YYYY (2026 for 2026/27), not {value!r}.")
    if date(year, 8, 1) > today:
        raise LeapError(
            f"the academic year {year}/{(year + 1) % 100:02d} has not begun yet (it starts on {year}-08-01)."
        )
    return year


@governance.command()
@click.option("--year", required=True, help="academic year: 2026 (or 2026/27) covers 1 Aug 2026 to 31 Jul 2027")
def review(year: str) -> None:
    """Write the annual review pack for one academic year (a Dagster run of review_job)."""
    from leap_assets.governance.review import pack_path
    from leap_assets.settings import settings
    from orchestration.cli import LeapError
    from orchestration.instance import run_job

    chosen = academic_year(year, date.today())
    click.echo(f"Writing the annual review pack for {chosen}/{(chosen + 1) % 100:02d}...")
    outcome = run_job("review_job", run_config={"ops": {"governance_review": {"config": {"year": chosen}}}})
    if not outcome.success:
        raise LeapError(f"the review pack failed in run {outcome.run_id}: {outcome.error}")
    click.echo(f"Annual review pack: {pack_path(settings().publish, chosen)}")
