"""Append plays to ``tracks_played`` without ever counting a play twice.

A row is identified by ``(user_id, played_at, coalesce(track_id, track_name), artist, ms_played,
play_source)``, compared with ``played_at`` truncated to whole seconds (exports give seconds, the live API
milliseconds) and a missing value as ''. The artist and ``ms_played`` are part of it because Account data
has neither ids nor seconds: "Higher" by two artists in one minute, or one track played twice in one
minute for different lengths, are different listens. The source is part of it because the history keeps
what every source reported: this only keeps one source's rows from being written twice, and the same
listen reported by two sources is merged in the warehouse (docs/listens.md).

New rows are those whose key is neither in the existing history nor earlier in the same batch; they are
written as ONE parquet file under a temporary name and renamed, so an import killed half-way leaves
``tracks_played`` as it was before or as it is after, never between. The key is the star schema's own
(``play_key_text`` in macros/star_schema.sql); the SQL is in ``extractors/sql/`` (incoming_plays,
incomplete_plays, fresh_plays).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from extractors import queries
from extractors.catalog import REQUIRED_COLUMNS, TRACKS_PLAYED_COLUMNS, Catalog
from extractors.errors import InputError
from extractors.landing import atomic_write

# the shortest listen the warehouse counts as a play by default (dbt var min_play_seconds): the import report
# and ``status`` count the history's shorter listens apart
MIN_PLAY_MS = 30_000


@dataclass(frozen=True)
class AppendResult:
    rows: int  # plays offered
    imported: int  # new plays written
    duplicates: int  # plays already in the history, or twice in the batch
    path: Path | None  # the file written (None when nothing was new)


def append_plays(
    catalog: Catalog, relation_sql: str, name: str, params: list[object] | None = None, *, write: bool = True
) -> AppendResult:
    """Write the plays of ``relation_sql`` (any subset of the contract's columns) that are not known yet.

    ``name`` becomes the file name (``<name>.parquet``); it must be new (use a run id). With ``write=False``
    (a dry run) it counts what it would write and writes nothing.
    """
    con = catalog.con
    con.execute(queries.common("incoming_plays", plays=relation_sql, columns=TRACKS_PLAYED_COLUMNS), params or [])
    bad = con.execute(queries.common("incomplete_plays", required=REQUIRED_COLUMNS)).fetchone()
    if bad and bad[0]:
        raise InputError(f"{bad[0]} plays lack {', '.join(REQUIRED_COLUMNS)}; nothing was written")
    history = bool(catalog.history_files())
    if history:
        catalog.require_history()
    con.execute(queries.common("fresh_plays", history=history))
    rows = _count(catalog, "incoming")
    imported = _count(catalog, "fresh")
    path = None
    if imported and write:
        folder = catalog.settings.tracks_played_dir
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{name}.parquet"
        if path.exists():
            raise FileExistsError(f"{path} exists already; not overwriting the history")
        atomic_write(
            path,
            lambda tmp: con.execute(
                "copy (select * from fresh order by played_at) to ? (format parquet, compression zstd)", [str(tmp)]
            ),
        )
        catalog.forget_history()
    return AppendResult(rows, imported, rows - imported, path)


def _count(catalog: Catalog, table: str) -> int:
    row = catalog.con.execute(f"select count(*) from {table}").fetchone()
    return int(row[0]) if row else 0
