"""A real Chromium for the report's tests: the machine's own (/usr/bin/chromium, or $CHROMIUM), driven by
Playwright, offline, with every request the page makes recorded.

No browser is downloaded. Without a Chromium the browser tests skip, saying how to install one, and
conftest.py turns that skip into a failure: `make test` never passes with the report untested.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Dialog, Page, sync_playwright

from scripts.report.screenshot import CHROMIUM_ARGS, NO_CHROMIUM, find_chromium

# every data mark of a chart with its datum (what the mark was drawn from), read off Vega's scenegraph; axes,
# legends and titles are not data marks; shapes lose their geometry (large, and not what the tests compare)
MARKS_JS = """
(name) => {
  const out = [];
  const walk = (mark) => {
    if (mark.marktype !== 'group' && mark.role === 'mark') {
      for (const item of mark.items || []) {
        const datum = JSON.parse(JSON.stringify(item.datum || {}, (k, v) => k === 'geometry' ? undefined : v));
        out.push({type: mark.marktype, datum: datum});
      }
    }
    for (const item of mark.items || []) for (const child of item.items || []) walk(child);
  };
  walk(window.rwsViews[name].scenegraph().root);
  return out;
}
"""


def require_chromium() -> str:
    path = find_chromium()
    if path is None:
        pytest.skip(NO_CHROMIUM)
    return path


@dataclass
class Opened:
    """A report open in the browser, with what the page said and asked for."""

    page: Page
    console_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def marks(self, chart: str) -> list[dict]:
        return self.page.evaluate(MARKS_JS, chart)

    def data(self, chart: str, mark_type: str | None = None) -> list[dict]:
        return [m["datum"] for m in self.marks(chart) if mark_type is None or m["type"] == mark_type]

    def settle(self, chart: str) -> None:
        """Wait until the chart's view has run after an input changed."""
        self.page.evaluate("(name) => window.rwsViews[name].runAsync().then(() => true)", chart)

    def choose(self, chart: str, label: str, value: str) -> None:
        """Pick value in the chart's selector named label (a drop-down or radio buttons) and wait for the redraw."""
        bind = self.page.locator(f'div.chart[data-chart="{chart}"] .vega-bind').filter(has_text=label)
        if bind.locator("select").count():
            bind.locator("select").select_option(value)
        else:
            bind.locator(f'input[type="radio"][value="{value}"]').check()
        self.settle(chart)


@contextmanager
def launched() -> Iterator[Browser]:
    path = require_chromium()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def opened(browser: Browser, html: Path) -> Iterator[Opened]:
    """html opened from disk, as a double-click opens it, with the network switched off."""
    context = browser.new_context(offline=True, viewport={"width": 1200, "height": 900})
    page = context.new_page()
    seen = Opened(page)
    page.on("console", lambda msg: seen.console_errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda error: seen.console_errors.append(str(error)))
    page.on("request", lambda request: seen.requests.append(request.url))

    def dismiss(dialog: Dialog) -> None:
        seen.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    try:
        page.goto(html.resolve().as_uri())
        page.evaluate("window.rwsReady.then(() => true)")
        yield seen
    finally:
        context.close()
