"""Screenshots of lenders' apps read into loans (lib.ocr), end to end: real pictures in, loans out.

The pictures are made here: HTML pages (tests/ocr_pages, invented lenders) drawn by Debian's
headless Chromium at a phone's size (360 × 780 CSS px at device scale 3: 1080 × 2340 px,
Noto CJK fonts), each also at half size (540 px wide) and as a JPEG of quality 60. Nothing
is written to disk. Every expected value comes from the values written into the page (the
template's own values below), never from the code under test: 日利率 0.05 % is 0.05 / 100 ×
360 a year (the project's day basis), ¥12,000.00 is 12000, "已还 4/12 期" leaves 12 − 4 months.

The OCR itself runs (RapidOCR in its worker process): one worker for the whole file.
"""

from __future__ import annotations

import contextlib
import io
import os
import socket
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from itertools import pairwise
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from jinja2 import Environment, FileSystemLoader
from PIL import Image

from lib import ocr
from lib.ingest import read_loans
from lib.ocr import engine
from lib.ocr.read import LOW_CONFIDENCE, MIN_WIDTH, ScreenshotBook
from lib.rates import loan_apr

PAGES = Path(__file__).parent / "ocr_pages"
AS_OF = date(2026, 12, 1)
DAYS_A_YEAR = 360  # the project's day basis for a daily rate (lib.values)
VARIANTS = ("full", "half", "jpeg60")
METHOD = {"等额本息": "annuity", "等额本金": "equal_principal"}  # the page's words, as the loan table codes them


def yuan(shown: str) -> float:
    """An amount as a person reads it off the page: ¥12,345.67 → 12345.67, 1.2万 → 12000."""
    s = shown.replace("¥", "").replace(",", "").replace("元", "")
    return round(float(s[:-1]) * 10000, 2) if s.endswith("万") else float(s)


# --------------------------------------------------------------------------- the pages
# Each page: its template, the values written into it, and what a person reads off it.
DETAIL = {"title": "借款详情", "accent": "#2f6bff", "lender": "青禾贷", "balance": "13,731.51",
          "principal": "20,000.00", "term": 12, "method": "等额本息", "apr": "18.25", "payment": "1,835.99",
          "paid": 4, "start": "2026-03-15", "next_due": "2026-12-15", "contract": "QH20260315001"}
OVERDUE = {"title": "待还账单", "accent": "#e53935", "lender": "远山金条", "days": 15, "overdue": "1,467.96",
           "balance": "8,000.00", "daily": "0.05", "months": 6, "penalty": "63.75", "due": "2026-11-16"}
CARD = {"title": "信用卡账单", "accent": "#5b4bdb", "lender": "云帆银行信用卡", "tail": "8866",
        "month": "2026年11月", "bill": "5,268.30", "minimum": "526.83", "due": "2026-12-08",
        "limit": "30,000.00", "card_rate": "日息万分之五", "offer": "日息万分之三起"}
LIST = {"title": "我的借款", "accent": "#00a870", "total": "45,600.00", "loans": [
    {"lender": "青禾贷", "balance": "12,000.00", "rate_label": "日利率", "rate": "0.05", "months": 8},
    {"lender": "星河消费金融", "balance": "9,500.00", "rate_label": "月费率", "rate": "0.75", "months": 6,
     "principal": "15,000.00"},
    {"lender": "远山金条", "balance": "24,100.00", "rate_label": "年化利率", "rate": "18", "months": 10}]}
DARK = {"title": "借款详情", "accent": "#262626", "body_class": "dark", "lender": "夜航借钱", "balance": "1.2万",
        "principal": "3万", "daily": "万分之五", "method": "等额本金", "paid": 4, "term": 12, "penalty": "0.00",
        "start": "2026-03-20"}
PLAN = {"title": "分期明细", "accent": "#ff8a00", "lender": "松果分期", "balance": "9,000.00", "principal": "12,000.00",
        "term": 12, "fee": "0.6", "paid": 3,  # 0.6 % of 12,000 a month on top of 12,000 / 12: 1,072.00 an instalment
        "upcoming": [(4, "2026-12-15", "1,072.00"), (5, "2027-01-15", "1,072.00"), (6, "2027-02-15", "1,072.00")]}
