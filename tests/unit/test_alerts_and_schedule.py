import json
import threading
from datetime import datetime
from http.server import BaseHTTPRequestHandler, HTTPServer
from zoneinfo import ZoneInfo

import dagster as dg
import pytest

from orchestration.alerts import raise_alert
from orchestration.schedules import monday_reports

LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def publish(tmp_path, monkeypatch):
    monkeypatch.setenv("LEAP_PUBLISH", str(tmp_path / "publish"))
    monkeypatch.delenv("LEAP_ALERT_WEBHOOK", raising=False)
    return tmp_path / "publish"


def test_an_alert_is_a_line_in_the_alerts_log(publish):
    raise_alert("run_failed", "weekly_job failed for week 2026-10-19", run_id="abc123")
    raise_alert("source_stale", "moodle has no data newer than 2026-10-01")
    lines = (publish / "alerts.log").read_text().splitlines()
    assert len(lines) == 2
    assert "RUN_FAILED weekly_job failed for week 2026-10-19 run_id=abc123" in lines[0]
    assert "SOURCE_STALE" in lines[1]


def test_an_alert_is_posted_as_json_to_the_webhook_on_loopback(publish, monkeypatch):
    received = []

    class Hook(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((self.headers["Content-Type"], json.loads(body)))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Hook)
    thread = threading.Thread(target=server.handle_request, daemon=True)
    thread.start()
    monkeypatch.setenv("LEAP_ALERT_WEBHOOK", f"http://127.0.0.1:{server.server_port}/hook")
    raise_alert("check_failed", "blocking check failed", week="2026-10-19")
    thread.join(timeout=10)
    server.server_close()
    assert received == [
        ("application/json", {**received[0][1], "kind": "check_failed", "week": "2026-10-19"}),
    ]
    assert received[0][1]["message"] == "blocking check failed"


def test_an_unreachable_webhook_still_leaves_the_alert_line(publish, monkeypatch):
    monkeypatch.setenv("LEAP_ALERT_WEBHOOK", "http://127.0.0.1:9/unreachable")
    raise_alert("run_failed", "x")
    assert "RUN_FAILED x" in (publish / "alerts.log").read_text()


def test_the_schedule_ticks_monday_six_in_london():
    assert monday_reports.cron_schedule == "0 6 * * 1"
    assert monday_reports.execution_timezone == "Europe/London"


@pytest.mark.parametrize(
    ("tick", "week"),
    [
        (datetime(2026, 10, 19, 6, 0, tzinfo=LONDON), "2026-10-12"),  # BST (UTC+1): 05:00Z
        (datetime(2026, 10, 26, 6, 0, tzinfo=LONDON), "2026-10-19"),  # first Monday after the change: 06:00Z
        (datetime(2026, 11, 2, 6, 0, tzinfo=LONDON), "2026-10-26"),
    ],
)
def test_each_monday_tick_across_the_clock_change_issues_the_week_before(tick, week):
    context = dg.build_schedule_context(scheduled_execution_time=tick)
    request = monday_reports(context)
    assert request.partition_key == week
