"""Land raw API answers as parquet: one row per requested key, one file per batch, atomically.

``data/raw/<source>/<endpoint>/<run-id>-<n>.parquet`` with columns key, status, fetched_at, body (JSON,
as the API gave it). Files are written under a temporary name and renamed, so a reader never sees half a
file, and a crash loses at most the batch in flight.

``atomic_write`` is the project's one way of writing a file that others read (landed batches, the history's
files, state files, the build stamp): docs/contracts.md, "The data folder".
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

TMP_SUFFIX = ".tmp"

_ARROW_SCHEMA = pa.schema(
    [
        ("key", pa.string()),
        ("status", pa.int16()),
        ("fetched_at", pa.timestamp("us", tz="UTC")),
        ("body", pa.string()),
    ]
)


@dataclass(frozen=True)
class Record:
    """One requested key and its answer: ``body`` is the API's JSON for that key (None when it gave none)."""

    key: str
    status: int
    body: Any = None

    @property
    def found(self) -> bool:
        return self.status == 200


def new_run_id(now: datetime | None = None) -> str:
    """Sortable and unique: ``20261124T091500Z-3fa9c1``."""
    return f"{(now or datetime.now(UTC)):%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"


def endpoint_dir(raw_dir: Path, source: str, endpoint: str) -> Path:
    return raw_dir / source / endpoint


def remove_stale_temp_files(*folders: Path) -> int:
    """Delete half-written files a killed run left behind (call only while holding the run lock)."""
    removed = 0
    for folder in folders:
        if folder.is_dir():
            for path in folder.rglob(f"*{TMP_SUFFIX}"):
                path.unlink(missing_ok=True)
                removed += 1
    return removed


class Lander:
    """Writes the batches of one run for one endpoint."""

    def __init__(self, raw_dir: Path, source: str, endpoint: str, run_id: str) -> None:
        self.directory = endpoint_dir(raw_dir, source, endpoint)
        self.run_id = run_id
        self.files_written = 0
        self.rows_written = 0
        # a run may land one endpoint in several steps (area levels): number on after its earlier files
        earlier = [p.stem.rsplit("-", 1)[-1] for p in self.directory.glob(f"{run_id}-*.parquet")]
        self._next = max((int(n) for n in earlier if n.isdigit()), default=-1) + 1
        self._con: duckdb.DuckDBPyConnection | None = None  # one per lander: opening one costs ~20 ms

    def close(self) -> None:
        if self._con is not None:
            self._con.close()
            self._con = None

    def write(self, records: Iterable[Record], fetched_at: datetime | None = None) -> Path | None:
        """Land one batch; returns the file, or None for an empty batch."""
        rows = list(records)
        if not rows:
            return None
        when = fetched_at or datetime.now(UTC)
        table = pa.Table.from_pydict(
            {
                "key": [r.key for r in rows],
                "status": [r.status for r in rows],
                "fetched_at": [when] * len(rows),
                "body": [None if r.body is None else json.dumps(r.body, ensure_ascii=False) for r in rows],
            },
            schema=_ARROW_SCHEMA,
        )
        self.directory.mkdir(parents=True, exist_ok=True)
        final = self.directory / f"{self.run_id}-{self._next:05d}.parquet"
        if final.exists():  # never replace landed data
            raise FileExistsError(f"{final} exists already; not overwriting landed data")
        if self._con is None:
            self._con = duckdb.connect(":memory:")
        con = self._con

        def copy_batch(tmp: Path) -> None:
            con.execute(
                "copy (select key, status, fetched_at, body::json as body from batch) "
                "to ? (format parquet, compression zstd)",
                [str(tmp)],
            )

        con.register("batch", table)
        try:
            atomic_write(final, copy_batch)
        finally:
            con.unregister("batch")
        self.files_written += 1
        self._next += 1
        self.rows_written += len(rows)
        return final


def atomic_write(path: Path, content: str | bytes | Callable[[Path], object], *, mode: int = 0o666) -> None:
    """Create or replace ``path`` so that a reader, or a crash at any moment, sees the old file or the whole
    new one, never part of it, and the new one survives a power cut once this returns.

    The content goes to ``<name>.tmp`` in the same folder (a rename is atomic only within one file system):
    ``content`` itself (text as UTF-8, or bytes) into a file created with ``mode`` (before the umask; 0o600
    for a secret, so it is never readable by others, not even for a moment), or, given a callable, whatever
    it writes to the temporary path it is passed (DuckDB's ``COPY … TO``). Then the file is flushed and
    fsynced, renamed over ``path`` and the folder fsynced, so the rename itself is on disk. A failure removes
    the temporary file; one a killed process left is removed by ``remove_stale_temp_files``.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + TMP_SUFFIX)
    tmp.unlink(missing_ok=True)
    try:
        if callable(content):
            content(tmp)
            fd = os.open(tmp, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        else:
            data = content.encode("utf-8") if isinstance(content, str) else content
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


def write_json(path: Path, payload: dict[str, Any], mode: int = 0o666) -> None:
    """A small state file (a cursor, a token) as indented JSON, with ``atomic_write``."""
    atomic_write(path, json.dumps(payload, indent=1) + "\n", mode=mode)


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
