"""The article's five steps, its misconceptions, what to prepare, what to sign, where to turn."""

from __future__ import annotations

import streamlit as st

from lib.i18n import t
from pages._shared import lang

lg = lang()
st.title(t("guide.title", lg))
st.caption(t("guide.intro", lg))
st.warning(f"**{t('guide.agents_title', lg)}** — {t('guide.agents', lg)}", icon=":material/gpp_maybe:")
for section in ("steps", "myths", "prepare", "agreement", "turn"):
    st.subheader(t(f"guide.{section}_title", lg))
    st.markdown(t(f"guide.{section}", lg))  # our own text from lib.i18n, never user input
