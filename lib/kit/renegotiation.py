"""The renegotiation letter (重新协商还款申请): for an agreement that slipped — an instalment short or
missed (:func:`lib.tracker.status`), or a month ahead that cannot be paid (:func:`lib.tracker.at_risk`).

It names the agreement (when it was agreed, its reference, the agreed instalment), says what was
paid, what is short and since when, and why (the kit's hardship, as the proposal says it); then
it proposes a new plan from the real state: what is still unpaid of the agreement spread over
``N`` months at what the borrower can put towards this lender a month (``affordable``), ``N =
ceil(still owed / affordable)`` counted in whole fen, the last month the remainder. When nothing
can be paid (``affordable`` <= 0) it asks for a pause instead (a hardship hold). It asks the
lender to keep the agreement open, and not to report it as a new default, while it considers the
request. Polite and firm; it admits nothing beyond the facts stated; it leaves a blank line for
anything personal and never asks for an ID or card number.

:func:`renegotiation_facts` works out the figures (:class:`RenegotiationFacts`);
:func:`renegotiation_letter` writes the letter from ``lib/kit/templates/renegotiate.<lang>.txt.j2``
(every value reaches the template as data); :func:`lib.kit.letters.to_docx` makes a Word file of
it, :func:`lib.kit.letters.file_name` names it.

>>> import datetime as dt
>>> from lib.tracker import Agreement, Instalment, Payment, add_months, status
>>> a = Agreement(loan_id="L7", option="instalments", agreed_on=dt.date(2031, 1, 5),
...               instalments=tuple(Instalment(due=add_months(dt.date(2031, 2, 10), k), amount=1000)
...                                 for k in range(6)))
>>> st = status(a, [Payment(loan_id="L7", paid_on=dt.date(2031, 2, 9), amount=700)], dt.date(2031, 2, 20))
>>> f = renegotiation_facts(a, st, lender="甲花贷", kind="online", name="", hardship="job_loss", hardship_text="",
...                         affordable=600, today=dt.date(2031, 2, 20))
>>> f.still_owed, f.months, f.monthly, f.last, f.start
(5300.0, 9, 600.0, 500.0, datetime.date(2031, 3, 10))
>>> print(renegotiation_letter(f, "en").splitlines()[0])
Request to revise the repayment agreement
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Final

from lib.fmt import money
from lib.i18n import t
from lib.kit.letters import _LOAN_WORDS, _date, _sentence
from lib.kit.text import text_templates
from lib.scenario import HARDSHIPS
from lib.tracker import Agreement, Payment, Status, add_months, at_risk

__all__ = ["PAUSE_MONTHS", "RENEGOTIATE", "RenegotiationFacts", "affordable_for", "letter_affordable", "replan",
           "renegotiation_facts", "renegotiation_letter"]

RENEGOTIATE: Final = "renegotiate"  # the letter's kind (lib.kit.letters.AGREEMENT_KINDS)
PAUSE_MONTHS: Final = 3  # what the pause asks for, when nothing can be paid


@dataclass(frozen=True)
class RenegotiationFacts:
    """What the renegotiation letter says (money in CNY, to the fen).

    ``months``/``monthly``/``last``: the new plan — ``months`` payments of ``monthly``, the last
    one ``last`` (``(months - 1) × monthly + last = still_owed``); ``months`` None: nothing can be
    paid, the letter asks for a pause of ``pause_months`` months."""

    loan_id: str
    lender: str
    kind: str  # lib.loans.KINDS
    name: str  # the writer's name as they sign ('' → a line to sign by hand)
    agreed_on: dt.date
    reference: str
    instalment: float  # the agreed instalment in question (the first not paid in full)
    agreed_total: float
    verdict: str  # lib.tracker.VERDICTS
    agreed_to_date: float
    paid_to_date: float
    arrears: float  # all that is missing of the instalments short or missed
    since: dt.date | None  # the due date of the first of them
    days_late: int  # … days from it to today
    next_due: dt.date | None  # the next instalment not yet due (the one at risk, when nothing slipped yet)
    still_owed: float  # what is still unpaid of the agreement
    hardship: str  # lib.scenario.HARDSHIPS
    hardship_text: str
    affordable: float  # what can be put towards this lender a month
    months: int | None
    monthly: float
    last: float
    start: dt.date  # the new plan's first payment
    pause_months: int
    today: dt.date

    @property
    def behind(self) -> bool:
        """An instalment already short or missed (else the letter is written before one is)."""
        return self.verdict in ("short", "missed")

    @property
    def pause(self) -> bool:
        return self.months is None


def replan(still_owed: float, affordable: float) -> tuple[int, float, float] | None:
    """``still_owed`` spread at ``affordable`` a month, in whole fen: (months, monthly, last), the
    last month the remainder; None when ``affordable`` is not above 0 (nothing can be paid).

    >>> replan(5300, 600), replan(1200, 600), replan(450, 600), replan(5300, 0)
    ((9, 600.0, 500.0), (2, 600.0, 600.0), (1, 450.0, 450.0), None)
    """
    owed, each = round(still_owed * 100), round(affordable * 100)
    if owed <= 0:
        raise ValueError("nothing is still owed")
    if each <= 0:
        return None
    months = -(-owed // each)
    each = min(each, owed)
    return months, each / 100, (owed - (months - 1) * each) / 100


def affordable_for(loan_id: str, agreements: Iterable[Agreement], capacity_monthly: float, month: dt.date, *,
                   payments: Iterable[Payment] = ()) -> float:
    """What can go to ``loan_id``'s lender a month: ``capacity_monthly`` less the instalments the
    *other* loans' agreements ask in ``month``'s calendar month (the last agreement given per loan;
    what was already paid towards them counts as :func:`lib.tracker.at_risk` counts it). It may be
    0 or below: then the letter asks for a pause.

    >>> from lib.tracker import Instalment
    >>> other = Agreement(loan_id="L8", option="instalments", agreed_on=dt.date(2031, 1, 5),
    ...                   instalments=(Instalment(due=dt.date(2031, 3, 15), amount=300),))
    >>> affordable_for("L7", [other], 900, dt.date(2031, 3, 10)), affordable_for("L8", [other], 900, dt.date(2031, 3, 10))
    (600.0, 900.0)
    """
    others = {a.loan_id: a for a in agreements if a.loan_id != loan_id}
    flagged = at_risk(others.values(), 0.0, months=1, start=month, payments=payments)
    due = flagged[0].total_due if flagged else 0.0
    return round(capacity_monthly - due, 2)


def letter_affordable(agreement: Agreement, st: Status, agreements: Iterable[Agreement], capacity_monthly: float,
                      today: dt.date, *, payments: Iterable[Payment] = ()) -> float:
    """What the track page's letter offers ``agreement``'s lender a month: what the capacity
    leaves after the other agreements' instalments (:func:`affordable_for`, in the month of the
    next instalment due, ``st.next_due``, else ``today``'s), but never more than the agreed
    instalment (the first due on or after ``today``, else the last): a one-off shortfall moves to
    the end rather than raising the instalment.

    >>> from lib.tracker import Instalment, status
    >>> mine = Agreement(loan_id="L7", option="instalments", agreed_on=dt.date(2031, 1, 5),
    ...                  instalments=(Instalment(due=dt.date(2031, 2, 10), amount=1000),
    ...                               Instalment(due=dt.date(2031, 3, 10), amount=1000)))
    >>> other = Agreement(loan_id="L8", option="instalments", agreed_on=dt.date(2031, 1, 5),
    ...                   instalments=(Instalment(due=dt.date(2031, 3, 15), amount=300),))
    >>> day = dt.date(2031, 2, 20)
    >>> st = status(mine, [], day)  # February's missed; next due 10 March, with 300 to L8 that month
    >>> letter_affordable(mine, st, [mine, other], 900, day), letter_affordable(mine, st, [mine, other], 2000, day)
    (600.0, 1000.0)
    """
    instalment = next((i.amount for i in agreement.instalments if i.due >= today), agreement.instalments[-1].amount)
    return min(instalment, affordable_for(agreement.loan_id, agreements, capacity_monthly, st.next_due or today,
                                          payments=payments))


def _instalment(agreement: Agreement, st: Status) -> float:
    """The agreed instalment in question: the first one short or missed, else the next one not
    yet due, else the last one."""
    due = st.first_problem_due or st.next_due
    return next((x.amount for x in agreement.instalments if x.due == due), agreement.instalments[-1].amount)


def _start(agreement: Agreement, st: Status, today: dt.date) -> dt.date:
    """The new plan's first payment: the agreement's next due date; when every instalment has
    fallen due, the agreement's day of the month next after ``today``."""
    if st.next_due is not None:
        return st.next_due
    last = agreement.instalments[-1].due
    k = 1
    while add_months(last, k) <= today:
        k += 1
    return add_months(last, k)


