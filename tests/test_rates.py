"""Rate conversions, real APR (IRR), XIRR, the LPR table and legal yardsticks (lib.rates)."""

from __future__ import annotations

import dataclasses
import math
from datetime import date

import numpy as np
import numpy_financial as npf
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lib.rates as rates
from lib.loans import make_loans
from lib.rates import (
    APR_COLUMNS,
    Flag,
    annual_to_daily,
    apr_table,
    daily_to_annual,
    irr_apr,
    load_lpr,
    loan_apr,
    lpr_on,
    monthly_to_annual,
    nominal_to_effective,
    xirr,
    yardstick,
)


@pytest.fixture(scope="module")
def lpr() -> pd.DataFrame:
    return load_lpr()


# --- conversions ---------------------------------------------------------------------------
def test_conversions():
    assert daily_to_annual(0.0005) == pytest.approx(0.18)  # 日息万五
    assert daily_to_annual(0.0005, day_basis=365) == pytest.approx(0.1825)
    assert annual_to_daily(0.18) == pytest.approx(0.0005)
    assert annual_to_daily(daily_to_annual(0.0003, 365), 365) == pytest.approx(0.0003)
    assert monthly_to_annual(0.02) == pytest.approx(0.24)  # 月息2分
    assert nominal_to_effective(0.12) == pytest.approx(1.01**12 - 1)
    with pytest.raises(ValueError):
        daily_to_annual(0.001, day_basis=0)


# --- real APR (IRR) --------------------------------------------------------------------------
def _by_npf_rate(received: float, payment: float, n: int) -> tuple[float, float]:
    """Expected values by a different route: npf.rate (Newton on the annuity equation)."""
    r = float(npf.rate(n, payment, -received, 0))
    return 12 * r, (1 + r) ** 12 - 1


@pytest.mark.parametrize(
    ("received", "payment", "shown"),
    [
        (100000 - 1000, 8833.3, ("12.80", "13.58")),  # 1,000 fee deducted up front
        (12000, 12000 / 12 + 12000 * 0.01, ("21.46", "23.70")),  # flat fee 1 %/month: 1,120
        (12000, 12000 / 12 + 12000 * 0.006, ("13.03", "13.84")),  # flat fee 0.6 %/month: 1,072
    ],
)
def test_design_worked_checks(received, payment, shown):
    nominal, effective = irr_apr(received, [payment] * 12)
    exp_nominal, exp_effective = _by_npf_rate(received, payment, 12)
    assert nominal == pytest.approx(exp_nominal, abs=1e-9)
    assert effective == pytest.approx(exp_effective, abs=1e-9)
    assert (f"{nominal * 100:.2f}", f"{effective * 100:.2f}") == shown  # DESIGN.md §3


def test_annuity_at_18_percent_is_18_percent():
    pay = float(npf.pmt(0.015, 24, -10000))
    nominal, effective = irr_apr(10000, [pay] * 24)
    assert nominal == pytest.approx(0.18, abs=1e-9)
    assert effective == pytest.approx(1.015**12 - 1, abs=1e-9)


@settings(max_examples=300, deadline=None)
@given(
    principal=st.floats(100, 1e6),
    annual=st.floats(0, 0.6),
    n=st.integers(1, 60),
)
def test_irr_recovers_the_annuity_rate(principal, annual, n):
    r = annual / 12
    if r > 1e-6:
        pay = float(npf.pmt(r, n, -principal))
    else:  # npf.pmt cancels catastrophically at tiny rates; the annuity formula written stably
        pay = principal * r / -math.expm1(-n * math.log1p(r)) if r > 0 else principal / n
    assert irr_apr(principal, [pay] * n)[0] == pytest.approx(annual, abs=1e-6)


