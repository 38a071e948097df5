"""HAProxy with deploy/haproxy.cfg in front of running apps: the replicas test's balancer, and a
real reverse proxy for tests that need one (a proxy adds X-Forwarded-For to every request, the
websocket's too; Chromium's extra request headers do not reach the websocket)."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.server import ROOT, free_port, stop, wait_until

CONFIG = ROOT / "deploy" / "haproxy.cfg"


def haproxy_binary() -> str:
    found = shutil.which("haproxy") or ("/usr/sbin/haproxy" if os.access("/usr/sbin/haproxy", os.X_OK) else None)
    if not found:
        pytest.fail("HAProxy is not installed: scripts/test.sh installs Debian's haproxy package", pytrace=False)
    return found


def balancer_env(bind: str, app1: str, app2: str) -> dict[str, str]:
    return {**os.environ, "PLANNER_BIND": bind, "PLANNER_APP1": app1, "PLANNER_APP2": app2}


def get(url: str, cookie: str) -> tuple[int, str | None]:
    req = urllib.request.Request(url, headers={"Cookie": cookie})
    with urllib.request.urlopen(req, timeout=2) as r:
        return r.status, r.headers.get("X-Replica")


@contextlib.contextmanager
def balancer(app1: str, app2: str, log: Path, timeout: float = 20.0) -> Iterator[str]:
    """HAProxy with deploy/haproxy.cfg in the foreground on a free port; yield its URL once it
    reaches both replicas (asked with each one's cookie, so that no new browser is counted)."""
    port = free_port()
    out = open(log, "wb")  # noqa: SIM115 (closed below)
    proc = subprocess.Popen([haproxy_binary(), "-db", "-f", str(CONFIG)], stdout=out, stderr=subprocess.STDOUT,
                            env=balancer_env(f"127.0.0.1:{port}", app1, app2))
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        for server in ("app1", "app2"):
            wait_until(lambda server=server: get(f"{url}/_stcore/health", f"SRV={server}") == (200, server), proc,
                       deadline, lambda server=server: f"haproxy did not reach {server}: {log.read_text(errors='replace')}")
        yield url
    finally:
        stop(proc)
        out.close()
