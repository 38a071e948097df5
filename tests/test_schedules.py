"""Contract schedules and the cash flows behind the real APR (lib.schedules)."""

from __future__ import annotations

import math

import numpy_financial as npf
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lib.loans import METHODS, make_loans
from lib.schedules import SCHEDULE_COLUMNS, contract_payment, contract_schedule, loan_cashflows
from tests.hand import bank_annuity

NAN = float("nan")


def _check_invariants(s: pd.DataFrame, balance: float, n: int) -> None:
    assert list(s.columns) == list(SCHEDULE_COLUMNS)
    assert s["month"].tolist() == list(range(1, n + 1))
    # payment = interest + principal in every row, to the fen
    assert ((s["interest"] + s["principal"] - s["payment"]).abs() < 0.005).all()
    # principal repays the starting balance exactly; the balance column runs down to 0
    assert round(s["principal"].sum(), 2) == round(balance, 2)
    assert s["balance"].iloc[-1] == 0.0
    left = round(balance, 2) - s["principal"].cumsum()
    assert ((left - s["balance"]).abs() < 0.005).all()
    # every figure is in fen
    for col in ("payment", "interest", "principal", "balance"):
        assert (s[col].round(2) == s[col]).all()
    assert (s[["payment", "interest", "principal", "balance"]] >= 0).all().all()


# --- annuity (等额本息) -------------------------------------------------------------------
@pytest.mark.parametrize(
    ("principal", "annual", "n"),
    [(100000, 0.12, 12), (10000, 0.18, 24), (100000, 0.24, 36), (500000, 0.36, 60), (12345.67, 0.155, 60),
     (1000, 0.12, 24)],
)
def test_annuity_matches_numpy_financial(principal, annual, n):
    s = contract_schedule(principal, annual, n, "annuity")
    _check_invariants(s, principal, n)
    pay, pays, ints = bank_annuity(principal, annual, n)
    assert s["payment"].tolist() == pytest.approx(pays, abs=1e-9)
    assert s["interest"].tolist() == pytest.approx(ints, abs=1e-9)
    # the same instalment every month; the last one settles the rounding and is never above it
    assert (s["payment"].iloc[:-1] == pay).all() and s["payment"].iloc[-1] <= pay
    exact_pmt = -float(npf.pmt(annual / 12, n, principal))
    assert round(exact_pmt, 2) <= pay <= round(exact_pmt, 2) + 0.01
    # total interest = n·pmt − P up to the rounding: under a fen a month
    assert abs(s["interest"].sum() - (n * exact_pmt - principal)) <= 0.01 * n
    # month-by-month interest follows npf.ipmt within two fen (half a fen of rounding, and the
    # balance a little below the exact annuity's when the instalment was rounded up)
    ipmt = -npf.ipmt(annual / 12, range(1, n + 1), n, principal)
    assert (abs(s["interest"] - ipmt) <= 0.02 + 1e-9).all()
    assert s["payment"].iloc[0] == contract_payment(principal, annual, n, "annuity")


def test_annuity_instalment_one_fen_more_when_the_last_would_exceed_it():
    # 1,000 at 12 % over 24 months: npf.pmt = 47.0735 rounds to 47.07, and with the interest
    # rounded each month the 24th payment would be 47.15 (written out by bank_annuity's first try)
    assert round(-float(npf.pmt(0.01, 24, 1000)), 2) == 47.07
    assert contract_payment(1000, 0.12, 24, "annuity") == 47.08
    s = contract_schedule(1000, 0.12, 24, "annuity")
    assert s["payment"].iloc[:-1].eq(47.08).all() and s["payment"].iloc[-1] < 47.08


def test_annuity_first_row_by_hand():
    s = contract_schedule(100000, 0.12, 12, "annuity")
    first_interest = 100000 * 0.01
    pay = round(100000 * 0.01 / (1 - 1.01**-12), 2)  # the annuity formula written out
    assert s.loc[0, "interest"] == first_interest
    assert s.loc[0, "payment"] == pay
    assert s.loc[0, "principal"] == round(pay - first_interest, 2)
    assert s.loc[0, "balance"] == round(100000 - (pay - first_interest), 2)


def test_annuity_zero_rate():
    s = contract_schedule(1000, 0.0, 3, "annuity")
    assert s["payment"].tolist() == [333.34, 333.34, 333.32]  # rounded up, the last takes what is left
    assert s["interest"].sum() == 0


# --- equal principal (等额本金) ---------------------------------------------------------
def test_equal_principal_by_hand():
    s = contract_schedule(12000, 0.12, 12, "equal_principal")
    _check_invariants(s, 12000, 12)
    # month k: 1000 principal + 1 % of what was owed before it
    expected = [1000 + (12000 - 1000 * (k - 1)) * 0.01 for k in range(1, 13)]
    assert s["payment"].tolist() == pytest.approx(expected, abs=1e-9)
    assert s.loc[0, "payment"] == 1120
    assert s.loc[11, "payment"] == 1010
    assert s["interest"].sum() == pytest.approx(0.01 * 12000 * 13 / 2, abs=1e-9)  # 780


def test_equal_principal_uneven_split_last_row_takes_the_fen():
    # 10,000 / 3 = 3,333.33…: rounded up each month, so the last part is never above the others
    s = contract_schedule(10000, 0.0, 3, "equal_principal")
    assert s["principal"].tolist() == [3333.34, 3333.34, 3333.32]


