"""Option kinds, one place each: what a kind is called, its parameters, how often lenders grant
it, which loans it applies to and what it does to them.

A kind is a :class:`Kind` registered in :data:`KINDS` (one section per kind below); the generic
code dispatches through the table: :class:`~lib.negotiate.options.Option` (validation,
likelihood), :mod:`~lib.negotiate.transform` (``_mask``: :attr:`Kind.applies`; ``_changed``:
:attr:`Kind.change`), :mod:`~lib.negotiate.phases` (:attr:`Kind.grace`), the plan builder's
table (:attr:`Kind.months`, :attr:`Kind.shown`) and :mod:`~lib.negotiate.asks`
(:attr:`Kind.rate`). Its words are in :mod:`~lib.negotiate.words` (a function, or the template
``negotiate.ask.<kind>`` in ``lib.i18n``), looked up by name.

What stays generic: the waiver (:data:`WAIVER`'s forgiving of interest, penalty and fees, and a
lower ``new_rate``) is applied *before* any kind's change when the option waives
(``with_waiver=True`` on a :attr:`Kind.combinable` kind), so ``change`` sees what is owed after
it (:class:`Owed`); the legal step (:data:`LEGAL`, ``legal=True``) comes before everything
(``lib.negotiate.transform._lawful``).

Adding a kind: a :class:`Kind` with its :class:`ParamSpec` s, passed to :func:`register_kind`
(a built-in one: a section here, added to the table at the bottom of this module, its
parameters fields of :class:`~lib.negotiate.options.Option`), plus its words.

>>> KINDS["instalments"].months, KINDS["instalments"].likelihood, KINDS["instalments"].combinable
('instalments_months', 'common', True)
>>> [s.name for s in KINDS["settlement"].params]
['settle_pct', 'settle_months']
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final, NamedTuple

import numpy as np

from lib.loans import ANNUITY, BULLET, CREDIT_CARD, INTEREST_ONLY

if TYPE_CHECKING:
    from lib.negotiate.options import Option

# --- names ------------------------------------------------------------------------------------
BASELINE: Final = "baseline"
LEGAL: Final = "legal"  # bring a loan above its legal line down to it and waive what lies above
EXTENSION: Final = "extension"
WAIVER: Final = "waiver"
INSTALMENTS: Final = "instalments"
SETTLEMENT: Final = "settlement"

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


# --- what a kind is ---------------------------------------------------------------------------------
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


def _fen(x: Any) -> np.ndarray:
    return np.rint(np.asarray(x, dtype=np.float64) * 100.0)


class Owed(NamedTuple):
    """What the loans owe when a kind's :attr:`Kind.change` starts: after the option's waiver
    (when it has one), fen per row (``rate``: annual, after any ``new_rate``)."""

    col: Mapping[str, np.ndarray]  # the columns read (before the option)
    mask: np.ndarray  # the loans the option applies to
    balance: np.ndarray
    interest: np.ndarray
    penalty: np.ndarray
    fees: np.ndarray
    overdue: np.ndarray
    rate: np.ndarray

    @property
    def total(self) -> np.ndarray:
        """Everything owed, fen."""
        return self.balance + self.interest + self.penalty + self.fees


class Change(NamedTuple):
    """What a kind's :attr:`Kind.change` returns."""

    new: dict[str, np.ndarray]  # the columns it changes, whole (CNY; see lib.loans.COLUMNS)
    redo: np.ndarray  # bool: rows whose contract payment changes (re-derived; NaN in ``new``)
    forgiven: np.ndarray | float = 0.0  # fen forgiven beyond the waiver, per row


class Grace(NamedTuple):
    """A grace phase (:attr:`Kind.grace`): for ``months`` months the loan is what
    :attr:`Kind.change` made of it; then it returns to its own method over its remaining months
    plus ``extend``; ``capitalise``: the interest deferred in the grace becomes principal."""

    months: int
    extend: int
    capitalise: bool


Columns = Mapping[str, np.ndarray]


