"""Start the app, open it in headless Chromium and save screenshots (desktop and phone, zh and en).

Usage: python scripts/screenshots.py [out_dir] [page ...]   (default out_dir: artifacts/screenshots)
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.browser.server import app_server, launch_browser, wait_idle  # noqa: E402

SIZES = {"desktop": (1400, 900), "phone": (390, 844)}
CHART_PAGES = {"breakdown", "capacity", "compare"}


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "artifacts/screenshots")
    pages = sys.argv[2:] or ["breakdown", "loans", "capacity", "compare", "guide"]
    out.mkdir(parents=True, exist_ok=True)
    with app_server() as url, launch_browser() as browser:
        for size, (w, h) in SIZES.items():
            for lang in ("zh", "en"):
                ctx = browser.new_context(viewport={"width": w, "height": h}, locale="zh-CN")
                page = ctx.new_page()
                for name in pages:
                    q = "" if lang == "zh" else "?lang=English"
                    page.goto(f"{url}/{'' if name == 'breakdown' else name}{q}")  # breakdown is "/"
                    wait_idle(page, charts=name in CHART_PAGES)
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
