"""Shared fixtures: a data folder with a history, a fake Spotify world, and the CLI as a user runs it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pytest

from scripts.devkit.env import musicbrainz_env, spotify_env
from scripts.devkit.fakes.musicbrainz import FakeMusicBrainz
from scripts.devkit.fakes.openweather import API_KEY, FakeOpenWeather
from scripts.devkit.fakes.spotify import FakeSpotify
from scripts.devkit.worlds import SpotifyWorld, make_spotify_world

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "data" / "sample"


@dataclass
class CliResult:
    returncode: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def write_history(data_dir: Path, rows: list[dict[str, Any]], name: str = "history.parquet") -> Path:
    """Write tracks_played rows (contract columns; absent ones are null) as one parquet file."""
    from extractors.catalog import TRACKS_PLAYED_COLUMNS

    folder = data_dir / "src" / "tracks_played"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    con = duckdb.connect()
    columns = ", ".join(f"{c} {t}" for c, t in TRACKS_PLAYED_COLUMNS.items())
    con.execute(f"create table t ({columns})")
    for row in rows:
        names = list(row)
        con.execute(
            f"insert into t ({', '.join(names)}) values ({', '.join('?' for _ in names)})", [row[n] for n in names]
        )
    con.execute(f"copy t to '{path}' (format parquet)")
    con.close()
    return path


def landed(data_dir: Path, endpoint: str, source: str = "spotify") -> list[tuple[str, int, Any]]:
    """(key, status, body-as-text) of every landed row of one endpoint."""
    folder = data_dir / "raw" / source / endpoint
    if not folder.is_dir() or not list(folder.glob("*.parquet")):
        return []
    con = duckdb.connect()
    rows = con.execute(
        f"select key, status, body::varchar from read_parquet('{folder}/*.parquet') order by key"
    ).fetchall()
    con.close()
    return rows


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    path = tmp_path / "data"
    path.mkdir()
    return path


@pytest.fixture
def fake_spotify() -> Iterator[FakeSpotify]:
    fake = FakeSpotify()
    fake.start()
    try:
        yield fake
    finally:
        fake.stop()


@pytest.fixture
def world(data_dir: Path, fake_spotify: FakeSpotify) -> SpotifyWorld:
    """120 artists and 45 albums the history references, known to the fake Spotify (extended mode)."""
    w = make_spotify_world(n_artists=120, n_albums=45, seed=7)
    fake_spotify.entities.update(w.entities())
    write_history(data_dir, w.plays)
    return w


def run_cli(args: list[str], env: dict[str, str], cwd: Path, timeout: float = 120) -> CliResult:
    proc = subprocess.run(
        [sys.executable, "-m", "extractors", *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )
    return CliResult(proc.returncode, proc.stdout, proc.stderr)


@pytest.fixture(scope="session")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, object]]:
    """The sample extracted twice against its recordings, then built: request counts and the warehouse.

    Built once for the whole run (tests/test_sample_pipeline.py, test_star_schema.py, test_report.py): every
    test only reads it (a test that writes copies the warehouse first)."""
    tmp_path = tmp_path_factory.mktemp("sample")
    data_dir = tmp_path / "data"
    (data_dir / "src" / "tracks_played").mkdir(parents=True)
    shutil.copy2(SAMPLE / "tracks_played.parquet", data_dir / "src" / "tracks_played" / "sample.parquet")
    spotify = FakeSpotify.from_recordings(SAMPLE / "recordings" / "spotify").start()
    musicbrainz = FakeMusicBrainz.from_recordings(SAMPLE / "recordings" / "musicbrainz").start()
    openweather = FakeOpenWeather.from_recordings(SAMPLE / "recordings" / "openweather").start()
    fakes = {"spotify": spotify, "musicbrainz": musicbrainz, "openweather": openweather}
    try:
        env = {**spotify_env(spotify, data_dir), **musicbrainz_env(musicbrainz, data_dir)}
        env.update({k: v for k, v in spotify_env(spotify, data_dir).items() if k.startswith("SPOTIFY_")})
        env.update({"OPENWEATHER_API_URL": openweather.url, "OPENWEATHER_API_KEY": API_KEY})
        env["OPENWEATHER_MIN_INTERVAL"] = "0"
        first = run_cli(["all"], env, tmp_path)
        assert first.returncode == 0, first.output
        counts = {name: fake.data_requests() for name, fake in fakes.items()}
        asked = [r.query["q"][0] for r in openweather.requests]
        for fake in fakes.values():
            fake.reset_log()
        second = run_cli(["all"], env, tmp_path)
        assert second.returncode == 0, second.output
        rerun = {name: fake.data_requests() for name, fake in fakes.items()}
    finally:
        for fake in fakes.values():
            fake.stop()
    from tests.test_dbt_models import assert_ok, run_dbt

    assert_ok(run_dbt(data_dir))
    con = duckdb.connect(str(data_dir / "music_tracker.duckdb"), read_only=True)
    yield {"data_dir": data_dir, "requests": counts, "rerun": rerun, "con": con, "geocoded": asked}
    con.close()


@pytest.fixture(scope="session")
def empty_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`dbt build` of a fresh, empty DATA_DIR, once for the run: read it, or copy its warehouse to change it.

    The one build that runs dbt's unit tests too (their results: dbt_target/run_results.json)."""
    from tests.test_dbt_models import assert_ok, run_dbt

    data_dir = tmp_path_factory.mktemp("empty_build")
    assert_ok(run_dbt(data_dir, unit_tests=True))
    return data_dir


@pytest.fixture
def open_umask() -> Iterator[None]:
    """umask 0 for the test and the commands it runs (inherited): a file's mode must come from the code."""
    old = os.umask(0)
    try:
        yield
    finally:
        os.umask(old)


@pytest.fixture
def fake_musicbrainz() -> Iterator[FakeMusicBrainz]:
    fake = FakeMusicBrainz()
    fake.start()
    try:
        yield fake
    finally:
        fake.stop()


__all__ = ["musicbrainz_env", "spotify_env"]  # tests import them from here too


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """No test is ever skipped: a skip (a missing tool, file or package) fails with its reason, so `make test`
    never passes with parts of it left out. An expected failure (xfail) is not a skip and is left alone."""
    outcome = yield
    report = outcome.get_result()
    if report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"{item.nodeid} would be skipped, and no test may be: {reason}"
