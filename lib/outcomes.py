"""The outcome book: what lenders were asked, what they granted and what they refused, counted by
lender and by option across any number of scenarios (one per client, for a coach).

Every recorded agreement (:class:`lib.tracker.Agreement`) and refusal
(:class:`lib.tracker.Refusal`) is a :class:`Case`; :func:`cases` gathers them; :func:`lender_book`
counts them per lender (:class:`LenderOutcome`); :func:`grant_rates` says, per option asked for,
how often it was granted exactly as asked (:class:`GrantRate`: what the compare page shows in
place of the general "how often granted" word once enough cases are recorded). Lenders are
matched by :func:`lender_key` (the same name typed with other spaces or full-width letters is
the same lender). Nothing here makes words but :func:`outcome_text`, :func:`rate_text` (``outcomes.*``
in :mod:`lib.i18n`) and the book as the clients page shows it (:func:`book_lines`, :func:`book_view`).

>>> import datetime as dt
>>> from lib.scenario import Scenario
>>> from lib.tracker import Agreement, Instalment, Refusal
>>> a = Agreement(loan_id="L1", option="instalments", asked="waiver+instalments", lender="甲花贷",
...               agreed_on=dt.date(2031, 1, 5), instalments=(Instalment(due=dt.date(2031, 2, 10), amount=500),
...                                                      Instalment(due=dt.date(2031, 3, 10), amount=500)))
>>> r = Refusal(loan_id="L2", lender=" 甲花贷", asked="waiver+instalments", on=dt.date(2031, 1, 9))
>>> (book,) = lender_book(cases([Scenario(agreements=(a,), refusals=(r,))]).cases)
>>> book.asks, book.granted_as_asked, book.granted_other, book.refused, book.median_months
(2, 0, 1, 1, 2)
>>> outcome_text(book, "en")
'甲花贷: 2 asks; interest or penalty waived in 0; median term agreed 2 months'
"""

from __future__ import annotations

import datetime as dt
import statistics
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

import pandas as pd

from lib.fmt import md_escape, pct
from lib.i18n import t
from lib.negotiate import LABELS

if TYPE_CHECKING:
    from lib.scenario import Scenario

__all__ = ["AskCount", "Case", "Cases", "GrantRate", "LenderOutcome", "MIN_CASES", "book_lines", "book_view", "cases",
           "grant_rates", "lender_book", "lender_key", "outcome_text", "rate_text"]

MIN_CASES: Final = 5  # fewer recorded asks than this say too little to show a rate


@dataclass(frozen=True)
class Case:
    """One ask and its outcome: ``granted`` is the option granted (None: refused); ``months`` the
    number of instalments agreed (None for a refusal); ``waived`` what was waived (CNY); ``on`` the
    day it was agreed or refused."""

    lender: str  # as recorded (display)
    lender_key: str  # lender_key(lender): what lenders are matched by
    asked: str  # an option label (lib.negotiate.LABELS)
    granted: str | None
    months: int | None
    waived: float
    on: dt.date


@dataclass(frozen=True)
class Cases:
    """The cases, and how many records were skipped (no lender name in the record nor in the loan table)."""

    cases: tuple[Case, ...]
    skipped: int


def lender_key(name: str) -> str:
    """A lender's name as lenders are matched: NFKC (full-width letters and digits become plain),
    no spaces anywhere, case folded.

    >>> lender_key("  甲花贷 "), lender_key("Ｊｉｅ bei"), lender_key("JIEBEI")
    ('甲花贷', 'jiebei', 'jiebei')
    """
    return "".join(unicodedata.normalize("NFKC", name).casefold().split())


def _lender(recorded: str, loans: dict[str, str], loan_id: str) -> str:
    """The recorded name, else the name of the scenario's loan with that id ('' when neither)."""
    return recorded.strip() or loans.get(loan_id, "").strip()


def _of(scenario: Scenario) -> tuple[list[Case], int]:
    loans = {x.loan_id: x.lender for x in scenario.loans}
    out: list[Case] = []
    skipped = 0
    for a in scenario.agreements:
        name = _lender(a.lender, loans, a.loan_id)
        if not lender_key(name):
            skipped += 1
            continue
        out.append(Case(name, lender_key(name), a.asked or a.option, a.option, len(a.instalments), a.waived,
                        a.agreed_on))
    for r in scenario.refusals:
        name = _lender(r.lender, loans, r.loan_id)
        if not lender_key(name):
            skipped += 1
            continue
        out.append(Case(name, lender_key(name), r.asked, None, None, 0.0, r.on))
    return out, skipped


