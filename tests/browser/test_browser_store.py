"""pages/_browser_store.py in headless Chromium (tests/browser/store_app.py) and under AppTest.

A note typed in the app must come back after a reload and after a server restart on the
same origin, be gone after "Forget", never be shown as HTML, not travel again once the
browser confirmed it, and the component must take no room in the page.
"""

from __future__ import annotations

import re

import pytest

from tests.browser.server import ROOT, app_server, free_port, launch_browser, wait_idle

pytestmark = pytest.mark.browser

SCRIPT = "tests/browser/store_app.py"
NAME = "store-test-note"
STATUS = "[data-testid='stSidebarUserContent'] [data-testid='stText']"


@pytest.fixture(scope="module")
def app_url():
    with app_server(SCRIPT) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with launch_browser() as b:
        yield b


@pytest.fixture()
def context(browser):
    ctx = browser.new_context(viewport={"width": 1100, "height": 700})
    yield ctx
    ctx.close()


def status(page) -> dict[str, str]:
    return dict(re.findall(r"(\w+)=(\S+)", page.inner_text(STATUS)))


def wait_status(page, **want: object) -> dict[str, str]:
    """Wait until the sidebar status line shows every ``name=value`` asked for."""
    wanted = [f"{k}={v}" for k, v in want.items()]
    page.wait_for_function(
        "([sel, wanted]) => { const el = document.querySelector(sel);"
        " return !!el && wanted.every(w => el.innerText.split(/\\s+/).includes(w)); }",
        arg=[STATUS, wanted], timeout=20_000)
    wait_idle(page)
    return status(page)


def open_app(page, url: str) -> None:
    page.goto(url + "/")
    wait_idle(page)
    wait_status(page, reported=True)


def note(page):
    return page.get_by_role("textbox", name="Note")


def type_note(page, text: str, rev: int) -> None:
    box = note(page)
    box.fill(text)
    box.press("Enter")
    wait_status(page, saved_rev=rev)


def stored(page) -> str | None:
    return page.evaluate("name => localStorage.getItem(name)", NAME)


def test_value_survives_reload_and_forget_clears_it(context, app_url):
    page = context.new_page()
    open_app(page, app_url)
    assert note(page).input_value() == ""
    assert stored(page) is None
    assert status(page)["error"] == "None"

    type_note(page, "first <b>bold</b> 借款", rev=1)
    assert stored(page) == "first <b>bold</b> 借款"
    type_note(page, "second", rev=2)
    assert stored(page) == "second"

    page.reload()
    wait_idle(page)
    st = wait_status(page, reported=True, loads=1)
    assert note(page).input_value() == "second"
    assert st["saved_rev"] == "None"  # a reload is a new session: nothing written in it yet

    page.get_by_role("button", name="Forget").click()
    st = wait_status(page, forgot=1)
    assert stored(page) is None, repr(st)
    assert note(page).input_value() == ""

    page.reload()
    wait_idle(page)
    wait_status(page, reported=True)
    assert note(page).input_value() == ""
    assert stored(page) is None


def test_reported_once_per_page_load_across_page_switches(context, app_url):
    page = context.new_page()
    page.goto(app_url + "/")  # set the item before the app reads it
    page.evaluate("name => localStorage.setItem(name, 'from before')", NAME)
    open_app(page, app_url)
    assert note(page).input_value() == "from before"
    for label in ("Other", "Note", "Other", "Note"):
        page.locator("[data-testid='stSidebarNav'] a", has_text=label).first.click()
        wait_idle(page)
        page.wait_for_selector(f"h1:has-text('{'My note' if label == 'Note' else 'Other'}')")
    # the browser answered once: restore() ran once, the value was not re-applied
    assert status(page)["loads"] == "1"
    assert note(page).input_value() == "from before"
    type_note(page, "edited", rev=1)
    page.locator("[data-testid='stSidebarNav'] a", has_text="Other").first.click()
    wait_idle(page)
    page.locator("[data-testid='stSidebarNav'] a", has_text="Note").first.click()
    wait_idle(page)
    assert note(page).input_value() == "edited"
    assert status(page)["loads"] == "1"
    assert stored(page) == "edited"


