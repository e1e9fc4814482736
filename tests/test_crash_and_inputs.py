"""Killed runs resume without loss or duplicates; bad input and configuration get one clear line and exit 2.

| fault                                                 | outcome                                                   |
|-------------------------------------------------------|-----------------------------------------------------------|
| spotify SIGKILLed at seeded random points, 5 runs     | after each kill: no half .parquet, no key twice, nothing  |
|                                                       | landed before lost; the next run exits 0 and the landed   |
|                                                       | data equals an uninterrupted run's (tests/invariants.py)  |
| a landed file corrupted on disk                       | exit 2 naming the file                                    |
| a second run while one holds the data folder          | exit 1, "another extraction is in progress"               |
(musicbrainz and geo have the same SIGKILL loop in their own test files.)
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from scripts.devkit.fakes import FakeSpotify, Fault
from scripts.devkit.worlds import SpotifyWorld
from tests.conftest import REPO, run_cli, spotify_env, write_history
from tests.invariants import check_invariants, landed_diff, landed_equal, run_then_sigkill


@pytest.mark.slow
def test_sigkill_at_random_points_then_rerun_lands_what_an_uninterrupted_run_lands(
    world: SpotifyWorld, fake_spotify: FakeSpotify, data_dir: Path, tmp_path: Path
):
    fake_spotify.mode = "dev"  # one request per id: a long run with many batches to interrupt
    uninterrupted = tmp_path / "uninterrupted"
    write_history(uninterrupted, world.plays)
    assert run_cli(["spotify"], spotify_env(fake_spotify, uninterrupted), tmp_path).returncode == 0

    fake_spotify.add_fault(Fault(path="/v1/", kind="hang", delay=0.01, times=10**6))  # 167 requests: ~2 s
    env = spotify_env(fake_spotify, data_dir)
    rng = random.Random(20261124)
    before = check_invariants(data_dir)
    kills = 0
    for _ in range(5):  # killed when the fake has received its n-th request of the run (n seeded: 1..30)
        target = fake_spotify.data_requests() + rng.randint(1, 30)
        kills += run_then_sigkill(["spotify"], env, data_dir.parent, fake_spotify, target)
        # no half file, no key twice, every file landed before the kill intact
        before = check_invariants(data_dir, before, killed=True)
    assert kills == 5  # at most 150 of the 167 requests: every run is cut short
    final = run_cli(["spotify"], env, data_dir.parent)
    assert final.returncode == 0, final.output
    after = check_invariants(data_dir, before)
    assert after.keys("spotify/artists") == set(world.artists)
    assert after.keys("spotify/albums") == set(world.albums)
    assert landed_equal(data_dir, uninterrupted), landed_diff(data_dir, uninterrupted)


def error_line(result) -> str:
    lines = result.stderr.strip().splitlines()
    assert lines, result.output
    assert "Traceback" not in result.output
    return lines[-1]


def test_missing_history_names_the_folder(fake_spotify: FakeSpotify, data_dir: Path):
    result = run_cli(["spotify"], spotify_env(fake_spotify, data_dir), data_dir.parent)
    assert result.returncode == 2
    line = error_line(result)
    assert line.startswith("error: ") and str(data_dir / "src" / "tracks_played") in line
    assert fake_spotify.count("") == 0


def test_history_missing_a_required_column_names_file_and_column(fake_spotify: FakeSpotify, data_dir: Path):
    folder = data_dir / "src" / "tracks_played"
    folder.mkdir(parents=True)
    query = "copy (select 'x' as track_name, timestamp '2025-01-01' as played_at) to ? (format parquet)"
    duckdb.connect().execute(query, [str(folder / "bad.parquet")])
    result = run_cli(["spotify"], spotify_env(fake_spotify, data_dir), data_dir.parent)
    assert result.returncode == 2
    line = error_line(result)
    assert "bad.parquet" in line and "artist" in line


def test_corrupt_history_file_names_the_file(fake_spotify: FakeSpotify, data_dir: Path):
    write_history(data_dir, [{"track_name": "t", "artist": "a", "played_at": datetime(2025, 1, 1)}])
    (data_dir / "src" / "tracks_played" / "broken.parquet").write_bytes(b"PAR1 this is not parquet")
    result = run_cli(["spotify"], spotify_env(fake_spotify, data_dir), data_dir.parent)
    assert result.returncode == 2
    line = error_line(result)
    assert "broken.parquet" in line and "not a readable parquet file" in line


def test_corrupt_landed_file_names_the_file(world: SpotifyWorld, fake_spotify: FakeSpotify, data_dir: Path):
    env = spotify_env(fake_spotify, data_dir)
    assert run_cli(["spotify"], env, data_dir.parent).returncode == 0
    victim = sorted((data_dir / "raw/spotify/artists").glob("*.parquet"))[0]
    victim.write_bytes(victim.read_bytes()[:100])
    result = run_cli(["spotify"], env, data_dir.parent)
    assert result.returncode == 2
    assert victim.name in error_line(result)


def test_missing_credentials_exit_2_by_name_and_are_skipped_by_all(world: SpotifyWorld, data_dir: Path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("SPOTIFY_")}
    env.update({"PYTHONPATH": str(REPO), "DATA_DIR": str(data_dir)})
    named = run_cli(["spotify"], env, data_dir.parent)
    assert named.returncode == 2
    assert "SPOTIFY_CLIENT_ID" in error_line(named)
    everything = run_cli(["all"], env, data_dir.parent)  # musicbrainz is not configured either: nothing runs
    assert everything.returncode == 2, everything.output
    assert "skipped spotify: set SPOTIFY_CLIENT_ID" in everything.stderr
    assert "every source was skipped for its configuration" in error_line(everything)


def test_bad_configuration_value_exits_2(world: SpotifyWorld, fake_spotify: FakeSpotify, data_dir: Path):
    env = spotify_env(fake_spotify, data_dir, RETRY_AFTER_MAX="two minutes")
    result = run_cli(["spotify"], env, data_dir.parent)
    assert result.returncode == 2
    assert "RETRY_AFTER_MAX" in error_line(result)


def test_dotenv_file_is_read_from_the_working_directory(world: SpotifyWorld, fake_spotify: FakeSpotify, data_dir: Path):
    env = spotify_env(fake_spotify, data_dir)
    secret = env.pop("SPOTIFY_CLIENT_SECRET")
    (data_dir.parent / ".env").write_text(f"SPOTIFY_CLIENT_SECRET={secret}\n")
    result = run_cli(["spotify"], env, data_dir.parent)
    assert result.returncode == 0, result.output


def test_a_second_run_at_the_same_time_is_refused(world: SpotifyWorld, fake_spotify: FakeSpotify, data_dir: Path):
    fake_spotify.add_fault(Fault(path="/v1/", kind="hang", delay=3))
    env = spotify_env(fake_spotify, data_dir)
    first = subprocess.Popen(
        [sys.executable, "-m", "extractors", "spotify"], env=env, cwd=data_dir.parent, stderr=subprocess.PIPE
    )
    try:
        deadline = time.monotonic() + 20
        while fake_spotify.count("/v1/") == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        second = run_cli(["spotify"], env, data_dir.parent)
        assert second.returncode == 1
        assert "another extraction is in progress" in error_line(second)
    finally:
        assert first.wait(timeout=60) == 0


@pytest.mark.parametrize("args", [["--help"], ["spotify", "--help"], ["all", "--help"], ["status", "--help"]])
def test_help_explains_each_command(args: list[str], data_dir: Path):
    result = run_cli(args, {"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"}, data_dir.parent)
    assert result.returncode == 0
    assert "Usage:" in result.stdout and len(result.stdout.splitlines()) > 5


def test_status_reports_landed_missing_and_not_found(world: SpotifyWorld, fake_spotify: FakeSpotify, data_dir: Path):
    env = spotify_env(fake_spotify, data_dir)
    before = run_cli(["status"], env, data_dir.parent)
    assert before.returncode == 0, before.output
    assert "tracks_played: 120 rows" in before.stdout
    assert any(line.split()[:5] == ["artists", "0", "0", "120", "0"] for line in before.stdout.splitlines())
    assert run_cli(["spotify", "--limit", "30"], env, data_dir.parent).returncode == 0
    after = run_cli(["status"], env, data_dir.parent)
    assert any(line.split()[:5] == ["artists", "30", "0", "90", "1"] for line in after.stdout.splitlines())
