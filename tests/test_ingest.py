"""The loan-file reader (lib.ingest), end to end: bytes in, loans and named problems out.

Every expected number is computed here, independently of the reader: with
numpy-financial (``npf.pmt``, ``npf.rate``, ``npf.nper``) or by hand, the arithmetic
spelled out next to it. Files are built in the tests (CSV text in a chosen encoding,
.xlsx with openpyxl, a minimal .xls written byte by byte), so nothing personal is
committed.
"""

from __future__ import annotations

import csv
import io
import math
import random
import struct
import zipfile
from datetime import date, datetime
from pathlib import Path

import numpy_financial as npf
import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lib.fields import FIELDS
from lib.ingest import LoanBook, Note, Problem, decode, read_frame, read_loans, sniff_delimiter
from lib.loans import COLUMNS, editor_frame, lender_names, make_loans, named
from tests.hand import bank_annuity

ROOT = Path(__file__).resolve().parents[1]
NUMERIC = [c for c, dtype in COLUMNS.items() if dtype in ("float64", "int64")]
OPTIONAL = ("principal_amount", "received", "term_months")  # NaN when unknown


# --------------------------------------------------------------------------- helpers
def csv_text(rows: list[list[object]], delimiter: str = ",") -> str:
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buf.getvalue()


def pmt(balance: float, annual_rate: float, months: int) -> float:
    """The 等额本息 instalment as a contract states it: npf.pmt rounded to the fen, one fen more
    when that would leave a last payment above it (the bank's plan written out, tests/hand.py)."""
    return bank_annuity(balance, annual_rate, months)[0]


def loan(book: LoanBook, row: int) -> pd.Series:
    """The loan read from spreadsheet row ``row``."""
    hits = book.loans[book.loans["source_row"] == row]
    assert len(hits) == 1, (row, book.loans["source_row"].tolist(), book.problems)
    return hits.iloc[0]


def derived(book: LoanBook, row: int) -> set[str]:
    return set(filter(None, str(loan(book, row)["derived"]).split(",")))


def notes(book: LoanBook, code: str) -> list[dict[str, object]]:
    return [n.params for n in book.notes if n.code == code]


def assert_not_a_table(book: LoanBook, code: str) -> Problem:
    assert isinstance(book, LoanBook)
    assert book.loans.empty and list(book.loans.columns) == list(COLUMNS)
    assert len(book.problems) == 1, book.problems
    (p,) = book.problems
    assert (p.row, p.code, p.severity) == (0, code, "error")
    for lang in ("zh", "en"):  # a real message, not a missing key
        assert p.text(lang) and p.text(lang) != f"problem.{code}" and "{" not in p.text(lang)
    return p


# The borrower's table used for the encoding tests: 䶮 (U+4DAE) and 㐀 (U+3400) are CJK
# Extension A characters that exist in GB18030 but not in GBK/GB2312.
ZH_ROWS = [
    ["平台", "剩余本金", "年化利率", "剩余期数", "还款方式", "逾期天数"],
    ["䶮金融", "12,000", "18%", "12", "等额本息", "0"],
    ["㐀小贷", "￥8,000.50", "日息万五", "6期", "等额本金", "逾期30天"],
    ["招联金融", "3万", "月息2分", "24", "先息后本", "无"],
]
# The same table with only GBK characters (what most Excel/WPS files on Chinese Windows hold).
GBK_ROWS = [[c.replace("䶮", "融").replace("㐀", "安") for c in r] for r in ZH_ROWS]


def expected_zh_rows(rows: list[list[str]]) -> list[tuple[object, ...]]:
    """What ZH_ROWS say, worked out by hand."""
    return [
        # 18 %/year, 等额本息 over 12 months on 12,000
        (rows[1][0], 12000.0, 0.18, 12, "annuity", 0, pmt(12000, 0.18, 12)),
        # 日息万五 = 0.05 %/day × 360 = 18 %; 等额本金: 8000.50/6 rounded up to the fen (the last
        # month takes what is left) + 8000.50 × 1.5 % rounded to the fen
        (rows[2][0], 8000.5, 0.18, 6, "equal_principal", 30,
         round(math.ceil(8000.5 / 6 * 100) / 100 + round(8000.5 * 0.015, 2), 2)),
        # 3万 = 30,000; 月息2分 = 2 %/month = 24 %/year; 先息后本: 30,000 × 2 % a month
        (rows[3][0], 30000.0, 0.24, 24, "interest_only", 0, 600.0),
    ]


def as_tuples(book: LoanBook) -> list[tuple[object, ...]]:
    cols = ["lender", "balance", "annual_rate", "remaining_months", "method", "overdue_days", "monthly_payment"]
    return [tuple(r) for r in book.loans[cols].itertuples(index=False)]


# --------------------------------------------------------------------------- encodings
@pytest.mark.parametrize(
    ("encoding", "delimiter", "note"),
    [
        ("utf-8", ",", "UTF-8"),
        ("utf-8-sig", ",", "UTF-8-SIG"),
        ("gb18030", ",", "GB18030"),
        ("utf-16", "\t", "UTF-16"),  # Excel's "Unicode text": UTF-16 LE with BOM, tab-separated
    ],
)
def test_same_table_in_every_encoding_gives_identical_loans(encoding: str, delimiter: str, note: str) -> None:
    data = csv_text(ZH_ROWS, delimiter).encode(encoding)
    book = read_loans(data, "借款.csv")
    assert book.problems == []
    assert as_tuples(book) == expected_zh_rows(ZH_ROWS)
    assert notes(book, "encoding") == [{"encoding": note}]
    assert book.loans["source_row"].tolist() == [2, 3, 4]


def test_gbk_file_reads_like_utf8() -> None:
    text = csv_text(GBK_ROWS)
    gbk, utf8 = read_loans(text.encode("gbk")), read_loans(text.encode("utf-8"))
    assert gbk.problems == [] and as_tuples(gbk) == expected_zh_rows(GBK_ROWS)
    pd.testing.assert_frame_equal(gbk.loans, utf8.loans)


def test_gb18030_matters_for_characters_outside_gbk() -> None:
    with pytest.raises(UnicodeEncodeError):
        "䶮".encode("gbk")
    data = csv_text(ZH_ROWS).encode("gb18030")
    assert "䶮" not in data.decode("gbk", errors="replace")  # read as GBK, the name is lost
    lenders = read_loans(data).loans["lender"].tolist()
    assert lenders[:2] == ["䶮金融", "㐀小贷"]


def test_bundled_sample_in_every_encoding() -> None:
    text = (ROOT / "data" / "sample_loans.csv").read_text(encoding="utf-8")
    reference = read_loans(text.encode("utf-8")).loans
    tsv = csv_text(list(csv.reader(io.StringIO(text))), "\t")
    for data in (text.encode("utf-8-sig"), text.encode("gbk"), text.encode("gb18030"), tsv.encode("utf-16"),
                 tsv.encode("gbk")):
        book = read_loans(data)
        assert book.problems == []
        pd.testing.assert_frame_equal(book.loans, reference)


def test_short_gbk_table_is_not_read_as_korean() -> None:
    # These GBK bytes are also valid CP949, and charset-normalizer guesses only that.
    text = "剩余本金,平台,年化利率\r\n借呗,借呗,借呗\r\n借呗,借呗,借呗\r\n"
    assert decode(text.encode("gbk")) == (text, "gb18030")
    rows = [["剩余本金", "平台", "年化利率", "剩余期数"], ["12000", "借呗", "18%", "12"], ["500", "借呗", "18%", "3"]]
    assert read_loans(csv_text(rows).encode("gbk")).loans["lender"].tolist() == ["借呗", "借呗"]


def test_gbk_bytes_that_happen_to_be_valid_utf8() -> None:
    data = "balance,平台,rate,months left\r\n12000,小赢,18%,12\r\n".encode("gbk")
    assert data.decode("utf-8") == "balance,ƽ̨,rate,months left\r\n12000,СӮ,18%,12\r\n"  # valid, and wrong
    book = read_loans(data)
    assert book.loans["lender"].tolist() == ["小赢"] and notes(book, "encoding") == [{"encoding": "GB18030"}]
    assert read_loans("balance,平台,rate,months left\r\n1,Café,1%,1\r\n".encode()).loans["lender"].tolist() == ["Café"]


def test_western_legacy_encoding_still_decodes() -> None:
    text, enc = decode("lender,balance,rate,months\r\nCafé Crédit,1000,18%,12\r\n".encode("cp1252"))
    assert "Café Crédit" in text and enc != "gb18030"


def test_decode_and_sniff_delimiter_directly() -> None:
    assert decode("平台,剩余本金\n借呗,1万\n".encode("gbk")) == ("平台,剩余本金\n借呗,1万\n", "gb18030")
    assert decode("䶮".encode("gb18030") + "贷,剩余本金,年化利率\n".encode("gb18030"))[0].startswith("䶮贷")
    assert decode("平台\t余额".encode("utf-16")) == ("平台\t余额", "utf-16")
    assert decode(b"\xef\xbb\xbfa,b") == ("a,b", "utf-8-sig")
    assert sniff_delimiter('平台,剩余本金\n借呗,"12,000"\n花呗,"1,000"\n') == ","
    assert sniff_delimiter("平台;剩余本金\n借呗;12,000\n花呗;1,000\n") == ";"
    assert sniff_delimiter("平台\t剩余本金\n借呗\t12,000\n") == "\t"


