"""The README's picture of the report: the top of a report page, as headless Chromium draws it.

    uv run python -m scripts.report.screenshot data/demo/exports/report.html docs/report.png

Needs Playwright (a dev dependency) and a Chromium on the machine (/usr/bin/chromium, or $CHROMIUM); nothing
is downloaded and the page is opened offline.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

WIDTH, HEIGHT = 1200, 1500
# flags that keep Chromium from reaching out on its own (updates, sync, field trials) and let it run as root; the
# report's tests (tests/browser.py) launch it the same way
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
NO_CHROMIUM = "no Chromium on this machine: install it (Debian: apt-get install chromium) or set CHROMIUM"


def find_chromium() -> str | None:
    """The machine's Chromium: $CHROMIUM, else chromium (or chromium-browser) on PATH."""
    return os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        sys.exit("usage: python -m scripts.report.screenshot REPORT.html OUT.png")
    page_path, out = Path(args[0]), Path(args[1])
    chromium = os.environ.get("CHROMIUM") or shutil.which("chromium")
    if chromium is None:
        sys.exit(
            "screenshot: no Chromium on this machine: install it (Debian: apt-get install chromium) or set CHROMIUM"
        )
    from playwright.sync_api import sync_playwright  # a dev dependency

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            page = browser.new_context(offline=True, viewport={"width": WIDTH, "height": HEIGHT}).new_page()
            page.goto(page_path.resolve().as_uri())
            page.evaluate("window.rwsReady.then(() => true)")
            page.screenshot(path=str(out), clip={"x": 0, "y": 0, "width": WIDTH, "height": HEIGHT})
        finally:
            browser.close()
    print(out)


if __name__ == "__main__":
    main()
