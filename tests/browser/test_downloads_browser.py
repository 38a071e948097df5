"""Every download button on every page, in headless Chromium, with hostile lender names loaded
(the shared walk, tests/browser/conftest.py): each gives a file that opens (docx, xlsx, csv, ics,
html, pdf, json) and shows the names literally."""

from __future__ import annotations

import io
import json
import subprocess
import zipfile

import openpyxl
import pytest
from docx import Document
from icalendar import Calendar

pytestmark = pytest.mark.browser


def test_every_page_with_downloads_gives_files_that_are_not_empty(hostile_walk):
    pages = {p for p, _ in hostile_walk.files}
    assert {"导入与编辑借款", "协商材料"} <= pages
    assert all(len(data) > 50 for data in hostile_walk.files.values()), [
        k for k, v in hostile_walk.files.items() if len(v) <= 50]
    assert len(hostile_walk.by_page("协商材料")) == 7  # word, text, report (html, pdf), excel, csv, calendar


def one(files, word):
    return next(data for label, data in files.items() if word in label)


def test_the_kit_downloads_open_and_show_the_names_literally(hostile_walk):
    kit, first = hostile_walk.by_page("协商材料"), hostile_walk.names[0]
    letter = "\n".join(p.text for p in Document(io.BytesIO(one(kit, "Word"))).paragraphs)
    assert first in letter  # the first lender (the selected one), printed as written
    assert "49" not in letter.split(first)[0]  # no template ran on a name
    assert first in one(kit, "纯文本").decode("utf-8")
    book = openpyxl.load_workbook(io.BytesIO(one(kit, "Excel")))
    cells = [c for ws in book for row in ws.iter_rows() for c in row]
    assert not any(isinstance(c.value, str) and c.value.startswith("=") for c in cells)
    assert any(isinstance(c.value, float) for c in cells)
    csv = one(kit, "CSV")
    assert csv.startswith(b"\xef\xbb\xbf")
    cal = Calendar.from_ical(one(kit, "日历"))
    events = [e for e in cal.walk("VEVENT")]
    assert events and all(e.walk("VALARM") for e in events)
    html = one(kit, "HTML").decode("utf-8")
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "https://" not in html.split("<script", 1)[0]
    # read by Poppler, as a PDF viewer reads it (pypdf garbles the text of a CJK font WeasyPrint
    # embeds with a custom encoding, as it does once an emoji is on the page; Poppler reads it right)
    text = subprocess.run(["pdftotext", "-", "-"], input=one(kit, "PDF"), capture_output=True, check=True,
                          timeout=60).stdout.decode("utf-8")
    assert "<img src=x onerror=alert(1)>" in text and "{{7*7}}" in text


def test_the_import_page_downloads_open(hostile_walk):
    loans = hostile_walk.by_page("导入与编辑借款")
    plan = json.loads(one(loans, "保存方案"))
    assert [x["lender"] for x in plan["loans"]] == hostile_walk.shown
    book = openpyxl.load_workbook(io.BytesIO(one(loans, "Excel")))
    first = [c.value for c in next(book.active.iter_rows(min_row=2, max_row=2))]
    assert first[0] == "'" + hostile_walk.names[0] and 6100 in first  # neutralised text, numbers as numbers
    assert one(loans, "CSV").startswith(b"\xef\xbb\xbf")
    with zipfile.ZipFile(io.BytesIO(one(loans, "Excel"))) as z:
        assert not any("<f>" in z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith(".xml"))