# --------------------------------------------------------------------------- delimiters
@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_delimiters_and_embedded_thousands_separators(delimiter: str) -> None:
    rows = [
        ["平台", "剩余本金", "年化利率", "剩余期数", "每期应还"],
        ["借呗", "12,000", "18%", "12", ""],
        ["京东金条", "9,800.00", "23.4%", "12", "1,000"],  # the payment is given, so kept as given
    ]
    text = csv_text(rows, delimiter)
    if delimiter == ",":
        assert '"12,000"' in text  # quoted as Excel quotes it
    else:
        assert "12,000" in text and '"' not in text
    book = read_loans(text.encode("utf-8"))
    assert book.problems == []
    assert book.loans["balance"].tolist() == [12000.0, 9800.0]
    assert book.loans["annual_rate"].tolist() == [0.18, 0.234]
    assert book.loans["monthly_payment"].tolist() == [pmt(12000, 0.18, 12), 1000.0]
    assert derived(book, 2) >= {"monthly_payment"} and "monthly_payment" not in derived(book, 3)


def test_quoted_field_with_newline_and_quote() -> None:
    text = '平台,剩余本金,年化利率,剩余期数,备注\n"借呗 ""蚂蚁""",12000,18%,12,"第一行\n第二行"\n花呗,500,18%,3,\n'
    book = read_loans(text.encode())
    assert book.loans["lender"].tolist() == ['借呗 "蚂蚁"', "花呗"]
    assert book.loans["source_row"].tolist() == [2, 3]  # csv rows, as a spreadsheet numbers them


# --------------------------------------------------------------------------- headers
# Which rate headers announce a daily or a monthly rate (every other rate header is annual).
DAILY_RATE_HEADERS = {"日利率", "日息", "日费率", "daily rate"}
MONTHLY_RATE_HEADERS = {"月利率", "月息", "月费率", "每期费率", "分期费率", "手续费率", "monthly rate"}
# The other columns of the test table, by field: (header, cell).
BASE = {"lender": ("平台", "借呗"), "balance": ("剩余本金", "12000"), "annual_rate": ("年化利率", "18%"),
        "remaining_months": ("剩余期数", "12")}
# A cell for each field under test, and what it must become.
SAMPLE_CELL = {
    "lender": ("微粒贷", "微粒贷"),
    "kind": ("信用卡", "credit_card"),
    "balance": ("8,000", 8000.0),
    "method": ("等额本金", "equal_principal"),
    "remaining_months": ("9期", 9),
    "monthly_payment": ("1,500", 1500.0),
    "overdue_days": ("45", 45),
    "overdue_amount": ("3,000", 3000.0),
    "interest": ("186.2", 186.2),
    "penalty": ("126.5", 126.5),
    "fees": ("150", 150.0),
    "principal_amount": ("20,000", 20000.0),
    "received": ("19,000", 19000.0),
    "start_date": ("2024-03-15", pd.Timestamp("2024-03-15")),
    "term_months": ("24", 24.0),
}
SYNONYMS = [(f.name, s) for f in FIELDS for s in (*f.synonyms, *f.fallback)]


def rate_cell(header: str) -> str:
    """A bare number meaning 18 %/year in the header's period: 0.05 %/day × 360, 1.5 %/month × 12, 18 %/year."""
    if header in DAILY_RATE_HEADERS:
        return "0.05"
    return "1.5" if header in MONTHLY_RATE_HEADERS else "18"


def test_rate_header_units_cover_only_rate_synonyms() -> None:
    rate = next(f for f in FIELDS if f.name == "annual_rate")
    assert set(rate.synonyms) >= DAILY_RATE_HEADERS | MONTHLY_RATE_HEADERS
    assert {name for name, _ in SYNONYMS} == {f.name for f in FIELDS} == set(SAMPLE_CELL) | {"annual_rate"}


@pytest.mark.parametrize(("field", "header"), SYNONYMS, ids=[f"{f}:{s}" for f, s in SYNONYMS])
def test_every_synonym_lands_on_its_field(field: str, header: str) -> None:
    cell, want = (rate_cell(header), 0.18) if field == "annual_rate" else SAMPLE_CELL[field]
    others = [BASE[f] for f in BASE if f != field]
    for spelling in (header, header.upper(), f" {header} "):
        rows = [[spelling, *(h for h, _ in others)], [cell, *(c for _, c in others)]]
        book = read_loans(csv_text(rows).encode("utf-8"))
        assert book.problems == [], (spelling, book.problems)
        assert notes(book, "ignored_columns") == [] and notes(book, "duplicate_columns") == []
        got = loan(book, 2)[field]
        assert got == pytest.approx(want) if isinstance(want, float) else got == want, (spelling, got)
        if field == "monthly_payment":
            assert "monthly_payment" not in derived(book, 2)


@pytest.mark.parametrize(
    ("header", "cell", "field", "want"),
    [
        ("剩余本金（万元）", "1.2", "balance", 12000.0),  # 1.2 万元 = 12,000 元
        ("剩余本金(万元)", "0.5", "balance", 5000.0),
        ("剩余本金（万元）", "5000元", "balance", 5000.0),  # an explicit 元 in the cell wins
        ("剩余本金（元）", "12,000", "balance", 12000.0),
        ("Balance (CNY)", "12000", "balance", 12000.0),
        ("Outstanding Principal", "12000", "balance", 12000.0),
        ("ＢＡＬＡＮＣＥ", "12000", "balance", 12000.0),  # full-width letters
        ("剩余 本金", "12000", "balance", 12000.0),
        ("日利率(%)", "0.05", "annual_rate", 0.05 / 100 * 360),  # 0.05 %/day → 18 %
        ("日利率（%）", "0.05", "annual_rate", 0.18),
        ("日利率", "0.0005", "annual_rate", 0.0005 * 360),  # a fraction per day
        ("月利率", "1.5", "annual_rate", 1.5 / 100 * 12),  # 1.5 %/month → 18 %
        ("月利率(%)", "2", "annual_rate", 0.24),
        ("年化利率(%)", "18", "annual_rate", 0.18),
        ("年化利率(%)", "18%", "annual_rate", 0.18),
        ("APR", "0.18", "annual_rate", 0.18),
        ("逾期罚息金额", "88", "penalty", 88.0),  # contains 罚息
        ("待还本金（元）", "3,000", "balance", 3000.0),
    ],
)
def test_units_and_decorations_in_headers(header: str, cell: str, field: str, want: float) -> None:
    others = [BASE[f] for f in BASE if f != field]
    rows = [[header, *(h for h, _ in others)], [cell, *(c for _, c in others)]]
    book = read_loans(csv_text(rows).encode())
    assert book.problems == []
    assert loan(book, 2)[field] == pytest.approx(want)


def test_title_rows_above_the_header() -> None:
    rows = [
        ["2025年我的借款清单", "", "", ""],
        ["制表日期：2025-01-01", "", "", ""],
        ["平台", "剩余本金", "年化利率", "剩余期数"],
        ["借呗", "12000", "18%", "12"],
        ["花呗", "abc", "18%", "6"],
        ["微粒贷", "5000", "18%", "6"],
    ]
    book = read_loans(csv_text(rows).encode())
    assert notes(book, "header_row") == [{"row": 3}]
    assert book.loans["source_row"].tolist() == [4, 6]
    assert [(p.row, p.column, p.code, p.severity) for p in book.problems] == [(5, "剩余本金", "bad_number", "error")]


@pytest.mark.parametrize(
    "rows",
    [
        [["平台", "剩余本金", "备注1", "备注2"],
         ["借呗", "12000", "月息2分", "逾期45天"],
         ["招商银行", "等额本金", "日息万五", "逾期45天"],  # four cells that contain header words
         ["花呗", "5000", "", ""]],
        [["平台", "剩余本金", "年化利率", "剩余期数", "说明", "说明2"],
         ["借呗", "12000", "18%", "12", "", ""],
         ["招商银行信用卡", "1000", "月息2分", "逾期45天", "等额本金", "手续费分期"],
         ["花呗", "5000", "18%", "6", "", ""]],
    ],
    ids=["no rate column", "remarks"],
)
def test_values_that_contain_header_words_do_not_make_a_data_row_the_header(rows: list[list[str]]) -> None:
    book = read_loans(csv_text(rows).encode())
    assert notes(book, "header_row") == []  # row 1 stays the header
    assert sorted(book.loans["source_row"].tolist() + [p.row for p in book.errors]) == [2, 3, 4]


def test_total_rows_are_skipped_with_a_note_but_lenders_named_like_totals_are_not() -> None:
    rows = [
        ["lender", "balance", "rate", "remaining months"],
        ["Summit Bank", "1000", "18%", "12"],
        ["Sumitomo credit card", "2000", "18%", "12"],
        ["Totalbank", "3000", "18%", "12"],
        ["Total", "6000", "", ""],
        ["合计：", "6000", "", ""],
        ["", "小计", "6000", ""],
    ]
    book = read_loans(csv_text(rows).encode())
    assert book.problems == []
    assert book.loans["lender"].tolist() == ["Summit Bank", "Sumitomo credit card", "Totalbank"]
    assert notes(book, "summary_row") == [{"row": 5}, {"row": 6}, {"row": 7}]
    assert "6" in Note("summary_row", {"row": 6}).text("en")


def test_unknown_columns_are_ignored_with_a_note() -> None:
    rows = [["序号", "平台", "剩余本金", "联系电话", "年化利率", "剩余期数", "备注"],
            ["1", "借呗", "12000", "95188", "18%", "12", "找客服协商过"]]
    book = read_loans(csv_text(rows).encode())
    assert book.problems == []
    assert notes(book, "ignored_columns") == [{"columns": ("序号", "联系电话", "备注")}]
    assert book.notes[-1].text("zh") == "未使用的列：序号、联系电话、备注"
    assert book.notes[-1].text("en") == "Columns not used: 序号, 联系电话, 备注"
    assert loan(book, 2)[["lender", "balance", "annual_rate", "remaining_months"]].tolist() == ["借呗", 12000.0, 0.18, 12]


def test_duplicate_columns_first_wins_and_an_annual_rate_beats_a_daily_one() -> None:
    rows = [["平台", "剩余本金", "待还本金", "日利率", "年化利率", "剩余期数"],
            ["借呗", "12000", "99999", "0.05%", "24%", "12"]]
    book = read_loans(csv_text(rows).encode())
    assert book.problems == []
    assert loan(book, 2)["balance"] == 12000.0
    assert loan(book, 2)["annual_rate"] == 0.24
    assert notes(book, "duplicate_columns") == [{"columns": ("待还本金", "日利率")}]


