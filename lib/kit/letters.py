"""Letters to a lender, made from the user's own plan: a proposal (协商还款申请书), call notes
(沟通要点), a checklist of documents and of what the written agreement must state, and a request
to audit the account (核账申请) where money was deducted up front, fees were charged or the real
APR is above the legal line.

:func:`letter_facts` gathers what one letter says about one loan (:class:`LetterFacts`: the
figures, the reason in the user's words, the ask of :func:`lib.plan.chosen_plan` in words, its
fallback, the legal line); :func:`letter` writes one kind in a language from the templates in
``lib/kit/templates/<kind>.<lang>.txt.j2``; :func:`to_docx` makes a Word file of it. The letter to
renegotiate an agreement that slipped (:data:`AGREEMENT_KINDS`) is made from the agreement's
status instead: :mod:`lib.kit.renegotiation`.

Every value reaches a template as data, never as template source: a lender called ``{{7*7}}``
is printed as ``{{7*7}}``. No letter asks for an SMS code, a password, an ID or card number or
anyone's contact details: where one is needed it leaves a blank to fill in by hand.

>>> import datetime as dt
>>> from lib.loans import make_loans
>>> from lib.plan import chosen_plan
>>> from lib.scenario import Scenario
>>> s = Scenario().with_loans(make_loans([{"lender": "甲", "balance": 12000, "annual_rate": 0.0,
...     "remaining_months": 6}])).with_capacity(income=1000, essentials=0, cash=0)
>>> f = letter_facts(s, chosen_plan(s), "L1", dt.date(2026, 3, 5))
>>> f.monthly, needs_fee_audit(f), kinds_for(f)
(1000.0, False, ('proposal', 'call_script', 'checklist'))
>>> print(letter("proposal", f, "en").splitlines()[0])
Repayment proposal
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

import pandas as pd

from lib.fmt import money, pct
from lib.i18n import LANGS, t
from lib.kit.text import text_templates
from lib.loans import CREDIT_CARD, PRIVATE, conform
from lib.negotiate import BASELINE, LEGAL, Option, apply, describe
from lib.negotiate.words import _rate_text
from lib.plan import Chosen
from lib.scenario import Scenario

if TYPE_CHECKING:
    from lib.kit.renegotiation import RenegotiationFacts

LETTER_KINDS: Final = ("proposal", "call_script", "checklist", "fee_audit")
# letters about a recorded agreement, written from its status (lib.kit.renegotiation), not offered per loan
AGREEMENT_KINDS: Final = ("renegotiate",)
DOCX_MIME: Final = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
EAST_ASIAN_FONT: Final = "SimSun"

_CENT: Final = 0.005  # below half a fen: nothing


def _words(make) -> dict[str, str]:
    """The same text in every language: ``{lang: make(lang)}``."""
    return {lang: make(lang) for lang in LANGS}


@dataclass(frozen=True)
class LetterFacts:
    """What a letter about one loan says (figures as numbers; words in every language by ``lang``)."""

    loan_id: str
    name: str  # the writer's name as they sign ('' → a blank line to sign by hand)
    lender: str
    kind: str  # lib.loans.KINDS
    principal_amount: float | None  # the amount borrowed (借款金额), when known
    received: float | None  # the amount received (到手金额), when known
    start_date: dt.date | None
    term_months: int | None
    balance: float
    interest: float
    penalty: float
    fees: float
    owed: float  # balance + interest + penalty + fees
    overdue_days: int
    overdue_amount: float
    hardship: str  # lib.scenario.HARDSHIPS
    hardship_text: str  # why payment stopped, in the user's own words ('' when none)
    capacity: float  # what can be paid a month, for all the debts together
    n_loans: int  # how many debts the capacity is shared by
    total_owed: float  # … and what they owe together
    label: str  # the option asked for (an option label)
    ask: Mapping[str, str]  # {lang: the ask in words} (lib.negotiate.describe)
    monthly: float  # what this lender is due in month 1 under the plan (the engine's run)
    regular: float  # the plan's instalment for this loan after month 1 (the contract of the row under the plan)
    months: int  # the months of the loan under the plan
    fallback: Mapping[str, str] | None  # {lang: the next smaller concession in words}; None: only the plan
    fallback_monthly: float | None  # what month 1 would ask under the fallback
    apr: float | None  # the real APR (nominal, by IRR), when known
    line: float  # the loan's legal line (annual fraction)
    above: bool  # the real APR is above the line
    rule: Mapping[str, str]  # {lang: the rule that sets the line, with its source}
    today: dt.date

    @property
    def deducted(self) -> float:
        """Money deducted up front: borrowed less received (0 when either is unknown)."""
        if self.principal_amount is None or self.received is None:
            return 0.0
        return round(max(self.principal_amount - self.received, 0.0), 2)

    @property
    def credit_card(self) -> bool:
        return self.kind == CREDIT_CARD

    @property
    def private(self) -> bool:
        return self.kind == PRIVATE


def _num(x: Any) -> float | None:
    if x is None or x is pd.NaT:
        return None
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(v) else v


def _name(x: Any) -> str:
    return "" if x is None or x is pd.NA or (isinstance(x, float) and math.isnan(x)) else str(x).strip()


def _day(x: Any) -> dt.date | None:
    if x is None or x is pd.NaT or (isinstance(x, float) and math.isnan(x)):
        return None
    try:
        return pd.Timestamp(x).date()
    except (TypeError, ValueError):
        return None


def _first_due(result: Any, row: int) -> float:
    s = result.schedule
    due = s.loc[(s["month"] == 1) & (s["loan"] == row), "due"]
    return round(float(due.iloc[0]), 2) if len(due) else 0.0


def _after_alone(option: Option, before: Mapping[str, Any]) -> dict[str, Any]:
    """The loan row ``before`` under ``option`` on its own (month 1)."""
    frame = conform(pd.DataFrame([dict(before)]))
    return apply(option, frame)[0].iloc[0].to_dict()


def _same(a: Option, b: Option) -> bool:
    return a.canonical == b.canonical


def letter_facts(scenario: Scenario, chosen: Chosen, loan_id: str, today: dt.date | None = None) -> LetterFacts:
    """What a letter to the lender of ``loan_id`` says under the plan ``chosen``
    (:func:`lib.plan.chosen_plan` of ``scenario``).

    The ask is the final plan's option for the loan (the user's own row when they set one),
    in the words of :func:`lib.negotiate.describe`; the fallback is the next smaller concession
    on the loan's ladder (:attr:`lib.negotiate.Ask.fallback`) — None when there is none, or when
    the user replaced the suggestion with their own choice (the ladder then says nothing about it).
    """
    asks = chosen.asks.asks
    ids = [a.loan_id for a in asks]
    if loan_id not in ids:
        raise KeyError(f"no loan {loan_id!r} in the plan")
    row = ids.index(loan_id)
    ask = asks[row]
    before = dict(ask.before)
    option = chosen.plan.get(loan_id, ask.option)
    after = chosen.outcome.loans.iloc[row].to_dict()
    line_above = float(chosen.legal.line[row]) if bool(chosen.legal.above[row]) else None
    line = float(chosen.legal.line[row])
    apr = _num(chosen.legal.apr[row])

    fallback = fallback_monthly = None
    if ask.fallback is not None and _same(option, ask.option):
        fb = ask.fallback
        fb_after = _after_alone(fb, before)
        fallback = _words(lambda lang: describe(fb, before, fb_after, lang, line=line_above))
        fallback_monthly = round(float(fb_after["overdue_amount"]) + float(fb_after["monthly_payment"]), 2)

    kind = _name(before.get("kind")) or "online"
    rule_key = "negotiate.legal_rule." + ("private" if kind == PRIVATE else "licensed")
    parts = {c: round(float(before.get(c) or 0.0), 2) for c in ("balance", "interest", "penalty", "fees")}
    loans = scenario.loans_frame
    owed_all = float((loans["balance"] + loans["interest"] + loans["penalty"] + loans["fees"]).sum()) if len(loans) else 0.0
    term = _num(before.get("term_months"))
    return LetterFacts(
        loan_id=loan_id, name=scenario.kit.name.strip(), lender=_name(before.get("lender")) or _name(ask.lender) or loan_id,
        kind=kind, principal_amount=_num(before.get("principal_amount")), received=_num(before.get("received")),
        start_date=_day(before.get("start_date")), term_months=None if term is None else int(term),
        **parts, owed=round(sum(parts.values()), 2),
        overdue_days=int(before.get("overdue_days") or 0), overdue_amount=round(float(before.get("overdue_amount") or 0.0), 2),
        hardship=scenario.kit.hardship, hardship_text=scenario.kit.hardship_text.strip(),
        capacity=float(scenario.capacity.to_capacity().monthly), n_loans=len(loans), total_owed=round(owed_all, 2),
        label=option.label,
        ask=_words(lambda lang: describe(option, before, after, lang, line=line_above)),
        monthly=_first_due(chosen.result, row), regular=round(float(after["monthly_payment"]), 2),
        months=int(after["remaining_months"]),
        fallback=fallback, fallback_monthly=fallback_monthly,
        apr=apr, line=line, above=line_above is not None,
        rule=_words(lambda lang: t(rule_key, lang, line=_rate_text(line))),
        today=today or dt.date.today(),
    )


# --- is an audit of the account worth asking for ----------------------------------------------------
def needs_fee_audit(facts: LetterFacts) -> bool:
    """Money deducted up front (received < borrowed), fees owed (guarantee, service, membership …)
    or a real APR above the legal line: then ask the lender for an itemised statement."""
    return facts.deducted > _CENT or facts.fees > _CENT or facts.above


def kinds_for(facts: LetterFacts) -> tuple[str, ...]:
    """The letters worth offering for this loan (the audit only when :func:`needs_fee_audit`)."""
    return tuple(k for k in LETTER_KINDS if k != "fee_audit" or needs_fee_audit(facts))


# --- the texts ------------------------------------------------------------------------------------
_MONTHS_EN: Final = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
                     "October", "November", "December")


def _date(d: dt.date | None, lang: str) -> str | None:
    if d is None:
        return None
    return f"{d.day} {_MONTHS_EN[d.month - 1]} {d.year}" if lang == "en" else f"{d.year}年{d.month}月{d.day}日"


# the loan as a letter names it ("I have <an online loan> with you", "在贵方有一笔<网贷借款>")
_LOAN_WORDS: Final = {
    "zh": {"online": "网贷借款", "consumer_finance": "消费金融借款", "credit_card": "信用卡欠款", "bank": "银行贷款",
           "private": "借款", "other": "借款"},
    "en": {"online": "an online loan", "consumer_finance": "a consumer-finance loan", "credit_card": "a credit-card debt",
           "bank": "a bank loan", "private": "a private loan", "other": "a loan"},
}


def _sentence(text: str, lang: str) -> str:
    """The user's own words as a sentence (a full stop added when they end without one)."""
    text = text.strip()
    if not text or text[-1] in "。！？.!?…）)”\"":
        return text
    return text + ("." if lang == "en" else "。")


