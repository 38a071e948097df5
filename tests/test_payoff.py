"""The payoff engine (lib.payoff) against hand computations, numpy-financial and a plain
per-loan reference loop (:func:`_reference_simulate`, below) written straight from the rules
in DESIGN.md §3 and lib/payoff.py's docstring.
"""

from __future__ import annotations

import math
import time

import numpy as np
import numpy_financial as npf
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from lib.loans import METHODS, make_loans
from lib.payoff import HORIZON, NEVER_CLEARS, STRATEGIES, budget_needed, prepare, simulate


def loan(**kw):
    rec = {"lender": "A", "balance": 12000.0, "annual_rate": 0.12, "remaining_months": 12}
    rec.update(kw)
    return rec


def row(result, month, loan_id=0):
    s = result.schedule
    hit = s[(s["month"] == month) & (s["loan"] == loan_id)]
    assert len(hit) == 1
    return hit.iloc[0]


# --------------------------------------------------------------------------------------------
# The reference: one loan at a time, plain Python floats holding whole fen, same rules.
# --------------------------------------------------------------------------------------------

def _fen(x: float) -> float:
    return float(round(x * 100.0))


def _ref_split(weights: list[float], total: float) -> list[float]:
    """Largest-remainder split of `total` fen by `weights` (fen); ties to the lower index."""
    w_sum = sum(weights)
    if total <= 0 or w_sum <= 0:
        return [0.0] * len(weights)
    q = [w * total / w_sum for w in weights]
    share = [min(math.floor(x), w) for x, w in zip(q, weights, strict=True)]
    share = [float(s) for s in share]
    k = int(total - sum(share))
    if k > 0:
        frac = [(q[i] - share[i]) if share[i] < weights[i] else -1.0 for i in range(len(q))]
        for i in sorted(range(len(q)), key=lambda i: -frac[i])[:k]:
            share[i] += 1.0
    elif k < 0:
        for i in sorted(range(len(q)), key=lambda i: -share[i])[:-k]:
            share[i] -= 1.0
    return share


