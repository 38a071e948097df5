"""Step 3 · Choose how to negotiate: the article's options side by side, and what to ask each lender."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from lib import charts
from lib.capacity import charges_by_basis
from lib.fmt import md_escape, money
from lib.i18n import t
from lib.negotiate import compare_with_results, run_plan, within_capacity
from lib.outcomes import grant_rates
from lib.plan import strategy_of
from lib.views import (
    best_options,
    compare_headers,
    compare_view,
    first_short_month,
    refusable_text,
    what_changed,
)
from pages._memo import asks_for, legal_for, memo
from pages._option_params import option_settings
from pages._phone import cards, phone_only, wide_only
from pages._plan_builder import plan_builder
from pages._shared import chart_tabs, page_start
from pages._state import scenario
from pages._workspace import outcome_cases

lg, loans, ver = page_start("compare.title", "compare.intro")
scn = scenario()
cap, pm, basis = scn.capacity.to_capacity(), scn.capacity.penalty_multiple, scn.basis
start = pd.Timestamp.today()
legal = legal_for(loans, ver)
strategy = strategy_of(scn)
st.info(t("compare.capacity", lg, amount=money(cap.monthly, 0)) + " " + t(f"compare.basis.{basis}", lg),
        icon=":material/savings:")
st.page_link("pages/capacity.py", label=t("compare.change_capacity", lg), icon=":material/tune:")


option_settings(scn, lg)
opts = scenario().options
params, chosen = opts.values(), list(opts.chosen)

# ---- side by side ---------------------------------------------------------------------------------
# plans already run for these loans and this capacity: moving one parameter reruns only its options
outcomes = memo("outcomes", (ver, cap, pm, strategy, basis), dict, keep=2)
if len(outcomes) > 24:  # keep memory bounded while sliders move (each option and its longer run: 2 sets)
    outcomes.clear()
with st.spinner(t("compare.computing", lg)):
    table, results = compare_with_results(loans, cap, strategy=strategy, penalty_multiple=pm, basis=basis,
                                          legal=legal, options=["baseline", *chosen], outcomes=outcomes, **params)
window = int(table["window"].iloc[0])
heads = compare_headers(window, lg, start)
rates = grant_rates(outcome_cases().cases)  # recorded outcomes, where there are enough of them
view = compare_view(table, lg, start, rates=rates)
with wide_only("compare"):
    st.dataframe(view, hide_index=True, column_config={
        heads["best"]: st.column_config.TextColumn(width="small"),
        heads["option"]: st.column_config.TextColumn(width="medium"),
        **{heads[k]: st.column_config.TextColumn(help=t(f"compare.help.{k}", lg, w=window))
           for k in ("fits", "monthly_payment", "months", "total_paid", "saving", "apr")}})
with phone_only("compare"):  # one card per option: does it fit, the first month, how long, what it costs
    cards(view, [heads["best"], heads["option"]],
          [heads[k] for k in ("fits", "monthly_payment", "months", "total_paid", "saving")])
# a move that no chart shows (e.g. the instalment months) still shows: the figures it changed
changed = what_changed(st.session_state.get("compare_shown"), view, heads["option"], lg)
st.session_state["compare_shown"] = view
if changed:
    st.caption(md_escape(changed))
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
timelines = memo("timelines", (ver, cap, pm, strategy, basis, tuple(chosen), tuple(sorted(params.items()))),
                 lambda: charts.option_timelines({t(f"negotiate.option.{k}", lg): r.monthly for k, r in results.items()},
                                                 budget, lg, start), keep=2)
chart_tabs("compare_chart", {t(f"compare.tab_{k}", lg): (lambda i=i: timelines[i])
                             for i, k in enumerate(("owed", "paid", "monthly"))})

# ---- plan builder: what to ask each lender ------------------------------------------------------------
# After the table and the charts: the search (hundreds of engine runs on a large book) runs in the
# server's process pool while the page above is already on the screen, once per inputs (pages/_memo.py).
st.subheader(t("compare.ask_title", lg))
st.caption(t("compare.ask_help", lg))
asked, ask_text = asks_for(scn, loans, ver, lg)  # (saying how long it has waited)
with st.container(border=True):
    st.markdown(ask_text)
if not asked.fits:
    st.warning(t("compare.ask_gap", lg, gap=money(asked.gap, 0)), icon=":material/warning:")
elif cheapest:  # the ★ option asks every lender for it; these asks ask each for as little as fits
    best = table.set_index("option").loc[cheapest]
    st.caption(t("compare.ask_vs_best", lg, months=asked.months, total=money(asked.total_paid, 0),
                 best=t(f"negotiate.option.{cheapest}", lg), best_total=money(float(best["total_paid"]), 0),
                 best_months=t("capacity.never", lg) if pd.isna(best["months"]) else int(best["months"])))

plan = plan_builder(asked, loans, ver, cap, pm, strategy, params, lg)
st.markdown(t("compare.reminders", lg))  # our own text
st.page_link("pages/guide.py", label=t("compare.go_guide", lg), icon=":material/menu_book:")

st.subheader(t("compare.plan_title", lg))
plan_key = (ver, cap, pm, strategy, basis, tuple(sorted(plan.items(), key=lambda kv: kv[0])))
res = memo("plan", plan_key, lambda: run_plan(plan, loans, cap, strategy=strategy, penalty_multiple=pm, basis=basis,
                                              legal=legal), keep=4).result
m = st.columns(3)
m[0].metric(t("capacity.debt_free", lg), t("capacity.months", lg, n=res.months_to_debt_free)
            if res.finishes else t("capacity.never", lg))
m[1].metric(t("capacity.total_paid", lg), money(res.total_paid, 0))
m[2].metric(t("compare.plan_fits", lg), t("compare.yes" if within_capacity(res, None) else "compare.no", lg))
short = first_short_month(res, lg, start)
if short:
    st.warning(short, icon=":material/event_busy:")
st.plotly_chart(memo("plan_chart", (*plan_key, lg), lambda: charts.payments_vs_capacity(
    res.schedule, res.monthly, lg, start), keep=4), config={"displayModeBar": False})
