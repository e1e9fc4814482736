"""Live polling of recently-played against the fake Spotify: every play once, cursor advanced, crashes lose nothing."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

from tests.conftest import run_cli, spotify_env, write_history
from tests.fakes import FakeSpotify
from tests.worlds import make_spotify_world

T0 = 1_760_000_000_000  # epoch ms


def history(data_dir: Path) -> list[tuple]:
    folder = data_dir / "src" / "tracks_played"
    if not folder.is_dir() or not list(folder.glob("*.parquet")):
        return []
    return duckdb.sql(
        f"select played_at, track_id, artist_id, play_source from '{folder}/*.parquet' order by played_at"
    ).fetchall()


def setup_world(fake: FakeSpotify, data_dir: Path) -> list[str]:
    w = make_spotify_world(n_artists=5, n_albums=5, seed=4)
    fake.entities.update(w.entities())
    return list(w.tracks)


def test_two_polls_with_overlap_store_every_play_once_and_advance_the_cursor(fake_spotify: FakeSpotify, data_dir):
    tracks = setup_world(fake_spotify, data_dir)
    env = spotify_env(fake_spotify, data_dir)
    for i in range(30):
        fake_spotify.play(T0 + i * 200_000, tracks[i % 5])
    first = run_cli(["recently-played"], env, data_dir.parent)
    assert first.returncode == 0, first.output
    assert "30 new" in first.stdout
    cursor = json.loads((data_dir / "state" / "recently_played.json").read_text())["after"]
    assert cursor == str(T0 + 29 * 200_000)
    asked = fake_spotify.requests[-1].query
    assert asked["limit"] == ["50"] and "after" not in asked  # the first poll has no cursor

    for i in range(30, 100):  # 70 more: more than a page of 50 since the cursor
        fake_spotify.play(T0 + i * 200_000, tracks[i % 5])
    second = run_cli(["recently-played"], env, data_dir.parent)
    assert second.returncode == 0, second.output
    assert "70 new" in second.stdout
    rows = history(data_dir)
    assert len(rows) == 100 and len({r[:2] for r in rows}) == 100
    assert {r[3] for r in rows} == {"spotify_recently_played"}
    assert all(r[2] for r in rows)  # the first artist of each track
    after = [r.query.get("after", [None])[0] for r in fake_spotify.requests if "recently" in r.path]
    assert str(T0 + 29 * 200_000) in after

    third = run_cli(["recently-played"], env, data_dir.parent)
    assert third.returncode == 0 and len(history(data_dir)) == 100


def test_all_artists_of_a_track_are_kept_in_the_landed_json(fake_spotify: FakeSpotify, data_dir: Path):
    tracks = setup_world(fake_spotify, data_dir)
    featured = fake_spotify.entities["tracks"][tracks[0]]
    featured["artists"].append({"id": "F" * 22, "name": "Featured", "type": "artist"})
    fake_spotify.play(T0, tracks[0])
    assert run_cli(["recently-played"], spotify_env(fake_spotify, data_dir), data_dir.parent).returncode == 0
    folder = data_dir / "raw" / "spotify" / "recently_played"
    names = duckdb.sql(f"select body -> 'track' -> 'artists' ->> '$[*].name' from '{folder}/*.parquet'").fetchall()
    assert names[0][0][-1] == "Featured"
    assert history(data_dir)[0][2] == featured["artists"][0]["id"]


def test_a_kill_between_fetch_and_write_loses_nothing(fake_spotify: FakeSpotify, data_dir: Path):
    tracks = setup_world(fake_spotify, data_dir)
    for i in range(10):
        fake_spotify.play(T0 + i * 1000, tracks[i % 5])
    env = spotify_env(fake_spotify, data_dir)
    for point in ("after-landing", "after-plays"):
        killed = run_cli(["recently-played"], {**env, "RWS_CRASH_AT": point}, data_dir.parent)
        assert killed.returncode == -9
    assert not (data_dir / "state" / "recently_played.json").exists()  # the cursor never moved
    assert len(history(data_dir)) == 10  # written once by the run killed after writing
    final = run_cli(["recently-played"], env, data_dir.parent)
    assert final.returncode == 0, final.output
    assert len(history(data_dir)) == 10 and "0 new" in final.stdout
    assert (data_dir / "state" / "recently_played.json").exists()


def test_plays_already_in_the_history_are_not_added_again(fake_spotify: FakeSpotify, data_dir: Path):
    tracks = setup_world(fake_spotify, data_dir)
    fake_spotify.play(T0 + 5_123, tracks[0])  # 12:13:20.123 in the live API ...
    from datetime import UTC, datetime

    exported = datetime.fromtimestamp((T0 + 5_000) / 1000, UTC).replace(tzinfo=None)  # ... whole seconds in exports
    write_history(data_dir, [{"track_id": tracks[0], "track_name": "x", "artist": "y", "played_at": exported}])
    result = run_cli(["recently-played"], spotify_env(fake_spotify, data_dir), data_dir.parent)
    assert result.returncode == 0, result.output
    assert len(history(data_dir)) == 1 and "1 known" in result.stdout


def test_without_a_refresh_token_it_says_what_to_set(fake_spotify: FakeSpotify, data_dir: Path):
    env = spotify_env(fake_spotify, data_dir)
    del env["SPOTIFY_REFRESH_TOKEN"]
    result = run_cli(["recently-played"], env, data_dir.parent)
    assert result.returncode == 2
    assert "SPOTIFY_REFRESH_TOKEN" in result.stderr.strip().splitlines()[-1]
    assert fake_spotify.count("") == 0