def test_no_balance_column() -> None:
    book = read_loans("平台,年化利率,剩余期数\n借呗,18%,12\n".encode())
    assert book.loans.empty
    assert [(p.row, p.code, p.severity) for p in book.problems] == [(1, "no_balance_column", "error")]
    assert book.problems[0].text("en").startswith("No balance column")


def test_amount_borrowed_stands_in_for_a_missing_balance() -> None:
    book = read_loans("平台,借款金额,年化利率,剩余期数\n借呗,12000,18%,12\n".encode())
    assert loan(book, 2)["balance"] == 12000.0 and "balance" in derived(book, 2)


# --------------------------------------------------------------------------- values
def one(cells: dict[str, str], **kw: object) -> pd.Series:
    """Read a one-loan table made of BASE with ``cells`` replacing or adding columns."""
    row = {h: c for h, c in BASE.values()} | cells
    book = read_loans(csv_text([list(row), list(row.values())]).encode(), **kw)
    assert book.problems == [], book.problems
    return loan(book, 2)


@pytest.mark.parametrize(
    ("cell", "want"),
    [
        ("12000", 12000.0),
        ("¥12,000", 12000.0),
        ("￥12,000.00", 12000.0),
        ("12000元", 12000.0),
        ("12,000.50 元", 12000.5),
        ("1.2万", 1.2 * 10000),
        ("1.2w", 12000.0),
        ("１２，０００", 12000.0),  # full-width digits and comma
        ("１．２万", 12000.0),
        ("RMB 8,000", 8000.0),
    ],
)
def test_money_forms(cell: str, want: float) -> None:
    assert one({"剩余本金": cell})["balance"] == want


@pytest.mark.parametrize(
    ("cell", "day_basis", "want"),
    [
        ("18%", 360, 0.18),
        ("年化18%", 360, 0.18),
        ("１８％", 360, 0.18),
        ("18", 360, 0.18),  # a bare number above 1 in a yearly column is a percentage
        ("0.18", 360, 0.18),
        ("日息万五", 360, 5 / 10000 * 360),  # 万五 = 5/10,000 a day × 360 days = 0.18
        ("日息万五", 365, 5 / 10000 * 365),  # = 0.1825 with a 365-day year
        ("0.05%/天", 360, 0.0005 * 360),
        ("0.05%/天", 365, 0.1825),
        ("月息2分", 360, 0.02 * 12),  # 2 分 a month = 2 %/month = 24 %/year
        ("月利率1.5%", 360, 0.015 * 12),  # = 0.18
        ("1.5%/月", 365, 0.18),  # the day basis does not touch monthly rates
        ("0", 360, 0.0),
    ],
)
def test_rate_forms(cell: str, day_basis: int, want: float) -> None:
    assert one({"年化利率": cell}, day_basis=day_basis)["annual_rate"] == pytest.approx(want, abs=1e-12)


@pytest.mark.parametrize(
    ("header", "cell", "want"),
    [
        ("利率", "万五", 5 / 10000 * 360),  # 万五 is a daily idiom: 0.05 %/day
        ("利率", "万分之五", 0.18),
        ("利率", "两分利", 0.02 * 12),  # 分 is a monthly idiom: 2 %/month
        ("利率", "一分五", 0.015 * 12),
        ("利率", "18%", 0.18),
        ("利率", "18", 0.18),
        ("rate", "0.18", 0.18),
        ("费率", "2分", 0.24),
        ("年化利率", "18", 0.18),
        ("年利率", "0.18", 0.18),
    ],
)
def test_a_rate_header_without_a_period_leaves_the_idiom_its_own(header: str, cell: str, want: float) -> None:
    row = {"平台": "借呗", "剩余本金": "12000", header: cell, "剩余期数": "12"}
    book = read_loans(csv_text([list(row), list(row.values())]).encode())
    assert book.problems == [] and loan(book, 2)["annual_rate"] == pytest.approx(want, abs=1e-12)


@pytest.mark.parametrize(
    ("cell", "want"),
    [
        ("等额本息", "annuity"), ("等额本金", "equal_principal"), ("先息后本", "interest_only"),
        ("一次性还本付息", "bullet"), ("等本等息", "flat_fee"), ("账单分期", "flat_fee"),
        ("按月付息到期还本", "interest_only"), ("等额本息（按月）", "annuity"),
        ("annuity", "annuity"), ("Equal Principal", "equal_principal"), ("interest only", "interest_only"),
        ("bullet", "bullet"), ("flat fee", "flat_fee"), ("EMI", "annuity"),
    ],
)
def test_method_forms(cell: str, want: str) -> None:
    got = one({"还款方式": cell})
    assert got["method"] == want and "method" not in str(got["derived"]).split(",")


@pytest.mark.parametrize(
    ("column", "cell", "field", "want"),
    [
        ("剩余期数", "剩余12期", "remaining_months", 12),
        ("剩余期数", "1年", "remaining_months", 12),
        ("剩余期数", "１２", "remaining_months", 12),
        ("逾期天数", "逾期30天", "overdue_days", 30),
        ("逾期天数", "未逾期", "overdue_days", 0),
        ("逾期天数", "M2", "overdue_days", 60),
        ("借款日期", "2024年3月15日", "start_date", pd.Timestamp("2024-03-15")),
        ("借款日期", "2024/3/15", "start_date", pd.Timestamp("2024-03-15")),
        ("类型", "消费金融", "kind", "consumer_finance"),
        ("类型", "credit card", "kind", "credit_card"),
        ("类型", "民间借贷", "kind", "private"),
    ],
)
def test_other_value_forms(column: str, cell: str, field: str, want: object) -> None:
    assert one({column: cell})[field] == want


def test_lender_spelling_is_kept_with_whitespace_collapsed() -> None:
    assert one({"平台": "  招商银行\n信用卡 "})["lender"] == "招商银行 信用卡"


# --------------------------------------------------------------------------- bad rows
BAD_ROWS = [
    ["平台", "剩余本金", "年化利率", "剩余期数", "每期应还", "逾期天数", "还款方式"],
    ["借呗", "12000", "18%", "12", "", "0", "等额本息"],  # 2: good
    ["花呗", "abc", "18%", "12", "", "", ""],  # 3: balance unreadable → dropped
    ["微粒贷", "8000", "很高", "12", "", "", ""],  # 4: rate unreadable, nothing to derive it from
    ["金条", "5000", "18%", "12", "", "abc", ""],  # 5: days unreadable → kept without them
    ["分期乐", "6000", "18%", "", "", "", ""],  # 6: no months, no payment → 12 months assumed, kept
    ["安逸花", "", "18%", "12", "", "", ""],  # 7: no balance
    ["", "", "", "", "", "", ""],  # 8: blank
    ["度小满", "0", "18%", "12", "", "", ""],  # 9: nothing owed
    ["有钱花", "7000", "日息5%", "12", "", "", ""],  # 10: 5 %/day × 360 = 1800 %/year
    ["省呗", "-100", "18%", "12", "", "", ""],  # 11: negative
    ["拍拍贷", "9000", "18%", "12", "", "", "随便还"],  # 12: unknown method → default kept
    ["小赢", "10000", "很高", "12", "900", "", ""],  # 13: rate unreadable but derived from the payment
    ["宜人", "3000", "24%", "6", "", "", ""],  # 14: good
]
# (row, column, code, severity, zh, en)
BAD_EXPECTED = [
    (3, "剩余本金", "bad_number", "error", "无法识别的金额：“abc”", "Not an amount: “abc”"),
    (4, "年化利率", "bad_rate", "error", "无法识别的利率：“很高”", "Not a rate: “很高”"),
    (5, "逾期天数", "bad_integer", "warning", "无法识别的整数：“abc”", "Not a whole number: “abc”"),
    (7, "剩余本金", "missing_balance", "error", "缺少剩余本金", "Balance is missing"),
    (9, "平台", "repaid", "error", "“度小满”已无欠款，未计入", "“度小满” owes nothing; not counted"),
    (10, "年化利率", "rate_out_of_range", "error", "利率“日息5%”折合年化 1800.00%，超出合理范围（0–1000%）",
     "Rate “日息5%” is 1800.00% a year, outside 0–1000 %"),
    (11, "剩余本金", "negative", "error", "不能为负数：“-100”", "Must not be negative: “-100”"),
    (12, "还款方式", "bad_method", "warning", "无法识别的还款方式：“随便还”", "Unknown repayment method: “随便还”"),
    (13, "年化利率", "bad_rate", "warning", "无法识别的利率：“很高”", "Not a rate: “很高”"),
]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_bad_rows_become_named_problems_and_good_rows_stay(lang: str) -> None:
    book = read_loans(csv_text(BAD_ROWS).encode("gbk"), "loans.csv")
    assert book.loans["source_row"].tolist() == [2, 5, 6, 12, 13, 14]
    assert book.loans["lender"].tolist() == ["借呗", "金条", "分期乐", "拍拍贷", "小赢", "宜人"]
    got = sorted((p.row, p.column, p.code, p.severity) for p in book.problems)
    assert got == [e[:4] for e in BAD_EXPECTED]
    text = {e[0]: e[4 if lang == "zh" else 5] for e in BAD_EXPECTED}
    for p in book.problems:
        assert p.text(lang).startswith(text[p.row]), (p.text(lang), text[p.row])
    assert {p.row for p in book.errors} == {3, 4, 7, 9, 10, 11}
    assert book.skipped_rows == [3, 4, 7, 9, 10, 11]
    # a loan with no term is kept with 12 months assumed (an online loan), to be checked
    assert loan(book, 6)["remaining_months"] == 12 and loan(book, 6)["assumed"] == "remaining_months"
    assert loan(book, 6)["monthly_payment"] == pmt(6000, 0.18, 12)
    # rows with a warning are loans, and the ignored values were replaced sensibly
    assert loan(book, 5)["overdue_days"] == 0
    assert loan(book, 12)["method"] == "annuity" and "method" in derived(book, 12)
    assert loan(book, 13)["annual_rate"] == pytest.approx(float(npf.rate(12, -900, 10000, 0)) * 12, abs=1e-6)
    assert "annual_rate" in derived(book, 13)
    # the good rows are untouched by the bad ones
    assert loan(book, 14)["monthly_payment"] == pmt(3000, 0.24, 6)


