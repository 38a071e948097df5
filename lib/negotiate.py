"""Negotiation options: what a lender may agree to, priced by the payoff engine.

DESIGN.md §3 "How negotiation options work in the model"; issue 4 §1. Every option is a
*transformation of loan rows*: the loan table in, a loan table out (:func:`apply`,
:func:`apply_plan`); the same engine, :func:`lib.payoff.simulate`, then pays the whole
portfolio under the borrower's :class:`lib.capacity.Capacity` (:func:`run_plan`). There is no
second engine here.

The options (:class:`Option`; defaults and ranges in :data:`OPTION_SPECS`):

* **baseline** — keep the contract; what cannot be paid stays overdue and accrues penalty.
* **extension** (展期) — the whole amount owed (principal, overdue principal *and* accrued
  interest, penalty and fees — the arrears are folded into the rescheduled balance, nothing is
  forgiven) is re-spread over ``remaining_months + extension_months`` at the contract rate by
  the loan's own method (an annuity stays an annuity: ``pmt(r/12, n + k, owed)``; interest-only
  and bullet loans keep their method with a later maturity; a flat-fee loan is re-instalmented
  with the fee charged on the rescheduled balance). ``overdue_amount`` and ``overdue_days`` go
  to 0. Not offered for credit cards (their restructuring is the article-70 instalment plan).
  Optional grace period of ``grace_months`` *before* those ``n + k`` months: interest only, or
  nothing due (the interest then accrues and is added to the principal when the grace ends).
* **waiver** (减免) — ``waive_penalty_pct`` of the accrued penalty, ``waive_interest_pct`` of the
  accrued interest and ``waive_fees_pct`` of the fees are forgiven (each rounded to the fen);
  the arrears shrink by what is forgiven; optionally ``new_rate`` from now on (never a rise:
  ``min(contract rate, new_rate)``). The contract otherwise stands.
* **instalments** (个性化分期 / 停息分期) — the total owed (after any waiver) in
  ``instalments_months`` equal monthly payments at ``plan_rate`` (annuity; 0 % = owed / N);
  credit cards: article 70 of the credit-card rules, up to 60 months.
* **settlement** (减免本金 / 一次性结清) — ``settle_pct`` of the total owed, at 0 %, in month 1
  (``settle_months = 1``) or over ``settle_months`` equal payments; the rest is forgiven.
* **combinations** — an extension or instalment option with ``with_waiver=True`` applies the
  waiver first ("waiver+instalments" is the most common outcome).

How often lenders grant each (:attr:`Option.grant_likelihood`) and how it shows in the credit
record (征信, :attr:`Option.credit_note_key`) follow DESIGN.md §3: penalty and interest waivers
and instalments are common, extensions sometimes, principal reduction rare (the article warns
that principal is seldom cut); extensions, instalment agreements and reductions show as special
transactions (展期 / 个性化分期 / 债务减免); negative records stay 5 years from the end of the bad
behaviour.

Comparing and asking: :func:`compare_options` runs each option portfolio-wide side by side;
:func:`what_to_ask` (:func:`find_plan`) climbs a ladder of concessions (:data:`LADDER`, then
:data:`LAST_RESORT`) lender by lender until the whole plan fits the capacity, and says what to
ask each lender for, or by how much a month nothing reasonable fits.

Model notes and limits
----------------------
* Every transformed row is a fresh contract: ``principal_amount`` = the rescheduled balance,
  ``term_months`` = its months, ``received`` and ``start_date`` unknown, ``monthly_payment``
  re-derived (:func:`lib.schedules.contract_payment`). Lender, kind and source row are kept.
* The engine's penalty is ``annual_rate × penalty_multiple``: a plan at 0 % (停息分期, a
  settlement) bears *no* penalty when a payment is missed. The model assumes the agreement holds;
  read ``fits`` first — a plan that does not fit would in reality be broken off by the lender.
* Grace periods cannot be written in the loan table (it has no "starts later" column), so
  :func:`run_plan` runs the engine in phases: for ``g`` months the loan is interest-only (or
  bullet: nothing due), then the engine's state after month ``g`` — principal, interest,
  penalty, fees, arrears of every loan, read off the schedule — becomes a new loan table in
  which the loan turns into its extended contract (``n + k`` months), and the engine runs on.
  Totals are exact to the fen across the switch; only the sub-fen remainders the engine carries
  between months (< half a fen per loan) restart at the switch. :func:`apply` alone returns the
  month-1 table (the grace phase).

>>> from lib.loans import make_loans
>>> loans = make_loans([{"lender": "A", "balance": 9000, "annual_rate": 0.18, "remaining_months": 6,
...                      "penalty": 300, "interest": 200, "fees": 100, "overdue_amount": 1800}])
>>> new, waived = apply(Option("instalments", with_waiver=True, instalments_months=12), loans)
>>> float(waived[0]), float(new.loc[0, "balance"]), float(new.loc[0, "monthly_payment"])
(500.0, 9100.0, 758.34)
>>> out = run_plan(Option("instalments", with_waiver=True, instalments_months=12), loans, Capacity(income=760))
>>> out.result.months_to_debt_free, out.result.total_paid  # 9,100 at 0 %: nothing added
(12, 9100.0)
"""

from __future__ import annotations

import math
from collections.abc import Mapping, MutableMapping, Sequence
from dataclasses import dataclass, fields, replace
from typing import Any, Final, NamedTuple

import numpy as np
import pandas as pd

from lib.capacity import Capacity
from lib.fmt import money
from lib.i18n import t
from lib.loans import ANNUITY, BULLET, COLUMNS, CREDIT_CARD, FLAT_FEE, INTEREST_ONLY, conform
from lib.loans import owed as owed_now
from lib.payoff import HORIZON_MONTHS, NEVER_CLEARS, Book, PayoffResult, prepare, simulate
from lib.rates import irr_apr
from lib.schedules import contract_payment

# --- kinds, labels, metadata ---------------------------------------------------------------
BASELINE: Final = "baseline"
EXTENSION: Final = "extension"
WAIVER: Final = "waiver"
INSTALMENTS: Final = "instalments"
SETTLEMENT: Final = "settlement"
OPTION_KINDS: Final = (BASELINE, EXTENSION, WAIVER, INSTALMENTS, SETTLEMENT)
COMBINABLE: Final = (EXTENSION, INSTALMENTS)  # may carry a waiver (with_waiver=True)

# What compare_options shows by default, baseline first.
DEFAULT_OPTIONS: Final = (BASELINE, EXTENSION, WAIVER, INSTALMENTS, "waiver+instalments", SETTLEMENT)
LABELS: Final = (*DEFAULT_OPTIONS, "waiver+extension")

GRACE_INTEREST_ONLY: Final = "interest_only"  # only the month's interest is due
GRACE_NOTHING: Final = "nothing"  # nothing due; the interest is added to the principal after
GRACE_MODES: Final = (GRACE_INTEREST_ONLY, GRACE_NOTHING)

