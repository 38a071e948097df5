"""The plan builder on a phone: one lender at a time, as a form.

The plan builder's grid has seven columns; at 390 px every cell needs a sideways swipe inside it. On a
narrow screen (:mod:`pages._phone`) the compare page shows :func:`plan_form` instead: pick a lender,
choose what to ask it for and the option's figures. It works on the grid's own table and returns it
changed, so that a change goes the way of an edit in the grid.

(The loan editor's form was taken out again: with it on the loans page, about one upload in five was
lost in the browser — tests/browser and bench/bench_sessions.py showed it; see issue 13's note.)
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from lib.i18n import t
from lib.negotiate import LABELS

PLAN_FIELDS = {"months": "compare.col.plan_months", "plan_rate": "negotiate.param.plan_rate",
               "waive_penalty_pct": "negotiate.param.waive_penalty_pct",
               "waive_interest_pct": "negotiate.param.waive_interest_pct", "settle_pct": "negotiate.param.settle_pct"}


def _same(a: object, b: object) -> bool:
    return (pd.isna(a) and pd.isna(b)) if (pd.isna(a) or pd.isna(b)) else a == b


def plan_form(base: pd.DataFrame, lg: str) -> pd.DataFrame:
    """``base`` (the plan builder's rows: lender, option and its figures as text, see
    pages/compare.py) with one lender's row changed in the form, or ``base`` itself."""
    if base.empty:
        return base
    rows = list(range(len(base)))
    if st.session_state.get("plan_form_row") not in rows:
        st.session_state.pop("plan_form_row", None)
    i = st.selectbox(t("col.lender", lg), rows, key="plan_form_row", format_func=lambda r: base.iloc[r]["lender"])
    row = base.iloc[i]
    key = f"plan_form_{i}_{row['loan_id']}"
    new = {"option": st.selectbox(t("compare.col.option", lg), LABELS, index=LABELS.index(row["option"]),
                                  format_func=lambda o: t(f"negotiate.option.{o}", lg), key=f"{key}_option")}
    for c, label in PLAN_FIELDS.items():
        unit = "" if c == "months" else " %"
        new[c] = st.text_input(t(label, lg) + unit, value="" if pd.isna(row[c]) else str(row[c]), key=f"{key}_{c}",
                               max_chars=20)
    if all(_same(v, row[c]) for c, v in new.items()):
        return base
    edited = base.copy()
    for c, v in new.items():
        edited.at[edited.index[i], c] = v
    return edited
