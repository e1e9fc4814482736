"""Spotify misbehaving on cue, over real HTTP: what the user sees, and that nothing landed is lost."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from tests.conftest import landed, run_cli, spotify_env
from tests.fakes import FakeSpotify, Fault
from tests.worlds import SpotifyWorld

QUOTA_429 = {"error": {"status": 429, "message": "Too many requests", "reason": "QUOTA_EXCEEDED"}}


def all_files_readable(data_dir: Path) -> None:
    con = duckdb.connect()
    for path in (data_dir / "raw").rglob("*"):
        if path.is_file():
            assert path.suffix == ".parquet", f"stray file {path}"
            con.execute("select count(*) from read_parquet(?)", [str(path)]).fetchone()


def keys_once(data_dir: Path, endpoint: str) -> set[str]:
    keys = [k for k, _, _ in landed(data_dir, endpoint)]
    assert len(keys) == len(set(keys))
    return set(keys)


def test_429_with_short_retry_after_is_waited_out(world: SpotifyWorld, fake_spotify: FakeSpotify, data_dir: Path):
    fake_spotify.add_fault(Fault(path="/v1/artists", status=429, body=QUOTA_429, headers={"Retry-After": "1"}))
    result = run_cli(["spotify"], spotify_env(fake_spotify, data_dir), data_dir.parent)
    assert result.returncode == 0, result.output
    assert "waiting 1.0 s" in result.stderr
    assert fake_spotify.count("/v1/artists") == 3 + 1
    assert keys_once(data_dir, "artists") == set(world.artists)


def test_429_with_a_day_long_retry_after_stops_cleanly_keeping_earlier_batches(
    world: SpotifyWorld, fake_spotify: FakeSpotify, data_dir: Path
):
    env = spotify_env(fake_spotify, data_dir)
    fake_spotify.add_fault(Fault(path="/v1/artists", kind="hang", delay=0))  # first batch passes
    fake_spotify.add_fault(Fault(path="/v1/artists", status=429, body=QUOTA_429, headers={"Retry-After": "86400"}))
    result = run_cli(["spotify"], env, data_dir.parent)
    assert result.returncode == 1
    assert "86,400 s" in result.stderr and "RETRY_AFTER_MAX" in result.stderr and "run again after" in result.stderr
    assert "Traceback" not in result.output
    assert len(keys_once(data_dir, "artists")) == 50  # the first batch stays landed
    all_files_readable(data_dir)

    again = run_cli(["spotify"], env, data_dir.parent)  # the server is fine again: the rest is fetched
    assert again.returncode == 0, again.output
    assert keys_once(data_dir, "artists") == set(world.artists)


def test_expired_token_mid_run_is_refreshed_once(world: SpotifyWorld, fake_spotify: FakeSpotify, data_dir: Path):
    fake_spotify.add_fault(Fault(path="/v1/artists", kind="hang", delay=0))
    fake_spotify.add_fault(Fault(path="/v1/artists", kind="expire_tokens"))
    result = run_cli(["spotify"], spotify_env(fake_spotify, data_dir), data_dir.parent)
    assert result.returncode == 0, result.output
    assert fake_spotify.count("/api/token") == 2
    assert "refreshing it once" in result.stderr
    assert keys_once(data_dir, "artists") == set(world.artists)


@pytest.mark.parametrize(
    ("description", "error"),
    [("Refresh token revoked", "invalid_grant"), ("Invalid refresh token", "invalid_grant")],
)
def test_revoked_refresh_token_exits_2_naming_what_to_renew(
    world: SpotifyWorld, fake_spotify: FakeSpotify, data_dir: Path, description: str, error: str
):
    fake_spotify.add_fault(
        Fault(path="/api/token", status=400, body={"error": error, "error_description": description})
    )
    result = run_cli(["spotify"], spotify_env(fake_spotify, data_dir), data_dir.parent)
    assert result.returncode == 2
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1 and result.stderr.strip().splitlines()[-1] == errors[0]
    assert "SPOTIFY_REFRESH_TOKEN" in errors[0] and description in errors[0]
    assert fake_spotify.data_requests() == 0


def test_wrong_client_secret_exits_2(world: SpotifyWorld, fake_spotify: FakeSpotify, data_dir: Path):
    env = spotify_env(fake_spotify, data_dir, SPOTIFY_CLIENT_SECRET="wrong")
    result = run_cli(["spotify"], env, data_dir.parent)
    assert result.returncode == 2
    assert "invalid_client" in result.stderr and "SPOTIFY_CLIENT_SECRET" in result.stderr
    assert "wrong" not in result.stderr


def test_client_credentials_grant_without_a_refresh_token(
    world: SpotifyWorld, fake_spotify: FakeSpotify, data_dir: Path
):
    env = spotify_env(fake_spotify, data_dir)
    del env["SPOTIFY_REFRESH_TOKEN"]
    assert run_cli(["spotify"], env, data_dir.parent).returncode == 0
    [token_request] = [r for r in fake_spotify.requests if r.path == "/api/token"]
    assert b"grant_type=client_credentials" in token_request.body


@pytest.mark.parametrize("kind", ["html", "truncate"])
def test_garbled_answers_are_retried_and_never_landed(
    world: SpotifyWorld, fake_spotify: FakeSpotify, data_dir: Path, kind: str
):
    fake_spotify.add_fault(Fault(path="/v1/artists", kind=kind, times=2))
    result = run_cli(["spotify"], spotify_env(fake_spotify, data_dir), data_dir.parent)
    assert result.returncode == 0, result.output
    assert "not valid JSON" in result.stderr
    assert keys_once(data_dir, "artists") == set(world.artists)
    all_files_readable(data_dir)


@pytest.mark.parametrize("kind", ["html", "truncate"])
def test_persistently_garbled_answers_stop_the_source_without_landing_garbage(
    world: SpotifyWorld, fake_spotify: FakeSpotify, data_dir: Path, kind: str
):
    fake_spotify.add_fault(Fault(path="/v1/artists", kind=kind, times=1000))
    env = spotify_env(fake_spotify, data_dir, HTTP_MAX_RETRIES="2")
    result = run_cli(["spotify"], env, data_dir.parent)
    assert result.returncode == 1
    assert "Traceback" not in result.output
    assert "not valid JSON" in result.stderr.strip().splitlines()[-1]
    assert landed(data_dir, "artists") == []
    all_files_readable(data_dir)


def test_skip_on_error_goes_past_a_bad_batch(world: SpotifyWorld, fake_spotify: FakeSpotify, data_dir: Path):
    fake_spotify.add_fault(Fault(path="/v1/artists", kind="html", times=3))  # the first batch, every attempt
    env = spotify_env(fake_spotify, data_dir, HTTP_MAX_RETRIES="2")
    result = run_cli(["spotify", "--skip-on-error"], env, data_dir.parent)
    assert result.returncode == 1  # a batch failed...
    assert len(keys_once(data_dir, "artists")) == 70  # ...the other two landed
    assert keys_once(data_dir, "albums") == set(world.albums)  # and the run went on
    again = run_cli(["spotify"], env, data_dir.parent)
    assert again.returncode == 0
    assert keys_once(data_dir, "artists") == set(world.artists)


@pytest.mark.parametrize("status", [500, 502, 503])
def test_server_error_bursts_are_retried(world: SpotifyWorld, fake_spotify: FakeSpotify, data_dir: Path, status: int):
    fake_spotify.add_fault(Fault(path="/v1/albums", status=status, body={"error": {"status": status}}, times=3))
    result = run_cli(["spotify"], spotify_env(fake_spotify, data_dir), data_dir.parent)
    assert result.returncode == 0, result.output
    assert fake_spotify.count("/v1/albums") == 3 + 3
    assert keys_once(data_dir, "albums") == set(world.albums)


def test_connection_resets_and_timeouts_are_retried(world: SpotifyWorld, fake_spotify: FakeSpotify, data_dir: Path):
    fake_spotify.add_fault(Fault(path="/v1/artists", kind="reset", times=2))
    fake_spotify.add_fault(Fault(path="/v1/albums", kind="hang", delay=1.5))
    env = spotify_env(fake_spotify, data_dir, HTTP_TIMEOUT="0.5")
    result = run_cli(["spotify"], env, data_dir.parent)
    assert result.returncode == 0, result.output
    assert "connection failed" in result.stderr and "no answer within 0.5 s" in result.stderr
    assert keys_once(data_dir, "artists") == set(world.artists)
    assert keys_once(data_dir, "albums") == set(world.albums)


def test_a_dead_server_stops_the_source_with_a_clear_message(world: SpotifyWorld, data_dir: Path):
    dead = FakeSpotify().start()
    dead.stop()  # nothing listens on that port any more
    env = spotify_env(dead, data_dir, HTTP_MAX_RETRIES="1")
    result = run_cli(["spotify"], env, data_dir.parent)
    assert result.returncode == 1
    assert "connection failed" in result.stderr and "Traceback" not in result.output
