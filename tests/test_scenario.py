"""The scenario (lib.scenario) and share links (lib.share): round trips, migration, refusals."""

from __future__ import annotations

import base64
import datetime as dt
import json
import random
import zlib

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lib.contacts import Contact
from lib.ingest import read_loans
from lib.loans import KINDS, METHODS, make_loans
from lib.negotiate import LABELS, OPTION_SPECS
from lib.payoff import BASES, STRATEGIES
from lib.scenario import (
    MAX_FILE_BYTES,
    CapacityInputs,
    Loan,
    OptionSettings,
    PlanChoice,
    ReadNote,
    Scenario,
    ScenarioError,
    Source,
    TypedRow,
    from_json,
    loans_from_frame,
)
from lib.share import MAX_LINK, LinkTooLong, apply_query, share_query
from lib.tracker import Agreement, Instalment, Payment, Refusal

money = st.floats(0, 1e9, allow_nan=False, allow_infinity=False)
text = st.text(max_size=30)


@st.composite
def loans(draw) -> tuple[Loan, ...]:
    n = draw(st.integers(0, 6))
    return tuple(Loan(
        loan_id=f"L{i + 1}", lender=draw(text), kind=draw(st.sampled_from(KINDS)), balance=draw(money),
        annual_rate=draw(st.floats(0, 3, allow_nan=False)), method=draw(st.sampled_from(METHODS)),
        remaining_months=draw(st.integers(0, 600)), monthly_payment=draw(st.none() | money),
        overdue_days=draw(st.integers(0, 3000)), overdue_amount=draw(money), interest=draw(money),
        penalty=draw(money), fees=draw(money), principal_amount=draw(st.none() | money),
        received=draw(st.none() | money), start_date=draw(st.none() | st.dates(dt.date(1950, 1, 1), dt.date(2100, 12, 31))),
        term_months=draw(st.none() | st.floats(0, 600, allow_nan=False)),
        derived=draw(st.sampled_from(["", "monthly_payment", "annual_rate,remaining_months"])),
        assumed=draw(st.sampled_from(["", "remaining_months"])), source_row=draw(st.integers(0, 3000)),
    ) for i in range(n))


def option_params(draw) -> dict:
    out = {}
    for spec in OPTION_SPECS.values():
        if spec.name == "new_rate" or not draw(st.booleans()):
            continue
        if spec.unit == "choice":
            out[spec.name] = draw(st.sampled_from(spec.choices))
        elif spec.unit == "months":
            out[spec.name] = draw(st.integers(int(spec.min), int(spec.max)))
        else:
            out[spec.name] = draw(st.floats(spec.min, spec.max, allow_nan=False))
    return out


