"""The plan the user leaves with: the suggestion (what to ask each lender), with the rows the
user set in the plan builder in their place, run by the engine.

One function for the compare page and everything taken away from it (letters, report, exports,
calendar), so that they all show the same figures.

>>> from lib.loans import make_loans
>>> from lib.scenario import PlanChoice, Scenario
>>> loans = make_loans([{"lender": "甲", "balance": 12000, "annual_rate": 0.0, "remaining_months": 6},
...                     {"lender": "乙", "balance": 600, "annual_rate": 0.0, "remaining_months": 6}])
>>> s = Scenario().with_loans(loans).with_capacity(income=1500, essentials=0, cash=0)
>>> c = chosen_plan(s)
>>> c.fits, c.result.months_to_debt_free, round(c.result.total_paid, 2)
(True, 9, 12600.0)
>>> mine = chosen_plan(s.evolve(plan={"L2": PlanChoice(option="settlement", settle_pct=50)}))
>>> round(mine.result.total_paid, 2)  # 乙 settles for half of its 600
12300.0
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from lib.capacity import Capacity
from lib.negotiate import (
    PLAN_PARAMS,
    Asks,
    LegalLines,
    Option,
    Outcome,
    legal_lines,
    plan_from_table,
    plan_table,
)
from lib.negotiate import run_plan as _run_plan
from lib.negotiate import what_to_ask as _what_to_ask
from lib.negotiate.phases import within_capacity
from lib.payoff import PayoffResult
from lib.scenario import Scenario, plan_rows
from lib.views import ask_lines


@dataclass(frozen=True, eq=False)
class Chosen:
    """The asks, the plan made of them and the user's own rows, and its run."""

    asks: Asks  # the suggestion: what to ask each lender so that every month fits
    table: pd.DataFrame  # the plan builder's rows (numbers as text), the user's in their place
    plan: dict[str, Option]  # {loan_id: Option}: what each lender is asked for in the end
    outcome: Outcome  # the engine's run of that plan
    legal: LegalLines

    @property
    def result(self) -> PayoffResult:
        return self.outcome.result

    @property
    def fits(self) -> bool:
        """Every month of the whole plan within the capacity."""
        return within_capacity(self.result, None)


def suggested_rows(asks: Asks, loans: pd.DataFrame) -> pd.DataFrame:
    """The plan builder's starting table: the asks' plan, numbers as text so blank cells stay
    blank (a grid shows a missing number as "None")."""
    table = plan_table(asks.plan, loans)
    table[list(PLAN_PARAMS)] = table[list(PLAN_PARAMS)].map(
        lambda x: "" if pd.isna(x) else f"{x:g}").astype("string")
    return table


def strategy_of(s: Scenario) -> str:
    """The strategy plans are run with: the scenario's, the custom order read as 'dearest first'
    (a plan's concessions change which loan is dearest)."""
    return "avalanche" if s.strategy == "custom" else s.strategy


def what_to_ask(s: Scenario, loans: pd.DataFrame | None = None, legal: LegalLines | None = None) -> Asks:
    """What to ask each lender under the scenario's capacity, strategy and basis."""
    loans = s.loans_frame if loans is None else loans
    return _what_to_ask(loans, s.capacity.to_capacity(), strategy=strategy_of(s),
                        penalty_multiple=s.capacity.penalty_multiple, basis=s.basis,
                        legal=legal_lines(loans) if legal is None else legal)


def asks_with_text(loans: pd.DataFrame, capacity: Capacity, *, strategy: str, penalty_multiple: float, basis: str,
                   legal: LegalLines, lang: str) -> tuple[Asks, str]:
    """What to ask each lender (:func:`lib.negotiate.what_to_ask`) and the same as markdown lines
    (:func:`lib.views.ask_lines`, user text escaped): the compare page's search, as one pure
    function of picklable arguments, so that it can run in a worker process (:mod:`lib.negotiate.pool`)."""
    asked = _what_to_ask(loans, capacity, strategy=strategy, penalty_multiple=penalty_multiple, basis=basis,
                         legal=legal)
    return asked, "\n".join(f"- {line}" for line in ask_lines(asked, lang))


def chosen_plan(s: Scenario, loans: pd.DataFrame | None = None, *, asks: Asks | None = None,
                legal: LegalLines | None = None) -> Chosen:
    """The plan the scenario describes. ``loans``: the scenario's loans as shown (e.g.
    :func:`lib.loans.named` in the page's language); ``asks``/``legal`` when already worked out."""
    loans = s.loans_frame if loans is None else loans
    legal = legal_lines(loans) if legal is None else legal
    asks = what_to_ask(s, loans, legal) if asks is None else asks
    table = plan_rows(suggested_rows(asks, loans), s.plan)
    plan = plan_from_table(table, s.options.values(), legal=True, loans=loans)
    outcome = _run_plan(plan, loans, s.capacity.to_capacity(), strategy=strategy_of(s),
                        penalty_multiple=s.capacity.penalty_multiple, basis=s.basis, legal=legal)
    return Chosen(asks, table, plan, outcome, legal)
