"""Negotiation options (lib.negotiate) against independent computations: owed / N for a 0 %
plan, y % × owed for a settlement, numpy-financial's pmt for an extension, the waived amounts
for a waiver; the comparison table's saving and fit against direct checks; what_to_ask's plan
re-simulated with the engine; and the books reconciling for random portfolios × options.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import numpy_financial as npf
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lib.capacity import Capacity
from lib.i18n import TEXT, t
from lib.ingest import read_loans
from lib.loans import KINDS, METHODS, conform, make_loans, owed
from lib.negotiate import (
    COMPARE_COLUMNS,
    FIT_MONTHS,
    LABELS,
    LADDER,
    LIKELIHOODS,
    OPTION_KINDS,
    OPTION_SPECS,
    Option,
    applies,
    apply,
    apply_plan,
    ask_text,
    compare_options,
    describe,
    find_plan,
    gap_text,
    run_plan,
    what_to_ask,
)
from lib.payoff import simulate
from tests.hand import bank_annuity

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_CAP = Capacity(income=12000, essentials=5500, cash=3000, reserve=2000)


def fen(x) -> int:
    return int(round(float(x) * 100))


def loan(**kw):
    rec = {"lender": "A", "balance": 12000.0, "annual_rate": 0.12, "remaining_months": 12}
    rec.update(kw)
    return rec


@pytest.fixture(scope="module")
def sample() -> pd.DataFrame:
    return read_loans(ROOT / "data" / "sample_loans.csv").loans


def direct_fit(loans: pd.DataFrame, cap: Capacity, months: int | None) -> tuple[bool, object]:
    """Run the engine on a loan table myself and compare each month's due with the money."""
    r = simulate(loans, cap.monthly, lump_sums=cap.lump_sums(), budget_changes=cap.budget_changes(),
                 target_months=None)
    m = r.monthly if months is None else r.monthly.head(months)
    ok = all(fen(d) <= fen(b) for d, b in zip(m["due"], m["budget"], strict=True))
    return ok, r


# --------------------------------------------------------------------------------------------
# Options, specs, metadata
# --------------------------------------------------------------------------------------------
def test_option_defaults_come_from_the_specs_and_ranges_are_enforced():
    o = Option()
    for name, spec in OPTION_SPECS.items():
        assert getattr(o, name) == spec.default
        if spec.unit in ("months", "share", "rate"):
            assert spec.min is not None and spec.max is not None and spec.step
            assert spec.min <= (spec.default if spec.default is not None else spec.min) <= spec.max
            with pytest.raises(ValueError):
                Option(spec.kinds[0], **{name: spec.max + 1})
            with pytest.raises(ValueError):
                Option(spec.kinds[0], **{name: spec.min - 1})
    assert OPTION_SPECS["instalments_months"].max == 60  # article 70: up to 5 years
    assert (OPTION_SPECS["extension_months"].min, OPTION_SPECS["extension_months"].max) == (1, 36)
    assert OPTION_SPECS["grace_months"].max == 6
    assert Option("instalments", instalments_months=48.0).instalments_months == 48
    with pytest.raises(ValueError):
        Option("instalments", instalments_months=12.5)
    with pytest.raises(ValueError):
        Option("haircut")
    with pytest.raises(ValueError):
        Option("settlement", with_waiver=True)
    with pytest.raises(ValueError):
        Option("extension", grace_mode="sometimes")


def test_labels_likelihood_and_credit_notes():
    assert [Option.from_label(x).label for x in LABELS] == list(LABELS)
    assert Option.from_label("waiver+instalments") == Option("instalments", with_waiver=True)
    assert Option().grant_likelihood == "contract"
    assert Option("waiver").grant_likelihood == "common"
    assert Option("instalments").grant_likelihood == "common"
    assert Option("extension").grant_likelihood == "sometimes"
    assert Option("settlement").grant_likelihood == "rare"
    assert Option("waiver", new_rate=0.1).grant_likelihood == "sometimes"
    assert Option("instalments", with_waiver=True).credit_note_key == "negotiate.credit.instalments"


def test_every_negotiation_text_exists_in_both_languages():
    keys = [s.key for s in OPTION_SPECS.values()]
    keys += [Option.from_label(x).label_key for x in LABELS]
    keys += [f"negotiate.credit.{k}" for k in OPTION_KINDS]
    keys += [f"negotiate.likelihood.{x}" for x in LIKELIHOODS]
    keys += [f"negotiate.grace.{m}" for m in OPTION_SPECS["grace_mode"].choices]
    for key in keys:
        zh, en = TEXT[key]
        assert zh and en and zh != en
    for key in [k for k in TEXT if k.startswith("negotiate.credit.") and k != "negotiate.credit.waiver"]:
        assert "5" in TEXT[key][0] and "5 years" in TEXT[key][1]  # negative records stay 5 years
    assert "展期" in TEXT["negotiate.credit.extension"][0]
    assert "个性化分期" in TEXT["negotiate.credit.instalments"][0]
    assert "债务减免" in TEXT["negotiate.credit.settlement"][0]


def test_applies():
    card = loan(kind="credit_card")
    assert not applies(Option("extension"), card)
    assert applies(Option("instalments"), card) and applies(Option("settlement"), card)
    assert applies(Option("extension"), loan(kind="private"))
    assert not applies(Option("waiver"), loan())  # nothing accrued, no new rate
    assert applies(Option("waiver"), loan(penalty=1.0))
    assert not applies(Option("waiver", waive_penalty_pct=0.0), loan(penalty=10.0))
    assert applies(Option("waiver", new_rate=0.06), loan()) and not applies(Option("waiver", new_rate=0.2), loan())
    assert not applies(Option("instalments"), loan(balance=0.0))
    assert applies(Option(), loan(balance=0.0))
    row = make_loans([loan(kind="credit_card")]).iloc[0]  # a table row works too
    assert not applies(Option("extension"), row)


