"""The renegotiation letter (lib.kit.renegotiation) by hand: an agreement of 6 × ¥1,000 from
2031-02-10, ¥700 paid, on 2031-02-20 short by ¥300 for 10 days; ¥5,300 still owed at ¥600 a month
is 9 months, the last ¥500 (8 × 600 + 500 = 5,300). Both languages carry the figures as the other
letters format money, the reason in the user's words, no template left over; nothing to pay asks
for a pause; a month at risk is written before anything slipped; the Word file reads back.

Lender names not in data/sample_loans.csv: 甲花贷, 乙果分期.
"""

from __future__ import annotations

import datetime as dt
import io
import re

import docx
import pytest

from lib.kit.letters import AGREEMENT_KINDS, file_name, to_docx
from lib.kit.renegotiation import (
    RENEGOTIATE,
    affordable_for,
    renegotiation_facts,
    renegotiation_letter,
    replan,
)
from lib.kit.text import TEMPLATES
from lib.tracker import Agreement, Instalment, Payment, add_months, status

D = dt.date
TODAY = D(2031, 2, 20)
REASON = "今年一月公司裁员，现在靠打零工"
AGREEMENT = Agreement(loan_id="L7", option="instalments", agreed_on=D(2031, 1, 5), reference="JH-2031-8",
                      lender="甲花贷",
                      instalments=tuple(Instalment(due=add_months(D(2031, 2, 10), k), amount=1000) for k in range(6)))
PAID = [Payment(loan_id="L7", paid_on=D(2031, 2, 9), amount=700)]


def facts(affordable: float = 600, payments=PAID, today: dt.date = TODAY, **kw):
    base = dict(lender="甲花贷", kind="online", name="陈小明", hardship="job_loss", hardship_text=REASON,
                affordable=affordable, today=today)
    return renegotiation_facts(AGREEMENT, status(AGREEMENT, payments, today), **{**base, **kw})


def test_the_hand_case_figures():
    f = facts()
    assert (f.verdict, f.agreed_to_date, f.paid_to_date, f.arrears, f.since, f.days_late) == (
        "short", 1000.0, 700.0, 300.0, D(2031, 2, 10), 10)
    assert (f.still_owed, f.instalment, f.agreed_total) == (6000 - 700, 1000.0, 6000.0)
    assert (f.months, f.monthly, f.last) == (9, 600.0, 500.0)
    assert 8 * 600 + 500 == 5300
    assert f.start == D(2031, 3, 10)  # the agreement's next due date
    assert f.behind and not f.pause


def test_replan_counts_in_fen():
    assert replan(5300, 600) == (9, 600.0, 500.0)
    assert replan(1000, 333.33) == (4, 333.33, 0.01)  # 3 × 333.33 = 999.99, one fen left
    assert replan(1200, 600) == (2, 600.0, 600.0)  # even: the last is like the others
    assert replan(450, 600) == (1, 450.0, 450.0)  # less than a month's: at once
    assert replan(5300, 0) is None and replan(5300, -5) is None
    with pytest.raises(ValueError):
        replan(0, 600)


@pytest.mark.parametrize(("lang", "dates", "days", "plan"), [
    ("zh", ("2031年1月5日", "2031年2月10日", "2031年2月20日", "2031年3月10日"), "至今已 10 天",
     "自 2031年3月10日 起每月还 ¥600.00，共 9 期，其中最后一期还 ¥500.00（8 期 × ¥600.00 + ¥500.00 = ¥5,300.00）"),
    ("en", ("5 January 2031", "10 February 2031", "20 February 2031", "10 March 2031"), "10 days",
     "¥600.00 a month from 10 March 2031, 9 payments in all, the last one ¥500.00 (8 × ¥600.00 + ¥500.00 = ¥5,300.00)"),
])
def test_the_letter_states_the_facts_and_the_new_plan(lang, dates, days, plan):
    text = renegotiation_letter(facts(), lang)
    assert text.splitlines()[0] == ("重新协商还款申请" if lang == "zh" else "Request to revise the repayment agreement")
    for figure in ("¥1,000.00", "¥6,000.00", "¥700.00", "¥300.00", "¥5,300.00", "¥600.00", "¥500.00"):
        assert figure in text, figure
    for day in dates:
        assert day in text, day
    assert days in text and plan in text
    assert "甲花贷" in text and "JH-2031-8" in text and "陈小明" in text
    assert REASON in text and ("失业" in text if lang == "zh" else "losing my job" in text)
    assert "{{" not in text and "{%" not in text and "\n\n\n" not in text
    keep_open = "不要将此作为新的逾期或违约处理" if lang == "zh" else "do not treat it as a new default"
    assert keep_open in text
    assert ("补充说明（可手写）：＿" if lang == "zh" else "Anything else (by hand): ___") in text


