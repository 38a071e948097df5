"""lib.kit.exports and lib.kit.calendar: the plan as .xlsx, .csv and .ics, read back.

Figures come from a hand-made plan (a PayoffResult-like schedule whose sums are done by hand
below) or, for the engine's own plan, from its schedule summed in plain Python. Lender names and
amounts are not those of data/sample_loans.csv.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import string
from types import SimpleNamespace

import openpyxl
import pandas as pd
import pytest
from icalendar import Calendar

from lib.export import to_xlsx_bytes
from lib.i18n import TEXT
from lib.ingest import read_loans
from lib.kit.calendar import plan_calendar
from lib.kit.exports import (
    MONEY_FORMAT,
    PERCENT_FORMAT,
    comparison_sheet,
    loans_sheet,
    plan_by_month,
    text_width,
    to_csv,
    to_xlsx,
)
from lib.loans import editor_frame, make_loans

HOSTILE = '=HYPERLINK("http://x","y")'
START = "2026-11-20"  # month 1 = 2026-12, month 2 = 2027-01 (the year turns), month 3 = 2027-02


def _row(month, loan, lender, payment, principal, interest, owed, due=None):
    return {"month": month, "loan": loan, "lender": lender, "payment": payment, "fees": 0.0, "penalty": 0.0,
            "interest": interest, "principal": principal, "balance": owed, "owed": owed, "overdue": 0.0,
            "due": payment if due is None else due}


@pytest.fixture
def hand():
    """Three loans (two of 晨曦小贷, ids K7 and K9, and one whose lender is a formula), three months.
    K9 pays nothing in month 2 (a grace month); the hostile loan is closed after month 2."""
    schedule = pd.DataFrame([
        _row(1, 0, "晨曦小贷", 1966.25, 1900.00, 66.25, 5877.00),
        _row(1, 1, "晨曦小贷", 777.70, 700.00, 77.70, 1400.00),
        _row(1, 2, HOSTILE, 333.33, 333.33, 0.0, 333.34),
        _row(2, 0, "晨曦小贷", 1966.25, 1922.10, 44.15, 3954.90),
        _row(2, 1, "晨曦小贷", 0.0, 0.0, 0.0, 1414.00, due=0.0),
        _row(2, 2, HOSTILE, 333.34, 333.34, 0.0, 0.0),
        _row(3, 0, "晨曦小贷", 1844.50, 1800.00, 44.50, 2154.90),
        _row(3, 1, "晨曦小贷", 707.07, 700.00, 7.07, 714.00),
    ])
    schedule["lender"] = schedule["lender"].astype("category")
    monthly = pd.DataFrame({"month": [1, 2, 3], "owed": [7610.34, 5368.90, 2868.90]})
    loans = make_loans([{"loan_id": i, "lender": n, "balance": b, "annual_rate": 0.15, "remaining_months": 6}
                        for i, n, b in (("K7", "晨曦小贷", 7777), ("K9", "晨曦小贷", 2100), ("K3", HOSTILE, 666.67))])
    return SimpleNamespace(schedule=schedule, monthly=monthly), loans


# hand sums of the fixture
PAID = {1: 1966.25 + 777.70 + 333.33, 2: 1966.25 + 0.0 + 333.34, 3: 1844.50 + 707.07}  # 3077.28, 2299.59, 2551.57


def _cells(ws):
    return [c for row in ws.iter_rows() for c in row if c.value is not None]


# --- plan by month --------------------------------------------------------------------------------

def test_plan_by_month_from_a_hand_made_plan(hand):
    result, loans = hand
    sheet = plan_by_month(result, START, "zh", loans=loans)
    assert list(sheet.columns) == ["第几个月", "月份", "晨曦小贷（K7）", "晨曦小贷（K9）", HOSTILE, "当月还款合计", "月末仍欠"]
    assert sheet["月份"].tolist() == ["2026-12", "2027-01", "2027-02"]
    assert sheet["晨曦小贷（K9）"].tolist() == [777.70, 0.0, 707.07]
    assert sheet[HOSTILE].tolist() == [333.33, 333.34, 0.0]
    assert sheet["当月还款合计"].tolist() == [3077.28, 2299.59, 2551.57] == [round(PAID[m], 2) for m in (1, 2, 3)]
    assert sheet["月末仍欠"].tolist() == [7610.34, 5368.90, 2868.90]
    en = plan_by_month(result, START, "en", loans=loans)
    assert list(en.columns)[:4] == ["Month", "Calendar month", "晨曦小贷 (K7)", "晨曦小贷 (K9)"]
    assert all(isinstance(x, float) for x in en.iloc[:, 2:].to_numpy().ravel())


def test_plan_by_month_of_the_engine_adds_up():
    from lib.plan import chosen_plan
    from lib.scenario import Scenario

    loans = make_loans([{"lender": "晨曦小贷", "balance": 7777, "annual_rate": 0.18, "remaining_months": 12},
                        {"lender": "暮云钱包", "balance": 3333, "annual_rate": 0.24, "remaining_months": 6}])
    result = chosen_plan(Scenario().with_loans(loans).with_capacity(income=1600, essentials=0, cash=0)).result
    sheet = plan_by_month(result, "2026-12-05", "en", loans=loans)
    per = {}  # the schedule summed in plain Python
    for m, lender, pay in zip(result.schedule["month"], result.schedule["lender"], result.schedule["payment"],
                              strict=True):
        per[(int(m), str(lender))] = per.get((int(m), str(lender)), 0.0) + float(pay)
    assert len(sheet) == result.months_simulated
    for _, row in sheet.iterrows():
        for lender in ("晨曦小贷", "暮云钱包"):
            assert row[lender] == pytest.approx(per.get((row["Month"], lender), 0.0), abs=0.005)
        assert row["Paid that month"] == pytest.approx(row["晨曦小贷"] + row["暮云钱包"], abs=0.005)
    assert sheet["Paid that month"].sum() == pytest.approx(sum(per.values()), abs=0.01)
    assert sheet["Paid that month"].sum() == pytest.approx(result.total_paid, abs=0.01)
    assert sheet["Still owed at month end"].iloc[-1] == pytest.approx(result.owed_end, abs=0.005)
    assert sheet["Calendar month"].iloc[0] == "2027-01"


# --- the workbook ----------------------------------------------------------------------------------

def test_xlsx_stores_numbers_as_numbers_with_formats_and_no_formula(hand):
    result, loans = hand
    data = to_xlsx({"每月还款": plan_by_month(result, START, "zh", loans=loans), "借款清单": loans_sheet(loans, "zh")})
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["每月还款", "借款清单"]
    ws = wb["每月还款"]
    assert [c.value for c in ws[1]] == ["第几个月", "月份", "晨曦小贷（K7）", "晨曦小贷（K9）", "'" + HOSTILE,
                                        "当月还款合计", "月末仍欠"]
    assert ws["E1"].data_type == "s"
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
    assert rows == [[1, "2026-12", 1966.25, 777.70, 333.33, 3077.28, 7610.34],
                    [2, "2027-01", 1966.25, 0, 333.34, 2299.59, 5368.90],
                    [3, "2027-02", 1844.50, 707.07, 0, 2551.57, 2868.90]]
    for r in ws.iter_rows(min_row=2, min_col=3):
        for c in r:
            assert isinstance(c.value, int | float) and not isinstance(c.value, bool)
            assert c.number_format == MONEY_FORMAT
    assert ws["A2"].number_format == "General"
    assert ws.freeze_panes == "A2" and wb["借款清单"].freeze_panes == "A2"
    assert all(c.font.b for c in ws[1])
    # widths fitted: a CJK header counts double, a money column is as wide as its ¥ text
    assert ws.column_dimensions["C"].width == text_width("晨曦小贷（K7）") + 2 == 16
    assert ws.column_dimensions["F"].width == text_width("当月还款合计") + 2 == 14
    assert ws.column_dimensions["G"].width == len("¥7,610.34") + 2 == 11  # wider than 月末仍欠 (8)
    for sheet in wb.worksheets:
        for c in _cells(sheet):
            assert c.data_type != "f"
            assert not (isinstance(c.value, str) and c.value.startswith(("=", "+", "-", "@", "\t", "\r")))
    lw = wb["借款清单"]
    assert lw["A4"].value == "'" + HOSTILE and lw["A4"].data_type == "s"
    head = [c.value for c in lw[1]]
    balance, rate = lw.cell(2, head.index("剩余本金") + 1), lw.cell(2, head.index("年化利率") + 1)
    assert (balance.value, balance.number_format) == (7777, MONEY_FORMAT)
    assert (rate.value, rate.number_format) == (0.15, PERCENT_FORMAT)


def test_comparison_sheet_numbers_and_percentages():
    from lib.capacity import Capacity
    from lib.negotiate import compare_with_results

    loans = make_loans([{"lender": "晨曦小贷", "balance": 7777, "annual_rate": 0.30, "remaining_months": 6}])
    table, _ = compare_with_results(loans, Capacity(income=900), options=["instalments"], instalments_months=12)
    sheet = comparison_sheet(table, "en", "2026-12-05")
    ws = openpyxl.load_workbook(io.BytesIO(to_xlsx({"Options": sheet}))).active
    head = [c.value for c in ws[1]]
    assert head[:3] == ["Best", "Option", "Every month of the first 12 fits"]
    for i, rec in enumerate(table.to_dict("records"), start=2):
        paid = ws.cell(i, head.index("Total paid") + 1)
        assert (paid.value, paid.number_format) == (pytest.approx(rec["total_paid"], abs=0.005), MONEY_FORMAT)
        first = ws.cell(i, head.index("Due in month 1") + 1)
        assert first.value == pytest.approx(rec["monthly_payment"], abs=0.005) and first.number_format == MONEY_FORMAT
        apr = ws.cell(i, head.index("Real APR of the plan (IRR)") + 1)
        assert isinstance(apr.value, int | float) and apr.number_format == PERCENT_FORMAT
        assert apr.value == pytest.approx(rec["apr"], abs=1e-6) and 0 <= apr.value < 1  # a fraction
        months = ws.cell(i, head.index("Months until every debt is clear") + 1).value
        assert months == (int(rec["months"]) if pd.notna(rec["months"]) else "never")
        assert ws.cell(i, head.index("Every month of the first 12 fits") + 1).value == ("yes" if rec["fits"] else "no")


def test_loan_list_excel_stores_numbers_and_reads_back_as_the_same_loans():
    """The loans page's download (lib.export.to_xlsx_bytes of the editor's text) and loans_sheet."""
    loans = make_loans([
        {"lender": "晨曦小贷", "balance": 7777, "annual_rate": 0.1845, "remaining_months": 11,
         "overdue_days": 41, "overdue_amount": 1234.56, "penalty": 88.8, "principal_amount": 9999,
         "start_date": "2026-03-09", "term_months": 18},
        {"lender": HOSTILE, "kind": "private", "balance": 4321.09, "annual_rate": 0.06, "remaining_months": 3,
         "method": "bullet"},
        {"lender": "白桦分期", "balance": 6000, "annual_rate": 0.09, "remaining_months": 12, "method": "flat_fee",
         "principal_amount": 6000},  # 0.75 % a month on the principal: stated by the month, never "9 % a year"
    ])
    cols = ["lender", "kind", "balance", "annual_rate", "method", "remaining_months", "monthly_payment",
            "overdue_days", "overdue_amount", "penalty", "principal_amount", "start_date", "term_months"]
    for lang in ("zh", "en"):
        for data in (to_xlsx_bytes(editor_frame(loans, lang, blank_derived=False)),
                     to_xlsx({"x": loans_sheet(loans, lang)})):
            ws = openpyxl.load_workbook(io.BytesIO(data)).active
            head = [c.value for c in ws[1]]
            bal = next(j for j, h in enumerate(head, 1) if h.startswith(("剩余本金", "Balance")))
            rate = next(j for j, h in enumerate(head, 1) if h.startswith(("年化利率", "Annual rate")))
            assert ws.cell(2, bal).value == 7777 and ws.cell(3, bal).value == 4321.09
            assert ws.cell(2, bal).number_format == MONEY_FORMAT
            assert ws.cell(2, rate).value == pytest.approx(0.1845) and ws.cell(2, rate).number_format == PERCENT_FORMAT
            assert ws.cell(3, 1).value == "'" + HOSTILE
            assert ws.cell(4, rate).value == {"zh": "月0.75%", "en": "0.75%/month"}[lang]
            back = read_loans(data, "loans.xlsx", as_of=dt.date(2026, 12, 1)).loans
            got = back[cols].assign(lender=back["lender"].str.removeprefix("'"))
            pd.testing.assert_frame_equal(got.reset_index(drop=True), loans[cols].reset_index(drop=True),
                                          check_dtype=False)


def test_sheet_titles_are_made_valid_and_distinct():
    wb = openpyxl.load_workbook(io.BytesIO(to_xlsx({"a/b": pd.DataFrame({"x": [1]}), "a?b": pd.DataFrame(),
                                                    "x" * 40: pd.DataFrame()})))
    assert wb.sheetnames == ["a_b", "a_b (2)", "x" * 31]


# --- CSV -------------------------------------------------------------------------------------------

def test_csv_has_a_bom_and_reads_back_to_the_same_numbers(hand):
    result, loans = hand
    sheet = plan_by_month(result, START, "zh", loans=loans)
    data = to_csv(sheet)
    assert data.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert list(back.columns)[4] == "'" + HOSTILE  # neutralised
    assert back["当月还款合计"].tolist() == [3077.28, 2299.59, 2551.57]
    assert back["晨曦小贷（K7）"].tolist() == [1966.25, 1966.25, 1844.50]
    assert back["月份"].tolist() == ["2026-12", "2027-01", "2027-02"]
    lines = to_csv(loans_sheet(loans, "zh")).decode("utf-8-sig").splitlines()
    assert lines[3].startswith('"\'=HYPERLINK(""http://x""')


# --- calendar --------------------------------------------------------------------------------------

def _events(data):
    return Calendar.from_ical(data).walk("VEVENT")


def test_calendar_events_dates_amounts_and_alarms(hand):
    result, loans = hand
    data = plan_calendar(result, START, "zh", loans=loans)
    events = _events(data)
    assert len(events) == 7  # 8 loan-months, one of them (K9 in month 2) pays nothing
    got = [(e.decoded("dtstart"), str(e["summary"])) for e in events]
    assert got == [
        (dt.date(2026, 12, 10), "还款 晨曦小贷（K7） ¥1,966.25"),
        (dt.date(2026, 12, 10), "还款 晨曦小贷（K9） ¥777.70"),
        (dt.date(2026, 12, 10), f"还款 {HOSTILE} ¥333.33"),
        (dt.date(2027, 1, 10), "还款 晨曦小贷（K7） ¥1,966.25"),
        (dt.date(2027, 1, 10), f"还款 {HOSTILE} ¥333.34"),
        (dt.date(2027, 2, 10), "还款 晨曦小贷（K7） ¥1,844.50"),
        (dt.date(2027, 2, 10), "还款 晨曦小贷（K9） ¥707.07"),
    ]
    for e in events:
        assert e.decoded("dtend") == e.decoded("dtstart") + dt.timedelta(days=1)
        assert "DTSTAMP" in e
        alarms = e.walk("VALARM")
        assert len(alarms) == 1
        assert str(alarms[0]["action"]) == "DISPLAY" and alarms[0]["trigger"].to_ical() == b"-P3D"
        assert alarms[0].decoded("trigger") == dt.timedelta(days=-3)
    first = str(events[0]["description"])
    assert "本金 ¥1,900.00" in first and "利息 ¥66.25" in first and "¥5,877.00" in first and "2026-12" in first
    cal = Calendar.from_ical(data)
    assert str(cal["prodid"]).startswith("-//") and str(cal["version"]) == "2.0"
    en = [str(e["summary"]) for e in _events(plan_calendar(result, START, "en", loans=loans))]
    assert en[0] == "Pay 晨曦小贷 (K7) ¥1,966.25"


def test_calendar_is_rfc5545_text(hand):
    result, loans = hand
    data = plan_calendar(result, START, "zh", loans=loans)
    assert data.startswith(b"BEGIN:VCALENDAR\r\n") and data.endswith(b"END:VCALENDAR\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"")  # every line ends in CRLF
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))  # folded (octets)


def test_calendar_uids_are_stable_and_distinct(hand):
    result, loans = hand
    a = plan_calendar(result, START, "zh", loans=loans, stamp=dt.datetime(2026, 12, 1, tzinfo=dt.UTC))
    b = plan_calendar(result, START, "en", loans=loans, stamp=dt.datetime(2027, 3, 1, tzinfo=dt.UTC))
    uids = [str(e["uid"]) for e in _events(a)]
    assert uids == [str(e["uid"]) for e in _events(b)]
    assert len(set(uids)) == len(uids)
    assert uids[0].startswith("K7-202612-") and uids[1].startswith("K9-202612-")
    # the same loans exported a month later: the overlapping months keep their UIDs (re-import updates)
    later = SimpleNamespace(schedule=result.schedule[result.schedule["month"] > 1].assign(
        month=lambda s: s["month"] - 1), monthly=result.monthly.iloc[1:].assign(month=[1, 2]))
    assert [str(e["uid"]) for e in _events(plan_calendar(later, "2026-12-20", "zh", loans=loans))] == uids[3:]
    # other loans: other UIDs
    other = loans.assign(lender=["暮云钱包", "暮云钱包", "星河分期"])
    assert not set(uids) & {str(e["uid"]) for e in _events(plan_calendar(
        SimpleNamespace(schedule=result.schedule.assign(lender=result.schedule["loan"].map(
            {0: "暮云钱包", 1: "暮云钱包", 2: "星河分期"})), monthly=result.monthly), START, "zh", loans=other))}


def test_calendar_day_is_clamped_and_the_alarm_follows_alarm_days(hand):
    result, loans = hand
    events = _events(plan_calendar(result, "2026-12-31", "en", loans=loans, day=31, alarm_days=5))
    assert sorted({e.decoded("dtstart") for e in events}) == [dt.date(2027, 1, 31), dt.date(2027, 2, 28),
                                                              dt.date(2027, 3, 31)]
    assert {e.walk("VALARM")[0]["trigger"].to_ical() for e in events} == {b"-P5D"}
    with pytest.raises(ValueError):
        plan_calendar(result, START, "en", day=0)


# --- strings ---------------------------------------------------------------------------------------

def test_export_and_calendar_strings_in_both_languages():
    keys = [k for k in TEXT if k.startswith(("export.", "calendar."))]
    assert len(keys) >= 10
    fields = string.Formatter()
    for k in keys:
        zh, en = TEXT[k]
        assert zh and en and (re.search(r"[\u4e00-\u9fff]", zh) or k == "export.lender_loan"), k
        assert {f for _, f, _, _ in fields.parse(zh) if f} == {f for _, f, _, _ in fields.parse(en) if f}, k
