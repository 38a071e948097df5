"""The letters to a lender (lib.kit.letters) against the plan they come from: every letter names
the lender, the ask in words and the month-1 amount read off the engine's schedule (or owed / N
for a 0 % loan, by hand); the proposal carries the fallback and, above the legal line, the line
and its rule; two loans give two different letters; hostile names print literally; the Word
file reads back; nothing asks for an SMS code, a password or an ID or card number.
"""

from __future__ import annotations

import datetime as dt
import difflib
import io
import re

import docx
import pytest
from docx.oxml.ns import qn

from lib.fmt import money, pct
from lib.kit.letters import (
    DOCX_MIME,
    LETTER_KINDS,
    edit_key,
    file_name,
    kinds_for,
    letter,
    letter_facts,
    needs_fee_audit,
    text_for,
    to_docx,
)
from lib.loans import conform, make_loans
from lib.negotiate import apply, ask_text, describe
from lib.plan import chosen_plan
from lib.scenario import KitSettings, PlanChoice, Scenario

TODAY = dt.date(2026, 3, 5)
LANGS = ("zh", "en")

# Markers not in data/sample_loans.csv: 晨曦小贷, 7,777, 远山银行, 北辰消费金融, 老周.
LOANS = [
    {"lender": "晨曦小贷", "kind": "online", "balance": 7777, "annual_rate": 0.36, "remaining_months": 12,
     "overdue_days": 45, "overdue_amount": 1500, "interest": 210, "penalty": 88, "fees": 300,
     "principal_amount": 10000, "received": 9200, "start_date": "2025-10-01", "term_months": 24},
    {"lender": "远山银行", "kind": "bank", "balance": 6000, "annual_rate": 0.12, "remaining_months": 12},
    {"lender": "北辰消费金融", "kind": "consumer_finance", "balance": 9000, "annual_rate": 0.18,
     "remaining_months": 10, "overdue_days": 30, "overdue_amount": 1200, "penalty": 150},
    {"lender": "老周", "kind": "private", "balance": 5000, "annual_rate": 0.24, "remaining_months": 6,
     "start_date": "2024-03-01", "overdue_days": 90, "overdue_amount": 800, "interest": 300},
]
KIT = KitSettings(name="陈小明", hardship="illness", hardship_text="去年十一月住院两个月，至今未能复工")


def scenario(loans=LOANS, income=2300.0, kit=KIT, **changes) -> Scenario:
    s = Scenario().with_loans(make_loans(loans)).with_capacity(income=income, essentials=0, cash=0)
    return s.evolve(kit=kit, **changes)


@pytest.fixture(scope="module")
def plan():
    s = scenario()
    return s, chosen_plan(s)


def month1(chosen, loan_id: str) -> float:
    """What the engine's run asks of this loan in month 1 (read off the schedule here)."""
    row = [a.loan_id for a in chosen.asks.asks].index(loan_id)
    s = chosen.result.schedule
    return float(s[(s["month"] == 1) & (s["loan"] == row)]["due"].iloc[0])


def ask_of(chosen, loan_id: str):
    return next(a for a in chosen.asks.asks if a.loan_id == loan_id)


def test_every_letter_names_the_lender_the_ask_and_the_month1_amount(plan):
    s, c = plan
    for ask in c.asks.asks:
        facts = letter_facts(s, c, ask.loan_id, TODAY)
        amount = money(month1(c, ask.loan_id))
        for kind in LETTER_KINDS:
            for lang in LANGS:
                text = letter(kind, facts, lang)
                assert ask.lender in text, (kind, lang)
                assert ask_text(ask, lang) in text, (kind, lang)
                assert amount in text, (kind, lang, amount)


def test_a_zero_rate_loan_by_hand():
    s = scenario([{"lender": "晨曦小贷", "balance": 7777, "annual_rate": 0.0, "remaining_months": 6}], income=400)
    c = chosen_plan(s)
    ask = ask_of(c, "L1")
    months = int(ask.after["remaining_months"])
    assert ask.label in ("extension", "instalments") and months > 6
    by_hand = round(7777 / months, 2)  # 0 %: owed / N, each month alike (to the fen)
    assert by_hand <= 400
    facts = letter_facts(s, c, "L1", TODAY)
    assert abs(facts.monthly - by_hand) <= 0.01
    for kind in LETTER_KINDS:
        for lang in LANGS:
            text = letter(kind, facts, lang)
            assert money(facts.monthly) in text and "晨曦小贷" in text
            assert f"{months}" in text


