"""The contact and collection log (催收记录): every call, message, letter or visit, checked against
the collection-conduct rules of ``data/collection_rules.csv`` (:mod:`lib.rules`).

* :class:`Contact` — one entry of the log (a frozen pydantic model; the scenario keeps them as JSON
  dicts: ``Contact.model_validate(d)`` / ``c.model_dump(mode="json")``). It has no field for an SMS
  code, a password, an ID or card number.
* :func:`flags` — every entry that breaks a rule (:class:`Flag`: the check, the rule with its source,
  date and confidence, the entry, the count that broke a daily limit).
* :func:`complaint_route` — where to complain, in order (:class:`Route`; codes, words by
  ``complaint.route.<code>``).
* :func:`complaint_letter` — a complaint about the flagged entries, to the lender or a regulator
  (``lib/kit/templates/complaint.<lang>.txt.j2``; ``lib.kit.letters.to_docx`` makes it a Word file).
* :func:`scam_check` — a paid “代理协商 / 停息挂账 / 征信洗白” offer, judged by a few yes/no questions.
* what the track page shows of them: :func:`contact_view`, :func:`entry_label`, :func:`flag_line`,
  :func:`routes_text`, :func:`scam_text`, :func:`alternatives_text`; a new entry's form starts from
  :func:`new_entry`.

The rules are industry norms and the law as the CSV cites them; this is information, not legal
advice. Times are local times as the user wrote them (no time zone).

>>> import datetime as dt
>>> log = [Contact(loan_id="L1", when=dt.datetime(2026, 3, 5, 23, 15), channel="call_in", answered=True)]
>>> [(f.check, f.rule) for f in flags(log)]
[('quiet_hours', 'gb_quiet_hours'), ('quiet_hours', 'cba_quiet_hours')]
>>> [r.code for r in complaint_route("credit_card", flags(log))]
['lender', '12378', '12321']
>>> scam_check({"upfront_fee": True}).verdict
'high_risk'
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Final, Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from lib.i18n import t
from lib.kit.text import text_templates
from lib.rules import CollectionRule, load_collection_rules

CHANNELS: Final = ("call_in", "call_out", "sms", "app_message", "letter", "visit")
CALLS: Final = ("call_in", "call_out")
DIRECTIONS: Final = ("from_lender", "to_lender")
CONTACTED: Final = ("debtor", "family", "employer", "friend", "other_third_party")
THIRD_PARTIES: Final = CONTACTED[1:]
TICKS: Final = ("consent_to_hours", "threat", "shaming", "debtor_unreachable_before", "refused_before",
                 "disclosed")  # an entry's yes/no fields, in the order the form asks them
MAX_WHO = 40
MAX_TEXT = 500
EARLIEST: Final = dt.datetime(2000, 1, 1)
LATEST: Final = dt.datetime(2100, 12, 31, 23, 59, 59)


class Contact(BaseModel):
    """One entry of the log, from the debtor's side.

    ``channel``: ``call_in`` a call that came in (to the debtor or the person contacted), ``call_out``
    a call the debtor made, ``sms``, ``app_message`` (the app, WeChat …), ``letter``, ``visit``.
    ``direction``: ``from_lender`` (the lender or its collectors reached out) or ``to_lender``.
    ``answered``: a call was answered (an effective call); ignored for other channels.
    ``who``: the agent's 工号 or name. ``contacted``: who the lender reached.
    ``consent_to_hours``: the debtor agreed to be contacted at that hour.
    ``threat`` / ``shaming``: the collector threatened; shamed in public (posting, spreading private
    information, messaging the address book). ``debtor_unreachable_before``: the debtor could not be
    reached before this third party was contacted; ``refused_before``: this third party had asked
    not to be contacted; ``disclosed``: the third party was told about the debt (both for third
    parties only). ``offered``: what was offered or promised; ``follow_up``: a date to come back to.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

    loan_id: Annotated[str, Field(pattern=r"^[A-Za-z0-9_.-]{1,24}$")]
    when: Annotated[dt.datetime, Field(ge=EARLIEST, le=LATEST)]
    channel: Literal[CHANNELS] = "call_in"  # type: ignore[valid-type]
    direction: Literal[DIRECTIONS] = "from_lender"  # type: ignore[valid-type]
    answered: bool = False
    who: Annotated[str, Field(max_length=MAX_WHO)] = ""
    contacted: Literal[CONTACTED] = "debtor"  # type: ignore[valid-type]
    consent_to_hours: bool = False
    threat: bool = False
    shaming: bool = False
    debtor_unreachable_before: bool = False
    refused_before: bool = False
    disclosed: bool = False
    offered: Annotated[str, Field(max_length=MAX_TEXT)] = ""
    follow_up: Annotated[dt.date, Field(ge=EARLIEST.date(), le=LATEST.date())] | None = None
    note: Annotated[str, Field(max_length=MAX_TEXT)] = ""

    @field_validator("when", mode="before")
    @classmethod
    def _local(cls, v: object) -> object:
        if isinstance(v, dt.datetime) and v.tzinfo is not None:
            raise ValueError("a local time without a time zone")
        return v

    @field_validator("when", mode="after")
    @classmethod
    def _naive(cls, v: dt.datetime) -> dt.datetime:
        if v.tzinfo is not None:  # an ISO string with an offset
            raise ValueError("a local time without a time zone")
        return v

    @model_validator(mode="after")
    def _direction_agrees(self) -> Contact:
        if self.channel == "call_in" and self.direction != "from_lender":
            raise ValueError("a call that came in is from the lender")
        if self.channel == "call_out" and self.direction != "to_lender":
            raise ValueError("a call the debtor made is to the lender")
        return self

    @property
    def from_lender(self) -> bool:
        return self.direction == "from_lender"

    @property
    def third_party(self) -> bool:
        return self.contacted != "debtor"

    @property
    def incoming_call(self) -> bool:
        """A call from the lender (what the daily call limits count)."""
        return self.channel == "call_in"


