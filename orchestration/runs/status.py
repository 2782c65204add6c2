"""What `leap status`, `leap ingest` and `leap demo` print: counts and dates, never personal data."""

from datetime import date, timedelta

from leap_assets.ingestion.layout import ignored_files
from leap_assets.settings import settings
from leap_assets.warehouse.db import connect


def _table_exists(con, schema: str, table: str) -> bool:
    return bool(
        con.execute(
            "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
            [schema, table],
        ).fetchone()[0]
    )


def ingest_summary() -> str:
    """Per source: files, rejected files, rows loaded and quarantined, newest data date."""
    with connect(settings().warehouse, read_only=True) as con:
        rows = con.execute(
            """
            select source, count(*), count(*) filter (where status = 'rejected'),
                   sum(rows_loaded), sum(rows_quarantined), sum(rows_filtered), max(newest_data_date),
                   max(landed_at)
            from meta.landed_files group by source order by source
            """
        ).fetchall()
    if not rows:
        return "No files landed yet."
    lines = [
        f"{'source':<8} {'files':>6} {'rejected':>8} {'rows loaded':>12} {'quarantined':>11} "
        f"{'not learning':>12}  newest data  last landed"
    ]
    for source, files, rejected, loaded, quarantined, filtered, newest, landed in rows:
        lines.append(
            f"{source:<8} {files:>6} {rejected:>8} {loaded:>12,} {quarantined:>11,} {filtered:>12,}"
            f"  {newest or '-'!s:<11}  {landed:%Y-%m-%d %H:%M}"
        )
    return "\n".join(lines)


def sits_extracts() -> str:
    with connect(settings().warehouse, read_only=True) as con:
        rows = con.execute(
            "select extract_date, is_complete, missing_files, rejected_files from raw.sits_extracts"
            " order by extract_date"
        ).fetchall()
    if not rows:
        return "SITS extracts: none."
    lines = ["SITS extracts:"]
    for extract, complete, missing, rejected in rows:
        note = "complete" if complete else f"INCOMPLETE (missing: {missing or '-'}; rejected: {rejected or '-'})"
        lines.append(f"  {extract}  {note}")
    return "\n".join(lines)


def built_weeks() -> list[date]:
    """The report weeks whose mart rows exist: the weeks actually built."""
    with connect(settings().warehouse, read_only=True) as con:
        if not _table_exists(con, "marts", "engagement_weekly"):
            return []
        rows = con.execute("select distinct week_start from marts.engagement_weekly order by 1").fetchall()
    return [row[0] for row in rows]


def week_runs() -> str:
    """Every built week: its last run, and why it needs attention (a failed run, held school reports)."""
    from dagster import DagsterRunStatus, RunsFilter

    from leap_assets.checks.gate import week_status
    from orchestration.runs.instance import instance

    weeks = built_weeks()
    if not weeks:
        return "Report weeks: none built yet."
    runs = instance().get_runs(filters=RunsFilter(job_name="weekly_job"), limit=500)
    last: dict[str, tuple] = {}
    for run in runs:  # newest first
        for week in run_weeks(run.tags):
            last.setdefault(week, (run.status, run.run_id))
    lines = ["Report weeks built (last run):"]
    with connect(settings().warehouse, read_only=True) as con:
        for week in weeks:
            run_status, run_id = last.get(week.isoformat(), (None, ""))
            held = [s.school for s in week_status(con, week) if s.status == "held"]
            released = [s.school for s in week_status(con, week) if s.status == "released"]
            why = []
            if run_status is not None and run_status != DagsterRunStatus.SUCCESS:
                why.append(f"its last run {run_status.value.lower()}")
            if held:
                why.append(f"held back: {', '.join(held)}")
            note = f"  <- needs attention: {'; '.join(why)}" if why else ""
            if released:
                note += f"  (released: {', '.join(released)})"
            shown = run_status.value.lower() if run_status is not None else "-"
            lines.append(f"  {week}  {shown:<9} {run_id[:8]}{note}")
    return "\n".join(lines)


def freshness() -> str:
    """Each source's newest data against today and its max_lag_days (config/quality.yml)."""
    from leap_assets.quality.settings import QualitySettingsError, load_quality_settings
    from orchestration.alert_sensors import SOURCES, local_today, newest_data, term_of

    config = settings()
    today = local_today(config.timezone)
    try:
        quality = load_quality_settings()
    except QualitySettingsError as error:
        return f"Freshness: not checked: {error}."
    with connect(config.warehouse, read_only=True) as con:
        if not _table_exists(con, "raw", "sits_extracts"):
            return "Freshness: no data landed yet."
        term = term_of(con, today)
        newest = {source: newest_data(con, source) for source in SOURCES}
    where = f"in term ({term[0]}, {term[1]} to {term[2]})" if term else "out of term: staleness is not flagged"
    lines = [f"Freshness on {today}, {where}:"]
    for source in SOURCES:
        limit, day = quality.max_lag_days(source), newest[source]
        age = (today - day).days if day is not None else None
        flag = ""
        if term and (age is None or age > limit):
            flag = f"  <- stale: no new data for longer than {limit} day(s)"
        lines.append(f"  {source:<7} newest {day or 'none'!s:<10}  ({'-' if age is None else age} days old){flag}")
    return "\n".join(lines)