@dataclass(frozen=True)
class Kind:
    """One option kind, everything about it but its words.

    * ``likelihood`` — how often lenders grant it (one of :data:`LIKELIHOODS`), or a function
      of the option;
    * ``params`` — its parameters (their ``kinds`` name it; a registered kind's are new names,
      carried in ``Option.extra``; a built-in kind's are fields of ``Option``);
    * ``months`` — the parameter the plan builder's ``months`` column edits (None: blank);
      ``shown`` — other parameters with a column of their own there (among ``PLAN_PARAMS``);
    * ``rate`` — the parameter that sets the new contract's rate (the asks skip such a rung
      when it is no lower than the loan's own);
    * ``combinable`` — may carry a waiver (``waiver+<name>``);
    * ``applies(option, col, owes)`` — the loans it applies to, from the columns of a conformed
      table (``kind``, ``balance``, ``annual_rate``, ``interest``, ``penalty``, ``fees``,
      ``_above``) and ``owes`` (the loans that owe something); None: exactly those;
    * ``change(option, owed)`` — what it does to them (:class:`Owed` → :class:`Change`; see
      :func:`new_contract`); None: it keeps the contract (nothing changes);
    * ``grace(option)`` — a grace phase before its contract (:class:`Grace`), or None.
    """

    name: str
    likelihood: str | Callable[[Option], str]
    params: tuple[ParamSpec, ...] = ()
    months: str | None = None
    shown: tuple[str, ...] = ()
    rate: str | None = None
    combinable: bool = False
    applies: Callable[[Option, Columns, np.ndarray], np.ndarray] | None = None
    change: Callable[[Option, Owed], Change] | None = None
    grace: Callable[[Option], Grace | None] | None = None

    def likelihood_of(self, option: Option) -> str:
        """How often lenders grant ``option`` (of this kind)."""
        return self.likelihood(option) if callable(self.likelihood) else self.likelihood


def new_contract(owed: Owed, *, balance: Any = None, rate: Any = None, method: Any = None, months: Any = None,
                 forgiven: Any = 0.0) -> Change:
    """The loans of ``owed.mask`` as fresh contracts: ``balance`` (fen; default: everything owed,
    the arrears folded in), ``rate`` (default: the rate after any waiver), ``method`` and
    ``months`` (defaults: the loan's own), every charge and arrear at 0, amount borrowed = the
    balance, received and start unknown, the payment re-derived. ``forgiven``: fen forgiven
    besides the waiver (e.g. what a settlement lets go).

    >>> col = {"balance": np.array([100.0]), "annual_rate": np.array([0.1]), "method": np.array(["bullet"], dtype=object),
    ...        "remaining_months": np.array([3]), "interest": np.array([0.0]), "penalty": np.array([0.0]),
    ...        "fees": np.array([0.0]), "overdue_amount": np.array([0.0]), "overdue_days": np.array([0]),
    ...        "principal_amount": np.array([200.0]), "received": np.array([150.0]), "term_months": np.array([6.0]),
    ...        "start_date": np.array(["2024-01-01"], dtype="datetime64[ns]"), "monthly_payment": np.array([1.0])}
    >>> z = np.zeros(1)
    >>> owed = Owed(col, np.array([True]), np.array([10000.0]), z, z, z, z, np.array([0.1]))
    >>> ch = new_contract(owed, rate=0.0, method=ANNUITY, months=4)
    >>> [ch.new[c].tolist()[0] for c in ("balance", "annual_rate", "method", "remaining_months", "principal_amount")]
    [100.0, 0.0, 'annuity', 4, 100.0]
    """
    col, mask = owed.col, owed.mask

    def where(value: Any, current: np.ndarray) -> np.ndarray:
        return current if value is None else np.where(mask, value, current)

    new_bal = np.where(mask, owed.total if balance is None else balance, owed.balance)
    method = where(method, col["method"].astype(object))
    months = where(months, col["remaining_months"].astype(np.int64))

    def fresh(name: str, value: Any) -> np.ndarray:  # a new contract's value on the rows changed
        return np.where(mask, value, col[name])

    cols = {"balance": new_bal / 100.0, "annual_rate": where(rate, owed.rate), "method": method,
            "remaining_months": months, "interest": fresh("interest", 0.0), "penalty": fresh("penalty", 0.0),
            "fees": fresh("fees", 0.0), "overdue_amount": fresh("overdue_amount", 0.0),
            "overdue_days": fresh("overdue_days", 0), "principal_amount": fresh("principal_amount", new_bal / 100.0),
            "received": fresh("received", np.nan), "term_months": fresh("term_months", months),
            "start_date": np.where(mask, np.datetime64("NaT", "ns"), col["start_date"]),
            "monthly_payment": fresh("monthly_payment", np.nan)}
    return Change(cols, mask, forgiven)


