"""Negotiation options: what a lender may agree to, priced by the payoff engine.

docs/model.md, "Negotiation options". Every option is a
*transformation of loan rows*: the loan table in, a loan table out (:func:`apply`,
:func:`apply_plan`); the same engine, :func:`lib.payoff.simulate`, then pays the whole
portfolio under the borrower's :class:`lib.capacity.Capacity` (:func:`run_plan`). There is no
second engine here.

The options (:class:`Option`; defaults and ranges in :data:`OPTION_SPECS`):

* **baseline** — keep the contract; what cannot be paid stays overdue and accrues penalty.
* **extension** (展期) — the whole amount owed (principal, overdue principal *and* accrued
  interest, penalty and fees — the arrears are folded into the rescheduled balance, nothing is
  forgiven) is re-spread over ``remaining_months + extension_months`` at the contract rate by
  the loan's own method (an annuity stays an annuity: ``pmt(r/12, n + k, owed)``; interest-only
  and bullet loans keep their method with a later maturity; a flat-fee loan is re-instalmented
  with the fee charged on the rescheduled balance). ``overdue_amount`` and ``overdue_days`` go
  to 0. Not offered for credit cards (their restructuring is the article-70 instalment plan).
  Optional grace period of ``grace_months`` *before* those ``n + k`` months: interest only, or
  nothing due (the interest then accrues and is added to the principal when the grace ends).
* **waiver** (减免) — ``waive_penalty_pct`` of the accrued penalty, ``waive_interest_pct`` of the
  accrued interest and ``waive_fees_pct`` of the fees are forgiven (each rounded to the fen);
  the arrears shrink by what is forgiven; optionally ``new_rate`` from now on (never a rise:
  ``min(contract rate, new_rate)``). The contract otherwise stands.
* **instalments** (个性化分期 / 停息分期) — the total owed (after any waiver) in
  ``instalments_months`` equal monthly payments at ``plan_rate`` (annuity; 0 % = owed / N);
  credit cards: article 70 of the credit-card rules, up to 60 months.
* **settlement** (减免本金 / 一次性结清) — ``settle_pct`` of the total owed, at 0 %, in month 1
  (``settle_months = 1``) or over ``settle_months`` equal payments; the rest is forgiven.
* **combinations** — an extension or instalment option with ``with_waiver=True`` applies the
  waiver first ("waiver+instalments" is the most common outcome).

How often lenders grant each (:attr:`Option.grant_likelihood`) and how it shows in the credit
record (征信, :attr:`Option.credit_note_key`) follow docs/model.md: penalty and interest waivers
and instalments are common, extensions sometimes, principal reduction rare (the article warns
that principal is seldom cut); extensions, instalment agreements and reductions show as special
transactions (展期 / 个性化分期 / 债务减免); negative records stay 5 years from the end of the bad
behaviour.

Comparing and asking: :func:`compare_options` runs each option portfolio-wide side by side;
:func:`what_to_ask` (:func:`find_plan`) climbs a ladder of concessions (:data:`LADDER`, then
:data:`LAST_RESORT`) lender by lender until the whole plan fits the capacity, and says what to
ask each lender for, or by how much a month nothing reasonable fits.

Model notes and limits
----------------------
* Every transformed row is a fresh contract: ``principal_amount`` = the rescheduled balance,
  ``term_months`` = its months, ``received`` and ``start_date`` unknown, ``monthly_payment``
  re-derived (:func:`lib.schedules.contract_payment`). Lender, kind and source row are kept.
* The engine's penalty is ``annual_rate × penalty_multiple``: a plan at 0 % (停息分期, a
  settlement) bears *no* penalty when a payment is missed. The model assumes the agreement holds;
  read ``fits`` first — a plan that does not fit would in reality be broken off by the lender.
* Grace periods cannot be written in the loan table (it has no "starts later" column), so
  :func:`run_plan` runs the engine in phases: for ``g`` months the loan is interest-only (or
  bullet: nothing due), then the engine's state after month ``g`` — principal, interest,
  penalty, fees, arrears of every loan, read off the schedule — becomes a new loan table in
  which the loan turns into its extended contract (``n + k`` months), and the engine runs on.
  Totals are exact to the fen across the switch; only the sub-fen remainders the engine carries
  between months (< half a fen per loan) restart at the switch. :func:`apply` alone returns the
  month-1 table (the grace phase).

The package, one module per seam. An option kind lives in one place, its :class:`Kind` in
:mod:`~lib.negotiate.kinds` (registered in :data:`KINDS`; a new one through :func:`register_kind`),
plus its words (:mod:`~lib.negotiate.words` and ``lib.i18n``); everything else dispatches through
the table:

* :mod:`lib.negotiate.kinds` — each kind's name, parameters, likelihood, which loans it applies to
  and what it does to them (:class:`Kind`, :data:`KINDS`, :func:`register_kind`, :func:`new_contract`);
* :mod:`lib.negotiate.options` — labels, :data:`OPTION_SPECS`, :class:`Option`, :func:`legal_lines`;
* :mod:`lib.negotiate.transform` — which loans an option applies to and the loan-table
  transformations (:func:`applies`, :func:`apply`, :func:`apply_plan`, the legal step);
* :mod:`lib.negotiate.phases` — a plan run through the engine (:func:`run_plan`, grace periods in
  phases) and judged (:func:`within_capacity`, :func:`fits_whole_plan`, :func:`plan_apr`);
* :mod:`lib.negotiate.compare` — :func:`compare_options`, :func:`compare_with_results`;
* :mod:`lib.negotiate.asks` — :data:`LADDER`, :func:`find_plan`, :func:`what_to_ask`;
* :mod:`lib.negotiate.words` — everything that makes text in a language (:func:`describe`);
* :mod:`lib.negotiate.plans` — the plan builder's editable table (:func:`plan_table`).

>>> from lib.capacity import Capacity
>>> from lib.loans import make_loans
>>> loans = make_loans([{"lender": "A", "balance": 9000, "annual_rate": 0.18, "remaining_months": 6,
...                      "penalty": 300, "interest": 200, "fees": 100, "overdue_amount": 1800}])
>>> new, waived = apply(Option("instalments", with_waiver=True, instalments_months=12), loans)
>>> float(waived[0]), float(new.loc[0, "balance"]), float(new.loc[0, "monthly_payment"])
(500.0, 9100.0, 758.34)
>>> out = run_plan(Option("instalments", with_waiver=True, instalments_months=12), loans, Capacity(income=760))
>>> out.result.months_to_debt_free, out.result.total_paid  # 9,100 at 0 %: nothing added
(12, 9100.0)
"""

