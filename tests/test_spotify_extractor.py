"""The Spotify extractor over real HTTP against the fake Spotify on 127.0.0.1."""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb

from scripts.devkit.fakes import FakeSpotify
from scripts.devkit.worlds import SpotifyWorld, make_spotify_world
from tests.conftest import landed, run_cli, spotify_env, write_history
from tests.test_dbt_models import write_landed


def assert_each_key_once(data_dir: Path, endpoint: str, expected: set[str]) -> None:
    keys = [row[0] for row in landed(data_dir, endpoint)]
    assert len(keys) == len(set(keys)), f"{endpoint}: a key landed twice"
    assert set(keys) == expected


def test_extended_mode_makes_one_request_per_batch_and_a_rerun_makes_none(
    world: SpotifyWorld, fake_spotify: FakeSpotify, data_dir: Path
) -> None:
    env = spotify_env(fake_spotify, data_dir)
    result = run_cli(["spotify"], env, data_dir.parent)
    assert result.returncode == 0, result.output
    expected = math.ceil(120 / 50) + math.ceil(45 / 20)
    assert fake_spotify.data_requests() == expected
    assert fake_spotify.count("/v1/artists") == 3 and fake_spotify.count("/v1/albums") == 3
    assert_each_key_once(data_dir, "artists", set(world.artists))
    assert_each_key_once(data_dir, "albums", set(world.albums))
    assert {row[1] for row in landed(data_dir, "artists")} == {200}
    assert len(list((data_dir / "raw/spotify/artists").glob("*.parquet"))) == 3  # one file per batch

    fake_spotify.reset_log()
    again = run_cli(["spotify"], env, data_dir.parent)
    assert again.returncode == 0, again.output
    assert fake_spotify.data_requests() == 0


def test_landed_body_is_the_api_json_unmodified(world: SpotifyWorld, fake_spotify: FakeSpotify, data_dir: Path) -> None:
    assert run_cli(["spotify"], spotify_env(fake_spotify, data_dir), data_dir.parent).returncode == 0
    con = duckdb.connect()
    folder = data_dir / "raw/spotify/artists"
    types = dict(con.execute(f"select column_name, column_type from (describe from '{folder}/*.parquet')").fetchall())
    assert types == {"key": "VARCHAR", "status": "SMALLINT", "fetched_at": "TIMESTAMP WITH TIME ZONE", "body": "JSON"}
    key, body = con.execute(f"select key, body from '{folder}/*.parquet' limit 1").fetchone()
    assert json.loads(body) == world.artists[key]


def test_development_mode_falls_back_to_one_request_per_id(
    world: SpotifyWorld, fake_spotify: FakeSpotify, data_dir: Path
) -> None:
    fake_spotify.mode = "dev"
    env = spotify_env(fake_spotify, data_dir)
    result = run_cli(["spotify"], env, data_dir.parent)
    assert result.returncode == 0, result.output
    assert "Development Mode" in result.stderr
    forbidden = [r for r in fake_spotify.requests if r.path in ("/v1/artists", "/v1/albums")]
    assert len(forbidden) == 2  # one 403 per batch endpoint, then never again this run
    assert fake_spotify.data_requests() == 2 + 120 + 45
    assert_each_key_once(data_dir, "artists", set(world.artists))
    assert_each_key_once(data_dir, "albums", set(world.albums))
    con = duckdb.connect()
    followers = con.execute(
        f"select count(*) from '{data_dir}/raw/spotify/artists/*.parquet' where (body -> 'followers') is not null"
    ).fetchone()
    assert followers == (0,)  # dev mode no longer sends them; landed as given

    fake_spotify.reset_log()
    assert run_cli(["spotify"], env, data_dir.parent).returncode == 0
    assert fake_spotify.data_requests() == 0


