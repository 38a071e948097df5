"""The payoff engine (lib.payoff) against hand computations, numpy-financial and a plain
per-loan reference loop (:func:`_reference_simulate`, below) written straight from the rules
in docs/model.md and lib/payoff.py's docstring.
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
from lib.rates import legal_caps
from lib.schedules import annuity_instalment, contract_schedule
from tests.hand import bank_annuity


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


def _ref_irr(pv: float, pay: float, n: int) -> float:
    """The monthly rate at which n payments of `pay` are worth `pv`: plain bisection."""
    lo, hi = 0.0, 10.0
    for _ in range(200):
        mid = (lo + hi) / 2
        worth = pay * n if mid == 0 else pay * (1 - (1 + mid) ** -n) / mid
        lo, hi = (mid, hi) if worth > pv else (lo, mid)
    return (lo + hi) / 2


def base_known(x) -> bool:
    return x == x and x > 0


def _reference_simulate(loans: pd.DataFrame, budget: float, strategy: str = "avalanche", *,
                        penalty_multiple: float = 1.5, horizon: int = 600, lump_sums=None,
                        budget_changes=None, order=None, early_stop=True, basis: str = "enforceable") -> dict:
    recs = loans.reset_index(drop=True).to_dict("records")
    lumps = {int(k): _fen(v) for k, v in (lump_sums or {}).items()}
    changes = {int(k): _fen(v) for k, v in (budget_changes or {}).items()}
    enforce = basis == "enforceable"
    caps = legal_caps([r["kind"] for r in recs], [r["start_date"] for r in recs])
    ls = []
    for i, r in enumerate(recs):
        bal, intr, pen, fee = (_fen(r[c]) for c in ("balance", "interest", "penalty", "fees"))
        owed = bal + intr + pen + fee
        od = min(_fen(r["overdue_amount"]), owed)
        method = r["method"]
        nd = min(bal + intr if method == "bullet" else bal, owed - od)
        rate = float(r["annual_rate"])
        mr = rate / 12.0
        pa, got = r["principal_amount"], r["received"]
        base = _fen(pa) if pa == pa and pa > 0 else bal
        n = max(int(r["remaining_months"]), 1)
        flat = 0.0 if method != "flat_fee" else float(round(base * mr))
        # the contract instalment: an annuity's (a stated one when on schedule), or a fixed share
        pay = r["monthly_payment"]
        stated = _fen(pay) if pay == pay and "monthly_payment" not in r["derived"].split(",") else 0.0
        uses_stated = method == "annuity" and mr > 0 and stated > round(nd * mr) and nd >= bal
        if method == "annuity" and mr > 0:
            inst = stated if uses_stated else float(annuity_instalment(nd, mr, n)[0])
        elif method in ("equal_principal", "flat_fee", "annuity"):
            inst = float(math.ceil(round(nd / n, 6)))
        else:
            inst = 0.0
        # the real cost of the rest (avalanche): 12 × IRR where the payments are not set by the rate
        cost = rate
        if nd > 0 and (method == "flat_fee" or uses_stated):
            cost = 12 * _ref_irr(nd, inst + flat, n) if (inst + flat) * n >= nd else rate
        private = r["kind"] == "private"
        in_use = got / pa if (got == got and got > 0 and pa == pa and pa > got) else 1.0
        cap_m = float(caps[i]) / 12.0 * in_use if enforce else math.inf
        # the line's allowance the contract's elapsed months left unused: the amount borrowed on
        # its own schedule, month by month (exact, not rounded), less what it charged
        room, term = 0.0, r["term_months"]
        if term != term and method in ("flat_fee", "equal_principal") and base_known(pa) and 0 < bal < _fen(pa) \
                and r["remaining_months"] > 0:  # the same share a month: the term follows
            term = r["remaining_months"] + round(r["remaining_months"] * (_fen(pa) - bal) / bal)
        if enforce and base_known(pa) and term == term and term > r["remaining_months"]:
            amount, t = _fen(pa), max(int(term), 1)
            out_sum = charged = 0.0
            pmt = amount * mr / (1 - (1 + mr) ** -t) if mr > 0 else 0.0
            for j in range(int(term) - max(int(r["remaining_months"]), 0)):
                if method in ("flat_fee", "equal_principal") or (method == "annuity" and mr == 0):
                    b_j = amount - amount / t * j
                elif method == "annuity":
                    b_j = amount * (1 + mr) ** j - pmt * ((1 + mr) ** j - 1) / mr
                else:
                    b_j = amount
                out_sum += b_j
                charged += flat if method == "flat_fee" else mr * b_j
            room = max(cap_m * out_sum - charged, 0.0)
        ls.append(dict(i=i, lender=str(r["lender"]), bal=bal, intr=intr, pen=pen, fee=fee, od=od, nd=nd,
                       rate=rate, mr=mr, pr=0.0 if private else rate * penalty_multiple / 12.0,
                       rem=max(int(r["remaining_months"]), 0), method=method, flat=flat, ci=0.0, cp=0.0,
                       inst=inst, cost=min(cost, float(caps[i])) if enforce else cost, cap_m=cap_m, room=room))
    names = [str(x) for x in (order or [])]
    pos = {}
    for j, name in enumerate(names):
        pos.setdefault(name, j)

    def owed_of(x):
        return x["bal"] + x["intr"] + x["pen"] + x["fee"]

    owed0 = sum(owed_of(x) for x in ls)
    out = dict(months=None, reason=HORIZON, paid=0.0, interest=0.0, penalty=0.0, fees=0.0,
               owed0=owed0, owed_end=owed0, rows=[], n_months=0, overdue=[])
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
            # accrue: interest rounded each month (a bullet loan's with its remainder carried),
            # penalty with its remainder carried; fees bear none; private loans: no penalty
            ir = 0.0 if x["method"] == "flat_fee" else x["mr"]
            y = x["bal"] * ir + (x["ci"] if x["method"] == "bullet" else 0.0)
            a_int = float(round(y))
            x["ci"] = y - a_int
            od_prin = min(max(x["bal"] - min(x["nd"], x["bal"]), 0.0), x["od"])
            rest = max(x["od"] - od_prin - x["fee"], 0.0)
            y = od_prin * max(x["pr"] - ir, 0.0) + rest * x["pr"] + x["cp"]
            a_pen = float(round(y))
            x["cp"] = y - a_pen
            a_fee = x["flat"] if (left >= 1 and x["bal"] > 0) else 0.0
            # the enforceable line: all three together at most cap_m × principal a month, what a
            # month leaves unused allowed later (penalty cut first, then fees, then interest)
            if x["cap_m"] < math.inf:
                x["room"] += x["bal"] * x["cap_m"]
            over = a_int + a_pen + a_fee - (math.floor(x["room"] + 1e-6) if x["cap_m"] < math.inf else math.inf)
            x["at_line"] = over > 0
            for part in ("pen", "fee", "int"):
                if over <= 0:
                    break
                have = {"pen": a_pen, "fee": a_fee, "int": a_int}[part]
                cut = min(have, over)
                over -= cut
                if part == "pen":
                    a_pen -= cut
                    x["cp"] = 0.0 if cut > 0 else x["cp"]
                elif part == "fee":
                    a_fee -= cut
                else:
                    a_int -= cut
                    x["ci"] = 0.0 if cut > 0 else x["ci"]
            x["room"] -= a_int + a_pen + a_fee
            x["intr"] += a_int
            x["pen"] += a_pen
            x["fee"] += a_fee
            x.update(a_int=a_int, a_pen=a_pen, a_fee=a_fee)
            acc_i, acc_p, acc_f = acc_i + a_int, acc_p + a_pen, acc_f + a_fee
            owed = owed_of(x)
            # what is left not yet due after this month's (fixed) instalment
            nd = x["nd"]
            if left <= 1:
                nd_new = 0.0
            elif x["method"] == "annuity" and x["mr"] > 0:
                sched = a_int if nd >= x["bal"] else min(float(round(nd * x["mr"])), a_int)
                nd_new = nd - min(max(x["inst"] - sched, 0.0), nd)
            elif x["method"] in ("equal_principal", "flat_fee", "annuity"):
                nd_new = nd - min(x["inst"], nd)
            elif x["method"] == "interest_only":
                nd_new = nd
            else:  # bullet
                nd_new = nd + a_int
            x["nd_new"] = min(max(nd_new, 0.0), owed)
            x["due"] = owed - x["nd_new"]
            x["owed"] = owed
            x["left"] = left
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
                        key = lambda x: (-x["cost"], x["i"])  # noqa: E731
                    elif strategy == "snowball":
                        key = lambda x: (x["nd_new"], x["i"])  # noqa: E731
                    elif strategy == "overdue_first":
                        key = lambda x: (-(x["od"] * x["pr"]), -x["cost"], x["i"])  # noqa: E731
                    else:
                        key = lambda x: (pos.get(x["lender"], len(names)), -x["cost"], x["i"])  # noqa: E731
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
        out["overdue"].append(sum(x["od"] for x in ls))
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
                # loans past their term that bear uncapped penalty, highest penalty rate first: if
                # for some head of them rate·(owed − fees) − 2·count >= budget + 1 fen, they only grow
                past = sorted((x for x in ls if owed_of(x) > 0 and x["pr"] > 0 and x["rem"] <= m
                               and x["cap_m"] == math.inf), key=lambda x: (-x["pr"], x["i"]))
                cum = 0.0
                proof = False
                for k, x in enumerate(past, start=1):
                    cum += owed_of(x) - x["fee"]
                    proof = proof or x["pr"] * cum - 2 * k >= cur + 1.0
                # every open loan held to its line: past its term, at the line this month, and its
                # charges next month (floor(cap × balance)) above its share of the budget + 2 fen
                live = [x for x in ls if owed_of(x) > 0]
                if live and all(x["cap_m"] < math.inf and x["rem"] <= m and x["at_line"] for x in live):
                    a = [math.floor(x["bal"] * x["cap_m"]) for x in live]
                    dues = [owed_of(x) + ai for x, ai in zip(live, a, strict=True)]
                    proof = proof or (sum(a) >= cur + 1.0 and all(
                        ai >= cur * (d + 1.0) / sum(dues) + 2.0 for ai, d in zip(a, dues, strict=True)))
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
    np.testing.assert_array_equal(np.round(result.monthly["overdue"].to_numpy() * 100), ref["overdue"])


# --------------------------------------------------------------------------------------------
# Contract schedules against numpy-financial and hand computations
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("principal", "rate", "n"), [
    (100000.0, 0.12, 12), (133331.0, 0.24, 28), (52759.0, 0.18, 51), (8000.0, 0.0799, 36), (3000.0, 0.36, 6),
    (1000.0, 0.12, 24),
])
def test_annuity_with_budget_equal_to_its_payment_clears_in_its_term(principal, rate, n):
    # the bank's plan written out (tests/hand.py): the same instalment every month, the last settles
    pay, pays, ints = bank_annuity(principal, rate, n)
    loans = make_loans([loan(balance=principal, annual_rate=rate, remaining_months=n)])
    assert loans.loc[0, "monthly_payment"] == pay
    res = simulate(loans, pay, basis="contractual")
    assert res.finishes and res.months_to_debt_free == n
    assert res.total_penalty == 0 and res.schedule["overdue"].max() == 0
    assert (res.monthly["shortfall"] == 0).all() and (res.monthly["due"] <= pay).all()
    assert res.schedule["payment"].tolist() == pytest.approx(pays, abs=1e-9)
    assert res.schedule["interest"].tolist() == pytest.approx(ints, abs=1e-9)
    assert res.total_paid == pytest.approx(sum(pays), abs=0.005)


def test_the_contract_instalment_does_not_creep_up():
    # 1,000 at 12 % over 24 months. The instalment used to be re-derived each month from a balance
    # rounded to the fen: 47.07, then 47.08 from month 9 up to 47.16, and a budget of the contract
    # payment fell short in 16 months and needed a 25th. npf.pmt(1 %, 24, 1000) = 47.0735: at 47.07
    # the 24th payment would be 47.15 (bank_annuity), so the contract instalment is 47.08.
    loans = make_loans([{"lender": "A", "balance": 1000, "annual_rate": 0.12, "remaining_months": 24}])
    assert loans.loc[0, "monthly_payment"] == 47.08
    res = simulate(loans, 47.08)
    assert res.months_to_debt_free == 24
    assert res.monthly["due"].iloc[:-1].eq(47.08).all() and res.monthly["due"].iloc[-1] < 47.08
    assert (res.monthly["shortfall"] == 0).all()
    from lib.negotiate import within_capacity

    assert within_capacity(res, None)


def test_a_stated_monthly_payment_is_the_instalment():
    # The lender's app says 月供 1,100 (npf.pmt at 18 % would give 1,100.16): the contract says 1,100,
    # and the last month settles what is left of 12,000 paid down by 1,100 less 1.5 % interest.
    loans = make_loans([loan(balance=12000, annual_rate=0.18, monthly_payment=1100)])
    left = 12000.0
    for _ in range(11):
        left = round(left - (1100 - round(left * 0.015, 2)), 2)
    last = round(left + round(left * 0.015, 2), 2)  # 1,102.09: the rate asks a little more
    res = simulate(loans, 1100, budget_changes={12: last}, basis="contractual")
    assert res.months_to_debt_free == 12 and (res.monthly["shortfall"] == 0).all()
    assert res.monthly["due"].tolist() == [1100.0] * 11 + [pytest.approx(last)]


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


def test_avalanche_ranks_by_real_cost_not_the_stated_rate():
    # A flat-fee loan with 2,000 left of 12,000 at 12 % (1 % a month on the original principal,
    # 120), 2 months to go: 2 × 1,120 on 2,000 is 12 × npf.rate = 94.8 % a year. An annuity of
    # 10,000 at 18 % over 12 months. Budget 3,100.
    flat = loan(lender="分期乐乐", balance=2000, annual_rate=0.12, remaining_months=2, method="flat_fee",
                principal_amount=12000, term_months=12)
    ann = loan(lender="年金贷", balance=10000, annual_rate=0.18, remaining_months=12)
    loans = make_loans([flat, ann])
    assert 12 * float(npf.rate(2, -1120, 2000, 0)) == pytest.approx(0.948, abs=5e-4)
    # By hand. Month 1: dues 1,120 + 916.80 (annuity: npf.pmt 916.7999 → 916.80, 150 interest); the
    # 1,063.20 left over clears the flat-fee loan's last 1,000 (its fee is charged only while
    # principal is owed), 63.20 goes to the annuity.
    # Paying the flat-fee loan first saves its second fee of 120; the annuity-first order pays it.
    ann_pay = round(-float(npf.pmt(0.015, 12, 10000)), 2)
    assert ann_pay == 916.80
    flat_first = simulate(loans, 3100, "custom", order=["分期乐乐"])
    ann_first = simulate(loans, 3100, "custom", order=["年金贷"])
    assert ann_first.total_fees - flat_first.total_fees == 120.0
    assert (flat_first.total_paid, ann_first.total_paid) == (12550.90, 12660.70)
    for basis in ("contractual", "enforceable"):  # (the flat fee's whole contract is at 21.46 %: not cut)
        assert simulate(loans, 3100, "avalanche", basis=basis).total_paid == flat_first.total_paid


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
    # the lender's contractual claim (at 24 % the enforceable line leaves no room for penalty)
    loans = make_loans([loan(balance=12000, annual_rate=0.24)])  # pmt 1,134.72
    pmt = round(-float(npf.pmt(0.02, 12, 12000)), 2)
    res = simulate(loans, 500, basis="contractual")
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
    assert row(simulate(loans, 500, penalty_multiple=1.3, basis="contractual"), 2)["penalty_accrued"] == \
        pytest.approx(3.81)
    assert simulate(loans, 500, penalty_multiple=0, basis="contractual").total_penalty == 0


def _unpaid(loans, months, basis):
    """What is owed after `months` months with nothing paid (no early stop)."""
    return simulate(loans, 0, horizon=months, give_up=False, target_months=None, basis=basis)


def test_arrears_grow_only_as_far_as_the_law_lets_them_licensed():
    # 10,000 at 24 %, all of it overdue, nothing paid for 12 months.
    loans = make_loans([loan(balance=10000, annual_rate=0.24, remaining_months=0, overdue_amount=10000)])
    # The contract: 2 % interest + 1 % penalty on the principal, 3 % on unpaid interest and penalty
    # (复利) — by hand, to the fen, month by month: owed × 1.03.
    owed = 10000.0
    for _ in range(12):
        owed = round(owed + 200 + 100 + round((owed - 10000) * 0.03, 2), 2)
    claim = _unpaid(loans, 12, "contractual")
    assert claim.owed_end == pytest.approx(owed, abs=0.02) and round(owed) == round(10000 * 1.03**12)  # 14,258
    # What a court upholds on objection (法发〔2017〕22号): all charges at most 24 % a year on the
    # principal in use: 10,000 + 12 × 200.
    law = _unpaid(loans, 12, "enforceable")
    assert law.owed_end == 12400.0
    assert law.total_interest + law.total_penalty + law.total_fees == pytest.approx(0.24 * 10000)
    assert simulate(loans, 0, horizon=12, give_up=False, target_months=None).owed_end == 12400.0  # the default


def test_arrears_grow_only_as_far_as_the_law_lets_them_private():
    # A friend lent 20,000 at 月息2分 (2 % a month) on 2025-05-01, due now; nothing paid for 12 months.
    loans = make_loans([loan(lender="老同学", kind="private", balance=20000, annual_rate=0.24, remaining_months=0,
                             start_date="2025-05-01", method="bullet", overdue_amount=20000)])
    # The contract (法释〔2020〕17号 art. 28: no agreed overdue rate, so the contract rate, simple):
    assert _unpaid(loans, 12, "contractual").owed_end == pytest.approx(20000 + 12 * 0.02 * 20000)  # 24,800
    # Protected: 4 × the one-year LPR at the contract date, 3.10 % (LPR of 2024-10-21): 12.4 % a year
    law = _unpaid(loans, 12, "enforceable")
    assert law.owed_end == pytest.approx(20000 + 20000 * 4 * 0.031, abs=1e-6)  # 22,480
    # money deducted up front is not principal (art. 26): 19,000 received of 20,000 borrowed
    cut = make_loans([{**loans.iloc[0].to_dict(), "principal_amount": 20000, "received": 19000}])
    assert _unpaid(cut, 12, "enforceable").owed_end == pytest.approx(20000 + 19000 * 0.124, abs=0.01)


def test_fees_bear_no_penalty():
    # 1,000 of fees overdue on a 24 % loan whose term is over: under the contract the penalty
    # compounds on the unpaid interest, never on the fees (银发〔2016〕111号 for cards).
    loans = make_loans([loan(balance=10000, annual_rate=0.24, remaining_months=0, fees=1000, overdue_amount=11000)])
    m1 = row(simulate(loans, 0, horizon=1, give_up=False, target_months=None, basis="contractual"), 1)
    assert m1["penalty_accrued"] == pytest.approx(10000 * 0.01)  # 1 % above the 2 % on principal only


def test_a_flat_fee_below_the_line_over_its_whole_term_is_not_cut():
    # 12,000 at 1 %/month on the original principal: real APR 21.46 % < 24 %. Late in the term the
    # 120 fee is more than 2 % of what is left, but over the loan the line is never reached.
    full = simulate(make_loans([loan(method="flat_fee", principal_amount=12000)]), 1120)
    assert full.total_fees == 1440.0
    # half-way through (term known, or told by the amount borrowed): the same
    for term in (12, float("nan")):
        half = simulate(make_loans([loan(method="flat_fee", balance=6000, remaining_months=6,
                                         principal_amount=12000, term_months=term)]), 1120)
        assert half.total_fees == 720.0
    # 1.5 %/month (real APR 31.7 %) is cut to the line: 2 % of the balance a month, what a month
    # leaves unused allowed later — 180 a month while 2 % × (12,000 + … ) keeps up (7 months: 1,260
    # allowed, 1,260 charged), then 2 % of what is left: 100, 80, 60, 40, 20 → 1,560 of 2,160
    dear_loans = make_loans([loan(method="flat_fee", annual_rate=0.18, principal_amount=12000)])
    dues = [1180.0] * 7 + [1100.0, 1080.0, 1060.0, 1040.0, 1020.0]
    dear = simulate(dear_loans, 1180, budget_changes={m + 1: d for m, d in enumerate(dues)})
    assert dear.monthly["due"].tolist() == dues and dear.months_to_debt_free == 12
    assert dear.total_fees == pytest.approx(0.02 * sum(range(1000, 12001, 1000)))
    assert simulate(dear_loans, 1180, basis="contractual").total_fees == 2160.0


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
        amount = draw(st.one_of(st.just(float("nan")), st.just(balance), money))
        recs.append({
            "lender": draw(st.sampled_from(["借呗", "微粒贷", "京东金条", "美团", "信用卡"])) if i else "借呗",
            "kind": draw(st.sampled_from(["online", "credit_card", "private", "bank"])),
            "start_date": draw(st.sampled_from([pd.NaT, pd.Timestamp("2019-03-01"), pd.Timestamp("2025-05-01")])),
            "received": draw(st.sampled_from([float("nan"), round(amount * 0.9, 2)])),
            "monthly_payment": draw(st.one_of(st.none(), money)),  # a stated one is used for annuities
            "balance": balance,
            "annual_rate": draw(st.sampled_from([0.0, 0.0001, 0.06, 0.0799, 0.12, 0.18, 0.24, 0.36, 0.7])),
            "remaining_months": draw(st.integers(0, 36)),
            "method": draw(st.sampled_from(METHODS)),
            "interest": interest, "penalty": penalty, "fees": fees, "overdue_amount": overdue,
            "principal_amount": amount,
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
        "basis": draw(st.sampled_from(["enforceable", "contractual"])),
        "penalty_multiple": draw(st.sampled_from([1.5, 0.0, 1.3])),
        "lump_sums": draw(st.one_of(st.none(), st.dictionaries(st.integers(1, 24), money, max_size=2))),
        "budget_changes": draw(st.one_of(st.none(), st.dictionaries(st.integers(1, 24), money, max_size=2))),
    }
    if strategy == "custom":
        options["order"] = draw(st.permutations(lenders).flatmap(lambda p: st.integers(1, len(p)).map(lambda k: p[:k])))
    return loans, budget, strategy, options


@settings(max_examples=int(__import__('os').environ.get('NEX','60')), deadline=None, suppress_health_check=[HealthCheck.too_slow])
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
    """With every due paid (no arrears), paying the highest rate first never costs more interest
    (contract rates: under the enforceable line a 36 % loan costs what a 24 % one does, a tie)."""
    loans = make_loans([{"lender": f"L{i}", "balance": float(b), "annual_rate": r, "remaining_months": n,
                         "method": m} for i, (b, r, n, m) in enumerate(specs)])
    first_due = simulate(loans, 1e9).monthly["due"].iloc[0]
    budget = round(first_due * factor, 2)
    ava, snow = (simulate(loans, budget, s, basis="contractual") for s in ("avalanche", "snowball"))
    assume(ava.total_penalty == 0 and snow.total_penalty == 0)
    # up to the rounding: each month's interest is rounded to the fen per loan (as lenders do)
    months = max(ava.months_simulated, snow.months_simulated)
    assert ava.total_interest <= snow.total_interest + 0.005 * len(specs) * months


@settings(max_examples=int(__import__('os').environ.get('NEX', '60')), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(money.filter(lambda b: b > 0), st.sampled_from([0.0, 0.0001, 0.06, 0.12, 0.18, 0.24, 0.36, 0.7]),
                          st.integers(1, 36), st.sampled_from(METHODS), st.one_of(st.just(float("nan")), money)),
                min_size=1, max_size=6),
       st.sampled_from(["contractual", "enforceable"]), st.sampled_from(STRATEGIES[:4]))
def test_property_a_budget_of_the_contract_dues_clears_every_loan_on_its_schedule(specs, basis, strategy):
    """Month by month the sum of each contract's plan (lib.schedules, to the fen): no month short,
    nothing overdue, every loan cleared in its own last month; under the contract the payments are
    the contract's exactly (under the enforceable line they are never more)."""
    recs = [{"lender": f"贷{i}", "balance": b, "annual_rate": r, "remaining_months": n, "method": m,
             "principal_amount": max(a, b) if a == a else a} for i, (b, r, n, m, a) in enumerate(specs)]
    loans = make_loans(recs)
    plans = [contract_schedule(x["balance"], x["annual_rate"], x["remaining_months"], x["method"],
                               principal_amount=x["principal_amount"])["payment"].to_numpy() for x in recs]
    months = max(len(p) for p in plans)
    dues = [round(sum(float(p[k]) for p in plans if k < len(p)), 2) for k in range(months)]
    res = simulate(loans, dues[0], strategy, budget_changes={k + 1: d for k, d in enumerate(dues)}, basis=basis)
    assert res.months_to_debt_free is not None and res.months_to_debt_free <= months
    assert (res.monthly["shortfall"] == 0).all() and res.total_penalty == 0
    assert res.schedule["overdue"].max() == 0
    for i, plan in enumerate(plans):
        mine = res.schedule[res.schedule["loan"] == i]
        assert int(mine["month"].max()) <= len(plan)
        if basis == "contractual":  # (a plan of a few fen may end in months of 0: the loan is clear)
            assert mine["payment"].tolist() == pytest.approx(plan[: len(mine)].tolist(), abs=1e-9)
            assert plan[len(mine):].sum() == 0
        else:
            assert (mine["due"].to_numpy() <= plan[: len(mine)] + 1e-9).all()


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


@given(st.lists(st.integers(0, 10_000), min_size=1, max_size=16), st.floats(0, 1), st.data())
def test_pro_rata_split_is_the_same_in_plain_floats_and_in_numpy(weights, frac, data):
    import lib.payoff as payoff

    w = np.array(weights, dtype=float)
    total = float(math.floor(frac * w.sum()))
    few = payoff._split(w, total)  # few loans: plain floats
    padded = np.concatenate([w, np.zeros(payoff._FEW)])  # many: the numpy path (zero weights get nothing)
    many = payoff._split(padded, total)[: len(w)]
    assert few.tolist() == many.tolist()
    assert few.sum() == total and (few <= w).all()
