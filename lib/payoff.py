"""The payoff engine: a monthly budget spread over every loan, month by month.

docs/model.md, "The monthly engine". Vectorised over loans with numpy; the only Python loop is
over months, because a month depends on the last.

Each month ``m = 1, 2, …``:

1. **Accrue.** Interest ``balance·annual_rate/12`` on the principal balance, rounded to the fen
   each month as lenders do (simple: never on unpaid interest; a bullet loan's carries its sub-fen
   remainder, as its contract sums it). A ``flat_fee`` loan is charged a fee of
   ``base·annual_rate/12`` instead (``base`` = ``principal_amount``, or the balance when that is
   unknown) while contract months remain and principal is outstanding. Penalty (罚息) on the
   arrears carried into the month, so that an overdue amount costs ``annual_rate·penalty_multiple/12``
   a month in all — the banks' rule (银发〔2003〕251号): the penalty rate is the contract rate
   plus 30 % to 50 % and replaces it on overdue principal (default 1.5×, adjustable; 0 disables
   penalty). On overdue principal, which keeps bearing its contract interest, the penalty is the
   difference ``(multiple·r − r)/12``; on overdue interest and penalty it is the whole
   ``multiple·r/12`` (复利); fees bear none (银发〔2016〕111号 for cards). Private loans bear their
   contract rate on overdue principal only (法释〔2020〕17号 art. 28). Under the enforceable basis
   (the default) all the month's charges together are capped at the loan's legal line
   (:func:`lib.rates.legal_caps`) on the principal in use, what earlier months left unused
   allowed later (see :func:`simulate`).
2. **Due.** The arrears plus this month's contract instalment — the contract's own figure, fixed
   (see :func:`simulate` for each method); once the contract term is over, everything owed is due.
3. **Pay the dues.** The month's money (budget + any lump sum) pays every due in full; when it
   is short it is split pro rata by due (as debt-management plans do) and the unpaid part of
   each due stays overdue and accrues penalty.
4. **Leftover by strategy** (:data:`STRATEGIES`) as extra repayment, cascading to the next
   loan when one is cleared (avalanche by the real cost of what is left).
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
>>> r = simulate(loans, 50)  # far below what it accrues; once its charges reach the 24 % line
>>> r.finishes, r.reason, r.months_simulated  # (240 a month) the line only holds them there: for ever
(False, 'never_clears', 58)
>>> simulate(loans, 50, basis="contractual").reason  # uncapped penalty: provably never cleared
'never_clears'
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, Literal, NamedTuple

import numpy as np
import pandas as pd

from lib.loans import ANNUITY, BULLET, EQUAL_PRINCIPAL, FLAT_FEE, METHODS, PRIVATE
from lib.rates import legal_caps, level_irr
from lib.schedules import annuity_instalment

STRATEGIES: Final = ("avalanche", "snowball", "pro_rata", "overdue_first", "custom")

# Why a plan does not finish (PayoffResult.reason).
NEVER_CLEARS: Final = "never_clears"  # stopped early: the debt cannot fall any more (see simulate)
HORIZON_MONTHS: Final = 600  # 50 years: how far a plan is followed by default
HORIZON: Final = "horizon"  # not cleared within `horizon` months (stopped once that is certain)
SHORT: Final = "short"  # stopped after the first month the money could not pay its dues (stop_when_short)
BASES: Final = ("enforceable", "contractual")  # what arrears may grow to (see simulate)

SCHEDULE_COLUMNS: Final = (
    "month", "loan", "lender", "payment", "fees", "penalty", "interest", "principal",
    "balance", "owed", "overdue", "due", "interest_accrued", "penalty_accrued", "fees_accrued",
)
MONTHLY_COLUMNS: Final = (
    "month", "budget", "lump_sum", "due", "paid", "shortfall", "owed",
    "interest_accrued", "penalty_accrued", "fees_accrued", "overdue",
)



@dataclass(frozen=True, eq=False)
class PayoffResult:
    """What :func:`simulate` found. Money in CNY (floats rounded to the fen).

    ``schedule`` has one row per loan per month while the loan is open (its closing month
    included): ``month``, ``loan`` (row position in the loan table), ``lender`` (categorical:
    the table's lender as given; loans with the same name share it, so callers that label by
    it pass :func:`lib.loans.named` loans, where every unnamed loan has a name of its own),
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


class Book(NamedTuple):
    """The loan table read once for the engine (:func:`prepare`): fen arrays (float64 holding
    whole numbers). Pass it to :func:`simulate` or :func:`budget_needed` instead of the table
    to run many plans on the same loans without reading the table each time. Read-only.
    """

    lender: np.ndarray  # object
    lender_codes: np.ndarray  # position of each loan's lender in lender_names
    lender_names: list[str]  # the distinct lender names, as text, in order of appearance
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
    inst: np.ndarray  # fen: an annuity's instalment; the monthly principal of equal-principal/flat-fee loans
    private: np.ndarray  # bool: private loans (民间借贷): no penalty rate, no compound interest
    cap: np.ndarray  # annual fraction: the enforceable line of total cost (lib.rates.legal_caps)
    in_use: np.ndarray  # share of the balance actually in use (received / amount borrowed, else 1)
    credit: np.ndarray  # fen (not rounded): what the line allowed over the contract's past months and it did not charge
    cost: np.ndarray  # annual fraction: what the rest of the contract really costs (avalanche ranks by it)


_METHOD_CODE: Final = {m: i for i, m in enumerate(METHODS)}
_ANN, _EP, _BULLET, _FLAT = (METHODS.index(m) for m in (ANNUITY, EQUAL_PRINCIPAL, BULLET, FLAT_FEE))


def _fen(x: Any) -> np.ndarray:
    return np.rint(np.asarray(x, dtype=np.float64) * 100.0)


