"""Every download button on every page, in headless Chromium, with hostile lender names loaded:
each gives a file that opens (docx, xlsx, csv, ics, html, pdf, json) and shows the names literally."""

from __future__ import annotations

import io
import json
import zipfile

import openpyxl
import pypdf
import pytest
from docx import Document
from icalendar import Calendar

from tests.browser.server import IDLE, app_server, download, launch_browser, wait_idle

pytestmark = pytest.mark.browser

HOSTILE = ['=HYPERLINK("http://x","y")', "<img src=x onerror=alert(1)>", "{{7*7}}", "[点我](javascript:x)"]
CSV = ("平台,剩余本金,年化利率,剩余期数,逾期天数\n"
       + "".join(f"\"{n.replace(chr(34), chr(34) * 2)}\",{b},{r},{m},{d}\n"
                 for n, b, r, m, d in zip(HOSTILE, (6100, 2300, 4100, 900), ("36%", "18%", "日息万五", "24%"),
                                          (12, 6, 9, 3), (40, 0, 0, 15), strict=True))).encode("utf-8")
PAGES = ["债务全貌", "导入与编辑借款", "每月能还多少", "协商方案对比", "协商材料", "协商指南"]


@pytest.fixture(scope="module")
def downloads(tmp_path_factory):
    """Every page's downloads, clicked: {(page, button label): bytes}."""
    f = tmp_path_factory.mktemp("in") / "借款.csv"
    f.write_bytes(CSV)
    got: dict[tuple[str, str], bytes] = {}
    with app_server() as url, launch_browser() as browser:
        ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN", accept_downloads=True)
        page = ctx.new_page()
        page.goto(url + "/loans")
        wait_idle(page)
        page.wait_for_timeout(1000)  # (a person takes a moment to pick a file; the browser store reports first)
        page.locator("[data-testid='stFileUploader'] input[type=file]").first.set_input_files(str(f))
        page.wait_for_function("() => document.body.innerText.includes('已从')", timeout=60_000)
        wait_idle(page)
        for name in PAGES:
            page.locator("[data-testid='stSidebarNav'] a", has_text=name).first.click()
            page.wait_for_selector(IDLE)
            wait_idle(page)
            page.wait_for_timeout(500)
            buttons = page.locator("[data-testid='stMain'] [data-testid='stDownloadButton'] button")
            for i in range(buttons.count()):
                button = buttons.nth(i)
                if not button.is_visible() or button.is_disabled():  # (other tabs; a tooltip's copy)
                    continue
                label = button.inner_text().strip()
                got[(name, label)] = download(page, button)
                wait_idle(page)
        ctx.close()
    return got


def by_page(downloads, page):
    return {label: data for (p, label), data in downloads.items() if p == page}


def test_every_page_with_downloads_gives_files_that_are_not_empty(downloads):
    pages = {p for p, _ in downloads}
    assert {"导入与编辑借款", "协商材料"} <= pages
    assert all(len(data) > 50 for data in downloads.values()), [k for k, v in downloads.items() if len(v) <= 50]
    assert len(by_page(downloads, "协商材料")) == 7  # word, text, report (html, pdf), excel, csv, calendar


def one(files, word):
    return next(data for label, data in files.items() if word in label)


def test_the_kit_downloads_open_and_show_the_names_literally(downloads):
    kit = by_page(downloads, "协商材料")
    letter = "\n".join(p.text for p in Document(io.BytesIO(one(kit, "Word"))).paragraphs)
    assert HOSTILE[0] in letter  # the first lender (the selected one), printed as written
    assert "49" not in letter.split(HOSTILE[0])[0]  # no template ran on a name
    assert HOSTILE[0] in one(kit, "纯文本").decode("utf-8")
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
    pdf = pypdf.PdfReader(io.BytesIO(one(kit, "PDF")))
    text = "\n".join(p.extract_text() for p in pdf.pages)
    assert "<img src=x onerror=alert(1)>" in text and "{{7*7}}" in text


def test_the_import_page_downloads_open(downloads):
    loans = by_page(downloads, "导入与编辑借款")
    plan = json.loads(one(loans, "保存方案"))
    assert [x["lender"] for x in plan["loans"]] == HOSTILE
    book = openpyxl.load_workbook(io.BytesIO(one(loans, "Excel")))
    first = [c.value for c in next(book.active.iter_rows(min_row=2, max_row=2))]
    assert first[0] == "'" + HOSTILE[0] and 6100 in first  # neutralised text, numbers as numbers
    assert one(loans, "CSV").startswith(b"\xef\xbb\xbf")
    with zipfile.ZipFile(io.BytesIO(one(loans, "Excel"))) as z:
        assert not any("<f>" in z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith(".xml"))