def _reference_simulate(loans: pd.DataFrame, budget: float, strategy: str = "avalanche", *,
                        penalty_multiple: float = 1.5, horizon: int = 600, lump_sums=None,
                        budget_changes=None, order=None, early_stop=True) -> dict:
    recs = loans.reset_index(drop=True).to_dict("records")
    lumps = {int(k): _fen(v) for k, v in (lump_sums or {}).items()}
    changes = {int(k): _fen(v) for k, v in (budget_changes or {}).items()}
    ls = []
    for i, r in enumerate(recs):
        bal, intr, pen, fee = (_fen(r[c]) for c in ("balance", "interest", "penalty", "fees"))
        owed = bal + intr + pen + fee
        od = min(_fen(r["overdue_amount"]), owed)
        method = r["method"]
        nd = min(bal + intr if method == "bullet" else bal, owed - od)
        rate = float(r["annual_rate"])
        pa = r["principal_amount"]
        base = _fen(pa) if pa == pa and pa > 0 else bal
        ls.append(dict(i=i, lender=str(r["lender"]), bal=bal, intr=intr, pen=pen, fee=fee, od=od, nd=nd,
                       rate=rate, mr=rate / 12.0, pr=rate * penalty_multiple / 12.0, rem=max(int(r["remaining_months"]), 0),
                       method=method, flat=0.0 if method != "flat_fee" else float(round(base * (rate / 12.0))),
                       ci=0.0, cp=0.0, disc=(1.0 + rate / 12.0) ** (-max(int(r["remaining_months"]), 1))))
    names = [str(x) for x in (order or [])]
    pos = {}
    for j, name in enumerate(names):
        pos.setdefault(name, j)

    def owed_of(x):
        return x["bal"] + x["intr"] + x["pen"] + x["fee"]

    owed0 = sum(owed_of(x) for x in ls)
    out = dict(months=None, reason=HORIZON, paid=0.0, interest=0.0, penalty=0.0, fees=0.0,
               owed0=owed0, owed_end=owed0, rows=[], n_months=0)
    if owed0 <= 0:
        out.update(months=0, reason=None, owed_end=0.0)
        return out
    last_event = max([0, *lumps, *changes])
    cur = _fen(budget)
    prev_total = owed0
    for m in range(1, horizon + 1):
        out["n_months"] = m
        cur = changes.get(m, cur)
        cash = cur + lumps.get(m, 0.0)
        was_open = [owed_of(x) > 0 for x in ls]
        acc_i = acc_p = acc_f = 0.0
        for x in ls:
            left = x["rem"] - (m - 1)
            # accrue, carrying what is below a fen
            y = x["bal"] * (0.0 if x["method"] == "flat_fee" else x["mr"]) + x["ci"]
            a_int = float(round(y))
            x["ci"] = y - a_int
            ir = 0.0 if x["method"] == "flat_fee" else x["mr"]
            od_prin = min(max(x["bal"] - min(x["nd"], x["bal"]), 0.0), x["od"])
            y = od_prin * max(x["pr"] - ir, 0.0) + (x["od"] - od_prin) * x["pr"] + x["cp"]
            a_pen = float(round(y))
            x["cp"] = y - a_pen
            a_fee = x["flat"] if (left >= 1 and x["bal"] > 0) else 0.0
            x["intr"] += a_int
            x["pen"] += a_pen
            x["fee"] += a_fee
            x.update(a_int=a_int, a_pen=a_pen, a_fee=a_fee)
            acc_i, acc_p, acc_f = acc_i + a_int, acc_p + a_pen, acc_f + a_fee
            owed = owed_of(x)
            # what is left not yet due after this month's instalment
            nd, n_left = x["nd"], max(left, 1)
            if left < 1 or left == 1:
                nd_new = 0.0
            elif x["method"] == "annuity":
                # pmt(r, n, nd) with (1 + r)^-n kept up to date month by month
                inst = nd * x["mr"] / (1.0 - x["disc"]) if x["mr"] > 0 else nd / n_left
                nd_int = a_int if nd >= x["bal"] else float(round(nd * x["mr"]))
                nd_new = min(nd - (float(round(inst)) - nd_int), nd)
            elif x["method"] in ("equal_principal", "flat_fee"):
                nd_new = nd - float(round(nd / n_left))
            elif x["method"] == "interest_only":
                nd_new = nd
            else:  # bullet
                nd_new = nd + a_int
            if left > 1:
                x["disc"] = x["disc"] * (1.0 + x["mr"])
            x["nd_new"] = min(max(nd_new, 0.0), owed)
            x["due"] = owed - x["nd_new"]
            x["owed"] = owed
        due_sum = sum(x["due"] for x in ls)
        if cash >= due_sum:
            pays = [x["due"] for x in ls]
            spare = cash - due_sum
            room = [x["nd_new"] for x in ls]
            if spare > 0:
                if spare >= sum(room):
                    pays = [p + r for p, r in zip(pays, room, strict=True)]
                elif strategy == "pro_rata":
                    pays = [p + e for p, e in zip(pays, _ref_split(room, spare), strict=True)]
                else:
                    if strategy == "avalanche":
                        key = lambda x: (-x["rate"], x["i"])  # noqa: E731
                    elif strategy == "snowball":
                        key = lambda x: (x["nd_new"], x["i"])  # noqa: E731
                    elif strategy == "overdue_first":
                        key = lambda x: (-(x["od"] * x["pr"]), -x["rate"], x["i"])  # noqa: E731
                    else:
                        key = lambda x: (pos.get(x["lender"], len(names)), -x["rate"], x["i"])  # noqa: E731
                    for x in sorted(ls, key=key):
                        give = min(spare, room[x["i"]])
                        pays[x["i"]] += give
                        spare -= give
        else:
            pays = _ref_split([x["due"] for x in ls], cash)
        paid = 0.0
        for x, p in zip(ls, pays, strict=True):
            parts = {}
            rest = p
            for bucket in ("fee", "pen", "intr", "bal"):
                take = min(rest, x[bucket])
                x[bucket] -= take
                rest -= take
                parts[bucket] = take
            assert rest == 0
            owed = x["owed"] - p
            x["nd"] = min(x["nd_new"], owed)
            x["od"] = owed - x["nd"]
            paid += p
            if was_open[x["i"]]:
                out["rows"].append((m, x["i"], p, parts["fee"], parts["pen"], parts["intr"], parts["bal"],
                                    x["bal"], owed, x["od"], x["due"], x["a_int"], x["a_pen"], x["a_fee"]))
        out["paid"] += paid
        out["interest"] += acc_i
        out["penalty"] += acc_p
        out["fees"] += acc_f
        total = sum(owed_of(x) for x in ls)
        out["owed_end"] = total
        if total <= 0:
            out.update(months=m, reason=None)
            break
        if early_stop and m >= last_event:
            if cur <= 0:
                out["reason"] = NEVER_CLEARS
                break
            if total >= prev_total:
                # loans past their term that bear penalty, highest penalty rate first: if for
                # some head of them rate·owed − 2·count >= budget + 1 fen, they can only grow
                past = sorted((x for x in ls if owed_of(x) > 0 and x["pr"] > 0 and x["rem"] <= m),
                              key=lambda x: (-x["pr"], x["i"]))
                cum = 0.0
                proof = False
                for k, x in enumerate(past, start=1):
                    cum += owed_of(x)
                    proof = proof or x["pr"] * cum - 2 * k >= cur + 1.0
                if proof:
                    out["reason"] = NEVER_CLEARS
                    break
            if total > cur * (horizon - m):  # the months left could not pay it even with no accrual
                break
        prev_total = total
    return out