def prepare(loans: pd.DataFrame | Mapping[str, np.ndarray] | Book) -> Book:
    """The loan table (:data:`lib.loans.COLUMNS`) as the engine reads it; a :class:`Book` is
    returned as it is. The table may also be given as its columns (name → numpy array), as
    :mod:`lib.negotiate` has them after changing a few. Raises ValueError on a table the
    engine cannot run.

    The instalment (``inst``) is the contract's: a stated monthly payment of an annuity on
    schedule (not one the reader derived), else :func:`lib.schedules.annuity_instalment`; for
    equal-principal and flat-fee loans the principal share rounded up to the fen
    (:func:`lib.schedules.front_split`).

    >>> from lib.loans import make_loans
    >>> b = prepare(make_loans([{"lender": "A", "balance": 1000.5, "annual_rate": 0.12,
    ...                          "remaining_months": 10}]))
    >>> b.bal.tolist(), b.mr.tolist(), b.rem.tolist(), list(b.lender_names), b.inst.tolist(), b.cap.tolist()
    ([100050.0], [0.01], [10], ['A'], [10564.0], [0.24])
    """
    if isinstance(loans, Book):
        return loans
    present = set(loans.columns) if isinstance(loans, pd.DataFrame) else set(loans)
    for name in ("balance", "annual_rate", "remaining_months"):
        if name not in present:
            raise ValueError(f"loan table lacks {name!r}")
    n = len(loans["balance"])

    def col(name: str, default: float = 0.0) -> np.ndarray:
        if name not in present:
            return np.full(n, default)
        s = loans[name]
        if s.dtype.kind not in "fiu":  # numbers as text, or nullable numbers
            s = pd.to_numeric(s, errors="coerce")
        if isinstance(s, np.ndarray):
            return s.astype(np.float64)
        return s.to_numpy(dtype=np.float64, na_value=np.nan)

    def text(name: str, default: str) -> np.ndarray:
        if name not in present:
            return np.full(n, default, dtype=object)
        s = loans[name]
        if isinstance(s, np.ndarray):
            return np.where(pd.isna(s), default, s).astype(object)
        return s.to_numpy(dtype=object, na_value=default)

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
    methods = text("method", ANNUITY)
    code = np.fromiter((_METHOD_CODE.get(str(m), -1) for m in methods), dtype=np.int64, count=n)  # -1: unknown
    if (code < 0).any():
        raise ValueError(f"unknown repayment method(s) {sorted({str(m) for m in methods[code < 0]})}")
    lender, kind = text("lender", ""), text("kind", "")

    bal, intr, pen, fee = _fen(balance), _fen(extra["interest"]), _fen(extra["penalty"]), _fen(extra["fees"])
    owed = bal + intr + pen + fee
    od = np.minimum(_fen(extra["overdue_amount"]), owed)
    is_bullet = code == _BULLET
    # Not yet due: the principal (and, for a bullet loan, its deferred interest) that is not in
    # arrears. Accrued charges that are not overdue fall due with the next instalment.
    nd = np.minimum(np.where(is_bullet, bal + intr, bal), owed - od)
    mr = rate / 12.0
    principal_amount = np.nan_to_num(col("principal_amount", np.nan), nan=0.0)
    received = np.nan_to_num(col("received", np.nan), nan=0.0)
    base = np.where(principal_amount > 0, _fen(principal_amount), bal)
    flat_fee = np.where(code == _FLAT, np.rint(base * mr), 0.0)
    months = np.maximum(rem, 1)
    inst, stated = _instalments(code, nd, bal, mr, months, col("monthly_payment", np.nan),
                                text("derived", "") if "monthly_payment" in present else None)
    in_use = np.where((received > 0) & (principal_amount > received), received / np.where(
        principal_amount > 0, principal_amount, 1.0), 1.0)
    private = kind == PRIVATE
    start = loans["start_date"] if "start_date" in present else np.full(n, np.datetime64("NaT", "ns"))
    cap = legal_caps(kind, np.asarray(start))
    credit = _past_credit(code, _fen(principal_amount), bal, col("term_months", np.nan), rem, mr, flat_fee,
                          cap / 12.0 * in_use)
    codes, names = _factorize([str(x) for x in lender])
    return Book(lender, codes, names, bal, intr, pen, fee, od, nd, rate, mr, rem, code, flat_fee,
                inst, private, cap, in_use, credit, _cost(code, rate, nd, months, inst, flat_fee, stated))


def rows_of(book: Book, rows: np.ndarray | Sequence[int]) -> Book:
    """The :class:`Book` of the table's ``rows`` (positions, in the order given), without reading
    the table again: every field of a book is worked out row by row, so this is what
    :func:`prepare` gives on ``table.iloc[rows]`` — provided each lender comes up in ``rows``
    in the same order as in the whole table (its lender names then keep their order), as when
    ``rows`` takes one version of each loan of a stacked table (:func:`lib.negotiate.find_plan`).

    >>> from lib.loans import make_loans
    >>> b = prepare(make_loans([{"lender": "A", "balance": 100, "annual_rate": 0.1, "remaining_months": 2},
    ...                         {"lender": "B", "balance": 200, "annual_rate": 0.2, "remaining_months": 4}]))
    >>> sub = rows_of(b, [1])
    >>> sub.bal.tolist(), list(sub.lender), sub.lender_names[sub.lender_codes[0]]
    ([20000.0], ['B'], 'B')
    """
    idx = np.asarray(rows, dtype=np.intp)
    return Book(*(getattr(book, f) if f == "lender_names" else getattr(book, f)[idx] for f in Book._fields))


def _past_credit(code: np.ndarray, amount: np.ndarray, bal: np.ndarray, term: np.ndarray, rem: np.ndarray,
                 mr: np.ndarray, flat_fee: np.ndarray, cap_m: np.ndarray) -> np.ndarray:
    """Fen of the enforceable line's allowance that the contract's elapsed months left unused
    (``term − rem`` months of the amount borrowed on its own schedule), for loans whose contract
    is known: the line is a yearly rate over the whole loan, so a flat fee that is cheap on the
    early, large balance may cost more than the line on the small balance at the end. An equal
    principal or flat-fee loan repays the same share a month, so its term follows from the amount
    borrowed, the balance and the months left when it is not given (``rem · amount / balance``).

    The principal outstanding over the elapsed months ``e`` sums in closed form: equal principal
    and flat fee ``A·e − (A/term)·e(e − 1)/2``; annuity ``A·S − pmt·(S − e)/r``,
    ``S = ((1 + r)^e − 1)/r``; interest only and bullet ``A·e``. What was charged: the flat fee
    ``e`` times, or ``r`` × that sum. Never negative (what was over-charged is not given back).

    >>> _past_credit(np.array([4, 4]), np.array([1_200_000.0] * 2), np.array([200_000.0] * 2),
    ...              np.array([12.0, np.nan]), np.array([2, 2]), np.array([0.01] * 2), np.array([12_000.0] * 2),
    ...              np.array([0.02] * 2)).tolist()  # 2 % × (12,000 + … + 3,000) − 10 × 120 = 300
    [30000.0, 30000.0]
    """
    even_share = ((code == _FLAT) | (code == _EP)) & (amount > bal) & (bal > 0) & (rem > 0)
    term = np.where(np.isnan(term) & even_share, rem + np.rint(rem * (amount - bal) / np.where(bal > 0, bal, 1.0)),
                    term)
    e = np.nan_to_num(term, nan=0.0) - rem
    known = (amount > 0) & (e > 0) & np.isfinite(cap_m)
    if not known.any():
        return np.zeros(len(code))
    e, t = np.where(known, e, 0.0), np.where(known, np.maximum(np.nan_to_num(term, nan=1.0), 1.0), 1.0)
    even = amount * e - amount / t * e * (e - 1.0) / 2.0
    with np.errstate(all="ignore"):
        grow = np.expm1(e * np.log1p(mr))  # (1 + r)^e − 1
        pmt = amount * mr / -np.expm1(-t * np.log1p(mr))
        ann = np.where(mr > 0, amount * grow / mr - pmt * (grow / mr - e), even)
    outstanding = np.select([code == _FLAT, code == _EP, code == _ANN], [even, even, ann], amount * e)
    charged = np.where(code == _FLAT, flat_fee * e, mr * outstanding)
    return np.where(known, np.maximum(cap_m * outstanding - charged, 0.0), 0.0)


