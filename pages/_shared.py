"""Streamlit glue shared by the pages: language, the loaded loans, safe text helpers.

Only widgets and session state live here; every computation is in ``lib``.
"""

from __future__ import annotations

import uuid
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pandas as pd
import streamlit as st

from lib.capacity import Capacity
from lib.fmt import md_escape  # noqa: F401  (re-exported for pages)
from lib.i18n import t, tn
from lib.ingest import LoanBook, read_loans
from lib.loans import count_assumed, editor_frame, named

ROOT = Path(__file__).resolve().parent.parent
T = TypeVar("T")


def _leave_legacy_multipage() -> None:
    """Make sure app.py's ``st.navigation`` is in charge, even on a server's very first request.

    Streamlit starts every server in its legacy mode when a ``pages/`` folder exists and
    only leaves it once ``st.navigation`` has run; a first visit straight to ``/loans``
    would otherwise run this page alone, without app.py's language switch and sidebar.
    (Streamlit 1.67: ``PagesManager.uses_pages_directory``; re-check on upgrades.)
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


_leave_legacy_multipage()
SAMPLE = ROOT / "data" / "sample_loans.csv"  # one borrower, the same whatever the language
LANG_LABELS = {"zh": "中文", "en": "English"}


def lang() -> str:
    """The UI language chosen in the sidebar (the widget lives in app.py)."""
    return st.session_state.get("lang", "zh") or "zh"


def book() -> LoanBook:
    if "book" not in st.session_state:
        load_sample()
    return st.session_state["book"]


def set_book(new: LoanBook, *, origin: str, reset_editor: bool = True) -> None:
    """Make ``new`` the loans every page works on. ``origin``: "sample", "file" or "editor"."""
    st.session_state["book"] = new
    st.session_state["book_ver"] = uuid.uuid4().hex  # cache key for the loans
    st.session_state["origin"] = origin
    if reset_editor:
        st.session_state["editor_base"] = editor_frame(new.loans, lang())
        st.session_state["editor_ver"] = st.session_state.get("editor_ver", 0) + 1


def book_version() -> str:
    """Changes whenever the loans change: a cheap cache key instead of hashing the table."""
    book()
    return st.session_state.setdefault("book_ver", uuid.uuid4().hex)


def load_sample() -> None:
    set_book(read_loans(SAMPLE), origin="sample")


def memo(name: str, key: tuple, compute: Callable[[], T], size: int = 32) -> T:
    """Per-session memo without copies: ``st.cache_data`` pickles every result it stores and
    returns, which costs more than simulating a small book. Results are treated as read-only.
    Keyed on the loans' version token (see :func:`book_version`), never on the table itself.
    """
    store: OrderedDict = st.session_state.setdefault("_memo", OrderedDict())
    full = (name, *key)
    if full in store:
        store.move_to_end(full)
        return store[full]
    value = store[full] = compute()
    while len(store) > size:
        store.popitem(last=False)
    return value


# The capacity page's inputs (kept across pages with persist_state="session") and their defaults.
CAP_DEFAULTS = {"cap_income": 12000.0, "cap_essentials": 5500.0, "cap_obligations": 0.0, "cap_share": 100,
                "cap_cash": 3000.0, "cap_reserve": 2000.0, "cap_change": False, "cap_change_month": 6,
                "cap_change_income": 8000.0, "cap_pm": 1.5, "cap_basis": "enforceable"}


def current_capacity() -> tuple[Capacity, float]:
    """The capacity the borrower set on the capacity page (defaults if never visited), and the
    penalty multiple."""
    v = {k: st.session_state.get(k, d) for k, d in CAP_DEFAULTS.items()}
    cap = Capacity(income=v["cap_income"], essentials=v["cap_essentials"], obligations=v["cap_obligations"],
                   share=v["cap_share"] / 100, cash=v["cap_cash"], reserve=v["cap_reserve"],
                   change_month=v["cap_change_month"] if v["cap_change"] else None,
                   change_income=v["cap_change_income"] if v["cap_change"] else None)
    return cap, float(v["cap_pm"])


def current_basis() -> str:
    """What the projections count: "enforceable" (the default) or the lender's "contractual" claim."""
    return st.session_state.get("cap_basis", CAP_DEFAULTS["cap_basis"]) or CAP_DEFAULTS["cap_basis"]


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
    loans = book().loans
    if loans.empty:
        st.warning(t("breakdown.no_loans", lg))
        st.stop()
    return lg, named(loans, lg), f"{book_version()}:{lg}"  # (the names are in lg: so is what is memoised)