# --- interest only (先息后本), bullet (一次性还本付息), flat fee ------------------------------
def test_interest_only():
    s = contract_schedule(12000, 0.12, 12, "interest_only")
    _check_invariants(s, 12000, 12)
    assert s["payment"].tolist() == [120.0] * 11 + [12120.0]
    assert s["interest"].sum() == pytest.approx(12 * 12000 * 0.01)


def test_bullet_simple_interest():
    s = contract_schedule(10000, 0.12, 6, "bullet")
    _check_invariants(s, 10000, 6)
    assert s["payment"].tolist() == [0.0] * 5 + [pytest.approx(10000 * (1 + 0.12 * 6 / 12))]
    assert s["balance"].tolist() == [10000.0] * 5 + [0.0]


def test_flat_fee():
    s = contract_schedule(12000, 0.072, 12, "flat_fee")  # 0.6 %/month fee
    _check_invariants(s, 12000, 12)
    assert s["payment"].tolist() == [12000 / 12 + 12000 * 0.006] * 12  # 1072
    assert s["interest"].sum() == pytest.approx(12 * 72)


def test_flat_fee_is_charged_on_the_original_principal():
    s = contract_schedule(6000, 0.072, 6, "flat_fee", principal_amount=12000)
    assert s["payment"].tolist() == [6000 / 6 + 12000 * 0.006] * 6
    # unknown original principal → the fee is charged on the balance
    s = contract_schedule(6000, 0.072, 6, "flat_fee", principal_amount=NAN)
    assert s["payment"].tolist() == [6000 / 6 + 6000 * 0.006] * 6


# --- all methods --------------------------------------------------------------------------
@pytest.mark.parametrize("method", METHODS)
def test_first_payment_matches_contract_payment(method):
    for balance, annual, n in [(12000, 0.12, 12), (9999.99, 0.0365, 7), (500, 0.6, 1)]:
        s = contract_schedule(balance, annual, n, method)
        expected = contract_payment(balance, annual, n, method)
        assert s.loc[0, "payment"] == expected


@settings(max_examples=200, deadline=None)
@given(
    balance=st.floats(0, 1e6).map(lambda x: round(x, 2)),
    annual=st.floats(0, 0.6),
    n=st.integers(1, 60),
    method=st.sampled_from(METHODS),
)
def test_schedule_invariants_property(balance, annual, n, method):
    s = contract_schedule(balance, annual, n, method)
    _check_invariants(s, balance, n)
    if method == "annuity" and annual > 1e-4:  # the bank's plan written out, to the fen
        assert s["payment"].tolist() == pytest.approx(bank_annuity(balance, annual, n)[1], abs=1e-9)
    if method not in ("interest_only", "bullet"):  # no payment above the first (a budget of it clears)
        assert (s["payment"] <= s["payment"].iloc[0] + 1e-9).all()


def test_zero_months_is_one_month_and_bad_input_raises():
    assert len(contract_schedule(100, 0.12, 0, "annuity")) == 1
    with pytest.raises(ValueError):
        contract_schedule(100, 0.12, 12, "weekly")
    with pytest.raises(ValueError):
        contract_schedule(-1, 0.12, 12, "annuity")


# --- loan_cashflows -----------------------------------------------------------------------
def _row(**kw):
    base = {
        "balance": 8000.0, "annual_rate": 0.12, "method": "annuity", "remaining_months": 8,
        "monthly_payment": NAN, "principal_amount": NAN, "term_months": NAN, "received": NAN,
    }
    return {**base, **kw}


def test_cashflows_contract_known_uses_whole_contract():
    received, pays = loan_cashflows(_row(principal_amount=12000.0, term_months=12.0))
    assert received == 12000.0
    assert pays == contract_schedule(12000, 0.12, 12, "annuity")["payment"].tolist()


def test_cashflows_contract_known_received_and_stated_payment_win():
    row = _row(principal_amount=100000.0, term_months=12.0, received=99000.0, monthly_payment=8833.3)
    assert loan_cashflows(row) == (99000.0, [8833.3] * 12)
    row = _row(method="flat_fee", principal_amount=12000.0, term_months=12.0, monthly_payment=1120.0)
    assert loan_cashflows(row) == (12000.0, [1120.0] * 12)


def test_cashflows_stated_payment_ignored_for_other_methods():
    row = _row(method="equal_principal", principal_amount=12000.0, term_months=12.0, monthly_payment=999.0)
    _, pays = loan_cashflows(row)
    assert pays == contract_schedule(12000, 0.12, 12, "equal_principal")["payment"].tolist()


def test_cashflows_contract_unknown_uses_remaining_plan():
    assert loan_cashflows(_row(monthly_payment=1050.0)) == (8000.0, [1050.0] * 8)
    # only one of principal/term known → still "unknown"
    assert loan_cashflows(_row(monthly_payment=1050.0, principal_amount=12000.0)) == (8000.0, [1050.0] * 8)
    received, pays = loan_cashflows(_row(method="interest_only"))
    assert received == 8000.0
    assert pays == [80.0] * 7 + [8080.0]


def test_cashflows_from_a_loan_table_row():
    loans = make_loans([{"lender": "A", "balance": 12000, "annual_rate": 0.12, "remaining_months": 12,
                         "method": "flat_fee"}])
    received, pays = loan_cashflows(loans.iloc[0])
    assert received == 12000.0
    assert pays == [1120.0] * 12
    assert all(isinstance(p, float) and not math.isnan(p) for p in pays)
