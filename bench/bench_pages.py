"""How long the capacity and compare pages take to rerun after a slider change, against floor pages.

The floor page (bench/floor_page.py) draws the same number of Plotly charts from trivial
data, so Streamlit + Plotly cost the same in both; the ratio is what our own data work adds.
Targets (issue 3): ≤ 2× the floor with the sample, ≤ 3× with a 200-loan book.

Run: python bench/bench_pages.py [--repeats 7]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from lib.ingest import LoanBook  # noqa: E402
from lib.loans import METHODS, make_loans  # noqa: E402


def book_of(n: int, seed: int = 7) -> LoanBook:
    rng = np.random.default_rng(seed)
    recs = [{"lender": f"Lender {i:03d}", "balance": float(rng.integers(1_000, 50_000)),
             "annual_rate": float(rng.uniform(0.05, 0.36)), "remaining_months": int(rng.integers(3, 37)),
             "method": METHODS[i % len(METHODS)],
             "overdue_days": int(rng.choice([0, 0, 0, 35, 70])),
             "overdue_amount": 0.0, "penalty": float(rng.choice([0.0, 0.0, 120.0]))} for i in range(n)]
    return LoanBook(make_loans(recs), [], [], f"{n} loans")


def time_reruns(at: AppTest, slider, values: list[int]) -> float:
    times = []
    for v in values:
        t0 = time.perf_counter()
        slider().set_value(v).run()
        times.append(time.perf_counter() - t0)
        assert not at.exception, at.exception
    return statistics.median(times)


def app_page(book: LoanBook | None, page: str, slider: str, values: list[int]) -> float:
    st.cache_data.clear()  # AppTest sessions may share a cache scope: start cold every time
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    if book is not None:
        at.session_state["book"] = book
        at.session_state["origin"] = "file"
    at.run()
    at.switch_page(page).run()
    return time_reruns(at, lambda: at.slider(key=slider), values)


def capacity(book: LoanBook | None, values: list[int]) -> float:
    # share-of-surplus slider: every value is a new budget, so the simulation really reruns
    return app_page(book, "pages/capacity.py", "cap_share", values)


def compare(book: LoanBook | None, values: list[int]) -> float:
    # instalment months: every value re-runs every option (what-to-ask does not depend on it)
    return app_page(book, "pages/compare.py", "opt_instalments_months", [v % 55 + 6 for v in values])


def floor(values: list[int], page: str = "floor_page.py") -> float:
    at = AppTest.from_file(str(ROOT / "bench" / page), default_timeout=300).run()
    return time_reruns(at, lambda: at.slider(key="floor"), values)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=7)
    args = ap.parse_args()
    values = [95 - 5 * i for i in range(args.repeats)]
    f = floor(values)
    fe = floor(values, "element_floor_page.py")
    big = book_of(200)
    rows = [("capacity, sample (8 loans)", capacity(None, values)), ("capacity, 200 loans", capacity(big, values)),
            ("compare, sample (8 loans)", compare(None, values)), ("compare, 200 loans", compare(big, values))]
    print(f"floor page (slider + 4 trivial Plotly charts):            {f * 1000:7.1f} ms per rerun (median)")
    print(f"element floor (the page's widgets + 4 trivial charts):    {fe * 1000:7.1f} ms per rerun (median)")
    for name, secs in rows:
        print(f"{name:27s}: {secs * 1000:7.1f} ms per rerun  = {secs / f:5.2f} × floor, "
              f"{secs / fe:4.2f} × element floor")
    print("targets (issue 3): ≤ 2× floor with the sample, ≤ 3× with 200 loans")


if __name__ == "__main__":
    main()
