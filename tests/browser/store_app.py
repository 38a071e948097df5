"""A tiny app for the browser-store tests: one note kept in localStorage across reloads.

Run from the repository root: ``streamlit run tests/browser/store_app.py``. The store is
mounted from this entry file on every run, over two ``st.navigation`` pages, as the real
app would do it.
"""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from pages._browser_store import browser_store  # noqa: E402

NAME = "store-test-note"
state = st.session_state
state.setdefault("note_value", "")  # the note itself (outlives the widget on the other page)
state.setdefault("rev", 0)
state.setdefault("forget", 0)
state.setdefault("loads", 0)


def restore(text: str | None) -> None:
    state["loads"] += 1
    if text is not None:
        state["note_value"] = state["note"] = text


def edited() -> None:
    state["note_value"] = state["note"]
    state["rev"] += 1


def forget() -> None:
    state["forget"] += 1
    state["note_value"] = state["note"] = ""


stored = browser_store(NAME, text=state["note_value"], rev=state["rev"], forget=state["forget"],
                       on_load=restore)


def note_page() -> None:
    st.title("My note")
    if "note" not in state:
        state["note"] = state["note_value"]
    st.text_input("Note", key="note", on_change=edited)
    st.button("Forget", on_click=forget)


def other_page() -> None:
    st.title("Other")
    st.write("Nothing here.")


nav = st.navigation([st.Page(note_page, title="Note", url_path="note", default=True),
                     st.Page(other_page, title="Other", url_path="other")])
st.sidebar.text(f"reported={stored.reported} saved_rev={stored.saved_rev} forgot={stored.forgot} "
                f"error={stored.error} loads={state['loads']}")
nav.run()
