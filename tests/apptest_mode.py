"""Run AppTest the way the server runs the app: app.py (language switch, sidebar, navigation)
and then the page, on every rerun.

AppTest resets ``PagesManager.uses_pages_directory`` before each run; as ``pages/`` exists it
comes back True, and a page chosen with ``switch_page`` then runs alone (Streamlit's legacy
``pages/`` mode), without app.py. A server leaves that mode for good once app.py's
``st.navigation`` has run (see ``pages/_shared._leave_legacy_multipage``). Streamlit 1.67;
re-check on upgrades.
"""

from __future__ import annotations

from typing import Any

from streamlit.runtime.pages_manager import PagesManager

_PATCHED = "_runs_app_py_first"


def run_app_py_on_every_page() -> None:
    """Patch ``PagesManager`` (idempotent) so every AppTest run goes through app.py."""
    if getattr(PagesManager, _PATCHED, False):
        return
    init = PagesManager.__init__

    def init_v2(self: PagesManager, *args: Any, **kwargs: Any) -> None:
        init(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    PagesManager.__init__ = init_v2  # type: ignore[method-assign]
    setattr(PagesManager, _PATCHED, True)
