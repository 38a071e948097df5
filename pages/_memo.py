"""The pages' per-session memo, and searches worked out in the server's process pool while the
page waits (:func:`memo_in_background`): what a session has computed, kept bounded in its state.

Only widgets and session state live here; every computation is in ``lib``.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from concurrent import futures
from concurrent.futures import Future
from typing import TypeVar

import pandas as pd
import streamlit as st

from lib.i18n import t
from lib.negotiate import Asks, LegalLines, legal_lines, pool
from lib.plan import asks_with_text, strategy_of
from lib.scenario import Scenario

T = TypeVar("T")

MEMO_SIZE = 32  # results kept per session (least recently used dropped first)


def memo(name: str, key: tuple, compute: Callable[[], T], size: int = MEMO_SIZE, keep: int | None = None) -> T:
    """Per-session memo without copies: ``st.cache_data`` pickles every result it stores and
    returns, which costs more than simulating a small book. Results are treated as read-only.
    Keyed on the loans' content hash (``Scenario.loans_key``), never on the table itself.

    At most ``size`` results in all, and at most ``keep`` of this ``name`` (the large ones: a
    whole schedule, a figure), so that what a session holds stays bounded whatever it does.
    """
    store: OrderedDict = st.session_state.setdefault("_memo", OrderedDict())
    full = (name, *key)
    if full in store:
        store.move_to_end(full)
        return store[full]
    value = store[full] = compute()
    if keep is not None:
        mine = [k for k in store if k[0] == name]
        for old in mine[: max(len(mine) - keep, 0)]:
            del store[old]
    while len(store) > size:
        store.popitem(last=False)
    return value


def memo_in_background(name: str, key: tuple, fn: Callable[..., T], *args: object, wait_text: str,
                       wait_lang: str, here: bool = False, **kwargs: object) -> T:
    """:func:`memo` of ``fn(*args, **kwargs)``, worked out in the server's process pool
    (:mod:`lib.negotiate.pool`) unless ``here``, while the page waits for it where it is called
    (what the page drew before stays on the screen) with ``wait_text`` and the seconds waited (in
    ``wait_lang``) — one
    still line, not a spinner: ten pages spinning while they wait cost their browser more CPU than
    the page (``here``: worked out in this process, under a spinner with ``wait_text``).

    The wait holds no interpreter lock, so other sessions run meanwhile; it is cut short by a
    rerun (the user moved something: Streamlit stops a script at its next element), and the job
    goes on: the next run finds it running, or done. A job of the same ``name`` for other inputs
    (they changed while it ran) is cancelled if not started, and forgotten. ``fn`` and its
    arguments must be picklable (lib functions on tables and dataclasses)."""
    store: OrderedDict = st.session_state.setdefault("_memo", OrderedDict())
    full = (name, *key)
    if full in store:
        return memo(name, key, lambda: fn(*args, **kwargs))
    if here:
        with st.spinner(wait_text):
            return memo(name, key, lambda: fn(*args, **kwargs))
    jobs: dict = st.session_state.setdefault("_jobs", {})
    for other in [k for k in jobs if k[0] == name and k != full]:
        jobs.pop(other).cancel()
    job = jobs.get(full)
    if job is None:
        job = jobs[full] = pool.submit(fn, *args, **kwargs)
    _wait(job, wait_text, wait_lang)
    del jobs[full]
    try:
        value = job.result()
    except Exception:  # (a worker that died, a pool that broke): work it out here instead
        value = fn(*args, **kwargs)
    return memo(name, key, lambda: value)


def _wait(job: Future, text: str, lg: str) -> None:
    """Until ``job`` is done: ``text`` and the seconds waited, once a second (each a small message:
    no rerun of anything)."""
    started, box = time.monotonic(), st.empty()
    while not futures.wait([job], timeout=1.0).done:
        box.info(text + " " + t("load.waited", lg, s=round(time.monotonic() - started)),
                 icon=":material/hourglass_top:")
    box.empty()


def legal_for(loans: pd.DataFrame, ver: str) -> LegalLines:
    """Each loan's legal yardsticks (an IRR per loan): once per loans version (:func:`page_start`)."""
    return memo("legal", (ver,), lambda: legal_lines(loans))


def asks_for(scn: Scenario, loans: pd.DataFrame, ver: str, lg: str) -> tuple[Asks, str]:
    """What to ask each lender under the scenario, and the same as markdown: the compare page's
    search, shared with the kit page (each result worked out once a session, in the server's
    process pool for a large book: :func:`memo_in_background`)."""
    cap, pm, strategy = scn.capacity.to_capacity(), scn.capacity.penalty_multiple, strategy_of(scn)
    return memo_in_background("ask", (ver, cap, pm, strategy, scn.basis, lg), asks_with_text, loans, cap,
                              strategy=strategy, penalty_multiple=pm, basis=scn.basis, legal=legal_for(loans, ver),
                              lang=lg, wait_text=t("compare.searching", lg), wait_lang=lg, here=not pool.worth_a_worker(len(loans)))