def test_confirmed_text_is_not_sent_again(context, app_url):
    page = context.new_page()
    frames: list[bytes] = []
    page.on("websocket", lambda ws: ws.on(
        "framereceived", lambda payload: frames.append(payload if isinstance(payload, bytes)
                                                       else payload.encode())))
    open_app(page, app_url)
    marker = "unique-marker-" + "x" * 2000
    type_note(page, marker, rev=1)
    assert stored(page) == marker
    in_data = f'"text": "{marker}"'.encode()  # the mount's data (the text box has its own copy)
    assert sum(in_data in f for f in frames) >= 1
    before = len(frames)
    for label in ("Other", "Note", "Other"):
        page.locator("[data-testid='stSidebarNav'] a", has_text=label).first.click()
        wait_idle(page)
    assert len(frames) > before  # reruns happened ...
    assert sum(in_data in f for f in frames[before:]) == 0  # ... without the text in the store's data


def test_value_survives_a_server_restart_on_the_same_origin(context):
    port = free_port()
    page = context.new_page()
    with app_server(SCRIPT, port=port) as url:
        open_app(page, url)
        type_note(page, "kept across restarts", rev=1)
    with app_server(SCRIPT, port=port) as url:
        open_app(page, url)
        assert note(page).input_value() == "kept across restarts"
        assert stored(page) == "kept across restarts"


def test_invisible_and_never_rendered_as_html(context, app_url):
    page = context.new_page()
    page.goto(app_url + "/")
    page.evaluate("name => localStorage.setItem(name, '<img src=x onerror=\"window.pwned=1\"><b id=bold>b</b>')",
                  NAME)
    open_app(page, app_url)
    assert note(page).input_value().startswith("<img")
    assert page.evaluate("window.pwned") is None
    assert page.locator("#bold").count() == 0
    holder = page.locator("[data-testid='stElementContainer']:has([data-st-browser-store])")
    assert holder.count() == 1
    assert holder.evaluate("el => getComputedStyle(el).display") == "none"
    # it holds its marker and its style, nothing made from the stored text
    assert set(holder.evaluate("el => [...el.querySelectorAll('*')].map(n => n.tagName)")) <= {"DIV", "SPAN", "STYLE"}
    assert "<img" not in holder.evaluate("el => el.textContent")
    # no gap: the title starts where the main block's content starts
    gap = page.evaluate("""() => {
        const block = document.querySelector("[data-testid='stMainBlockContainer']");
        const h1 = document.querySelector("[data-testid='stElementContainer']:has(h1)");
        const pad = parseFloat(getComputedStyle(block).paddingTop);
        return h1.getBoundingClientRect().top - (block.getBoundingClientRect().top + pad);
    }""")
    assert abs(gap) < 0.5


def test_quota_and_unavailable_storage_are_reported_not_raised(browser, app_url):
    quota = browser.new_context()
    quota.add_init_script("""Storage.prototype.setItem = function () {
        throw new DOMException("full", "QuotaExceededError"); };""")
    page = quota.new_page()
    frames: list[bytes] = []
    page.on("websocket", lambda ws: ws.on(
        "framereceived", lambda payload: frames.append(payload if isinstance(payload, bytes)
                                                       else payload.encode())))
    open_app(page, app_url)
    assert status(page)["error"] == "None"
    box = note(page)
    box.fill("too big")
    box.press("Enter")
    st = wait_status(page, error="quota")
    assert st["saved_rev"] == "None"
    assert page.locator("[data-testid='stException']").count() == 0
    before = len(frames)
    page.locator("[data-testid='stSidebarNav'] a", has_text="Other").first.click()
    wait_idle(page)
    assert not any(b'"text": "too big"' in f for f in frames[before:])  # a failed write is not retried
    assert status(page)["error"] == "quota"
    quota.close()

    off = browser.new_context()
    off.add_init_script("""Object.defineProperty(window, "localStorage", {
        get() { throw new DOMException("denied", "SecurityError"); } });""")
    page = off.new_page()
    page.goto(app_url + "/")
    wait_idle(page)
    wait_status(page, reported=True, error="unavailable")
    box = note(page)
    box.fill("nowhere")
    box.press("Enter")
    wait_status(page, error="unavailable")
    assert note(page).input_value() == "nowhere"
    assert page.locator("[data-testid='stException']").count() == 0
    off.close()


def test_store_app_under_apptest_reports_nothing():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / SCRIPT), default_timeout=30).run()
    assert not at.exception
    assert "reported=False" in at.sidebar.text[0].value
    at.text_input(key="note-0").input("typed").run()
    assert not at.exception
    assert at.session_state["rev"] == 1
    assert "reported=False saved_rev=None" in at.sidebar.text[0].value
