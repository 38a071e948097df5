"""Options and their parameters: what a lender may agree to, as data (each kind described
once, in :mod:`lib.negotiate.kinds`).

Every kind has a label (:data:`LABELS`; a combination with a waiver is ``waiver+<kind>``), how
often lenders grant it (:attr:`Option.grant_likelihood`), how it shows in the credit record
(:attr:`Option.credit_note_key`) and its parameters with their defaults and ranges
(:data:`OPTION_SPECS`, from which the page builds its sliders). :func:`legal_lines` says which
loans cost more than their legal line (what the ``legal`` step brings down).

>>> o = Option.from_label("waiver+extension", extension_months=24)
>>> o.kind, o.with_waiver, o.extension_months, o.grant_likelihood, o.label_key
('extension', True, 24, 'sometimes', 'negotiate.option.waiver+extension')
>>> [s.name for s in OPTION_SPECS.values() if "instalments" in s.kinds]
['instalments_months', 'plan_rate']
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any, Final, NamedTuple

import numpy as np
import pandas as pd

from lib.loans import conform
from lib.negotiate.kinds import (
    BASELINE,
    BUILT_IN,
    BY_LAW,
    COMMON,
    CONTRACT,
    EXTENSION,
    GRACE_INTEREST_ONLY,
    GRACE_MODES,
    GRACE_NOTHING,
    INSTALMENTS,
    KINDS,
    LEGAL,
    LIKELIHOODS,
    OPTION_SPECS,
    RARE,
    SETTLEMENT,
    SOMETIMES,
    WAIVER,
    ParamSpec,
)
from lib.rates import apr_table, legal_caps

__all__ = ["BASELINE", "BY_LAW", "COMBINABLE", "COMMON", "CONTRACT", "DEFAULT_OPTIONS", "EXTENSION",
           "GRACE_INTEREST_ONLY", "GRACE_MODES", "GRACE_NOTHING", "INSTALMENTS", "KINDS", "LABELS", "LEGAL",
           "LIKELIHOODS", "OPTION_KINDS", "OPTION_SPECS", "RARE", "SETTLEMENT", "SOMETIMES", "WAIVER", "LegalLines",
           "Option", "ParamSpec", "Plan", "legal_lines"]

# --- kinds, labels, metadata: each kind is described once, in lib.negotiate.kinds ---------------------
OPTION_KINDS: Final = BUILT_IN  # the built-in kinds (KINDS: every registered one)
COMBINABLE: Final = tuple(k.name for k in KINDS.values() if k.combinable)  # may carry a waiver (with_waiver=True)

# What compare_options shows by default, baseline first, and what the pages offer.
DEFAULT_OPTIONS: Final = (BASELINE, LEGAL, EXTENSION, WAIVER, INSTALMENTS, "waiver+instalments", SETTLEMENT)
LABELS: Final = (*DEFAULT_OPTIONS, "waiver+extension")


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
    # the parameters of registered kinds that are not fields above, (name, value) off their default
    # (Option.from_label sorts them in; read them as attributes: option.<name>)
    extra: tuple[tuple[str, Any], ...] = ()

    def __post_init__(self) -> None:
        if self.kind == BASELINE and self.legal:
            object.__setattr__(self, "kind", LEGAL)
        object.__setattr__(self, "legal", bool(self.legal) and self.kind != LEGAL)
        if self.kind not in KINDS:
            raise ValueError(f"unknown option kind {self.kind!r}; choose one of {tuple(KINDS)}")
        if self.with_waiver and not KINDS[self.kind].combinable:
            combinable = tuple(k.name for k in KINDS.values() if k.combinable)
            raise ValueError(f"only {combinable} combine with a waiver, not {self.kind!r}")
        given = dict(self.extra)
        if set(given) - set(OPTION_SPECS) or set(given) & _FIELDS:
            raise ValueError(f"unknown option parameter(s) {sorted(set(given) - set(OPTION_SPECS) | set(given) & _FIELDS)}")
        extra = {}
        for spec in OPTION_SPECS.values():
            v = _checked(spec, getattr(self, spec.name))
            if spec.name in _FIELDS:
                object.__setattr__(self, spec.name, v)
            elif v != spec.default:  # (at its default: left out, so that equal options compare equal)
                extra[spec.name] = v
        object.__setattr__(self, "extra", tuple(sorted(extra.items())))
        object.__setattr__(self, "with_waiver", bool(self.with_waiver))

    def __getattr__(self, name: str) -> Any:
        """A registered kind's parameter that is not a field (:attr:`extra`, else its default)."""
        spec = None if name.startswith("_") or name == "extra" else OPTION_SPECS.get(name)
        if spec is None:
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        return dict(self.extra).get(name, spec.default)

    @classmethod
    def from_label(cls, label: str, **params: Any) -> Option:
        """An option from its :attr:`label` (``"waiver+instalments"``, ``"settlement"`` …);
        ``params`` override the defaults (a registered kind's own parameters among them)."""
        waiver, _, kind = label.rpartition("+")
        if waiver not in ("", WAIVER):
            raise ValueError(f"unknown option label {label!r}")
        extra = tuple(sorted((k, params.pop(k)) for k in list(params) if k not in _FIELDS and k in OPTION_SPECS))
        return cls(kind, with_waiver=bool(waiver), extra=extra, **params)

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

        return replace(self, **{s.name: s.default for s in OPTION_SPECS.values() if not concerns(s) and s.name in _FIELDS},
                       extra=tuple((k, v) for k, v in self.extra if concerns(OPTION_SPECS[k])))

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
        rate from now on is granted less often than a waiver of what has accrued (each kind's
        :attr:`lib.negotiate.kinds.Kind.likelihood`)."""
        return KINDS[self.kind].likelihood_of(self)

    @property
    def credit_note_key(self) -> str:
        """The i18n key of how the option shows in the credit record (征信)."""
        return f"negotiate.credit.{self.kind}"


_FIELDS: Final = frozenset(Option.__dataclass_fields__)


def _checked(spec: ParamSpec, v: Any) -> Any:
    """``v`` as parameter ``spec`` takes it (whole months an ``int``, other numbers ``float``);
    ``ValueError`` outside its range or choices."""
    if spec.unit == "choice":
        if v not in spec.choices:
            raise ValueError(f"{spec.name} must be one of {spec.choices}, got {v!r}")
        return v
    if v is None and spec.default is None:
        return v
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
        return int(x)
    return x


Plan = Mapping[str, Option]  # loan_id -> option (loans not named keep the contract; ids not in the table: ignored)


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