# --------------------------------------------------------------------------------------------
# Each option against an independent computation
# --------------------------------------------------------------------------------------------
def test_zero_rate_instalments_pay_owed_over_n_each_month_and_exactly_the_owed_in_all():
    rec = loan(balance=10000.0, annual_rate=0.18, remaining_months=5, interest=123.45, penalty=67.89,
               fees=30.0, overdue_amount=2500.0, overdue_days=40)
    total = 10000.0 + 123.45 + 67.89 + 30.0  # 10,221.34
    n = 7
    # A second, dearer loan takes every yuan the plan does not ask for (avalanche), so the
    # 0 % plan is paid exactly its dues.
    sink = loan(lender="sink", balance=200000.0, annual_rate=0.30, remaining_months=120)
    loans = make_loans([rec, sink])
    opt = Option("instalments", instalments_months=n)
    out = run_plan({"L1": opt}, loans, Capacity(income=1460.21 + 6000.0))
    new = out.loans.iloc[0]
    assert (fen(new["balance"]), new["annual_rate"], new["remaining_months"]) == (fen(total), 0.0, n)
    assert fen(new["monthly_payment"]) == math.ceil(total / n * 100)  # owed / N rounded up to the fen
    assert (new["interest"], new["penalty"], new["fees"], new["overdue_amount"], new["overdue_days"]) == (0, 0, 0, 0, 0)
    s = out.result.schedule
    mine = s[s["loan"] == 0]
    assert mine["month"].tolist() == list(range(1, n + 1))
    share = math.ceil(total * 100 / n)  # each month owed / N rounded up, the last what is left
    dues = [fen(x) for x in mine["due"]]
    assert dues == [share] * (n - 1) + [fen(total) - share * (n - 1)]
    for due, paid in zip(mine["due"], mine["payment"], strict=True):
        assert fen(paid) == fen(due)
    assert sum(fen(x) for x in mine["payment"]) == fen(total)  # the rounding is absorbed: owed exactly
    assert float(out.waived[0]) == 0.0 and mine["interest_accrued"].sum() == 0


def test_zero_rate_instalments_alone_total_the_owed_and_take_n_months():
    rec = loan(balance=12345.6, annual_rate=0.24, remaining_months=3, penalty=400.0, overdue_amount=3000.0)
    loans = make_loans([rec])
    opt = Option("instalments", with_waiver=True, instalments_months=12, waive_interest_pct=0.0)
    out = run_plan(opt, loans, Capacity(income=12345.6 / 12))  # 1,028.80 exactly
    r = out.result
    assert r.months_to_debt_free == 12 and r.total_paid == 12345.6
    assert r.monthly["due"].tolist() == [1028.8] * 12
    assert float(out.waived[0]) == 400.0


@pytest.mark.parametrize("pct,months", [(0.6, 1), (0.45, 1), (0.7, 4)])
def test_settlement_pays_y_percent_of_the_owed_and_forgives_the_rest(pct, months):
    rec = loan(balance=20000.0, annual_rate=0.2, remaining_months=10, interest=700.0, penalty=333.33,
               fees=50.0, overdue_amount=5000.0)
    total = 20000.0 + 700.0 + 333.33 + 50.0
    pay = round(total * pct, 2)
    loans = make_loans([rec])
    cap = Capacity(income=math.ceil(pay / months * 100) / 100)
    out = run_plan(Option("settlement", settle_pct=pct, settle_months=months), loans, cap)
    r = out.result
    assert r.total_paid == pay and r.months_to_debt_free == months
    assert fen(out.waived[0]) == fen(total) - fen(pay)
    assert r.total_interest == r.total_penalty == r.total_fees == 0.0
    lump = run_plan(Option("settlement", settle_pct=pct, settle_months=months), loans,
                    Capacity(cash=pay))  # paid from cash in month 1
    assert lump.result.total_paid == pay and lump.result.months_to_debt_free == 1


@pytest.mark.parametrize("k", [1, 12, 36])
@pytest.mark.parametrize("arrears", [False, True])
def test_extension_payment_is_pmt_over_n_plus_k(k, arrears):
    extra = {"interest": 321.0, "penalty": 99.5, "fees": 60.0, "overdue_amount": 2200.0, "overdue_days": 62}
    rec = loan(balance=30000.0, annual_rate=0.216, remaining_months=24, **(extra if arrears else {}))
    folded = 30000.0 + (321.0 + 99.5 + 60.0 if arrears else 0.0)  # arrears folded into the balance
    expected = bank_annuity(folded, 0.216, 24 + k)[0]  # npf.pmt to the fen (a fen more if the last would exceed it)
    loans = make_loans([rec])
    new, waived = apply(Option("extension", extension_months=k), loans)
    assert new.loc[0, "balance"] == folded and new.loc[0, "remaining_months"] == 24 + k
    assert new.loc[0, "overdue_amount"] == 0 and new.loc[0, "overdue_days"] == 0
    assert new.loc[0, "monthly_payment"] == expected and float(waived[0]) == 0.0
    # A fen above the instalment (the rounded pmt may be a fraction of a fen short): on schedule.
    r = run_plan(Option("extension", extension_months=k), loans, Capacity(income=expected + 0.01)).result
    assert r.monthly["due"].iloc[0] == expected
    assert (r.monthly["due"] <= expected + 0.01).all()
    assert r.months_to_debt_free == 24 + k


def test_extension_keeps_the_method_and_rebases_a_flat_fee():
    loans = make_loans([loan(method="flat_fee", balance=8000.0, annual_rate=0.18, remaining_months=8,
                             principal_amount=12000.0, penalty=30.0),
                        loan(lender="B", method="interest_only", balance=20000.0, annual_rate=0.24,
                             remaining_months=6, interest=1200.0, overdue_amount=1200.0)])
    new, _ = apply(Option("extension", extension_months=12), loans)
    assert new["method"].tolist() == ["flat_fee", "interest_only"]
    assert new.loc[0, "principal_amount"] == 8030.0  # the fee is charged on the rescheduled balance
    assert new.loc[0, "monthly_payment"] == round(8030.0 / 20 + 8030.0 * 0.015, 2)
    assert new.loc[1, "balance"] == 21200.0 and new.loc[1, "remaining_months"] == 18
    assert new.loc[1, "monthly_payment"] == round(21200.0 * 0.02, 2)


