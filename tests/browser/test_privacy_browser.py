"""After a session nothing personal is on the server's disk or in its logs.

The real app in headless Chromium, its HOME, TMPDIR and XDG folders fresh temporary ones: a loan
file with lender names made up for this run is uploaded, every page is visited, every download
clicked, the browser closed and the server stopped. Then the server's folders, the files it may
have written in the repository, its log (``.streamlit-test.log``, its stdout and stderr) are
searched for the names, as UTF-8, GBK, UTF-16 and JSON escapes: none is found. With the coach
workspace on they are found only in its database, and only once a client is saved."""

from __future__ import annotations

import contextlib
import json
import random
import time
from pathlib import Path

import pytest

from tests.browser.server import IDLE, ROOT, app_server, download, launch_browser, wait_idle

pytestmark = pytest.mark.browser


def invented_names(seed: int) -> list[str]:
    rng = random.Random(seed)
    cjk = ["".join(chr(rng.randrange(0x4E00, 0x9FA5)) for _ in range(6)) + "贷" for _ in range(2)]
    return [*cjk, f"Qzx{rng.getrandbits(40):010x} Credit"]


def forms(name: str) -> list[bytes]:
    """The ways a name may be written to a file."""
    out = [name.encode("utf-8"), name.encode("utf-16-le"), name.encode("utf-16-be"),
           json.dumps(name).strip('"').encode("ascii")]
    with contextlib.suppress(UnicodeEncodeError):
        out.append(name.encode("gbk"))
    return list(dict.fromkeys(out))


def server_env(tmp: Path) -> dict[str, str]:
    dirs = {k: tmp / k.lower() for k in ("HOME", "TMPDIR", "XDG_CACHE_HOME", "XDG_CONFIG_HOME",
                                          "XDG_DATA_HOME", "XDG_STATE_HOME")}
    for d in dirs.values():
        d.mkdir(parents=True)
    return {k: str(v) for k, v in dirs.items()}


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


def save_client(page) -> None:
    """On the Clients page, a new client with the loans of the session (the form's default)."""
    page.locator("[data-testid='stSidebarNav'] a").filter(has_text="客户").first.click()  # (the home page: href /)
    wait_idle(page)
    form = page.locator("[data-testid='stForm']").first
    form.locator("input[type=text]").first.fill("隐私测试客户")
    form.locator("button").filter(has_text="新建").first.click()
    page.wait_for_selector(IDLE)
    wait_idle(page)
    page.wait_for_function("() => document.body.innerText.includes('隐私测试客户')", timeout=30_000)


def session(url: str, csv: Path, downloads: Path, then=None) -> int:
    """Upload, visit every page, click every download (then ``then(page)``); the number of downloads."""
    got = 0
    with launch_browser() as browser:
        ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN", accept_downloads=True)
        page = ctx.new_page()
        page.goto(url + "/loans")
        wait_idle(page)
        page.wait_for_timeout(1000)
        page.locator("[data-testid='stFileUploader'] input[type=file]").first.set_input_files(str(csv))
        page.wait_for_function("() => document.body.innerText.includes('已从')", timeout=60_000)
        wait_idle(page)
        links = page.locator("[data-testid='stSidebarNav'] a")
        assert links.count() >= 6, links.all_inner_texts()
        for i in range(links.count()):
            href = page.locator("[data-testid='stSidebarNav'] a").nth(i).evaluate("a => a.href")
            page.locator("[data-testid='stSidebarNav'] a").nth(i).click()
            page.wait_for_url(href.rstrip("/") + "*", timeout=30_000)  # on the new page before its buttons are read
            page.wait_for_selector(IDLE)
            wait_idle(page)
            page.wait_for_timeout(500)
            buttons = page.locator("[data-testid='stMain'] [data-testid='stDownloadButton'] button")
            for i in range(buttons.count()):
                button = buttons.nth(i)
                if not button.is_visible() or button.is_disabled():
                    continue
                (downloads / f"{got}.bin").write_bytes(download(page, button))
                got += 1
                wait_idle(page)
        if then is not None:
            then(page)
        ctx.close()
    return got


def loan_file(tmp: Path, names: list[str]) -> Path:
    f = tmp / "借款.csv"
    rows = "".join(f"{n},{b},18%,12,{d}\n" for n, b, d in zip(names, (6100, 2300, 4100), (40, 0, 15), strict=True))
    f.write_bytes(("平台,剩余本金,年化利率,剩余期数,逾期天数\n" + rows).encode("gbk"))  # as Excel on Chinese Windows
    return f


def test_nothing_personal_is_left_on_the_server(tmp_path):
    names = invented_names(int(time.time()))
    env = server_env(tmp_path / "server")
    csv = loan_file(tmp_path, names)
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    start = time.time() - 1
    with app_server(env=env) as url:
        n = session(url, csv, downloads)
    assert n >= 8  # the import page's and the kit's downloads, at least
    # the downloads did carry the names (so the scan below would have seen them)
    assert scan([downloads], names[:1]), "the downloads should name the first lender"
    server_places = [Path(p) for p in env.values()] + [ROOT / ".streamlit-test.log"]
    assert (ROOT / ".streamlit-test.log").exists()
    assert scan(server_places, names) == []
    assert scan([ROOT], names, since=start) == []  # nothing written into the app's own folder


def test_with_the_workspace_on_the_names_are_kept_only_in_its_database_once_saved(tmp_path):
    names = invented_names(int(time.time()) + 1)
    env = server_env(tmp_path / "server")
    db = tmp_path / "db" / "workspace.sqlite3"
    db.parent.mkdir()
    env |= {"LOAN_PLANNER_WORKSPACE": "1", "LOAN_PLANNER_DB_PATH": str(db)}
    csv = loan_file(tmp_path, names)
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    start = time.time() - 1
    with app_server(env=env) as url:
        session(url, csv, downloads)
    places = [Path(p) for p in env.values() if Path(p).is_dir()] + [db.parent, ROOT / ".streamlit-test.log"]
    assert scan(places, names) == []  # the database holds no loans no one saved
    assert scan([ROOT], names, since=start) == []

    with app_server(env=env) as url:  # again, and this time the coach saves the client
        session(url, csv, downloads, then=save_client)
    hits = scan(places, names)
    assert hits and {Path(f).parent for f, _ in hits} == {db.parent}, hits  # in the database only
    assert {Path(f).name for f, _ in hits} <= {db.name, db.name + "-wal", db.name + "-journal"}, hits
    assert scan([ROOT], names, since=start) == []
