"""Step 5 · Keep the plan: what each lender agreed and what was paid (on track / ahead / short /
missed, warned before a month cannot be paid), the contact and collection log with the rules it
breaks and where to complain, and a check of paid "negotiation agents"."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from lib import contacts as log
from lib import tracker
from lib.fmt import md_escape, money
from lib.i18n import t
from lib.kit import renegotiation
from lib.kit.letters import DOCX_MIME, file_name, to_docx
from lib.negotiate import LABELS
from lib.plan import Chosen, chosen_plan
from pages._phone import cards, phone_only, wide_only
from pages._shared import memo, page_start, show
from pages._state import put, scenario

lg, loans, ver = page_start("track.title", "track.intro")
scn = scenario()
today = dt.date.today()
names = dict(zip(loans["loan_id"], loans["lender"].astype(str), strict=True))
kinds = dict(zip(loans["loan_id"], loans["kind"].astype(str), strict=True))
LEVEL = {"on_track": "success", "ahead": "success", "short": "warning", "missed": "error"}

loan_id = st.selectbox(t("kit.lender", lg), list(names), format_func=names.get, key="track_lender")
agreement = next((a for a in reversed(scn.agreements) if a.loan_id == loan_id), None)
payments = [p for p in scn.payments if p.loan_id == loan_id]


def payments_list() -> None:
    """This lender's payments, and a form to correct or delete one."""
    mine = [i for i, p in enumerate(scn.payments) if p.loan_id == loan_id]
    if not mine:
        return
    st.dataframe(pd.DataFrame({t("track.paid_on", lg): [scn.payments[i].paid_on for i in mine],
                               t("track.amount", lg): [money(scn.payments[i].amount) for i in mine],
                               t("contacts.field.note", lg): [scn.payments[i].note for i in mine]}), hide_index=True)
    with st.expander(t("track.edit_payments", lg), icon=":material/edit:"):
        at = st.selectbox(t("track.entry", lg), mine, index=len(mine) - 1, key=f"payment_pick_{loan_id}",
                          format_func=lambda i: f"{scn.payments[i].paid_on} · {money(scn.payments[i].amount)}")
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
            kept = (tracker.Payment(loan_id=loan_id, paid_on=day, amount=amount, note=note),) if save else ()
            put(scn.evolve(payments=scn.payments[:at] + kept + scn.payments[at + 1:]))
            st.rerun()


tabs = st.tabs([t("track.tab_agreement", lg), t("contacts.title", lg), t("scam.title", lg)])

# ---- the agreement and the payments -------------------------------------------------------------------
raw_lender = dict(zip(scn.loans_frame["loan_id"], scn.loans_frame["lender"].astype(str), strict=True))


def plan() -> Chosen:
    """The plan the asks come from (computed when an agreement or a refusal is recorded)."""
    return memo("track_chosen", (ver, scn.capacity, scn.basis, scn.strategy, tuple(sorted(scn.plan.items()))),
                lambda: chosen_plan(scn, loans))


def asked_of(chosen: Chosen) -> str:
    option = chosen.plan.get(loan_id)
    return option.label if option is not None else "baseline"


def record_agreement() -> None:
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
            new = tracker.agreement_from_plan(plan(), loan_id, first, agreed_on=agreed, reference=ref, granted=granted)
            new = tracker.Agreement.model_validate({**new.model_dump(), "lender": raw_lender[loan_id]})
            put(scn.evolve(agreements=(*scn.agreements, new)))
            st.rerun()
    refused = [r for r in scn.refusals if r.loan_id == loan_id]
    if refused:
        st.caption(t("track.refusals", lg, n=len(refused), last=refused[-1].on))
    if st.button(t("track.refused", lg), icon=":material/block:", help=t("track.refused_help", lg)):
        no = tracker.Refusal(loan_id=loan_id, lender=raw_lender[loan_id], asked=asked_of(plan()), on=today)
        put(scn.evolve(refusals=(*scn.refusals, no)))
        st.rerun()


def renegotiation_letter(state: tracker.Status) -> None:
    """Short, missed or at risk: the letter asking the lender to revise the agreement."""
    # what can go to this lender a month, at most the agreed instalment (a one-off shortfall moves to the end)
    instalment = next((i.amount for i in agreement.instalments if i.due >= today), agreement.instalments[-1].amount)
    affordable = min(instalment, renegotiation.affordable_for(
        loan_id, scn.agreements, scn.capacity.to_capacity().monthly, state.next_due or today, payments=scn.payments))
    facts = renegotiation.renegotiation_facts(
        agreement, state, lender=names[loan_id], kind=kinds[loan_id], name=scn.kit.name,
        hardship=scn.kit.hardship, hardship_text=scn.kit.hardship_text, affordable=affordable, today=today)
    with st.expander(t("letter.renegotiate", lg), icon=":material/edit_document:", expanded=state.verdict != "on_track"):
        st.caption(t("track.renegotiate_help", lg))
        text = renegotiation.renegotiation_letter(facts, lg)
        text = st.text_area(t("kit.edit_here", lg), text, height=360,
                            key=f"reneg_{loan_id}_{lg}_{hash(text) & 0xFFFFFF:x}")
        st.download_button(t("kit.docx", lg), lambda: to_docx(t("letter.renegotiate", lg), text),
                           file_name(renegotiation.RENEGOTIATE, facts, lg), DOCX_MIME,
                           icon=":material/description:", key=f"reneg_docx_{loan_id}")


