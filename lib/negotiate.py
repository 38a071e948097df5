"""Negotiation options: what a lender may agree to, priced by the payoff engine.

docs/model.md, "Negotiation options". Every option is a
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
record (征信, :attr:`Option.credit_note_key`) follow docs/model.md: penalty and interest waivers
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
from lib.loans import ANNUITY, BULLET, COLUMNS, CREDIT_CARD, FLAT_FEE, INTEREST_ONLY, PRIVATE, conform
from lib.loans import owed as owed_now
from lib.payoff import HORIZON_MONTHS, NEVER_CLEARS, SHORT, Book, PayoffResult, prepare, simulate
from lib.rates import apr_table, irr_apr, legal_caps, level_irr
from lib.schedules import contract_payment

# --- kinds, labels, metadata ---------------------------------------------------------------
BASELINE: Final = "baseline"
LEGAL: Final = "legal"  # bring a loan above its legal line down to it and waive what lies above
EXTENSION: Final = "extension"
WAIVER: Final = "waiver"
INSTALMENTS: Final = "instalments"
SETTLEMENT: Final = "settlement"
OPTION_KINDS: Final = (BASELINE, LEGAL, EXTENSION, WAIVER, INSTALMENTS, SETTLEMENT)
COMBINABLE: Final = (EXTENSION, INSTALMENTS)  # may carry a waiver (with_waiver=True)

# What compare_options shows by default, baseline first.
DEFAULT_OPTIONS: Final = (BASELINE, LEGAL, EXTENSION, WAIVER, INSTALMENTS, "waiver+instalments", SETTLEMENT)
LABELS: Final = (*DEFAULT_OPTIONS, "waiver+extension")

GRACE_INTEREST_ONLY: Final = "interest_only"  # only the month's interest is due
GRACE_NOTHING: Final = "nothing"  # nothing due; the interest is added to the principal after
GRACE_MODES: Final = (GRACE_INTEREST_ONLY, GRACE_NOTHING)

# How often lenders grant it (docs/model.md; the article: principal is seldom cut).
CONTRACT: Final = "contract"  # the baseline: nothing to grant
BY_LAW: Final = "by_law"  # what a court upholds when the borrower objects: not a favour
COMMON: Final = "common"
SOMETIMES: Final = "sometimes"
RARE: Final = "rare"
LIKELIHOODS: Final = (CONTRACT, BY_LAW, COMMON, SOMETIMES, RARE)
_LIKELIHOOD: Final = {BASELINE: CONTRACT, LEGAL: BY_LAW, WAIVER: COMMON, INSTALMENTS: COMMON, EXTENSION: SOMETIMES,
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


# Ranges reflect practice (docs/model.md): extensions of up to 3 years, grace up to 6 months,
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

    ``legal=True``: first bring every loan above its legal line down to it (the :data:`LEGAL`
    option), then this option on what is left. Keeping the contract at the legal line is the
    ``LEGAL`` option itself:

    >>> Option("baseline", legal=True) == Option("legal")
    True
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
    legal: bool = False

    def __post_init__(self) -> None:
        if self.kind == BASELINE and self.legal:
            object.__setattr__(self, "kind", LEGAL)
        object.__setattr__(self, "legal", bool(self.legal) and self.kind != LEGAL)
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
    def lawful(self) -> bool:
        """Whether it first brings loans above their legal line down to it."""
        return self.kind == LEGAL or self.legal

    @property
    def own(self) -> Option:
        """The option without the legal step (``LEGAL`` alone: keep the contract)."""
        return replace(self, kind=BASELINE if self.kind == LEGAL else self.kind, legal=False)

    @property
    def grant_likelihood(self) -> str:
        """``"contract"``, ``"common"``, ``"sometimes"`` or ``"rare"`` (docs/model.md). A lower
        rate from now on is granted less often than a waiver of what has accrued."""
        if self.kind == WAIVER and self.new_rate is not None:
            return SOMETIMES
        return _LIKELIHOOD[self.kind]

    @property
    def credit_note_key(self) -> str:
        """The i18n key of how the option shows in the credit record (征信)."""
        return f"negotiate.credit.{self.kind}"


Plan = Mapping[int, Option]  # loan row position -> option (rows not named keep the contract)


class LegalLines(NamedTuple):
    """Which loans cost more than their legal line (:func:`legal_lines`), one entry per row."""

    above: np.ndarray  # bool: the real APR is above the line
    line: np.ndarray  # annual fraction: the enforceable line (lib.rates.legal_caps)
    apr: np.ndarray  # the real APR (nominal, IRR: lib.rates.apr_table)


def legal_lines(loans: pd.DataFrame, *, as_of: Any = None) -> LegalLines:
    """Each loan's legal line and whether its real APR (rounded to 0.01 %, as shown) is above it:
    24 % for licensed lenders (法发〔2017〕22号), 4 × LPR for private loans (法释〔2020〕17号).
    Computed once per loan table (an IRR per loan) and passed to the functions that take ``legal``.

    >>> from lib.loans import make_loans
    >>> ll = legal_lines(make_loans([
    ...     {"lender": "A", "balance": 15000, "annual_rate": 0.359, "remaining_months": 18},
    ...     {"lender": "B", "balance": 9800, "annual_rate": 0.234, "remaining_months": 12}]))
    >>> ll.above.tolist(), ll.line.tolist(), ll.apr.round(3).tolist()
    ([True, False], [0.24, 0.24], [0.359, 0.234])
    """
    df = conform(loans)
    apr = apr_table(df, as_of=as_of)["apr_nominal"].to_numpy(dtype=np.float64)
    line = legal_caps(df["kind"].to_numpy(dtype=object), df["start_date"].to_numpy(), as_of=as_of)
    with np.errstate(invalid="ignore"):
        above = np.round(apr, 4) > line + 1e-12  # (NaN: not above)
    return LegalLines(above, line, apr)


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
    if option.kind == LEGAL:
        return owes & np.asarray(col["_above"], dtype=bool)
    if option.kind == EXTENSION:
        return owes & (np.asarray(col["kind"], dtype=object) != CREDIT_CARD)
    if option.kind == WAIVER:
        w = sum(_waived_parts(option, intr, pen, fee))
        cut = (np.zeros(n, dtype=bool) if option.new_rate is None
               else np.asarray(col["annual_rate"], dtype=np.float64) > option.new_rate)
        return owes & ((w > 0) | cut)
    return owes  # instalments, settlement: any loan, by agreement


def _columns(df: pd.DataFrame, legal: LegalLines | None = None) -> dict[str, np.ndarray]:
    """The columns options read, as arrays: each read once (a pandas column read is slow), and
    the legal lines (``_above``, ``_line``: :func:`legal_lines`, worked out when not given)."""
    col = {c: df[c].to_numpy() for c in _READS}
    lines = legal_lines(df) if legal is None else legal
    col["_above"], col["_line"] = np.asarray(lines.above, dtype=bool), np.asarray(lines.line, dtype=np.float64)
    return col


def _rows(col: Mapping[str, np.ndarray], idx: Sequence[int]) -> dict[str, np.ndarray]:
    """The same columns for some rows only (what was worked out from all of them is left out)."""
    return {k: np.asarray(v)[list(idx)] for k, v in col.items() if k != _LEGAL_STEP}


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


_MASK_FIELDS: Final = {"kind": "", "balance": 0.0, "annual_rate": 0.0, "interest": 0.0, "penalty": 0.0, "fees": 0.0,
                       "_above": False}


# --- transformations ---------------------------------------------------------------------------
def apply(option: Option, loans: pd.DataFrame, *, legal: LegalLines | None = None) -> tuple[pd.DataFrame, pd.Series]:
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
    df = conform(loans)
    return _apply(option, df, _columns(df, legal))


_READS: Final = ("lender", "kind", "balance", "interest", "penalty", "fees", "overdue_amount", "annual_rate",
                  "method", "remaining_months", "overdue_days", "principal_amount", "received", "term_months",
                  "start_date", "monthly_payment", "derived")


class _Changed(NamedTuple):
    """What an option does to a conformed table, as columns (see :func:`_changed`)."""

    read: dict[str, np.ndarray]  # the columns it read (every column the engine reads among them)
    new: dict[str, np.ndarray]  # the columns it changed, whole (empty: nothing changes)
    waived: np.ndarray  # fen forgiven, per row
    mask: np.ndarray  # the loans it applies to
    redo: np.ndarray  # bool: rows whose contract payment changes (the engine re-derives it; the table shows it)

    @property
    def changed(self) -> int:
        """How many loans it applies to."""
        return int(self.mask.sum())


def _apply(option: Option, df: pd.DataFrame, col: dict[str, np.ndarray] | None = None
           ) -> tuple[pd.DataFrame, pd.Series]:
    """:func:`apply` on a conformed table (dtypes kept; no second conform); ``col``: its
    :func:`_columns`, when the caller has them."""
    ch = _changed(option, df, col)
    waived = pd.Series(ch.waived / 100.0, name="waived")
    if not ch.new:
        return df, waived
    new, col = ch.new, ch.read
    if ch.redo.any():  # the new contracts' payments, for the table (the engine does not read them)
        pay = col["monthly_payment"].astype(np.float64)  # a copy
        derived = col["derived"].astype(object)
        get = {c: new.get(c, col[c]) for c in ("balance", "annual_rate", "remaining_months", "method",
                                                "principal_amount", "term_months")}
        for i in np.flatnonzero(ch.redo):
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
    if option.lawful:
        return _lawful(option, df, col)
    n = len(df)
    mask = _mask(option, col)
    waived = np.zeros(n)
    if option.kind == BASELINE or not mask.any():
        return _Changed({}, {}, waived, mask & False, mask & False)
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
        cols["monthly_payment"] = np.where(redo, np.nan, col["monthly_payment"])  # re-derived
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
                    start_date=np.where(mask, np.datetime64("NaT", "ns"), col["start_date"]),
                    monthly_payment=fresh("monthly_payment", np.nan))
        redo = mask
    return _Changed(col, cols, waived, mask, redo)


_LEGAL_STEP: Final = "__legal_step__"  # the key under which _columns' dict keeps _legal_change of itself


def _lawful(option: Option, df: pd.DataFrame, col: dict[str, np.ndarray]) -> _Changed:
    """The legal step (:func:`_legal_change`, worked out once per columns), then the option's own on
    what it left."""
    if _LEGAL_STEP not in col:
        col[_LEGAL_STEP] = _legal_change(col)  # type: ignore[assignment]
    new, waived, mask = col[_LEGAL_STEP]  # type: ignore[misc]
    if option.own.kind == BASELINE:
        return _Changed(col, new, waived, mask, mask.copy())
    inner = _changed(option.own, df, {k: v for k, v in col.items() if k != _LEGAL_STEP} | new)
    return _Changed(col, {**new, **inner.new}, waived + inner.waived, mask | inner.mask, mask | inner.redo)


def _legal_change(col: Mapping[str, np.ndarray]) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]:
    """Bring every loan above its legal line (``_above``) down to it: (the changed columns, fen
    waived, the loans changed). What lies above the line is waived: all penalty and fees, the
    money deducted up front (not principal: 法释〔2020〕17号 art. 26; the balance × received / amount
    borrowed stays), and the interest beyond ``line / rate`` of what has accrued; from now on the
    rate is at most the line (a flat fee becomes an annuity at the real cost of the rest of it,
    at most the line). The contract otherwise stands (method, months, arrears less what is waived).

    >>> cols = {"balance": np.array([10000.0]), "interest": np.array([300.0]), "penalty": np.array([50.0]),
    ...         "fees": np.array([20.0]), "overdue_amount": np.array([1000.0]), "annual_rate": np.array([0.36]),
    ...         "method": np.array(["annuity"], dtype=object), "remaining_months": np.array([12]),
    ...         "principal_amount": np.array([12000.0]), "received": np.array([11400.0]),
    ...         "term_months": np.array([24.0]), "monthly_payment": np.array([1000.0]),
    ...         "_above": np.array([True]), "_line": np.array([0.24])}
    >>> new, waived, mask = _legal_change(cols)  # 500 deducted, 100 interest above 24/36, 50 + 20
    >>> float(new["balance"][0]), float(new["interest"][0]), float(new["annual_rate"][0]), waived.tolist()
    (9500.0, 200.0, 0.24, [67000.0])
    """
    above = np.asarray(col["_above"], dtype=bool)
    n = len(above)
    if not above.any():
        return {}, np.zeros(n), above
    bal, intr, pen, fee, od = (_fen(col[c]) for c in ("balance", "interest", "penalty", "fees", "overdue_amount"))
    rate, line = np.asarray(col["annual_rate"], dtype=np.float64), np.asarray(col["_line"], dtype=np.float64)
    amount = np.nan_to_num(np.asarray(col["principal_amount"], dtype=np.float64), nan=0.0)
    got = np.nan_to_num(np.asarray(col["received"], dtype=np.float64), nan=0.0)
    in_use = np.where((got > 0) & (amount > got), got / np.where(amount > 0, amount, 1.0), 1.0)
    bal2 = np.where(above, np.rint(bal * in_use), bal)
    intr2 = np.where(above & (rate > line), np.rint(intr * line / np.where(rate > 0, rate, 1.0)), intr)
    pen2, fee2 = np.where(above, 0.0, pen), np.where(above, 0.0, fee)
    waived = (bal - bal2) + (intr - intr2) + (pen - pen2) + (fee - fee2)
    method = np.asarray(col["method"], dtype=object)
    months = np.maximum(np.asarray(col["remaining_months"], dtype=np.int64), 1)
    rate2 = np.where(above, np.minimum(rate, line), rate)
    flat = above & (method == FLAT_FEE)
    if flat.any():  # the real cost of what is left of the flat fee, at most the line
        base = np.where(amount > 0, _fen(amount), bal)
        pay = np.ceil(np.round(bal / months, 6)) + np.rint(base * rate / 12.0)
        cost = 12.0 * level_irr(bal[flat], pay[flat], months[flat].astype(np.float64))
        rate2[flat] = np.fmin(np.nan_to_num(cost, nan=np.inf), line[flat])
    new = {"balance": bal2 / 100.0, "interest": intr2 / 100.0, "penalty": pen2 / 100.0, "fees": fee2 / 100.0,
           "overdue_amount": np.clip(od - waived, 0.0, bal2 + intr2 + pen2 + fee2) / 100.0, "annual_rate": rate2,
           "method": np.where(flat, ANNUITY, method),
           "principal_amount": np.where(above, bal2 / 100.0, col["principal_amount"]),
           "received": np.where(above, np.nan, col["received"]),
           "term_months": np.where(above, months, col["term_months"]),
           "monthly_payment": np.where(above, np.nan, col["monthly_payment"])}
    return new, waived * above, above


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


def apply_plan(plan: Option | Plan, loans: pd.DataFrame, *, legal: LegalLines | None = None
               ) -> tuple[pd.DataFrame, pd.Series]:
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
    df = conform(loans)
    return _apply_plan(plan, df, _columns(df, legal))


def _apply_plan(plan: Option | Plan, df: pd.DataFrame, col: dict[str, np.ndarray]
                ) -> tuple[pd.DataFrame, pd.Series]:
    """:func:`apply_plan` on a conformed table and its :func:`_columns`."""
    chosen = _as_plan(plan, len(df))
    if isinstance(plan, Option):
        return _apply(plan, df, col)
    waived = np.zeros(len(df))
    groups: dict[Option, list[int]] = {}
    for i, opt in chosen.items():
        if opt.kind != BASELINE:
            groups.setdefault(opt, []).append(i)
    if not groups:
        return df, pd.Series(waived, name="waived")
    parts = [df]
    for opt, idx in groups.items():
        new, w = _apply(opt, df.iloc[idx].reset_index(drop=True), _rows(col, idx))
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


def _switches(plan: dict[int, Option], df: pd.DataFrame, col: dict[str, np.ndarray]) -> dict[int, list[_Switch]]:
    out: dict[int, list[_Switch]] = {}
    for i, opt in plan.items():
        if opt.kind != EXTENSION or opt.grace_months <= 0:
            continue
        row = _rows(col, [i])
        if opt.lawful:  # the contract it extends is the one at the legal line
            row = {**row, **_legal_change(row)[0]}
        if not _mask(opt.own, row)[0]:
            continue
        sw = _Switch(i, str(row["method"][0]), int(row["remaining_months"][0]) + opt.extension_months,
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
    """Apply ``plan`` (one option for every loan, or one per row) and run the engine under
    ``capacity`` (its monthly amount, lump sum and income change) on ``basis`` (what arrears may
    grow to, :func:`lib.payoff.simulate`). Grace periods are run in phases (module notes); then
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
    return _run_plan(plan, df, capacity, strategy=strategy, penalty_multiple=penalty_multiple, order=order,
                     horizon=horizon, detail=detail, basis=basis, col=_columns(df, legal))