def contacts_from(rows: Iterable[Mapping[str, object]]) -> list[Contact]:
    """The log from JSON dicts (``Scenario.contacts``); a bad entry raises pydantic's ValidationError."""
    return [Contact.model_validate(dict(r)) for r in rows]


def direction_of(channel: str) -> str:
    """The direction an entry of ``channel`` has: a call the debtor made is to the lender, anything
    else is taken to come from the lender.

    >>> direction_of("call_out"), direction_of("sms")
    ('to_lender', 'from_lender')
    """
    return "to_lender" if channel == "call_out" else "from_lender"


def new_entry(loan_id: str, day: dt.date) -> Contact:
    """What the form for a new entry starts from: a call that came in on ``day`` at noon, answered.

    >>> e = new_entry("L1", dt.date(2026, 3, 5))
    >>> e.when, e.channel, e.answered
    (datetime.datetime(2026, 3, 5, 12, 0), 'call_in', True)
    """
    return Contact(loan_id=loan_id, when=dt.datetime.combine(day, dt.time(12, 0)), answered=True)


def entry_label(c: Contact, lang: str = "zh") -> str:
    """An entry as a list to pick from names it: when, the channel, who.

    >>> entry_label(Contact(loan_id="L1", when=dt.datetime(2026, 3, 5, 23, 15), who="CS-4471"), "en")
    '2026-03-05 23:15 · incoming call · CS-4471'
    """
    return f"{c.when:%Y-%m-%d %H:%M} · {t(f'contacts.channel.{c.channel}', lang)} · {c.who}"


