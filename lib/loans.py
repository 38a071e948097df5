"""The loan table: one row per loan, the shape every other module agrees on.

Data flows one way (docs/model.md; README, "Layout"): a file or the editor → :func:`lib.ingest.read_loans`
→ a ``pandas.DataFrame`` with exactly :data:`COLUMNS` → schedules, breakdowns,
comparisons → figures.

Units
-----
* money in CNY (float64, rounded to the fen at boundaries);
* ``annual_rate`` is a nominal annual fraction: 0.18 for 18 %/year. A daily rate is
  converted with a 360-day year unless the reader is told 365 (日息万五 = 0.0005 × 360
  = 0.18). For ``flat_fee`` loans it is the stated fee rate × 12, charged every month
  on the *original* principal (so the real APR is much higher, see :mod:`lib.rates`);
* months are whole months.

What is owed now = ``balance`` + ``interest`` + ``penalty`` + ``fees``.
``overdue_amount`` is the part of that which is already past due; it is *not* added
again.

No UI language in the data
--------------------------
The table holds what the borrower wrote, never text made for the page: a loan whose file
names no lender keeps ``lender == ""`` (its ``source_row`` and ``loan_id`` tell it apart).
It is put in words only when shown: :func:`lender_names` gives each loan's name as the page
shows it ("第3行借款" / "Loan in row 3"), :func:`named` a copy of the table with those names.

The choice: **pages pass ``named(loans, lang)``** to whatever shows or groups by lender —
:func:`lib.breakdown.by_lender`, :func:`lib.breakdown.loan_table` and the views and charts
drawn from them, the payoff engine (:func:`lib.payoff.prepare` / ``simulate``: its schedule's
``lender`` labels every chart by lender) and :mod:`lib.negotiate` (``what_to_ask`` marks its
closing row with a blank lender, the plan builder shows the names). ``lib`` itself never
makes the names: most of it does not take a language, and a name made once would go stale
when the language changes. The placeholders are distinct per loan (row numbers, loan ids),
so two unnamed loans are never merged; :func:`lib.breakdown.by_lender` also keeps blank
lenders apart on its own, for a caller that passes the raw table. Exports and the editor
take the raw table: a blank lender stays blank, and a file read back gives the same loans.

Example
-------
>>> df = make_loans([{"lender": "借呗", "balance": 10000, "annual_rate": 0.18,
...                   "remaining_months": 12}])
>>> list(df.columns) == list(COLUMNS)
True
>>> df.loc[0, "method"], df.loc[0, "kind"]
('annuity', 'online')
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import pandas as pd

# Repayment methods (还款方式).
ANNUITY: Final = "annuity"  # 等额本息
EQUAL_PRINCIPAL: Final = "equal_principal"  # 等额本金
INTEREST_ONLY: Final = "interest_only"  # 先息后本
BULLET: Final = "bullet"  # 一次性还本付息
FLAT_FEE: Final = "flat_fee"  # 每期手续费 on the original principal (信用卡分期, many 网贷)
METHODS: Final = (ANNUITY, EQUAL_PRINCIPAL, INTEREST_ONLY, BULLET, FLAT_FEE)

# Kinds of lender (类型). Private loans are judged against 4 × LPR, the others against 24 % / 36 %.
ONLINE: Final = "online"  # 网贷平台 (借呗, 微粒贷, 京东金条 …)
CONSUMER_FINANCE: Final = "consumer_finance"  # 消费金融公司
CREDIT_CARD: Final = "credit_card"  # 信用卡
BANK: Final = "bank"  # 银行贷款
PRIVATE: Final = "private"  # 民间借贷
OTHER: Final = "other"
KINDS: Final = (ONLINE, CONSUMER_FINANCE, CREDIT_CARD, BANK, PRIVATE, OTHER)

# column -> dtype. The order is the order of the table.
COLUMNS: Final[dict[str, str]] = {
    "loan_id": "string",  # stable identity ("L1", "L2" …): plans, orders and choices refer to it, never to a row
    "lender": "string",  # 平台 / 机构 / 出借人
    "kind": "string",  # one of KINDS
    "balance": "float64",  # 剩余本金, CNY
    "annual_rate": "float64",  # nominal annual fraction
    "method": "string",  # one of METHODS
    "remaining_months": "int64",  # 剩余期数
    "monthly_payment": "float64",  # 每期应还 / 月供, CNY (contract instalment)
    "overdue_days": "int64",  # 逾期天数
    "overdue_amount": "float64",  # 逾期金额 (already included in what is owed)
    "interest": "float64",  # 应付未付利息 accrued and unpaid
    "penalty": "float64",  # 罚息 accrued
    "fees": "float64",  # 费用 / 服务费 / 违约金 owed now
    "principal_amount": "float64",  # 借款金额 (contract principal); NaN when unknown
    "received": "float64",  # 到手金额 (cash actually received); NaN when unknown
    "start_date": "datetime64[ns]",  # 借款日期; NaT when unknown
    "term_months": "float64",  # 总期数; NaN when unknown
    "derived": "string",  # comma-separated names of fields the reader computed from the others
    "assumed": "string",  # comma-separated names of fields the reader assumed (to check: "please check")
    "source_row": "int64",  # spreadsheet row the loan came from (header = row 1); 0 = typed
}

REQUIRED: Final = ("lender", "balance", "annual_rate", "remaining_months")

MONEY_COLUMNS: Final = (
    "balance",
    "monthly_payment",
    "overdue_amount",
    "interest",
    "penalty",
    "fees",
    "principal_amount",
    "received",
)

_DEFAULTS: Final[dict[str, Any]] = {
    "loan_id": "",
    "kind": ONLINE,
    "method": ANNUITY,
    "monthly_payment": np.nan,
    "overdue_days": 0,
    "overdue_amount": 0.0,
    "interest": 0.0,
    "penalty": 0.0,
    "fees": 0.0,
    "principal_amount": np.nan,
    "received": np.nan,
    "start_date": pd.NaT,
    "term_months": np.nan,
    "derived": "",
    "assumed": "",
    "source_row": 0,
}


def empty_loans() -> pd.DataFrame:
    """An empty loan table with the right columns and dtypes.

    >>> empty_loans().shape
    (0, 20)
    """
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in COLUMNS.items()})


def make_loans(records: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """Build a loan table from plain dicts (tests, notebooks, the engine's callers).

    Missing optional fields take defaults; a missing ``monthly_payment`` is derived
    from the contract (see :func:`lib.schedules.contract_payment`).

    >>> df = make_loans([{"lender": "A", "balance": 12000, "annual_rate": 0.0, "remaining_months": 12}])
    >>> float(df.loc[0, "monthly_payment"]), df.loc[0, "derived"]
    (1000.0, 'monthly_payment')
    """
    from lib.schedules import contract_payment  # local: schedules imports this module

    rows = []
    for rec in records:
        missing = [c for c in REQUIRED if c not in rec]
        if missing:
            raise ValueError(f"loan record lacks {missing}")
        row = {**_DEFAULTS, **rec}
        if row["monthly_payment"] is None or pd.isna(row["monthly_payment"]):
            row["derived"] = ",".join(x for x in (row["derived"], "monthly_payment") if x)
            row["monthly_payment"] = contract_payment(
                row["balance"], row["annual_rate"], row["remaining_months"], row["method"],
                principal_amount=row["principal_amount"], term_months=row["term_months"],
            )
        rows.append(row)
    if not rows:
        return empty_loans()
    return conform(pd.DataFrame(rows))


def conform(df: pd.DataFrame) -> pd.DataFrame:
    """Return ``df`` with exactly :data:`COLUMNS`, in order, with their dtypes.

    A table that already conforms (what :func:`lib.ingest.read_loans` returns) comes back as
    a shallow copy at once: pages call this on every rerun. (pandas copies on write, so the
    copy never changes the original.)

    >>> df = make_loans([{"lender": "A", "balance": 1, "annual_rate": 0.1, "remaining_months": 1}])
    >>> conform(df).equals(df), conform(df.drop(columns="kind"))["kind"].tolist()
    (True, ['online'])
    """
    if _conforms(df):
        return df.reset_index(drop=True)
    out = pd.DataFrame(index=range(len(df)))
    df = df.reset_index(drop=True)
    for col, dtype in COLUMNS.items():
        values = df[col] if col in df else pd.Series([_DEFAULTS.get(col)] * len(df))
        default = _DEFAULTS.get(col)
        if default is not None and not pd.isna(default):
            values = values.astype(object).where(values.notna(), default)
        if dtype == "datetime64[ns]":
            out[col] = pd.to_datetime(values, errors="coerce").astype(dtype)
        elif dtype == "string":
            out[col] = values.astype("object").where(values.notna(), "").astype(dtype)
        else:
            out[col] = pd.to_numeric(values, errors="coerce").astype(dtype)
    out["loan_id"] = pd.array(assign_ids(out["loan_id"].tolist()), dtype="string")
    return out


def assign_ids(ids: list[str], avoid: Iterable[str] = ()) -> list[str]:
    """Keep every loan's id; give a blank or repeated one the next free ``L<n>``.

    Ids are short and deterministic (the same file gives the same ids, so a share link
    or a saved plan names the same loans), and an edit never renumbers the other loans.

    >>> assign_ids(["", "L1", "", "L1", "mine"])
    ['L2', 'L1', 'L3', 'L4', 'mine']
    """
    taken = {i for i in ids if i} | set(avoid)
    seen: set[str] = set()
    n = 0
    out = []
    for i in ids:
        if not i or i in seen:
            n += 1
            while f"L{n}" in taken:
                n += 1
            i = f"L{n}"
            taken.add(i)
        seen.add(i)
        out.append(i)
    return out


def keep_ids(loans: pd.DataFrame, ids: Sequence[Any], first_row: int = 1, avoid: Iterable[str] = ()
             ) -> pd.DataFrame:
    """Loans read from an edited table, each with the id its row had (``ids[i]`` for the row
    numbered ``first_row + i``); a new row gets a new id. So an edit never changes which loan
    another loan's plan choice belongs to, and a new loan never takes an id in ``avoid`` (the
    loans before the edit: a deleted loan's choices must not pass to a new one).

    >>> typed = make_loans([{"lender": n, "balance": 1, "annual_rate": 0.1, "remaining_months": 1,
    ...                      "source_row": r} for n, r in (("乙", 1), ("新", 3))])
    >>> keep_ids(typed, ["L2", None, None], avoid=["L1", "L2"])["loan_id"].tolist()  # L1 deleted; row 3 new
    ['L2', 'L3']
    """
    by_row = {first_row + i: (str(x) if isinstance(x, str) and x else "") for i, x in enumerate(ids)}
    out = loans.copy()
    out["loan_id"] = pd.array(assign_ids([by_row.get(int(r), "") for r in loans["source_row"]], avoid),
                              dtype="string")
    return out


_FILLED: Final = [c for c, d in _DEFAULTS.items() if d is not None and not pd.isna(d)]


def _conforms(df: pd.DataFrame) -> bool:
    if list(df.columns) != list(COLUMNS) or [str(d) for d in df.dtypes] != list(COLUMNS.values()):
        return False
    if any(pd.isna(df[c].array).any() for c in _FILLED):  # (a frame of them costs 3× more)
        return False
    ids = set(df["loan_id"].array)  # (a set of plain strings: pandas' own checks cost ~50× more)
    return len(ids) == len(df) and "" not in ids


def unnamed(loans: pd.DataFrame) -> pd.Series:
    """Which loans name no lender (blank, or only spaces).

    >>> unnamed(pd.DataFrame({"lender": ["A", "", "  ", None]})).tolist()
    [False, True, True, True]
    """
    return loans["lender"].fillna("").astype(str).str.strip() == ""


def lender_names(loans: pd.DataFrame, lang: str) -> pd.Series:
    """Each loan's lender as the page shows it: the borrower's own name, or for a loan with
    none "第{row}行借款" / "Loan in row {row}" (its spreadsheet or editor row, ``source_row``),
    or "未命名借款 {loan_id}" / "Unnamed loan {loan_id}" for one from no row (``source_row`` 0).

    >>> loans = make_loans([{"lender": "", "balance": 1, "annual_rate": 0.1, "remaining_months": 1,
    ...                      "source_row": 7},
    ...                     {"lender": "A", "balance": 1, "annual_rate": 0.1, "remaining_months": 1},
    ...                     {"lender": " ", "balance": 1, "annual_rate": 0.1, "remaining_months": 1}])
    >>> lender_names(loans, "en").tolist(), lender_names(loans, "zh").tolist()
    (['Loan in row 7', 'A', 'Unnamed loan L3'], ['第7行借款', 'A', '未命名借款 L3'])
    """
    from lib.i18n import t

    blank = unnamed(loans)
    names = loans["lender"].fillna("").astype(str)
    if not blank.any():
        return names
    rows = loans["source_row"] if "source_row" in loans else pd.Series(0, index=loans.index)
    ids = loans["loan_id"] if "loan_id" in loans else pd.Series(
        [f"L{i + 1}" for i in range(len(loans))], index=loans.index)
    made = [t("loan.unnamed", lang, row=int(r)) if r and not pd.isna(r) else t("loan.unnamed_typed", lang, loan_id=i)
            for r, i in zip(rows[blank], ids[blank], strict=True)]
    return names.mask(blank, pd.Series(made, index=names.index[blank], dtype=object))


def named(loans: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A copy of ``loans`` whose blank lenders are filled with :func:`lender_names`: what pages
    pass to the breakdown, the charts, the views, the engine and the negotiation (see the
    module's docstring). The table itself is never changed (and comes back as it is when
    every loan names its lender).

    >>> loans = make_loans([{"lender": "", "balance": 1, "annual_rate": 0.1, "remaining_months": 1,
    ...                      "source_row": 4}])
    >>> named(loans, "en")["lender"].tolist(), loans["lender"].tolist()
    (['Loan in row 4'], [''])
    """
    if not unnamed(loans).any():
        return loans
    out = loans.copy()
    out["lender"] = pd.array(lender_names(loans, lang), dtype=loans["lender"].dtype)
    return out


def owed(df: pd.DataFrame) -> pd.Series:
    """What each loan owes now: balance + accrued interest + penalty + fees.

    >>> owed(make_loans([{"lender": "A", "balance": 1000, "annual_rate": 0.1,
    ...      "remaining_months": 10, "interest": 20, "penalty": 5.5, "fees": 3}])).tolist()
    [1028.5]
    """
    return (df["balance"] + df["interest"] + df["penalty"] + df["fees"]).round(2)


# --------------------------------------------------------------------------- assumptions
CARD_MINIMUM_MONTHS: Final = 10  # a card's minimum payment: 10 % of the balance a month plus interest
ON_DEMAND_MONTHS: Final = 1  # a private loan with no end date can be called in at any time
DEFAULT_MONTHS: Final = 12  # any other loan whose term is unknown


@dataclass(frozen=True)
class TermAssumption:
    """What a person would assume for a loan whose remaining months cannot be known.

    ``method`` is the method that goes with the assumption when the borrower gave none
    (None: the ordinary default, see :func:`lib.ingest.read_loans`); a method the
    borrower gave is never replaced.
    """

    rule: str  # "term" | "credit_card" | "private" | "other"
    months: int
    method: str | None


def assume_term(kind: str, term_months: float | None) -> TermAssumption:
    """The remaining months to assume when neither the file nor a derivation gives them.

    * the contract's term is known but not how much of it has run: the whole term;
    * a credit card with no term is revolving: the common minimum-payment rule, 10 % of
      the balance a month plus interest, is equal principal over 10 months;
    * a private loan with no end date is due on demand: 1 month, repaid in one go;
    * anything else: 12 months (the method as given, else the ordinary default).

    >>> assume_term("credit_card", None)
    TermAssumption(rule='credit_card', months=10, method='equal_principal')
    >>> assume_term("private", float("nan")), assume_term("online", None).months
    (TermAssumption(rule='private', months=1, method='bullet'), 12)
    >>> assume_term("credit_card", 24.0)
    TermAssumption(rule='term', months=24, method=None)
    """
    if term_months is not None and not pd.isna(term_months) and term_months >= 1:
        return TermAssumption("term", int(term_months), None)
    if kind == CREDIT_CARD:
        return TermAssumption("credit_card", CARD_MINIMUM_MONTHS, EQUAL_PRINCIPAL)
    if kind == PRIVATE:
        return TermAssumption("private", ON_DEMAND_MONTHS, BULLET)
    return TermAssumption("other", DEFAULT_MONTHS, None)


def field_set(cell: Any) -> set[str]:
    """The field names of a ``derived`` or ``assumed`` cell.

    >>> sorted(field_set("remaining_months,method")), field_set(""), field_set(None)
    (['method', 'remaining_months'], set(), set())
    """
    if cell is None or (not isinstance(cell, str) and pd.isna(cell)):
        return set()
    return {x for x in str(cell).split(",") if x}


def check_text(loan: Mapping[str, Any], lang: str) -> str:
    """In words, what was assumed for one loan and that it should be checked ("" if nothing).

    >>> row = {"kind": "credit_card", "term_months": None, "remaining_months": 10, "method": "equal_principal",
    ...        "assumed": "remaining_months,method"}
    >>> check_text(row, "zh")
    '剩余期数按信用卡最低还款（每月还 10% 本金加利息）假设为 10 期；还款方式假设为等额本金，请核对'
    >>> check_text({**row, "assumed": "remaining_months", "method": "interest_only"}, "en")
    "Months left assumed to be 10, as a card's minimum payment (10 % of the balance a month plus interest). Please check"
    >>> check_text({**row, "assumed": ""}, "en")
    ''
    """
    from lib.i18n import t

    assumed = field_set(loan.get("assumed"))
    parts = []
    if "remaining_months" in assumed:
        rule = assume_term(str(loan["kind"]), loan.get("term_months")).rule
        parts.append(t(f"loans.assume.months.{rule}", lang, n=int(loan["remaining_months"])))
    if "method" in assumed:
        parts.append(t("loans.assume.method", lang, method=t(f"method.{loan['method']}", lang)))
    parts += [t("loans.assume.field", lang, field=t(f"field.{f}", lang))
              for f in sorted(assumed - {"remaining_months", "method"})]
    if not parts:
        return ""
    what = ("；" if lang == "zh" else "; ").join(parts)
    return t("loans.assume.check", lang, what=what[:1].upper() + what[1:])


def editor_checks(loans: pd.DataFrame, n_rows: int, lang: str, first_row: int = 1) -> list[str]:
    """The "please check" column for an editor of ``n_rows`` rows read with ``first_row``
    (:func:`lib.ingest.read_frame`): each loan's :func:`check_text` on the row it came from,
    "" on rows that did not become a loan.

    >>> loans = make_loans([{"lender": "A", "balance": 1, "annual_rate": 0.1, "remaining_months": 12,
    ...                      "assumed": "remaining_months", "source_row": 3}])
    >>> editor_checks(loans, 3, "en")
    ['', '', 'Months left unknown: assumed to be 12. Please check']
    """
    out = [""] * n_rows
    for row in loans.to_dict("records"):
        i = int(row["source_row"]) - first_row
        if 0 <= i < n_rows:
            out[i] = check_text(row, lang)
    return out


def count_assumed(loans: pd.DataFrame) -> int:
    """How many loans carry an assumption.

    >>> count_assumed(pd.DataFrame({"assumed": ["", "remaining_months", "remaining_months,method"]}))
    2
    """
    return int((loans["assumed"].fillna("") != "").sum())


# Columns of the editable table, in order; rates are shown in percent.
EDITOR_FIELDS: Final = (
    "lender", "kind", "balance", "annual_rate", "method", "remaining_months", "monthly_payment",
    "overdue_days", "overdue_amount", "interest", "penalty", "fees", "principal_amount", "received",
    "start_date", "term_months",
)


def editor_label(name: str, lang: str) -> str:
    """Header of an editor column: the field label, with "(%)" for the rate.

    >>> editor_label("annual_rate", "zh"), editor_label("balance", "en")
    ('年化利率(%)', 'Balance')
    """
    from lib.i18n import t

    label = t(f"field.{name}", lang)
    return f"{label}(%)" if name == "annual_rate" and lang == "zh" else (
        f"{label} (%)" if name == "annual_rate" else label)


def _plain(x: Any) -> str | None:
    """A number as a person would type it: no trailing zeros, no thousands separator."""
    if x is None or pd.isna(x):
        return None
    return f"{float(x):.6f}".rstrip("0").rstrip(".")


def flat_fee_cell(rate: float, lang: str) -> str | None:
    """A flat-fee loan's rate cell: the monthly fee, its period stated (the reader reads it back).

    >>> flat_fee_cell(0.09, "zh"), flat_fee_cell(0.09, "en")
    ('月0.75%', '0.75%/month')
    """
    fee = _plain(rate * 100 / 12)
    if fee is None:
        return None
    return f"月{fee}%" if lang == "zh" else f"{fee}%/month"


def check_label(lang: str) -> str:
    """Header of the editor's read-only "please check" column (what was assumed, in words).

    >>> check_label("zh"), check_label("en")
    ('待核对', 'Check')
    """
    from lib.i18n import t

    return t("loans.col_check", lang)


def editor_frame(loans: pd.DataFrame, lang: str, *, blank_derived: bool = True) -> pd.DataFrame:
    """The loan table as the editor shows it: labelled text columns (the editor accepts
    everything a file does, e.g. ``1.2万`` or ``日息万五``), the rate in %, kinds and
    methods in words, and (with ``blank_derived``) values the reader derived or assumed
    left blank, so that they are derived or assumed again after an edit, and a value typed
    there is the borrower's own (derived remaining months excepted: they may come from the
    months paid, which the editor does not show). Exports keep them. The last column
    (:func:`check_label`) says in words what was assumed.

    >>> f = editor_frame(make_loans([{"lender": "A", "balance": 100, "annual_rate": 0.18,
    ...                               "remaining_months": 2}]), "en")
    >>> f.loc[0, "Annual rate (%)"], f.loc[0, "Balance"], f.loc[0, "Monthly payment"], f.loc[0, "Kind"]
    ('18', '100', '', 'online')
    >>> card = make_loans([{"lender": "A", "kind": "private", "balance": 100, "annual_rate": 0.1,
    ...                     "remaining_months": 1, "method": "bullet", "assumed": "remaining_months,method"}])
    >>> f = editor_frame(card, "en")
    >>> f.loc[0, "Remaining months"], f.loc[0, "Method"], f.loc[0, "Check"][:40]
    ('', '', 'No end date: assumed due on demand, in 1')
    """
    from lib.i18n import t

    # derived remaining months stay shown: they may come from a column the editor lacks (months paid)
    derived_sets = [(field_set(d) - {"remaining_months"}) | field_set(a)
                    for d, a in zip(loans["derived"], loans["assumed"], strict=True)]
    out = {}
    for name in EDITOR_FIELDS:
        col = loans[name]
        if name == "annual_rate":  # a flat fee as its contract states it: by the month (月0.75% / 0.75%/month)
            vals = [flat_fee_cell(r, lang) if m == FLAT_FEE else _plain(r * 100)
                    for r, m in zip(col, loans["method"], strict=True)]
        elif name == "kind":
            vals = col.map(lambda k: t(f"kind.{k}", lang))
        elif name == "method":
            vals = col.map(lambda m: t(f"method.{m}", lang))
        elif name == "start_date":
            vals = col
        elif name == "lender":
            vals = col.astype(str)
        else:
            vals = col.map(_plain)
        blank = [blank_derived and name in d for d in derived_sets]
        out[editor_label(name, lang)] = [None if b else x for x, b in zip(vals, blank, strict=True)]
    out[check_label(lang)] = [check_text(row, lang) for row in loans.to_dict("records")]
    date_col = editor_label("start_date", lang)
    frame = pd.DataFrame(out, columns=list(out))
    frame = frame.astype({c: ("datetime64[ns]" if c == date_col else "string") for c in frame.columns})
    # blank, not missing: the grid shows a missing value as "None"
    text = [c for c in frame.columns if c != date_col]
    frame[text] = frame[text].fillna("")
    return frame


def typed_rows(frame: pd.DataFrame, rows: Iterable[int], lang: str, first_row: int = 1) -> list[dict[str, Any]]:
    """Rows of the editor that did not become loans, as ``{"row": n, "cells": {field: text}}``
    (by field code, not by the header in ``lang``): kept so that what was typed is never lost.

    >>> f = pd.DataFrame({"Lender": ["A", "B"], "Balance": ["100", "lots"]})
    >>> typed_rows(f, [2], "en")
    [{'row': 2, 'cells': {'lender': 'B', 'balance': 'lots'}}]
    """
    by_label = {editor_label(name, lang): name for name in EDITOR_FIELDS}
    out = []
    for n in rows:
        rec = frame.iloc[n - first_row]
        cells = {by_label[c]: (None if pd.isna(v) else str(v if c != editor_label("start_date", lang)
                                                             else pd.Timestamp(v).date()))
                 for c, v in rec.items() if c in by_label}
        out.append({"row": int(n), "cells": {k: v for k, v in cells.items() if v not in (None, "")}})
    return out


def with_typed_rows(table: pd.DataFrame, loans: pd.DataFrame, kept: Iterable[Mapping[str, Any]],
                    lang: str) -> pd.DataFrame:
    """The editor's table (:func:`editor_frame` of ``loans``) with the kept rows back in their
    places (by row number: a loan's ``source_row``, a kept row's ``row``).

    >>> loans = make_loans([{"lender": "A", "balance": 100, "annual_rate": 0.1, "remaining_months": 2,
    ...                      "source_row": 2}])
    >>> t = with_typed_rows(editor_frame(loans, "en"), loans, [{"row": 1, "cells": {"balance": "lots"}}], "en")
    >>> t["Lender"].tolist(), t["Balance"].tolist()
    (['', 'A'], ['lots', '100'])
    """
    kept = list(kept)
    if not kept:
        return table
    date_col = editor_label("start_date", lang)
    extra = pd.DataFrame([{editor_label(k, lang): v for k, v in r["cells"].items()} for r in kept],
                         columns=table.columns)
    if date_col in extra:
        extra[date_col] = pd.to_datetime(extra[date_col], errors="coerce")
    order = [*loans["source_row"].tolist(), *(r["row"] for r in kept)]
    both = pd.concat([table, extra.astype(table.dtypes.to_dict())], ignore_index=True)
    text = [c for c in both.columns if c != date_col]
    both[text] = both[text].astype(object).fillna("")  # (an empty table has float columns)
    return both.iloc[sorted(range(len(both)), key=order.__getitem__)].reset_index(drop=True)
