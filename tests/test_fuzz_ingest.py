"""The loan-file reader against hostile files (tests/fuzz_files.py): a short run over every
family with fixed seeds, the limits the fuzzer found needed, and a property over random cells.
The long run is ``bench/fuzz_ingest.py --files 10000``."""

from __future__ import annotations

import csv
import io
import random
import time

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lib import ingest
from lib.i18n import t
from lib.ingest import MAX_LENDER, MAX_MONEY, read_loans
from lib.scenario import MAX_MONEY as SCENARIO_MAX_MONEY
from lib.scenario import MAX_TEXT, Scenario, source_of
from tests.fuzz_files import FAMILIES, Fuzzed, check, gen_zip_bomb, generate

# ~300 files: every family, the same files on every run
SHORT = [f for seed in (11, 12, 13) for f in generate(100, seed) if f.family not in ("zip_bomb", "limits")]


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_short_fuzz_run_over_every_family(family: str) -> None:
    files = [f for f in SHORT if f.family == family]
    if family == "zip_bomb":  # each takes a while to make (once) and is refused at once: a few
        files = [gen_zip_bomb(random.Random(s)) for s in range(6)]
    if family == "limits":
        files = list(generate(4, 14, ("limits",)))
    assert files
    failures = [(f.seed, bad) for f in files if (bad := check(f)[0])]
    assert not failures, failures


def test_the_limits_agree_with_the_scenario() -> None:
    assert MAX_MONEY == SCENARIO_MAX_MONEY and MAX_LENDER == MAX_TEXT


def _codes(book) -> list[tuple[int, str]]:
    return [(p.row, p.code) for p in book.problems]


def test_a_zip_bomb_is_refused_before_it_is_unpacked() -> None:
    for seed in range(4):
        f = gen_zip_bomb(random.Random(seed))
        assert len(f.data) < 2_000_000
        start = time.perf_counter()
        book = read_loans(f.data, f.name)
        assert time.perf_counter() - start < 2
        (p,) = book.problems
        assert p.row == 0 and p.code in ("unzipped_too_big", "bad_excel"), p  # a lying directory: damaged
        if p.code == "unzipped_too_big":
            assert int(p.params["size"].replace(",", "")) > 150
            assert p.text("en").startswith("This Excel file unpacks to ") and "30 MB limit" in p.text("en")
            assert "解压后有" in p.text("zh") and "30 MB" in p.text("zh")


def test_a_sheet_with_too_many_cells_is_refused() -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["平台", "剩余本金", "年化利率", "剩余期数"])
    ws.cell(1_000_000, 1, "借呗")  # one cell a million rows down: a million empty rows in between
    buf = io.BytesIO()
    wb.save(buf)
    book = read_loans(buf.getvalue(), "借款.xlsx")
    assert _codes(book) == [(0, "too_many_cells")]
    assert book.problems[0].text("en") == ("The table has more than 120,000 cells and cannot be read. "
                                           "Keep only the loans (at most 2000 rows)")
    assert "120,000" in book.problems[0].text("zh")


def _csv(rows: list[list[object]]) -> bytes:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    return buf.getvalue().encode()


def test_amounts_above_what_a_loan_holds_are_named_not_crashing_the_app() -> None:
    data = _csv([["平台", "剩余本金", "年化利率", "剩余期数", "罚息"],
                 ["甲", "1e12", "18%", "12", ""],       # balance too large: not a loan
                 ["乙", "1000", "18%", "12", "2亿亿"],   # (not an amount)
                 ["丙", "1000", "18%", "12", "1e11"],   # penalty too large: kept without it
                 ["丁", "9e9", "1000%", "1", ""]])       # the payment worked out is too large
    book = read_loans(data)
    assert book.loans["lender"].tolist() == ["乙", "丙"]
    assert [(p.row, p.code, p.severity) for p in book.problems] == [
        (2, "too_large", "error"), (3, "bad_number", "warning"), (4, "too_large", "warning"),
        (5, "too_large", "error")]
    assert book.problems[0].text("en") == "The amount “1e12” is above the 10,000,000,000 yuan limit; check the unit"
    Scenario().with_loans(book.loans, source_of(book, "file"))  # before: a ValidationError on the page