def _context(facts: LetterFacts, lang: str) -> dict[str, Any]:
    f = facts
    hardship = t(f"hardship.{f.hardship}", lang)
    m = money
    return {
        "title": t("letter.proposal", lang),
        "name": f.name, "lender": f.lender, "kind": t(f"kind.{f.kind}", lang), "kind_code": f.kind,
        "credit_card": f.credit_card, "private": f.private,
        "borrowed": None if f.principal_amount is None else m(f.principal_amount),
        "received": None if f.received is None else m(f.received),
        "deducted": m(f.deducted) if f.deducted > _CENT else None,
        "start": _date(f.start_date, lang), "term": f.term_months,
        "owed": m(f.owed), "balance": m(f.balance), "interest": m(f.interest), "penalty": m(f.penalty),
        "fees": m(f.fees) if f.fees > _CENT else None, "fees_any": m(f.fees),
        "overdue_days": f.overdue_days, "overdue_amount": m(f.overdue_amount) if f.overdue_amount > _CENT else None,
        "hardship": hardship if lang != "en" else hardship[:1].lower() + hardship[1:],
        "hardship_code": f.hardship, "hardship_text": f.hardship_text, "reason": _sentence(f.hardship_text, lang),
        "loan": _LOAN_WORDS[lang].get(f.kind, _LOAN_WORDS[lang]["other"]),
        "capacity": m(f.capacity), "n_loans": f.n_loans, "total_owed": m(f.total_owed),
        "ask": f.ask[lang], "keep": f.label == BASELINE or (f.label == LEGAL and not f.above),
        "monthly": m(f.monthly),
        "regular": m(f.regular) if abs(f.regular - f.monthly) > _CENT and f.regular > _CENT else None,
        "months": f.months,
        "fallback": None if f.fallback is None else f.fallback[lang],
        "fallback_monthly": None if f.fallback_monthly is None else m(f.fallback_monthly),
        "above": f.above, "apr": None if f.apr is None else pct(f.apr), "line": pct(f.line), "rule": f.rule[lang],
        "audit": needs_fee_audit(f),
        "date": _date(f.today, lang),
    }


