"""The plan as files: the months (what goes to each lender), the options compared and the loan
list, as an Excel workbook (numbers stored as numbers, ¥ and % formats) or CSV.

Every text cell goes through :func:`lib.export.safe_cell` (no cell is ever a formula); the
workbook is written by :func:`to_xlsx`, the one writer of ``.xlsx`` files (the loan list's
download, :func:`lib.export.to_xlsx_bytes`, uses it too).

A sheet made here says which of its columns are money and which are percentages in
``DataFrame.attrs`` (``"money"``, ``"percent"``: lists of headers); :func:`to_xlsx` formats
them so, on top of what its own ``money`` / ``percent`` arguments name.

>>> from lib.loans import make_loans
>>> from lib.payoff import simulate
>>> loans = make_loans([{"lender": "甲贷", "balance": 1200, "annual_rate": 0.0, "remaining_months": 2},
...                     {"lender": "乙贷", "balance": 300, "annual_rate": 0.0, "remaining_months": 3}])
>>> sheet = plan_by_month(simulate(loans, 700), "2026-12-15", "en", loans=loans)
>>> data = to_xlsx({"By month": sheet})
>>> data[:2], len(to_csv(sheet)) > 0
(b'PK', True)
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import pandas as pd

from lib.export import safe_cell, to_csv_bytes
from lib.fmt import money as money_text
from lib.fmt import month_label
from lib.fmt import pct as pct_text
from lib.i18n import t

if TYPE_CHECKING:
    from lib.outcomes import GrantRate

MONEY_FORMAT: Final = "¥#,##0.00"
PERCENT_FORMAT: Final = "0.00%"
DATE_FORMAT: Final = "yyyy-mm-dd"
XLSX_MIME: Final = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIME: Final = "text/csv"

_WIDTH_MIN: Final = 6
_WIDTH_MAX: Final = 60
_BAD_TITLE: Final = re.compile(r"[\[\]:*?/\\]")


# --- the sheets --------------------------------------------------------------------------------

def loan_labels(result: Any, lang: str, loans: pd.DataFrame | None = None) -> dict[int, tuple[str, str]]:
    """``{loan position: (loan id, label)}`` for every loan in the plan's schedule, in the loan
    table's order. The label is the lender's name, with the loan id when two loans share it.
    ``loans``: the table the plan was run on (its ``loan_id``); without it a loan's id is
    ``L{position + 1}``, what :func:`lib.loans.make_loans` gives.

    >>> s = pd.DataFrame({"month": [1, 1, 1], "loan": [2, 0, 1], "lender": ["乙", "甲", "甲"]})
    >>> loan_labels(type("R", (), {"schedule": s})(), "en")
    {0: ('L1', '甲 (L1)'), 1: ('L2', '甲 (L2)'), 2: ('L3', '乙')}
    """
    s = result.schedule
    first = s.drop_duplicates("loan").sort_values("loan")
    positions = [int(p) for p in first["loan"]]
    names = ["" if pd.isna(x) else str(x) for x in first["lender"]]
    ids = [str(loans["loan_id"].iloc[p]) if loans is not None and "loan_id" in loans and p < len(loans)
           else f"L{p + 1}" for p in positions]
    count = {n: names.count(n) for n in names}
    return {p: (i, t("export.lender_loan", lang, lender=n, loan_id=i) if count[n] > 1 or not n.strip() else n)
            for p, i, n in zip(positions, ids, names, strict=True)}


def plan_by_month(result: Any, start: object, lang: str, *, loans: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per month of the plan (a :class:`lib.payoff.PayoffResult`): the month's number,
    the month itself (YYYY-MM; month 1 is the month after ``start``), what is paid to each
    lender (one column per loan, in the loan table's order, see :func:`loan_labels`), the total
    paid and what is still owed at the month's end. Money as floats in CNY (to the fen);
    headers in ``lang``.

    >>> from lib.loans import make_loans
    >>> from lib.payoff import simulate
    >>> loans = make_loans([{"lender": "甲贷", "balance": 1200, "annual_rate": 0.0, "remaining_months": 2},
    ...                     {"lender": "乙贷", "balance": 300, "annual_rate": 0.0, "remaining_months": 3}])
    >>> sheet = plan_by_month(simulate(loans, 700), "2026-12-15", "en", loans=loans)
    >>> list(sheet.columns)
    ['Month', 'Calendar month', '甲贷', '乙贷', 'Paid that month', 'Still owed at month end']
    >>> sheet.values.tolist()
    [[1, '2027-01', 600.0, 100.0, 700.0, 800.0], [2, '2027-02', 600.0, 100.0, 700.0, 100.0], [3, '2027-03', 0.0, 100.0, 100.0, 0.0]]
    >>> sheet.attrs["money"]
    ['甲贷', '乙贷', 'Paid that month', 'Still owed at month end']
    """
    labels = loan_labels(result, lang, loans)
    m = result.monthly
    months = [int(x) for x in m["month"]]
    s = result.schedule
    paid = (s.pivot_table(index="month", columns="loan", values="payment", aggfunc="sum", fill_value=0.0,
                          observed=True)
            .reindex(index=months, columns=list(labels), fill_value=0.0)) if len(s) else None
    h_no, h_month, h_total, h_owed = (t(f"export.col.{k}", lang) for k in ("month_no", "month", "total", "owed_end"))
    cols: dict[str, list[Any]] = {h_no: months, h_month: [month_label(start, n) for n in months]}
    per_loan = []
    for p, (_, label) in labels.items():
        vals = [round(float(x), 2) for x in paid[p]] if paid is not None else []
        cols[label] = vals
        per_loan.append(vals)
    cols[h_total] = [round(sum(v), 2) for v in zip(*per_loan, strict=True)] if per_loan else [0.0] * len(months)
    cols[h_owed] = [round(float(x), 2) for x in m["owed"]]
    out = pd.DataFrame(cols, columns=list(cols))
    out.attrs["money"] = [lab for _, lab in labels.values()] + [h_total, h_owed]
    return out


