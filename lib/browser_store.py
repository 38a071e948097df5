"""The browser store's protocol, in plain Python: what Python sends the browser and what it makes
of the browser's reports (``pages/_browser_store.py`` mounts the component and keeps the memo in
the session).

Python → browser, the mount's ``data`` (:func:`mount_data`)::

    {"name": ..., "token": ..., "rev": int, "forget": int[, "text": str]}

``text`` is present only while ``rev`` is newer than the revision the browser confirmed (or
failed) writing, so a confirmed value is not shipped again on every rerun. ``token`` is random
per Python session; the browser remembers what it did per (name, token) for the life of the page,
so a rerun or a page switch never re-reads, while a reload (new JS, new session) or a server
restart (new session, new token) reads once more. Browser → Python, trigger values (one rerun
each, several in one tick are batched into one), each taken into the :class:`Memo` by
:func:`take`::

    loaded: {"text": str | None, "error": str | None}
    saved:  {"rev": int, "error": str | None}
    forgot: {"forget": int, "error": str | None}

>>> memo = new_memo("t0")
>>> mount_data("note", memo, text="hello", rev=1, forget=0)  # the browser has not reported: nothing to write
{'name': 'note', 'token': 't0', 'rev': 1, 'forget': 0}
>>> take(memo, "loaded", {"text": "from before", "error": None}), take(memo, "loaded", {"text": "again"})
(True, False)
>>> mount_data("note", memo, text="hello", rev=1, forget=0)["text"]
'hello'
>>> _ = take(memo, "saved", {"rev": 1, "error": None})
>>> "text" in mount_data("note", memo, text="hello", rev=1, forget=0), stored(memo)
(False, Stored(reported=True, text='from before', saved_rev=1, forgot=0, error=None))
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final, TypedDict

__all__ = ["EVENTS", "Memo", "Stored", "mount_data", "new_memo", "stored", "take"]

EVENTS: Final = ("loaded", "forgot", "saved")  # the trigger values, in the order they are taken


class Memo(TypedDict):
    """What one session knows of its store: the token, what the browser reported, and the last
    revision tried (a revision whose write failed is not sent again)."""

    token: str
    reported: bool
    text: str | None
    saved_rev: int | None
    tried_rev: int
    forgot: int
    error: str | None


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


def new_memo(token: str) -> Memo:
    """A session's memo before the browser said anything."""
    return {"token": token, "reported": False, "text": None, "saved_rev": None, "tried_rev": 0, "forgot": 0,
            "error": None}


def mount_data(name: str, memo: Memo, *, text: str | Callable[[], str] | None, rev: int, forget: int) -> dict[str, Any]:
    """The mount's ``data``: with ``text`` only once the browser has reported and while ``rev`` is
    newer than both the revision it confirmed and the last one tried (a callable ``text`` is
    called only then). ``rev`` 0 or ``text`` None: nothing to write.

    >>> memo = {**new_memo("t0"), "reported": True, "tried_rev": 2}  # the write of revision 2 failed
    >>> "text" in mount_data("n", memo, text="x", rev=2, forget=0), mount_data("n", memo, text=lambda: "y", rev=3, forget=1)
    (False, {'name': 'n', 'token': 't0', 'rev': 3, 'forget': 1, 'text': 'y'})
    """
    data: dict[str, Any] = {"name": name, "token": memo["token"], "rev": int(rev), "forget": int(forget)}
    if memo["reported"] and text is not None and rev > max(memo["saved_rev"] or 0, memo["tried_rev"]):
        data["text"] = text() if callable(text) else text  # (a callable: made only when it is sent)
    return data


def _err(value: dict[str, Any]) -> str | None:
    error = value.get("error")
    return error if isinstance(error, str) else None


def take(memo: Memo, event: str, value: Any) -> bool:
    """Record one report (``event``: one of :data:`EVENTS`; ``value``: its trigger value, None or
    anything but a dict ignored) in ``memo``, in place. Idempotent: a report taken twice changes
    nothing more. True when it is the page load's read, which is taken once: then the caller
    restores ``memo["text"]``.

    >>> memo = new_memo("t0")
    >>> take(memo, "saved", {"rev": 2, "error": "quota"}), memo["saved_rev"], memo["tried_rev"], memo["error"]
    (False, None, 2, 'quota')
    >>> _ = take(memo, "saved", {"rev": 3, "error": None}), take(memo, "saved", {"rev": 1, "error": None})
    >>> memo["saved_rev"], memo["tried_rev"], memo["error"]  # never back to an older revision
    (3, 3, None)
    >>> take(memo, "forgot", {"forget": 1, "error": None}), take(memo, "forgot", None), memo["forgot"]
    (False, False, 1)
    """
    if not isinstance(value, dict):
        return False
    if event == "loaded" and not memo["reported"]:
        text = value.get("text")
        memo.update(reported=True, text=text if isinstance(text, str) else None, error=_err(value))
        return True
    if event == "saved" and isinstance(value.get("rev"), int):
        error = _err(value)
        if error is None:
            memo["saved_rev"] = max(value["rev"], memo["saved_rev"] or 0)
        memo["tried_rev"] = max(value["rev"], memo["tried_rev"])  # a failed rev is not sent again
        memo["error"] = error
    elif event == "forgot" and isinstance(value.get("forget"), int):
        memo.update(forgot=max(value["forget"], memo["forgot"]), error=_err(value))
    return False


def stored(memo: Memo) -> Stored:
    """What the page is told (the example is the module's)."""
    return Stored(reported=memo["reported"], text=memo["text"], saved_rev=memo["saved_rev"],
                  forgot=memo["forgot"], error=memo["error"])
