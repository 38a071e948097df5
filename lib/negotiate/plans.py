"""The plan builder's table: a plan as an editable table and back (no language: the page
puts the headers on). Each row carries its loan's ``loan_id``, so the plan read back names the
same loans whatever their order.

>>> from lib.loans import make_loans
>>> loans = make_loans([{"lender": "A", "balance": 100, "annual_rate": 0.1, "remaining_months": 2},
...                     {"lender": "B", "balance": 200, "annual_rate": 0.1, "remaining_months": 2}])
>>> plan = {"L2": Option("settlement", settle_pct=0.5, settle_months=3)}
>>> table = plan_table(plan, loans)
>>> table[["loan_id", "lender", "option"]].values.tolist()
[['L1', 'A', 'baseline'], ['L2', 'B', 'settlement']]
>>> plan_from_table(table.iloc[::-1]) == {"L1": Option(), "L2": plan["L2"]}
True
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, Final

import pandas as pd

from lib.loans import conform
from lib.negotiate.kinds import KINDS, OPTION_SPECS, WAIVER
from lib.negotiate.options import BASELINE, Option, Plan

# --- the plan builder's table ------------------------------------------------------------------------
PLAN_COLUMNS: Final = ("loan_id", "lender", "option", "months", "plan_rate", "waive_penalty_pct",
                        "waive_interest_pct", "settle_pct")
PLAN_PARAMS: Final = PLAN_COLUMNS[3:]  # the numbers (blank where they do not concern the option)


def _shown(kind: str, with_waiver: bool) -> dict[str, str]:
    """The plan columns an option of ``kind`` fills → the parameter each edits: ``months`` (the
    kind's :attr:`~lib.negotiate.kinds.Kind.months`), the kind's ``shown`` parameters and, with a
    waiver, the waiver's; every other column is blank. An unknown kind fills none.

    >>> _shown("instalments", True)
    {'months': 'instalments_months', 'plan_rate': 'plan_rate', 'waive_penalty_pct': 'waive_penalty_pct', 'waive_interest_pct': 'waive_interest_pct'}
    """
    k = KINDS.get(kind)
    if k is None:
        return {}
    names = (*k.shown, *(KINDS[WAIVER].shown if with_waiver else ()))
    return {**({"months": k.months} if k.months else {}), **{n: n for n in names}}


def _scale(name: str) -> float:
    """Shares and rates are edited in %."""
    return 100.0 if OPTION_SPECS[name].unit in ("share", "rate") else 1.0


def plan_table(plan: Plan, loans: pd.DataFrame) -> pd.DataFrame:
    """One editable row per loan (its ``loan_id`` first; a loan not in ``plan``: the contract): its option and the parameters a coach tunes per lender
    (``months`` is the extension, the number of instalments or the settlement's months, by
    option; the instalments' rate and the shares in %). Blank where a parameter does not concern
    the option.

    >>> from lib.loans import make_loans
    >>> loans = make_loans([{"lender": "A", "balance": 100, "annual_rate": 0.1, "remaining_months": 2}])
    >>> plan_table({"L1": Option("instalments", with_waiver=True, instalments_months=24)}, loans).to_dict("records")
    [{'loan_id': 'L1', 'lender': 'A', 'option': 'waiver+instalments', 'months': 24.0, 'plan_rate': 0.0, 'waive_penalty_pct': 100.0, 'waive_interest_pct': 50.0, 'settle_pct': nan}]
    """
    rows = []
    df = conform(loans)
    for loan_id, lender in zip(df["loan_id"].tolist(), df["lender"].astype(str).tolist(), strict=True):
        o = plan.get(loan_id, Option())
        shown = _shown(o.kind, o.waives)
        rows.append({"loan_id": loan_id, "lender": lender, "option": o.label,
                     **{c: getattr(o, shown[c]) * _scale(shown[c]) if c in shown else math.nan for c in PLAN_PARAMS}})
    return pd.DataFrame(rows, columns=list(PLAN_COLUMNS)).astype(
        {"loan_id": "string", **{c: "float64" for c in PLAN_PARAMS}})


def plan_from_table(table: pd.DataFrame, defaults: Mapping[str, Any] | None = None, *,
                    legal: bool = False, loans: pd.DataFrame | None = None) -> dict[str, Option]:
    """The plan an edited :func:`plan_table` describes, by each row's ``loan_id``; a row without
    one (or, given ``loans``, with an id that is not among them) is ignored. Blank or out-of-range
    parameters take ``defaults`` (the page's sliders) or the option's own default; values are
    clipped to :data:`OPTION_SPECS`. ``legal``: every option starts from the law (the contract
    kept means kept at the legal line, :data:`LEGAL`).

    >>> t = pd.DataFrame([{"loan_id": "L1", "lender": "A", "option": "extension", "months": 99,
    ...                    "plan_rate": None, "waive_penalty_pct": None, "waive_interest_pct": None,
    ...                    "settle_pct": None}])
    >>> plan_from_table(t)["L1"].extension_months  # clipped to the 36-month maximum
    36
    >>> o = plan_from_table(t.assign(option="settlement", months="", settle_pct="45%"))["L1"]
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
    known = None if loans is None else set(conform(loans)["loan_id"].tolist())
    plan: dict[str, Option] = {}
    for row in table.to_dict("records"):
        loan_id = row.get("loan_id")
        loan_id = loan_id.strip() if isinstance(loan_id, str) else ""
        if not loan_id or (known is not None and loan_id not in known):
            continue
        label = str(row.get("option") or BASELINE)
        kind = label.rpartition("+")[2]
        params = dict(base)
        for column, name in _shown(kind, label.startswith(WAIVER + "+")).items():
            params[name] = pick(name, row.get(column), _scale(name))
        key = (label, *sorted(params.items()))
        if key not in made:
            made[key] = Option.from_label(label, legal=legal, **params).canonical
        plan[loan_id] = made[key]
    return plan