def test_messages_are_made_in_the_language_asked_for_english_headers() -> None:
    rows = [["Lender", "Balance", "Annual rate", "Remaining months"], ["Jiebei", "lots", "18%", "12"]]
    (p,) = read_loans(csv_text(rows).encode()).problems
    assert (p.row, p.column, p.code, p.params) == (2, "Balance", "bad_number", {"value": "lots"})
    assert p.text("en") == "Not an amount: “lots”" and p.text("zh") == "无法识别的金额：“lots”"


def test_rows_without_a_lender_keep_a_blank_lender_named_by_their_row_when_shown() -> None:
    rows = [["平台", "剩余本金", "年化利率", "剩余期数"], ["", "1000", "18%", "12"]]
    loans = read_loans(csv_text(rows).encode()).loans
    assert loans["lender"].tolist() == [""] and loans["source_row"].tolist() == [2]
    assert named(loans, "zh")["lender"].tolist() == ["第2行借款"]
    assert named(loans, "en")["lender"].tolist() == ["Loan in row 2"]


@pytest.mark.parametrize(
    ("column", "cell"),
    [("剩余期数", "100000000000000000000"), ("剩余期数", "601"), ("逾期天数", "100000000000000000000"),
     ("总期数", "99999999")],
)
def test_absurd_counts_are_problems_not_crashes(column: str, cell: str) -> None:
    row = {h: c for h, c in BASE.values()} | {column: cell}
    book = read_loans(csv_text([list(row), list(row.values())]).encode())
    (p,) = book.problems
    assert (p.row, p.column, p.code) == (2, column, "bad_integer")
    assert p.severity == ("error" if column == "剩余期数" else "warning")
    if column == "逾期天数":
        assert loan(book, 2)["overdue_days"] == 0


# --------------------------------------------------------------------------- derivations
def test_monthly_payment_from_balance_rate_and_months() -> None:
    got = one({"剩余本金": "18,000", "年化利率": "日息万五", "剩余期数": "10"})
    assert got["monthly_payment"] == pmt(18000, 0.0005 * 360, 10)
    assert "monthly_payment" in str(got["derived"]).split(",")


@pytest.mark.parametrize(
    ("method", "want"),
    [
        ("等额本息", pmt(12000, 0.12, 12)),
        ("等额本金", 12000 / 12 + 12000 * 0.01),  # principal share + a month's interest on the balance
        ("先息后本", 12000 * 0.01),  # interest only
        ("一次性还本付息", 0.0),  # nothing is due before maturity
        ("等本等息", 12000 / 12 + 12000 * 0.01),  # flat fee on the principal
    ],
)
def test_monthly_payment_by_method(method: str, want: float) -> None:
    got = one({"剩余本金": "12000", "年化利率": "12%", "剩余期数": "12", "还款方式": method})
    assert got["monthly_payment"] == pytest.approx(want, abs=0.005)


def test_flat_fee_is_charged_on_the_original_principal() -> None:
    got = one({"剩余本金": "8000", "年化利率": "月费率1.5%", "剩余期数": "8", "还款方式": "等本等息",
               "借款金额": "12000"})
    assert got["monthly_payment"] == pytest.approx(8000 / 8 + 12000 * 0.015)  # 1000 + 180


def test_rate_from_payment() -> None:
    rows = [["平台", "剩余本金", "剩余期数", "月供"], ["借呗", "10,000", "12", "950"], ["花呗", "24000", "24", "1200"]]
    book = read_loans(csv_text(rows).encode())
    assert book.problems == []
    for row, (bal, n, pay) in {2: (10000, 12, 950), 3: (24000, 24, 1200)}.items():
        want = float(npf.rate(n, -pay, bal, 0)) * 12
        assert loan(book, row)["annual_rate"] == pytest.approx(want, abs=1e-6)
        assert loan(book, row)["monthly_payment"] == pay
        assert {"annual_rate"} <= derived(book, row) and "monthly_payment" not in derived(book, row)
    # and back: 24 payments of 1200 at that rate are worth the 24,000 borrowed
    r = loan(book, 3)["annual_rate"] / 12
    assert 1200 * (1 - (1 + r) ** -24) / r == pytest.approx(24000, abs=0.5)


def test_zero_rate_from_a_payment_that_only_repays_principal() -> None:
    rows = [["平台", "剩余本金", "剩余期数", "月供"], ["亲戚", "12000", "12", "1000"]]
    assert read_loans(csv_text(rows).encode()).loans["annual_rate"].tolist() == [pytest.approx(0.0, abs=1e-9)]


@pytest.mark.parametrize(("bal", "rate", "pay"), [(10000, 0.18, 1000), (50000, 0.24, 2500), (3000, 0.0, 700)])
def test_remaining_months_from_payment(bal: float, rate: float, pay: float) -> None:
    rows = [["平台", "剩余本金", "年化利率", "每期应还"], ["借呗", str(bal), f"{rate:.0%}", str(pay)]]
    book = read_loans(csv_text(rows).encode())
    nper = float(npf.nper(rate / 12, -pay, bal)) if rate else bal / pay
    assert loan(book, 2)["remaining_months"] == math.ceil(nper)  # the last, smaller instalment counts
    assert "remaining_months" in derived(book, 2)


def test_payment_that_does_not_cover_interest_cannot_give_months() -> None:
    rows = [["平台", "剩余本金", "年化利率", "每期应还"], ["借呗", "10000", "24%", "200"]]  # interest is 200/month
    book = read_loans(csv_text(rows).encode())
    # the months cannot come from the payment: the loan is kept with 12 months assumed, the payment as stated
    assert book.problems == []
    assert loan(book, 2)[["remaining_months", "monthly_payment", "assumed"]].tolist() == [12, 200.0, "remaining_months"]
    assert "remaining_months" not in derived(book, 2)


def test_overdue_amount_estimated_from_days() -> None:
    rows = [
        ["平台", "剩余本金", "年化利率", "剩余期数", "每期应还", "逾期天数", "逾期金额"],
        ["借呗", "10000", "18%", "12", "1000", "45", ""],  # 45 days = 2 instalments past due
        ["花呗", "500", "18%", "3", "1000", "90", ""],  # 3 × 1000 > what is owed, so capped at 500
        ["金条", "10000", "18%", "12", "1000", "45", "1500"],  # stated: kept
        ["白条", "10000", "18%", "12", "1000", "0", ""],
    ]
    book = read_loans(csv_text(rows).encode())
    assert book.loans["overdue_amount"].tolist() == [2 * 1000.0, 500.0, 1500.0, 0.0]
    assert "overdue_amount" in derived(book, 2) and "overdue_amount" in derived(book, 3)
    assert "overdue_amount" not in derived(book, 4) | derived(book, 5)


@pytest.mark.parametrize(
    ("lender", "kind"),
    [("蚂蚁借呗", "online"), ("招联金融", "consumer_finance"), ("招商银行信用卡", "credit_card"),
     ("工商银行", "bank"), ("张三", "private"), ("某某贷", "online")],
)
def test_kind_guessed_from_the_lender_name(lender: str, kind: str) -> None:
    got = one({"平台": lender})
    assert got["kind"] == kind and "kind" in str(got["derived"]).split(",")


def test_stated_kind_is_not_guessed_and_credit_cards_default_to_flat_fee() -> None:
    rows = [["平台", "类型", "剩余本金", "年化利率", "剩余期数"],
            ["张三", "网贷", "1000", "18%", "10"],
            ["我的卡", "信用卡", "1000", "18%", "10"],
            ["招商银行信用卡", "", "1000", "18%", "10"]]
    book = read_loans(csv_text(rows).encode())
    assert book.loans["kind"].tolist() == ["online", "credit_card", "credit_card"]
    assert "kind" not in derived(book, 2) and "kind" in derived(book, 4)
    # a card with no method is a bill instalment whether its kind is stated or guessed
    assert book.loans["method"].tolist() == ["annuity", "flat_fee", "flat_fee"]
    assert loan(book, 3)["monthly_payment"] == 1000 / 10 + 1000 * 0.18 / 12


# --------------------------------------------------------------------------- Excel
def test_xlsx_built_with_openpyxl() -> None:
    wb = openpyxl.Workbook()
    info = wb.active
    info.title = "说明"
    info["A1"] = "这是我的借款汇总，第二张表是明细"
    ws = wb.create_sheet("借款明细")
    ws["A1"] = "2025年借款明细"
    ws.merge_cells("A1:G1")
    ws.append(["平台", "剩余本金", "年化利率", "剩余期数", "借款日期", "逾期天数", "还款方式"])
    ws.append(["招联金融", 30000, 0.216, 24, datetime(2025, 11, 5), 62, "等额本息"])
    ws["C3"].number_format = "0.00%"  # shows 21.60%, holds 0.216
    ws.append(["借呗", 18000.5, "日息万五", "10期", date(2026, 9, 10), None, None])
    ws["E4"].number_format = "yyyy-mm-dd"
    ws.append(["花呗", "abc", 0.18, 6, None, None, None])
    ws.append(["合计", 48000.5, None, None, None, None, None])
    buf = io.BytesIO()
    wb.save(buf)
    book = read_loans(buf.getvalue(), "借款.xlsx")

    assert notes(book, "sheet_used") == [{"sheet": "借款明细"}]
    assert notes(book, "header_row") == [{"row": 2}]
    assert notes(book, "summary_row") == [{"row": 6}]
    assert [(p.row, p.column, p.code) for p in book.problems] == [(5, "剩余本金", "bad_number")]
    a, b = loan(book, 3), loan(book, 4)
    assert (a["balance"], a["annual_rate"], a["remaining_months"], a["overdue_days"]) == (30000.0, 0.216, 24, 62)
    assert a["start_date"] == pd.Timestamp("2025-11-05")
    assert a["monthly_payment"] == pmt(30000, 0.216, 24)
    assert (b["balance"], b["annual_rate"], b["remaining_months"]) == (18000.5, pytest.approx(0.18), 10)
    assert b["start_date"] == pd.Timestamp("2026-09-10")
    assert b["monthly_payment"] == pmt(18000.5, 0.18, 10)