def test_unknown_ids_are_recorded_not_found_and_not_asked_again(fake_spotify: FakeSpotify, data_dir: Path) -> None:
    w = make_spotify_world(n_artists=3, n_albums=2, seed=3)
    fake_spotify.entities.update(w.entities())
    ghost_artist, ghost_album = "0" * 21 + "A", "0" * 21 + "B"
    plays = [*w.plays, {"artist_id": ghost_artist, "album_id": ghost_album, "track_name": "x", "artist": "y",
                        "played_at": datetime(2025, 5, 1)}]  # fmt: skip
    write_history(data_dir, plays)
    env = spotify_env(fake_spotify, data_dir)
    assert run_cli(["spotify"], env, data_dir.parent).returncode == 0
    statuses = {key: status for key, status, _ in landed(data_dir, "artists")}
    assert statuses[ghost_artist] == 404 and statuses[w.plays[0]["artist_id"]] == 200
    assert {key: status for key, status, _ in landed(data_dir, "albums")}[ghost_album] == 404

    fake_spotify.reset_log()
    assert run_cli(["spotify"], env, data_dir.parent).returncode == 0
    assert fake_spotify.data_requests() == 0

    assert run_cli(["spotify", "--retry-not-found"], env, data_dir.parent).returncode == 0
    assert fake_spotify.data_requests() == 2  # the two not-found ids, one batch each
    fake_spotify.reset_log()
    assert run_cli(["spotify"], {**env, "NOT_FOUND_RETRY_DAYS": "0"}, data_dir.parent).returncode == 0
    assert fake_spotify.data_requests() == 2


def test_single_id_404_is_recorded_not_found_in_development_mode(fake_spotify: FakeSpotify, data_dir: Path) -> None:
    fake_spotify.mode = "dev"
    ghost = "1" * 22
    write_history(data_dir, [{"artist_id": ghost, "track_name": "t", "artist": "a", "played_at": datetime(2025, 1, 1)}])
    assert run_cli(["spotify"], spotify_env(fake_spotify, data_dir), data_dir.parent).returncode == 0
    [(key, status, body)] = landed(data_dir, "artists")
    assert (key, status) == (ghost, 404)
    assert '"Resource not found"' in body


def test_single_id_400_invalid_id_is_recorded_not_found_and_the_run_goes_on(
    fake_spotify: FakeSpotify, data_dir: Path
) -> None:
    fake_spotify.mode = "dev"
    refused, ghost = "2" * 22, "3" * 22
    fake_spotify.invalid_ids.add(refused)
    fake_spotify.entities["artists"]["4" * 22] = {"id": "4" * 22, "name": "Known", "type": "artist"}
    plays = [
        {"artist_id": artist, "track_name": "t", "artist": "a", "played_at": datetime(2025, 1, 1, minute=n)}
        for n, artist in enumerate([refused, refused, ghost, "4" * 22])
    ]
    write_history(data_dir, plays)
    result = run_cli(["spotify"], spotify_env(fake_spotify, data_dir), data_dir.parent)
    assert result.returncode == 0, result.output
    assert [(key, status) for key, status, _ in landed(data_dir, "artists")] == [
        (refused, 400),
        (ghost, 404),
        ("4" * 22, 200),
    ]
    assert "artists: 1 found, 2 not found" in result.stdout
    # not asked again before NOT_FOUND_RETRY_DAYS, like any not-found
    fake_spotify.reset_log()
    assert run_cli(["spotify"], spotify_env(fake_spotify, data_dir), data_dir.parent).returncode == 0
    assert fake_spotify.data_requests() == 0


def test_a_play_with_only_a_track_id_fetches_the_track_first(fake_spotify: FakeSpotify, data_dir: Path) -> None:
    w = make_spotify_world(n_artists=2, n_albums=2, seed=5)
    fake_spotify.entities.update(w.entities())
    track_id = w.plays[0]["track_id"]
    artist_id, album_id = w.plays[0]["artist_id"], w.plays[0]["album_id"]
    only_uri = [{"track_uri": f"spotify:track:{track_id}", "track_name": "t", "artist": "a",
                 "played_at": datetime(2025, 1, 1)}]  # fmt: skip
    write_history(data_dir, only_uri)
    assert run_cli(["spotify"], spotify_env(fake_spotify, data_dir), data_dir.parent).returncode == 0
    assert [r[0] for r in landed(data_dir, "tracks")] == [track_id]
    assert [r[0] for r in landed(data_dir, "artists")] == [artist_id]
    assert [r[0] for r in landed(data_dir, "albums")] == [album_id]
    order = [r.path.split("/")[2] for r in fake_spotify.requests if r.path.startswith("/v1/")]
    assert order == ["tracks", "albums", "artists"]  # the track names its album; albums before artists


