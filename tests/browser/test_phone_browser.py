"""A phone in one hand, in headless Chromium at 390 × 844: hostile lender names loaded (markup, a
301-character name, a long Latin word, right-to-left text, emoji), the language switched in the
sidebar, every page reached by its own next-step link — and on each, nothing wider than the screen
and no table or grid that needs a sideways swipe (the wide tables have their cards)."""

from __future__ import annotations

import pytest

from lib.i18n import t
from pages._shared import LANG_LABELS
from tests.browser.server import IDLE, app_server, launch_browser, wait_idle
from tests.browser.walk import HOSTILE, loan_csv, upload

pytestmark = pytest.mark.browser

WIDTH = 390
NAMES = [*HOSTILE, "Quasilonglatinlendernamewithoutanyspace" * 2]
JOURNEY = 7  # the pages the next-step links lead through: loans → breakdown → … → guide → loans

# the page's width, and every visible table or grid with a box scrolled sideways inside it
LAYOUT = """() => {
  const shown = e => e.getClientRects().length > 0;
  const main = document.querySelector("[data-testid='stMain']");
  const swiped = [];
  document.querySelectorAll("[data-testid='stTable'], [data-testid='stDataFrame']").forEach(e => {
    if (!shown(e)) return;
    [e, ...e.querySelectorAll('*')].forEach(x => {
      if (x.scrollWidth > x.clientWidth + 1 && ['auto', 'scroll'].includes(getComputedStyle(x).overflowX))
        swiped.push(e.dataset.testid + ' ' + x.scrollWidth + '>' + x.clientWidth + ': ' + e.innerText.slice(0, 40));
    });
  });
  return {page: document.documentElement.scrollWidth, main: main.scrollWidth, mainClient: main.clientWidth,
          swiped};
}"""


SLID_IN = """() => { const s = document.querySelector("[data-testid='stSidebar']");
  return s !== null && s.getBoundingClientRect().left >= 0 && s.getAnimations().length === 0; }"""


def switch_language(page, label: str) -> None:
    """Open the sidebar (collapsed on a phone), press the language, close it again."""
    page.locator("[data-testid='stExpandSidebarButton']").click()
    page.wait_for_function(SLID_IN, timeout=10_000)  # (it slides in from the left)
    button = page.locator("[data-testid='stSidebar'] button", has_text=label).first
    button.wait_for(state="visible")
    box = button.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= WIDTH, box  # within reach, not off the screen
    button.click()
    page.wait_for_selector(IDLE)
    wait_idle(page)
    page.locator("[data-testid='stSidebar'] [data-testid='stSidebarCollapseButton'] button").click()
    page.wait_for_timeout(500)


def next_link(page):
    """The next-step link at the end of the page."""
    link = page.locator("[data-testid='stMain'] [data-testid='stPageLink'] a").last
    link.scroll_into_view_if_needed()
    return link


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_page_fits_a_phone_and_leads_on_to_the_next(tmp_path, lang):
    csv = tmp_path / "平台.csv"
    csv.write_bytes(loan_csv(NAMES))
    with app_server() as url, launch_browser() as browser:
        ctx = browser.new_context(viewport={"width": WIDTH, "height": 844}, locale="zh-CN", has_touch=True)
        page = ctx.new_page()
        upload(page, url, csv)
        if lang != "zh":
            switch_language(page, LANG_LABELS[lang])
        assert t("loans.title", lang) in page.inner_text("[data-testid='stMain']")  # in that language
        seen = []
        for _ in range(JOURNEY):
            path = page.url.split("?")[0].removeprefix(url) or "/"
            got = page.evaluate(LAYOUT)
            assert got["page"] <= WIDTH, (path, got)  # the page itself never scrolls sideways
            assert got["main"] <= got["mainClient"] + 1, (path, got)
            assert not got["swiped"], (path, got["swiped"])
            link = next_link(page)
            box = link.bounding_box()
            assert link.is_visible() and box and box["x"] + box["width"] <= WIDTH, (path, box)
            seen.append(path)
            before = page.url
            link.click()
            page.wait_for_function("u => location.href !== u", arg=before, timeout=30_000)  # (a route, no load)
            page.wait_for_selector(IDLE)
            wait_idle(page)
        assert len(set(seen)) == JOURNEY, seen
        assert page.url.split("?")[0].removeprefix(url) == "/loans"  # the guide leads back to the start
        ctx.close()
