"""The one place where pages read the scenario and write changes back.

A page reads :func:`scenario` (a :class:`lib.scenario.Scenario`) and gives each widget
``**bind(name, change)``: the widget's key and an ``on_change`` callback that writes the new
value into a new scenario. No page reads another page's widgets: what one page decided is in the
scenario every page reads.

A widget's key carries the scenario's *generation*: when the whole scenario is replaced
(a file opened, work restored, the sample loaded, an undo) the generation moves on, and every
widget is drawn afresh from the new scenario instead of keeping its old value.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import streamlit as st

from lib.ingest import LoanBook, read_loans
from lib.scenario import Scenario, book_of, source_of

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "sample_loans.csv"  # one borrower, the same whatever the language
_KEY, _GEN, _REV, _UNDO = "scenario", "scenario_gen", "scenario_rev", "scenario_undo"


def demo_mode() -> bool:
    """The hosted demo: starts on the sample, keeps nothing (not even in the browser).
    On with the environment variable ``LOAN_PLANNER_DEMO=1`` or ``demo = true`` in secrets.toml."""
    if os.environ.get("LOAN_PLANNER_DEMO", "").lower() in ("1", "true", "yes", "on"):
        return True
    try:
        return bool(st.secrets.get("demo", False))
    except Exception:  # no secrets file: Streamlit raises rather than returning the default
        return False


def sample() -> Scenario:
    """The bundled sample borrower with every default."""
    book = read_loans(SAMPLE)
    return Scenario().with_loans(book.loans, source_of(book, "sample"), keep_choices=False)


def scenario() -> Scenario:
    """The scenario every page works on (the sample until the user brings their own)."""
    if _KEY not in st.session_state:
        st.session_state[_KEY] = sample()
    return st.session_state[_KEY]


def put(new: Scenario, *, replaced: bool = False, undo: str | None = None) -> None:
    """Make ``new`` the scenario. ``replaced``: the whole scenario changed (widgets are redrawn
    from it). ``undo``: the i18n key of what was done; the pages offer to undo it until the
    next change."""
    old = scenario()
    if undo:
        st.session_state[_UNDO] = (undo, old)
    else:  # any other change: the offer to undo is over (it would throw that change away)
        st.session_state.pop(_UNDO, None)
    st.session_state[_KEY] = new
    st.session_state[_REV] = revision() + 1
    if replaced:
        st.session_state[_GEN] = generation() + 1


def undo() -> None:
    """Go back to the scenario before the last action that replaced it."""
    if pending := st.session_state.pop(_UNDO, None):
        put(pending[1], replaced=True)


def pending_undo() -> str | None:
    """The i18n key of the last action that can be undone, if any."""
    pending = st.session_state.get(_UNDO)
    return pending[0] if pending else None


def drop_undo() -> None:
    st.session_state.pop(_UNDO, None)


def revision() -> int:
    """Counts every change of the scenario in this session (the browser stores each new one)."""
    return st.session_state.get(_REV, 0)


def generation() -> int:
    return st.session_state.get(_GEN, 0)


def wkey(name: str) -> str:
    """The widget key for ``name`` in this generation (plain ``name`` in the first)."""
    gen = generation()
    return name if gen == 0 else f"{name}~{gen}"


def bind(name: str, change: Callable[[Scenario, Any], Scenario]) -> dict[str, Any]:
    """A widget's ``key`` and ``on_change``: the new value goes into the scenario through ``change``.

    Only a change is written. A callback of a widget drawn for a scenario since replaced does
    nothing: the browser can still report such a widget's value after the replacement (seen when
    work is restored while the page's first run is still drawing the sample's widgets: their
    values came back as "changes" and overwrote the restored income with the sample's)."""
    key = wkey(name)

    def write() -> None:
        if key != wkey(name):  # a widget of an earlier generation
            return
        new = change(scenario(), st.session_state[key])
        if new != scenario():
            put(new)

    return {"key": key, "on_change": write}


def book() -> LoanBook:
    """The scenario's loans with the problems and notes of their reading."""
    s = scenario()
    cache = st.session_state.get("_book")
    if cache is None or cache[0] is not s.source or cache[1] != s.loans_key:
        cache = st.session_state["_book"] = (s.source, s.loans_key, book_of(s))
    return cache[2]
