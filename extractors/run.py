"""What every source shares: run options, the per-run context and result, the lock on the data directory."""

from __future__ import annotations

import fcntl
import logging
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from extractors.errors import ForbiddenError, HttpError, LockedError, RateLimitedError
from extractors.landing import Lander, Record
from extractors.progress import Progress

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True)
class RunOptions:
    limit: int | None = None
    skip_on_error: bool = False
    retry_not_found: bool = False


@dataclass
class EndpointResult:
    found: int = 0
    not_found: int = 0
    failed: int = 0


@dataclass
class SourceResult:
    source: str
    requests: int = 0
    endpoints: dict[str, EndpointResult] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def endpoint(self, name: str) -> EndpointResult:
        return self.endpoints.setdefault(name, EndpointResult())

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        parts = [
            f"{name}: {r.found} found, {r.not_found} not found" + (f", {r.failed} failed" if r.failed else "")
            for name, r in self.endpoints.items()
        ]
        landed = "; ".join(parts) if parts else "nothing missing"
        notes = "".join(f"; {note}" for note in self.notes)
        return f"{self.source}: {landed}; {self.requests} requests{notes}"


def land(lander: Lander, records: list[Record], result: SourceResult, endpoint: str) -> None:
    """Write one batch and count it."""
    lander.write(records)
    tally = result.endpoint(endpoint)
    tally.found += sum(r.found for r in records)
    tally.not_found += sum(not r.found for r in records)


def extract_in_batches(
    label: str,
    keys: list[str],
    size: int,
    fetch_chunk: Callable[[list[str]], object],
    result: SourceResult,
    endpoint: str,
    options: RunOptions,
) -> None:
    """Call ``fetch_chunk`` (which fetches and lands) for every ``size`` keys, with progress.

    A batch that fails after its retries stops the source, or with ``--skip-on-error`` is counted and
    skipped (its keys stay missing, so the next run asks again). Rate limits and 403s always stop.
    """
    progress = Progress(label, len(keys))
    try:
        for ids in chunks(keys, size):
            try:
                fetch_chunk(ids)
            except (RateLimitedError, ForbiddenError):
                raise
            except HttpError as exc:
                if not options.skip_on_error:
                    raise
                result.endpoint(endpoint).failed += len(ids)
                result.errors.append(str(exc))
                log.error("%s (batch skipped: --skip-on-error)", exc)
            progress.advance(len(ids))
    finally:
        progress.finish()


def chunks(items: list[T], size: int) -> Iterator[list[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@contextmanager
def data_lock(data_dir: Path) -> Iterator[None]:
    """Hold an exclusive lock on the data directory for one run; a second run fails fast and clearly."""
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / ".extractors.lock"
    with open(path, "a+") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            holder = fh.read().strip() or "another process"
            raise LockedError(
                f"{data_dir}: another extraction is in progress (pid {holder}); wait for it to finish"
            ) from None
        fh.seek(0)
        fh.truncate()
        fh.write(str(os.getpid()))
        fh.flush()
        try:
            yield
        finally:
            fh.seek(0)
            fh.truncate()
            fcntl.flock(fh, fcntl.LOCK_UN)
