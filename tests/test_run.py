"""The README's run command on a fresh machine with a display: no first-run "Email:" question,
listening on 127.0.0.1 only (a borrower's data is not on the Wi-Fi)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request

from tests.browser.server import ROOT, free_port


def _lan_address() -> str | None:
    """An address of this machine other than loopback, if it has one."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("10.255.255.255", 1))  # no packet is sent for UDP connect
            ip = s.getsockname()[0]
        except OSError:
            return None
    return None if ip.startswith("127.") else ip


def test_the_run_command_starts_without_a_prompt_and_only_on_loopback(tmp_path):
    port = free_port()
    env = {**os.environ, "HOME": str(tmp_path), "DISPLAY": ":0", "BROWSER": "true"}  # a fresh user, a display
    env.pop("STREAMLIT_SERVER_HEADLESS", None)
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", f"--server.port={port}"],
                            cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    try:
        deadline, ok = time.monotonic() + 60, False
        while time.monotonic() < deadline and proc.poll() is None and not ok:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                    ok = r.status == 200
            except OSError:
                time.sleep(0.3)
        assert ok, "the app did not answer on 127.0.0.1"
        lan = _lan_address()
        if lan:  # the same port on the machine's network address: nobody listens there
            with socket.socket() as s:
                s.settimeout(2)
                assert s.connect_ex((lan, port)) != 0
    finally:
        proc.terminate()
        out = proc.communicate(timeout=15)[0].decode(errors="replace")
    assert "Email" not in out, out
    assert f"127.0.0.1:{port}" in out
    assert not (tmp_path / ".streamlit" / "credentials.toml").exists()
