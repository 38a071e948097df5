"""The payments to one lender on the track page (``pages/_agreement.py``): a payment recorded
towards the agreement, the payments listed, one corrected or deleted.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from lib import tracker
from lib.i18n import t
from lib.scenario import Scenario, replace_entry
from pages._state import put


def payment_form(scn: Scenario, state: tracker.Status, lg: str, today: dt.date) -> None:
    """Record a payment towards the agreement ``state`` is of (the amount starts from what is due next)."""
    with st.form("track_payment", clear_on_submit=True):
        c = st.columns(3)
        day = c[0].date_input(t("track.paid_on", lg), today)
        amount = c[1].number_input(t("track.amount", lg), min_value=0.01, max_value=1e8,
                                   value=tracker.suggested_payment(state), format="%.2f")
        note = c[2].text_input(t("contacts.field.note", lg), max_chars=500)
        if st.form_submit_button(t("track.record_payment", lg), icon=":material/payments:"):
            paid = tracker.Payment(loan_id=state.loan_id, paid_on=day, amount=amount, note=note)
            put(scn.evolve(payments=(*scn.payments, paid)))
            st.rerun()


def payments_list(scn: Scenario, loan_id: str, lg: str) -> None:
    """This lender's payments, and a form to correct or delete one."""
    mine = [i for i, p in enumerate(scn.payments) if p.loan_id == loan_id]
    if not mine:
        return
    st.dataframe(tracker.payment_view([scn.payments[i] for i in mine], lg), hide_index=True)
    with st.expander(t("track.edit_payments", lg), icon=":material/edit:"):
        at = st.selectbox(t("track.entry", lg), mine, index=len(mine) - 1, key=f"payment_pick_{loan_id}",
                          format_func=lambda i: tracker.payment_label(scn.payments[i]))
        p = scn.payments[at]
        with st.form(f"payment_edit_{loan_id}_{at}"):
            c = st.columns(3)
            day = c[0].date_input(t("track.paid_on", lg), p.paid_on)
            amount = c[1].number_input(t("track.amount", lg), min_value=0.01, max_value=1e8, value=p.amount,
                                       format="%.2f")
            note = c[2].text_input(t("contacts.field.note", lg), p.note, max_chars=500)
            c = st.columns(2)
            save = c[0].form_submit_button(t("track.save_entry", lg), icon=":material/save:")
            delete = c[1].form_submit_button(t("track.delete_entry", lg), icon=":material/delete:")
        if save or delete:
            kept = tracker.Payment(loan_id=loan_id, paid_on=day, amount=amount, note=note) if save else None
            put(scn.evolve(payments=replace_entry(scn.payments, at, kept)))
            st.rerun()