def test_the_proposal_carries_the_fallback_and_the_legal_line(plan):
    s, c = plan
    seen_fallback = seen_licensed = seen_private = False
    for ask in c.asks.asks:
        facts = letter_facts(s, c, ask.loan_id, TODAY)
        for lang in LANGS:
            text = letter("proposal", facts, lang)
            if ask.fallback is not None:  # described independently: the fallback on the loan alone
                after = apply(ask.fallback, conform(make_loans([dict(ask.before)])))[0].iloc[0]
                assert describe(ask.fallback, ask.before, after, lang, line=ask.line) in text
                seen_fallback = True
            elif ask.label in ("baseline", "legal") and not facts.above:  # nothing asked: nothing to fall back to
                assert "如情况有变化" in text or "If my situation changes" in text
            else:
                assert "只请求上述方案" in text or "asks only for the plan" in text
            if ask.line is not None:  # above the line: the line, the real APR and the rule
                i = [a.loan_id for a in c.asks.asks].index(ask.loan_id)
                assert pct(ask.line) in text and pct(float(c.legal.apr[i])) in text
                if ask.before["kind"] == "private":
                    assert "法释〔2020〕17号" in text
                    seen_private = True
                else:
                    assert "法发〔2017〕22号" in text and "24%" in text
                    seen_licensed = True
    assert seen_fallback and seen_licensed and seen_private


def test_a_card_is_asked_under_article_70():
    s = scenario([{"lender": "星河银行信用卡", "kind": "credit_card", "balance": 9000, "annual_rate": 0.18,
                   "remaining_months": 10, "overdue_days": 30, "overdue_amount": 1200, "penalty": 150}], income=900)
    c = chosen_plan(s)
    facts = letter_facts(s, c, "L1", TODAY)
    assert "《商业银行信用卡业务监督管理办法》第七十条" in letter("checklist", facts, "zh")
    assert "article 70" in letter("checklist", facts, "en")
    assert "不再申请新卡" in letter("checklist", facts, "zh")
    assert "第七十条" in letter("proposal", facts, "zh")


def test_two_loans_give_two_different_letters(plan):
    s, c = plan
    a = letter("proposal", letter_facts(s, c, "L1", TODAY), "zh")
    b = letter("proposal", letter_facts(s, c, "L3", TODAY), "zh")
    assert "晨曦小贷" in a and "晨曦小贷" not in b and "北辰消费金融" in b and "北辰消费金融" not in a
    assert money(7777) in a and money(7777) not in b
    assert difflib.SequenceMatcher(None, a, b).ratio() < 0.8
    # the reason is theirs, in their words
    assert "去年十一月住院两个月，至今未能复工" in a and "本人或家人患病" in a


def test_the_users_own_choice_is_what_the_letter_asks():
    s = scenario(plan={"L2": PlanChoice(option="settlement", settle_pct=50)})
    c = chosen_plan(s)
    facts = letter_facts(s, c, "L2", TODAY)
    text = letter("proposal", facts, "en")
    assert "Settle: pay ¥3,000.00 at once (50% of what is owed)" in text
    assert month1(c, "L2") == 3000.0 and money(3000) in text  # 50 % of 6,000, in month 1
    assert facts.fallback is None and "asks only for the plan" in text


def test_hostile_text_prints_literally():
    hostile = "{{7*7}}{% raw %}{{ lender }}"
    s = scenario([{**LOANS[0], "lender": hostile}],
                 kit=KitSettings(name="{{ name }}", hardship="other", hardship_text="{% if true %}x{% endif %}"))
    c = chosen_plan(s)
    facts = letter_facts(s, c, "L1", TODAY)
    for kind in LETTER_KINDS:
        for lang in LANGS:
            text = letter(kind, facts, lang)
            assert hostile in text  # (rendered, it would be gone)
            if kind in ("proposal", "call_script", "fee_audit"):
                assert "{{ name }}" in text
            if kind in ("proposal", "call_script", "checklist"):
                assert "{% if true %}x{% endif %}" in text
    assert "{" not in file_name("proposal", facts) and "%" not in file_name("proposal", facts)