with tabs[0]:
    risks = tracker.at_risk([a for a in scn.agreements if a.loan_id in names], scn.capacity.to_capacity().monthly,
                            start=today, payments=scn.payments)
    if agreement is None:
        record_agreement()
    else:
        state = tracker.status(agreement, payments, today)
        show(LEVEL[state.verdict], md_escape(tracker.status_text(state, lg)))
        m = st.columns(3)
        m[0].metric(t("track.agreed_to_date", lg), money(state.agreed_to_date, 0))
        m[1].metric(t("track.paid_to_date", lg), money(state.paid_to_date, 0))
        m[2].metric(t("track.still_owed", lg), money(state.still_owed, 0))
        table = tracker.agreed_vs_paid(agreement, payments)
        fig = go.Figure([go.Scatter(x=table["month"], y=table["cum_due"], name=t("track.cum_due", lg)),
                         go.Scatter(x=table["month"], y=table["cum_paid"], name=t("track.cum_paid", lg))])
        fig.update_layout(height=300, margin=dict(l=10, r=10, t=10, b=10), legend=dict(orientation="h"))
        st.plotly_chart(fig, config={"displayModeBar": False})
        if state.verdict in ("short", "missed"):
            st.page_link("pages/compare.py", label=t("track.replan", lg), icon=":material/restart_alt:")
        if state.still_owed > 0 and (state.verdict in ("short", "missed") or risks):
            renegotiation_letter(state)
        with st.form("track_payment", clear_on_submit=True):
            c = st.columns(3)
            day = c[0].date_input(t("track.paid_on", lg), today)
            amount = c[1].number_input(t("track.amount", lg), min_value=0.01, max_value=1e8,
                                       value=float(state.next_amount or state.missing or 100.0), format="%.2f")
            note = c[2].text_input(t("contacts.field.note", lg), max_chars=500)
            if st.form_submit_button(t("track.record_payment", lg), icon=":material/payments:"):
                paid = tracker.Payment(loan_id=loan_id, paid_on=day, amount=amount, note=note)
                put(scn.evolve(payments=(*scn.payments, paid)))
                st.rerun()
        payments_list()
    for r in risks[:3]:
        show("warning", t("track.at_risk", lg, month=r.month.strftime("%Y-%m"), due=money(r.total_due, 0),
                          capacity=money(r.capacity, 0), gap=money(r.gap, 0)))
    lost = {a.loan_id for a in scn.agreements} - set(names)
    if lost:
        st.caption(t("track.orphans", lg, n=len(lost)))

# ---- the contact and collection log ----------------------------------------------------------------------
TICKS = ("consent_to_hours", "threat", "shaming", "debtor_unreachable_before", "refused_before", "disclosed")


def contact_form(form: str, base: log.Contact | None) -> tuple[str | None, log.Contact | None]:
    """The log entry's form, filled from ``base`` when one is edited. Returns what was pressed
    (``"save"``, ``"delete"`` or None) and the entry as filled in."""
    b = base or log.Contact(loan_id=loan_id, when=dt.datetime.combine(today, dt.time(12, 0)), answered=True)
    with st.form(form, clear_on_submit=base is None):
        c = st.columns(3)
        day = c[0].date_input(t("contacts.field.when", lg), b.when.date())
        hour = c[1].time_input(t("contacts.field.time", lg), b.when.time(), step=60)
        channel = c[2].selectbox(t("contacts.field.channel", lg), log.CHANNELS, index=log.CHANNELS.index(b.channel),
                                 format_func=lambda x: t(f"contacts.channel.{x}", lg))
        c = st.columns(3)
        who = c[0].text_input(t("contacts.field.who", lg), b.who, max_chars=log.MAX_WHO)
        contacted = c[1].selectbox(t("contacts.field.contacted", lg), log.CONTACTED,
                                   index=log.CONTACTED.index(b.contacted),
                                   format_func=lambda x: t(f"contacts.contacted.{x}", lg))
        answered = c[2].checkbox(t("contacts.field.answered", lg), value=b.answered)
        c = st.columns(4)
        ticks = {f: c[i % 4].checkbox(t(f"contacts.field.{f}", lg), value=getattr(b, f)) for i, f in enumerate(TICKS)}
        c = st.columns([3, 1])
        offered = c[0].text_input(t("contacts.field.offered", lg), b.offered, max_chars=log.MAX_TEXT)
        follow_up = c[1].date_input(t("contacts.field.follow_up", lg), b.follow_up, format="YYYY-MM-DD")
        c = st.columns(2)
        pressed = "save" if c[0].form_submit_button(
            t("track.record_contact" if base is None else "track.save_entry", lg),
            icon=":material/add_call:" if base is None else ":material/save:") else None
        if base is not None and c[1].form_submit_button(t("track.delete_entry", lg), icon=":material/delete:"):
            pressed = "delete"
    direction = "to_lender" if channel == "call_out" else "from_lender"
    return pressed, log.Contact(loan_id=loan_id, when=dt.datetime.combine(day, hour), channel=channel,
                                direction=direction, answered=answered, who=who, contacted=contacted,
                                offered=offered, follow_up=follow_up, note=b.note, **ticks)