def test_fallback_when_numpy_financial_finds_nothing(monkeypatch):
    expected = irr_apr(99000, [8833.3] * 12)
    monkeypatch.setattr(rates.npf, "irr", lambda values: np.nan)
    assert irr_apr(99000, [8833.3] * 12) == pytest.approx(expected, abs=1e-10)
    # bullet: one payment at the end, simple interest 12 % over 6 months
    nominal, _ = irr_apr(10000, [0] * 5 + [10600])
    assert nominal == pytest.approx(12 * (1.06 ** (1 / 6) - 1), abs=1e-10)
    # a negative rate (less paid back than received) is found too
    nominal, _ = irr_apr(1000, [90] * 10)
    assert nominal == pytest.approx(12 * float(npf.rate(10, 90, -1000, 0)), abs=1e-9)


@pytest.mark.parametrize("n", [120, 121, 360])
def test_long_loans(n):
    """Past 120 payments bisection alone solves it (np.roots is O(n³)); same answer."""
    pay = float(npf.pmt(0.049 / 12, n, -300000))
    assert irr_apr(300000, [pay] * n)[0] == pytest.approx(0.049, abs=1e-9)


def test_irr_rejects_unusable_flows():
    for received, payments in [(0, [100]), (-5, [100]), (1000, []), (1000, [0, 0]), (1000, [float("nan")])]:
        with pytest.raises(ValueError):
            irr_apr(received, payments)


# --- XIRR ------------------------------------------------------------------------------------
def test_xirr_one_year():
    days = (date(2024, 12, 31) - date(2024, 1, 1)).days  # 365 in a leap year
    expected = (10500 / 10000) ** (365 / days) - 1
    assert xirr([(date(2024, 1, 1), -10000), (date(2024, 12, 31), 10500)]) == pytest.approx(expected, abs=1e-12)


def test_xirr_two_years_and_any_order():
    days = (date(2023, 1, 1) - date(2021, 1, 1)).days  # 730
    expected = (121 / 100) ** (365 / days) - 1
    flows = [("2021-01-01", -100), ("2023-01-01", 121)]
    assert xirr(flows) == pytest.approx(expected, abs=1e-12)
    assert xirr(flows[::-1]) == pytest.approx(expected, abs=1e-12)


def test_xirr_many_flows_balance():
    flows = [(pd.Timestamp("2024-03-05"), -5000.0)] + [
        (pd.Timestamp("2024-03-05") + pd.DateOffset(months=k), 900.0) for k in range(1, 7)
    ]
    x = xirr(flows)
    d0 = flows[0][0]
    npv = sum(cf / (1 + x) ** ((d - d0).days / 365) for d, cf in flows)
    assert abs(npv) < 1e-6
    # calendar months are close to 365/12 days: near the monthly IRR compounded
    monthly = float(npf.irr([-5000] + [900] * 6))
    assert x == pytest.approx((1 + monthly) ** 12 - 1, abs=0.02)


def test_xirr_short_costly_loan_and_errors():
    # 1,000 for 10 days, 1,100 back: (1.1)**36.5 − 1
    x = xirr([("2025-01-01", -1000), ("2025-01-11", 1100)])
    assert x == pytest.approx(1.1 ** (365 / 10) - 1, rel=1e-9)
    with pytest.raises(ValueError):
        xirr([("2025-01-01", -1000), ("2025-02-01", -10)])
    with pytest.raises(ValueError):
        xirr([("2025-01-01", -1000)])


# --- LPR -------------------------------------------------------------------------------------
def test_lpr_table(lpr):
    assert list(lpr.columns) == ["date", "lpr_1y"]
    assert len(lpr) == 13
    assert lpr["date"].is_monotonic_increasing
    assert lpr.iloc[0].tolist() == [pd.Timestamp("2019-08-20"), 4.25]
    assert lpr.iloc[-1].tolist() == [pd.Timestamp("2025-05-20"), 3.00]


