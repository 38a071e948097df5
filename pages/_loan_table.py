"""The loans page's table: the loan editor's rows in and out of the scenario, what a read says,
and the downloads. (The page itself, pages/loans.py, lays them out.)"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
import streamlit as st

from lib.export import template_frame, to_csv_bytes, to_xlsx_bytes
from lib.i18n import t
from lib.ingest import LoanBook, read_frame
from lib.loans import (
    EDITOR_FIELDS,
    KINDS,
    METHODS,
    check_label,
    editor_frame,
    editor_label,
    keep_ids,
    typed_rows,
    with_typed_rows,
)
from lib.scenario import source_of
from lib.views import import_summary
from pages._shared import md_escape, problem_list
from pages._state import put, scenario
from pages._storage import save_button

ID = "loan_id"  # a hidden column: which loan each row is, so an edit keeps every plan choice


def editor_table(loans: pd.DataFrame, lg: str) -> pd.DataFrame:
    """The loans as the editor shows them, the typed rows that did not become loans back in place."""
    table = editor_frame(loans, lg).assign(**{ID: loans[ID].astype("string").tolist()})
    typed = [r.model_dump() for r in scenario().source.typed] if scenario().source.origin == "editor" else []
    return with_typed_rows(table, loans, typed, lg)


def commit(table: pd.DataFrame, lg: str, *, basis: int, avoid: Iterable[str], replaced: bool = False,
           undo: str | None = None) -> LoanBook:
    """The editor's rows (with their :data:`ID` column) as the scenario's loans, read as typed
    (a new row never takes an id in ``avoid``: the loans before)."""
    typed = read_frame(table.drop(columns=ID), day_basis=basis, first_row=1)
    typed.loans = keep_ids(typed.loans, table[ID].tolist(), avoid=avoid)
    kept = typed_rows(table, typed.skipped_rows, lg)  # what was typed in a row not taken is kept too
    put(scenario().with_loans(typed.loans, source_of(typed, "editor", day_basis=basis, typed=kept)),
        replaced=replaced, undo=undo)
    return typed


def editor_config(lg: str) -> dict[str, object]:
    """The grid's columns: text cells (the editor accepts everything a file does: 1.2万, 日息万五,
    12期), kind and method picked from a list, the date as a date, the check column fixed."""
    cfg: dict[str, object] = {editor_label(f, lg): st.column_config.TextColumn() for f in EDITOR_FIELDS}
    cfg[editor_label("lender", lg)] = st.column_config.TextColumn(required=True, max_chars=60)
    cfg[editor_label("kind", lg)] = st.column_config.SelectboxColumn(options=[t(f"kind.{k}", lg) for k in KINDS])
    cfg[editor_label("method", lg)] = st.column_config.SelectboxColumn(
        options=[t(f"method.{m}", lg) for m in METHODS])
    cfg[editor_label("start_date", lg)] = st.column_config.DateColumn(format="YYYY-MM-DD")
    cfg[check_label(lg)] = st.column_config.TextColumn(disabled=True, width="large")
    cfg[ID] = None
    return cfg


def report(b: LoanBook, lg: str, *, typed: bool = False) -> None:
    """What was read, how, and what could not be used — each problem by row and column."""
    if b.source or typed:
        msg = import_summary(len(b.loans), len(b.skipped_rows), len(b.warnings), lg,
                             source=None if typed else md_escape(b.source), file_error=bool(b.file_errors))
        level = st.error if b.loans.empty and b.errors else st.warning if b.problems else st.success
        level(msg, icon=":material/task_alt:")
    if b.notes:
        st.caption(" · ".join(md_escape(n.text(lg)) for n in b.notes))
    if b.problems:
        problem_list(b.problems, lg, "read")


def downloads(loans: pd.DataFrame, lg: str) -> None:
    """The templates, the loans as CSV and Excel, and the plan file. Each file is made only when
    its button is clicked (a callable runs on the click, not on every rerun)."""
    st.subheader(t("loans.downloads", lg))
    d = st.columns(3)
    for i, tl in enumerate(("zh", "en")):
        d[i].download_button(t(f"loans.template_{tl}", lg), lambda tl=tl: to_csv_bytes(template_frame(tl)),
                             f"loan_template_{tl}.csv", "text/csv", icon=":material/download:", width="stretch")

    def export() -> pd.DataFrame:
        return editor_frame(loans, lg, blank_derived=False)

    e = st.columns(3)
    e[0].download_button(t("loans.export_csv", lg), lambda: to_csv_bytes(export()), "my_loans.csv", "text/csv",
                         icon=":material/table:", width="stretch")
    e[1].download_button(t("loans.export_xlsx", lg), lambda: to_xlsx_bytes(export()), "my_loans.xlsx",
                         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                         icon=":material/grid_on:", width="stretch")
    with e[2]:
        save_button(lg, key="save_loans_page")