@pytest.mark.parametrize("mode", ["interest_only", "nothing"])
def test_grace_then_the_extended_contract(mode):
    rec = loan(balance=12000.0, annual_rate=0.12, remaining_months=12, penalty=100.0, overdue_amount=1100.0)
    total = 12100.0
    g, k = 3, 12
    opt = Option("extension", extension_months=k, grace_months=g, grace_mode=mode)
    interest = round(total * 0.01, 2)
    during = interest if mode == "interest_only" else 0.0
    after_balance = total if mode == "interest_only" else total + g * interest  # simple interest, capitalised
    after = bank_annuity(after_balance, 0.12, 12 + k)[0]
    cap = Capacity(income=during, change_month=g + 1, change_income=after)
    out = run_plan(opt, make_loans([rec]), cap)
    due = out.result.monthly["due"].tolist()
    assert due[:g] == [during] * g
    assert abs(due[g] - after) <= 0.01
    r = out.result
    assert r.months_to_debt_free in (g + 12 + k, g + 13 + k)
    assert fen(r.total_paid) == fen(r.initial_owed + r.total_interest + r.total_penalty + r.total_fees - r.owed_end)
    # The engine's state carried across the switch: principal + charges = owed, month by month.
    s = r.schedule
    assert (s["month"].diff().fillna(1) == 1).all()
    end_of_grace = s[s["month"] == g].iloc[0]
    assert (end_of_grace["balance"], end_of_grace["owed"]) == (total, after_balance)
    month_after = s[s["month"] == g + 1].iloc[0]  # deferred interest became principal at the switch
    assert fen(month_after["balance"]) == fen(after_balance) - fen(month_after["principal"])


def test_waiver_reduces_the_owed_by_exactly_what_was_waived():
    rec = loan(balance=15000.0, annual_rate=0.3, remaining_months=10, interest=333.33, penalty=222.22,
               fees=111.11, overdue_amount=3000.0, overdue_days=35)
    loans = make_loans([rec])
    opt = Option("waiver", waive_penalty_pct=1.0, waive_interest_pct=0.5, waive_fees_pct=0.25, new_rate=0.18)
    new, waived = apply(opt, loans)
    expected = 222.22 + round(333.33 * 0.5, 2) + round(111.11 * 0.25, 2)
    assert fen(waived[0]) == fen(expected)
    assert fen(owed(new)[0]) == fen(owed(loans)[0]) - fen(expected)
    assert new.loc[0, "penalty"] == 0 and new.loc[0, "fees"] == round(111.11 * 0.75, 2)
    assert new.loc[0, "annual_rate"] == 0.18
    assert new.loc[0, "overdue_amount"] == round(3000.0 - expected, 2)
    assert new.loc[0, "overdue_days"] == 35  # the contract stands
    assert new.loc[0, "monthly_payment"] == bank_annuity(15000.0, 0.18, 10)[0]
    higher, _ = apply(Option("waiver", new_rate=0.24), make_loans([loan(annual_rate=0.1, penalty=5.0)]))
    assert higher.loc[0, "annual_rate"] == 0.1  # never a rise
    # The whole run pays less by exactly the waived amount when nothing else changes: all paid in
    # month 1 (the same month's interest on the same balance), no penalty on the arrears (which
    # the waiver shrinks).
    cap = Capacity(income=100000)
    base = run_plan(Option(), loans, cap, penalty_multiple=0).result
    waived_run = run_plan(Option("waiver", waive_interest_pct=1.0), loans, cap, penalty_multiple=0).result
    assert fen(base.total_paid) - fen(waived_run.total_paid) == fen(333.33 + 222.22 + 111.11)


def test_apply_returns_a_conformed_table_and_leaves_the_input_alone(sample):
    before = sample.copy()
    for label in LABELS:
        for kw in ({}, {"grace_months": 2}, {"new_rate": 0.1}):
            try:
                opt = Option.from_label(label, **kw)
            except ValueError:
                continue
            new, waived = apply(opt, sample)
            pd.testing.assert_frame_equal(new, conform(new))
            assert len(waived) == len(sample)
            plan_new, plan_waived = apply_plan({"L2": opt, "L7": Option("settlement")}, sample)
            pd.testing.assert_frame_equal(plan_new, conform(plan_new))
            pd.testing.assert_frame_equal(plan_new.drop(index=[1, 6]), sample.drop(index=[1, 6]))
    pd.testing.assert_frame_equal(sample, before)
    with pytest.raises(TypeError):  # plans name loans by loan_id, never by row
        apply_plan({1: Option("settlement")}, sample)
    pd.testing.assert_frame_equal(apply_plan({"L99": Option("settlement")}, sample)[0], sample)  # not a loan here


def test_apply_plan_one_option_per_lender(sample):
    by_row = {1: Option("instalments", with_waiver=True, instalments_months=24), 4: Option("extension"),
              7: Option("settlement", settle_pct=0.5)}
    plan = {sample.at[i, "loan_id"]: opt for i, opt in by_row.items()}
    new, waived = apply_plan(plan, sample)
    for i, opt in by_row.items():
        alone, w = apply(opt, sample.iloc[[i]])
        pd.testing.assert_series_equal(new.iloc[i], alone.iloc[0], check_names=False)
        assert waived[i] == w[0]
    untouched = [i for i in range(len(sample)) if i not in by_row]
    pd.testing.assert_frame_equal(new.iloc[untouched], sample.iloc[untouched])
    assert fen(owed(new).sum()) == fen(owed(sample).sum()) - fen(waived.sum())


