"""Streamlit glue shared by the pages: language, notices, a per-session memo, safe text helpers.

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

from lib.fmt import md_escape  # noqa: F401  (re-exported for pages)
from lib.i18n import t, tn
from lib.loans import count_assumed, named
from lib.negotiate import Asks, LegalLines, legal_lines, pool
from lib.plan import asks_with_text, strategy_of
from lib.scenario import Scenario
from pages._state import book, scenario

T = TypeVar("T")


def _leave_legacy_multipage() -> None:
    """Make sure app.py's ``st.navigation`` is in charge, even on a server's very first request.

    Streamlit starts every server in its legacy mode when a ``pages/`` folder exists and
    only leaves it once ``st.navigation`` has run; a first visit straight to ``/loans``
    would otherwise run this page alone, without app.py's language switch and sidebar (and
    list every file in ``pages/``, the ``_``-helpers too, as pages).

    There is no public way (Streamlit 1.67 sets the flag from the folder's existence before any
    script runs, and the product card fixes the ``pages/`` folder), so this flips the private
    ``PagesManager.uses_pages_directory`` — pinned with ``streamlit==1.67.0`` and tested:
    ``tests/browser/test_scenario_browser.py`` opens a fresh server straight on ``/loans`` and
    ``/capacity`` and fails without it. Re-check on upgrades.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


_leave_legacy_multipage()
LANG_LABELS = {"zh": "中文", "en": "English"}


def lang() -> str:
    """The UI language chosen in the sidebar (the widget lives in app.py)."""
    return st.session_state.get("lang", "zh") or "zh"


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
                       here: bool = False, **kwargs: object) -> T:
    """:func:`memo` of ``fn(*args, **kwargs)``, worked out in the server's process pool
    (:mod:`lib.negotiate.pool`) unless ``here``, while the page waits for it where it is called
    (what the page drew before stays on the screen) with ``wait_text`` and the seconds waited — one
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
    _wait(job, wait_text)
    del jobs[full]
    try:
        value = job.result()
    except Exception:  # (a worker that died, a pool that broke): work it out here instead
        value = fn(*args, **kwargs)
    return memo(name, key, lambda: value)


def _wait(job: Future, text: str) -> None:
    """Until ``job`` is done: ``text`` and the seconds waited, once a second (each a small message:
    no rerun of anything)."""
    started, box = time.monotonic(), st.empty()
    while not futures.wait([job], timeout=1.0).done:
        box.info(text + " " + t("load.waited", lang(), s=round(time.monotonic() - started)),
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
                              lang=lg, wait_text=t("compare.searching", lg), here=not pool.worth_a_worker(len(loans)))


@st.fragment
def chart_tabs(key: str, figures: dict[str, Callable[[], object]]) -> None:
    """Charts in tabs (label → a function that builds the figure), only the open tab's drawn.

    A Plotly chart costs the browser far more to draw than the server to build (timed: a
    chart on the compare page ≈ 0.25 s of the browser's CPU against a few ms here), and
    ``st.tabs`` draws every tab's content unless it tracks which is open. With ``key`` it
    does: switching tabs reruns this fragment alone, which builds and draws the new chart.
    """
    tabs = st.tabs(list(figures), key=key, on_change="rerun")
    for tab, build in zip(tabs, figures.values(), strict=True):
        if tab.open is not False:  # (None: the tabs do not know, as in an old session: draw)
            tab.plotly_chart(build(), config={"displayModeBar": False})


_ALERTS = {"success": (st.success, ":material/task_alt:"), "warning": (st.warning, ":material/warning:"),
           "error": (st.error, ":material/error:"), "info": (st.info, ":material/info:")}


def show(level: str, text: str) -> None:
    """One status line from lib (``lib.views.capacity_status``): our own text, user text escaped."""
    draw, icon = _ALERTS[level]
    draw(text, icon=icon)


def rows_not_taken_notice(lg: str) -> None:
    """Above any totals: how many rows of the loans were not imported (so are not counted),
    with a link to the import page, where each is listed. Nothing when every row was taken."""
    n = len(book().skipped_rows)
    if n:
        st.warning(tn("loans.not_taken", n, lg), icon=":material/playlist_remove:")
        st.page_link("pages/loans.py", label=t("loans.not_taken_link", lg), icon=":material/upload_file:")


def assumption_notice(loans: pd.DataFrame, lg: str) -> None:
    """One warning naming how many loans carry an assumption, with a link to check them."""
    n = count_assumed(loans)
    if n:
        st.warning(tn("breakdown.assumed", n, lg), icon=":material/rule:")
        st.page_link("pages/loans.py", label=t("breakdown.go_check", lg), icon=":material/edit_note:")


def page_start(title_key: str, intro_key: str) -> tuple[str, pd.DataFrame, str]:
    """Title and intro of a page that works on the loans, and whether rows were not taken;
    stops with a hint when there are no loans.

    Returns (language, the loans with every lender named in that language
    (:func:`lib.loans.named`), a version token of both).
    """
    lg = lang()
    st.title(t(title_key, lg))
    st.caption(t(intro_key, lg))
    rows_not_taken_notice(lg)
    loans = scenario().loans_frame
    if loans.empty:
        st.warning(t("breakdown.no_loans", lg))
        st.stop()
    ver = f"{scenario().loans_key}:{lg}"  # (names in lg: so is what is memoised)
    return lg, memo("named", (ver,), lambda: named(loans, lg)), ver