def assert_same_as_reference(result, ref):
    assert result.months_to_debt_free == ref["months"]
    assert result.reason == ref["reason"]
    assert result.months_simulated == ref["n_months"]
    for name, key in (("total_paid", "paid"), ("total_interest", "interest"), ("total_penalty", "penalty"),
                      ("total_fees", "fees"), ("initial_owed", "owed0"), ("owed_end", "owed_end")):
        assert round(getattr(result, name) * 100) == ref[key], name
    cols = ["month", "loan", "payment", "fees", "penalty", "interest", "principal", "balance", "owed",
            "overdue", "due", "interest_accrued", "penalty_accrued", "fees_accrued"]
    got = result.schedule[cols].to_numpy(dtype=float)
    want = np.array(ref["rows"], dtype=float).reshape(-1, len(cols))
    want[:, 2:] /= 100.0
    assert got.shape == want.shape
    np.testing.assert_array_equal(np.round(got * 100), np.round(want * 100))


# --------------------------------------------------------------------------------------------
# Contract schedules against numpy-financial and hand computations
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("principal", "rate", "n"), [
    (100000.0, 0.12, 12), (133331.0, 0.24, 28), (52759.0, 0.18, 51), (8000.0, 0.0799, 36), (3000.0, 0.36, 6),
])
def test_annuity_with_budget_equal_to_its_payment_clears_in_its_term(principal, rate, n):
    r = rate / 12
    pmt = -float(npf.pmt(r, n, principal))
    # The payment in whole fen, rounded *up*: a budget a fraction of a fen below the exact
    # payment leaves ≈ n·(pmt − budget) unpaid at the end, and the last month could not close.
    budget = math.ceil(round(pmt * 100, 6)) / 100
    res = simulate(make_loans([loan(balance=principal, annual_rate=rate, remaining_months=n)]), budget)
    assert res.finishes and res.months_to_debt_free == n
    assert res.total_penalty == 0 and res.schedule["overdue"].max() == 0
    # Tolerance: the budget exceeds pmt by d < 1 fen a month and the engine pays that extra off the
    # principal at once, which saves d·Σ_{k=1}^{n-1}((1+r)^k − 1) of interest; plus 1 fen for
    # rounding interest to the fen each month (the sub-fen remainder is carried, so the rounding
    # error never grows beyond half a fen).
    saving = (budget - pmt) * sum((1 + r) ** k - 1 for k in range(1, n))
    assert abs(res.total_interest - (n * pmt - principal)) <= saving + 0.01
    # And against the exact books for a payment of `budget` a month, to the fen.
    exact_paid = principal * (1 + r) ** n - budget * sum((1 + r) ** k for k in range(1, n)) + (n - 1) * budget
    assert abs(res.total_paid - exact_paid) <= 0.01


def test_equal_principal_by_hand():
    # 12,000 at 12 %/year over 12 months: 1,000 principal a month, interest 1 % of what is left:
    # 120, 110, …, 10 → 780 in all. A budget that follows the falling instalment exactly.
    dues = [1000 + 10 * (12 - m) for m in range(12)]  # 1120, 1110, …, 1010
    changes = {m + 1: d for m, d in enumerate(dues)}
    res = simulate(make_loans([loan(method="equal_principal")]), dues[0], budget_changes=changes)
    assert res.months_to_debt_free == 12
    assert res.total_interest == pytest.approx(780.0, abs=1e-9)
    assert res.schedule["due"].tolist() == pytest.approx(dues)
    assert res.schedule["interest"].tolist() == pytest.approx([120 - 10 * m for m in range(12)])
    assert res.schedule["principal"].tolist() == pytest.approx([1000.0] * 12)


def test_interest_only_by_hand():
    # 先息后本: 120 a month for 11 months, then 12,000 + 120; interest 12 × 120 = 1,440.
    res = simulate(make_loans([loan(method="interest_only")]), 120, budget_changes={12: 12120})
    assert res.months_to_debt_free == 12
    assert res.total_interest == pytest.approx(1440.0)
    assert res.schedule["due"].tolist() == pytest.approx([120.0] * 11 + [12120.0])
    assert res.total_penalty == 0


def test_bullet_by_hand():
    # 一次性还本付息: nothing due for 11 months, then 12,000 · (1 + 0.12) = 13,440 (simple interest).
    res = simulate(make_loans([loan(method="bullet")]), 0, lump_sums={12: 13440})
    assert res.months_to_debt_free == 12
    assert res.schedule["due"].tolist() == pytest.approx([0.0] * 11 + [13440.0])
    assert res.total_interest == pytest.approx(1440.0)