def test_a_plan_follows_its_loans_by_id_when_another_loan_is_removed():
    # the point of keying plans by loan_id: editing the loan table keeps every choice made for
    # the other loans (by row position, removing A would hand B's choice to C and C's to nobody)
    loans = make_loans([loan(lender="A"), loan(lender="B", balance=6000.0, penalty=90.0),
                        loan(lender="C", balance=3000.0, remaining_months=6)])
    a, b, c = loans["loan_id"].tolist()
    plan = {a: Option("settlement", settle_pct=0.5), b: Option("instalments", with_waiver=True, instalments_months=24),
            c: Option("extension", extension_months=6)}
    without_a = loans[loans["lender"] != "A"].reset_index(drop=True)
    assert without_a["loan_id"].tolist() == [b, c]  # the others keep their ids
    new, waived = apply_plan(plan, without_a)
    alone_b, w_b = apply(plan[b], loans.iloc[[1]])
    alone_c, _ = apply(plan[c], loans.iloc[[2]])
    pd.testing.assert_series_equal(new.iloc[0], alone_b.iloc[0], check_names=False)
    pd.testing.assert_series_equal(new.iloc[1], alone_c.iloc[0], check_names=False)
    assert waived.tolist() == [float(w_b[0]), 0.0]  # B's penalty waived, nothing settled: A is gone
    cap = Capacity(income=5000)
    assert run_plan(plan, without_a, cap).result.total_paid == run_plan(
        {b: plan[b], c: plan[c]}, without_a, cap).result.total_paid
    # the plan builder's table names the loans too: a table made before A was removed reads back
    # to the same choices for B and C
    from lib.negotiate import plan_from_table, plan_table

    again = plan_from_table(plan_table(plan, loans), loans=without_a)
    assert again == {b: plan[b].canonical, c: plan[c].canonical}
    assert set(plan_from_table(plan_table(plan, loans).assign(loan_id=["", b, None]))) == {b}


# --------------------------------------------------------------------------------------------
# compare_options
# --------------------------------------------------------------------------------------------
def test_compare_options_columns_saving_and_fit(sample):
    table = compare_options(sample, SAMPLE_CAP)
    # the columns that decide first
    assert list(table.columns[:6]) == ["option", "fits", "monthly_payment", "months", "total_paid", "saving"]
    assert list(table.columns) == list(COMPARE_COLUMNS)
    assert table["option"].tolist()[0] == "baseline"
    assert set(table["option"]) == {"baseline", "legal", "extension", "waiver", "instalments", "waiver+instalments",
                                    "settlement"}
    window = int(table["window"].iloc[0])
    assert (table["window"] == window).all()
    owed_now = fen(owed(sample).sum())
    for _, row in table.iterrows():
        # every option but the contract starts from the law: loans above their legal line first
        opt = Option.from_label(row["option"], legal=row["option"] != "baseline")
        new, waived = apply(opt, sample)
        ok, r = direct_fit(new, SAMPLE_CAP, FIT_MONTHS)
        assert row["fits"] == ok
        assert row["fits_all"] == (direct_fit(new, SAMPLE_CAP, None)[0] and r.finishes)
        assert row["monthly_payment"] == r.monthly["due"].iloc[0]
        assert row["total_paid"] == r.total_paid and fen(row["waived"]) == fen(waived.sum())
        assert row["months"] is pd.NA or row["months"] == r.months_to_debt_free
        # the cost over the common window: paid in it, plus what is still owed after it
        long = simulate(new, SAMPLE_CAP.monthly, lump_sums=SAMPLE_CAP.lump_sums(), horizon=window, give_up=False,
                        target_months=None)
        assert fen(row["cost_window"]) == fen(long.total_paid) + fen(long.owed_end)
        if row["owed_end"] == 0:
            assert fen(row["total_cost"]) == fen(row["total_paid"])
        assert fen(row["repaid_less"]) == max(owed_now - fen(row["total_cost"]), 0)
    base_cost = table["cost_window"].iloc[0]
    assert [fen(x) for x in table["saving"]] == [fen(base_cost) - fen(c) for c in table["cost_window"]]
    # the window: until the slowest option that clears is clear
    assert window == max(int(m) for m in table["months"] if m is not pd.NA)
    inst = table.set_index("option").loc["instalments"]
    # 0 % after the legal step: exactly what is owed then, i.e. the owed now less what the law waives
    assert fen(inst["total_cost"]) == owed_now - fen(inst["waived"]) and fen(inst["repaid_less"]) == fen(inst["waived"])
    assert bool(inst["fits"]) and not bool(table["fits"].iloc[0])


def test_compare_options_fit_follows_the_capacity_and_params_override():
    loans = make_loans([loan(balance=6000.0, annual_rate=0.24, remaining_months=6, penalty=50.0,
                             overdue_amount=2000.0),
                        loan(lender="B", balance=3600.0, annual_rate=0.18, remaining_months=4)])
    total = 6000.0 + 50.0 + 3600.0
    need = math.ceil(6050.0 / 48 * 100) / 100 + math.ceil(3600.0 / 48 * 100) / 100  # two 0 % plans, 48 months
    for income, fits in ((need, True), (need - 0.01, False)):
        t = compare_options(loans, Capacity(income=income), options=["instalments"], instalments_months=48)
        row = t.set_index("option").loc["instalments"]
        assert fen(row["monthly_payment"]) == fen(need)
        assert bool(row["fits"]) is fits
        assert fen(row["total_paid"] + row["owed_end"]) == fen(total)
    t = compare_options(loans, Capacity(income=1000), options=[Option("waiver"), "baseline"])
    assert t["option"].tolist() == ["baseline", "waiver"]
    with pytest.raises(TypeError):
        compare_options(loans, Capacity(income=1000), instalment_months=48)


def test_compare_options_when_the_baseline_never_finishes():
    loans = make_loans([loan(balance=50000.0, annual_rate=0.36, remaining_months=0, overdue_amount=50000.0)])
    cap = Capacity(income=833.34)  # below the 1,000 a month the 24 % line lets it grow: never clears
    t = compare_options(loans, cap, options=["instalments"], instalments_months=60)
    base, inst = t.iloc[0], t.iloc[1]
    assert base["months"] is pd.NA and base["owed_end"] > 0
    # at the legal line, 60 instalments at 0 % of the 50,000
    assert inst["months"] == 60 and inst["total_paid"] == 50000.0
    # over the same 60 months the contract, at the enforceable line, costs 50,000 + 60 × 2 % × 50,000
    # (the 833.34 never reaches the principal): what is paid plus what is still owed
    assert t["window"].tolist() == [60, 60]
    assert base["cost_window"] == pytest.approx(50000 + 60 * 1000.0)
    assert inst["saving"] == pytest.approx(60 * 1000.0)