CHAT = {"title": "老王", "time": "下午 3:25", "messages": [
    ("them", "在吗？"), ("them", "上个月借你的5000块钱，这个月能还吗"), ("me", "再宽限几天，下周五前一定还你"),
    ("them", "好的，别忘了"), ("me", "放心")]}
# A scrolling screenshot (the whole list, 1080 px wide and over 5000 px tall): seven loans and a total.
LONG = {"title": "我的借款", "accent": "#7a4cd9", "total": "99,775.80", "loans": [
    {"lender": "松风贷", "balance": "6,800.00", "rate_label": "日利率", "rate": "0.04", "months": 9,
     "principal": "10,000.00", "method": "等额本息"},
    {"lender": "白鹭消费金融", "balance": "15,240.50", "rate_label": "年化利率", "rate": "23.9", "months": 18,
     "principal": "24,000.00", "method": "等额本金"},
    {"lender": "北辰金条", "balance": "3,150.00", "rate_label": "月费率", "rate": "0.6", "months": 5,
     "principal": "6,000.00"},
    {"lender": "晴川借钱", "balance": "22,000.00", "rate_label": "年化利率", "rate": "16.8", "months": 24,
     "principal": "30,000.00", "method": "等额本息"},
    {"lender": "海棠小贷", "balance": "4,725.30", "rate_label": "日利率", "rate": "0.065", "months": 7,
     "principal": "8,000.00", "method": "等额本息"},
    {"lender": "橙果分期", "balance": "9,360.00", "rate_label": "月费率", "rate": "0.7", "months": 12,
     "principal": "12,000.00"},
    {"lender": "云杉银行", "balance": "38,500.00", "rate_label": "年化利率", "rate": "7.2", "months": 30,
     "principal": "50,000.00", "method": "等额本金"}]}
PAGE_VALUES = {"detail": DETAIL, "overdue": OVERDUE, "card": CARD, "list": LIST, "dark": DARK, "plan": PLAN,
               "chat": CHAT}


def expected(page: str) -> list[dict[str, Any]]:
    """The loans a person reads off the page, field by field, from the page's own values."""
    if page == "detail":
        d = DETAIL
        return [{"lender": d["lender"], "balance": yuan(d["balance"]), "principal_amount": yuan(d["principal"]),
                 "term_months": d["term"], "remaining_months": d["term"] - d["paid"], "method": METHOD[d["method"]],
                 "annual_rate": float(d["apr"]) / 100, "monthly_payment": yuan(d["payment"]),
                 "start_date": pd.Timestamp(d["start"])}]
    if page == "overdue":
        d = OVERDUE
        return [{"lender": d["lender"], "balance": yuan(d["balance"]), "annual_rate": float(d["daily"]) / 100 * DAYS_A_YEAR,
                 "remaining_months": d["months"], "overdue_days": d["days"], "overdue_amount": yuan(d["overdue"]),
                 "penalty": yuan(d["penalty"])}]
    if page == "card":
        d = CARD  # 本期应还 is what is owed, 最低还款 the month's payment; 日息万分之五 = 5 / 10000 a day
        return [{"lender": d["lender"], "kind": "credit_card", "balance": yuan(d["bill"]),
                 "monthly_payment": yuan(d["minimum"]), "annual_rate": 5 / 10000 * DAYS_A_YEAR}]
    if page == "list":
        out = []
        for ln in LIST["loans"]:
            rate = float(ln["rate"]) / 100
            loan = {"lender": ln["lender"], "balance": yuan(ln["balance"]), "remaining_months": ln["months"]}
            if ln["rate_label"] == "日利率":
                loan["annual_rate"] = rate * DAYS_A_YEAR
            elif ln["rate_label"] == "月费率":  # a flat fee on the amount borrowed: the table keeps fee × 12
                loan |= {"annual_rate": rate * 12, "method": "flat_fee", "principal_amount": yuan(ln["principal"])}
            else:
                loan["annual_rate"] = rate
            out.append(loan)
        return out
    if page == "dark":
        d = DARK
        return [{"lender": d["lender"], "balance": yuan(d["balance"]), "principal_amount": yuan(d["principal"]),
                 "annual_rate": 5 / 10000 * DAYS_A_YEAR, "method": METHOD[d["method"]], "term_months": d["term"],
                 "remaining_months": d["term"] - d["paid"], "penalty": yuan(d["penalty"]),
                 "start_date": pd.Timestamp(d["start"])}]
    if page == "plan":
        d = PLAN  # 每期手续费率 0.6 %: a flat fee each month on the amount borrowed (the table keeps fee × 12)
        return [{"lender": d["lender"], "balance": yuan(d["balance"]), "principal_amount": yuan(d["principal"]),
                 "term_months": d["term"], "remaining_months": d["term"] - d["paid"], "method": "flat_fee",
                 "annual_rate": float(d["fee"]) / 100 * 12, "monthly_payment": yuan(d["upcoming"][0][2])}]
    if page == "long":
        out = []
        for ln in LONG["loans"]:
            rate = float(ln["rate"]) / 100
            loan = {"lender": ln["lender"], "balance": yuan(ln["balance"]), "remaining_months": ln["months"],
                    "principal_amount": yuan(ln["principal"])}
            if ln["rate_label"] == "日利率":
                loan |= {"annual_rate": rate * DAYS_A_YEAR, "method": METHOD[ln["method"]]}
            elif ln["rate_label"] == "月费率":  # a flat fee on the amount borrowed: the table keeps fee × 12
                loan |= {"annual_rate": rate * 12, "method": "flat_fee"}
            else:
                loan |= {"annual_rate": rate, "method": METHOD[ln["method"]]}
            out.append(loan)
        return out
    raise KeyError(page)