def _factorize(names: list[str]) -> tuple[np.ndarray, list[str]]:
    """Each name's position among the distinct names, in order of appearance (pd.factorize in plain
    Python: a few loans are factorized in a tenth of its time).

    >>> _factorize(["b", "a", "b"])
    (array([0, 1, 0]), ['b', 'a'])
    """
    seen: dict[str, int] = {}
    codes = np.fromiter((seen.setdefault(x, len(seen)) for x in names), dtype=np.int64, count=len(names))
    return codes, list(seen)


def _instalments(code: np.ndarray, nd: np.ndarray, bal: np.ndarray, mr: np.ndarray, months: np.ndarray,
                 stated: np.ndarray, derived: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """Each loan's contract instalment in fen (see :func:`prepare`), and whether it is the stated one."""
    ann = (code == _ANN) & (mr > 0)
    spread = (code == _EP) | (code == _FLAT) | ((code == _ANN) & (mr <= 0))
    inst = np.where(spread, np.ceil(np.round(nd / months, 6)), 0.0)
    usable = np.zeros(len(code), dtype=bool)
    if ann.any():
        inst[ann] = annuity_instalment(nd[ann], mr[ann], months[ann])
        given = _fen(np.nan_to_num(stated, nan=0.0))
        usable = ann & (given > np.rint(nd * mr)) & (nd >= bal)  # it amortises, and the loan is on schedule
        if derived is not None and usable.any():
            usable &= np.array(["monthly_payment" not in str(d).split(",") for d in derived])
        inst = np.where(usable, given, inst)
    return inst, usable


def _cost(code: np.ndarray, rate: np.ndarray, nd: np.ndarray, months: np.ndarray, inst: np.ndarray,
          flat_fee: np.ndarray, stated: np.ndarray) -> np.ndarray:
    """What the rest of each contract really costs a year: 12 × the monthly IRR of what is not yet
    due against its remaining payments (a flat fee on the original principal costs far more than
    its stated rate as the balance falls; a stated instalment may carry fees the rate hides); the
    contract rate where the payments follow from it, or where they do not repay what is not yet
    due (a balloon at the end).

    >>> _cost(np.array([4]), np.array([0.12]), np.array([200_000.0]), np.array([2]), np.array([100_000.0]),
    ...       np.array([12_000.0]), np.array([False])).round(4).tolist()  # 2 × 1,120 on 2,000 (npf.rate: 7.9 %)
    [0.948]
    """
    out = rate.copy()
    irr = (nd > 0) & ((code == _FLAT) | stated)
    if irr.any():
        r = level_irr(nd[irr], np.where(code == _FLAT, inst + flat_fee, inst)[irr], months[irr].astype(np.float64))
        out[irr] = np.where(np.isfinite(r), 12.0 * r, out[irr])
    return out


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


# 0 and 1 as 0-d arrays: as operands of ufuncs on small arrays they skip the conversion a Python
# float costs on every call (a fifth of the call on a few loans). Read-only.
_ZERO: Final = np.zeros(())
_ONE: Final = np.ones(())
_ZERO.flags.writeable = _ONE.flags.writeable = False
_NO_CAP: Final = 1e9  # a monthly allowance per fen of principal that no charge reaches: no line


def _split(weights: np.ndarray, total: float, weights_sum: float | None = None) -> np.ndarray:
    """Split ``total`` fen over ``weights`` (fen, total <= sum) pro rata, in whole fen.

    Largest remainder: each gets the floor of its share, the fen left over go one each to the
    largest fractional remainders (ties to the lower row). Never more than its weight.
    ``weights_sum``: the sum of ``weights``, when the caller has it already.

    >>> _split(np.array([100.0, 300.0, 3.0]), 201.0).tolist()
    [50.0, 150.0, 1.0]
    """
    w_sum = np.add.reduce(weights) if weights_sum is None else weights_sum
    if total <= 0 or w_sum <= 0:
        return np.zeros(len(weights))
    if len(weights) <= _FEW:
        return np.array(_split_few(weights.tolist(), float(total), float(w_sum)))
    q = weights * total / w_sum
    share = np.minimum(np.floor(q), weights)
    k = int(total - np.add.reduce(share))  # (ufunc methods: less overhead than .sum() on few loans)
    if k > 0:  # the k largest remainders q - share are the k smallest share - q (full shares: never)
        share[_smallest(np.where(share < weights, share - q, _ONE), k)] += _ONE
    elif k < 0:  # float rounding of q pushed a floor up; take the fen back from the largest
        share[_largest(share, -k)] -= 1.0
    return share


_FEW: Final = 16  # up to this many loans a pro rata split in plain floats is cheaper than in numpy


def _split_few(weights: list[float], total: float, w_sum: float) -> list[float]:
    """:func:`_split` in plain floats, the same arithmetic and the same ties (a short month is
    split this way every month on a few loans, where a dozen numpy calls cost more than the split).

    >>> _split_few([100.0, 300.0, 3.0], 201.0, 403.0)
    [50.0, 150.0, 1.0]
    """
    q = [w * total / w_sum for w in weights]
    share = [float(min(math.floor(x), w)) for x, w in zip(q, weights, strict=True)]
    k = int(total - sum(share))
    n = len(share)
    if k > 0:  # the k largest remainders (full shares never), ties to the lower row
        key = [share[i] - q[i] if share[i] < weights[i] else 1.0 for i in range(n)]
        for i in sorted(range(n), key=key.__getitem__)[:k]:
            share[i] += 1.0
    elif k < 0:  # the largest shares give a fen back, ties to the lower row
        for i in sorted(range(n), key=lambda i: -share[i])[:-k]:
            share[i] -= 1.0
    return share


def _smallest(values: np.ndarray, k: int) -> np.ndarray:
    """Positions of the ``k`` smallest values, ties to the lower position (as a stable sort
    would pick them), in O(n)."""
    k = min(k, len(values))
    if k <= 0:
        return np.zeros(0, dtype=np.int64)
    if len(values) <= 512:  # a sort is cheaper than partition + two scans on few loans
        return values.argsort(kind="stable")[:k]
    threshold = np.partition(values, k - 1)[k - 1]
    below = np.flatnonzero(values < threshold)
    ties = np.flatnonzero(values == threshold)[: k - len(below)]
    return np.concatenate([below, ties])


def _largest(values: np.ndarray, k: int) -> np.ndarray:
    """Positions of the ``k`` largest values, ties to the lower position (as a stable sort by
    descending value would pick them), in O(n)."""
    return _smallest(-values, k)


def _cascade(room: np.ndarray, total: float, order: np.ndarray) -> np.ndarray:
    """Pour ``total`` fen into ``room`` in ``order`` (first fills first, leftover flows on).

    Only the head of ``order`` that the money reaches is looked at (it grows until its room
    covers ``total``), so a month that clears two loans does not scan ten thousand.

    >>> _cascade(np.array([5.0, 3.0, 4.0]), 6.0, np.array([2, 1, 0])).tolist()
    [0.0, 2.0, 4.0]
    """
    out = np.zeros(len(room))
    k = 64
    while True:
        head = order[:k]
        r = room[head]
        filled = np.add.accumulate(r)  # np.cumsum, without its Python wrapper
        if filled[-1] >= total or k >= len(order):
            break
        k *= 8
    out[head] = np.minimum(np.maximum(total - (filled - r), _ZERO), r)  # np.clip(…, 0, r), cheaper
    return out


# What the month loop records for the schedule (fen), in SCHEDULE_COLUMNS order after `lender`.
_RECORDED: Final = SCHEDULE_COLUMNS[3:]

# The month's record ``rec`` in _run: one float row per item below, one column per loan in the
# arrays (fen). The loop writes each row in place as it works the month out, and the schedule
# takes the whole array in one copy (only the open loans' columns when some are cleared). The
# rows are in the order that suits the loop, not SCHEDULE_COLUMNS' (see _Recorder.columns).
_PAID: Final = slice(0, 4)  # paid, as running sums in settlement order: fees, +penalty, +interest,
_PAY: Final = 3  # +principal = the payment (the parts are told apart once, at the end)
_ACC_FEE, _ACC_PEN, _ACC_INT = 4, 5, 6  # accrued this month: fees, penalty, interest
_OWED, _DUE, _BAL, _OD = 7, 8, 9, 10  # owed after the month, due, balance and overdue after it
_LOAN: Final = 11  # the loan's row in the loan table (a whole number)
_N_REC: Final = 12
# the rows of fees, penalty, interest in the order they are kept when the line cuts: interest, fees,
# penalty (so penalty is cut first, then fees, then interest)
_KEEP_ORDER: Final = np.array([_ACC_INT - _ACC_FEE, 0, _ACC_PEN - _ACC_FEE])
_TOTALS: Final = slice(_PAY, _OWED + 1)  # payment, the three accrued, owed: the month's sums


def _grows_for_ever(owed: np.ndarray, pr: np.ndarray, rem: np.ndarray, month: int, budget: float,
                    by_pr: np.ndarray | None = None) -> bool:
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
    first (``by_pr``: all positions in that order, ties to the lower, when the caller has it).

    >>> _grows_for_ever(np.array([10_000_000.0]), np.array([0.03]), np.array([0.0]), 1, 150_000.0)
    True
    >>> _grows_for_ever(np.array([10_000_000.0]), np.array([0.03]), np.array([5.0]), 1, 150_000.0)
    False
    """
    if by_pr is None:
        by_pr = (-pr).argsort(kind="stable")
    cand = by_pr[((owed > 0.0) & (pr > 0.0) & (rem <= month))[by_pr]]
    if not len(cand):
        return False
    p = pr[cand]
    return bool((p * np.add.accumulate(owed[cand]) - 2.0 * np.arange(1, len(p) + 1) >= budget + 1.0).any())


def _at_the_line_for_ever(owed: np.ndarray, bal: np.ndarray, cap_m: np.ndarray, rem: np.ndarray, month: int,
                          budget: float, at_line: np.ndarray) -> bool:
    """A proof that loans held to their enforceable line can never be cleared with ``budget`` fen
    a month from now on (the uncapped proof, :func:`_grows_for_ever`, does not apply to them: the
    line caps their growth).

    Suppose every open loan is past its term (all it owes is due, so a short month is split pro
    rata by what is due), was at its line this month (its charges were cut: they will be again,
    as what it owes only grows), and each one's charges next month, ``a = floor(cap_m × balance)``,
    are more than its share of the budget, ``budget × (owed + a) / Σ(owed + a)`` (+ 2 fen for the
    rounding of the split). Then no loan's payment reaches its principal: the balances, and so the
    charges, stay; every loan owes more each month; and a loan's share of the dues next month is
    a mix of its share now and its share of the charges, ``a / Σa`` — both below ``a / budget``
    (the second because ``Σa >= budget``) — so the same holds again, for ever.

    >>> owed, bal = np.array([1_000_000.0, 500_000.0]), np.array([1_000_000.0, 500_000.0])
    >>> cap = np.array([0.02, 0.02]), np.array([0.0, 0.0]), np.array([True, True])
    >>> _at_the_line_for_ever(owed, bal, cap[0], cap[1], 3, 25_000.0, cap[2])  # 30,000 of charges > 25,000
    True
    >>> _at_the_line_for_ever(owed, bal, cap[0], cap[1], 3, 31_000.0, cap[2])  # the budget outruns them
    False
    """
    live = owed > 0.0
    if not (rem[live] <= month).all() or not at_line[live].all():
        return False
    a = np.floor(bal[live] * cap_m[live])
    due = owed[live] + a
    share = budget * (due + 1.0) / np.add.reduce(due)
    return bool(np.add.reduce(a) >= budget + 1.0 and (a >= share + 2.0).all())


class _Recorder:
    """Collects the schedule's rows month by month: each month's record (``rec`` in _run, one
    column per open loan) is copied in one go into preallocated (record rows × loan-months)
    blocks, one per ``chunk`` loan-months, and turned into the schedule's columns once at the
    end (:meth:`columns`)."""

    def __init__(self, n_loans: int, months: int) -> None:
        self.chunk = max(n_loans * months, 1)
        self.blocks: list[np.ndarray] = []
        self.months: list[int] = []  # month of each add, and its number of loans:
        self.counts: list[int] = []  # the `month` column is np.repeat of these at the end
        self.pos = self.chunk  # forces a first block
        self.scratch = np.empty(_N_REC * n_loans)  # for the open loans' columns (no fresh memory)

    def add(self, month: int, rec: np.ndarray, sel: np.ndarray | None = None) -> None:
        """Record ``rec``, or only its columns ``sel``."""
        k = rec.shape[1] if sel is None else len(sel)
        if self.pos + k > self.chunk:
            if self.blocks:
                self.blocks[-1] = self.blocks[-1][:, : self.pos]
            self.chunk = max(self.chunk, k)
            self.blocks.append(np.empty((_N_REC, self.chunk)))
            self.pos = 0
        dest = self.blocks[-1][:, self.pos : self.pos + k]
        if sel is None:
            dest[...] = rec
        elif k <= 512:  # few loans: one take (into scratch memory, "clip": no checks), one copy
            dest[...] = rec.take(sel, axis=1, out=self.scratch[: _N_REC * k].reshape(_N_REC, k), mode="clip")
        else:  # many: a take per row straight into the block saves a pass over the memory
            for row, out in zip(rec, dest, strict=True):
                row.take(sel, out=out, mode="clip")
        self.pos += k
        self.months.append(month)
        self.counts.append(k)

    def columns(self) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
        """(month, loan, {column of _RECORDED: values in CNY}); the columns are views of the
        block (principal excepted) when one block was enough."""
        if self.blocks:
            self.blocks[-1] = self.blocks[-1][:, : self.pos]
            block = self.blocks[0] if len(self.blocks) == 1 else np.concatenate(self.blocks, axis=1)
        else:
            block = np.zeros((_N_REC, 0))
        month = np.repeat(np.array(self.months, dtype=np.int64), self.counts)
        loan = block[_LOAN].astype(np.int64)
        # The running sums of what was paid become its parts (exact: whole fen); from the back,
        # so that each row still holds its running sum when the next one takes it off.
        paid = block[_PAID]
        principal = paid[3] - paid[2]
        paid[2] -= paid[1]  # interest
        paid[1] -= paid[0]  # penalty (paid[0]: fees)
        block[:_LOAN] /= 100.0
        principal /= 100.0
        cols = {"payment": block[_PAY], "fees": paid[0], "penalty": paid[1], "interest": paid[2],
                "principal": principal, "balance": block[_BAL], "owed": block[_OWED],
                "overdue": block[_OD], "due": block[_DUE], "interest_accrued": block[_ACC_INT],
                "penalty_accrued": block[_ACC_PEN], "fees_accrued": block[_ACC_FEE]}
        return month, loan, {c: cols[c] for c in _RECORDED}


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
    book: Book,
    budget: float,
    strategy: str,
    penalty_multiple: float,
    horizon: int,
    lumps: dict[int, float],
    changes: dict[int, float],
    custom_rank: np.ndarray | None,
    record: bool | str,  # True: schedule and monthly; "monthly": monthly only; False: neither
    give_up: bool = True,
    enforce: bool = True,  # cap each loan's charges at its enforceable line (see simulate)
    stop_short: bool = False,  # stop after the first month whose dues the money cannot pay
) -> _Run:
    """The month loop. All money in fen (float64 holding whole numbers).

    On a few loans a numpy call costs about a microsecond whatever its size, so the state is
    kept in a few stacked arrays (one row per item, one column per loan) that a month updates
    with few calls:

    * ``owe`` (4 rows): what each loan owes as running sums in settlement order — fees,
      +penalty, +interest, +principal — so ``owe[3]`` is all it owes, and a payment ``p``
      settles ``min(owe[k], p)`` of the first k + 1 parts: "fees, then penalty, then interest,
      then principal" is one ``np.minimum``;
    * ``rec`` (rows _PAID … _LOAN): the month's record, filled in place as the month is worked
      out; its rows ``bal`` and ``od`` (balance and arrears after the month) are also the
      state the next month starts from;
    * ``carry``: the sub-fen remainders of penalty and (bullet loans only) interest, and ``x``
      the two before rounding (the same order as rec[_ACC_PEN], rec[_ACC_INT]: one call rounds
      both);
    * ``consts``: per-loan constants, see below (the contract instalment ``inst`` among them);
      ``nd`` (owed but not yet due).

    Loans that are cleared are dropped from the arrays now and then (they owe nothing and
    accrue nothing, so this changes no result); ``rec[_LOAN]`` maps positions back to rows.
    """
    n = len(book.bal)
    code, mr = book.code, book.mr
    is_ann = code == _ANN
    int_rate = np.where(code == _FLAT, 0.0, mr)  # flat fee charged instead
    # What an overdue amount costs a month in all (银发〔2003〕251号: contract rate + 30–50 %):
    # on overdue interest and penalty (复利) the whole rate, on overdue principal the part above
    # its interest. Private loans: the contract rate only, no compound interest (法释〔2020〕17号
    # art. 28, with no agreed overdue rate). Fees bear neither (银发〔2016〕111号 for cards).
    pr = np.where(book.private, 0.0, book.rate * penalty_multiple / 12.0)
    amr = np.where(is_ann & (mr > 0), mr, 0.0)  # annuities bearing interest
    # loans repaying a fixed share of principal: equal principal, flat fee, and annuities at 0 %
    spread = (code == _FLAT) | (code == _EP) | (is_ann & (amr == 0))
    capped = enforce and bool(np.isfinite(book.cap).any())
    # the line's allowance a month per fen of principal (in use); none: a rate no charge reaches
    cap_m = np.where(np.isfinite(book.cap), book.cap / 12.0 * book.in_use, _NO_CAP) if capped else np.full(n, _NO_CAP)
    cost = np.minimum(book.cost, book.cap) if capped else book.cost
    # Per-loan constants, stacked so that dropping cleared loans is one `take` (see loans_now)
    consts = np.stack([
        cost, book.rem.astype(np.float64), book.flat_fee,
        custom_rank if custom_rank is not None else np.zeros(n),
        int_rate, pr,
        np.maximum(pr - int_rate, 0.0),  # penalty on overdue principal (it bears int_rate already)
        amr, spread.astype(np.float64), (code == _BULLET).astype(np.float64), cap_m,
        # for the proof that a plan never ends: the rate every non-fee fen past due costs, if uncapped
        np.where(cap_m < _NO_CAP, 0.0, pr),
    ])
    owe = np.add.accumulate(np.stack([book.fee, book.pen, book.intr, book.bal]), axis=0)
    nd = book.nd.copy()
    inst = book.inst  # (read only)
    room = book.credit.copy() if capped else np.zeros(n)  # fen the line still allows (see below)
    carry = np.zeros((2, n))
    x = np.empty((2, n))
    rec = np.zeros((_N_REC, n))
    rec[_BAL], rec[_OD], rec[_LOAN] = book.bal, book.od, np.arange(n)

    owed0 = float(np.add.reduce(owe[3]))
    total = owed0
    last_event = max([0, *lumps, *changes])
    paid_sum = acc_int_sum = acc_pen_sum = acc_fee_sum = 0.0
    rows = _Recorder(n, min(horizon, 120)) if record is True else None
    monthly: list[tuple[float, ...]] | None = [] if record else None
    if total <= 0:
        return _Run(0, None, 0, 0.0, 0.0, 0.0, 0.0, owed0, 0.0, budget, rows, monthly)

    def loans_now() -> tuple[Any, ...]:
        """The constants' rows, and what follows from them, for the current set of loans."""
        cost, rem, flat_fee, rank, int_rate, pr, pr_extra, amr, spread, bullet, cap_m, pr_proof = consts
        ann = amr > 0
        by_pr = (-pr_proof).argsort(kind="stable")  # for _grows_for_ever
        avalanche = custom = None
        if strategy in ("avalanche", "overdue_first", "custom"):
            avalanche = (-cost).argsort(kind="stable")
        if strategy == "custom":
            custom = avalanche[rank[avalanche].argsort(kind="stable")]
        return (rem, flat_fee, int_rate, pr, pr_extra, amr, spread, bullet, cap_m, pr_proof, ann,
                bool(ann.any()), bool(flat_fee.any()), bool(bullet.any()), bool((cap_m < _NO_CAP).any()),
                by_pr, avalanche, custom)

    def rows_now() -> tuple[np.ndarray, ...]:
        """Views of the state's rows, made once rather than in every month (each costs time)."""
        return (owe[0], owe[1:], owe[2:], owe[2], owe[3], rec[_PAID], rec[_ACC_FEE], rec[_ACC_PEN],
                rec[_ACC_INT], rec[_ACC_PEN : _ACC_INT + 1], rec[_ACC_FEE : _ACC_INT + 1], rec[_DUE], rec[_OWED],
                rec[_BAL], rec[_OD], rec[_TOTALS], x[0], x[1], carry[0], carry[1])

    (rem, flat_fee, int_rate, pr, pr_extra, amr, spread, bullet, cap_m, pr_proof, ann, has_ann, has_fee,
     has_bullet, has_cap, by_pr, avalanche, custom) = loans_now()
    # owe_fees, owe_from_pen, owe_from_int: the running sums from fees, penalty, interest on;
    # charges: fees + penalty + interest
    (owe_fees, owe_from_pen, owe_from_int, charges, owed, paid_rows, acc_fee, acc_pen, acc_int, acc_pen_int,
     acc_all, due, owed_after, bal, od, totals, x_pen, x_int, carry_pen, carry_int) = rows_now()
    open_ = owed > 0.0
    all_open = bool(open_.all())
    at_line: np.ndarray | None = None  # the loans whose charges the line cut this month
    shrink_at = 0.75 * n  # drop cleared loans from the arrays once no more than this many are open
    last_term = float(book.rem.max()) if n else 0.0  # after this month every contract is over
    nothing_due = np.zeros(n)  # (read only)
    cur_budget = budget
    prev_total = total
    month_done: int | None = None
    stopped: str | None = HORIZON
    m = 0
    for m in range(1, horizon + 1):
        cur_budget = changes.get(m, cur_budget)
        lump = lumps.get(m, 0.0)
        cash = cur_budget + lump
        left = rem - (m - 1.0)  # contract months left, counting this one

        # 1. accrue (to the fen) into rec[_ACC_*]: interest on the principal (a bullet loan's
        # with its sub-fen remainder carried, as its contract sums it; the others are rounded
        # each month, as lenders do), penalty on the arrears (its remainder carried).
        np.multiply(bal, int_rate, out=x_int)
        if has_bullet:
            x_int += carry_int * bullet
        late = np.count_nonzero(od)
        if late:
            od_prin = np.maximum(bal - nd, _ZERO)  # overdue principal (never above od = owed − nd)
            np.multiply(od_prin, pr_extra, out=x_pen)
            x_pen += np.maximum(od - od_prin - owe_fees, _ZERO) * pr
            x_pen += carry_pen
            np.rint(x, out=acc_pen_int)
            np.subtract(x, acc_pen_int, out=carry)
        else:  # nothing overdue: no penalty (|carried| <= 0.5 fen rounds to 0)
            np.rint(x_int, out=acc_int)
            np.subtract(x_int, acc_int, out=carry_int)
            acc_pen.fill(0.0)
        past = m > last_term  # every contract is over: no fee, no instalment, everything is due
        if has_fee and not past:  # in the contract term (left >= 1: whole months) with principal outstanding
            np.multiply(flat_fee, np.minimum(left, bal) > _ZERO, out=acc_fee)
        elif has_fee:
            acc_fee.fill(0.0)
        if has_cap:  # the enforceable line: all charges together at most cap_m × principal, month
            # by month, what a month leaves unused staying allowed later (the line is a yearly
            # rate over the loan, not a monthly one: a flat fee charged on a falling balance)
            room += bal * cap_m  # (not rounded: twelve months of a line add up to it, in whole fen)
            charged = np.add.reduce(acc_all, axis=0)  # fees + penalty + interest of the month
            at_line = None  # (whole fen within the room are within its whole fen: nothing to cut)
            if (charged > room).any():  # cut what is above the room: penalty first, then fees, interest
                over = charged - np.floor(room + 1e-6)
                at_line = over > _ZERO
                np.maximum(over, _ZERO, out=over)
                # what stays of interest, interest + fees, + penalty: min(running sum, charged − over)
                kept = np.minimum(np.add.accumulate(acc_all.take(_KEEP_ORDER, axis=0), axis=0), charged - over)
                kept[1:] -= kept[:-1].copy()
                carry_int *= kept[0] == acc_int
                carry_pen *= kept[2] == acc_pen
                acc_all[_KEEP_ORDER] = kept
                charged -= over
            room -= charged
        owe_from_pen += acc_pen
        owe_from_int += acc_int
        if has_fee:
            owe += acc_fee

        # 2. what stays not yet due after this month's instalment: an annuity's fixed instalment
        # less the interest on the scheduled part; the fixed share of principal; nothing
        # (interest only, bullet) — and nothing at all in the last contract month or after it.
        # An extra repayment leaves the instalment as it is: the loan ends sooner (月供不变，缩短期限),
        # so no month ever asks more than the contract's own plan for that month.
        if past:
            nd_new = nothing_due
            due[:] = owed
        else:
            more = left > _ONE
            if has_ann:  # (with nothing overdue all principal is scheduled: the month's interest)
                sched = np.where(nd >= bal, acc_int, np.minimum(np.rint(nd * amr), acc_int)) if late else acc_int
                step = np.where(ann, inst - sched, spread * np.minimum(inst, nd))
            else:
                step = spread * np.minimum(inst, nd)
            np.minimum(np.maximum(step, _ZERO, out=step), nd, out=step)  # (np.clip costs 5× as much)
            nd_new = nd - step
            if has_bullet:
                nd_new += acc_int * bullet  # bullet: the interest waits too
            nd_new *= more
            np.subtract(owed, nd_new, out=due)
        due_sum = float(np.add.reduce(due))

        # 3./4. pay dues (pro rata when short), then the leftover by strategy
        spare = cash - due_sum
        if spare >= 0:
            pay = due
            if spare > 0:
                room_sum = float(np.add.reduce(nd_new))
                if spare >= room_sum:
                    pay = owed
                elif strategy == "pro_rata":
                    pay = due + _split(nd_new, spare, room_sum)
                else:
                    if strategy == "avalanche":
                        order = avalanche
                    elif strategy == "snowball":
                        order = nd_new.argsort(kind="stable")
                    elif strategy == "overdue_first":
                        order = avalanche[(-(od * pr)[avalanche]).argsort(kind="stable")]
                    else:
                        order = custom
                    pay = due + _cascade(nd_new, spare, order)
        else:
            pay = _split(due, cash, due_sum)

        # 5. settle fees → penalty → interest → principal: min(owe[k], pay) pays parts 0..k
        np.minimum(owe, pay, out=paid_rows)
        owe -= paid_rows
        np.subtract(owed, charges, out=bal)
        owed_after[:] = owed
        nd = np.minimum(nd_new, owed)
        np.subtract(owed, nd, out=od)

        paid, af, ap, ai, total = np.add.reduce(totals, axis=1).tolist()
        paid_sum += paid
        acc_int_sum += ai
        acc_pen_sum += ap
        acc_fee_sum += af
        if rows is not None:  # the loans open at the start of the month
            rows.add(m, rec, None if all_open else open_.nonzero()[0])
        if monthly is not None:  # in MONTHLY_COLUMNS order
            monthly.append((m, cash, lump, due_sum, paid, max(-spare, 0.0), total, ai, ap, af,
                            float(np.add.reduce(od))))
        if total <= 0:
            month_done, stopped = m, None
            break
        if stop_short and spare < 0:
            stopped = SHORT
            break

        # Never-ending? Only once no event is ahead (the budget is fixed from here on), and
        # only looked into in a month the total did not fall. (give_up=False: on to the horizon.)
        if give_up and m >= last_event:
            if cur_budget <= 0:  # nothing will ever be paid again
                stopped = NEVER_CLEARS
                break
            if total >= prev_total and (
                    _grows_for_ever(owed - owe_fees, pr_proof, rem, m, cur_budget, by_pr)
                    or (at_line is not None and _at_the_line_for_ever(owed, bal, cap_m, rem, m, cur_budget, at_line))):
                stopped = NEVER_CLEARS
                break
            if total > cur_budget * (horizon - m):
                break  # out of reach: not even the whole budget of every month left would clear it
        prev_total = total

        # The loans open next month (owed >= 0: nonzero is open); drop cleared loans once they
        # are a quarter of the arrays.
        n_open = int(np.count_nonzero(owed))
        all_open = n_open == len(owed)
        if not all_open:
            open_ = owed > 0.0
        if n_open <= shrink_at:
            sel = open_.nonzero()[0]
            consts, owe, carry, rec = (a.take(sel, axis=1) for a in (consts, owe, carry, rec))
            nd, inst, room = nd[sel], inst[sel], room[sel]
            x = np.empty((2, len(sel)))
            shrink_at = 0.75 * len(sel)
            nothing_due = np.zeros(len(sel))
            (rem, flat_fee, int_rate, pr, pr_extra, amr, spread, bullet, cap_m, pr_proof, ann, has_ann, has_fee,
             has_bullet, has_cap, by_pr, avalanche, custom) = loans_now()
            (owe_fees, owe_from_pen, owe_from_int, charges, owed, paid_rows, acc_fee, acc_pen, acc_int,
             acc_pen_int, acc_all, due, owed_after, bal, od, totals, x_pen, x_int, carry_pen, carry_int) = rows_now()
            all_open = True
    return _Run(month_done, stopped, m, paid_sum, acc_int_sum, acc_pen_sum, acc_fee_sum, owed0, total,
                cur_budget, rows, monthly)


def _check(strategy: str, order: Sequence[str] | None, book: Book, penalty_multiple: float,
           basis: str = "enforceable") -> np.ndarray | None:
    if basis not in BASES:
        raise ValueError(f"unknown basis {basis!r}; choose one of {BASES}")
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


_EMPTY_SCHEDULE: Final = pd.DataFrame({"month": np.zeros(0, dtype=np.int64), "loan": np.zeros(0, dtype=np.int64),
                                       "lender": pd.Categorical([]),
                                       **{c: np.zeros(0) for c in _RECORDED}})


def _to_frames(book: Book, run: _Run) -> tuple[pd.DataFrame, pd.DataFrame]:
    if run.rows is None:  # not recorded: an empty schedule (a copy, so a caller may change it)
        schedule = _EMPTY_SCHEDULE.copy(deep=False)
    else:
        month, loan, cols = run.rows.columns()
        lender = pd.Categorical.from_codes(book.lender_codes[loan], categories=book.lender_names)
        schedule = pd.DataFrame({"month": month, "loan": loan, "lender": lender, **cols}, copy=False)
    mon = np.array(run.monthly or [], dtype=np.float64).reshape(-1, len(MONTHLY_COLUMNS)).T
    monthly = pd.DataFrame({"month": mon[0].astype(np.int64),
                            **dict(zip(MONTHLY_COLUMNS[1:], mon[1:] / 100.0, strict=True))}, copy=False)
    return schedule, monthly


def simulate(
    loans: pd.DataFrame | Book,
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
    basis: str = "enforceable",
    stop_when_short: bool = False,
) -> PayoffResult:
    """Pay ``budget`` a month (CNY) into ``loans`` by ``strategy`` until they are cleared.

    ``detail=False`` skips building ``schedule`` and ``monthly`` (left empty): the totals
    only, several times faster on small books (strategy comparisons); ``detail="monthly"``
    builds ``monthly`` only (timelines of whole plans).

    ``loans`` is the loan table (:data:`lib.loans.COLUMNS`; rows are identified by position:
    the schedule's ``loan`` column, so duplicate lender names are fine), or the same read once
    by :func:`prepare`.

    The contract instalment of a month, by method, on the part not yet due (``nd``; the
    principal balance when the loan is on schedule) — the contract's own figures, so that a
    budget equal to the contract dues clears every loan on its schedule (:mod:`lib.schedules`
    gives the same plan, to the fen):

    * annuity (等额本息): the same instalment every month (a stated monthly payment, or
      :func:`lib.schedules.annuity_instalment`), of which the month's interest is paid and the
      rest repays principal; the last contract month settles what is left; arrears are owed on
      top, never re-spread;
    * equal principal (等额本金) and flat fee: the same share of principal every month (rounded up
      to the fen), plus the month's interest (or flat fee);
    * interest only (先息后本): the month's interest; the principal in the last month;
    * bullet (一次性还本付息): nothing until the last month; then principal and all interest;
    * in the last contract month, and after it, everything owed is due.

    An extra repayment leaves the instalment as it is and the loan ends sooner (月供不变，缩短期限),
    so no month ever asks more than the contract's own plan for that month.

    Interest, penalty and fees accrued during the month are due that month (except a bullet
    loan's interest, due at the end); interest, penalty and fees already owed at the start and
    not counted in ``overdue_amount`` fall due in month 1.

    What arrears grow to (``basis``): the penalty rate is ``penalty_multiple`` × the contract
    rate (银发〔2003〕251号: contract rate + 30–50 %) on overdue principal and, compounding, on
    overdue interest and penalty; fees bear none (银发〔2016〕111号 for cards); private loans bear
    their contract rate on overdue principal only (法释〔2020〕17号 art. 28: no agreed overdue rate).
    Under ``basis="enforceable"`` (the default) each loan's interest, penalty and fees *together*
    are at most its enforceable line a year (:func:`lib.rates.legal_caps`: 24 % for licensed
    lenders, 法发〔2017〕22号; 4 × LPR for private loans) on the principal in use (the balance ×
    received / amount borrowed when money was deducted up front), charged month by month
    (penalty cut first, then fees, then interest): what a court upholds when the borrower
    objects. Each month's charges at most the line × the principal keep the plan's own IRR
    at most the line. ``basis="contractual"`` is the lender's claim under the contract, uncapped.

    Leftover after the dues goes to what is not yet due, by strategy: ``avalanche`` (the highest
    real cost first: 12 × the monthly IRR of the rest of the contract, so a flat fee on the
    original principal or a stated instalment above the rate ranks by what it really costs;
    under the enforceable basis at most the line), ``snowball`` (smallest amount still owed after
    this month's dues first), ``pro_rata`` (split by that amount), ``overdue_first`` (largest
    penalty accrual this month, ``overdue·rate·penalty_multiple/12``, first; then avalanche),
    ``custom`` (the lenders in ``order``; a name shared by several loans takes them all in
    avalanche order; lenders not named come last in avalanche order). Ties go to the lower row.

    Events: ``lump_sums={month: amount}`` adds one-off cash to that month (month 1 = cash
    available now); ``budget_changes={month: budget}`` sets the budget from that month on.
    Money left after everything is cleared is not spent.

    A short month's money is split pro rata by due in whole fen (largest remainder; ties to the
    lower row). Interest is rounded to the fen each month (a bullet loan's with the sub-fen
    remainder carried, as its contract sums it); penalty with the remainder carried, per loan.
    ``stop_when_short=True`` stops after the first month whose dues the money cannot pay
    (``reason="short"``): enough to know whether, and where, a plan fails.

    A plan that cannot clear within ``horizon`` months stops with ``reason="horizon"``: at the
    horizon, or as soon as, with no event ahead, more is owed than the budget of every month
    left could pay (``give_up=False`` runs on to the horizon instead, with no early stop at all:
    what the debt grows to if it is left unpaid). One that provably cannot
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
    book = prepare(loans)
    rank = _check(strategy, order, book, penalty_multiple, basis)
    lumps, changes = _events(lump_sums, "lump_sums"), _events(budget_changes, "budget_changes")
    run = _run(book, float(np.rint(budget * 100.0)), strategy, penalty_multiple, int(horizon),
               lumps, changes, rank, record=detail, give_up=give_up, enforce=basis == "enforceable",
               stop_short=stop_when_short)
    finishes = run.months is not None
    needed = None
    if not finishes and target_months is not None:
        needed = budget_needed(book, target_months, strategy, penalty_multiple=penalty_multiple,
                               lump_sums=lump_sums, order=order, basis=basis)
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
    loans: pd.DataFrame | Book,
    months: int,
    strategy: str = "avalanche",
    *,
    penalty_multiple: float = 1.5,
    lump_sums: Mapping[int, float] | None = None,
    order: Sequence[str] | None = None,
    basis: str = "enforceable",
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
    book = prepare(loans)
    rank = _check(strategy, order, book, penalty_multiple, basis)
    lumps = _events(lump_sums, "lump_sums")

    def clears(fen: float) -> bool:
        run = _run(book, fen, strategy, penalty_multiple, months, lumps, {}, rank, record=False,
                   enforce=basis == "enforceable")
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
