"""Step 1 · Your loans: upload a CSV/Excel file, or type and edit loans; template downloads."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from lib.export import template_frame, to_csv_bytes, to_xlsx_bytes
from lib.i18n import t, tn
from lib.ingest import LoanBook, read_frame, read_loans
from lib.loans import (
    EDITOR_FIELDS,
    KINDS,
    METHODS,
    check_label,
    count_assumed,
    editor_checks,
    editor_frame,
    editor_label,
)
from lib.views import import_summary, problem_view
from pages._shared import book, lang, load_sample, md_escape, set_book

lg = lang()
st.title(t("loans.title", lg))
st.caption(t("loans.intro", lg))

# ---- load -------------------------------------------------------------------------------
up_col, opt_col = st.columns([3, 2])
with opt_col:
    basis = st.radio(t("loans.day_basis", lg), (360, 365), horizontal=True, key="day_basis",
                     help=t("loans.day_basis_help", lg), persist_state="session")
    b1, b2 = st.columns(2)
    if b1.button(t("loans.use_sample", lg), icon=":material/restart_alt:", width="stretch"):
        load_sample()
        st.session_state.pop("upload_sig", None)
    if b2.button(t("loans.start_empty", lg), icon=":material/edit_note:", width="stretch"):
        set_book(read_frame(pd.DataFrame(columns=[editor_label(f, lg) for f in EDITOR_FIELDS])),
                 origin="editor")
with up_col:
    upload = st.file_uploader(t("loans.upload", lg), type=["csv", "tsv", "txt", "xlsx", "xls"],
                              help=t("loans.upload_help", lg), key="upload")
if upload is not None:
    sig = (upload.file_id, basis)
    if st.session_state.get("upload_sig") != sig:
        with st.spinner(t("loans.reading", lg)):
            set_book(read_loans(upload.getvalue(), upload.name, day_basis=basis), origin="file")
        st.session_state["upload_sig"] = sig


def report(b: LoanBook, *, typed: bool = False) -> None:
    """What was read, how, and what could not be used — each problem by row and column."""
    if b.source or typed:
        msg = import_summary(len(b.loans), len(b.skipped_rows), len(b.warnings), lg,
                             source=None if typed else md_escape(b.source), file_error=bool(b.file_errors))
        level = st.error if b.loans.empty and b.errors else st.warning if b.problems else st.success
        level(msg, icon=":material/task_alt:")
    if b.notes:
        st.caption(" · ".join(md_escape(n.text(lg)) for n in b.notes))
    if b.problems:  # rows tall enough for a long message to wrap
        st.dataframe(problem_view(b.problems, lg), hide_index=True, row_height=70,
                     column_config={t("col.problem", lg): st.column_config.TextColumn(width="large")})


current = book()
if st.session_state.get("origin") == "file":
    report(current)

# ---- edit -------------------------------------------------------------------------------
st.subheader(t("loans.editor_title", lg))
st.caption(t("loans.editor_help", lg))
if n_assumed := count_assumed(current.loans):
    st.info(tn("loans.check_hint", n_assumed, lg), icon=":material/rule:")
if st.session_state.get("editor_lang") != lg:
    set_book(current, origin=st.session_state.get("origin", "sample"))
    st.session_state["editor_lang"] = lg
key = f"editor_{st.session_state['editor_ver']}"
if key not in st.session_state and "editor_edited" in st.session_state:
    # the widget's own state was dropped on a page switch (or the check column changed): show the last edits
    st.session_state["editor_base"] = st.session_state.pop("editor_edited")
base = st.session_state["editor_base"]

# Text cells: the editor accepts everything a file does (1.2万, 日息万五, 12期) and reports
# problems by row and column exactly like an upload. The last column says what was assumed.
check = check_label(lg)
cfg = {editor_label(f, lg): st.column_config.TextColumn() for f in EDITOR_FIELDS}
cfg[editor_label("lender", lg)] = st.column_config.TextColumn(required=True, max_chars=60)
cfg[editor_label("kind", lg)] = st.column_config.SelectboxColumn(options=[t(f"kind.{k}", lg) for k in KINDS])
cfg[editor_label("method", lg)] = st.column_config.SelectboxColumn(
    options=[t(f"method.{m}", lg) for m in METHODS])
cfg[editor_label("start_date", lg)] = st.column_config.DateColumn(format="YYYY-MM-DD")
cfg[check] = st.column_config.TextColumn(disabled=True, width="large")
# placeholder="": a select cell holds a blank as missing, which the grid would show as "None"
edited = st.data_editor(base, key=key, num_rows="dynamic", column_config=cfg, hide_index=True, placeholder="")
if not edited.equals(base):
    st.session_state["editor_edited"] = edited
    set_book(read_frame(edited, day_basis=basis, first_row=1),
             origin="editor", reset_editor=False)
    checks = editor_checks(book().loans, len(edited), lg)
    if checks != edited[check].fillna("").tolist():  # what is assumed changed: redraw the column
        st.session_state["editor_edited"] = edited.assign(**{check: checks})
        st.session_state["editor_ver"] += 1
        st.rerun()
if st.session_state.get("origin") == "editor" and (len(book().loans) or book().problems):
    report(book(), typed=True)  # (typed loans have no source: the report says "typed in")

# ---- download (built only when clicked: a callable runs on the click, not on every rerun) ----------
st.subheader(t("loans.downloads", lg))
d = st.columns(4)
for i, tl in enumerate(("zh", "en")):
    d[i].download_button(t(f"loans.template_{tl}", lg), lambda tl=tl: to_csv_bytes(template_frame(tl)),
                         f"loan_template_{tl}.csv", "text/csv", icon=":material/download:", width="stretch")
loans_now = book().loans


def export() -> pd.DataFrame:
    return editor_frame(loans_now, lg, blank_derived=False)


d[2].download_button(t("loans.export_csv", lg), lambda: to_csv_bytes(export()), "my_loans.csv", "text/csv",
                     icon=":material/table:", width="stretch")
d[3].download_button(t("loans.export_xlsx", lg), lambda: to_xlsx_bytes(export()), "my_loans.xlsx",
                     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                     icon=":material/grid_on:", width="stretch")