LOAN_PAGES = ("detail", "overdue", "card", "list", "dark", "plan")


def render(browser: Any, html: str) -> bytes:
    ctx = browser.new_context(viewport={"width": 360, "height": 780}, device_scale_factor=3, locale="zh-CN")
    try:
        page = ctx.new_page()
        page.set_content(html, wait_until="load")
        page.evaluate("document.fonts.ready")
        return page.screenshot(type="png")
    finally:
        ctx.close()


def render_long(browser: Any, html: str) -> bytes:
    """The whole page as one picture, however tall (a phone's scrolling screenshot)."""
    ctx = browser.new_context(viewport={"width": 360, "height": 780}, device_scale_factor=3, locale="zh-CN")
    try:
        page = ctx.new_page()
        page.set_content(html, wait_until="load")
        page.evaluate("document.fonts.ready")
        return page.screenshot(type="png", full_page=True)
    finally:
        ctx.close()


def page_html(name: str, **values: Any) -> str:
    """Phone page ``name`` (tests/ocr_pages/<name>.html) filled in: with ``values``, or its own (PAGE_VALUES)."""
    env = Environment(loader=FileSystemLoader(PAGES), autoescape=False)
    css = (PAGES / "phone.css").read_text(encoding="utf-8")
    return env.get_template(f"{name}.html").render(css=css, **(values or PAGE_VALUES[name]))


def draw(browser: Any, name: str, **values: Any) -> bytes:
    """Phone page ``name`` as a 1080 × 2340 PNG (see :func:`page_html`)."""
    return render(browser, page_html(name, **values))


