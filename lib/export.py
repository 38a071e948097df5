"""Downloads that are safe to open in Excel: CSV (UTF-8 with BOM) and .xlsx.

Cells that start with = + - @ (or a tab / carriage return) would be run as formulas by
Excel; they are neutralised with a leading apostrophe (OWASP "CSV injection").

>>> safe_cell("=HYPERLINK(\\"http://x\\")"), safe_cell("-5"), safe_cell(-5), safe_cell("借呗")
('\\'=HYPERLINK("http://x")', "'-5", -5, '借呗')
"""

from __future__ import annotations

import io
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


def to_xlsx_bytes(df: pd.DataFrame, sheet: str = "loans") -> bytes:
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xw:
        safe_frame(df).to_excel(xw, index=False, sheet_name=sheet[:31])
    return buf.getvalue()


def template_frame(lang: str) -> pd.DataFrame:
    """One example row under every accepted column, in the given language."""
    from lib.fields import FIELDS

    return pd.DataFrame([{(f.zh if lang == "zh" else f.en): (f.example_zh if lang == "zh" else f.example_en)
                          for f in FIELDS}])
