"""What a report shows, read from the warehouse: the week's rows of engagement_weekly in report order,
with the privacy marks and the last recorded contact, and the facts of the About sheet."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import duckdb

from leap_assets.reporting.columns import (
    CHANGE_LABELS,
    DO_NOT_CONTACT,
    HEADERS,
    OVERRIDE,
    RAG_LABELS,
    RAG_ORDER,
)

WINDOW_DEFAULTS = {"attendance_window_days": 7, "vle_window_days": 14, "submission_window_days": 28}


def table_exists(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    query = "select count(*) from information_schema.tables where table_schema = ? and table_name = ?"
    return bool(con.execute(query, [schema, table]).fetchone()[0])


def _records(con: duckdb.DuckDBPyConnection, sql: str, params: list) -> list[dict]:
    cursor = con.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def week_records(con: duckdb.DuckDBPyConnection, week: date, students: list[str] | None = None) -> list[dict]:
    """The week's mart rows (optionally only `students`) in report order, restricted students left out.

    Each row also carries `opted_out`, `safeguarding_override` and `last_contact`: the latest contact
    date recorded in the returns of earlier weeks, up to this week's report date.
    """
    if not table_exists(con, "marts", "engagement_weekly"):
        return []
    params: list = []
    contacts = "select null::varchar as student_id, null::date as last_contact limit 0"
    if table_exists(con, "marts", "contacts"):
        contacts = """
            select student_id, max(contact_date) as last_contact from marts.contacts
            where week_start < ? and contact_date <= ? + interval 7 day group by student_id
        """
        params += [week, week]
    only = "and e.student_id in (select unnest(?::varchar[]))" if students is not None else ""
    sql = f"""
        select e.*,
               e.is_opted_out or coalesce(p.is_opted_out, false) as opted_out,
               coalesce(p.has_safeguarding_override, false) as safeguarding_override,
               c.last_contact
        from marts.engagement_weekly e
        left join meta.privacy_state p on p.student_id = e.student_id
        left join ({contacts}) c on c.student_id = e.student_id
        where e.week_start = ? and not coalesce(p.is_restricted, false) {only}
    """
    params.append(week)
    if students is not None:
        params.append(sorted(students))
    return sorted(_records(con, sql, params), key=report_order)


def report_order(row: dict) -> tuple:
    """combined_rag red, amber, green, none; then last name, first name (case-insensitive), id."""
    return (
        RAG_ORDER.get(row["combined_rag"] or "none", len(RAG_ORDER)),
        (row["last_name"] or "").casefold(),
        (row["first_name"] or "").casefold(),
        row["student_id"],
    )


def one_decimal(value: float | None) -> float | None:
    """Half-up to one decimal place on the value as printed (74.25 -> 74.3), as reports show scores."""
    if value is None:
        return None
    return float(Decimal(repr(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def opt_out_text(row: dict) -> str:
    if not row["opted_out"]:
        return "No"
    return OVERRIDE if row["safeguarding_override"] else DO_NOT_CONTACT


def display_values(row: dict) -> list:
    """The 28 cells of one report row, in header order; contact columns start empty."""
    rag = RAG_LABELS.get
    values = {
        "Student ID": str(row["student_id"]),
        "Last name": row["last_name"],
        "First name": row["first_name"],
        "Department": row["department"],
        "Course": row["course_title"],
        "Level": row["level"],
        "Online only": "Yes" if row["is_online_only"] else "No",
        "Attendance % (7 days)": one_decimal(row["attendance_pct_7d"]),
        "Attendance RAG": rag(row["attendance_rag"] or "none"),
        "VLE score (14 days)": one_decimal(row["vle_score_14d"]),
        "VLE active days": row["vle_active_days_14d"],
        "Submissions due": row["submissions_due_28d"],
        "Submissions on time": row["submissions_on_time_28d"],
        "Submissions late": row["submissions_late_28d"],
        "Submissions missing": row["submissions_missing_28d"],
        "Online RAG": rag(row["online_rag"] or "none"),
        "Combined RAG": rag(row["combined_rag"] or "none"),
        "Previous week": rag(row["previous_combined_rag"]) if row["previous_combined_rag"] else None,
        "Change": CHANGE_LABELS.get(row["rag_change"], row["rag_change"]),
        "Reasons": "; ".join(code for code in (row["reason_codes"] or "").split(";") if code),
        "Opted out of support": opt_out_text(row),
        "Last contact": row["last_contact"],
    }
    return [values.get(header) for header in HEADERS]


def rag_counts(rows: list[dict]) -> dict[str, int]:
    """Students by combined RAG, every status present (zeros included)."""
    counts = dict.fromkeys(RAG_LABELS, 0)
    for row in rows:
        counts[row["combined_rag"] or "none"] += 1
    return counts


@dataclass(frozen=True)
class WeekFacts:
    """What the About sheet says about the week, whichever school or staff member it is for."""

    week_start: date
    as_of_date: date
    report_date: date
    sits_extract_date: date | None
    rule_version: str
    windows: dict[str, int]
    thresholds: list[tuple[str, str, str]] = field(default_factory=list)
    newest_seats: date | None = None
    newest_moodle: date | None = None

    def window(self, parameter: str) -> tuple[int, date, date]:
        days = self.windows[parameter]
        return days, self.as_of_date - timedelta(days=days - 1), self.as_of_date


def _number(value) -> str:
    return f"{value:g}" if isinstance(value, int | float) else str(value)


def week_facts(con: duckdb.DuckDBPyConnection, week: date) -> WeekFacts | None:
    """The week's dates, rule version, windows, thresholds and newest SEAtS and Moodle dates used."""
    if not table_exists(con, "marts", "engagement_weekly"):
        return None
    found = con.execute(
        """
        select as_of_date, report_date, max(sits_extract_date), min(rule_version)
        from marts.engagement_weekly where week_start = ? group by all
        """,
        [week],
    ).fetchone()
    if found is None:
        return None
    as_of, report_date, extract, version = found
    thresholds = []
    if table_exists(con, "seeds", "rule_thresholds"):
        thresholds = [
            (str(p), _number(v), str(d or ""))
            for p, v, d in con.execute("select parameter, value, description from seeds.rule_thresholds").fetchall()
        ]
    windows = dict(WINDOW_DEFAULTS)
    windows.update({p: int(float(v)) for p, v, _ in thresholds if p in WINDOW_DEFAULTS})
    order = [*WINDOW_DEFAULTS]
    thresholds.sort(key=lambda t: (order.index(t[0]) if t[0] in order else len(order), t[0]))

    def newest(table: str, column: str) -> date | None:
        if not table_exists(con, "raw", table):
            return None
        return con.execute(f"select max({column}) from raw.{table} where {column} <= ?", [as_of]).fetchone()[0]

    return WeekFacts(
        week_start=week,
        as_of_date=as_of,
        report_date=report_date,
        sits_extract_date=extract,
        rule_version=version,
        windows=windows,
        thresholds=thresholds,
        newest_seats=newest("seats_attendance", "start_date"),
        newest_moodle=newest("moodle_log", "event_date"),
    )
