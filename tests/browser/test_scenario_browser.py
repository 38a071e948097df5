"""The user's work in the real app, in headless Chromium: upload a file, set the income, reload →
the same loans and income; restart the server → still there (a first visit straight to a page);
"forget" → the sample again, with its banner, and nothing left in the browser's storage."""

from __future__ import annotations

import pytest

from pages._storage import NAME
from tests.browser.server import IDLE, app_server, free_port, launch_browser, wait_idle

pytestmark = pytest.mark.browser

# markers distinct from the sample: lenders and figures in no data file
CSV = "借款机构,待还本金,年化利率,剩余期数\n晨曦小贷,7777,18%,10\n白桦分期,2345,日息万五,6\n".encode("gbk")
OWED = f"¥{7777 + 2345:,}"
SAMPLE_BANNER = "示例借款人"


@pytest.fixture()
def page():
    with launch_browser() as browser:
        ctx = browser.new_context(viewport={"width": 1300, "height": 900}, locale="zh-CN")
        yield ctx.new_page()
        ctx.close()


def nav(page, label: str) -> None:
    page.locator("[data-testid='stSidebarNav'] a", has_text=label).first.click()
    page.wait_for_selector(IDLE)
    wait_idle(page)


def income(page):
    return page.get_by_role("spinbutton", name="税后月收入")


def wait_text(page, text: str, timeout: float = 30_000) -> None:
    page.wait_for_function("t => document.body.innerText.includes(t)", arg=text, timeout=timeout)


def stored(page) -> str | None:
    return page.evaluate("name => localStorage.getItem(name)", NAME)


def test_work_survives_a_reload_and_a_restart_and_forget_brings_back_the_sample(page, tmp_path):
    port = free_port()
    f = tmp_path / "我的借款.csv"
    f.write_bytes(CSV)
    with app_server(port=port) as url:
        page.goto(url + "/loans")
        wait_idle(page)
        assert SAMPLE_BANNER in page.inner_text("body")
        page.locator("[data-testid='stFileUploader'] input[type=file]").first.set_input_files(str(f))
        wait_text(page, "已从")
        wait_idle(page)
        assert SAMPLE_BANNER not in page.inner_text("body")
        assert "设定每月能还多少" in page.inner_text("body")  # the next step, offered after the upload
        nav(page, "每月能还多少")
        box = income(page)
        box.fill("17300")
        box.press("Enter")
        wait_text(page, f"¥{17300 - 5500:,}")  # for debts each month: income less the essentials
        wait_idle(page)

        page.reload()
        wait_idle(page)
        page.wait_for_function("() => { const e = document.querySelector('input[aria-label=\"税后月收入\"]');"
                               " return e && e.value === '17300'; }", timeout=30_000)
        wait_idle(page)
        assert SAMPLE_BANNER not in page.inner_text("body")
        nav(page, "债务全貌")
        wait_text(page, OWED)
        assert "晨曦小贷" in page.inner_text("body")

    with app_server(port=port) as url:  # a restarted server, the same browser: the first visit goes to a page
        page.goto(url + "/capacity")
        wait_idle(page)
        page.wait_for_function("() => { const e = document.querySelector('input[aria-label=\"税后月收入\"]');"
                               " return e && e.value === '17300'; }", timeout=30_000)
        assert page.locator("[data-testid='stSidebar'] button", has_text="English").count() == 1  # app.py ran
        assert '"income":17300.0' in stored(page)

        page.locator("[data-testid='stSidebar'] summary", has_text="保存、分享与隐私").click()
        forget = page.locator("[data-testid='stSidebar']").get_by_role("button", name="删除本设备上保存的数据").first
        forget.wait_for(state="visible")  # (the expander opens first: a click during it can be lost on a busy machine)
        wait_idle(page)
        forget.click()
        wait_text(page, SAMPLE_BANNER, timeout=60_000)
        wait_idle(page)
        page.wait_for_function("name => localStorage.getItem(name) === null", arg=NAME, timeout=15_000)
        assert income(page).input_value() == "12000"
        page.reload()
        wait_idle(page)
        wait_text(page, SAMPLE_BANNER)
        page.wait_for_timeout(1500)  # (time for a report that would restore anything)
        wait_idle(page)
        assert income(page).input_value() == "12000"
        assert stored(page) is None


def test_a_browser_that_refuses_to_store_is_told_in_the_sidebar_and_the_work_goes_on(tmp_path):
    """setItem throws (Safari's private mode, a full quota): the write's report reruns the store's
    fragment, which reruns the page once to say so in the sidebar; the change itself stands."""
    with app_server() as url, launch_browser() as browser:
        ctx = browser.new_context(viewport={"width": 1300, "height": 900}, locale="zh-CN")
        ctx.add_init_script("""Storage.prototype.setItem = function () {
            throw new DOMException("full", "QuotaExceededError"); };""")
        page = ctx.new_page()
        page.goto(url + "/capacity")
        wait_idle(page)
        sidebar = page.locator("[data-testid='stSidebar']")
        assert "浏览器不允许保存数据" not in sidebar.inner_text()  # nothing written yet: nothing refused
        box = income(page)
        box.fill("14100")
        box.press("Enter")
        wait_text(page, f"¥{14100 - 5500:,}")
        page.wait_for_function("() => document.querySelector(\"[data-testid='stSidebar']\").innerText"
                               ".includes('浏览器不允许保存数据')", timeout=30_000)
        wait_idle(page)
        assert income(page).input_value() == "14100"
        assert stored(page) is None
        ctx.close()
