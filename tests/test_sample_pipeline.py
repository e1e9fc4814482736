"""The bundled sample end to end, as `make demo` runs it: recorded answers → extractors → dbt build."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import duckdb

from scripts import make_sample
from tests.conftest import REPO, landed, run_cli, spotify_env
from tests.fakes import FakeSpotify
from tests.test_dbt_models import assert_ok, run_dbt

SAMPLE = REPO / "data" / "sample"


def digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.suffix in {".json", ".parquet"}
    }


def test_regenerating_the_sample_reproduces_the_committed_files(tmp_path: Path):
    make_sample.main(["--out", str(tmp_path)])
    assert digest(tmp_path) == digest(SAMPLE)


def test_sample_pipeline_fills_the_spotify_tables(tmp_path: Path):
    data_dir = tmp_path / "data"
    (data_dir / "src" / "tracks_played").mkdir(parents=True)
    shutil.copy2(SAMPLE / "tracks_played.parquet", data_dir / "src" / "tracks_played" / "sample.parquet")
    with FakeSpotify.from_recordings(SAMPLE / "recordings" / "spotify") as fake:
        assert isinstance(fake, FakeSpotify)
        env = spotify_env(fake, data_dir)
        result = run_cli(["all"], env, tmp_path)
        assert result.returncode == 0, result.output
        # 11 tracks (1 batch), then 37 artists (1 batch) and 51 albums (3 batches of 20)
        assert fake.data_requests() == 1 + 1 + 3
        fake.reset_log()
        assert run_cli(["all"], env, tmp_path).returncode == 0
        assert fake.data_requests() == 0
    not_found = {
        k for endpoint in ("tracks", "artists", "albums") for k, s, _ in landed(data_dir, endpoint) if s != 200
    }
    assert not_found == {"0GoneFromSpotify0Track", "0GoneFromSpotify0Artst", "0GoneFromSpotify0Album"}

    assert_ok(run_dbt(data_dir))
    con = duckdb.connect(str(data_dir / "music_tracker.duckdb"), read_only=True)
    counts = {
        t: con.execute(f"select count(*) from main.{t}").fetchone()[0]
        for t in ("spotify_artists", "spotify_albums", "spotify_artist_genre")
    }
    assert counts["spotify_artists"] == 36 and counts["spotify_albums"] == 50
    assert counts["spotify_artist_genre"] > 36
    # an artist reachable only through a fetched track made it in, with no genres from Spotify
    row = con.execute("select genres from main.spotify_artists where artist_name = 'Mdou Moctar'").fetchone()
    assert row == ([],)
    precisions = dict(
        con.execute("select release_date_precision, count(*) from main.spotify_albums group by 1").fetchall()
    )
    assert set(precisions) == {"year", "month", "day"}
