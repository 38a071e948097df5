"""Step 1 · Your loans: upload a CSV/Excel file, type and edit loans, open a saved plan; downloads."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from lib.i18n import t, tn
from lib.ingest import LoanBook, read_frame, read_loans
from lib.loans import EDITOR_FIELDS, check_label, count_assumed, editor_checks, editor_label
from lib.scenario import source_of
from pages import _screenshots as shots
from pages._forms import loan_form
from pages._loan_table import ID, commit, downloads, editor_config, editor_table, report
from pages._phone import phone_only, wide_only
from pages._shared import lang
from pages._state import book, generation, put, sample, scenario, wkey
from pages._storage import open_scenario_file

lg = lang()
scn = scenario()
st.title(t("loans.title", lg))
st.caption(t("loans.intro", lg))


def take(new: LoanBook, origin: str, undo: str, day_basis: int) -> None:
    """Other loans altogether: the plan choices start afresh (the old work can be undone)."""
    put(scenario().with_loans(new.loans, source_of(new, origin, day_basis=day_basis), keep_choices=False),
        replaced=True, undo=undo)


def next_steps() -> None:
    c = st.columns(2)
    c[0].page_link("pages/breakdown.py", label=t("loans.next_breakdown", lg), icon=":material/pie_chart:")
    c[1].page_link("pages/capacity.py", label=t("loans.next_capacity", lg), icon=":material/savings:")


def use_sample() -> None:
    put(sample(), replaced=True, undo="undo.sample")
    st.session_state.pop("upload_sig", None)


def start_empty() -> None:
    take(read_frame(pd.DataFrame(columns=[editor_label(f, lg) for f in EDITOR_FIELDS])), "empty", "undo.empty",
         scenario().source.day_basis)


# ---- load -------------------------------------------------------------------------------
up_col, opt_col = st.columns([3, 2])
with opt_col:
    days = (360, 365)
    basis = st.radio(t("loans.day_basis", lg), days, horizontal=True, key=wkey("day_basis"),
                     index=days.index(scn.source.day_basis), help=t("loans.day_basis_help", lg))
    b1, b2 = st.columns(2)
    b1.button(t("loans.use_sample", lg), icon=":material/restart_alt:", width="stretch", on_click=use_sample)
    b2.button(t("loans.start_empty", lg), icon=":material/edit_note:", width="stretch", on_click=start_empty)
with up_col:
    upload = st.file_uploader(t("loans.upload", lg), type=["csv", "tsv", "txt", "xlsx", "xls"],
                              help=t("loans.upload_help", lg), key="upload")
    pictures = shots.uploader(lg)
if upload is not None:
    sig = (upload.file_id, basis)
    if st.session_state.get("upload_sig") != sig:
        with st.spinner(t("loans.reading", lg)):
            take(read_loans(upload.getvalue(), upload.name, day_basis=basis), "file", "undo.upload", basis)
        st.session_state["upload_sig"] = sig
        st.rerun()  # every part of the page, the banners above it too, from the new loans


current = book()
replaces = scenario().source.origin in ("sample", "empty") or current.loans.empty


def add_checked(rows: pd.DataFrame) -> None:
    """The screenshots' checked rows after the loans (or in place of the sample), as typed in the editor."""
    rows = rows.assign(**{ID: None})
    table = rows if replaces else pd.concat([editor_table(current.loans, lg), rows], ignore_index=True)
    commit(table, lg, basis=basis, avoid=current.loans[ID], replaced=replaces, undo="undo.screenshots")
    st.session_state.pop("editor_sig", None)  # the editor is drawn afresh, the new rows in it


shots.check_and_add(pictures, lg, basis=basis, replaces=replaces, add=add_checked)
if scenario().source.origin == "file":
    report(current, lg)
    if len(current.loans):
        next_steps()

# ---- open a saved plan --------------------------------------------------------------------
with st.expander(t("store.open_title", lg), icon=":material/folder_open:"):
    open_scenario_file(lg)

# ---- edit -------------------------------------------------------------------------------
st.subheader(t("loans.editor_title", lg))
with wide_only("loan_editor_help"):  # (how to use the grid; the phone's form needs no words)
    st.caption(t("loans.editor_help", lg))
if n_assumed := count_assumed(current.loans):
    st.info(tn("loans.check_hint", n_assumed, lg), icon=":material/rule:")
if st.session_state.get("editor_sig") != (generation(), lg):  # other loans, or another language
    st.session_state["editor_base"] = editor_table(current.loans, lg)
    st.session_state["editor_ver"] = st.session_state.get("editor_ver", 0) + 1
    st.session_state["editor_sig"] = (generation(), lg)
    st.session_state.pop("editor_edited", None)
key = f"editor_{st.session_state['editor_ver']}"
if key not in st.session_state and "editor_edited" in st.session_state:
    # the widget's own state was dropped on a page switch (or the check column changed): show the last edits
    st.session_state["editor_base"] = st.session_state.pop("editor_edited")
base = st.session_state["editor_base"]

check = check_label(lg)
cfg = editor_config(lg)
with wide_only("loan_editor"):
    # placeholder="": a select cell holds a blank as missing, which the grid would show as "None"
    edited = st.data_editor(base, key=key, num_rows="dynamic", column_config=cfg, hide_index=True, placeholder="")
with phone_only("loan_editor"):  # one loan at a time: no sideways swipe through sixteen columns
    by_form = loan_form(base, st.session_state["editor_ver"], lg)
in_form = edited.equals(base) and not by_form.equals(base)
edited = by_form if in_form else edited
if not edited.equals(base):
    st.session_state["editor_edited"] = edited
    typed = commit(edited, lg, basis=basis, avoid=current.loans[ID])
    checks = editor_checks(typed.loans, len(edited), lg)
    # what is assumed changed, or the form changed the table: draw both from the new table
    if in_form or checks != edited[check].fillna("").tolist():
        st.session_state["editor_edited"] = edited.assign(**{check: checks})
        st.session_state["editor_ver"] += 1
        st.rerun()
if scenario().source.origin == "editor" and (len(book().loans) or book().problems):
    report(book(), lg, typed=True)
    if len(book().loans):
        next_steps()

# ---- download ------------------------------------------------------------------------------
downloads(book().loans, lg)