@st.composite
def scenarios(draw) -> Scenario:
    ls = draw(loans())
    ids = [x.loan_id for x in ls]
    pct = st.none() | st.floats(0, 100, allow_nan=False)
    plan = {i: PlanChoice(option=draw(st.sampled_from(LABELS)), months=draw(st.none() | st.integers(0, 60)),
                          plan_rate=draw(pct), waive_penalty_pct=draw(pct), settle_pct=draw(pct))
            for i in (draw(st.lists(st.sampled_from(ids), unique=True)) if ids else [])}
    cap = CapacityInputs(income=draw(money), essentials=draw(money), share=draw(st.floats(0, 1)),
                         cash=draw(money), change=draw(st.booleans()), change_month=draw(st.integers(1, 36)),
                         penalty_multiple=draw(st.floats(1, 2)), target_months=draw(st.integers(6, 60)))
    notes = tuple(ReadNote(row=draw(st.integers(0, 99)), column=draw(text), code="bad_number",
                           params={"value": draw(text), "n": draw(st.integers(-5, 5))},
                           severity=draw(st.sampled_from(["error", "warning"])))
                  for _ in range(draw(st.integers(0, 3))))
    return Scenario(
        loans=ls, capacity=cap, basis=draw(st.sampled_from(BASES)), strategy=draw(st.sampled_from(STRATEGIES)),
        order=tuple(draw(st.permutations(ids))), plan=plan,
        source=Source(origin=draw(st.sampled_from(["sample", "file", "editor"])), name=draw(text),
                      day_basis=draw(st.sampled_from([360, 365])), notes=notes,
                      typed=tuple(TypedRow(row=r, cells={"lender": draw(text), "balance": draw(text)})
                                  for r in draw(st.lists(st.integers(1, 99), max_size=2)))),
        options=OptionSettings(chosen=tuple(draw(st.lists(st.sampled_from(LABELS), unique=True))),
                               params=option_params(draw), lower_rate=draw(st.booleans())),
        agreements=tuple(Agreement(loan_id=i, option=draw(st.sampled_from(LABELS)), agreed_on=dt.date(2026, 11, 2),
                                   instalments=tuple(Instalment(due=dt.date(2027, m, 10), amount=draw(
                                       st.floats(0.01, 1e6, allow_nan=False))) for m in range(1, draw(
                                           st.integers(2, 12)))), reference=draw(st.text(max_size=20)),
                                   asked=draw(st.none() | st.sampled_from(LABELS)), lender=draw(text))
                         for i in ids[:2]),
        refusals=tuple(Refusal(loan_id=i, lender=draw(text), asked=draw(st.sampled_from(LABELS)),
                               on=draw(st.dates(dt.date(2026, 1, 1), dt.date(2028, 1, 1))), note=draw(text))
                       for i in ids[:2]),
        payments=tuple(Payment(loan_id=i, paid_on=draw(st.dates(dt.date(2026, 1, 1), dt.date(2028, 1, 1))),
                               amount=draw(st.floats(0.01, 1e6, allow_nan=False))) for i in ids[:3]),
        contacts=tuple(Contact(loan_id=i, when=draw(st.datetimes(dt.datetime(2026, 1, 1), dt.datetime(2027, 1, 1))),
                               answered=draw(st.booleans()), who=draw(st.text(max_size=10)),
                               threat=draw(st.booleans())) for i in ids[:2]))


@settings(max_examples=150, deadline=None)
@given(scenarios())
def test_any_scenario_survives_json_unchanged(s):
    back = from_json(s.to_json())
    assert back == s
    assert back.to_json() == s.to_json()


@settings(max_examples=60, deadline=None)
@given(loans())
def test_the_loan_table_survives_records(ls):
    s = Scenario(loans=ls)
    again = Scenario().with_loans(s.loans_frame)
    assert again.loans == s.loans
    pd.testing.assert_frame_equal(again.loans_frame, s.loans_frame)


def test_a_read_file_keeps_every_figure_through_a_saved_file():
    # markers distinct from the sample: a GBK bank-style export with a title row
    raw = ("还款明细导出\n机构名称,剩余本金（元）,年利率,剩余期数,逾期天数,罚息\n"
           "星河小贷,\"7,340.55\",23.4%,9,17,41.26\n云杉消金,2150,日息万四,5,,\n").encode("gbk")
    book = read_loans(raw, "导出.csv")
    s = Scenario().with_loans(book.loans, Source(origin="file", name="导出.csv"))
    back = from_json(s.to_json())
    pd.testing.assert_frame_equal(back.loans_frame, book.loans)
    assert back.loans_frame["balance"].tolist() == [7340.55, 2150.0]
    assert back.loans_frame["loan_id"].tolist() == ["L1", "L2"]


def test_capacity_inputs_make_the_engine_capacity():
    c = CapacityInputs(income=10000, essentials=4000, obligations=1000, share=0.8, cash=5000, reserve=1500,
                       change=True, change_month=4, change_income=7000).to_capacity()
    assert c.monthly == (10000 - 4000 - 1000) * 0.8
    assert c.lump_sums() == {1: 5000 - 1500}
    assert c.budget_changes() == {4: (7000 - 4000 - 1000) * 0.8}
    assert CapacityInputs(change=False, change_month=4).to_capacity().budget_changes() == {}


def test_editing_the_loans_keeps_the_other_loans_choices():
    frame = make_loans([{"lender": n, "balance": 1000 * (i + 1), "annual_rate": 0.2, "remaining_months": 6}
                        for i, n in enumerate(["甲方", "乙方", "丙方"])])
    s = Scenario().with_loans(frame).evolve(
        strategy="custom", order=("L3", "L1", "L2"),
        plan={"L1": PlanChoice(option="settlement", settle_pct=40), "L3": PlanChoice(option="extension", months=24)})
    edited = s.with_loans(s.loans_frame.iloc[1:])  # the first loan deleted in the editor
    assert edited.order == ("L3", "L2")
    assert edited.plan == {"L3": PlanChoice(option="extension", months=24)}
    assert edited.loans_frame["loan_id"].tolist() == ["L2", "L3"]
    fresh = s.with_loans(frame, keep_choices=False)
    assert fresh.plan == {} and fresh.order == ()


