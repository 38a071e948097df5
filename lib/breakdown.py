"""What is owed, to whom, at what real cost: the numbers behind the debt-breakdown page.

>>> from lib.loans import make_loans
>>> loans = make_loans([
...     {"lender": "A", "balance": 10000, "annual_rate": 0.18, "remaining_months": 10,
...      "interest": 100, "penalty": 50, "fees": 20, "overdue_days": 35, "overdue_amount": 2100},
...     {"lender": "B", "balance": 5000, "annual_rate": 0.0, "remaining_months": 5}])
>>> tot = totals(loans)
>>> tot.owed, tot.principal, tot.penalty, tot.overdue_loans, tot.overdue_amount
(15170.0, 15000.0, 50.0, 1, 2100.0)
>>> tot.monthly_due  # 1,084.35 (npf.pmt(0.015, 10, -10000) = 1084.3418; 1,084.34 would leave more last) + 1,000
2084.35
>>> by_lender(loans)["owed"].tolist()
[10170.0, 5000.0]
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from lib.loans import owed, unnamed
from lib.rates import apr_table


@dataclass(frozen=True)
class Totals:
    loans: int
    principal: float
    interest: float
    penalty: float
    fees: float
    owed: float  # principal + interest + penalty + fees
    overdue_amount: float  # already inside ``owed``
    overdue_loans: int
    monthly_due: float  # sum of the contract instalments due next month


def totals(loans: pd.DataFrame) -> Totals:
    """Portfolio totals, each rounded to the fen."""

    def s(col: str) -> float:
        return round(float(loans[col].sum()), 2)

    return Totals(
        loans=len(loans),
        principal=s("balance"),
        interest=s("interest"),
        penalty=s("penalty"),
        fees=s("fees"),
        owed=round(float(owed(loans).sum()), 2),
        overdue_amount=s("overdue_amount"),
        overdue_loans=int(((loans["overdue_days"] > 0) | (loans["overdue_amount"] > 0)).sum()),
        monthly_due=s("monthly_payment"),
    )


def by_lender(loans: pd.DataFrame) -> pd.DataFrame:
    """Principal / interest / penalty / fees / owed per lender, largest first.

    Loans that name the same lender are summed; a loan that names none is never summed with
    another (each stays its own row, its lender blank: pages pass :func:`lib.loans.named`
    loans, whose placeholders name it).

    >>> from lib.loans import make_loans
    >>> two = make_loans([{"lender": "", "balance": b, "annual_rate": 0.0, "remaining_months": 1}
    ...                   for b in (300, 200)])
    >>> by_lender(two)[["lender", "owed"]].values.tolist()
    [['', 300.0], ['', 200.0]]
    """
    lender = loans["lender"].fillna("").astype(str)
    blank = unnamed(loans)
    ids = loans["loan_id"].astype(str) if "loan_id" in loans else pd.Series(range(len(loans)), index=loans.index)
    df = pd.DataFrame({
        "key": lender.mask(blank, "\0" + ids.astype(str)),  # (no lender name starts with a NUL)
        "lender": lender,
        "principal": loans["balance"],
        "interest": loans["interest"],
        "penalty": loans["penalty"],
        "fees": loans["fees"],
        "owed": owed(loans),
    })
    out = df.groupby("key", sort=False).agg(
        lender=("lender", "first"), principal=("principal", "sum"), interest=("interest", "sum"),
        penalty=("penalty", "sum"), fees=("fees", "sum"), owed=("owed", "sum")).round(2)
    return out.sort_values("owed", ascending=False, kind="stable").reset_index(drop=True)


def loan_table(loans: pd.DataFrame, lpr_table: pd.DataFrame | None = None) -> pd.DataFrame:
    """The loans with what each owes, its real APR (IRR) and its legal-yardstick flag."""
    out = loans.copy()
    out["owed"] = owed(loans)
    out["is_overdue"] = (loans["overdue_days"] > 0) | (loans["overdue_amount"] > 0)
    return out.join(apr_table(loans, lpr_table))