# How often lenders grant it (DESIGN.md §3; the article: principal is seldom cut).
CONTRACT: Final = "contract"  # the baseline: nothing to grant
COMMON: Final = "common"
SOMETIMES: Final = "sometimes"
RARE: Final = "rare"
LIKELIHOODS: Final = (CONTRACT, COMMON, SOMETIMES, RARE)
_LIKELIHOOD: Final = {BASELINE: CONTRACT, WAIVER: COMMON, INSTALMENTS: COMMON, EXTENSION: SOMETIMES,
                      SETTLEMENT: RARE}

FIT_MONTHS: Final = 12  # compare_options' `fits`: every month of the first year within capacity


@dataclass(frozen=True)
class ParamSpec:
    """One option parameter as the page's widgets need it.

    ``unit``: ``"months"`` (whole months), ``"share"`` (0–1, shown as %), ``"rate"`` (annual
    fraction, shown as %) or ``"choice"`` (one of ``choices``). ``default`` None = "unchanged"
    (only ``new_rate``). ``kinds``: the option kinds the parameter belongs to (the waiver's
    parameters also apply to combinations with ``with_waiver``).
    """

    name: str
    kinds: tuple[str, ...]
    unit: str
    default: float | int | str | None
    min: float | None = None
    max: float | None = None
    step: float | None = None
    choices: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        """The i18n key of the parameter's label."""
        return f"negotiate.param.{self.name}"


# Ranges reflect practice (DESIGN.md §3): extensions of up to 3 years, grace up to 6 months,
# instalments up to 60 months (credit cards, article 70), settlements paid within a year.
OPTION_SPECS: Final[dict[str, ParamSpec]] = {s.name: s for s in (
    ParamSpec("extension_months", (EXTENSION,), "months", 12, 1, 36, 1),
    ParamSpec("grace_months", (EXTENSION,), "months", 0, 0, 6, 1),
    ParamSpec("grace_mode", (EXTENSION,), "choice", GRACE_INTEREST_ONLY, choices=GRACE_MODES),
    ParamSpec("waive_penalty_pct", (WAIVER,), "share", 1.0, 0.0, 1.0, 0.05),
    ParamSpec("waive_interest_pct", (WAIVER,), "share", 0.5, 0.0, 1.0, 0.05),
    ParamSpec("waive_fees_pct", (WAIVER,), "share", 1.0, 0.0, 1.0, 0.05),
    ParamSpec("new_rate", (WAIVER,), "rate", None, 0.0, 0.24, 0.005),
    ParamSpec("instalments_months", (INSTALMENTS,), "months", 36, 1, 60, 1),
    ParamSpec("plan_rate", (INSTALMENTS,), "rate", 0.0, 0.0, 0.24, 0.005),
    ParamSpec("settle_pct", (SETTLEMENT,), "share", 0.6, 0.1, 1.0, 0.05),
    ParamSpec("settle_months", (SETTLEMENT,), "months", 1, 1, 12, 1),
)}


def _d(name: str) -> Any:
    return OPTION_SPECS[name].default


@dataclass(frozen=True)
class Option:
    """One negotiation option and its parameters (defaults: :data:`OPTION_SPECS`).

    Parameters that do not belong to ``kind`` are ignored. Raises ``ValueError`` outside the
    ranges of :data:`OPTION_SPECS`.

    >>> Option("instalments", with_waiver=True).label
    'waiver+instalments'
    >>> o = Option.from_label("waiver+instalments", instalments_months=48)
    >>> o.kind, o.instalments_months, o.grant_likelihood, o.credit_note_key
    ('instalments', 48, 'common', 'negotiate.credit.instalments')
    >>> Option("settlement", settle_pct=0.05)
    Traceback (most recent call last):
    ...
    ValueError: settle_pct must be within 0.1–1.0, got 0.05
    """

    kind: str = BASELINE
    extension_months: int = _d("extension_months")
    grace_months: int = _d("grace_months")
    grace_mode: str = _d("grace_mode")
    waive_penalty_pct: float = _d("waive_penalty_pct")
    waive_interest_pct: float = _d("waive_interest_pct")
    waive_fees_pct: float = _d("waive_fees_pct")
    new_rate: float | None = _d("new_rate")
    instalments_months: int = _d("instalments_months")
    plan_rate: float = _d("plan_rate")
    settle_pct: float = _d("settle_pct")
    settle_months: int = _d("settle_months")
    with_waiver: bool = False

    def __post_init__(self) -> None:
        if self.kind not in OPTION_KINDS:
            raise ValueError(f"unknown option kind {self.kind!r}; choose one of {OPTION_KINDS}")
        if self.with_waiver and self.kind not in COMBINABLE:
            raise ValueError(f"only {COMBINABLE} combine with a waiver, not {self.kind!r}")
        for spec in OPTION_SPECS.values():
            v = getattr(self, spec.name)
            if spec.unit == "choice":
                if v not in spec.choices:
                    raise ValueError(f"{spec.name} must be one of {spec.choices}, got {v!r}")
                continue
            if v is None and spec.default is None:
                continue
            try:
                x = float(v)
            except (TypeError, ValueError):
                raise ValueError(f"{spec.name} must be a number, got {v!r}") from None
            lo, hi = spec.min, spec.max
            if not (math.isfinite(x) and lo is not None and hi is not None and lo <= x <= hi):
                raise ValueError(f"{spec.name} must be within {lo}–{hi}, got {v!r}")
            if spec.unit == "months":
                if x != int(x):
                    raise ValueError(f"{spec.name} must be a whole number of months, got {v!r}")
                object.__setattr__(self, spec.name, int(x))
            else:
                object.__setattr__(self, spec.name, x)
        object.__setattr__(self, "with_waiver", bool(self.with_waiver))

    @classmethod
    def from_label(cls, label: str, **params: Any) -> Option:
        """An option from its :attr:`label` (``"waiver+instalments"``, ``"settlement"`` …);
        ``params`` override the defaults."""
        waiver, _, kind = label.rpartition("+")
        if waiver not in ("", WAIVER):
            raise ValueError(f"unknown option label {label!r}")
        return cls(kind, with_waiver=bool(waiver), **params)

    @property
    def label(self) -> str:
        """The kind, or ``waiver+<kind>`` for a combination."""
        return f"{WAIVER}+{self.kind}" if self.with_waiver else self.kind

    @property
    def label_key(self) -> str:
        """The i18n key of the option's name."""
        return f"negotiate.option.{self.label}"

    @property
    def canonical(self) -> Option:
        """The same option with the parameters that do not concern it at their defaults, so
        that equal plans compare (and hash) equal.

        >>> Option("baseline", instalments_months=48) == Option()
        False
        >>> Option("baseline", instalments_months=48).canonical == Option()
        True
        """
        def concerns(spec: ParamSpec) -> bool:
            return self.kind in spec.kinds or (self.with_waiver and WAIVER in spec.kinds)

        return replace(self, **{s.name: s.default for s in OPTION_SPECS.values() if not concerns(s)})

    @property
    def waives(self) -> bool:
        return self.kind == WAIVER or self.with_waiver

    @property
    def grant_likelihood(self) -> str:
        """``"contract"``, ``"common"``, ``"sometimes"`` or ``"rare"`` (DESIGN.md §3). A lower
        rate from now on is granted less often than a waiver of what has accrued."""
        if self.kind == WAIVER and self.new_rate is not None:
            return SOMETIMES
        return _LIKELIHOOD[self.kind]

    @property
    def credit_note_key(self) -> str:
        """The i18n key of how the option shows in the credit record (征信)."""
        return f"negotiate.credit.{self.kind}"


