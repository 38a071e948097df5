"""Entry point: page config, language, shared sidebar, navigation over pages/.

Run: ``streamlit run app.py`` (opens on the bundled sample borrower).
"""

from __future__ import annotations

import streamlit as st

from lib.i18n import LANGS, t
from pages._shared import LANG_LABELS, book, md_escape

st.set_page_config(page_title="网贷协商还款规划器 · Loan negotiation planner", page_icon="🧮", layout="wide")

# Language: Chinese by default, English when the browser asks for it; kept in the URL (?lang=)
# and across page switches because the widget lives in this entry file.
browser = (st.context.locale or "").lower()
default_lang = "en" if browser.startswith("en") else "zh"
lang = st.sidebar.segmented_control(
    t("app.language"), LANGS, format_func=LANG_LABELS.get, key="lang", default=default_lang,
    required=True, bind="query-params",
) or default_lang

loans_page = st.Page("pages/loans.py", title=t("nav.loans", lang), icon=":material/upload_file:",
                     url_path="loans")
breakdown_page = st.Page("pages/breakdown.py", title=t("nav.breakdown", lang), icon=":material/pie_chart:",
                         url_path="breakdown", default=True)
capacity_page = st.Page("pages/capacity.py", title=t("nav.capacity", lang), icon=":material/savings:",
                        url_path="capacity")
compare_page = st.Page("pages/compare.py", title=t("nav.compare", lang), icon=":material/compare_arrows:",
                       url_path="compare")
guide_page = st.Page("pages/guide.py", title=t("nav.guide", lang), icon=":material/menu_book:",
                     url_path="guide")
nav = st.navigation({t("nav.step1", lang): [breakdown_page, loans_page],
                     t("nav.step2", lang): [capacity_page],
                     t("nav.step3", lang): [compare_page, guide_page]})

status = st.sidebar.empty()  # filled after the page ran: an upload on this run shows at once
st.sidebar.caption(t("sidebar.disclaimer", lang))
try:
    nav.run()
finally:
    current = book()
    origin = st.session_state.get("origin", "sample")
    status.caption(t(f"sidebar.origin.{origin}", lang, name=md_escape(current.source), n=len(current.loans)))