def test_flat_fee_by_hand():
    # 12,000 with a flat fee of 1 %/month on the original principal: 1,000 + 120 a month.
    res = simulate(make_loans([loan(method="flat_fee", principal_amount=12000)]), 1120)
    assert res.months_to_debt_free == 12
    assert res.total_fees == pytest.approx(1440.0) and res.total_interest == 0
    assert res.schedule["due"].tolist() == pytest.approx([1120.0] * 12)
    # The fee is on the original principal, not on what is left: half paid off, still 120 a month.
    half = simulate(make_loans([loan(method="flat_fee", balance=6000, remaining_months=6,
                                     principal_amount=12000)]), 1120)
    assert half.schedule["fees_accrued"].tolist() == pytest.approx([120.0] * 6)


def test_zero_rate_loans():
    loans = make_loans([loan(annual_rate=0.0, balance=3000, remaining_months=3, lender="朋友"),
                        loan(annual_rate=0.0, balance=5000, remaining_months=10, lender="家人",
                             method="equal_principal")])
    res = simulate(loans, 1500)
    assert res.total_interest == res.total_penalty == res.total_fees == 0
    assert res.total_paid == pytest.approx(8000.0)
    assert res.months_to_debt_free == math.ceil(8000 / 1500)
    # Nothing ever accrues, so a budget of 0 can never clear it — and says so at once.
    never = simulate(loans, 0)
    assert never.months_to_debt_free is None and never.reason == NEVER_CLEARS and never.months_simulated == 1
    assert never.budget_needed == pytest.approx(8000 / 60, abs=0.01)


# --------------------------------------------------------------------------------------------
# Strategies
# --------------------------------------------------------------------------------------------

ORDERING_MATTERS = [
    # high-rate big balance vs low-rate small one: snowball pays the small one first
    [loan(lender="贵", balance=30000, annual_rate=0.36, remaining_months=36),
     loan(lender="便宜", balance=5000, annual_rate=0.06, remaining_months=36)],
    [loan(lender="卡", balance=20000, annual_rate=0.18, method="interest_only", remaining_months=24),
     loan(lender="贷", balance=8000, annual_rate=0.24, method="equal_principal", remaining_months=12),
     loan(lender="亲", balance=2000, annual_rate=0.0, remaining_months=6)],
    [loan(lender=f"L{i}", balance=1000.0 * (i + 1), annual_rate=0.04 * (i + 1), remaining_months=24)
     for i in range(6)],
]


@pytest.mark.parametrize("records", ORDERING_MATTERS)
@pytest.mark.parametrize("extra", [0.1, 0.5, 2.0])
def test_avalanche_never_pays_more_interest_than_snowball(records, extra):
    loans = make_loans(records)
    dues = simulate(loans, 1e9).monthly["due"].iloc[0]  # month 1's dues
    budget = round(dues * (1 + extra), 2)
    ava, snow = simulate(loans, budget, "avalanche"), simulate(loans, budget, "snowball")
    assert ava.finishes and snow.finishes
    assert ava.total_interest <= snow.total_interest + 1e-9
    assert ava.total_interest < snow.total_interest  # ordering really matters here


def test_extra_goes_where_the_strategy_says():
    loans = make_loans([
        loan(lender="A", balance=5000, annual_rate=0.10, remaining_months=24, method="interest_only"),
        loan(lender="B", balance=1000, annual_rate=0.20, remaining_months=24, method="interest_only"),
        loan(lender="C", balance=3000, annual_rate=0.30, remaining_months=24, method="interest_only",
             overdue_amount=100, interest=100),
    ])
    due1 = simulate(loans, 1e9).schedule.query("month == 1")["due"].to_numpy()
    spare = 1500.0
    budget = float(due1.sum()) + spare

    def extra(strategy, **kw):
        s = simulate(loans, budget, strategy, **kw).schedule.query("month == 1")
        return (s["payment"].to_numpy() - due1).round(2).tolist()

    assert extra("avalanche") == [0.0, 0.0, 1500.0]  # highest rate first
    assert extra("snowball") == [0.0, 1000.0, 500.0]  # smallest balance first, leftover cascades
    assert extra("pro_rata") == [833.33, 166.67, 500.0]  # 5:1:3 of what is left
    assert extra("custom", order=["A", "B"]) == [1500.0, 0.0, 0.0]
    assert extra("custom", order=["B"]) == [0.0, 1000.0, 500.0]  # then the rest by avalanche
    # C is the only loan with arrears coming into the month, so it is first for overdue_first; to
    # make the two differ, give the arrears to the cheapest loan.
    loans2 = loans.copy()
    loans2.loc[2, ["overdue_amount", "interest"]] = 0.0
    loans2.loc[0, ["overdue_amount", "interest"]] = 100.0
    due2 = simulate(loans2, 1e9).schedule.query("month == 1")["due"].to_numpy()
    s = simulate(loans2, float(due2.sum()) + spare, "overdue_first").schedule.query("month == 1")
    assert (s["payment"].to_numpy() - due2).round(2).tolist() == [1500.0, 0.0, 0.0]