def _run_plan(plan: Option | Plan, df: pd.DataFrame, capacity: Capacity, *, strategy: str,
              penalty_multiple: float, order: Sequence[str] | None, horizon: int, detail: bool | str,
              basis: str = "enforceable", col: dict[str, np.ndarray] | None = None, give_up: bool = True) -> Outcome:
    col = _columns(df) if col is None else col
    chosen = _as_plan(plan, len(df))
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


COMPARE_COLUMNS: Final = (
    "option", "fits", "monthly_payment", "months", "total_paid", "saving", "window", "cost_window", "apr",
    "repaid_less", "fits_all", "total_cost", "owed_end", "waived", "total_interest", "total_penalty", "total_fees",
    "loans_changed", "grant_likelihood", "credit_note_key",
)
_COLUMNS_KEY: Final = "__columns__"  # compare_with_results keeps the loans' columns among the outcomes
WINDOW_IF_NONE_CLEARS: Final = 60  # months: the common window when no option clears the debt
WINDOW_MAX: Final = 120  # months: ten years at most (a plan that clears later is measured over ten years)


def _options(options: Sequence[Option | str] | None, params: Mapping[str, Any], legal: bool) -> list[Option]:
    names = {f.name for f in fields(Option)} - {"kind", "with_waiver", "legal"}
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
    if opt.kind == EXTENSION and opt.grace_months > 0:
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
    """What :func:`find_plan` found: one option per loan row and the run of that plan."""

    plan: dict[int, Option]
    outcome: Outcome
    fits: bool  # every month within capacity and the plan finishes
    gap: float  # 0 when it fits; else the smallest extra a month (CNY) that makes it fit
    ladders: dict[int, list[Option]]  # each loan's rungs in the order it climbs them (its plan among them)


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


