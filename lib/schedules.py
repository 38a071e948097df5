"""Per-loan contract arithmetic: the instalment a contract asks for, by repayment method.

Sources: the five repayment methods of DESIGN.md §3 (等额本息, 等额本金, 先息后本,
一次性还本付息, flat-fee instalments charged on the original principal).
"""

from __future__ import annotations

import math

import numpy_financial as npf

from lib.loans import ANNUITY, BULLET, EQUAL_PRINCIPAL, FLAT_FEE, INTEREST_ONLY


def _known(x: float | None) -> bool:
    return x is not None and not (isinstance(x, float) and math.isnan(x))


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