def test_needs_fee_audit():
    def facts(row, **kw):
        s = scenario([row], income=20000)
        return letter_facts(s, chosen_plan(s), "L1", TODAY)

    clean = {"lender": "远山银行", "kind": "bank", "balance": 12000, "annual_rate": 0.12, "remaining_months": 12,
             "principal_amount": 12000, "received": 12000, "start_date": "2025-03-01", "term_months": 24}
    f = facts(clean)
    assert not needs_fee_audit(f) and f.apr == pytest.approx(0.12, abs=1e-4) and not f.above
    assert kinds_for(f) == ("proposal", "call_script", "checklist")
    assert "暂未发现具体问题" in letter("fee_audit", f, "zh")

    deducted = facts({**clean, "lender": "晨曦小贷", "kind": "online", "received": 11000})
    assert needs_fee_audit(deducted) and deducted.deducted == 1000
    assert "fee_audit" in kinds_for(deducted)
    text = letter("fee_audit", deducted, "zh")
    assert money(1000) in text and "第六百七十条" in text and money(12000) in text and money(11000) in text

    fees = facts({**clean, "lender": "晨曦小贷", "kind": "online", "fees": 300})
    assert needs_fee_audit(fees) and money(300) in letter("fee_audit", fees, "en")

    dear = facts({"lender": "晨曦小贷", "kind": "online", "balance": 7777, "annual_rate": 0.359,
                  "remaining_months": 18})
    assert needs_fee_audit(dear) and dear.above and dear.apr > dear.line
    text = letter("fee_audit", dear, "en")
    assert pct(dear.apr) in text and pct(dear.line) in text and "法发〔2017〕22号" in text
    assert "itemised statement" in text and "refund" in text


def test_the_word_file_reads_back(plan):
    s, c = plan
    facts = letter_facts(s, c, "L1", TODAY)
    ask = ask_of(c, "L1")
    for lang in LANGS:
        text = letter("proposal", facts, lang)
        doc = docx.Document(io.BytesIO(to_docx("协商还款申请书" if lang == "zh" else "Repayment proposal", text)))
        body = "\n".join(p.text for p in doc.paragraphs)
        assert "晨曦小贷" in body and ask_text(ask, lang) in body and money(month1(c, "L1")) in body
        assert doc.paragraphs[0].style.name == "Heading 1"
        assert len(doc.paragraphs) >= 8  # one per paragraph of the text
        sec = doc.sections[0]
        assert round(sec.page_width.mm) == 210 and round(sec.page_height.mm) == 297
        fonts = doc.styles["Normal"].element.rPr.find(qn("w:rFonts"))
        assert fonts.get(qn("w:eastAsia")) in ("SimSun", "Noto Serif CJK SC")
    assert DOCX_MIME == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert to_docx("x\x00", "a\x01b\n\nc")[:2] == b"PK"  # control characters are dropped, not fatal


_SECRET = re.compile(r"验证码|密码|password|SMS code|verification code|身份证号|ID number|卡号|card number",
                     re.IGNORECASE)


def test_nothing_asks_for_a_code_a_password_or_a_number(plan):
    s, c = plan
    for ask in c.asks.asks:
        facts = letter_facts(s, c, ask.loan_id, TODAY)
        for kind in LETTER_KINDS:
            for lang in LANGS:
                for line in letter(kind, facts, lang).splitlines():
                    if _SECRET.search(line):  # only the warnings, or a blank to fill in by hand
                        assert ("不要" in line or line.startswith("- Never") or "（请手写）" in line
                                or "(fill in by hand)" in line), line
    text = letter("call_script", letter_facts(s, c, "L1", TODAY), "zh")
    assert "短信验证码" in text and "个人账户" in text and "工号" in text and "受理单号" in text


def test_a_blank_to_sign_by_hand_and_the_id_blank():
    s = scenario(kit=KitSettings())
    c = chosen_plan(s)
    facts = letter_facts(s, c, "L1", TODAY)
    zh, en = letter("proposal", facts, "zh"), letter("proposal", facts, "en")
    assert "身份证号：＿＿＿＿＿＿（请手写）" in zh and "ID number: ________ (fill in by hand)" in en
    assert "（请手写签名）" in zh and "(sign by hand)" in en
    assert "2026年3月5日" in zh and "5 March 2026" in en


def test_edited_text_and_unknown_kind(plan):
    s, c = plan
    facts = letter_facts(s, c, "L1", TODAY)
    mine = s.evolve(kit=KIT.evolve(edited={edit_key("L1", "proposal"): "我自己改过的信"}))
    assert text_for(mine, facts, "proposal") == "我自己改过的信"
    assert text_for(mine, facts, "checklist") == letter("checklist", facts, "zh")
    with pytest.raises(ValueError):
        letter("threat", facts, "zh")
    with pytest.raises(KeyError):
        letter_facts(s, c, "L99", TODAY)
    assert file_name("proposal", facts) == "协商还款申请书-晨曦小贷-2026-03-05.docx"
    assert file_name("call_script", facts, "en", "txt") == "Call-notes-晨曦小贷-2026-03-05.txt"


def test_a_loan_without_a_name_is_still_addressed():
    s = scenario([{**LOANS[1], "lender": ""}], income=5000)
    facts = letter_facts(s, chosen_plan(s), "L1", TODAY)
    assert facts.lender == "L1" and letter("proposal", facts, "en").count("L1") >= 1
