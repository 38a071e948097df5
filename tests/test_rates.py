"""Rate conversions, real APR (IRR), XIRR, the LPR table, legal yardsticks and complaint points (lib.rates),
and the collection rules (lib.rules)."""

from __future__ import annotations

import csv
import dataclasses
import math
from datetime import date, time
from pathlib import Path

import numpy as np
import numpy_financial as npf
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lib.rates as rates
from lib.i18n import TEXT, t
from lib.ingest import read_loans
from lib.loans import make_loans
from lib.rates import (
    APR_COLUMNS,
    CHANNELS,
    CONFIDENCE,
    Flag,
    annual_to_daily,
    apr_table,
    complaint_point,
    daily_to_annual,
    irr_apr,
    legal_caps,
    load_lpr,
    load_yardsticks,
    loan_apr,
    lpr_on,
    monthly_to_annual,
    nominal_to_effective,
    xirr,
    yardstick,
)
from lib.rules import collection_lines, load_collection_rules, rule
from lib.views import flag_text, loan_view

ROOT = Path(__file__).resolve().parents[1]


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
    assert (f"{nominal * 100:.2f}", f"{effective * 100:.2f}") == shown  # docs/model.md, worked checks


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

    # the first day of art. 25 for new contracts: 4 × the LPR of 2020-04-20 (3.85 %) = 15.40 %
    flag = yardstick("private", 0.154, date(2020, 8, 20), lpr, as_of="2026-12-01")
    assert (flag.level, flag.rule, flag.threshold) == ("green", "private_4lpr", pytest.approx(0.154))
    assert flag.basis_date == date(2020, 4, 20)

def test_private_unknown_date_uses_latest_lpr(lpr):
    for missing in (None, pd.NaT, float("nan"), ""):
        flag = yardstick("private", 0.125, missing, lpr)
        assert (flag.level, flag.rule, flag.basis_date) == ("red", "private_4lpr_latest", date(2025, 5, 20))
        assert flag.threshold == pytest.approx(0.12)


def test_private_judged_before_2020_08_20_uses_the_2015_rule(lpr):
    # before the 4 × LPR rule came into force every private loan was judged by 法释〔2015〕18号
    for start in ("2018-01-01", "2019-08-20"):
        for apr, level in [(0.20, "green"), (0.24, "green"), (0.30, "orange"), (0.36, "orange"), (0.37, "red")]:
            flag = yardstick("private", apr, start, lpr, as_of="2020-08-19")
            assert (flag.level, flag.rule) == (level, "private_old_24_36")
            assert "法释〔2015〕18号" in flag.source and flag.basis_date is None
            assert flag.threshold == (0.36 if level == "red" else 0.24)


def test_art31_older_private_contract_is_judged_by_the_lpr_at_filing(lpr):
    # 法释〔2020〕17号 art. 31: interest from 2020-08-20 on by the rule at filing — 4 × the LPR in force
    # on the day judged (today by default), not the 2015 rule's 24 %
    flag = yardstick("private", 0.20, "2018-01-01")
    today = lpr_on(date.today(), lpr)
    assert (flag.level, flag.rule) == ("red", "private_art31")
    assert flag.threshold == pytest.approx(4 * today)
    assert "法释〔2020〕17号" in flag.source and "31" in flag.source

    flag = yardstick("private", 0.20, "2018-01-01", lpr, as_of="2026-12-01")  # 4 × 3.00 % = 12.00 %
    assert (flag.level, flag.threshold, flag.basis_date) == ("red", pytest.approx(0.12), date(2025, 5, 20))
    # filed on 2021-01-01: 4 × 3.85 % (LPR of 2020-04-20) = 15.40 %
    assert yardstick("private", 0.154, "2019-12-01", lpr, as_of="2021-01-01").level == "green"
    assert yardstick("private", 0.155, "2019-12-01", lpr, as_of="2021-01-01").level == "red"
    # a contract signed on 2020-08-19 is still an older one; 2020-08-20 is a new one
    assert yardstick("private", 0.13, "2020-08-19", lpr, as_of="2026-12-01").rule == "private_art31"
    assert yardstick("private", 0.13, "2020-08-20", lpr, as_of="2026-12-01").rule == "private_4lpr"

    zh = flag_text("red", "private_art31", 0.12, "2025-05-20", "zh")
    assert "合同在 2020-08-20 前订立：此后的利息按起诉时 4 倍 LPR 判断" in zh and "12.00%" in zh
    en = flag_text("green", "private_art31", 0.12, "2025-05-20", "en")
    assert "before 2020-08-20" in en and "4 × the LPR at filing" in en and "LPR of 2025-05-20" in en


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
    # schedule's fen rounding — the instalment may be a fen above npf.pmt — moves it by < 1e-5) ...
    assert "monthly_payment" in loans.loc[20, "derived"]
    assert t.loc[20, "apr_nominal"] == pytest.approx(0.15, abs=1e-5)
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


