"""The agreement tracker: keep to the plan, and renegotiate early when it slips (the article's step 5).

What a lender agreed to in writing is an :class:`Agreement` (the loan, the option, the agreed
instalments, what was waived); what the borrower actually paid is a list of :class:`Payment`.
From them:

* :func:`status` — where an agreement stands on a day: per instalment due so far what was paid
  towards it, and a verdict (``on_track``, ``ahead``, ``short``, ``missed``) with the numbers;
* :func:`agreed_vs_paid` — agreed and paid, month by month and cumulated, for a chart;
* :func:`at_risk` — the coming months in which all the agreements together ask more than can be
  paid: flagged *before* a payment is missed, so the lender can be called in time;
* :func:`replan_state` — the loan table as it stands now (each agreed loan: what is still unpaid
  of the agreement), so that the engine (:func:`lib.payoff.simulate`) can plan again from the real
  state.

Money is counted in whole fen throughout: paid towards an agreement + still owed on it = the
agreed total, to the fen. Nothing here makes words but the last section, what the track page shows
(:func:`status_text`, :func:`risk_text`, :func:`payment_view`, :func:`payment_label`; the words are
in :mod:`lib.i18n`): codes and numbers only.

The models are the scenario's ``agreements`` and ``payments`` (frozen, bounded, like
:mod:`lib.scenario`'s; the bounds are the same).

>>> a = Agreement(loan_id="L7", option="instalments", agreed_on=dt.date(2031, 1, 5),
...               instalments=(Instalment(due=dt.date(2031, 2, 10), amount=1000),
...                            Instalment(due=dt.date(2031, 3, 10), amount=1000)))
>>> s = status(a, [Payment(loan_id="L7", paid_on=dt.date(2031, 2, 9), amount=700)], dt.date(2031, 2, 20))
>>> s.verdict, s.agreed_to_date, s.paid_to_date, s.difference, s.first_problem_due, s.missing, s.days_late
('short', 1000.0, 700.0, -300.0, datetime.date(2031, 2, 10), 300.0, 10)
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Final, Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from lib.fmt import money
from lib.i18n import t, tn
from lib.loans import conform
from lib.negotiate import LABELS

if TYPE_CHECKING:  # lib.plan reads lib.scenario, which will hold these models
    from lib.plan import Chosen

__all__ = ["AGREED_VS_PAID_COLUMNS", "VERDICTS", "VERDICT_LEVELS", "Agreement", "Instalment", "InstalmentStatus",
           "Payment", "Refusal", "RiskMonth", "add_months", "Status", "agreed_vs_paid", "agreement_from_plan",
           "agreement_in_force", "asked_of", "at_risk", "needs_renegotiation", "payment_label", "payment_view",
           "replan_state", "risk_text", "status", "status_text", "suggested_payment"]

# the bounds of lib.scenario (not imported: lib.scenario keeps these models)
MAX_MONEY: Final = 1e10
MAX_INSTALMENTS: Final = 1200  # as lib.scenario.Loan.remaining_months
ID = Annotated[str, Field(pattern=r"^[A-Za-z0-9_.-]{1,24}$")]
Money = Annotated[float, Field(ge=0, le=MAX_MONEY, allow_inf_nan=False)]
Amount = Annotated[float, Field(ge=0.01, le=MAX_MONEY, allow_inf_nan=False)]  # a payment or instalment: > 0
Day = Annotated[dt.date, Field(ge=dt.date(1950, 1, 1), le=dt.date(2100, 12, 31))]
Note = Annotated[str, Field(max_length=500)]
Lender = Annotated[str, Field(max_length=200)]  # as lib.scenario.Loan.lender (its MAX_TEXT)
Label = Literal[LABELS]  # type: ignore[valid-type]

VERDICTS: Final = ("on_track", "ahead", "short", "missed")
VERDICT_LEVELS: Final = {"on_track": "success", "ahead": "success", "short": "warning", "missed": "error"}  # how shown
Verdict = Literal["on_track", "ahead", "short", "missed"]
State = Literal["ok", "short", "missed", "open"]


def _fen(x: float) -> int:
    return int(round(x * 100))


def _cny(fen: int) -> float:
    return fen / 100


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)


class Instalment(_Frozen):
    """One instalment the lender agreed to: its due date and amount (CNY, rounded to the fen)."""

    due: Day
    amount: Amount

    @field_validator("amount")
    @classmethod
    def _to_fen(cls, v: float) -> float:
        return round(v, 2)


class Agreement(_Frozen):
    """What a lender agreed to in writing for one loan: the option granted (one of
    :data:`lib.negotiate.LABELS`), the instalments (in date order, one per date), what was waived
    (CNY), when it was agreed, its reference (the lender's case or contract number) and a note.

    ``asked``: the option that was asked for (None: not recorded; then it is taken to be ``option``
    when outcomes are counted, :mod:`lib.outcomes`); ``lender``: the lender's name when it was
    recorded, so that an outcome can be counted by lender even when the loan has left the table
    or across clients ('' : not recorded).
    """

    loan_id: ID
    option: Label
    asked: Label | None = None
    instalments: tuple[Instalment, ...] = Field(min_length=1, max_length=MAX_INSTALMENTS)
    waived: Money = 0.0
    agreed_on: Day
    reference: Annotated[str, Field(max_length=60)] = ""
    note: Note = ""
    lender: Lender = ""

    @field_validator("waived")
    @classmethod
    def _to_fen(cls, v: float) -> float:
        return round(v, 2)

    @model_validator(mode="after")
    def _in_order(self) -> Agreement:
        dues = [x.due for x in self.instalments]
        if any(b <= a for a, b in zip(dues, dues[1:], strict=False)):
            raise ValueError("instalments must be in date order, one per date")
        if _fen(self.total) > _fen(MAX_MONEY):
            raise ValueError("the instalments add up to more than the limit")
        return self

    @property
    def total(self) -> float:
        """The agreed total (CNY)."""
        return _cny(sum(_fen(x.amount) for x in self.instalments))


class Payment(_Frozen):
    """A payment made to the lender of a loan (CNY)."""

    loan_id: ID
    paid_on: Day
    amount: Amount
    note: Note = ""

    @field_validator("amount")
    @classmethod
    def _to_fen(cls, v: float) -> float:
        return round(v, 2)


class Refusal(_Frozen):
    """A lender refused what was asked for one loan: the option asked (one of
    :data:`lib.negotiate.LABELS`), the day it said no, the lender's name then, and a note.

    >>> Refusal(loan_id="L3", lender="甲花贷", asked="settlement", on=dt.date(2031, 3, 2)).asked
    'settlement'
    """

    loan_id: ID
    lender: Lender
    asked: Label
    on: Day
    note: Note = ""


# ---- from the plan -----------------------------------------------------------------------------------
def add_months(start: dt.date, k: int) -> dt.date:
    """``start`` moved ``k`` calendar months on, on the same day of the month (clamped to the
    month's length: from the 31st, February's last day, then the 31st again).

    >>> [add_months(dt.date(2031, 1, 31), k).isoformat() for k in range(4)]
    ['2031-01-31', '2031-02-28', '2031-03-31', '2031-04-30']
    """
    y, m = divmod(start.month - 1 + k, 12)
    year, month = start.year + y, m + 1
    return dt.date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def asked_of(chosen: Chosen, loan_id: str) -> str:
    """The option the plan asks ``loan_id``'s lender for (one of :data:`lib.negotiate.LABELS`;
    ``baseline``, the contract as it is, for a loan the plan asks nothing of).

    >>> from lib.negotiate import Option
    >>> from lib.plan import Chosen
    >>> chosen = Chosen(asks=None, table=None, plan={"L1": Option("instalments", with_waiver=True)}, outcome=None,
    ...                 legal=None)
    >>> asked_of(chosen, "L1"), asked_of(chosen, "L2")
    ('waiver+instalments', 'baseline')
    """
    option = chosen.plan.get(loan_id)
    return option.label if option is not None else "baseline"


def agreement_from_plan(chosen: Chosen, loan_id: str, first_due: dt.date, *, agreed_on: dt.date,
                        reference: str = "", note: str = "",
                        amounts: Literal["payment", "due"] = "payment", granted: str | None = None) -> Agreement:
    """The agreement the plan asks ``loan_id``'s lender for: its option, what it waives, and the
    plan's monthly amounts for that loan (:attr:`lib.plan.Chosen.result`'s schedule), month 1
    falling on ``first_due`` and each following month on the same day (clamped to the month's
    length). A month in which the plan pays that loan nothing (a grace period) has no instalment.
    ``asked`` is the plan's option for the loan and ``lender`` its lender's name in the plan's table.

    ``amounts``: ``"payment"`` (default) — what the plan pays the lender each month, so the
    instalments add up to what the plan pays it in all; ``"due"`` — only what the loan's new
    contract asks each month (without the extra repayments the plan makes when money is left
    over). Raises ``KeyError`` for a loan not in the plan's table, ``ValueError`` when the plan
    pays it nothing.

    ``granted``: the option the lender granted when it is not the one asked for (one of
    :data:`lib.negotiate.LABELS`, else ``ValueError``): it becomes ``option``, ``asked`` stays the
    plan's. The instalments are still the plan's (a first draft: the coach edits them to what the
    lender wrote); what was waived is kept only when the granted option waives too (its label
    has ``waiver``, as the asked one's), else 0.
    """
    if granted is not None and granted not in LABELS:
        raise ValueError(f"unknown option {granted!r}; choose one of {LABELS}")
    loans = chosen.outcome.loans
    ids = loans["loan_id"].astype(str).tolist()
    if loan_id not in ids:
        raise KeyError(loan_id)
    row = ids.index(loan_id)
    sched = chosen.result.schedule
    mine = sched[sched["loan"] == row].sort_values("month")
    instalments = tuple(Instalment(due=add_months(first_due, int(m) - 1), amount=round(float(a), 2))
                        for m, a in zip(mine["month"], mine[amounts], strict=True) if round(float(a), 2) > 0)
    if not instalments:
        raise ValueError(f"the plan pays loan {loan_id} nothing")
    asked = asked_of(chosen, loan_id)
    waived = float(chosen.outcome.waived.iloc[row]) if len(chosen.outcome.waived) > row else 0.0
    if granted is not None and granted != asked and not ("waiver" in granted and "waiver" in asked):
        waived = 0.0
    name = loans["lender"].iloc[row] if "lender" in loans else ""
    lender = "" if pd.isna(name) else str(name).strip()[:200]
    return Agreement(loan_id=loan_id, option=granted or asked, asked=asked, lender=lender,
                     instalments=instalments, waived=round(waived, 2), agreed_on=agreed_on,
                     reference=reference, note=note)


# ---- where an agreement stands ---------------------------------------------------------------------
@dataclass(frozen=True)
class InstalmentStatus:
    """One instalment due by the day asked about, and what was paid towards it."""

    due: dt.date
    amount: float  # agreed
    paid: float  # paid towards it (oldest instalment first)
    missing: float  # amount - paid
    state: State  # ok: paid in full; short: partly; missed: nothing; open: due, still within the grace
    settled_on: dt.date | None  # the day the payment that completed it was made
    days_late: int  # settled: days after the due date it was completed (0 if on time); else days to today


@dataclass(frozen=True)
class Status:
    """Where an agreement stands on ``today`` (see :func:`status` for the rules)."""

    loan_id: str
    today: dt.date
    verdict: Verdict
    instalments: tuple[InstalmentStatus, ...]  # those due up to today
    agreed_to_date: float  # the instalments due up to today
    paid_to_date: float  # every payment made up to today
    difference: float  # paid_to_date - agreed_to_date (> 0: ahead; < 0: behind)
    first_problem_due: dt.date | None  # the first instalment short or missed
    missing: float  # … how much of it is missing (0 when none)
    days_late: int  # … days from its due date to today (0 when none)
    arrears: float  # all that is missing of the instalments short or missed
    agreed_total: float
    still_owed: float  # agreed_total - what was paid towards it (never below 0)
    overpaid: float  # paid beyond the agreed total
    next_due: dt.date | None  # the next instalment not yet paid in full and not yet due
    next_amount: float  # … what is still to pay of it

    @property
    def behind(self) -> bool:
        """An instalment already judged short or missed."""
        return self.verdict in ("short", "missed")


@dataclass(frozen=True)
class _Applied:
    paid: list[int]  # fen paid towards each instalment
    settled: list[dt.date | None]
    overpaid: int


def _apply(agreement: Agreement, payments: Iterable[Payment], until: dt.date | None = None) -> _Applied:
    """Payments for the agreement's loan (made up to ``until``), in date order, each to the oldest
    instalment not yet paid in full (a payment may pay several, or pay ahead)."""
    due = [_fen(x.amount) for x in agreement.instalments]
    paid = [0] * len(due)
    settled: list[dt.date | None] = [None] * len(due)
    over, i = 0, 0
    mine = sorted((p for p in payments if p.loan_id == agreement.loan_id and (until is None or p.paid_on <= until)),
                  key=lambda p: p.paid_on)
    for p in mine:
        left = _fen(p.amount)
        while left > 0 and i < len(due):
            take = min(left, due[i] - paid[i])
            paid[i] += take
            left -= take
            if paid[i] == due[i]:
                settled[i] = p.paid_on
                i += 1
        over += left
    return _Applied(paid, settled, over)


def _by_loan(payments: Iterable[Payment]) -> dict[str, list[Payment]]:
    out: dict[str, list[Payment]] = {}
    for p in payments:
        out.setdefault(p.loan_id, []).append(p)
    return out


def status(agreement: Agreement, payments: Iterable[Payment], today: dt.date, *, grace_days: int = 0) -> Status:
    """Where ``agreement`` stands on ``today``, from the ``payments`` (those of other loans and
    those made after ``today`` are left out).

    Rules:

    * Payments are applied in date order, each to the oldest instalment not yet paid in full; what
      is left over goes to the next one, even one not yet due (paying ahead).
    * An instalment is *due* on its due date (it counts in ``agreed_to_date`` from that day on);
      it is *judged* once its due date and ``grace_days`` more have passed (``today > due +
      grace_days``; with the default grace of 0 days: from the day after it fell due). Due but not
      yet judged and not paid in full: ``open`` (it can still be paid on time).
    * A judged instalment paid in full → ``ok`` (even if paid late: ``days_late`` says how late);
      partly paid → ``short``; nothing paid → ``missed``.
    * The verdict: ``missed`` if any judged instalment is missed, else ``short`` if any is short;
      else ``ahead`` if paid to date exceeds agreed to date by at least one fen; else ``on_track``.
      A late payment that pays every judged instalment in full brings the verdict back.
    * The first problem is the oldest judged instalment not paid in full: its due date, what is
      missing of it, and the days from its due date to ``today`` (``days_late``).
    """
    if grace_days < 0:
        raise ValueError("grace_days must not be negative")
    ap = _apply(agreement, payments, today)
    rows: list[InstalmentStatus] = []
    agreed = 0
    for x, paid, settled in zip(agreement.instalments, ap.paid, ap.settled, strict=True):
        if x.due > today:
            break
        amount = _fen(x.amount)
        agreed += amount
        judged = today > x.due + dt.timedelta(days=grace_days)
        state: State
        if paid == amount:
            state = "ok"
        elif not judged:
            state = "open"
        else:
            state = "short" if paid > 0 else "missed"
        late = max(((settled or today) - x.due).days, 0)
        rows.append(InstalmentStatus(x.due, _cny(amount), _cny(paid), _cny(amount - paid), state, settled, late))
    paid_to_date = sum(ap.paid) + ap.overpaid
    problems = [r for r in rows if r.state in ("short", "missed")]
    verdict: Verdict
    if any(r.state == "missed" for r in problems):
        verdict = "missed"
    elif problems:
        verdict = "short"
    elif paid_to_date > agreed:
        verdict = "ahead"
    else:
        verdict = "on_track"
    first = problems[0] if problems else None
    nxt = next(((x, p) for x, p in zip(agreement.instalments, ap.paid, strict=True)
                if x.due > today and p < _fen(x.amount)), None)
    total = sum(_fen(x.amount) for x in agreement.instalments)
    return Status(
        loan_id=agreement.loan_id, today=today, verdict=verdict, instalments=tuple(rows),
        agreed_to_date=_cny(agreed), paid_to_date=_cny(paid_to_date), difference=_cny(paid_to_date - agreed),
        first_problem_due=first.due if first else None, missing=first.missing if first else 0.0,
        days_late=first.days_late if first else 0,
        arrears=_cny(sum(_fen(r.missing) for r in problems)), agreed_total=_cny(total),
        still_owed=_cny(total - sum(ap.paid)), overpaid=_cny(ap.overpaid),
        next_due=nxt[0].due if nxt else None, next_amount=_cny(_fen(nxt[0].amount) - nxt[1]) if nxt else 0.0)


def agreement_in_force(agreements: Sequence[Agreement], loan_id: str) -> Agreement | None:
    """``loan_id``'s agreement in force: the last one recorded for it (a renegotiated agreement
    replaces the old one), None when there is none.

    >>> first = Agreement(loan_id="L7", option="instalments", agreed_on=dt.date(2031, 1, 5),
    ...                   instalments=(Instalment(due=dt.date(2031, 2, 10), amount=1000),))
    >>> again = first.model_copy(update={"agreed_on": dt.date(2031, 4, 1)})
    >>> agreement_in_force([first, again], "L7").agreed_on, agreement_in_force([first, again], "L8")
    (datetime.date(2031, 4, 1), None)
    """
    return next((a for a in reversed(agreements) if a.loan_id == loan_id), None)


def suggested_payment(st: Status) -> float:
    """The amount a new payment starts from: what is left of the next instalment, else what is
    missing of the first one short or missed, else 100.

    >>> a = Agreement(loan_id="L7", option="instalments", agreed_on=dt.date(2031, 1, 5),
    ...               instalments=(Instalment(due=dt.date(2031, 2, 10), amount=1000),
    ...                            Instalment(due=dt.date(2031, 3, 10), amount=1000)))
    >>> paid = [Payment(loan_id="L7", paid_on=dt.date(2031, 2, 9), amount=1400)]
    >>> suggested_payment(status(a, paid, dt.date(2031, 2, 20)))  # 600 of the second still to pay
    600.0
    >>> suggested_payment(status(a, [], dt.date(2031, 3, 20))), suggested_payment(status(a, paid * 2, dt.date(2031, 3, 20)))
    (1000.0, 100.0)
    """
    return float(st.next_amount or st.missing or 100.0)


def needs_renegotiation(st: Status, risks: Sequence[RiskMonth]) -> bool:
    """Whether to offer the renegotiation letter: something is still owed, and an instalment was
    short or missed or a coming month cannot be paid (``risks``: :func:`at_risk` of all the
    agreements).

    >>> a = Agreement(loan_id="L7", option="instalments", agreed_on=dt.date(2031, 1, 5),
    ...               instalments=(Instalment(due=dt.date(2031, 2, 10), amount=1000),))
    >>> late, early = status(a, [], dt.date(2031, 2, 20)), status(a, [], dt.date(2031, 1, 20))
    >>> needs_renegotiation(late, []), needs_renegotiation(early, []), needs_renegotiation(early, at_risk([a], 800, start=early.today))
    (True, False, True)
    """
    return st.still_owed > 0 and (st.behind or bool(risks))


# ---- agreed and paid, month by month ---------------------------------------------------------------
AGREED_VS_PAID_COLUMNS: Final = ("month", "due", "paid", "cum_due", "cum_paid")


def agreed_vs_paid(agreement: Agreement, payments: Iterable[Payment]) -> pd.DataFrame:
    """Month by month (``month``: the first day of the calendar month, every month from the first
    instalment or payment to the last): what the agreement asks (``due``), what was paid to that
    loan (``paid``), and both cumulated (``cum_due``, ``cum_paid``), CNY.

    >>> a = Agreement(loan_id="L7", option="instalments", agreed_on=dt.date(2031, 1, 5),
    ...               instalments=(Instalment(due=dt.date(2031, 2, 10), amount=1000),
    ...                            Instalment(due=dt.date(2031, 4, 10), amount=500)))
    >>> agreed_vs_paid(a, [Payment(loan_id="L7", paid_on=dt.date(2031, 2, 1), amount=1500)]).to_dict("list")
    ... # doctest: +NORMALIZE_WHITESPACE
    {'month': [datetime.date(2031, 2, 1), datetime.date(2031, 3, 1), datetime.date(2031, 4, 1)],
     'due': [1000.0, 0.0, 500.0], 'paid': [1500.0, 0.0, 0.0],
     'cum_due': [1000.0, 1000.0, 1500.0], 'cum_paid': [1500.0, 1500.0, 1500.0]}
    """
    def key(d: dt.date) -> tuple[int, int]:
        return d.year, d.month

    due: dict[tuple[int, int], int] = {}
    paid: dict[tuple[int, int], int] = {}
    for x in agreement.instalments:
        due[key(x.due)] = due.get(key(x.due), 0) + _fen(x.amount)
    for p in payments:
        if p.loan_id == agreement.loan_id:
            paid[key(p.paid_on)] = paid.get(key(p.paid_on), 0) + _fen(p.amount)
    first, last = min((*due, *paid)), max((*due, *paid))
    months = []
    y, m = first
    while (y, m) <= last:
        months.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    d = np.array([due.get(k, 0) for k in months], dtype=np.int64)
    p = np.array([paid.get(k, 0) for k in months], dtype=np.int64)
    return pd.DataFrame({"month": [dt.date(y, m, 1) for y, m in months], "due": d / 100, "paid": p / 100,
                         "cum_due": np.cumsum(d) / 100, "cum_paid": np.cumsum(p) / 100})


# ---- months at risk --------------------------------------------------------------------------------
@dataclass(frozen=True)
class RiskMonth:
    """A calendar month in which the agreed instalments together exceed what can be paid."""

    month: dt.date  # its first day
    total_due: float  # every agreement's instalments falling due that month (less what was paid ahead)
    capacity: float
    gap: float  # total_due - capacity (> 0)
    loan_ids: tuple[str, ...]  # the loans with an instalment that month


def at_risk(agreements: Iterable[Agreement], capacity_monthly: float | Sequence[float], months: int = 12,
            start: dt.date | None = None, *, payments: Iterable[Payment] = ()) -> list[RiskMonth]:
    """The calendar months, from ``start``'s month (default: today's) for ``months`` months, in
    which the instalments of all ``agreements`` falling due that month add up to more than
    ``capacity_monthly`` (by at least one fen) — flagged before any of them is missed.

    ``capacity_monthly``: one amount for every month, or one per month from ``start``'s (the last
    one holds on). ``payments`` (optional): what was already paid, applied as :func:`status` does,
    so an instalment paid ahead no longer counts. Instalments due before ``start``'s month are
    not counted here (:func:`status` says what they lack). Pass one agreement per loan (the one
    in force): every agreement given is counted.

    >>> a = Agreement(loan_id="L7", option="instalments", agreed_on=dt.date(2031, 1, 5),
    ...               instalments=(Instalment(due=dt.date(2031, 2, 10), amount=1000),))
    >>> at_risk([a], 800, months=3, start=dt.date(2031, 1, 20))
    [RiskMonth(month=datetime.date(2031, 2, 1), total_due=1000.0, capacity=800.0, gap=200.0, loan_ids=('L7',))]
    """
    if months < 0:
        raise ValueError("months must not be negative")
    start = start or dt.date.today()
    caps = [capacity_monthly] if isinstance(capacity_monthly, int | float) else list(capacity_monthly)
    if not caps:
        raise ValueError("capacity_monthly is empty")
    first = dt.date(start.year, start.month, 1)
    window = [add_months(first, k) for k in range(months)]
    index = {(d.year, d.month): k for k, d in enumerate(window)}
    due = [0] * months
    who: list[list[str]] = [[] for _ in range(months)]
    pays = _by_loan(payments)
    for a in agreements:
        ap = _apply(a, pays.get(a.loan_id, ()))
        for x, paid in zip(a.instalments, ap.paid, strict=True):
            k = index.get((x.due.year, x.due.month))
            if k is None or paid >= _fen(x.amount):
                continue
            due[k] += _fen(x.amount) - paid
            if a.loan_id not in who[k]:
                who[k].append(a.loan_id)
    out = []
    for k, d in enumerate(window):
        cap = _fen(float(caps[min(k, len(caps) - 1)]))
        if due[k] > cap:
            out.append(RiskMonth(d, _cny(due[k]), _cny(cap), _cny(due[k] - cap), tuple(who[k])))
    return out


# ---- the real state, to plan again -------------------------------------------------------------------
def replan_state(loans: pd.DataFrame, agreements: Iterable[Agreement], payments: Iterable[Payment],
                 today: dt.date, *, loan_ids: Collection[str] | None = None, grace_days: int = 0) -> pd.DataFrame:
    """The loan table (:data:`lib.loans.COLUMNS`) as it stands on ``today``: each loan with an
    agreement (only those in ``loan_ids``, when given — e.g. the agreements that went wrong) owes
    what is still unpaid of its agreement, nothing else.

    Such a row becomes: ``balance`` = the agreed total less what was paid towards it (the
    instalments not yet paid, to the fen); ``overdue_amount`` = what is missing of the instalments
    already judged (:func:`status`), ``overdue_days`` = the days late of the oldest;
    ``remaining_months`` = the instalments not yet due and not yet paid in full; ``annual_rate`` 0
    and no interest, penalty or fees (the agreed instalments already carry them), method annuity
    with no stated payment (the engine spreads what is not yet due evenly over those months).
    What the row was (lender, kind, loan amount, start date, source row) stays. Loans without an
    agreement are left as they are. A loan whose agreement is paid in full is left out (it owes
    nothing). One agreement per loan: of several for the same loan the last one given counts
    (a renegotiated agreement replaces the old one; pass the payments made under it).
    """
    df = conform(loans).copy()
    by_id = {a.loan_id: a for a in agreements}
    pays = _by_loan(payments)
    drop: list[int] = []
    rows: list[int] = []
    values: dict[str, list] = {}
    for i, loan_id in enumerate(df["loan_id"].astype(str).tolist()):
        a = by_id.get(loan_id)
        if a is None or (loan_ids is not None and loan_id not in loan_ids):
            continue
        mine = pays.get(loan_id, [])
        st = status(a, mine, today, grace_days=grace_days)
        if _fen(st.still_owed) == 0:
            drop.append(i)
            continue
        ap = _apply(a, mine, today)
        future = sum(1 for x, p in zip(a.instalments, ap.paid, strict=True) if x.due > today and p < _fen(x.amount))
        rows.append(i)
        for col, v in {"balance": st.still_owed, "overdue_amount": st.arrears, "overdue_days": st.days_late,
                       "annual_rate": 0.0, "interest": 0.0, "penalty": 0.0, "fees": 0.0, "method": "annuity",
                       "monthly_payment": np.nan, "remaining_months": future}.items():
            values.setdefault(col, []).append(v)
    for col, vs in values.items():  # one assignment per column (a cell at a time is slow on 2,000 loans)
        df.loc[df.index[rows], col] = vs
    out = df.drop(index=df.index[drop]).reset_index(drop=True)
    return conform(out)


# ---- words (the page's) ----------------------------------------------------------------------------
def status_text(st: Status, lang: str = "zh") -> str:
    """The verdict in a sentence, in ``lang`` (``tracker.*`` in :mod:`lib.i18n`).

    >>> a = Agreement(loan_id="L7", option="instalments", agreed_on=dt.date(2031, 1, 5),
    ...               instalments=(Instalment(due=dt.date(2031, 2, 10), amount=1000),))
    >>> status_text(status(a, [], dt.date(2031, 2, 13)), "en")
    'Behind since the instalment due 2031-02-10: ¥1,000.00 missing, 3 days late. Paid ¥0.00 of ¥1,000.00 agreed to date.'
    """
    params = {"due": st.first_problem_due.isoformat() if st.first_problem_due else "",
              "missing": money(st.missing), "arrears": money(st.arrears), "ahead": money(st.difference),
              "agreed": money(st.agreed_to_date), "paid": money(st.paid_to_date)}
    key = f"tracker.verdict.{st.verdict}"
    head = tn(key, st.days_late, lang, **params) if st.verdict in ("short", "missed") else t(key, lang, **params)
    return (" " if lang == "en" else "").join((head, t("tracker.to_date", lang, **params)))


def risk_text(r: RiskMonth, lang: str = "zh") -> str:
    """A month at risk in a sentence (``track.at_risk``).

    >>> print(risk_text(RiskMonth(dt.date(2031, 2, 1), 1000.0, 800.0, 200.0, ("L7",)), "en"))
    In 2031-02 the agreements ask ¥1,000 in all, more than the ¥800 you can pay (¥200 short): call the lenders before it falls due.
    """
    return t("track.at_risk", lang, month=r.month.strftime("%Y-%m"), due=money(r.total_due, 0),
             capacity=money(r.capacity, 0), gap=money(r.gap, 0))


def payment_view(payments: Sequence[Payment], lang: str = "zh") -> pd.DataFrame:
    """Payments as the track page lists them: the day, the amount, the note.

    >>> payment_view([Payment(loan_id="L7", paid_on=dt.date(2031, 2, 9), amount=700, note="part")], "en").to_dict("list")
    {'Paid on': [datetime.date(2031, 2, 9)], 'Amount (CNY)': ['¥700.00'], 'Note': ['part']}
    """
    return pd.DataFrame({t("track.paid_on", lang): [p.paid_on for p in payments],
                         t("track.amount", lang): [money(p.amount) for p in payments],
                         t("contacts.field.note", lang): [p.note for p in payments]})


def payment_label(p: Payment) -> str:
    """A payment as a list to pick from names it.

    >>> payment_label(Payment(loan_id="L7", paid_on=dt.date(2031, 2, 9), amount=700))
    '2031-02-09 · ¥700.00'
    """
    return f"{p.paid_on} · {money(p.amount)}"
