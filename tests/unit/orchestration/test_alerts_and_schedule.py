import json
import socket
import threading
import time
from datetime import datetime
from http.server import BaseHTTPRequestHandler, HTTPServer, ThreadingHTTPServer
from zoneinfo import ZoneInfo

import dagster as dg
import pytest

from leap_assets import alerts
from leap_assets.alerts import raise_alert
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


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _webhook_notes(publish) -> list[str]:
    return [line for line in (publish / "alerts.log").read_text().splitlines() if " WEBHOOK_FAILED " in line]


@pytest.mark.parametrize(
    ("url", "said"),
    [
        ("not a url", "not an http(s) URL"),
        ("http://[::1", "malformed URL"),
        ("file:///etc/passwd", "not an http(s) URL"),
        ("http://127.0.0.1:99999/hook", "malformed URL"),
    ],
)
def test_a_malformed_webhook_is_noted_in_the_log_and_never_raises(publish, monkeypatch, url, said):
    monkeypatch.setenv("LEAP_ALERT_WEBHOOK", url)
    alert = raise_alert("run_failed", "weekly_job failed", run_id="r1")
    assert alert["message"] == "weekly_job failed"
    lines = (publish / "alerts.log").read_text().splitlines()
    assert "RUN_FAILED weekly_job failed run_id=r1" in lines[0]
    assert len(lines) == 2 and " WEBHOOK_FAILED alert run_failed not delivered to the webhook: " in lines[1]
    assert said in lines[1]


def test_an_unreachable_webhook_still_leaves_the_alert_line_and_a_note(publish, monkeypatch):
    monkeypatch.setenv("LEAP_ALERT_WEBHOOK", f"http://127.0.0.1:{_closed_port()}/unreachable")
    raise_alert("run_failed", "x")
    assert "RUN_FAILED x" in (publish / "alerts.log").read_text()
    (note,) = _webhook_notes(publish)
    assert "not reached" in note and "/unreachable" in note


def _serve(handler) -> ThreadingHTTPServer:
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


class _Quiet(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass


def test_a_webhook_answering_500_is_noted_without_its_credentials(publish, monkeypatch):
    sent = []

    class Broken(_Quiet):
        def do_POST(self):
            sent.append(self.headers["Authorization"])
            self.rfile.read(int(self.headers["Content-Length"]))
            self.send_response(500, "Server \x1b[31mError\x1b[0m")
            self.end_headers()

    server = _serve(Broken)
    try:
        port = server.server_port
        monkeypatch.setenv("LEAP_ALERT_WEBHOOK", f"http://leap:s3cret@127.0.0.1:{port}/hook?token=t0ken#x")
        raise_alert("report_held", "week 2026-10-12 held", school="Law")
    finally:
        server.shutdown()
        server.server_close()
    assert sent == ["Basic bGVhcDpzM2NyZXQ="]  # the URL's user and password, as basic auth
    (note,) = _webhook_notes(publish)
    assert f"http://127.0.0.1:{port}/hook answered HTTP 500" in note
    text = (publish / "alerts.log").read_text()
    assert "s3cret" not in text and "t0ken" not in text and "\x1b" not in text


def test_a_webhook_that_does_not_answer_in_time_is_noted(publish, monkeypatch):
    class Slow(_Quiet):
        def do_POST(self):
            time.sleep(1.0)

    monkeypatch.setattr(alerts, "WEBHOOK_TIMEOUT_SECONDS", 0.2)
    server = _serve(Slow)
    try:
        monkeypatch.setenv("LEAP_ALERT_WEBHOOK", f"http://127.0.0.1:{server.server_port}/slow")
        started = time.monotonic()
        raise_alert("source_stale", "moodle has no new data")
        assert time.monotonic() - started < 1.0
    finally:
        server.shutdown()
        server.server_close()
    (note,) = _webhook_notes(publish)
    assert "did not answer within 0.2 s" in note


def test_colour_codes_and_newlines_never_reach_the_log(publish):
    message = "weekly_job failed: \x1b[31mDatabase Error\x1b[0m in model\nengagement_weekly\r\n\x1b]0;title\x07done\t!"
    alert = raise_alert("run_failed", message, run_id="r9", week="2026-10-12\n2026-10-19\x1b[1m")
    text = (publish / "alerts.log").read_text()
    assert text.count("\n") == 1
    assert all(ord(char) >= 32 for char in text.rstrip("\n"))
    assert "RUN_FAILED weekly_job failed: Database Error in model engagement_weekly done !" in text
    assert text.rstrip().endswith("run_id=r9 week=2026-10-12 2026-10-19")
    assert alert["message"] == "weekly_job failed: Database Error in model engagement_weekly done !"


def test_a_very_long_message_is_cut_to_one_readable_line(publish):
    alert = raise_alert("run_failed", "x" * 5000, run_id="long")
    assert len(alert["message"]) == alerts.MAX_MESSAGE_CHARS and alert["message"].endswith("...")
    assert (publish / "alerts.log").read_text().rstrip().endswith("... run_id=long")


def test_a_run_s_failure_is_alerted_once_however_many_paths_report_it(publish):
    assert raise_alert("run_failed", "weekly_job failed", run_id="abc")
    assert raise_alert("run_failed", "weekly_job failed (seen by the sensor)", run_id="abc") == {}
    raise_alert("run_failed", "weekly_job failed", run_id="abcd")
    raise_alert("report_held", "held", run_id="abc")
    raise_alert("report_held", "held", run_id="abc")
    kinds = [line.split()[1] for line in (publish / "alerts.log").read_text().splitlines()]
    assert kinds == ["RUN_FAILED", "RUN_FAILED", "REPORT_HELD", "REPORT_HELD"]


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
    assert request.tags["leap/weeks"] == week  # the UI's runs list shows the week
