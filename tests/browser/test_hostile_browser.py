"""Hostile lender names in the real app (headless Chromium, 1400 px wide; the shared walk,
tests/browser/conftest.py): markup, a script, markdown with a javascript: link, a 300-character
name, a right-to-left override, emoji and spreadsheet formulas. On every page no script runs (no
dialog opens), no markup from a name is in the page, and the main block is no wider than the
window; every download is safe: no formula in a workbook, the names in the letter as written."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest
from docx import Document

from tests.browser.walk import LONG

pytestmark = pytest.mark.browser


def test_no_script_runs_and_no_markup_is_injected_on_any_page(hostile_walk):
    pages = hostile_walk.pages
    assert len(pages) >= 6
    for name, seen in pages.items():
        assert seen.dialogs == [] and seen.dialogs_after_downloads == [], name
        assert seen.injected == [], (name, seen.injected)


def test_the_names_show_as_written(hostile_walk):
    pages = hostile_walk.pages
    text = "\n".join(p.text for p in pages.values())
    for shown in ("<img src=x onerror=alert(1)>", "<script>alert(2)</script>", "🙂💸", "=1+1"):
        assert shown in text, shown
    assert "**bold**" in text  # markdown not rendered
    shortened = hostile_walk.shown[hostile_walk.names.index(LONG)]
    assert shortened in text and LONG not in text  # shortened (the import page's table says so)


def test_the_layout_holds_at_1400_px(hostile_walk):
    pages = hostile_walk.pages
    for name, seen in pages.items():
        w = seen.width
        assert w["page"] <= w["window"], (name, w)  # no horizontal scroll of the page
        assert w["main"] <= w["mainClient"] + 1, (name, w)  # nothing wider than the main block
        assert w["block"] <= w["window"] + 1, (name, w)


def workbooks(files):
    for key, data in files.items():
        if data[:2] == b"PK":
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                if any(n.startswith("xl/") for n in z.namelist()):
                    yield key, data


def test_the_workbooks_hold_no_formula(hostile_walk):
    files = hostile_walk.files
    books = list(workbooks(files))
    assert len(books) >= 2, list(files)
    for key, data in books:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            assert not any("<f>" in z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith(".xml"))
        wb = openpyxl.load_workbook(io.BytesIO(data))
        cells = [c for ws in wb for row in ws.iter_rows() for c in row]
        assert not [c.value for c in cells if c.data_type == "f"], key
        risky = [c.value for c in cells if isinstance(c.value, str) and c.value[:1] in "=+-@"]
        assert not risky, (key, risky[:5])
        texts = {c.value for c in cells if isinstance(c.value, str)}
        assert "'=1+1" in texts or any("=1+1" in t for t in texts), key  # the name kept, neutralised


def test_the_letters_print_the_names_literally(hostile_walk):
    files = hostile_walk.files
    letters = [data for (page, label), data in files.items() if "Word" in label]
    assert letters, list(files)
    text = "\n".join(p.text for d in letters for p in Document(io.BytesIO(d)).paragraphs)
    assert hostile_walk.names[0] in text  # the first lender, the one the letter is for