def test_custom_order_needs_known_lenders():
    loans = make_loans([loan(lender="A"), loan(lender="B")])
    with pytest.raises(ValueError, match="order"):
        simulate(loans, 100, "custom")
    with pytest.raises(ValueError, match="not in the table"):
        simulate(loans, 100, "custom", order=["A", "Z"])
    with pytest.raises(ValueError, match="unknown strategy"):
        simulate(loans, 100, "cheapest")


def test_duplicate_lender_names_are_separate_loans():
    loans = make_loans([loan(lender="借呗", balance=1000), loan(lender="借呗", balance=2000)])
    res = simulate(loans, 5000)
    assert sorted(res.schedule["loan"].unique().tolist()) == [0, 1]
    assert set(res.schedule["lender"].astype(str)) == {"借呗"}
    assert res.months_to_debt_free == 1


# --------------------------------------------------------------------------------------------
# Shortfall, arrears, penalty, payment order
# --------------------------------------------------------------------------------------------

def test_shortfall_becomes_arrears_that_cost_one_and_a_half_times_the_rate():
    loans = make_loans([loan(balance=12000, annual_rate=0.24)])  # pmt 1,134.72
    pmt = round(-float(npf.pmt(0.02, 12, 12000)), 2)
    res = simulate(loans, 500)
    m1, m2 = row(res, 1), row(res, 2)
    assert m1["due"] == pytest.approx(pmt)
    assert m1["payment"] == pytest.approx(500.0)
    assert m1["overdue"] == pytest.approx(pmt - 500)  # 634.72 in arrears
    # the 634.72 in arrears is all principal (the 500 paid the month's 240 interest first), and
    # it keeps bearing its 2 % a month; the penalty brings it to 1.5 × 2 % = 3 % in all:
    # month 2: penalty = 634.72 × (3 % − 2 %) = 6.3472 → 6.35
    assert m2["penalty_accrued"] == pytest.approx(6.35)
    assert res.monthly.loc[0, "shortfall"] == pytest.approx(pmt - 500)
    # interest keeps running on the whole principal balance: (12,000 − 260) × 2 % = 234.80
    assert m1["interest"] == pytest.approx(240.0) and m1["principal"] == pytest.approx(260.0)
    assert m2["interest_accrued"] == pytest.approx(234.80)
    # the multiple is adjustable; 0 turns penalty off
    # 634.72 × (2.6 % − 2 %) = 3.80832 → 3.81
    assert row(simulate(loans, 500, penalty_multiple=1.3), 2)["penalty_accrued"] == pytest.approx(3.81)
    assert simulate(loans, 500, penalty_multiple=0).total_penalty == 0


def test_short_budget_is_split_pro_rata_by_due():
    loans = make_loans([loan(lender="A", balance=1000, annual_rate=0, remaining_months=1),
                        loan(lender="B", balance=3000, annual_rate=0, remaining_months=1),
                        loan(lender="C", balance=0.03, annual_rate=0, remaining_months=1)])
    m1 = simulate(loans, 2000.01).schedule.query("month == 1")
    # In fen: 200,001 of 400,003 due. Shares 100000·q = 49,999.875, 300000·q = 149,999.625 and
    # 3·q = 1.49998 (q = 200001/400003); floors 49,999 + 149,999 + 1 leave 2 fen, which go to the
    # two largest remainders (.875 and .625).
    assert m1["payment"].tolist() == pytest.approx([500.0, 1500.0, 0.01])
    assert m1["payment"].sum() == pytest.approx(2000.01)


def test_payments_settle_fees_then_penalty_then_interest_then_principal():
    # Nothing accrues (rate 0); all of it is due (term over).
    base = loan(balance=1000, annual_rate=0.0, remaining_months=0, interest=30, penalty=20, fees=10)
    loans = make_loans([base])
    for budget, parts in [(5, (5, 0, 0, 0)), (25, (10, 15, 0, 0)), (45, (10, 20, 15, 0)), (100, (10, 20, 30, 40))]:
        r = row(simulate(loans, budget), 1)
        assert (r["fees"], r["penalty"], r["interest"], r["principal"]) == pytest.approx(parts)
        assert r["payment"] == pytest.approx(budget)
        assert r["owed"] == pytest.approx(1060 - budget)


def test_existing_arrears_are_due_now_and_not_counted_twice():
    # 10,000 at 12 %, 10 months left, 1,000 of it already overdue (part of what is owed).
    loans = make_loans([loan(balance=10000, remaining_months=10, overdue_amount=1000)])
    r = row(simulate(loans, 0), 1)
    pmt = round(-float(npf.pmt(0.01, 10, 9000)), 2)  # the instalment on the 9,000 not in arrears
    # due = arrears + penalty on them + interest on the overdue principal + the instalment
    # the 1,000 overdue principal costs 12 % × 1.5 / 12 = 1.5 % in all: 10 interest + 5 penalty
    assert r["penalty_accrued"] == pytest.approx(5.0)
    assert r["due"] == pytest.approx(1000 + 5 + 10 + pmt)
    assert r["owed"] == pytest.approx(10000 + 100 + 5)


