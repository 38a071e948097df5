"""What to ask each lender: the smallest concessions that make the whole plan fit.

:func:`find_plan` climbs a ladder of concessions (:data:`LADDER`, then :data:`LAST_RESORT`) lender
by lender until every month is within capacity and the plan clears; :func:`what_to_ask` says
what that means for each lender.

>>> from lib.loans import make_loans
>>> loans = make_loans([{"lender": "A", "balance": 12000, "annual_rate": 0.0, "remaining_months": 6}])
>>> asked = find_plan(loans, Capacity(income=500))
>>> asked.fits, asked.plan["L1"].label, asked.plan["L1"].instalments_months
(True, 'waiver+instalments', 24)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import pandas as pd

from lib.capacity import Capacity
from lib.loans import conform
from lib.loans import owed as owed_now
from lib.negotiate.kinds import KINDS, grace_of
from lib.negotiate.options import EXTENSION, INSTALMENTS, LEGAL, SETTLEMENT, WAIVER, LegalLines, Option
from lib.negotiate.phases import Outcome, _simulate, _switches
from lib.negotiate.transform import _apply, _apply_plan, _columns, _fen, _forgives, _legal_change, _mask
from lib.payoff import HORIZON_MONTHS, PayoffResult, prepare, rows_of


# --- what to ask each lender ------------------------------------------------------------------------
def _waiver(penalty: float, interest: float, fees: float, **kw: Any) -> dict[str, Any]:
    return {"with_waiver": True, "waive_penalty_pct": penalty, "waive_interest_pct": interest,
            "waive_fees_pct": fees, **kw}


# The concessions a lender can reasonably be asked for, each starting from the law (every loan
# above its legal line brought down to it first: that is not a favour). find_plan orders them per
# loan by what that lender gives up (:func:`_given_up`), so the order here is only a tie-break;
# settlement (LAST_RESORT) only when the largest of these still does not fit.
_PENALTY_AND_FEES: Final = _waiver(1.0, 0.0, 1.0, legal=True)
LADDER: Final[tuple[Option, ...]] = (
    Option(LEGAL),  # keep the contract (at the legal line)
    Option(WAIVER, waive_penalty_pct=1.0, waive_interest_pct=0.0, waive_fees_pct=1.0, legal=True),
    Option(WAIVER, waive_penalty_pct=1.0, waive_interest_pct=0.5, waive_fees_pct=1.0, legal=True),
    *(Option(EXTENSION, extension_months=k, **_PENALTY_AND_FEES) for k in (6, 12, 24, 36)),
    *(Option(INSTALMENTS, instalments_months=n, plan_rate=p, **_PENALTY_AND_FEES)
      for n in (12, 24, 36, 48, 60) for p in (0.12, 0.06, 0.0)),
    Option(INSTALMENTS, instalments_months=60, **_waiver(1.0, 1.0, 1.0, legal=True)),
)
LAST_RESORT: Final = Option(SETTLEMENT, legal=True)  # 60 % of what is owed, in month 1


@dataclass(frozen=True, eq=False)
class Asked:
    """What :func:`find_plan` found: one option per loan (by ``loan_id``) and the run of that plan."""

    plan: dict[str, Option]
    outcome: Outcome
    fits: bool  # every month within capacity and the plan finishes
    gap: float  # 0 when it fits; else the smallest extra a month (CNY) that makes it fit
    ladders: dict[str, list[Option]]  # each loan's rungs in the order it climbs them (its plan among them)


def _failure(res: PayoffResult) -> tuple[int, float] | None:
    """(first month over capacity, its excess in fen); None when the whole plan fits.

    A plan within capacity that does not finish fails in its last month with excess 0."""
    m = res.monthly
    over = _fen(m["due"]) - _fen(m["budget"])
    bad = np.flatnonzero(over > 0)
    if len(bad):
        return int(m["month"].iloc[bad[0]]), float(over[bad[0]])
    if res.finishes:
        return None
    return (int(m["month"].iloc[-1]) if len(m) else 1), 0.0


def _badness(res: PayoffResult) -> tuple[int, int, float]:
    """Smaller is better: fits < fails later < fails in the same month by less."""
    f = _failure(res)
    return (0, 0, 0.0) if f is None else (1, -f[0], f[1])


def find_plan(loans: pd.DataFrame, capacity: Capacity, *, strategy: str = "avalanche",
              penalty_multiple: float = 1.5, order: Sequence[str] | None = None,
              ladder: Sequence[Option] = LADDER, last_resort: Option | None = LAST_RESORT,
              horizon: int = HORIZON_MONTHS, basis: str = "enforceable", legal: LegalLines | None = None) -> Asked:
    """The smallest concessions that make the whole plan fit ``capacity``.

    Fit = every month's due within that month's money *and* debt-free within ``horizon``
    (:func:`fits_whole_plan`; stricter than ``compare_options``' first-year ``fits``).

    1. Every loan starts at the first rung of ``ladder`` (keep the contract — at the legal line
       when it costs more: the law first, also when the plan fits). Each loan climbs its own
       ladder: the rungs that apply to it and change something, from the least its lender gives
       up to the most (:func:`_given_up`; fewer months first on a tie), skipping instalments at a
       rate that is no lower than its own.
    2. Escalate: in the first month over capacity, take the loans with the largest dues that
       month (ties: higher rate, then lower row) — as many as it takes for their dues to cover
       that month's excess — each up to its next rung that asks less in month 1; re-run the whole
       portfolio; repeat until it fits or every loan is at its top rung (bounded).
    3. Still short: try ``last_resort`` (settlement) for one loan at a time, smallest owed
       first, keeping it when the plan then fails later or by less.
    4. When it fits, walk back: each loan (most escalated first) steps down rung by rung while
       the plan still fits, so no single lender is asked for more than needed.
    5. When it never fits, ``gap`` = the smallest extra monthly amount (to the fen, added to
       every month's budget) with which the final plan fits (bisection on the engine).

    The search runs each trial plan only up to its first month over capacity.
    """
    df = conform(loans)
    return _find_plan(df, capacity, strategy=strategy, penalty_multiple=penalty_multiple, order=order,
                      ladder=ladder, last_resort=last_resort, horizon=horizon, basis=basis, col=_columns(df, legal))


def _annuity_factor(r: np.ndarray, n: np.ndarray) -> np.ndarray:
    """What 1 a month for ``n`` months is worth at a monthly rate ``r`` (``n`` at 0 %)."""
    with np.errstate(all="ignore"):
        return np.where(r > 0, -np.expm1(-n * np.log1p(r)) / np.where(r > 0, r, 1.0), n)


def _given_up(base: pd.DataFrame, new: pd.DataFrame) -> np.ndarray:
    """What each lender gives up (CNY, per row) when its loan ``base`` (at the legal line) becomes
    ``new``: what it is owed now less what the new contract's payments are worth at the loan's own
    rate. A waiver gives up what it waives; an extension at the same rate gives up nothing (only
    time); instalments at a lower rate give up the interest difference, valued today.

    >>> from lib.loans import make_loans
    >>> from lib.negotiate.transform import apply
    >>> base = make_loans([{"lender": "A", "balance": 12000, "annual_rate": 0.24, "remaining_months": 12}])
    >>> new, _ = apply(Option("instalments", instalments_months=12, plan_rate=0.0), base)
    >>> round(float(_given_up(base, new)[0]), 2)  # 12 × 1,000 at 2 % a month: 10,575.34
    1424.66
    """
    r0 = base["annual_rate"].to_numpy(dtype=np.float64) / 12.0
    p = new["annual_rate"].to_numpy(dtype=np.float64) / 12.0
    months = np.maximum(new["remaining_months"].to_numpy(dtype=np.float64), 1.0)
    ratio = np.where(np.isclose(p, r0), 1.0, _annuity_factor(r0, months) / _annuity_factor(p, months))
    return owed_now(base).to_numpy() - owed_now(new).to_numpy() * ratio


def _no_lower(rung: Option, rate: float) -> bool:
    """Whether ``rung`` sets a new rate (its kind's :attr:`~lib.negotiate.kinds.Kind.rate`, above
    0 %) that is no lower than the loan's own ``rate``: instalments at such a rate ask nothing worth asking."""
    name = KINDS[rung.kind].rate
    new = None if name is None else getattr(rung, name)
    return new is not None and new > 0 and new >= rate - 1e-12


def _ladders(df: pd.DataFrame, rungs: list[Option], tables: list[pd.DataFrame], col: dict[str, np.ndarray],
             top: int) -> tuple[list[list[int]], list[int], list[np.ndarray]]:
    """Per loan, its rungs in the order it climbs them (see :func:`find_plan`), how many of them
    are regular (not the last resort), and each rung's month-1 due per loan."""
    n = len(df)
    sig_cols = ["balance", "interest", "penalty", "fees", "overdue_amount", "annual_rate", "method",
                "remaining_months"]
    sig = [tab[sig_cols].astype(object).to_numpy() for tab in tables]
    masks = [_mask(o.own, {**col, **_legal_change(col)[0]}) | col["_above"] for o in rungs]
    given = [_given_up(tables[0], tab).tolist() for tab in tables]  # (plain floats: read per loan below)
    months = [tab["remaining_months"].to_numpy(dtype=np.int64).tolist() for tab in tables]
    first_due = [tab["overdue_amount"].to_numpy() + tab["monthly_payment"].to_numpy() for tab in tables]
    base_rate = tables[0]["annual_rate"].to_numpy(dtype=np.float64)
    seqs, regular = [], []
    for i in range(n):
        cands = [s for s in range(1, top + 1) if masks[s][i] and not _no_lower(rungs[s], base_rate[i])]
        cands.sort(key=lambda s: (round(given[s][i], 2), months[s][i], s))
        seq, seen = [0], {tuple(sig[0][i])}
        for s in cands:
            if tuple(sig[s][i]) not in seen:
                seen.add(tuple(sig[s][i]))
                seq.append(s)
        regular.append(len(seq) - 1)
        if len(rungs) > top + 1 and masks[-1][i]:
            seq.append(len(rungs) - 1)
        seqs.append(seq)
    return seqs, regular, first_due


def _find_plan(df: pd.DataFrame, capacity: Capacity, *, strategy: str, penalty_multiple: float,
               order: Sequence[str] | None, ladder: Sequence[Option], last_resort: Option | None,
               horizon: int, basis: str, col: dict[str, np.ndarray]) -> Asked:
    n = len(df)
    rungs = list(ladder) + ([last_resort] if last_resort is not None else [])
    applied = [_apply(o, df, col) for o in rungs]
    tables = [tab for tab, _ in applied]
    big = pd.concat(tables, ignore_index=True)  # rung s, row i at s·n + i
    top = len(ladder) - 1
    seqs, regular_top, first_due = _ladders(df, rungs, tables, col, top)
    pos = [0] * n
    rate = df["annual_rate"].to_numpy(dtype=np.float64)
    grace = any(grace_of(o) is not None for o in rungs)

    # the stacked table read for the engine once; a trial plan takes its rows (without a grace
    # period: a grace period is run in phases, on tables)
    stacked = None if grace else prepare(big)
    loan_rows = np.arange(n)

    def run(p: list[int], extra: float = 0.0, whole: bool = False, detail: bool | str = True) -> PayoffResult:
        # (detail="monthly": where only _failure is read, no schedule is built; a grace period's phases need it)
        rows = np.fromiter((seqs[i][p[i]] for i in range(n)), dtype=np.intp, count=n) * n + loan_rows
        if stacked is not None:
            return _simulate(rows_of(stacked, rows), capacity, {}, strategy=strategy, penalty_multiple=penalty_multiple,
                             order=order, horizon=horizon, detail=detail, extra=extra, basis=basis,
                             stop_short=not whole)
        table = big.iloc[rows].reset_index(drop=True)
        switches = _switches({i: rungs[seqs[i][p[i]]] for i in range(n)}, df, col)
        return _simulate(table, capacity, switches, strategy=strategy, penalty_multiple=penalty_multiple, order=order,
                         horizon=horizon, detail=True, extra=extra, basis=basis, stop_short=not whole)

    def step_up(i: int) -> None:  # to the next rung that asks less of the borrower in month 1
        now = first_due[seqs[i][pos[i]]][i]
        nxt = pos[i] + 1
        while nxt < regular_top[i] and first_due[seqs[i][nxt]][i] >= now:
            nxt += 1
        pos[i] = nxt

    res = run(pos)
    for _ in range(sum(regular_top) + 1):
        fail = _failure(res)
        if fail is None:
            break
        month, excess = fail
        cands = [i for i in range(n) if pos[i] < regular_top[i]]
        if not cands:
            break
        s = res.schedule
        that = s["month"].to_numpy() == month
        dues = np.zeros(n)
        dues[s["loan"].to_numpy()[that]] = s["due"].to_numpy()[that]
        cands.sort(key=lambda i: (-dues[i], -rate[i], i))
        covered = 0.0
        for i in cands:
            step_up(i)
            covered += float(_fen(dues[i]))
            if covered >= excess:
                break
        res = run(pos)

    if _failure(res) is not None and last_resort is not None:
        owed = _fen(owed_now(df))
        for i in sorted(range(n), key=lambda i: (owed[i], i)):
            if len(seqs[i]) - 1 <= regular_top[i] or pos[i] + 1 >= len(seqs[i]):  # no settlement, or already
                continue
            trial = pos.copy()
            trial[i] = len(seqs[i]) - 1
            r2 = run(trial, detail="monthly")
            if _badness(r2) < _badness(res):
                pos, res = trial, r2
                if _failure(res) is None:
                    break

    fits = _failure(res) is None
    if fits:
        for i in sorted(range(n), key=lambda i: (-pos[i], i)):
            while pos[i] > 0:
                trial = pos.copy()
                trial[i] -= 1
                r2 = run(trial, detail="monthly")
                if _failure(r2) is not None:
                    break
                pos, res = trial, r2
    gap = 0.0
    if not fits:
        lo, hi = 0, max(int(_failure(res)[1]), 100)  # fen
        for _ in range(64):  # an extra of everything owed clears in month 1: this ends far sooner
            if _failure(run(pos, hi / 100.0, detail="monthly")) is None:
                break
            lo, hi = hi, hi * 2
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if _failure(run(pos, mid / 100.0, detail="monthly")) is None:
                hi = mid
            else:
                lo = mid
        gap = hi / 100.0
    chosen = {i: rungs[seqs[i][pos[i]]] for i in range(n)}
    table, waived = _apply_plan(chosen, df, col)
    ids = df["loan_id"].tolist()
    ladders = {ids[i]: [rungs[s] for s in seqs[i]] for i in range(n)}
    return Asked({ids[i]: o for i, o in chosen.items()}, Outcome(table, waived, run(pos, whole=True)), fits, gap,
                 ladders)


@dataclass(frozen=True)
class Ask:
    """What to ask one lender for (:func:`what_to_ask`), as data: the words are made when shown
    (:func:`lib.negotiate.words.ask_text`)."""

    loan_id: str
    lender: str
    option: Option  # this loan's option in the plan (the legal step included)
    label: str  # what is asked, as an option label: the legal step only above the line, a combination's
    # ``waiver+`` dropped when it forgives nothing for this loan
    monthly_payment: float  # what this lender is due in month 1 under the plan (the strategy may pay more)
    waived: float  # CNY forgiven by this lender
    before: Mapping[str, Any]  # the loan row now
    after: Mapping[str, Any]  # the loan row under the plan (in month 1)
    line: float | None  # the loan's legal line when its real APR is above it (:func:`legal_lines`), else None
    fallback: Option | None = None  # the next smaller concession on this loan's ladder (None: none smaller)


def _smaller(ladder: Sequence[Option], chosen: Option) -> Option | None:
    """The rung just below ``chosen`` on a loan's ladder (what to fall back to in a call).

    >>> a, b, c = Option("waiver"), Option("extension"), Option("instalments")
    >>> _smaller([a, b, c], c) == b, _smaller([a, b, c], a)
    (True, None)
    """
    rungs = list(ladder)
    return rungs[rungs.index(chosen) - 1] if chosen in rungs[1:] else None


@dataclass(frozen=True)
class Asks:
    """What :func:`what_to_ask` found: one :class:`Ask` per loan, in the loan table's order, and the
    plan as a whole."""

    asks: tuple[Ask, ...]
    fits: bool  # every month within capacity and debt-free in the end
    gap: float  # 0 when it fits; else the smallest extra a month (CNY) with which it fits
    months: int | None  # to debt-free (None: never)
    total_paid: float
    plan: dict[str, Option]  # {loan_id: Option}, for run_plan and plan_table


def what_to_ask(loans: pd.DataFrame, capacity: Capacity, *, strategy: str = "avalanche",
                penalty_multiple: float = 1.5, order: Sequence[str] | None = None,
                ladder: Sequence[Option] = LADDER, last_resort: Option | None = LAST_RESORT,
                horizon: int = HORIZON_MONTHS, basis: str = "enforceable",
                legal: LegalLines | None = None) -> Asks:
    """What to ask each lender for so that the whole plan fits ``capacity`` (:func:`find_plan`:
    every month within capacity and debt-free in the end) — starting, for a loan above its legal
    line, with bringing it down to that line. One :class:`Ask` per loan; when even the largest
    concessions do not fit, ``fits`` is False and ``gap`` says by how much a month. In words:
    :func:`lib.negotiate.words.ask_text` and :func:`lib.negotiate.words.gap_text`.

    >>> from lib.loans import make_loans
    >>> from lib.negotiate.words import ask_text, gap_text
    >>> loans = make_loans([{"lender": "A", "balance": 12000, "annual_rate": 0.0, "remaining_months": 6}])
    >>> asks = what_to_ask(loans, Capacity(income=500))
    >>> [(a.loan_id, a.label, a.monthly_payment, ask_text(a, "en")) for a in asks.asks]
    [('L1', 'instalments', 500.0, 'The remaining ¥12,000.00 in 24 monthly instalments at 0%')]
    >>> asks.fits, asks.months, asks.total_paid
    (True, 24, 12000.0)
    >>> short = what_to_ask(loans, Capacity(income=100))
    >>> short.fits, short.gap, gap_text(short, "en")
    (False, 100.0, 'Even with the largest concessions above, ¥100.00 a month is missing')
    """
    df = conform(loans)
    col = _columns(df, legal)
    asked = _find_plan(df, capacity, strategy=strategy, penalty_multiple=penalty_multiple, order=order,
                       ladder=ladder, last_resort=last_resort, horizon=horizon, basis=basis, col=col)
    res = asked.outcome.result
    s = res.schedule
    first = s[s["month"] == 1].set_index("loan")["due"].reindex(range(len(df)), fill_value=0.0)
    waived = asked.outcome.waived.to_numpy()
    rows = df.to_dict("records")
    after = asked.outcome.loans.to_dict("records")
    asks = []
    for i, before in enumerate(rows):
        loan_id = str(before["loan_id"])
        opt = asked.plan[loan_id]
        line = float(col["_line"][i]) if col["_above"][i] else None
        shown = opt if line is not None else opt.own  # (the legal step changes nothing below the line)
        label = shown.label if not shown.with_waiver or _forgives(shown, before) else shown.kind
        asks.append(Ask(loan_id, str(before["lender"]), opt, label, float(first.iloc[i]), float(waived[i]),
                        before, after[i], line, _smaller(asked.ladders.get(loan_id, []), opt)))
    return Asks(tuple(asks), asked.fits, asked.gap, res.months_to_debt_free, res.total_paid, dict(asked.plan))
