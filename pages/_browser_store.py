"""Keep one text value in the browser's own ``localStorage``, from Python.

An invisible ``st.components.v2`` component (no iframe, no third-party package) reads
``localStorage[name]`` once per page load and reports it, writes a newer revision when
asked, and removes the item on request. Its JavaScript touches nothing but
``localStorage`` and the component's trigger values: the stored text is never put in the
page as HTML.

Protocol (all JSON). Python → browser, the mount's ``data``::

    {"name": ..., "token": ..., "rev": int, "forget": int[, "text": str]}

``text`` is present only while ``rev`` is newer than the revision the browser confirmed,
so a confirmed value is not shipped again on every rerun. ``token`` is random per Python
session; the browser remembers what it did per (name, token) for the life of the page, so
a rerun or a page switch never re-reads, while a reload (new JS, new session) or a server
restart (new session, new token) reads once more. Browser → Python, trigger values (one
rerun each, several in one tick are batched into one)::

    loaded: {"text": str | None, "error": str | None}
    saved:  {"rev": int, "error": str | None}
    forgot: {"forget": int, "error": str | None}

They are taken into a small record in ``st.session_state`` by ``on_<name>_change``
callbacks, which run before the script body like any widget callback, and again (no-op if
already taken) from the mount's result, which is the reliable copy: in a callback
``st.session_state[key]`` can still raise KeyError on a session's first report. Nothing
sits in the component's persistent state (``setStateValue``), which the browser would send
back with every rerun; trigger values are sent once and are None on the next run.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import streamlit as st

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


@dataclass(frozen=True)
class Stored:
    """What the browser has reported on this page load (all False/None under AppTest).

    ``reported``: the browser has answered (once per page load; a reload is a new session).
    ``text``: what it had stored under the name when the page loaded (None: nothing).
    ``saved_rev``: the last revision it confirmed writing (None: none yet in this session).
    ``forgot``: the last ``forget`` count it confirmed (the item removed), 0 if none.
    ``error``: the last operation's failure — ``"quota"`` (setItem threw: full, or storage
    refused as in Safari's private mode), ``"unavailable"`` (no localStorage at all), or
    ``"error: <name>"``; None when the last read/write/remove worked.
    """

    reported: bool = False
    text: str | None = None
    saved_rev: int | None = None
    forgot: int = 0
    error: str | None = None


def _memo(key: str) -> dict[str, Any]:
    return st.session_state.setdefault(f"{key}.memo", {
        "token": uuid.uuid4().hex, "reported": False, "text": None, "saved_rev": None,
        "tried_rev": 0, "forgot": 0, "error": None})


def _trigger(key: str, event: str) -> Any:
    """The trigger value of this run, read in a callback (None if it cannot be seen yet)."""
    try:
        return st.session_state[key].get(event)
    except (KeyError, AttributeError):
        return None


def _err(value: dict[str, Any]) -> str | None:
    error = value.get("error")
    return error if isinstance(error, str) else None


def _take(key: str, event: str, value: Any, on_load: Callable[[str | None], None] | None) -> None:
    """Record one report in the session's memo; idempotent (callback and body both call it)."""
    if not isinstance(value, dict):
        return
    memo = _memo(key)
    if event == "loaded" and not memo["reported"]:
        text = value.get("text")
        memo.update(reported=True, text=text if isinstance(text, str) else None, error=_err(value))
        if on_load is not None:
            on_load(memo["text"])
    elif event == "saved" and isinstance(value.get("rev"), int):
        error = _err(value)
        if error is None:
            memo["saved_rev"] = max(value["rev"], memo["saved_rev"] or 0)
        memo["tried_rev"] = max(value["rev"], memo["tried_rev"])  # a failed rev is not sent again
        memo["error"] = error
    elif event == "forgot" and isinstance(value.get("forget"), int):
        memo.update(forgot=max(value["forget"], memo["forgot"]), error=_err(value))


_EVENTS = ("loaded", "forgot", "saved")


def browser_store(name: str, *, text: str | Callable[[], str] | None, rev: int, forget: int = 0,
                  key: str = "browser_store",
                  on_load: Callable[[str | None], None] | None = None) -> Stored:
    """Mount (once per script run, e.g. from the entry file) the invisible store for ``name``.

    - On page load the browser reads ``localStorage[name]`` and reports it once: the next
      run calls ``on_load(text)`` once, as a widget callback before the script body, or
      (a report that came in during the session's first run) inside this call, right
      after the mount; so mount before the widgets ``on_load`` sets. That run and the
      later ones return ``Stored(reported=True, text=...)``.
    - Whenever ``rev`` is newer than the last revision the browser confirmed (and it has
      reported), ``text`` is sent and written there (a callable ``text`` is called only then);
      once confirmed (``saved_rev``) it is not sent again, nor is a revision whose write failed (``error``; the next ``rev``
      tries again). ``rev`` 0 or ``text`` None: nothing to write. Keep ``rev`` growing.
    - When ``forget`` grows, the item is removed (confirmed as ``forgot``); a write in
      the same run happens after the removal.
    Each report costs one rerun. Errors are reported in ``Stored.error``, never raised.
    Under AppTest (no JavaScript) it returns ``Stored()`` with ``reported=False``.
    """
    memo = _memo(key)
    data: dict[str, Any] = {"name": name, "token": memo["token"], "rev": int(rev), "forget": int(forget)}
    if memo["reported"] and text is not None and rev > max(memo["saved_rev"] or 0, memo["tried_rev"]):
        data["text"] = text() if callable(text) else text  # (a callable: made only when it is sent)
    # A report is taken in its callback, before the script body, so that this very run
    # already mounts with it (no text once confirmed). Inside a callback, though, the
    # trigger value is read through st.session_state[key], which does not know the key
    # yet when the report came in during the session's first run: the result of the mount
    # (always right) is taken too.
    callbacks = {f"on_{event}_change": (lambda event=event: _take(key, event, _trigger(key, event), on_load))
                 for event in _EVENTS}
    result = _component(key=key, data=data, height="content", width="content", **callbacks)
    for event in _EVENTS:
        _take(key, event, result.get(event), on_load)
    memo = _memo(key)
    return Stored(reported=memo["reported"], text=memo["text"], saved_rev=memo["saved_rev"],
                  forgot=memo["forgot"], error=memo["error"])