def test_xlsx_written_by_pandas_with_english_headers() -> None:
    frame = pd.DataFrame({"Lender": ["Ant Jiebei", "CMB credit card"], "Outstanding principal": [18000, 20000],
                          "APR": ["18%", "0.75%/month"], "Remaining months": [10, 20], "Method": ["annuity", "flat fee"]})
    buf = io.BytesIO()
    frame.to_excel(buf, index=False)
    book = read_loans(buf.getvalue())
    assert book.problems == [] and notes(book, "sheet_used") == []
    assert book.loans["annual_rate"].tolist() == [0.18, pytest.approx(0.0075 * 12)]
    assert book.loans["monthly_payment"].tolist() == [pmt(18000, 0.18, 10), 20000 / 20 + 20000 * 0.0075]


# A minimal Excel 97–2003 (.xls) writer: BIFF8 records in an OLE2 compound file, enough for
# xlrd. Strings are LABEL records (UTF-16), numbers NUMBER records with the General format.
def _rec(kind: int, data: bytes = b"") -> bytes:
    return struct.pack("<HH", kind, len(data)) + data


def _biff8(sheets: list[tuple[str, list[list[object]]]]) -> bytes:
    def bof(kind: int) -> bytes:
        return _rec(0x0809, struct.pack("<HHHHII", 0x0600, kind, 0, 0, 0, 6))

    subs = []
    for _, rows in sheets:
        body = bof(0x10)
        for r, row in enumerate(rows):
            for c, cell in enumerate(row):
                if isinstance(cell, str):
                    body += _rec(0x0204, struct.pack("<HHHHB", r, c, 0, len(cell), 1) + cell.encode("utf-16-le"))
                elif cell is not None:
                    body += _rec(0x0203, struct.pack("<HHHd", r, c, 0, float(cell)))
        subs.append(body + _rec(0x000A))

    def workbook_globals(offsets: list[int]) -> bytes:
        out = bof(0x05) + _rec(0x0042, struct.pack("<H", 1200))  # code page: UTF-16
        for (name, _), off in zip(sheets, offsets, strict=True):
            out += _rec(0x0085, struct.pack("<IBBBB", off, 0, 0, len(name), 1) + name.encode("utf-16-le"))
        return out + _rec(0x000A)

    offsets, pos = [], len(workbook_globals([0] * len(sheets)))
    for s in subs:
        offsets.append(pos)
        pos += len(s)
    return workbook_globals(offsets) + b"".join(subs)


def _ole2(stream: bytes) -> bytes:
    """One 'Workbook' stream in a compound file: header, one FAT sector, the stream, the directory."""
    stream += b"\0" * (max(4096, -(-len(stream) // 512) * 512) - len(stream))  # ≥ 4096: no mini stream
    k = len(stream) // 512
    fat = [-3, *range(2, k + 1), -2, -2]  # FAT sector, stream chain 1..k, directory sector
    fat += [-1] * (128 - len(fat))

    def entry(name: str, etype: int, child: int, sid: int, size: int) -> bytes:
        raw = (name + "\0").encode("utf-16-le") if name else b""
        return (raw.ljust(64, b"\0") + struct.pack("<HBBiii", len(raw), etype, 1, -1, -1, child) + b"\0" * 36
                + struct.pack("<iiI", sid, size, 0))

    directory = entry("Root Entry", 5, 1, -2, 0) + entry("Workbook", 2, -1, 1, len(stream)) + entry("", 0, -1, -1, 0) * 2
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16 + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
              + b"\0" * 6 + struct.pack("<9i", 0, 1, k + 1, 0, 4096, -2, 0, -2, 0) + struct.pack("<109i", 0, *[-1] * 108))
    return header + struct.pack("<128i", *fat) + stream + directory


def test_xls_old_excel() -> None:
    data = _ole2(_biff8([
        ("封面", [["招商银行信用卡对账单"]]),
        ("借款", [
            ["我的借款", None, None, None, None],
            ["平台", "剩余本金", "年化利率", "剩余期数", "借款日期"],
            ["䶮金融", 12000, 0.18, 12, 45366],  # an Excel serial day: 1899-12-30 + 45366 days
            ["借呗", "1.2万", "日息万五", "12期", "2024-03-15"],
            ["花呗", "abc", "18%", 6, None],
        ]),
    ]))
    book = read_loans(data, "借款.xls")
    assert notes(book, "sheet_used") == [{"sheet": "借款"}] and notes(book, "header_row") == [{"row": 2}]
    assert [(p.row, p.column, p.code) for p in book.problems] == [(5, "剩余本金", "bad_number")]
    assert book.loans["lender"].tolist() == ["䶮金融", "借呗"]
    assert book.loans["balance"].tolist() == [12000.0, 12000.0]
    assert book.loans["annual_rate"].tolist() == [0.18, 0.18]
    assert book.loans["monthly_payment"].tolist() == [pmt(12000, 0.18, 12)] * 2
    serial_day = pd.Timestamp("1899-12-30") + pd.Timedelta(days=45366)
    assert book.loans["start_date"].tolist() == [serial_day, pd.Timestamp("2024-03-15")] == [serial_day] * 2


# --------------------------------------------------------------------------- not a table
def _zip(names: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, content in names.items():
            z.writestr(name, content)
    return buf.getvalue()


def _random_bytes(n: int) -> bytes:
    return b"\x00" + random.Random(7).randbytes(n)


NOT_TABLES = {
    "empty": (b"", "empty"),
    "whitespace": (b"  \r\n\t \n\n   ", "empty"),
    "png": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + _random_bytes(200), "not_table_image"),
    "jpeg": (b"\xff\xd8\xff\xe0\x00\x10JFIF" + _random_bytes(200), "not_table_image"),
    "pdf": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "not_table_pdf"),
    "random binary": (_random_bytes(4000), "not_table_unknown_binary"),
    "chinese prose": ("今天去银行问了一下，客服说可以协商。\n明天再打电话。\n".encode("gbk"), "no_columns"),
    "english prose": (b"Lorem ipsum dolor sit amet, consectetur adipiscing elit.\nSed do eiusmod tempor.\n",
                      "no_columns"),
    "one known header only": ("平台\n借呗\n".encode(), "no_columns"),
    "zip that is not xlsx": (_zip({"readme.txt": b"hello", "data.csv": "平台,剩余本金\n".encode()}), "not_table_zip"),
    "corrupt xlsx (PK + garbage)": (b"PK\x03\x04" + _random_bytes(500), "not_table_unknown_binary"),
    "xlsx with garbage parts": (_zip({"[Content_Types].xml": b"<oops", "xl/workbook.xml": b"garbage"}), "bad_excel"),
    "corrupt xls": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + _random_bytes(1000), "bad_excel"),
}


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("case", list(NOT_TABLES))
def test_not_a_table(case: str, lang: str) -> None:
    data, code = NOT_TABLES[case]
    p = assert_not_a_table(read_loans(data, "upload"), code)
    assert p.text(lang) != p.text("zh" if lang == "en" else "en")  # both languages, made when shown


def test_too_big_and_too_many_rows() -> None:
    data = csv_text([["平台", "剩余本金", "年化利率", "剩余期数"]] + [["借呗", "100", "18%", "12"]] * 5).encode()
    p = assert_not_a_table(read_loans(data, max_bytes=len(data) - 1), "too_big")
    assert "MB" in p.text("en")
    big = read_loans(b"a" * (5 * 1024 * 1024 + 1), "huge.csv")  # the default limit is 5 MB
    assert assert_not_a_table(big, "too_big").text("en") == "The file is 5.0 MB, above the 5 MB limit"
    p = assert_not_a_table(read_loans(data, max_rows=4), "too_many_rows")
    assert p.params == {"rows": 5, "limit": 4}
    assert len(read_loans(data, max_rows=5).loans) == 5


def test_missing_file_is_a_problem(tmp_path: Path) -> None:
    p = assert_not_a_table(read_loans(tmp_path / "nope.csv"), "unreadable")
    assert p.text("en").startswith("The file cannot be read")


# --------------------------------------------------------------------------- source types
def test_every_source_type_reads_the_same(tmp_path: Path) -> None:
    text = csv_text(ZH_ROWS)
    path = tmp_path / "借款.csv"
    path.write_bytes(text.encode("gb18030"))
    books = {
        "str path": read_loans(str(path)),
        "Path": read_loans(path),
        "bytes": read_loans(text.encode("gb18030")),
        "bytearray": read_loans(bytearray(text.encode("utf-8"))),
        "BytesIO": read_loans(io.BytesIO(text.encode("utf-8-sig"))),
        "StringIO": read_loans(io.StringIO(text)),
    }
    with path.open("rb") as fb:
        books["binary file"] = read_loans(fb)
    with path.open("r", encoding="gb18030", newline="") as ft:
        books["text file"] = read_loans(ft)
    for name, book in books.items():
        assert book.problems == [], name
        assert as_tuples(book) == expected_zh_rows(ZH_ROWS), name
    assert books["str path"].source == books["Path"].source == "借款.csv"
    assert books["binary file"].source.endswith("借款.csv")
    assert read_loans(text.encode(), "mine.csv").source == "mine.csv"


