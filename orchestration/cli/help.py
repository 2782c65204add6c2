"""What `leap -h` shows after the commands: examples, and the environment it reads."""

from leap_assets.settings import VARIABLES
from orchestration.runs.instance import UI_URL

ENVIRONMENT = "\n".join(f"  {name:<20} {what} [{default}]" for name, (default, what) in VARIABLES.items())

# Paragraphs after "\b" are printed as written (click rewraps the others).
EPILOG = f"""\b
Examples:
  leap demo                                  the demo university: generate, ingest, every week, publish
  leap generate --students 500 --weeks 12    a synthetic term in the landing zone
  leap ingest                                load everything new in the landing zone
  leap backfill --term AUT --year 2026       every report week of a term, oldest first
  leap backfill --from 2026-09-14 --to 2026-10-05
  leap run --week 2026-10-12                 ingest, then build and publish one week
  leap status                                freshness, runs per week, failing checks
  leap view --staff S001 --week 2026-10-12   what one staff member may see
  leap COMMAND -h                            the options of one command

\b
Environment (default in brackets):
{ENVIRONMENT}
\b
The runs LEAP starts show in the Dagster UI: `make dev`, then {UI_URL}.
"""
