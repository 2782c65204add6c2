"""The Dagster UI starts from workspace.yaml on loopback and shows every LEAP asset."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from orchestration.definitions import defs
from orchestration.runs.instance import dagster_home

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str, body: bytes | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, response.read()


@pytest.fixture
def webserver(leap_env):
    dagster_home()  # as `make dev` does (its setup runs `leap prepare`)
    port = free_port()
    webserver_bin = Path(sys.executable).with_name("dagster-webserver")
    process = subprocess.Popen(
        [str(webserver_bin), "-w", "workspace.yaml", "-h", "127.0.0.1", "-p", str(port)],
        cwd=ROOT,
        env={**os.environ, "DAGSTER_HOME": str(leap_env["DAGSTER_HOME"])},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group, so the whole tree stops with it
    )
    leap_env["DAGSTER_HOME"].mkdir(parents=True, exist_ok=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            try:
                if get(f"{base}/server_info")[0] == 200:
                    break
            except OSError:
                time.sleep(1)
        else:
            pytest.fail("the Dagster webserver did not answer within 180 s")
        yield base
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=20)


@pytest.mark.e2e
def test_the_ui_and_graphql_answer_and_list_every_asset(webserver):
    status, page = get(f"{webserver}/")
    assert status == 200 and b"<html" in page.lower()
    query = json.dumps({"query": "{ assetNodes { assetKey { path } } }"}).encode()
    deadline = time.monotonic() + 120
    while True:  # the code location may still be loading
        status, body = get(f"{webserver}/graphql", query)
        nodes = json.loads(body).get("data", {}).get("assetNodes") or []
        if nodes or time.monotonic() > deadline:
            break
        time.sleep(2)
    assert status == 200
    shown = {"/".join(node["assetKey"]["path"]) for node in nodes}
    expected = {spec.key.to_user_string() for spec in defs.resolve_all_asset_specs()}
    assert expected <= shown
    # No welcome modal asking for an email address: the instance marks it seen.
    status, body = get(f"{webserver}/graphql", json.dumps({"query": "{ shouldShowNux }"}).encode())
    assert status == 200 and json.loads(body)["data"]["shouldShowNux"] is False