# --------------------------------------------------------------------------------------------
# what_to_ask
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("income", [12000, 9000, 8000])
def test_what_to_ask_plan_really_fits_when_re_simulated(sample, income):
    cap = Capacity(income=income, essentials=5500, cash=3000, reserve=2000)
    asks = what_to_ask(sample, cap)
    assert asks.fits and asks.gap == 0.0 and gap_text(asks, "zh") is None
    assert [a.lender for a in asks.asks] == sample["lender"].tolist()
    assert [a.loan_id for a in asks.asks] == sample["loan_id"].tolist() == list(asks.plan)
    plan = asks.plan
    new, waived = apply_plan(plan, sample)
    ok, r = direct_fit(new, cap, None)  # every month, not only the first year
    assert ok and r.finishes
    assert (r.months_to_debt_free, r.total_paid) == (asks.months, asks.total_paid)
    first = r.schedule[r.schedule["month"] == 1].set_index("loan")["due"]
    assert [fen(a.monthly_payment) for a in asks.asks] == [fen(first.get(i, 0.0)) for i in range(len(sample))]
    assert [fen(a.waived) for a in asks.asks] == [fen(x) for x in waived]
    for a in asks.asks:
        assert a.option == plan[a.loan_id]
        text = ask_text(a, "zh")
        assert isinstance(text, str) and text
        if a.option.kind == "instalments":
            assert f"分 {a.option.instalments_months} 期" in text
    # the smallest concession: no single lender could be asked for one rung less (on its ladder)
    asked = find_plan(sample, cap)
    assert asked.plan == plan
    for i, opt in plan.items():
        ladder = asked.ladders[i]
        k = ladder.index(opt)
        if k == 0:
            continue
        trial_new, _ = apply_plan({**plan, i: ladder[k - 1]}, sample)
        assert not direct_fit(trial_new, cap, None)[0] or not simulate(
            trial_new, cap.monthly, lump_sums=cap.lump_sums(), target_months=None, detail=False).finishes


def test_what_to_ask_keeps_the_contract_when_it_fits():
    loans = make_loans([loan(), loan(lender="B", balance=5000.0, remaining_months=5)])
    asks = what_to_ask(loans, Capacity(income=5000))
    assert [a.label for a in asks.asks] == ["baseline", "baseline"]
    assert [ask_text(a, "en") for a in asks.asks] == [t("negotiate.ask.keep", "en")] * 2
    assert asks.fits and gap_text(asks, "en") is None


@pytest.mark.parametrize("income", [0.0, 50.0])
def test_what_to_ask_says_when_nothing_reasonable_fits_and_by_how_much(sample, income):
    cap = Capacity(income=income)
    asks = what_to_ask(sample, cap)
    assert not asks.fits
    gap = asks.gap
    assert gap > 0
    assert f"¥{gap:,.2f}" in gap_text(asks, "en")
    assert len(asks.asks) == len(sample)
    # every lender was asked for the most (60 months at 0 %, everything waived; a rung that
    # changes nothing more for a loan is skipped) or, as a last resort, a settlement
    new, _ = apply_plan(asks.plan, sample)
    most, _ = apply(LADDER[-1], sample)
    cols = ["balance", "annual_rate", "remaining_months", "interest", "penalty", "fees"]
    row = {loan_id: i for i, loan_id in enumerate(sample["loan_id"])}
    for loan_id, opt in asks.plan.items():
        if opt.kind != "settlement":
            assert new.loc[row[loan_id], cols].tolist() == most.loc[row[loan_id], cols].tolist()
    # the gap is exact: with it the plan fits, with a fen less it does not
    more = Capacity(income=income + gap)
    less = Capacity(income=income + gap - 0.01)
    assert direct_fit(new, more, None)[0] and direct_fit(new, more, None)[1].finishes
    ok, r = direct_fit(new, less, None)
    assert not (ok and r.finishes)
    # the gap is required − capacity: what the plan asks a month (0 % plans: owed / N, a fen up
    # or down per lender from month to month) less the monthly amount
    assert abs(fen(gap) - (fen(sum(a.monthly_payment for a in asks.asks)) - fen(cap.monthly))) <= len(sample)


def test_describe_in_both_languages():
    rec = loan(balance=9000.0, annual_rate=0.18, remaining_months=6, penalty=300.0, interest=200.0,
               fees=50.0, overdue_amount=1800.0)
    loans = make_loans([rec])
    cases = [
        (Option("waiver", waive_interest_pct=0.5), ["免除全部罚息", "全部费用", "50%已欠利息", "¥450.00"],
         ["Waive all of the penalty interest", "50% of the accrued interest", "¥450.00"]),
        (Option("extension", extension_months=12), ["展期 12 个月", "¥9,550.00", "18%", "分 18 期"],
         ["Extend by 12 months", "¥9,550.00", "over 18 months"]),
        (Option("extension", extension_months=6, grace_months=2), ["前 2 个月只还利息"], ["interest only for the first 2"]),
        (Option("instalments", plan_rate=0.06, instalments_months=24), ["分 24 期、6% 利率"], ["24 monthly instalments at 6%"]),
        (Option("settlement", settle_pct=0.5), ["¥4,775.00", "50%", "其余 ¥4,775.00 免除"], ["¥4,775.00 at once"]),
        (Option("settlement", settle_pct=0.5, settle_months=5), ["分 5 个月、每月 ¥955.00"], ["over 5 months, ¥955.00 a month"]),
        (Option(), ["按原合同还款"], ["Keep the contract"]),
    ]
    for opt, zh_parts, en_parts in cases:
        new, _ = apply(opt, loans)
        zh, en = describe(opt, loans.iloc[0], new.iloc[0], "zh"), describe(opt, loans.iloc[0], new.iloc[0], "en")
        for part in zh_parts:
            assert part in zh, (zh, part)
        for part in en_parts:
            assert part in en, (en, part)
        assert en[0].isupper()
    paid_off = make_loans([loan(balance=0.0)])
    assert describe(Option("instalments"), paid_off.iloc[0], paid_off.iloc[0], "en") == "Nothing owed"


