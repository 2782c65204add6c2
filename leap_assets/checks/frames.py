"""What the quality checks validate, read from the warehouse for one report week (read-only).

Only the columns a suite needs are read; names are never read. Student ids are read only to compute
coverage shares and never leave this process.
"""

from datetime import date, timedelta

import duckdb
import pandas as pd

from expectations.metrics import Week

MART = "marts.engagement_weekly"


def table_exists(con: duckdb.DuckDBPyConnection, qualified: str) -> bool:
    schema, name = qualified.split(".")
    found = con.execute(
        "select count(*) from information_schema.tables where table_schema = ? and table_name = ?", [schema, name]
    ).fetchone()[0]
    return bool(found)


def _scalar(con: duckdb.DuckDBPyConnection, sql: str, params: list):
    return con.execute(sql, params).fetchone()[0]


def vle_window_days(con: duckdb.DuckDBPyConnection) -> int:
    """The VLE window of the rule configuration (dbt seed), 14 days when it has not been seeded."""
    if table_exists(con, "seeds.rule_thresholds"):
        value = _scalar(con, "select max(value) from seeds.rule_thresholds where parameter = 'vle_window_days'", [])
        if value is not None:
            return int(float(value))
    return 14


def snapshot_date(con: duckdb.DuckDBPyConnection, week: Week) -> date | None:
    """The SITS extract the week uses: the mart's, else the rule of sources.md (newest complete extract
    dated on or before the report date, else the oldest complete one)."""
    if table_exists(con, MART):
        used = _scalar(con, f"select max(sits_extract_date) from {MART} where week_start = ?", [week.start])
        if used is not None:
            return pd.Timestamp(used).date()
    sql = "select max(extract_date) from raw.sits_extracts where is_complete and extract_date <= ?"
    newest = _scalar(con, sql, [week.report_date])
    if newest is None:
        newest = _scalar(con, "select min(extract_date) from raw.sits_extracts where is_complete", [])
    return pd.Timestamp(newest).date() if newest is not None else None


def terms(con: duckdb.DuckDBPyConnection, extract: date | None) -> pd.DataFrame:
    """Terms of the snapshot's period.tsv (columns start, end)."""
    return con.execute(
        'select period_start_date as start, period_end_date as "end" from raw.sits_period where extract_date = ?',
        [extract],
    ).df()


def term_start(terms_frame: pd.DataFrame, week: Week) -> date:
    """The first day of the term holding the week; four weeks back when it is in none."""
    starts = pd.to_datetime(terms_frame["start"]).dt.date
    ends = pd.to_datetime(terms_frame["end"]).dt.date
    holding = starts[(starts <= week.as_of) & (ends >= week.start)]
    return min(holding) if len(holding) else week.start - timedelta(days=28)


def sits_students(con: duckdb.DuckDBPyConnection, extract: date | None) -> pd.DataFrame:
    return con.execute(
        "select sexid, ethnicity, difflearn1, year(dob) as birth_year from raw.sits_student where extract_date = ?",
        [extract],
    ).df()


def sits_courses(con: duckdb.DuckDBPyConnection, extract: date | None) -> pd.DataFrame:
    return con.execute(
        "select x_level, inst_tier_1, inst_tier_2 from raw.sits_course where extract_date = ?", [extract]
    ).df()


def students_in(con: duckdb.DuckDBPyConnection, extract: date | None) -> int:
    return int(_scalar(con, "select count(*) from raw.sits_student where extract_date = ?", [extract]))


def previous_complete_extract(con: duckdb.DuckDBPyConnection, extract: date | None) -> date | None:
    found = _scalar(
        con, "select max(extract_date) from raw.sits_extracts where is_complete and extract_date < ?", [extract]
    )
    return pd.Timestamp(found).date() if found is not None else None


def module_instances(con: duckdb.DuckDBPyConnection, extract: date | None, week: Week) -> pd.DataFrame:
    """The snapshot's module instances (columns module, start, end, schools, school, department): SITS
    dates, the schools of the week's students taking each one (whose reports its attendance feeds), and
    the school and department most of them belong to (the module's owner, for the calendar)."""
    return con.execute(
        f"""
        with takers as (
            select smi.mod_instance_id as module, smi.mod_start_date, smi.mod_end_date, mart.school,
                mart.department
            from raw.sits_studentmoduleinstance as smi
            left join {MART} as mart on mart.week_start = ? and mart.student_id = smi.student_id
            where smi.extract_date = ?
        )
        select module, min(mod_start_date) as start, max(mod_end_date) as "end",
            list_sort(list_distinct(list(school))) as schools, mode(school) as school,
            mode(department) as department
        from takers group by module order by module
        """
        if table_exists(con, MART)
        else """
        select mod_instance_id as module, min(mod_start_date) as start, max(mod_end_date) as "end",
            []::varchar[] as schools, null::varchar as school, null::varchar as department
        from raw.sits_studentmoduleinstance where extract_date = ? group by 1 order by 1
        """,
        [week.start, extract] if table_exists(con, MART) else [extract],
    ).df()


