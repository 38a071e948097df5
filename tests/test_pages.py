"""AppTest: every page runs without exception in both languages; upload, language, editor."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from lib.capacity import Capacity
from lib.fmt import md_escape, money
from lib.i18n import t
from lib.ingest import read_loans
from lib.payoff import simulate

APP = str(Path(__file__).resolve().parent.parent / "app.py")
PAGES = ["pages/breakdown.py", "pages/loans.py", "pages/capacity.py", "pages/compare.py", "pages/kit.py",
         "pages/track.py", "pages/guide.py"]
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
    book = at.session_state["scenario"]
    assert book.loans_frame["lender"].tolist() == ["中邮消费金融", "安逸花"]
    assert book.loans_frame["annual_rate"].tolist() == pytest.approx([0.0005 * 360, 0.216])
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
    assert at.session_state["scenario"].loans_frame["lender"].tolist() == ["A"]
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
    loans = at.session_state["scenario"].loans_frame
    assert loans.loc[0, "balance"] == 12000.0
    assert "微粒贷" not in loans["lender"].tolist()
    assert len(loans) == 7


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def test_capacity_income_moves_the_debt_free_date() -> None:
    at = run_app("English")
    at.switch_page("pages/capacity.py").run()
    assert not at.exception
    # defaults: (12,000 − 5,500) × 100 % = 6,500 a month for debts, against 9,935 due
    assert metric(at, "For debts each month") == "¥6,500"
    # this month needs the contracts' instalments and the arrears: 3,300 + 4,200 + 1,200 overdue
    need = next(w.value for w in at.warning if w.value.startswith("This month needs"))
    assert "the contracts' ¥9,935 plus ¥8,700 already overdue" in need
    assert need.startswith(f"This month needs {metric(at, 'This month needs (arrears included)')}:")
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
    # at the 24 % line the debt grows by at most ~2,700 a month: not provably for ever, but not
    # within 50 years either; the arrears are never made up
    assert any("is not cleared within 600 months" in e.value for e in at.error)
    assert any(e.value.startswith("At this budget the arrears are never made up") for e in at.error)
    need = next(w.value for w in at.warning if "you need" in w.value)
    assert "a month" in need
    # the lender's contractual claim (uncapped penalty) is provably never cleared
    at.radio(key="cap_basis").set_value("contractual").run()
    assert not at.exception
    assert any("never clears" in e.value for e in at.error)


def test_capacity_names_what_can_be_refused() -> None:
    sample = read_loans(Path(APP).parent / "data" / "sample_loans.csv").loans
    cap = Capacity(income=12000.0, essentials=5500.0, cash=3000.0, reserve=2000.0)
    # over the next 12 months (lib.capacity.REFUSABLE_MONTHS), the same payments under each basis
    law, claim = (simulate(sample, cap.monthly, lump_sums=cap.lump_sums(), target_months=None, basis=b, horizon=12,
                           give_up=False) for b in ("enforceable", "contractual"))

    def charges(r):
        return r.total_interest + r.total_penalty + r.total_fees

    assert charges(claim) > charges(law)
    for lang, marker in (("English", "you can refuse to pay"), ("中文", "您可以拒绝支付")):
        at = run_app(lang)
        at.switch_page("pages/capacity.py").run()
        info = next(i.value for i in at.info if marker in i.value)
        assert money(charges(claim), 0) in info and money(charges(law), 0) in info
        assert money(charges(claim) - charges(law), 0) in info


def test_capacity_strategy_table_matches_the_engine_and_says_when_order_cannot_matter() -> None:
    at = run_app("English")
    at.switch_page("pages/capacity.py").run()
    same = t("capacity.strategies_same", "en")
    assert same in texts(at)  # by default every month's money goes to the dues: order cannot matter
    at.number_input(key="cap_income").set_value(30000.0).run()
    assert not at.exception and same not in texts(at)
    sample = read_loans(Path(APP).parent / "data" / "sample_loans.csv").loans
    cap = Capacity(income=30000.0, essentials=5500.0, share=1.0, cash=3000.0, reserve=2000.0)
    table = at.table[-1].value.reset_index()  # (a static table: the strategy is its row header)
    markdown = [m.value for m in at.markdown]
    for name in ("avalanche", "snowball", "pro_rata", "overdue_first"):
        r = simulate(sample, cap.monthly, name, lump_sums=cap.lump_sums(), target_months=None)
        row = table[table["Strategy"] == t(f"strategy.{name}", "en")].iloc[0]
        assert row["Months"] == str(r.months_to_debt_free)
        assert row["Interest"] == money(r.total_interest)
        assert row["Total paid"] == money(r.total_paid)
        # on a phone, the same figures as one card per strategy (markdown: the text escaped)
        card = markdown[markdown.index(f"**{md_escape(t(f'strategy.{name}', 'en'))}**") + 1]
        for label, value in (("Months", str(r.months_to_debt_free)), ("Interest", money(r.total_interest)),
                             ("Total paid", money(r.total_paid))):
            assert f"{label}: **{md_escape(value)}**" in card.split("  \n")


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
    sample = read_loans(Path(APP).parent / "data" / "sample_loans.csv").loans
    assert ms.value[0] == sample.loc[sample["annual_rate"].idxmax(), "loan_id"]  # highest contract rate first
    assert at.session_state["scenario"].strategy == "custom"
    ms.set_value(["L1"]).run()
    assert at.session_state["scenario"].order == ("L1",)
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
    return dict(zip(table["Option"], table["Every month of the first 12 fits"], strict=True))


def test_compare_lowering_the_capacity_changes_which_options_fit() -> None:
    at = run_app("English")
    at.switch_page("pages/compare.py").run()
    assert not at.exception
    before = fits_column(at)
    assert before["Instalment plan"] == "✓ yes" and before["Keep the contract"] == "✗ no"
    # the cheapest and the fastest that fit are marked (once each), never an option that does not fit
    marks = dict(zip(at.dataframe[0].value["Option"], at.dataframe[0].value["Best"], strict=True))
    assert sum("★" in m for m in marks.values()) == 1 and sum("⚡" in m for m in marks.values()) == 1
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
    asks = next(m.value for m in at.markdown if "借呗" in m.value)
    assert asks.count("\n- ") + 1 >= 8  # one line per lender (and one more when nothing fits)


def test_compare_plan_builder_override_is_used() -> None:
    at = run_app("English")
    at.switch_page("pages/compare.py").run()
    key = f"plan_editor_{at.session_state['scenario'].loans_key}"
    before = metric(at, "Total paid")
    # settle with the first lender (借呗, 18,000 owed) for 50 % in one month
    at.session_state[key] = {"edited_rows": {0: {"option": "settlement", "months": 1, "settle_pct": 50}},
                             "added_rows": [], "deleted_rows": []}
    at.run()
    assert not at.exception
    after = metric(at, "Total paid")
    assert after != before
    paid = lambda v: float(v.replace("¥", "").replace(",", ""))  # noqa: E731
    assert paid(after) < paid(before) - 18000 * 0.5 + 1000  # about half of 18,000 forgiven




def test_compare_saving_window_apr_and_the_two_kinds_of_plan_told_apart() -> None:
    at = run_app("English")
    at.switch_page("pages/compare.py").run()
    table = at.dataframe[0].value
    months = [int(m) for m in table["Months until every debt is clear"] if m != "never"]
    saving = next(c for c in table.columns if c.startswith("Saving over"))
    # every option measured over the same months: until the slowest option that clears is clear
    start = pd.Timestamp.today().to_period("M")
    assert saving == f"Saving over {max(months)} months (to {(start + max(months)).strftime('%Y-%m')})"  # month 1: next
    aprs = dict(zip(table["Option"], table["Real APR of the plan (IRR)"], strict=True))
    assert aprs["Settlement (principal reduction)"].startswith("n/a: ¥") and aprs["Keep the contract"].endswith("%")
    # ★ (every lender grants the same) and the smallest asks are told apart in words
    assert any(c.value.startswith("With these smallest asks: clear in ") and "★ “" in c.value for c in at.caption)


def test_a_plan_that_does_not_fit_names_the_month_the_gap_and_the_lender() -> None:
    at = run_app("English")
    at.switch_page("pages/compare.py").run()
    key = f"plan_editor_{at.session_state['scenario'].loans_key}"
    keep = {i: {"option": "baseline"} for i in range(8)}  # every lender: the contract (at the legal line)
    at.session_state[key] = {"edited_rows": keep, "added_rows": [], "deleted_rows": []}
    at.run()
    assert not at.exception
    assert metric(at, "Every month within capacity") == "no"
    warning = next(w.value for w in at.warning if w.value.startswith("Month "))
    next_month = (pd.Timestamp.today().to_period("M") + 1).strftime("%Y-%m")  # month 1 is next month, as in the charts
    assert warning.startswith(f"Month 1 ({next_month}) asks ¥")
    assert "short; most of it for " in warning

# --------------------------------------------------------------------------- every debt counted (issue 9)
# Two good rows (one a card with no term) and one whose balance cannot be read.
ONE_BAD = ("平台,剩余本金,年化利率,剩余期数,类型\n"
           "青松小贷,12000,18%,12,网贷\n"
           "某信用卡,20000,0.05%/天,,信用卡\n"
           "远山小贷,abc,18%,6,网贷\n").encode("gbk")
CLEAN = "平台,剩余本金,年化利率,剩余期数\n青松小贷,12000,18%,12\n远山小贷,3000,18%,6\n".encode()


def upload(at: AppTest, name: str, data: bytes) -> AppTest:
    at.switch_page("pages/loans.py").run()
    at.file_uploader[0].set_value((name, data, "text/csv")).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def links_to_import(at: AppTest) -> list[str]:
    return [link.proto.label for link in at.get("page_link") if link.proto.page == "loans"]


@pytest.mark.parametrize(("lang", "notice", "link"), [
    ("English", "1 row of your loans could not be imported and is not counted here.",
     "See and fix the rows not imported →"),
    ("中文", "有 1 行借款未能导入，不在这里的合计中。", "查看未导入的行并修改 →"),
])
def test_every_page_with_totals_says_that_a_row_was_not_taken(lang: str, notice: str, link: str) -> None:
    at = upload(run_app(lang), "mine.csv", ONE_BAD)
    for page in ("pages/breakdown.py", "pages/capacity.py", "pages/compare.py"):
        at.switch_page(page).run()
        assert not at.exception, (page, [e.value for e in at.exception])
        assert [w.value for w in at.warning].count(notice) == 1, (page, [w.value for w in at.warning])
        assert link in links_to_import(at), page
    at.switch_page("pages/breakdown.py").run()
    owed = next(m for m in at.metric if m.label in ("Total owed", "欠款合计"))
    assert owed.value == f"¥{12000 + 20000:,}"  # the two loans taken; the bad row is named, not counted


@pytest.mark.parametrize(("lang", "where", "problem"), [("English", "Row 4 · 剩余本金", "Problem"),
                                                       ("中文", "第 4 行 · 剩余本金", "问题")])
def test_a_row_not_imported_is_named_in_the_table_and_on_a_phone_card(lang: str, where: str, problem: str) -> None:
    at = upload(run_app(lang), "mine.csv", ONE_BAD)  # 远山小贷's balance "abc": the file's 4th line
    table = next(d.value for d in at.dataframe if problem in d.value.columns)
    assert table.iloc[:, :2].values.tolist() == [[4, "剩余本金"]]
    markdown = [m.value for m in at.markdown]
    card = markdown[markdown.index(f"**{md_escape(where)}**") + 1]  # the phone's card: where, then what
    assert card.startswith(f"{problem}: **{md_escape(table[problem].iloc[0])}**")


def test_no_notice_when_every_row_was_taken() -> None:
    for at in (run_app("English"), upload(run_app("English"), "ok.csv", CLEAN)):
        for page in ("pages/breakdown.py", "pages/capacity.py", "pages/compare.py"):
            at.switch_page(page).run()
            assert not any("could not be imported" in w.value for w in at.warning), page
            assert "See and fix the rows not imported →" not in links_to_import(at)


def test_the_breakdown_marks_the_assumed_loan_and_says_how_many() -> None:
    at = upload(run_app("English"), "mine.csv", ONE_BAD)
    at.switch_page("pages/breakdown.py").run()
    warning = [w.value for w in at.warning if "assumption" in w.value]
    assert len(warning) == 1 and warning[0].startswith("1 loan carries an assumption")
    assert "Check the assumed values →" in links_to_import(at)
    table = at.dataframe[0].value
    table = table.data if hasattr(table, "data") else table
    marks = dict(zip(table["Lender"], table["Check"], strict=True))
    assert marks == {"青松小贷": "", "某信用卡": "⚠ Remaining months, Method"}
    at = upload(run_app("English"), "ok.csv", CLEAN)
    at.switch_page("pages/breakdown.py").run()
    assert not any("assumption" in w.value for w in at.warning)


@pytest.mark.parametrize(("data", "level", "en", "zh"), [
    (CLEAN, "success", "Read 2 loans from x\\.csv.", "已从 x\\.csv 读取 2 笔借款。"),
    ("平台,剩余本金,年化利率,剩余期数\n青松小贷,12000,18%,12\n".encode(), "success", "Read 1 loan from x\\.csv.",
     "已从 x\\.csv 读取 1 笔借款。"),
    (ONE_BAD, "warning", "Read 2 loans from x\\.csv; 1 row could not be imported (see below).",
     "已从 x\\.csv 读取 2 笔借款；1 行未能导入。原因见下方。"),
    ("平台,剩余本金,年化利率,剩余期数,逾期天数\n青松小贷,12000,18%,12,很久\n甲,x,1%,1,\n乙,y,1%,1,\n".encode(), "warning",
     "Read 1 loan from x\\.csv; 2 rows could not be imported, 1 value was ignored (see below).",
     "已从 x\\.csv 读取 1 笔借款；2 行未能导入；1 个值无法识别，已忽略。原因见下方。"),
])
def test_the_import_summary_names_only_the_trouble_there_was(data: bytes, level: str, en: str, zh: str) -> None:
    for lang, want in (("English", en), ("中文", zh)):
        at = upload(run_app(lang), "x.csv", data)
        got = [e.value for e in getattr(at, level)]
        assert want in got, got
        assert not any(" 0 " in m or m.startswith("0 ") or "; 0" in m or "；0" in m for m in texts(at).splitlines())
        assert "1 rows" not in texts(at) and "1 values" not in texts(at)


def test_typed_loans_are_reported_as_typed_in() -> None:
    at = run_app("English")
    at.switch_page("pages/loans.py").run()
    key = f"editor_{at.session_state['editor_ver']}"
    # the first sample loan's payment is derived (blank here), so its rate cannot come from it
    at.session_state[key] = {"edited_rows": {0: {"Annual rate (%)": "abc"}}, "added_rows": [], "deleted_rows": []}
    at.run()
    assert not at.exception
    msgs = [w.value for w in at.warning]
    assert "7 loans typed in; 1 row could not be imported (see below)." in msgs, msgs
    assert not any("from typed in" in m for m in texts(at).splitlines())
    assert at.session_state["scenario"].source.name == ""  # no UI text in the data: the page says "typed in"
    assert "Not a rate: “abc”" in frames(at)


def test_typing_the_months_of_an_assumed_loan_clears_the_check() -> None:
    at = upload(run_app("English"), "mine.csv", ONE_BAD)
    base = at.session_state["editor_base"]
    assert base["Check"].tolist()[1].startswith("Months left assumed to be 10, as a card's minimum payment")
    hint = "1 loan has values assumed as is common: see the “Check” column at the far right."
    assert any(i.value.startswith(hint) for i in at.info)
    key = f"editor_{at.session_state['editor_ver']}"
    at.session_state[key] = {"edited_rows": {1: {"Remaining months": "6"}}, "added_rows": [], "deleted_rows": []}
    at.run()
    assert not at.exception
    card = at.session_state["scenario"].loans_frame.iloc[1]
    assert (card["remaining_months"], card["assumed"]) == (6, "")
    # a card with a term and no method: 等本等息, 20,000/6 + 20,000 × 0.05 % × 360 / 12
    assert card["monthly_payment"] == math.ceil(20000 / 6 * 100) / 100 + 20000 * 0.015  # principal rounded up + interest
    assert at.session_state["editor_base"]["Check"].tolist() == ["", ""]
    assert not any(i.value.startswith(hint) for i in at.info)
    at.switch_page("pages/breakdown.py").run()
    assert not any("assumption" in w.value for w in at.warning)


def test_blank_select_cells_of_the_editor_show_blank_not_none() -> None:
    at = upload(run_app("English"), "mine.csv", ONE_BAD)
    editor = next(d for d in at.dataframe if d.proto.editing_mode)  # the grid draws a missing cell as its
    assert editor.proto.HasField("placeholder") and editor.proto.placeholder == ""  # placeholder, else "None"
    assert at.session_state["editor_base"]["Method"].tolist() == ["", ""]  # derived and assumed: blank


def lender_column(at: AppTest) -> list[str]:
    table = at.dataframe[0].value
    table = table.data if hasattr(table, "data") else table
    return table.iloc[:, 0].tolist()


def test_unnamed_loans_are_named_in_the_language_shown_and_the_data_stays_as_read() -> None:
    # markers not in data/sample_loans*.csv: two loans with no lender, 4,321 and 2,468
    data = b"Lender,Balance,Annual rate,Remaining months\n,4321,17%,9\n,2468,13%,7\n"
    at = upload(run_app("English"), "mine.csv", data)
    read = at.session_state["scenario"]
    assert read.loans_frame["lender"].tolist() == ["", ""]
    at.switch_page("pages/breakdown.py").run()
    assert lender_column(at) == ["Loan in row 2", "Loan in row 3"]  # two lenders, not one summed
    at.button_group(key="lang").set_value("zh").run()
    assert not at.exception and at.title[0].value == "债务全貌"
    assert lender_column(at) == ["第2行借款", "第3行借款"]
    assert at.session_state["scenario"] is read  # a language switch reads nothing again
    at.switch_page("pages/compare.py").run()
    asks = next(m.value for m in at.markdown if "第2行借款" in m.value)
    assert "**第3行借款**" in asks
    at.switch_page("pages/capacity.py").run()
    assert not at.exception


def test_the_sample_is_one_borrower_whatever_the_language() -> None:
    at = run_app("English")
    sample = at.session_state["scenario"]
    assert "借呗" in sample.loans_frame["lender"].tolist()  # its lenders' own names, also in English
    at.button_group(key="lang").set_value("zh").run()
    assert not at.exception and at.session_state["scenario"] is sample
    assert sample.source.origin == "sample"


def test_compare_a_move_no_chart_shows_is_said_in_words() -> None:
    at = run_app("English")
    at.switch_page("pages/compare.py").run()
    before = at.dataframe[0].value.set_index("Option")
    assert not [c for c in at.caption if c.value.startswith("Changed")]
    at.slider(key="opt_instalments_months").set_value(24).run()
    assert not at.exception
    after = at.dataframe[0].value.set_index("Option")
    col = "Due in month 1"
    old, new = before.loc["Instalment plan", col], after.loc["Instalment plan", col]
    assert old != new  # 24 instalments instead of 36: a larger first month
    said = [c.value.replace("\\", "") for c in at.caption if c.value.startswith("Changed")]
    assert said and f"Instalment plan — {col} {old} → {new}" in said[0], said
    assert "Keep the contract —" not in said[0]  # the contract did not move
