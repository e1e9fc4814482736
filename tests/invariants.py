"""Invariants of landed raw data, checked after every fault the fault suite injects.

What a user needs to hold whatever the APIs did and wherever an extractor was killed:

- every file under ``raw/`` is a finished ``.parquet`` file with the landing schema, readable by DuckDB
  (no half file, no temporary leftover once a run has finished);
- within one endpoint folder every key landed at most once (a landed answer is never asked for again);
- append-only: every file landed before the fault is still there, byte for byte.

(``--retry-not-found`` or ``NOT_FOUND_RETRY_DAYS`` legitimately land a not-found key again; no fault test
does that.) ``landed_equal`` compares what two data folders hold, regardless of run ids, file names and
fetch times: "the same as an uninterrupted run".

    before = snapshot(data_dir)
    ...inject a fault, run the extractor...
    check_invariants(data_dir, before)

Also here, for the user-visible side of a fault: ``error_line`` (the one line a failed run ends with) and
``run_then_sigkill`` (one run of the CLI killed at a point of its progress).
"""

from __future__ import annotations

import copy
import hashlib
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from extractors.landing import TMP_SUFFIX
from scripts.devkit.fakes import Fault
from scripts.devkit.fakes.base import FakeServer
from tests.conftest import CliResult

LANDED_COLUMNS = ["key", "status", "fetched_at", "body"]

# (endpoint as "<source>/<endpoint>", key, status, body as JSON text or None)
Row = tuple[str, str, int, str | None]


@dataclass(frozen=True)
class LandedFile:
    path: str  # relative to raw/, e.g. "spotify/artists/20261124T091500Z-3fa9c1-00000.parquet"
    sha256: str
    rows: tuple[Row, ...]

    @property
    def endpoint(self) -> str:
        return self.path.rsplit("/", 1)[0]


@dataclass(frozen=True)
class Snapshot:
    """Every landed parquet file under ``data_dir/raw`` with its hash and rows; ``temp_files`` are leftovers."""

    files: dict[str, LandedFile] = field(default_factory=dict)
    temp_files: tuple[str, ...] = ()

    def rows(self) -> list[Row]:
        return [row for f in self.files.values() for row in f.rows]

    def keys(self, endpoint: str) -> set[str]:
        """Keys landed for one endpoint, e.g. ``keys("spotify/artists")``."""
        return {key for ep, key, _, _ in self.rows() if ep == endpoint}

    def endpoints(self) -> set[str]:
        return {f.endpoint for f in self.files.values()}


def _raw(data_dir: Path) -> Path:
    return data_dir / "raw"


def snapshot(data_dir: Path) -> Snapshot:
    """Read every landed file under ``data_dir/raw``.

    Raises AssertionError for a file that is neither a ``.parquet`` file nor a temporary leftover of the
    landing, for a parquet file DuckDB cannot read, and for one without the landing columns.
    """
    raw = _raw(data_dir)
    files: dict[str, LandedFile] = {}
    temps: list[str] = []
    if not raw.is_dir():
        return Snapshot()
    con = duckdb.connect(":memory:")
    try:
        for path in sorted(p for p in raw.rglob("*") if p.is_file()):
            rel = path.relative_to(raw).as_posix()
            if path.name.endswith(TMP_SUFFIX):
                temps.append(rel)
                continue
            assert path.suffix == ".parquet", f"raw/{rel}: a stray file that is not landed parquet"
            assert len(path.relative_to(raw).parts) == 3, f"raw/{rel}: not under raw/<source>/<endpoint>/"
            try:
                columns = [r[0] for r in con.execute("describe select * from read_parquet(?)", [str(path)]).fetchall()]
                assert columns == LANDED_COLUMNS, f"raw/{rel}: columns {columns}, expected {LANDED_COLUMNS}"
                rows = con.execute(
                    "select key, status, body::varchar from read_parquet(?) order by key", [str(path)]
                ).fetchall()
            except duckdb.Error as exc:
                raise AssertionError(f"raw/{rel}: not readable by DuckDB ({exc})") from None
            assert rows, f"raw/{rel}: an empty file (a batch lands at least one row)"
            endpoint = rel.rsplit("/", 1)[0]
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            files[rel] = LandedFile(rel, digest, tuple((endpoint, k, int(s), b) for k, s, b in rows))
    finally:
        con.close()
    return Snapshot(files, tuple(temps))


