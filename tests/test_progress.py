"""Progress: a live line on a terminal, plain log lines elsewhere."""

from __future__ import annotations

import io
import logging

import pytest

from extractors.progress import Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_terminal_gets_a_live_line_with_count_rate_and_eta():
    now = [0.0]
    out = Terminal()
    progress = Progress("spotify artists", 200, stream=out, clock=lambda: now[0])
    now[0] = 10.0
    progress.advance(50)
    assert out.getvalue().endswith("spotify artists: 50/200 (25%) 5.0/s ETA 30s")
    progress.finish()
    assert out.getvalue().endswith("\n")


def test_without_a_terminal_it_logs_every_interval_and_at_the_end(caplog: pytest.LogCaptureFixture):
    now = [0.0]
    progress = Progress("spotify albums", 3000, stream=io.StringIO(), interval=10, clock=lambda: now[0])
    with caplog.at_level(logging.INFO, logger="extractors.progress"):
        for _ in range(30):
            now[0] += 1
            progress.advance(100)
    lines = [r.getMessage() for r in caplog.records]
    assert lines == [
        "spotify albums: 1000/3000 (33%) 100.0/s ETA 20s",
        "spotify albums: 2000/3000 (67%) 100.0/s ETA 10s",
        "spotify albums: 3000/3000 (100%) 100.0/s ETA -",
    ]
