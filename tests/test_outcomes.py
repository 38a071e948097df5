"""The outcome book (lib.outcomes) by hand: three clients' records of one invented lender, counted
and medianed by hand; lender names matched however they were typed; the rate threshold; records
with no lender skipped and counted; the compare page's column with and without recorded rates.

Lender names not in data/sample_loans.csv: 甲花贷, 乙果分期, 丙木贷.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from lib.i18n import TEXT
from lib.kit.exports import comparison_sheet
from lib.loans import make_loans
from lib.outcomes import (
    AskCount,
    Case,
    GrantRate,
    cases,
    grant_rates,
    lender_book,
    lender_key,
    outcome_text,
)
from lib.scenario import Scenario, loans_from_frame
from lib.tracker import Agreement, Instalment, Refusal, add_months
from lib.views import compare_view

D = dt.date
WI = "waiver+instalments"


def agreement(loan_id: str, lender: str, months: int, *, option: str = WI, asked: str | None = WI,
              waived: float = 0.0) -> Agreement:
    return Agreement(loan_id=loan_id, option=option, asked=asked, lender=lender, waived=waived,
                     agreed_on=D(2031, 1, 5),
                     instalments=tuple(Instalment(due=add_months(D(2031, 2, 10), k), amount=100) for k in range(months)))


def client(lenders: dict[str, str], **records) -> Scenario:
    loans = loans_from_frame(make_loans([{"lender": name, "balance": 1000, "annual_rate": 0.1, "remaining_months": 6,
                                          "loan_id": i} for i, name in lenders.items()]))
    return Scenario(loans=loans, **records)


@pytest.fixture(scope="module")
def three_clients():
    # 甲花贷 is asked waiver+instalments 6 times over three clients: granted as asked 4 times (12, 12, 24, 6
    # months), instalments only once (18 months), refused once. Its name is typed three ways.
    one = client({"A1": "甲花贷", "A2": "乙果分期"}, agreements=(
        agreement("A1", "甲花贷", 12, waived=300),
        agreement("A1", "  甲花贷 ", 12, waived=500),  # a renegotiated agreement for the same loan
        agreement("A2", "乙果分期", 10, option="instalments", asked=None, waived=120)))
    two = client({"B1": "甲花贷"}, agreements=(
        agreement("B1", "", 24, waived=200),  # no name recorded: the loan's
        agreement("B1", "甲花贷", 18, option="instalments")),
        refusals=(Refusal(loan_id="B1", lender="甲 花 贷", asked=WI, on=D(2031, 1, 20)),))
    three = client({"C1": "丙木贷"}, agreements=(
        agreement("C1", "甲花贷", 6, waived=800),
        agreement("C9", "", 6)),  # no name, and no such loan: skipped
        refusals=(Refusal(loan_id="C9", lender=" ", asked="settlement", on=D(2031, 2, 1)),))  # skipped too
    return cases([one, two, three])


def test_cases_take_every_record_and_skip_the_nameless(three_clients):
    c = three_clients
    assert c.skipped == 2
    assert len(c.cases) == 9 - 2  # 7 agreements + 2 refusals, less the two without a lender
    jia = [x for x in c.cases if x.lender_key == "甲花贷"]
    assert len(jia) == 6
    assert sorted((x.granted or "-", x.months or 0) for x in jia) == [
        ("-", 0), ("instalments", 18), (WI, 6), (WI, 12), (WI, 12), (WI, 24)]
    (yi,) = [x for x in c.cases if x.lender_key == "乙果分期"]
    assert (yi.asked, yi.granted, yi.months, yi.waived) == ("instalments", "instalments", 10, 120.0)  # asked = option
    refusal = next(x for x in jia if x.granted is None)
    assert (refusal.months, refusal.waived, refusal.on, refusal.asked) == (None, 0.0, D(2031, 1, 20), WI)


def test_the_lender_book_by_hand(three_clients):
    book = lender_book(three_clients.cases)
    assert [b.lender_key for b in book] == ["甲花贷", "乙果分期"]  # most asked first
    jia, yi = book
    assert (jia.asks, jia.granted_as_asked, jia.granted_other, jia.refused) == (6, 4, 1, 1)
    # months granted: 12, 12, 24, 18, 6 → sorted 6, 12, 12, 18, 24 → the middle one
    assert jia.median_months == 12
    # waived when granted: 300, 500, 200, 0, 800 → sorted 0, 200, 300, 500, 800 → 300
    assert jia.median_waived == 300
    assert jia.waiver_granted == 4  # the four granted as asked; instalments only waived nothing
    assert jia.by_asked == (AskCount(WI, 6, 4, 1, 1),)
    assert jia.lender == "甲花贷"
    # 乙果分期: one ask, instalments without a waiver in its label, but 120 waived → a waiver
    assert (yi.asks, yi.granted_as_asked, yi.waiver_granted, yi.median_months, yi.median_waived) == (
        1, 1, 1, 10, 120)


def test_an_even_number_of_months_has_the_mean_of_the_middle_two():
    day = D(2031, 1, 1)
    (b,) = lender_book([Case("丙木贷", "丙木贷", "extension", "extension", m, 0.0, day) for m in (6, 9, 12, 36)])
    assert b.median_months == (9 + 12) / 2 and b.median_waived == 0
    (none,) = lender_book([Case("丙木贷", "丙木贷", "extension", None, None, 0.0, day)])
    assert (none.median_months, none.median_waived, none.refused) == (None, None, 1)


def test_lender_names_match_however_typed():
    assert lender_key("  甲花贷 ") == lender_key("甲花贷") == lender_key("甲 花\u3000贷") == "甲花贷"
    assert lender_key("ＡＢＣ贷") == lender_key("abc贷")  # full-width letters, and case
    day = D(2031, 1, 1)
    (b,) = lender_book([Case("  甲花贷 ".strip(), lender_key("  甲花贷 "), "waiver", "waiver", 3, 0.0, day),
                        Case("甲花贷", lender_key("甲花贷"), "waiver", None, None, 0.0, day)])
    assert (b.asks, b.refused) == (2, 1)


def test_grant_rates_need_enough_cases(three_clients):
    rates = grant_rates(three_clients.cases)
    assert set(rates) == {WI}  # 乙果分期's one instalments ask is too few
    assert rates[WI] == GrantRate(WI, 4, 6, 4 / 6)
    day = D(2031, 1, 1)
    four = [Case("丙木贷", "丙木贷", "extension", g, None, 0.0, day) for g in ("extension", "extension", None, "waiver")]
    assert grant_rates(four) == {}
    five = [*four, Case("丙木贷", "丙木贷", "extension", "extension", 12, 0.0, day)]
    assert grant_rates(five) == {"extension": GrantRate("extension", 3, 5, 0.6)}
    assert grant_rates(four, min_cases=4)["extension"].share == 0.5


def test_outcome_text_in_both_languages(three_clients):
    jia = lender_book(three_clients.cases)[0]
    assert outcome_text(jia, "zh") == "甲花贷：6 次请求；4 次减免了罚息或利息；同意的期数中位数 12 个月"
    assert outcome_text(jia, "en") == "甲花贷: 6 asks; interest or penalty waived in 4; median term agreed 12 months"
    day = D(2031, 1, 1)
    (refused,) = lender_book([Case("丙木贷", "丙木贷", "waiver", None, None, 0.0, day)])
    assert outcome_text(refused, "en") == "丙木贷: 1 ask; interest or penalty waived in 0"
    (one,) = lender_book([Case("丙木贷", "丙木贷", "extension", "extension", 1, 0.0, day)])
    assert outcome_text(one, "en").endswith("median term agreed 1 month")
    keys = [k for k in TEXT if k.startswith("outcomes.")]
    assert keys and all(zh and en for zh, en in (TEXT[k] for k in keys))


# ---- the compare page's "how often granted" column ------------------------------------------------
TABLE = pd.DataFrame({
    "option": ["baseline", "instalments"], "monthly_payment": [900.0, 300.0],
    "months": pd.array([None, 36], dtype="Int64"), "total_paid": [1.0, 2.0], "saving": [0.0, 1.0],
    "window": [36, 36], "waived": [0.0, 50.0], "apr": [0.2, -0.01], "repaid_less": [0.0, 50.0],
    "fits": [False, True], "total_cost": [9.0, 2.0], "grant_likelihood": ["contract", "common"],
    "credit_note_key": ["negotiate.credit.baseline"] * 2})
RATES = {"instalments": GrantRate("instalments", 9, 14, 9 / 14), "settlement": GrantRate("settlement", 1, 5, 0.2)}


@pytest.mark.parametrize(("lang", "header", "general", "recorded"), [
    ("zh", "平台同意的可能", ["无需协商", "常见"], "9/14 次同意 (64%)"),
    ("en", "How often granted", ["No negotiation", "Common"], "granted 9 of 14 recorded (64%)"),
])
def test_the_comparison_shows_a_recorded_rate(lang, header, general, recorded):
    for make in (compare_view, comparison_sheet):
        plain = make(TABLE, lang, "2026-12-01")
        assert plain[header].tolist() == general
        assert make(TABLE, lang, "2026-12-01", rates=None).equals(plain)
        assert make(TABLE, lang, "2026-12-01", rates={}).equals(plain)
        with_rates = make(TABLE, lang, "2026-12-01", rates=RATES)
        assert with_rates[header].tolist() == [general[0], recorded]  # 9 / 14 = 0.643 → 64 %
        assert with_rates.drop(columns=header).equals(plain.drop(columns=header))