def check_invariants(data_dir: Path, before: Snapshot | None = None, *, killed: bool = False) -> Snapshot:
    """Assert the landing invariants of ``data_dir`` and return its snapshot (the ``before`` of a next step).

    ``before``: what was landed before the fault; every one of its files must still be there unchanged.
    ``killed``: the last run was SIGKILLed, so a temporary file of the batch in flight may be left (the next
    run removes it); a half-written ``.parquet`` is never acceptable.
    """
    now = snapshot(data_dir)
    if not killed:
        assert not now.temp_files, f"temporary files left after a finished run: {list(now.temp_files)}"
    per_endpoint = Counter((endpoint, key) for endpoint, key, _, _ in now.rows())
    twice = sorted(f"{endpoint}: {key} ({n} times)" for (endpoint, key), n in per_endpoint.items() if n > 1)
    assert not twice, f"{len(twice)} key(s) landed more than once: {twice[:5]}"
    if before is not None:
        gone = sorted(set(before.files) - set(now.files))
        assert not gone, f"{len(gone)} landed file(s) lost after the fault: {gone[:5]}"
        changed = sorted(p for p, f in before.files.items() if now.files[p].sha256 != f.sha256)
        assert not changed, f"{len(changed)} landed file(s) rewritten after the fault: {changed[:5]}"
    return now


def landed_rows(data_dir: Path) -> Counter[Row]:
    """Every landed row as (endpoint, key, status, body), without fetch times, run ids or file names."""
    return Counter(snapshot(data_dir).rows())


def landed_equal(dir_a: Path, dir_b: Path) -> bool:
    """Whether two data folders landed the same answers (e.g. a killed-and-resumed run and an uninterrupted one)."""
    return landed_rows(dir_a) == landed_rows(dir_b)


def landed_diff(dir_a: Path, dir_b: Path, limit: int = 5) -> str:
    """A short account of what differs, for an assertion message."""
    a, b = landed_rows(dir_a), landed_rows(dir_b)
    only_a = sorted((a - b).elements())
    only_b = sorted((b - a).elements())

    def show(rows: list[Row]) -> list[str]:
        return [f"{ep} {key} {status}" for ep, key, status, _ in rows[:limit]]

    return f"{len(only_a)} row(s) only in {dir_a}: {show(only_a)}; {len(only_b)} only in {dir_b}: {show(only_b)}"


def assert_same_as_an_unfaulted_run(data_dir: Path, before: Snapshot, reference: Path) -> Snapshot:
    """The invariants hold against ``before``, and ``data_dir`` landed what a run without the fault landed
    into ``reference``. Returns the snapshot of ``data_dir``."""
    after = check_invariants(data_dir, before)
    assert landed_equal(data_dir, reference), landed_diff(data_dir, reference)
    return after


def inject(fake: FakeServer, *faults: Fault) -> list[Fault]:
    """Script fresh copies of ``faults`` (a case's own stay untouched); their ``times`` count down as they fire."""
    scripted = copy.deepcopy(list(faults))
    for fault in scripted:
        fake.add_fault(fault)
    return scripted


def error_line(result: CliResult) -> str:
    """The one line a user reads when a run fails: the last, the only one starting with ``error:``, no traceback."""
    assert "Traceback" not in result.output, result.output
    lines = result.stderr.strip().splitlines()
    errors = [line for line in lines if line.startswith("error: ")]
    assert len(errors) == 1 and lines[-1] == errors[0], result.stderr
    return errors[0]


def run_then_sigkill(
    args: list[str], env: dict[str, str], cwd: Path, fake: FakeServer, at_request: int, timeout: float = 120
) -> bool:
    """Run ``python -m extractors *args`` and SIGKILL it as soon as ``fake`` has received its ``at_request``-th
    data request (counted since its log was last reset): a kill point by progress, not by time, so it is the
    same on a slow or a fast machine. True if it was killed; False if it finished first (then it succeeded)."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "extractors", *args],
        env=env,
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + timeout
    while proc.poll() is None:
        if fake.data_requests() >= at_request:
            proc.send_signal(signal.SIGKILL)
            assert proc.wait(timeout=60) == -signal.SIGKILL
            return True
        assert time.monotonic() < deadline, f"python -m extractors {' '.join(args)} still running after {timeout} s"
        time.sleep(0.002)
    assert proc.returncode == 0, f"python -m extractors {' '.join(args)} exited {proc.returncode} without a kill"
    return False


# -- fault cases, as the fault suites list them ---------------------------------------------------------
@dataclass(frozen=True)
class Transient:
    """Faults the extractor must wait out: it says so in the log, retries, and lands everything."""

    faults: tuple[Fault, ...]
    says: str  # in the log
    retries: int  # data requests more than without the fault
    env: dict[str, str] = field(default_factory=dict)
    token_requests: int = 1  # Spotify only: token requests of the run


@dataclass(frozen=True)
class Stopping:
    """A fault that outlasts the retries: the source stops with one clear line, keeping what landed."""

    fault: Fault
    says: tuple[str, ...]  # in the last line
    env: dict[str, str] = field(default_factory=dict)
