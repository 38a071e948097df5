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
state.setdefault("gen", 0)  # the text box's key: a restore or a forget makes a new box
state.setdefault("rev", 0)
state.setdefault("forget", 0)
state.setdefault("loads", 0)

# Setting a live text box's value from a callback (state["note"] = ...) makes Streamlit
# echo it back later as a user edit (on_change fires with the old or the new value, even
# after a forget); a fresh key per programmatic value avoids that.


def box_key() -> str:
    return f"note-{state['gen']}"


def restore(text: str | None) -> None:
    state["loads"] += 1
    if text is not None:
        state["note_value"] = text
        state["gen"] += 1


def edited(key: str) -> None:
    if key == box_key() and state[key] != state["note_value"]:
        state["note_value"] = state[key]
        state["rev"] += 1


def forget() -> None:
    state["forget"] += 1
    state["note_value"] = ""
    state["gen"] += 1


stored = browser_store(NAME, text=state["note_value"], rev=state["rev"], forget=state["forget"],
                       on_load=restore)


def note_page() -> None:
    st.title("My note")
    key = box_key()
    st.text_input("Note", value=state["note_value"], key=key, on_change=edited, args=(key,))
    st.button("Forget", on_click=forget)


def other_page() -> None:
    st.title("Other")
    st.write("Nothing here.")


nav = st.navigation([st.Page(note_page, title="Note", url_path="note", default=True),
                     st.Page(other_page, title="Other", url_path="other")])
st.sidebar.text(f"reported={stored.reported} saved_rev={stored.saved_rev} forgot={stored.forgot} "
                f"error={stored.error} loads={state['loads']} rev={state['rev']}")
nav.run()
