"""`make enrich`: every extractor in order, then `dbt build` when anything it reads changed, quietly.

With no history yet there is nothing to fetch or build: one line says how to bring the history in, and the
run ends there (exit 0: nothing failed, a cron job set up before the first import stays quiet). Otherwise
`python -m extractors all --skip-on-error` runs as a user would run it, then `dbt build --quiet` (without dbt's
unit tests: :data:`BUILD_ARGS`) unless nothing it reads changed since the last successful build
(scripts/build_stamp.py). When only data changed, the build selects what it feeds: a night's listens rebuild
what is built on the history, a landing what is built on that endpoint, and the rest of the warehouse stands
(``build_stamp.selection``). dbt's errors and failing tests are printed whole, a success is one line. The
build runs even when a source failed (what landed is kept and worth building); the exit status is the
extractors' when they failed, else dbt's.

dbt runs in this process (dbt's programmatic runner), without writing target/manifest.json: nothing reads it
after a nightly build, and writing it took a second and a half at 1M listens (the bench's daily case).
target/run_results.json is written as dbt writes it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from extractors.catalog import parquet_files_in
from scripts.build_stamp import (
    REPO,
    changed_share,
    data_dir,
    inputs,
    is_fresh,
    mark_built,
    mark_pending,
    selection,
    warehouse,
)

# the nightly build: dbt's unit tests check the models' SQL against fixtures, never the data, so they run in
# `make dbt` and `make test` (dbt's own advice: unit tests in development and CI, not in production builds)
BUILD_ARGS = ["build", "--quiet", "--exclude-resource-type", "unit_test"]
# A build of what a night's few new files feed runs this many nodes at once (profiles.yml runs one): its models
# are small (the listen models take only what is new), so most of its time is dbt's own work per node, which
# then overlaps DuckDB's work on another (a 1M-listen daily build: 38-41 s of dbt → 31-38 s). A build whose new
# data is a larger share (an imported export, a first build) keeps one node at a time: its heavy models side by
# side would share DuckDB's one memory limit (profiles.yml).
PARALLEL_THREADS = 4
PARALLEL_SHARE = 0.05
PREFIX = "make enrich:"
INTERRUPTED = 130  # the exit status of a build stopped by Ctrl-C (128 + SIGINT), as a shell reports it


def target_dir() -> Path:
    """dbt's target folder: DBT_TARGET_PATH (relative to the repository), else target/."""
    target = Path(os.environ.get("DBT_TARGET_PATH", "").strip() or REPO / "target")
    return target if target.is_absolute() else REPO / target


def dbt_summary(seconds: float) -> str:
    """One line from dbt's run_results.json: what was built and tested, and how long it took."""
    try:
        results = json.loads((target_dir() / "run_results.json").read_text())["results"]
    except (OSError, ValueError, KeyError):
        return f"dbt build done in {seconds:.0f} s"
    names = {
        "model": "models",
        "seed": "seeds",
        "test": "data tests",
        "unit_test": "unit tests",
        "snapshot": "snapshots",
    }
    kinds: dict[str, int] = {}
    for result in results:
        kind = str(result.get("unique_id", "")).split(".", 1)[0]
        if kind in names:
            kinds[names[kind]] = kinds.get(names[kind], 0) + 1
    counts = ", ".join(f"{n} {kind}" for kind, n in kinds.items())
    warnings = sum(r.get("status") == "warn" for r in results)
    warned = f", {warnings} warnings" if warnings else ""
    return f"dbt build: {counts} passed{warned} in {seconds:.0f} s"


def main() -> int:
    history = data_dir() / "src" / "tracks_played"
    if not parquet_files_in(history):
        print(
            f"{PREFIX} no listening history yet in {history}, so nothing to fetch or "
            "build: import your export first (uv run python -m extractors import PATH…; docs/importing.md) or "
            "poll Spotify (make ingest)",
            flush=True,
        )
        return 0
    extract = subprocess.run([sys.executable, "-m", "extractors", "all", "--skip-on-error"], cwd=REPO)
    if is_fresh():
        print(f"{PREFIX} nothing new since the last dbt build; dbt build skipped (make dbt builds anyway)", flush=True)
        return extract.returncode
    built = build()
    return extract.returncode or built


