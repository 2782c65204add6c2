"""Moodle activity (`logstore_standard_log` export): `landing/moodle/logstore_<YYYY-MM-DD>.csv`.

Only learning activity is kept; the rest is counted per file. `ip`, `other` and `relateduserid` are
never read (data minimisation) and `realuserid` only decides the filter. `id` is unique across files:
the first row by file date, then line, is the one kept, whatever order the files land in.

A file costs its own size: it is read in chunks, and each chunk is typed, validated, filtered and
de-duplicated in DuckDB, checking the warehouse only within the chunk's id range (zonemaps prune the
rest of the history).
"""

from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from leap_assets.ingestion.landed import LandedFile, Outcome, QuarantineLog, land_file, pending, vouching_stat
from leap_assets.ingestion.layout import MOODLE_NAME, dated_files, name_date
from leap_assets.sources.contracts import MOODLE
from leap_assets.sources.reading import read_rows

SOURCE = "moodle"
NAME = MOODLE_NAME
CHUNK_ROWS = 100_000  # bounds memory (~0.5 GB peak); larger chunks were no faster
REQUIRED, OPTIONAL = list(MOODLE.required), list(MOODLE.optional)
NOT_LOADED = {"ip", "other", "relateduserid"}  # contract columns LEAP never reads
NULL_TOKENS = ("NULL", "\\N")
NON_LEARNING_ORIGINS = ("cli", "cron", "restore")
LATEST_EPOCH = 253402300799  # 9999-12-31T23:59:59Z
# Whole-number columns and what makes a value acceptable beyond being a whole number.
INTEGERS = {
    "id": ("(expected a whole number)", "true"),
    "edulevel": ("(expected one of [0, 1, 2])", "{v} in (0, 1, 2)"),
    "userid": ("(expected a whole number)", "true"),
    "courseid": ("(expected a whole number)", "true"),
    "anonymous": ("(expected one of [0, 1])", "{v} in (0, 1)"),
    "timecreated": ("(expected Unix epoch seconds)", f"{{v}} between 0 and {LATEST_EPOCH}"),
    "contextid": ("(expected a whole number)", "true"),
    "contextlevel": ("(expected a whole number)", "true"),
    "contextinstanceid": ("(expected a whole number)", "true"),
}
TEXT = [c for c in [*REQUIRED, *OPTIONAL] if c not in INTEGERS]


def file_date(path: Path) -> date | None:
    return name_date(path, NAME)


def candidates(landing: Path) -> list[Path]:
    return dated_files(landing / "moodle", NAME)


def ingest(con: duckdb.DuckDBPyConnection, landing: Path, timezone: str) -> list[Outcome]:
    """Land every new or changed Moodle export, earliest file date first."""
    files = pending(con, landing, candidates(landing))
    replaced = _replaced(con, files)
    outcomes = [land_file(con, SOURCE, landed, _loader(landed, timezone)) for landed in files]
    # Rows a replaced file no longer holds may have been skipped as duplicates of later files: those
    # files are landed again so that the warehouse is what their current bytes say.
    for landed in _later_files_with_duplicates(con, landing, replaced, {f.rel for f in files}):
        outcomes.append(land_file(con, SOURCE, landed, _loader(landed, timezone)))
    return outcomes


def _replaced(con: duckdb.DuckDBPyConnection, files: list[LandedFile]) -> list[LandedFile]:
    loaded = {r[0] for r in con.execute("select path from meta.landed_files where source = ?", [SOURCE]).fetchall()}
    return [f for f in files if f.rel in loaded]


def _later_files_with_duplicates(
    con: duckdb.DuckDBPyConnection, landing: Path, replaced: list[LandedFile], landed_now: set[str]
) -> list[LandedFile]:
    if not replaced:
        return []
    earliest = min(file_date(f.path) for f in replaced)
    rows = con.execute(
        "select path, sha256 from meta.landed_files"
        " where source = ? and status = 'loaded' and rows_duplicate > 0 order by path",
        [SOURCE],
    ).fetchall()
    later = []
    for rel, sha in rows:
        path = landing / rel
        if rel not in landed_now and path.is_file() and file_date(path) > earliest:
            later.append(LandedFile(path=path, rel=rel, sha256=sha, stat=vouching_stat(path)))
    return later