def _ladders(df: pd.DataFrame, rungs: list[Option], tables: list[pd.DataFrame], col: dict[str, np.ndarray],
             top: int) -> tuple[list[list[int]], list[int], list[np.ndarray]]:
    """Per loan, its rungs in the order it climbs them (see :func:`find_plan`), how many of them
    are regular (not the last resort), and each rung's month-1 due per loan."""
    n = len(df)
    sig_cols = ["balance", "interest", "penalty", "fees", "overdue_amount", "annual_rate", "method",
                "remaining_months"]
    sig = [tab[sig_cols].astype(object).to_numpy() for tab in tables]
    masks = [_mask(o.own, {**col, **_legal_change(col)[0]}) | col["_above"] for o in rungs]
    given = [_given_up(tables[0], tab) for tab in tables]
    first_due = [tab["overdue_amount"].to_numpy() + tab["monthly_payment"].to_numpy() for tab in tables]
    base_rate = tables[0]["annual_rate"].to_numpy(dtype=np.float64)
    seqs, regular = [], []
    for i in range(n):
        cands = [s for s in range(1, top + 1) if masks[s][i]
                 and not (rungs[s].kind == INSTALMENTS and rungs[s].plan_rate > 0
                          and rungs[s].plan_rate >= base_rate[i] - 1e-12)]
        cands.sort(key=lambda s: (round(float(given[s][i]), 2), int(tables[s].at[i, "remaining_months"]), s))
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
    grace = any(o.kind == EXTENSION and o.grace_months > 0 for o in rungs)

    def run(p: list[int], extra: float = 0.0, whole: bool = False) -> PayoffResult:
        table = big.iloc[[seqs[i][p[i]] * n + i for i in range(n)]].reset_index(drop=True)
        switches = _switches({i: rungs[seqs[i][p[i]]] for i in range(n)}, df, col) if grace else {}
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
        dues = s[s["month"] == month].set_index("loan")["due"].reindex(range(n), fill_value=0.0).to_numpy()
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
    table, waived = _apply_plan(plan, df, col)
    ladders = {i: [rungs[s] for s in seqs[i]] for i in range(n)}
    return Asked(plan, Outcome(table, waived, run(pos, whole=True)), fits, gap, ladders)


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