def entry_label(x: log.Contact) -> str:
    return f"{x.when:%Y-%m-%d %H:%M} · {t(f'contacts.channel.{x.channel}', lg)} · {x.who}"


with tabs[1]:
    st.caption(t("contacts.intro", lg))
    pressed, entry = contact_form("contact_new", None)
    if pressed:
        put(scn.evolve(contacts=(*scn.contacts, entry)))
        st.rerun()
    mine = [i for i, x in enumerate(scn.contacts) if x.loan_id == loan_id]
    if mine:
        rows = [scn.contacts[i] for i in mine]
        entries = pd.DataFrame({
            t("contacts.field.when", lg): [x.when.strftime("%Y-%m-%d %H:%M") for x in rows],
            t("contacts.field.channel", lg): [t(f"contacts.channel.{x.channel}", lg) for x in rows],
            t("contacts.field.who", lg): [x.who for x in rows],
            t("contacts.field.contacted", lg): [t(f"contacts.contacted.{x.contacted}", lg) for x in rows],
            t("contacts.field.offered", lg): [x.offered for x in rows],
            t("contacts.field.follow_up", lg): [str(x.follow_up or "") for x in rows]})
        with wide_only("contacts"):
            st.dataframe(entries, hide_index=True)
        with phone_only("contacts"):
            cards(entries, [t("contacts.field.when", lg), t("contacts.field.channel", lg)],
                  [t(f"contacts.field.{k}", lg) for k in ("who", "contacted", "offered", "follow_up")])
        with st.expander(t("track.edit_entries", lg), icon=":material/edit:"):
            at = st.selectbox(t("track.entry", lg), mine, index=len(mine) - 1, key=f"contact_pick_{loan_id}",
                              format_func=lambda i: entry_label(scn.contacts[i]))
            pressed, entry = contact_form(f"contact_edit_{loan_id}_{at}", scn.contacts[at])
            if pressed:
                rest = scn.contacts[:at] + ((entry,) if pressed == "save" else ()) + scn.contacts[at + 1:]
                put(scn.evolve(contacts=rest))
                st.rerun()
    found = [f for f in log.flags(scn.contacts) if f.contact.loan_id == loan_id]
    st.subheader(t("contacts.flags_title", lg))
    if not found:
        st.caption(t("contacts.no_flags", lg))
    for f in found:
        show("error", md_escape(f"{f.contact.when:%Y-%m-%d %H:%M} · {log.flag_text(f, lg)} — {f.source}, {f.date}"))
    if found:
        st.subheader(t("complaint.routes_title", lg))
        routes = log.complaint_route(kinds[loan_id], found)
        st.markdown("\n".join(f"{i}. **{t(f'complaint.route.{r.code}', lg)}** — {t(f'complaint.route.{r.code}.help', lg)}"
                              for i, r in enumerate(routes, 1)))  # our own text
        facts = log.ComplaintFacts(lender=names[loan_id], loan_id=loan_id, kind=kinds[loan_id], name=scn.kit.name,
                                   today=today)
        letter = log.complaint_letter(facts, found, lg)
        st.text_area(t("complaint.title", lg), letter, height=300, key=f"complaint_{loan_id}_{lg}_{len(found)}")
        st.download_button(t("kit.docx", lg), lambda: to_docx(t("complaint.title", lg), letter),
                           f"complaint-{loan_id}.docx", "application/vnd.openxmlformats-officedocument."
                           "wordprocessingml.document", icon=":material/description:")

# ---- is this "agent" a scam? --------------------------------------------------------------------------------
with tabs[2]:
    st.caption(t("scam.intro", lg))
    answers = {q: st.checkbox(t(f"scam.q.{q}", lg), key=f"scam_{q}") for q in log.SCAM_QUESTIONS}
    if any(answers.values()):
        verdict = log.scam_check(answers)
        level = {"scam": "error", "high_risk": "warning", "be_careful": "info"}[verdict.verdict]
        show(level, f"**{t(f'scam.verdict.{verdict.verdict}', lg)}** — {t(f'scam.verdict.{verdict.verdict}.help', lg)}")
        st.markdown("\n".join(f"- {t(f'scam.alt.{a}', lg)}" for a in verdict.alternatives))