def test_find_plan_is_bounded_for_a_large_shortfall():
    loans = make_loans([loan(lender=f"L{i}", balance=20000.0 + 1000 * i, annual_rate=0.1 + 0.02 * i,
                             remaining_months=12 + i, overdue_amount=500.0 * i, penalty=20.0 * i)
                        for i in range(6)])
    asked = find_plan(loans, Capacity(income=10.0))
    assert not asked.fits and asked.gap > 0
    assert set(asked.plan) == set(loans["loan_id"]) == {f"L{i}" for i in range(1, 7)}


# --------------------------------------------------------------------------------------------
# Property: random small portfolios × options — no negative balances, waived ≥ 0, books reconcile
# --------------------------------------------------------------------------------------------
money = st.one_of(st.just(0.0), st.integers(1, 5_000_000).map(lambda f: f / 100))


@st.composite
def portfolios(draw):
    n = draw(st.integers(1, 3))
    recs = []
    for i in range(n):
        bal = draw(st.integers(0, 5_000_000)) / 100
        intr, pen, fee = draw(money), draw(money), draw(money)
        intr, pen, fee = round(intr / 10, 2), round(pen / 10, 2), round(fee / 10, 2)  # amounts in fen
        total = bal + intr + pen + fee
        recs.append({
            "lender": f"L{i % 2}", "kind": draw(st.sampled_from(KINDS)), "balance": bal,
            "annual_rate": draw(st.sampled_from([0.0, 0.06, 0.15, 0.24, 0.36])),
            "method": draw(st.sampled_from(METHODS)), "remaining_months": draw(st.integers(0, 36)),
            "interest": intr, "penalty": pen, "fees": fee,
            "overdue_amount": round(total * draw(st.sampled_from([0.0, 0.1, 0.5, 1.0])), 2),
            "overdue_days": draw(st.integers(0, 120)),
            "principal_amount": draw(st.sampled_from([float("nan"), bal * 1.5])),
        })
    return make_loans(recs)


@st.composite
def options(draw):
    kind = draw(st.sampled_from(OPTION_KINDS))
    kw = {
        "extension_months": draw(st.integers(1, 36)), "grace_months": draw(st.sampled_from([0, 0, 2, 6])),
        "grace_mode": draw(st.sampled_from(["interest_only", "nothing"])),
        "waive_penalty_pct": draw(st.sampled_from([0.0, 0.3, 1.0])),
        "waive_interest_pct": draw(st.sampled_from([0.0, 0.5, 1.0])),
        "waive_fees_pct": draw(st.sampled_from([0.0, 0.55, 1.0])),
        "new_rate": draw(st.sampled_from([None, 0.0, 0.1])),
        "instalments_months": draw(st.integers(1, 60)), "plan_rate": draw(st.sampled_from([0.0, 0.035, 0.24])),
        "settle_pct": draw(st.sampled_from([0.1, 0.333, 0.6, 1.0])), "settle_months": draw(st.integers(1, 12)),
    }
    return Option(kind, with_waiver=kind in ("extension", "instalments") and draw(st.booleans()), **kw)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(portfolios(), st.lists(options(), min_size=1, max_size=3), st.integers(0, 6000), st.integers(0, 20000))
def test_property_options_never_go_negative_and_the_books_reconcile(loans, opts, income, cash):
    plan = {loan_id: opts[i % len(opts)] for i, loan_id in enumerate(loans["loan_id"])}
    new, waived = apply_plan(plan, loans)
    money_cols = ["balance", "interest", "penalty", "fees", "overdue_amount"]
    assert (new[money_cols] >= 0).all().all()
    assert (waived >= 0).all()
    assert (new["overdue_amount"] <= owed(new) + 0.005).all()
    for before, after, w in zip(owed(loans), owed(new), waived, strict=True):
        assert fen(after) == fen(before) - fen(w)  # owed after == owed before − waived, to the fen
    single, w1 = apply(opts[0], loans)
    assert (single[money_cols] >= 0).all().all() and (w1 >= 0).all()
    cap = Capacity(income=float(income), cash=float(cash))
    r = run_plan(plan, loans, cap, horizon=240).result
    assert fen(r.initial_owed) == fen(owed(new).sum())
    assert fen(r.total_paid) == fen(r.initial_owed) + fen(r.total_interest) + fen(r.total_penalty) + fen(
        r.total_fees) - fen(r.owed_end)
    assert fen(r.monthly["paid"].sum()) == fen(r.total_paid)
    assert (r.schedule["balance"] >= 0).all() and (r.schedule["owed"] >= 0).all()
    assert np.isfinite(r.monthly["owed"]).all()


@pytest.mark.parametrize("label", LABELS)
def test_pricing_on_columns_is_running_the_changed_table(label):
    """The comparison prices an option on the changed columns (no new table); the same plan as
    applying the option to the table and running that (run_plan)."""
    import lib.negotiate.compare as neg
    from lib.negotiate import legal_lines
    from lib.negotiate.transform import _columns

    loans = conform(read_loans("data/example_loans_en.csv").loans)
    cap = Capacity(income=11000, essentials=5500, cash=3000, reserve=2000)
    for params in ({}, {"grace_months": 3, "new_rate": 0.1, "instalments_months": 24, "settle_months": 6}):
        opt = Option.from_label(label, **params)
        res, waived, changed, _ = neg._price(opt, loans, _columns(loans), cap, strategy="avalanche",
                                          penalty_multiple=1.5, order=None, horizon=600)
        out = run_plan(opt, loans, cap, detail="monthly")
        pd.testing.assert_frame_equal(res.monthly, out.result.monthly, check_exact=True)
        assert (res.total_paid, res.months_to_debt_free, res.owed_end) == (
            out.result.total_paid, out.result.months_to_debt_free, out.result.owed_end)
        assert waived == round(float(out.waived.sum()), 2)
        above = legal_lines(loans).above
        rows = [{**r, "_above": bool(a)} for r, a in zip(loans.to_dict("records"), above, strict=True)]
        assert changed == (0 if opt.kind == "baseline" else sum(applies(opt, r) for r in rows))


