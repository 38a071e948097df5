"""Hostile lender names in the real app (headless Chromium, 1400 px wide): markup, a script,
markdown with a javascript: link, a 300-character name, a right-to-left override, emoji and
spreadsheet formulas. On every page no script runs (no dialog opens), no markup from a name is in
the page, and the main block is no wider than the window; every download is safe: no formula in
a workbook, the names in the letter as written."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest
from docx import Document

from lib.ingest import MAX_LENDER
from tests.browser.server import IDLE, app_server, download, launch_browser, wait_idle

pytestmark = pytest.mark.browser

LONG = "很长的平台名称" * 43  # 301 characters: kept as its first MAX_LENDER
HOSTILE = ["<img src=x onerror=alert(1)>", "<script>alert(2)</script>", "**bold** [link](javascript:alert(3))",
           LONG, "\u202eevil", "🙂💸", "=1+1", "@SUM(A1)", "-2+3"]
SHOWN = [n[:MAX_LENDER] for n in HOSTILE]

# what must not be in a page: elements a name could have made, once the page is drawn
INJECTED = """() => {
  const bad = [];
  document.querySelectorAll('img').forEach(e => { if ((e.getAttribute('src') || '') === 'x') bad.push(e.outerHTML); });
  document.querySelectorAll('script').forEach(e => { if (/alert\\(/.test(e.textContent)) bad.push(e.outerHTML); });
  document.querySelectorAll('a[href]').forEach(e => {
    if (/^\\s*javascript:/i.test(e.getAttribute('href'))) bad.push(e.outerHTML); });
  document.querySelectorAll('[onerror],[onload],[onclick]').forEach(e => bad.push(e.outerHTML.slice(0, 200)));
  document.querySelectorAll('strong, b').forEach(e => { if (e.textContent === 'bold') bad.push(e.outerHTML); });
  return bad;
}"""
WIDTH = """() => {
  const main = document.querySelector("[data-testid='stMain']");
  const block = document.querySelector("[data-testid='stMainBlockContainer']") || main;
  return {window: window.innerWidth, page: document.documentElement.scrollWidth,
          main: main.scrollWidth, mainClient: main.clientWidth, block: block.getBoundingClientRect().right};
}"""


def csv_bytes() -> bytes:
    def q(s: str) -> str:
        return '"' + s.replace('"', '""') + '"'
    rows = "".join(f"{q(n)},{1000 + 100 * i},18%,{6 + i},{30 if i % 2 else 0}\n" for i, n in enumerate(HOSTILE))
    return ("平台,剩余本金,年化利率,剩余期数,逾期天数\n" + rows).encode("utf-8")


@pytest.fixture(scope="module")
def visit(tmp_path_factory):
    """Every page visited and every download clicked: (per page: dialogs, injected, widths,
    text), {(page, label): bytes}."""
    f = tmp_path_factory.mktemp("in") / "借款.csv"
    f.write_bytes(csv_bytes())
    pages, files = {}, {}
    with app_server() as url, launch_browser() as browser:
        ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN", accept_downloads=True)
        page = ctx.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(url + "/loans")
        wait_idle(page)
        page.wait_for_timeout(1000)
        page.locator("[data-testid='stFileUploader'] input[type=file]").first.set_input_files(str(f))
        page.wait_for_function("() => document.body.innerText.includes('已从')", timeout=60_000)
        wait_idle(page)
        links = page.locator("[data-testid='stSidebarNav'] a")
        n = links.count()
        assert n >= 6, links.all_inner_texts()
        for i in range(n):
            link = page.locator("[data-testid='stSidebarNav'] a").nth(i)
            name = link.inner_text().split("\n")[-1].strip()
            href = link.evaluate("a => a.href")
            link.click()
            page.wait_for_url(href.rstrip("/") + "*", timeout=30_000)  # on the new page before its buttons are read
            page.wait_for_selector(IDLE)
            wait_idle(page)
            page.wait_for_timeout(800)
            pages[name] = {"dialogs": list(dialogs), "injected": page.evaluate(INJECTED),
                           "width": page.evaluate(WIDTH), "text": page.inner_text("[data-testid='stMain']")}
            buttons = page.locator("[data-testid='stMain'] [data-testid='stDownloadButton'] button")
            for j in range(buttons.count()):
                button = buttons.nth(j)
                if not button.is_visible() or button.is_disabled():
                    continue
                label = button.inner_text().strip()
                files[(name, label)] = download(page, button)
                wait_idle(page)
            pages[name]["dialogs_after_downloads"] = list(dialogs)
        ctx.close()
    return pages, files


def test_no_script_runs_and_no_markup_is_injected_on_any_page(visit):
    pages, _ = visit
    assert len(pages) >= 6
    for name, seen in pages.items():
        assert seen["dialogs"] == [] and seen["dialogs_after_downloads"] == [], name
        assert seen["injected"] == [], (name, seen["injected"])


def test_the_names_show_as_written(visit):
    pages, _ = visit
    text = "\n".join(p["text"] for p in pages.values())
    for shown in ("<img src=x onerror=alert(1)>", "<script>alert(2)</script>", "🙂💸", "=1+1"):
        assert shown in text, shown
    assert "**bold**" in text  # markdown not rendered
    assert LONG[:MAX_LENDER] in text and LONG not in text  # shortened (the import page's table says so)


def test_the_layout_holds_at_1400_px(visit):
    pages, _ = visit
    for name, seen in pages.items():
        w = seen["width"]
        assert w["page"] <= w["window"], (name, w)  # no horizontal scroll of the page
        assert w["main"] <= w["mainClient"] + 1, (name, w)  # nothing wider than the main block
        assert w["block"] <= w["window"] + 1, (name, w)


def workbooks(files):
    for key, data in files.items():
        if data[:2] == b"PK":
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                if any(n.startswith("xl/") for n in z.namelist()):
                    yield key, data


def test_the_workbooks_hold_no_formula(visit):
    _, files = visit
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


def test_the_letters_print_the_names_literally(visit):
    _, files = visit
    letters = [data for (page, label), data in files.items() if "Word" in label]
    assert letters, list(files)
    text = "\n".join(p.text for d in letters for p in Document(io.BytesIO(d)).paragraphs)
    assert HOSTILE[0] in text  # the first lender, the one the letter is for