def _legal_words(before: Mapping[str, Any], line: float, private: bool, lang: str) -> tuple[str, dict[str, Any]]:
    """The legal step for one loan in words, and its row after that step."""
    col = {c: np.array([before.get(c, d)], dtype=object if c == "method" else None)
           for c, d in (("balance", 0.0), ("interest", 0.0), ("penalty", 0.0), ("fees", 0.0),
                        ("overdue_amount", 0.0), ("annual_rate", 0.0), ("method", ANNUITY),
                        ("remaining_months", 1), ("principal_amount", np.nan), ("received", np.nan),
                        ("term_months", np.nan), ("monthly_payment", np.nan))}
    col.update(_above=np.array([True]), _line=np.array([line]))
    new, waived, _ = _legal_change(col)
    row = {**dict(before), **{k: v[0] for k, v in new.items()}}
    cut = {"penalty": float(before["penalty"]), "fees": float(before["fees"]),
           "deducted": float(before["balance"]) - float(row["balance"]),
           "interest": float(before["interest"]) - float(row["interest"])}
    items = t("negotiate.item.sep", lang).join(t(f"negotiate.legal_item.{k}", lang, amount=money(v))
                                               for k, v in cut.items() if round(v, 2) > 0)
    rule = t("negotiate.legal_rule." + ("private" if private else "licensed"), lang, line=_rate_text(line))
    key = "negotiate.ask.legal" if items else "negotiate.ask.legal_rate"
    return t(key, lang, rule=rule, items=items, amount=money(float(waived[0]) / 100.0),
             rate=_rate_text(float(row["annual_rate"]))), row


