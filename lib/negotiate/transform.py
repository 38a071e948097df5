"""Which loans an option applies to, and what it does to the loan table.

Every option is a transformation of loan rows: a conformed loan table in, a loan table out
(:func:`apply` for one option on every loan it :func:`applies` to, :func:`apply_plan` for one
option per loan), plus what was forgiven per loan. The work is done on numpy columns
(:func:`_changed`); the legal step (:func:`_legal_change`) comes first for a lawful option.

>>> from lib.loans import make_loans, owed
>>> loans = make_loans([{"lender": "A", "balance": 5000, "annual_rate": 0.36, "remaining_months": 10,
...                      "penalty": 120, "fees": 30}])
>>> new, waived = apply(Option("legal"), loans)  # above the 24 % line: penalty and fees waived
>>> float(new.loc[0, "annual_rate"]), float(waived[0]), float(owed(new)[0])
(0.24, 150.0, 5000.0)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final, NamedTuple

import numpy as np
import pandas as pd

from lib.loans import ANNUITY, COLUMNS, FLAT_FEE, conform
from lib.negotiate.kinds import KINDS, Owed, _fen, _waived_parts
from lib.negotiate.options import BASELINE, LegalLines, Option, Plan, legal_lines
from lib.rates import level_irr
from lib.schedules import annuity_instalment, contract_payment


# --- which loans an option applies to --------------------------------------------------------
def _forgives(option: Option, loan_row: Mapping[str, Any]) -> bool:
    """Whether the option's waiver forgives anything of this loan (a row of the loan table) or
    lowers its rate.

    >>> row = {"interest": 0.0, "penalty": 40.0, "fees": 0.0, "annual_rate": 0.2}
    >>> _forgives(Option("waiver"), row), _forgives(Option("waiver", waive_penalty_pct=0.0), row)
    (True, False)
    """
    parts = _waived_parts(option, *(_fen([float(loan_row[c])]) for c in ("interest", "penalty", "fees")))
    lower = option.waives and option.new_rate is not None and option.new_rate < float(loan_row["annual_rate"])
    return bool(any(p[0] > 0 for p in parts) or lower)


def _mask(option: Option, col: Mapping[str, np.ndarray]) -> np.ndarray:
    """Rows the option applies to (see :func:`applies`), from the columns (:func:`_columns`) of a
    conformed loan table: the loans that owe something, narrowed by the kind's
    :attr:`~lib.negotiate.kinds.Kind.applies`."""
    intr, pen, fee, bal = (np.nan_to_num(_fen(col[c])) for c in ("interest", "penalty", "fees", "balance"))
    owes = (bal + intr + pen + fee) > 0
    narrow = KINDS[option.kind].applies
    return owes if narrow is None else narrow(option, col, owes)


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
        redo = np.flatnonzero(ch.redo)
        annuities = _annuity_payments(get, redo)  # the common case, all rows at once
        for i in redo:
            if i in annuities:
                pay[i] = annuities[i]
            else:
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


def _annuity_payments(get: Mapping[str, np.ndarray], rows: np.ndarray) -> dict[int, float]:
    """:func:`lib.schedules.contract_payment` of the annuities at a rate above 0 among ``rows``
    (by row), worked out for all of them at once with the same arithmetic: the instalment
    (:func:`lib.schedules.annuity_instalment`, one array), month 1's interest and principal in fen."""
    rate = get["annual_rate"][rows].astype(np.float64) / 12.0
    on = rows[(get["method"][rows] == ANNUITY) & (rate > 0)]
    if len(on) < 2:  # (one: the scalar function is as fast)
        return {}
    r = get["annual_rate"][on].astype(np.float64) / 12.0
    b = np.rint(get["balance"][on].astype(np.float64) * 100.0)
    n = np.maximum(get["remaining_months"][on].astype(np.float64).astype(np.int64), 1)
    pay = annuity_instalment(b, r, n)
    interest = np.rint(b * r)
    principal = np.where(n == 1, b, np.minimum(np.maximum(pay - interest, 0.0), b))
    return {int(i): round(x / 100.0, 2) for i, x in zip(on.tolist(), (interest + principal).tolist(), strict=True)}


