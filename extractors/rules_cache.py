"""The rules' tables kept between runs, so a run computes only the rules whose inputs changed since the last one.

A rule (a dbt model of ``rules.MODELS``) is a function of the files it reads, directly or through the rules it
refs: the landed answers of some endpoints, the history (as ``int_history__references``), the gazetteer. Its
table is kept in ``<DATA_DIR>/cache/rules/<model>-<digest>.parquet``, the digest naming the version of the
rules (every model, macro and seed file) and the identity of every input file (landed files are append-only and
named by run: their names and sizes; history and gazetteer files: name, size, modification time, inode). The
same inputs give the same table, so a run that finds the digest reads the table instead of computing it: with
nothing new, no rule is computed and no answer parsed again; after a night's listens only the rules that read
the history are.

It is a cache: a missing or unreadable file is computed again; each file is written atomically; a table whose
column types would not survive the parquet file (DuckDB writes HUGEINT as DOUBLE) is never kept; the files of
digests no longer current are removed by a run holding the data folder's lock.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import duckdb

from extractors.landing import TMP_SUFFIX, atomic_write

log = logging.getLogger(__name__)


@cache
def rules_version(root: Path) -> str:
    """A digest of every file the rules are made of: the models, the macros and the seeds."""
    digest = hashlib.sha256()
    for pattern in ("models/**/*.sql", "macros/**/*.sql", "seeds/*.csv"):
        for path in sorted(root.glob(pattern)):
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def file_identity(path: Path, append_only: bool = False) -> str:
    """Name and size; for a file that may be replaced in place, also its modification time and inode."""
    st = path.stat()
    return f"{path.name}:{st.st_size}" if append_only else f"{path.name}:{st.st_size}:{st.st_mtime_ns}:{st.st_ino}"


@dataclass
class RulesCache:
    directory: Path
    version: str
    prune: bool = False  # only a run holding the data folder's lock may remove files
    restored: list[str] = field(default_factory=list)
    computed: list[str] = field(default_factory=list)
    _current: set[str] = field(default_factory=set)

    def path(self, name: str, inputs: Iterable[str]) -> Path:
        digest = hashlib.sha256("\0".join([self.version, name, *inputs]).encode("utf-8", "surrogateescape"))
        path = self.directory / f"{name}-{digest.hexdigest()[:24]}.parquet"
        self._current.add(path.name)
        return path

    def restore(self, con: duckdb.DuckDBPyConnection, name: str, path: Path) -> bool:
        """Create the temporary table ``name`` from its cached file; False if there is none (or it is unreadable)."""
        if not path.is_file():
            return False
        try:
            con.execute(f"create or replace temp table {name} as select * from read_parquet(?)", [str(path)])
        except duckdb.Error as exc:
            log.warning("%s: an unreadable cached rule (%s); computing it again", path, str(exc).splitlines()[0])
            return False
        self.restored.append(name)
        return True

    def save(self, con: duckdb.DuckDBPyConnection, name: str, path: Path) -> None:
        """Keep the table ``name`` in ``path``, unless its column types would not come back the same."""
        self.computed.append(name)
        try:
            atomic_write(
                path,
                lambda tmp: con.execute(
                    f"copy (select * from {name}) to ? (format parquet, compression zstd)", [str(tmp)]
                ),
            )
            kept = con.execute("describe select * from read_parquet(?)", [str(path)]).fetchall()
            made = con.execute(f"describe select * from {name}").fetchall()
            if [row[:2] for row in kept] != [row[:2] for row in made]:
                log.debug("%s: not cached (its column types do not survive a parquet file)", name)
                path.unlink(missing_ok=True)
        except (OSError, duckdb.Error) as exc:  # a cache: a run never fails for it
            log.debug("%s: not cached (%s)", name, exc)
            path.unlink(missing_ok=True)

    def tidy(self) -> int:
        """Remove the files of the tables this run used under another digest, and half-written files (only when
        ``prune``); a table this run did not use at all (another extractor's) keeps its file."""
        if not self.prune:
            return 0
        used = {name.rsplit("-", 1)[0] for name in self._current}
        return sweep(self.directory, lambda name: name not in self._current and name.rsplit("-", 1)[0] in used)


def sweep(directory: Path, stale: Callable[[str], bool]) -> int:
    """Delete the ``.parquet`` files of ``directory`` whose name is ``stale``, and every half-written file; the
    number of parquet files deleted (the caches' one way of tidying, under the data folder's lock)."""
    if not directory.is_dir():
        return 0
    removed = 0
    for entry in directory.iterdir():
        half_written = entry.name.endswith(TMP_SUFFIX)
        if not entry.is_file() or not (half_written or (entry.suffix == ".parquet" and stale(entry.name))):
            continue
        try:
            os.unlink(entry)
        except FileNotFoundError:
            continue
        removed += entry.suffix == ".parquet"
    return removed