def comparison_sheet(table: pd.DataFrame, lang: str, start: object = None,
                     rates: Mapping[str, GrantRate] | None = None) -> pd.DataFrame:
    """The options compared (:func:`lib.negotiate.compare_with_results`' table), the columns that
    decide, labelled as the compare page labels them (:func:`lib.views.compare_headers`; the
    saving's window ends ``window`` months after ``start``): money as numbers, the plan's APR as a
    fraction (in words when the plan repays less than is owed), yes/no and the rest in words;
    ``rates`` (by option label, :func:`lib.outcomes.grant_rates`): as in
    :func:`lib.views.compare_view`, a recorded rate in place of the general "how often granted" word.

    >>> sheet = comparison_sheet(pd.DataFrame({"option": ["baseline", "instalments"],
    ...     "monthly_payment": [900.0, 300.0], "months": pd.array([None, 36], dtype="Int64"),
    ...     "total_paid": [1.0, 2.0], "saving": [0.0, 1.0], "window": [36, 36], "waived": [0.0, 50.0],
    ...     "apr": [0.2, -0.01], "repaid_less": [0.0, 50.0], "fits": [False, True], "total_cost": [9.0, 2.0],
    ...     "grant_likelihood": ["common", "common"], "credit_note_key": ["negotiate.credit.baseline"] * 2}),
    ...     "en", "2026-12-01")
    >>> sheet.iloc[:, :8].values.tolist()
    [['', 'Keep the contract', 'no', 900.0, 'never', 1.0, 0.0, 0.2], ['★ ⚡', 'Instalment plan', 'yes', 300.0, 36, 2.0, 1.0, 'n/a: ¥50.00 less than owed is repaid']]
    >>> sheet.attrs["percent"]
    ['Real APR of the plan (IRR)']
    """
    from lib.views import best_marks, compare_headers, likelihood_text

    window = int(table["window"].iloc[0]) if len(table) else 0
    h = compare_headers(window, lang, start)
    mark = best_marks(table, lang)

    def num(x: Any) -> float:
        return round(float(x), 2)

    rows = table.to_dict("records")
    out = pd.DataFrame({
        h["best"]: [mark(r["option"]) for r in rows],
        h["option"]: [t(f"negotiate.option.{r['option']}", lang) for r in rows],
        h["fits"]: [t("compare.yes" if r["fits"] else "compare.no", lang) for r in rows],
        h["monthly_payment"]: [num(r["monthly_payment"]) for r in rows],
        h["months"]: [t("capacity.never", lang) if pd.isna(r["months"]) else int(r["months"]) for r in rows],
        h["total_paid"]: [num(r["total_paid"]) for r in rows],
        h["saving"]: [num(r["saving"]) for r in rows],
        h["apr"]: [t("compare.apr_na", lang, amount=money_text(r["repaid_less"])) if r["repaid_less"] > 0.005
                   else (None if pd.isna(r["apr"]) else round(float(r["apr"]), 6)) for r in rows],
        h["waived"]: [num(r["waived"]) for r in rows],
        h["likelihood"]: [likelihood_text(r["option"], r["grant_likelihood"], lang, rates) for r in rows],
        h["credit"]: [t(r["credit_note_key"], lang) for r in rows],
    }, dtype=object)
    out.attrs["money"] = [h[k] for k in ("monthly_payment", "total_paid", "saving", "waived")]
    out.attrs["percent"] = [h["apr"]]
    return out