def contact_view(contacts: Sequence[Contact], lang: str = "zh") -> pd.DataFrame:
    """The log as the track page lists it: when, the channel, who, whom they reached, what was
    offered, the follow-up date (blank when none).

    >>> c = Contact(loan_id="L1", when=dt.datetime(2026, 3, 5, 23, 15), channel="sms", contacted="family",
    ...             offered="a 30% cut", follow_up=dt.date(2026, 3, 9))
    >>> contact_view([c, c.model_copy(update={"follow_up": None})], "en").to_dict("list")  # doctest: +NORMALIZE_WHITESPACE
    {'When': ['2026-03-05 23:15', '2026-03-05 23:15'], 'Channel': ['text message', 'text message'],
     "Agent's staff number or name": ['', ''], 'Whom they reached': ['family', 'family'],
     'What was offered or promised': ['a 30% cut', 'a 30% cut'], 'Follow up on': ['2026-03-09', '']}
    """
    return pd.DataFrame({
        t("contacts.field.when", lang): [x.when.strftime("%Y-%m-%d %H:%M") for x in contacts],
        t("contacts.field.channel", lang): [t(f"contacts.channel.{x.channel}", lang) for x in contacts],
        t("contacts.field.who", lang): [x.who for x in contacts],
        t("contacts.field.contacted", lang): [t(f"contacts.contacted.{x.contacted}", lang) for x in contacts],
        t("contacts.field.offered", lang): [x.offered for x in contacts],
        t("contacts.field.follow_up", lang): [str(x.follow_up or "") for x in contacts]})


# --- the checks -----------------------------------------------------------------------------------
# a rule's ``what`` -> the check a log makes of it; the other rules (contact_person, call_recording)
# need what a log does not hold
CHECKS: Final = {
    "contact_time": "quiet_hours",
    "answered_calls_per_day": "answered_calls",
    "unanswered_calls_per_number_per_day": "unanswered_attempts",
    "third_party_contact": "third_party_reachable",
    "third_party_contact_after_refusal": "third_party_refused",
    "third_party_disclosure": "disclosed",
    "threat": "threat",
    "shaming": "shaming",
}
HARASSMENT: Final = ("quiet_hours", "answered_calls", "unanswered_attempts")
_MESSAGES: Final = ("call_in", "sms", "app_message")  # a harassing call or message: 12321


@dataclass(frozen=True)
class Flag:
    """One entry that breaks one rule. ``check``: :data:`CHECKS`; ``rule``, ``source``, ``date``,
    ``confidence``: the rule's (:class:`lib.rules.CollectionRule`); ``contact`` the entry and
    ``index`` its place in the log as given; for a daily limit ``n`` is the entry's count that day
    (4: the 4th effective call) and ``limit`` the allowed number."""

    check: str
    rule: str
    source: str
    date: dt.date
    confidence: str
    contact: Contact
    index: int
    n: int | None = None
    limit: int | None = None

    @property
    def routes(self) -> tuple[str, ...]:
        """Where this breach is reported beyond the lender and its regulator: ``110`` for a threat or
        public shaming, ``12321`` for a harassing call or message."""
        out: list[str] = []
        if self.check in ("threat", "shaming"):
            out.append("110")
        if self.check in HARASSMENT or self.contact.channel in _MESSAGES:
            out.append("12321")
        return tuple(out)


def _flag(r: CollectionRule, c: Contact, i: int, n: int | None = None, limit: int | None = None) -> Flag:
    return Flag(CHECKS[r.what], r.rule, r.source, r.date, r.confidence, c, i, n, limit)


def _quiet(c: Contact, hours: tuple[dt.time, dt.time]) -> bool:
    start, end = hours
    at = c.when.time()
    return (start <= at or at < end) if start > end else (start <= at < end)


def _hit(check: str, c: Contact, hours: tuple[dt.time, dt.time] | None) -> bool:
    if check == "quiet_hours":
        return c.from_lender and c.channel != "letter" and not c.consent_to_hours and hours is not None \
            and _quiet(c, hours)
    if check in ("threat", "shaming"):
        return bool(getattr(c, check))
    if not (c.from_lender and c.third_party):
        return False
    return {"third_party_reachable": not c.debtor_unreachable_before, "third_party_refused": c.refused_before,
            "disclosed": c.disclosed}[check]


