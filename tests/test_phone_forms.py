"""AppTest: the phone's forms change the same scenario as the grids they stand in for.

On a narrow screen the loans page shows one loan at a time as a form (pages/_forms.py)
instead of the sixteen-column grid; both are drawn, CSS shows one. A change in the form must be
read exactly as the same change typed in the grid: values in words understood, problems named.
"""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from pages._forms import PLAN_FIELDS
from tests.test_pages import run_app


def form_input(at: AppTest, field: str):
    """The form's widget for ``field`` (its key: loan_form_<table version>_<row>_<field>)."""
    return next(w for w in [*at.text_input, *at.selectbox] if (w.key or "").startswith("loan_form_")
                and w.key.endswith(f"_{field}"))


def loans_page() -> AppTest:
    at = run_app("English")
    at.switch_page("pages/loans.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_the_form_shows_the_first_loan_and_an_edit_in_words_is_read_like_the_grid() -> None:
    at = loans_page()
    before = at.session_state["scenario"].loans_frame
    assert form_input(at, "lender").value == before.loc[0, "lender"]
    form_input(at, "balance").set_value("1.35万").run()  # 13,500, as a file or the grid reads it
    assert not at.exception
    after = at.session_state["scenario"].loans_frame
    assert after.loc[0, "balance"] == 13_500.0 and len(after) == len(before)
    assert after["loan_id"].tolist() == before["loan_id"].tolist()  # the same loans: plan choices kept
    # the form starts again from the new table (as the grid, it keeps what was typed), on the same loan
    assert form_input(at, "balance").value == "1.35万" and form_input(at, "lender").value == before.loc[0, "lender"]


def test_picking_another_loan_and_changing_its_rate_and_kind() -> None:
    at = loans_page()
    lenders = at.session_state["scenario"].loans_frame["lender"].tolist()
    pick = next(s for s in at.selectbox if s.key == "loan_form_row")
    pick.set_value(2).run()
    assert form_input(at, "lender").value == lenders[2]
    form_input(at, "annual_rate").set_value("日息万分之五").run()  # 0.05 % a day × 360 = 18 %
    assert not at.exception
    loans = at.session_state["scenario"].loans_frame
    assert abs(loans.loc[2, "annual_rate"] - 0.0005 * 360) < 1e-12


def test_a_bad_value_is_named_by_row_and_column_and_kept() -> None:
    at = loans_page()
    form_input(at, "balance").set_value("about half").run()
    assert not at.exception
    problems = " ".join(str(df.value) for df in at.dataframe)
    assert "about half" in problems and "Balance" in problems
    assert form_input(at, "balance").value == "about half"  # what was typed is not lost


def test_delete_and_add_a_loan_from_the_form() -> None:
    at = loans_page()
    before = at.session_state["scenario"].loans_frame
    next(b for b in at.button if (b.key or "").startswith("loan_form_delete_")).click().run()
    after = at.session_state["scenario"].loans_frame
    assert len(after) == len(before) - 1 and before.loc[0, "lender"] not in after["lender"].tolist()

    adding = [w for w in at.text_input if w.form_id == "loan_form_add"]
    for box, typed in zip(adding, ("远山测试贷Q", "2.4万", "日息万五", "12期"), strict=True):
        box.set_value(typed)
    next(b for b in at.button if b.form_id == "loan_form_add").click().run()
    assert not at.exception
    loans = at.session_state["scenario"].loans_frame
    new = loans[loans["lender"] == "远山测试贷Q"].iloc[0]
    assert len(loans) == len(before)  # one deleted, one added
    assert (new["balance"], new["remaining_months"]) == (24_000.0, 12)
    assert abs(new["annual_rate"] - 0.0005 * 360) < 1e-12
    assert form_input(at, "lender").value == "远山测试贷Q"  # the form shows the loan just added


def test_the_plan_form_sets_one_lenders_option_like_the_builder_grid() -> None:
    at = run_app("English")
    at.switch_page("pages/compare.py").run()
    assert not at.exception, [e.value for e in at.exception]
    paid = lambda: float(next(m.value for m in at.metric if m.label == "Total paid")[1:].replace(",", ""))  # noqa: E731
    before = paid()
    first = at.session_state["scenario"].loans_frame.iloc[0]  # 借呗, 18,000 owed
    assert next(s for s in at.selectbox if s.key == "plan_form_row").value == 0
    option = next(s for s in at.selectbox if (s.key or "").endswith("_option") and s.key.startswith("plan_form_"))
    option.set_value("settlement").run()
    fields = {c: w for w in at.text_input for c in PLAN_FIELDS
              if (w.key or "").startswith("plan_form_") and w.key.endswith(f"_{c}")}
    fields["months"].set_value("1")
    fields["settle_pct"].set_value("50").run()
    assert not at.exception
    choice = at.session_state["scenario"].plan[first["loan_id"]]
    assert (choice.option, choice.months, choice.settle_pct) == ("settlement", 1, 50)
    # about half of the 18,000 forgiven, as when the same row is set in the grid
    assert paid() < before - first["balance"] * 0.5 + 1000


def test_the_form_changes_nothing_the_user_did_not_change() -> None:
    """A long name, an old date, a kind in words: shown as read, and nothing is taken as an edit
    (the file stays the source, its loans as read, after more runs)."""
    from tests.test_pages import upload

    name = "远山测试贷" * 60  # 300 characters (a file's name is kept to 200, with a note)
    data = ("平台,类型,剩余本金,年化利率,剩余期数,借款日期\n" + name + ",信用卡,5000,18%,12,1960-05-01\n").encode()
    at = upload(run_app("English"), "long.csv", data)
    loans = at.session_state["scenario"].loans_frame.copy()
    at.run()
    at.run()
    assert at.session_state["scenario"].source.origin == "file"
    assert at.session_state["scenario"].loans_frame.equals(loans)
    assert form_input(at, "lender").value == loans.loc[0, "lender"]