def cases(scenarios: Iterable[Scenario]) -> Cases:
    """Every agreement and refusal of every scenario as a :class:`Case`. An agreement that does
    not record what was asked counts as asked for what it grants. A record without a lender's
    name takes the name of the scenario's loan with its ``loan_id``; without either it is skipped
    (and counted in :attr:`Cases.skipped`).

    >>> import datetime as dt
    >>> from lib.scenario import Scenario
    >>> from lib.tracker import Refusal
    >>> c = cases([Scenario(refusals=(Refusal(loan_id="L1", lender="", asked="waiver", on=dt.date(2031, 1, 9)),))])
    >>> c.cases, c.skipped
    ((), 1)
    """
    out: list[Case] = []
    skipped = 0
    for s in scenarios:
        mine, n = _of(s)
        out += mine
        skipped += n
    return Cases(tuple(out), skipped)


@dataclass(frozen=True)
class AskCount:
    """One option asked of one lender: how often, and what came of it."""

    label: str
    asks: int
    granted_as_asked: int
    granted_other: int
    refused: int


@dataclass(frozen=True)
class LenderOutcome:
    """What one lender did with what it was asked (``by_asked``: per option asked, in
    :data:`lib.negotiate.LABELS` order). ``waiver_granted``: granted cases whose option waives
    (its label has ``waiver``) or that waived money; the medians are over the granted cases (None
    when there are none)."""

    lender: str  # the name as first recorded
    lender_key: str
    asks: int
    granted_as_asked: int
    granted_other: int
    refused: int
    waiver_granted: int
    median_months: float | None
    median_waived: float | None
    by_asked: tuple[AskCount, ...]


def _median(xs: Sequence[float]) -> float | None:
    return statistics.median(xs) if xs else None


def _count(label: str, mine: Sequence[Case]) -> AskCount:
    return AskCount(label, len(mine), sum(c.granted == c.asked for c in mine),
                    sum(c.granted is not None and c.granted != c.asked for c in mine),
                    sum(c.granted is None for c in mine))


def _outcome(mine: Sequence[Case]) -> LenderOutcome:
    granted = [c for c in mine if c.granted is not None]
    total = _count("", mine)
    order = {label: i for i, label in enumerate(LABELS)}
    labels = sorted({c.asked for c in mine}, key=lambda x: (order.get(x, len(order)), x))
    return LenderOutcome(
        lender=mine[0].lender, lender_key=mine[0].lender_key, asks=total.asks,
        granted_as_asked=total.granted_as_asked, granted_other=total.granted_other, refused=total.refused,
        waiver_granted=sum("waiver" in (c.granted or "") or c.waived > 0 for c in granted),
        median_months=_median([c.months for c in granted if c.months is not None]),
        median_waived=_median([c.waived for c in granted]),
        by_asked=tuple(_count(label, [c for c in mine if c.asked == label]) for label in labels))


def lender_book(cases: Iterable[Case]) -> list[LenderOutcome]:
    """The cases per lender (matched by :attr:`Case.lender_key`), the most asked first (then by name).

    >>> import datetime as dt
    >>> day = dt.date(2031, 1, 1)
    >>> book = lender_book([Case("乙", "乙", "waiver", "waiver", 6, 300.0, day),
    ...                     Case("甲", "甲", "waiver", None, None, 0.0, day),
    ...                     Case("乙", "乙", "instalments", "instalments", 9, 0.0, day)])
    >>> [(b.lender, b.asks, b.waiver_granted, b.median_months, b.median_waived) for b in book]
    [('乙', 2, 1, 7.5, 150.0), ('甲', 1, 0, None, None)]
    >>> [(x.label, x.asks) for x in book[0].by_asked]
    [('waiver', 1), ('instalments', 1)]
    """
    groups: dict[str, list[Case]] = {}
    for c in cases:
        groups.setdefault(c.lender_key, []).append(c)
    return sorted((_outcome(g) for g in groups.values()), key=lambda b: (-b.asks, b.lender_key))


@dataclass(frozen=True)
class GrantRate:
    """How often an option was granted exactly as asked, of the recorded asks for it."""

    label: str
    granted: int
    asked: int
    share: float  # granted / asked


