"""The article's five steps, its misconceptions, what to prepare, what to sign, what collectors may
do (with sources), how it shows in the credit record, where to turn."""

from __future__ import annotations

import streamlit as st

from lib.i18n import t
from lib.rules import collection_lines
from pages._shared import lang

lg = lang()
st.title(t("guide.title", lg))
st.caption(t("guide.intro", lg))
st.warning(f"**{t('guide.agents_title', lg)}** — {t('guide.agents', lg)}", icon=":material/gpp_maybe:")
for section in ("steps", "myths", "prepare", "agreement", "collection", "credit", "turn"):
    st.subheader(t(f"guide.{section}_title", lg))
    st.markdown(t(f"guide.{section}", lg))  # our own text from lib.i18n, never user input
    if section == "collection":
        st.markdown("\n".join(collection_lines(lg)))  # data/collection_rules.csv, escaped
