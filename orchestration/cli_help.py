"""What `leap -h` shows after the commands: examples, and the environment it reads."""

from orchestration.instance import UI_URL

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
  LEAP_LANDING         the landing zone the sources deliver into [./landing]
  LEAP_WAREHOUSE       the DuckDB warehouse [./.leap/warehouse.duckdb]
  LEAP_PUBLISH         published reports [./publish]
  DAGSTER_HOME         the Dagster instance [./.leap/dagster]
  LEAP_TIMEZONE        the local calendar of every day [Europe/London]
  LEAP_FIRST_WEEK      the first buildable week [the first term in landed SITS period.tsv]
  LEAP_BACKFILL_CHUNK  consecutive weeks per backfill run [4]
  LEAP_LOCK_WAIT       seconds to wait for the warehouse file [1800 for leap]
  LEAP_ALERT_WEBHOOK   a URL that receives every alert as JSON [unset]
  LEAP_ACCESS_FILE     staff access grants [config/access.yml]
  LEAP_SOURCES_FILE    the source registry [config/sources.yml]
  LEAP_QUALITY_FILE    the board's data-quality settings [config/quality.yml]
  LEAP_CALENDAR_FILE   the academic calendar [config/calendar.yml]
  LEAP_RETENTION_FILE  retention periods [config/retention.yml]
  LEAP_PRIVACY_DIR     the secret key and erasure list [privacy/ beside the warehouse]
  LEAP_RETURN_MAX_MB   the largest returned workbook read [20]
  LEAP_PUBLISH_GROUP   a group that may read the publish folder [unset]

\b
The runs LEAP starts show in the Dagster UI: `make dev`, then {UI_URL}.
"""
