"""One client on the clients page (``pages/clients.py``): the client picked from the list, in two
tabs — their saved scenarios (open, rename, delete one; save the work here as a new one) and the
client themself (rename, duplicate, archive, export, delete) — and the message a change leaves
for the next run (:func:`flash`).
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from lib.clients import picked_client, scenario_view
from lib.fmt import md_escape
from lib.i18n import t
from lib.workspace import ClientSummary, Conflict, ScenarioSummary, Workspace
from pages._state import put, scenario
from pages._workspace import Open, close, mark_open, renamed


def flash(key: str, **params: object) -> None:
    """A message shown once, on the run after the change (which reruns the page)."""
    st.session_state["ws_flash"] = (key, params)


def client_panel(ws: Workspace, owner: str, clients: list[ClientSummary], cur: Open | None, lg: str) -> None:
    """Pick one of ``clients`` (not empty) and show their two tabs."""
    ids = [x.id for x in clients]
    pick = picked_client(ids, wanted=st.session_state.pop("ws_pick_next", None),  # just added or duplicated
                         picked=st.session_state.get("ws_pick"), open_id=cur.client_id if cur is not None else None)
    if st.session_state.get("ws_pick") != pick:
        st.session_state["ws_pick"] = pick
    by_id = {x.id: x for x in clients}
    pick = st.selectbox(t("ws.client", lg), ids, key="ws_pick", format_func=lambda i: by_id[i].name)
    client = by_id[pick]
    tabs = st.tabs([t("ws.tab_scenarios", lg), t("ws.tab_client", lg)])
    with tabs[0]:
        rows = ws.scenarios(owner, client.id)
        if rows:
            st.dataframe(scenario_view(rows, lg), hide_index=True)
            _scenario_actions(ws, owner, client, rows, cur, lg)
        else:
            st.caption(t("ws.no_scenarios", lg))
        _save_here(ws, owner, client, lg)
    with tabs[1]:
        _client_actions(ws, owner, client, cur, lg)


def _scenario_actions(ws: Workspace, owner: str, client: ClientSummary, rows: list[ScenarioSummary],
                      cur: Open | None, lg: str) -> None:
    """Pick one of the client's scenarios: open it, rename it, delete it."""
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


def _save_here(ws: Workspace, owner: str, client: ClientSummary, lg: str) -> None:
    """Save the work in this session as a new scenario of the client (named, or by today's date)."""
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


def _client_actions(ws: Workspace, owner: str, client: ClientSummary, cur: Open | None, lg: str) -> None:
    """The client themself: name and note, duplicate, archive, export, delete."""
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
