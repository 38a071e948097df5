"""Hand computations shared by the tests: written out plainly, independent of lib."""

from __future__ import annotations

import numpy_financial as npf


def bank_annuity(principal: float, annual: float, n: int) -> tuple[float, list[float], list[float]]:
    """A bank's 等额本息 plan written out, in whole fen: the instalment is npf.pmt rounded to the
    fen (one fen more if that would leave a last payment above it); each month's interest is the
    balance × r rounded to the fen; the last month pays what is left.
    Returns (instalment, payments, interest) in CNY."""
    r = annual / 12
    exact = -float(npf.pmt(r, n, principal)) * 100
    for pay in (round(exact), round(exact) + 1):
        left, pays, ints = round(principal * 100), [], []
        for k in range(n):
            i = round(left * r)
            p = left if k == n - 1 else min(max(pay - i, 0), left)
            left -= p
            pays.append((p + i) / 100)
            ints.append(i / 100)
        if pays[-1] * 100 <= pay + 1e-6:
            return pay / 100, pays, ints
    raise AssertionError("one fen more always suffices")
