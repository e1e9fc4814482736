"""Two `make enrich` at once: the second says another run is in progress and exits, the first completes."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

from tests.conftest import REPO


def test_a_second_make_enrich_at_the_same_time_exits_cleanly(tmp_path: Path):
    data_dir = tmp_path / "data"
    (data_dir / "src" / "tracks_played").mkdir(parents=True)
    shutil.copy2(REPO / "data/sample/tracks_played.parquet", data_dir / "src/tracks_played/sample.parquet")
    lock = tmp_path / "enrich.lock"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SPOTIFY_", "MUSICBRAINZ_", "OPENWEATHER_"))}
    env.update(
        {
            "DATA_DIR": str(data_dir),
            "DUCKDB_PATH": str(data_dir / "music_tracker.duckdb"),
            "DBT_TARGET_PATH": str(tmp_path / "target"),
            "DBT_LOG_PATH": str(tmp_path / "logs"),
            "ENRICH_LOCK": str(lock),
            "MAKEFLAGS": "",
        }
    )
    first = subprocess.Popen(
        ["make", "--no-print-directory", "enrich"], cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:  # wait until the first run holds the lock
            held = subprocess.run(["flock", "-n", "-E", "75", str(lock), "true"], check=False).returncode == 75
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
    assert first.returncode == 0, err.decode()[-2000:]
    assert (data_dir / "music_tracker.duckdb").exists()
