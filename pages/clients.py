"""The coach's clients (the workspace): find a client, open one of their scenarios, save the work
back, and keep the workspace tidy — rename, duplicate, archive, delete, export, import, back up.

Shown only when the workspace is on (``pages/_workspace.py``) and a coach is signed in.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from lib.clients import client_view
from lib.fmt import md_escape, stamp
from lib.i18n import t
from lib.outcomes import MIN_CASES, book_lines, book_view, lender_book
from lib.workspace import WorkspaceError
from pages._client import client_panel, flash
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
    listing = client_view(clients, lg)
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
    client_panel(ws, owner, clients, cur, lg)

# ---- the outcome book: what each lender granted, over all the clients --------------------------------
st.subheader(t("ws.outcomes_title", lg))
st.caption(t("ws.outcomes_help", lg, n=MIN_CASES))
book = lender_book(outcome_cases().cases)
if book:
    st.markdown(book_lines(book, lg))
    st.dataframe(book_view(book, lg), hide_index=True)
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