# --- baseline: keep the contract ---------------------------------------------------------------------
BASELINE_KIND: Final = Kind(BASELINE, CONTRACT, applies=lambda option, col, owes: np.ones(len(owes), dtype=bool))

# --- legal: the legal step alone (its change is the generic legal step, lib.negotiate.transform) ---------
LEGAL_KIND: Final = Kind(LEGAL, BY_LAW, applies=lambda option, col, owes: owes & np.asarray(col["_above"], dtype=bool))


# --- extension (展期): the whole amount owed over n + k months, the loan's own method and rate ------------
def _extension(option: Option, owed: Owed) -> Change:
    months = owed.col["remaining_months"].astype(np.int64) + option.extension_months + option.grace_months
    method = None
    if option.grace_months > 0:  # the grace phase; run_plan switches to the contract after it
        method = INTEREST_ONLY if option.grace_mode == GRACE_INTEREST_ONLY else BULLET
    return new_contract(owed, method=method, months=months)


def _extension_grace(option: Option) -> Grace | None:
    if option.grace_months <= 0:
        return None
    return Grace(option.grace_months, option.extension_months, option.grace_mode == GRACE_NOTHING)


EXTENSION_KIND: Final = Kind(
    EXTENSION, SOMETIMES, combinable=True, months="extension_months",
    params=(ParamSpec("extension_months", (EXTENSION,), "months", 12, 1, 36, 1),
            ParamSpec("grace_months", (EXTENSION,), "months", 0, 0, 6, 1),
            ParamSpec("grace_mode", (EXTENSION,), "choice", GRACE_INTEREST_ONLY, choices=GRACE_MODES)),
    # not for credit cards: their restructuring is the article-70 instalment plan
    applies=lambda option, col, owes: owes & (np.asarray(col["kind"], dtype=object) != CREDIT_CARD),
    change=_extension, grace=_extension_grace)


