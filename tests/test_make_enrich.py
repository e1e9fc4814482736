"""`make enrich`: two at once (the second says another run is in progress and exits, the first completes); nothing
new skips the build; a source that fails (Spotify answering 500) does not stop the others nor the build, and the
exit status says so. `all --skip-on-error`, what it runs, goes on past the failing source too."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from scripts.devkit.fakes import FakeSpotify, Fault
from scripts.devkit.fakes.musicbrainz import FakeMusicBrainz
from scripts.devkit.worlds import make_musicbrainz_world
from scripts.enrich import PARALLEL_THREADS
from tests.conftest import REPO, landed, musicbrainz_env, run_cli, spotify_env, write_history


def enrich_env(tmp_path: Path) -> dict[str, str]:
    """A data folder holding the sample history, no API credentials: the extractors are skipped, the build runs,
    and `make enrich` exits 2 (nothing could be fetched: a cron job set up this way must not look fine)."""
    data_dir = tmp_path / "data"
    (data_dir / "src" / "tracks_played").mkdir(parents=True)
    shutil.copy2(REPO / "data/sample/tracks_played.parquet", data_dir / "src/tracks_played/sample.parquet")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SPOTIFY_", "MUSICBRAINZ_", "OPENWEATHER_"))}
    env.update(
        {
            "DATA_DIR": str(data_dir),
            "DUCKDB_PATH": str(data_dir / "music_tracker.duckdb"),
            "DBT_TARGET_PATH": str(tmp_path / "target"),
            "DBT_LOG_PATH": str(tmp_path / "logs"),
            "ENRICH_LOCK": str(tmp_path / "enrich.lock"),
            "MAKEFLAGS": "",
            # dbt's unit tests read their own fixtures, never this data: they run once (tests/conftest.py)
            "DBT_EXCLUDE_RESOURCE_TYPES": "unit_test",
        }
    )
    return env


def lock_is_held(path: Path) -> bool:
    """Whether some process holds a flock on ``path``, read from /proc/locks: probing with flock itself would
    race the first run for the lock (its `flock -n` then fails)."""
    if not path.exists():
        return False
    inode = path.stat().st_ino
    locks = Path("/proc/locks").read_text().splitlines()
    return any(
        fields[1] == "FLOCK" and fields[5].rsplit(":", 1)[-1] == str(inode)
        for fields in (line.split() for line in locks)
        if len(fields) > 5 and fields[1] != "->"
    )


@dataclass
class FirstEnrich:
    env: dict[str, str]
    first: subprocess.CompletedProcess[str]  # a first `make enrich` on a new data folder: it builds
    second: subprocess.CompletedProcess[str]  # a second one started while the first held the lock
    plays: int  # in the warehouse the first built


@pytest.fixture(scope="module")
def first_enrich(tmp_path_factory: pytest.TempPathFactory) -> FirstEnrich:
    """The first `make enrich` of a data folder, with a second started while it runs; shared by the tests below
    (one build for both: the second test goes on from the warehouse the first run built)."""
    tmp_path = tmp_path_factory.mktemp("enrich")
    env = enrich_env(tmp_path)
    lock = Path(env["ENRICH_LOCK"])
    first = subprocess.Popen(
        ["make", "--no-print-directory", "enrich"],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60  # a time-out, not a measurement
        while not (held := lock_is_held(lock)) and time.monotonic() < deadline:  # until the first holds the lock
            time.sleep(0.1)
        assert held, "the first make enrich never took the lock"
        second = subprocess.run(
            ["make", "--no-print-directory", "enrich"], cwd=REPO, env=env, capture_output=True, text=True, timeout=60
        )
    finally:
        out, err = first.communicate(timeout=300)
    done = subprocess.CompletedProcess(first.args, first.returncode, out, err)
    return FirstEnrich(env, done, second, plays_in_warehouse(Path(env["DATA_DIR"])))


def test_a_second_make_enrich_at_the_same_time_exits_cleanly(first_enrich: FirstEnrich):
    second = first_enrich.second
    assert second.returncode != 0
    assert "another run is in progress" in second.stderr
    assert "Traceback" not in second.stderr and "Could not set lock" not in second.stderr
    first = first_enrich.first
    assert first.returncode == 2, first.stderr[-2000:]  # no source is configured (see enrich_env)
    assert "every source was skipped for its configuration" in first.stderr
    assert "make enrich: dbt build: " in first.stdout and "dbt build skipped" not in first.stdout
    assert first_enrich.plays == 416  # the sample's plays: the first run built in spite of the second


def plays_in_warehouse(data_dir: Path) -> int:
    con = duckdb.connect(str(data_dir / "music_tracker.duckdb"), read_only=True)
    try:
        found = con.execute("select count(*) from fact_track_played").fetchone()
    finally:
        con.close()
    return int(found[0]) if found else -1


def test_make_enrich_with_nothing_new_skips_dbt_build_and_builds_again_when_a_play_lands(first_enrich: FirstEnrich):
    env = first_enrich.env
    data_dir = Path(env["DATA_DIR"])

    def enrich() -> subprocess.CompletedProcess[str]:
        done = subprocess.run(["make", "--no-print-directory", "enrich"], cwd=REPO, env=env, capture_output=True,
                              text=True, timeout=300)  # fmt: skip
        assert done.returncode == 2, done.stderr[-2000:]  # no source is configured (see enrich_env)
        assert "set SPOTIFY_CLIENT_ID" in done.stderr and "set MUSICBRAINZ_CONTACT" in done.stderr
        return done

    first = first_enrich.first  # built
    assert "set SPOTIFY_CLIENT_ID" in first.stderr and "set MUSICBRAINZ_CONTACT" in first.stderr
    plays = first_enrich.plays
    assert plays == plays_in_warehouse(data_dir) == 416

    second = enrich()
    assert "nothing new since the last dbt build; dbt build skipped" in second.stdout
    assert "make enrich: dbt build: " in first.stdout and "dbt build: " not in second.stdout
    assert len(first.stdout.splitlines()) < 20, first.stdout  # dbt is quiet: a success is one line

    con = duckdb.connect()  # one more play lands in the history (as `make ingest` would add it)
    con.execute(
        f"copy (select * replace (played_at + interval 1 day as played_at) from "
        f"read_parquet('{data_dir}/src/tracks_played/sample.parquet') order by played_at desc limit 1) "
        f"to '{data_dir}/src/tracks_played/new.parquet' (format parquet)"
    )
    con.close()
    third = enrich()
    assert "dbt build skipped" not in third.stdout
    assert plays_in_warehouse(data_dir) == plays + 1
    # only data changed, and only the history: the build selects what the history feeds, the rest stands
    assert "(what new data in history.tracks_played feeds)" in third.stdout, third.stdout
    results = json.loads((Path(env["DBT_TARGET_PATH"]) / "run_results.json").read_text())
    built = {r["unique_id"] for r in results["results"]}
    # a night's few new listens: several nodes at once (scripts/enrich.py: threads_for)
    assert results["args"]["threads"] == PARALLEL_THREADS
    assert {"model.rws_music.fact_track_played", "model.rws_music.report_overview"} <= built
    assert not built & {"model.rws_music.dim_time", "model.rws_music.stg_spotify__artists", "seed.rws_music.countries"}
    # dbt runs in make enrich's process, without the manifest nothing reads after a nightly build
    assert not (Path(env["DBT_TARGET_PATH"]) / "manifest.json").exists()


# ---------------------------------------------------------------------------------------------- a source that fails


@dataclass
class FailingSpotify:
    env: dict[str, str]  # both sources configured; Spotify answers 500 to everything, retried once
    mbids: set[str]  # the artist MBIDs MusicBrainz must land (the generated world's truth)
    failed_line: str  # the Spotify summary: every key of the history failed
    merged: dict[str, str]  # MBIDs MusicBrainz merged into another: the warehouse holds the one they became


def failing_spotify_world(root: Path, spotify: FakeSpotify, musicbrainz: FakeMusicBrainz) -> FailingSpotify:
    """A history MusicBrainz knows (a generated world); Spotify answers 500 to everything, retried once."""
    data_dir = root / "data"
    w = make_musicbrainz_world(n_isrc=6, n_url=2, n_name=2, n_history=2, n_none=1, seed=5)
    musicbrainz.artists.update(w.artists)
    musicbrainz.areas.update(w.areas)
    musicbrainz.recordings.extend(w.recordings)
    musicbrainz.urls.update(w.urls)
    musicbrainz.merged.update(w.merged)
    write_history(data_dir, w.plays)
    spotify.add_fault(Fault(status=500, times=1_000_000))  # every request, tokens included
    env = {**spotify_env(spotify, data_dir), **musicbrainz_env(musicbrainz, data_dir)}
    env.update({k: v for k, v in spotify_env(spotify, data_dir).items() if k.startswith("SPOTIFY_")})
    env["HTTP_MAX_RETRIES"] = "1"
    mbids = {m for m, _ in w.expected.values() if m} | {p["artist_mbid"] for p in w.plays if p.get("artist_mbid")}
    tracks, artists = len({p["track_id"] for p in w.plays}), len({p["artist_id"] for p in w.plays})
    line = f"spotify: tracks: 0 found, 0 not found, {tracks} failed; artists: 0 found, 0 not found, {artists} failed"
    return FailingSpotify(env, mbids, line, dict(w.merged))


def landed_mbids(data_dir: Path) -> set[str]:
    return {key for key, status, _ in landed(data_dir, "artists", source="musicbrainz") if status == 200}


def test_all_skip_on_error_goes_on_past_a_failing_source(
    tmp_path: Path, fake_spotify: FakeSpotify, fake_musicbrainz: FakeMusicBrainz
):
    world = failing_spotify_world(tmp_path, fake_spotify, fake_musicbrainz)
    result = run_cli(["all", "--skip-on-error"], world.env, tmp_path)
    assert result.returncode == 1, result.output
    assert result.stdout.splitlines()[0].startswith(world.failed_line)  # every Spotify key failed, counted
    assert "spotify: status 500" in result.stderr
    assert fake_spotify.count("/") > 0 and landed(tmp_path / "data", "artists") == []  # Spotify landed nothing
    assert "musicbrainz:" in result.stdout
    assert landed_mbids(tmp_path / "data") == world.mbids  # MusicBrainz ran after it, and landed every artist


@pytest.mark.slow
def test_make_enrich_with_a_failing_source_builds_and_fails_naming_it(
    tmp_path: Path, fake_spotify: FakeSpotify, fake_musicbrainz: FakeMusicBrainz
):
    world = failing_spotify_world(tmp_path, fake_spotify, fake_musicbrainz)
    env, data_dir = world.env, tmp_path / "data"
    env.update(
        {
            "DUCKDB_PATH": str(data_dir / "music_tracker.duckdb"),
            "DBT_TARGET_PATH": str(tmp_path / "target"),
            "DBT_LOG_PATH": str(tmp_path / "logs"),
            "ENRICH_LOCK": str(tmp_path / "enrich.lock"),
            "MAKEFLAGS": "",
            "DBT_EXCLUDE_RESOURCE_TYPES": "unit_test",  # as in enrich_env
        }
    )
    done = subprocess.run(["make", "--no-print-directory", "enrich"], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=300)  # fmt: skip
    # GNU make exits 2 whenever a recipe fails, so the status of the enrich step itself (scripts/enrich.py:
    # 1, a source failed; 2 would be a configuration error) is the one make reports for `enrich-locked`
    assert done.returncode == 2, done.stdout[-2000:] + done.stderr[-2000:]
    assert "enrich-locked] Error 1" in done.stderr
    output = done.stdout + done.stderr
    assert world.failed_line in output and "spotify: status 500" in output  # the failing source, by name
    assert landed_mbids(data_dir) == world.mbids
    assert "make enrich: dbt build: " in done.stdout  # built anyway, what did land
    con = duckdb.connect(str(data_dir / "music_tracker.duckdb"), read_only=True)
    try:
        built = {r[0] for r in con.execute("select artist_mbid from main.mbz_artist_info").fetchall()}
    finally:
        con.close()
    assert built == {world.merged.get(m, m) for m in world.mbids} and world.merged  # a merged one among them
