"""Downloads that are safe to open in Excel: CSV (UTF-8 with BOM) and .xlsx.

Cells that start with = + - @ (or a tab / carriage return) would be run as formulas by
Excel; they are neutralised with a leading apostrophe (OWASP "CSV injection").

>>> safe_cell("=HYPERLINK(\\"http://x\\")"), safe_cell("-5"), safe_cell(-5), safe_cell("借呗")
('\\'=HYPERLINK("http://x")', "'-5", -5, '借呗')
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

_DANGEROUS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def safe_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_DANGEROUS):
        return "'" + value
    return value


def safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(safe_cell)
    out.columns = [safe_cell(str(c)) for c in out.columns]
    return out


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    """CSV with a UTF-8 BOM, so Excel on Chinese Windows shows the characters right."""
    return safe_frame(df).to_csv(index=False).encode("utf-8-sig")


_PLAIN_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def _number(x: Any, whole: bool) -> Any:
    """A cell of a numeric column as a number: typed text ("12000", "0.5") parsed, blanks
    empty, anything else left as it is."""
    if x is None or (not isinstance(x, str) and pd.isna(x)):
        return None
    if isinstance(x, str):
        s = x.strip()
        if not s:
            return None
        if not _PLAIN_NUMBER.fullmatch(s):
            return x
        x = float(s)
    if isinstance(x, bool) or not isinstance(x, int | float):
        return x
    return int(x) if whole and float(x).is_integer() else float(x)


def loan_cells(df: pd.DataFrame) -> tuple[pd.DataFrame, list[str], list[str]]:
    """The loan list as the editor (:func:`lib.loans.editor_frame`, text) or
    :func:`lib.kit.exports.loans_sheet` labels it, with its numeric columns as numbers, and the
    headers of its money and rate columns. The rate becomes a fraction (the editor's
    "年化利率(%)" holds 18 for 18 %), so that a % format shows what the editor shows.

    >>> from lib.loans import editor_frame, make_loans
    >>> f = editor_frame(make_loans([{"lender": "12000", "balance": 12000, "annual_rate": 0.18,
    ...                               "remaining_months": 12}]), "zh", blank_derived=False)
    >>> cells, money, rates = loan_cells(f)
    >>> cells.iloc[0, :7].tolist(), rates, money[:2]
    (['12000', '网贷', 12000.0, 0.18, '等额本息', 12, 1100.17], ['年化利率(%)'], ['剩余本金', '每期应还'])
    """
    from lib.i18n import LANGS, t
    from lib.loans import EDITOR_FIELDS, MONEY_COLUMNS, editor_label

    numeric = [n for n in EDITOR_FIELDS if n in MONEY_COLUMNS or n in (
        "annual_rate", "remaining_months", "overdue_days", "term_months")]
    field = {}
    for lang in LANGS:
        for n in numeric:
            field[t(f"field.{n}", lang)] = (n, False)
            field[editor_label(n, lang)] = (n, n == "annual_rate")  # (name, the value is in percent)
    out = df.copy()
    money, rates = [], []
    for col in df.columns:
        if str(col) not in field:
            continue
        name, in_percent = field[str(col)]
        vals = [_number(x, name not in MONEY_COLUMNS and name != "annual_rate") for x in df[col].tolist()]
        if in_percent:
            vals = [round(x / 100, 12) if isinstance(x, float) else x for x in vals]
        out[col] = pd.Series(vals, index=df.index, dtype=object)
        (rates if name == "annual_rate" else money if name in MONEY_COLUMNS else []).append(str(col))
    return out, money, rates


def to_xlsx_bytes(df: pd.DataFrame, sheet: str = "loans") -> bytes:
    """The loan list as .xlsx (:func:`lib.kit.exports.to_xlsx`, the one writer): money and months
    stored as numbers (¥ format), the rate as a percentage, text neutralised (:func:`safe_cell`).
    It reads back as the same loans.

    >>> import io, openpyxl
    >>> from lib.loans import editor_frame, make_loans
    >>> f = editor_frame(make_loans([{"lender": "=A", "balance": 12000, "annual_rate": 0.18,
    ...                               "remaining_months": 12}]), "en", blank_derived=False)
    >>> ws = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes(f))).active
    >>> [(c.value, c.number_format) for c in ws[2]][:4]
    [("'=A", 'General'), ('online', 'General'), (12000, '¥#,##0.00'), (0.18, '0.00%')]
    """
    from lib.kit.exports import to_xlsx

    cells, money, rates = loan_cells(df)
    return to_xlsx({sheet: cells}, money=money, percent=rates)


def template_frame(lang: str) -> pd.DataFrame:
    """One example row under every accepted column, in the given language."""
    from lib.fields import FIELDS

    return pd.DataFrame([{(f.zh if lang == "zh" else f.en): (f.example_zh if lang == "zh" else f.example_en)
                          for f in FIELDS}])