# --------------------------------------------------------------------------------------------
# Events
# --------------------------------------------------------------------------------------------

def test_lump_sum_and_budget_change():
    loans = make_loans([loan(annual_rate=0.0, balance=12000, remaining_months=24)])
    assert simulate(loans, 1000).months_to_debt_free == 12
    lump = simulate(loans, 1000, lump_sums={3: 3000})
    assert lump.months_to_debt_free == 9  # 9 × 1000 + 3000
    assert lump.monthly.loc[2, ["budget", "lump_sum"]].tolist() == [4000.0, 3000.0]
    change = simulate(loans, 1000, budget_changes={7: 2000})
    assert change.months_to_debt_free == 9  # 6 × 1000 + 3 × 2000
    assert change.monthly["budget"].tolist() == [1000.0] * 6 + [2000.0] * 3
    lost_job = simulate(loans, 1000, budget_changes={4: 0, 10: 1000})
    assert lost_job.months_to_debt_free == 18  # months 4–9 pay nothing
    cash_now = simulate(loans, 500, lump_sums={1: 6000})
    assert cash_now.months_to_debt_free == 12


# --------------------------------------------------------------------------------------------
# Plans that never finish
# --------------------------------------------------------------------------------------------

def test_a_plan_that_never_finishes_says_so_quickly_and_says_what_would():
    loans = make_loans([loan(balance=100000, annual_rate=0.24, remaining_months=24)])
    t0 = time.perf_counter()
    res = simulate(loans, 1500)  # interest alone is 2,000 a month
    assert time.perf_counter() - t0 < 2
    assert res.months_to_debt_free is None and not res.finishes
    assert res.reason in (NEVER_CLEARS, HORIZON)
    assert res.budget_needed is not None and res.target_months == 60
    ok = simulate(loans, res.budget_needed)
    assert ok.finishes and ok.months_to_debt_free <= 60
    assert simulate(loans, res.budget_needed - 0.01, horizon=60, target_months=None).months_to_debt_free is None
    # the books still balance
    assert res.total_paid == pytest.approx(
        res.initial_owed + res.total_interest + res.total_penalty + res.total_fees - res.owed_end, abs=0.005)


def test_never_finishing_200_loans_returns_within_2_seconds():
    rng = np.random.default_rng(7)
    recs = [loan(lender=f"L{i}", balance=round(float(rng.uniform(1000, 50000)), 2),
                 annual_rate=float(rng.choice([0.12, 0.18, 0.24, 0.36])), remaining_months=int(rng.integers(1, 36)),
                 method=str(rng.choice(METHODS))) for i in range(200)]
    loans = make_loans(recs)
    t0 = time.perf_counter()
    res = simulate(loans, 1000)
    assert time.perf_counter() - t0 < 2
    assert res.months_to_debt_free is None and res.budget_needed is not None
    assert simulate(loans, res.budget_needed, target_months=None).months_to_debt_free <= 60


def test_horizon_is_reported_not_a_silent_cap():
    loans = make_loans([loan(annual_rate=0.0, balance=12000, remaining_months=24)])
    # ¥100 a month cannot pay ¥12,000 in 24 months: run on to the horizon, or stop once certain
    full = simulate(loans, 100, horizon=24, target_months=None, give_up=False)
    assert full.months_to_debt_free is None and full.reason == HORIZON and full.months_simulated == 24
    assert full.budget_needed is None  # target_months=None skips the search
    assert full.owed_end == pytest.approx(12000 - 24 * 100)
    early = simulate(loans, 100, horizon=24, target_months=None)
    # after month 1, ¥11,900 is owed and 23 months × ¥100 = ¥2,300 could be paid: certain
    assert (early.reason, early.months_simulated, early.owed_end) == (HORIZON, 1, 11900.0)
    assert early.months_at_least == full.months_at_least == 1 + 11900 // 100 == 24 + 9600 // 100
    # exactly enough is not given up on: ¥500 clears in month 24
    assert simulate(loans, 500, horizon=24, target_months=None).months_to_debt_free == 24
    # ¥1,000 a month on ¥100,000 at 12 % over 600 months falls short of pmt(1 %, 600) = ¥1,002.56:
    # arrears and penalty grow until, one month, more is owed than the months left could pay
    stuck = make_loans([loan(annual_rate=0.12, balance=100000, remaining_months=600)])
    res = simulate(stuck, 1000, target_months=None)
    m = res.months_simulated
    assert res.reason == HORIZON and 1 < m < 600
    assert res.owed_end > 1000 * (600 - m) and res.monthly["owed"].iloc[-2] <= 1000 * (600 - m + 1)
    full = simulate(stuck, 1000, target_months=None, give_up=False)  # the same months up to there
    assert full.monthly["owed"].iloc[m - 1] == res.owed_end and full.months_to_debt_free is None


