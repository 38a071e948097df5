"""The track page's first tab (``pages/track.py``): one lender's agreement and what was paid.

No agreement yet: take the plan's as a first draft, or note that the lender refused. With one:
where it stands, agreed and paid month by month, the renegotiation letter when it slipped or a
month ahead cannot be paid, the payments (``pages/_payments.py``). Then the months at risk over
all the agreements.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from lib import tracker
from lib.charts import agreed_vs_paid_chart
from lib.fmt import md_escape, money
from lib.i18n import t
from lib.kit import renegotiation
from lib.kit.letters import DOCX_MIME, file_name, to_docx
from lib.negotiate import LABELS
from lib.plan import Chosen, chosen_plan
from lib.scenario import Scenario
from pages._memo import memo
from pages._payments import payment_form, payments_list
from pages._shared import show
from pages._state import put


def agreement_tab(scn: Scenario, loans: pd.DataFrame, ver: str, loan_id: str, lg: str, today: dt.date) -> None:
    """``loan_id``'s agreement (``loans``: named in ``lg``, :func:`pages._shared.page_start`)."""
    names = dict(zip(loans["loan_id"], loans["lender"].astype(str), strict=True))
    kinds = dict(zip(loans["loan_id"], loans["kind"].astype(str), strict=True))
    risks = tracker.at_risk([a for a in scn.agreements if a.loan_id in names], scn.capacity.to_capacity().monthly,
                            start=today, payments=scn.payments)
    agreement = tracker.agreement_in_force(scn.agreements, loan_id)
    if agreement is None:
        _record_agreement(scn, loans, ver, loan_id, lg, today)
    else:
        _standing(scn, agreement, names[loan_id], kinds[loan_id], lg, today, risks)
    for r in risks[:3]:
        show("warning", tracker.risk_text(r, lg))
    lost = {a.loan_id for a in scn.agreements} - set(names)
    if lost:
        st.caption(t("track.orphans", lg, n=len(lost)))


def _plan(scn: Scenario, loans: pd.DataFrame, ver: str) -> Chosen:
    """The plan the asks come from (computed when an agreement or a refusal is recorded)."""
    return memo("track_chosen", (ver, scn.capacity, scn.basis, scn.strategy, tuple(sorted(scn.plan.items()))),
                lambda: chosen_plan(scn, loans))


def _raw_lender(scn: Scenario, loan_id: str) -> str:
    """The lender's name as the user has it (not named in the page's language): what a record keeps."""
    return dict(zip(scn.loans_frame["loan_id"], scn.loans_frame["lender"].astype(str), strict=True))[loan_id]


def _record_agreement(scn: Scenario, loans: pd.DataFrame, ver: str, loan_id: str, lg: str, today: dt.date) -> None:
    st.info(t("track.no_agreement", lg), icon=":material/handshake:")
    with st.form("track_new_agreement"):
        c = st.columns(4)
        first = c[0].date_input(t("track.first_due", lg), today + dt.timedelta(days=30))
        agreed = c[1].date_input(t("track.agreed_on", lg), today)
        ref = c[2].text_input(t("track.reference", lg), max_chars=60)
        granted = c[3].selectbox(t("track.granted", lg), (None, *LABELS),
                                 format_func=lambda o: t("track.as_asked", lg) if o is None
                                 else t(f"negotiate.option.{o}", lg))
        if st.form_submit_button(t("track.take_plan", lg), icon=":material/add_task:"):
            new = tracker.agreement_from_plan(_plan(scn, loans, ver), loan_id, first, agreed_on=agreed, reference=ref,
                                              granted=granted)
            new = tracker.Agreement.model_validate({**new.model_dump(), "lender": _raw_lender(scn, loan_id)})
            put(scn.evolve(agreements=(*scn.agreements, new)))
            st.rerun()
    refused = [r for r in scn.refusals if r.loan_id == loan_id]
    if refused:
        st.caption(t("track.refusals", lg, n=len(refused), last=refused[-1].on))
    if st.button(t("track.refused", lg), icon=":material/block:", help=t("track.refused_help", lg)):
        no = tracker.Refusal(loan_id=loan_id, lender=_raw_lender(scn, loan_id),
                             asked=tracker.asked_of(_plan(scn, loans, ver), loan_id), on=today)
        put(scn.evolve(refusals=(*scn.refusals, no)))
        st.rerun()


def _standing(scn: Scenario, agreement: tracker.Agreement, lender: str, kind: str, lg: str, today: dt.date,
              risks: list[tracker.RiskMonth]) -> None:
    """Where the agreement stands, agreed and paid month by month, the letter when needed, the payments."""
    payments = [p for p in scn.payments if p.loan_id == agreement.loan_id]
    state = tracker.status(agreement, payments, today)
    show(tracker.VERDICT_LEVELS[state.verdict], md_escape(tracker.status_text(state, lg)))
    m = st.columns(3)
    m[0].metric(t("track.agreed_to_date", lg), money(state.agreed_to_date, 0))
    m[1].metric(t("track.paid_to_date", lg), money(state.paid_to_date, 0))
    m[2].metric(t("track.still_owed", lg), money(state.still_owed, 0))
    chart = agreed_vs_paid_chart(tracker.agreed_vs_paid(agreement, payments), lg)
    st.plotly_chart(chart, config={"displayModeBar": False})
    if state.behind:
        st.page_link("pages/compare.py", label=t("track.replan", lg), icon=":material/restart_alt:")
    if tracker.needs_renegotiation(state, risks):
        _renegotiation_letter(scn, agreement, state, lender, kind, lg, today)
    payment_form(scn, state, lg, today)
    payments_list(scn, agreement.loan_id, lg)


def _renegotiation_letter(scn: Scenario, agreement: tracker.Agreement, state: tracker.Status, lender: str, kind: str,
                          lg: str, today: dt.date) -> None:
    """Short, missed or at risk: the letter asking the lender to revise the agreement."""
    loan_id = agreement.loan_id
    affordable = renegotiation.letter_affordable(agreement, state, scn.agreements, scn.capacity.to_capacity().monthly,
                                                 today, payments=scn.payments)
    facts = renegotiation.renegotiation_facts(
        agreement, state, lender=lender, kind=kind, name=scn.kit.name,
        hardship=scn.kit.hardship, hardship_text=scn.kit.hardship_text, affordable=affordable, today=today)
    with st.expander(t("letter.renegotiate", lg), icon=":material/edit_document:", expanded=state.verdict != "on_track"):
        st.caption(t("track.renegotiate_help", lg))
        text = renegotiation.renegotiation_letter(facts, lg)
        text = st.text_area(t("kit.edit_here", lg), text, height=360,
                            key=f"reneg_{loan_id}_{lg}_{hash(text) & 0xFFFFFF:x}")
        st.download_button(t("kit.docx", lg), lambda: to_docx(t("letter.renegotiate", lg), text),
                           file_name(renegotiation.RENEGOTIATE, facts, lg), DOCX_MIME,
                           icon=":material/description:", key=f"reneg_docx_{loan_id}")
