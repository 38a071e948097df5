"""The track page's contact tab (``pages/track.py``): one lender's contact and collection log —
an entry recorded, the entries listed, one corrected or deleted — the rules they break, where to
complain, and the complaint letter.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from lib import contacts as log
from lib.fmt import md_escape
from lib.i18n import t
from lib.kit.letters import DOCX_MIME, to_docx
from lib.scenario import Scenario, replace_entry
from pages._phone import cards, phone_only, wide_only
from pages._shared import show
from pages._state import put


def contact_log_tab(scn: Scenario, loan_id: str, lender: str, kind: str, lg: str, today: dt.date) -> None:
    """``loan_id``'s log (``lender``: its name in ``lg``, ``kind``: :data:`lib.loans.KINDS`)."""
    st.caption(t("contacts.intro", lg))
    pressed, entry = _contact_form("contact_new", log.new_entry(loan_id, today), lg, new=True)
    if pressed:
        put(scn.evolve(contacts=(*scn.contacts, entry)))
        st.rerun()
    mine = [i for i, x in enumerate(scn.contacts) if x.loan_id == loan_id]
    if mine:
        _entries(scn, loan_id, mine, lg)
    found = [f for f in log.flags(scn.contacts) if f.contact.loan_id == loan_id]
    st.subheader(t("contacts.flags_title", lg))
    if not found:
        st.caption(t("contacts.no_flags", lg))
    for f in found:
        show("error", md_escape(log.flag_line(f, lg)))
    if found:
        _complaint(scn, found, loan_id, lender, kind, lg, today)


def _contact_form(form: str, b: log.Contact, lg: str, *, new: bool) -> tuple[str | None, log.Contact]:
    """The log entry's form, filled from ``b`` (``new``: a blank entry to record, else one to edit).
    Returns what was pressed (``"save"``, ``"delete"`` or None) and the entry as filled in."""
    with st.form(form, clear_on_submit=new):
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
        ticks = {f: c[i % 4].checkbox(t(f"contacts.field.{f}", lg), value=getattr(b, f))
                 for i, f in enumerate(log.TICKS)}
        c = st.columns([3, 1])
        offered = c[0].text_input(t("contacts.field.offered", lg), b.offered, max_chars=log.MAX_TEXT)
        follow_up = c[1].date_input(t("contacts.field.follow_up", lg), b.follow_up, format="YYYY-MM-DD")
        c = st.columns(2)
        pressed = "save" if c[0].form_submit_button(
            t("track.record_contact" if new else "track.save_entry", lg),
            icon=":material/add_call:" if new else ":material/save:") else None
        if not new and c[1].form_submit_button(t("track.delete_entry", lg), icon=":material/delete:"):
            pressed = "delete"
    return pressed, log.Contact(loan_id=b.loan_id, when=dt.datetime.combine(day, hour), channel=channel,
                                direction=log.direction_of(channel), answered=answered, who=who, contacted=contacted,
                                offered=offered, follow_up=follow_up, note=b.note, **ticks)


def _entries(scn: Scenario, loan_id: str, mine: list[int], lg: str) -> None:
    """The lender's entries (``mine``: their places in the log), and a form to correct or delete one."""
    entries = log.contact_view([scn.contacts[i] for i in mine], lg)
    with wide_only("contacts"):
        st.dataframe(entries, hide_index=True)
    with phone_only("contacts"):
        cards(entries, [t("contacts.field.when", lg), t("contacts.field.channel", lg)],
              [t(f"contacts.field.{k}", lg) for k in ("who", "contacted", "offered", "follow_up")])
    with st.expander(t("track.edit_entries", lg), icon=":material/edit:"):
        at = st.selectbox(t("track.entry", lg), mine, index=len(mine) - 1, key=f"contact_pick_{loan_id}",
                          format_func=lambda i: log.entry_label(scn.contacts[i], lg))
        pressed, entry = _contact_form(f"contact_edit_{loan_id}_{at}", scn.contacts[at], lg, new=False)
        if pressed:
            put(scn.evolve(contacts=replace_entry(scn.contacts, at, entry if pressed == "save" else None)))
            st.rerun()


def _complaint(scn: Scenario, found: list[log.Flag], loan_id: str, lender: str, kind: str, lg: str,
               today: dt.date) -> None:
    """Where to complain about the flagged entries, and the complaint letter."""
    st.subheader(t("complaint.routes_title", lg))
    st.markdown(log.routes_text(log.complaint_route(kind, found), lg))  # our own text
    facts = log.ComplaintFacts(lender=lender, loan_id=loan_id, kind=kind, name=scn.kit.name, today=today)
    letter = log.complaint_letter(facts, found, lg)
    st.text_area(t("complaint.title", lg), letter, height=300, key=f"complaint_{loan_id}_{lg}_{len(found)}")
    st.download_button(t("kit.docx", lg), lambda: to_docx(t("complaint.title", lg), letter),
                       f"complaint-{loan_id}.docx", DOCX_MIME, icon=":material/description:")
