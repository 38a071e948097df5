"""N browser sessions opening the compare page at the same moment, in one headless Chromium.

Issue §1's load test. The app is started as the browser tests start it (``tests/browser/server.py``);
each of N Playwright contexts (its own session) opens ``/loans`` and, with ``--book 200``, uploads its
own generated 200-loan CSV (``bench.bench_pages.book_of``, a different seed per session; ``sample``
keeps the bundled sample). Once every session is ready, all N click the sidebar's compare link at
once (asyncio, one Chromium), and each is timed from its click:

Before that, one unmeasured session opens the compare page (the server has imported everything), and
each session goes on from ``/loans`` to the capacity page (its browser context has Plotly's code).

* ``drawn`` — the compare page's table and its chart are on the page (its own keyed containers, not
  stale): what the user waits for before reading the comparison (the search below may still run);
* ``run`` — the first script run after the click as the browser sees it (``data-test-script-state``
  running → notRunning): the server's run of the page, plus its messages' way to the browser;
* ``done`` — also the what-to-ask search and the plan below it shown (no spinner left, the plan's
  metrics drawn) and the script idle.

The server's process tree (the Streamlit process and any worker processes) is sampled every 0.1 s
for its resident memory, RSS summed and PSS summed (shared pages counted once) (peak; then again 40 s after every context closed) and its CPU seconds
(user + system, children included) are read before the clicks and after the last page is done.

``--slider R``, instead: one session on the capacity page moves its share-of-surplus slider R times, and
bench/floor_page.py (a slider and 4 trivial Plotly charts, its own server) its slider as often, in turn
(a tap on the track at 40 % and 60 % in turn); each move is timed from the tap's release until a chart
is redrawn (its DOM changed) and apart until the script is also idle, and the page's time over the
floor's is taken round by round (paired: both saw the same load).

Run: python bench/bench_sessions.py --sessions 10 --book 200 [--app-dir DIR] [--json out.json]
     python bench/bench_sessions.py --slider 15 --book sample
(``--app-dir``: serve another checkout, e.g. ``git archive main | tar -x -C /tmp/base``, for a baseline).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_pages import book_of  # noqa: E402
from tests.browser import server  # noqa: E402

IDLE = server.IDLE
# Records every change of the app's script state (performance.now() ms), for the ``run`` figure.
WATCH = """
window.__states = [];
new MutationObserver((records) => {
  const app = document.querySelector("[data-testid='stApp']");
  if (!app) return;
  // every state it went through: a quick run can go running → notRunning within one batch of records
  const changes = records.filter(r => r.type === 'attributes' && r.target === app);
  const seen = [...changes.slice(1).map(r => r.oldValue), app.getAttribute('data-test-script-state')];
  for (const s of seen) {
    const last = window.__states[window.__states.length - 1];
    if (!last || last[0] !== s) window.__states.push([s, performance.now()]);
  }
}).observe(document, {subtree: true, attributes: true, attributeOldValue: true,
                      attributeFilter: ['data-test-script-state'], childList: true});