def renegotiation_facts(agreement: Agreement, status: Status, *, lender: str, kind: str, name: str,
                        hardship: str, hardship_text: str, affordable: float, today: dt.date,
                        pause_months: int = PAUSE_MONTHS) -> RenegotiationFacts:
    """What the letter says about ``agreement`` as it stands (``status``: :func:`lib.tracker.status`
    on ``today``). ``lender`` (blank: the agreement's recorded name, else the loan id), ``kind``
    (:data:`lib.loans.KINDS`), ``name``, ``hardship``/``hardship_text`` as the kit has them
    (:class:`lib.scenario.KitSettings`); ``affordable``: what the borrower can pay this lender a
    month (the capacity less the other agreements' instalments). Raises ``ValueError`` when the
    status is of another loan, the hardship is unknown, or nothing is still owed.
    """
    if status.loan_id != agreement.loan_id:
        raise ValueError(f"the status is of loan {status.loan_id}, the agreement of {agreement.loan_id}")
    if hardship not in HARDSHIPS:
        raise ValueError(f"unknown hardship {hardship!r}; choose one of {HARDSHIPS}")
    if round(status.still_owed * 100) <= 0:
        raise ValueError("nothing is still owed under this agreement")
    plan = replan(status.still_owed, affordable)
    months, monthly, last = plan if plan is not None else (None, 0.0, 0.0)
    return RenegotiationFacts(
        loan_id=agreement.loan_id, lender=lender.strip() or agreement.lender.strip() or agreement.loan_id,
        kind=kind if kind in _LOAN_WORDS["en"] else "other", name=name.strip(), agreed_on=agreement.agreed_on,
        reference=agreement.reference.strip(), instalment=_instalment(agreement, status),
        agreed_total=agreement.total, verdict=status.verdict, agreed_to_date=status.agreed_to_date,
        paid_to_date=status.paid_to_date, arrears=status.arrears, since=status.first_problem_due,
        days_late=status.days_late, next_due=status.next_due, still_owed=status.still_owed,
        hardship=hardship, hardship_text=hardship_text.strip(), affordable=round(max(affordable, 0.0), 2),
        months=months, monthly=monthly, last=last, start=_start(agreement, status, today),
        pause_months=pause_months, today=today)