def test_a_version_0_file_is_migrated():
    doc = {"name": "old notebook", "loans": [
        {"lender": "青禾借款", "balance": 4321.0, "annual_rate": 0.3, "remaining_months": 7},
        {"lender": "远山分期", "balance": 999.0, "annual_rate": 0.1, "remaining_months": 3, "kind": "credit_card"}],
        "capacity": {"cap_income": 7600, "cap_essentials": 3000, "cap_share": 80, "cap_pm": 1.3,
                     "cap_basis": "contractual"}}
    s = from_json(json.dumps(doc, ensure_ascii=False))
    assert s.version == 1
    assert [x.loan_id for x in s.loans] == ["L1", "L2"]
    assert s.loans[1].kind == "credit_card"
    assert (s.capacity.income, s.capacity.share, s.capacity.penalty_multiple) == (7600, 0.8, 1.3)
    assert s.capacity.to_capacity().monthly == (7600 - 3000) * 0.8
    assert s.basis == "contractual" and s.source.name == "old notebook"


def test_a_version_1_file_from_before_the_outcome_fields_loads():
    # written by hand as the app saved it before agreements had ``asked``/``lender`` and before ``refusals``
    text = """{"version": 1,
      "loans": [{"loan_id": "L1", "lender": "戊禾贷", "kind": "online", "balance": 6000.0, "annual_rate": 0.18,
                 "method": "annuity", "remaining_months": 6}],
      "agreements": [{"loan_id": "L1", "option": "waiver+instalments", "waived": 420.5,
                      "instalments": [{"due": "2031-02-10", "amount": 1000.0}, {"due": "2031-03-10", "amount": 1000.0}],
                      "agreed_on": "2031-01-05", "reference": "WH-77", "note": ""}],
      "payments": [{"loan_id": "L1", "paid_on": "2031-02-09", "amount": 700.0, "note": ""}],
      "contacts": []}"""
    s = from_json(text)
    (a,) = s.agreements
    assert (a.option, a.asked, a.lender, a.waived, a.reference, a.total) == (
        "waiver+instalments", None, "", 420.5, "WH-77", 2000.0)
    assert s.refusals == () and s.payments[0].amount == 700.0 and s.loans[0].lender == "戊禾贷"
    assert s.version == 1
    # saved again it carries the new fields, and reads back the same
    again = s.evolve(refusals=(Refusal(loan_id="L1", lender="戊禾贷", asked="settlement", on=dt.date(2031, 4, 1)),))
    assert from_json(again.to_json()) == again and json.loads(again.to_json())["version"] == 1


GOOD = Scenario(loans=loans_from_frame(make_loans(
    [{"lender": "测试贷", "balance": 5000, "annual_rate": 0.2, "remaining_months": 10}]))).to_json()


@pytest.mark.parametrize(("text", "code", "where"), [
    ("not json at all", "not_json", None),
    (b"\xff\xfe\x00garbage", "not_json", None),
    ("[1, 2, 3]", "not_scenario", None),
    ('{"version": 2}', "future_version", None),
    ('{"version": "1"}', "bad_version", None),
    ('{"version": -1}', "bad_version", None),
    ("[" * 100000 + "]" * 100000, "not_json", None),
    (GOOD.replace('"balance":5000.0', '"balance":NaN'), "not_json", None),
    (GOOD.replace('"balance":5000.0', '"balance":1e400'), "invalid", "loans → 1 → balance"),
    (GOOD.replace('"balance":5000.0', '"balance":-1'), "invalid", "loans → 1 → balance"),
    (GOOD.replace('"kind":"online"', '"kind":"<script>"'), "invalid", "loans → 1 → kind"),
    (GOOD.replace('"plan":{}', '"plan":{"L9":{"option":"waiver"}}'), "invalid", "—"),
    (GOOD.replace('"strategy":"avalanche"', '"strategy":"__import__"'), "invalid", "strategy"),
    (GOOD.replace('"version":1', '"version":1,"run":"rm -rf"'), "invalid", "run"),
    (GOOD.replace('"start_date":null', '"start_date":"9999-01-01"'), "invalid", "loans → 1 → start_date"),
    (GOOD.replace('"lender":"测试贷"', '"lender":"' + "x" * 500 + '"'), "invalid", "loans → 1 → lender"),
    (GOOD.replace('"params":{}', '"params":{"settle_pct":7}'), "invalid", "options → params"),
    ('{"version":1,"loans":' + json.dumps([json.loads(GOOD)["loans"][0]] * 2) + "}", "invalid", "—"),
])
def test_damaged_and_hostile_files_are_refused_naming_what(text, code, where):
    with pytest.raises(ScenarioError) as err:
        from_json(text)
    assert err.value.code == code
    if where:
        assert err.value.params["where"] == where