def test_lpr_on(lpr):
    assert lpr_on("2019-08-19", lpr) is None
    assert lpr_on("2019-08-20", lpr) == pytest.approx(0.0425)
    assert lpr_on(date(2024, 9, 1), lpr) == pytest.approx(0.0335)
    assert lpr_on(pd.Timestamp("2024-10-20"), lpr) == pytest.approx(0.0335)
    assert lpr_on("2024-10-21", lpr) == pytest.approx(0.0310)
    assert lpr_on("2030-01-01", lpr) == pytest.approx(0.0300)
    assert lpr_on("2021-06-30") == pytest.approx(0.0385)  # default table
    with pytest.raises(ValueError):
        lpr_on(None, lpr)


def test_load_lpr_user_file(tmp_path):
    f = tmp_path / "lpr.csv"
    f.write_text("date,lpr_1y\n2025-05-20,3.00\n2019-08-20, 4.25\n2025-06-20,2.90\n", encoding="utf-8")
    t = load_lpr(f)
    assert t["lpr_1y"].tolist() == [4.25, 3.00, 2.90]
    assert lpr_on("2025-07-01", t) == pytest.approx(0.029)
    f.write_text("date,lpr_1y\n2025-05-20,three\n", encoding="utf-8")
    with pytest.raises(ValueError, match="line"):
        load_lpr(f)
    f.write_text("when,rate\n2025-05-20,3\n", encoding="utf-8")
    with pytest.raises(ValueError, match="lacks"):
        load_lpr(f)


# --- legal yardsticks --------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("apr", "level", "rule", "threshold"),
    [
        (0.10, "green", "licensed_24", 0.24),
        (0.24, "green", "licensed_24", 0.24),
        (0.2400001, "orange", "licensed_24", 0.24),
        (0.36, "orange", "licensed_24", 0.24),
        (0.3601, "red", "licensed_36", 0.36),
    ],
)
@pytest.mark.parametrize("kind", ["online", "consumer_finance", "credit_card", "bank", "other", ""])
def test_licensed_boundaries(kind, apr, level, rule, threshold):
    flag = yardstick(kind, apr)
    assert (flag.level, flag.rule, flag.threshold, flag.basis_date) == (level, rule, threshold, None)
    assert "〔2017〕" in flag.source and "2017-" in flag.source


def test_private_4lpr(lpr):
    flag = yardstick("private", 0.134, "2024-09-01", lpr)
    assert flag.threshold == pytest.approx(4 * 3.35 / 100)
    assert (flag.level, flag.rule, flag.basis_date) == ("green", "private_4lpr", date(2024, 7, 22))
    assert "法释〔2020〕17号" in flag.source
    assert yardstick("private", 0.1341, "2024-09-01", lpr).level == "red"

    flag = yardstick("private", 0.13, pd.Timestamp("2025-06-01"), lpr)
    assert flag.threshold == pytest.approx(4 * 3.00 / 100)
    assert (flag.level, flag.basis_date) == ("red", date(2025, 5, 20))

    flag = yardstick("private", 0.17, date(2019, 8, 20), lpr)  # first LPR day: 4 × 4.25 %
    assert (flag.level, flag.rule, flag.threshold) == ("green", "private_4lpr", pytest.approx(0.17))


def test_private_unknown_date_uses_latest_lpr(lpr):
    for missing in (None, pd.NaT, float("nan"), ""):
        flag = yardstick("private", 0.125, missing, lpr)
        assert (flag.level, flag.rule, flag.basis_date) == ("red", "private_4lpr_latest", date(2025, 5, 20))
        assert flag.threshold == pytest.approx(0.12)


def test_private_before_lpr_uses_the_2015_rule(lpr):
    for apr, level in [(0.20, "green"), (0.24, "green"), (0.30, "orange"), (0.36, "orange"), (0.37, "red")]:
        flag = yardstick("private", apr, "2018-01-01", lpr)
        assert (flag.level, flag.rule) == (level, "private_old_24_36")
        assert "法释〔2015〕18号" in flag.source and flag.basis_date is None


def test_flag_is_frozen_and_nan_is_unknown():
    flag = yardstick("online", 0.2)
    with pytest.raises(dataclasses.FrozenInstanceError):
        flag.level = "red"  # type: ignore[misc]
    assert yardstick("online", float("nan")) == Flag("unknown", "unknown", None, "", None)


