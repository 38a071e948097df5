"""The loans page's screenshot reader: pictures in, the borrower checks what was read, then adds it.

Nothing read from a picture enters the scenario until the borrower confirms (lib.ocr.check).
The pictures and what was read stay in this session's memory only, and are dropped when the
borrower confirms, discards, or removes a picture.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from lib import ocr
from lib.i18n import t, tn
from lib.ingest import LoanBook
from lib.ocr.check import (
    becomes,
    check_cards,
    editor_rows,
    mark_corrected,
    marked_picture,
    read_checked,
    style_card,
)
from pages._shared import md_escape, problem_list

TYPES = ["png", "jpg", "jpeg", "webp"]
_N, _READ = "shots_n", "shots_read"  # the uploader's generation; file id → (book, marked picture)


def uploader(lg: str) -> list[Any]:
    """The screenshots' uploader (several at once), or how to turn screenshot reading on."""
    if not ocr.available():
        st.caption(t("shots.unavailable", lg))
        return []
    return st.file_uploader(t("shots.upload", lg), type=TYPES, accept_multiple_files=True,
                            key=f"shots_{st.session_state.get(_N, 0)}", help=t("shots.upload_help", lg)) or []


def _reset() -> None:
    st.session_state[_N] = st.session_state.get(_N, 0) + 1
    st.session_state.pop(_READ, None)


def _read_all(files: list[Any], lg: str) -> dict[str, tuple[Any, bytes | None]]:
    """Each picture read once, with a progress bar (≈1.5 s a picture); pictures removed are forgotten."""
    done: dict[str, tuple[Any, bytes | None]] = st.session_state.get(_READ, {})
    done = {f.file_id: done[f.file_id] for f in files if f.file_id in done}
    todo = [f for f in files if f.file_id not in done]
    if todo:
        bar = st.progress(0.0)
        for i, f in enumerate(todo):
            bar.progress(i / len(todo), text=t("shots.reading", lg, i=i + 1, n=len(todo), name=md_escape(f.name)))
            data = f.getvalue()
            book = ocr.read_screenshot(data, f.name)
            done[f.file_id] = (book, marked_picture(data, book) if getattr(book, "reads", None) else None)
        bar.empty()
    st.session_state[_READ] = done
    return done


def _card(card: pd.DataFrame, key: str, lg: str) -> pd.DataFrame:
    """One loan's values, the value column editable, the other two fixed (and tinted); a value the
    borrower changed says so. (A fixed-rows editor keeps its edits when only values change.)"""
    field, value, source = card.columns
    edits = (st.session_state.get(key) or {}).get("edited_rows", {})  # (the last change: its "from" says so)
    shown = style_card(mark_corrected(card, edits, lg), lg)
    return st.data_editor(shown, key=key, hide_index=True, num_rows="fixed", placeholder="",
                          column_config={field: st.column_config.TextColumn(disabled=True),
                                         value: st.column_config.TextColumn(),
                                         source: st.column_config.TextColumn(disabled=True)})


def _picture(f: Any, book: Any, marked: bytes | None, lg: str, basis: int
             ) -> tuple[list[pd.DataFrame], LoanBook] | None:
    """One picture beside its loans; returns (the loans as checked, what they become), None if it has none."""
    with st.container(border=True):
        left, right = st.columns([2, 3])
        left.caption(md_escape(f.name))
        left.image(marked or f.getvalue(), width="stretch")
        with right:
            if not book.reads:
                for p in book.errors:
                    st.error(md_escape(p.text(lg)), icon=":material/image_not_supported:")
                return None
            gen = st.session_state.get(_N, 0)
            cards = check_cards(book, f.name, lg)
            edited = [_card(c, f"shot_{f.file_id}_{i}_{lg}_{gen}", lg) for i, c in enumerate(cards)]
            checked = read_checked(edited, lg, day_basis=basis, source=f.name)
            for line in becomes(checked, lg):
                st.markdown(line)
            if checked.errors:
                problem_list(checked.errors, lg, f"shot_{f.file_id}", row_height=60)
            return edited, checked


def check_and_add(files: list[Any], lg: str, *, basis: int, replaces: bool,
                  add: Callable[[pd.DataFrame], None]) -> None:
    """The pictures beside what was read from them (daily rates × ``basis`` days a year); on "add",
    the checked rows go to ``add`` (the loan editor's rows, :func:`lib.ocr.check.editor_rows`)."""
    if not files:
        st.session_state.pop(_READ, None)
        return
    read = _read_all(files, lg)
    st.subheader(t("shots.check_title", lg))
    st.info(t("shots.check_help", lg), icon=":material/fact_check:")
    results = [r for f in files if (r := _picture(f, *read[f.file_id], lg, basis)) is not None]
    n_loans = sum(len(c.loans) for _, c in results)
    n_rows = sum(len(c.skipped_rows) for _, c in results)
    if not results:
        return
    st.caption(t("shots.replaces" if replaces else "shots.adds", lg)
               + (" " + tn("shots.rows_kept", n_rows, lg) if n_rows else ""))
    c1, c2 = st.columns(2)
    if c1.button(tn("shots.confirm", n_loans, lg), type="primary", icon=":material/check:", width="stretch",
                 disabled=not (n_loans or n_rows), key="shots_confirm"):
        add(pd.concat([editor_rows(e, c, lg) for e, c in results], ignore_index=True))
        _reset()
        st.rerun()
    if c2.button(t("shots.discard", lg), icon=":material/close:", width="stretch", key="shots_discard"):
        _reset()
        st.rerun()