def flags(contacts: Sequence[Contact], rules: Sequence[CollectionRule] | None = None) -> list[Flag]:
    """Every entry of ``contacts`` that breaks one of ``rules`` (default: ``data/collection_rules.csv``),
    in time order (then file order of the rules). Only what the lender did counts (``from_lender``),
    except a threat or shaming, which counts on a call the debtor made too.

    * ``contact_time``: a contact (not a letter) inside the quiet hours (22:00–08:00: 21:59 and 08:00 are
      outside, 07:59 inside) without the debtor's consent to that hour;
    * ``answered_calls_per_day``: the answered calls to the debtor about one loan on one day beyond the
      limit (the 4th, 5th … with a limit of 3);
    * ``unanswered_calls_per_number_per_day``: the unanswered calls to the debtor's number about one
      loan on one day beyond the limit;
    * ``third_party_contact``: a third party contacted when the debtor was reachable;
    * ``third_party_contact_after_refusal``: a third party contacted again after asking not to be;
    * ``third_party_disclosure``: a third party told about the debt;
    * ``threat``, ``shaming``: an entry marked so.
    """
    rules = load_collection_rules() if rules is None else rules
    order = sorted(range(len(contacts)), key=lambda i: (contacts[i].when, i))
    out: list[tuple[tuple[dt.datetime, int, int], Flag]] = []
    for k, r in enumerate(rules):
        check = CHECKS.get(r.what)
        if check is None:
            continue
        if check in ("answered_calls", "unanswered_attempts"):
            limit = r.limit_count()
            if limit is None:
                continue
            counts: dict[tuple[str, dt.date], int] = defaultdict(int)
            for i in order:
                c = contacts[i]
                if not (c.incoming_call and not c.third_party and c.answered == (check == "answered_calls")):
                    continue
                day = (c.loan_id, c.when.date())
                counts[day] += 1
                if counts[day] > limit:
                    out.append(((c.when, i, k), _flag(r, c, i, counts[day], limit)))
            continue
        hours = r.quiet_hours() if check == "quiet_hours" else None
        if check == "quiet_hours" and hours is None:
            continue
        for i in order:
            if _hit(check, contacts[i], hours):
                out.append(((contacts[i].when, i, k), _flag(r, contacts[i], i)))
    return [f for _, f in sorted(out, key=lambda x: x[0])]


def flag_text(f: Flag, lang: str = "zh") -> str:
    """What happened, in words (``contacts.flag.<check>``)."""
    return t(f"contacts.flag.{f.check}", lang, n=f.n, limit=f.limit, time=f.contact.when.strftime("%H:%M"))


def flag_line(f: Flag, lang: str = "zh") -> str:
    """A flag in one line: the entry's time, what happened, the rule's source and date (not escaped:
    the agent's words are not in it, but the source is a file's text).

    >>> log = [Contact(loan_id="L1", when=dt.datetime(2026, 3, 5, 23, 15), channel="call_in", answered=True)]
    >>> print(flag_line(flags(log)[0], "en"))
    2026-03-05 23:15 · collection at 23:15 without my consent — GB/T 45251—2025《互联网金融 个人网络消费信贷 贷后催收风控指引》, 2025-02-28
    """
    return f"{f.contact.when:%Y-%m-%d %H:%M} · {flag_text(f, lang)} — {f.source}, {f.date}"


# --- where to complain ----------------------------------------------------------------------------
ROUTES: Final = ("lender", "12378", "local_bureau", "12363", "12321", "110", "court_mediation")
_REGULATORS: Final = {"bank": ("12378",), "credit_card": ("12378",), "consumer_finance": ("12378",),
                      "online": ("local_bureau",), "other": ("12378", "local_bureau")}