def test_limit_fetches_the_most_played_first(fake_spotify: FakeSpotify, data_dir: Path) -> None:
    w = make_spotify_world(n_artists=5, n_albums=0, seed=9)
    fake_spotify.entities.update(w.entities())
    favourite = w.plays[3]
    write_history(data_dir, [*w.plays, favourite, favourite])
    env = spotify_env(fake_spotify, data_dir)
    assert run_cli(["spotify", "--limit", "1"], env, data_dir.parent).returncode == 0
    assert [r[0] for r in landed(data_dir, "artists")] == [favourite["artist_id"]]


def test_malformed_ids_are_skipped_with_a_warning(fake_spotify: FakeSpotify, data_dir: Path) -> None:
    bad = "abc'); drop table x; --"
    write_history(data_dir, [{"artist_id": bad, "track_name": "t", "artist": "a", "played_at": datetime(2025, 1, 1)}])
    result = run_cli(["spotify"], spotify_env(fake_spotify, data_dir), data_dir.parent)
    assert result.returncode == 0, result.output
    assert "not Spotify ids" in result.stderr
    assert fake_spotify.data_requests() == 0


def test_user_agent_and_no_secret_in_any_output(world: SpotifyWorld, fake_spotify: FakeSpotify, data_dir: Path) -> None:
    env = spotify_env(fake_spotify, data_dir, LOG_LEVEL="DEBUG")
    result = run_cli(["spotify"], env, data_dir.parent)
    assert result.returncode == 0, result.output
    for secret in (env["SPOTIFY_CLIENT_SECRET"], env["SPOTIFY_REFRESH_TOKEN"], "token-1"):
        assert secret not in result.output
    agents = {r.headers.get("User-Agent", "") for r in fake_spotify.requests}
    assert all(a.startswith("rws-music/") for a in agents)


def test_a_not_found_is_asked_again_only_after_not_found_retry_days(fake_spotify: FakeSpotify, data_dir: Path) -> None:
    """With the default NOT_FOUND_RETRY_DAYS (30): an artist answered 404 29 days ago is not asked again; one
    answered 404 31 days ago is, and now that Spotify knows it, it lands with its 200."""
    w = make_spotify_world(n_artists=2, n_albums=0, seed=13)
    fake_spotify.entities.update(w.entities())  # both exist by now
    recent, old = sorted(w.artists)
    write_history(data_dir, [{"artist_id": a, "track_name": "t", "artist": "a", "played_at": datetime(2025, 5, 1)}
                             for a in (recent, old)])  # fmt: skip
    now = datetime.now(UTC)
    not_found = {"error": {"status": 404, "message": "Resource not found"}}
    write_landed(data_dir, "artists", "earlier.parquet", [
        (recent, 404, (now - timedelta(days=29)).isoformat(), not_found),
        (old, 404, (now - timedelta(days=31)).isoformat(), not_found),
    ])  # fmt: skip
    env = spotify_env(fake_spotify, data_dir)
    env.pop("NOT_FOUND_RETRY_DAYS", None)  # the default
    result = run_cli(["spotify"], env, data_dir.parent)
    assert result.returncode == 0, result.output
    asked = [(r.path, r.query.get("ids")) for r in fake_spotify.requests if r.path.startswith("/v1/")]
    assert asked == [("/v1/artists", [old])]
    assert sorted((key, status) for key, status, _ in landed(data_dir, "artists")) == sorted(
        [(recent, 404), (old, 404), (old, 200)]
    )
