"""Step 1 · Know your debts: totals, per-lender breakdown, real APR and legal yardsticks."""

from __future__ import annotations

import streamlit as st

from lib import charts
from lib.breakdown import by_lender, loan_table, totals
from lib.fmt import money
from lib.i18n import t
from lib.loans import named
from lib.views import loan_view, style_loan_view
from pages._phone import cards, phone_only, wide_only
from pages._shared import assumption_notice, lang, rows_not_taken_notice
from pages._state import scenario

lg = lang()
loans = named(scenario().loans_frame, lg)  # unnamed loans shown by their row, in this language
st.title(t("breakdown.title", lg))

rows_not_taken_notice(lg)
if loans.empty:
    st.warning(t("breakdown.no_loans", lg))
    st.stop()

assumption_notice(loans, lg)

tot = totals(loans)
c = st.columns(4)
c[0].metric(t("metric.owed", lg), money(tot.owed, 0), help=t("metric.owed_help", lg))
c[1].metric(t("part.principal", lg), money(tot.principal, 0))
c[2].metric(t("metric.interest_penalty_fees", lg), money(tot.interest + tot.penalty + tot.fees, 0),
            help=t("metric.ipf_help", lg, interest=money(tot.interest), penalty=money(tot.penalty),
                   fees=money(tot.fees)))
c[3].metric(t("metric.monthly_due", lg), money(tot.monthly_due, 0), help=t("metric.monthly_due_help", lg))
if tot.overdue_loans:
    st.error(t("breakdown.overdue_alert", lg, n=tot.overdue_loans, amount=money(tot.overdue_amount),
               penalty=money(tot.penalty)), icon=":material/warning:")

table = loan_table(loans)
left, right = st.columns([3, 2])
with left:
    st.subheader(t("breakdown.by_lender", lg))
    st.plotly_chart(charts.lender_bars(by_lender(loans), lg), config={"displayModeBar": False})
with right:
    st.subheader(t("breakdown.composition", lg))
    st.plotly_chart(charts.composition(tot, lg), config={"displayModeBar": False})

st.subheader(t("breakdown.apr_title", lg))
st.caption(t("breakdown.apr_caption", lg))
st.plotly_chart(charts.apr_ranking(table, lg), config={"displayModeBar": False})

st.subheader(t("breakdown.table_title", lg))
view = loan_view(table, lg)
with wide_only("loans"):
    st.dataframe(style_loan_view(view, table, lg), hide_index=True)
with phone_only("loans"):  # one card per loan: what is owed, its real cost, what is due, what is overdue
    cards(view, [t("col.lender", lg), t("col.check", lg)],
          [t(f"col.{k}", lg) for k in ("owed", "apr_nominal", "flag", "monthly_payment", "remaining_months",
                                       "overdue_days", "overdue_amount")])
st.caption(t("breakdown.yardstick_caption", lg))
