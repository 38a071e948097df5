"""Step 2 · Know your capacity: what you can really pay, and what happens month by month."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from lib import charts
from lib.breakdown import totals
from lib.capacity import (
    REFUSABLE_MONTHS,
    Capacity,
    arrears_outlook,
    charges_by_basis,
    position,
    strategy_table,
)
from lib.fmt import money, pct
from lib.i18n import t
from lib.payoff import BASES, HORIZON_MONTHS, STRATEGIES, budget_needed, prepare, simulate
from lib.views import capacity_status, refusable_text, strategy_view
from pages._memo import memo
from pages._phone import cards, phone_only, wide_only
from pages._shared import chart_tabs, page_start, show
from pages._state import bind, scenario

lg, loans, ver = page_start("capacity.title", "capacity.intro")
engine_loans = memo("prepared", (ver,), lambda: prepare(loans))  # the table read once, not on every rerun


def run(budget: float, strategy: str, lumps: tuple, changes: tuple, pm: float, order: tuple = ()):
    return memo("run", (ver, budget, strategy, lumps, changes, pm, order, basis), lambda: simulate(
        engine_loans, budget, strategy, penalty_multiple=pm, lump_sums=dict(lumps), budget_changes=dict(changes),
        target_months=None, order=list(order) or None, basis=basis), keep=8)  # (each a whole schedule)


def needed(months: int, strategy: str, lumps: tuple, pm: float, order: tuple = ()) -> float:
    return memo("needed", (ver, months, strategy, lumps, pm, order, basis), lambda: budget_needed(
        engine_loans, months, strategy, penalty_multiple=pm, lump_sums=dict(lumps), order=list(order) or None,
        basis=basis))


def strategies(cap: Capacity, pm: float, base) -> pd.DataFrame:
    return memo("strategies", (ver, cap, pm, base.strategy, order, basis), lambda: strategy_table(
        engine_loans, cap, penalty_multiple=pm, base=base, order=list(order) or None, basis=basis))


def money_input(label: str, field: str, help: str | None = None, disabled: bool = False) -> None:
    st.number_input(t(label, lg), min_value=0.0, max_value=1e8, value=float(getattr(inputs, field)), step=500.0,
                    format="%.0f", help=help and t(help, lg), disabled=disabled,
                    **bind(f"cap_{field}", lambda s, v: s.with_capacity(**{field: v})))


# ---- inputs (each writes the scenario; see pages/_state.py) -------------------------------------------
scn = scenario()
inputs = scn.capacity
with st.container(border=True):
    a, b, c = st.columns(3)
    with a:
        money_input("capacity.income", "income", "capacity.income_help")
        money_input("capacity.essentials", "essentials", "capacity.essentials_help")
        money_input("capacity.obligations", "obligations", "capacity.obligations_help")
    with b:
        st.slider(t("capacity.share", lg), 0, 100, round(inputs.share * 100), 5, format="%d%%",
                  help=t("capacity.share_help", lg), **bind("cap_share", lambda s, v: s.with_capacity(share=v / 100)))
        money_input("capacity.cash", "cash", "capacity.cash_help")
        money_input("capacity.reserve", "reserve", "capacity.reserve_help")
    with c:
        st.toggle(t("capacity.change", lg), value=inputs.change,
                  **bind("cap_change", lambda s, v: s.with_capacity(change=v)))
        st.slider(t("capacity.change_month", lg), 1, 36, inputs.change_month, disabled=not inputs.change,
                  **bind("cap_change_month", lambda s, v: s.with_capacity(change_month=v)))
        money_input("capacity.change_income", "change_income", disabled=not inputs.change)
        st.slider(t("capacity.penalty_multiple", lg), 1.0, 2.0, inputs.penalty_multiple, 0.1,
                  help=t("capacity.penalty_multiple_help", lg),
                  **bind("cap_pm", lambda s, v: s.with_capacity(penalty_multiple=v)))
        st.radio(t("capacity.basis", lg), BASES, index=BASES.index(scn.basis), horizontal=True,
                 format_func=lambda b: t(f"capacity.basis.{b}", lg), help=t("capacity.basis_help", lg),
                 **bind("cap_basis", lambda s, v: s.evolve(basis=v)))

scn = scenario()  # (a callback may have changed it before this run)
cap, pm, basis = scn.capacity.to_capacity(), scn.capacity.penalty_multiple, scn.basis
pos = position(memo("totals", (ver,), lambda: totals(loans)), cap)

# ---- strategy and simulation ----------------------------------------------------------------
strategy = st.radio(t("capacity.strategy", lg), STRATEGIES, index=STRATEGIES.index(scn.strategy), horizontal=True,
                    format_func=lambda s: t(f"strategy.{s}", lg),
                    **bind("cap_strategy", lambda s, v: s.evolve(strategy=v)))
st.caption(t(f"strategy.{strategy}.explain", lg))
order: tuple = ()
if strategy == "custom":
    by_rate = loans.sort_values("annual_rate", ascending=False)
    names = dict(zip(by_rate["loan_id"], by_rate["lender"].astype(str), strict=True))
    order = tuple(st.multiselect(t("capacity.order", lg), list(names), default=list(scn.order or names),
                                 format_func=names.get, help=t("capacity.order_help", lg),
                                 **bind("cap_order", lambda s, v: s.evolve(order=tuple(v)))))
    order = tuple(names[i] for i in order)  # the engine orders by lender

lumps, changes = tuple(cap.lump_sums().items()), tuple(cap.budget_changes().items())
with st.spinner(t("capacity.computing", lg)):
    res = run(cap.monthly, strategy, lumps, changes, pm, order)
start = pd.Timestamp.today()
arrears = arrears_outlook(res, pos.arrears)

m = st.columns(4)
m[0].metric(t("capacity.monthly", lg), money(pos.capacity, 0))
m[1].metric(t("capacity.due_now", lg), money(pos.due_now, 0), help=t("metric.monthly_due_help", lg))
m[2].metric(t("capacity.need_now", lg), money(arrears.need_now, 0), delta=money(pos.capacity - arrears.need_now, 0),
            delta_color="normal", help=t("capacity.need_now_help", lg))
m[3].metric(t("capacity.dti", lg), pct(pos.debt_to_income, 0) if pos.debt_to_income is not None else "—",
            help=t("capacity.dti_help", lg))
for level, text in capacity_status(pos, arrears, lg, start):
    show(level, text)

r = st.columns(3)
if res.finishes:
    r[0].metric(t("capacity.debt_free", lg), t("capacity.months", lg, n=res.months_to_debt_free))
else:
    r[0].metric(t("capacity.debt_free", lg), t("capacity.never", lg))
r[1].metric(t("capacity.total_cost", lg), money(res.total_interest + res.total_penalty + res.total_fees, 0),
            help=t("capacity.total_cost_help", lg, interest=money(res.total_interest),
                   penalty=money(res.total_penalty), fees=money(res.total_fees)))
r[2].metric(t("capacity.total_paid", lg), money(res.total_paid, 0))
if not res.finishes:
    st.error(t(f"capacity.not_finishing.{res.reason}", lg, months=res.months_simulated, owed=money(res.owed_end, 0),
               horizon=HORIZON_MONTHS, years=HORIZON_MONTHS // 12, at_least=res.months_at_least),
             icon=":material/error:")
# both bases over the same months (the next year at most): where they differ, the difference can
# be refused
span = min(res.months_simulated, REFUSABLE_MONTHS)
charges = memo("charges", (ver, cap, pm, strategy, order, span), lambda: charges_by_basis(
    engine_loans, cap, span, strategy=strategy, penalty_multiple=pm, order=list(order) or None, known={basis: res}))
refuse = refusable_text(charges["enforceable"], charges["contractual"], span, basis, lg)
if refuse:
    st.info(refuse, icon=":material/gavel:")

target = st.slider(t("capacity.target", lg), 6, 60, scn.capacity.target_months, 1,
                   **bind("cap_target", lambda s, v: s.with_capacity(target_months=v)))
need = needed(target, strategy, lumps, pm, order)
if need <= cap.monthly:
    st.success(t("capacity.need_ok", lg, amount=money(need, 0), n=target, diff=money(cap.monthly - need, 0)))
else:
    st.warning(t("capacity.need_more", lg, amount=money(need, 0), n=target, diff=money(need - cap.monthly, 0)))

# one chart at a time (each is the browser's heaviest work on a slider move), what the plan pays first
figs = memo("plan_charts", (ver, cap.monthly, strategy, lumps, changes, pm, order, basis),
            lambda: charts.plan_charts(res.schedule, res.monthly, lg, start), keep=2)
chart_tabs("capacity_chart", {t(f"capacity.tab_{k}", lg): (lambda i=i: figs[i]) for i, k in
                              ((1, "payments"), (0, "balance"), (2, "gantt"), (3, "penalty"))})

st.subheader(t("capacity.strategies", lg))
view, same = strategy_view(strategies(cap, pm, res), lg)
with wide_only("strategies"):
    st.table(view)
with phone_only("strategies"):  # a card per strategy: the totals need no sideways swipe
    cards(view.reset_index(), [view.index.name], list(view.columns))
if same:
    st.caption(t("capacity.strategies_same", lg))
