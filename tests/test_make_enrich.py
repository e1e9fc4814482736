"""Two `make enrich` at once: the second says another run is in progress and exits, the first completes."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import duckdb

from tests.conftest import REPO


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


def test_a_second_make_enrich_at_the_same_time_exits_cleanly(tmp_path: Path):
    env = enrich_env(tmp_path)
    data_dir, lock = Path(env["DATA_DIR"]), env["ENRICH_LOCK"]
    first = subprocess.Popen(
        ["make", "--no-print-directory", "enrich"], cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:  # wait until the first run holds the lock
            held = lock_is_held(Path(lock))
            if held:
                break
            time.sleep(0.1)
        assert held, "the first make enrich never took the lock"
        second = subprocess.run(
            ["make", "--no-print-directory", "enrich"], cwd=REPO, env=env, capture_output=True, text=True, timeout=60
        )
        assert second.returncode != 0
        assert "another run is in progress" in second.stderr
        assert "Traceback" not in second.stderr and "Could not set lock" not in second.stderr
    finally:
        _, err = first.communicate(timeout=300)
    assert first.returncode == 2, err.decode()[-2000:]
    assert "every source was skipped for its configuration" in err.decode()
    assert (data_dir / "music_tracker.duckdb").exists()


def plays_in_warehouse(data_dir: Path) -> int:
    con = duckdb.connect(str(data_dir / "music_tracker.duckdb"), read_only=True)
    try:
        found = con.execute("select count(*) from fact_track_played").fetchone()
    finally:
        con.close()
    return int(found[0]) if found else -1


def test_make_enrich_with_nothing_new_skips_dbt_build_and_builds_again_when_a_play_lands(tmp_path: Path):
    env = enrich_env(tmp_path)
    data_dir = Path(env["DATA_DIR"])

    def enrich() -> subprocess.CompletedProcess[str]:
        done = subprocess.run(["make", "--no-print-directory", "enrich"], cwd=REPO, env=env, capture_output=True,
                              text=True, timeout=300)  # fmt: skip
        assert done.returncode == 2, done.stderr[-2000:]  # no source is configured (see enrich_env)
        assert "set SPOTIFY_CLIENT_ID" in done.stderr and "set MUSICBRAINZ_CONTACT" in done.stderr
        return done

    first = enrich()
    assert "dbt build skipped" not in first.stdout
    plays = plays_in_warehouse(data_dir)
    assert plays > 0

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
