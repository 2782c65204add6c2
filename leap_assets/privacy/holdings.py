"""Where LEAP holds a student: every warehouse row and every published file about them.

One definition serves the access export (what is held), erasure (what to remove) and the suppression
guard (who must not be held). A student is found by their SITS id, their Moodle user ids (from any
studentidmap snapshot) and, in free-text quarantine records, their id or email address.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb

LAYERS = ("raw", "quarantine", "marts", "meta")
# Tables that name the student in another way than a `student_id` column.
SPECIAL = {"raw.moodle_log", "raw.sits_stafflink", "meta.access_log", "meta.privacy_requests", "quarantine.rows"}


@dataclass(frozen=True)
class Person:
    student_id: str
    moodle_ids: tuple[str, ...]
    emails: tuple[str, ...]

    @property
    def needles(self) -> list[bytes]:
        """Byte strings whose presence in a file means it may hold this person."""
        return [self.student_id.encode(), *(e.encode() for e in self.emails)]


def person(con: duckdb.DuckDBPyConnection, student_id: str) -> Person:
    moodle = con.execute(
        "select distinct identifier from raw.sits_studentidmap "
        "where student_id = ? and upper(domain) = 'VLE' and identifier is not null order by 1",
        [student_id],
    ).fetchall()
    emails = con.execute(
        "select distinct primary_email_address from raw.sits_student "
        "where student_id = ? and primary_email_address is not null order by 1",
        [student_id],
    ).fetchall()
    return Person(student_id, tuple(r[0] for r in moodle), tuple(r[0] for r in emails))


def base_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    rows = con.execute(
        "select table_schema || '.' || table_name from information_schema.tables "
        "where table_type = 'BASE TABLE' and table_schema in (select unnest(?)) order by 1",
        [list(LAYERS)],
    ).fetchall()
    return [row[0] for row in rows]


def student_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Base tables with a `student_id` column, other than those handled specially."""
    rows = con.execute(
        "select distinct table_schema || '.' || table_name from information_schema.columns c "
        "join information_schema.tables t using (table_schema, table_name) "
        "where t.table_type = 'BASE TABLE' and column_name = 'student_id' "
        "and table_schema in (select unnest(?)) order by 1",
        [list(LAYERS)],
    ).fetchall()
    return [row[0] for row in rows if row[0] not in SPECIAL]


def where_clause(table: str, who: Person) -> tuple[str, list]:
    """SQL condition (and its parameters) selecting the rows of `table` about this person."""
    if table == "raw.moodle_log":
        return "userid in (select unnest(?::varchar[]))", [list(who.moodle_ids)]
    if table == "raw.sits_stafflink":
        return "upper(property_name) = 'STUDENT_ID' and property_value = ?", [who.student_id]
    if table == "meta.access_log":
        return "list_contains(student_ids, ?)", [who.student_id]
    if table == "meta.privacy_requests":
        return "subject = ?", [who.student_id]
    if table == "quarantine.rows":
        # Records are JSON of the row as read: a Moodle row names its user as "userid": "<id>".
        texts = [who.student_id, *who.emails, *(f'"userid": "{uid}"' for uid in who.moodle_ids)]
        return (
            "student_id = ? or exists (select 1 from unnest(?::varchar[]) as t(text) "
            "where contains(coalesce(record, ''), t.text))",
            [who.student_id, texts],
        )
    return "student_id = ?", [who.student_id]


def held_rows(con: duckdb.DuckDBPyConnection, who: Person) -> Iterator[tuple[str, list[str], list[tuple]]]:
    """(table, column names, rows about the person) for every table that holds at least one."""
    for table in [*student_tables(con), *sorted(SPECIAL)]:
        exists = con.execute(
            "select count(*) from information_schema.tables where table_schema || '.' || table_name = ?", [table]
        ).fetchone()[0]
        if not exists:
            continue
        condition, parameters = where_clause(table, who)
        cursor = con.execute(f"select * from {table} where {condition}", parameters)
        columns = [column[0] for column in cursor.description]
        rows = cursor.fetchall()
        if rows:
            yield table, columns, rows


def published_files(publish: Path, who: Person, skip: tuple[str, ...] = ("privacy",)) -> list[Path]:
    """Published files holding the person: text files by content, workbooks through their CSV twin."""
    needles = who.needles
    found = []
    if not publish.exists():
        return found
    for path in sorted(publish.rglob("*")):
        if not path.is_file() or path.relative_to(publish).parts[0] in skip:
            continue
        if path.suffix == ".xlsx":
            twin = path.with_suffix(".csv")
            hit = twin.exists() and any(n in twin.read_bytes() for n in needles)
        elif path.suffix in (".csv", ".html", ".json", ".txt", ".log"):
            data = path.read_bytes()
            hit = any(n in data for n in needles)
        else:
            hit = False
        if hit:
            found.append(path)
    return found
