"""`leap privacy process`: privacy requests through Dagster, then the re-publication they need."""

import click

from orchestration.cli.common import LeapError
from orchestration.cli.steps import check_secret, privacy_metadata, privacy_summary, republish


@click.group()
def privacy() -> None:
    """Privacy rights: process the requests in landing/privacy/requests.csv."""


@privacy.command()
def process() -> None:
    """Process new privacy requests (a Dagster run of privacy_job), then re-publish affected weeks."""
    from orchestration.runs.instance import run_job

    check_secret()
    click.echo("Processing privacy requests...")
    outcome = run_job("privacy_job")
    if not outcome.success:
        raise LeapError(f"privacy processing failed in run {outcome.run_id}: {outcome.error}")
    metadata = privacy_metadata(outcome.run_id)
    click.echo(privacy_summary(metadata))
    republish(metadata)
