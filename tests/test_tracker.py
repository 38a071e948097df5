"""The agreement tracker (lib.tracker): hand cases written out, and money that reconciles to the fen."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from lib.i18n import TEXT
from lib.loans import conform, make_loans
from lib.payoff import simulate
from lib.plan import chosen_plan
from lib.scenario import Loan, PlanChoice, Scenario
from lib.tracker import (
    AGREED_VS_PAID_COLUMNS,
    Agreement,
    Instalment,
    Payment,
    Refusal,
    RiskMonth,
    add_months,
    agreed_vs_paid,
    agreement_from_plan,
    at_risk,
    replan_state,
    status,
    status_text,
)

D = dt.date


def monthly(loan_id: str, first: dt.date, amounts: list[float], option: str = "instalments") -> Agreement:
    return Agreement(loan_id=loan_id, option=option, agreed_on=first - dt.timedelta(days=20),
                     instalments=tuple(Instalment(due=add_months(first, k), amount=a) for k, a in enumerate(amounts)))


def pay(loan_id: str, on: dt.date, amount: float) -> Payment:
    return Payment(loan_id=loan_id, paid_on=on, amount=amount)


# ---- the verdicts, by hand -------------------------------------------------------------------------
def test_a_short_month() -> None:
    a = monthly("Q1", D(2032, 5, 12), [1000.00, 1000.00, 1000.00])
    s = status(a, [pay("Q1", D(2032, 5, 11), 700.00)], D(2032, 5, 20))
    assert s.verdict == "short"
    assert (s.agreed_to_date, s.paid_to_date, s.difference) == (1000.00, 700.00, -300.00)
    assert (s.first_problem_due, s.missing, s.days_late, s.arrears) == (D(2032, 5, 12), 300.00, 8, 300.00)
    (row,) = s.instalments
    assert (row.amount, row.paid, row.missing, row.state, row.settled_on) == (1000.00, 700.00, 300.00, "short", None)
    assert (s.still_owed, s.next_due, s.next_amount) == (2300.00, D(2032, 6, 12), 1000.00)


def test_a_missed_month_counts_the_days_late() -> None:
    a = monthly("Q2", D(2032, 3, 15), [1234.56, 1234.56])
    s = status(a, [], D(2032, 3, 27))
    assert s.verdict == "missed"
    assert (s.first_problem_due, s.missing, s.days_late) == (D(2032, 3, 15), 1234.56, 12)
    assert (s.agreed_to_date, s.paid_to_date, s.difference) == (1234.56, 0.0, -1234.56)
    assert [r.state for r in s.instalments] == ["missed"]
    # the next month the second one is missed too: still counted from the first
    s = status(a, [], D(2032, 4, 16))
    assert [r.state for r in s.instalments] == ["missed", "missed"]
    assert (s.days_late, s.arrears, s.difference) == (32, 2469.12, -2469.12)


def test_a_short_then_a_missed_instalment_is_missed() -> None:
    a = monthly("Q2", D(2032, 3, 15), [1000, 1000])
    s = status(a, [pay("Q2", D(2032, 3, 15), 400)], D(2032, 4, 20))
    assert [r.state for r in s.instalments] == ["short", "missed"]
    assert (s.verdict, s.first_problem_due, s.missing, s.arrears, s.days_late) == (
        "missed", D(2032, 3, 15), 600.0, 1600.0, 36)


def test_two_instalments_paid_in_the_first_month_is_ahead() -> None:
    a = monthly("Q3", D(2032, 1, 31), [850.25, 850.25, 850.25])
    s = status(a, [pay("Q3", D(2032, 1, 30), 1700.50)], D(2032, 2, 10))
    assert s.verdict == "ahead"
    assert (s.agreed_to_date, s.paid_to_date, s.difference) == (850.25, 1700.50, 850.25)
    assert [r.state for r in s.instalments] == ["ok"]
    assert (s.next_due, s.next_amount) == (D(2032, 3, 31), 850.25)  # February's is already paid
    assert s.first_problem_due is None and s.days_late == 0
    # when February's falls due it is covered: on track again
    assert status(a, [pay("Q3", D(2032, 1, 30), 1700.50)], D(2032, 3, 1)).verdict == "on_track"


def test_one_fen_ahead_is_ahead() -> None:
    a = monthly("Q3", D(2032, 1, 10), [500, 500])
    assert status(a, [pay("Q3", D(2032, 1, 10), 500.01)], D(2032, 1, 11)).verdict == "ahead"
    assert status(a, [pay("Q3", D(2032, 1, 10), 500.00)], D(2032, 1, 11)).verdict == "on_track"


def test_a_late_payment_catches_up() -> None:
    a = monthly("Q4", D(2032, 7, 8), [960, 960, 960])
    late = [pay("Q4", D(2032, 8, 8), 1920)]  # July's and August's together, on August's day
    assert status(a, late, D(2032, 7, 20)).verdict == "missed"  # before the payment: missed
    s = status(a, late, D(2032, 8, 9))
    assert s.verdict == "on_track" and s.difference == 0.0
    july, august = s.instalments
    assert (july.state, july.settled_on, july.days_late) == ("ok", D(2032, 8, 8), 31)
    assert (august.state, august.days_late) == ("ok", 0)


def test_due_today_is_open_and_the_grace_days_hold_the_verdict() -> None:
    a = monthly("Q5", D(2032, 9, 5), [600])
    s = status(a, [], D(2032, 9, 5))
    assert s.verdict == "on_track" and s.instalments[0].state == "open" and s.agreed_to_date == 600
    assert status(a, [], D(2032, 9, 6)).verdict == "missed"
    assert status(a, [], D(2032, 9, 8), grace_days=3).verdict == "on_track"
    s = status(a, [], D(2032, 9, 9), grace_days=3)
    assert (s.verdict, s.days_late) == ("missed", 4)  # counted from the due date
    with pytest.raises(ValueError):
        status(a, [], D(2032, 9, 9), grace_days=-1)


def test_other_loans_and_later_payments_are_left_out() -> None:
    a = monthly("Q6", D(2032, 2, 3), [777])
    s = status(a, [pay("Q9", D(2032, 2, 1), 777), pay("Q6", D(2032, 3, 1), 777)], D(2032, 2, 10))
    assert (s.verdict, s.paid_to_date) == ("missed", 0.0)


def test_nothing_due_yet_is_on_track() -> None:
    a = monthly("Q6", D(2032, 2, 3), [777])
    s = status(a, [], D(2032, 1, 3))
    assert (s.verdict, s.instalments, s.agreed_to_date, s.next_due) == ("on_track", (), 0.0, D(2032, 2, 3))


def test_overpaying_the_whole_agreement() -> None:
    a = monthly("Q7", D(2032, 2, 3), [100, 100])
    s = status(a, [pay("Q7", D(2032, 2, 1), 250)], D(2032, 4, 1))
    assert (s.verdict, s.still_owed, s.overpaid, s.paid_to_date, s.next_due) == ("ahead", 0.0, 50.0, 250.0, None)


# ---- words ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_status_text_for_every_verdict(lang: str) -> None:
    a = monthly("Q8", D(2032, 5, 12), [1000, 1000])
    cases = {"on_track": [pay("Q8", D(2032, 5, 12), 1000)], "ahead": [pay("Q8", D(2032, 5, 12), 1500)],
             "short": [pay("Q8", D(2032, 5, 12), 700)], "missed": []}
    for verdict, pays in cases.items():
        s = status(a, pays, D(2032, 5, 13))
        assert s.verdict == verdict
        text = status_text(s, lang)
        assert "{" not in text and "tracker." not in text
        assert "¥1,000.00" in text
    assert status_text(status(a, [], D(2032, 5, 13)), "en").count("1 day late") == 1
    keys = [k for k in TEXT if k.startswith("tracker.")]
    assert keys and all(zh and en for zh, en in (TEXT[k] for k in keys))


# ---- the models -----------------------------------------------------------------------------------
def test_models_are_frozen_bounded_and_round_trip() -> None:
    a = monthly("Q1", D(2032, 5, 12), [1000.004, 333.336])
    assert [x.amount for x in a.instalments] == [1000.0, 333.34] and a.total == 1333.34
    assert Agreement.model_validate_json(a.model_dump_json()) == a
    with pytest.raises(ValidationError):
        a.note = "x"  # type: ignore[misc]
    base = a.model_dump()
    bad = [{"option": "beg"}, {"reference": "x" * 61}, {"note": "x" * 501}, {"waived": -1},
           {"waived": float("nan")}, {"loan_id": "a b"}, {"instalments": ()}, {"colour": "red"},
           {"instalments": (Instalment(due=D(2032, 6, 1), amount=5), Instalment(due=D(2032, 5, 1), amount=5))},
           {"instalments": (Instalment(due=D(2032, 6, 1), amount=5), Instalment(due=D(2032, 6, 1), amount=5))}]
    for change in bad:
        with pytest.raises(ValidationError):
            Agreement.model_validate({**base, **change})
    for change in ({"amount": 0}, {"amount": float("inf")}, {"paid_on": D(2200, 1, 1)}, {"note": "x" * 501}):
        with pytest.raises(ValidationError):
            Payment.model_validate({"loan_id": "Q1", "paid_on": D(2032, 1, 1), "amount": 5, **change})
    with pytest.raises(ValidationError):
        Instalment(due=D(2032, 1, 1), amount=1e11)


# ---- from the plan ----------------------------------------------------------------------------------
def test_agreement_from_plan_takes_the_plans_months_for_that_loan() -> None:
    loans = make_loans([{"lender": "青柠小贷", "balance": 7350, "annual_rate": 0.0, "remaining_months": 5,
                         "penalty": 210},
                        {"lender": "蓝鲸分期", "balance": 1460, "annual_rate": 0.0, "remaining_months": 4}])
    s = Scenario().with_loans(loans).with_capacity(income=1900, essentials=0, cash=0)
    chosen = chosen_plan(s)
    a = agreement_from_plan(chosen, "L1", D(2032, 1, 31), agreed_on=D(2032, 1, 4), reference="QN-2032-17")
    sched = chosen.result.schedule
    mine = sched[sched["loan"] == 0]
    assert [x.amount for x in a.instalments] == [round(float(p), 2) for p in mine["payment"] if p > 0]
    assert a.total == pytest.approx(round(float(mine["payment"].sum()), 2), abs=0.005)
    assert [x.due for x in a.instalments][:4] == [D(2032, 1, 31), D(2032, 2, 29), D(2032, 3, 31), D(2032, 4, 30)]
    assert a.option == chosen.plan["L1"].label and a.waived == round(float(chosen.outcome.waived.iloc[0]), 2)
    assert (a.reference, a.agreed_on, a.loan_id) == ("QN-2032-17", D(2032, 1, 4), "L1")
    due = agreement_from_plan(chosen, "L2", D(2032, 1, 31), agreed_on=D(2032, 1, 4), amounts="due")
    assert due.loan_id == "L2" and due.total <= round(float(sched[sched["loan"] == 1]["payment"].sum()), 2) + 0.005
    with pytest.raises(KeyError):
        agreement_from_plan(chosen, "L9", D(2032, 1, 31), agreed_on=D(2032, 1, 4))


def test_agreement_from_plan_records_what_was_asked_and_the_lender() -> None:
    loans = make_loans([{"lender": "  丙木贷 ", "balance": 7350, "annual_rate": 0.0, "remaining_months": 5,
                         "penalty": 210},
                        {"lender": "丁果分期", "balance": 1460, "annual_rate": 0.0, "remaining_months": 4}])
    s = Scenario().with_loans(loans).with_capacity(income=1900, essentials=0, cash=0)
    chosen = chosen_plan(s)
    asked = chosen.plan["L1"].label
    a = agreement_from_plan(chosen, "L1", D(2032, 1, 31), agreed_on=D(2032, 1, 4))
    assert (a.asked, a.option, a.lender) == (asked, asked, "丙木贷")
    assert agreement_from_plan(chosen, "L2", D(2032, 1, 31), agreed_on=D(2032, 1, 4)).lender == "丁果分期"
    # the lender granted something else: that is the option, the ask stays, the plan's instalments stay
    other = "settlement" if asked != "settlement" else "extension"
    g = agreement_from_plan(chosen, "L1", D(2032, 1, 31), agreed_on=D(2032, 1, 4), granted=other)
    assert (g.asked, g.option) == (asked, other)
    assert g.instalments == a.instalments and g.waived == 0.0  # settlement carries no waiver label
    same = agreement_from_plan(chosen, "L1", D(2032, 1, 31), agreed_on=D(2032, 1, 4), granted=asked)
    assert same == a
    with pytest.raises(ValueError):
        agreement_from_plan(chosen, "L1", D(2032, 1, 31), agreed_on=D(2032, 1, 4), granted="beg")


def test_a_waiver_granted_in_another_form_keeps_what_was_waived() -> None:
    loans = make_loans([{"lender": "丙木贷", "balance": 6000, "annual_rate": 0.2, "remaining_months": 6,
                         "penalty": 500, "interest": 300, "overdue_days": 60, "overdue_amount": 2000}])
    s = Scenario().with_loans(loans).with_capacity(income=1200, essentials=0, cash=0)
    s = s.evolve(plan={"L1": PlanChoice(option="waiver+instalments")})
    chosen = chosen_plan(s)
    a = agreement_from_plan(chosen, "L1", D(2032, 1, 31), agreed_on=D(2032, 1, 4))
    assert a.asked == "waiver+instalments" and a.waived > 0
    assert agreement_from_plan(chosen, "L1", D(2032, 1, 31), agreed_on=D(2032, 1, 4),
                               granted="waiver+extension").waived == a.waived
    assert agreement_from_plan(chosen, "L1", D(2032, 1, 31), agreed_on=D(2032, 1, 4),
                               granted="instalments").waived == 0.0


def test_the_new_fields_are_bounded_and_default() -> None:
    a = monthly("Q1", D(2032, 5, 12), [1000])
    assert (a.asked, a.lender) == (None, "")
    limit = next(m.max_length for m in Loan.model_fields["lender"].metadata if hasattr(m, "max_length"))
    assert limit == 200
    Agreement.model_validate({**a.model_dump(), "lender": "x" * limit})
    for bad in ({"lender": "x" * (limit + 1)}, {"asked": "beg"}):
        with pytest.raises(ValidationError):
            Agreement.model_validate({**a.model_dump(), **bad})
    r = Refusal(loan_id="Q1", lender="丙木贷", asked="waiver", on=D(2032, 2, 1))
    assert r.note == "" and Refusal.model_validate_json(r.model_dump_json()) == r
    with pytest.raises(ValidationError):
        r.note = "x"  # type: ignore[misc]
    for bad in ({"asked": None}, {"asked": "beg"}, {"lender": "x" * (limit + 1)}, {"on": D(2200, 1, 1)},
                {"note": "x" * 501}, {"loan_id": "a b"}, {"colour": "red"}):
        with pytest.raises(ValidationError):
            Refusal.model_validate({**r.model_dump(), **bad})


# ---- agreed and paid, month by month ----------------------------------------------------------------
def test_agreed_vs_paid_month_by_month() -> None:
    a = monthly("Q1", D(2032, 11, 20), [640, 640, 640])
    t = agreed_vs_paid(a, [pay("Q1", D(2032, 11, 20), 640), pay("Q1", D(2033, 2, 2), 1280), pay("Q2", D(2032, 11, 1), 9)])
    assert tuple(t.columns) == AGREED_VS_PAID_COLUMNS
    assert t["month"].tolist() == [D(2032, 11, 1), D(2032, 12, 1), D(2033, 1, 1), D(2033, 2, 1)]
    assert t["due"].tolist() == [640, 640, 640, 0] and t["paid"].tolist() == [640, 0, 0, 1280]
    assert t["cum_due"].tolist() == [640, 1280, 1920, 1920] and t["cum_paid"].tolist() == [640, 640, 640, 1920]


# ---- months at risk --------------------------------------------------------------------------------
def test_at_risk_flags_only_the_month_the_two_agreements_together_exceed() -> None:
    one = monthly("Q1", D(2032, 4, 10), [1100, 1100, 1100, 1100])
    two = monthly("Q2", D(2032, 4, 25), [800, 800, 1650, 800])  # month 3 (June) is the heavy one
    flagged = at_risk([one, two], 2400, months=6, start=D(2032, 4, 1))
    assert flagged == [RiskMonth(month=D(2032, 6, 1), total_due=2750.0, capacity=2400.0, gap=350.0,
                                 loan_ids=("Q1", "Q2"))]
    assert at_risk([one, two], 2750, months=6, start=D(2032, 4, 1)) == []  # equal is not over
    # capacity per month; June's instalment paid ahead no longer counts
    assert at_risk([one, two], [2400, 2400, 3000], months=6, start=D(2032, 4, 1)) == []
    paid = [pay("Q2", D(2032, 4, 20), 800 + 800 + 1650)]
    assert at_risk([one, two], 2400, months=6, start=D(2032, 4, 1), payments=paid) == []
    assert at_risk([one, two], 2400, months=2, start=D(2032, 4, 1)) == []  # June is outside the window


# ---- the real state, and money that reconciles -----------------------------------------------------
def test_replan_state_is_the_agreement_still_unpaid_and_the_engine_runs_it() -> None:
    loans = make_loans([{"lender": "青柠小贷", "balance": 7350, "annual_rate": 0.21, "remaining_months": 5,
                         "penalty": 210, "loan_id": "Q1"},
                        {"lender": "蓝鲸分期", "balance": 1460, "annual_rate": 0.15, "remaining_months": 4,
                         "loan_id": "Q2"}])
    a = monthly("Q1", D(2032, 1, 15), [1530, 1530, 1530, 1530, 1530])
    pays = [pay("Q1", D(2032, 1, 15), 1530), pay("Q1", D(2032, 2, 20), 900)]
    now = replan_state(loans, [a], pays, D(2032, 3, 20))
    q1, q2 = now.iloc[0], now.iloc[1]
    assert (q1["loan_id"], q1["lender"], q1["balance"], q1["overdue_amount"], q1["overdue_days"]) == (
        "Q1", "青柠小贷", 7650 - 2430, 630 + 1530, 34)  # from 15 February (2032: 29 days)
    assert (q1["remaining_months"], q1["annual_rate"], q1["penalty"], q1["interest"], q1["fees"]) == (2, 0, 0, 0, 0)
    assert q2["balance"] == 1460 and q2["annual_rate"] == 0.15  # no agreement: as it was
    r = simulate(now.iloc[[0]], 5220)
    assert r.finishes and r.total_paid == 5220.0
    assert replan_state(loans, [a], pays, D(2032, 3, 20), loan_ids={"Q2"}).equals(conform(loans))
    paid_up = replan_state(loans, [a], [pay("Q1", D(2032, 1, 15), 7650)], D(2032, 3, 20))
    assert paid_up["loan_id"].tolist() == ["Q2"]


@st.composite
def _case(draw: st.DrawFn):
    n = draw(st.integers(1, 8))
    first = D(2032, 1, 1) + dt.timedelta(days=draw(st.integers(0, 400)))
    fen = st.integers(1, 5_000_000)
    amounts = [draw(fen) / 100 for _ in range(n)]
    pays = draw(st.lists(st.tuples(st.integers(-30, 300), fen), max_size=12))
    today = first + dt.timedelta(days=draw(st.integers(-30, 300)))
    grace = draw(st.integers(0, 10))
    return monthly("Q1", first, amounts), [pay("Q1", first + dt.timedelta(days=d), f / 100) for d, f in pays], today, grace


@settings(max_examples=300, deadline=None)
@given(_case())
def test_money_reconciles_to_the_fen(case) -> None:
    a, pays, today, grace = case
    s = status(a, pays, today, grace_days=grace)
    fen = lambda x: round(x * 100)  # noqa: E731
    made = sum(fen(p.amount) for p in pays if p.paid_on <= today)
    applied = made - fen(s.overpaid)
    assert fen(s.paid_to_date) == made
    assert applied + fen(s.still_owed) == fen(a.total)  # paid + still owed = agreed total
    assert fen(s.still_owed) >= 0 and fen(s.overpaid) >= 0 and (s.overpaid == 0 or s.still_owed == 0)
    assert fen(s.agreed_to_date) == sum(fen(r.amount) for r in s.instalments)
    assert fen(s.difference) == made - fen(s.agreed_to_date)
    assert all(fen(r.paid) + fen(r.missing) == fen(r.amount) for r in s.instalments)
    assert fen(s.arrears) == sum(fen(r.missing) for r in s.instalments if r.state in ("short", "missed"))
    # the verdict follows the rules
    states = [r.state for r in s.instalments]
    expected = ("missed" if "missed" in states else "short" if "short" in states
                else "ahead" if made > fen(s.agreed_to_date) else "on_track")
    assert s.verdict == expected
    # the real state owes exactly what is still owed
    loans = make_loans([{"lender": "青柠小贷", "balance": 9999, "annual_rate": 0.2, "remaining_months": 9,
                         "loan_id": "Q1"}])
    now = replan_state(loans, [a], pays, today, grace_days=grace)
    if s.still_owed == 0:
        assert now.empty
    else:
        assert fen(float(now.loc[0, "balance"])) == fen(s.still_owed)
        assert fen(float(now.loc[0, "overdue_amount"])) == fen(s.arrears)
        assert simulate(now, a.total + 1).total_paid == s.still_owed
    # the chart's last cumulative figures are the totals
    t = agreed_vs_paid(a, pays)
    assert fen(t["cum_due"].iloc[-1]) == fen(a.total)
    assert fen(t["cum_paid"].iloc[-1]) == sum(fen(p.amount) for p in pays)