def _loader(landed: LandedFile, timezone: str):
    produced = file_date(landed.path)

    def load(con: duckdb.DuckDBPyConnection, quarantine: QuarantineLog, outcome: Outcome) -> None:
        header, chunks = read_rows(
            landed.path,
            landed.rel,
            required=REQUIRED,
            optional=[*OPTIONAL, "realuserid"],
            delimiter=",",
            quoted=True,
            null_tokens=NULL_TOKENS,
            chunk_rows=CHUNK_ROWS,
            arrow=True,  # the chunk is only read by SQL
        )
        outcome.extra_columns = [c for c in header.extra_columns if c.lower() not in NOT_LOADED]
        newest: list[date] = []
        for chunk in chunks:
            quarantine.bad_rows(chunk.bad_rows)
            if len(chunk.frame) == 0:
                continue
            newest_in_chunk = _load_chunk(con, chunk.frame, quarantine, outcome, landed, produced, timezone)
            if newest_in_chunk is not None:
                newest.append(newest_in_chunk)
            del chunk  # before the reader builds the next one
        outcome.newest_data_date = max(newest, default=None)

    return load


def _load_chunk(
    con: duckdb.DuckDBPyConnection,
    moodle_text: pd.DataFrame | pa.Table,
    quarantine: QuarantineLog,
    outcome: Outcome,
    landed: LandedFile,
    produced: date,
    timezone: str,
) -> date | None:
    """Stage a chunk, settle each row's fate, insert what is kept; returns the newest event date.

    Frames and Arrow tables are read by DuckDB's replacement scan, by their Python names (the
    parameters named in the SQL), never registered: a view registered and dropped inside the file's
    transaction keeps its data alive until the transaction ends, so memory would grow with the file."""
    moodle_chunk = con.sql(_stage_sql(), params={"tz": timezone}).to_arrow_table()
    _quarantine_broken(con, quarantine, moodle_chunk)
    moodle_chunk = _settle_duplicates(con, moodle_chunk, produced)
    counts = {
        status: (count, newest)
        for status, count, newest in con.execute(
            "select status, count(*), max(event_date) from moodle_chunk group by status"
        ).fetchall()
    }
    outcome.rows_filtered += counts.get("filtered", (0, None))[0]
    outcome.rows_duplicate += counts.get("duplicate", (0, None))[0]
    loaded, newest = counts.get("keep", (0, None))
    outcome.rows_loaded += loaded
    _quarantine_optional(con, quarantine, moodle_chunk)
    con.execute(
        f"""
        insert into raw.moodle_log by name
        select id_v as id, {", ".join(TEXT)},
            edulevel_v as edulevel, contextid_v as contextid, contextlevel_v as contextlevel,
            contextinstanceid_v as contextinstanceid,
            userid_v::varchar as userid, courseid_v::varchar as courseid,
            anonymous_v as anonymous, timecreated_v as timecreated, event_date,
            $file_date::date as file_date, $rel as _source_file, _source_line
        from moodle_chunk where status = 'keep' order by id_v
        """,
        {"file_date": produced, "rel": landed.rel},
    )
    return newest


def _stage_sql() -> str:
    """Text cells to typed values, and each row's status: the first contract rule it breaks, else
    whether it is learning activity, else whether its id already occurred earlier in the chunk."""
    number = "cast(nullif(regexp_extract({c}, '^\\s*([+-]?[0-9]{{1,18}})\\s*$', 1), '') as bigint)"
    parsed = [f"{number.format(c=c)} as {c}_n" for c in INTEGERS]
    valid = [f"case when {rule.format(v=f'{c}_n')} then {c}_n end as {c}_v" for c, (_, rule) in INTEGERS.items()]
    broken = [f"when {c} is null then 'missing required {c.upper()}|{c.upper()}'" for c in REQUIRED]
    broken += [
        f"when {c}_v is null then 'unparsable {c.upper()} {what}|{c.upper()}'"
        for c, (what, _) in INTEGERS.items()
        if c in REQUIRED
    ]
    origins = ", ".join(f"'{o}'" for o in NON_LEARNING_ORIGINS)
    text = ", ".join(f"{c}::varchar as {c}" for c in [*REQUIRED, *OPTIONAL, "realuserid"])
    return f"""
        with numbers as (
            select _source_line::integer as _source_line, {text}, {", ".join(parsed)} from moodle_text
        ),
        judged as (
            select *, case {" ".join(broken)} end as broken
            from (select * exclude ({", ".join(f"{c}_n" for c in INTEGERS)}), {", ".join(valid)} from numbers)
        ),
        classified as (
            select * exclude (broken, realuserid),
                split_part(broken, '|', 1) as reason,
                split_part(broken, '|', 2) as field,
                case
                    when broken is not null then 'broken'
                    when edulevel_v = 2 and anonymous_v = 0 and userid_v > 0 and realuserid is null
                        and lower(origin) not in ({origins}) then 'keep'
                    else 'filtered'
                end as status,
                timezone($tz, to_timestamp(timecreated_v))::date as event_date
            from judged
        )
        select * replace (
            case
                when status = 'keep'
                    and row_number() over (partition by id_v, status order by _source_line) > 1
                then 'duplicate'
                else status
            end as status
        )
        from classified
    """