// when a Plotly chart's drawing last changed (Plotly.react rewrites its SVG in place)
window.__chartAt = 0;
new MutationObserver((records) => {
  if (records.some(r => (r.target.closest ? r.target : r.target.parentElement)?.closest?.(".js-plotly-plot")))
    window.__chartAt = performance.now();
}).observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
"""
# The compare page's table and its charts drawn, nothing of them stale (from the page before).
DRAWN = """() => {
  const fresh = (sel) => [...document.querySelectorAll(sel)].some(
      e => !e.closest("[data-stale='true']"));
  return location.pathname.endsWith('/compare')
      && fresh("[class*='st-key-wide_only_compare'] [data-testid='stDataFrame']")
      && fresh("[class*='st-key-compare_chart'] [data-testid='stPlotlyChart'] .main-svg");
}"""
# ... and the what-to-ask search shown: no spinner, the plan's three metrics, the script idle.
DONE = """() => {
  const main = document.querySelector("[data-testid='stMain']") || document;
  const fresh = [...main.querySelectorAll("[data-testid='stMetric']")].filter(
      e => !e.closest("[data-stale='true']"));
  return location.pathname.endsWith('/compare') && !main.querySelector("[data-testid='stSpinner']")
      && fresh.length >= 3 && !!document.querySelector("[data-testid='stApp'][data-test-script-state='notRunning']");
}"""
CSV_COLUMNS = {"lender": "Lender", "balance": "Balance", "annual_rate": "Annual rate",
               "remaining_months": "Remaining months", "method": "Method", "overdue_days": "Days overdue",
               "overdue_amount": "Overdue amount", "penalty": "Penalty interest"}


def book_csv(n: int, seed: int, folder: Path) -> Path:
    """``book_of(n, seed)`` as a CSV the importer reads back (rates as percent text)."""
    loans = book_of(n, seed).loans
    df = loans[list(CSV_COLUMNS)].rename(columns=CSV_COLUMNS)
    df["Annual rate"] = [f"{r * 100!r}%" for r in loans["annual_rate"]]
    path = folder / f"book_{seed}.csv"
    df.to_csv(path, index=False)
    return path


def tree(pid: int) -> list[psutil.Process]:
    try:
        p = psutil.Process(pid)
        return [p, *p.children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


def rss_mib(pid: int) -> float:
    """Resident memory of the process tree (MiB): the sum of each process's RSS."""
    total = 0
    for p in tree(pid):
        with contextlib.suppress(psutil.NoSuchProcess):
            total += p.memory_info().rss
    return total / 2**20


def pss_mib(pid: int) -> float:
    """The same, each shared page counted once (PSS: shared pages split between their processes)."""
    total = 0
    for p in tree(pid):
        with contextlib.suppress(psutil.NoSuchProcess, psutil.AccessDenied):
            total += p.memory_full_info().pss
    return total / 2**20


def cpu_s(pid: int, without: int | None = None) -> float:
    """CPU seconds (user + system) of ``pid``'s process tree, leaving out ``without``'s tree."""
    left_out = {p.pid for p in tree(without)} if without else set()
    total = 0.0
    for p in tree(pid):
        if p.pid in left_out or p.pid == os.getpid():
            continue
        with contextlib.suppress(psutil.NoSuchProcess):
            c = p.cpu_times()
            total += c.user + c.system
    return total


class Sampler(threading.Thread):
    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak, self.peak_pss, self.stop = pid, 0.0, 0.0, threading.Event()

    def run(self) -> None:
        while not self.stop.wait(0.1):
            self.peak = max(self.peak, rss_mib(self.pid))
            self.peak_pss = max(self.peak_pss, pss_mib(self.pid))


def server_pid(port: int) -> int:
    for c in psutil.net_connections("tcp"):
        if c.status == psutil.CONN_LISTEN and c.laddr.port == port and c.pid:
            return c.pid
    for p in psutil.process_iter(["cmdline"]):
        if f"--server.port={port}" in " ".join(p.info["cmdline"] or []):
            return p.pid
    raise RuntimeError("server process not found")


async def prepare(browser, url: str, csv: Path | None, timeout: float):
    ctx = await browser.new_context(viewport={"width": 1300, "height": 900}, locale="zh-CN")
    page = await ctx.new_page()
    await page.add_init_script(WATCH)
    await page.goto(url + "/loans")
    await page.wait_for_selector("[data-testid='stSidebarUserContent']", state="attached", timeout=timeout)
    await page.wait_for_selector(IDLE, timeout=timeout)
    if csv is not None:
        await quiet(page)  # (an uploader drawn anew drops the file set on it: tests/browser/server.py)
        await page.locator("[data-testid='stFileUploader'] input[type=file]").first.set_input_files(str(csv))
        await page.wait_for_function("() => document.body.innerText.includes('已从')", timeout=timeout)
    await page.wait_for_timeout(300)
    await page.wait_for_selector(IDLE, timeout=timeout)
    # the capacity page next, as the journey goes: this context has Plotly's code loaded before the clicks
    for attempt in range(3):  # (a click on the link while the page settles is lost now and then, as in the tests)
        await quiet(page)
        await page.locator("[data-testid='stSidebarNav'] a[href$='/capacity']").first.click()
        try:
            await page.wait_for_function("() => location.pathname.endsWith('/capacity')", timeout=10_000)
            break
        except Exception:
            if attempt == 2:
                raise
    await page.wait_for_selector("[data-testid='stPlotlyChart'] .main-svg", timeout=timeout)
    await page.wait_for_timeout(300)
    await page.wait_for_selector(IDLE, timeout=timeout)
    await quiet(page)
    return ctx, page