def _changed(option: Option, df: pd.DataFrame, col: dict[str, np.ndarray] | None = None) -> _Changed:
    """The columns ``option`` changes in a conformed table, worked out on numpy arrays (``col``:
    its :func:`_columns`, when the caller has them). The new contracts' ``monthly_payment`` is left
    to :func:`_apply`: the engine re-derives instalments from the state."""
    col = _columns(df) if col is None else col
    if option.lawful:
        return _lawful(option, df, col)
    kind = KINDS[option.kind]
    mask = _mask(option, col)
    if kind.change is None or not mask.any():  # it keeps the contract
        return _Changed({}, {}, np.zeros(len(df)), mask & False, mask & False)
    owed, waived = _after_waiver(option, col, mask)
    ch = kind.change(option, owed)
    return _Changed(col, ch.new, waived + ch.forgiven, mask, ch.redo)


def _after_waiver(option: Option, col: Mapping[str, np.ndarray], mask: np.ndarray) -> tuple[Owed, np.ndarray]:
    """What the loans of ``mask`` owe after the option's waiver (the same for a waiver and for a
    combination, ``with_waiver``), and the fen it forgives per row; nothing forgiven without one."""
    bal, intr, pen, fee, od = (_fen(col[c]) for c in ("balance", "interest", "penalty", "fees", "overdue_amount"))
    rate = col["annual_rate"].astype(np.float64)
    w_int, w_pen, w_fee = (x * mask for x in _waived_parts(option, intr, pen, fee))
    intr, pen, fee = intr - w_int, pen - w_pen, fee - w_fee
    waived = np.zeros(len(mask)) + (w_int + w_pen + w_fee)
    od = np.clip(od - waived, 0.0, bal + intr + pen + fee)
    if option.waives and option.new_rate is not None:
        rate = np.where(mask, np.minimum(rate, option.new_rate), rate)
    return Owed(col, mask, bal, intr, pen, fee, od, rate), waived


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


def _as_plan(plan: Option | Plan, df: pd.DataFrame) -> dict[int, Option]:
    """A plan keyed by ``loan_id`` → the same plan by row position in ``df`` (a conformed table);
    an id that is not in the table (a loan since removed) is left out."""
    if isinstance(plan, Option):
        return dict.fromkeys(range(len(df)), plan)
    where = {loan_id: i for i, loan_id in enumerate(df["loan_id"].tolist())}
    out = {}
    for k, opt in plan.items():
        if not isinstance(k, str):
            raise TypeError(f"a plan is keyed by loan_id (a string such as 'L1'), not {k!r}")
        if not isinstance(opt, Option):
            raise TypeError(f"plan[{k!r}] is not an Option")
        if k in where:
            out[where[k]] = opt
    return out


def apply_plan(plan: Option | Plan, loans: pd.DataFrame, *, legal: LegalLines | None = None
               ) -> tuple[pd.DataFrame, pd.Series]:
    """One option per loan (``{loan_id: Option}``; loans not in ``plan`` keep the contract, ids
    no longer in the table are ignored), or one option for the whole portfolio → the combined loan
    table and the per-row ``waived``.

    >>> from lib.loans import make_loans
    >>> loans = make_loans([{"lender": "A", "balance": 6000, "annual_rate": 0.2, "remaining_months": 6},
    ...                     {"lender": "B", "balance": 3000, "annual_rate": 0.1, "remaining_months": 3,
    ...                      "penalty": 90}])
    >>> new, w = apply_plan({"L2": Option("instalments", instalments_months=10)}, loans)
    >>> new["balance"].tolist(), new["monthly_payment"].tolist(), w.tolist()
    ([6000.0, 3090.0], [1059.14, 309.0], [0.0, 0.0])
    """
    df = conform(loans)
    return _apply_plan(plan if isinstance(plan, Option) else _as_plan(plan, df), df, _columns(df, legal))


def _apply_plan(plan: Option | Mapping[int, Option], df: pd.DataFrame, col: dict[str, np.ndarray]
                ) -> tuple[pd.DataFrame, pd.Series]:
    """:func:`apply_plan` on a conformed table and its :func:`_columns`, the plan by row position."""
    if isinstance(plan, Option):
        return _apply(plan, df, col)
    chosen = plan
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

