"""Start the app, open it in headless Chromium and save screenshots (desktop and phone, zh and en).

Usage: python scripts/screenshots.py [out_dir] [page ...]   (default out_dir: artifacts/screenshots)
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.browser.server import app_server, launch_browser, wait_idle  # noqa: E402

SIZES = {"desktop": (1400, 900), "phone": (390, 844)}


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "artifacts/screenshots")
    pages = sys.argv[2:] or ["breakdown", "loans"]
    out.mkdir(parents=True, exist_ok=True)
    with app_server() as url, launch_browser() as browser:
        for size, (w, h) in SIZES.items():
            for lang in ("zh", "en"):
                ctx = browser.new_context(viewport={"width": w, "height": h}, locale="zh-CN")
                page = ctx.new_page()
                for name in pages:
                    q = "" if lang == "zh" else "?lang=English"
                    page.goto(f"{url}/{name}{q}")
                    wait_idle(page, charts=name not in ("loans",))
                    path = out / f"{name}_{lang}_{size}.png"
                    page.screenshot(path=str(path), full_page=True)
                    print(path)
                ctx.close()


if __name__ == "__main__":
    main()