def test_an_oversized_file_is_refused_before_it_is_read():
    with pytest.raises(ScenarioError) as err:
        from_json(" " * (MAX_FILE_BYTES + 1))
    assert err.value.code == "too_big"


def test_evolve_validates_and_keeps_the_loans_table():
    s = Scenario(loans=loans_from_frame(make_loans(
        [{"lender": "测试贷", "balance": 5000, "annual_rate": 0.2, "remaining_months": 10}])))
    frame = s.loans_frame
    assert s.with_capacity(income=1.0).loans_frame is frame  # not rebuilt for a slider move
    with pytest.raises(ValueError):
        s.with_capacity(share=1.5)
    with pytest.raises(ValueError):
        s.evolve(order=("L7",))


# ---- share links --------------------------------------------------------------------------------------
def test_a_link_carries_the_settings_and_not_the_loans():
    own = Scenario().with_loans(make_loans(
        [{"lender": "私人账本", "balance": 777, "annual_rate": 0.1, "remaining_months": 3}]),
        Source(origin="file", name="mine.csv"))
    s = own.with_capacity(income=6400.0, share=0.55).with_options(chosen=("waiver", "settlement"),
                                                                   params={"settle_pct": 0.45})
    q = share_query(s)
    assert set(q) == {"s"}
    decoded = zlib.decompress(base64.urlsafe_b64decode(q["s"] + "==")).decode()
    assert "私人账本" not in decoded and "777" not in decoded
    got = apply_query(Scenario(), q)
    assert got.loans == () and got.capacity == s.capacity and got.options == s.options


def test_a_link_with_loans_brings_them_and_their_plan():
    frame = make_loans([{"lender": "借款甲", "balance": 3000, "annual_rate": 0.3, "remaining_months": 6},
                        {"lender": "借款乙", "balance": 800, "annual_rate": 0.2, "remaining_months": 4}])
    s = Scenario().with_loans(frame).evolve(plan={"L2": PlanChoice(option="waiver", waive_interest_pct=80)})
    got = apply_query(Scenario(), share_query(s, with_loans=True))
    assert got.loans == s.loans and got.plan == s.plan


def test_a_link_too_long_is_refused():
    rng = random.Random(7)  # names and figures that do not compress away
    frame = make_loans([{"lender": "".join(rng.choice("甲乙丙丁戊己庚辛壬癸子丑寅卯") for _ in range(12)),
                         "balance": rng.uniform(100, 90000), "annual_rate": rng.uniform(0, 0.36),
                         "remaining_months": rng.randint(1, 36)} for _ in range(300)])
    with pytest.raises(LinkTooLong) as err:
        share_query(Scenario().with_loans(frame), with_loans=True)
    assert err.value.length > MAX_LINK


@pytest.mark.parametrize("query", [
    {"s": "!!!"}, {"s": "AAAA"}, {"d": base64.urlsafe_b64encode(zlib.compress(b"[1]")).decode()},
    {"s": base64.urlsafe_b64encode(zlib.compress(b'{"loans": []}')).decode()},  # not a setting
    {"d": base64.urlsafe_b64encode(zlib.compress(b"0" * 50_000_000)).decode()},  # a zip bomb
    {"s": "A" * (MAX_LINK + 1)},
])
def test_a_damaged_link_is_refused(query):
    with pytest.raises(ScenarioError):
        apply_query(Scenario(), query)