async def warm_up(browser, url: str, timeout: float) -> None:
    """One unmeasured visit to the compare page (the sample): the server has imported every module."""
    ctx, page = await prepare(browser, url, None, timeout)
    await open_compare(page, timeout)
    await ctx.close()


async def open_compare(page, timeout: float) -> dict[str, float]:
    """The click on the compare link, timed as the module says; a page that does not get there is
    kept as a screenshot (``bench_sessions_stuck_*.png`` in the temp folder) before the error."""
    try:
        return await _open_compare(page, timeout)
    except Exception:
        shot = Path(tempfile.gettempdir()) / f"bench_sessions_stuck_{id(page)}.png"
        await page.screenshot(path=str(shot), full_page=True)
        print(f"stuck: {page.url}, script {await page.get_attribute('[data-testid=stApp]', 'data-test-script-state')}, "
              f"see {shot}", file=sys.stderr)
        raise


async def until(page, cond: str, timeout: float) -> None:
    """Until the JavaScript function ``cond`` holds, checked when the page changes (at most every
    50 ms), not polled: ten pages polled every 50–100 ms while they wait cost the browser CPU the
    app is measured by."""
    ok = await page.evaluate(f"""timeout => new Promise(done => {{
      const cond = {cond};
      if (cond()) return done(true);
      let pending = false;
      const finish = ok => {{ seen.disconnect(); clearTimeout(stop); done(ok); }};
      const check = () => {{ pending = false; if (cond()) finish(true); }};
      const seen = new MutationObserver(() => {{ if (!pending) {{ pending = true; setTimeout(check, 50); }} }});
      seen.observe(document, {{subtree: true, childList: true, attributes: true, characterData: true}});
      const stop = setTimeout(() => finish(false), timeout);
    }})""", timeout)
    if not ok:
        raise TimeoutError(f"{page.url}: not reached within {timeout / 1000:.0f} s: {cond[:60]}")


async def _open_compare(page, timeout: float) -> dict[str, float]:
    link = page.locator("[data-testid='stSidebarNav'] a[href$='/compare']").first
    t_click = await page.evaluate("performance.now()")
    t0 = time.perf_counter()
    await link.click()
    # (the page's own containers, keyed: nothing of another page, nothing stale from before the click)
    await until(page, DRAWN, timeout)
    drawn = time.perf_counter() - t0
    await until(page, DONE, timeout)
    await page.wait_for_timeout(400)  # (a fragment still to come would start within this)
    await until(page, DONE, timeout)
    done = time.perf_counter() - t0 - 0.4
    states = await page.evaluate("window.__states")
    after = [(s, at) for s, at in states if at >= t_click]
    start = next((at for s, at in after if s == "running"), None)
    end = next((at for s, at in after if s == "notRunning" and start is not None and at > start), None)
    run = (end - start) / 1000 if start is not None and end is not None else float("nan")
    return {"drawn": drawn, "done": max(done, drawn), "run": run}


def pct(values: list[float], q: float) -> float:
    v = sorted(values)
    if len(v) == 1:
        return v[0]
    k = (len(v) - 1) * q
    lo = int(k)
    return v[lo] + (v[min(lo + 1, len(v) - 1)] - v[lo]) * (k - lo)


