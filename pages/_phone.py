"""A phone in one hand: what the pages show differently on a narrow screen.

Streamlit tells a script nothing about the screen, so a page draws both forms and the browser
shows one: ``wide_only()`` holds what needs room (a wide table), ``phone_only()`` its narrow form
(one card per row), chosen by a CSS media query on the containers' keys (Streamlit gives a keyed
container the class ``st-key-<key>``). The CSS is our own constant text; no user text reaches it.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from lib.fmt import md_escape

NARROW = 640  # px: below this width the cards show instead of the wide tables
_CSS = f"""<style>
@media (max-width: {NARROW}px) {{ div[class*="st-key-wide_only"] {{ display: none !important; }} }}
@media (min-width: {NARROW + 1}px) {{ div[class*="st-key-phone_only"] {{ display: none !important; }} }}
</style>"""


def _style() -> None:
    st.html(_CSS)


def wide_only(name: str):
    """A container shown on a wide screen only."""
    _style()
    return st.container(key=f"wide_only_{name}")


def phone_only(name: str):
    """A container shown on a narrow screen only."""
    _style()
    return st.container(key=f"phone_only_{name}")


def cards(view: pd.DataFrame, title: list[str], fields: list[str]) -> None:
    """One bordered card per row of a localised table (``lib.views.compare_view`` and the like):
    the ``title`` columns joined as its heading, then each of ``fields`` as "header: value".
    Every value is escaped (a lender's name is the user's text)."""
    for row in view.to_dict("records"):
        with st.container(border=True):
            head = " ".join(str(row[c]) for c in title if str(row[c]).strip())
            st.markdown(f"**{md_escape(head)}**")
            st.markdown("  \n".join(f"{md_escape(f)}: **{md_escape(str(row[f]))}**" for f in fields))
