"""The payoff engine: a monthly budget spread over every loan, month by month.

DESIGN.md §3 "Allocating a monthly budget across lenders"; issue 3 §1. Vectorised over
loans with numpy; the only Python loop is over months, because a month depends on the last.

Each month ``m = 1, 2, …``:

1. **Accrue.** Interest ``balance·annual_rate/12`` on the principal balance (simple: never on
   unpaid interest). A ``flat_fee`` loan is charged a fee of ``base·annual_rate/12`` instead
   (``base`` = ``principal_amount``, or the balance when that is unknown) while contract months
   remain and principal is outstanding; after its term it accrues only penalty. Penalty
   (罚息) on the arrears carried into the month, so that an overdue amount costs
   ``annual_rate·penalty_multiple/12`` a month in all — the banks' rule: the penalty rate is the
   contract rate plus 30 % to 50 % and replaces it on overdue principal (default 1.5×,
   adjustable; 0 disables penalty). On overdue principal, which keeps bearing its contract
   interest, the penalty is the difference ``(multiple·r − r)/12``; on overdue interest,
   penalty and fees it is the whole ``multiple·r/12`` (复利: interest on unpaid interest may
   compound, principal does not; DESIGN.md §3). Flat-fee loans bear no interest on the
   balance, so their overdue principal takes the whole penalty rate.
2. **Due.** The arrears plus this month's contract instalment (see :func:`simulate` for each
   method); once the contract term is over, everything owed is due.
3. **Pay the dues.** The month's money (budget + any lump sum) pays every due in full; when it
   is short it is split pro rata by due (as debt-management plans do) and the unpaid part of
   each due stays overdue and accrues penalty.
4. **Leftover by strategy** (:data:`STRATEGIES`) as extra repayment, cascading to the next
   loan when one is cleared.
5. Every payment to a loan settles fees, then penalty, then interest, then principal. A loan is
   closed when everything it owes is 0 to the fen.

Money is kept internally as whole fen in float64 arrays (exact below 2**53 fen), every
accrual and payment is rounded to the fen, so the books reconcile exactly:
``total_paid == initial_owed + total_interest + total_penalty + total_fees − owed_end``.

>>> from lib.loans import make_loans
>>> loans = make_loans([{"lender": "借呗", "balance": 12000, "annual_rate": 0.12,
...                      "remaining_months": 12, "method": "equal_principal"}])
>>> r = simulate(loans, 6100)  # month 1: due 1,000 + 120; the other 4,980 off the principal
>>> r.months_to_debt_free, r.total_interest, r.total_paid  # month 2: 6,020 + 60.20 interest
(2, 180.2, 12180.2)
>>> simulate(loans, 50).finishes, simulate(loans, 50).reason
(False, 'never_clears')
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, Literal, NamedTuple

import numpy as np
import pandas as pd

from lib.loans import ANNUITY, BULLET, EQUAL_PRINCIPAL, FLAT_FEE, METHODS

STRATEGIES: Final = ("avalanche", "snowball", "pro_rata", "overdue_first", "custom")

# Why a plan does not finish (PayoffResult.reason).
NEVER_CLEARS: Final = "never_clears"  # stopped early: the debt cannot fall any more (see simulate)
HORIZON_MONTHS: Final = 600  # 50 years: how far a plan is followed by default
HORIZON: Final = "horizon"  # not cleared within `horizon` months (stopped once that is certain)

SCHEDULE_COLUMNS: Final = (
    "month", "loan", "lender", "payment", "fees", "penalty", "interest", "principal",
    "balance", "owed", "overdue", "due", "interest_accrued", "penalty_accrued", "fees_accrued",
)
MONTHLY_COLUMNS: Final = (
    "month", "budget", "lump_sum", "due", "paid", "shortfall", "owed",
    "interest_accrued", "penalty_accrued", "fees_accrued",
)



@dataclass(frozen=True, eq=False)
class PayoffResult:
    """What :func:`simulate` found. Money in CNY (floats rounded to the fen).

    ``schedule`` has one row per loan per month while the loan is open (its closing month
    included): ``month``, ``loan`` (row position in the loan table), ``lender`` (categorical),
    ``payment`` and its parts ``fees``, ``penalty``, ``interest``, ``principal`` (what the
    payment settled), ``balance`` (principal after the month), ``owed`` (everything owed after
    the month), ``overdue`` (arrears after the month), ``due`` (what was due that month), and
    ``interest_accrued``, ``penalty_accrued``, ``fees_accrued`` (charged that month).

    ``monthly`` has one row per simulated month: ``month``, ``budget`` (money for debts that
    month, lump sum included), ``lump_sum``, ``due``, ``paid``, ``shortfall`` (max(due − budget,
    0)), ``owed`` (after the month) and the month's ``*_accrued`` totals.
    """

    strategy: str
    months_to_debt_free: int | None  # None when the plan does not finish (see `reason`)
    finishes: bool
    reason: str | None  # None, NEVER_CLEARS or HORIZON
    months_simulated: int
    total_paid: float
    total_interest: float  # interest accrued during the plan
    total_penalty: float  # penalty accrued during the plan
    total_fees: float  # flat fees accrued during the plan
    initial_owed: float  # balance + interest + penalty + fees at the start
    owed_end: float  # still owed after the last simulated month
    budget_end: float  # the monthly budget in force in the last simulated month (no lump sum)
    budget_needed: float | None  # filled when it does not finish: clears within target_months
    target_months: int | None
    schedule: pd.DataFrame = field(repr=False)  # SCHEDULE_COLUMNS, one row per open loan per month
    monthly: pd.DataFrame = field(repr=False)  # MONTHLY_COLUMNS, one row per month

    @property
    def months_at_least(self) -> int | None:
        """For a plan that stopped owing money: the months it would take from the start even if
        nothing more accrued (what is still owed paid at ``budget_end`` a month); None when it
        finished or no money comes any more.

        >>> from lib.loans import make_loans
        >>> r = simulate(make_loans([{"lender": "A", "balance": 12000, "annual_rate": 0.0,
        ...                           "remaining_months": 24}]), 100, horizon=24, target_months=None)
        >>> r.reason, r.months_simulated, r.owed_end, r.months_at_least  # 11,900 left at ¥100
        ('horizon', 1, 11900.0, 120)
        """
        if self.finishes or self.budget_end <= 0:
            return None
        return self.months_simulated + math.ceil(round(self.owed_end / self.budget_end, 6))


class _Book(NamedTuple):
    """The loan table as fen arrays (float64 holding whole numbers)."""

    lender: np.ndarray  # object
    bal: np.ndarray
    intr: np.ndarray
    pen: np.ndarray
    fee: np.ndarray
    od: np.ndarray  # arrears at the start
    nd: np.ndarray  # owed but not yet due at the start
    rate: np.ndarray  # annual fraction
    mr: np.ndarray  # rate / 12
    rem: np.ndarray  # remaining contract months (int64, >= 0)
    code: np.ndarray  # index into METHODS
    flat_fee: np.ndarray  # fen charged per in-term month on flat-fee loans (0 for others)


_METHOD_CODE: Final = {m: i for i, m in enumerate(METHODS)}


def _fen(x: Any) -> np.ndarray:
    return np.rint(np.asarray(x, dtype=np.float64) * 100.0)


def _prepare(loans: pd.DataFrame) -> _Book:
    n = len(loans)
    present = set(loans.columns)

    def col(name: str, default: float = 0.0) -> np.ndarray:
        if name not in present:
            return np.full(n, default)
        s = loans[name]
        if s.dtype.kind not in "fiu":  # numbers as text, or nullable numbers
            s = pd.to_numeric(s, errors="coerce")
        return s.to_numpy(dtype=np.float64, na_value=np.nan)

    for name in ("balance", "annual_rate", "remaining_months"):
        if name not in present:
            raise ValueError(f"loan table lacks {name!r}")
    balance, rate = col("balance"), col("annual_rate")
    if not (np.isfinite(balance).all() and np.isfinite(rate).all()):
        raise ValueError("balance and annual_rate must be known (and finite) for every loan")
    extra = {c: np.nan_to_num(col(c), nan=0.0, posinf=np.inf, neginf=-np.inf)
             for c in ("interest", "penalty", "fees", "overdue_amount")}
    if not all(np.isfinite(v).all() for v in extra.values()):
        raise ValueError("interest, penalty, fees and overdue_amount must be finite")
    if (balance < 0).any() or (rate < 0).any() or any((v < 0).any() for v in extra.values()):
        raise ValueError("money amounts and rates must not be negative")
    rem = np.maximum(np.nan_to_num(col("remaining_months")), 0).astype(np.int64)
    methods = (loans["method"].to_numpy(dtype=object, na_value=ANNUITY) if "method" in present
               else np.full(n, ANNUITY, dtype=object))
    code = np.fromiter((_METHOD_CODE.get(str(m), -1) for m in methods), dtype=np.int64, count=n)  # -1: unknown
    if (code < 0).any():
        raise ValueError(f"unknown repayment method(s) {sorted({str(m) for m in methods[code < 0]})}")
    lender = (loans["lender"].to_numpy(dtype=object) if "lender" in present
              else np.full(n, "", dtype=object))

    bal, intr, pen, fee = _fen(balance), _fen(extra["interest"]), _fen(extra["penalty"]), _fen(extra["fees"])
    owed = bal + intr + pen + fee
    od = np.minimum(_fen(extra["overdue_amount"]), owed)
    is_bullet = code == METHODS.index(BULLET)
    # Not yet due: the principal (and, for a bullet loan, its deferred interest) that is not in
    # arrears. Accrued charges that are not overdue fall due with the next instalment.
    nd = np.minimum(np.where(is_bullet, bal + intr, bal), owed - od)
    mr = rate / 12.0
    principal_amount = np.nan_to_num(col("principal_amount", np.nan), nan=0.0)
    base = np.where(principal_amount > 0, _fen(principal_amount), bal)
    flat_fee = np.where(code == METHODS.index(FLAT_FEE), np.rint(base * mr), 0.0)
    return _Book(lender, bal, intr, pen, fee, od, nd, rate, mr, rem, code, flat_fee)


def _events(events: Mapping[int, float] | None, what: str) -> dict[int, float]:
    out: dict[int, float] = {}
    for month, amount in (events or {}).items():
        try:  # keys may come back from JSON as strings
            k = int(month)
        except (TypeError, ValueError):
            k = 0
        if k < 1 or (isinstance(month, float) and month != k):
            raise ValueError(f"{what}: months are whole numbers from 1, got {month!r}")
        amount = float(amount)
        if not math.isfinite(amount) or amount < 0:
            raise ValueError(f"{what}: amounts must be finite and >= 0, got {amount!r}")
        out[k] = out.get(k, 0.0) + float(np.rint(amount * 100.0))
    return out


def _split(weights: np.ndarray, total: float) -> np.ndarray:
    """Split ``total`` fen over ``weights`` (fen, total <= sum) pro rata, in whole fen.

    Largest remainder: each gets the floor of its share, the fen left over go one each to the
    largest fractional remainders (ties to the lower row). Never more than its weight.

    >>> _split(np.array([100.0, 300.0, 3.0]), 201.0).tolist()
    [50.0, 150.0, 1.0]
    """
    w_sum = weights.sum()
    if total <= 0 or w_sum <= 0:
        return np.zeros_like(weights)
    q = weights * total / w_sum
    share = np.minimum(np.floor(q), weights)
    k = int(total - share.sum())
    if k > 0:
        frac = np.where(share < weights, q - share, -1.0)
        share[_largest(frac, k)] += 1.0
    elif k < 0:  # float rounding of q pushed a floor up; take the fen back from the largest
        share[_largest(share, -k)] -= 1.0
    return share


def _largest(values: np.ndarray, k: int) -> np.ndarray:
    """Positions of the ``k`` largest values, ties to the lower position (as a stable sort by
    descending value would pick them), in O(n)."""
    k = min(k, len(values))
    if k <= 0:
        return np.zeros(0, dtype=np.int64)
    if len(values) <= 512:  # a sort is cheaper than partition + two scans on few loans
        return np.argsort(-values, kind="stable")[:k]
    threshold = np.partition(values, len(values) - k)[len(values) - k]
    above = np.flatnonzero(values > threshold)
    ties = np.flatnonzero(values == threshold)[: k - len(above)]
    return np.concatenate([above, ties])


def _cascade(room: np.ndarray, total: float, order: np.ndarray) -> np.ndarray:
    """Pour ``total`` fen into ``room`` in ``order`` (first fills first, leftover flows on).

    Only the head of ``order`` that the money reaches is looked at (it grows until its room
    covers ``total``), so a month that clears two loans does not scan ten thousand.

    >>> _cascade(np.array([5.0, 3.0, 4.0]), 6.0, np.array([2, 1, 0])).tolist()
    [0.0, 2.0, 4.0]
    """
    out = np.zeros_like(room)
    k = 64
    while True:
        head = order[:k]
        r = room[head]
        filled = np.cumsum(r)
        if filled[-1] >= total or k >= len(order):
            break
        k *= 8
    out[head] = np.clip(total - (filled - r), 0.0, r)
    return out


# What the month loop records for the schedule (fen), in SCHEDULE_COLUMNS order after `lender`.
_RECORDED: Final = SCHEDULE_COLUMNS[3:]


def _grows_for_ever(owed: np.ndarray, pr: np.ndarray, rem: np.ndarray, month: int, budget: float) -> bool:
    """A proof that the debt can never be cleared with ``budget`` fen a month from now on.

    Take loans whose contract is over (``rem <= month``: all they owe is due, so after this
    month's payment all of it is overdue) and which bear penalty (``pr`` = the monthly rate an
    overdue amount costs in all, > 0). For a set T of them with the smallest rate ``p`` and
    owing ``S`` in all, next month's interest plus penalty is at least ``p·S − 2|T|`` fen
    (overdue principal bears its interest plus the penalty difference, everything else the
    whole penalty; each of the two accruals is rounded to the fen with its carried remainder:
    at most 1 fen low each), and T can receive at most the whole budget. So if
    ``p·S − 2|T| >= budget (+1 fen for float error)``, T owes at least as much next month, and
    the same holds again (a loan of T that is cleared only leaves a set with a smaller count and
    no smaller rate) — for ever. The best T is a prefix of these loans sorted by rate, highest
    first.

    >>> _grows_for_ever(np.array([10_000_000.0]), np.array([0.03]), np.array([0.0]), 1, 150_000.0)
    True
    >>> _grows_for_ever(np.array([10_000_000.0]), np.array([0.03]), np.array([5.0]), 1, 150_000.0)
    False
    """
    cand = np.flatnonzero((owed > 0) & (pr > 0) & (rem <= month))
    if not len(cand):
        return False
    order = np.argsort(-pr[cand], kind="stable")
    p, o = pr[cand][order], owed[cand][order]
    return bool((p * np.cumsum(o) - 2.0 * np.arange(1, len(p) + 1) >= budget + 1.0).any())


class _Recorder:
    """Collects the schedule's rows (fen) month by month into preallocated blocks.

    Rows are written straight into a (columns × rows) float block, one block per
    ``chunk`` rows, so nothing is concatenated or masked at the end in the common case.
    """

    def __init__(self, n_loans: int, months: int) -> None:
        self.chunk = max(n_loans * months, 1)
        self.blocks: list[np.ndarray] = []
        self.keys: list[np.ndarray] = []  # (2, rows): month, loan
        self.pos = self.chunk  # forces a first block

    def add(self, month: int, ids: np.ndarray, open_: np.ndarray, arrays: Sequence[np.ndarray]) -> None:
        every = bool(open_.all())
        sel = None if every else np.flatnonzero(open_)
        k = len(ids) if sel is None else len(sel)
        if self.pos + k > self.chunk:
            if self.blocks:
                self.blocks[-1] = self.blocks[-1][:, : self.pos]
                self.keys[-1] = self.keys[-1][:, : self.pos]
            self.blocks.append(np.empty((len(_RECORDED), max(self.chunk, k))))
            self.keys.append(np.empty((2, max(self.chunk, k)), dtype=np.int64))
            self.chunk, self.pos = max(self.chunk, k), 0
        block, keys, a, b = self.blocks[-1], self.keys[-1], self.pos, self.pos + k
        keys[0, a:b] = month
        if sel is None:
            keys[1, a:b] = ids
            for i, arr in enumerate(arrays):
                block[i, a:b] = arr
        else:
            np.take(ids, sel, out=keys[1, a:b], mode="clip")  # indices are valid; "clip" skips checks
            for i, arr in enumerate(arrays):
                np.take(arr, sel, out=block[i, a:b], mode="clip")
        self.pos = b

    def result(self) -> tuple[np.ndarray, np.ndarray]:
        """(block of _RECORDED in CNY, keys) — views when one block was enough."""
        if not self.blocks:
            return np.zeros((len(_RECORDED), 0)), np.zeros((2, 0), dtype=np.int64)
        self.blocks[-1] = self.blocks[-1][:, : self.pos]
        self.keys[-1] = self.keys[-1][:, : self.pos]
        block = self.blocks[0] if len(self.blocks) == 1 else np.concatenate(self.blocks, axis=1)
        keys = self.keys[0] if len(self.keys) == 1 else np.concatenate(self.keys, axis=1)
        block /= 100.0
        return block, keys


class _Run(NamedTuple):
    months: int | None
    stopped: str | None
    n_months: int
    paid: float
    acc_int: float
    acc_pen: float
    acc_fee: float
    owed0: float
    owed_end: float
    budget_end: float
    rows: _Recorder | None
    monthly: list[tuple[float, ...]] | None  # MONTHLY_COLUMNS per month (fen; month as is)


@np.errstate(divide="ignore", invalid="ignore")  # once, not in every month (it costs microseconds)
def _run(
    book: _Book,
    budget: float,
    strategy: str,
    penalty_multiple: float,
    horizon: int,
    lumps: dict[int, float],
    changes: dict[int, float],
    custom_rank: np.ndarray | None,
    record: bool | str,  # True: schedule and monthly; "monthly": monthly only; False: neither
    give_up: bool = True,
) -> _Run:
    """The month loop. All money in fen (float64 holding whole numbers).

    Loans that are cleared are dropped from the arrays now and then (they owe nothing and
    accrue nothing, so this changes no result); ``ids`` maps positions back to rows.
    """
    n = len(book.bal)
    ids = np.arange(n)
    bal, intr, pen, fee = book.bal.copy(), book.intr.copy(), book.pen.copy(), book.fee.copy()
    od, nd = book.od.copy(), book.nd.copy()
    c_int, c_pen = np.zeros(n), np.zeros(n)  # sub-fen remainders of interest and penalty
    rate, mr, code, flat_fee = book.rate, book.mr, book.code, book.flat_fee
    rem = book.rem.astype(np.float64)
    # (1 + r)^-(months left): one power at the start, then × (1 + r) each month.
    with np.errstate(over="ignore"):
        disc = (1.0 + mr) ** (-np.maximum(book.rem, 1))
    rank = custom_rank if custom_rank is not None else np.zeros(n)
    owed = bal + intr + pen + fee
    owed0 = float(owed.sum())
    total = owed0
    last_event = max([0, *lumps, *changes])
    paid_sum = acc_int_sum = acc_pen_sum = acc_fee_sum = 0.0
    rows = _Recorder(n, min(horizon, 120)) if record is True else None
    monthly: list[tuple[float, ...]] | None = [] if record else None
    if total <= 0:
        return _Run(0, None, 0, 0.0, 0.0, 0.0, 0.0, owed0, 0.0, budget, rows, monthly)

    def derived() -> tuple[np.ndarray, ...]:
        """Per-loan constants for the current set of loans."""
        is_ann = code == METHODS.index(ANNUITY)
        ann = np.flatnonzero(is_ann)
        eq = ((code == METHODS.index(EQUAL_PRINCIPAL)) | (code == METHODS.index(FLAT_FEE))).astype(np.float64)
        bullet = (code == METHODS.index(BULLET)).astype(np.float64)
        int_rate = np.where(code == METHODS.index(FLAT_FEE), 0.0, mr)  # flat fee charged instead
        pr = rate * penalty_multiple / 12.0
        ann_mr = mr[ann]
        ann_pos = ann_mr > 0
        avalanche = np.argsort(-rate, kind="stable")
        custom = avalanche[np.argsort(rank[avalanche], kind="stable")]
        return ann, eq, bullet, int_rate, pr, ann_mr, ann_pos, avalanche, custom

    ann, eq, bullet, int_rate, pr, ann_mr, ann_pos, avalanche, custom = derived()
    ann_disc = disc[ann]
    zeros = np.zeros(n)
    cur_budget = budget
    prev_total = total
    month_done: int | None = None
    stopped: str | None = HORIZON
    m = 0
    for m in range(1, horizon + 1):
        cur_budget = changes.get(m, cur_budget)
        lump = lumps.get(m, 0.0)
        cash = cur_budget + lump
        open_ = owed > 0
        left = rem - (m - 1)  # contract months left, counting this one

        # 1. accrue (to the fen, carrying the sub-fen remainder to next month)
        x = bal * int_rate + c_int
        a_int = np.rint(x)
        c_int = x - a_int
        if od.any():
            # overdue principal already bears `int_rate`: it takes only the difference
            od_prin = np.minimum(np.maximum(bal - np.minimum(nd, bal), 0.0), od)
            x = od_prin * np.maximum(pr - int_rate, 0.0) + (od - od_prin) * pr + c_pen
            a_pen = np.rint(x)
            c_pen = x - a_pen
        else:  # nothing overdue: no penalty (|c_pen| <= 0.5 fen rounds to 0)
            a_pen = zeros
        a_fee = flat_fee * ((left >= 1) & (bal > 0))
        intr = intr + a_int
        pen = pen + a_pen
        fee = fee + a_fee
        owed = bal + intr + pen + fee

        # 2. what stays not yet due after this month's instalment (re-amortised on `nd`)
        n_left = np.maximum(left, 1.0)
        step = np.rint(nd / n_left) * eq  # equal principal, flat fee
        if len(ann):
            a_nd, a_bal = nd[ann], bal[ann]
            # interest on the scheduled part: the month's interest when nothing is in arrears
            nd_int = np.where(a_nd >= a_bal, a_int[ann], np.rint(a_nd * ann_mr))
            # pmt(r, n, nd); nd/n when r = 0 (the other branch's 0/0 is silenced for all of _run)
            inst = np.where(ann_pos, a_nd * ann_mr / (1.0 - ann_disc), a_nd / n_left[ann])
            step[ann] = np.rint(inst) - nd_int
            ann_disc = np.where(left[ann] > 1, ann_disc * (1.0 + ann_mr), ann_disc)  # next month's
        np.maximum(step, 0.0, out=step)
        nd_new = (nd - step + a_int * bullet) * (left > 1)  # bullet: the interest waits too
        nd_new = np.minimum(np.maximum(nd_new, 0.0), owed)  # (np.clip with array bounds is slower)
        due = owed - nd_new
        due_sum = float(due.sum())

        # 3./4. pay dues (pro rata when short), then the leftover by strategy
        if cash >= due_sum:
            pay = due
            spare = cash - due_sum
            if spare > 0:
                room_sum = float(nd_new.sum())
                if spare >= room_sum:
                    pay = owed
                elif strategy == "pro_rata":
                    pay = due + _split(nd_new, spare)
                else:
                    if strategy == "avalanche":
                        order = avalanche
                    elif strategy == "snowball":
                        order = np.argsort(nd_new, kind="stable")
                    elif strategy == "overdue_first":
                        order = avalanche[np.argsort(-(od * pr)[avalanche], kind="stable")]
                    else:
                        order = custom
                    pay = due + _cascade(nd_new, spare, order)
        else:
            pay = _split(due, cash)

        # 5. settle fees → penalty → interest → principal
        p_fee = np.minimum(pay, fee)
        rest = pay - p_fee
        p_pen = np.minimum(rest, pen)
        rest = rest - p_pen
        p_int = np.minimum(rest, intr)
        p_prin = rest - p_int
        fee = fee - p_fee
        pen = pen - p_pen
        intr = intr - p_int
        bal = bal - p_prin
        owed = owed - pay
        nd = np.minimum(nd_new, owed)
        od = owed - nd

        paid = float(pay.sum())
        ai, ap, af = float(a_int.sum()), float(a_pen.sum()), float(a_fee.sum())
        paid_sum += paid
        acc_int_sum += ai
        acc_pen_sum += ap
        acc_fee_sum += af
        total = float(owed.sum())
        if rows is not None:
            rows.add(m, ids, open_, (pay, p_fee, p_pen, p_int, p_prin, bal, owed, od, due, a_int, a_pen, a_fee))
        if monthly is not None:  # in MONTHLY_COLUMNS order
            monthly.append((m, cash, lump, due_sum, paid, max(due_sum - cash, 0.0), total, ai, ap, af))
        if total <= 0:
            month_done, stopped = m, None
            break

        # Never-ending? Only once no event is ahead (the budget is fixed from here on), and
        # only looked into in a month the total did not fall.
        if m >= last_event:
            if cur_budget <= 0:  # nothing will ever be paid again
                stopped = NEVER_CLEARS
                break
            if total >= prev_total and _grows_for_ever(owed, pr, rem, m, cur_budget):
                stopped = NEVER_CLEARS
                break
            if give_up and total > cur_budget * (horizon - m):
                break  # out of reach: not even the whole budget of every month left would clear it
        prev_total = total

        # Drop cleared loans once they are a quarter of the arrays.
        keep = owed > 0
        n_keep = int(keep.sum())
        if n_keep <= 0.75 * len(keep):
            sel = np.flatnonzero(keep)
            disc = np.zeros(len(keep))
            disc[ann] = ann_disc
            ids, bal, intr, pen, fee, od, nd, c_int, c_pen = (
                a[sel] for a in (ids, bal, intr, pen, fee, od, nd, c_int, c_pen))
            rate, mr, rem, code, flat_fee, rank, owed, disc = (
                a[sel] for a in (rate, mr, rem, code, flat_fee, rank, owed, disc))
            ann, eq, bullet, int_rate, pr, ann_mr, ann_pos, avalanche, custom = derived()
            ann_disc = disc[ann]
            zeros = np.zeros(len(ids))
    return _Run(month_done, stopped, m, paid_sum, acc_int_sum, acc_pen_sum, acc_fee_sum, owed0, total,
                cur_budget, rows, monthly)


def _check(strategy: str, order: Sequence[str] | None, book: _Book, penalty_multiple: float) -> np.ndarray | None:
    if strategy not in STRATEGIES:
        raise ValueError(f"unknown strategy {strategy!r}; choose one of {STRATEGIES}")
    if not math.isfinite(penalty_multiple) or penalty_multiple < 0:
        raise ValueError("penalty_multiple must be finite and >= 0")
    if strategy != "custom":
        return None
    if order is None:
        raise ValueError('strategy "custom" needs order=[lender names]')
    names = [str(x) for x in order]
    unknown = sorted(set(names) - {str(x) for x in book.lender})
    if unknown:
        raise ValueError(f"order names lenders not in the table: {unknown}")
    first = {}
    for i, name in enumerate(names):
        first.setdefault(name, i)
    return np.array([first.get(str(x), len(names)) for x in book.lender], dtype=np.float64)


def _to_frames(book: _Book, run: _Run) -> tuple[pd.DataFrame, pd.DataFrame]:
    block, keys = run.rows.result() if run.rows is not None else _Recorder(0, 0).result()
    month, loan = keys
    codes, names = pd.factorize(np.array([str(x) for x in book.lender], dtype=object))
    lender = pd.Categorical.from_codes(codes[loan], categories=pd.Index(names))
    schedule = pd.DataFrame({"month": month, "loan": loan, "lender": lender,
                             **dict(zip(_RECORDED, block, strict=True))}, copy=False)
    mon = np.array(run.monthly or [], dtype=np.float64).reshape(-1, len(MONTHLY_COLUMNS)).T
    monthly = pd.DataFrame({"month": mon[0].astype(np.int64),
                            **dict(zip(MONTHLY_COLUMNS[1:], mon[1:] / 100.0, strict=True))}, copy=False)
    return schedule, monthly


def simulate(
    loans: pd.DataFrame,
    budget: float,
    strategy: str = "avalanche",
    *,
    penalty_multiple: float = 1.5,
    horizon: int = HORIZON_MONTHS,
    lump_sums: Mapping[int, float] | None = None,
    budget_changes: Mapping[int, float] | None = None,
    order: Sequence[str] | None = None,
    target_months: int | None = 60,
    detail: bool | Literal["monthly"] = True,
    give_up: bool = True,
) -> PayoffResult:
    """Pay ``budget`` a month (CNY) into ``loans`` by ``strategy`` until they are cleared.

    ``detail=False`` skips building ``schedule`` and ``monthly`` (left empty): the totals
    only, several times faster on small books (strategy comparisons); ``detail="monthly"``
    builds ``monthly`` only (timelines of whole plans).

    ``loans`` is the loan table (:data:`lib.loans.COLUMNS`; rows are identified by position:
    the schedule's ``loan`` column, so duplicate lender names are fine).

    The contract instalment of a month, by method, on the part not yet due (``nd``; the
    principal balance when the loan is on schedule):

    * annuity (等额本息): re-amortised every month, ``pmt(r/12, months left, nd)`` rounded to
      the fen — the contract payment while on schedule; after an extra repayment the payment
      drops and the term stays; arrears are owed on top, never re-spread;
    * equal principal (等额本金) and flat fee: ``nd / months left`` of principal, plus the
      month's interest (or flat fee);
    * interest only (先息后本): the month's interest; the principal in the last month;
    * bullet (一次性还本付息): nothing until the last month; then principal and all interest;
    * in the last contract month, and after it, everything owed is due.

    Interest, penalty and fees accrued during the month are due that month (except a bullet
    loan's interest, due at the end); interest, penalty and fees already owed at the start and
    not counted in ``overdue_amount`` fall due in month 1.

    Leftover after the dues goes to what is not yet due, by strategy: ``avalanche`` (highest
    annual rate first), ``snowball`` (smallest amount still owed after this month's dues
    first), ``pro_rata`` (split by that amount), ``overdue_first`` (largest penalty accrual this
    month, ``overdue·rate·penalty_multiple/12``, first; then avalanche), ``custom`` (the lenders
    in ``order``; a name shared by several loans takes them all in avalanche order; lenders not
    named come last in avalanche order). Ties go to the lower row.

    Events: ``lump_sums={month: amount}`` adds one-off cash to that month (month 1 = cash
    available now); ``budget_changes={month: budget}`` sets the budget from that month on.
    Money left after everything is cleared is not spent.

    A short month's money is split pro rata by due in whole fen (largest remainder; ties to the
    lower row). Interest and penalty are rounded to the fen each month with the sub-fen
    remainder carried to the next month, per loan, so rounding never drifts by more than half a
    fen. The table's ``monthly_payment`` is not used: instalments are re-derived from the state.

    A plan that cannot clear within ``horizon`` months stops with ``reason="horizon"``: at the
    horizon, or as soon as, with no event ahead, more is owed than the budget of every month
    left could pay (``give_up=False`` runs on to the horizon instead). One that provably cannot
    clear at all stops early (``reason="never_clears"``): when no money comes from now on, or
    when, with no event ahead, the penalty on loans whose term is over already outruns the
    budget (see :func:`_grows_for_ever`). Either way
    ``months_to_debt_free`` is None and ``budget_needed`` is the smallest constant budget that
    clears within ``target_months`` (lump sums kept, budget changes ignored); pass
    ``target_months=None`` to skip that search.
    """
    if not math.isfinite(budget) or budget < 0:
        raise ValueError("budget must be finite and >= 0")
    if int(horizon) != horizon or horizon < 1:
        raise ValueError("horizon must be a whole number of months >= 1")
    book = _prepare(loans)
    rank = _check(strategy, order, book, penalty_multiple)
    lumps, changes = _events(lump_sums, "lump_sums"), _events(budget_changes, "budget_changes")
    run = _run(book, float(np.rint(budget * 100.0)), strategy, penalty_multiple, int(horizon),
               lumps, changes, rank, record=detail, give_up=give_up)
    finishes = run.months is not None
    needed = None
    if not finishes and target_months is not None:
        needed = budget_needed(loans, target_months, strategy, penalty_multiple=penalty_multiple,
                               lump_sums=lump_sums, order=order)
    schedule, monthly = _to_frames(book, run)
    return PayoffResult(
        strategy=strategy,
        months_to_debt_free=run.months,
        finishes=finishes,
        reason=run.stopped,
        months_simulated=run.n_months,
        total_paid=run.paid / 100.0,
        total_interest=run.acc_int / 100.0,
        total_penalty=run.acc_pen / 100.0,
        total_fees=run.acc_fee / 100.0,
        initial_owed=run.owed0 / 100.0,
        owed_end=run.owed_end / 100.0,
        budget_end=run.budget_end / 100.0,
        budget_needed=needed,
        target_months=target_months,
        schedule=schedule,
        monthly=monthly,
    )


def budget_needed(
    loans: pd.DataFrame,
    months: int,
    strategy: str = "avalanche",
    *,
    penalty_multiple: float = 1.5,
    lump_sums: Mapping[int, float] | None = None,
    order: Sequence[str] | None = None,
) -> float:
    """The smallest constant monthly budget (CNY, to the fen, rounded up) that clears every
    loan within ``months`` months under ``strategy`` (lump sums counted).

    Search: ``B·months + lump sums >= owed now`` is necessary (accruals only add), so the fen
    below ``(owed − lump sums)/months`` fails; a budget equal to everything owed after month 1's
    accrual clears in month 1. Between them: widen (doubling) until a budget clears, then
    bisect on whole fen. The answer is always a budget *seen* to clear, and one fen less was
    *seen* not to.

    Monotonicity (what bisection assumes): more money in a month pays every due in full
    sooner, leaves less in arrears (less penalty) and less principal (less interest), so the
    owed total under a bigger budget never runs above the smaller budget's. It is not a
    theorem here: re-amortised instalments, strategy orderings that depend on balances and
    rounding to the fen can in principle make "clears" flip more than once near the threshold;
    then a smaller clearing budget below the one found would be missed (never an answer that
    does not clear).

    >>> from lib.loans import make_loans
    >>> budget_needed(make_loans([{"lender": "A", "balance": 12000, "annual_rate": 0.0,
    ...                            "remaining_months": 24}]), 12)
    1000.0
    """
    if int(months) != months or months < 1:
        raise ValueError("months must be a whole number >= 1")
    months = int(months)
    book = _prepare(loans)
    rank = _check(strategy, order, book, penalty_multiple)
    lumps = _events(lump_sums, "lump_sums")

    def clears(fen: float) -> bool:
        run = _run(book, fen, strategy, penalty_multiple, months, lumps, {}, rank, record=False)
        return run.months is not None

    if clears(0.0):
        return 0.0
    owed = float((book.bal + book.intr + book.pen + book.fee).sum())
    cash = sum(v for k, v in lumps.items() if k <= months)
    lo = max(0.0, math.ceil((owed - cash) / months) - 1.0)  # lo·months + cash < owed: fails
    first = np.rint(book.bal * np.where(book.flat_fee > 0, 0.0, book.mr)) + book.flat_fee
    first += np.rint(book.od * book.rate * penalty_multiple / 12.0)
    top = owed + float(first.sum())  # clears in month 1
    hi = min(max(lo + 1.0, math.ceil(lo * 1.05)), top)
    while not clears(hi):
        if hi >= top:  # cannot happen: `top` pays everything owed after month 1's accrual
            raise RuntimeError("budget_needed: no budget clears these loans")
        gap = hi - lo
        lo, hi = hi, min(hi + 2.0 * gap, top)
    while hi - lo > 1.0:
        mid = math.floor((lo + hi) / 2.0)
        if clears(mid):
            hi = mid
        else:
            lo = mid
    return hi / 100.0
