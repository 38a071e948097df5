"""AppTest: the phone's plan form changes the same scenario as the plan builder's grid.

On a narrow screen the compare page shows one lender at a time as a form (pages/_forms.py)
instead of the seven-column grid; both are drawn, CSS shows one.
"""

from __future__ import annotations

from pages._forms import PLAN_FIELDS
from tests.test_pages import run_app


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