def test_an_even_split_states_one_amount():
    f = facts(affordable=5300 / 5)  # 1,060 a month, 5 × 1,060 = 5,300: no different last month
    assert (f.months, f.monthly, f.last) == (5, 1060.0, 1060.0)
    for lang in ("zh", "en"):
        text = renegotiation_letter(f, lang)
        assert "¥1,060.00" in text and "最后一期" not in text and "the last one" not in text
        assert ("共 5 期" if lang == "zh" else "5 payments in all") in text


@pytest.mark.parametrize("affordable", [0, -100])
def test_nothing_to_pay_asks_for_a_pause(affordable):
    f = facts(affordable=affordable)
    assert (f.pause, f.months, f.pause_months) == (True, None, 3)
    zh, en = renegotiation_letter(f, "zh"), renegotiation_letter(f, "en")
    assert "暂停还款 3 个月" in zh and "pause the payments for 3 months" in en and "hardship hold" in en
    for text in (zh, en):
        assert "¥5,300.00" in text and "¥300.00" in text and REASON in text
        assert "共 9 期" not in text and "payments in all" not in text and "{{" not in text


def test_a_month_at_risk_is_written_before_anything_slipped():
    on_time = [Payment(loan_id="L7", paid_on=D(2031, 2, 9), amount=1000)]
    f = facts(affordable=800, payments=on_time)
    assert (f.verdict, f.behind, f.still_owed, f.next_due) == ("on_track", False, 5000.0, D(2031, 3, 10))
    assert (f.months, f.monthly, f.last) == (7, 800.0, 200.0)  # 6 × 800 = 4,800, 200 left
    zh, en = renegotiation_letter(f, "zh"), renegotiation_letter(f, "en")
    assert "一直按协议还款" in zh and "从 2031年3月10日 到期的那一期起" in zh and "尚差" not in zh
    assert "I have kept to it" in en and "from the instalment due 10 March 2031" in en and "unpaid:" not in en
    assert "6 × ¥800.00 + ¥200.00 = ¥5,000.00" in en


def test_after_the_last_due_date_the_plan_starts_on_the_agreements_day():
    f = facts(today=D(2031, 9, 1))  # every instalment due, only 700 paid: the later ones missed
    assert (f.verdict, f.next_due, f.start, f.arrears, f.since) == ("missed", None, D(2031, 9, 10), 5300.0,
                                                                    D(2031, 2, 10))
    assert f.days_late == 18 + 31 + 30 + 31 + 30 + 31 + 31 + 1  # 10 Feb (of 28) → 1 Sep 2031
    assert facts(today=D(2031, 9, 10)).start == D(2031, 10, 10)


def test_no_id_or_card_number_and_a_line_to_sign_by_hand():
    secret = re.compile(r"验证码|密码|password|SMS code|身份证|ID number|卡号|card number", re.IGNORECASE)
    for lang in ("zh", "en"):
        for f in (facts(), facts(affordable=0), facts(name="", kind="credit_card")):
            assert not secret.search(renegotiation_letter(f, lang))
    assert "（请手写签名）" in renegotiation_letter(facts(name=""), "zh")
    assert "(sign by hand)" in renegotiation_letter(facts(name=""), "en")


