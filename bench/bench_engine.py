"""Time the payoff engine against a plain per-loan Python loop of the same rules.

    python bench/bench_engine.py [--loans 10000] [--months 120] [--ref-loans 500] [--repeat 5]

A seeded random portfolio (every repayment method, some arrears, accrued interest and fees)
gets the budget that clears it in exactly ``--months`` months (lib.payoff.budget_needed, not
timed), so the plan runs the full term. ``simulate`` is timed best of ``--repeat``.

The reference is ``_reference_simulate`` from tests/test_payoff.py — the loop the property
tests prove equal to the engine, to the fen. It is run on a subset of ``--ref-loans`` loans
(the first ones, with the budget scaled by their share of the debt), checked against the engine
on that subset, and its time scaled linearly by loan-months (schedule rows) to the full
portfolio. Its per-month sort is O(n log n), so linear scaling flatters the reference slightly.
Targets (issue 3): engine <= 0.5 s and >= 50x the reference at 10,000 loans x 120 months.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lib.loans import METHODS, conform  # noqa: E402
from lib.payoff import budget_needed, simulate  # noqa: E402


def portfolio(n: int, months: int, seed: int = 20240) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    balance = np.round(np.exp(rng.uniform(np.log(500), np.log(200_000), n)), 2)
    rate = rng.choice([0.0, 0.036, 0.0799, 0.12, 0.18, 0.24, 0.36], n)
    behind = rng.random(n) < 0.2  # a fifth of the loans are in arrears
    interest = np.where(behind, np.round(balance * rate / 12 * rng.integers(1, 4, n), 2), 0.0)
    df = pd.DataFrame({
        "lender": [f"贷款{i:05d}" for i in range(n)],
        "balance": balance,
        "annual_rate": rate,
        "method": rng.choice(METHODS, n, p=[0.45, 0.2, 0.15, 0.05, 0.15]),
        # terms of half to three times the plan: contract dues stay mostly below the budget, so
        # most months pay every due and send the leftover down the avalanche; balloons
        # (先息后本, bullet) and the loans already behind make the other months short.
        "remaining_months": rng.integers(max(months // 2, 1), 3 * months + 1, n),
        "interest": interest,
        "penalty": np.where(behind, np.round(interest * 0.3, 2), 0.0),
        "fees": np.where(rng.random(n) < 0.1, np.round(rng.uniform(0, 500, n), 2), 0.0),
    })
    df["overdue_amount"] = np.where(behind, np.round(df["interest"] + df["penalty"] + balance * 0.05, 2), 0.0)
    df["principal_amount"] = np.where(df["method"] == "flat_fee", np.round(balance * 1.25, 2), np.nan)
    df["monthly_payment"] = np.nan  # the engine re-derives instalments from the state
    return conform(df)


def load_reference():
    spec = importlib.util.spec_from_file_location("test_payoff", ROOT / "tests" / "test_payoff.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module._reference_simulate


def best_of(repeat: int, fn):
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return min(times), result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--loans", type=int, default=10_000)
    ap.add_argument("--months", type=int, default=120)
    ap.add_argument("--ref-loans", type=int, default=500, help="loans the reference loop runs on")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--ref-repeat", type=int, default=3)
    ap.add_argument("--strategy", default="avalanche")
    args = ap.parse_args()

    loans = portfolio(args.loans, args.months)
    owed = loans[["balance", "interest", "penalty", "fees"]].to_numpy().sum()
    t0 = time.perf_counter()
    budget = budget_needed(loans, args.months, args.strategy)
    t_need = time.perf_counter() - t0

    t_engine, res = best_of(args.repeat, lambda: simulate(loans, budget, args.strategy, horizon=args.months))
    assert res.finishes, "the budget from budget_needed must clear the portfolio"

    k = min(args.ref_loans, args.loans)
    sub = loans.iloc[:k].reset_index(drop=True)
    sub_budget = round(budget * float(sub[["balance", "interest", "penalty", "fees"]].to_numpy().sum()) / owed, 2)
    reference = load_reference()
    t_ref_sub, ref = best_of(args.ref_repeat, lambda: reference(sub, sub_budget, args.strategy, horizon=args.months))
    check = simulate(sub, sub_budget, args.strategy, horizon=args.months, target_months=None)
    same = check.months_to_debt_free == ref["months"] and round(check.total_paid * 100) == ref["paid"] \
        and len(check.schedule) == len(ref["rows"])
    t_ref = t_ref_sub * len(res.schedule) / max(len(ref["rows"]), 1)

    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
          f"Python {platform.python_version()}, numpy {np.__version__}, pandas {pd.__version__}")
    print(f"portfolio: {args.loans:,} loans (seeded), strategy {args.strategy}, budget ¥{budget:,.2f}/month "
          f"= budget_needed(loans, {args.months}) [search took {t_need:.2f} s, not timed]")
    short = int((res.monthly["shortfall"] > 0).sum())
    print(f"plan: {res.months_to_debt_free} months ({short} short of the dues, {len(res.monthly) - short} with "
          f"leftover for the strategy), {len(res.schedule):,} schedule rows (loan-months), "
          f"total paid ¥{res.total_paid:,.2f}")
    print(f"engine  simulate(): {t_engine:.3f} s  (best of {args.repeat}, schedule DataFrame included)")
    print(f"reference loop:     {t_ref:.2f} s  (estimated: {t_ref_sub:.2f} s, best of {args.ref_repeat}, on the first {k} loans, "
          f"{len(ref['rows']):,} loan-months, scaled linearly by loan-months; same result as the "
          f"engine on that subset: {'yes' if same else 'NO'})")
    print(f"speed-up:           {t_ref / t_engine:.0f}x  (targets: engine <= 0.5 s, >= 50x)")


if __name__ == "__main__":
    main()