def test_a_very_long_lender_name_is_shortened_and_said_so() -> None:
    name = "借" * 10_000
    book = read_loans(_csv([["平台", "剩余本金", "年化利率", "剩余期数"], [name, "1000", "18%", "12"]]))
    assert book.loans["lender"].tolist() == [name[:MAX_LENDER]]
    (p,) = book.problems
    assert (p.row, p.code, p.severity) == (2, "lender_too_long", "warning")
    assert p.text("en") == "The name has 10000 characters; only the first 200 are kept"
    assert p.text("zh") == "名称有 10000 个字，只保留前 200 个"
    Scenario().with_loans(book.loans, source_of(book, "file"))


def test_a_loan_date_the_scenario_would_refuse_is_a_bad_date() -> None:
    book = read_loans(_csv([["平台", "剩余本金", "年化利率", "剩余期数", "借款日期"],
                            ["甲", "1000", "18%", "12", "1920-01-01"], ["乙", "1000", "18%", "12", "2150-01-01"]]))
    assert [(p.row, p.code) for p in book.problems] == [(2, "bad_date"), (3, "bad_date")]
    assert len(book.loans) == 2  # kept without the date
    Scenario().with_loans(book.loans, source_of(book, "file"))


def test_long_cells_cost_little() -> None:
    rows = [["平台", "剩余本金", "年化利率", "剩余期数", "还款方式"]]
    rows += [["x" * 10_000, "1" * 10_000, "%" * 10_000, "期" * 10_000, "等额本息" * 3000] for _ in range(30)]
    start = time.process_time()
    book = read_loans(_csv(rows))
    assert time.process_time() - start < 2
    assert len(book.skipped_rows) == 30


def test_a_damaged_xls_writes_nothing_to_the_log(capsys) -> None:
    read_loans(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 8, "x.xls")
    out = capsys.readouterr()
    assert out.out == "" and out.err == ""


def test_every_new_code_is_worded() -> None:
    for code, params in [("unzipped_too_big", {"size": "400", "limit": "30"}),
                         ("too_many_cells", {"limit": "120,000", "rows": 2000}),
                         ("too_large", {"value": "1e12", "limit": "10,000,000,000"}),
                         ("lender_too_long", {"length": 300, "limit": 200})]:
        zh, en = t(f"problem.{code}", "zh", **params), t(f"problem.{code}", "en", **params)
        assert zh != en and "{" not in zh + en and code not in zh + en


CELL = st.one_of(
    st.text(max_size=40), st.sampled_from(["", "12,000", "18%", "日息万五", "12期", "=1+1", "<b>x</b>", "合计"]),
    st.integers(-10**20, 10**20).map(str), st.floats(allow_nan=True, allow_infinity=True).map(repr),
)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(CELL, min_size=0, max_size=7), min_size=0, max_size=12),
       st.sampled_from(["utf-8", "gb18030", "utf-16"]), st.booleans())
def test_any_cells_under_a_known_header_are_each_a_loan_or_a_named_problem(body, encoding, xlsx) -> None:
    header = ["平台", "剩余本金", "年化利率", "剩余期数", "逾期天数", "借款日期", "备注"]
    rows = [header] + [[c.replace("\x00", "") for c in r] for r in body]
    if xlsx:
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
        wb = openpyxl.Workbook()
        rows = [[ILLEGAL_CHARACTERS_RE.sub("", c) for c in r] for r in rows]
        for r in rows:
            wb.active.append([c or None for c in r])
        buf = io.BytesIO()
        wb.save(buf)
        data, name = buf.getvalue(), "借款.xlsx"
        rows = [["" if c.startswith("=") else c for c in r] for r in rows]  # a formula has no saved value
    else:
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\r\n").writerows(rows)
        data, name = buf.getvalue().encode(encoding, errors="replace"), "借款.csv"
        rows = [[c.encode(encoding, errors="replace").decode(encoding) for c in r] for r in rows]
    if encoding == "utf-16" and not xlsx:
        data = buf.getvalue().encode("utf-16")
    expected = tuple(i + 1 for i in range(1, len(rows)) if any(c.strip() for c in rows[i]))
    bad, *_ = check(Fuzzed("property", name, data, expected))
    assert not bad, bad


def test_the_reader_documents_that_it_never_raises() -> None:
    assert "Never raises for bad content" in (ingest.read_loans.__doc__ or "")
