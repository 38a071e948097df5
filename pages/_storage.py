"""Keeping the scenario: in this browser (localStorage), in a file, in a link; forgetting it.

Nothing goes to the server's disk. The browser keeps the last scenario under one name
(``pages/_browser_store.py``); on a new page load it comes back before the user has done anything,
and every change afterwards is written back. A shared link shows its view without touching what
the browser keeps, until the user makes that view their own. In demo mode nothing is kept.
"""

from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st

from lib.i18n import t
from lib.scenario import ScenarioError, file_name, from_json
from lib.share import MAX_LINK, LinkTooLong, apply_query, share_query
from lib.views import scenario_error_text
from pages._browser_store import browser_store
from pages._shared import md_escape
from pages._state import demo_mode, drop_undo, put, revision, sample, scenario

NAME = "loan-planner.scenario.v1"  # the localStorage item
_S = "storage"  # session key: what the browser told us and what we asked of it


def _state() -> dict:
    return st.session_state.setdefault(_S, {"reported": False, "stored": None, "forget": 0, "shared": False,
                                            "link_checked": False, "error": None})


# ---- a file ---------------------------------------------------------------------------------------
def save_button(lg: str, key: str) -> None:
    """Download the scenario as a file (built only when clicked — from the scenario of this run: the
    click's callable does not see the session)."""
    current = scenario()
    st.download_button(t("store.save", lg), lambda: current.to_json(indent=1).encode(), file_name(current),
                       "application/json", icon=":material/save:", width="stretch", key=key,
                       help=t("store.save_help", lg))


def open_scenario_file(lg: str) -> None:
    """Open a saved file; a file that cannot be read leaves the current work as it was."""
    up = st.file_uploader(t("store.open", lg), type=["json"], key="open_scenario", help=t("store.open_help", lg))
    if up is None or st.session_state.get("opened_sig") == up.file_id:
        return
    st.session_state["opened_sig"] = up.file_id
    try:
        new = from_json(up.getvalue())
    except ScenarioError as err:
        st.error(t("store.open_failed", lg, name=md_escape(up.name)) + " " + scenario_error_text(err, lg),
                 icon=":material/error:")
        return
    put(new, replaced=True, undo="undo.open")
    st.rerun()


# ---- a link ---------------------------------------------------------------------------------------
def share_panel(lg: str, lang_label: str) -> None:
    """A link to this view: the settings, and the loans only when asked for, after a warning."""
    with_loans = st.toggle(t("share.with_loans", lg), key="share_with_loans")
    if with_loans:
        st.warning(t("share.loans_warning", lg), icon=":material/visibility:")
    try:
        query = share_query(scenario(), with_loans=with_loans)
    except LinkTooLong as err:
        st.warning(t("share.too_long", lg, n=err.length, limit=MAX_LINK), icon=":material/link_off:")
        return
    base = (st.context.url or "http://localhost:8501/").split("?")[0]
    st.caption(t("share.link_label", lg))
    st.code(f"{base}?{urlencode({**query, 'lang': lang_label})}", language=None, wrap_lines=False)
    st.caption(t("share.copy_hint", lg))


def open_shared_link() -> None:
    """On a session's first run: a link's view (settings over the sample, or its own loans)."""
    state = _state()
    if state["link_checked"]:
        return
    state["link_checked"] = True
    query = {k: st.query_params[k] for k in ("s", "d") if k in st.query_params}
    if not query:
        return
    try:
        put(apply_query(sample(), query), replaced=True)
    except ScenarioError as err:
        state["error"] = ("share.bad_link", err)
        return
    state["shared"] = True


def shared_view_banner(lg: str) -> None:
    """While a shared view is shown: it is not saved over the user's own work; two ways out."""
    state = _state()
    if state["error"]:  # a link that could not be opened: said once, at the top
        key, err = state["error"]
        state["error"] = None
        st.error(t(key, lg) + " " + scenario_error_text(err, lg), icon=":material/link_off:")
    if not state["shared"]:
        return
    st.info(t("share.viewing", lg), icon=":material/share:")
    c = st.columns(2)
    if state["stored"] and c[0].button(t("share.back_to_mine", lg), icon=":material/undo:"):
        _leave_shared()
        put(from_json(state["stored"]), replaced=True)
        st.rerun()
    if c[1].button(t("share.keep", lg), icon=":material/bookmark_added:", disabled=demo_mode()):
        _leave_shared()
        put(scenario())  # a new revision: saved in this browser now
        st.rerun()


def _leave_shared() -> None:
    _state()["shared"] = False
    for k in ("s", "d"):
        st.query_params.pop(k, None)


# ---- this browser ---------------------------------------------------------------------------------
def forget(lg: str) -> None:
    """Forget the data kept on this device and go back to the sample (undoable in this session)."""
    state = _state()
    state["forget"] += 1
    state["stored"] = None
    put(sample(), replaced=True, undo="undo.forget")
    state["quiet_rev"] = revision()  # the sample is not written back: nothing is kept until the next change


def _restore(text: str | None) -> None:
    """The browser's report on this page load (a callback, before the page runs): bring back
    the kept scenario unless the user already started something else here."""
    state = _state()
    state["reported"], state["stored"] = True, text
    if not text or revision() > 0 or state["shared"]:
        return
    try:
        restored = from_json(text)
    except ScenarioError as err:
        state["restore_error"] = err
        return
    put(restored, replaced=True)
    drop_undo()
    st.session_state["restored"] = True


def keep_in_browser(lg: str) -> None:
    """Mount the browser store (after the page ran): restored once per page load, then each
    change saved. Nothing in demo mode, nothing while a shared view is shown."""
    if demo_mode():
        return
    state = _state()
    if err := state.pop("restore_error", None):
        st.sidebar.warning(t("store.restore_failed", lg) + " " + scenario_error_text(err, lg), icon=":material/warning:")
    if state.get("store_error"):
        st.sidebar.warning(t("store.browser_error", lg), icon=":material/sd_card_alert:")
    _store()


@st.fragment
def _store() -> None:
    """The store's mount, in a fragment: the browser's report on each write ("saved") reruns this
    alone, not the page the user is looking at (timed: the page's second run after every slider
    move, ~0.3 s). What must reach the page — a scenario brought back, a new error — reruns it all."""
    state = _state()
    saving = state["reported"] and not state["shared"] and revision() > state.get("quiet_rev", 0)
    stored = browser_store(NAME, text=scenario().to_json if saving else None, rev=revision(),
                           forget=state["forget"], key="browser_store", on_load=_restore)
    changed = bool(stored.error) != bool(state.get("store_error"))
    state["store_error"] = stored.error
    if st.session_state.get("restored") or changed or "restore_error" in state:
        st.rerun(scope="app")  # (restored just now, after the page was drawn: draw it again)
