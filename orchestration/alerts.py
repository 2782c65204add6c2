"""Alerts: a line in `publish/alerts.log` and, when LEAP_ALERT_WEBHOOK is set, a JSON POST to it.

Alerts name runs, weeks, sources and checks; they never carry personal data.
"""

import json
import logging
import os
import urllib.request
from datetime import UTC, datetime

from leap_assets.permissions import private_file, private_folder
from leap_assets.settings import settings

log = logging.getLogger(__name__)
WEBHOOK_TIMEOUT_SECONDS = 5


def raise_alert(kind: str, message: str, **details: str) -> dict:
    """Record an alert of `kind` (run_failed, check_failed, source_stale) and send it to the webhook."""
    alert = {"at": datetime.now(UTC).isoformat(timespec="seconds"), "kind": kind, "message": message, **details}
    path = settings().publish / "alerts.log"
    private_folder(path.parent)
    extra = " ".join(f"{key}={value}" for key, value in details.items())
    with path.open("a", encoding="utf-8") as handle:
        handle.write(f"{alert['at']} {kind.upper()} {message}{' ' + extra if extra else ''}\n")
    private_file(path)  # alerts name files and weeks; the publish folder's modes hold for it too
    url = os.environ.get("LEAP_ALERT_WEBHOOK")
    if url:
        request = urllib.request.Request(
            url,
            data=json.dumps(alert).encode("utf-8"),
            headers={"Content-Type": "application/json", "User-Agent": "leap-alerts"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=WEBHOOK_TIMEOUT_SECONDS) as response:
                response.read()
        except OSError as error:  # an unreachable webhook must not hide the alert line or fail the run
            log.warning("alert webhook %s not reached: %s", url, error)
    return alert