async def bench(url: str, pid: int, n: int, book: str, timeout: float) -> dict:
    from playwright.async_api import async_playwright

    folder = Path(tempfile.mkdtemp(prefix="bench_sessions_"))
    csvs = [book_csv(200, 100 + i, folder) if book == "200" else None for i in range(n)]
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=server.CHROMIUM, args=server.CHROMIUM_ARGS, headless=True)
        try:
            await warm_up(browser, url, timeout)
            ready = []
            for csv in csvs:  # one by one: the uploads are not what is measured
                ready.append(await prepare(browser, url, csv, timeout))
            rss_ready = rss_mib(pid)
            sampler = Sampler(pid)
            sampler.start()
            cpu0, browser0 = cpu_s(pid), cpu_s(os.getpid(), without=pid)
            t0 = time.perf_counter()
            times = await asyncio.gather(*(open_compare(page, timeout) for _, page in ready))
            wall = time.perf_counter() - t0
            cpu, browser_cpu = cpu_s(pid) - cpu0, cpu_s(os.getpid(), without=pid) - browser0
            sampler.stop.set()
            sampler.join()
            peak, peak_pss = max(sampler.peak, rss_mib(pid)), max(sampler.peak_pss, pss_mib(pid))
            for ctx, _ in ready:
                await ctx.close()
        finally:
            await browser.close()
    await asyncio.sleep(40)  # (the pool shuts down after 30 s idle: lib.negotiate.pool)
    return {"sessions": n, "book": book, "times": times, "wall_s": wall, "server_cpu_s": cpu, "browser_cpu_s": browser_cpu,
            "rss_ready_mib": rss_ready, "rss_peak_mib": peak, "pss_peak_mib": peak_pss,
            "rss_after_close_mib": rss_mib(pid), "pss_after_close_mib": pss_mib(pid)}


async def quiet(page) -> None:
    """Until nothing on the page has changed for 400 ms (``tests/browser/server.wait_quiet``): a
    page that is still drawing may draw an element anew and drop what it was given."""
    await page.evaluate(server.QUIET, [400, 5_000])


async def slide(page, slider, at: float, timeout: float) -> dict:
    """Seconds from the release of a tap on ``slider``'s track at ``at`` (0–1 of its width) until
    its chart is redrawn: the last change to a chart's drawing (seen by a MutationObserver; the
    page is then quiet for 400 ms), plus the frame that paints it (``drawn``); ``done``: or, if
    later, the script going idle (the runs a move causes may go on after the chart).

    A tap, not an arrow key: Streamlit 1.67's slider now and then sends no value for a key pressed
    and released at once (3 moves in 6 lost, and a key that brings the slider back to its first
    value never sends one)."""
    await page.bring_to_front()  # (the two pages take turns: the one moved is the one in front)
    await quiet(page)
    before = await slider.locator("input[type=range]").input_value()
    box = await slider.locator("[role=group] > div").first.bounding_box()
    await page.mouse.move(box["x"] + at * box["width"], box["y"] + box["height"] / 2)
    await page.mouse.down()
    await page.wait_for_timeout(80)  # (a finger's tap: the value is sent on its release)
    t = await page.evaluate("performance.now()")
    await page.mouse.up()
    try:
        await page.wait_for_function("t => window.__chartAt > t", arg=t, timeout=timeout, polling=20)
    except Exception:
        raise RuntimeError(f"no chart redrawn after a tap at {at:.0%} on {page.url}: value {before} → "
                           f"{await slider.locator('input[type=range]').input_value()}") from None
    await quiet(page)
    await page.wait_for_selector(IDLE, timeout=timeout)
    # (a quick rerun may never show as running: React draws its start and end as one state)
    idle = await page.evaluate("window.__states[window.__states.length - 1][1]")
    drawn = await page.evaluate("window.__chartAt")
    frame = 1 / 60
    return {"drawn": (drawn - t) / 1000 + frame, "done": (max(idle, drawn) - t) / 1000 + frame}


async def bench_slider(url: str, floor_url: str, book: str, repeats: int, timeout: float) -> dict:
    """The capacity page's share slider against bench/floor_page.py's slider, one move of each in
    turn (the order alternating), in one browser: the paired ratio of each round."""
    from playwright.async_api import async_playwright


    folder = Path(tempfile.mkdtemp(prefix="bench_sessions_"))
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=server.CHROMIUM, args=server.CHROMIUM_ARGS, headless=True)
        try:
            ctx, page = await prepare(browser, url, book_csv(200, 100, folder) if book == "200" else None, timeout)
            floor_ctx = await browser.new_context(viewport={"width": 1300, "height": 900})
            floor = await floor_ctx.new_page()
            await floor.add_init_script(WATCH)
            await floor.goto(floor_url)
            await floor.wait_for_selector("[data-testid='stPlotlyChart'] .main-svg", timeout=timeout)
            await floor.wait_for_selector(IDLE, timeout=timeout)
            cap_slider = page.locator("[data-testid='stMain'] [data-testid='stSlider']").first  # the share
            floor_slider = floor.locator("[data-testid='stSlider']").first
            app_t, floor_t = [], []
            for i in range(repeats):
                at = 0.6 if i % 2 else 0.4  # (both sliders 0–100: 40 and 60 in turn)
                pair = [(page, cap_slider, app_t), (floor, floor_slider, floor_t)]
                for p, sl, out in pair if i % 2 == 0 else pair[::-1]:
                    out.append(await slide(p, sl, at, timeout))
            await ctx.close()
            await floor_ctx.close()
        finally:
            await browser.close()
    return {"book": book, "capacity": app_t, "floor": floor_t,
            "ratios": {k: [a[k] / f[k] for a, f in zip(app_t, floor_t, strict=True)] for k in ("drawn", "done")}}