Plan = Mapping[int, Option]  # loan row position -> option (rows not named keep the contract)


# --- which loans an option applies to --------------------------------------------------------
def _fen(x: Any) -> np.ndarray:
    return np.rint(np.asarray(x, dtype=np.float64) * 100.0)


def _waived_parts(option: Option, interest: np.ndarray, penalty: np.ndarray,
                  fees: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Fen of interest, penalty and fees forgiven by the option's waiver (0 without one)."""
    if not option.waives:
        z = np.zeros_like(interest)
        return z, z, z
    return (np.rint(interest * option.waive_interest_pct), np.rint(penalty * option.waive_penalty_pct),
            np.rint(fees * option.waive_fees_pct))


def _mask(option: Option, col: Mapping[str, np.ndarray]) -> np.ndarray:
    """Rows the option applies to (see :func:`applies`), from the columns (:func:`_columns`) of a
    conformed loan table."""
    n = len(col["balance"])
    if option.kind == BASELINE:
        return np.ones(n, dtype=bool)
    intr, pen, fee, bal = (np.nan_to_num(_fen(col[c])) for c in ("interest", "penalty", "fees", "balance"))
    owes = (bal + intr + pen + fee) > 0
    if option.kind == EXTENSION:
        return owes & (np.asarray(col["kind"], dtype=object) != CREDIT_CARD)
    if option.kind == WAIVER:
        w = sum(_waived_parts(option, intr, pen, fee))
        cut = (np.zeros(n, dtype=bool) if option.new_rate is None
               else np.asarray(col["annual_rate"], dtype=np.float64) > option.new_rate)
        return owes & ((w > 0) | cut)
    return owes  # instalments, settlement: any loan, by agreement


def _columns(df: pd.DataFrame) -> dict[str, np.ndarray]:
    """The columns options read, as arrays: each read once (a pandas column read is slow)."""
    return {c: df[c].to_numpy() for c in _READS}


def applies(option: Option, loan_row: Mapping[str, Any]) -> bool:
    """Whether ``option`` changes anything for this loan (a row of the loan table).

    The baseline applies to every loan; every other option only to a loan that owes something.
    Extension: not for credit cards (restructured by article-70 instalments instead). Waiver:
    only when it forgives something or lowers the rate. Instalments and settlement: every kind
    (credit cards under article 70; private loans by agreement).

    >>> row = {"lender": "卡", "kind": "credit_card", "balance": 5000, "annual_rate": 0.18,
    ...        "remaining_months": 10}
    >>> applies(Option("extension"), row), applies(Option("instalments"), row)
    (False, True)
    >>> applies(Option("waiver"), row), applies(Option("waiver", new_rate=0.12), row)
    (False, True)
    """
    row = {c: np.array([loan_row.get(c, d)]) for c, d in _MASK_FIELDS.items()}
    return bool(_mask(option, row)[0])


_MASK_FIELDS: Final = {"kind": "", "balance": 0.0, "annual_rate": 0.0, "interest": 0.0, "penalty": 0.0, "fees": 0.0}


# --- transformations ---------------------------------------------------------------------------
def apply(option: Option, loans: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
    """Apply ``option`` to every loan it :func:`applies` to.

    Returns the new loan table (:func:`lib.loans.conform`, same rows in the same order) and
    ``waived``: per row, the money forgiven (interest, penalty and fees waived, plus the
    principal and everything else forgiven in a settlement), CNY, ≥ 0. Always
    ``owed(new) == owed(loans) − waived`` to the fen.

    >>> from lib.loans import make_loans
    >>> loans = make_loans([{"lender": "A", "balance": 10000, "annual_rate": 0.12,
    ...                      "remaining_months": 6, "penalty": 200, "interest": 100}])
    >>> new, w = apply(Option("extension", extension_months=6), loans)  # 10,300 over 12 months
    >>> new.loc[0, ["balance", "interest", "monthly_payment"]].tolist(), int(new.loc[0, "remaining_months"])
    ([10300.0, 0.0, 915.15], 12)
    >>> new, w = apply(Option("settlement", settle_pct=0.5), loans)
    >>> float(new.loc[0, "balance"]), float(w[0]), float(new.loc[0, "annual_rate"])
    (5150.0, 5150.0, 0.0)
    """
    return _apply(option, conform(loans))


_READS: Final = ("lender", "kind", "balance", "interest", "penalty", "fees", "overdue_amount", "annual_rate",
                  "method", "remaining_months", "overdue_days", "principal_amount", "received", "term_months",
                  "start_date", "monthly_payment", "derived")


class _Changed(NamedTuple):
    """What an option does to a conformed table, as columns (see :func:`_changed`)."""

    read: dict[str, np.ndarray]  # the columns it read (every column the engine reads among them)
    new: dict[str, np.ndarray]  # the columns it changed, whole (empty: nothing changes)
    waived: np.ndarray  # fen forgiven, per row
    changed: int  # loans it applies to
    redo: np.ndarray  # rows whose contract payment changes (the engine re-derives it; the table shows it)


def _apply(option: Option, df: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
    """:func:`apply` on a conformed table (dtypes kept; no second conform)."""
    ch = _changed(option, df)
    waived = pd.Series(ch.waived / 100.0, name="waived")
    if not ch.new:
        return df, waived
    new, col = ch.new, ch.read
    if len(ch.redo):  # the new contracts' payments, for the table (the engine does not read them)
        pay = col["monthly_payment"].astype(np.float64)  # a copy
        derived = col["derived"].astype(object)
        get = {c: new.get(c, col[c]) for c in ("balance", "annual_rate", "remaining_months", "method",
                                                "principal_amount", "term_months")}
        for i in ch.redo:
            pay[i] = contract_payment(float(get["balance"][i]), float(get["annual_rate"][i]),
                                      int(get["remaining_months"][i]), str(get["method"][i]),
                                      principal_amount=float(get["principal_amount"][i]),
                                      term_months=float(get["term_months"][i]))
            parts = [x for x in str(derived[i]).split(",") if x]
            derived[i] = ",".join(parts if "monthly_payment" in parts else [*parts, "monthly_payment"])
        new = {**new, "monthly_payment": pay, "derived": derived}
    # one constructor for the whole table: cheaper than assigning the changed columns one by one
    return pd.DataFrame({c: pd.array(new[c], dtype=COLUMNS[c]) if c in new else df[c].array
                         for c in COLUMNS}), waived


def _changed(option: Option, df: pd.DataFrame, col: dict[str, np.ndarray] | None = None) -> _Changed:
    """The columns ``option`` changes in a conformed table, worked out on numpy arrays (``col``:
    its :func:`_columns`, when the caller has them). The new contracts' ``monthly_payment`` is left
    to :func:`_apply`: the engine re-derives instalments from the state."""
    col = _columns(df) if col is None else col
    n = len(df)
    mask = _mask(option, col)
    waived = np.zeros(n)
    if option.kind == BASELINE or not mask.any():
        return _Changed({}, {}, waived, 0, np.zeros(0, dtype=np.int64))
    bal, intr, pen, fee, od = (_fen(col[c]) for c in ("balance", "interest", "penalty", "fees", "overdue_amount"))
    rate = col["annual_rate"].astype(np.float64)
    w_int, w_pen, w_fee = (x * mask for x in _waived_parts(option, intr, pen, fee))
    intr, pen, fee = intr - w_int, pen - w_pen, fee - w_fee
    waived += w_int + w_pen + w_fee
    total = bal + intr + pen + fee
    od = np.clip(od - waived, 0.0, total)
    if option.waives and option.new_rate is not None:
        rate = np.where(mask, np.minimum(rate, option.new_rate), rate)

    cols: dict[str, np.ndarray] = {}
    if option.kind == WAIVER:
        cols.update(interest=intr / 100.0, penalty=pen / 100.0, fees=fee / 100.0, overdue_amount=od / 100.0,
                    annual_rate=rate)
        redo = mask & (rate != col["annual_rate"])  # a new rate, a new instalment
    else:
        if option.kind == SETTLEMENT:
            new_bal = np.where(mask, np.rint(total * option.settle_pct), bal)
            waived += (total - new_bal) * mask
        else:
            new_bal = np.where(mask, total, bal)
        method = col["method"].astype(object)
        months = col["remaining_months"].astype(np.int64)
        if option.kind == EXTENSION:
            months = np.where(mask, months + option.extension_months + option.grace_months, months)
            if option.grace_months > 0:  # the grace phase; run_plan switches to the contract after it
                method = np.where(mask, INTEREST_ONLY if option.grace_mode == GRACE_INTEREST_ONLY else BULLET,
                                  method)
        else:
            method = np.where(mask, ANNUITY, method)
            n_new = option.instalments_months if option.kind == INSTALMENTS else option.settle_months
            months = np.where(mask, n_new, months)
            rate = np.where(mask, option.plan_rate if option.kind == INSTALMENTS else 0.0, rate)

        def fresh(name: str, value: Any) -> np.ndarray:  # a new contract's value on the rows changed
            return np.where(mask, value, col[name])

        cols.update(balance=new_bal / 100.0, annual_rate=rate, method=method, remaining_months=months,
                    interest=fresh("interest", 0.0), penalty=fresh("penalty", 0.0), fees=fresh("fees", 0.0),
                    overdue_amount=fresh("overdue_amount", 0.0), overdue_days=fresh("overdue_days", 0),
                    principal_amount=fresh("principal_amount", new_bal / 100.0),
                    received=fresh("received", np.nan), term_months=fresh("term_months", months),
                    start_date=np.where(mask, np.datetime64("NaT", "ns"), col["start_date"]))
        redo = mask
    return _Changed(col, cols, waived, int(mask.sum()), np.flatnonzero(redo))


def _as_plan(plan: Option | Plan, n: int) -> dict[int, Option]:
    if isinstance(plan, Option):
        return dict.fromkeys(range(n), plan)
    out = {}
    for k, opt in plan.items():
        i = int(k)
        if not 0 <= i < n or i != k:
            raise ValueError(f"plan names loan row {k!r}; the table has rows 0–{n - 1}")
        if not isinstance(opt, Option):
            raise TypeError(f"plan[{k!r}] is not an Option")
        out[i] = opt
    return out


def apply_plan(plan: Option | Plan, loans: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
    """One option per loan row (by position; rows not in ``plan`` keep the contract), or one
    option for the whole portfolio → the combined loan table and the per-row ``waived``.

    >>> from lib.loans import make_loans
    >>> loans = make_loans([{"lender": "A", "balance": 6000, "annual_rate": 0.2, "remaining_months": 6},
    ...                     {"lender": "B", "balance": 3000, "annual_rate": 0.1, "remaining_months": 3,
    ...                      "penalty": 90}])
    >>> new, w = apply_plan({1: Option("instalments", instalments_months=10)}, loans)
    >>> new["balance"].tolist(), new["monthly_payment"].tolist(), w.tolist()
    ([6000.0, 3090.0], [1059.14, 309.0], [0.0, 0.0])
    """
    return _apply_plan(plan, conform(loans))


def _apply_plan(plan: Option | Plan, df: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
    """:func:`apply_plan` on a conformed table."""
    chosen = _as_plan(plan, len(df))
    if isinstance(plan, Option):
        return _apply(plan, df)
    waived = np.zeros(len(df))
    groups: dict[Option, list[int]] = {}
    for i, opt in chosen.items():
        if opt.kind != BASELINE:
            groups.setdefault(opt, []).append(i)
    if not groups:
        return df, pd.Series(waived, name="waived")
    parts = [df]
    for opt, idx in groups.items():
        new, w = _apply(opt, df.iloc[idx].reset_index(drop=True))
        parts.append(new.set_axis(idx))
        waived[idx] = w.to_numpy()
    out = pd.concat(parts)  # the changed rows after the originals: keep the last of each row
    out = out[~out.index.duplicated(keep="last")].sort_index()
    return out, pd.Series(waived, name="waived")


# --- running a plan through the engine ------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class Outcome:
    """A plan run through the engine: the month-1 loan table, what was waived, the result."""

    loans: pd.DataFrame  # the transformed table (for a grace period: its grace phase)
    waived: pd.Series  # per row, CNY
    result: PayoffResult


@dataclass(frozen=True)
class _Switch:
    """At the end of a grace period, loan ``row`` becomes its extended contract."""

    row: int
    method: str
    months: int  # n + k
    capitalise: bool  # grace "nothing": deferred interest becomes principal


def _switches(plan: dict[int, Option], df: pd.DataFrame) -> dict[int, list[_Switch]]:
    out: dict[int, list[_Switch]] = {}
    for i, opt in plan.items():
        if opt.kind != EXTENSION or opt.grace_months <= 0 or not _mask(opt, _columns(df.iloc[[i]]))[0]:
            continue
        sw = _Switch(i, str(df.at[i, "method"]), int(df.at[i, "remaining_months"]) + opt.extension_months,
                     opt.grace_mode == GRACE_NOTHING)
        out.setdefault(opt.grace_months, []).append(sw)
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
              detail: bool | str, extra: float = 0.0) -> PayoffResult:
    """The engine on ``table`` under ``capacity`` (+ ``extra`` a month), in phases at grace ends."""
    budget = capacity.monthly + extra
    lumps = capacity.lump_sums()
    changes = {k: v + extra for k, v in capacity.budget_changes().items()}
    kw: dict[str, Any] = {"penalty_multiple": penalty_multiple, "order": order, "target_months": None}
    ends = sorted(m for m in switches if m < horizon)
    if not ends:
        return simulate(table, budget, strategy, horizon=horizon, lump_sums=lumps, budget_changes=changes,
                        detail=detail, **kw)
    pieces: list[tuple[int, PayoffResult]] = []
    offset = 0
    for end in [*ends, horizon]:
        now = budget
        for k in sorted(changes):
            if k <= offset + 1:
                now = changes[k]
        res = simulate(table, now, strategy, horizon=end - offset, lump_sums=_shifted(lumps, offset),
                       budget_changes={k - offset: v for k, v in changes.items() if k > offset + 1},
                       detail=True, give_up=end >= horizon, **kw)  # a phase runs to its end
        pieces.append((offset, res))
        if res.finishes or res.reason == NEVER_CLEARS or end >= horizon:
            break
        table = _state_after(table, res, end - offset, switches.get(end, []))
        offset = end
    return _combine(pieces)


def run_plan(plan: Option | Plan, loans: pd.DataFrame, capacity: Capacity, *, strategy: str = "avalanche",
             penalty_multiple: float = 1.5, order: Sequence[str] | None = None, horizon: int = HORIZON_MONTHS,
             detail: bool | str = True) -> Outcome:
    """Apply ``plan`` (one option for every loan, or one per row) and run the engine under
    ``capacity`` (its monthly amount, lump sum and income change). Grace periods are run in
    phases (module notes); then ``schedule``/``monthly`` are always built.

    >>> from lib.loans import make_loans
    >>> loans = make_loans([{"lender": "A", "balance": 12000, "annual_rate": 0.12, "remaining_months": 12}])
    >>> cap = Capacity(income=120, change_month=4, change_income=564.89)  # exactly what is due
    >>> out = run_plan(Option("extension", extension_months=12, grace_months=3), loans, cap)
    >>> out.result.monthly["due"].tolist()[:5]  # 3 months of interest, then the 24-month instalment
    [120.0, 120.0, 120.0, 564.89, 564.89]
    >>> out.result.months_to_debt_free, bool(out.result.monthly["due"].iloc[-1] <= 564.89)  # the last settles
    (27, True)
    """
    return _run_plan(plan, conform(loans), capacity, strategy=strategy, penalty_multiple=penalty_multiple,
                     order=order, horizon=horizon, detail=detail)


def _run_plan(plan: Option | Plan, df: pd.DataFrame, capacity: Capacity, *, strategy: str,
              penalty_multiple: float, order: Sequence[str] | None, horizon: int, detail: bool | str) -> Outcome:
    chosen = _as_plan(plan, len(df))
    table, waived = _apply_plan(plan, df)
    res = _simulate(table, capacity, _switches(chosen, df), strategy=strategy, penalty_multiple=penalty_multiple,
                    order=order, horizon=horizon, detail=detail)
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


COMPARE_COLUMNS: Final = (
    "option", "monthly_payment", "months", "total_paid", "saving", "apr", "fits", "fits_all", "total_cost",
    "owed_end", "waived", "total_interest", "total_penalty", "total_fees", "loans_changed",
    "grant_likelihood", "credit_note_key",
)


def _options(options: Sequence[Option | str] | None, params: Mapping[str, Any]) -> list[Option]:
    names = {f.name for f in fields(Option)} - {"kind", "with_waiver"}
    unknown = sorted(set(params) - names)
    if unknown:
        raise TypeError(f"unknown option parameter(s) {unknown}; choose from {sorted(names)}")
    opts = [o if isinstance(o, Option) else Option.from_label(o, **params) for o in (options or DEFAULT_OPTIONS)]
    base = [o for o in opts if o.kind == BASELINE][:1] or [Option()]
    return base + [o for o in opts if o.kind != BASELINE]


def compare_options(loans: pd.DataFrame, capacity: Capacity, *, strategy: str = "avalanche",
                    penalty_multiple: float = 1.5, options: Sequence[Option | str] | None = None,
                    order: Sequence[str] | None = None, horizon: int = HORIZON_MONTHS, **params: Any) -> pd.DataFrame:
    """The comparison table (see :func:`compare_with_results`, which also returns the plans)."""
    return compare_with_results(loans, capacity, strategy=strategy, penalty_multiple=penalty_multiple,
                                options=options, order=order, horizon=horizon, **params)[0]


def _price(opt: Option, df: pd.DataFrame, col: dict[str, np.ndarray], capacity: Capacity,
           **run: Any) -> tuple[PayoffResult, float, int]:
    """``opt`` applied portfolio-wide and run with monthly detail: (result, CNY waived, loans
    changed). Worked on the columns (``col``, :func:`_columns` of ``df``), without building the
    changed table: only a grace period needs it (it is run in phases, see :func:`_simulate`)."""
    if opt.kind == EXTENSION and opt.grace_months > 0:
        out = _run_plan(opt, df, capacity, detail="monthly", **run)
        return out.result, round(float(out.waived.sum()), 2), int(_mask(opt, col).sum())
    ch = _changed(opt, df, col)
    res = _simulate(prepare({**ch.read, **ch.new}) if ch.new else df, capacity, {}, detail="monthly", **run)
    return res, round(float(ch.waived.sum()) / 100.0, 2), ch.changed


def _compare_row(opt: Option, r: PayoffResult, waived: float, changed: int, received: float) -> dict[str, Any]:
    """One option's row of the comparison (``option`` and ``saving`` are filled in later)."""
    return {
        "monthly_payment": float(r.monthly["due"].to_numpy()[0]) if len(r.monthly) else 0.0,
        "months": r.months_to_debt_free,
        "total_paid": r.total_paid,
        "apr": plan_apr(received, r),
        "fits": within_capacity(r, FIT_MONTHS),
        "fits_all": fits_whole_plan(r),
        "total_cost": round(r.total_paid + r.owed_end, 2),
        "owed_end": r.owed_end,
        "waived": waived,
        "total_interest": r.total_interest,
        "total_penalty": r.total_penalty,
        "total_fees": r.total_fees,
        "loans_changed": changed,
        "grant_likelihood": opt.grant_likelihood,
        "credit_note_key": opt.credit_note_key,
    }


def compare_with_results(loans: pd.DataFrame, capacity: Capacity, *, strategy: str = "avalanche",
                         penalty_multiple: float = 1.5, options: Sequence[Option | str] | None = None,
                         order: Sequence[str] | None = None, horizon: int = HORIZON_MONTHS,
                         outcomes: MutableMapping[Option, Any] | None = None, **params: Any
                         ) -> tuple[pd.DataFrame, dict[str, PayoffResult]]:
    """Each option applied portfolio-wide (to every loan where it :func:`applies`), run by the
    engine under ``capacity``; one row per option, baseline first (:data:`COMPARE_COLUMNS`).

    ``options``: labels (default :data:`DEFAULT_OPTIONS`) or :class:`Option` objects; ``params``
    override the defaults of options given by label (``instalments_months=48``).

    * ``monthly_payment`` — what the plan asks in month 1: the engine's ``due`` (contract
      instalments plus arrears and accrued charges that fall due), not the extra the strategy
      pays out of leftover capacity;
    * ``months`` — months to debt-free (``<NA>`` when the plan does not finish);
    * ``total_paid`` — paid over the simulation; ``owed_end`` — still owed when it stopped;
      ``total_cost`` = ``total_paid + owed_end`` (what is left counted as paid then);
    * ``saving`` = baseline ``total_cost`` − this ``total_cost`` (= the difference of
      ``total_paid`` whenever both plans finish; when the baseline cannot finish it stops early
      while its debt still grows, so the saving is a lower bound);
    * ``apr`` — :func:`plan_apr` on the total owed now (before any waiver);
    * ``fits`` — every month of the first :data:`FIT_MONTHS` within capacity
      (:func:`within_capacity`); ``fits_all`` — every month, and the plan finishes;
    * ``waived`` — forgiven in all; ``loans_changed`` — loans the option applies to.

    :func:`compare_with_results` also returns each option's :class:`lib.payoff.PayoffResult`,
    and reuses the plans priced in ``outcomes`` (a dict the caller keeps for the same loans, capacity,
    strategy and penalty multiple: an option whose parameters did not change is not run again).

    >>> from lib.loans import make_loans
    >>> loans = make_loans([{"lender": "A", "balance": 12000, "annual_rate": 0.24, "remaining_months": 6,
    ...                      "penalty": 400, "overdue_amount": 4000}])
    >>> t = compare_options(loans, Capacity(income=333.34), options=["waiver+instalments"])
    >>> t[["option", "monthly_payment", "months", "total_paid", "fits"]].to_dict("records")[1]
    {'option': 'waiver+instalments', 'monthly_payment': 333.34, 'months': 36, 'total_paid': 12000.0, 'fits': True}
    """
    df = conform(loans)
    received: float | None = None
    col: dict[str, np.ndarray] = {}  # read once something is priced
    rows = []
    results: dict[str, PayoffResult] = {}
    for opt in _options(options, params):
        hit = outcomes.get(opt.canonical) if outcomes is not None else None
        if hit is None:
            col = col or _columns(df)
            res, waived, changed = _price(opt, df, col, capacity, strategy=strategy,
                                          penalty_multiple=penalty_multiple, order=order, horizon=horizon)
            if received is None:  # owed now (lib.loans.owed), from the columns read
                received = float(np.round(col["balance"] + col["interest"] + col["penalty"] + col["fees"], 2).sum())
            hit = (res, _compare_row(opt, res, waived, changed, received))
            if outcomes is not None:
                outcomes[opt.canonical] = hit
        results[opt.label] = hit[0]
        rows.append({**hit[1], "option": opt.label})
    base_cost = rows[0]["total_cost"]
    for row in rows:
        row["saving"] = round(base_cost - row["total_cost"], 2)
    # built by column from plain lists: cheaper than a frame of records, reordered and converted
    table = pd.DataFrame({c: pd.array([r[c] for r in rows], dtype="Int64") if c == "months" else [r[c] for r in rows]
                          for c in COMPARE_COLUMNS})
    return table, results


# --- what to ask each lender ------------------------------------------------------------------------
def _waiver(penalty: float, interest: float, fees: float, **kw: Any) -> dict[str, Any]:
    return {"with_waiver": True, "waive_penalty_pct": penalty, "waive_interest_pct": interest,
            "waive_fees_pct": fees, **kw}


# From the smallest concession to the largest a lender can reasonably be asked; settlement
# (LAST_RESORT) only when the largest of these still does not fit (see find_plan).
LADDER: Final[tuple[Option, ...]] = (
    Option(),  # keep the contract
    Option(WAIVER, waive_penalty_pct=1.0, waive_interest_pct=0.0, waive_fees_pct=1.0),
    Option(WAIVER, waive_penalty_pct=1.0, waive_interest_pct=0.5, waive_fees_pct=1.0),
    *(Option(EXTENSION, extension_months=k, **_waiver(1.0, 0.0, 1.0)) for k in (12, 24, 36)),
    *(Option(INSTALMENTS, instalments_months=n, **_waiver(1.0, 0.0, 1.0)) for n in (24, 36, 48, 60)),
    Option(INSTALMENTS, instalments_months=60, **_waiver(1.0, 1.0, 1.0)),
)
LAST_RESORT: Final = Option(SETTLEMENT)  # 60 % of what is owed, in month 1


@dataclass(frozen=True, eq=False)
class Asked:
    """What :func:`find_plan` found: one option per loan row and the run of that plan."""

    plan: dict[int, Option]
    outcome: Outcome
    fits: bool  # every month within capacity and the plan finishes
    gap: float  # 0 when it fits; else the smallest extra a month (CNY) that makes it fit


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
              horizon: int = HORIZON_MONTHS) -> Asked:
    """The smallest concessions that make the whole plan fit ``capacity``.

    Fit = every month's due within that month's money *and* debt-free within ``horizon``
    (:func:`fits_whole_plan`; stricter than ``compare_options``' first-year ``fits``).

    1. Every loan starts at the first rung of ``ladder`` (keep the contract). Rungs that do not
       apply to a loan, or change nothing, are skipped for it.
    2. Escalate: in the first month over capacity, take the loans with the largest dues that
       month (ties: higher rate, then lower row) — as many as it takes for their dues to cover
       that month's excess — one rung up each; re-run the whole portfolio; repeat until it fits
       or every loan is at its top rung (bounded: rungs × loans rounds).
    3. Still short: try ``last_resort`` (settlement) for one loan at a time, smallest owed
       first, keeping it when the plan then fails later or by less.
    4. When it fits, walk back: each loan (most escalated first) steps down rung by rung while
       the plan still fits, so no single lender is asked for more than needed.
    5. When it never fits, ``gap`` = the smallest extra monthly amount (to the fen, added to
       every month's budget) with which the final plan fits (bisection on the engine).
    """
    return _find_plan(conform(loans), capacity, strategy=strategy, penalty_multiple=penalty_multiple,
                      order=order, ladder=ladder, last_resort=last_resort, horizon=horizon)


def _find_plan(df: pd.DataFrame, capacity: Capacity, *, strategy: str, penalty_multiple: float,
               order: Sequence[str] | None, ladder: Sequence[Option], last_resort: Option | None,
               horizon: int) -> Asked:
    n = len(df)
    rungs = list(ladder) + ([last_resort] if last_resort is not None else [])
    applied = [_apply(o, df) for o in rungs]
    big = pd.concat([tab for tab, _ in applied], ignore_index=True)  # rung s, row i at s·n + i
    sig_cols = ["balance", "interest", "penalty", "fees", "overdue_amount", "annual_rate", "method",
                "remaining_months"]
    sig = [tab[sig_cols].astype(object).to_numpy() for tab, _ in applied]
    col = _columns(df)
    masks = [_mask(o, col) for o in rungs]
    top = len(ladder) - 1
    seqs: list[list[int]] = []  # per loan: the rungs that apply and change something
    for i in range(n):
        seq = [0]
        for s in range(1, len(rungs)):
            if masks[s][i] and (s > top or tuple(sig[s][i]) != tuple(sig[seq[-1]][i])):
                seq.append(s)
        seqs.append(seq)
    regular_top = [sum(1 for s in seq if s <= top) - 1 for seq in seqs]
    pos = [0] * n
    rate = df["annual_rate"].to_numpy(dtype=np.float64)
    grace = any(o.kind == EXTENSION and o.grace_months > 0 for o in rungs)

    def run(p: list[int], extra: float = 0.0) -> PayoffResult:
        table = big.iloc[[seqs[i][p[i]] * n + i for i in range(n)]].reset_index(drop=True)
        switches = _switches({i: rungs[seqs[i][p[i]]] for i in range(n)}, df) if grace else {}
        return _simulate(table, capacity, switches, strategy=strategy, penalty_multiple=penalty_multiple, order=order,
                         horizon=horizon, detail=True, extra=extra)

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
        dues = s[s["month"] == month].set_index("loan")["due"].reindex(range(n), fill_value=0.0).to_numpy()
        cands.sort(key=lambda i: (-dues[i], -rate[i], i))
        covered = 0.0
        for i in cands:
            pos[i] += 1
            covered += float(_fen(dues[i]))
            if covered >= excess:
                break
        res = run(pos)

    if _failure(res) is not None and last_resort is not None:
        owed = _fen(owed_now(df))
        for i in sorted(range(n), key=lambda i: (owed[i], i)):
            if seqs[i][-1] <= top or pos[i] + 1 >= len(seqs[i]):  # no settlement for it, or already
                continue
            trial = pos.copy()
            trial[i] = len(seqs[i]) - 1
            r2 = run(trial)
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
                r2 = run(trial)
                if _failure(r2) is not None:
                    break
                pos, res = trial, r2
    gap = 0.0
    if not fits:
        lo, hi = 0, max(int(_failure(res)[1]), 100)  # fen
        for _ in range(64):  # an extra of everything owed clears in month 1: this ends far sooner
            if _failure(run(pos, hi / 100.0)) is None:
                break
            lo, hi = hi, hi * 2
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if _failure(run(pos, mid / 100.0)) is None:
                hi = mid
            else:
                lo = mid
        gap = hi / 100.0
    plan = {i: rungs[seqs[i][pos[i]]] for i in range(n)}
    table, waived = _apply_plan(plan, df)
    return Asked(plan, Outcome(table, waived, res), fits, gap)


# --- in words --------------------------------------------------------------------------------------
def _rate_text(rate: float) -> str:
    """``0.0 → '0%'``, ``0.18 → '18%'``, ``0.0725 → '7.25%'``."""
    return f"{rate * 100:.2f}".rstrip("0").rstrip(".") + "%"


def _share_text(share: float, lang: str) -> str:
    return t("negotiate.item.all", lang) if share >= 1.0 else _rate_text(share)


def _waiver_words(option: Option, before: Mapping[str, Any], lang: str) -> tuple[str, float]:
    """(the waived items in words, CNY waived) for one loan row before the option."""
    parts = _waived_parts(option, *(_fen([float(before[c])]) for c in ("interest", "penalty", "fees")))
    items = [t(f"negotiate.item.{name}", lang, pct=_share_text(share, lang))
             for name, share, amount in (("penalty", option.waive_penalty_pct, parts[1][0]),
                                         ("fees", option.waive_fees_pct, parts[2][0]),
                                         ("interest", option.waive_interest_pct, parts[0][0]))
             if amount > 0]
    rate = float(before["annual_rate"])
    if option.waives and option.new_rate is not None and option.new_rate < rate:
        items.append(t("negotiate.item.rate", lang, rate=_rate_text(option.new_rate)))
    return t("negotiate.item.sep", lang).join(items), float(sum(p[0] for p in parts)) / 100.0


def describe(option: Option, before: Mapping[str, Any], after: Mapping[str, Any], lang: str = "zh") -> str:
    """What to ask a lender for, in words: ``option`` for the loan row ``before``, which became
    the row ``after`` (:func:`apply`).

    >>> from lib.loans import make_loans
    >>> loans = make_loans([{"lender": "A", "balance": 9000, "annual_rate": 0.18, "remaining_months": 6,
    ...                      "penalty": 300, "interest": 200, "overdue_amount": 1800}])
    >>> opt = Option("instalments", with_waiver=True, waive_interest_pct=0.0)
    >>> new, _ = apply(opt, loans)
    >>> describe(opt, loans.iloc[0], new.iloc[0])
    '免除全部罚息（共 ¥300.00），剩余 ¥9,200.00 分 36 期、0% 利率（停息分期）'
    >>> describe(opt, loans.iloc[0], new.iloc[0], "en")
    'Waive all of the penalty interest (¥300.00), then the remaining ¥9,200.00 in 36 monthly instalments at 0% (interest frozen)'
    """
    owed = sum(float(before[c]) for c in ("balance", "interest", "penalty", "fees"))
    if round(owed, 2) <= 0:
        return t("negotiate.ask.nothing_owed", lang)
    if option.kind == BASELINE or not applies(option, before):
        return t("negotiate.ask.keep", lang)
    items, amount = _waiver_words(option, before, lang)
    if option.kind == WAIVER:
        text = t("negotiate.ask.waiver", lang, items=items, amount=money(amount))
    else:
        prefix = t("negotiate.ask.waive_prefix", lang, items=items, amount=money(amount)) if items else ""
        balance = float(after["balance"])
        if option.kind == EXTENSION:
            months = int(after["remaining_months"]) - option.grace_months
            balloon = str(before["method"]) in (INTEREST_ONLY, BULLET)  # the maturity moves, not a re-spread
            text = t("negotiate.ask.extension_maturity" if balloon else "negotiate.ask.extension", lang, waive=prefix, k=option.extension_months, n=months,
                     balance=money(balance), rate=_rate_text(float(after["annual_rate"])))
            if option.grace_months > 0:
                text += t(f"negotiate.ask.grace.{option.grace_mode}", lang, g=option.grace_months)
        elif option.kind == INSTALMENTS:
            freeze = t("negotiate.ask.freeze", lang) if option.plan_rate == 0 else ""
            text = t("negotiate.ask.instalments", lang, waive=prefix, balance=money(balance),
                     n=option.instalments_months, rate=_rate_text(option.plan_rate), freeze=freeze)
        else:
            key = "negotiate.ask.settlement" if option.settle_months == 1 else "negotiate.ask.settlement_over"
            text = t(key, lang, amount=money(balance), pct=_rate_text(option.settle_pct),
                     forgiven=money(owed - balance), m=option.settle_months,
                     pay=money(float(after["monthly_payment"])))
    return text[:1].upper() + text[1:]


ASK_COLUMNS: Final = ("lender", "ask", "monthly_payment", "option", "fits", "waived", "loan")


def what_to_ask(loans: pd.DataFrame, capacity: Capacity, *, lang: str = "zh", strategy: str = "avalanche",
                penalty_multiple: float = 1.5, order: Sequence[str] | None = None,
                ladder: Sequence[Option] = LADDER, last_resort: Option | None = LAST_RESORT,
                horizon: int = HORIZON_MONTHS) -> pd.DataFrame:
    """One row per loan: what to ask that lender for so that the whole plan fits ``capacity``
    (:func:`find_plan`: every month within capacity and debt-free in the end).

    Columns (:data:`ASK_COLUMNS`): ``lender``; ``ask`` — the smallest concession in words, in
    ``lang``; ``monthly_payment`` — what that lender is due in month 1 under the plan (the
    strategy may pay more out of leftover capacity); ``option`` — its label (a combination's ``waiver+`` dropped
    when it forgives nothing for that loan); ``fits`` — whether
    the whole plan fits (the same in every row); ``waived`` — forgiven by that lender; ``loan`` —
    the row in the loan table.

    When even the largest concessions do not fit, a last row with ``lender == ""`` says so and by
    how much a month (``attrs["gap"]``). ``attrs`` also carry ``fits``, ``months`` (to debt-free),
    ``total_paid`` and ``plan`` ({row: Option}, for :func:`run_plan`).

    >>> from lib.loans import make_loans
    >>> loans = make_loans([{"lender": "A", "balance": 12000, "annual_rate": 0.0, "remaining_months": 6}])
    >>> what_to_ask(loans, Capacity(income=500), lang="en")[["ask", "monthly_payment"]].to_dict("records")
    [{'ask': 'Extend by 24 months: the remaining ¥12,000.00 over 30 months at the contract rate 0%', 'monthly_payment': 400.0}]
    >>> t = what_to_ask(loans, Capacity(income=100), lang="en")
    >>> t["ask"].iloc[-1], t.attrs["gap"]
    ('Even with the largest concessions above, ¥100.00 a month is missing', 100.0)
    """
    df = conform(loans)
    asked = _find_plan(df, capacity, strategy=strategy, penalty_multiple=penalty_multiple, order=order,
                      ladder=ladder, last_resort=last_resort, horizon=horizon)
    res = asked.outcome.result
    s = res.schedule
    first = s[s["month"] == 1].set_index("loan")["due"].reindex(range(len(df)), fill_value=0.0)
    rows: list[dict[str, Any]] = []
    for i in range(len(df)):
        opt = asked.plan[i]
        before = df.iloc[i]
        label = opt.label if not opt.with_waiver or _waiver_words(opt, before, lang)[0] else opt.kind
        rows.append({"lender": str(df.at[i, "lender"]),
                     "ask": describe(opt, before, asked.outcome.loans.iloc[i], lang),
                     "monthly_payment": float(first.iloc[i]), "option": label, "fits": asked.fits,
                     "waived": float(asked.outcome.waived.iloc[i]), "loan": i})
    if not asked.fits:
        rows.append({"lender": "", "ask": t("negotiate.ask.gap", lang, gap=money(asked.gap)),
                     "monthly_payment": math.nan, "option": "", "fits": False, "waived": math.nan,
                     "loan": pd.NA})
    out = pd.DataFrame(rows, columns=list(ASK_COLUMNS))
    out["loan"] = out["loan"].astype("Int64")
    out["fits"] = out["fits"].astype(bool)
    out.attrs.update(fits=asked.fits, gap=asked.gap, months=res.months_to_debt_free, total_paid=res.total_paid,
                     plan=dict(asked.plan))
    return out


# --- the plan builder's table ------------------------------------------------------------------------
PLAN_COLUMNS: Final = ("lender", "option", "months", "waive_penalty_pct", "waive_interest_pct", "settle_pct")
_MONTHS_OF: Final = {EXTENSION: "extension_months", INSTALMENTS: "instalments_months", SETTLEMENT: "settle_months"}


def plan_table(plan: Mapping[int, Option], loans: pd.DataFrame) -> pd.DataFrame:
    """One editable row per loan: its option and the parameters a coach tunes per lender
    (``months`` is the extension, the number of instalments or the settlement's months, by
    option; shares in %). Blank where a parameter does not concern the option.

    >>> from lib.loans import make_loans
    >>> loans = make_loans([{"lender": "A", "balance": 100, "annual_rate": 0.1, "remaining_months": 2}])
    >>> plan_table({0: Option("instalments", with_waiver=True, instalments_months=24)}, loans).to_dict("records")
    [{'lender': 'A', 'option': 'waiver+instalments', 'months': 24.0, 'waive_penalty_pct': 100.0, 'waive_interest_pct': 50.0, 'settle_pct': nan}]
    """
    rows = []
    for i, lender in enumerate(loans["lender"].astype(str)):
        o = plan.get(i, Option())
        months = getattr(o, _MONTHS_OF[o.kind]) if o.kind in _MONTHS_OF else math.nan
        rows.append({"lender": lender, "option": o.label, "months": months,
                     "waive_penalty_pct": o.waive_penalty_pct * 100 if o.waives else math.nan,
                     "waive_interest_pct": o.waive_interest_pct * 100 if o.waives else math.nan,
                     "settle_pct": o.settle_pct * 100 if o.kind == SETTLEMENT else math.nan})
    return pd.DataFrame(rows, columns=list(PLAN_COLUMNS)).astype(
        {c: "float64" for c in PLAN_COLUMNS[2:]})


def plan_from_table(table: pd.DataFrame, defaults: Mapping[str, Any] | None = None) -> dict[int, Option]:
    """The plan an edited :func:`plan_table` describes (row i = loan i). Blank or out-of-range
    parameters take ``defaults`` (the page's sliders) or the option's own default; values are
    clipped to :data:`OPTION_SPECS`.

    >>> t = pd.DataFrame([{"lender": "A", "option": "extension", "months": 99, "waive_penalty_pct": None,
    ...                    "waive_interest_pct": None, "settle_pct": None}])
    >>> plan_from_table(t)[0].extension_months  # clipped to the 36-month maximum
    36
    >>> o = plan_from_table(t.assign(option="settlement", months="", settle_pct="45%"))[0]
    >>> o.settle_months, o.settle_pct  # blank months: the default; text read as a person would
    (1, 0.45)
    """
    defaults = dict(defaults or {})

    def pick(name: str, value: Any, scale: float = 1.0) -> Any:
        spec = OPTION_SPECS[name]
        try:  # the editor may hand over text ("12", "50%", ""): anything unreadable is blank
            x = float(str(value).strip().rstrip("%")) / scale
        except (TypeError, ValueError):
            x = math.nan
        if math.isnan(x):
            return defaults.get(name, spec.default)
        x = min(max(x, spec.min), spec.max)
        return int(round(x)) if spec.unit == "months" else x

    base = {k: v for k, v in defaults.items() if k in OPTION_SPECS}
    made: dict[tuple, Option] = {}  # most rows repeat a few options: build each once
    plan: dict[int, Option] = {}
    for i, row in enumerate(table.to_dict("records")):
        label = str(row.get("option") or BASELINE)
        kind = label.rpartition("+")[2]
        params = dict(base)
        if kind in _MONTHS_OF:
            params[_MONTHS_OF[kind]] = pick(_MONTHS_OF[kind], row.get("months"))
        if kind == WAIVER or label.startswith(WAIVER + "+"):
            params["waive_penalty_pct"] = pick("waive_penalty_pct", row.get("waive_penalty_pct"), 100)
            params["waive_interest_pct"] = pick("waive_interest_pct", row.get("waive_interest_pct"), 100)
        if kind == SETTLEMENT:
            params["settle_pct"] = pick("settle_pct", row.get("settle_pct"), 100)
        key = (label, *sorted(params.items()))
        if key not in made:
            made[key] = Option.from_label(label, **params).canonical
        plan[i] = made[key]
    return plan
