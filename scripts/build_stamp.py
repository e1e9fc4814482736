"""Whether the warehouse is up to date with its inputs, so a `make enrich` with nothing new skips `dbt build`.

The inputs of a build: every parquet file under ``$DATA_DIR/src`` and ``$DATA_DIR/raw`` (name, size,
mtime), the offline gazetteer, the dbt project's own files (content), ``uv.lock`` and the settings dbt
reads (where its files are, ``USER_ID``, ``LISTENER_TIMEZONE``). ``pending`` records them before a build,
``commit`` keeps that record once the build succeeded (with the warehouse file's size and mtime), and
``fresh`` exits 0 only when nothing changed since: a play landed during a build is therefore seen by the
next run, and a warehouse changed or removed by hand is rebuilt.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path
from typing import Any

import click

from extractors.landing import atomic_write

REPO = Path(__file__).resolve().parent.parent
PROJECT_FILES = ("dbt_project.yml", "profiles.yml", "uv.lock")
PROJECT_FOLDERS = ("models", "macros", "seeds", "tests/generic", "tests/singular")
# the settings dbt reads: where its files are, the person of rows without user_id, the local time zone (TZ:
# this machine's zone, the default of LISTENER_TIMEZONE)
SETTINGS = ("DATA_DIR", "DUCKDB_PATH", "REFERENCE_DIR", "USER_ID", "LISTENER_TIMEZONE", "TZ")
STAMP, PENDING = ".build-stamp.json", ".build-stamp.pending.json"


# The folders as dbt sees them (profiles.yml, the reference_dir macro), not through extractors.config: `make dbt`
# must not depend on the extractors' settings (a bad LOG_LEVEL would otherwise stop a build).
def data_dir() -> Path:
    return Path(os.environ.get("DATA_DIR", "").strip() or REPO / "data")


def warehouse() -> Path:
    return Path(os.environ.get("DUCKDB_PATH", "").strip() or data_dir() / "music_tracker.duckdb")


def reference_dir() -> Path:
    return Path(os.environ.get("REFERENCE_DIR", "").strip() or REPO / "data" / "reference")


def _files(folder: Path, pattern: str) -> list[Path]:
    return sorted(p for p in folder.rglob(pattern) if p.is_file()) if folder.is_dir() else []


def inputs() -> dict[str, Any]:
    """What a build reads: data files by name, size and mtime; project files by content."""
    data: dict[str, list[int]] = {}
    for folder in (data_dir() / "src", data_dir() / "raw", reference_dir()):
        for path in _files(folder, "*.parquet"):
            stat = path.stat()
            data[str(path)] = [stat.st_size, stat.st_mtime_ns]
    project = [REPO / name for name in PROJECT_FILES]
    project += [p for folder in PROJECT_FOLDERS for p in _files(REPO / folder, "*")]
    digest = hashlib.sha256()
    for path in project:
        if path.is_file():
            digest.update(str(path.relative_to(REPO)).encode() + b"\0" + path.read_bytes() + b"\0")
    settings = {name: os.environ.get(name, "") for name in SETTINGS}
    return {"data": data, "project": digest.hexdigest(), "settings": settings}


def _warehouse_state() -> list[int] | None:
    path = warehouse()
    if not path.is_file():
        return None
    stat = path.stat()
    return [stat.st_size, stat.st_mtime_ns]


def _read(path: Path) -> dict[str, Any] | None:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


def _write(path: Path, content: dict[str, Any]) -> None:
    atomic_write(path, json.dumps(content))


def is_fresh() -> bool:
    """Whether the last successful build saw exactly the current inputs and the warehouse is as it left it."""
    stamp = _read(data_dir() / STAMP)
    current = _warehouse_state()
    return (
        stamp is not None
        and current is not None
        and stamp.get("warehouse") == current
        and (stamp.get("inputs") == inputs())
    )


def mark_pending() -> None:
    """Record the inputs a build is about to read; a build that fails leaves no stamp, so the next run rebuilds."""
    (data_dir() / STAMP).unlink(missing_ok=True)
    _write(data_dir() / PENDING, {"inputs": inputs()})


def mark_built() -> None:
    """The build succeeded: keep what ``mark_pending`` recorded, with the warehouse it produced."""
    recorded = _read(data_dir() / PENDING)
    if recorded is None:
        return
    _write(data_dir() / STAMP, {**recorded, "warehouse": _warehouse_state()})
    (data_dir() / PENDING).unlink(missing_ok=True)


@click.group(help=__doc__)
def main() -> None:
    pass


@main.command(help="Exit 0 when the last successful build saw exactly the current inputs, else 1.")
def fresh() -> None:
    if not is_fresh():
        sys.exit(1)


@main.command(help="Record the inputs a build is about to read (before `dbt build`).")
def pending() -> None:
    mark_pending()


@main.command(help="The build succeeded: keep what `pending` recorded, with the warehouse it produced.")
def commit() -> None:
    mark_built()


if __name__ == "__main__":
    main()