# --------------------------------------------------------------------------- read_frame (the editor)
EDITOR_LOANS = [
    {"lender": "借呗", "kind": "online", "balance": 18000, "annual_rate": 0.18, "remaining_months": 10},
    {"lender": "招联金融", "kind": "consumer_finance", "balance": 30000, "annual_rate": 0.216,
     "remaining_months": 24, "overdue_days": 62, "overdue_amount": 4200, "interest": 542.8, "penalty": 380,
     "fees": 150, "start_date": "2025-11-05", "principal_amount": 42000, "received": 42000, "term_months": 36},
    {"lender": "招商银行信用卡", "kind": "credit_card", "balance": 20000, "annual_rate": 0.09,
     "remaining_months": 20, "method": "flat_fee", "principal_amount": 24000},
    {"lender": "王某", "kind": "private", "balance": 20000, "annual_rate": 0.24, "remaining_months": 6,
     "method": "interest_only", "monthly_payment": 400},
    {"lender": "某银行", "kind": "bank", "balance": 50000, "annual_rate": 0.0435, "remaining_months": 36,
     "method": "equal_principal"},
    {"lender": "亲戚", "kind": "other", "balance": 5000, "annual_rate": 0.0, "remaining_months": 1, "method": "bullet"},
]
COMPARED = ["lender", "kind", "balance", "annual_rate", "method", "remaining_months", "monthly_payment",
            "overdue_days", "overdue_amount", "interest", "penalty", "fees", "principal_amount", "received",
            "start_date", "term_months"]


@pytest.mark.parametrize("blank_derived", [True, False])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_read_frame_round_trips_the_editor(lang: str, blank_derived: bool) -> None:
    loans = make_loans(EDITOR_LOANS)
    frame = editor_frame(loans, lang, blank_derived=blank_derived)
    book = read_frame(frame, first_row=1)
    assert book.problems == []
    pd.testing.assert_frame_equal(book.loans[COMPARED], loans[COMPARED])
    assert book.loans["source_row"].tolist() == list(range(1, len(EDITOR_LOANS) + 1))
    # the flat-fee instalment: 20,000/20 + 24,000 × 0.75 %
    assert book.loans.loc[2, "monthly_payment"] == 20000 / 20 + 24000 * 0.09 / 12


def test_read_frame_reports_editor_rows_and_accepts_typed_idioms() -> None:
    frame = pd.DataFrame({"平台": ["借呗", "花呗", None], "剩余本金": ["1.2万", "很多", None],
                          "年化利率(%)": ["日息万五", "18", None], "剩余期数": ["12期", 6, None]})
    book = read_frame(frame, first_row=1)
    assert loan(book, 1)[["balance", "annual_rate", "remaining_months"]].tolist() == [12000.0, 0.18, 12]
    assert [(p.row, p.column, p.code) for p in book.problems] == [(2, "剩余本金", "bad_number")]
    assert read_frame(pd.DataFrame({"x": [1]})).loans.empty


# --------------------------------------------------------------------------- bundled samples
def test_bundled_sample_and_english_example_read_cleanly_and_agree() -> None:
    zh = read_loans(ROOT / "data" / "sample_loans.csv")
    en = read_loans(ROOT / "data" / "example_loans_en.csv")  # the same loans, English headers and values
    for book in (zh, en):
        assert book.problems == [] and len(book.loans) == 8
        assert notes(book, "ignored_columns") == [] and notes(book, "duplicate_columns") == []
        assert book.loans["source_row"].tolist() == list(range(2, 10))
        assert (book.loans["overdue_days"] > 0).any()
        assert {"online", "consumer_finance", "credit_card", "private"} <= set(book.loans["kind"])
    same = [c for c in COMPARED if c != "lender"]
    pd.testing.assert_frame_equal(zh.loans[same], en.loans[same])
    # spot checks worked by hand: 日息万五 = 18 %; 0.045 %/天 × 360 = 16.2 %; 月息2分 = 24 %
    assert zh.loans["annual_rate"].tolist()[:2] == [0.18, pytest.approx(0.00045 * 360)]
    assert zh.loans["balance"].tolist()[4] == 30000.0  # 3万
    assert zh.loans["monthly_payment"].tolist()[0] == pmt(18000, 0.18, 10)


# --------------------------------------------------------------------------- properties
HEADERS = [s for f in FIELDS for s in (*f.synonyms, *f.fallback)]
BALANCE_HEADERS = list(next(f for f in FIELDS if f.name == "balance").synonyms)
OTHER_HEADERS = [s for f in FIELDS if f.name not in ("balance", "principal_amount") for s in f.synonyms]
# Valid cells, GBK-safe (￥, not ¥), none starting like a total row.
VALID_CELLS = [
    "借呗", "微粒贷", "招商银行信用卡", "张三", "Ant Jiebei", "360借条", "朋友借款（王某）",
    "网贷", "消费金融", "信用卡", "银行", "民间借贷", "online", "credit card",
    "12000", "12,000", "￥8,000", "1.2万", "３０００", "5000元", "0", "0.5",
    "18%", "日息万五", "0.05%/天", "月息2分", "月利率1.5%", "24", "0.18", "年化23.4%",
    "等额本息", "等额本金", "先息后本", "一次性还本付息", "等本等息", "annuity", "flat fee",
    "12", "6期", "24个月", "1年", "1,100.16", "逾期45天", "M2", "无", "未逾期",
    "2024-03-15", "2024年3月15日", "-", "--",
    # values that contain header words (日息, 逾期, 本金, 手续费, 银行, interest, principal, fee, EMI)
    "日息万五", "逾期45天", "等额本金", "手续费分期", "招商银行", "interest only", "equal principal", "flat fee",
    "EMI", "银行", "bank", "其他",
]
JUNK = st.text(alphabet="甲乙丙丁戊己庚辛xyzqkQ?!#@ 0123456789.-/", min_size=1, max_size=8)
NUMBER = st.one_of(
    st.integers(-10**25, 10**25).map(str),
    st.floats(allow_nan=False, allow_infinity=False).map(repr),
    st.decimals(0, 10**7, places=2).map(str),
)
ENCODINGS = ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"]


@st.composite
def tables(draw: st.DrawFn) -> tuple[list[list[str]], set[int], set[int]]:
    """(rows, the spreadsheet rows of data, the spreadsheet rows of totals)."""
    width = draw(st.integers(2, 7))
    header = [draw(st.sampled_from(BALANCE_HEADERS)), draw(st.sampled_from(OTHER_HEADERS))]
    header += [draw(st.one_of(st.sampled_from(HEADERS), JUNK)) for _ in range(width - 2)]
    header = draw(st.permutations(header))
    cell = st.one_of(st.sampled_from(VALID_CELLS), JUNK, NUMBER, st.just(""), st.just("  "))
    rows, data, totals = [header], set(), set()
    for _ in range(draw(st.integers(0, 8))):
        kind = draw(st.sampled_from(["data"] * 6 + ["blank", "total"]))
        n = draw(st.integers(width - 2, width + 1))
        if kind == "blank":
            rows.append([""] * n)
            continue
        row = [draw(cell) for _ in range(n)]
        if kind == "total":
            row = [draw(st.sampled_from(["合计", "总计", "Total", "小计："])), *row[1:]]
        if not any(c.strip() for c in row):
            continue
        (totals if kind == "total" else data).add(len(rows) + 1)
        rows.append(row)
    return rows, data, totals


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(table=tables(), encoding=st.sampled_from(ENCODINGS), delimiter=st.sampled_from([",", ";", "\t"]),
       lang=st.sampled_from(["zh", "en"]))
def test_random_tables_every_data_row_is_a_loan_or_an_error(
    table: tuple[list[list[str]], set[int], set[int]], encoding: str, delimiter: str, lang: str
) -> None:
    rows, data_rows, total_rows = table
    book = read_loans(csv_text(rows, delimiter).encode(encoding), "random.csv")
    assert isinstance(book, LoanBook) and list(book.loans.columns) == list(COLUMNS)
    assert all(p.row > 0 for p in book.problems), book.problems  # the file itself was read
    assert notes(book, "header_row") == []  # and its header is row 1
    loan_rows = book.loans["source_row"].tolist()
    error_rows = {p.row for p in book.errors}
    assert len(loan_rows) == len(set(loan_rows))
    for r in data_rows:
        assert (r in loan_rows) != (r in error_rows), (r, rows[r - 1], book.problems)
    assert set(loan_rows) | error_rows <= data_rows
    assert {p.row for p in book.problems} <= data_rows
    assert [n["row"] for n in notes(book, "summary_row")] == sorted(total_rows)
    for r, lender in zip(loan_rows, book.loans["lender"], strict=True):  # decoded as written
        cells = {" ".join(c.split()) for c in rows[r - 1]}
        assert lender in cells or lender == "", (lender, rows[r - 1])  # unnamed: blank, in any language
    assert all("{" not in p.text(lang) for p in book.problems)
    assert book.loans[[c for c in NUMERIC if c not in OPTIONAL]].notna().all().all()
    assert (book.loans[["balance", "annual_rate", "monthly_payment", "overdue_days"]] >= 0).all().all()


MAGIC = [b"", b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"\xef\xbb\xbf", b"\xff\xfe", b"\x89PNG",
         "平台,剩余本金,年化利率,剩余期数\n".encode()]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(prefix=st.sampled_from(MAGIC), body=st.binary(max_size=3000), lang=st.sampled_from(["zh", "en"]))
def test_arbitrary_bytes_never_raise(prefix: bytes, body: bytes, lang: str) -> None:
    book = read_loans(prefix + body)
    assert isinstance(book, LoanBook) and list(book.loans.columns) == list(COLUMNS)
    for p in book.problems:
        assert isinstance(p.row, int) and p.severity in ("error", "warning") and p.text(lang)
    if any(p.row == 0 for p in book.problems):
        assert book.loans.empty and len(book.problems) == 1


