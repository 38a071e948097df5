"""Per-loan contract arithmetic: the instalment a contract asks for, by repayment method.

Sources: the five repayment methods of DESIGN.md §3 (等额本息, 等额本金, 先息后本,
一次性还本付息, flat-fee instalments charged on the original principal).

* :func:`contract_payment` — next month's instalment;
* :func:`contract_schedule` — the month-by-month plan (还款计划表) of a contract;
* :func:`loan_cashflows` — one loan's cash flows for the real-APR calculation
  (:func:`lib.rates.loan_apr`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import numpy_financial as npf
import pandas as pd

from lib.loans import ANNUITY, BULLET, EQUAL_PRINCIPAL, FLAT_FEE, INTEREST_ONLY


def _known(x: float | None) -> bool:
    return x is not None and not (isinstance(x, float) and math.isnan(x))


def _text(x: Any, default: str = "") -> str:
    """A string field of a row; ``default`` for None/NA/NaN/empty."""
    if x is None or x is pd.NA or (isinstance(x, float) and math.isnan(x)) or str(x) == "":
        return default
    return str(x)


def _positive(x: Any) -> bool:
    """True for a number that is present (not None/NaN/NA) and > 0."""
    if x is None or x is pd.NA:
        return False
    try:
        v = float(x)
    except (TypeError, ValueError):
        return False
    return not math.isnan(v) and v > 0


def contract_payment(
    balance: float,
    annual_rate: float,
    remaining_months: int,
    method: str,
    *,
    principal_amount: float | None = None,
    term_months: float | None = None,
) -> float:
    """The payment the contract asks for next month, rounded to the fen.

    * annuity (等额本息): ``pmt(r/12, n, -balance)``;
    * equal principal (等额本金): ``balance/n + balance·r/12`` (the first, largest one);
    * interest only (先息后本): ``balance·r/12`` (the principal comes in the last month);
    * bullet (一次性还本付息): nothing until the last month, then ``balance·(1 + r·n/12)``;
    * flat fee: ``balance/n`` plus ``r/12`` of the *original* principal (the balance
      when the original is unknown).

    >>> contract_payment(100000, 0.12, 12, "annuity")  # npf.pmt(0.01, 12, -100000)
    8884.88
    >>> contract_payment(12000, 0.12, 12, "flat_fee")  # 1000 principal + 120 fee
    1120.0
    >>> contract_payment(12000, 0.12, 12, "equal_principal")
    1120.0
    >>> contract_payment(12000, 0.12, 12, "interest_only"), contract_payment(12000, 0.12, 12, "bullet")
    (120.0, 0.0)
    """
    n = max(int(remaining_months), 1)
    r = annual_rate / 12.0
    if method == ANNUITY:
        pay = balance / n if r == 0 else float(npf.pmt(r, n, -balance))
    elif method == EQUAL_PRINCIPAL:
        pay = balance / n + balance * r
    elif method == INTEREST_ONLY:
        pay = balance * r + (balance if n == 1 else 0.0)
    elif method == BULLET:
        pay = balance * (1 + r * n) if n == 1 else 0.0
    elif method == FLAT_FEE:
        base = principal_amount if _known(principal_amount) and principal_amount > 0 else balance
        pay = balance / n + base * r
    else:
        raise ValueError(f"unknown repayment method {method!r}")
    return round(pay, 2)


SCHEDULE_COLUMNS = ("month", "payment", "interest", "principal", "balance")


def _fen(x: np.ndarray) -> np.ndarray:
    return np.round(x.astype("float64"), 2) + 0.0  # + 0.0 turns -0.0 into 0.0


def _even_split(amount: float, n: int) -> np.ndarray:
    """``amount/n`` rounded to the fen each month, the last month taking the residue.

    Rounded down instead when rounding up would overdraw the last month.

    >>> _even_split(10000, 3).tolist(), _even_split(0.06, 8).tolist()
    ([3333.33, 3333.33, 3333.34], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.06])
    """
    share = round(amount / n, 2)
    if share * (n - 1) > amount:
        share = math.floor(amount / n * 100) / 100
    out = np.full(n, share)
    out[-1] = round(amount - share * (n - 1), 2)
    return out


def contract_schedule(
    balance: float,
    annual_rate: float,
    remaining_months: int,
    method: str,
    *,
    principal_amount: float | None = None,
    term_months: float | None = None,
) -> pd.DataFrame:
    """The month-by-month plan (还款计划表) of a contract, every figure in fen.

    Columns: ``month`` (1..n), ``payment``, ``interest`` (for ``flat_fee`` the fee),
    ``principal`` and ``balance`` (the principal left *after* the payment). In every
    row ``payment == interest + principal``; ``principal`` sums to the starting
    balance exactly (the last row takes the rounding residue). ``n`` is
    ``max(remaining_months, 1)`` as in :func:`contract_payment`; the first payment
    is :func:`contract_payment` (up to a fen where that rounds a sum the schedule
    rounds in parts).

    * annuity (等额本息): the rounded instalment ``pmt(r/12, n, -balance)`` each month;
      the interest column is the exact annuity interest (``npf.ipmt``) with its running
      total rounded to the fen, so total interest equals ``n·pmt − balance`` to the fen;
      the last instalment settles what is left (within half a fen per month of the others);
    * equal principal (等额本金): ``balance/n`` principal plus ``r/12`` on the balance;
    * interest only (先息后本): ``balance·r/12`` a month, the principal in the last month;
    * bullet (一次性还本付息): simple interest, ``balance·(1 + r·n/12)`` in the last month;
    * flat fee: ``balance/n`` principal plus ``r/12`` × the original principal
      (``principal_amount`` when known, else ``balance``) every month.

    ``term_months`` is accepted for symmetry with :func:`contract_payment` and unused.

    >>> s = contract_schedule(12000, 0.12, 12, "equal_principal")
    >>> s["payment"].iloc[[0, -1]].tolist(), float(s["interest"].sum())
    ([1120.0, 1010.0], 780.0)
    >>> s = contract_schedule(100000, 0.12, 12, "annuity")
    >>> s.loc[0, ["payment", "interest", "principal", "balance"]].tolist()
    [8884.88, 1000.0, 7884.88, 92115.12]
    >>> round(float(s["interest"].sum()), 2)  # 12 × 8884.8788… − 100000
    6618.55
    >>> float(s["payment"].iloc[-1])  # 106618.55 − 11 × 8884.88: the last one settles the fen
    8884.87
    >>> contract_schedule(10000, 0.12, 3, "bullet")["payment"].tolist()
    [0.0, 0.0, 10300.0]
    >>> contract_schedule(3000, 0.072, 3, "flat_fee", principal_amount=12000)["payment"].tolist()
    [1072.0, 1072.0, 1072.0]
    """
    del term_months  # the remaining plan does not depend on the original term
    if balance < 0 or math.isnan(balance):
        raise ValueError(f"balance must be a non-negative amount, got {balance!r}")
    n = max(int(remaining_months), 1)
    r = annual_rate / 12.0
    bal0 = round(float(balance), 2)
    months = np.arange(1, n + 1)
    zeros = np.zeros(n)

    if method == ANNUITY:
        if r == 0:
            exact_interest, exact_pmt = zeros, bal0 / n
        else:  # pmt and r × the exact balance before month k (= npf.pmt, npf.ipmt), stable for tiny r
            lg = math.log1p(r)
            exact_pmt = bal0 * r / -math.expm1(-n * lg)
            grown = np.expm1((months - 1) * lg)  # (1 + r)**(k − 1) − 1
            exact_interest = r * bal0 * (1 + grown) - exact_pmt * grown
        interest = _fen(np.diff(np.concatenate([[0.0], _fen(np.cumsum(exact_interest))])))
        pay = round(exact_pmt, 2)
        principal = np.empty(n)
        left = bal0
        for k in range(n - 1):  # a month depends on the last: clamp to what is left
            p = min(max(round(pay - interest[k], 2), 0.0), left)
            principal[k] = p
            left = round(left - p, 2)
        principal[-1] = left
    elif method == EQUAL_PRINCIPAL:
        principal = _even_split(bal0, n)
        before = bal0 - np.concatenate([[0.0], np.cumsum(principal)[:-1]])
        interest = _fen(before * r)
    elif method == INTEREST_ONLY:
        interest = np.full(n, round(bal0 * r, 2))
        principal = zeros.copy()
        principal[-1] = bal0
    elif method == BULLET:
        interest = zeros.copy()
        interest[-1] = round(bal0 * r * n, 2)
        principal = zeros.copy()
        principal[-1] = bal0
    elif method == FLAT_FEE:
        base = principal_amount if _known(principal_amount) and principal_amount > 0 else bal0
        interest = np.full(n, round(base * r, 2))
        principal = _even_split(bal0, n)
    else:
        raise ValueError(f"unknown repayment method {method!r}")

    principal = _fen(principal)
    interest = _fen(interest)
    return pd.DataFrame(
        {
            "month": months.astype("int64"),
            "payment": _fen(interest + principal),
            "interest": interest,
            "principal": principal,
            "balance": _fen(bal0 - np.cumsum(principal)),
        }
    )


def loan_cashflows(row: Mapping[str, Any]) -> tuple[float, list[float]]:
    """Money received at month 0 and the monthly payments of one loan-table row.

    These are the cash flows of the real APR (实际年化利率, IRR method, PBoC
    announcement 〔2021〕第3号, see :mod:`lib.rates`). The rule:

    1. **Contract known** — ``principal_amount`` and ``term_months`` both present and
       > 0: use the whole contract. Received = ``received`` (到手金额, after any fee
       deducted up front) when present, else ``principal_amount``. Payments = the
       :func:`contract_schedule` of ``principal_amount`` over ``term_months`` — except
       that for annuity and flat-fee loans a stated ``monthly_payment`` wins for every
       instalment (the user's 月供 carries fees the rate does not show).
    2. **Contract unknown** — use the remaining plan: received = ``balance``; payments
       = ``monthly_payment`` × ``remaining_months`` for annuity and flat-fee loans when
       ``monthly_payment`` is present, else the :func:`contract_schedule` payments.

    "Present" means not missing and > 0. A ``monthly_payment`` that the reader derived
    (listed in ``derived``) is not "stated": it only restates the rate.

    >>> row = {"balance": 8000.0, "annual_rate": 0.12, "method": "flat_fee",
    ...        "remaining_months": 8, "monthly_payment": float("nan"),
    ...        "principal_amount": 12000.0, "term_months": 12.0, "received": float("nan")}
    >>> received, payments = loan_cashflows(row)  # 1000 principal + 120 fee, 12 times
    >>> received, len(payments), payments[0]
    (12000.0, 12, 1120.0)
    >>> received, payments = loan_cashflows({**row, "principal_amount": float("nan")})
    >>> received, len(payments), payments[0]  # 8000/8 + 0.01 × 8000: the fee base is unknown
    (8000.0, 8, 1080.0)
    """
    method = _text(row.get("method"), ANNUITY)
    rate = float(row.get("annual_rate", 0.0))
    stated = "monthly_payment" not in str(row.get("derived") or "").split(",")
    pay_given = stated and _positive(row.get("monthly_payment")) and method in (ANNUITY, FLAT_FEE)
    principal = row.get("principal_amount")
    term = row.get("term_months")
    if _positive(principal) and _positive(term):
        principal = float(principal)
        n = int(float(term))
        received = float(row["received"]) if _positive(row.get("received")) else principal
        if pay_given:
            return received, [float(row["monthly_payment"])] * max(n, 1)
        plan = contract_schedule(principal, rate, n, method, principal_amount=principal)
        return received, plan["payment"].tolist()
    balance = float(row["balance"])
    n = int(row.get("remaining_months", 1))
    if pay_given:
        return balance, [float(row["monthly_payment"])] * max(n, 1)
    plan = contract_schedule(
        balance, rate, n, method,
        principal_amount=float(principal) if _positive(principal) else None,
    )
    return balance, plan["payment"].tolist()
