"""Step 5 · Keep the plan: what each lender agreed and what was paid (on track / ahead / short /
missed, warned before a month cannot be paid), the contact and collection log with the rules it
breaks and where to complain, and a check of paid "negotiation agents".

The first two tabs are drawn by ``pages/_agreement.py`` and ``pages/_contact_log.py``."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from lib import contacts as log
from lib.i18n import t
from pages._agreement import agreement_tab
from pages._contact_log import contact_log_tab
from pages._shared import page_start, show
from pages._state import scenario

lg, loans, ver = page_start("track.title", "track.intro")
scn = scenario()
today = dt.date.today()
names = dict(zip(loans["loan_id"], loans["lender"].astype(str), strict=True))
kinds = dict(zip(loans["loan_id"], loans["kind"].astype(str), strict=True))

loan_id = st.selectbox(t("kit.lender", lg), list(names), format_func=names.get, key="track_lender")
tabs = st.tabs([t("track.tab_agreement", lg), t("contacts.title", lg), t("scam.title", lg)])

# ---- the agreement and the payments -------------------------------------------------------------------
with tabs[0]:
    agreement_tab(scn, loans, ver, loan_id, lg, today)

# ---- the contact and collection log ----------------------------------------------------------------------
with tabs[1]:
    contact_log_tab(scn, loan_id, names[loan_id], kinds[loan_id], lg, today)

# ---- is this "agent" a scam? --------------------------------------------------------------------------------
with tabs[2]:
    st.caption(t("scam.intro", lg))
    answers = {q: st.checkbox(t(f"scam.q.{q}", lg), key=f"scam_{q}") for q in log.SCAM_QUESTIONS}
    if any(answers.values()):
        verdict = log.scam_check(answers)
        show(log.SCAM_LEVELS[verdict.verdict], log.scam_text(verdict, lg))
        st.markdown(log.alternatives_text(verdict, lg))
