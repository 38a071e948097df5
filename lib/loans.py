"""The loan table: one row per loan, the shape every other module agrees on.

Data flows one way (DESIGN.md §4): a file or the editor → :func:`lib.ingest.read_loans`
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

from collections.abc import Iterable, Mapping
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
    (0, 19)
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
    return out


_FILLED: Final = [c for c, d in _DEFAULTS.items() if d is not None and not pd.isna(d)]


def _conforms(df: pd.DataFrame) -> bool:
    if list(df.columns) != list(COLUMNS) or [str(d) for d in df.dtypes] != list(COLUMNS.values()):
        return False
    return not any(pd.isna(df[c].array).any() for c in _FILLED)  # (a frame of them costs 3× more)


def owed(df: pd.DataFrame) -> pd.Series:
    """What each loan owes now: balance + accrued interest + penalty + fees.

    >>> owed(make_loans([{"lender": "A", "balance": 1000, "annual_rate": 0.1,
    ...      "remaining_months": 10, "interest": 20, "penalty": 5.5, "fees": 3}])).tolist()
    [1028.5]
    """
    return (df["balance"] + df["interest"] + df["penalty"] + df["fees"]).round(2)


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


def editor_frame(loans: pd.DataFrame, lang: str, *, blank_derived: bool = True) -> pd.DataFrame:
    """The loan table as the editor shows it: labelled text columns (the editor accepts
    everything a file does, e.g. ``1.2万`` or ``日息万五``), the rate in %, kinds and
    methods in words, and (with ``blank_derived``) values the reader derived left blank,
    so that they are derived again after an edit. Exports keep them.

    >>> f = editor_frame(make_loans([{"lender": "A", "balance": 100, "annual_rate": 0.18,
    ...                               "remaining_months": 2}]), "en")
    >>> f.loc[0, "Annual rate (%)"], f.loc[0, "Balance"], f.loc[0, "Monthly payment"], f.loc[0, "Kind"]
    ('18', '100', '', 'online')
    """
    from lib.i18n import t

    derived_sets = loans["derived"].fillna("").str.split(",")
    out = {}
    for name in EDITOR_FIELDS:
        col = loans[name]
        if name == "annual_rate":
            vals = (col * 100).map(_plain)
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
        blank = derived_sets.map(lambda d, n=name: blank_derived and n in d)
        out[editor_label(name, lang)] = [None if b else x for x, b in zip(vals, blank, strict=True)]
    date_col = editor_label("start_date", lang)
    frame = pd.DataFrame(out, columns=list(out))
    frame = frame.astype({c: ("datetime64[ns]" if c == date_col else "string") for c in frame.columns})
    # blank, not missing: the grid shows a missing value as "None"
    text = [c for c in frame.columns if c != date_col]
    frame[text] = frame[text].fillna("")
    return frame
