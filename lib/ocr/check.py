"""The borrower's check of what was read off a screenshot, before it becomes their loans.

A plausible wrong number is the real risk of reading pictures, so nothing read from a
screenshot enters the scenario unchecked. The import page shows each picture with the values
read boxed on it (:func:`marked_picture`: blue, or orange where the OCR was unsure) beside a
small table per loan of what was read (:func:`check_cards`): a row per field, the value as
read, which the borrower may correct, and where it came from. :func:`read_checked` reads the corrected cards through the
file reader, exactly as a file or the editor; :func:`editor_rows` turns the result into the
loan editor's rows, the rows that did not become a loan kept as typed, so nothing is lost.

Rates keep their basis: the rate cell says its period as the page did (日0.05% / 0.05%/day,
月0.75% / 0.75%/month), so a monthly flat fee is never shown as 12 × the fee a year.

>>> from lib.ocr.engine import Box, OcrLine, OcrPage
>>> from lib.ocr.read import book_from_page
>>> def at(text, y, x=40, conf=0.99):
...     return OcrLine(text, Box(x, y, x + 24 * len(text), y + 40), conf)
>>> page = OcrPage(1080, 2340, (at("剩余本金", 400), at("¥8,000.00", 400, x=800), at("月费率", 480),
...                             at("0.75%", 480, x=900), at("剩余期数", 560), at("6期", 560, x=950, conf=0.62)))
>>> book = book_from_page(page, "IMG_2041.png")
>>> card = check_cards(book, "IMG_2041.png", "en")[0]
>>> card.values.tolist()  # doctest: +NORMALIZE_WHITESPACE
[['Lender', 'IMG_2041', "Picture's name"], ['Balance', '¥8,000.00', '✓ Read'], ['Rate', '0.75%/month', '✓ Read'],
 ['Method', 'flat fee', 'From “月费率”'], ['Remaining months', '6期', '⚠ Unclear, 62%'], ['Monthly payment', None, '']]
>>> card.iloc[4, 1] = "7"  # the borrower corrects what the OCR was unsure of
>>> checked = read_checked([card], "en")
>>> checked.loans[["lender", "balance", "annual_rate", "method", "remaining_months"]].values.tolist()
[['IMG_2041', 8000.0, 0.09, 'flat_fee', 7]]
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from datetime import date
from pathlib import PurePath
from typing import Any

import pandas as pd
from pandas.io.formats.style import Styler

from lib.fmt import md_escape, money, pct
from lib.i18n import t
from lib.ingest import LoanBook, read_frame
from lib.loans import EDITOR_FIELDS, editor_frame, with_typed_rows
from lib.ocr.layout import ReadField
from lib.ocr.read import LOW_CONFIDENCE, ORDER, ScreenshotBook, as_file, cells
from lib.rates import loan_apr
from lib.values import parse_kind, parse_method
from lib.views import stated_rate

SHOWN = ("lender", "balance", "annual_rate", "method", "remaining_months", "monthly_payment")  # always a column
_PERIOD_EN = {"日": "day", "天": "day", "月": "month", "年": "year"}
READ_COLOUR, UNSURE_COLOUR = (47, 107, 255), (255, 138, 0)  # the boxes on the picture
READ_BG, UNSURE_BG = "rgba(47, 107, 255, 0.10)", "rgba(255, 138, 0, 0.28)"  # … and the cells that say so
YOURS_BG = "rgba(30, 123, 69, 0.14)"  # a value the borrower changed


def _label(field: str, lang: str) -> str:
    return t("shots.col_rate", lang) if field == "annual_rate" else t(f"field.{field}", lang)


def shown_rate(cell: str, lang: str) -> str:
    """A rate cell in the page's language of periods: 日0.05% stays in Chinese, and reads
    0.05%/day in English (the file reader reads both).

    >>> shown_rate("月0.75%", "en"), shown_rate("日万分之五", "en"), shown_rate("年18%", "zh")
    ('0.75%/month', '日万分之五', '年18%')
    """
    m = re.fullmatch(r"([日天月年])([0-9.]+%)", cell)
    return f"{m[2]}/{_PERIOD_EN[m[1]]}" if lang == "en" and m else cell


def _shown(field: str, cell: Any, lang: str) -> Any:
    if cell is None or pd.isna(cell):
        return None
    if field == "annual_rate":
        return shown_rate(cell, lang)
    parse = {"method": parse_method, "kind": parse_kind}.get(field)
    if parse is not None and (code := _quiet(parse, cell)):
        return t(f"{field}.{code}", lang)
    return cell


def _quiet(parse: Any, cell: str) -> str | None:
    try:
        return parse(cell)
    except ValueError:
        return None


def _named(lenders: list[Any], picture: str) -> list[str]:
    """Loans with no lender read are named after their picture (IMG_2041, IMG_2041 (2) …)."""
    stem = PurePath(picture).stem or picture
    blank = [i for i, x in enumerate(lenders) if not x]
    out = [str(x) if x else "" for x in lenders]
    for k, i in enumerate(blank, start=1):
        out[i] = stem if len(blank) == 1 else f"{stem} ({k})"
    return out


def _mark(rf: ReadField | None, lang: str) -> tuple[str, str]:
    """(where a value came from, in words; its kind: read / unsure / implied / named / "")."""
    if rf is None:
        return "", ""
    if rf.how == "implied":
        return t("shots.mark_implied", lang, label=rf.label), "implied"
    if rf.confidence < LOW_CONFIDENCE:
        return "⚠ " + t("shots.mark_unsure", lang, confidence=f"{rf.confidence:.0%}"), "unsure"
    return "✓ " + t("shots.mark_read", lang), "read"


def check_cards(book: ScreenshotBook, picture: str, lang: str) -> list[pd.DataFrame]:
    """What was read off one picture, for the borrower to check: one small table per loan
    seen, a row per field (:data:`SHOWN`, then any other field read on the picture) with the
    value as read (None where the picture said nothing) and where it came from — read on the
    picture, read but unsure (⚠), implied by the page's words, or named after the picture
    (a loan whose lender was not read)."""
    raw = cells(book.reads)
    fields = [f for f in ORDER if f in SHOWN or f in raw.columns]
    raw = raw.reindex(columns=fields)
    lenders = _named([None if pd.isna(x) else x for x in raw["lender"]], picture)
    cards = []
    for i, r in enumerate(book.reads):
        marks = [_mark(r.fields.get(f), lang) for f in fields]
        if "lender" not in r.fields:
            marks[fields.index("lender")] = (t("shots.mark_named", lang), "named")
        values = [lenders[i] if f == "lender" else _shown(f, raw.at[i, f], lang) for f in fields]
        cards.append(pd.DataFrame({t("shots.col_field", lang): [_label(f, lang) for f in fields],
                                   t("shots.col_value", lang): values,
                                   t("shots.col_from", lang): [m for m, _ in marks]}, dtype=object))
    return cards


def _text(v: Any) -> str:
    return "" if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v).strip()


def mark_corrected(card: pd.DataFrame, edited: Mapping[Any, Mapping[str, Any]], lang: str) -> pd.DataFrame:
    """The card with the "from" cell of each value the borrower changed saying so: corrected
    where something was read, typed where nothing was. ``edited``: the card editor's
    ``edited_rows`` (row → column → new value); a value typed back as it was read is not a change.

    >>> card = pd.DataFrame({"Field": ["Lender", "Balance", "Rate"], "Value": ["青禾贷", "13,731.51", None],
    ...                      "From": ["✓ Read", "✓ Read", ""]})
    >>> edits = {0: {"Value": " 青禾贷"}, 1: {"Value": "12,500"}, "2": {"Value": "18%"}}
    >>> mark_corrected(card, edits, "en")["From"].tolist(), card["From"].tolist()[1]
    (['✓ Read', '✎ Corrected by you', '✎ Typed by you'], '✓ Read')
    """
    value = card.columns[1]
    out = card.copy()
    for row, change in edited.items():
        i = int(row)
        if value in change and 0 <= i < len(out) and _text(change[value]) != _text(out.iat[i, 1]):
            out.iat[i, 2] = "✎ " + t("shots.mark_corrected" if _text(out.iat[i, 1]) else "shots.mark_typed", lang)
    return out


def style_card(card: pd.DataFrame, lang: str) -> Styler:
    """A card's "from" cells tinted: orange where the OCR was unsure, blue where it read, green
    where the borrower changed the value."""
    col = t("shots.col_from", lang)

    def tint(v: object) -> str:
        s = str(v or "")
        return (f"background-color: {UNSURE_BG}" if s.startswith("⚠")
                else f"background-color: {READ_BG}" if s.startswith("✓")
                else f"background-color: {YOURS_BG}" if s.startswith("✎") else "")

    return card.style.map(tint, subset=[col])


def loans_table(cards: list[pd.DataFrame], lang: str) -> pd.DataFrame:
    """The cards (as checked) as one table, a row per loan, a column per field (by name).

    >>> card = pd.DataFrame({"Field": ["Lender", "Balance"], "Value": ["A", "1.2万"], "From": ["", ""]})
    >>> loans_table([card], "en").to_dict("records")
    [{'lender': 'A', 'balance': '1.2万'}]
    """
    by_label = {_label(f, lang): f for f in ORDER}
    rows = [{by_label[k]: (None if v is None or pd.isna(v) or str(v).strip() == "" else str(v))
             for k, v in zip(c.iloc[:, 0], c.iloc[:, 1], strict=True)} for c in cards]
    return pd.DataFrame(rows, dtype=object)


def read_checked(cards: list[pd.DataFrame], lang: str, *, day_basis: int = 360, source: str = "",
                 as_of: date | None = None) -> LoanBook:
    """The loans of the checked cards (:func:`check_cards`, as corrected), through the file
    reader: one row per card, numbered from 1, each problem naming its row and column."""
    return read_frame(as_file(loans_table(cards, lang)), day_basis=day_basis, first_row=1, source=source,
                      as_of=as_of)


def editor_rows(cards: list[pd.DataFrame], book: LoanBook, lang: str) -> pd.DataFrame:
    """The checked loans as the loan editor shows rows (:func:`lib.loans.editor_frame`): each
    loan of ``book`` (:func:`read_checked` of ``cards``) as any loan, and each card that did not
    become one as its values, in place, so that what was read and corrected is never lost."""
    table = loans_table(cards, lang)
    kept = [{"row": r, "cells": {f: v for f, v in table.iloc[r - 1].items()
                                 if f in EDITOR_FIELDS and v is not None and not pd.isna(v)}}
            for r in book.skipped_rows]
    return with_typed_rows(editor_frame(book.loans, lang), book.loans, kept, lang)


def becomes(book: LoanBook, lang: str) -> list[str]:
    """What each checked loan becomes, a line of markdown each (the lender escaped): balance, the
    rate as its contract states it, monthly payment, months left, real APR.

    >>> from lib.loans import make_loans
    >>> print(becomes(LoanBook(make_loans([{"lender": "A*", "balance": 1200, "annual_rate": 0.0,
    ...                                     "remaining_months": 2}])), "en")[0])
    → **A\\***: balance ¥1,200.00 · 0.00% · ¥600.00 a month · 2 months left · real APR 0.00%
    """
    out = []
    for loan in book.loans.to_dict("records"):
        try:
            apr = loan_apr(loan)[0]
        except (ValueError, ZeroDivisionError, OverflowError):
            apr = float("nan")
        out.append("→ " + t("shots.becomes", lang, lender=md_escape(loan["lender"] or "—"),
                            balance=money(loan["balance"]), rate=stated_rate(loan["annual_rate"], loan["method"], lang),
                            payment=money(loan["monthly_payment"]), months=int(loan["remaining_months"]),
                            apr=pct(apr)))
    return out


def marked_picture(data: bytes, book: ScreenshotBook, width: int = 540) -> bytes:
    """The picture, ``width`` pixels wide, with a box round every value read (orange where the
    OCR was unsure): JPEG bytes, made in memory. The picture itself is never changed or kept."""
    from PIL import Image, ImageDraw

    with Image.open(io.BytesIO(data)) as im:
        k = min(1.0, width / im.width)
        pic = im.convert("RGB").resize((round(im.width * k), round(im.height * k)))
    draw = ImageDraw.Draw(pic)
    for r in book.reads:
        unsure = {id(rf) for rf in r.unsure}
        for rf in r.fields.values():
            if rf.how == "read":
                b = rf.box.scaled(k)
                colour = UNSURE_COLOUR if id(rf) in unsure else READ_COLOUR
                draw.rectangle((b.x0 - 3, b.y0 - 3, b.x1 + 3, b.y1 + 3), outline=colour,
                               width=4 if id(rf) in unsure else 2)
    out = io.BytesIO()
    pic.save(out, "JPEG", quality=80)
    return out.getvalue()