def test_budget_needed_by_hand():
    loans = make_loans([loan(annual_rate=0.0, balance=12000, remaining_months=24)])
    assert budget_needed(loans, 12) == 1000.0
    assert budget_needed(loans, 7) == 1714.29  # 12000/7 = 1714.2857… rounded up
    assert budget_needed(loans, 12, lump_sums={1: 12000}) == 0.0
    with pytest.raises(ValueError):
        budget_needed(loans, 0)


def test_nothing_owed():
    loans = make_loans([loan(balance=0.0)])
    res = simulate(loans, 100)
    assert res.months_to_debt_free == 0 and res.finishes and res.schedule.empty and res.monthly.empty


def test_schedule_and_monthly_columns():
    res = simulate(make_loans([loan(), loan(lender="B", balance=500, annual_rate=0.24, remaining_months=2)]), 2000)
    for col in ("month", "loan", "lender", "payment", "interest", "penalty", "fees", "principal", "balance",
                "owed", "overdue", "due"):
        assert col in res.schedule
    assert list(res.monthly.columns[:7]) == ["month", "budget", "lump_sum", "due", "paid", "shortfall", "owed"]
    # one row per loan per month while open, the closing month included
    per_loan = res.schedule.groupby("loan")["month"].agg(["min", "max", "count"])
    assert per_loan.loc[1].tolist() == [1, 1, 1]  # B is cleared in month 1 (the leftover)
    assert per_loan.loc[0, "max"] == res.months_to_debt_free
    assert res.schedule.groupby("loan")["owed"].last().eq(0).all()


# --------------------------------------------------------------------------------------------
# Properties over random portfolios
# --------------------------------------------------------------------------------------------

money = st.floats(0, 50000, allow_nan=False).map(lambda x: round(x, 2))
small_money = st.one_of(st.just(0.0), st.floats(0, 2000, allow_nan=False).map(lambda x: round(x, 2)))


@st.composite
def loan_records(draw):
    n = draw(st.integers(1, 8))
    recs = []
    for i in range(n):
        balance = draw(money)
        interest, penalty, fees = draw(small_money), draw(small_money), draw(small_money)
        owed = balance + interest + penalty + fees
        overdue = draw(st.one_of(st.just(0.0), st.floats(0, 1).map(lambda f, o=owed: round(f * o, 2))))
        recs.append({
            "lender": draw(st.sampled_from(["借呗", "微粒贷", "京东金条", "美团", "信用卡"])) if i else "借呗",
            "balance": balance,
            "annual_rate": draw(st.sampled_from([0.0, 0.0001, 0.06, 0.0799, 0.12, 0.18, 0.24, 0.36, 0.7])),
            "remaining_months": draw(st.integers(0, 36)),
            "method": draw(st.sampled_from(METHODS)),
            "interest": interest, "penalty": penalty, "fees": fees, "overdue_amount": overdue,
            "principal_amount": draw(st.one_of(st.just(float("nan")), st.just(balance), money)),
        })
    return recs


@st.composite
def plans(draw):
    recs = draw(loan_records())
    loans = make_loans(recs)
    owed = float((loans.balance + loans.interest + loans.penalty + loans.fees).sum())
    budget = round(owed * draw(st.sampled_from([0.0, 0.005, 0.02, 0.05, 0.1, 0.3, 1.2])), 2)
    strategy = draw(st.sampled_from(STRATEGIES))
    lenders = sorted(set(loans.lender))
    options = {
        "penalty_multiple": draw(st.sampled_from([1.5, 0.0, 1.3])),
        "lump_sums": draw(st.one_of(st.none(), st.dictionaries(st.integers(1, 24), money, max_size=2))),
        "budget_changes": draw(st.one_of(st.none(), st.dictionaries(st.integers(1, 24), money, max_size=2))),
    }
    if strategy == "custom":
        options["order"] = draw(st.permutations(lenders).flatmap(lambda p: st.integers(1, len(p)).map(lambda k: p[:k])))
    return loans, budget, strategy, options


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plans())
def test_property_books_balance_and_engine_equals_reference(plan):
    loans, budget, strategy, options = plan
    t0 = time.perf_counter()
    res = simulate(loans, budget, strategy, **options)
    elapsed = time.perf_counter() - t0
    # money reconciles to the fen
    accrued = res.total_interest + res.total_penalty + res.total_fees
    assert abs(res.total_paid - (res.initial_owed + accrued - res.owed_end)) < 0.005
    s = res.schedule
    for col in ("payment", "balance", "owed", "overdue", "due", "interest", "penalty", "fees", "principal"):
        assert (s[col] >= 0).all(), col
    assert (s["overdue"] <= s["owed"] + 1e-9).all()
    assert abs(s["payment"].sum() - res.total_paid) < 0.005
    assert (res.monthly["paid"] <= res.monthly["budget"] + 1e-9).all()
    if res.finishes:
        assert res.owed_end == 0 and res.budget_needed is None
    else:
        assert res.months_to_debt_free is None and res.owed_end > 0
        assert elapsed < 2.0  # never-ending plans return quickly, budget search included
        assert res.budget_needed is not None
    assert_same_as_reference(res, _reference_simulate(loans, budget, strategy, **options))
    again = simulate(prepare(loans), budget, strategy, **options)  # the table read once: the same plan
    pd.testing.assert_frame_equal(again.schedule, res.schedule, check_exact=True)
    pd.testing.assert_frame_equal(again.monthly, res.monthly, check_exact=True)
    assert (again.total_paid, again.budget_needed) == (res.total_paid, res.budget_needed)
    if res.reason == NEVER_CLEARS:  # the early stop is never wrong: without it, still not clear
        assert _reference_simulate(loans, budget, strategy, early_stop=False, **options)["months"] is None


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(loan_records(), st.sampled_from(STRATEGIES), st.sampled_from([1, 6, 24, 60]))
def test_property_budget_needed_clears_and_is_the_smallest(recs, strategy, months):
    loans = make_loans(recs)
    order = sorted(set(loans.lender)) if strategy == "custom" else None
    assume(float((loans.balance + loans.interest + loans.penalty + loans.fees).sum()) > 0)
    need = budget_needed(loans, months, strategy, order=order)
    ok = simulate(loans, need, strategy, order=order, horizon=months, target_months=None)
    assert ok.finishes and ok.months_to_debt_free <= months
    if need > 0:
        less = simulate(loans, round(need - 0.01, 2), strategy, order=order, horizon=months, target_months=None)
        assert not less.finishes


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.integers(100, 50000), st.sampled_from([0.06, 0.12, 0.18, 0.24, 0.36]),
                          st.integers(6, 36), st.sampled_from(["annuity", "equal_principal", "interest_only"])),
                min_size=2, max_size=6),
       st.floats(1.0, 3.0))