def test_hostile_text_prints_literally():
    hostile = "{{7*7}}{% raw %}"
    f = facts(lender=hostile, name="{{ name }}", hardship_text="{% if true %}x{% endif %}")
    for lang in ("zh", "en"):
        text = renegotiation_letter(f, lang)
        assert hostile in text and "{{ name }}" in text and "{% if true %}x{% endif %}" in text
    assert "{" not in file_name(RENEGOTIATE, f) and "%" not in file_name(RENEGOTIATE, f)


def test_the_word_file_and_the_file_name():
    f = facts()
    for lang, title in (("zh", "重新协商还款申请"), ("en", "Request to revise the repayment agreement")):
        text = renegotiation_letter(f, lang)
        doc = docx.Document(io.BytesIO(to_docx(title, text)))
        body = "\n".join(p.text for p in doc.paragraphs)
        assert doc.paragraphs[0].text == title and doc.paragraphs[0].style.name == "Heading 1"
        assert body.count(title) == 1  # the text's own title line is not repeated
        assert "¥5,300.00" in body and "¥500.00" in body and REASON in body
    assert file_name(RENEGOTIATE, f) == "重新协商还款申请-甲花贷-2031-02-20.docx"
    assert file_name(RENEGOTIATE, f, "en", "txt") == "Request-to-revise-the-repayment-agreement-甲花贷-2031-02-20.txt"


def test_the_kind_is_registered_with_both_templates():
    assert AGREEMENT_KINDS == (RENEGOTIATE,)
    for lang in ("zh", "en"):
        assert (TEMPLATES / f"{RENEGOTIATE}.{lang}.txt.j2").is_file()


def test_facts_refuse_what_cannot_be_written():
    with pytest.raises(ValueError):
        facts(hardship="bored")
    other = Agreement(loan_id="L8", option="instalments", agreed_on=D(2031, 1, 5),
                      instalments=(Instalment(due=D(2031, 2, 10), amount=100),))
    with pytest.raises(ValueError):
        renegotiation_facts(other, status(AGREEMENT, PAID, TODAY), lender="乙果分期", kind="online", name="",
                            hardship="other", hardship_text="", affordable=100, today=TODAY)
    paid_up = [Payment(loan_id="L7", paid_on=D(2031, 2, 9), amount=6000)]
    with pytest.raises(ValueError):
        facts(payments=paid_up)
    assert facts(lender="  ").lender == "甲花贷"  # blank: the name recorded with the agreement
    assert facts(kind="pawn").kind == "other"


def test_affordable_is_the_capacity_less_the_other_agreements_that_month():
    other = Agreement(loan_id="L8", option="instalments", agreed_on=D(2031, 1, 5), lender="乙果分期",
                      instalments=tuple(Instalment(due=add_months(D(2031, 2, 15), k), amount=450) for k in range(4)))
    older = Agreement(loan_id="L8", option="extension", agreed_on=D(2030, 6, 1),
                      instalments=(Instalment(due=D(2031, 3, 1), amount=9999),))  # replaced by `other`
    deals = [AGREEMENT, older, other]
    assert affordable_for("L7", deals, 1500, D(2031, 3, 10)) == 1500 - 450  # its own 1,000 is not counted
    assert affordable_for("L7", deals, 1500, D(2031, 7, 10)) == 1500  # L8's last was due in May
    paid_ahead = [Payment(loan_id="L8", paid_on=D(2031, 2, 1), amount=450 + 200)]  # February's, and 200 of March's
    assert affordable_for("L7", deals, 1500, D(2031, 3, 10), payments=paid_ahead) == 1500 - 250
    assert affordable_for("L7", deals, 300, D(2031, 3, 10)) == -150  # below 0: the letter asks for a pause
    f = facts(affordable=affordable_for("L7", deals, 300, D(2031, 3, 10)))
    assert f.pause and f.affordable == 0
