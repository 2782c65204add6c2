"""`leap purge`: apply retention (a Dagster run of purge_job) and say, in counts, what went."""

from datetime import date

import click

from leap_assets.governance.retention import Held
from orchestration.cli.common import LeapError


@click.command()
@click.option("--check", "check_only", is_flag=True, help="only list what is held beyond its period; remove nothing")
def purge(check_only: bool) -> None:
    """Apply retention: remove what has outlived its period (config/retention.yml) from every layer."""
    from orchestration.runs.instance import run_job

    retention = _retention(LeapError)
    if check_only:
        held, today = _overdue(retention)
        click.echo(f"Held beyond its retention period on {today}:\n{_lines(held)}" if held else _NOTHING_HELD)
        if held:
            raise LeapError(f"{len(held)} target(s) hold data beyond their retention period; `leap purge` removes it.")
        return
    click.echo(f"Applying retention ({retention.source})...")
    outcome = run_job("purge_job")
    if not outcome.success:
        raise LeapError(f"the purge failed in run {outcome.run_id}: {outcome.error}")
    metadata = _metadata(outcome.run_id)
    removed = [Held(**_typed(entry)) for entry in metadata.get("removed") or []]
    click.echo(f"Removed, applying retention for {metadata.get('today', 'today')}:")
    click.echo(_lines(removed) or "  nothing was over its retention period.")
    held, today = _overdue(retention)
    if held:
        click.echo(f"Still held beyond its retention period on {today}:\n{_lines(held)}")
        raise LeapError(
            f"{len(held)} target(s) still hold data beyond their retention period after run {outcome.run_id}."
        )
    click.echo(_NOTHING_HELD)


_NOTHING_HELD = "Nothing is held beyond its retention period."


def _retention(error_type):
    from leap_assets.governance.retention_config import RetentionConfigError, load_retention

    try:
        return load_retention()
    except RetentionConfigError as error:
        raise error_type(f"{error}.") from None


def _overdue(retention) -> tuple[list[Held], date]:
    from leap_assets.governance import retention_rules
    from leap_assets.governance.retention import overdue
    from leap_assets.settings import settings

    paths = settings()
    today = retention_rules.local_today(paths.timezone)
    return overdue(paths.warehouse, paths.landing, paths.publish, today, retention, paths.timezone), today


def _metadata(run_id: str) -> dict:
    from orchestration.runs.instance import materialization_metadata

    return materialization_metadata("retention_purge", run_id)


def _typed(entry: dict) -> dict:
    return {k: date.fromisoformat(v) if k in ("cutoff", "oldest") else v for k, v in entry.items()}


def _lines(found: list[Held]) -> str:
    """One line per target: counts and the cutoff only, never a value."""
    lines = []
    for held in found:
        counts = [f"{held.rows:,} row(s)" if held.rows else "", f"{held.files:,} file(s)" if held.files else ""]
        what = " and ".join(c for c in counts if c)
        lines.append(f"  {held.layer:<10} {held.target:<36} {what} from before {held.cutoff}")
    return "\n".join(lines)