def _quarantine_broken(con: duckdb.DuckDBPyConnection, quarantine: QuarantineLog, moodle_chunk: pa.Table) -> None:
    cells = ", ".join([*REQUIRED, *OPTIONAL])
    broken = con.execute(f"select _source_line, reason, field, {cells} from moodle_chunk where status = 'broken'").df()
    for (reason, field), rows in broken.groupby(["reason", "field"], sort=False):
        rows = rows.drop(columns=["reason", "field"])
        quarantine.rows(rows, pd.Series(True, index=rows.index), reason, field=field)


def _settle_duplicates(con: duckdb.DuckDBPyConnection, moodle_chunk: pa.Table, produced: date) -> pa.Table:
    """Against the warehouse: an id already loaded from an earlier (or the same) file date wins; one
    loaded from a later file date loses its row to this file, and that file's counts say so."""
    [(low, high)] = con.execute("select min(id_v), max(id_v) from moodle_chunk where status = 'keep'").fetchall()
    if low is None:
        return moodle_chunk
    # The constant id range lets DuckDB skip every row group of the history outside it.
    moodle_clash = con.sql(
        """
        select id, file_date <= $produced as wins, _source_file from raw.moodle_log
        where id between $low and $high and id in (select id_v from moodle_chunk where status = 'keep')
        """,
        params={"low": low, "high": high, "produced": produced},
    ).to_arrow_table()
    if moodle_clash.num_rows == 0:
        return moodle_chunk
    displaced = con.execute("select _source_file, count(*) from moodle_clash where not wins group by 1").fetchall()
    for rel, count in displaced:
        con.execute(
            "update meta.landed_files set rows_loaded = rows_loaded - $n, rows_duplicate = rows_duplicate + $n"
            " where path = $rel",
            {"n": count, "rel": rel},
        )
    if displaced:
        con.execute(
            "delete from raw.moodle_log"
            " where id between $low and $high and id in (select id from moodle_clash where not wins)",
            {"low": low, "high": high},
        )
    return con.sql(
        """
        select * replace (
            case when status = 'keep' and id_v in (select id from moodle_clash where wins)
            then 'duplicate' else status end as status
        )
        from moodle_chunk
        """
    ).to_arrow_table()


def _quarantine_optional(con: duckdb.DuckDBPyConnection, quarantine: QuarantineLog, moodle_chunk: pa.Table) -> None:
    """Unparsable optional numbers of kept rows: loaded as null, each recorded."""
    optional = [(column, what) for column, (what, _) in INTEGERS.items() if column not in REQUIRED]
    bad = [f"{column} is not null and {column}_v is null" for column, _ in optional]
    cells = ", ".join([*REQUIRED, *OPTIONAL])
    flags = ", ".join(f"{test} as {column}_bad" for test, (column, _) in zip(bad, optional, strict=True))
    rows = con.execute(
        f"select _source_line, {cells}, {flags} from moodle_chunk where status = 'keep' and ({' or '.join(bad)})"
    ).df()
    masks = {column: rows.pop(f"{column}_bad") for column, _ in optional}
    for column, what in optional:
        reason = f"unparsable optional {column.upper()} {what}: loaded as null"
        quarantine.rows(rows, masks[column], reason, field=column.upper(), loaded=True)
