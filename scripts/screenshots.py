"""Start the app, open it in headless Chromium and save screenshots (desktop and phone, zh and en).

Usage: python scripts/screenshots.py [out_dir] [page ...]   (default out_dir: artifacts/screenshots)
With "clients" among the pages the server runs with the coach workspace on, over a temporary
database of three invented clients. "loans_shots" is the import page checking two screenshots of
lenders' apps (tests/ocr_pages: a loan's details and a list of three loans, invented lenders).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser.server import app_server, launch_browser, wait_idle  # noqa: E402

SIZES = {"desktop": (1400, 900), "phone": (390, 844)}
CHART_PAGES = {"breakdown", "capacity", "compare"}


def demo_workspace(folder: Path) -> dict[str, str]:
    """A workspace with three invented clients (one with an agreement and a refusal recorded), and the
    environment that turns it on for the server."""
    import datetime as dt

    from lib.ingest import read_loans
    from lib.scenario import Scenario, source_of
    from lib.tracker import Agreement, Instalment, Refusal
    from lib.workspace import Workspace

    db = folder / "workspace.sqlite3"
    ws = Workspace.open(f"sqlite:///{db}")
    book = read_loans(ROOT / "data" / "sample_loans.csv")
    base = Scenario().with_loans(book.loans, source_of(book, "file"))
    day = dt.date.today() - dt.timedelta(days=40)
    agreed = Agreement(loan_id="L1", option="waiver+instalments", asked="waiver+instalments", lender="借呗",
                       agreed_on=day, instalments=tuple(Instalment(due=day + dt.timedelta(days=30 * k + 20),
                                                                   amount=1200) for k in range(12)))
    refused = Refusal(loan_id="L2", lender="微粒贷", asked="settlement", on=day)
    for name, note, s in (("陈女士", "第三次面谈，借呗已同意分期", base.evolve(agreements=(agreed,), refusals=(refused,))),
                          ("Mr. Zhou", "first visit, 8 loans", base),
                          ("刘先生", "待补充信用卡账单", base.with_capacity(income=6800.0))):
        c = ws.add_client("local", name, note)
        ws.save("local", c.id, s, name=f"{dt.date.today():%Y-%m-%d}")
    ws.close()
    return {"LOAN_PLANNER_WORKSPACE": "1", "LOAN_PLANNER_DB_PATH": str(db)}


def lender_pictures(browser, folder: Path) -> list[str]:
    """tests/ocr_pages' detail and list pages drawn at a phone's size, as files to upload."""
    from tests.test_ocr import draw

    out = []
    for name in ("detail", "list"):
        path = folder / f"{name}.png"
        path.write_bytes(draw(browser, name))
        out.append(str(path))
    return out


def show_screenshots(page, pictures: list[str]) -> None:
    """Upload the pictures to the import page's screenshot reader and wait for the check."""
    page.locator("[data-testid='stFileUploader'] input[type=file]").nth(1).set_input_files(pictures)
    page.wait_for_selector("[data-testid='stImage'] img", timeout=90_000)
    wait_idle(page, timeout=90_000)


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "artifacts/screenshots")
    pages = sys.argv[2:] or ["breakdown", "loans", "capacity", "compare", "guide"]
    out.mkdir(parents=True, exist_ok=True)
    env = demo_workspace(Path(tempfile.mkdtemp())) if "clients" in pages else None
    home = "breakdown" if env is None else "clients"
    with app_server(env=env) as url, launch_browser() as browser:
        pictures = lender_pictures(browser, Path(tempfile.mkdtemp())) if "loans_shots" in pages else []
        for size, (w, h) in SIZES.items():
            for lang in ("zh", "en"):
                ctx = browser.new_context(viewport={"width": w, "height": h}, locale="zh-CN")
                page = ctx.new_page()
                for name in pages:
                    q = "" if lang == "zh" else "?lang=English"
                    path = "" if name == home else name  # the default page is "/" (its own path is not served)
                    page.goto(f"{url}/{'loans' if name == 'loans_shots' else path}{q}")
                    wait_idle(page, charts=name in CHART_PAGES)
                    if name == "loans_shots":
                        show_screenshots(page, pictures)
                    path = out / f"{name}_{lang}_{size}.png"
                    # Streamlit scrolls inside its main container: grow the viewport to fit it
                    full = page.evaluate(
                        "document.querySelector(\"[data-testid='stMain']\").scrollHeight")
                    page.set_viewport_size({"width": w, "height": max(h, int(full))})
                    page.wait_for_timeout(800)
                    page.screenshot(path=str(path))
                    page.set_viewport_size({"width": w, "height": h})
                    print(path)
                ctx.close()


if __name__ == "__main__":
    main()
