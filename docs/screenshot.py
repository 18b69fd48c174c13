"""Screenshots of the example round's web page, taken in Debian's chromium, for the README.

Run from the repository root::

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
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
PAGE = ROOT / "docs" / "recommendation-2026-27-example.html"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
LAUNCH = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
          "--disable-component-update", "--disable-sync", "--no-first-run"]


def main() -> int:
    from playwright.sync_api import sync_playwright

    import os

    from click.testing import CliRunner

    from engine.cli import cli

    os.chdir(ROOT)  # the page names its files as given, relative to the repository

    made = CliRunner().invoke(cli, ["report", "rules/kcsp-2026-27.yaml", "proposals/2026-27-example",
                                    "--scenario", "scenarios/2026-27-example/cut-to-20000.yaml",
                                    "--scenario", "scenarios/2026-27-example/late-proposal-accepted.yaml",
                                    "-o", str(PAGE)])
    if made.exit_code:
        print(made.output, file=sys.stderr)
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
