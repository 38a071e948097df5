"""Running a plan through the engine, and judging the result.

:func:`run_plan` applies a plan (:mod:`lib.negotiate.transform`) and pays the whole portfolio
with :func:`lib.payoff.simulate` under the borrower's capacity; a grace period runs the engine in
phases (the state after the grace months becomes a new loan table, in which the loan turns into
its extended contract, and the pieces are joined by :func:`_combine`). :func:`within_capacity`,
:func:`fits_whole_plan` and :func:`plan_apr` judge what came out.

>>> from lib.loans import make_loans
>>> loans = make_loans([{"lender": "A", "balance": 6000, "annual_rate": 0.0, "remaining_months": 6}])
>>> out = run_plan(Option("instalments", instalments_months=12), loans, Capacity(income=500))
>>> out.result.months_to_debt_free, within_capacity(out.result), fits_whole_plan(out.result)
(12, True, True)
>>> within_capacity(run_plan(Option(), loans, Capacity(income=500)).result)  # the contract asks 1,000
False
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import pandas as pd

from lib.capacity import Capacity
from lib.loans import FLAT_FEE, conform
from lib.negotiate.kinds import grace_of
from lib.negotiate.options import LegalLines, Option, Plan
from lib.negotiate.transform import _apply_plan, _as_plan, _columns, _fen, _legal_change, _mask, _rows
from lib.payoff import HORIZON_MONTHS, NEVER_CLEARS, SHORT, Book, PayoffResult, simulate
from lib.rates import irr_apr

FIT_MONTHS: Final = 12  # compare_options' `fits`: every month of the first year within capacity


# --- running a plan through the engine ------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class Outcome:
    """A plan run through the engine: the month-1 loan table, what was waived, the result."""

    loans: pd.DataFrame  # the transformed table (for a grace period: its grace phase)
    waived: pd.Series  # per row, CNY
    result: PayoffResult


@dataclass(frozen=True)
class _Switch:
    """At the end of a grace period, loan ``row`` becomes its contract (:class:`lib.negotiate.kinds.Grace`)."""

    row: int
    method: str
    months: int  # its months left before the option + the grace's ``extend`` (an extension: n + k)
    capitalise: bool  # deferred interest becomes principal


def _switches(plan: dict[int, Option], df: pd.DataFrame, col: dict[str, np.ndarray]) -> dict[int, list[_Switch]]:
    out: dict[int, list[_Switch]] = {}
    for i, opt in plan.items():
        grace = grace_of(opt)
        if grace is None:
            continue
        row = _rows(col, [i])
        if opt.lawful:  # the contract it extends is the one at the legal line
            row = {**row, **_legal_change(row)[0]}
        if not _mask(opt.own, row)[0]:
            continue
        sw = _Switch(i, str(row["method"][0]), int(row["remaining_months"][0]) + grace.extend, grace.capitalise)
        out.setdefault(grace.months, []).append(sw)
    return out


def _state_after(table: pd.DataFrame, res: PayoffResult, months: int, switches: list[_Switch]) -> pd.DataFrame:
    """The loan table after ``months`` months of ``res`` (run on ``table``), switches applied.

    Each category is carried exactly: owed at the start + accrued − paid, in fen.
    """
    s = res.schedule
    n = len(table)
    sums = s.groupby("loan")[["interest_accrued", "interest", "penalty_accrued", "penalty", "fees_accrued",
                              "fees"]].agg(lambda x: float(_fen(x).sum()))
    sums = sums.reindex(range(n), fill_value=0.0)
    last = s[s["month"] == months].set_index("loan").reindex(range(n))
    bal = np.nan_to_num(_fen(last["balance"]), nan=0.0)
    owed = np.nan_to_num(_fen(last["owed"]), nan=0.0)
    od = np.nan_to_num(_fen(last["overdue"]), nan=0.0)
    intr = _fen(table["interest"]) + sums["interest_accrued"].to_numpy() - sums["interest"].to_numpy()
    pen = _fen(table["penalty"]) + sums["penalty_accrued"].to_numpy() - sums["penalty"].to_numpy()
    fee = _fen(table["fees"]) + sums["fees_accrued"].to_numpy() - sums["fees"].to_numpy()
    closed = owed <= 0
    intr, pen, fee = (np.where(closed, 0.0, x) for x in (intr, pen, fee))
    out = table.copy()
    months_left = np.maximum(table["remaining_months"].to_numpy(dtype=np.int64) - months, 0)
    method = table["method"].astype(object).to_numpy().copy()
    for sw in switches:
        i = sw.row
        method[i], months_left[i] = sw.method, sw.months
        if sw.capitalise:  # the not-yet-due interest of the grace period becomes principal
            x = max(owed[i] - od[i] - bal[i], 0.0)
            for part in (intr, pen, fee):
                take = min(x, part[i])
                part[i] -= take
                bal[i] += take
                x -= take
        if method[i] == FLAT_FEE:
            out.loc[i, "principal_amount"] = bal[i] / 100.0
    out["balance"], out["interest"], out["penalty"], out["fees"] = bal / 100, intr / 100, pen / 100, fee / 100
    out["overdue_amount"] = od / 100.0
    out["remaining_months"] = pd.Series(months_left, dtype="int64")
    out["method"] = pd.Series(method, dtype=table["method"].dtype)
    return out


def _shifted(events: Mapping[int, float], offset: int) -> dict[int, float]:
    return {k - offset: v for k, v in events.items() if k > offset}


def _combine(pieces: list[tuple[int, PayoffResult]]) -> PayoffResult:
    """One result from engine runs that follow each other (month offsets first)."""
    first, (off, last) = pieces[0][1], pieces[-1]

    def shift(frame: pd.DataFrame, by: int) -> pd.DataFrame:
        return frame.assign(month=frame["month"] + by)

    def total(name: str) -> float:
        return round(sum(getattr(r, name) for _, r in pieces), 2)

    return PayoffResult(
        strategy=last.strategy,
        months_to_debt_free=None if last.months_to_debt_free is None else off + last.months_to_debt_free,
        finishes=last.finishes,
        reason=last.reason,
        months_simulated=off + last.months_simulated,
        total_paid=total("total_paid"),
        total_interest=total("total_interest"),
        total_penalty=total("total_penalty"),
        total_fees=total("total_fees"),
        initial_owed=first.initial_owed,
        owed_end=last.owed_end,
        budget_end=last.budget_end,
        budget_needed=None,
        target_months=None,
        schedule=pd.concat([shift(r.schedule, o) for o, r in pieces], ignore_index=True),
        monthly=pd.concat([shift(r.monthly, o) for o, r in pieces], ignore_index=True),
    )


def _simulate(table: pd.DataFrame | Book, capacity: Capacity, switches: dict[int, list[_Switch]], *,
              strategy: str, penalty_multiple: float, order: Sequence[str] | None, horizon: int,
              detail: bool | str, extra: float = 0.0, basis: str = "enforceable", stop_short: bool = False,
              give_up: bool = True) -> PayoffResult:
    """The engine on ``table`` under ``capacity`` (+ ``extra`` a month), in phases at grace ends."""
    budget = capacity.monthly + extra
    lumps = capacity.lump_sums()
    changes = {k: v + extra for k, v in capacity.budget_changes().items()}
    kw: dict[str, Any] = {"penalty_multiple": penalty_multiple, "order": order, "target_months": None,
                          "basis": basis, "stop_when_short": stop_short}
    ends = sorted(m for m in switches if m < horizon)
    if not ends:
        return simulate(table, budget, strategy, horizon=horizon, lump_sums=lumps, budget_changes=changes,
                        detail=detail, give_up=give_up, **kw)
    pieces: list[tuple[int, PayoffResult]] = []
    offset = 0
    for end in [*ends, horizon]:
        now = budget
        for k in sorted(changes):
            if k <= offset + 1:
                now = changes[k]
        res = simulate(table, now, strategy, horizon=end - offset, lump_sums=_shifted(lumps, offset),
                       budget_changes={k - offset: v for k, v in changes.items() if k > offset + 1},
                       detail=True, give_up=give_up and end >= horizon, **kw)  # a phase runs to its end
        pieces.append((offset, res))
        if res.finishes or res.reason in (NEVER_CLEARS, SHORT) or end >= horizon:
            break
        table = _state_after(table, res, end - offset, switches.get(end, []))
        offset = end
    return _combine(pieces)


def run_plan(plan: Option | Plan, loans: pd.DataFrame, capacity: Capacity, *, strategy: str = "avalanche",
             penalty_multiple: float = 1.5, order: Sequence[str] | None = None, horizon: int = HORIZON_MONTHS,
             detail: bool | str = True, basis: str = "enforceable", legal: LegalLines | None = None) -> Outcome:
    """Apply ``plan`` (one option for every loan, or one per loan: ``{loan_id: Option}``, see
    :func:`lib.negotiate.transform.apply_plan`) and run the engine under ``capacity`` (its monthly
    amount, lump sum and income change) on ``basis`` (what arrears may grow to,
    :func:`lib.payoff.simulate`). Grace periods are run in phases (module notes); then
    ``schedule``/``monthly`` are always built. ``legal``: :func:`legal_lines` of ``loans``, when
    the caller has them.

    >>> from lib.loans import make_loans
    >>> loans = make_loans([{"lender": "A", "balance": 12000, "annual_rate": 0.12, "remaining_months": 12}])
    >>> cap = Capacity(income=120, change_month=4, change_income=564.89)  # exactly what is due
    >>> out = run_plan(Option("extension", extension_months=12, grace_months=3), loans, cap)
    >>> out.result.monthly["due"].tolist()[:5]  # 3 months of interest, then the 24-month instalment
    [120.0, 120.0, 120.0, 564.89, 564.89]
    >>> out.result.months_to_debt_free, bool(out.result.monthly["due"].iloc[-1] <= 564.89)  # the last settles
    (27, True)
    """
    df = conform(loans)
    chosen = plan if isinstance(plan, Option) else _as_plan(plan, df)
    return _run_plan(chosen, df, capacity, strategy=strategy, penalty_multiple=penalty_multiple, order=order,
                     horizon=horizon, detail=detail, basis=basis, col=_columns(df, legal))


def _run_plan(plan: Option | Mapping[int, Option], df: pd.DataFrame, capacity: Capacity, *, strategy: str,
              penalty_multiple: float, order: Sequence[str] | None, horizon: int, detail: bool | str,
              basis: str = "enforceable", col: dict[str, np.ndarray] | None = None, give_up: bool = True) -> Outcome:
    """:func:`run_plan` on a conformed table, the plan by row position."""
    col = _columns(df) if col is None else col
    chosen = dict.fromkeys(range(len(df)), plan) if isinstance(plan, Option) else dict(plan)
    table, waived = _apply_plan(plan, df, col)
    res = _simulate(table, capacity, _switches(chosen, df, col), strategy=strategy, penalty_multiple=penalty_multiple,
                    order=order, horizon=horizon, detail=detail, basis=basis, give_up=give_up)
    return Outcome(table, waived, res)


# --- judging a plan ----------------------------------------------------------------------------------
def within_capacity(result: PayoffResult, months: int | None = FIT_MONTHS) -> bool:
    """True when, in each of the first ``months`` simulated months (all of them for None), what
    the contracts asked (the engine's ``due``: instalments plus any arrears) was no more than the
    money for debts that month (``budget``: monthly amount, income change and lump sum).

    >>> from lib.loans import make_loans
    >>> loans = make_loans([{"lender": "A", "balance": 1200, "annual_rate": 0.0, "remaining_months": 12}])
    >>> within_capacity(simulate(loans, 100)), within_capacity(simulate(loans, 99.99))
    (True, False)
    """
    due, budget = (result.monthly[c].to_numpy()[:months] for c in ("due", "budget"))  # [:None]: all
    return bool((_fen(due) <= _fen(budget)).all())


def fits_whole_plan(result: PayoffResult) -> bool:
    """Every month within capacity *and* the plan clears (what :func:`what_to_ask` demands)."""
    return result.finishes and within_capacity(result, None)


def plan_apr(received: float, result: PayoffResult) -> float:
    """Real APR (nominal ``12·r``, IRR; :func:`lib.rates.irr_apr`) of a plan: cash flow 0 =
    ``received`` (the total owed before any concession: the money in use), then the engine's
    monthly payments; what is still owed at the end counts as paid in the last month. Negative
    when less than ``received`` is paid back (waivers, settlements); NaN when undefined (nothing
    owed or nothing paid).

    >>> from lib.loans import make_loans
    >>> r = simulate(make_loans([{"lender": "A", "balance": 12000, "annual_rate": 0.12,
    ...                           "remaining_months": 12}]), 1066.19)
    >>> round(plan_apr(12000, r), 4)
    0.12
    """
    flows = result.monthly["paid"].to_numpy(dtype=np.float64).copy()
    if len(flows):
        flows[-1] += result.owed_end
    try:
        return float(irr_apr(received, flows)[0])
    except ValueError:
        return math.nan
