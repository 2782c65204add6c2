"""Processing privacy requests: each REQUEST_ID once, in order received, with a ledger of outcomes."""

import json
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb

from leap_assets.privacy import erasure
from leap_assets.privacy.access_export import access_folder, export_access
from leap_assets.privacy.guard import erase_restored, merge_lists, weeks_holding
from leap_assets.privacy.holdings import person
from leap_assets.privacy.keys import Keyed, new_token, privacy_dir, remember_on_disk
from leap_assets.privacy.rectify import record_override
from leap_assets.privacy.requests import REQUESTS, Request, read_requests, replace_student_ids
from leap_assets.warehouse.db import compact, connect
from leap_assets.writing.files import staged
from leap_assets.writing.names import inside, request_name

STATE = {
    "restriction": ("is_restricted", True),
    "lift_restriction": ("is_restricted", False),
    "opt_out": ("is_opted_out", True),
    "opt_in": ("is_opted_out", False),
    "safeguarding_override": ("has_safeguarding_override", True),
}


@dataclass
class Processed:
    done: dict[str, int] = field(default_factory=dict)  # type -> requests carried out
    refused: int = 0
    not_requests: int = 0  # rows without a usable REQUEST_ID (quarantined)
    restored_rows_erased: int = 0
    weeks_to_republish: list[str] = field(default_factory=list)
    certificates: list[str] = field(default_factory=list)  # published paths of erasure certificates
    seconds: float = 0.0


def process(landing: Path, publish: Path, warehouse: Path) -> Processed:
    """Process every new request in landing/privacy/requests.csv; see governance.md."""
    started = time.monotonic()
    result = Processed()
    erased_any = False
    with connect(warehouse) as con:
        hashes = merge_lists(con)
        result.restored_rows_erased = erase_restored(con, hashes)
        requests, problems = read_requests(landing)
        _quarantine(con, problems)
        result.not_requests = len(problems)
        done = {row[0] for row in con.execute("select request_id from meta.privacy_requests").fetchall()}
        keyed = Keyed() if requests else None
        for request in sorted(
            (r for r in requests if r.request_id not in done), key=lambda r: (r.received or date.max, r.line)
        ):
            status, reason, outcome, subject = _carry_out(con, landing, publish, keyed, hashes, request, result)
            erased_any |= request.kind == "erasure" and status == "done"
            _ledger(con, request, subject, status, reason, outcome)
            if status == "done":
                result.done[request.kind] = result.done.get(request.kind, 0) + 1
            else:
                result.refused += 1
        hashes = merge_lists(con)
        tokens = _tokens(con)
        if erased_any or result.restored_rows_erased:
            compact(con, warehouse)  # the last thing done with `con`: it now points at the old file
    if hashes:
        keyed = keyed or Keyed()
        replace_student_ids(landing, lambda sid: tokens.get(keyed("student", sid)))
    result.weeks_to_republish = sorted(set(result.weeks_to_republish) | set(weeks_holding(publish, hashes)))
    result.seconds = time.monotonic() - started
    return result


def _carry_out(con, landing, publish, keyed, hashes, request: Request, result: Processed):
    """(status, reason, outcome JSON, ledger subject) of one request."""
    refusal = request.refusal()
    if refusal is None and keyed("student", request.student_id) in hashes:
        refusal = "the student's data was erased on an earlier request; nothing is held"
    if refusal is not None:
        return "refused", refusal, None, request.student_id or "unknown"
    sid, kind = request.student_id, request.kind
    if kind == "access":
        summary = export_access(con, publish, request.request_id, person(con, sid))
        return "done", f"exported {sum(summary['rows'].values())} row(s)", json.dumps(summary), sid
    if kind in STATE:
        column, value = STATE[kind]
        con.execute(
            "insert into meta.privacy_state values (?, false, false, false, ?) on conflict do nothing",
            [sid, datetime.now(UTC)],
        )
        con.execute(
            f"update meta.privacy_state set {column} = ?, updated_at = ? where student_id = ?",
            [value, datetime.now(UTC), sid],
        )
        return "done", f"{column} = {str(value).lower()} from the next run", None, sid
    if kind == "rectification":
        problem, summary = record_override(con, request)
        if problem:
            return "refused", problem, None, sid
        return "done", summary, None, sid
    certificate, hashes_added = _erase(con, landing, publish, keyed, request)
    hashes |= hashes_added
    result.weeks_to_republish += certificate.weeks_to_republish
    result.certificates.append(_write_certificate(publish, certificate))
    removed, files = certificate.as_dict()["rows_removed"], len(certificate.landed_files)
    reason = f"{removed} row(s) removed, {files} landed file(s) rewritten"
    return "done", reason, json.dumps(certificate.as_dict()), certificate.token


def _erase(con, landing: Path, publish: Path, keyed: Keyed, request: Request):
    who = person(con, request.student_id)
    # An attempt interrupted after rewriting files left its partial certificate (no personal data):
    # the files are clean now, so this attempt finds nothing there, and the certificate keeps them.
    journal = privacy_dir() / f"erasure-in-progress-{request_name(request.request_id)}.json"
    certificate = erasure.Certificate.resume(journal, request.request_id, new_token())
    rewritten = erasure.scrub_landing(landing, who, certificate)
    earlier = con.execute(
        "select request_id from meta.privacy_requests where subject = ? and request_type = 'access'", [who.student_id]
    ).fetchall()
    erasure.scrub_published(publish, who, certificate, [access_folder(publish, r) for (r,) in earlier])
    certificate.save(journal, rewritten)
    rewritten = certificate.rewritten
    token = certificate.token
    con.begin()
    try:
        erasure.erase_rows(con, who, token, certificate)
        erasure.record_rewritten(con, rewritten)
        hashes = erasure.suppress(con, who, keyed, request.request_id)
        certificate.residual_rows = erasure.residual_rows(con, who)
        con.commit()
    except BaseException:
        con.rollback()
        raise
    remember_on_disk(hashes)
    journal.unlink(missing_ok=True)
    return certificate, hashes


def _write_certificate(publish: Path, certificate: erasure.Certificate) -> str:
    target = inside(publish, "privacy", "erasure", f"certificate-{request_name(certificate.request_id)}.json")
    with staged(target) as (temporary,):
        temporary.write_text(json.dumps(certificate.as_dict(), indent=2), encoding="utf-8")
    return target.relative_to(publish).as_posix()


def _ledger(con, request: Request, subject: str, status: str, reason: str, outcome: str | None) -> None:
    con.execute(
        "insert into meta.privacy_requests values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            request.request_id,
            request.kind or "unknown",
            subject,
            request.received,
            request.approved_by,
            status,
            reason,
            outcome,
            datetime.now(UTC),
        ],
    )


def _quarantine(con: duckdb.DuckDBPyConnection, problems: list[tuple[int, str, str]]) -> None:
    """Rows of requests.csv that are not requests, replacing what earlier runs recorded for the file."""
    con.execute("delete from quarantine.rows where _source_file = ?", [REQUESTS])
    for line, column, reason in problems:
        con.execute(
            "insert into quarantine.rows values ('privacy', ?, ?, ?, ?, false, null, null, ?)",
            [REQUESTS, line, column or None, reason, datetime.now(UTC)],
        )


def _tokens(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Suppression hash -> the token its erasure request gave the student."""
    rows = con.execute(
        "select s.id_hmac, r.subject from meta.suppression_list s "
        "join meta.privacy_requests r on r.request_id = s.request_id and r.request_type = 'erasure'"
    ).fetchall()
    return dict(rows)
