"""Alerts: one plain-text line in `publish/alerts.log` and, when LEAP_ALERT_WEBHOOK is set, a JSON POST.

The kinds of alert:

- `run_failed`: a run failed, whoever launched it (CLI, schedule, sensor, daemon, UI backfill); names
  the job, the run id, its weeks and the first step error. One alert per run id, however many paths
  saw the failure (the CLI alerts for its own runs and the run-failure sensor sees them too).
- `report_held`: a school-week held back by a blocking quality check.
- `report_released`: a held school-week released with `leap quality release`.
- `source_stale`: a source with no new data for longer than its `max_lag_days`, in term.
- `webhook_failed`: written here when the webhook did not take an alert (malformed URL, unreachable,
  timed out, an error status): the alert's own line is already in the log.

Alerts name runs, weeks, schools, sources and checks; never personal data. Every text is made plain
(no terminal colour codes or control characters, one line per alert), because dbt's and Dagster's
messages arrive coloured and multi-line. Raising an alert never raises: an alert exists to report a
failure, so it must not become one.
"""

import base64
import json
import logging
import os
import re
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from leap_assets.permissions import private_file, private_folder
from leap_assets.settings import settings

log = logging.getLogger(__name__)
WEBHOOK_TIMEOUT_SECONDS = 5.0
# How much of the log's end is read to tell whether a run's failure was already alerted: the CLI and
# the sensor see the same failure within seconds, so the last few hundred alerts are plenty.
DEDUP_TAIL_BYTES = 64 * 1024
MAX_MESSAGE_CHARS = 1000

# CSI (colours, cursor moves; 7-bit and 8-bit forms), OSC (titles, links) and two-byte escapes.
_ESCAPES = re.compile(r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-Z\\-_]")
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def plain(text: object) -> str:
    """`text` without escape sequences or control characters, on one line, spaces collapsed."""
    return " ".join(_CONTROLS.sub(" ", _ESCAPES.sub("", str(text))).split())


def raise_alert(kind: str, message: str, **details: object) -> dict:
    """Record an alert of `kind` in alerts.log and send it to the webhook; returns the alert, or {}
    when it is a `run_failed` alert for a run id that was already alerted."""
    fields = {plain(key): plain(value) for key, value in details.items()}
    at = datetime.now(UTC).isoformat(timespec="seconds")
    text = plain(message)
    if len(text) > MAX_MESSAGE_CHARS:  # a whole dbt log as the "first error" would drown the log
        text = text[: MAX_MESSAGE_CHARS - 3] + "..."
    alert = {"at": at, "kind": plain(kind), "message": text, **fields}
    extra = "".join(f" {key}={value}" for key, value in fields.items())
    line = f"{at} {alert['kind'].upper()} {alert['message']}{extra}"
    path = settings().publish / "alerts.log"
    duplicate_of = fields.get("run_id") if alert["kind"] == "run_failed" else None
    if not _append(path, line, duplicate_of):
        return {}
    failure = post_to_webhook(alert)
    if failure:
        log.warning("alert webhook: %s", failure)
        _append(path, f"{at} WEBHOOK_FAILED alert {alert['kind']} not delivered to the webhook: {plain(failure)}")
    return alert


def post_to_webhook(alert: dict) -> str | None:
    """POST `alert` as JSON to LEAP_ALERT_WEBHOOK; None when delivered (or no webhook is set), else why not."""
    url = settings().alert_webhook
    if not url:
        return None
    shown = shown_url(url)
    try:
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return f"LEAP_ALERT_WEBHOOK is not an http(s) URL ({shown})"
        headers = {"Content-Type": "application/json", "User-Agent": "leap-alerts"}
        if parts.username is not None:
            # urllib would take `user:password@host` for a host name: send the user as basic auth instead.
            user = f"{urllib.parse.unquote(parts.username)}:{urllib.parse.unquote(parts.password or '')}"
            headers["Authorization"] = "Basic " + base64.b64encode(user.encode("utf-8")).decode("ascii")
            parts = parts._replace(netloc=parts.netloc.rsplit("@", 1)[1])
        body = json.dumps(alert).encode("utf-8")
        request = urllib.request.Request(parts.geturl(), data=body, headers=headers, method="POST")
        with urllib.request.urlopen(request, timeout=WEBHOOK_TIMEOUT_SECONDS) as response:
            response.read()
    except urllib.error.HTTPError as error:
        error.close()
        return f"{shown} answered HTTP {error.code} {error.reason}"
    except TimeoutError:
        return f"{shown} did not answer within {WEBHOOK_TIMEOUT_SECONDS:g} s"
    except urllib.error.URLError as error:
        if isinstance(error.reason, TimeoutError):
            return f"{shown} did not answer within {WEBHOOK_TIMEOUT_SECONDS:g} s"
        return f"{shown} not reached: {_without(url, error.reason)}"
    except ValueError as error:
        return f"LEAP_ALERT_WEBHOOK is a malformed URL ({shown}): {_without(url, error)}"
    except Exception as error:  # anything else (a broken proxy setting, an odd answer) is noted, not raised
        return f"{shown} failed: {type(error).__name__}: {_without(url, error)}"
    return None


def shown_url(url: str) -> str:
    """The URL without user, password, query or fragment (they may hold credentials)."""
    try:
        parts = urllib.parse.urlsplit(url)
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return "a malformed URL"
    if not parts.scheme or not host:
        return "not a URL"
    host = f"[{host}]" if ":" in host else host
    return f"{parts.scheme}://{host}{port}{parts.path}"


def _without(url: str, error: object) -> str:
    """An error's text with the URL and any part of it that may be a secret taken out."""
    secrets = [url]
    try:
        parts = urllib.parse.urlsplit(url)
        secrets += [parts.query, parts.fragment, parts.username or "", parts.password or ""]
        secrets.append(parts._replace(netloc=parts.netloc.rsplit("@", 1)[-1]).geturl())
    except ValueError:
        pass
    text = str(error)
    for secret in sorted((s for s in secrets if len(s) >= 4), key=len, reverse=True):  # shorter: too common
        text = text.replace(secret, "***")
    return text


def _append(path: Path, line: str, duplicate_of: str | None = None) -> bool:
    """Append `line`; False (nothing written) when `duplicate_of` is a run id already alerted as failed."""
    try:
        private_folder(path.parent)
        with _locked(path) as handle:
            if duplicate_of and _alerted(handle, duplicate_of):
                return False
            handle.write((line + "\n").encode("utf-8"))
        private_file(path)  # alerts name files and weeks; the publish folder's modes hold for it too
    except OSError as error:  # an unwritable publish folder must not turn a failed week into a traceback
        log.warning("alert not written to %s: %s (%s)", path, error, line)
    return True


def _alerted(handle, run_id: str) -> bool:
    handle.seek(0, os.SEEK_END)
    handle.seek(max(0, handle.tell() - DEDUP_TAIL_BYTES))
    token = f"run_id={run_id}"
    for text in handle.read().decode("utf-8", errors="replace").splitlines():
        words = text.split()
        if len(words) > 1 and words[1] == "RUN_FAILED" and token in words:
            return True
    return False


@contextmanager
def _locked(path: Path):
    """The log opened for appending, locked so the CLI and the daemon's sensor cannot both alert a run."""
    with path.open("a+b") as handle:
        try:
            import fcntl
        except ImportError:  # Windows: no advisory locks; a rare double alert is the cost
            yield handle
            return
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield handle
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
