"""A refresh token that Spotify rotates is kept for the next run, safely, and never shown.

| case                                                         | outcome                                              |
|--------------------------------------------------------------|------------------------------------------------------|
| the refresh answer carries a new refresh_token (PKCE app)    | kept in state/spotify_token.json (mode 600, even     |
|                                                              | with umask 0); the next run sends it, recently-played|
|                                                              | and the catalog extractor alike; never in any output |
| SPOTIFY_REFRESH_TOKEN changed (the user authorised again)    | the new env token is used, not the kept one          |
| the kept token refused (invalid_grant)                       | exit 2: authorise again, naming the file, no token   |
| the token file unreadable                                    | a warning; the env token is used                     |
| no rotation (Spotify's answer without refresh_token)         | no file; the env token every run                     |
"""

from __future__ import annotations

import hashlib
import json
import stat
from pathlib import Path

import pytest

from scripts.devkit.fakes import FakeSpotify
from scripts.devkit.fakes.spotify import REFRESH_TOKEN
from scripts.devkit.worlds import make_spotify_world
from tests.conftest import CliResult, run_cli, spotify_env, write_history

T0 = 1_760_000_000_000


@pytest.fixture
def pkce_env(fake_spotify: FakeSpotify, data_dir: Path) -> dict[str, str]:
    """A PKCE app (no client secret: the client id goes in the token request's body), logging everything."""
    world = make_spotify_world(n_artists=3, n_albums=3, seed=5)
    fake_spotify.entities.update(world.entities())
    for i, track in enumerate(world.tracks):
        fake_spotify.play(T0 + i * 200_000, track)
    write_history(data_dir, world.plays)
    env = spotify_env(fake_spotify, data_dir, LOG_LEVEL="DEBUG")
    del env["SPOTIFY_CLIENT_SECRET"]
    return env


def token_file(data_dir: Path) -> Path:
    return data_dir / "state" / "spotify_token.json"


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def assert_no_token_shown(result: CliResult, *tokens: str) -> None:
    for token in tokens:
        assert token not in result.output


def test_a_rotated_refresh_token_is_kept_mode_600_and_used_next_run(
    fake_spotify: FakeSpotify, data_dir: Path, pkce_env: dict[str, str], open_umask: None
):
    fake_spotify.rotate_refresh_tokens = True
    first = run_cli(["recently-played"], pkce_env, data_dir.parent)
    assert first.returncode == 0, first.output
    assert fake_spotify.refresh_tokens_received == [REFRESH_TOKEN]
    path = token_file(data_dir)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    kept = json.loads(path.read_text())
    assert kept["refresh_token"] == "rotated-refresh-token-1" and kept["from_sha256"] == sha256(REFRESH_TOKEN)
    assert not list(path.parent.glob("*.tmp"))

    second = run_cli(["recently-played"], pkce_env, data_dir.parent)  # the env token is revoked now
    assert second.returncode == 0, second.output
    assert fake_spotify.refresh_tokens_received[-1] == "rotated-refresh-token-1"

    catalog = run_cli(["spotify"], pkce_env, data_dir.parent)  # the catalog extractor shares SpotifyAuth
    assert catalog.returncode == 0, catalog.output
    assert fake_spotify.refresh_tokens_received == [REFRESH_TOKEN, "rotated-refresh-token-1", "rotated-refresh-token-2"]
    assert json.loads(path.read_text())["refresh_token"] == "rotated-refresh-token-3"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    status = run_cli(["status"], pkce_env, data_dir.parent)
    for result in (first, second, catalog, status):  # LOG_LEVEL=DEBUG: every log line is in stderr
        assert_no_token_shown(result, REFRESH_TOKEN, "rotated-refresh-token")


def test_a_new_env_token_wins_over_the_kept_one(fake_spotify: FakeSpotify, data_dir: Path, pkce_env: dict[str, str]):
    fake_spotify.rotate_refresh_tokens = True
    assert run_cli(["recently-played"], pkce_env, data_dir.parent).returncode == 0
    assert json.loads(token_file(data_dir).read_text())["refresh_token"] == "rotated-refresh-token-1"

    fake_spotify.authorise("reauthorised-refresh-token")  # the user authorises again and puts it in .env
    env = {**pkce_env, "SPOTIFY_REFRESH_TOKEN": "reauthorised-refresh-token"}
    result = run_cli(["recently-played"], env, data_dir.parent)
    assert result.returncode == 0, result.output
    assert fake_spotify.refresh_tokens_received[-1] == "reauthorised-refresh-token"
    kept = json.loads(token_file(data_dir).read_text())  # the new chain, from the new token
    assert kept["refresh_token"] == "rotated-refresh-token-2"
    assert kept["from_sha256"] == sha256("reauthorised-refresh-token")
    assert_no_token_shown(result, "reauthorised-refresh-token", "rotated-refresh-token")


def test_the_kept_token_refused_says_to_authorise_again(
    fake_spotify: FakeSpotify, data_dir: Path, pkce_env: dict[str, str]
):
    fake_spotify.rotate_refresh_tokens = True
    assert run_cli(["recently-played"], pkce_env, data_dir.parent).returncode == 0
    fake_spotify.refresh_token_revoked = True  # e.g. the six-month expiry, or the user removed the app
    result = run_cli(["recently-played"], pkce_env, data_dir.parent)
    assert result.returncode == 2
    line = result.stderr.strip().splitlines()[-1]
    assert line.startswith("error: ") and "authorise the app again" in line and "SPOTIFY_REFRESH_TOKEN" in line
    assert str(token_file(data_dir)) in line and "invalid_grant: Refresh token revoked" in line
    assert fake_spotify.refresh_tokens_received[-1] == "rotated-refresh-token-1"
    assert_no_token_shown(result, REFRESH_TOKEN, "rotated-refresh-token")


def test_an_unreadable_token_file_falls_back_to_the_env_token(
    fake_spotify: FakeSpotify, data_dir: Path, pkce_env: dict[str, str]
):
    path = token_file(data_dir)
    path.parent.mkdir(parents=True)
    path.write_text("{not json")
    result = run_cli(["recently-played"], pkce_env, data_dir.parent)
    assert result.returncode == 0, result.output
    assert "is not a readable token file" in result.stderr
    assert fake_spotify.refresh_tokens_received == [REFRESH_TOKEN]


def test_without_rotation_nothing_is_kept(fake_spotify: FakeSpotify, data_dir: Path, pkce_env: dict[str, str]):
    for _ in range(2):
        assert run_cli(["recently-played"], pkce_env, data_dir.parent).returncode == 0
    assert fake_spotify.refresh_tokens_received == [REFRESH_TOKEN, REFRESH_TOKEN]
    assert not token_file(data_dir).exists()
