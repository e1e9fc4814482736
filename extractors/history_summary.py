"""The history as the rules read it, from a per-file cache: ``int_history__references`` in the extractors.

The matching rules read the listening history only through the dbt model ``int_history__references``: the
history's distinct ids and names, each with ``plays``, the rows that give it. A count is a sum, so the table
of the whole history is the sum, per distinct row, of the tables of its files. The extractors keep one table
per history file in ``<DATA_DIR>/cache/history/`` and, on every run, compute only the files they have not
seen; the rest of the history is never read again. The model's own SQL computes each file's table (over the
same view of the file the run reads), so the sum is exactly what ``dbt build`` computes (docs/rules.md).

A cache file is named by what it summarises: the history file's name, size, modification time and inode,
and a digest of the SQL that made it. A history file replaced or edited by hand gets a new name (its old
summary is no longer used); a removed one is no longer listed; a new version of the rules starts afresh.
It is a cache: deleting the folder only costs the next run the time to summarise every file again; each
file is written atomically, so a crash while writing one leaves the old state (its ``.tmp`` is swept by the
next locked run); a summary that cannot be read is computed again from its history file.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import duckdb

from extractors import queries, rules
from extractors.landing import atomic_write
from extractors.rules_cache import file_identity, sweep

log = logging.getLogger(__name__)

MODEL = "int_history__references"
STAGING = "stg_history__tracks_played"


@dataclass(frozen=True)
class SummaryStats:
    files: int  # history files
    computed: int  # of which summarised in this run (new, changed, or their summary was missing)
    pruned: int  # summaries of files no longer in the history, removed


@cache
def _file_sql() -> str:
    """The SQL that summarises the view ``history_file`` (one history file, read as the run reads the history):
    the staging model, then ``int_history__references`` over it."""
    staged = rules.render_model(STAGING, source=lambda _source, _table: "history_file")
    return rules.render_model(MODEL, ref=lambda _name: f"(\n{staged}\n)")


def _version(columns: dict[str, str]) -> str:
    view = queries.common("tracks_played", files=["<file>"], columns=columns)
    return hashlib.sha256(f"{view}\n{_file_sql()}".encode()).hexdigest()[:12]


def cache_name(path: Path, version: str) -> str:
    """The summary's file name: a digest of the history file's identity (rules_cache.file_identity: name, size,
    modification time, inode) and ``version``."""
    text = f"{file_identity(path)}\0{version}"
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()[:32] + ".parquet"


def load(
    con: duckdb.DuckDBPyConnection, files: list[Path], cache_dir: Path, columns: dict[str, str], prune: bool = False
) -> SummaryStats:
    """Create the temporary table ``int_history__references`` on ``con`` for the history ``files``, computing
    (and caching) only the files whose summary is not in ``cache_dir``. ``prune``: also delete the summaries of
    files no longer in the history (only a run holding the data folder's lock may: another process may be
    summarising a file this one does not list yet)."""
    version = _version(columns)
    wanted = {cache_name(path, version): path for path in files}
    computed = 0
    for name, path in wanted.items():
        target = cache_dir / name
        if _readable(con, target):
            continue
        _summarise(con, path, target, columns)
        computed += 1
    pruned = sweep(cache_dir, lambda name: name not in wanted) if prune else 0
    if wanted:  # the files' sums, by the model's own columns (every one but plays)
        summaries = queries.macro("literals", [str(cache_dir / name) for name in wanted])
        con.execute(
            f"create or replace temp table {MODEL} as\n"
            f"select * exclude (plays), cast(sum(plays) as bigint) as plays\n"
            f"from read_parquet({summaries})\n"
            f"group by all"
        )
    else:  # no history yet: the model over no rows, so the table has its columns
        con.execute(queries.common("tracks_played", files=[], columns=columns, view="history_file"))
        con.execute(f"create or replace temp table {MODEL} as\n{_file_sql()}")
    if computed or pruned:
        log.info("history summary: %d of %d files summarised, %d stale summaries removed", computed, len(files), pruned)
    return SummaryStats(len(files), computed, pruned)


def _readable(con: duckdb.DuckDBPyConnection, target: Path) -> bool:
    if not target.is_file():
        return False
    try:
        con.execute("select count(*) from read_parquet(?)", [str(target)]).fetchone()
    except duckdb.Error as exc:
        log.warning("%s: an unreadable history summary (%s); computing it again", target, str(exc).splitlines()[0])
        return False
    return True


def _summarise(con: duckdb.DuckDBPyConnection, path: Path, target: Path, columns: dict[str, str]) -> None:
    con.execute(queries.common("tracks_played", files=[str(path)], columns=columns, view="history_file"))
    copy = f"copy (\n{_file_sql()}\n) to ? (format parquet, compression zstd)"
    try:
        atomic_write(target, lambda tmp: con.execute(copy, [str(tmp)]))
    except (OSError, duckdb.Error):
        if not _readable(con, target):  # else another process (`status` beside a run) wrote the same summary
            raise
