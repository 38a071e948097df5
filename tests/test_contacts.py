"""The contact log (lib.contacts) by hand: the quiet hours at their edges (23:15 and 07:59 flagged,
21:59 and 08:00 not, consent clears it), the 4th answered call and the 7th unanswered attempt of a
day, a relative called while the debtor was reachable, a third party called again after refusing,
a threat (route 110) and public shaming; every flag carries its rule's source and date from the
CSV. The routes by kind of lender; the complaint letter names each flagged entry's time, the rule's
source and date in both languages and prints hostile text literally; the paid-agent check.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from lib.contacts import (
    SCAM_QUESTIONS,
    ComplaintFacts,
    Contact,
    Flag,
    complaint_letter,
    complaint_route,
    contacts_from,
    flag_text,
    flags,
    scam_check,
)
from lib.i18n import TEXT, t
from lib.loans import KINDS
from lib.rules import CollectionRule, load_collection_rules, rule

RULES = load_collection_rules()
GB = "GB/T 45251—2025《互联网金融 个人网络消费信贷 贷后催收风控指引》"
CBA = "中国银行业协会《金融机构个人消费类贷款催收工作指引（试行）》"
PSL = "《中华人民共和国治安管理处罚法》第四十二条（2012年修正文本）"


def call(hh: int, mm: int, day: int = 5, **kw) -> Contact:
    """A call from the lender to the debtor on 2026-03-<day> at hh:mm (answered unless told)."""
    kw.setdefault("answered", True)
    return Contact(loan_id=kw.pop("loan_id", "L1"), when=dt.datetime(2026, 3, day, hh, mm), channel="call_in", **kw)


def checks(log: list[Contact]) -> list[tuple[str, str, int]]:
    return [(f.check, f.rule, f.index) for f in flags(log, RULES)]


# --- the quiet hours ------------------------------------------------------------------------------
def test_quiet_hours_at_their_edges():
    log = [call(23, 15), call(21, 59), call(8, 0), call(7, 59, day=6)]
    got = checks(log)
    assert got == [("quiet_hours", "gb_quiet_hours", 0), ("quiet_hours", "cba_quiet_hours", 0),
                   ("quiet_hours", "gb_quiet_hours", 3), ("quiet_hours", "cba_quiet_hours", 3)]
    f = flags(log, RULES)[0]
    assert f.contact.when == dt.datetime(2026, 3, 5, 23, 15)
    assert (f.source, f.date, f.confidence) == (GB, dt.date(2025, 2, 28), "press_summary")
    assert (flags(log, RULES)[1].source, flags(log, RULES)[1].date) == (CBA, dt.date(2026, 1, 30))
    assert "23:15" in flag_text(f, "zh") and "23:15" in flag_text(f, "en")
    assert f.routes == ("12321",)


def test_consent_to_the_hour_clears_it_and_so_does_a_call_the_debtor_made():
    assert checks([call(23, 15, consent_to_hours=True)]) == []
    mine = Contact(loan_id="L1", when=dt.datetime(2026, 3, 5, 23, 15), channel="call_out", direction="to_lender")
    assert checks([mine]) == []
    sms = Contact(loan_id="L1", when=dt.datetime(2026, 3, 5, 6, 30), channel="sms")
    assert [c for c, _, _ in checks([sms])] == ["quiet_hours", "quiet_hours"]
    letter = Contact(loan_id="L1", when=dt.datetime(2026, 3, 5, 6, 30), channel="letter")
    assert checks([letter]) == []


def test_the_quiet_hours_come_from_the_rule():
    late = CollectionRule("x_quiet", "contact_time", "21:00-09:00", "src", dt.date(2026, 1, 1), "official", "", 2)
    assert [f.index for f in flags([call(21, 30), call(20, 59), call(8, 59)], [late])] == [2, 0]  # in time order


# --- how many calls a day -------------------------------------------------------------------------
def test_the_fourth_answered_call_of_a_day_is_flagged():
    log = [call(9, 0), call(10, 0), call(11, 0), call(12, 0), call(13, 0),
           call(14, 0, day=6),  # another day
           call(14, 0, loan_id="L2"),  # another loan
           call(15, 0, answered=False)]  # unanswered: not an effective call
    got = [f for f in flags(log, RULES) if f.check == "answered_calls"]
    assert [(f.index, f.n, f.limit, f.rule) for f in got] == [(3, 4, 3, "gb_effective_calls_per_day"),
                                                             (4, 5, 3, "gb_effective_calls_per_day")]
    assert got[0].contact.when == dt.datetime(2026, 3, 5, 12, 0)
    assert "4" in flag_text(got[0], "zh") and "3" in flag_text(got[0], "zh")
    assert flag_text(got[0], "en").startswith("the 4th answered collection call")
    assert (got[0].source, got[0].date) == (GB, dt.date(2025, 2, 28))


def test_the_order_of_the_log_does_not_matter():
    log = [call(13, 0), call(9, 0), call(12, 0), call(10, 0)]
    got = [f for f in flags(log, RULES) if f.check == "answered_calls"]
    assert [(f.index, f.n) for f in got] == [(0, 4)]  # 13:00 is the 4th of the day


def test_the_seventh_unanswered_attempt_of_a_day_is_flagged():
    times = [(9, 0), (9, 30), (10, 0), (11, 0), (12, 30), (14, 0), (15, 45)]  # 7 attempts on 2026-03-05
    log = [call(hh, mm, answered=False) for hh, mm in times]
    got = flags(log, RULES)
    assert [(f.check, f.index, f.n, f.limit) for f in got] == [("unanswered_attempts", 6, 7, 6)]
    assert (got[0].rule, got[0].source, got[0].date) == ("cba_unanswered_attempts_per_number", CBA,
                                                         dt.date(2026, 1, 30))
    assert checks(log[:6]) == []


# --- third parties --------------------------------------------------------------------------------
def test_a_relative_called_while_the_debtor_was_reachable():
    mum = call(10, 0, contacted="family")
    got = checks([mum])
    assert got == [("third_party_reachable", "gb_third_party_if_unreachable", 0),
                   ("third_party_reachable", "cba_third_party_if_unreachable", 0)]
    assert checks([call(10, 0, contacted="family", debtor_unreachable_before=True)]) == []
    # a call to a relative does not count among the debtor's calls
    assert [c for c, _, _ in checks([call(9, 0), call(9, 5), call(9, 10), mum])] == ["third_party_reachable"] * 2


def test_a_third_party_contacted_again_after_refusing():
    again = call(10, 0, contacted="employer", debtor_unreachable_before=True, refused_before=True)
    assert checks([again]) == [("third_party_refused", "gb_third_party_stop_on_request", 0),
                               ("third_party_refused", "cba_third_party_stop_on_request", 0)]
    told = call(10, 0, contacted="friend", debtor_unreachable_before=True, disclosed=True)
    assert [r for _, r, _ in checks([told])] == ["gb_no_debt_details_to_third_parties",
                                                 "cba_no_debt_details_to_third_parties"]


# --- threats and shaming --------------------------------------------------------------------------
def test_a_threat_is_flagged_with_the_route_110():
    threat = call(15, 0, threat=True, note="说要找人上门")
    got = flags([threat], RULES)
    assert [(f.check, f.rule) for f in got] == [("threat", "cba_no_threats"), ("threat", "psl_threats")]
    assert all("110" in f.routes for f in got)
    assert (got[1].source, got[1].date, got[1].confidence) == (PSL, dt.date(2012, 10, 26), "interpreted")
    # a threat on a call the debtor made still counts
    mine = Contact(loan_id="L1", when=dt.datetime(2026, 3, 5, 15, 0), channel="call_out", direction="to_lender",
                   threat=True)
    assert [f.check for f in flags([mine], RULES)] == ["threat", "threat"]
    for kind in KINDS:
        assert "110" in [r.code for r in complaint_route(kind, got)]


def test_public_shaming_is_flagged():
    posted = Contact(loan_id="L1", when=dt.datetime(2026, 3, 5, 15, 0), channel="app_message", shaming=True,
                     note="在朋友圈发了我的照片")
    got = flags([posted], RULES)
    assert [(f.check, f.rule) for f in got] == [("shaming", "cba_no_shaming"), ("shaming", "psl_shaming")]
    assert got[0].routes == ("110", "12321")


def test_a_clean_log_has_no_flags():
    log = [call(9, 0), call(14, 0), call(21, 0), Contact(loan_id="L1", when=dt.datetime(2026, 3, 5, 10, 0),
                                                          channel="letter")]
    assert flags(log, RULES) == [] and flags([], RULES) == []


# --- the model ------------------------------------------------------------------------------------
def test_the_model_is_bounded_and_has_no_field_for_secrets():
    c = call(23, 15, who="A01")
    with pytest.raises(ValidationError):
        Contact.model_validate({**c.model_dump(), "id_number": "1"})  # extra fields are refused
    for bad in ({"who": "x" * 41}, {"note": "x" * 501}, {"offered": "x" * 501}, {"loan_id": "L 1"},
                {"channel": "fax"}, {"contacted": "neighbour"},
                {"when": dt.datetime(2026, 3, 5, 23, 15, tzinfo=dt.UTC)}, {"when": "2026-03-05T23:15:00+08:00"},
                {"channel": "call_in", "direction": "to_lender"}, {"channel": "call_out", "direction": "from_lender"}):
        with pytest.raises(ValidationError):
            Contact.model_validate({**c.model_dump(), **bad})
    with pytest.raises(ValidationError):
        c.who = "B02"  # frozen
    names = set(Contact.model_fields)
    assert not names & {"sms_code", "code", "password", "id_number", "card_number", "phone"}
    # JSON dicts as the scenario keeps them, back and forth
    back = contacts_from([c.model_dump(mode="json")])
    assert back == [c]


# --- where to complain ----------------------------------------------------------------------------
def codes(kind: str, fs: list[Flag], **kw) -> list[str]:
    return [r.code for r in complaint_route(kind, fs, **kw)]


def test_the_routes_by_kind():
    assert codes("bank", []) == ["lender", "12378"]
    assert codes("credit_card", []) == ["lender", "12378"]
    assert codes("consumer_finance", []) == ["lender", "12378"]
    assert codes("online", []) == ["lender", "local_bureau"]
    assert codes("other", []) == ["lender", "12378", "local_bureau"]
    assert codes("private", []) == ["lender", "court_mediation"]
    assert codes("bank", [], credit_record=True) == ["lender", "12378", "12363"]
    late = flags([call(23, 15)], RULES)
    assert codes("online", late) == ["lender", "local_bureau", "12321"]
    threat = flags([Contact(loan_id="L1", when=dt.datetime(2026, 3, 5, 15, 0), channel="visit", threat=True)], RULES)
    assert codes("consumer_finance", threat) == ["lender", "12378", "110"]
    assert codes("private", threat) == ["lender", "110", "court_mediation"]
    route = complaint_route("bank", late + threat)
    assert route[0].because == ("quiet_hours", "threat")
    assert [r.because for r in route if r.code == "110"] == [("threat",)]
    for code in ("lender", "12378", "local_bureau", "12363", "12321", "110", "court_mediation"):
        for key in (f"complaint.route.{code}", f"complaint.route.{code}.help"):
            zh, en = TEXT[key]
            assert zh and en and zh != en


# --- the complaint letter -------------------------------------------------------------------------
HOSTILE_WHO = "{{7*7}} 工号<b>A01</b>"
HOSTILE_NOTE = "{% raw %}说“不还就上门”{{ lender }} ${x} %s <script>alert(1)</script>"


def test_the_complaint_names_each_flagged_entry_its_rule_source_and_date():
    log = [call(23, 15, who=HOSTILE_WHO, note=HOSTILE_NOTE),
           call(10, 0, day=6, contacted="family"),
           call(11, 0, day=6, threat=True),
           call(12, 0, day=6),  # a clean call: not in the letter
           call(9, 0, loan_id="L2", threat=True)]  # another loan: not in the letter
    fs = flags(log, RULES)
    facts = ComplaintFacts("晨曦小贷{{1+1}}", "L1", "online", today=dt.date(2026, 3, 7))
    zh, en = complaint_letter(facts, fs, "zh"), complaint_letter(facts, fs, "en")
    assert zh.splitlines()[0] == "违规催收投诉书" and en.splitlines()[0] == "Complaint about collection practices"
    for when in ("2026年3月5日 23:15", "2026年3月6日 10:00", "2026年3月6日 11:00"):
        assert zh.count(when) == 1
    for when in ("5 March 2026, 23:15", "6 March 2026, 10:00", "6 March 2026, 11:00"):
        assert en.count(when) == 1
    assert "12:00" not in zh and "9:00" not in zh and "09:00" not in zh
    for text, gb_date, cba_date, psl_date in ((zh, "2025年2月28日", "2026年1月30日", "2012年10月26日"),
                                               (en, "28 February 2025", "30 January 2026", "26 October 2012")):
        assert f"{GB}，{gb_date}" in text or f"{GB}, {gb_date}" in text
        assert f"{CBA}，{cba_date}" in text or f"{CBA}, {cba_date}" in text
        assert f"{PSL}，{psl_date}" in text or f"{PSL}, {psl_date}" in text
        assert HOSTILE_WHO in text and HOSTILE_NOTE in text and "晨曦小贷{{1+1}}" in text  # literally
        assert "49" not in text and "\n3. " in text
    assert "违反：除非双方另有约定，22:00 至次日 08:00 不得催收" in zh
    assert "未经债务人同意" in zh and "您" not in zh
    assert "without the debtor's consent" in en
    # what is asked: stop, investigate, a written reply
    assert "停止" in zh and "调查" in zh and "书面答复" in zh
    assert "stop" in en and "investigate" in en and "in writing" in en
    assert "110" in zh and "110" in en  # a threat among them


def test_the_complaint_leaves_the_numbers_blank():
    note = "他念出了我的身份证号 110101199003071234 和卡号 6222 0212 3456 7890"
    fs = flags([call(23, 15, note=note)], RULES)
    for lang in ("zh", "en"):
        text = complaint_letter(ComplaintFacts("远山银行", "L1", "credit_card", name="陈小明", today=dt.date(2026, 3, 7)),
                                fs, lang)
        assert "110101199003071234" not in text and "6222 0212 3456 7890" not in text
        assert "陈小明" in text
        assert ("身份证号：＿＿＿＿＿＿（请手写）" in text) if lang == "zh" else ("ID number: ________" in text)
        assert ("卡号末四位" in text) if lang == "zh" else ("last four digits" in text)
        assert "验证码" not in text and "password" not in text.lower()


def test_a_complaint_to_the_regulator():
    fs = flags([call(23, 15)], RULES)
    facts = ComplaintFacts("北辰消费金融", "L1", "consumer_finance", to="12378", today=dt.date(2026, 3, 7))
    zh, en = complaint_letter(facts, fs, "zh"), complaint_letter(facts, fs, "en")
    assert zh.splitlines()[2].startswith("国家金融监督管理总局") and "被投诉机构：北辰消费金融" in zh
    assert "National Financial Regulatory Administration" in en and "about 北辰消费金融" in en
    assert "110" not in zh.split("为此请求")[1]  # no threat: no police
    bureau = complaint_letter(ComplaintFacts("晨曦小贷", "L1", "online", to="local_bureau"), fs, "zh")
    assert "晨曦小贷注册地的地方金融管理局" in bureau
    with pytest.raises(ValueError):
        complaint_letter(ComplaintFacts("x", "L1", to="court"), fs)


# --- a paid agent's offer -------------------------------------------------------------------------
@pytest.mark.parametrize(("yes", "verdict"), [
    ((), "be_careful"),
    (("internal_channel",), "be_careful"),
    (("upfront_fee",), "high_risk"),
    (("promises_result",), "high_risk"),
    (("stop_paying",), "high_risk"),
    (("promises_result", "internal_channel", "upfront_fee"), "high_risk"),
    (("asks_codes",), "scam"),
    (("asks_device",), "scam"),
    (("erase_record",), "scam"),
    (("upfront_fee", "erase_record"), "scam"),
])
def test_scam_verdicts(yes, verdict):
    answers = {q: q in yes for q in SCAM_QUESTIONS}
    v = scam_check(answers)
    assert v.verdict == verdict
    assert v.reasons == tuple(q for q in SCAM_QUESTIONS if q in yes)
    assert v.alternatives == ("negotiate_yourself", "12378")
    assert scam_check({q: True for q in yes}) == v  # an unanswered question is a no


def test_scam_words_and_unknown_questions():
    with pytest.raises(ValueError):
        scam_check({"asks_for_money": True})
    keys = [k for k in TEXT if k.startswith(("scam.", "contacts.", "complaint."))]
    assert {f"scam.q.{q}" for q in SCAM_QUESTIONS} <= set(keys)
    for k in keys:
        zh, en = TEXT[k]
        assert zh and en and zh != en
    assert "12378" in t("scam.alt.12378", "zh") and "12378" in t("scam.alt.12378", "en")
    for r in RULES:  # the guide can state every rule, the new ones too
        assert f"guide.rule.{r.rule}" in TEXT
    assert rule("psl_threats", RULES).what == "threat"


# --- any log --------------------------------------------------------------------------------------
_entry = st.builds(
    lambda day, minute, answered, loan, consent: call(minute // 60, minute % 60, day=day, answered=answered,
                                                      loan_id=loan, consent_to_hours=consent),
    st.integers(1, 3), st.integers(0, 24 * 60 - 1), st.booleans(), st.sampled_from(["L1", "L2"]), st.booleans())


@settings(max_examples=60, deadline=None)
@given(st.lists(_entry, max_size=30))
def test_any_log_flags_what_is_over_each_day_and_outside_hours(log):
    fs = flags(log, RULES)
    for answered, check, limit in ((True, "answered_calls", 3), (False, "unanswered_attempts", 6)):
        days: dict[tuple[str, dt.date], int] = {}
        for c in log:
            if c.answered == answered:
                days[(c.loan_id, c.when.date())] = days.get((c.loan_id, c.when.date()), 0) + 1
        assert sum(f.check == check for f in fs) == sum(max(0, n - limit) for n in days.values())
    quiet = {i for i, c in enumerate(log) if not c.consent_to_hours and (c.when.hour >= 22 or c.when.hour < 8)}
    assert {f.index for f in fs if f.check == "quiet_hours"} == quiet
    assert [f.contact.when for f in fs] == sorted(f.contact.when for f in fs)