def test_compare_reuses_outcomes_whose_option_did_not_change(monkeypatch):
    import lib.negotiate.compare as neg

    loans = make_loans([{"lender": "A", "balance": 12000, "annual_rate": 0.24, "remaining_months": 6,
                         "penalty": 400, "overdue_amount": 4000}])
    cap = Capacity(income=1000)
    outcomes: dict = {}
    first, _ = neg.compare_with_results(loans, cap, outcomes=outcomes)
    calls = []
    real = neg._price
    monkeypatch.setattr(neg, "_price", lambda *a, **k: calls.append(a[0]) or real(*a, **k))
    again, _ = neg.compare_with_results(loans, cap, outcomes=outcomes, instalments_months=48)
    # only the two instalment options changed; their rows differ, every other row is the same
    assert sorted(o.label for o in calls) == ["instalments", "waiver+instalments"]
    same = ~again["option"].isin(["instalments", "waiver+instalments"])
    pd.testing.assert_frame_equal(first[same], again[same])
    assert not first.equals(again)


# --------------------------------------------------------------------------------------------
# The asks start from the law, and ask the lender for as little as fits
# --------------------------------------------------------------------------------------------
def test_a_loan_above_its_line_gets_the_legal_ask_first_even_when_the_plan_fits(sample):
    rich = Capacity(income=60000)  # everything fits under the contracts
    asks = what_to_ask(sample, rich)
    assert asks.fits
    by = {a.lender: ask_text(a, "zh") for a in asks.asks}
    # 马上消费金融: 35.9 % a year, above the 24 % line (法发〔2017〕22号)
    dear = by["马上消费金融"]
    assert dear.startswith("先依法") and "法发〔2017〕22号" in dear and "24%" in dear
    assert dear != t("negotiate.ask.keep", "zh")
    # the friend's loan, 月息2分 (24 %), dated 2025-05-01: 4 × the LPR of 2024-10-21 (3.10 %) = 12.4 %
    friend = by["朋友借款（王某）"]
    assert "法释〔2020〕17号" in friend and "12.4%" in friend
    # a loan within its line keeps its contract
    assert by["京东金条"] == t("negotiate.ask.keep", "zh")  # 23.4 % < 24 %


@pytest.mark.parametrize("income", [60000, 12000, 9000])
def test_no_suggested_plan_leaves_a_loan_above_its_line(sample, income):
    from lib.negotiate import legal_lines

    cap = Capacity(income=income, essentials=5500, cash=3000, reserve=2000)
    plan = what_to_ask(sample, cap).plan
    new, _ = apply_plan(plan, sample)
    after = legal_lines(new)
    assert not after.above.any(), list(zip(sample["lender"], after.apr, after.line, strict=True))


def test_the_legal_step_waives_what_lies_above_the_line_by_hand():
    # 10,000 left of 12,000 borrowed, 11,400 received (600 deducted up front), 36 % a year,
    # accrued interest 300, penalty 80, fees 50, a licensed lender: line 24 %.
    rec = loan(balance=10000.0, annual_rate=0.36, remaining_months=10, interest=300.0, penalty=80.0, fees=50.0,
               principal_amount=12000.0, received=11400.0, term_months=12.0, overdue_amount=430.0)
    loans = make_loans([rec])
    new, waived = apply(Option("legal"), loans)
    # principal in use: 10,000 × 11,400 / 12,000; interest within the line: 300 × 24 / 36
    assert new.loc[0, "balance"] == 9500.0 and new.loc[0, "interest"] == 200.0
    assert (new.loc[0, "penalty"], new.loc[0, "fees"], new.loc[0, "annual_rate"]) == (0.0, 0.0, 0.24)
    assert float(waived[0]) == 500 + 100 + 80 + 50
    # the new instalment: 9,500 at 24 % over the 10 months left (the bank's plan)
    assert new.loc[0, "monthly_payment"] == bank_annuity(9500.0, 0.24, 10)[0]


def test_between_an_extension_and_a_freeze_the_ask_is_the_smallest_concession_that_fits():
    # A card (no extension: article-70 instalments) of 24,000 at 18 % with 12 months left asks
    # 2,200.32 a month; the borrower can pay what 24 instalments at 12 % ask. What each option
    # gives up, valued at the card's own 1.5 % a month (npf.pv):
    card = make_loans([loan(lender="卡中心", kind="credit_card", balance=24000.0, annual_rate=0.18)])
    pay_12_24 = bank_annuity(24000.0, 0.12, 24)[0]

    def given_up(n, rate):
        pay = -float(npf.pmt(rate / 12, n, 24000.0)) if rate else 24000.0 / n
        return 24000.0 + float(npf.pv(0.015, n, pay))

    assert given_up(24, 0.12) < given_up(36, 0.12) < given_up(12, 0.0) < given_up(24, 0.06) < given_up(24, 0.0)
    asked = find_plan(card, Capacity(income=pay_12_24))
    opt = asked.plan["L1"]
    assert asked.fits and (opt.kind, opt.instalments_months, opt.plan_rate) == ("instalments", 24, 0.12)
    words = ask_text(what_to_ask(card, Capacity(income=pay_12_24)).asks[0], "en")
    assert words == "The remaining ¥24,000.00 in 24 monthly instalments at 12%"
    # a 0 % freeze fits too but gives up more; the old ladder asked for it
    assert run_plan(Option("instalments", instalments_months=24, plan_rate=0.0), card,
                    Capacity(income=pay_12_24)).result.finishes



@pytest.mark.parametrize("income", [12000, 9000])
def test_the_plan_builder_table_carries_the_asks_plan_whole(sample, income):
    # what the page's builder starts from must be the plan asked for (its rates included)
    from lib.negotiate import plan_from_table, plan_table

    cap = Capacity(income=income, essentials=5500, cash=3000, reserve=2000)
    plan = what_to_ask(sample, cap).plan
    again = plan_from_table(plan_table(plan, sample), legal=True)
    assert {i: o.canonical for i, o in plan.items()} == again
    assert run_plan(again, sample, cap).result.total_paid == run_plan(plan, sample, cap).result.total_paid