@dataclass(frozen=True)
class Route:
    """One place to complain: ``code`` (:data:`ROUTES`; words ``complaint.route.<code>`` and
    ``complaint.route.<code>.help``) and ``because``, the checks of the flags that lead there
    (every flag's for the lender and the regulator)."""

    code: str
    because: tuple[str, ...] = ()


def _checks(fs: Iterable[Flag]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(f.check for f in fs))


def complaint_route(kind: str, flags: Sequence[Flag], *, credit_record: bool = False) -> list[Route]:
    """Where to turn about a loan of ``kind`` (:data:`lib.loans.KINDS`), in order: the lender first;
    its regulator — 12378 (the NFRA line and its financial-consumer protection platform) for banks,
    card centres and consumer-finance companies, the local financial bureau (地方金融管理局) for
    online lenders and microloan companies, both for ``other``; 12363 for a credit-record matter
    (``credit_record``); 12321 for harassing calls and messages; 110 for threats and public shaming.
    A private loan: the lender, 110 for threats, otherwise the court's pre-litigation mediation.

    >>> [r.code for r in complaint_route("private", [])]
    ['lender', 'court_mediation']
    >>> [r.code for r in complaint_route("online", [], credit_record=True)]
    ['lender', 'local_bureau', '12363']
    """
    every = _checks(flags)
    out = [Route("lender", every)]
    if kind != "private":
        out += [Route(code, every) for code in _REGULATORS.get(kind, _REGULATORS["other"])]
        if credit_record:
            out.append(Route("12363"))
        harass = _checks(f for f in flags if "12321" in f.routes)
        if harass:
            out.append(Route("12321", harass))
    police = _checks(f for f in flags if "110" in f.routes)
    if police:
        out.append(Route("110", police))
    if kind == "private":
        out.append(Route("court_mediation", every))
    return out


def routes_text(routes: Sequence[Route], lang: str = "zh") -> str:
    """The routes as a numbered markdown list, each in bold with what it is for (our own words).

    >>> [line.split(" — ")[0] for line in routes_text([Route("lender"), Route("110")], "en").splitlines()]
    ["1. **The lender's own complaints channel**", '2. **Call the police: 110**']
    """
    return "\n".join(f"{i}. **{t(f'complaint.route.{r.code}', lang)}** — {t(f'complaint.route.{r.code}.help', lang)}"
                     for i, r in enumerate(routes, 1))


# --- the complaint letter -------------------------------------------------------------------------
ADDRESSEES: Final = ("lender", "12378", "local_bureau")
_MONTHS_EN: Final = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
                     "October", "November", "December")
# an ID or card number typed into a note: 15 or more digits (spaces and dashes between) — never printed
_LONG_NUMBER = re.compile(r"\d(?:[ \-]?\d){14,}")


@dataclass(frozen=True)
class ComplaintFacts:
    """What a complaint says beyond the flags: the lender as the user names it, the loan (its id and
    :data:`lib.loans.KINDS` kind), the writer's name as they sign ('' → a blank), to whom
    (:data:`ADDRESSEES`) and the day it is written."""

    lender: str
    loan_id: str
    kind: str = "online"
    name: str = ""
    to: str = "lender"
    today: dt.date | None = None


def _day(d: dt.date, lang: str) -> str:
    return f"{d.day} {_MONTHS_EN[d.month - 1]} {d.year}" if lang == "en" else f"{d.year}年{d.month}月{d.day}日"


def _when(w: dt.datetime, lang: str) -> str:
    return f"{_day(w.date(), lang)}{', ' if lang == 'en' else ' '}{w:%H:%M}"


def _safe(text: str, lang: str) -> str:
    return _LONG_NUMBER.sub(t("complaint.number_removed", lang), text.strip())