def half(png: bytes) -> bytes:
    with Image.open(io.BytesIO(png)) as im:
        out = io.BytesIO()
        im.convert("RGB").resize((im.width // 2, im.height // 2), Image.Resampling.LANCZOS).save(out, "PNG")
        return out.getvalue()


def jpeg(png: bytes, quality: int = 60) -> bytes:
    with Image.open(io.BytesIO(png)) as im:
        out = io.BytesIO()
        im.convert("RGB").save(out, "JPEG", quality=quality)
        return out.getvalue()


@pytest.fixture(scope="session")
def shots() -> dict[tuple[str, str], bytes]:
    """Every page as a picture, in memory: (page, variant) → bytes."""
    from tests.browser.server import launch_browser

    out: dict[tuple[str, str], bytes] = {}
    with launch_browser() as browser:
        for name in PAGE_VALUES:
            png = draw(browser, name)
            out[(name, "full")], out[(name, "half")], out[(name, "jpeg60")] = png, half(png), jpeg(png)
    return out


@pytest.fixture(scope="session")
def long_shot() -> bytes:
    """The long list page (:data:`LONG`) as one scrolling screenshot, in memory."""
    from tests.browser.server import launch_browser

    with launch_browser() as browser:
        return render_long(browser, page_html("long", **LONG))


READS: dict[tuple[str, str], ScreenshotBook] = {}


def read(shots: dict[tuple[str, str], bytes], page: str, variant: str) -> ScreenshotBook:
    """The page read through the file reader's front door (lib.ingest.read_loans), once."""
    key = (page, variant)
    if key not in READS:
        name = f"{page}.{'jpg' if variant == 'jpeg60' else 'png'}"
        book = read_loans(shots[key], name, as_of=AS_OF)
        assert isinstance(book, ScreenshotBook), book.problems
        READS[key] = book
    return READS[key]


def same(got: Any, want: Any) -> bool:
    if isinstance(want, float):
        return got is not None and not pd.isna(got) and abs(float(got) - want) < 1e-6
    if isinstance(want, pd.Timestamp):
        return pd.Timestamp(got) == want
    return got == want


# --------------------------------------------------------------------------- the pictures
@pytest.mark.browser
def test_pictures_are_phone_sized(shots: dict[tuple[str, str], bytes]) -> None:
    for (page, variant), data in shots.items():
        with Image.open(io.BytesIO(data)) as im:
            want = (540, 1170) if variant == "half" else (1080, 2340)
            assert im.size == want and im.format == ("JPEG" if variant == "jpeg60" else "PNG"), (page, variant)


@pytest.mark.browser
@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("page", LOAN_PAGES)
def test_every_field_is_read(shots: dict[tuple[str, str], bytes], page: str, variant: str) -> None:
    book = read(shots, page, variant)
    want = expected(page)
    assert not book.errors, [p.text("en") for p in book.errors]
    assert len(book.loans) == len(want), (book.loans["lender"].tolist(), [r.fields for r in book.reads])
    wrong = {}
    for i, loan in enumerate(want):
        got = book.loans.iloc[i]
        wrong |= {(i, f): (got[f], w) for f, w in loan.items() if not same(got[f], w)}
    assert not wrong, wrong
    assert [n.code for n in book.notes][:1] == ["screenshot"] and book.notes[0].params["loans"] == len(want)


@pytest.mark.browser
@pytest.mark.parametrize("page", LOAN_PAGES)
def test_each_value_says_where_it_was_read(shots: dict[tuple[str, str], bytes], page: str) -> None:
    book = read(shots, page, "full")
    for r, loan, want in zip(book.reads, book.loans.itertuples(), expected(page), strict=True):
        assert r.row == loan.source_row
        derived = set(filter(None, loan.derived.split(","))) | set(filter(None, loan.assumed.split(",")))
        for f in want:  # each value on the page was read there, or worked out from what was
            if f in r.fields:
                rf = r.fields[f]
                assert 0 < rf.confidence <= 1 and rf.text
                assert 0 <= rf.box.x0 < rf.box.x1 <= 1080 and 0 <= rf.box.y0 < rf.box.y1 <= 2340
            else:
                assert f in derived or f in {"remaining_months", "term_months"} and "paid_months" in r.fields, f
        assert book.unsure == [(r.row, rf) for r in book.reads for rf in r.fields.values()
                               if rf.how == "read" and rf.confidence < LOW_CONFIDENCE]


@pytest.mark.browser
def test_the_pages_own_words(shots: dict[tuple[str, str], bytes]) -> None:
    """The values a page implies or words its own way, read as the page means them."""
    detail = read(shots, "detail", "full").reads[0].fields
    assert detail["annual_rate"].label.startswith("年化利率") and detail["annual_rate"].text == f"{DETAIL['apr']}%"
    assert detail["paid_months"].text == f"{DETAIL['paid']}/{DETAIL['term']}"  # 已还 4/12 期
    overdue = read(shots, "overdue", "full")
    assert overdue.reads[0].fields["overdue_days"].text == str(OVERDUE["days"])  # 您已逾期 15 天
    card = read(shots, "card", "full")
    assert card.reads[0].fields["kind"].how == "implied"  # a credit-card bill
    assert "万分之三" not in card.reads[0].fields["annual_rate"].text  # the instalment offer is no rate of the card
    flat = read(shots, "list", "full").loans.iloc[1]
    assert flat["method"] == "flat_fee"
    nominal, _ = loan_apr(flat.to_dict())  # the real cost of a 0.75 %/month fee on the amount borrowed
    assert nominal > 1.5 * float(LIST["loans"][1]["rate"]) / 100 * 12


@pytest.mark.browser
def test_a_list_page_total_is_no_loan(shots: dict[tuple[str, str], bytes]) -> None:
    book = read(shots, "list", "full")
    total = yuan(LIST["total"])
    assert total == sum(yuan(ln["balance"]) for ln in LIST["loans"])  # the page adds up …
    assert len(book.loans) == len(LIST["loans"]) and total not in book.loans["balance"].tolist()  # … and is no loan


@pytest.mark.browser
@pytest.mark.parametrize("variant", ("full", "jpeg60"))
def test_a_chat_screenshot_is_no_loan(shots: dict[tuple[str, str], bytes], variant: str) -> None:
    book = read_loans(shots[("chat", variant)], "chat.png", as_of=AS_OF)
    assert [(p.row, p.code) for p in book.problems] == [(0, "screenshot_no_loan")] and book.loans.empty
    assert book.page is not None and any("5000" in ln.text for ln in book.page.lines)  # it was read, and is no loan


def noise_photo(width: int = 1080, height: int = 1440) -> bytes:
    rng = np.random.default_rng(14)
    out = io.BytesIO()
    Image.fromarray(rng.integers(0, 256, (height, width, 3), dtype=np.uint8)).save(out, "JPEG", quality=85)
    return out.getvalue()


def test_a_photo_is_no_loan() -> None:
    book = read_loans(noise_photo(), "IMG_2041.jpg")
    assert [(p.row, p.code) for p in book.problems] == [(0, "screenshot_no_loan")] and book.loans.empty
    for lang in ("zh", "en"):
        assert "{" not in book.problems[0].text(lang) and book.problems[0].text(lang) != "problem.screenshot_no_loan"


def blank_png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(out, "PNG")
    return out.getvalue()


def test_a_small_picture_is_refused_before_it_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_ocr(data: bytes) -> None:
        raise AssertionError("a picture too small to read was sent to the OCR")

    monkeypatch.setattr(engine, "read_lines", no_ocr)
    book = read_loans(blank_png(MIN_WIDTH - 1, 1200), "small.png")
    assert [(p.code, p.params) for p in book.problems] == [("screenshot_too_small",
                                                            {"width": MIN_WIDTH - 1, "min": MIN_WIDTH})]
    assert "539" in book.problems[0].text("en") and "539" in book.problems[0].text("zh")
    assert "sharper" in book.problems[0].text("en")


def test_a_picture_too_long_to_read_in_time_is_asked_for_in_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_ocr(data: bytes) -> None:
        raise AssertionError("a picture too long to read in time was sent to the OCR")

    monkeypatch.setattr(engine, "read_lines", no_ocr)
    tall = 1080 * 14 + 1  # more than 14 widths: some 10 tiles of 1.6 widths, ≈ 15 s of reading
    book = read_loans(blank_png(1080, tall), "long.png")
    assert [(p.code, p.params) for p in book.problems] == [("screenshot_too_long", {"height": tall})]
    assert "several screenshots" in book.problems[0].text("en") and str(tall) in book.problems[0].text("zh")


def test_without_the_ocr_an_image_says_how_to_enable_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ocr, "available", lambda: False)
    book = read_loans(blank_png(1080, 2340), "shot.png")
    assert [(p.row, p.code) for p in book.problems] == [(0, "not_table_image")]
    for lang in ("zh", "en"):
        assert "pip install -r requirements-ocr.txt" in book.problems[0].text(lang)


def test_bytes_that_are_no_picture() -> None:
    book = read_loans(b"\x89PNG\r\n\x1a\n" + bytes(300), "broken.png")
    assert [(p.row, p.code) for p in book.problems] == [(0, "not_table_image")]


# --------------------------------------------------------------------------- long screenshots
def folded(text: str) -> str:
    import unicodedata

    return "".join(unicodedata.normalize("NFKC", text).split())


@pytest.mark.browser
def test_a_long_scrolling_screenshot(long_shot: bytes) -> None:
    """Seven loans on one 1080 × 6000-odd px capture: read in tiles, every field right, each loan
    once (the tiles' overlaps read twice are kept once), where it stands on the whole picture."""
    with Image.open(io.BytesIO(long_shot)) as im:
        width, height = im.size
    assert width == 1080 and height >= 5000  # a scrolling screenshot, far taller than a screen
    book = read_loans(long_shot, "long.png", as_of=AS_OF)
    assert isinstance(book, ScreenshotBook) and not book.errors, [p.text("en") for p in book.problems]
    assert (book.page.width, book.page.height) == (width, height) and book.page.tiles > 1
    want = expected("long")
    assert book.loans["lender"].tolist() == [ln["lender"] for ln in LONG["loans"]]  # each loan once, in order
    wrong = {(i, f): (book.loans.iloc[i][f], w) for i, loan in enumerate(want) for f, w in loan.items()
             if not same(book.loans.iloc[i][f], w)}
    assert not wrong, wrong
    assert yuan(LONG["total"]) == sum(yuan(ln["balance"]) for ln in LONG["loans"])  # the page adds up …
    assert yuan(LONG["total"]) not in book.loans["balance"].tolist()  # … and its total is no loan
    texts = [folded(ln.text) for ln in book.page.lines]
    for ln in LONG["loans"]:  # every line once: none lost at a tile's edge, none doubled by an overlap
        assert texts.count(ln["lender"]) == 1 and texts.count(f"¥{ln['balance']}") == 1, ln
    ys = [r.fields["balance"].box.cy for r in book.reads]  # in the whole picture's pixels, top to bottom
    assert ys == sorted(ys) and ys[-1] > height - 1200 and all(
        0 <= rf.box.y0 < rf.box.y1 <= height and 0 <= rf.box.x0 < rf.box.x1 <= width
        for r in book.reads for rf in r.fields.values())


def test_phone_screens_are_read_whole_and_long_pictures_in_tiles_read_at_full_size() -> None:
    for size in ((1080, 2340), (1080, 2400), (1080, 2520), (1440, 3200), (720, 1600), (540, 1170)):
        assert engine.tile_spans(*size) == ((0, size[1]),), size  # 19.5:9, 20:9, 21:9 screens, and halves
    max_side = 2000  # rapidocr-onnxruntime 1.4.4's config.yaml, Global.max_side_len
    for width, height in ((1080, 5000), (1080, 6204), (1080, 20000), (720, 4000), (1440, 7000), (2400, 9000)):
        spans = engine.tile_spans(width, height, max_side)
        assert len(spans) > 1 and spans[0][0] == 0 and spans[-1][1] == height, (width, height)
        assert all(b - a <= max(max_side, width) and b - a <= 1.6 * width for a, b in spans)  # never scaled down
        assert all(b0 - a1 >= 0.2 * width - 1 for (_, b0), (a1, _) in pairwise(spans))  # overlapping


def test_lines_read_in_tiles_are_put_back_once_each() -> None:
    """A made-up page of 83 rows × 2 columns on a 1080 × 5000 picture, as the OCR would see it in
    tiles: a row cut by a tile's edge is read there half and boxed to the edge; a row in an overlap
    is read in both. Merged, the page comes back: every line once, where it is, as sure as its
    best read."""
    width, height = 1080, 5000
    page = [engine.OcrLine(f"{col}{i}", engine.Box(x0, 20 + 60 * i, x1, 65 + 60 * i), round(0.9 + i % 9 / 100, 2))
            for i in range(83) for col, x0, x1 in (("标签", 40, 250), ("¥", 800, 1040))]
    # in the first two tiles' overlap, the second tile reads two amounts otherwise, and surer: row 25's as
    # ￥25 in a box 60 px to the left (IoU 0.6), row 27's as Y27 in the same box
    variants = {engine.Box(800, 1520, 1040, 1565): engine.OcrLine("￥25", engine.Box(740, 1520, 980, 1565), 0.99),
                engine.Box(800, 1640, 1040, 1685): engine.OcrLine("Y27", engine.Box(800, 1640, 1040, 1685), 0.99)}
    spans = engine.tile_spans(width, height)
    tiles, cut = [], 0
    for n, (top, bottom) in enumerate(spans):
        seen = []
        for ln in page:
            b = ln.box
            if b.y1 <= top or b.y0 >= bottom:
                continue
            if top <= b.y0 and b.y1 <= bottom:
                read = variants.get(b, ln) if n == 1 else ln
                seen.append(engine.OcrLine(read.text, read.box.shifted(-top), read.confidence))
            else:  # cut: half its text, its box clipped to the tile (as RapidOCR does: 0 … height − 1)
                cut += 1
                clipped = engine.Box(b.x0, max(b.y0, top) - top, b.x1, min(b.y1, bottom - 1) - top)
                seen.append(engine.OcrLine(ln.text[:-1], clipped, 0.6))
        tiles.append((top, bottom, seen))
    assert len(spans) == 4 and cut >= 3  # (the page does cross the tiles' edges)
    merged = engine.merge_tiles(tiles)
    want = [variants.get(ln.box, ln) for ln in page]
    assert [(ln.text, ln.box, ln.confidence) for ln in merged] == [(ln.text, ln.box, ln.confidence) for ln in want]


# --------------------------------------------------------------------------- privacy
def guarded_read(data: bytes | None) -> dict[str, Any]:
    """In a fresh process: read a picture the way the worker does, recording every network call
    and every file opened for writing (Python's audit hooks see each one). With no picture, it
    connects and writes a file itself instead: the control that shows both would be seen."""
    seen: dict[str, list[str]] = {"network": [], "written": []}
    write_flags = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND

    def hook(event: str, args: tuple[Any, ...]) -> None:
        if event.startswith("socket."):
            seen["network"].append(f"{event} {args!r}")
        elif event == "open":
            path, mode, flags = (tuple(args) + (None, None))[:3]
            writes = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
                isinstance(flags, int) and flags & write_flags)
            if writes and not str(path).endswith((".pyc", ".pyc.tmp")) and "__pycache__" not in str(path):
                seen["written"].append(str(path))

    sys.addaudithook(hook)
    if data is None:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", 9), timeout=0.5):
            pass
        Path(os.environ["TMPDIR"], "control.txt").write_text("written")
        return seen
    page = engine.read_in_worker(data)
    info = engine.info_in_worker()
    return {**seen, "lines": [ln.text for ln in page.lines], "onnxruntime": info.onnxruntime_loaded,
            "telemetry_off": info.telemetry_off}


