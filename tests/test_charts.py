"""Figures: valid Plotly specs, money in the right series, user text escaped."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import pytest

from lib import charts
from lib.breakdown import by_lender, loan_table, totals
from lib.capacity import Capacity
from lib.ingest import read_loans
from lib.loans import make_loans, named
from lib.payoff import simulate

START = pd.Timestamp("2026-11-28")


@pytest.fixture(scope="module")
def sample():
    return read_loans("data/sample_loans.csv").loans


@pytest.fixture(scope="module")
def plan(sample):
    cap = Capacity(income=12000, essentials=5500, cash=3000, reserve=2000)
    return simulate(sample, cap.monthly, lump_sums=cap.lump_sums(), target_months=None)


def all_figures(sample, plan, lang):
    return [
        charts.lender_bars(by_lender(sample), lang),
        charts.composition(totals(sample), lang),
        charts.apr_ranking(loan_table(sample), lang),
        charts.balance_over_time(plan.schedule, lang, START),
        charts.payments_vs_capacity(plan.schedule, plan.monthly, lang, START),
        charts.payoff_gantt(plan.schedule, lang, START),
        charts.penalty_growth(plan.monthly, lang, START),
    ]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_figure_is_a_valid_plotly_spec(sample, plan, lang):
    for fig in all_figures(sample, plan, lang):
        go.Figure(fig.to_dict())  # full validation: raises on any bad property


def test_plan_charts_are_the_four_capacity_figures(sample, plan):
    together = charts.plan_charts(plan.schedule, plan.monthly, "en", START)
    alone = all_figures(sample, plan, "en")[3:]
    assert [f.to_plotly_json() for f in together] == [f.to_plotly_json() for f in alone]


def test_balance_chart_stacks_what_is_owed(plan):
    fig = charts.balance_over_time(plan.schedule, "zh", START)
    month1 = sum(tr.y[0] for tr in fig.data)
    assert month1 == pytest.approx(plan.monthly.loc[0, "owed"], abs=0.01)
    assert fig.data[0].x[0] == "2026-12"  # month 1 is the calendar month after the start


def test_payments_chart_adds_up_to_what_was_paid(plan):
    fig = charts.payments_vs_capacity(plan.schedule, plan.monthly, "en", START)
    bars = [tr for tr in fig.data if tr.type == "bar"]
    paid = [sum(tr.y[i] for tr in bars) for i in range(len(plan.monthly))]
    assert paid == pytest.approx(plan.monthly["paid"].tolist(), abs=0.01)
    capacity = next(tr for tr in fig.data if tr.name == "Capacity")
    assert list(capacity.y) == pytest.approx(plan.monthly["budget"].tolist())


def test_each_payment_bar_names_who_it_went_to(plan):
    fig = charts.payments_vs_capacity(plan.schedule, plan.monthly, "en", START)
    (bars,) = [tr for tr in fig.data if tr.type == "bar"]  # one series: the browser redraws it on every move
    month = plan.schedule[plan.schedule["month"] == 1]
    paid = month[month["payment"] > 0.005].sort_values("payment", ascending=False)
    lines = bars.customdata[0].split("<br>")
    top = [f"{n} ¥{v:,.0f}" for n, v in zip(paid["lender"], paid["payment"], strict=True)][:charts.HOVER_LENDERS]
    assert lines[:len(top)] == top
    if len(paid) > charts.HOVER_LENDERS:  # the rest summed on one line
        assert lines[-1] == f"{len(paid) - charts.HOVER_LENDERS} others ¥{paid['payment'].iloc[charts.HOVER_LENDERS:].sum():,.0f}"


def test_many_lenders_are_drawn_as_ten_series():
    loans = make_loans([{"lender": f"L{i:02d}", "balance": 1000.0 + i, "annual_rate": 0.1,
                         "remaining_months": 6} for i in range(25)])
    plan = simulate(loans, 5000, target_months=None)
    fig = charts.balance_over_time(plan.schedule, "en", START)
    assert len(fig.data) == charts.MAX_SERIES
    assert fig.data[-1].name == "16 others"
    assert sum(tr.y[0] for tr in fig.data) == pytest.approx(plan.monthly.loc[0, "owed"], abs=0.01)


def test_lender_names_are_escaped_in_every_chart():
    loans = make_loans([{"lender": "<a href='x'>bad</a>", "balance": 1000.0, "annual_rate": 0.1,
                         "remaining_months": 6}])
    plan = simulate(loans, 100, target_months=None)
    figs = [charts.lender_bars(by_lender(loans), "en"), charts.apr_ranking(loan_table(loans), "en"),
            charts.balance_over_time(plan.schedule, "en", START), charts.payoff_gantt(plan.schedule, "en", START)]
    for fig in figs:
        text = fig.to_json()
        assert "<a href" not in text and "&lt;a href" in text


def test_two_unnamed_loans_stay_two_lenders_in_the_breakdown_and_in_every_chart():
    # markers not in data/sample_loans*.csv: blank lenders, rows 6 and 9, 4,321 and 2,468
    loans = make_loans([{"lender": "", "balance": 4321.0, "annual_rate": 0.17, "remaining_months": 9,
                         "source_row": 6},
                        {"lender": "", "balance": 2468.0, "annual_rate": 0.13, "remaining_months": 7,
                         "source_row": 9},
                        {"lender": "晨星小贷", "balance": 1357.0, "annual_rate": 0.19, "remaining_months": 5}])
    raw = by_lender(loans)  # even the raw table: two rows, not one summed
    assert raw["owed"].tolist() == [4321.0, 2468.0, 1357.0] and raw["lender"].tolist() == ["", "", "晨星小贷"]
    for lang, first, second in (("en", "Loan in row 6", "Loan in row 9"), ("zh", "第6行借款", "第9行借款")):
        shown = named(loans, lang)
        per = by_lender(shown)
        assert per[["lender", "owed"]].values.tolist() == [[first, 4321.0], [second, 2468.0], ["晨星小贷", 1357.0]]
        bars = charts.lender_bars(per, lang)
        assert {tuple(tr.y) for tr in bars.data} == {("晨星小贷", second, first)}
        assert list(charts.apr_ranking(loan_table(shown), lang).data[0].y) == [second, first, "晨星小贷"]
        plan = simulate(shown, 2000, target_months=None)
        balance, payments, gantt, _ = charts.plan_charts(plan.schedule, plan.monthly, lang, START)
        names = [tr.name for tr in balance.data if tr.name in (first, second, "晨星小贷")]
        assert sorted(names) == sorted([first, second, "晨星小贷"]), names
        month1 = payments.data[0].customdata[0]  # who the first month's payment went to
        assert all(f"{n} ¥" in month1 for n in (first, second, "晨星小贷")), month1
        assert {first, second} <= {n.rsplit(" #", 1)[0] for n in gantt.data[0].y}
    assert loans["lender"].tolist() == ["", "", "晨星小贷"]  # named() never changes the table
