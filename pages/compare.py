"""Step 3 · Choose how to negotiate: the article's options side by side, and what to ask each lender."""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from lib import charts
from lib.capacity import charges_by_basis
from lib.fmt import money
from lib.i18n import t
from lib.negotiate import (
    DEFAULT_OPTIONS,
    LABELS,
    OPTION_SPECS,
    PLAN_PARAMS,
    Asks,
    compare_with_results,
    legal_lines,
    plan_from_table,
    plan_table,
    run_plan,
    what_to_ask,
    within_capacity,
)
from lib.views import (
    ask_lines,
    best_options,
    compare_headers,
    compare_view,
    first_short_month,
    refusable_text,
)
from pages._shared import current_basis, current_capacity, memo, page_start


def suggested_plan(plan, loans: pd.DataFrame) -> pd.DataFrame:
    """The plan builder's starting table; numbers as text so blank cells stay blank (the grid
    shows a missing number as "None")."""
    table = plan_table(plan, loans)
    table[list(PLAN_PARAMS)] = table[list(PLAN_PARAMS)].map(
        lambda x: "" if pd.isna(x) else f"{x:g}").astype("string")
    return table


def ask() -> tuple[Asks, str]:
    """What to ask each lender (for this page's loans and capacity), and the same as markdown
    lines (user text escaped in lib)."""
    asked = what_to_ask(loans, cap, strategy=strategy, penalty_multiple=pm, basis=basis, legal=legal)
    return asked, "\n".join(f"- {line}" for line in ask_lines(asked, lg))


lg, loans, ver = page_start("compare.title", "compare.intro")
cap, pm = current_capacity()
basis = current_basis()
start = pd.Timestamp.today()
legal = memo("legal", (ver,), lambda: legal_lines(loans))  # an IRR per loan: once per loans version
strategy = st.session_state.get("cap_strategy", "avalanche")
strategy = "avalanche" if strategy == "custom" else strategy
st.info(t("compare.capacity", lg, amount=money(cap.monthly, 0)) + " " + t(f"compare.basis.{basis}", lg),
        icon=":material/savings:")
st.page_link("pages/capacity.py", label=t("compare.change_capacity", lg), icon=":material/tune:")

# ---- option parameters (sliders built from lib.negotiate.OPTION_SPECS) -------------------------------
params: dict = {}
with st.expander(t("compare.params", lg), icon=":material/tune:"):
    cols = st.columns(3)
    for i, spec in enumerate(s for s in OPTION_SPECS.values() if s.name != "new_rate"):
        with cols[i % 3]:
            key, label = f"opt_{spec.name}", t(spec.key, lg)
            if spec.unit == "choice":
                params[spec.name] = st.radio(label, spec.choices, key=key, persist_state="session",
                                             format_func=lambda c: t(f"negotiate.grace.{c}", lg))
            elif spec.unit == "months":
                params[spec.name] = st.slider(label, int(spec.min), int(spec.max), int(spec.default),
                                              int(spec.step), key=key, persist_state="session")
            else:  # shares and rates, shown in percent
                pct = st.slider(label, spec.min * 100, spec.max * 100, spec.default * 100, spec.step * 100,
                                format="%.1f%%", key=key, persist_state="session")
                params[spec.name] = round(pct / 100, 6)
    rate_spec = OPTION_SPECS["new_rate"]
    if st.toggle(t("compare.lower_rate", lg), key="opt_lower_rate", persist_state="session"):
        params["new_rate"] = st.slider(t(rate_spec.key, lg), 0.0, rate_spec.max * 100, 12.0, 0.5,
                                       format="%.1f%%", key="opt_new_rate", persist_state="session") / 100
chosen = st.multiselect(t("compare.options", lg), LABELS, default=list(DEFAULT_OPTIONS), key="opt_chosen",
                        format_func=lambda o: t(f"negotiate.option.{o}", lg), persist_state="session")

# ---- side by side ---------------------------------------------------------------------------------
# plans already run for these loans and this capacity: moving one parameter reruns only its options
outcomes = memo("outcomes", (ver, cap, pm, strategy, basis), dict)
if len(outcomes) > 48:  # keep memory bounded while sliders move
    outcomes.clear()
with st.spinner(t("compare.computing", lg)):
    table, results = compare_with_results(loans, cap, strategy=strategy, penalty_multiple=pm, basis=basis,
                                          legal=legal, options=["baseline", *chosen], outcomes=outcomes, **params)
window = int(table["window"].iloc[0])
heads = compare_headers(window, lg, start)
st.dataframe(compare_view(table, lg, start), hide_index=True, column_config={
    heads["best"]: st.column_config.TextColumn(width="small"),
    heads["option"]: st.column_config.TextColumn(width="medium"),
    **{heads[k]: st.column_config.TextColumn(help=t(f"compare.help.{k}", lg, w=window))
       for k in ("fits", "monthly_payment", "months", "total_paid", "saving", "apr")}})
cheapest, fastest = best_options(table)
if cheapest:
    st.success(t("compare.best", lg, cheapest=t(f"negotiate.option.{cheapest}", lg),
                 fastest=t(f"negotiate.option.{fastest}", lg)), icon=":material/thumb_up:")
