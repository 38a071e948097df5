"""The plan as a phone calendar: one all-day event per lender per month with a payment, with a
reminder a few days before (an iCalendar file, RFC 5545, written by the ``icalendar`` library:
CRLF line endings, long lines folded).

Re-importing updates instead of duplicating: an event's UID is made of the loan's id, the
calendar month and a hash of *which* plan it belongs to (the loans: their ids and lenders), not
of its figures — so a plan exported again after a change (or a month later) updates the events
already in the calendar (the later DTSTAMP wins), and the same plan always gives the same UIDs.

>>> from lib.loans import make_loans
>>> from lib.payoff import simulate
>>> loans = make_loans([{"lender": "甲贷", "balance": 1200, "annual_rate": 0.0, "remaining_months": 2},
...                     {"lender": "乙贷", "balance": 300, "annual_rate": 0.0, "remaining_months": 3}])
>>> ics = plan_calendar(simulate(loans, 700), "2026-12-15", "en", loans=loans)
>>> [line for line in ics.decode().split("\\r\\n") if line.startswith(("SUMMARY", "DTSTART"))][:4]
['SUMMARY:Pay 甲贷 ¥600.00', 'DTSTART;VALUE=DATE:20270110', 'SUMMARY:Pay 乙贷 ¥100.00', 'DTSTART;VALUE=DATE:20270110']
"""

from __future__ import annotations

import calendar as _months
import datetime as dt
import hashlib
import json
from typing import Any, Final

import pandas as pd

from lib.fmt import money, month_label
from lib.i18n import t
from lib.kit.exports import loan_labels

PRODID: Final = "-//Loan negotiation planner//Repayment plan//ZH"
ICS_MIME: Final = "text/calendar"
UID_DOMAIN: Final = "loan-planner.local"


def plan_key(labels: dict[int, tuple[str, str]], lenders: dict[int, str]) -> str:
    """Which plan this is, as 10 hex digits: a hash of its loans (ids and lenders, in order).

    >>> plan_key({0: ("L1", "甲")}, {0: "甲"}) == plan_key({0: ("L1", "甲")}, {0: "甲"})
    True
    """
    ident = json.dumps([[labels[p][0], lenders[p]] for p in labels], ensure_ascii=False)
    return hashlib.sha256(ident.encode("utf-8")).hexdigest()[:10]


def payment_day(start: object, month: int, day: int) -> dt.date:
    """The day a month's payment is due: ``day`` of the ``month``-th month after ``start``,
    clamped to the month's length.

    >>> payment_day("2026-12-15", 2, 31), payment_day("2027-11-30", 3, 10)
    (datetime.date(2027, 2, 28), datetime.date(2028, 2, 10))
    """
    p = pd.Timestamp(start).to_period("M") + month
    return dt.date(p.year, p.month, min(day, _months.monthrange(p.year, p.month)[1]))


def plan_calendar(result: Any, start: object, lang: str, *, alarm_days: int = 3, day: int = 10,
                  loans: pd.DataFrame | None = None, stamp: dt.datetime | None = None) -> bytes:
    """The plan (a :class:`lib.payoff.PayoffResult`) as an iCalendar file: one all-day event per
    loan per month with a payment (month 1 is the month after ``start``), on ``day`` of that
    month (clamped to its length), titled "还款 借呗 ¥1,966.25" / "Pay 借呗 ¥1,966.25", the
    month's breakdown in its description, a DISPLAY alarm ``alarm_days`` days before. Loans are
    named as in :func:`lib.kit.exports.loan_labels` (``loans``: the table the plan was run on,
    for its loan ids). ``stamp``: the DTSTAMP (default now, UTC).

    >>> from icalendar import Calendar
    >>> from lib.loans import make_loans
    >>> from lib.payoff import simulate
    >>> loans = make_loans([{"lender": "甲贷", "balance": 1200, "annual_rate": 0.0, "remaining_months": 2}])
    >>> cal = Calendar.from_ical(plan_calendar(simulate(loans, 600), "2026-12-15", "zh", day=31))
    >>> [(str(e["summary"]), e.decoded("dtstart"), str(e["uid"])[:10]) for e in cal.walk("VEVENT")]
    [('还款 甲贷 ¥600.00', datetime.date(2027, 1, 31), 'L1-202701-'), ('还款 甲贷 ¥600.00', datetime.date(2027, 2, 28), 'L1-202702-')]
    >>> [a["trigger"].to_ical() for a in cal.walk("VALARM")]
    [b'-P3D', b'-P3D']
    """
    from icalendar import Alarm, Calendar, Event

    if not 1 <= day <= 31:
        raise ValueError(f"day must be 1 to 31, not {day}")
    if alarm_days < 0:
        raise ValueError(f"alarm_days must not be negative, not {alarm_days}")
    stamp = stamp or dt.datetime.now(dt.UTC)
    labels = loan_labels(result, lang, loans)
    s = result.schedule
    lenders = {int(p): "" if pd.isna(x) else str(x) for p, x in zip(s["loan"], s["lender"], strict=True)}
    key = plan_key(labels, lenders)

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", t("calendar.name", lang))
    paid = s[s["payment"].round(2) > 0].sort_values(["month", "loan"], kind="stable")
    for r in paid.to_dict("records"):
        n, p = int(r["month"]), int(r["loan"])
        loan_id, label = labels[p]
        when = payment_day(start, n, day)
        amount = money(float(r["payment"]))
        ev = Event()
        ev.add("uid", f"{loan_id}-{when:%Y%m}-{key}@{UID_DOMAIN}")
        ev.add("dtstamp", stamp)
        ev.add("dtstart", when)
        ev.add("dtend", when + dt.timedelta(days=1))
        ev.add("summary", t("calendar.summary", lang, lender=label, amount=amount))
        ev.add("description", t(
            "calendar.description", lang, n=n, ym=month_label(start, n), lender=label, amount=amount,
            due=money(float(r["due"])), principal=money(float(r["principal"])),
            interest=money(float(r["interest"])), penalty=money(float(r["penalty"])),
            fees=money(float(r["fees"])), owed=money(float(r["owed"]))))
        ev.add("transp", "TRANSPARENT")
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", t("calendar.alarm", lang, days=alarm_days, lender=label, amount=amount))
        alarm.add("trigger", dt.timedelta(days=-alarm_days))
        ev.add_component(alarm)
        cal.add_component(ev)
    return cal.to_ical()
