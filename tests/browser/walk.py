"""One browser walk over the whole app: a loan file uploaded, every page in the sidebar visited,
what each page shows read, every download on it clicked.

The hostile-input, downloads and privacy tests all need that walk with hostile lender names loaded
and the server's own folders fresh; ``tests/browser/conftest.py`` runs it once for all three
(``hostile_walk``), the privacy test with the coach workspace on runs its own."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import random
from pathlib import Path

from tests.browser.server import DOWNLOADS, IDLE, download, launch_browser, wait_idle

LONG = "很长的平台名称" * 43  # 301 characters: kept as its first MAX_LENDER
# the first is the lender the kit's letter is for; the import page's workbook lists it first
HOSTILE = ['=HYPERLINK("http://x","y")', "<img src=x onerror=alert(1)>", "<script>alert(2)</script>",
           "**bold** [link](javascript:alert(3))", LONG, "\u202eevil", "🙂💸", "=1+1", "@SUM(A1)", "-2+3", "{{7*7}}",
           "[点我](javascript:x)"]
RATES = ("36%", "18%", "日息万五", "24%")


def invented_names(seed: int) -> list[str]:
    """Lender names made up for one run (no file on this machine holds them before it)."""
    rng = random.Random(seed)
    cjk = ["".join(chr(rng.randrange(0x4E00, 0x9FA5)) for _ in range(6)) + "贷" for _ in range(2)]
    return [*cjk, f"Qzx{rng.getrandbits(40):010x} Credit"]


def loan_csv(names: list[str]) -> bytes:
    """A loan file (UTF-8) with one loan per name: balance, annual rate, months left, days late."""
    def q(s: str) -> str:
        return '"' + s.replace('"', '""') + '"'
    rows = "".join(f"{q(n)},{6100 if i == 0 else 1000 + 100 * i},{RATES[i % 4]},{6 + i % 12},{30 if i % 2 else 0}\n"
                   for i, n in enumerate(names))
    return ("平台,剩余本金,年化利率,剩余期数,逾期天数\n" + rows).encode("utf-8")


def server_env(tmp: Path) -> dict[str, str]:
    """Fresh HOME, TMPDIR and XDG folders for a server (scanned after it stops)."""
    dirs = {k: tmp / k.lower() for k in ("HOME", "TMPDIR", "XDG_CACHE_HOME", "XDG_CONFIG_HOME",
                                          "XDG_DATA_HOME", "XDG_STATE_HOME")}
    for d in dirs.values():
        d.mkdir(parents=True)
    return {k: str(v) for k, v in dirs.items()}


def forms(name: str) -> list[bytes]:
    """The ways a name may be written to a file."""
    out = [name.encode("utf-8"), name.encode("utf-16-le"), name.encode("utf-16-be"),
           json.dumps(name).strip('"').encode("ascii")]
    with contextlib.suppress(UnicodeEncodeError):
        out.append(name.encode("gbk"))
    return list(dict.fromkeys(out))


def scan(places: list[Path], names: list[str], since: float = 0.0) -> list[tuple[str, str]]:
    """(file, name) for every file under ``places`` written since ``since`` that holds a name."""
    needles = [(n, f) for n in names for f in forms(n)]
    hits = []
    for place in places:
        files = [place] if place.is_file() else [p for p in place.rglob("*") if p.is_file()]
        for p in files:
            if ".git" in p.parts or ".venv" in p.parts or p.stat().st_mtime < since:
                continue
            try:
                data = p.read_bytes()
            except OSError:
                continue
            hits += [(str(p), n) for n, f in needles if f in data]
    return sorted(set(hits))


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


@dataclasses.dataclass
class Seen:
    """What one page showed: dialogs opened (before and after its downloads), elements a name
    could have injected, widths, the main block's text."""

    dialogs: list[str]
    dialogs_after_downloads: list[str]
    injected: list[str]
    width: dict
    text: str


@dataclasses.dataclass
class Walk:
    pages: dict[str, Seen]  # the sidebar's label → what the page showed
    files: dict[tuple[str, str], bytes]  # (page, button label) → the downloaded file

    def by_page(self, page: str) -> dict[str, bytes]:
        return {label: data for (p, label), data in self.files.items() if p == page}


def upload(page, url: str, csv: Path) -> None:
    """Open the import page and upload ``csv``; wait until it is read."""
    page.goto(url + "/loans")
    wait_idle(page)
    page.wait_for_timeout(1000)  # (a person takes a moment to pick a file; the browser store reports first)
    page.locator("[data-testid='stFileUploader'] input[type=file]").first.set_input_files(str(csv))
    page.wait_for_function("() => document.body.innerText.includes('已从')", timeout=60_000)
    wait_idle(page)


def visit(page, dialogs: list[str]) -> tuple[dict[str, Seen], dict[tuple[str, str], bytes]]:
    """Every page in the sidebar, in turn: what it shows, and its downloads."""
    pages: dict[str, Seen] = {}
    files: dict[tuple[str, str], bytes] = {}
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
        before = list(dialogs)
        seen = Seen(before, before, page.evaluate(INJECTED), page.evaluate(WIDTH),
                    page.inner_text("[data-testid='stMain']"))
        buttons = page.locator(DOWNLOADS)
        for j in range(buttons.count()):
            button = buttons.nth(j)
            if not button.is_visible() or button.is_disabled():  # (other tabs; a tooltip's copy)
                continue
            files[(name, button.inner_text().strip())] = download(page, button)
            wait_idle(page)
        seen.dialogs_after_downloads = list(dialogs)
        pages[name] = seen
    return pages, files


def walk(url: str, csv: Path) -> Walk:
    """Upload ``csv`` in a new browser, visit every page and click every download; a dialog any
    page opens is dismissed and recorded."""
    with launch_browser() as browser:
        ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN", accept_downloads=True)
        page = ctx.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        upload(page, url, csv)
        pages, files = visit(page, dialogs)
        ctx.close()
    return Walk(pages, files)