def letter(kind: str, facts: LetterFacts, lang: str = "zh") -> str:
    """One letter as plain text: paragraphs separated by a blank line (the first line is its title)."""
    if kind not in LETTER_KINDS:
        raise ValueError(f"unknown letter kind {kind!r}; choose one of {LETTER_KINDS}")
    lang = "en" if lang == "en" else "zh"
    ctx = _context(facts, lang)
    ctx["title"] = t(f"letter.{kind}", lang)
    text = text_templates().get_template(f"{kind}.{lang}.txt.j2").render(ctx)
    text = re.sub(r"[ \t]+\n", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def edit_key(loan_id: str, kind: str) -> str:
    """Where :attr:`lib.scenario.KitSettings.edited` keeps the user's own text of a letter."""
    return f"{loan_id}.{kind}"


def text_for(scenario: Scenario, facts: LetterFacts, kind: str, lang: str = "zh") -> str:
    """The letter as the user edited it, else as written from the facts."""
    return scenario.kit.edited.get(edit_key(facts.loan_id, kind)) or letter(kind, facts, lang)


_UNSAFE_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f{}%$`]+')


def file_name(kind: str, facts: LetterFacts | RenegotiationFacts, lang: str = "zh", ext: str = "docx") -> str:
    """``<title>-<lender>-YYYY-MM-DD.<ext>``, the lender's name made safe for a file name (of any
    letter's facts: a :class:`LetterFacts` or a :class:`lib.kit.renegotiation.RenegotiationFacts`).

    >>> import datetime as dt
    >>> f = LetterFacts("L1", "", "晨曦/小贷{{7*7}}", "online", None, None, None, None, 1.0, 0.0, 0.0, 0.0, 1.0,
    ...                 0, 0.0, "other", "", 1.0, 1, 1.0, "baseline", {}, 1.0, 1.0, 1, None, None, None, 0.24,
    ...                 False, {}, dt.date(2026, 3, 5))
    >>> file_name("proposal", f), file_name("call_script", f, "en", "txt")
    ('协商还款申请书-晨曦_小贷_7_7-2026-03-05.docx', 'Call-notes-晨曦_小贷_7_7-2026-03-05.txt')
    """
    lender = re.sub(r"\s+", "_", _UNSAFE_NAME.sub("_", facts.lender).strip(" ._"))[:40] or facts.loan_id
    title = re.sub(r"\s+", "-", t(f"letter.{kind}", lang))
    return f"{title}-{lender}-{facts.today.isoformat()}.{ext}"


# --- Word ------------------------------------------------------------------------------------------
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _fonts(style_or_run: Any) -> None:
    from docx.oxml.ns import qn

    rpr = style_or_run.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), EAST_ASIAN_FONT)


def to_docx(title: str, text: str) -> bytes:
    """A Word file: ``title`` as its heading, then one paragraph per paragraph of ``text``
    (separated by blank lines; the lines within one kept as line breaks). A4, 2.5 cm margins,
    East Asian text in SimSun (Noto Serif CJK SC or any CJK font where it is missing)."""
    from docx import Document
    from docx.shared import Mm, Pt

    doc = Document()
    for sec in doc.sections:
        sec.page_width, sec.page_height = Mm(210), Mm(297)
        sec.top_margin = sec.bottom_margin = Mm(25)
        sec.left_margin = sec.right_margin = Mm(25)
    normal = doc.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(11)
    for name in ("Normal", "Title", "Heading 1"):
        _fonts(doc.styles[name])
    title = _NOT_XML.sub("", title)
    heading = doc.add_heading(title, level=1)
    for run in heading.runs:
        _fonts(run)
    body = _NOT_XML.sub("", text).strip()
    paras = [p for p in re.split(r"\n\s*\n", body) if p.strip()]
    if paras and paras[0].strip() == title.strip():  # the text's own first line is the title
        paras = paras[1:]
    for para in paras:
        p = doc.add_paragraph()
        for i, line in enumerate(para.split("\n")):
            run = p.add_run(line)
            _fonts(run)
            if i < para.count("\n"):
                run.add_break()
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


__all__ = ["AGREEMENT_KINDS", "DOCX_MIME", "LETTER_KINDS", "LetterFacts", "edit_key", "file_name", "kinds_for", "letter",
           "letter_facts", "needs_fee_audit", "text_for", "to_docx"]
