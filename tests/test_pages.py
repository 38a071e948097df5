"""AppTest: every page runs without exception in both languages; upload, language, editor."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from lib.capacity import Capacity
from lib.fmt import money
from lib.i18n import t
from lib.ingest import read_loans
from lib.payoff import simulate

APP = str(Path(__file__).resolve().parent.parent / "app.py")
PAGES = ["pages/breakdown.py", "pages/loans.py", "pages/capacity.py", "pages/compare.py", "pages/guide.py"]
GBK_CSV = ("平台,剩余本金,年化利率,剩余期数,逾期天数\n"
           "中邮消费金融,\"16,000\",日息万五,12,0\n"
           "安逸花,8500,21.6%,9,45\n").encode("gbk")


def run_app(lang: str | None = None, locale: str = "zh-CN") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.context = {"locale": locale}
    if lang:
        at.query_params["lang"] = lang
    return at.run()


def texts(at: AppTest) -> str:
    parts = [e.value for e in at.title] + [e.value for e in at.markdown] + [e.value for e in at.caption]
    parts += [e.value for e in at.info] + [e.value for e in at.error] + [e.value for e in at.warning]
    parts += [e.value for e in at.success]
    return "\n".join(map(str, parts))


def frames(at: AppTest) -> str:
    return "\n".join(df.value.to_string() if hasattr(df.value, "to_string") else str(df.value.data)
                     for df in at.dataframe)


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("lang", ["中文", "English"])
def test_every_page_runs(page: str, lang: str) -> None:
    at = run_app(lang)
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title, "every page has a title"


def test_pages_run_after_app_py_as_on_the_server() -> None:
    # tests/conftest.py: without it AppTest would run a switched-to page alone (legacy pages/ mode)
    at = run_app("English")
    at.switch_page("pages/capacity.py").run()
    sidebar = [e.value for e in at.sidebar.caption]
    assert sidebar[0] == "Showing: a sample borrower (8 loans)"
    at.slider(key="cap_share").set_value(50).run()
    assert [e.value for e in at.sidebar.caption] == sidebar


def test_default_language_follows_the_browser() -> None:
    assert run_app(locale="zh-CN").title[0].value == "债务全貌"
    assert run_app(locale="en-US").title[0].value == "Debt breakdown"
    assert run_app("English", locale="zh-CN").title[0].value == "Debt breakdown"


def test_breakdown_totals_match_the_sample() -> None:
    at = run_app("English")
    owed = next(m for m in at.metric if m.label == "Total owed")
    # sample: balances 18,000 + 12,500 + 9,800 + 8,000 + 30,000 + 15,000 + 20,000 + 20,000 = 133,300
    # plus interest 186.20 + 542.80 + 1,200, penalty 126.50 + 380, fees 150
    assert owed.value == f"¥{133300 + 186.20 + 542.80 + 1200 + 126.50 + 380 + 150:,.0f}"


def test_gbk_upload_replaces_the_sample_and_shows_on_breakdown() -> None:
    at = run_app()
    at.switch_page("pages/loans.py").run()
    at.file_uploader[0].set_value(("借款.csv", GBK_CSV, "text/csv")).run()
    assert not at.exception
    book = at.session_state["book"]
    assert book.loans["lender"].tolist() == ["中邮消费金融", "安逸花"]
    assert book.loans["annual_rate"].tolist() == pytest.approx([0.0005 * 360, 0.216])
    assert "GB18030" in texts(at)
    at.switch_page("pages/breakdown.py").run()
    assert not at.exception
    assert "中邮消费金融" in frames(at) and "借呗" not in frames(at)
    owed = next(m for m in at.metric if m.label == "欠款合计")
    assert owed.value == "¥24,500"


def test_bad_rows_are_named_and_good_rows_kept() -> None:
    csv = "Lender,Balance,Annual rate,Remaining months\nA,1000,18%,10\nB,lots,18%,10\nC,2000,abc%,5\n"
    at = run_app("English")
    at.switch_page("pages/loans.py").run()
    at.file_uploader[0].set_value(("loans.csv", csv.encode(), "text/csv")).run()
    assert at.session_state["book"].loans["lender"].tolist() == ["A"]
    table = frames(at)
    assert "Not an amount: “lots”" in table and "Balance" in table
    assert "Not a rate: “abc%”" in table


def test_not_a_table_keeps_the_app_working() -> None:
    at = run_app("English")
    at.switch_page("pages/loans.py").run()
    # the widget only takes table extensions, so the realistic case is a picture renamed to .csv
    at.file_uploader[0].set_value(("photo.csv", b"\x89PNG\r\n\x1a\n" + bytes(200), "text/csv")).run()
    assert not at.exception
    assert "This is an image, not a table" in frames(at)
    at.switch_page("pages/breakdown.py").run()
    assert not at.exception


def test_editing_a_loan_updates_the_book() -> None:
    at = run_app("English")
    at.switch_page("pages/loans.py").run()
    key = f"editor_{at.session_state['editor_ver']}"
    at.session_state[key] = {"edited_rows": {0: {"Balance": "1.2万"}}, "added_rows": [], "deleted_rows": [1]}
    at.run()
    assert not at.exception
    loans = at.session_state["book"].loans
    assert loans.loc[0, "balance"] == 12000.0
    assert "WeBank Weilidai" not in loans["lender"].tolist()
    assert len(loans) == 7


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def test_capacity_income_moves_the_debt_free_date() -> None:
    at = run_app("English")
    at.switch_page("pages/capacity.py").run()
    assert not at.exception
    # defaults: (12,000 − 5,500) × 100 % = 6,500 a month for debts, against 9,935 due
    assert metric(at, "For debts each month") == "¥6,500"
    assert metric(at, "Monthly shortfall") == f"¥{9934.86 - 6500:,.0f}"
    before = metric(at, "Debt-free in")
    at.number_input(key="cap_income").set_value(20000.0).run()
    assert not at.exception
    assert metric(at, "For debts each month") == "¥14,500"
    after = metric(at, "Debt-free in")
    assert int(after.split()[0]) < int(before.split()[0])


def test_capacity_reports_a_plan_that_never_finishes() -> None:
    at = run_app("English")
    at.switch_page("pages/capacity.py").run()
    at.number_input(key="cap_income").set_value(6000.0).run()  # 500 a month for debts
    at.number_input(key="cap_cash").set_value(0.0).run()
    assert metric(at, "Debt-free in") == "never"
    assert any("never clears" in e.value for e in at.error)
    need = next(w.value for w in at.warning if "you need" in w.value)
    assert "a month" in need


def test_capacity_strategy_table_matches_the_engine_and_says_when_order_cannot_matter() -> None:
    at = run_app("English")
    at.switch_page("pages/capacity.py").run()
    same = t("capacity.strategies_same", "en")
    assert same in texts(at)  # by default every month's money goes to the dues: order cannot matter
    at.number_input(key="cap_income").set_value(30000.0).run()
    assert not at.exception and same not in texts(at)
    sample = read_loans(Path(APP).parent / "data" / "sample_loans_en.csv").loans
    cap = Capacity(income=30000.0, essentials=5500.0, share=1.0, cash=3000.0, reserve=2000.0)
    table = at.dataframe[-1].value
    for name in ("avalanche", "snowball", "pro_rata", "overdue_first"):
        r = simulate(sample, cap.monthly, name, lump_sums=cap.lump_sums(), target_months=None)
        row = table[table["Strategy"] == t(f"strategy.{name}", "en")].iloc[0]
        assert row["Months"] == str(r.months_to_debt_free)
        assert row["Interest"] == money(r.total_interest)
        assert row["Total paid"] == money(r.total_paid)


def test_capacity_inputs_survive_a_page_switch() -> None:
    at = run_app("English")
    at.switch_page("pages/capacity.py").run()
    at.number_input(key="cap_income").set_value(15000.0).run()
    at.switch_page("pages/breakdown.py").run()
    at.switch_page("pages/capacity.py").run()
    assert at.number_input(key="cap_income").value == 15000.0


def test_custom_order_is_offered_and_used() -> None:
    at = run_app("English")
    at.switch_page("pages/capacity.py").run()
    at.number_input(key="cap_income").set_value(30000.0).run()  # leftover exists: order matters
    at.radio(key="cap_strategy").set_value("custom").run()
    assert not at.exception
    ms = at.multiselect[0]
    sample = read_loans(Path(APP).parent / "data" / "sample_loans_en.csv").loans
    assert ms.value[0] == sample.loc[sample["annual_rate"].idxmax(), "lender"]  # highest contract rate first
    ms.set_value(["Ant Jiebei"]).run()
    assert not at.exception
    assert any(m.label == "Debt-free in" for m in at.metric)


@pytest.mark.parametrize(("lang", "words"), [
    ("中文", ["本金通常不减免", "越早越好", "5 年", "12378", "12363", "12321", "110", "诉前调解", "停息挂账",
              "第七十条", "必须真实"]),
    ("English", ["principal usually is not", "The earlier the better", "5 years", "12378", "12363", "12321",
                 "110", "pre-litigation mediation", "negotiation agents", "article 70", "it must be real"]),
])
def test_guide_covers_the_article_and_where_to_turn(lang: str, words: list[str]) -> None:
    at = run_app(lang)
    at.switch_page("pages/guide.py").run()
    text = texts(at)
    missing = [w for w in words if w not in text]
    assert not missing


def fits_column(at: AppTest) -> dict[str, str]:
    table = at.dataframe[0].value
    table = table.data if hasattr(table, "data") else table
    return dict(zip(table["Option"], table["Fits (first 12 months)"], strict=True))


def test_compare_lowering_the_capacity_changes_which_options_fit() -> None:
    at = run_app("English")
    at.switch_page("pages/compare.py").run()
    assert not at.exception
    before = fits_column(at)
    assert before["Instalment plan"] == "✓ yes" and before["Keep the contract"] == "✗ no"
    # the cheapest and the fastest that fit are marked (once each), never an option that does not fit
    marks = dict(zip(at.dataframe[0].value["Option"], at.dataframe[0].value["Best"], strict=True))
    assert sum("cheapest" in m for m in marks.values()) == 1 and sum("fastest" in m for m in marks.values()) == 1
    assert all(before[o] == "✓ yes" for o, m in marks.items() if m)
    # 6,500 a month for debts → 2,500: even 36 interest-free instalments of the ~135,886 owed
    # (3,774.60 a month) no longer fit
    at.switch_page("pages/capacity.py").run()
    at.number_input(key="cap_income").set_value(8000.0).run()
    at.switch_page("pages/compare.py").run()
    assert not at.exception
    after = fits_column(at)
    assert after["Instalment plan"] == "✗ no"
    assert sum(v == "✓ yes" for v in after.values()) < sum(v == "✓ yes" for v in before.values())
    # the ladder then reaches for bigger concessions, or says how much is missing
    asks = next(m.value for m in at.markdown if "Ant Jiebei" in m.value)
    assert asks.count("\n- ") + 1 >= 8  # one line per lender (and one more when nothing fits)


def test_compare_plan_builder_override_is_used() -> None:
    at = run_app("English")
    at.switch_page("pages/compare.py").run()
    key = next(iter(at.session_state["plan_editor"].values()))
    before = metric(at, "Total paid")
    # settle with the first lender (Ant Jiebei, 18,000 owed) for 50 % in one month
    at.session_state[key] = {"edited_rows": {0: {"option": "settlement", "months": 1, "settle_pct": 50}},
                             "added_rows": [], "deleted_rows": []}
    at.run()
    assert not at.exception
    after = metric(at, "Total paid")
    assert after != before
    paid = lambda v: float(v.replace("¥", "").replace(",", ""))  # noqa: E731
    assert paid(after) < paid(before) - 18000 * 0.5 + 1000  # about half of 18,000 forgiven

