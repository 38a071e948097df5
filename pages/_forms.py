"""The grids on a phone: one row at a time, as a form.

The loan editor's grid has sixteen columns and the plan builder's seven; at 390 px every cell needs a
sideways swipe inside them. On a narrow screen (:mod:`pages._phone`) the page shows a form instead:

* :func:`loan_form` — pick a loan, change its fields (text, as in the grid: ``1.2万``, ``日息万五``,
  ``12期`` are understood), delete it, or add one by lender, balance, rate and months left;
* :func:`plan_form` — pick a lender, choose what to ask it for and the option's figures.

Each works on its grid's own table and returns it changed, so that a change goes the way of an edit
in the grid (read, checked, problems named by row and column).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from lib.i18n import t
from lib.loans import EDITOR_FIELDS, KINDS, METHODS, check_label, editor_label
from lib.negotiate import LABELS

PICK = "loan_form_row"  # the loan shown (its row in the table); kept while the table is redrawn
_NEXT = "loan_form_next"  # the row to show after this change (a loan just added)


def _choices(name: str, lg: str) -> list[str] | None:
    codes = {"kind": KINDS, "method": METHODS}.get(name)
    return None if codes is None else ["", *(t(f"{name}.{c}", lg) for c in codes)]


def _same(a: object, b: object) -> bool:
    return (pd.isna(a) and pd.isna(b)) if (pd.isna(a) or pd.isna(b)) else a == b


def _field(name: str, value: object, key: str, lg: str) -> object:
    """One field's widget with the row's value; returns what it holds now. Whatever the row holds
    is shown as it is (no length limit, a value outside the choices among them, any date), so that
    the form changes nothing the user did not change; the reader judges it, as for the grid."""
    label = editor_label(name, lg)
    if (options := _choices(name, lg)) is not None:
        options += [] if value in options else [value]
        return st.selectbox(label, options, index=options.index(value), key=key)
    if name == "start_date":
        day = None if pd.isna(value) else pd.Timestamp(value).date()
        low, high = dt.date(1950, 1, 1), dt.date(2100, 12, 31)
        got = st.date_input(label, value=day, key=key, min_value=min(low, day or low), max_value=max(high, day or high))
        return pd.NaT if got is None else pd.Timestamp(got)
    return st.text_input(label, value="" if pd.isna(value) else str(value), key=key)


ADD_FIELDS = ("lender", "balance", "annual_rate", "remaining_months")  # what a loan needs to be one


def _add(base: pd.DataFrame, lg: str) -> pd.DataFrame | None:
    """A new loan from its lender, balance, rate and months left (the rest is filled in afterwards,
    derived or assumed, as for a row of the grid)."""
    with st.expander(t("loans.form_add", lg), icon=":material/add:"), st.form("loan_form_add", border=False):
        typed = {editor_label(f, lg): st.text_input(editor_label(f, lg), max_chars=60 if f == "lender" else 200)
                 for f in ADD_FIELDS}
        if not st.form_submit_button(t("loans.form_add", lg), icon=":material/add:") or not any(
                v.strip() for v in typed.values()):
            return None
    row = {c: ("" if base[c].dtype == "string" else pd.NaT) for c in base.columns}
    row.update({c: v.strip() for c, v in typed.items()})
    st.session_state[_NEXT] = len(base)
    return pd.concat([base, pd.DataFrame([row]).astype(base.dtypes.to_dict())], ignore_index=True)


def loan_form(base: pd.DataFrame, ver: int, lg: str) -> pd.DataFrame:
    """``base`` (the editor's table, see pages/loans.py) with the change made in the form, or
    ``base`` itself when nothing changed. ``ver``: the table's version (the fields start again
    from the table when it is redrawn)."""
    if _NEXT in st.session_state:
        st.session_state[PICK] = st.session_state.pop(_NEXT)
    rows = list(range(len(base)))
    if st.session_state.get(PICK) not in rows:
        st.session_state.pop(PICK, None)
    lender = editor_label("lender", lg)
    i = st.selectbox(t("loans.form_pick", lg), rows, key=PICK, placeholder=t("loans.form_none", lg),
                     format_func=lambda r: base.iloc[r][lender] or t("loans.form_unnamed", lg, n=r + 1)) if rows else None
    if i is not None:
        row = base.iloc[i]
        if row[check_label(lg)]:
            st.caption(row[check_label(lg)])
        new = {editor_label(f, lg): _field(f, row[editor_label(f, lg)], f"loan_form_{ver}_{i}_{f}", lg)
               for f in EDITOR_FIELDS}
        if st.button(t("loans.form_delete", lg), icon=":material/delete:", key=f"loan_form_delete_{ver}_{i}"):
            return base.drop(index=base.index[i]).reset_index(drop=True)
        if any(not _same(v, row[c]) for c, v in new.items()):
            edited = base.copy()
            for c, v in new.items():
                edited.at[edited.index[i], c] = v
            return edited
    added = _add(base, lg)
    return base if added is None else added


PLAN_FIELDS = {"months": "compare.col.plan_months", "plan_rate": "negotiate.param.plan_rate",
               "waive_penalty_pct": "negotiate.param.waive_penalty_pct",
               "waive_interest_pct": "negotiate.param.waive_interest_pct", "settle_pct": "negotiate.param.settle_pct"}


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