# --- waiver (减免): forgive shares of interest, penalty and fees; optionally a lower rate -------------------
def _waived_parts(option: Option, interest: np.ndarray, penalty: np.ndarray,
                  fees: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Fen of interest, penalty and fees forgiven by the option's waiver (0 without one); shared by
    the combinations (``with_waiver``)."""
    if not option.waives:
        z = np.zeros_like(interest)
        return z, z, z
    return (np.rint(interest * option.waive_interest_pct), np.rint(penalty * option.waive_penalty_pct),
            np.rint(fees * option.waive_fees_pct))


def _waiver_applies(option: Option, col: Columns, owes: np.ndarray) -> np.ndarray:
    """Only when it forgives something or lowers the rate."""
    intr, pen, fee = (np.nan_to_num(_fen(col[c])) for c in ("interest", "penalty", "fees"))
    w = sum(_waived_parts(option, intr, pen, fee))
    cut = (np.zeros(len(owes), dtype=bool) if option.new_rate is None
           else np.asarray(col["annual_rate"], dtype=np.float64) > option.new_rate)
    return owes & ((w > 0) | cut)


def _waiver(option: Option, owed: Owed) -> Change:
    """The contract stands, less what was waived (the waiver itself is generic: ``_changed``)."""
    col = owed.col
    redo = owed.mask & (owed.rate != col["annual_rate"])  # a new rate, a new instalment
    return Change({"interest": owed.interest / 100.0, "penalty": owed.penalty / 100.0, "fees": owed.fees / 100.0,
                   "overdue_amount": owed.overdue / 100.0, "annual_rate": owed.rate,
                   "monthly_payment": np.where(redo, np.nan, col["monthly_payment"])}, redo)


WAIVER_KIND: Final = Kind(
    WAIVER, lambda option: SOMETIMES if option.new_rate is not None else COMMON,  # a lower rate: less often
    params=(ParamSpec("waive_penalty_pct", (WAIVER,), "share", 1.0, 0.0, 1.0, 0.05),
            ParamSpec("waive_interest_pct", (WAIVER,), "share", 0.5, 0.0, 1.0, 0.05),
            ParamSpec("waive_fees_pct", (WAIVER,), "share", 1.0, 0.0, 1.0, 0.05),
            ParamSpec("new_rate", (WAIVER,), "rate", None, 0.0, 0.24, 0.005)),
    shown=("waive_penalty_pct", "waive_interest_pct"), applies=_waiver_applies, change=_waiver)


# --- instalments (个性化分期 / 停息分期): the total owed in N equal payments at plan_rate ----------------------
INSTALMENTS_KIND: Final = Kind(
    INSTALMENTS, COMMON, combinable=True, months="instalments_months", shown=("plan_rate",), rate="plan_rate",
    params=(ParamSpec("instalments_months", (INSTALMENTS,), "months", 36, 1, 60, 1),  # article 70: 5 years
            ParamSpec("plan_rate", (INSTALMENTS,), "rate", 0.0, 0.0, 0.24, 0.005)),
    change=lambda option, owed: new_contract(owed, rate=option.plan_rate, method=ANNUITY,
                                             months=option.instalments_months))


# --- settlement (减免本金 / 一次性结清): settle_pct of the total at 0 %, in settle_months; the rest forgiven ----
def _settlement(option: Option, owed: Owed) -> Change:
    new_bal = np.where(owed.mask, np.rint(owed.total * option.settle_pct), owed.balance)
    return new_contract(owed, balance=new_bal, rate=0.0, method=ANNUITY, months=option.settle_months,
                        forgiven=(owed.total - new_bal) * owed.mask)


SETTLEMENT_KIND: Final = Kind(
    SETTLEMENT, RARE, months="settle_months", shown=("settle_pct",),
    params=(ParamSpec("settle_pct", (SETTLEMENT,), "share", 0.6, 0.1, 1.0, 0.05),
            ParamSpec("settle_months", (SETTLEMENT,), "months", 1, 1, 12, 1)),
    change=_settlement)


# --- the table ----------------------------------------------------------------------------------------
# Ranges reflect practice (docs/model.md): extensions of up to 3 years, grace up to 6 months,
# instalments up to 60 months (credit cards, article 70), settlements paid within a year.
KINDS: Final[dict[str, Kind]] = {k.name: k for k in (BASELINE_KIND, LEGAL_KIND, EXTENSION_KIND, WAIVER_KIND,
                                                     INSTALMENTS_KIND, SETTLEMENT_KIND)}
BUILT_IN: Final = tuple(KINDS)
OPTION_SPECS: Final[dict[str, ParamSpec]] = {s.name: s for k in KINDS.values() for s in k.params}


def register_kind(kind: Kind) -> Kind:
    """Add ``kind`` to :data:`KINDS` and its parameters to :data:`OPTION_SPECS`; from then on
    ``Option(kind.name)`` is valid and every function of :mod:`lib.negotiate` handles it.
    Its parameters are new names (no other kind's, no field of ``Option``) whose ``kinds`` name
    it; an option carries them in ``Option.extra`` and reads them as attributes.

    >>> from lib.negotiate.options import Option
    >>> hold = register_kind(Kind("hold", RARE, params=(ParamSpec("hold_months", ("hold",), "months", 3, 1, 6, 1),)))
    >>> o = Option.from_label("hold", hold_months=5)  # keeps the contract (no change), like the baseline
    >>> o.hold_months, Option("hold").hold_months, o.grant_likelihood, o.extra
    (5, 3, 'rare', (('hold_months', 5),))
    >>> unregister_kind("hold")
    """
    from lib.negotiate.options import Option

    if kind.name in KINDS or "+" in kind.name or not kind.name:
        raise ValueError(f"option kind {kind.name!r} is taken or not a name")
    fields = set(Option.__dataclass_fields__)
    for spec in kind.params:
        if not spec.name.isidentifier() or spec.name in fields or spec.name in OPTION_SPECS or kind.name not in spec.kinds:
            raise ValueError(f"{spec.name!r}: a kind's parameters are new names of its own, naming the kind")
    for name in (kind.months, kind.rate, *kind.shown):
        if name is not None and name not in OPTION_SPECS and name not in {s.name for s in kind.params}:
            raise ValueError(f"{name!r} is not a parameter")
    KINDS[kind.name] = kind
    OPTION_SPECS.update({s.name: s for s in kind.params})
    return kind


def unregister_kind(name: str) -> None:
    """Take a kind added by :func:`register_kind` out again (its parameters with it); the
    built-in kinds stay."""
    if name in BUILT_IN:
        raise ValueError(f"{name!r} is a built-in option kind")
    kind = KINDS.pop(name, None)
    for spec in () if kind is None else kind.params:
        OPTION_SPECS.pop(spec.name, None)


def grace_of(option: Option) -> Grace | None:
    """The option's grace phase (:attr:`Kind.grace`), or None (most options)."""
    grace = KINDS[option.kind].grace
    return None if grace is None else grace(option)
