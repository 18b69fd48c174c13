"""Screenshots of the example round's web page, taken in Debian's chromium, for the README.

Run from the repository root after ``crg report`` has written the page (the README does)::

    .venv/bin/python docs/screenshot.py

It writes ``docs/recommendation-2026-27-example.png`` (the top of the page) and
``docs/recommendation-2026-27-example-budgets.png`` (the charts and the budget
slider, moved to £20,000).
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "recommendation-2026-27-example.html"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
LAUNCH = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
          "--disable-component-update", "--disable-sync", "--no-first-run"]


def main() -> int:
    from playwright.sync_api import sync_playwright

    if not PAGE.exists():
        print(f"{PAGE} is missing: run cog -r README.md first", file=sys.stderr)
        return 1
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH, headless=True)
        page = browser.new_page(viewport={"width": 1000, "height": 1250}, device_scale_factor=1)
        page.goto(PAGE.as_uri())
        page.screenshot(path=str(ROOT / "docs" / "recommendation-2026-27-example.png"))
        page.fill("#budget-amount", "20000")
        page.press("#budget-amount", "Enter")
        page.locator("#budget-tool").screenshot(path=str(ROOT / "docs" / "recommendation-2026-27-example-budgets.png"))
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
