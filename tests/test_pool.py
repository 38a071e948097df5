"""The compare page's heavy work off the server's interpreter lock, with the same results.

* ``rows_of`` (a stacked book's rows, taken without reading the table again) is ``prepare`` of
  those rows of the table, field by field;
* the what-to-ask search run in the process pool gives what it gives in-process.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from bench.bench_pages import book_of
from lib.capacity import Capacity
from lib.loans import named
from lib.negotiate import legal_lines, pool
from lib.negotiate.asks import LADDER, LAST_RESORT
from lib.negotiate.transform import _apply, _columns
from lib.payoff import Book, prepare, rows_of
from lib.plan import asks_with_text


def test_rows_of_a_stacked_book_is_prepare_of_those_rows() -> None:
    loans = book_of(60, seed=11).loans
    col = _columns(loans)
    tables = [_apply(o, loans, col)[0] for o in (*LADDER, LAST_RESORT)]
    big = pd.concat(tables, ignore_index=True)
    stacked = prepare(big)
    rng = np.random.default_rng(3)
    n = len(loans)
    for _ in range(5):
        rows = rng.integers(0, len(tables), n) * n + np.arange(n)
        got, want = rows_of(stacked, rows), prepare(big.iloc[rows].reset_index(drop=True))
        for f in Book._fields:
            a, b = getattr(got, f), getattr(want, f)
            if f == "lender_names":
                assert list(a) == list(b)
            else:
                assert np.array_equal(a, b, equal_nan=a.dtype.kind == "f"), f


def test_the_search_in_the_pool_gives_what_it_gives_here() -> None:
    loans = named(book_of(pool.MIN_LOANS, seed=5).loans, "en")
    assert pool.worth_a_worker(len(loans)) and not pool.worth_a_worker(8)
    cap = Capacity(income=30000)
    kw = {"strategy": "avalanche", "penalty_multiple": 1.5, "basis": "enforceable", "legal": legal_lines(loans),
          "lang": "en"}
    here_asks, here_text = asks_with_text(loans, cap, **kw)
    there_asks, there_text = pool.submit(asks_with_text, loans, cap, **kw).result(timeout=300)
    assert there_text == here_text
    assert (there_asks.fits, there_asks.gap, there_asks.months, there_asks.total_paid, there_asks.plan) == (
        here_asks.fits, here_asks.gap, here_asks.months, here_asks.total_paid, here_asks.plan)
    for a, b in zip(there_asks.asks, here_asks.asks, strict=True):
        assert dataclasses.replace(a, before={}, after={}) == dataclasses.replace(b, before={}, after={})
        assert pd.Series(a.after).equals(pd.Series(b.after))


def book_file(n: int, seed: int) -> bytes:
    """``book_of(n, seed)`` as the CSV a borrower would upload (rates as percent text)."""
    loans = book_of(n, seed).loans
    cols = {"lender": "Lender", "balance": "Balance", "remaining_months": "Remaining months", "method": "Method",
            "overdue_days": "Days overdue", "overdue_amount": "Overdue amount", "penalty": "Penalty interest"}
    df = loans[list(cols)].rename(columns=cols)
    df["Annual rate"] = [f"{r * 100!r}%" for r in loans["annual_rate"]]
    return df.to_csv(index=False).encode()


def test_a_large_book_searches_in_the_pool_and_the_kit_reuses_the_search(monkeypatch) -> None:
    """The compare page waits for the worker within its run, shows the pool's asks — the text the
    search gives in-process — and the kit page then takes them from the session instead of
    searching again (the search is made to fail if it is run again)."""
    from tests.test_pages import run_app, upload

    n = pool.MIN_LOANS + 5
    at = upload(run_app("English"), "book.csv", book_file(n, seed=9))
    at.switch_page("pages/compare.py").run(timeout=300)
    assert not at.exception, [e.value for e in at.exception]
    memo = at.session_state["_memo"]
    (ask_key,) = [k for k in memo if k[0] == "ask"]
    asked, text = memo[ask_key]
    assert len(asked.asks) == n and not at.session_state["_jobs"]
    assert any(m.value == text for m in at.markdown)  # the pool's text, on the page
    _, _, cap, pm, strategy, basis, lang = ask_key
    loans = named(at.session_state["_memo"][next(k for k in memo if k[0] == "named")], "en")
    _, here_text = asks_with_text(loans, cap, strategy=strategy, penalty_multiple=pm, basis=basis,
                                  legal=legal_lines(loans), lang=lang)
    assert here_text == text

    import pages._memo

    def searched_again(*a, **k):
        raise AssertionError("the search ran again")

    monkeypatch.setattr(pages._memo, "asks_with_text", searched_again)
    monkeypatch.setattr(pool, "submit", searched_again)
    at.switch_page("pages/kit.py").run(timeout=120)
    assert not at.exception, [e.value for e in at.exception]
    assert at.text_area, "the kit's letters are drawn"