def test_percent_formatted_excel_cells_read_as_shown_under_a_percent_header(tmp_path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["平台", "剩余本金", "年化利率(%)", "剩余期数"])
    ws.append(["借呗", 12000, 0.18, 12])  # shown as 18.00% in Excel
    ws["C2"].number_format = "0.00%"
    ws.append(["花呗", 6000, 24, 6])  # a plain number under the (%) header: 24 %
    path = tmp_path / "pct.xlsx"
    wb.save(path)
    loans = read_loans(path).loans
    assert loans["annual_rate"].tolist() == pytest.approx([0.18, 0.24])


def test_a_path_with_a_nul_byte_is_a_problem_not_a_crash() -> None:
    book = read_loans("bad\x00name.csv")
    assert book.loans.empty and book.problems[0].code == "unreadable"


def test_an_html_page_saved_as_xls_is_read_like_a_sheet() -> None:
    # what many bank and platform "Excel" downloads really are: a web page with a table, in GBK
    page = ("<html><head><meta charset='gbk'></head><body>"
            "<table><tr><td>账单导出</td></tr></table>"
            "<table><tr><th>平台</th><th>剩余本金</th><th>年化利率</th><th>剩余期数</th></tr>"
            "<tr><td>招联金融</td><td>12,000.00</td><td>18%</td><td>12</td></tr>"
            "<tr><td>马上消费</td><td>abc</td><td>24%</td><td>6</td></tr></table></body></html>")
    book = read_loans(page.encode("gbk"), "账单.xls")
    assert book.loans["lender"].tolist() == ["招联金融"]
    assert book.loans["balance"].tolist() == [12000.0]
    assert book.loans["monthly_payment"].tolist() == [pytest.approx(pmt(12000, 0.18, 12))]
    assert [(p.row, p.column, p.code) for p in book.problems] == [(3, "剩余本金", "bad_number")]
    assert any(n.code == "html_table" and n.params == {"n": 2, "of": 2} for n in book.notes)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_broken_html_never_raises(junk: str) -> None:
    book = read_loans(f"<html><table><tr><td>{junk}</td></tr>{junk}</table>".encode("utf-8", "surrogatepass"),
                      "x.xls")
    # never an exception: a page without a loan table is one translated file-level problem
    if book.loans.empty:
        assert book.problems and all(p.text("en") != f"problem.{p.code}" for p in book.problems)


# --------------------------------------------------------------------------- no debt dropped (issue 9)
BANK_HEADER = ["平台", "剩余本金", "年化利率", "剩余期数", "每期应还", "还款方式", "逾期天数", "逾期金额", "类型",
               "总期数", "借款日期", "已还期数", "未还利息", "罚息", "费用"]
BANK_ROWS = [
    ["某某银行 个人负债明细（导出）"],
    ["导出日期：2025-06-30", "单位：元"],
    BANK_HEADER,
    # 4: a card with no term: 10 months assumed; its stated method (先息后本) is kept
    ["某信用卡", "20000", "0.05%/天", "", "", "先息后本", "45", "450", "信用卡", "", "", "", "120", "35.5", ""],
    # 5: a private loan with no end date: due on demand, 1 month, 一次性还本付息 assumed
    ["表舅", "8000", "月息1分", "", "", "", "", "", "民间借贷", "", "", "", "", "", ""],
    # 6: a 12-month loan of 2025-01-15: by 2025-06-30, 5 instalments fell due (Feb 15 … Jun 15), 7 left
    ["青松小贷", "12000", "18%", "", "", "", "", "", "网贷", "12", "2025-01-15", "", "", "", "50"],
    # 7: 4 of 12 paid, 8 left
    ["远山消费金融", "6000", "24%", "", "", "等额本金", "", "", "消费金融", "", "", "已还 4/12 期", "", "", ""],
    # 8: nothing missing
    ["北辰银行", "30000", "日息万四", "24", "", "等额本息", "0", "", "银行", "", "", "", "", "", ""],
    ["合计", "76000", "", "", "", "", "", "", "", "", "", "", "120", "35.5", "50"],
]
AS_OF = date(2025, 6, 30)


def bank_book() -> LoanBook:
    return read_loans(csv_text(BANK_ROWS).encode("gbk"), "负债明细.csv", as_of=AS_OF)


def assumed(book: LoanBook, row: int) -> set[str]:
    return set(filter(None, str(loan(book, row)["assumed"]).split(",")))


def test_a_bank_export_in_gbk_keeps_every_debt_with_its_assumptions_stated() -> None:
    from lib.breakdown import totals

    book = bank_book()
    assert book.problems == [] and book.skipped_rows == []
    assert book.loans["source_row"].tolist() == [4, 5, 6, 7, 8]
    assert notes(book, "header_row") == [{"row": 3}] and notes(book, "summary_row") == [{"row": 9}]
    assert notes(book, "duplicate_columns") == [] and notes(book, "ignored_columns") == []  # 已还期数 is used
    # the card: 10 months (the minimum payment), method as written, interest only: 20,000 × 0.05 % × 360 / 12
    card = loan(book, 4)
    assert card[["kind", "remaining_months", "method", "monthly_payment", "overdue_amount"]].tolist() == [
        "credit_card", 10, "interest_only", 300.0, 450.0]
    assert assumed(book, 4) == {"remaining_months"} and "remaining_months" not in derived(book, 4)
    # the private loan: the whole 8,000 and a month's 1 % due next month
    assert loan(book, 5)[["remaining_months", "method", "monthly_payment"]].tolist() == [1, "bullet", 8080.0]
    assert assumed(book, 5) == {"remaining_months", "method"} and "method" not in derived(book, 5)
    # the dated loan and the one with months paid: derived, not assumed
    assert loan(book, 6)["remaining_months"] == 7 and loan(book, 6)["monthly_payment"] == pmt(12000, 0.18, 7)
    assert loan(book, 7)[["remaining_months", "term_months", "monthly_payment"]].tolist() == [
        8, 12.0, 6000 / 8 + 6000 * 0.02]
    for row in (6, 7):
        assert assumed(book, row) == set() and {"remaining_months", "monthly_payment"} <= derived(book, row)
    assert assumed(book, 8) == set() and loan(book, 8)["monthly_payment"] == pmt(30000, 0.0004 * 360, 24)
    # balances 20,000 + 8,000 + 12,000 + 6,000 + 30,000, interest 120, penalty 35.50, fees 50
    assert totals(book.loans).owed == 76000 + 120 + 35.5 + 50


def test_a_term_that_has_run_out_is_due_now() -> None:
    rows = [["平台", "剩余本金", "年化利率", "总期数", "借款日期"], ["青松小贷", "3000", "12%", "6", "2024-01-10"]]
    book = read_loans(csv_text(rows).encode(), as_of=AS_OF)  # 17 months after a 6-month loan began
    assert loan(book, 2)["remaining_months"] == 1 and "remaining_months" in derived(book, 2)
    assert loan(book, 2)["monthly_payment"] == round(3000 * 1.01, 2)  # everything, with a month's interest


def test_a_term_alone_is_assumed_to_be_all_ahead_and_a_plain_loan_twelve_months() -> None:
    rows = [["平台", "剩余本金", "年化利率", "总期数", "类型"],
            ["青松小贷", "3000", "12%", "24", "网贷"], ["远山小贷", "3000", "12%", "", "网贷"]]
    book = read_loans(csv_text(rows).encode(), as_of=AS_OF)
    assert book.loans["remaining_months"].tolist() == [24, 12]
    assert book.loans["assumed"].tolist() == ["remaining_months", "remaining_months"]
    assert book.loans["method"].tolist() == ["annuity", "annuity"]
    assert loan(book, 3)["monthly_payment"] == pmt(3000, 0.12, 12)


def test_a_missing_rate_or_an_unreadable_term_is_still_an_error_never_silent() -> None:
    rows = [["平台", "剩余本金", "年化利率", "剩余期数"],
            ["甲平台", "5000", "", ""],  # no rate, no months: the rate is not assumed
            ["乙平台", "5000", "18%", "很久"]]  # months written but unreadable: not replaced by a guess
    book = read_loans(csv_text(rows).encode())
    assert book.loans.empty
    assert [(p.row, p.column, p.code, p.severity) for p in book.problems] == [
        (2, "年化利率", "missing_annual_rate", "error"), (3, "剩余期数", "bad_integer", "error")]
    assert book.skipped_rows == [2, 3]


def test_months_paid_forms_and_a_paid_count_beyond_the_term() -> None:
    rows = [["平台", "剩余本金", "年化利率", "总期数", "已还期数"],
            ["甲平台", "1200", "0%", "12", "3"], ["乙平台", "1200", "0%", "", "3 of 6"],
            ["丙平台", "1200", "0%", "6", "9"], ["丁平台", "1200", "0%", "", "7/6"]]
    book = read_loans(csv_text(rows).encode(), as_of=AS_OF)
    assert book.loans["remaining_months"].tolist() == [9, 3, 1, 12]  # 12 − 3; 6 − 3; past the term: due now
    assert [(p.row, p.column, p.code, p.severity) for p in book.problems] == [(5, "已还期数", "bad_integer", "warning")]
    assert assumed(book, 5) == {"remaining_months"}  # the unreadable count is ignored, the term assumed


