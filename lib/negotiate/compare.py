"""The options side by side: each applied portfolio-wide, priced by the engine.

:func:`compare_options` (and :func:`compare_with_results`, which also returns each option's
engine result and reuses what was already priced) gives one row per option, baseline first
(:data:`COMPARE_COLUMNS`); every option's cost is measured over the same months
(:func:`common_window`).

>>> from lib.loans import make_loans
>>> loans = make_loans([{"lender": "A", "balance": 6000, "annual_rate": 0.12, "remaining_months": 6}])
>>> t = compare_options(loans, Capacity(income=600), options=["instalments"], instalments_months=12)
>>> # the contract asks 1,035.30 a month and falls behind; 12 instalments at 0 % ask 500 (the
>>> # other 100 a month pays ahead, so it clears in 10)
>>> t[["option", "fits", "monthly_payment", "months", "total_paid"]].to_dict("records")
[{'option': 'baseline', 'fits': False, 'monthly_payment': 1035.3, 'months': 11, 'total_paid': 6429.88}, {'option': 'instalments', 'fits': True, 'monthly_payment': 500.0, 'months': 10, 'total_paid': 6000.0}]
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping, Sequence
from typing import Any, Final, NamedTuple

import numpy as np
import pandas as pd

from lib.capacity import Capacity
from lib.loans import conform
from lib.loans import owed as owed_now
from lib.negotiate.kinds import OPTION_SPECS, grace_of
from lib.negotiate.options import BASELINE, DEFAULT_OPTIONS, LegalLines, Option
from lib.negotiate.phases import FIT_MONTHS, _run_plan, _simulate, fits_whole_plan, plan_apr, within_capacity
from lib.negotiate.transform import _changed, _columns
from lib.payoff import HORIZON_MONTHS, Book, PayoffResult, prepare

COMPARE_COLUMNS: Final = (
    "option", "fits", "monthly_payment", "months", "total_paid", "saving", "window", "cost_window", "apr",
    "repaid_less", "fits_all", "total_cost", "owed_end", "waived", "total_interest", "total_penalty", "total_fees",
    "loans_changed", "grant_likelihood", "credit_note_key",
)
_COLUMNS_KEY: Final = "__columns__"  # compare_with_results keeps the loans' columns among the outcomes
WINDOW_IF_NONE_CLEARS: Final = 60  # months: the common window when no option clears the debt
WINDOW_MAX: Final = 120  # months: ten years at most (a plan that clears later is measured over ten years)


def _options(options: Sequence[Option | str] | None, params: Mapping[str, Any], legal: bool) -> list[Option]:
    names = set(OPTION_SPECS)
    unknown = sorted(set(params) - names)
    if unknown:
        raise TypeError(f"unknown option parameter(s) {unknown}; choose from {sorted(names)}")

    def made(label: str) -> Option:
        return Option.from_label(label, legal=legal and label != BASELINE, **params)

    opts = [o if isinstance(o, Option) else made(o) for o in (options or DEFAULT_OPTIONS)]
    base = [o for o in opts if o.kind == BASELINE][:1] or [Option()]
    return base + [o for o in opts if o.kind != BASELINE]


def compare_options(loans: pd.DataFrame, capacity: Capacity, **kw: Any) -> pd.DataFrame:
    """The comparison table (see :func:`compare_with_results`, which also returns the plans)."""
    return compare_with_results(loans, capacity, **kw)[0]


class _Priced(NamedTuple):
    """An option priced portfolio-wide (:func:`_price`)."""

    result: PayoffResult
    waived: float  # CNY
    changed: int  # loans it applies to
    book: Book | None  # the changed table read for the engine (None: run in phases, a grace period)


def _price(opt: Option, df: pd.DataFrame, col: dict[str, np.ndarray], capacity: Capacity, **run: Any) -> _Priced:
    """``opt`` applied portfolio-wide and run with monthly detail. Worked on the columns (``col``,
    :func:`_columns` of ``df``), without building the changed table: only a grace period needs it
    (it is run in phases, see :func:`_simulate`)."""
    if grace_of(opt) is not None:
        out = _run_plan(opt, df, capacity, detail="monthly", col=col, **run)
        return _Priced(out.result, round(float(out.waived.sum()), 2), _changed(opt, df, col).changed, None)
    ch = _changed(opt, df, col)
    book = prepare({**ch.read, **ch.new} if ch.new else df)
    res = _simulate(book, capacity, {}, detail="monthly", **run)
    return _Priced(res, round(float(ch.waived.sum()) / 100.0, 2), ch.changed, book)


def _compare_row(opt: Option, r: PayoffResult, waived: float, changed: int, received: float) -> dict[str, Any]:
    """One option's row of the comparison (``option``, ``window``, ``cost_window`` and ``saving``
    are filled in later)."""
    total_cost = round(r.total_paid + r.owed_end, 2)
    return {
        "monthly_payment": float(r.monthly["due"].to_numpy()[0]) if len(r.monthly) else 0.0,
        "months": r.months_to_debt_free,
        "total_paid": r.total_paid,
        "apr": plan_apr(received, r),
        "repaid_less": round(max(received - total_cost, 0.0), 2),
        "fits": within_capacity(r, FIT_MONTHS),
        "fits_all": fits_whole_plan(r),
        "total_cost": total_cost,
        "owed_end": r.owed_end,
        "waived": waived,
        "total_interest": r.total_interest,
        "total_penalty": r.total_penalty,
        "total_fees": r.total_fees,
        "loans_changed": changed,
        "grant_likelihood": opt.grant_likelihood,
        "credit_note_key": opt.credit_note_key,
    }


def _cost_within(r: PayoffResult, months: int) -> float | None:
    """Paid in the first ``months`` months plus what is still owed after them; None when the
    plan stopped before that without clearing (it must be run on to know)."""
    m = r.monthly
    if r.finishes and (r.months_to_debt_free or 0) <= months:
        return r.total_paid
    if r.months_simulated == months:
        return round(r.total_paid + r.owed_end, 2)
    if len(m) < months:
        return None
    return round(float(m["paid"].to_numpy()[:months].sum()) + float(m["owed"].to_numpy()[months - 1]), 2)


def common_window(results: Mapping[str, PayoffResult]) -> int:
    """The months every option's cost is measured over: until the slowest option that clears
    within :data:`WINDOW_MAX` months is clear (so every such plan is seen whole), or
    :data:`WINDOW_IF_NONE_CLEARS` months when none clears that soon.

    >>> from lib.loans import make_loans
    >>> from lib.payoff import simulate
    >>> loans = make_loans([{"lender": "A", "balance": 1200, "annual_rate": 0.0, "remaining_months": 12}])
    >>> common_window({"a": simulate(loans, 100), "b": simulate(loans, 200), "c": simulate(loans, 0)})
    12
    """
    done = [r.months_to_debt_free for r in results.values()
            if r.finishes and r.months_to_debt_free and r.months_to_debt_free <= WINDOW_MAX]
    return max(done) if done else WINDOW_IF_NONE_CLEARS


def compare_with_results(loans: pd.DataFrame, capacity: Capacity, *, strategy: str = "avalanche",
                         penalty_multiple: float = 1.5, options: Sequence[Option | str] | None = None,
                         order: Sequence[str] | None = None, horizon: int = HORIZON_MONTHS,
                         outcomes: MutableMapping[Any, Any] | None = None, basis: str = "enforceable",
                         legal: LegalLines | None = None, legal_first: bool = True, **params: Any
                         ) -> tuple[pd.DataFrame, dict[str, PayoffResult]]:
    """Each option applied portfolio-wide (to every loan where it :func:`applies`), run by the
    engine under ``capacity``; one row per option, baseline first (:data:`COMPARE_COLUMNS`).

    ``options``: labels (default :data:`DEFAULT_OPTIONS`) or :class:`Option` objects; ``params``
    override the defaults of options given by label (``instalments_months=48``). Every option
    given by label but the baseline starts from the law (``legal_first``: each loan above its
    legal line is brought down to it first, see :data:`LEGAL`). ``basis``: what arrears may grow
    to (:func:`lib.payoff.simulate`); the baseline is the contract under that basis.

    * ``fits`` — every month of the first :data:`FIT_MONTHS` within capacity
      (:func:`within_capacity`); ``fits_all`` — every month, and the plan finishes;
    * ``monthly_payment`` — what the plan asks in month 1: the engine's ``due`` (contract
      instalments plus arrears and accrued charges that fall due), not the extra the strategy
      pays out of leftover capacity;
    * ``months`` — months until every debt is clear (``<NA>`` when the plan does not finish);
    * ``total_paid`` — paid over the simulation; ``owed_end`` — still owed when it stopped;
      ``total_cost`` = ``total_paid + owed_end``;
    * ``window`` — the common window in months (:func:`common_window`, the same in every row);
      ``cost_window`` — paid within it plus what is still owed after it; ``saving`` = the
      baseline's ``cost_window`` − this one's: every option measured over the same months;
    * ``apr`` — :func:`plan_apr` on the total owed now (before any waiver); it means nothing when
      less than that is paid back: then ``repaid_less`` > 0 is how much less (forgiven);
    * ``waived`` — forgiven in all; ``loans_changed`` — loans the option applies to.

    :func:`compare_with_results` also returns each option's :class:`lib.payoff.PayoffResult`,
    and reuses the plans priced in ``outcomes`` (a dict the caller keeps for the same loans, capacity,
    strategy, penalty multiple and basis: an option whose parameters did not change is not run again).

    >>> from lib.loans import make_loans
    >>> loans = make_loans([{"lender": "A", "balance": 12000, "annual_rate": 0.24, "remaining_months": 6,
    ...                      "penalty": 400, "overdue_amount": 4000}])
    >>> t = compare_options(loans, Capacity(income=333.34), options=["waiver+instalments"])  # the contract:
    >>> # 69 months (at the 24 % line its arrears cannot outgrow 333.34 a month), so the window is 69
    >>> t[["option", "monthly_payment", "months", "total_paid", "fits", "window"]].to_dict("records")[1]
    {'option': 'waiver+instalments', 'monthly_payment': 333.34, 'months': 36, 'total_paid': 12000.0, 'fits': True, 'window': 69}
    """
    df = conform(loans)
    received = float(owed_now(df).sum())
    # the columns, read once something is priced, and kept with the outcomes for the next call
    col: dict[str, np.ndarray] = outcomes.get(_COLUMNS_KEY, {}) if outcomes is not None else {}
    run = {"strategy": strategy, "penalty_multiple": penalty_multiple, "order": order, "basis": basis}
    rows = []
    results: dict[str, PayoffResult] = {}
    opts = _options(options, params, legal_first)
    priced: dict[str, _Priced] = {}
    for opt in opts:
        hit = outcomes.get(opt.canonical) if outcomes is not None else None
        if hit is None:
            col = col or _columns(df, legal)
            if outcomes is not None:
                outcomes[_COLUMNS_KEY] = col
            p = _price(opt, df, col, capacity, horizon=horizon, **run)
            hit = (p, _compare_row(opt, p.result, p.waived, p.changed, received))
            if outcomes is not None:
                outcomes[opt.canonical] = hit
        priced[opt.label] = hit[0]
        results[opt.label] = hit[0].result
        rows.append({**hit[1], "option": opt.label})
    window = common_window(results)
    for opt, row in zip(opts, rows, strict=True):
        cost = _cost_within(results[opt.label], window)
        if cost is None:  # it stopped before the window ended without clearing: run it on to the end
            key = (opt.canonical, "window", window)
            longer = outcomes.get(key) if outcomes is not None else None
            if longer is None:
                book = priced[opt.label].book
                if book is None:  # (a grace period: in phases)
                    col = col or _columns(df, legal)
                    longer = _run_plan(opt, df, capacity, horizon=window, detail="monthly", col=col, give_up=False,
                                       **run).result
                else:
                    longer = _simulate(book, capacity, {}, detail=False, horizon=window, give_up=False, **run)
                if outcomes is not None:
                    outcomes[key] = longer
            cost = _cost_within(longer, window)
        row["window"], row["cost_window"] = window, cost
    for row in rows:
        row["saving"] = round(rows[0]["cost_window"] - row["cost_window"], 2)
    # built by column from plain lists: cheaper than a frame of records, reordered and converted
    table = pd.DataFrame({c: pd.array([r[c] for r in rows], dtype="Int64") if c == "months" else [r[c] for r in rows]
                          for c in COMPARE_COLUMNS})
    return table, results

