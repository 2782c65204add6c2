"""`leap governance review --year YYYY` (the governance board's annual review pack) and `leap governance
backtest` (the back-test of the indicator on outcomes), each a Dagster run of its own job."""

import re
from datetime import date

import click

from leap_assets.partitions import weeks_between
from orchestration.cli.common import LeapError, parse_day

YEAR = re.compile(r"(?P<year>\d{4})(?:/(?P<next>\d{2}))?")


@click.group()
def governance() -> None:
    """Governance: the annual review pack and the back-test, for the governance board."""


def academic_year(value: str, today: date) -> int:
    """The first calendar year of an academic year given as 2026 or 2026/27, which must have begun."""

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
    from orchestration.runs.instance import run_job

    chosen = academic_year(year, date.today())
    click.echo(f"Writing the annual review pack for {chosen}/{(chosen + 1) % 100:02d}...")
    outcome = run_job("review_job", run_config={"ops": {"governance_review": {"config": {"year": chosen}}}})
    if not outcome.success:
        raise LeapError(f"the review pack failed in run {outcome.run_id}: {outcome.error}")
    click.echo(f"Annual review pack: {pack_path(settings().publish, chosen)}")


@governance.command()
@click.option("--term", default=None, help="PERIOD_CODE in SITS period.tsv")
@click.option("--year", default=None, help="academic year the term belongs to, e.g. 2026 for 2026/27")
@click.option("--from", "first", default=None, help="first week (YYYY-MM-DD)")
@click.option("--to", "last", default=None, help="last week (YYYY-MM-DD)")
def backtest(term: str | None, year: str | None, first: str | None, last: str | None) -> None:
    """Back-test the indicator on outcomes over a term or a range of weeks (a Dagster run of backtest_job)."""
    from leap_assets.settings import settings
    from orchestration.terms import TermNotFound, term_weeks

    if term or year:
        if not (term and year) or first or last:
            raise LeapError("give either --term and --year together, or --from and --to.")
        try:
            weeks = term_weeks(settings().warehouse, term, year)
        except TermNotFound as missing:
            raise LeapError(str(missing)) from None
        label = f"term {term} {year}"
    elif first and last:
        start, end = parse_day(first, "--from"), parse_day(last, "--to")
        if end < start:
            raise LeapError(f"--to ({end}) is before --from ({start}).")
        weeks, label = weeks_between(start, end), ""
    else:
        raise LeapError("give either --term and --year, or --from and --to.")
    run_backtest(weeks[0], weeks[-1], label)


def run_backtest(first: date, last: date, label: str = "") -> None:
    """Materialise governance_backtest for the weeks from `first` to `last`, then print the path and,
    per week, the red/green ratio and the AUC."""
    import csv

    from leap_assets.governance.backtest_assets import backtest_paths
    from leap_assets.settings import settings
    from orchestration.runs.instance import run_job

    click.echo(f"Back-testing the indicator on outcomes, weeks {first} to {last}...")
    config = {"first_week": first.isoformat(), "last_week": last.isoformat(), "label": label}
    outcome = run_job("backtest_job", run_config={"ops": {"governance_backtest": {"config": config}}})
    if not outcome.success:
        raise LeapError(f"the back-test failed in run {outcome.run_id}: {outcome.error}")
    page, sheet = backtest_paths(settings().publish, first, last)
    click.echo(f"Back-test: {page}")
    click.echo(f"  (and {sheet})")
    with sheet.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            red, green = row["adverse_rate_red"], row["adverse_rate_green"]
            rates = f"red {_pct(red)} vs green {_pct(green)}, red/green {row['red_green_ratio'] or '-'}"
            known = f"{row['known_outcome']} of {row['students']} outcomes known"
            click.echo(f"  week {row['week_start']}: {rates}, AUC {row['auc'] or '-'} ({known})")


def _pct(value: str) -> str:
    return f"{100 * float(value):.0f}%" if value else "-"
