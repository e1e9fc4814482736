"""Progress of long work: a live line (count, rate, ETA) on a terminal, plain log lines otherwise."""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TextIO

log = logging.getLogger("extractors.progress")


def _duration(seconds: float) -> str:
    seconds = max(0, int(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}h{minutes:02d}m" if hours else f"{minutes}m{secs:02d}s" if minutes else f"{secs}s"


@dataclass
class Progress:
    """Counts keys done out of ``total``; ``advance`` after each landed batch."""

    label: str
    total: int
    stream: TextIO = field(default_factory=lambda: sys.stderr)
    interval: float = 10.0
    clock: Callable[[], float] = time.monotonic
    done: int = 0
    _start: float = 0.0
    _last: float = 0.0
    _tty: bool = False

    def __post_init__(self) -> None:
        self._start = self._last = self.clock()
        self._tty = bool(getattr(self.stream, "isatty", lambda: False)())

    def line(self) -> str:
        elapsed = self.clock() - self._start
        rate = self.done / elapsed if elapsed > 0 else 0.0
        left = self.total - self.done
        eta = _duration(left / rate) if rate > 0 and left > 0 else "-"
        percent = 100.0 * self.done / self.total if self.total else 100.0
        return f"{self.label}: {self.done}/{self.total} ({percent:.0f}%) {rate:.1f}/s ETA {eta}"

    def advance(self, n: int = 1) -> None:
        self.done += n
        now = self.clock()
        if self._tty:
            self.stream.write("\r\x1b[K" + self.line())
            self.stream.flush()
        elif now - self._last >= self.interval or self.done >= self.total:
            log.info(self.line())
            self._last = now

    def finish(self) -> None:
        if self._tty:
            self.stream.write("\r\x1b[K" + self.line() + "\n")
            self.stream.flush()
