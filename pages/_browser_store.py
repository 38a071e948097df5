"""Keep one text value in the browser's own ``localStorage``, from Python.

An invisible ``st.components.v2`` component (no iframe, no third-party package) reads
``localStorage[name]`` once per page load and reports it, writes a newer revision when
asked, and removes the item on request. Its JavaScript touches nothing but
``localStorage`` and the component's trigger values: the stored text is never put in the
page as HTML. What it sends and reports, and what Python makes of it, is plain Python in
:mod:`lib.browser_store` (the protocol is described there).

The reports are taken into a small record in ``st.session_state`` (``<key>.memo``) by
``on_<name>_change`` callbacks, which run before the script body like any widget callback, and
again (no-op if already taken) from the mount's result, which is the reliable copy: in a callback
``st.session_state[key]`` can still raise KeyError on a session's first report. Nothing
sits in the component's persistent state (``setStateValue``), which the browser would send
back with every rerun; trigger values are sent once and are None on the next run.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import streamlit as st

from lib.browser_store import EVENTS, Memo, Stored, mount_data, new_memo, stored, take

# The marker lets the CSS below hide the element container that holds the component, so
# the page keeps no gap for it. isolate_styles=False puts the style in the page itself (in
# a shadow root it could not reach the container). Streamlit takes a one-line css/js string
# with "[", "/" or "*" in it for a file path: keep both on several lines.
_HTML = '<span data-st-browser-store hidden></span>'
_CSS = """
.stElementContainer:has([data-st-browser-store]) {
  display: none !important;
}
"""
_JS = """
const done = new Map();  // per page load: name + token -> what this page already did

function fault(e) {
  const name = (e && e.name) || "";
  if (name === "QuotaExceededError" || name === "NS_ERROR_DOM_QUOTA_REACHED"
      || (e && (e.code === 22 || e.code === 1014))) return "quota";
  if (name === "SecurityError") return "unavailable";
  return "error: " + (name || String(e));
}

function storage() {
  try {
    const s = window.localStorage;
    return s ? [s, null] : [null, "unavailable"];
  } catch (e) {
    return [null, "unavailable"];
  }
}

export default function ({ data, setTriggerValue }) {
  if (!data || typeof data.name !== "string" || typeof data.token !== "string") return;
  const id = data.name + "\\u0000" + data.token;
  let mine = done.get(id);
  if (mine === undefined) {
    mine = { rev: null, forget: 0 };
    done.set(id, mine);
    const [s, err] = storage();
    let text = null, error = err;
    if (s) {
      try { text = s.getItem(data.name); } catch (e) { error = fault(e); }
    }
    setTriggerValue("loaded", { text: typeof text === "string" ? text : null, error });
  }
  if (Number.isInteger(data.forget) && data.forget > mine.forget) {
    mine.forget = data.forget;
    const [s, err] = storage();
    let error = err;
    if (s) {
      try { s.removeItem(data.name); } catch (e) { error = fault(e); }
    }
    setTriggerValue("forgot", { forget: data.forget, error });
  }
  if (typeof data.text === "string" && Number.isInteger(data.rev) && data.rev !== mine.rev) {
    mine.rev = data.rev;
    const [s, err] = storage();
    let error = err;
    if (s) {
      try { s.setItem(data.name, data.text); } catch (e) { error = fault(e); }
    }
    setTriggerValue("saved", { rev: data.rev, error });
  }
}
"""

_component = st.components.v2.component("browser_store", html=_HTML, css=_CSS, js=_JS,
                                        isolate_styles=False)


def _memo(key: str) -> Memo:
    return st.session_state.setdefault(f"{key}.memo", new_memo(uuid.uuid4().hex))


def _trigger(key: str, event: str) -> Any:
    """The trigger value of this run, read in a callback (None if it cannot be seen yet)."""
    try:
        return st.session_state[key].get(event)
    except (KeyError, AttributeError):
        return None


def _take(key: str, event: str, value: Any, on_load: Callable[[str | None], None] | None) -> None:
    """Record one report in the session's memo (callback and body both call it), and restore once."""
    if not isinstance(value, dict):
        return
    memo = _memo(key)
    if take(memo, event, value) and on_load is not None:
        on_load(memo["text"])


def browser_store(name: str, *, text: str | Callable[[], str] | None, rev: int, forget: int = 0,
                  key: str = "browser_store",
                  on_load: Callable[[str | None], None] | None = None) -> Stored:
    """Mount (once per script run, e.g. from the entry file) the invisible store for ``name``.

    - On page load the browser reads ``localStorage[name]`` and reports it once: the next
      run calls ``on_load(text)`` once, as a widget callback before the script body, or
      (a report that came in during the session's first run) inside this call, right
      after the mount; so mount before the widgets ``on_load`` sets. That run and the
      later ones return ``Stored(reported=True, text=...)``.
    - Whenever ``rev`` is newer than the last revision the browser confirmed (``saved_rev``) or
      failed to write (``error``; the next ``rev`` tries again), and it has reported, ``text`` is
      sent and written there (a callable ``text`` is called only then:
      :func:`lib.browser_store.mount_data`). ``rev`` 0 or ``text`` None: nothing to write. Keep ``rev`` growing.
    - When ``forget`` grows, the item is removed (confirmed as ``forgot``); a write in
      the same run happens after the removal.
    Each report costs one rerun. Errors are reported in ``Stored.error``, never raised.
    Under AppTest (no JavaScript) it returns ``Stored()`` with ``reported=False``.
    """
    data = mount_data(name, _memo(key), text=text, rev=rev, forget=forget)
    # A report is taken in its callback, before the script body, so that this very run
    # already mounts with it (no text once confirmed). Inside a callback, though, the
    # trigger value is read through st.session_state[key], which does not know the key
    # yet when the report came in during the session's first run: the result of the mount
    # (always right) is taken too.
    callbacks = {f"on_{event}_change": (lambda event=event: _take(key, event, _trigger(key, event), on_load))
                 for event in EVENTS}
    result = _component(key=key, data=data, height="content", width="content", **callbacks)
    for event in EVENTS:
        _take(key, event, result.get(event), on_load)
    return stored(_memo(key))