def grant_rates(cases: Iterable[Case], min_cases: int = MIN_CASES) -> dict[str, GrantRate]:
    """Per option asked for (with at least ``min_cases`` recorded asks): how often it was granted
    exactly as asked, over every lender in ``cases`` (pass one lender's cases for that lender's).

    >>> import datetime as dt
    >>> day = dt.date(2031, 1, 1)
    >>> rates = grant_rates([Case("甲", "甲", "waiver", g, None, 0.0, day)
    ...                      for g in ("waiver", "waiver", None, "instalments", "waiver")])
    >>> rates
    {'waiver': GrantRate(label='waiver', granted=3, asked=5, share=0.6)}
    >>> grant_rates([Case("甲", "甲", "waiver", "waiver", None, 0.0, day)] * 4)
    {}
    """
    by: dict[str, list[Case]] = {}
    for c in cases:
        by.setdefault(c.asked, []).append(c)
    out = {}
    for label, mine in by.items():
        if len(mine) >= min_cases:
            n = sum(c.granted == label for c in mine)
            out[label] = GrantRate(label, n, len(mine), n / len(mine))
    return out


# ---- words ------------------------------------------------------------------------------------------------
def _number(x: float) -> str:
    return f"{x:g}"


def outcome_text(outcome: LenderOutcome, lang: str = "zh") -> str:
    """One line for a lender: its asks, the waivers granted, the median term agreed (left out when
    nothing was granted with instalments).

    >>> b = LenderOutcome("借呗", "借呗", 14, 9, 2, 3, 9, 12, 800.0, ())
    >>> outcome_text(b)
    '借呗：14 次请求；9 次减免了罚息或利息；同意的期数中位数 12 个月'
    """
    parts = [t(f"outcomes.asks.{'one' if outcome.asks == 1 else 'other'}", lang, n=outcome.asks),
             t("outcomes.waived", lang, n=outcome.waiver_granted)]
    if outcome.median_months is not None:
        one = outcome.median_months == 1
        parts.append(t(f"outcomes.median_months.{'one' if one else 'other'}", lang,
                       n=_number(outcome.median_months)))
    return t("outcomes.line", lang, lender=outcome.lender, parts=t("outcomes.sep", lang).join(parts))


def rate_text(rate: GrantRate, lang: str = "zh") -> str:
    """The recorded rate in words, as the comparison shows it.

    >>> rate_text(GrantRate("waiver", 9, 14, 9 / 14), "en"), rate_text(GrantRate("waiver", 9, 14, 9 / 14))
    ('granted 9 of 14 recorded (64%)', '9/14 次同意 (64%)')
    """
    return t("outcomes.rate", lang, granted=rate.granted, asked=rate.asked, share=pct(rate.share, 0))


def book_lines(book: Sequence[LenderOutcome], lang: str = "zh") -> str:
    """The book as a markdown list, a lender a line (:func:`outcome_text`, escaped: a lender's name is
    the user's text).

    >>> print(book_lines([LenderOutcome("借呗*", "借呗*", 1, 0, 0, 1, 0, None, None, ())], "en"))
    - 借呗\\*\\: 1 ask; interest or penalty waived in 0
    """
    return "\n".join(f"- {md_escape(outcome_text(b, lang))}" for b in book)


def book_view(book: Sequence[LenderOutcome], lang: str = "zh") -> pd.DataFrame:
    """The book as a table, a lender a row: asks, granted as asked, granted something else, refused,
    waivers granted, the median term agreed ("—" when nothing was granted).

    >>> import datetime as dt
    >>> day = dt.date(2031, 1, 1)
    >>> book = lender_book([Case("乙", "乙", "waiver", "waiver", 6, 300.0, day),
    ...                     Case("甲", "甲", "waiver", None, None, 0.0, day),
    ...                     Case("乙", "乙", "instalments", "instalments", 9, 0.0, day)])
    >>> book_view(book, "en").to_dict("list")  # doctest: +NORMALIZE_WHITESPACE
    {'Lender': ['乙', '甲'], 'Asks': [2, 1], 'Granted as asked': [2, 0], 'Granted something else': [0, 0],
     'Refused': [0, 1], 'Interest or penalty waived': [1, 0], 'Median months': ['7.5', '—']}
    """
    return pd.DataFrame({
        t("ws.col.lender", lang): [b.lender for b in book],
        t("ws.col.asks", lang): [b.asks for b in book],
        t("ws.col.as_asked", lang): [b.granted_as_asked for b in book],
        t("ws.col.other", lang): [b.granted_other for b in book],
        t("ws.col.refused", lang): [b.refused for b in book],
        t("ws.col.waived", lang): [b.waiver_granted for b in book],
        t("ws.col.median_months", lang): [f"{b.median_months:g}" if b.median_months is not None else "—"
                                          for b in book]})
