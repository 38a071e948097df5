"""After a session nothing personal is on the server's disk or in its logs.

The real app in headless Chromium, its HOME, TMPDIR and XDG folders fresh temporary ones: a loan
file with lender names made up for this run is uploaded, every page is visited, every download
clicked, the browser closed and the server stopped (the shared walk, tests/browser/conftest.py).
Then the server's folders, the files it may have written in the repository and its log (its
stdout and stderr) are searched for the names, as UTF-8, GBK, UTF-16 and JSON escapes: none is
found. With the coach workspace on they are found only in its database, and only once a client
is saved."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.browser.server import IDLE, ROOT, app_server, launch_browser, wait_idle
from tests.browser.walk import forms, invented_names, loan_csv, scan, server_env, upload, walk

pytestmark = pytest.mark.browser


def test_nothing_personal_is_left_on_the_server(hostile_walk):
    files, names = hostile_walk.files, hostile_walk.invented
    assert len(files) >= 8  # the import page's and the kit's downloads, at least
    # the downloads did carry the names (so the scan below would have seen them)
    assert any(f in data for data in files.values() for f in forms(names[0])), "the downloads should name them"
    assert all(p.exists() for p in hostile_walk.server_places)
    assert scan(hostile_walk.server_places, names) == []
    assert scan([ROOT], names, since=hostile_walk.started) == []  # nothing written into the app's own folder


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


def test_with_the_workspace_on_the_names_are_kept_only_in_its_database_once_saved(tmp_path):
    names = invented_names(int(time.time()) + 1)
    env = server_env(tmp_path / "server")
    db = tmp_path / "db" / "workspace.sqlite3"
    db.parent.mkdir()
    env |= {"LOAN_PLANNER_WORKSPACE": "1", "LOAN_PLANNER_DB_PATH": str(db)}
    csv = tmp_path / "借款.csv"
    csv.write_bytes(loan_csv(names))
    log = tmp_path / "streamlit.log"
    start = time.time() - 1
    with app_server(env=env, log=log) as url:
        seen = walk(url, csv)  # every page, every download (the workspace's backup too): nothing saved
    assert any("备份" in label for _, label in seen.files), list(seen.files)
    places = [Path(p) for p in env.values() if Path(p).is_dir()] + [db.parent, log]
    assert scan(places, names) == []  # the database holds no loans no one saved
    assert scan([ROOT], names, since=start) == []

    with app_server(env=env, log=log) as url, launch_browser() as browser:  # again: the coach saves a client
        ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
        page = ctx.new_page()
        upload(page, url, csv)
        save_client(page)
        ctx.close()
    hits = scan(places, names)
    assert hits and {Path(f).parent for f, _ in hits} == {db.parent}, hits  # in the database only
    assert {Path(f).name for f, _ in hits} <= {db.name, db.name + "-wal", db.name + "-journal"}, hits
    assert scan([ROOT], names, since=start) == []