else:
    st.error(t("compare.none_fits", lg), icon=":material/error:")
st.caption(t("compare.table_help", lg, w=window))
charges = memo("charges", (ver, cap, pm, strategy, window), lambda: charges_by_basis(
    loans, cap, window, strategy=strategy, penalty_multiple=pm))
refuse = refusable_text(charges["enforceable"], charges["contractual"], window, basis, lg)
if refuse:
    st.info(refuse, icon=":material/gavel:")

budget = results["baseline"].monthly.set_index("month")["budget"]
owed_fig, paid_fig, pay_fig = charts.option_timelines(
    {t(f"negotiate.option.{k}", lg): r.monthly for k, r in results.items()}, budget, lg, start)
tabs = st.tabs([t("compare.tab_owed", lg), t("compare.tab_paid", lg), t("compare.tab_monthly", lg)])
for tab, fig in zip(tabs, (owed_fig, paid_fig, pay_fig), strict=True):
    tab.plotly_chart(fig, config={"displayModeBar": False})

# ---- plan builder: what to ask each lender ------------------------------------------------------------
st.subheader(t("compare.ask_title", lg))
st.caption(t("compare.ask_help", lg))
with st.spinner(t("compare.searching", lg)):
    asked, ask_text = memo("ask", (ver, cap, pm, strategy, basis, lg), ask)
with st.container(border=True):
    st.markdown(ask_text)
if not asked.fits:
    st.warning(t("compare.ask_gap", lg, gap=money(asked.gap, 0)), icon=":material/warning:")
elif cheapest:  # the ★ option asks every lender for it; these asks ask each for as little as fits
    best = table.set_index("option").loc[cheapest]
    st.caption(t("compare.ask_vs_best", lg, months=asked.months, total=money(asked.total_paid, 0),
                 best=t(f"negotiate.option.{cheapest}", lg), best_total=money(float(best["total_paid"]), 0),
                 best_months=t("capacity.never", lg) if pd.isna(best["months"]) else int(best["months"])))

with st.expander(t("compare.builder", lg), icon=":material/construction:"):
    st.caption(t("compare.builder_help", lg))
    editor_key = st.session_state.setdefault("plan_editor", {}).setdefault(
        (ver, cap, pm, strategy, lg), f"plan_{len(st.session_state['plan_editor'])}")
    edited = st.data_editor(
        memo("suggested", (editor_key,), lambda: suggested_plan(asked.plan, loans)),
        hide_index=True, num_rows="fixed", disabled=["lender"], key=editor_key,
        column_config={
            "loan_id": None,  # carried, not shown: the plan names each loan by it
            "lender": st.column_config.TextColumn(t("col.lender", lg)),
            "option": st.column_config.SelectboxColumn(t("compare.col.option", lg), options=LABELS, required=True,
                                                       format_func=lambda o: t(f"negotiate.option.{o}", lg)),
            "months": st.column_config.TextColumn(t("compare.col.plan_months", lg)),
            "plan_rate": st.column_config.TextColumn(t("negotiate.param.plan_rate", lg) + " %"),
            "waive_penalty_pct": st.column_config.TextColumn(t("negotiate.param.waive_penalty_pct", lg) + " %"),
            "waive_interest_pct": st.column_config.TextColumn(t("negotiate.param.waive_interest_pct", lg) + " %"),
            "settle_pct": st.column_config.TextColumn(t("negotiate.param.settle_pct", lg) + " %"),
        })
    # the table's edits (not the table) as the key: the same edits give the same plan
    edits = json.dumps(st.session_state.get(editor_key, {}), sort_keys=True, default=str)
    plan = memo("plan_from", (editor_key, edits, tuple(sorted(params.items()))),
                lambda: plan_from_table(edited, params, legal=True))
st.markdown(t("compare.reminders", lg))  # our own text
st.page_link("pages/guide.py", label=t("compare.go_guide", lg), icon=":material/menu_book:")

st.subheader(t("compare.plan_title", lg))
plan_key = (ver, cap, pm, strategy, basis, tuple(sorted(plan.items(), key=lambda kv: kv[0])))
res = memo("plan", plan_key, lambda: run_plan(plan, loans, cap, strategy=strategy, penalty_multiple=pm, basis=basis,
                                              legal=legal)).result
m = st.columns(3)
m[0].metric(t("capacity.debt_free", lg), t("capacity.months", lg, n=res.months_to_debt_free)
            if res.finishes else t("capacity.never", lg))
m[1].metric(t("capacity.total_paid", lg), money(res.total_paid, 0))
m[2].metric(t("compare.plan_fits", lg), t("compare.yes" if within_capacity(res, None) else "compare.no", lg))
short = first_short_month(res, lg, start)
if short:
    st.warning(short, icon=":material/event_busy:")
st.plotly_chart(memo("plan_chart", (*plan_key, lg), lambda: charts.payments_vs_capacity(
    res.schedule, res.monthly, lg, start)), config={"displayModeBar": False})