# the guide speaks to the debtor ("you"); a complaint speaks of them
_THIRD_PERSON: Final = {
    "zh": ((re.compile("您"), "债务人"),),
    "en": ((re.compile(r"\byou do\b"), "the debtor does"), (re.compile(r"\byou are\b"), "the debtor is"),
           (re.compile(r"\bYour\b"), "The debtor's"), (re.compile(r"\byour\b"), "the debtor's"),
           (re.compile(r"\byou\b"), "the debtor")),
}


def _rule_text(f: Flag, lang: str) -> str:
    """The rule in words, of the debtor (``guide.rule.<id>``; the id for a rule the guide has no words for)."""
    key = f"guide.rule.{f.rule}"
    text = t(key, lang)
    if text == key:
        return f.rule
    for pattern, words in _THIRD_PERSON[lang]:
        text = pattern.sub(words, text)
    return text


def complaint_letter(facts: ComplaintFacts, flags: Sequence[Flag], lang: str = "zh") -> str:
    """A complaint about the flagged contacts of ``facts.loan_id`` (flags of other loans are left
    out): to the lender or a regulator (``facts.to``), each flagged entry once, in time order —
    its date and time, channel, who called, whom they reached, what happened, the user's note —
    with every rule it breaks and that rule's source, date and confidence; then what is asked
    (stop, investigate, a written reply). Every value reaches the template as data (``{{7*7}}``
    prints as it is); the ID and contract numbers are blanks to fill in by hand, and a run of 15
    or more digits in a note is not printed."""
    lang = "en" if lang == "en" else "zh"
    if facts.to not in ADDRESSEES:
        raise ValueError(f"unknown addressee {facts.to!r}; choose one of {ADDRESSEES}")
    mine = [f for f in flags if f.contact.loan_id == facts.loan_id]
    by_entry: dict[int, list[Flag]] = {}
    for f in sorted(mine, key=lambda f: (f.contact.when, f.index)):
        by_entry.setdefault(f.index, []).append(f)
    entries = []
    for fs in by_entry.values():
        c = fs[0].contact
        entries.append({
            "when": _when(c.when, lang),
            "channel": t(f"contacts.channel.{c.channel}", lang),
            "who": _safe(c.who, lang),
            "contacted": t(f"contacts.contacted.{c.contacted}", lang),
            "what": list(dict.fromkeys(flag_text(f, lang) for f in fs)),
            "note": _safe(c.note, lang),
            "offered": _safe(c.offered, lang),
            "rules": [{"text": _rule_text(f, lang), "source": f.source, "date": _day(f.date, lang),
                       "confidence": t(f"flag.confidence.{f.confidence}", lang)} for f in fs],
        })
    kind = facts.kind if facts.kind in _LOAN_WORDS["en"] else "other"
    ctx = {
        "title": t("complaint.title", lang),
        "to": t(f"complaint.to.{facts.to}", lang, lender=facts.lender),
        "to_lender": facts.to == "lender",
        "lender": facts.lender, "name": facts.name.strip(),
        "loan": _LOAN_WORDS[lang][kind], "credit_card": kind == "credit_card",
        "entries": entries, "n": len(entries),
        "police": any("110" in f.routes for f in mine),
        "date": _day(facts.today or dt.date.today(), lang),
    }
    text = text_templates().get_template(f"complaint.{lang}.txt.j2").render(ctx)
    text = re.sub(r"[ \t]+\n", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


_LOAN_WORDS: Final = {
    "zh": {"online": "网贷借款", "consumer_finance": "消费金融借款", "credit_card": "信用卡欠款", "bank": "银行贷款",
           "private": "借款", "other": "借款"},
    "en": {"online": "an online loan", "consumer_finance": "a consumer-finance loan", "credit_card": "a credit-card debt",
           "bank": "a bank loan", "private": "a private loan", "other": "a loan"},
}


# --- a paid agent's offer ------------------------------------------------------------------------
# the questions (words ``scam.q.<code>``), in the order asked
SCAM_QUESTIONS: Final = ("promises_result", "internal_channel", "upfront_fee", "asks_codes", "asks_device",
                         "stop_paying", "erase_record")
_SCAM: Final = frozenset({"asks_codes", "asks_device", "erase_record"})  # any one: a scam
_HIGH: Final = frozenset({"promises_result", "upfront_fee", "stop_paying"})  # any one: high risk at least
VERDICTS: Final = ("scam", "high_risk", "be_careful")
SCAM_LEVELS: Final = {"scam": "error", "high_risk": "warning", "be_careful": "info"}  # how each verdict is shown
ALTERNATIVES: Final = ("negotiate_yourself", "12378")  # words ``scam.alt.<code>``


@dataclass(frozen=True)
class ScamVerdict:
    """``verdict`` (:data:`VERDICTS`; words ``scam.verdict.<code>``), ``reasons`` the questions answered
    yes (:data:`SCAM_QUESTIONS` order), ``alternatives`` what to do instead, for free."""

    verdict: str
    reasons: tuple[str, ...]
    alternatives: tuple[str, ...] = ALTERNATIVES


def scam_check(answers: Mapping[str, bool]) -> ScamVerdict:
    """Judge a paid “代理协商 / 停息挂账 / 征信洗白” offer by the questions answered yes: asking for
    SMS codes or passwords (``asks_codes``), the SIM card or remote access to the phone
    (``asks_device``), or offering to erase credit records (``erase_record``) → ``scam``; a promised
    result, an upfront fee, or being told to stop paying the lender and pay them instead →
    ``high_risk``; anything else (claimed internal channels, or nothing) → ``be_careful``: a
    negotiation costs nothing and needs no agent. An unknown question raises ValueError.

    >>> v = scam_check({"asks_device": True, "upfront_fee": True, "promises_result": False})
    >>> v.verdict, v.reasons
    ('scam', ('upfront_fee', 'asks_device'))
    """
    unknown = [k for k in answers if k not in SCAM_QUESTIONS]
    if unknown:
        raise ValueError(f"unknown question {unknown[0]!r}; the questions are {SCAM_QUESTIONS}")
    yes = tuple(q for q in SCAM_QUESTIONS if answers.get(q) is True)
    verdict = "scam" if _SCAM & set(yes) else "high_risk" if _HIGH & set(yes) else "be_careful"
    return ScamVerdict(verdict, yes)


def scam_text(v: ScamVerdict, lang: str = "zh") -> str:
    """The verdict in bold, then why (markdown, our own words).

    >>> print(scam_text(scam_check({"internal_channel": True}), "en"))
    **Be careful: there is no need to pay** — There are no “internal channels”: a negotiation is applied for by the borrower, with no intermediary.
    """
    return f"**{t(f'scam.verdict.{v.verdict}', lang)}** — {t(f'scam.verdict.{v.verdict}.help', lang)}"


def alternatives_text(v: ScamVerdict, lang: str = "zh") -> str:
    """What to do instead, for free, as a markdown list.

    >>> [line[:20] for line in alternatives_text(scam_check({}), "en").splitlines()]
    ['- Negotiate yourself', '- If a bank, card ce']
    """
    return "\n".join(f"- {t(f'scam.alt.{a}', lang)}" for a in v.alternatives)


__all__ = ["ADDRESSEES", "ALTERNATIVES", "CHANNELS", "CHECKS", "CONTACTED", "DIRECTIONS", "ROUTES",
           "SCAM_LEVELS", "SCAM_QUESTIONS", "TICKS", "VERDICTS", "ComplaintFacts", "Contact", "Flag", "Route",
           "ScamVerdict", "alternatives_text", "complaint_letter", "complaint_route", "contact_view", "contacts_from",
           "direction_of", "entry_label", "flag_line", "flag_text", "flags", "new_entry", "routes_text", "scam_check",
           "scam_text"]