def describe(option: Option, before: Mapping[str, Any], after: Mapping[str, Any], lang: str = "zh",
             line: float | None = None) -> str:
    """What to ask a lender for, in words: ``option`` for the loan row ``before``, which became
    the row ``after`` (:func:`apply`). ``line``: the loan's legal line when its real APR is above
    it (:func:`legal_lines`): a lawful option then asks for that first, citing the rule.

    >>> from lib.loans import make_loans
    >>> loans = make_loans([{"lender": "A", "balance": 9000, "annual_rate": 0.18, "remaining_months": 6,
    ...                      "penalty": 300, "interest": 200, "overdue_amount": 1800}])
    >>> opt = Option("instalments", with_waiver=True, waive_interest_pct=0.0)
    >>> new, _ = apply(opt, loans)
    >>> describe(opt, loans.iloc[0], new.iloc[0])
    '免除全部罚息（共 ¥300.00），剩余 ¥9,200.00 分 36 期、0% 利率（停息分期）'
    >>> describe(opt, loans.iloc[0], new.iloc[0], "en")
    'Waive all of the penalty interest (¥300.00), then the remaining ¥9,200.00 in 36 monthly instalments at 0% (interest frozen)'
    >>> dear = make_loans([{"lender": "B", "balance": 15000, "annual_rate": 0.359, "remaining_months": 18}])
    >>> describe(Option("legal"), dear.iloc[0], apply(Option("legal"), dear)[0].iloc[0], "en", line=0.24)
    'First, the law: courts cut total cost above 24% a year when the borrower objects (法发〔2017〕22号, 2017-08-04) — so from now on 24% a year'
    """
    owed = sum(float(before[c]) for c in ("balance", "interest", "penalty", "fees"))
    if round(owed, 2) <= 0:
        return t("negotiate.ask.nothing_owed", lang)
    if option.lawful and line is not None:
        legal, row = _legal_words(before, line, str(before.get("kind")) == PRIVATE, lang)
        if option.own.kind == BASELINE or not applies(option.own, row):
            return legal
        rest = _describe(option.own, row, after, lang)
        return legal + t("negotiate.ask.then", lang) + rest[:1].lower() + rest[1:] if lang == "en" else \
            legal + t("negotiate.ask.then", lang) + rest
    return _describe(option.own if option.lawful else option, before, after, lang)