# --------------------------------------------------------------------------------------------
# A new option kind is one Kind (lib.negotiate.kinds) plus its words
# --------------------------------------------------------------------------------------------
@pytest.fixture
def stop_kind(monkeypatch):
    """A toy kind, "stop" (停息): everything owed over ``stop_months`` months (a parameter of its
    own, the plan builder's months) at 0 %, combinable with a waiver, rarely granted; registered
    through register_kind, its words a template in lib.i18n, and taken out again afterwards."""
    from lib.negotiate import Kind, ParamSpec, new_contract, register_kind, unregister_kind

    kind = register_kind(Kind(
        "stop", "rare", combinable=True, months="stop_months",
        params=(ParamSpec("stop_months", ("stop",), "months", 12, 1, 24, 1),),
        change=lambda option, owed: new_contract(owed, rate=0.0, method="annuity", months=option.stop_months)))
    monkeypatch.setitem(TEXT, "negotiate.ask.stop", ("{waive}剩余 {balance} 分 {n} 期、{rate} 利率",
                                                     "{waive}the remaining {balance} over {n} months at {rate}"))
    yield kind
    unregister_kind("stop")


def test_a_kind_registered_in_one_place_is_applied_compared_and_planned(stop_kind):
    from lib.negotiate import KINDS, plan_from_table, plan_table

    # 12,000 at 18 % with 12 months left (the contract asks 1,100.17 a month), 300 penalty and 200 interest accrued
    loans = make_loans([loan(annual_rate=0.18, penalty=300.0, interest=200.0)])
    # apply: 12,500 owed over 12 months (its default) at 0 % = 1,041.67 a month (the fen rounded up)
    new, waived = apply(Option("stop"), loans)
    assert (new.loc[0, "balance"], new.loc[0, "annual_rate"], new.loc[0, "method"]) == (12500.0, 0.0, "annuity")
    assert int(new.loc[0, "remaining_months"]) == 12 and new.loc[0, "monthly_payment"] == math.ceil(1250000 / 12) / 100
    assert (new.loc[0, "interest"], new.loc[0, "penalty"], float(waived[0])) == (0.0, 0.0, 0.0)
    # with the generic waiver first (defaults: all of the penalty, half the interest): 400 waived,
    # 12,100 over 12 months = 1,008.34
    new, waived = apply(Option("stop", with_waiver=True), loans)
    assert float(waived[0]) == 300 + 100 and new.loc[0, "balance"] == 12100.0
    assert new.loc[0, "monthly_payment"] == 1008.34
    # compare_options prices it beside the contract: 12,100 paid in all, nothing added
    table = compare_options(loans, Capacity(income=1010), options=["waiver+stop"])
    row = table.set_index("option").loc["waiver+stop"]
    assert (row["monthly_payment"], row["months"], row["total_paid"], row["waived"]) == (1008.34, 12, 12100.0, 400.0)
    assert (bool(row["fits"]), row["loans_changed"], row["grant_likelihood"], row["credit_note_key"]) == (
        True, 1, "rare", "negotiate.credit.stop")
    assert table["option"].tolist() == ["baseline", "waiver+stop"] and not table.loc[0, "fits"]  # 1,100.17 > 1,010
    # its own parameter, by name like any other: 12,100 over 11 months = 1,100 (the contract's months: 12)
    t11 = compare_options(loans, Capacity(income=1100), options=["waiver+stop"], stop_months=11)
    assert t11.loc[1, ["monthly_payment", "months", "total_paid"]].tolist() == [1100.0, 11, 12100.0]
    # the plan builder's table: its months, the waiver's shares in %; read back, edited
    plan = {"L1": Option.from_label("waiver+stop", stop_months=10)}
    t1 = plan_table(plan, loans)
    assert t1.loc[0, ["option", "months", "waive_penalty_pct", "waive_interest_pct"]].tolist() == [
        "waiver+stop", 10.0, 100.0, 50.0]
    assert t1.loc[0, ["plan_rate", "settle_pct"]].isna().all()
    assert plan_from_table(t1) == {"L1": plan["L1"].canonical}
    edited = plan_from_table(t1.assign(waive_interest_pct=100.0, months=16))
    assert edited["L1"].stop_months == 16
    new, waived = apply_plan(edited, loans)
    assert float(waived[0]) == 500.0 and new.loc[0, "monthly_payment"] == 750.0  # 12,000 / 16
    out = run_plan(edited, loans, Capacity(income=750))
    assert (out.result.months_to_debt_free, out.result.total_paid) == (16, 12000.0)
    # its words: the template negotiate.ask.stop, after the waiver's
    assert describe(edited["L1"], loans.iloc[0], new.iloc[0], "en") == (
        "Waive all of the penalty interest, all of the accrued interest (¥500.00), then the remaining ¥12,000.00 over 16 months at 0%")
    assert "stop" in KINDS and "stop_months" in OPTION_SPECS


def test_register_kind_refuses_a_taken_name_and_the_kind_goes_away_after(stop_kind):
    from lib.negotiate import KINDS, Kind, register_kind, unregister_kind

    with pytest.raises(ValueError, match="taken"):
        register_kind(Kind("stop", "rare"))
    with pytest.raises(ValueError, match="built-in"):
        unregister_kind("instalments")
    with pytest.raises(ValueError, match="new names"):
        register_kind(Kind("other", "rare", params=(OPTION_SPECS["plan_rate"],)))
    with pytest.raises(ValueError, match="within 1–24"):
        Option.from_label("stop", stop_months=30)
    assert Option.from_label("stop", stop_months=12) == Option("stop")  # at its default
    unregister_kind("stop")
    assert "stop" not in KINDS and "stop_months" not in OPTION_SPECS
    with pytest.raises(ValueError, match="unknown option kind"):
        Option("stop")


@pytest.mark.parametrize(("lang", "said"), [("zh", "月费率 0.75%"), ("en", "0.75% a month (flat fee)")])
def test_an_extension_of_a_flat_fee_loan_states_the_fee_by_the_month(lang: str, said: str) -> None:
    from lib.negotiate.transform import apply
    from lib.negotiate.words import describe

    loans = make_loans([{"lender": "晨曦分期", "balance": 9500, "annual_rate": 0.0075 * 12, "remaining_months": 6,
                         "method": "flat_fee", "principal_amount": 15000}])
    opt = Option("extension", extension_months=6)
    text = describe(opt, loans.iloc[0], apply(opt, loans)[0].iloc[0], lang)
    assert said in text and "9%" not in text  # never the fee × 12 as a yearly rate