def report_slider(r: dict) -> None:
    med = statistics.median
    for k in ("drawn", "done"):
        rs = r["ratios"][k]
        print(f"capacity slider → charts {k} ({'200 loans' if r['book'] == '200' else 'the sample'}), {len(rs)} moves: "
              f"page median {med(m[k] for m in r['capacity']) * 1000:.0f} ms, "
              f"floor {med(m[k] for m in r['floor']) * 1000:.0f} ms; "
              f"paired ratio median {med(rs):.2f}× (quartiles {pct(rs, 0.25):.2f}–{pct(rs, 0.75):.2f})")


def report(r: dict) -> None:
    print(f"{'FLOOR (bench/floor_app.py): ' if r.get('floor') else ''}"
          f"{r['sessions']} session(s) × {'200 loans' if r['book'] == '200' else 'the sample'}: "
          f"all done in {r['wall_s']:.1f} s wall, server CPU {r['server_cpu_s']:.1f} s, "
          f"browser CPU {r.get('browser_cpu_s', float('nan')):.1f} s (Chromium and Playwright)")
    for key in ("drawn", "run", "done"):
        v = [t[key] for t in r["times"]]
        print(f"  {key:6s} median {statistics.median(v):6.2f} s  p95 {pct(v, 0.95):6.2f} s  "
              f"min {min(v):6.2f}  max {max(v):6.2f}")
    print(f"  server RSS (process tree): ready {r['rss_ready_mib']:.0f} MiB, peak {r['rss_peak_mib']:.0f} MiB "
          f"(PSS {r['pss_peak_mib']:.0f}), 40 s after every context closed {r['rss_after_close_mib']:.0f} MiB "
          f"(PSS {r['pss_after_close_mib']:.0f})")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sessions", type=int, default=10)
    ap.add_argument("--book", choices=("sample", "200"), default="200")
    ap.add_argument("--app-dir", default=str(ROOT), help="the checkout to serve (default: this one)")
    ap.add_argument("--timeout", type=float, default=600.0, help="seconds a page may take")
    ap.add_argument("--json", default="", help="also write the figures to this file")
    ap.add_argument("--floor", action="store_true",
                    help="serve bench/floor_app.py (the same journey in Streamlit and Plotly alone) instead of the app")
    ap.add_argument("--slider", type=int, default=0,
                    help="instead: move the capacity page's slider and the floor page's this many times each")
    args = ap.parse_args()
    server.ROOT = Path(args.app_dir).resolve()
    if args.slider:
        with server.app_server() as url, server.app_server("bench/floor_page.py") as floor_url:
            r = asyncio.run(bench_slider(url, floor_url, args.book, args.slider, args.timeout * 1000))
        report_slider(r)
        if args.json:
            Path(args.json).write_text(json.dumps(r, indent=1))
        return
    port = server.free_port()
    if args.floor and args.book != "sample":
        ap.error("--floor has no loans to upload: use it with --book sample")
    with server.app_server("bench/floor_app.py" if args.floor else "app.py", port=port, timeout=120) as url:
        pid = server_pid(port)
        r = asyncio.run(bench(url, pid, args.sessions, args.book, args.timeout * 1000))
    r["floor"] = args.floor
    report(r)
    if args.json:
        Path(args.json).write_text(json.dumps(r, indent=1))


if __name__ == "__main__":
    main()