def files_under(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*"))


@pytest.mark.browser
def test_no_file_written_and_no_connection(shots: dict[tuple[str, str], bytes], tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    home, tmp = tmp_path / "home", tmp_path / "tmp"
    home.mkdir()
    tmp.mkdir()
    for var in ("HOME", "TMPDIR"):
        monkeypatch.setenv(var, str(home if var == "HOME" else tmp))
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    with ProcessPoolExecutor(1, mp_context=get_context("spawn")) as pool:
        control = pool.submit(guarded_read, None).result(timeout=60)
        seen = pool.submit(guarded_read, shots[("detail", "full")]).result(timeout=180)
    assert control["network"] and control["written"] == [str(tmp / "control.txt")]  # (the hook sees them)
    (tmp / "control.txt").unlink()
    assert seen["onnxruntime"] and seen["telemetry_off"]
    assert DETAIL["lender"] in seen["lines"]  # it did read the picture …
    assert seen["network"] == [] and seen["written"] == []  # … with no connection and no file written
    assert files_under(home) == [] and files_under(tmp) == [] and not (home / ".cache" / "Microsoft").exists()
    # and the app's own worker, started afresh with this HOME
    engine.shutdown()
    book = read_loans(shots[("overdue", "half")], "overdue.png", as_of=AS_OF)
    engine.shutdown()
    assert len(book.loans) == 1 and files_under(home) == [] and files_under(tmp) == []


# --------------------------------------------------------------------------- the worker
def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}").exists() and "zombie" not in Path(f"/proc/{pid}/status").read_text().lower()


def test_the_worker_holds_the_models_and_gives_its_memory_back(monkeypatch: pytest.MonkeyPatch) -> None:
    start = time.perf_counter()
    assert read_loans(noise_photo(), "photo.jpg").problems[0].code == "screenshot_no_loan"
    first = time.perf_counter() - start
    info = engine.worker_info()
    assert info.pid != os.getpid() and info.onnxruntime_loaded and info.telemetry_off
    assert "onnxruntime" not in sys.modules and "rapidocr_onnxruntime" not in sys.modules  # never in the app
    print(f"\nworker pid {info.pid}: peak {info.peak_rss_mb:.0f} MB, now {info.rss_mb:.0f} MB; "
          f"first read {first:.2f} s")
    assert info.peak_rss_mb > 100  # the models are loaded there …
    monkeypatch.setattr(engine.WORKER, "idle", 1.0)
    assert engine.worker_info().pid == info.pid  # (the same worker, while it is used)
    deadline = time.monotonic() + 15
    while (engine.WORKER.running or alive(info.pid)) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not engine.WORKER.running and not alive(info.pid)  # … and gone, with its memory, once idle


def test_the_worker_restarts_after_a_crash() -> None:
    pid = engine.worker_info().pid
    os.kill(pid, 9)
    time.sleep(0.5)
    with pytest.raises(engine.OcrFailed):
        engine.worker_info()
    assert engine.worker_info().pid not in (pid, os.getpid())
    engine.shutdown()


# The app's main module, as a script that must not run again in the worker: imported there (as
# ``__mp_main__``, what a plain ``spawn`` does), it says so on stderr and fails, and the worker with it.
GUARDED_MAIN = '''
import os
import sys

if __name__ != "__main__":
    sys.stderr.write(f"MAIN IMPORTED AGAIN in pid {os.getpid()}\\n")
    raise ImportError("the parent's __main__ was imported in the worker")

import json

from lib.ocr import engine

page = engine.read_lines(sys.stdin.buffer.read())
info = engine.worker_info()
print(json.dumps({"lines": [ln.text for ln in page.lines], "worker": info.pid, "me": os.getpid(),
                  "main_file": sys.modules["__main__"].__file__}))
engine.shutdown()
'''
AMOUNT = "12,345.67"  # the text drawn on the worker's picture


def amount_png() -> bytes:
    """A small picture of :data:`AMOUNT`, drawn with Pillow's own font (no browser needed)."""
    from PIL import ImageDraw, ImageFont

    im = Image.new("RGB", (600, 160), "white")
    ImageDraw.Draw(im).text((40, 40), AMOUNT, fill="black", font=ImageFont.load_default(size=64))
    out = io.BytesIO()
    im.save(out, "PNG")
    return out.getvalue()


def test_the_worker_does_not_import_the_apps_main(tmp_path: Path) -> None:
    """Under a Streamlit server ``__main__`` is Streamlit or the page being run: the worker must
    not import it (a plain ``spawn`` does, and here that would fail the worker)."""
    import json
    import subprocess

    script = tmp_path / "app_main.py"
    script.write_text(GUARDED_MAIN, encoding="utf-8")
    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, (str(root), os.environ.get("PYTHONPATH"))))}
    run = subprocess.run([sys.executable, str(script)], input=amount_png(), capture_output=True, cwd=root,
                         env=env, timeout=120)
    err = run.stderr.decode(errors="replace")
    assert "MAIN IMPORTED AGAIN" not in err, err
    assert run.returncode == 0, err
    out = json.loads(run.stdout)
    assert out["main_file"] == str(script) and out["worker"] != out["me"]  # a worker read it, under that main
    assert AMOUNT in out["lines"], out["lines"]  # … and read it right
