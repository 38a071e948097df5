"""The coach's clients (the workspace): find a client, open one of their scenarios, save the work
back, and keep the workspace tidy — rename, duplicate, archive, delete, export, import, back up.

Shown only when the workspace is on (``pages/_workspace.py``) and a coach is signed in.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from lib.fmt import md_escape, money
from lib.i18n import t
from lib.outcomes import MIN_CASES, lender_book, outcome_text
from lib.workspace import Conflict, WorkspaceError
from pages._phone import cards, phone_only, wide_only
from pages._shared import lang
from pages._sign_in import sign_out
from pages._state import put, scenario
from pages._workspace import (
    LOCAL,
    close,
    coach,
    config,
    error_text,
    mark_open,
    opened,
    outcome_cases,
    renamed,
    save_open,
    workspace,
)

lg = lang()
owner = coach()
assert owner is not None  # app.py shows this page only to a signed-in coach
ws = workspace()
st.title(t("ws.title", lg))
cfg = config()
c = st.columns([4, 1], vertical_alignment="center")
who = t("ws.this_computer", lg) if owner == LOCAL else owner
c[0].caption(t("ws.where", lg, where=md_escape(cfg.path), who=md_escape(who)))
if owner != LOCAL and c[1].button(t("ws.sign_out", lg), icon=":material/logout:", width="stretch"):
    sign_out()
    st.rerun()


def stamp(when: dt.datetime) -> str:
    return when.astimezone().strftime("%Y-%m-%d %H:%M")


def flash(key: str, **params: object) -> None:
    """A message shown once, on the run after the change (which reruns the page)."""
    st.session_state["ws_flash"] = (key, params)


if said := st.session_state.pop("ws_flash", None):
    (st.warning if said[0].endswith("conflict") else st.success)(t(said[0], lg, **said[1]))

# ---- the open scenario: save it back -------------------------------------------------------------
cur = opened()
if conflict := st.session_state.get("ws_conflict"):
    st.error(t("ws.conflict_detail", lg, v=conflict.current_version, when=stamp(conflict.updated_at)),
             icon=":material/sync_problem:")
    c = st.columns(2)
    if cur is not None and c[0].button(t("ws.save_as_new_instead", lg), icon=":material/library_add:"):
        row = ws.save(owner, cur.client_id, scenario(), name=t("ws.copy_name", lg, name=cur.name))
        mark_open(cur.client_id, cur.client, row.id, row.name, row.version)
        st.session_state.pop("ws_conflict")
        flash("ws.saved")
        st.rerun()
    if cur is not None and c[1].button(t("ws.load_theirs", lg), icon=":material/download:"):
        stored = ws.load(owner, cur.scenario_id)
        put(stored.scenario, replaced=True, undo="undo.client_opened")
        mark_open(cur.client_id, cur.client, stored.id, stored.name, stored.version)
        st.session_state.pop("ws_conflict")
        st.rerun()
if cur is not None:
    with st.container(border=True):
        st.markdown(t("ws.open_line", lg, client=md_escape(cur.client), scenario=md_escape(cur.name)))
        c = st.columns(3)
        if c[0].button(t("ws.save", lg), icon=":material/cloud_upload:", disabled=not cur.dirty, type="primary"):
            done = save_open(owner)
            if done == "ws.saved":
                flash(done)
            st.rerun()
        if c[1].button(t("ws.close", lg), icon=":material/close:"):
            close()
            st.rerun()
        c[2].caption(t("ws.unsaved" if cur.dirty else "ws.all_saved", lg, v=cur.version))

# ---- find a client ---------------------------------------------------------------------------------
c = st.columns([3, 1], vertical_alignment="bottom")
search = c[0].text_input(t("ws.search", lg), key="ws_search", max_chars=100, placeholder=t("ws.search_hint", lg))
archived = c[1].toggle(t("ws.show_archived", lg), key="ws_archived")
clients = ws.clients(owner, search=search, archived=None if archived else False)
if clients:
    listing = pd.DataFrame({
        t("ws.col.name", lg): [x.name for x in clients],
        t("ws.col.note", lg): [x.note for x in clients],
        t("ws.col.scenarios", lg): [x.n_scenarios for x in clients],
        t("ws.col.loans", lg): [x.n_loans for x in clients],
        t("ws.col.owed", lg): [money(x.owed, 0) if x.owed is not None else "" for x in clients],
        t("ws.col.updated", lg): [stamp(x.updated_at) for x in clients],
        t("ws.col.archived", lg): [x.archived for x in clients]})
    with wide_only("clients"):
        st.dataframe(listing, hide_index=True)
    with phone_only("clients"):
        cards(listing.drop(columns=t("ws.col.archived", lg)), [t("ws.col.name", lg)],
              [t(f"ws.col.{k}", lg) for k in ("note", "loans", "owed", "updated")])
else:
    st.info(t("ws.no_clients" if not search else "ws.no_match", lg), icon=":material/group:")

with (st.expander(t("ws.new_client", lg), icon=":material/person_add:", expanded=not clients and not search),
      st.form("ws_new_client", clear_on_submit=True)):
    name = st.text_input(t("ws.col.name", lg), max_chars=120)
    note = st.text_input(t("ws.col.note", lg), max_chars=500)
    with_current = st.checkbox(t("ws.with_current", lg), value=True)
    if st.form_submit_button(t("ws.add", lg), icon=":material/person_add:") and name.strip():
        client = ws.add_client(owner, name.strip(), note)
        if with_current:
            row = ws.save(owner, client.id, scenario(), name=t("ws.first_scenario", lg, day=dt.date.today()))
            mark_open(client.id, client.name, row.id, row.name, row.version)
        st.session_state["ws_pick_next"] = client.id
        flash("ws.added")
        st.rerun()

# ---- one client ------------------------------------------------------------------------------------
if clients:
    ids = [x.id for x in clients]
    if (chosen := st.session_state.pop("ws_pick_next", None)) in ids:  # just added or duplicated
        st.session_state["ws_pick"] = chosen
    if st.session_state.get("ws_pick") not in ids:
        st.session_state["ws_pick"] = cur.client_id if cur is not None and cur.client_id in ids else ids[0]
    by_id = {x.id: x for x in clients}
    pick = st.selectbox(t("ws.client", lg), ids, key="ws_pick", format_func=lambda i: by_id[i].name)
    client = by_id[pick]
    tabs = st.tabs([t("ws.tab_scenarios", lg), t("ws.tab_client", lg)])
    with tabs[0]:
        rows = ws.scenarios(owner, client.id)
        if rows:
            st.dataframe(pd.DataFrame({
                t("ws.col.scenario", lg): [r.name for r in rows],
                t("ws.col.updated", lg): [stamp(r.updated_at) for r in rows],
                t("ws.col.loans", lg): [r.n_loans for r in rows],
                t("ws.col.owed", lg): [money(r.owed, 0) for r in rows],
                t("ws.col.agreements", lg): [r.n_agreements for r in rows],
                t("ws.col.version", lg): [r.version for r in rows]}), hide_index=True)
            by_sid = {r.id: r for r in rows}
            sid = st.selectbox(t("ws.scenario", lg), list(by_sid), key=f"ws_scn_{client.id}",
                               format_func=lambda i: by_sid[i].name)
            c = st.columns(3)
            if c[0].button(t("ws.open", lg), icon=":material/folder_open:", type="primary"):
                stored = ws.load(owner, sid)
                put(stored.scenario, replaced=True, undo="undo.client_opened")
                mark_open(client.id, client.name, stored.id, stored.name, stored.version)
                st.session_state.pop("ws_conflict", None)
                flash("ws.opened")
                st.rerun()
            with c[1].popover(t("ws.rename_scenario", lg), icon=":material/edit:"):
                new = st.text_input(t("ws.col.scenario", lg), by_sid[sid].name, max_chars=120,
                                    key=f"ws_rn_{sid}")
                if st.button(t("ws.rename_scenario_go", lg), key=f"ws_rn_go_{sid}") and new.strip():
                    try:
                        row = ws.rename_scenario(owner, sid, new.strip(), version=by_sid[sid].version)
                    except Conflict:
                        flash("ws.client_conflict")
                    else:
                        renamed(row)
                    st.rerun()
            with c[2].popover(t("ws.delete_scenario", lg), icon=":material/delete:"):
                st.caption(t("ws.delete_scenario_help", lg))
                if st.button(t("ws.delete_confirm", lg), key=f"ws_del_{sid}", type="primary"):
                    ws.delete_scenario(owner, sid)
                    if cur is not None and cur.scenario_id == sid:
                        close()
                    st.rerun()
        else:
            st.caption(t("ws.no_scenarios", lg))
        with st.form(f"ws_save_new_{client.id}", clear_on_submit=True):
            c = st.columns([3, 1], vertical_alignment="bottom")
            name = c[0].text_input(t("ws.save_as_new", lg), placeholder=t("ws.first_scenario", lg, day=dt.date.today()),
                                   max_chars=120)
            if c[1].form_submit_button(t("ws.save_here", lg), icon=":material/library_add:"):
                row = ws.save(owner, client.id, scenario(), name=name.strip() or t("ws.first_scenario", lg,
                                                                                   day=dt.date.today()))
                mark_open(client.id, client.name, row.id, row.name, row.version)
                flash("ws.saved")
                st.rerun()
    with tabs[1]:
        with st.form(f"ws_rename_{client.id}"):
            name = st.text_input(t("ws.col.name", lg), client.name, max_chars=120)
            note = st.text_input(t("ws.col.note", lg), client.note, max_chars=500)
            if st.form_submit_button(t("ws.rename", lg), icon=":material/edit:") and name.strip():
                try:
                    ws.rename_client(owner, client.id, name.strip(), note, version=client.version)
                except Conflict:
                    flash("ws.client_conflict")
                st.rerun()
        c = st.columns(4)
        if c[0].button(t("ws.duplicate", lg), icon=":material/content_copy:"):
            copy = ws.duplicate_client(owner, client.id)
            st.session_state["ws_pick_next"] = copy.id
            st.rerun()
        label = "ws.unarchive" if client.archived else "ws.archive"
        if c[1].button(t(label, lg), icon=":material/archive:"):
            try:
                ws.archive_client(owner, client.id, not client.archived, version=client.version)
            except Conflict:
                flash("ws.client_conflict")
            st.rerun()
        c[2].download_button(t("ws.export_client", lg), lambda: ws.export_client(owner, client.id),
                             f"client-{client.id}.json", "application/json", icon=":material/download:")
        with c[3].popover(t("ws.delete_client", lg), icon=":material/delete_forever:"):
            st.warning(t("ws.delete_client_help", lg, name=md_escape(client.name)))
            if st.button(t("ws.delete_client_confirm", lg), key=f"ws_delc_{client.id}", type="primary"):
                ws.delete_client(owner, client.id)
                if cur is not None and cur.client_id == client.id:
                    close()
                st.rerun()

# ---- the outcome book: what each lender granted, over all the clients --------------------------------
st.subheader(t("ws.outcomes_title", lg))
st.caption(t("ws.outcomes_help", lg, n=MIN_CASES))
book = lender_book(outcome_cases().cases)
if book:
    st.markdown("\n".join(f"- {md_escape(outcome_text(b, lg))}" for b in book))
    st.dataframe(pd.DataFrame({
        t("ws.col.lender", lg): [b.lender for b in book],
        t("ws.col.asks", lg): [b.asks for b in book],
        t("ws.col.as_asked", lg): [b.granted_as_asked for b in book],
        t("ws.col.other", lg): [b.granted_other for b in book],
        t("ws.col.refused", lg): [b.refused for b in book],
        t("ws.col.waived", lg): [b.waiver_granted for b in book],
        t("ws.col.median_months", lg): [f"{b.median_months:g}" if b.median_months is not None else "—" for b in book]}),
        hide_index=True)
else:
    st.caption(t("ws.outcomes_none", lg))

# ---- the whole workspace: import, back up ----------------------------------------------------------
st.divider()
c = st.columns(2)
with c[0]:
    up = st.file_uploader(t("ws.import", lg), type=["json"], key="ws_import", help=t("ws.import_help", lg))
    if up is not None and st.session_state.get("ws_imported") != up.file_id:
        st.session_state["ws_imported"] = up.file_id
        try:
            added = ws.import_file(owner, up.getvalue())
        except WorkspaceError as err:
            st.error(t("ws.import_failed", lg, name=md_escape(up.name)) + " " + error_text(err, lg),
                     icon=":material/error:")
        else:
            flash("ws.imported", n=len(added), names=md_escape("、".join(x.name for x in added)))
            st.rerun()
with c[1]:
    st.download_button(t("ws.backup", lg), lambda: ws.backup(owner),
                       f"workspace-backup-{dt.date.today():%Y-%m-%d}.json", "application/json",
                       icon=":material/backup:", help=t("ws.backup_help", lg))