def _context(f: RenegotiationFacts, lang: str) -> dict[str, Any]:
    hardship = t(f"hardship.{f.hardship}", lang)
    return {
        "title": t(f"letter.{RENEGOTIATE}", lang),
        "name": f.name, "lender": f.lender, "loan": _LOAN_WORDS[lang][f.kind], "credit_card": f.kind == "credit_card",
        "agreed_on": _date(f.agreed_on, lang), "reference": f.reference, "instalment": money(f.instalment),
        "agreed_total": money(f.agreed_total), "behind": f.behind,
        "agreed_to_date": money(f.agreed_to_date), "paid_to_date": money(f.paid_to_date),
        "arrears": money(f.arrears), "since": _date(f.since, lang), "days_late": f.days_late,
        "next_due": _date(f.next_due, lang), "still_owed": money(f.still_owed),
        "hardship": hardship if lang != "en" else hardship[:1].lower() + hardship[1:],
        "reason": _sentence(f.hardship_text, lang),
        "pause": f.pause, "pause_months": f.pause_months,
        "months": f.months, "monthly": money(f.monthly),
        "last": money(f.last) if f.months and round(f.last * 100) != round(f.monthly * 100) else None,
        "start": _date(f.start, lang), "date": _date(f.today, lang),
    }


def renegotiation_letter(facts: RenegotiationFacts, lang: str = "zh") -> str:
    """The letter as plain text: paragraphs separated by a blank line, the first line its title."""
    lang = "en" if lang == "en" else "zh"
    text = text_templates().get_template(f"{RENEGOTIATE}.{lang}.txt.j2").render(_context(facts, lang))
    text = re.sub(r"[ \t]+\n", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