# --- per loan ----------------------------------------------------------------------------------
def test_loan_apr_uses_the_whole_contract():
    row = {
        "balance": 50000.0, "annual_rate": 0.108, "method": "annuity", "remaining_months": 6,
        "monthly_payment": 8833.3, "principal_amount": 100000.0, "term_months": 12.0, "received": 99000.0,
    }
    assert loan_apr(row) == pytest.approx(_by_npf_rate(99000, 8833.3, 12), abs=1e-9)


def test_apr_table(lpr):
    loans = make_loans([
        {"lender": "flat", "balance": 12000, "annual_rate": 0.072, "remaining_months": 12,
         "method": "flat_fee"},
        {"lender": "friend", "kind": "private", "balance": 10000, "annual_rate": 0.15,
         "remaining_months": 12, "start_date": "2024-09-01"},
        {"lender": "empty", "balance": 0, "annual_rate": 0.1, "remaining_months": 6},
        {"lender": "cash", "balance": 10000, "annual_rate": 0.24, "remaining_months": 12},
    ])
    loans.index = [10, 20, 30, 40]
    t = apr_table(loans, lpr)
    assert list(t.columns) == list(APR_COLUMNS)
    assert t.index.tolist() == [10, 20, 30, 40]

    assert t.loc[10, "apr_nominal"] == pytest.approx(_by_npf_rate(12000, 1072, 12)[0], abs=1e-9)
    assert (t.loc[10, "flag_level"], t.loc[10, "flag_rule"]) == ("green", "licensed_24")

    # the monthly payment was derived from the rate, so the APR restates the rate (the contract
    # schedule's fen rounding moves it by less than 1e-6) ...
    assert "monthly_payment" in loans.loc[20, "derived"]
    assert t.loc[20, "apr_nominal"] == pytest.approx(0.15, abs=1e-6)
    assert (t.loc[20, "flag_level"], t.loc[20, "flag_rule"]) == ("red", "private_4lpr")
    assert t.loc[20, "flag_threshold"] == pytest.approx(0.134)
    assert t.loc[20, "flag_basis_date"] == pd.Timestamp("2024-07-22")

    assert math.isnan(t.loc[30, "apr_nominal"]) and math.isnan(t.loc[30, "apr_effective"])
    assert (t.loc[30, "flag_level"], t.loc[30, "flag_rule"]) == ("unknown", "unknown")
    assert math.isnan(t.loc[30, "flag_threshold"]) and pd.isna(t.loc[30, "flag_basis_date"])

    # 24 % whose fen-rounded instalment (945.60) comes to a hair above 24 %: judged as shown, 24.00 %
    assert 0.24 < t.loc[40, "apr_nominal"] < 0.24005
    assert yardstick("online", t.loc[40, "apr_nominal"]).level == "orange"
    assert t.loc[40, "flag_level"] == "green"


def test_apr_table_uses_a_stated_payment(lpr):
    # ... while a stated monthly payment (it may carry fees) is what the IRR is taken of
    loans = make_loans([{"lender": "friend", "kind": "private", "balance": 10000, "annual_rate": 0.15,
                         "remaining_months": 12, "monthly_payment": 950.0, "start_date": "2024-09-01"}])
    exp = 12 * float(npf.rate(12, 950.0, -10000, 0))
    assert apr_table(loans, lpr).loc[0, "apr_nominal"] == pytest.approx(exp, abs=1e-9)


def test_apr_table_empty_and_loads_lpr_itself():
    assert apr_table(make_loans([])).shape == (0, len(APR_COLUMNS))
    loans = make_loans([{"lender": "p", "kind": "private", "balance": 1000, "annual_rate": 0.1,
                         "remaining_months": 10}])
    t = apr_table(loans)
    assert t.loc[0, "flag_rule"] == "private_4lpr_latest"
    assert t.loc[0, "flag_level"] == "green"