def build_args(selectors: list[str] | None, threads: int | None = None) -> list[str]:
    """``dbt build``'s arguments: the whole project, or what the changed sources feed; ``threads`` nodes at once
    (None: profiles.yml's)."""
    args = BUILD_ARGS if selectors is None else [*BUILD_ARGS, "--select", *selectors]
    return args if threads is None else [*args, "--threads", str(threads)]


def threads_for(selectors: list[str] | None, share: float) -> int | None:
    """How many nodes a build runs at once: :data:`PARALLEL_THREADS` when it selects what a small share of new
    data feeds (:data:`PARALLEL_SHARE` of the data's bytes at most), else profiles.yml's (None)."""
    return PARALLEL_THREADS if selectors and share <= PARALLEL_SHARE else None


def run_dbt(args: list[str]) -> int:
    """``dbt <args>`` in this process, from the repository (profiles.yml's relative paths are relative to it),
    without manifest.json; run_results.json as dbt writes it. dbt's exit status: 0, 1 when a node failed, 2 when
    dbt itself could not run, INTERRUPTED after Ctrl-C."""
    from dbt.cli.main import dbtRunner, dbtRunnerResult  # dbt's import takes seconds: only when a build runs

    here = Path.cwd()
    os.chdir(REPO)
    try:
        done = dbtRunner().invoke([*args, "--no-write-json"])
    except KeyboardInterrupt as interrupt:
        done = dbtRunnerResult(success=False, exception=interrupt)
    finally:
        os.chdir(here)
        close_warehouse()
    if isinstance(done.exception, KeyboardInterrupt):
        print(f"{PREFIX} dbt build interrupted; the warehouse keeps what did build", flush=True)
        return INTERRUPTED
    if done.exception is not None:
        print(f"{PREFIX} dbt could not run: {done.exception}", flush=True)
        return 2
    if done.result is not None and hasattr(done.result, "write"):
        target_dir().mkdir(parents=True, exist_ok=True)
        done.result.write(str(target_dir() / "run_results.json"))
    return 0 if done.success else 1


def close_warehouse() -> None:
    """Close the DuckDB database dbt-duckdb keeps open for the life of the process: closing writes its last
    checkpoint into the file, which the stamp (build_stamp.mark_built) must see as the build left it."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    environment = getattr(DuckDBConnectionManager, "_ENV", None)
    if environment is not None:
        environment.close()
    DuckDBConnectionManager.close_all_connections()


def build() -> int:
    """The build step alone: what changed since the last successful build (the whole project when unsure), then
    ``dbt build`` of it between the stamp's ``pending`` and ``commit``. dbt's exit status."""
    now = inputs()  # one reading: what the build selects is what it records as built
    selectors = selection(now)
    if selectors == []:
        selectors = None  # the stamp is fresh yet a build was asked for (make enrich checks first): build it all
    threads = threads_for(selectors, changed_share(now))  # before mark_pending, which takes the stamp away
    mark_pending(now)
    started = time.monotonic()
    code = run_dbt(build_args(selectors, threads))
    if code != 0:
        if code != INTERRUPTED:  # run_dbt said so
            print(f"{PREFIX} dbt build failed (above: what failed); the warehouse keeps what did build", flush=True)
        return code
    mark_built()
    changed = ", ".join(s.removeprefix("source:").rstrip("+") for s in selectors or [])
    scope = f" (what new data in {changed} feeds)" if changed else ""
    print(f"{PREFIX} {dbt_summary(time.monotonic() - started)}{scope}; the warehouse is {warehouse()}", flush=True)
    return 0


if __name__ == "__main__":
    # --build-only: the build step as make enrich runs it after the extractors (the bench's daily case)
    sys.exit(build() if sys.argv[1:] == ["--build-only"] else main())
