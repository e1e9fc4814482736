"""What ``status`` says about listens: the history's rows per source (read from the history itself), and how
they became listens and plays in the warehouse (read from the last ``dbt build``'s export
``<DATA_DIR>/exports/report_listen_sources.parquet``; the warehouse file itself is never opened here).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb

from extractors import queries
from extractors.catalog import Catalog
from extractors.config import Settings
from extractors.history import MIN_PLAY_MS

EXPORT = "report_listen_sources.parquet"


def history_lines(catalog: Catalog) -> list[str]:
    """Per source: rows, and rows whose ms_played says they are shorter than a play."""
    if not catalog.history_files():
        return []
    catalog.require_history()
    rows = catalog.con.execute(queries.common("history_sources", min_play_ms=MIN_PLAY_MS)).fetchall()
    return [f"  {source:<26} {n:>9} rows" + (f" ({short} under 30 s)" if short else "") for source, n, short in rows]


def warehouse_lines(settings: Settings) -> list[str]:
    """Listens, plays and merged rows as of the last dbt build, or a line saying there was none."""
    path = settings.data_dir / "exports" / EXPORT
    if not path.is_file():
        return ["listens: no dbt build yet (make enrich, or dbt build, counts them)"]
    con = duckdb.connect(":memory:")
    try:
        total = con.execute(queries.common("listen_totals", path=str(path))).fetchone()
        by_sources = con.execute(queries.common("listens_by_sources", path=str(path))).fetchall()
    except duckdb.Error as exc:
        first = str(exc).strip().splitlines()[0]
        return [f"listens: {path} cannot be read ({first}); run dbt build again"]
    finally:
        con.close()
    assert total is not None
    listens, plays, short, reported, several = (int(v) for v in total)
    built = _mtime(path)
    lines = [
        f"listens (as of the dbt build of {built}): {listens} listens from {reported} reported rows "
        f"({reported - listens} merged: {several} listens reported by more than one source); "
        f"{plays} plays, {short} listens under 30 s (not counted as plays)"
    ]
    lines += [f"  {n:>9} listens from {sources}" for sources, n in by_sources]
    return lines


def _mtime(path: Path) -> str:
    return datetime.fromtimestamp(path.stat().st_mtime).strftime("%Y-%m-%d %H:%M")
