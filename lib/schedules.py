"""Per-loan contract arithmetic: the instalment a contract asks for, by repayment method.

Sources: the five repayment methods of docs/model.md (等额本息, 等额本金, 先息后本,
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


def annuity_instalment(balance: Any, monthly_rate: Any, months: Any) -> np.ndarray:
    """The contract instalment of annuity loans (等额本息), in whole fen, one per loan.

    The annuity payment ``pmt(r, n, balance)`` rounded to the fen — or one fen more when, with
    each month's interest rounded to the fen as lenders do, the last payment would otherwise
    come out above it. So the instalment stays the same every month and the last one settles
    the rounding *downwards*: a budget equal to the instalment always clears the loan on time.

    Why one fen is always enough: with ``P >= pmt + ½ fen`` each month repays at least the exact
    annuity's principal at that balance (``P − round(b·r) >= pmt − b·r``), so the balance never
    runs above the exact annuity's, and the last payment ``b + round(b·r)`` is at most
    ``pmt + ½ fen <= P``.

    ``balance`` in fen, ``monthly_rate`` = annual rate / 12, ``months`` >= 1 (arrays or scalars).
    At 0 % it is the balance split in whole fen rounded up (:func:`front_split`).

    >>> annuity_instalment(10_000_000, 0.01, 12).tolist()  # npf.pmt(0.01, 12, -100000) = 8884.8788
    [888488.0]
    >>> annuity_instalment(100_000, 0.01, 24).tolist()  # pmt 47.0735: 47.07 would leave 47.15 last
    [4708.0]
    >>> annuity_instalment([100_000, 100_000], [0.0, 0.01], [3, 24]).tolist()
    [33334.0, 4708.0]
    """
    bal, r, n = np.broadcast_arrays(*(np.asarray(x, dtype=np.float64) for x in (balance, monthly_rate, months)))
    bal, r, n = bal.ravel(), r.ravel(), np.maximum(n.ravel(), 1.0)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        exact = np.where(r > 0, bal * r / -np.expm1(-n * np.log1p(r)), bal / n)
    pay = np.where(r > 0, np.rint(exact), np.ceil(np.round(exact, 6)))
    if len(bal) == 1:  # one loan (a table row): plain floats are faster than arrays of one
        pay[0] += _last_above(float(bal[0]), float(r[0]), int(n[0]), float(pay[0]))
        return pay
    b = bal.copy()
    for k in range(1, int(n.max()) if len(n) else 0):  # months 1 … n − 1 of each loan
        on = (k < n) & (r > 0)
        if not on.any():
            break
        b = np.where(on, b - np.minimum(np.maximum(pay - np.rint(b * r), 0.0), b), b)
    return pay + ((r > 0) & (b + np.rint(b * r) > pay))


def _last_above(b: float, r: float, n: int, pay: float) -> bool:
    """Whether the last payment of an annuity of ``pay`` fen a month on ``b`` fen exceeds it."""
    if r <= 0:
        return False
    for _ in range(n - 1):
        b -= min(max(pay - round(b * r), 0.0), b)
    return b + round(b * r) > pay


def front_split(amount: float, n: int) -> np.ndarray:
    """``amount`` fen in ``n`` monthly parts of whole fen: the equal share rounded *up* each month
    until the money runs out, so that no part (the last included) is above the first.

    >>> front_split(1_000_000, 3).tolist(), front_split(6, 8).tolist()
    ([333334.0, 333334.0, 333332.0], [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.0, 0.0])
    """
    n = max(int(n), 1)
    share = math.ceil(round(amount / n, 6))
    return np.diff(np.minimum(np.arange(0, n + 1) * float(share), amount))


def carried_interest(amount: float, n: int) -> float:
    """The sum of ``n`` monthly accruals of ``amount`` fen, each rounded to the fen with the
    sub-fen remainder carried to the next month (as the payoff engine accrues a bullet loan's
    interest): ``n·amount`` within half a fen.

    >>> carried_interest(33.3, 3), carried_interest(0.4, 3)
    (100.0, 1.0)
    """
    total, carry = 0.0, 0.0
    for _ in range(max(int(n), 1)):
        x = amount + carry
        total += round(x)
        carry = x - round(x)
    return total


def _plan_fen(balance: float, annual_rate: float, remaining_months: int, method: str,
              principal_amount: float | None, rows: int | None = None) -> tuple[np.ndarray, np.ndarray, float]:
    """(interest, principal, balance) of a contract in fen: the first ``rows`` months (all when None)."""
    if balance < 0 or math.isnan(balance):
        raise ValueError(f"balance must be a non-negative amount, got {balance!r}")
    n = max(int(remaining_months), 1)
    keep = n if rows is None else min(max(int(rows), 1), n)
    r = annual_rate / 12.0
    b = float(round(float(balance) * 100.0))
    interest = np.zeros(keep)
    if method == ANNUITY and r > 0:
        pay = float(annuity_instalment(b, r, n)[0])
        principal = np.zeros(keep)
        left = b
        for k in range(keep):  # a month depends on the last
            interest[k] = round(left * r)
            principal[k] = left if k == n - 1 else min(max(pay - interest[k], 0.0), left)
            left -= principal[k]
    elif method in (ANNUITY, EQUAL_PRINCIPAL, FLAT_FEE):
        principal = front_split(b, n)[:keep]
        before = b - np.concatenate([[0.0], np.cumsum(principal)[:-1]])  # owed at the start of each month
        if method == FLAT_FEE:  # (charged while principal is owed: a few fen may be repaid early)
            base = principal_amount if _known(principal_amount) and principal_amount > 0 else balance
            interest = np.where(before > 0, round(round(float(base) * 100.0) * r), 0.0)
        elif method == EQUAL_PRINCIPAL:
            interest = np.rint(before * r)
    elif method in (INTEREST_ONLY, BULLET):
        principal = np.zeros(keep)
        if keep == n:
            principal[-1] = b
        if method == INTEREST_ONLY:
            interest[:] = round(b * r)
        elif keep == n:
            interest[-1] = carried_interest(b * r, n)
    else:
        raise ValueError(f"unknown repayment method {method!r}")
    return interest, principal, b


def contract_payment(
    balance: float,
    annual_rate: float,
    remaining_months: int,
    method: str,
    *,
    principal_amount: float | None = None,
    term_months: float | None = None,
) -> float:
    """The payment the contract asks for next month, in CNY: the first row of
    :func:`contract_schedule`, and what the payoff engine asks in month 1 of a loan on schedule.

    * annuity (等额本息): :func:`annuity_instalment` — ``pmt(r/12, n, balance)`` rounded to the
      fen, or a fen more when that would leave a last payment above it;
    * equal principal (等额本金): ``balance/n`` rounded up to the fen plus the month's interest
      ``balance·r/12`` rounded to the fen (the first, largest payment);
    * interest only (先息后本): ``balance·r/12`` (the principal comes in the last month);
    * bullet (一次性还本付息): nothing until the last month, then principal and all interest;
    * flat fee: ``balance/n`` rounded up plus ``r/12`` of the *original* principal (the balance
      when the original is unknown).

    ``term_months`` is accepted for symmetry and unused.

    >>> contract_payment(100000, 0.12, 12, "annuity")  # npf.pmt(0.01, 12, -100000) = 8884.8788
    8884.88
    >>> contract_payment(1000, 0.12, 24, "annuity")  # pmt 47.0735; 47.07 would leave 47.15 last
    47.08
    >>> contract_payment(12000, 0.12, 12, "flat_fee")  # 1000 principal + 120 fee
    1120.0
    >>> contract_payment(12000, 0.12, 12, "equal_principal")
    1120.0
    >>> contract_payment(12000, 0.12, 12, "interest_only"), contract_payment(12000, 0.12, 12, "bullet")
    (120.0, 0.0)
    """
    del term_months
    interest, principal, _ = _plan_fen(balance, annual_rate, remaining_months, method, principal_amount, rows=1)
    return round(float(interest[0] + principal[0]) / 100.0, 2)


SCHEDULE_COLUMNS = ("month", "payment", "interest", "principal", "balance")


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
    ``principal`` and ``balance`` (the principal left *after* the payment). In every row
    ``payment == interest + principal``; ``principal`` sums to the starting balance exactly.
    ``n`` is ``max(remaining_months, 1)``. Each month's interest is the balance × r/12 rounded to
    the fen, as lenders compute it. This is the plan the payoff engine follows, to the fen, for a
    loan on schedule, and no payment is above the first except an interest-only or bullet loan's
    last one (the principal):

    * annuity (等额本息): :func:`annuity_instalment` every month; the last one settles what is left;
    * equal principal (等额本金): ``balance/n`` principal rounded up to the fen (the last month
      takes what is left, :func:`front_split`) plus the month's interest on the balance;
    * interest only (先息后本): ``balance·r/12`` a month, the principal in the last month;
    * bullet (一次性还本付息): the monthly interest accrued with its sub-fen remainder carried
      (:func:`carried_interest`), paid with the principal in the last month;
    * flat fee: principal as equal principal, plus ``r/12`` × the original principal
      (``principal_amount`` when known, else ``balance``) every month.

    ``term_months`` is accepted for symmetry with :func:`contract_payment` and unused.

    >>> s = contract_schedule(12000, 0.12, 12, "equal_principal")
    >>> s["payment"].iloc[[0, -1]].tolist(), float(s["interest"].sum())
    ([1120.0, 1010.0], 780.0)
    >>> s = contract_schedule(100000, 0.12, 12, "annuity")
    >>> s.loc[0, ["payment", "interest", "principal", "balance"]].tolist()
    [8884.88, 1000.0, 7884.88, 92115.12]
    >>> round(float(s["interest"].sum()), 2), float(s["payment"].iloc[-1])  # each month rounded: n·pmt − P is 6618.55
    (6618.53, 8884.85)
    >>> contract_schedule(10000, 0.12, 3, "bullet")["payment"].tolist()
    [0.0, 0.0, 10300.0]
    >>> contract_schedule(3000, 0.072, 3, "flat_fee", principal_amount=12000)["payment"].tolist()
    [1072.0, 1072.0, 1072.0]
    """
    del term_months  # the remaining plan does not depend on the original term
    interest, principal, b = _plan_fen(balance, annual_rate, remaining_months, method, principal_amount)
    return pd.DataFrame(
        {
            "month": np.arange(1, len(principal) + 1, dtype="int64"),
            "payment": (interest + principal) / 100.0,
            "interest": interest / 100.0,
            "principal": principal / 100.0,
            "balance": (b - np.cumsum(principal)) / 100.0 + 0.0,
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