_LOAN_INTS: Final = ("remaining_months", "overdue_days", "term_months")


def loans_sheet(loans: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The loan list (:data:`lib.loans.COLUMNS`) as a sheet: the editor's columns under their field
    labels, money and months as numbers, the rate as a fraction (shown as a percentage), kinds
    and methods in words, and what was assumed (the editor's "check" column). A blank lender
    stays blank, as in every export. The file reads back as the same loans
    (:func:`lib.ingest.read_loans`). A flat fee's rate is its fee by the month, in words (月0.75%), as
    the editor shows it.

    >>> from lib.loans import make_loans
    >>> sheet = loans_sheet(make_loans([{"lender": "甲贷", "balance": 12000, "annual_rate": 0.18,
    ...                                  "remaining_months": 12}]), "zh")
    >>> sheet.iloc[0, :7].tolist()
    ['甲贷', '网贷', 12000.0, 0.18, '等额本息', 12, 1100.17]
    >>> sheet.attrs["percent"], sheet.attrs["money"][:2]
    (['年化利率'], ['剩余本金', '每期应还'])
    """
    from lib.loans import EDITOR_FIELDS, FLAT_FEE, MONEY_COLUMNS, check_label, check_text, flat_fee_cell

    def h(name: str) -> str:
        return t(f"field.{name}", lang)

    cols: dict[str, list[Any]] = {}
    for name in EDITOR_FIELDS:
        col = loans[name].tolist()
        if name == "lender":
            vals = ["" if pd.isna(x) else str(x) for x in col]
        elif name in ("kind", "method"):
            vals = [t(f"{name}.{x}", lang) for x in col]
        elif name == "start_date":
            vals = [None if pd.isna(x) else pd.Timestamp(x).date() for x in col]
        elif name in _LOAN_INTS:
            vals = [None if pd.isna(x) else int(x) for x in col]
        elif name == "annual_rate":  # a flat fee by the month, as in the editor (×12 it would pass for an APR)
            vals = [None if pd.isna(x) else flat_fee_cell(x, lang) if m == FLAT_FEE else round(float(x), 10)
                    for x, m in zip(col, loans["method"], strict=True)]
        else:
            vals = [None if pd.isna(x) else round(float(x), 2) for x in col]
        cols[h(name)] = vals
    cols[check_label(lang)] = [check_text(row, lang) for row in loans.to_dict("records")]
    out = pd.DataFrame(cols, columns=list(cols), dtype=object)
    out.attrs["money"] = [h(n) for n in EDITOR_FIELDS if n in MONEY_COLUMNS]
    out.attrs["percent"] = [h("annual_rate")]
    return out


# --- the files ---------------------------------------------------------------------------------

def text_width(text: str) -> int:
    """Columns a text takes in a spreadsheet: a CJK (wide) character counts double.

    >>> text_width("借呗 ¥1,966.25"), text_width("Ｗ")
    (14, 2)
    """
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _value(v: Any) -> Any:
    """A frame's value as an openpyxl cell value: numbers stay numbers, missing is empty, text is
    neutralised (:func:`lib.export.safe_cell`) and rid of characters a sheet cannot hold."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, bool | np.bool_):
        return bool(v)
    if isinstance(v, int | np.integer):
        return int(v)
    if isinstance(v, float | np.floating):
        return None if math.isnan(v) or math.isinf(v) else float(v)
    if isinstance(v, pd.Timestamp):
        return v.date() if v == v.normalize() else v.to_pydatetime()
    if isinstance(v, dt.date):
        return v
    text = ILLEGAL_CHARACTERS_RE.sub("", str(v))
    return safe_cell(text) if text else None


def _shown(v: Any, fmt: str | None) -> str:
    """The value as Excel shows it, to size its column."""
    if isinstance(v, bool) or v is None:
        return "" if v is None else str(v)
    if isinstance(v, int | float):
        return money_text(v) if fmt == MONEY_FORMAT else pct_text(v) if fmt == PERCENT_FORMAT else f"{v:,}"
    if isinstance(v, dt.date):
        return v.isoformat()[:19]
    return str(v)


def _title(name: str, used: set[str]) -> str:
    base = (_BAD_TITLE.sub("_", str(name)).strip("'") or "Sheet")[:31]
    title, n = base, 2
    while title.lower() in used:
        tail = f" ({n})"
        title, n = base[:31 - len(tail)] + tail, n + 1
    used.add(title.lower())
    return title


def to_xlsx(sheets: Mapping[str, pd.DataFrame], *, money: Iterable[str] = (),
            percent: Iterable[str] = ()) -> bytes:
    """An Excel workbook, one sheet per frame (named by its key, made valid for Excel). Numbers
    are stored as numbers: the columns named in ``money`` or a frame's ``attrs["money"]`` with
    the ¥ format (:data:`MONEY_FORMAT`), in ``percent`` / ``attrs["percent"]`` with the %
    format (fractions: 0.18 shows 18.00%), dates as dates. Header row bold and frozen, columns
    as wide as their content (a CJK character counts double). No cell is a formula: every text
    cell, headers too, goes through :func:`lib.export.safe_cell`.

    >>> import openpyxl
    >>> df = pd.DataFrame({"平台": ["=1+1"], "应还": [1966.25], "年化": [0.18]})
    >>> ws = openpyxl.load_workbook(io.BytesIO(to_xlsx({"x": df}, money=["应还"], percent=["年化"]))).active
    >>> [(c.value, c.number_format) for c in ws[2]]
    [("'=1+1", 'General'), (1966.25, '¥#,##0.00'), (0.18, '0.00%')]
    >>> ws.freeze_panes, ws.column_dimensions["A"].width, ws["A1"].font.b
    ('A2', 7.0, True)
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    money, percent = set(money), set(percent)
    wb = Workbook()
    wb.remove(wb.active)
    bold = Font(bold=True)
    used: set[str] = set()
    for name, df in sheets.items():
        ws = wb.create_sheet(_title(name, used))
        heads = [str(c) for c in df.columns]
        as_money = money | set(df.attrs.get("money", ()))
        as_pct = percent | set(df.attrs.get("percent", ()))
        fmts = [MONEY_FORMAT if h in as_money else PERCENT_FORMAT if h in as_pct else None for h in heads]
        widths = [text_width(h) for h in heads]
        for j, h in enumerate(heads, start=1):
            cell = ws.cell(row=1, column=j, value=_value(h))
            cell.font = bold
        for i, row in enumerate(df.itertuples(index=False, name=None), start=2):
            for j, raw in enumerate(row, start=1):
                v = _value(raw)
                if v is None:
                    continue
                cell = ws.cell(row=i, column=j, value=v)
                fmt = fmts[j - 1]
                if isinstance(v, int | float) and not isinstance(v, bool) and fmt:
                    cell.number_format = fmt
                elif isinstance(v, dt.date):
                    cell.number_format = DATE_FORMAT
                widths[j - 1] = max(widths[j - 1], text_width(_shown(v, fmt)))
        for j, w in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(j)].width = min(max(w + 2, _WIDTH_MIN), _WIDTH_MAX)
        ws.freeze_panes = "A2"
    if not wb.worksheets:
        wb.create_sheet("Sheet")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def to_csv(df: pd.DataFrame) -> bytes:
    """One sheet as CSV: UTF-8 with a BOM (Excel on Chinese Windows reads it right), every text
    cell neutralised (:func:`lib.export.to_csv_bytes`), numbers as numbers.

    >>> to_csv(pd.DataFrame({"平台": ["@x"], "还款": [1966.25]}))
    b"\\xef\\xbb\\xbf\\xe5\\xb9\\xb3\\xe5\\x8f\\xb0,\\xe8\\xbf\\x98\\xe6\\xac\\xbe\\n'@x,1966.25\\n"
    """
    return to_csv_bytes(df)
