"""Scale-out: two replicas of the app behind HAProxy (deploy/haproxy.cfg, run as it is with this
test's ports in the environment), the coach workspace on one PostgreSQL.

* Sticky sessions: two browsers (two cookie jars) land on different replicas; every response
  each one gets, and its one websocket, come from its replica (HAProxy's SRV cookie, the
  X-Replica header, HAProxy's log), and the Streamlit session survives page switches (still
  signed in, a typed value still there).
* One workspace: a client added through replica A is listed, and opens with A's numbers,
  through replica B.
"""

from __future__ import annotations

import contextlib
import re
import subprocess
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from lib.workspace import Workspace
from lib.workspace.auth import hash_passphrase
from tests.browser.balancer import CONFIG, balancer, balancer_env, haproxy_binary
from tests.browser.server import (
    app_server,
    click,
    launch_browser,
    wait_idle,
    wait_text,
)

pytestmark = pytest.mark.browser

COACH, PASSPHRASE = "coach-lin", "replicas share one database 三四五"
UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36"
# HAProxy's httplog line: ... backend/server ... {captured User-Agent} "METHOD PATH HTTP/x"
# ("--NI": no cookie came, one was inserted; "--VN": a valid cookie came, none inserted)
LOG_LINE = re.compile(r' replicas/(?P<server>\S+) \S+ \d+ \+?\d+ \S+ \S+ (?P<state>\S{4}) .*'
                      r'\{(?P<ua>[^}]*)\} "(?P<method>[A-Z]+) (?P<path>\S+)')


@contextlib.contextmanager
def together(managers: list[contextlib.AbstractContextManager]) -> Iterator[list]:
    """Enter the context managers at once (each in a thread: the replicas start side by side); exit
    them all after, also those that did start when another failed."""
    with contextlib.ExitStack() as stack:
        with ThreadPoolExecutor(len(managers)) as pool:
            futures = [pool.submit(m.__enter__) for m in managers]
        values, failed = [], None
        for m, f in zip(managers, futures, strict=True):
            try:
                values.append(f.result())
                stack.push(m.__exit__)
            except BaseException as exc:  # noqa: BLE001 (raised below, once the others are stopped)
                failed = failed or exc
        if failed is not None:
            raise failed
        yield values


def test_the_config_is_valid():
    done = subprocess.run([haproxy_binary(), "-c", "-f", str(CONFIG)], capture_output=True, text=True,
                          env=balancer_env("127.0.0.1:8080", "127.0.0.1:8501", "127.0.0.1:8502"), timeout=30)
    assert done.returncode == 0, done.stdout + done.stderr


# ---- driving the app (as tests/browser/test_coach_browser.py does) ----------------------------------


def go(page, title: str) -> None:
    """Switch page in the app (the sidebar's navigation: the same session, over the same websocket)."""
    page.locator("[data-testid='stSidebarNav'] a", has_text=title).first.click()
    wait_idle(page)


def set_number(page, label: str, value: str) -> None:
    box = page.get_by_role("spinbutton", name=label).first
    box.fill(value)
    box.press("Enter")
    wait_idle(page)


class Visitor:
    """One browser context (its own cookie jar), tagged in its User-Agent for HAProxy's log; keeps
    the X-Replica header of every response it gets and every websocket its page opens."""

    def __init__(self, browser, url: str, tag: str):
        self.tag = f"replica-test-{tag}"
        self.url = url
        self.ctx = browser.new_context(viewport={"width": 1300, "height": 950}, locale="en-US",
                                       user_agent=f"{UA} {self.tag}")
        self.replicas: list[str | None] = []
        self.sockets: list[str] = []
        self.ctx.on("response", lambda r: self.replicas.append(r.headers.get("x-replica")))
        self.page = self.ctx.new_page()
        self.page.on("websocket", lambda ws: self.sockets.append(ws.url))

    def cookie(self) -> str | None:
        return next((c["value"] for c in self.ctx.cookies(self.url) if c["name"] == "SRV"), None)

    def sign_in(self) -> None:
        page = self.page
        page.goto(self.url)
        wait_idle(page)
        wait_text(page, "Please sign in")  # through the balancer (X-Forwarded-For): a sign-in first
        page.get_by_label("Coach name").fill(COACH)
        page.get_by_label("Passphrase").fill(PASSPHRASE)
        click(page, "Sign in")
        wait_text(page, f"signed in as {COACH}")