def run_weeks(tags: dict[str, str]) -> list[str]:
    """The report weeks a run built: its partition, or every week of its partition range."""
    if "dagster/partition" in tags:
        return [tags["dagster/partition"]]
    first = tags.get("dagster/asset_partition_range_start")
    last = tags.get("dagster/asset_partition_range_end")
    if not (first and last):
        return []
    start, end = date.fromisoformat(first), date.fromisoformat(last)
    return [(start + timedelta(days=7 * i)).isoformat() for i in range((end - start).days // 7 + 1)]


def full_status() -> str:
    config = settings()
    if not config.warehouse.exists():
        return f"No warehouse at {config.warehouse} yet: run `leap ingest` or `leap demo`."
    parts = [ingest_summary(), freshness(), sits_extracts(), quarantine_reasons(), failing_checks(), week_runs()]
    ignored = ignored_files(config.landing)
    if ignored:
        shown = "\n".join(f"  {rel}" for rel in ignored[:20])
        more = f"\n  ... and {len(ignored) - 20} more" if len(ignored) > 20 else ""
        parts.append(f"Ignored files in the landing zone (not part of the contract):\n{shown}{more}")
    return "\n\n".join(parts)


def failing_checks() -> str:
    """The expectations that failed in the newest built week (from marts.data_quality_results)."""
    weeks = built_weeks()
    if not weeks:
        return "Data-quality checks: no report week built yet."
    newest = weeks[-1]
    with connect(settings().warehouse, read_only=True) as con:
        if not _table_exists(con, "marts", "data_quality_results"):
            return "Data-quality checks: none run yet."
        rows = con.execute(
            """
            select source, suite, expectation, count(*) over () from marts.data_quality_results
            where not passed and week_start = ? order by source, suite, expectation
            """,
            [newest],
        ).fetchall()
        checked = con.execute(
            "select count(*) from marts.data_quality_results where week_start = ?", [newest]
        ).fetchone()[0]
    if not checked:
        return f"Data-quality checks: the newest built week, {newest}, has not been checked."
    if not rows:
        return f"Data-quality checks: every expectation passed for the week of {newest}."
    lines = [f"Failing data-quality checks for the week of {newest}:"]
    lines += [f"  {source:<8} {suite}: {expectation}" for source, suite, expectation, _ in rows]
    return "\n".join(lines)


def quarantine_reasons() -> str:
    with connect(settings().warehouse, read_only=True) as con:
        rows = con.execute(
            """
            select source, regexp_replace(reason, '\\(.*', '') as reason, count(*)
            from quarantine.rows group by all order by 1, 3 desc
            """
        ).fetchall()
    if not rows:
        return "Quarantine: empty."
    return "Quarantine by reason:\n" + "\n".join(f"  {s:<8} {n:>8,}  {r.strip()}" for s, r, n in rows)


def complete_extract_loaded() -> bool:
    """Whether any complete SITS extract is in the warehouse (no week can be built without one)."""
    config = settings()
    if not config.warehouse.exists():
        return False
    with connect(config.warehouse, read_only=True) as con:
        if not _table_exists(con, "raw", "sits_extracts"):
            return False
        return bool(con.execute("select count(*) from raw.sits_extracts where is_complete").fetchone()[0])


def held_lines(weeks: list[date]) -> list[str]:
    """One plain sentence per school report the quality gate holds back in these weeks."""
    from leap_assets.checks.gate import week_status
    from leap_assets.published import report_path

    config = settings()
    if not config.warehouse.exists():
        return []
    lines = []
    with connect(config.warehouse, read_only=True) as con:
        for week in sorted(weeks):
            held = [s for s in week_status(con, week) if s.status == "held"]
            if held:
                names = ", ".join(s.school for s in held)
                lines.append(f"Week {week}: held back by the quality gate: {names}.")
                for s in held:
                    lines.append(f"  {s.school}: {s.checks} failed: {s.observed} (expected: {s.threshold}).")
                lines.append(
                    f"  If that was a non-teaching week, list it in the academic calendar and run the week again, "
                    f"or release it: leap quality release --week {week} --by NAME --reason TEXT. "
                    f"Governance report: {report_path(config.publish, week)}"
                )
    return lines


def demo_summary(week: date) -> str:
    config = settings()
    with connect(config.warehouse, read_only=True) as con:
        if not _table_exists(con, "marts", "engagement_weekly"):
            return f"Week {week}: staging built; engagement_weekly is not part of this build yet."
        rows = con.execute(
            """
            select school,
                   count(*) filter (where combined_rag = 'red'),
                   count(*) filter (where combined_rag = 'amber'),
                   count(*) filter (where combined_rag = 'green'),
                   count(*) filter (where combined_rag = 'none'),
                   count(*)
            from marts.engagement_weekly where week_start = ? group by school order by school
            """,
            [week],
        ).fetchall()
    lines = [f"Reports: {config.publish}", f"Combined RAG for the week of {week}:"]
    lines.append(f"  {'school':<45} {'red':>6} {'amber':>6} {'green':>6} {'none':>6} {'total':>6}")
    lines += [f"  {s:<45} {r:>6} {a:>6} {g:>6} {n:>6} {t:>6}" for s, r, a, g, n, t in rows]
    return "\n".join(lines)
