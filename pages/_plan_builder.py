"""The compare page's plan builder: the suggested asks as a table (a form on a phone) the user
may change lender by lender, kept in the scenario by loan id, and the plan it makes."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from lib.capacity import Capacity
from lib.i18n import t
from lib.negotiate import LABELS, Asks, plan_from_table
from lib.plan import suggested_rows
from lib.scenario import plan_choices, plan_rows
from pages._forms import PLAN_FIELDS, plan_form
from pages._memo import memo
from pages._phone import phone_only, wide_only
from pages._state import put, scenario, wkey


def _editor(base: pd.DataFrame, loans_key: str, lg: str) -> pd.DataFrame:
    with wide_only("plan_editor"):
        edited = st.data_editor(
            base, hide_index=True, num_rows="fixed", disabled=["lender"], key=wkey(f"plan_editor_{loans_key}"),
            column_config={
                "loan_id": None,  # carried, not shown: the plan names each loan by it
                "lender": st.column_config.TextColumn(t("col.lender", lg)),
                "option": st.column_config.SelectboxColumn(
                    t("compare.col.option", lg), options=LABELS, required=True,
                    format_func=lambda o: t(f"negotiate.option.{o}", lg)),
                **{c: st.column_config.TextColumn(t(label, lg) + ("" if c == "months" else " %"))
                   for c, label in PLAN_FIELDS.items()},
            })
    with phone_only("plan_editor"):  # one lender at a time: no sideways swipe through the rows
        by_form = plan_form(base, lg)
    return by_form if edited.equals(base) else edited


def plan_builder(asked: Asks, loans: pd.DataFrame, ver: str, cap: Capacity, pm: float, strategy: str,
                 params: dict, lg: str) -> dict:
    """The builder in an expander; returns the plan (loan id → what to ask) for these inputs."""
    scn = scenario()
    with st.expander(t("compare.builder", lg), icon=":material/construction:"):
        st.caption(t("compare.builder_help", lg))
        # the suggestion (the asks), with the rows the user set kept in the scenario by loan id
        suggested = memo("suggested", (ver, cap, pm, strategy, scn.basis), lambda: suggested_rows(asked, loans))
        base = plan_rows(suggested, scn.plan)
        edited = _editor(base, scn.loans_key, lg)
        edits = not edited.equals(base)
        if edits and (choices := plan_choices(edited, suggested)) != scn.plan:
            put(scn.evolve(plan=choices))
            scn = scenario()
        if scn.plan and st.button(t("compare.builder_reset", lg), icon=":material/restart_alt:"):
            put(scn.evolve(plan={}), replaced=True, undo="undo.plan")
            st.rerun()
        table_now = plan_rows(suggested, scn.plan) if edits else base
        # (the table is the memoised suggestion with the user's choices: those name it, cheaply)
        return memo("plan_from", (ver, cap, pm, strategy, scn.basis, tuple(sorted(scn.plan.items())),
                                  tuple(sorted(params.items()))),
                    lambda: plan_from_table(table_now, params, legal=True, loans=loans))
