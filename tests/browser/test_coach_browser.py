"""A coach's day in the real app, in headless Chromium, with the workspace on a SQLite file:
a browser reaching the app through a reverse proxy (HAProxy, deploy/haproxy.cfg) sees nothing but
the sign-in; the coach signs in,
opens a client, records a payment and a late call, sees the status, saves, and the database holds it."""

from __future__ import annotations

import datetime as dt

import pytest

from lib.ingest import read_loans
from lib.scenario import Scenario, source_of
from lib.tracker import Agreement, Instalment
from lib.workspace import Workspace
from lib.workspace.auth import hash_passphrase
from tests.browser.balancer import balancer
from tests.browser.server import app_server, click, launch_browser, wait_idle, wait_text

pytestmark = pytest.mark.browser

# markers distinct from the sample
CSV = "借款机构,待还本金,年化利率,剩余期数\n晨光小额贷款,6600,18%,12\n山岚消费金融,3300,日息万五,6\n".encode("gbk")
CLIENT, COACH, PASSPHRASE = "测试客户·欧阳某", "coach-wu", "a long passphrase 七八九"


def client_scenario(today: dt.date) -> Scenario:
    book = read_loans(CSV, "client.csv")
    due = today - dt.timedelta(days=5)
    agreement = Agreement(loan_id="L1", option="instalments", asked="instalments", lender="晨光小额贷款",
                          agreed_on=due - dt.timedelta(days=25),
                          instalments=(Instalment(due=due, amount=800.0),
                                       Instalment(due=due + dt.timedelta(days=30), amount=800.0)))
    return (Scenario().with_loans(book.loans, source_of(book, "file")).with_capacity(income=9000.0, essentials=4000.0)
            .evolve(agreements=(agreement,)))


@pytest.fixture()
def workspace(tmp_path):
    db = tmp_path / "coach.sqlite3"
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(f'[workspace]\nenabled = true\npath = "{db}"\n\n'
                       f'[workspace.coaches]\n"{COACH}" = "{hash_passphrase(PASSPHRASE)}"\n', encoding="utf-8")
    ws = Workspace.open(f"sqlite:///{db}")
    client = ws.add_client(COACH, CLIENT, "third visit")
    ws.save(COACH, client.id, client_scenario(dt.date.today()), name="after the first agreement")
    yield ws, secrets
    ws.close()


def test_a_coachs_day(workspace, tmp_path):
    ws, secrets = workspace
    with (app_server(args=[f"--secrets.files={secrets}"]) as app,
          balancer(app.removeprefix("http://"), app.removeprefix("http://"), tmp_path / "haproxy.log") as url,
          launch_browser() as browser):
        # through a reverse proxy (X-Forwarded-For on every request, the websocket's too), as from
        # another computer: nothing but the sign-in, on every path
        ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-US")
        page = ctx.new_page()
        for path in ("/", "/clients", "/track"):
            page.goto(url + path)
            wait_idle(page)
            wait_text(page, "Please sign in")
            html = page.content()
            assert CLIENT not in html and "晨光小额贷款" not in html and "third visit" not in html
            assert not page.locator("[data-testid='stDataFrame']").count()  # (tables draw on a canvas)
        assert not page.locator("[data-testid='stSidebarNav']").count()  # no pages to go to
        page.goto(url)
        wait_idle(page)

        page.get_by_label("Coach name").fill(COACH)
        page.get_by_label("Passphrase").fill("not the passphrase")
        click(page, "Sign in")
        wait_text(page, "wrong")
        page.get_by_label("Passphrase").fill(PASSPHRASE)
        click(page, "Sign in")
        wait_text(page, f"signed in as {COACH}")
        assert page.get_by_role("combobox", name="Client").input_value() == CLIENT
        page.screenshot(path=str(tmp_path / "clients.png"))

        click(page, "Open")
        wait_text(page, "Opened")
        page.locator("[data-testid='stSidebarNav'] a", has_text="Keep the plan").first.click()
        wait_idle(page)
        wait_text(page, "5 days late")  # the instalment of 800 due five days ago: nothing paid
        page.get_by_label("Amount (CNY)").first.fill("800")
        click(page, "Record this payment")
        wait_text(page, "On track")

        page.get_by_role("tab", name="Contact log").click()
        hour = page.get_by_label("Time").first.locator("[role=spinbutton]").first  # hour and minute segments
        hour.click()
        page.keyboard.type("2315")
        page.get_by_label("Agent's staff number or name").first.fill("CS-4471")
        click(page, "Record this contact")
        wait_text(page, "GB/T 45251")  # flagged: a call in the quiet hours, with the rule's source
        page.screenshot(path=str(tmp_path / "track.png"), full_page=True)

        click(page, "Save to the client")
        wait_text(page, "Saved (version 2)")
        ctx.close()

    (client,) = ws.clients(COACH)
    (row,) = ws.scenarios(COACH, client.id)
    saved = ws.load(COACH, row.id).scenario
    assert row.version == 2
    assert [(p.loan_id, p.amount) for p in saved.payments] == [("L1", 800.0)]
    assert [(c.who, c.when.time()) for c in saved.contacts] == [("CS-4471", dt.time(23, 15))]
