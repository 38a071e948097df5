"""Start the real app on a free port and drive it with Debian's Chromium (Playwright).

Used by the browser tests and by scripts/screenshots.py.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic",
                 "--no-first-run", "--disable-component-update", "--disable-sync"]
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def app_server(script: str = "app.py", *, port: int | None = None, timeout: float = 60.0,
               args: Sequence[str] = (), env: Mapping[str, str] | None = None,
               log: Path | None = None) -> Iterator[str]:
    """Run ``streamlit run SCRIPT`` (a path from the repository root) on 127.0.0.1; yield its base URL.

    ``port``: a free one unless given (give the same one to restart a server on the same
    origin, e.g. to keep the browser's localStorage). ``args``: more ``streamlit run`` options
    (e.g. ``--secrets.files=…``); ``env``: variables added to the server's environment; ``log``: where
    the server's output goes (``.streamlit-test.log`` unless given: give one per server run at once).
    """
    port = port or free_port()
    cmd = [sys.executable, "-m", "streamlit", "run", script, "--server.headless=true",
           f"--server.port={port}", "--server.address=127.0.0.1", "--browser.gatherUsageStats=false",
           "--server.fileWatcherType=none", *args]
    log_path = log or ROOT / ".streamlit-test.log"
    out = open(log_path, "wb")  # noqa: SIM115 (closed below)
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})})
    url = f"http://127.0.0.1:{port}"
    try:
        def healthy() -> bool:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                return r.status == 200
        wait_until(healthy, proc, time.monotonic() + timeout, lambda: f"streamlit did not start: {log_path.read_text()}")
        yield url
    finally:
        stop(proc)
        out.close()


def wait_until(ready: Callable[[], bool], proc: subprocess.Popen, deadline: float, failed: Callable[[], str]) -> None:
    """Ask ``ready()`` (an OSError counts as not yet) until it says yes; raise ``RuntimeError(failed())``
    if ``proc`` ends first or the ``time.monotonic()`` deadline passes."""
    while True:
        try:
            if ready():
                return
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(failed())
        time.sleep(0.2)


def stop(proc: subprocess.Popen) -> None:
    """Terminate a server process; kill it if it has not ended within 10 s."""
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@contextlib.contextmanager
def launch_browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


QUIET = """([quiet, most]) => new Promise(done => {
  let last = performance.now();
  const seen = new MutationObserver(() => { last = performance.now(); });
  seen.observe(document.body, {childList: true, subtree: true, attributes: true});
  const start = performance.now();
  const tick = () => {
    const now = performance.now();
    if (now - last >= quiet || now - start >= most) { seen.disconnect(); done(now - start); }
    else setTimeout(tick, 50);
  };
  tick();
})"""


def wait_quiet(page, quiet: float = 400, most: float = 5_000) -> float:
    """Wait until nothing on the page has changed for ``quiet`` ms (at most ``most`` ms); the ms waited.

    The script being idle is not enough to act on the page: after a fresh page's first run the
    frontend may still draw it again, and an element drawn anew drops what it was given meanwhile.
    Seen: the file uploader's input replaced ~120 ms after the first idle, so a file set on it at once
    was lost (6 uploads in 20, none with this wait; a person cannot pick a file that fast)."""
    return page.evaluate(QUIET, [quiet, most])


def wait_idle(page, charts: bool = False, timeout: float = 30_000) -> None:
    """Wait until the script has finished (and, if asked, a Plotly chart has drawn)."""
    # the sidebar's own content appears only once app.py (st.navigation) has run
    page.wait_for_selector("[data-testid='stSidebarUserContent']", state="attached", timeout=timeout)
    page.wait_for_selector(IDLE, timeout=timeout)
    page.wait_for_timeout(300)
    page.wait_for_selector(IDLE, timeout=timeout)
    wait_quiet(page)
    if charts:
        page.wait_for_selector("[data-testid='stPlotlyChart'] .main-svg", timeout=timeout)
        page.wait_for_timeout(500)


def wait_text(page, text: str, timeout: float = 30_000) -> None:
    """Wait until ``text`` is on the page and the script has finished."""
    page.wait_for_function("t => document.body.innerText.includes(t)", arg=text, timeout=timeout)
    wait_idle(page, timeout=timeout)


def click(page, name: str) -> None:
    """Click the app's button labelled ``name`` (exactly: a button's text also holds its icon's
    ligature, e.g. "folder_open"), once the script is idle, and wait for the rerun."""
    button = page.locator("[data-testid^='stBaseButton']").filter(has=page.get_by_text(name, exact=True))
    wait_idle(page)
    button.first.click()
    wait_idle(page)


DOWNLOADS = "[data-testid='stMain'] [data-testid='stDownloadButton'] button"


def download(page, button, tries: int = 3) -> bytes:
    """Click a download button and return the file's bytes.

    Seldom, on a loaded machine, a click gets no answer: the button spins and no file comes
    (Streamlit makes the file on click; seen 3 times in ~20 runs, never when run alone). As a
    person would, wait half a minute, reload the page (the work is kept in the browser) and
    click the same button again.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    label = button.inner_text().strip()
    for attempt in range(tries):
        try:
            with page.expect_download(timeout=30_000) as info:
                button.click()
            return Path(info.value.path()).read_bytes()
        except PlaywrightTimeout:
            if attempt == tries - 1:
                raise
            page.reload()
            wait_idle(page)
            page.wait_for_timeout(1000)
            button = next(b for b in page.locator(DOWNLOADS).all() if b.is_visible() and b.inner_text().strip() == label)
    raise AssertionError("unreachable")