from lib.negotiate.asks import LADDER, LAST_RESORT, Ask, Asked, Asks, find_plan, what_to_ask
from lib.negotiate.compare import (
    COMPARE_COLUMNS,
    WINDOW_IF_NONE_CLEARS,
    WINDOW_MAX,
    common_window,
    compare_options,
    compare_with_results,
)
from lib.negotiate.kinds import (
    KINDS,
    Change,
    Grace,
    Kind,
    Owed,
    new_contract,
    register_kind,
    unregister_kind,
)
from lib.negotiate.options import (
    BASELINE,
    BY_LAW,
    COMBINABLE,
    COMMON,
    CONTRACT,
    DEFAULT_OPTIONS,
    EXTENSION,
    GRACE_INTEREST_ONLY,
    GRACE_MODES,
    GRACE_NOTHING,
    INSTALMENTS,
    LABELS,
    LEGAL,
    LIKELIHOODS,
    OPTION_KINDS,
    OPTION_SPECS,
    RARE,
    SETTLEMENT,
    SOMETIMES,
    WAIVER,
    LegalLines,
    Option,
    ParamSpec,
    Plan,
    legal_lines,
)
from lib.negotiate.phases import FIT_MONTHS, Outcome, fits_whole_plan, plan_apr, run_plan, within_capacity
from lib.negotiate.plans import PLAN_COLUMNS, PLAN_PARAMS, plan_from_table, plan_table
from lib.negotiate.transform import applies, apply, apply_plan
from lib.negotiate.words import ask_text, describe, gap_text

__all__ = [
    "BASELINE", "BY_LAW", "COMBINABLE", "COMMON", "COMPARE_COLUMNS", "CONTRACT", "DEFAULT_OPTIONS",
    "EXTENSION", "FIT_MONTHS", "GRACE_INTEREST_ONLY", "GRACE_MODES", "GRACE_NOTHING", "INSTALMENTS", "LABELS",
    "KINDS", "LADDER", "LAST_RESORT", "LEGAL", "LIKELIHOODS", "OPTION_KINDS", "OPTION_SPECS", "PLAN_COLUMNS", "PLAN_PARAMS", "RARE",
    "SETTLEMENT", "SOMETIMES", "WAIVER", "WINDOW_IF_NONE_CLEARS", "WINDOW_MAX", "Ask", "Asked", "Asks", "Change", "Grace", "Kind",
    "LegalLines", "Option", "Outcome", "Owed", "ParamSpec", "Plan", "applies", "apply", "apply_plan", "ask_text", "common_window", "compare_options",
    "compare_with_results", "describe", "find_plan", "fits_whole_plan", "gap_text", "legal_lines", "new_contract", "plan_apr",
    "plan_from_table", "plan_table", "register_kind", "run_plan", "unregister_kind", "what_to_ask", "within_capacity",
]