# --- the yardstick data file -------------------------------------------------------------------
YARDSTICKS = ROOT / "data" / "yardsticks.csv"
LICENSED = ["online", "consumer_finance", "credit_card", "bank", "other"]


def test_every_line_of_the_yardstick_file_is_read():
    with open(YARDSTICKS, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    lines = load_yardsticks()
    assert len(lines) == len(rows) == 11
    assert [ln.line for ln in lines] == list(range(2, 2 + len(rows)))  # header = line 1
    assert [ln.rule for ln in lines] == [r["rule"] for r in rows]
    for ln, r in zip(lines, rows, strict=True):
        assert ln.source == r["source"] and ln.source  # every line names its document ...
        assert any(ch.isdigit() for ch in ln.source)  # ... with its number or date
        assert ln.confidence in CONFIDENCE and ln.kinds <= set(LICENSED + ["private"])
    by_rule = {ln.rule: ln for ln in lines}
    assert by_rule["licensed_24"].rate == 0.24 and by_rule["licensed_36"].rate == 0.36
    assert by_rule["licensed_24"].kinds == frozenset(LICENSED)
    assert by_rule["private_4lpr"].lpr_multiple == 4 and by_rule["private_4lpr"].loans == "new"
    assert by_rule["private_art31"].loans == "old" and by_rule["private_art31"].from_date == date(2020, 8, 20)
    assert by_rule["bank_assisted_2025"].from_date == date(2025, 10, 1) and "金规〔2025〕9号" in by_rule[
        "bank_assisted_2025"].source
    assert by_rule["consumer_finance_2026"].confidence == "reported"
    assert by_rule["microloan_2025"].confidence == "reported"
    assert load_yardsticks() is load_yardsticks()  # read once while the file is unchanged


# One case per line of the file: (kind, apr, start, as_of) → (which function, rule, level/threshold).
# Thresholds by hand: 4 × 3.00 % (LPR of 2025-05-20) = 12 %, 4 × 3.85 % (2020-04-20) = 15.4 %.
LINE_CASES = [
    ("licensed_24", "cut", lambda: yardstick("bank", 0.30, "2024-01-01", as_of="2026-12-01"), "orange", 0.24),
    ("licensed_36", "void", lambda: yardstick("credit_card", 0.40, None, as_of="2026-12-01"), "red", 0.36),
    ("private_old_24_36", "cut", lambda: yardstick("private", 0.30, "2016-01-01", as_of="2019-01-01"),
     "orange", 0.24),
    ("private_old_24_36", "void", lambda: yardstick("private", 0.40, "2016-01-01", as_of="2019-01-01"), "red", 0.36),
    ("private_4lpr", "void", lambda: yardstick("private", 0.16, "2020-09-01", as_of="2026-12-01"), "red", 0.154),
    ("private_art31", "void", lambda: yardstick("private", 0.16, "2020-08-01", as_of="2026-12-01"), "red", 0.12),
    ("private_4lpr_latest", "void", lambda: yardstick("private", 0.16, None, as_of="2026-12-01"), "red", 0.12),
    ("bank_assisted_2025", "complaint",
     lambda: complaint_point("online", 0.30, "2025-11-01", as_of="2026-12-01"), "complaint", 0.24),
    ("microloan_2025", "complaint",
     lambda: complaint_point("online", 0.30, "2026-01-10", as_of="2026-12-01"), "complaint", 0.24),
    ("microloan_4lpr_2027", "complaint",
     lambda: complaint_point("online", 0.13, "2028-02-01", as_of="2028-03-01"), "complaint", 0.12),
    ("consumer_finance_2026", "complaint",
     lambda: complaint_point("consumer_finance", 0.359, "2026-05-20", as_of="2026-12-01"), "complaint", 0.24),
]


@pytest.mark.parametrize(("rule_id", "band", "judge", "level", "threshold"), LINE_CASES)
def test_each_line_judges_a_loan(rule_id, band, judge, level, threshold):
    flag = judge()
    assert (flag.rule, flag.level) == (rule_id, level)
    assert flag.threshold == pytest.approx(threshold)
    line = next(ln for ln in load_yardsticks() if ln.rule == rule_id and ln.band == band)
    assert flag.source == line.source and flag.confidence == line.confidence and flag.since == line.from_date


def test_the_cases_cover_every_line():
    assert sorted((c[0], c[1]) for c in LINE_CASES) == sorted((ln.rule, ln.band) for ln in load_yardsticks())


def test_complaint_points_by_kind_and_date():
    # a consumer-finance loan at 35.9 % made after the 2026 line is a complaint point; the same loan made
    # before it is not (the line caps new loans only), nor is one at exactly 24 %, nor before the line is in force
    f = complaint_point("consumer_finance", 0.359, "2026-05-20", as_of="2026-12-01")
    assert (f.rule, f.channel, f.since) == ("consumer_finance_2026", "12378", date(2026, 4, 1))
    assert complaint_point("consumer_finance", 0.359, "2026-03-31", as_of="2026-12-01") is None
    assert complaint_point("consumer_finance", 0.24, "2026-05-20", as_of="2026-12-01") is None
    assert complaint_point("consumer_finance", 0.359, "2026-03-01", as_of="2026-03-31") is None
    # an online loan above 24 %: the bank internet-assisted line from 2025-10-01 (12378), then also the
    # microloan line from 2025-12-24 — the more recent of two equal caps (local financial regulator)
    assert complaint_point("online", 0.30, "2025-09-30", as_of="2026-12-01") is None
    f = complaint_point("online", 0.30, "2025-10-01", as_of="2026-12-01")
    assert (f.rule, f.channel, f.confidence) == ("bank_assisted_2025", "12378", "interpreted")
    f = complaint_point("online", 0.30, "2025-12-24", as_of="2026-12-01")
    assert (f.rule, f.channel) == ("microloan_2025", "local_bureau")
    assert complaint_point("bank", 0.30, "2026-01-10", as_of="2026-12-01").rule == "bank_assisted_2025"
    # no line caps new card, private or 'other' loans; an unknown date or rate is never a complaint point
    for kind in ("credit_card", "private", "other"):
        assert complaint_point(kind, 0.40, "2026-06-01", as_of="2026-12-01") is None
    assert complaint_point("online", 0.30, None, as_of="2026-12-01") is None
    assert complaint_point("online", float("nan"), "2026-06-01", as_of="2026-12-01") is None
    # the 2027 microloan target: 4 × the LPR at the loan date (3.00 % → 12 %), only for loans from 2028
    assert complaint_point("online", 0.13, "2027-12-31", as_of="2028-03-01") is None
    assert complaint_point("online", 0.12, "2028-02-01", as_of="2028-03-01") is None


def test_apr_table_on_the_sample_marks_its_complaint_points():
    loans = read_loans(ROOT / "data" / "sample_loans.csv").loans
    t_ = apr_table(loans, as_of="2026-12-01").set_index(loans["lender"])
    points = t_.loc[t_["complaint_rule"] != "", "complaint_rule"].to_dict()
    # 360借条: 11,400 received, 12 × 1,180 → 42.05 % (above 24 %), made 2026-07-15;
    # 马上消费金融: 35.9 % made 2026-05-20. 京东金条 (23.4 %) and 招联金融 (21.6 %) stay below 24 %.
    assert points == {"360借条": "microloan_2025", "马上消费金融": "consumer_finance_2026"}
    assert t_.loc["马上消费金融", "complaint_threshold"] == 0.24
    assert t_.loc["马上消费金融", "complaint_since"] == pd.Timestamp("2026-04-01")
    assert t_.loc["马上消费金融", "complaint_confidence"] == "reported"
    assert t_.loc["360借条", "complaint_channel"] == "local_bureau"
    assert t_.loc["借呗", "complaint_source"] == "" and math.isnan(t_.loc["借呗", "complaint_threshold"])
    # the friend's loan (2025-05-01, 2 %/month = 24 %) against 4 × 3.10 % (LPR of 2024-10-21) = 12.40 %
    assert (t_.loc["朋友借款（王某）", "flag_level"], t_.loc["朋友借款（王某）", "flag_rule"]) == ("red", "private_4lpr")
    assert t_.loc["朋友借款（王某）", "flag_threshold"] == pytest.approx(0.124)
    # dated before the consumer-finance line, the same loan would not be a complaint point
    earlier = loans.copy()
    earlier.loc[earlier["lender"] == "马上消费金融", "start_date"] = pd.Timestamp("2026-03-01")
    assert (apr_table(earlier, as_of="2026-12-01")["complaint_rule"] == "consumer_finance_2026").sum() == 0


def test_the_breakdown_view_shows_the_complaint_point():
    for lang, col, words in [("zh", "投诉点", ["2026-04-01 起", "24.00%", "12378", "据报道"]),
                             ("en", "Complaint point", ["from 2026-04-01", "24.00%", "12378", "reported"])]:
        loans = read_loans(ROOT / "data" / "sample_loans.csv").loans  # one sample, whatever the language
        table = loans.join(apr_table(loans, as_of="2026-12-01"))
        table["owed"], table["is_overdue"] = 0.0, False
        view = loan_view(table, lang)
        cells = dict(zip(view.iloc[:, 0], view[col], strict=True))
        mashang = cells["马上消费金融"]
        assert all(w in mashang for w in words) and "〔" not in mashang  # window guidance: no document number
        assert sum(bool(c) for c in cells.values()) == 2


# --- the enforceable line ------------------------------------------------------------------------
def test_legal_caps_by_kind_and_date(lpr):
    kinds = LICENSED + ["", "private", "private", "private", "private", "private", "private"]
    starts = ["2024-01-01"] * 6 + ["2025-05-01", "2020-08-20", "2020-08-19", "2018-01-01", None, "2025-06-01"]
    caps = legal_caps(kinds, starts, as_of="2026-12-01")
    assert caps.tolist() == pytest.approx([
        0.24, 0.24, 0.24, 0.24, 0.24, 0.24,  # licensed: 24 % (法发〔2017〕22号); an unknown kind counts as 'other'
        4 * 0.0310,  # 2025-05-01: LPR of 2024-10-21, 3.10 % → 12.40 %
        4 * 0.0385,  # 2020-08-20: LPR of 2020-04-20, 3.85 % → 15.40 %
        4 * 0.0300,  # 2020-08-19: an older contract, art. 31 → 4 × the LPR on 2026-12-01 (3.00 %)
        4 * 0.0300,  # 2018-01-01: the same
        4 * 0.0300,  # date unknown: the same
        4 * 0.0300,  # 2025-06-01: LPR of 2025-05-20, 3.00 % → 12.00 %
    ])
    # filed earlier, the art. 31 line moves with the LPR then; judged before 2020-08-20, the 2015 rule's 24 %
    assert legal_caps(["private"], ["2018-01-01"], as_of="2021-01-01").tolist() == pytest.approx([0.154])
    assert legal_caps(["private", "online"], ["2018-01-01", None], as_of="2020-01-01").tolist() == [0.24, 0.24]
    assert legal_caps([], []).tolist() == []
    # consistent with the flags: at the cap green, a hair above not
    for kind, start, cap in zip(kinds, starts, caps, strict=True):
        assert yardstick(kind, cap, start, lpr, as_of="2026-12-01").level == "green"
        assert yardstick(kind, cap + 0.0001, start, lpr, as_of="2026-12-01").level != "green"


# --- a user's yardstick file -----------------------------------------------------------------------
HEADER = "rule,kinds,loans,from_date,to_date,cap,band,channel,source,confidence,note\n"
GOOD = "licensed_24,online bank,all,2017-08-04,,24%,cut,,法发〔2017〕22号 (2017-08-04),official,\n"


def test_a_user_line_is_used(tmp_path):
    f = tmp_path / "y.csv"
    f.write_text(HEADER + GOOD + "my_cap,online,new,2026-06-01,,18%,complaint,12378,某通知 (2026-06-01),draft,\n",
                 encoding="utf-8")
    lines = load_yardsticks(f)
    assert [ln.line for ln in lines] == [2, 3]
    p = complaint_point("online", 0.20, "2026-07-01", as_of="2026-12-01", lines=lines)
    assert (p.rule, p.threshold, p.confidence) == ("my_cap", 0.18, "draft")
    f.write_text(HEADER + GOOD + "my_cap,online,all,2026-06-01,,20%,void,,某通知 (2026-06-01),draft,\n",
                 encoding="utf-8")
    lines = load_yardsticks(f)  # edited: read again
    flag = yardstick("online", 0.22, None, as_of="2026-12-01", lines=lines)
    assert (flag.level, flag.rule, flag.threshold) == ("red", "my_cap", 0.20)
    assert flag_text(flag.level, flag.rule, flag.threshold, None, "en") == "above 20.00%: the excess is not protected"
    assert yardstick("online", 0.22, None, as_of="2016-01-01", lines=lines).rule == "no_line"


@pytest.mark.parametrize(("row", "message"), [
    ("licensed_24,onlne,all,2017-08-04,,24%,cut,,src 2017,official,", r"line 3: kinds 'onlne'"),
    ("licensed_24,online,some,2017-08-04,,24%,cut,,src 2017,official,", r"line 3: loans 'some'"),
    ("licensed_24,online,all,2017-13-04,,24%,cut,,src 2017,official,", r"line 3: from_date '2017-13-04'"),
    ("licensed_24,online,all,2017-08-04,2016-01-01,24%,cut,,src 2017,official,", r"line 3: to_date 2016-01-01"),
    ("licensed_24,online,all,2017-08-04,,24,cut,,src 2017,official,", r"line 3: cap '24'"),
    ("licensed_24,online,all,2017-08-04,,24%,orange,,src 2017,official,", r"line 3: band 'orange'"),
    ("x,online,new,2026-01-01,,24%,complaint,,src 2026,reported,", r"line 3: channel ''"),
    ("licensed_24,online,all,2017-08-04,,24%,cut,12378,src 2017,official,", r"line 3: channel '12378'"),
    ("licensed_24,online,all,2017-08-04,,24%,cut,,,official,", r"line 3: source is empty"),
    ("licensed_24,online,all,2017-08-04,,24%,cut,,src 2017,sure,", r"line 3: confidence 'sure'"),
    ("Licensed,online,all,2017-08-04,,24%,cut,,src 2017,official,", r"line 3: rule 'Licensed'"),
    ("licensed_24,online,all,2017-08-04", r"line 3: want 11 fields"),
])
def test_a_malformed_yardstick_file_names_the_line(tmp_path, row, message):
    f = tmp_path / "y.csv"
    f.write_text(HEADER + GOOD + row + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        load_yardsticks(f)


def test_yardstick_file_problems_are_all_listed(tmp_path):
    f = tmp_path / "y.csv"
    f.write_text(HEADER + GOOD.replace("24%", "x") + "\n" + GOOD.replace("cut", "cutt"), encoding="utf-8")
    with pytest.raises(ValueError, match=r"line 2: cap 'x'.*; line 4: band 'cutt'"):
        load_yardsticks(f)
    f.write_text("rule,kinds,cap\nlicensed_24,online,24%\n", encoding="utf-8")
    with pytest.raises(ValueError, match="lacks columns"):
        load_yardsticks(f)
    f.write_text(HEADER, encoding="utf-8")
    with pytest.raises(ValueError, match="empty"):
        load_yardsticks(f)


def test_every_flag_and_complaint_text_exists_in_both_languages():
    for ln in load_yardsticks():
        if ln.band == "complaint":
            continue
        keys = [k for k in TEXT if k.startswith(f"flag.{ln.rule}.")]
        assert f"flag.{ln.rule}.{'orange' if ln.band == 'cut' else 'red'}" in keys
        for k in keys:
            assert all(TEXT[k]) and TEXT[k][0] != TEXT[k][1]
    for key in [f"flag.channel.{c}" for c in CHANNELS] + [f"flag.confidence.{c}" for c in CONFIDENCE]:
        zh, en = TEXT[key]
        assert zh and en and zh != en
    assert t("flag.no_line.unknown", "en").startswith("no yardstick applies")


# --- collection rules (lib.rules) ----------------------------------------------------------------
def test_collection_rules_load_with_their_sources():
    rules = load_collection_rules()
    with open(ROOT / "data" / "collection_rules.csv", encoding="utf-8", newline="") as f:
        assert [r.rule for r in rules] == [row["rule"] for row in csv.DictReader(f)]
    assert len(rules) == 16 and len({r.rule for r in rules}) == 16
    gb = [r for r in rules if r.rule.startswith("gb_")]
    cba = [r for r in rules if r.rule.startswith("cba_")]
    psl = [r for r in rules if r.rule.startswith("psl_")]  # 治安管理处罚法: threats and public shaming
    assert len(gb) + len(cba) + len(psl) == len(rules)
    assert {(r.source, r.date, r.confidence) for r in psl} == {
        ("《中华人民共和国治安管理处罚法》第四十二条（2012年修正文本）", date(2012, 10, 26), "interpreted")}
    assert {r.what for r in psl} == {r.what for r in rules if r.rule in ("cba_no_threats", "cba_no_shaming")} == {
        "threat", "shaming"}
    assert {(r.source, r.date) for r in gb} == {
        ("GB/T 45251—2025《互联网金融 个人网络消费信贷 贷后催收风控指引》", date(2025, 2, 28))}
    assert {(r.source, r.date) for r in cba} == {
        ("中国银行业协会《金融机构个人消费类贷款催收工作指引（试行）》", date(2026, 1, 30))}
    assert all(r.confidence in CONFIDENCE for r in rules)
    assert rule("cba_calls_recorded", rules).confidence == "unverified"  # not found in the published summaries
    # the limits a contact log will check
    assert rule("gb_effective_calls_per_day", rules).limit_count() == 3
    assert rule("cba_unanswered_attempts_per_number", rules).limit_count() == 6
    assert rule("gb_quiet_hours", rules).quiet_hours() == (time(22, 0), time(8, 0))
    assert rule("gb_debtor_only", rules).limit == "debtor" and rule("gb_debtor_only", rules).limit_count() is None
    with pytest.raises(KeyError):
        rule("no_such_rule", rules)


def test_the_guide_states_every_collection_rule_with_its_source():
    rules = load_collection_rules()
    for lang in ("zh", "en"):
        lines = collection_lines(lang, rules)
        assert len(lines) == len(rules) + 3  # one heading per document
        assert lines[0].startswith("- **GB/T 45251—2025") and "2025\\-02\\-28" in lines[0]
        assert sum("2026\\-01\\-30" in x for x in lines) == 1
        for r in rules:
            zh, en = TEXT[f"guide.rule.{r.rule}"]
            assert zh and en and zh != en
            assert f"  - {t(f'guide.rule.{r.rule}', lang)}" in "\n".join(lines)
    assert "3" in TEXT["guide.rule.gb_effective_calls_per_day"][0]
    assert "6" in TEXT["guide.rule.cba_unanswered_attempts_per_number"][1]


@pytest.mark.parametrize(("row", "message"), [
    ("gb_x,contact_time,22:00-08:00,GB/T 45251—2025,2025-02-30,official,", r"line 3: date '2025-02-30'"),
    ("gb_x,contact_time,25:00-08:00,GB/T 45251—2025,2025-02-28,official,", r"line 3: limit '25:00-08:00'"),
    ("gb_x,contact_time,,GB/T 45251—2025,2025-02-28,official,", r"line 3: limit is empty"),
    ("gb_x,contact_time,3,,2025-02-28,official,", r"line 3: source is empty"),
    ("gb_x,contact_time,3,GB/T 45251—2025,2025-02-28,maybe,", r"line 3: confidence 'maybe'"),
    ("gb_quiet_hours,contact_time,3,GB/T 45251—2025,2025-02-28,official,", r"line 3: rule 'gb_quiet_hours' already on line 2"),
    ("gb_x,contact_time,3,GB/T 45251—2025,2025-02-28,official,", r"line 3: limit '3' of contact_time: want a span"),
    ("gb_x,answered_calls_per_day,three,GB/T 45251—2025,2025-02-28,official,", r"line 3: limit 'three' of answered"),
    ("gb_x,threat,allowed,GB/T 45251—2025,2025-02-28,official,", r"line 3: limit 'allowed' of threat: want none"),
])
def test_a_malformed_collection_file_names_the_line(tmp_path, row, message):
    f = tmp_path / "c.csv"
    f.write_text("rule,what,limit,source,date,confidence,note\n"
                 "gb_quiet_hours,contact_time,22:00-08:00,GB/T 45251—2025,2025-02-28,press_summary,\n"
                 + row + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        load_collection_rules(f)