@pytest.mark.parametrize(("lang", "card", "private"), [
    ("zh", "剩余期数按信用卡最低还款（每月还 10% 本金加利息）假设为 10 期，请核对",
     "没有约定还款期限，按随时可要求归还假设为 1 期；还款方式假设为一次性还本付息，请核对"),
    ("en", "Months left assumed to be 10, as a card's minimum payment (10 % of the balance a month plus "
           "interest). Please check",
     "No end date: assumed due on demand, in 1 month; method assumed: bullet. Please check"),
])
def test_the_editor_says_what_was_assumed_and_a_typed_value_is_the_borrowers(lang: str, card: str,
                                                                              private: str) -> None:
    book = bank_book()
    frame = editor_frame(book.loans, lang)
    check = "待核对" if lang == "zh" else "Check"
    months, method = ("剩余期数", "还款方式") if lang == "zh" else ("Remaining months", "Method")
    assert frame[check].tolist() == [card, private, "", "", ""]
    # assumed cells are blank (so assumed again until the borrower types a value); derived months are shown
    assert frame[months].tolist() == ["", "", "7", "8", "24"]
    assert frame[method].tolist()[:2] == ["先息后本" if lang == "zh" else "interest only", ""]
    again = read_frame(frame, first_row=1, as_of=AS_OF)
    assert again.problems == [] and again.notes == []  # the check column is not read, not even noted
    assert again.loans["assumed"].tolist() == book.loans["assumed"].tolist()
    assert again.loans["remaining_months"].tolist() == [10, 1, 7, 8, 24]
    frame.loc[0, months] = "6"
    frame.loc[1, months] = "3"
    typed = read_frame(frame, first_row=1, as_of=AS_OF)
    assert typed.loans["assumed"].tolist() == ["", "", "", "", ""]
    assert typed.loans["remaining_months"].tolist()[:2] == [6, 3]
    assert typed.loans["method"].tolist()[:2] == ["interest_only", "annuity"]  # the stated one; the default
    assert typed.loans.loc[1, "monthly_payment"] == pmt(8000, 0.12, 3)
    assert editor_frame(typed.loans, lang)[check].tolist() == [""] * 5


def test_an_export_keeps_the_assumed_values_and_says_so() -> None:
    book = bank_book()
    out = editor_frame(book.loans, "en", blank_derived=False)
    assert out["Remaining months"].tolist() == ["10", "1", "7", "8", "24"]
    assert out["Check"].tolist()[0].startswith("Months left assumed to be 10")
    back = read_loans(csv_text([list(out.columns), *out.astype(str).values.tolist()]).encode())
    assert notes(back, "ignored_columns") == []  # the check column is the app's own: skipped silently


# --------------------------------------------------------------------------- no UI language in the data
# markers not in data/sample_loans*.csv: 晨星小贷, 4,321, 2,468, 1,357, 17 % / 13 % / 19 %
NEUTRAL_ROWS = [
    ["Lender", "Balance", "Annual rate", "Remaining months", "Days overdue", "Notes"],
    ["", "4321", "17%", "9", "", "x"],  # 2: no lender
    ["晨星小贷", "oops", "13%", "7", "", ""],  # 3: balance unreadable → error
    ["", "2468", "13%", "7", "soon", ""],  # 4: no lender, days unreadable → warning
    ["", "0", "19%", "5", "", ""],  # 5: no lender, nothing owed → error naming the row
    ["晨星小贷", "1357", "", "5", "", ""],  # 6: no rate → error
]


def test_the_same_file_reads_the_same_whatever_the_language_and_is_worded_when_shown() -> None:
    import inspect

    from lib.i18n import t
    from lib.views import problem_view

    assert "lang" not in inspect.signature(read_loans).parameters
    assert "lang" not in inspect.signature(read_frame).parameters
    data = csv_text(NEUTRAL_ROWS).encode()
    first, again = read_loans(data, "mine.csv"), read_loans(data, "mine.csv")
    pd.testing.assert_frame_equal(first.loans, again.loans)
    assert first.problems == again.problems and first.notes == again.notes
    assert first.loans["lender"].tolist() == ["", ""] and first.loans["source_row"].tolist() == [2, 4]
    assert [(p.row, p.column, p.code, p.params, p.severity, p.field) for p in first.problems] == [
        (3, "Balance", "bad_number", {"value": "oops"}, "error", "balance"),
        (4, "Days overdue", "bad_integer", {"value": "soon"}, "warning", "overdue_days"),
        (5, "Lender", "repaid", {"lender": ""}, "error", ""),
        (6, "Annual rate", "missing_annual_rate", {}, "error", "annual_rate"),
    ]
    assert [(n.code, n.params) for n in first.notes] == [("encoding", {"encoding": "UTF-8"}),
                                                         ("ignored_columns", {"columns": ("Notes",)})]
    # worded only when shown, in the language asked for, naming the row and the column
    zh = problem_view(first.problems, "zh").values.tolist()
    en = problem_view(first.problems, "en").values.tolist()
    assert zh[0] == [3, "Balance", "无法识别的金额：“oops”", t("outcome.error", "zh")]
    assert en[0] == [3, "Balance", "Not an amount: “oops”", t("outcome.error", "en")]
    assert zh[2][2] == "“第5行借款”已无欠款，未计入" and en[2][2] == "“Loan in row 5” owes nothing; not counted"
    assert first.problems[3].text("zh").startswith("缺少利率") and first.problems[3].text("en").startswith("Rate is")
    assert [n.text("en") for n in first.notes][1] == "Columns not used: Notes"


def test_a_missing_column_is_named_by_its_field_in_the_language_shown() -> None:
    rows = [["平台", "剩余本金", "剩余期数"], ["晨星小贷", "4321", "9"]]  # no rate column at all
    (p,) = read_loans(csv_text(rows).encode()).problems
    assert (p.row, p.column, p.code, p.field) == (2, "", "missing_annual_rate", "annual_rate")
    assert (p.column_text("zh"), p.column_text("en")) == ("年化利率", "Annual rate")


def test_params_named_field_are_worded_as_the_field(monkeypatch: pytest.MonkeyPatch) -> None:
    from lib.i18n import TEXT

    monkeypatch.setitem(TEXT, "problem.demo_only", ("{what_field}有误：“{value}”", "{what_field} is wrong: “{value}”"))
    p = Problem(7, "B", "demo_only", {"what_field": "balance", "value": "2468"})
    assert (p.text("zh"), p.text("en")) == ("剩余本金有误：“2468”", "Balance is wrong: “2468”")


def test_unnamed_loans_are_named_by_row_or_id_when_shown() -> None:
    loans = make_loans([{"lender": "", "balance": 4321, "annual_rate": 0.17, "remaining_months": 9, "source_row": 6},
                        {"lender": "晨星小贷", "balance": 1357, "annual_rate": 0.19, "remaining_months": 5},
                        {"lender": "", "balance": 2468, "annual_rate": 0.13, "remaining_months": 7}])
    assert lender_names(loans, "en").tolist() == ["Loan in row 6", "晨星小贷", "Unnamed loan L3"]
    assert lender_names(loans, "zh").tolist() == ["第6行借款", "晨星小贷", "未命名借款 L3"]
    shown = named(loans, "en")
    assert shown["lender"].tolist() == ["Loan in row 6", "晨星小贷", "Unnamed loan L3"]
    assert shown.drop(columns="lender").equals(loans.drop(columns="lender")) and loans["lender"][0] == ""
    # a file's row number is the spreadsheet's (header = row 1), also below title rows
    data = csv_text([["晨星小贷的借款明细"], [], ["平台", "剩余本金", "年化利率", "剩余期数"],
                     ["晨星小贷", "1357", "19%", "5"], ["", "4321", "17%", "9"]]).encode()
    assert named(read_loans(data).loans, "en")["lender"].tolist() == ["晨星小贷", "Loan in row 5"]


def test_a_balance_from_the_amount_borrowed_counts_the_instalments_paid() -> None:
    # 借款 20,000 over 12 months at 18.25 % (等额本息), 4 paid: the bank's plan written out by hand
    # (tests/hand.py), less the principal of the 4 instalments paid
    _, pays, interest = bank_annuity(20000, 0.1825, 12)
    left = round(20000 - sum(p - i for p, i in zip(pays[:4], interest[:4], strict=True)), 2)
    rows = [["平台", "借款金额", "年化利率", "借款期限", "已还期数"], ["晨曦分期", "20,000", "18.25%", "12个月", "4/12"],
            ["暮云贷", "9,000", "12%", "6", ""]]  # nothing known to be paid: the amount borrowed is owed
    loans = read_loans(csv_text(rows).encode()).loans
    assert loans["balance"].tolist() == [left, 9000.0] and left == 13731.51
    assert loans.loc[0, "remaining_months"] == 12 - 4 and "balance" in loans.loc[0, "derived"]


def test_a_balance_written_but_unreadable_is_never_replaced_by_the_amount_borrowed() -> None:
    rows = [["平台", "剩余本金", "借款金额", "年化利率", "剩余期数"], ["晨曦分期", "13.731.51", "20,000", "18%", "8"]]
    book = read_loans(csv_text(rows).encode())
    assert book.loans.empty and book.skipped_rows == [2]
    assert [(p.row, p.column, p.code) for p in book.errors] == [(2, "剩余本金", "bad_number")]


@pytest.mark.parametrize(("lang", "cell"), [("zh", "月0.75%"), ("en", "0.75%/month")])
def test_a_flat_fee_is_shown_by_the_month_in_the_editor_and_read_back_the_same(lang: str, cell: str) -> None:
    rows = [["平台", "剩余本金", "月费率", "剩余期数", "还款方式", "借款金额"], ["晨曦分期", "9,500", "0.75%", "6", "等本等息", "15,000"]]
    loans = read_loans(csv_text(rows).encode()).loans
    assert loans.loc[0, "annual_rate"] == pytest.approx(0.0075 * 12)  # the table keeps the fee × 12 …
    shown = editor_frame(loans, lang)
    rate_col = next(c for c in shown.columns if "%" in c)
    assert shown.loc[0, rate_col] == cell  # … the editor shows what the contract says: 0.75 % a month
    again = read_frame(shown, first_row=1).loans
    assert again.loc[0, "annual_rate"] == pytest.approx(0.09) and again.loc[0, "method"] == "flat_fee"
