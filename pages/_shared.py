"""Streamlit glue shared by the pages: language, notices, charts in tabs, safe text helpers (the
per-session memo and the background search are in :mod:`pages._memo`).

Only widgets and session state live here; every computation is in ``lib``.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from lib.fmt import md_escape  # noqa: F401  (re-exported for pages)
from lib.i18n import t, tn
from lib.ingest import Problem
from lib.loans import count_assumed, named
from lib.views import problem_view
from pages._memo import memo
from pages._phone import cards, phone_only, wide_only
from pages._state import book, scenario


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


def problem_list(problems: list[Problem], lg: str, key: str, row_height: int = 70) -> None:
    """What could not be used, each problem by row and column: a table (rows tall enough for a
    long message to wrap), on a phone a card per problem."""
    view = problem_view(problems, lg)
    with wide_only(f"problems_{key}"):
        st.dataframe(view, hide_index=True, row_height=row_height,
                     column_config={t("col.problem", lg): st.column_config.TextColumn(width="large")})
    with phone_only(f"problems_{key}"):
        where = view.assign(**{"": [_where(p, lg) for p in problems]})
        cards(where, [""], [t("col.problem", lg), t("col.outcome", lg)])


def _where(problem: Problem, lg: str) -> str:
    """A problem's card heading: "第 6 行 · 平台" / "Row 6 · Lender" ("—" for the whole file)."""
    parts = [t("problem.row", lg, row=problem.row)] if problem.row else []
    if column := problem.column_text(lg):
        parts.append(column)
    return " · ".join(parts) or "—"