def _describe(option: Option, before: Mapping[str, Any], after: Mapping[str, Any], lang: str) -> str:
    """:func:`describe` of an option's own concession (no legal step)."""
    owed = sum(float(before[c]) for c in ("balance", "interest", "penalty", "fees"))
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
            freeze = t("negotiate.ask.freeze", lang) if option.plan_rate == 0 < float(before["annual_rate"]) else ""
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
                horizon: int = HORIZON_MONTHS, basis: str = "enforceable",
                legal: LegalLines | None = None) -> pd.DataFrame:
    """One row per loan: what to ask that lender for so that the whole plan fits ``capacity``
    (:func:`find_plan`: every month within capacity and debt-free in the end) — starting, for a
    loan above its legal line, with bringing it down to that line, citing the rule.

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
    [{'ask': 'The remaining ¥12,000.00 in 24 monthly instalments at 0%', 'monthly_payment': 500.0}]
    >>> t = what_to_ask(loans, Capacity(income=100), lang="en")
    >>> t["ask"].iloc[-1], t.attrs["gap"]
    ('Even with the largest concessions above, ¥100.00 a month is missing', 100.0)
    """
    df = conform(loans)
    col = _columns(df, legal)
    asked = _find_plan(df, capacity, strategy=strategy, penalty_multiple=penalty_multiple, order=order,
                       ladder=ladder, last_resort=last_resort, horizon=horizon, basis=basis, col=col)
    res = asked.outcome.result
    s = res.schedule
    first = s[s["month"] == 1].set_index("loan")["due"].reindex(range(len(df)), fill_value=0.0)
    rows: list[dict[str, Any]] = []
    for i in range(len(df)):
        opt = asked.plan[i]
        before = df.iloc[i]
        line = float(col["_line"][i]) if col["_above"][i] else None
        shown = opt if line is not None else opt.own  # (the legal step changes nothing below the line)
        label = shown.label if not shown.with_waiver or _waiver_words(shown, before, lang)[0] else shown.kind
        rows.append({"lender": str(df.at[i, "lender"]),
                     "ask": describe(opt, before, asked.outcome.loans.iloc[i], lang, line=line),
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
PLAN_COLUMNS: Final = ("lender", "option", "months", "plan_rate", "waive_penalty_pct", "waive_interest_pct",
                        "settle_pct")
_MONTHS_OF: Final = {EXTENSION: "extension_months", INSTALMENTS: "instalments_months", SETTLEMENT: "settle_months"}


def plan_table(plan: Mapping[int, Option], loans: pd.DataFrame) -> pd.DataFrame:
    """One editable row per loan: its option and the parameters a coach tunes per lender
    (``months`` is the extension, the number of instalments or the settlement's months, by
    option; the instalments' rate and the shares in %). Blank where a parameter does not concern
    the option.

    >>> from lib.loans import make_loans
    >>> loans = make_loans([{"lender": "A", "balance": 100, "annual_rate": 0.1, "remaining_months": 2}])
    >>> plan_table({0: Option("instalments", with_waiver=True, instalments_months=24)}, loans).to_dict("records")
    [{'lender': 'A', 'option': 'waiver+instalments', 'months': 24.0, 'plan_rate': 0.0, 'waive_penalty_pct': 100.0, 'waive_interest_pct': 50.0, 'settle_pct': nan}]
    """
    rows = []
    for i, lender in enumerate(loans["lender"].astype(str)):
        o = plan.get(i, Option())
        months = getattr(o, _MONTHS_OF[o.kind]) if o.kind in _MONTHS_OF else math.nan
        rows.append({"lender": lender, "option": o.label, "months": months,
                     "plan_rate": o.plan_rate * 100 if o.kind == INSTALMENTS else math.nan,
                     "waive_penalty_pct": o.waive_penalty_pct * 100 if o.waives else math.nan,
                     "waive_interest_pct": o.waive_interest_pct * 100 if o.waives else math.nan,
                     "settle_pct": o.settle_pct * 100 if o.kind == SETTLEMENT else math.nan})
    return pd.DataFrame(rows, columns=list(PLAN_COLUMNS)).astype(
        {c: "float64" for c in PLAN_COLUMNS[2:]})


def plan_from_table(table: pd.DataFrame, defaults: Mapping[str, Any] | None = None, *,
                    legal: bool = False) -> dict[int, Option]:
    """The plan an edited :func:`plan_table` describes (row i = loan i). Blank or out-of-range
    parameters take ``defaults`` (the page's sliders) or the option's own default; values are
    clipped to :data:`OPTION_SPECS`. ``legal``: every option starts from the law (the contract
    kept means kept at the legal line, :data:`LEGAL`).

    >>> t = pd.DataFrame([{"lender": "A", "option": "extension", "months": 99, "plan_rate": None,
    ...                    "waive_penalty_pct": None, "waive_interest_pct": None, "settle_pct": None}])
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
        if kind == INSTALMENTS:
            params["plan_rate"] = pick("plan_rate", row.get("plan_rate"), 100)
        if kind == WAIVER or label.startswith(WAIVER + "+"):
            params["waive_penalty_pct"] = pick("waive_penalty_pct", row.get("waive_penalty_pct"), 100)
            params["waive_interest_pct"] = pick("waive_interest_pct", row.get("waive_interest_pct"), 100)
        if kind == SETTLEMENT:
            params["settle_pct"] = pick("settle_pct", row.get("settle_pct"), 100)
        key = (label, *sorted(params.items()))
        if key not in made:
            made[key] = Option.from_label(label, legal=legal, **params).canonical
        plan[i] = made[key]
    return plan
