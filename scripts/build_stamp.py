"""Whether the warehouse is up to date with its inputs, so a `make enrich` with nothing new skips `dbt build`.

The inputs of a build: every parquet file under ``$DATA_DIR/src`` and ``$DATA_DIR/raw`` (name, size,
mtime), the offline gazetteer, the dbt project's own files (content), ``uv.lock`` and the settings dbt
reads (where its files are, ``USER_ID``, ``LISTENER_TIMEZONE``). ``pending`` records them before a build,
``commit`` keeps that record once the build succeeded (with the warehouse file's size and mtime), and
``fresh`` exits 0 only when nothing changed since: a play landed during a build is therefore seen by the
next run, and a warehouse changed or removed by hand is rebuilt.

``selection`` says what the next build must rebuild (issue 16, docs/incremental.md): when only data files
changed since the last successful build, the dbt sources they feed (``source:history.tracks_played+``,
``source:spotify.tracks+``: each with everything built on it, tests included); anything else (no stamp, the
warehouse touched, the project, a setting or the gazetteer changed) means the whole project.
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


def source_selector(path: Path) -> str | None:
    """The dbt selector of what a data file feeds (the source and everything built on it), or None when it is not
    a file of the history or of an endpoint the extractors land (the layout of docs/contracts.md)."""
    from extractors.registry import sources

    try:
        parts = path.relative_to(data_dir() / "src").parts
        return "source:history.tracks_played+" if parts[0] == "tracks_played" else None
    except ValueError:
        pass
    try:
        source, endpoint = path.relative_to(data_dir() / "raw").parts[:2]
    except ValueError:
        return None
    found = sources().get(source)
    return f"source:{source}.{endpoint}+" if found is not None and endpoint in found.endpoints else None


def selection(now: dict[str, Any]) -> list[str] | None:
    """What a build of the inputs ``now`` (:func:`inputs`) must rebuild since the last successful one: the
    selectors of the sources whose files were added, changed or removed (empty: nothing), or None for the whole
    project (no stamp, the warehouse changed by hand, the project, a setting or the gazetteer changed, a file in
    no source's folder). The build records the same ``now`` (:func:`mark_pending`): a file landed meanwhile is
    then new to the next build, never recorded as built without being selected."""
    stamp = _read(data_dir() / STAMP)
    if stamp is None or stamp.get("warehouse") != _warehouse_state():
        return None
    before = stamp.get("inputs") or {}
    if before.get("project") != now["project"] or before.get("settings") != now["settings"]:
        return None
    selectors = set()
    for name in changed_files(before.get("data") or {}, now["data"]):
        selector = source_selector(Path(name))
        if selector is None:
            return None
        selectors.add(selector)
    return sorted(selectors)


def changed_files(old: dict[str, list[int]], new: dict[str, list[int]]) -> list[str]:
    """The data files (by name, as :func:`inputs` records them) added, changed or removed from ``old`` to ``new``."""
    return [name for name in old.keys() | new.keys() if old.get(name) != new.get(name)]


def changed_share(now: dict[str, Any]) -> float:
    """How much of the data a build of the inputs ``now`` reads is new to it: the bytes of the data files added,
    changed or removed since the last successful build, over the bytes of all of them (1.0 without a stamp)."""
    stamp = _read(data_dir() / STAMP)
    if stamp is None:
        return 1.0
    old, new = (stamp.get("inputs") or {}).get("data") or {}, now["data"]
    changed = sum(max(old.get(name, [0])[0], new.get(name, [0])[0]) for name in changed_files(old, new))
    total = sum(size for size, *_ in new.values()) or 1
    return min(1.0, changed / total)


def mark_pending(now: dict[str, Any] | None = None) -> None:
    """Record the inputs a build is about to read (``now``, else read here); a build that fails leaves no stamp,
    so the next run rebuilds."""
    (data_dir() / STAMP).unlink(missing_ok=True)
    _write(data_dir() / PENDING, {"inputs": now if now is not None else inputs()})


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


@main.command(help="Print what the next build must rebuild: dbt selectors, one per line, or `all`.")
def select() -> None:
    found = selection(inputs())
    click.echo("all" if found is None else "\n".join(found))


@main.command(help="Record the inputs a build is about to read (before `dbt build`).")
def pending() -> None:
    mark_pending()


@main.command(help="The build succeeded: keep what `pending` recorded, with the warehouse it produced.")
def commit() -> None:
    mark_built()


if __name__ == "__main__":
    main()