def student_modules(con: duckdb.DuckDBPyConnection, extract: date | None) -> pd.DataFrame:
    """Every (student_id, module) of the snapshot."""
    return con.execute(
        "select student_id, mod_instance_id as module from raw.sits_studentmoduleinstance where extract_date = ?",
        [extract],
    ).df()


def seats_current(con: duckdb.DuckDBPyConnection) -> tuple[str, str]:
    """SEAtS rows after corrections (the staging view) with its module column; raw rows before dbt ran."""
    if table_exists(con, "staging.stg_seats__attendances"):
        return "staging.stg_seats__attendances", "module_instance_id"
    return "raw.seats_attendance", "mod_instance_id"


def seats_rows(con: duckdb.DuckDBPyConnection, week: Week) -> pd.DataFrame:
    """Rows of the SEAtS files produced during the week or on its report date."""
    return con.execute(
        """
        select event_mandatory, event_attended, attendance_late, attendance_category, start_date, start_time,
            end_time, file_date, mod_instance_id
        from raw.seats_attendance where file_date > ? and file_date <= ?
        """,
        [week.start, week.report_date],
    ).df()


def seats_module_weekly(con: duckdb.DuckDBPyConnection, week: Week, weeks_back: int) -> pd.DataFrame:
    """Current SEAtS rows per module and report week (columns module, week_start, rows) for sessions
    dated from `weeks_back` weeks before the week to its end."""
    table, module = seats_current(con)
    return con.execute(
        f"""
        select coalesce({module}, '(no module)') as module, date_trunc('week', start_date)::date as week_start,
            count(*) as rows
        from {table} where start_date between ? and ? group by 1, 2
        """,
        [week.start - timedelta(days=7 * weeks_back), week.as_of],
    ).df()


def seats_students(con: duckdb.DuckDBPyConnection, week: Week) -> set[str]:
    table, _ = seats_current(con)
    rows = con.execute(
        f"select distinct student_id from {table} where start_date between ? and ?", [week.start, week.as_of]
    ).fetchall()
    return {r[0] for r in rows}


def newest(con: duckdb.DuckDBPyConnection, table: str, column: str, as_of: date) -> date | None:
    found = _scalar(con, f"select max({column}) from {table} where {column} <= ?", [as_of])
    return pd.Timestamp(found).date() if found is not None else None


def moodle_rows(con: duckdb.DuckDBPyConnection, week: Week) -> pd.DataFrame:
    """Learning events loaded from the week's day files."""
    return con.execute(
        "select edulevel, anonymous, origin, event_date, file_date from raw.moodle_log where file_date between ? and ?",
        [week.start, week.as_of],
    ).df()


def moodle_daily(con: duckdb.DuckDBPyConnection, week: Week, weeks_back: int) -> pd.DataFrame:
    """Learning events per local day (columns day, rows), from `weeks_back` weeks before the VLE window
    to its end."""
    return con.execute(
        "select event_date as day, count(*) as rows from raw.moodle_log where event_date between ? and ? group by 1",
        [week.vle_window[0] - timedelta(days=7 * weeks_back), week.as_of],
    ).df()


def moodle_students(con: duckdb.DuckDBPyConnection, week: Week, extract: date | None) -> set[str]:
    """Students (by the snapshot's VLE id map) with a learning event in the VLE window."""
    rows = con.execute(
        """
        select distinct map.student_id from raw.moodle_log as log
        inner join raw.sits_studentidmap as map
            on map.extract_date = ? and map.domain = 'VLE' and map.identifier = log.userid
        where log.event_date between ? and ?
        """,
        [extract, week.vle_window[0], week.as_of],
    ).fetchall()
    return {r[0] for r in rows}


def moodle_unmapped(con: duckdb.DuckDBPyConnection, week: Week, extract: date | None) -> pd.DataFrame:
    """Learning events of the VLE window on users and on courses the snapshot does not map
    (columns kind, unmapped, events, share_of_events)."""
    return con.execute(
        """
        with window_events as (
            select userid, courseid from raw.moodle_log where event_date between ? and ?
        ),
        users as (select identifier from raw.sits_studentidmap where extract_date = ? and domain = 'VLE'),
        courses as (
            select domain_mapped_id from raw.sits_modulemap where extract_date = ? and module_map_domain = 'VLE'
        ),
        total as (select count(*) as events from window_events)
        select 'users' as kind, count(distinct userid) as unmapped, count(*) as events,
            count(*) / greatest(max(total.events), 1) as share_of_events
        from window_events cross join total where userid not in (select identifier from users)
        union all
        select 'courses', count(distinct courseid), count(*), count(*) / greatest(max(total.events), 1)
        from window_events cross join total where courseid not in (select domain_mapped_id from courses)
        """,
        [week.vle_window[0], week.as_of, extract, extract],
    ).df()


def schools_rows(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return con.execute("select student_id, from_date, to_date from raw.schools_online_only").df()


def mart_rows(con: duckdb.DuckDBPyConnection, week: Week) -> pd.DataFrame:
    """The week's mart rows with every contract column; names blanked (never needed here)."""
    if not table_exists(con, MART):
        return pd.DataFrame()
    return con.execute(
        f"""
        select * replace (cast(null as varchar) as first_name, cast(null as varchar) as last_name)
        from {MART} where week_start = ?
        """,
        [week.start],
    ).df()
