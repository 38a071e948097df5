"""Entry point: page config, language, the scenario's banners, navigation over pages/, the sidebar.

Run: ``streamlit run app.py`` (opens on the bundled sample borrower).
"""

from __future__ import annotations

import streamlit as st

from lib.i18n import LANGS, t
from pages import _workspace as ws
from pages._shared import LANG_LABELS, md_escape
from pages._sign_in import sign_in_form
from pages._state import book, demo_mode, pending_undo, scenario, undo
from pages._storage import (
    forget,
    keep_in_browser,
    open_shared_link,
    save_button,
    share_panel,
    shared_view_banner,
)

st.set_page_config(page_title="网贷协商还款规划器 · Loan negotiation planner", page_icon="🧮", layout="wide")

# Language: Chinese by default, English when the browser asks for it; kept in the URL (?lang=)
# and across page switches because the widget lives in this entry file.
browser = (st.context.locale or "").lower()
default_lang = "en" if browser.startswith("en") else "zh"
lang = st.sidebar.segmented_control(
    t("app.language"), LANGS, format_func=LANG_LABELS.get, key="lang", default=default_lang,
    required=True, bind="query-params",
) or default_lang

# The coach workspace on a server reached from beyond this computer: nothing without signing in.
workspace_on = ws.enabled()
if workspace_on and ws.coach() is None:
    st.navigation([st.Page(lambda: sign_in_form(lang), title=t("ws.sign_in_title", lang), url_path="signin",
                           icon=":material/lock:")], position="hidden").run()
    st.stop()
open_shared_link()

PAGES = {  # url path -> (file, i18n key, icon); the journey's order
    "loans": ("pages/loans.py", "nav.loans", ":material/upload_file:"),
    "breakdown": ("pages/breakdown.py", "nav.breakdown", ":material/pie_chart:"),
    "capacity": ("pages/capacity.py", "nav.capacity", ":material/savings:"),
    "compare": ("pages/compare.py", "nav.compare", ":material/compare_arrows:"),
    "kit": ("pages/kit.py", "nav.kit", ":material/mail:"),
    "track": ("pages/track.py", "nav.track", ":material/task_alt:"),
    "guide": ("pages/guide.py", "nav.guide", ":material/menu_book:"),
    "clients": ("pages/clients.py", "nav.clients", ":material/groups:"),
}
NEXT = {"loans": "breakdown", "breakdown": "capacity", "capacity": "compare", "compare": "kit", "kit": "track",
        "track": "guide", "guide": "loans", "clients": "breakdown"}
home = "clients" if workspace_on else "breakdown"
page = {k: st.Page(f, title=t(key, lang), icon=icon, url_path=k, default=k == home)
        for k, (f, key, icon) in PAGES.items() if workspace_on or k != "clients"}
sections = {t("nav.coach", lang): [page["clients"]]} if workspace_on else {}
nav = st.navigation({**sections,
                     t("nav.step1", lang): [page["breakdown"], page["loans"]],
                     t("nav.step2", lang): [page["capacity"]],
                     t("nav.step3", lang): [page["compare"], page["kit"], page["guide"]],
                     t("nav.step4", lang): [page["track"]]})

# ---- at the top of every page: what is shown, and what can be undone ---------------------------------
shared_view_banner(lang)
if done := pending_undo():
    c = st.columns([4, 1], vertical_alignment="center")
    c[0].info(t(done, lang), icon=":material/history:")
    c[1].button(t("undo.button", lang), icon=":material/undo:", on_click=undo, width="stretch")
if st.session_state.pop("restored", False):
    st.toast(t("store.restored", lang), icon=":material/restore:")
here = next((k for k, p in page.items() if p == nav), "breakdown")
if scenario().source.origin == "sample" and here not in ("guide", "clients"):
    st.info(t("app.sample_banner", lang), icon=":material/lightbulb:")
    if here != "loans":
        st.page_link(page["loans"], label=t("app.sample_go_import", lang), icon=":material/upload_file:")

status = st.sidebar.empty()  # filled after the page ran: an upload on this run shows at once
if workspace_on:
    ws.sidebar_panel(lang)
with st.sidebar.expander(t("store.panel", lang), icon=":material/save:"):
    save_button(lang, key="save_sidebar")
    share_panel(lang, LANG_LABELS[lang])
    if not demo_mode() and st.button(t("store.forget", lang), icon=":material/delete_forever:",
                                     help=t("store.forget_help", lang), width="stretch"):
        forget(lang)
        st.rerun()
if workspace_on:  # what is kept where: the database, and this browser only on the coach's own computer
    note = "ws.privacy_remote" if ws.sign_in_needed() else "ws.privacy_local"
    st.sidebar.caption(t(note, lang, where=md_escape(ws.config().path)))
else:
    st.sidebar.caption(t("store.demo_note" if demo_mode() else "store.privacy_note", lang))
st.sidebar.caption(t("sidebar.disclaimer", lang))
try:
    nav.run()
    nxt = NEXT[here]
    st.divider()
    st.page_link(page[nxt], label=t(f"next.{nxt}", lang), icon=":material/arrow_forward:")
finally:
    current = book()
    origin = scenario().source.origin
    status.caption(t(f"sidebar.origin.{origin}", lang, name=md_escape(current.source), n=len(current.loans)))
    if not (workspace_on and ws.sign_in_needed()):  # a signed-in coach's work is kept in the database
        keep_in_browser(lang)
