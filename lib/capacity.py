"""What the borrower can really pay each month, and how that compares with what is due.

The article's first step: know your own capacity before you call any lender. A monthly
amount for debts = (income − essential spending − other obligations) × the share of the
surplus the borrower chooses to put into debts; one-off cash above the emergency reserve
is paid in month 1.

>>> c = Capacity(income=12000, essentials=5000, obligations=1500, share=0.9, cash=8000, reserve=5000)
>>> c.monthly   # (12,000 − 5,000 − 1,500) × 0.9
4950.0
>>> c.lump_sum  # 8,000 cash − 5,000 kept as reserve
3000.0
>>> c.budget_changes()  # no income change
{}
>>> Capacity(income=12000, essentials=5000, change_month=7, change_income=8000).budget_changes()
{7: 3000.0}
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

import pandas as pd

from lib.breakdown import Totals

if TYPE_CHECKING:
    from lib.payoff import Book, PayoffResult


@dataclass(frozen=True)
class Capacity:
    income: float = 0.0  # monthly take-home income (税后月收入)
    essentials: float = 0.0  # rent, food, transport, children … (必要开支)
    obligations: float = 0.0  # other fixed obligations not in the loan list (其他固定支出)
    share: float = 1.0  # share of the surplus that goes to debts, 0–1
    cash: float = 0.0  # one-off cash available now (可动用的一次性资金)
    reserve: float = 0.0  # emergency reserve to keep out of that cash (应急储备)
    change_month: int | None = None  # income changes from this month (1 = now) …
    change_income: float | None = None  # … to this monthly income

    @staticmethod
    def _for_debts(income: float, essentials: float, obligations: float, share: float) -> float:
        return round(max(0.0, income - essentials - obligations) * min(max(share, 0.0), 1.0), 2)

    @property
    def monthly(self) -> float:
        """The monthly amount for debts now."""
        return self._for_debts(self.income, self.essentials, self.obligations, self.share)

    @property
    def lump_sum(self) -> float:
        return round(max(0.0, float(self.cash) - float(self.reserve)), 2)

    def lump_sums(self) -> dict[int, float]:
        return {1: self.lump_sum} if self.lump_sum > 0 else {}

    def budget_changes(self) -> dict[int, float]:
        """``{month: new monthly amount}`` when the income changes (new job, lost income)."""
        if self.change_month is None or self.change_income is None or self.change_month < 1:
            return {}
        return {int(self.change_month): self._for_debts(self.change_income, self.essentials,
                                                        self.obligations, self.share)}

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Position:
    """Capacity against what the contracts ask for now."""

    capacity: float  # monthly amount for debts
    due_now: float  # sum of contract instalments next month
    arrears: float  # already past due
    gap: float  # capacity − due_now: negative = shortfall
    debt_to_income: float | None  # due_now / income (None without an income)


def position(tot: Totals, cap: Capacity) -> Position:
    """Where the borrower stands this month, from the loans' :func:`lib.breakdown.totals`
    (which do not change while the capacity sliders move).

    >>> from lib.breakdown import totals
    >>> from lib.loans import make_loans
    >>> loans = make_loans([{"lender": "A", "balance": 12000, "annual_rate": 0.0, "remaining_months": 12}])
    >>> position(totals(loans), Capacity(income=5000, essentials=4500))
    Position(capacity=500.0, due_now=1000.0, arrears=0.0, gap=-500.0, debt_to_income=0.2)
    """
    dti = round(tot.monthly_due / cap.income, 4) if cap.income > 0 else None
    return Position(cap.monthly, tot.monthly_due, tot.overdue_amount, round(cap.monthly - tot.monthly_due, 2),
                    dti)


@dataclass(frozen=True)
class Arrears:
    """What a plan does to the arrears (from :func:`arrears_outlook`)."""

    now: float  # already past due at the start
    need_now: float  # this month's dues: what the contracts ask plus what is already overdue
    months: int | None  # the last month still ending in arrears (0: none ever); None: never cleared in the plan
    penalty: float  # penalty interest charged over the plan
    peak: float  # the most in arrears at the end of any month


def arrears_outlook(result, overdue_now: float) -> Arrears:
    """How long the arrears last at this budget, and what they cost, from a plan's monthly table
    (``overdue`` after each month, ``due`` and ``penalty_accrued``).

    >>> from lib.loans import make_loans
    >>> from lib.payoff import simulate
    >>> loans = make_loans([{"lender": "A", "balance": 3000, "annual_rate": 0.0, "remaining_months": 2,
    ...                      "overdue_amount": 1000}])  # 1,000 overdue, then 1,000 a month falls due
    >>> arrears_outlook(simulate(loans, 1500), 1000.0)  # month 1: 2,000 due, 500 short; month 2: the 1,500 left
    Arrears(now=1000.0, need_now=2000.0, months=1, penalty=0.0, peak=500.0)
    """
    m = result.monthly
    od = m["overdue"].to_numpy() if len(m) else []
    late = [i for i, x in enumerate(od) if x > 0.005]
    if not late:
        months = 0
    elif result.finishes or od[-1] <= 0.005:
        months = int(m["month"].iloc[late[-1]])
    else:
        months = None
    return Arrears(round(overdue_now, 2), float(m["due"].iloc[0]) if len(m) else 0.0, months,
                   result.total_penalty, round(float(max(od, default=0.0)), 2))


REFUSABLE_MONTHS = 12  # the capacity page names what can be refused over the next year (the fit horizon)


def charges_by_basis(loans: pd.DataFrame | Book, cap: Capacity, months: int, *, strategy: str = "avalanche",
                     penalty_multiple: float = 1.5, order: list[str] | None = None,
                     known: Mapping[str, PayoffResult] | None = None) -> dict[str, float]:
    """Interest, penalty and fees charged over the first ``months`` months of the plan, under each
    basis (:data:`lib.payoff.BASES`): what can be enforced, and the lender's contractual claim.
    Where they differ, the difference is what the borrower can refuse to pay. ``known``: plans
    already run (basis → result); one whose monthly table covers ``months`` months is not run again.

    >>> from lib.loans import make_loans
    >>> loans = make_loans([{"lender": "A", "balance": 10000, "annual_rate": 0.24, "remaining_months": 0,
    ...                      "overdue_amount": 10000}])  # all of it overdue, nothing paid for a year
    >>> charges_by_basis(loans, Capacity(), 12)  # 12 × 2 % × 10,000; 10,000 × (1.03**12 − 1) by the fen
    {'enforceable': 2400.0, 'contractual': 4257.61}
    """
    from lib.payoff import BASES, simulate

    def charged(basis: str) -> float:
        r = (known or {}).get(basis)
        if r is not None and (len(r.monthly) >= months or r.finishes and len(r.monthly) == r.months_simulated):
            m = r.monthly.iloc[:months]
            return round(float((m["interest_accrued"] + m["penalty_accrued"] + m["fees_accrued"]).sum()), 2)
        r = simulate(loans, cap.monthly, strategy, penalty_multiple=penalty_multiple, lump_sums=cap.lump_sums(),
                     budget_changes=cap.budget_changes(), order=order, target_months=None, detail=False,
                     horizon=max(int(months), 1), give_up=False, basis=basis)
        return round(r.total_interest + r.total_penalty + r.total_fees, 2)

    return {b: charged(b) for b in BASES}


def leftover_never_used(result) -> bool:
    """True when no month of the plan had money left after its dues (except to finish it).

    Strategies only direct that leftover, so then every strategy gives this same result and
    the comparison needs no further simulation.
    """
    budget, due, owed = (result.monthly[c].to_numpy() for c in ("budget", "due", "owed"))
    return bool(((budget <= due + 0.005) | (owed <= 0)).all())


def strategy_table(loans: pd.DataFrame | Book, cap: Capacity, *, penalty_multiple: float = 1.5,
                   order: list[str] | None = None, base=None, basis: str = "enforceable") -> pd.DataFrame:
    """Every strategy under the same capacity: months to debt-free, interest, penalty, total paid.

    ``months`` is None for a plan that never finishes. The custom strategy is included
    only when an ``order`` is given. ``base`` — a :class:`lib.payoff.PayoffResult` already
    computed for one strategy under this capacity — is reused, and spares every other run
    when its leftover was never used (see :func:`leftover_never_used`).
    """
    from lib.payoff import STRATEGIES, simulate

    rows = []
    same_for_all = base is not None and leftover_never_used(base)
    for s in STRATEGIES:
        if s == "custom" and not order:
            continue
        if base is not None and (s == base.strategy or same_for_all):
            r = base
        else:
            r = simulate(loans, cap.monthly, s, penalty_multiple=penalty_multiple, lump_sums=cap.lump_sums(),
                         budget_changes=cap.budget_changes(), order=order, target_months=None, detail=False,
                         basis=basis)
        rows.append({"strategy": s, "months": r.months_to_debt_free, "interest": r.total_interest,
                     "penalty": r.total_penalty, "fees": r.total_fees, "total_paid": r.total_paid})
    return pd.DataFrame(rows)
