"""`make report`: one self-contained HTML report of the warehouse's report marts (works offline).

``python -m scripts.report [--warehouse PATH] [--out PATH]`` opens the warehouse read-only (default
``DUCKDB_PATH``, else ``$DATA_DIR/music_tracker.duckdb``) and writes ``$DATA_DIR/exports/report.html``: the
overview, tops per period, listening over time, the clock, sessions and streaks, skips, where the music comes
from (a world map), eras, a year in review for every year and travel. It reads only the marts of
models/reports (scripts/report/data.py), draws them with Vega-Lite (scripts/report/charts.py) and writes one
HTML file with everything inlined (scripts/report/page.py; docs/report.md).
Without ``--warehouse``, when that warehouse does not exist but the demo's does (``make demo``:
``data/demo/music_tracker.duckdb``), it writes the demo's report (``data/demo/exports/report.html``) and says
so; when neither exists it says how to get one and exits 2. A warehouse without listens gives a report that
says the history is empty and how to fill it (exit 0: an empty history is a state, not a failure).
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import datetime
from pathlib import Path

import duckdb

from scripts.report.charts import specs as chart_specs
from scripts.report.data import Marts, MissingMarts, load
from scripts.report.page import IMPORT_COMMAND, render

REPO = Path(__file__).resolve().parent.parent.parent
# The folder `make demo` writes (scripts/demo.py reads it from here); RWS_DEMO_DIR overrides where the report
# looks for the demo's warehouse (tests point it at a temporary folder).
DEMO_DIR = REPO / "data" / "demo"
HOW_TO_FILL = f"import your listening history (`{IMPORT_COMMAND}`), then run `make enrich`"
NO_WAREHOUSE_ADVICE = f"run `make demo` for the bundled sample's, or {HOW_TO_FILL} to build your own"

__all__ = ["DEMO_DIR", "main", "write", "write_report"]


def write_report(warehouse: Path, out: Path | None = None) -> Path:
    """Render the report of the warehouse into out (default: exports/report.html next to the warehouse)."""
    return write(warehouse, out)[0]


def write(warehouse: Path, out: Path | None = None) -> tuple[Path, Marts]:
    warehouse = Path(warehouse)
    if not warehouse.is_file():
        raise FileNotFoundError(f"no warehouse at {shown(warehouse)}: {NO_WAREHOUSE_ADVICE}")
    out = Path(out) if out else warehouse.parent / "exports" / "report.html"
    out.parent.mkdir(parents=True, exist_ok=True)
    marts = load(warehouse)
    page = render(marts, chart_specs(marts), datetime.now())
    partial = out.with_name(f".{out.name}.partial")  # a reader never sees half a report
    partial.write_text(page, encoding="utf-8")
    partial.replace(out)
    return out, marts


def shown(path: Path) -> str:
    """path as the user would type it: relative to the current folder when under it, else absolute."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(Path(path).resolve())


def demo_dir() -> Path:
    return Path(os.environ.get("RWS_DEMO_DIR") or DEMO_DIR)


def main(argv: list[str] | None = None) -> None:
    data_dir = Path(os.environ.get("DATA_DIR") or "data")
    own = Path(os.environ.get("DUCKDB_PATH") or data_dir / "music_tracker.duckdb")
    parser = argparse.ArgumentParser(prog="python -m scripts.report", description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--warehouse", type=Path, help=f"the DuckDB warehouse (default: {own})")
    parser.add_argument("--out", type=Path, help="the HTML file to write (default: $DATA_DIR/exports/report.html)")
    args = parser.parse_args(argv)
    warehouse, out, demo_note = args.warehouse or own, args.out or data_dir / "exports" / "report.html", False
    demo = demo_dir() / "music_tracker.duckdb"
    if args.warehouse is None and not own.is_file() and demo.is_file():
        # right after `make demo`: the demo's warehouse is the only one there is; its report goes beside it
        warehouse, out, demo_note = demo, args.out or demo.parent / "exports" / "report.html", True
    if not Path(warehouse).is_file():
        print(f"report: no warehouse at {shown(warehouse)}: {NO_WAREHOUSE_ADVICE}", file=sys.stderr)
        sys.exit(2)
    try:
        path, marts = write(warehouse, out)
    except MissingMarts as exc:  # built before the report marts existed, or a build that never finished
        sys.exit(f"report: {exc}")
    except duckdb.Error as exc:
        sys.exit(f"report: {shown(warehouse)}: {exc}")
    if demo_note:
        print(
            f"report: no warehouse of your own yet ({shown(own)}), so this is the demo's report: {shown(path)}. "
            f"Your own comes from your listening history: `{IMPORT_COMMAND}`, then `make enrich`"
        )
    elif not marts.listens:
        print(
            f"report: your listening history is empty ({shown(warehouse)} holds no listens), as {shown(path)} "
            f"says; to fill it, {HOW_TO_FILL}"
        )
    else:
        print(path)
