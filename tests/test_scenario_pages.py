"""AppTest: the scenario across pages — a saved file opened shows its numbers everywhere, a share
link reproduces the view, throwing work away can be undone, a bad file changes nothing."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from lib.ingest import read_loans
from lib.scenario import Scenario, Source, source_of
from lib.share import share_query

APP = str(Path(__file__).resolve().parent.parent / "app.py")
# markers distinct from the sample: lenders and figures that occur in no data file
MESSY = ("借款清单（导出）\n借款机构,待还本金,日利率,剩余期数,逾期天数,罚息\n"
         "青石小贷,\"8,250.40\",0.06%,11,23,57.10\n枫叶分期,3600,万四,6,,\n合计,11850.40,,,,\n").encode("gbk")


def run_app(lang: str = "English") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["lang"] = lang
    return at.run()


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def saved_scenario() -> Scenario:
    book = read_loans(MESSY, "导出.csv")
    return (Scenario().with_loans(book.loans, source_of(book, "file"))
            .with_capacity(income=9300.0, essentials=4100.0, share=0.9, cash=0.0)
            .evolve(strategy="snowball", basis="contractual"))


def open_file(at: AppTest, text: str | bytes, name: str = "my-plan.json") -> AppTest:
    at.switch_page("pages/loans.py").run()
    data = text.encode() if isinstance(text, str) else text
    at.file_uploader(key="open_scenario").set_value((name, data, "application/json")).run()
    return at


def test_a_saved_file_opened_shows_its_numbers_on_every_page() -> None:
    s = saved_scenario()
    at = open_file(run_app(), s.to_json())
    assert not at.exception
    assert at.session_state["scenario"] == s
    at.switch_page("pages/breakdown.py").run()
    assert not at.exception
    # owed: the two balances and the penalty, by hand (the totals row is not a loan)
    assert metric(at, "Total owed") == f"¥{8250.40 + 3600 + 57.10:,.0f}"
    assert not any("sample borrower" in i.value for i in at.info)
    at.switch_page("pages/capacity.py").run()
    assert not at.exception
    assert at.number_input(key="cap_income~1").value == 9300.0  # the widgets drawn afresh from the file
    assert metric(at, "For debts each month") == f"¥{(9300 - 4100) * 0.9:,.0f}"
    assert at.radio(key="cap_strategy~1").value == "snowball"
    assert at.radio(key="cap_basis~1").value == "contractual"
    at.switch_page("pages/compare.py").run()
    assert not at.exception
    assert any(f"¥{(9300 - 4100) * 0.9:,.0f}" in i.value for i in at.info)
    assert "青石小贷" in at.dataframe[0].value.to_string() or any("青石小贷" in m.value for m in at.markdown)


def test_a_damaged_file_changes_nothing_and_says_where() -> None:
    at = run_app()
    before = at.session_state["scenario"]
    bad = saved_scenario().to_json().replace('"balance":3600.0', '"balance":-3600.0')
    open_file(at, bad)
    assert not at.exception
    assert at.session_state["scenario"] == before
    err = next(e.value for e in at.error if "could not be opened" in e.value)
    assert "loans → 2 → Balance" in err and "must not be negative" in err
    open_file(at, '{"version": 7}', "newer.json")
    assert any("newer version of the app (version 7" in e.value for e in at.error)
    assert at.session_state["scenario"] == before


def test_opening_a_file_can_be_undone() -> None:
    at = run_app()
    sample = at.session_state["scenario"]
    open_file(at, saved_scenario().to_json())
    assert at.session_state["scenario"] != sample
    undo = next(b for b in at.button if b.label == "Undo")
    undo.click().run()
    assert not at.exception
    assert at.session_state["scenario"] == sample


def test_start_empty_asks_nothing_but_can_be_undone_and_the_sample_banner_goes() -> None:
    at = run_app()
    at.switch_page("pages/loans.py").run()
    assert any("sample borrower" in i.value for i in at.info)
    sample = at.session_state["scenario"]
    next(b for b in at.button if b.label == "Start empty").click().run()
    assert not at.exception
    assert at.session_state["scenario"].loans == ()
    assert not any("sample borrower" in i.value for i in at.info)
    assert any("undo to get the previous loans back" in i.value for i in at.info)
    next(b for b in at.button if b.label == "Undo").click().run()
    assert at.session_state["scenario"] == sample


def test_a_share_link_reproduces_the_compare_table() -> None:
    sender = run_app()
    sender.switch_page("pages/capacity.py").run()
    sender.number_input(key="cap_income").set_value(15500.0).run()
    sender.switch_page("pages/compare.py").run()
    sender.slider(key="opt_instalments_months").set_value(48).run()
    assert not sender.exception
    table = sender.dataframe[0].value
    query = share_query(sender.session_state["scenario"])
    receiver = AppTest.from_file(APP, default_timeout=90)
    receiver.query_params.update({**query, "lang": "English"})
    receiver.run()
    receiver.switch_page("pages/compare.py").run()
    assert not receiver.exception
    assert receiver.session_state["scenario"].capacity.income == 15500.0
    assert receiver.dataframe[0].value.equals(table)
    assert any("shared view" in i.value for i in receiver.info)


def test_a_share_link_with_loans_brings_the_loans() -> None:
    s = saved_scenario().evolve(source=Source(origin="file", name="导出.csv"))
    receiver = AppTest.from_file(APP, default_timeout=90)
    receiver.query_params.update({**share_query(s, with_loans=True), "lang": "English"})
    receiver.run()
    assert not receiver.exception
    assert receiver.session_state["scenario"].loans == s.loans
    assert metric(receiver, "Total owed") == f"¥{8250.40 + 3600 + 57.10:,.0f}"


def test_a_damaged_share_link_says_so_and_shows_the_sample() -> None:
    receiver = AppTest.from_file(APP, default_timeout=90)
    receiver.query_params.update({"s": "not-a-link", "lang": "English"})
    receiver.run()
    assert not receiver.exception
    assert any("shared link could not be opened" in e.value for e in receiver.error)
    assert receiver.session_state["scenario"].source.origin == "sample"


def test_demo_mode_starts_on_the_sample_says_so_and_keeps_nothing(monkeypatch) -> None:
    monkeypatch.setenv("LOAN_PLANNER_DEMO", "1")
    at = run_app()
    assert not at.exception
    assert at.session_state["scenario"].source.origin == "sample"
    assert any("Demo: nothing is kept" in c.value for c in at.sidebar.caption)
    assert not [b for b in at.button if b.label == "Forget my data on this device"]
    assert "browser_store" not in at.session_state  # the browser store is not even mounted
    monkeypatch.delenv("LOAN_PLANNER_DEMO")
    at = run_app()
    assert any("kept only in this device's browser" in c.value for c in at.sidebar.caption)
    assert "browser_store" in at.session_state
    assert [b for b in at.button if b.label == "Forget my data on this device"]


def test_editing_one_loan_keeps_the_other_loans_plan_choices() -> None:
    at = open_file(run_app(), saved_scenario().to_json())  # 青石小贷 (L1), 枫叶分期 (L2)
    at.switch_page("pages/compare.py").run()
    key = f"plan_editor_{at.session_state['scenario'].loans_key}~1"
    at.session_state[key] = {"edited_rows": {1: {"option": "settlement", "months": "2", "settle_pct": "55"}},
                             "added_rows": [], "deleted_rows": []}
    at.run()
    assert not at.exception
    chosen = at.session_state["scenario"].plan
    assert set(chosen) == {"L2"} and chosen["L2"].settle_pct == 55.0
    # now edit the other loan's balance on the import page
    at.switch_page("pages/loans.py").run()
    editor = f"editor_{at.session_state['editor_ver']}"
    at.session_state[editor] = {"edited_rows": {0: {"Balance": "9000"}}, "added_rows": [], "deleted_rows": []}
    at.run()
    assert not at.exception
    s = at.session_state["scenario"]
    assert s.loans_frame["balance"].tolist() == [9000.0, 3600.0]
    assert s.plan == chosen  # 枫叶分期's settlement is still the plan
    at.switch_page("pages/compare.py").run()
    assert not at.exception
    assert at.session_state["scenario"].plan == chosen
    with_choice = metric(at, "Total paid")
    next(b for b in at.button if b.label == "Back to the suggested plan").click().run()
    assert not at.exception
    assert at.session_state["scenario"].plan == {}
    assert metric(at, "Total paid") != with_choice  # the settlement at 55 % was in the plan
    next(b for b in at.button if b.label == "Undo").click().run()
    assert at.session_state["scenario"].plan == chosen


def test_a_typed_row_that_was_not_taken_comes_back_as_typed() -> None:
    at = run_app()
    at.switch_page("pages/loans.py").run()
    key = f"editor_{at.session_state['editor_ver']}"
    at.session_state[key] = {"edited_rows": {2: {"Annual rate (%)": "十八?"}}, "added_rows": [], "deleted_rows": []}
    at.run()
    s = at.session_state["scenario"]
    assert len(s.loans) == 7 and [r.row for r in s.source.typed] == [3]
    assert s.source.typed[0].cells["annual_rate"] == "十八?"
    again = open_file(run_app(), s.to_json())  # another session (a reload) with the kept scenario
    again.switch_page("pages/loans.py").run()
    assert not again.exception
    base = again.session_state["editor_base"]
    assert base["Annual rate (%)"].tolist()[2] == "十八?"
    assert base["Lender"].tolist()[:3] == ["借呗", "微粒贷", "京东金条"]
    assert base["loan_id"].tolist()[:4] == ["L1", "L2", "", "L4"]


def test_the_offer_to_undo_ends_with_the_next_change() -> None:
    at = run_app()
    at.switch_page("pages/loans.py").run()
    next(b for b in at.button if b.label == "Load the sample").click().run()
    assert [b for b in at.button if b.label == "Undo"]
    at.switch_page("pages/capacity.py").run()
    at.number_input(key="cap_income~1").set_value(13000.0).run()
    assert not [b for b in at.button if b.label == "Undo"]
    assert at.session_state["scenario"].capacity.income == 13000.0


def test_a_widget_of_a_replaced_scenario_changes_nothing_in_the_new_one() -> None:
    """Work restored from the browser while the page still shows the sample's widgets: a value those
    widgets report afterwards belongs to the sample, not to the restored work (seen in the browser
    on a loaded machine: the restored income overwritten by the sample's, then kept)."""
    at = run_app()
    at.switch_page("pages/capacity.py").run()
    at.session_state["scenario"] = saved_scenario()  # income 9300: what a restore does (put, replaced)
    at.session_state["scenario_gen"] = 1
    at.number_input(key="cap_income").set_value(12500.0).run()  # the sample's widget, drawn before
    assert at.session_state["scenario"].capacity.income == 9300.0
    assert at.number_input(key="cap_income~1").value == 9300.0
    assert "scenario_rev" not in at.session_state  # revision 0: nothing written over the restored work


def test_a_widget_reporting_the_value_it_already_has_is_not_a_change() -> None:
    """Otherwise a report before the browser's restore would count as the user's own work, and the
    restore would not happen (pages/_storage.py restores only over an untouched session)."""
    def script() -> None:
        import streamlit as st

        from pages._state import bind, revision, scenario
        bound = bind("cap_income", lambda s, v: s.with_capacity(income=v))
        st.number_input("income", value=float(scenario().capacity.income), **bound)
        st.button("report", on_click=bound["on_change"])
        st.text(f"revision {revision()}")

    at = AppTest.from_function(script, default_timeout=30).run()
    at.button[0].click().run()
    assert at.text[0].value == "revision 0"
    at.number_input[0].set_value(13000.0).run()
    assert (at.text[0].value, at.session_state["scenario"].capacity.income) == ("revision 1", 13000.0)


def test_the_kit_letters_use_the_name_and_reason_and_keep_the_edits() -> None:
    at = open_file(run_app(), saved_scenario().to_json())  # 青石小贷 (L1), 枫叶分期 (L2)
    at.switch_page("pages/kit.py").run()
    assert not at.exception
    at.text_input(key="kit_name~1").set_value("周某某").run()
    at.text_area(key="kit_hardship_text~1").set_value("今年三月工厂停工，至今只有零工收入。").run()
    letter = next(a for a in at.text_area if a.key and a.key.startswith("kit_text_L1.proposal"))
    assert "周某某" in letter.value and "今年三月工厂停工" in letter.value and "青石小贷" in letter.value
    letter.set_value("我自己改写的申请书：青石小贷，请同意分期。").run()
    s = at.session_state["scenario"]
    assert s.kit.edited == {"L1.proposal": "我自己改写的申请书：青石小贷，请同意分期。"}
    again = open_file(run_app(), s.to_json())  # the edits travel with the saved plan
    again.switch_page("pages/kit.py").run()
    shown = next(a for a in again.text_area if a.key and a.key.startswith("kit_text_L1.proposal"))
    assert shown.value == "我自己改写的申请书：青石小贷，请同意分期。"


def test_keeping_the_plan_an_agreement_a_short_payment_and_a_late_call() -> None:
    import datetime as dt

    from lib.tracker import Agreement, Instalment

    # an agreement on 枫叶分期 (L2) whose first instalment of 1,000.00 fell due ten days ago
    today = dt.date.today()
    due = today - dt.timedelta(days=10)
    agreement = Agreement(loan_id="L2", option="instalments", agreed_on=due - dt.timedelta(days=20),
                          instalments=(Instalment(due=due, amount=1000.0),
                                       Instalment(due=due + dt.timedelta(days=31), amount=1000.0)))
    at = open_file(run_app(), saved_scenario().evolve(agreements=(agreement,)).to_json())
    at.switch_page("pages/track.py").run()
    at.selectbox(key="track_lender").set_value("L2").run()
    assert not at.exception
    assert any("1,000" in e.value and "10 days late" in e.value for e in at.error), [e.value for e in at.error]
    at.number_input[0].set_value(700.0)  # (in a form: sent with the submit)
    next(b for b in at.button if b.label == "Record this payment").click().run()
    assert not at.exception
    s = at.session_state["scenario"]
    assert [(p.loan_id, p.amount) for p in s.payments] == [("L2", 700.0)]
    assert any("300" in w.value for w in at.warning), [w.value for w in at.warning]  # 1,000 − 700 short
    assert metric(at, "Paid to date") == "¥700"
    # the renegotiation letter: the 1,300 still owed at the agreed 1,000 a month (capacity 4,680 is more):
    # 1 × 1,000 + a last month of 300 (by hand)
    letter = next(a.value for a in at.text_area if a.key and a.key.startswith("reneg_L2_en"))
    assert "¥700.00" in letter and "¥1,300.00" in letter and "¥1,000.00" in letter and "¥300.00" in letter, letter
    # a call at 23:15 to the debtor: flagged with the rule's source, and a complaint letter made
    at.time_input[0].set_value(dt.time(23, 15))
    next(b for b in at.button if b.label == "Record this contact").click().run()
    assert not at.exception
    assert len(at.session_state["scenario"].contacts) == 1
    flagged = [e.value.replace("\\", "") for e in at.error if "23\\:15" in e.value]
    assert any("GB/T 45251" in f and "2025-02-28" in f for f in flagged), flagged  # the rule's source and date
    assert any("complaint" in (a.label or "").lower() for a in at.text_area)


def test_a_wrong_log_entry_and_a_wrong_payment_are_corrected_or_deleted() -> None:
    import datetime as dt

    from lib.tracker import Agreement, Instalment

    today = dt.date.today()
    due = today - dt.timedelta(days=3)
    agreement = Agreement(loan_id="L1", option="instalments", agreed_on=due - dt.timedelta(days=20),
                          instalments=(Instalment(due=due, amount=1000.0),))
    at = open_file(run_app(), saved_scenario().evolve(agreements=(agreement,)).to_json())
    at.switch_page("pages/track.py").run()
    at.number_input[0].set_value(700.0)
    next(b for b in at.button if b.label == "Record this payment").click().run()
    assert any("300" in w.value for w in at.warning)  # short by 1,000 − 700
    at.number_input[1].set_value(1000.0)  # the edit form: it was 1,000, typed as 700
    next(b for b in at.button if b.label == "Save the changes").click().run()
    assert not at.exception
    assert [p.amount for p in at.session_state["scenario"].payments] == [1000.0]
    assert any(s.value.startswith("On track") for s in at.success), [s.value for s in at.success]
    next(b for b in at.button if b.label == "Delete this entry").click().run()
    assert at.session_state["scenario"].payments == ()
    assert any("3 days late" in e.value for e in at.error), [e.value for e in at.error]  # nothing paid now

    at.time_input[0].set_value(dt.time(23, 15))
    next(b for b in at.button if b.label == "Record this contact").click().run()
    assert [e for e in at.error if "23\\:15" in e.value]  # flagged: within the quiet hours
    at.time_input[1].set_value(dt.time(21, 30))  # it was 21:30, typed wrong
    next(b for b in at.button if b.label == "Save the changes").click().run()
    assert not at.exception
    assert [c.when.time() for c in at.session_state["scenario"].contacts] == [dt.time(21, 30)]
    assert not [e for e in at.error if "23\\:15" in e.value or "21\\:30" in e.value]
    next(b for b in at.button if b.label == "Delete this entry").click().run()
    assert at.session_state["scenario"].contacts == ()