def test_property_avalanche_not_worse_than_snowball_without_arrears(specs, factor):
    """With every due paid (no arrears), paying the highest rate first never costs more interest."""
    loans = make_loans([{"lender": f"L{i}", "balance": float(b), "annual_rate": r, "remaining_months": n,
                         "method": m} for i, (b, r, n, m) in enumerate(specs)])
    first_due = simulate(loans, 1e9).monthly["due"].iloc[0]
    budget = round(first_due * factor, 2)
    ava, snow = simulate(loans, budget, "avalanche"), simulate(loans, budget, "snowball")
    assume(ava.total_penalty == 0 and snow.total_penalty == 0)
    assert ava.total_interest <= snow.total_interest + 0.01 * len(specs)


def test_bad_input_is_refused():
    loans = make_loans([loan()])
    with pytest.raises(ValueError):
        simulate(loans, -1)
    with pytest.raises(ValueError):
        simulate(loans, float("nan"))
    with pytest.raises(ValueError):
        simulate(loans, 100, horizon=0)
    with pytest.raises(ValueError):
        simulate(loans, 100, penalty_multiple=-1)
    with pytest.raises(ValueError):
        simulate(loans, 100, lump_sums={0: 100})
    with pytest.raises(ValueError):
        simulate(loans, 100, budget_changes={2.5: 100})
    with pytest.raises(ValueError):
        simulate(loans.assign(method="weird"), 100)
    with pytest.raises(ValueError):
        simulate(loans.assign(balance=-5.0), 100)
    # months as strings (a scenario read back from JSON) are fine
    assert simulate(loans, 0, lump_sums={"1": 20000}).months_to_debt_free == 1


@given(st.lists(st.integers(0, 5), min_size=1, max_size=60), st.data())
def test_largest_is_the_same_on_few_and_many_loans(vals, data):
    from lib.payoff import _largest

    v = np.array(vals, dtype=float)
    k = data.draw(st.integers(0, len(vals)))
    # the k largest, ties to the lower position: by a plain stable sort …
    want = sorted(sorted(range(len(vals)), key=lambda i: -vals[i])[:k])
    assert sorted(_largest(v, k).tolist()) == want  # … by the sort used on few loans
    padded = np.concatenate([v, np.full(600, -1.0)])  # … and by the partition used on many
    assert sorted(_largest(padded, k).tolist()) == want


@given(st.lists(st.integers(0, 5), min_size=1, max_size=60), st.data())
def test_smallest_is_the_same_on_few_and_many_loans(vals, data):
    from lib.payoff import _smallest

    v = np.array(vals, dtype=float)
    k = data.draw(st.integers(0, len(vals)))
    # the k smallest, ties to the lower position: by a plain stable sort …
    want = sorted(sorted(range(len(vals)), key=lambda i: vals[i])[:k])
    assert sorted(_smallest(v, k).tolist()) == want  # … by the sort used on few loans
    padded = np.concatenate([v, np.full(600, 9.0)])  # … and by the partition used on many
    assert sorted(_smallest(padded, k).tolist()) == want