@pytest.fixture()
def replicas(postgres_url, tmp_path) -> Iterator[tuple[str, Path]]:
    """Two replicas of app.py (workspace on, one PostgreSQL) behind HAProxy; yield its URL and log."""
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(f'[workspace.coaches]\n"{COACH}" = "{hash_passphrase(PASSPHRASE)}"\n', encoding="utf-8")
    # the same cookie secret on every replica (it signs st.login's cookie), as deployed; Streamlit
    # takes it from the environment or config.toml only, not the command line
    env = {"LOAN_PLANNER_WORKSPACE": "1", "LOAN_PLANNER_DB_URL": postgres_url,
           "STREAMLIT_SERVER_COOKIE_SECRET": uuid.uuid4().hex}
    args = [f"--secrets.files={secrets}"]
    log = tmp_path / "haproxy.log"
    servers = [app_server(args=args, env=env, log=tmp_path / f"app{i}.log") for i in (1, 2)]
    with together(servers) as (app1, app2), balancer(app1.removeprefix("http://"), app2.removeprefix("http://"),
                                                     log) as url:
        yield url, log


def test_sticky_sessions_and_one_workspace(replicas, postgres_url):
    url, log = replicas
    name = f"Client via one replica {uuid.uuid4().hex[:6]}"
    with launch_browser() as browser:
        a, b = Visitor(browser, url, "A"), Visitor(browser, url, "B")
        a.sign_in()
        b.sign_in()  # a second browser: the replica with fewer connections, the other one
        ra, rb = a.cookie(), b.cookie()
        assert {ra, rb} == {"app1", "app2"}, (ra, rb)
        wait_text(b.page, "No clients yet")

        # A: a number typed on one page, a client added (with that work) on another
        go(a.page, "What you can pay")
        set_number(a.page, "Monthly take-home income", "12345")
        go(a.page, "Clients")
        a.page.get_by_role("textbox", name="Client", exact=True).fill(name)
        click(a.page, "Add")
        wait_text(a.page, "Client added.")
        assert a.page.get_by_role("combobox", name="Client").input_value() == name

        # B, on the other replica, still signed in after a page switch: the client is listed; opened,
        # it shows A's number
        go(b.page, "What you can pay")
        go(b.page, "Clients")
        wait_text(b.page, f"signed in as {COACH}")
        assert b.page.get_by_role("combobox", name="Client").input_value() == name
        click(b.page, "Open")
        wait_text(b.page, "Opened")
        go(b.page, "What you can pay")
        assert b.page.get_by_role("spinbutton", name="Monthly take-home income").first.input_value() == "12345"

        # A's session lives on too: back on the first page, the number typed there two pages ago
        go(a.page, "What you can pay")
        assert a.page.get_by_role("spinbutton", name="Monthly take-home income").first.input_value() == "12345"

        # each browser kept its cookie, every response came from its replica, one websocket each
        assert (a.cookie(), b.cookie()) == (ra, rb)
        assert a.replicas and set(a.replicas) == {ra}, set(a.replicas)
        assert b.replicas and set(b.replicas) == {rb}, set(b.replicas)
        for v in (a, b):
            assert len(v.sockets) == 1 and v.sockets[0].endswith("/_stcore/stream"), v.sockets
        a.ctx.close()
        b.ctx.close()  # (HAProxy logs a websocket when it closes)

    # HAProxy's own log: every request of each browser, the websocket too, went to its replica
    lines: dict[str, list[tuple[str, str, str]]] = {}
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        lines = {v.tag: [] for v in (a, b)}
        for m in LOG_LINE.finditer(log.read_text(errors="replace")):
            for v in (a, b):
                if m["ua"].endswith(v.tag):
                    lines[v.tag].append((m["server"], m["state"][2:], m["path"]))
        if all(any(p == "/_stcore/stream" for *_, p in lines[v.tag]) for v in (a, b)):
            break
        time.sleep(0.2)
    for v, replica in ((a, ra), (b, rb)):
        seen = lines[v.tag]
        assert len(seen) > 20 and {s for s, *_ in seen} == {replica}, seen
        assert (replica, "VN", "/_stcore/stream") in seen, seen  # the websocket, with the cookie
        assert [(s, p) for s, c, p in seen if c != "VN"] == [(replica, "/")], seen  # one cookie, on the first page

    ws = Workspace.open(postgres_url)
    try:
        assert [c.name for c in ws.clients(COACH)] == [name]
    finally:
        ws.close()
