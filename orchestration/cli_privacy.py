"""`leap privacy process`: privacy requests through Dagster, then the re-publication they need."""

from datetime import date

import click


@click.group()
def privacy() -> None:
    """Privacy rights: process the requests in landing/privacy/requests.csv."""


@privacy.command()
def process() -> None:
    """Process new privacy requests (a Dagster run of privacy_job), then re-publish affected weeks."""
    from orchestration.cli import LeapError
    from orchestration.instance import run_job

    check_secret()
    click.echo("Processing privacy requests...")
    outcome = run_job("privacy_job")
    if not outcome.success:
        raise LeapError(f"privacy processing failed in run {outcome.run_id}: {outcome.error}")
    metadata = privacy_metadata(outcome.run_id)
    click.echo(summary(metadata))
    republish(metadata)


def check_secret() -> None:
    """Stop with one sentence when the privacy secret exists but is empty, short or unreadable."""
    from leap_assets.privacy.keys import SecretError
    from leap_assets.privacy.keys import check_secret as check
    from orchestration.cli import LeapError

    try:
        check()
    except SecretError as error:
        raise LeapError(f"{error}.") from None


def privacy_metadata(run_id: str) -> dict:
    """The metadata of the `privacy` materialization made by this run ({} if it made none)."""
    from orchestration.instance import materialization_metadata

    return materialization_metadata("privacy", run_id)


def summary(metadata: dict) -> str:
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
    from orchestration.cli import _build_weeks

    weeks = [date.fromisoformat(week) for week in metadata.get("weeks_to_republish") or []]
    if weeks:
        click.echo(f"Re-publishing {len(weeks)} report week(s) without the erased student(s)...")
        _build_weeks(weeks)
