"""Spotify misbehaving on cue, over real HTTP: what the user sees, and that nothing landed is lost.

Every case starts from a data folder in which an earlier run landed 10 artists and 10 albums (``primed``),
injects the fault into the fake Spotify on 127.0.0.1, runs ``python -m extractors spotify`` and then checks
the invariants of tests/invariants.py against that earlier state: every landed file readable, every key
landed at most once, nothing landed before the fault lost or rewritten.

| fault                                                  | outcome                                                |
|--------------------------------------------------------|--------------------------------------------------------|
| 429 with Retry-After: 1                                | waits 1.0 s, exit 0, every key landed                  |
| 429 without Retry-After                                | backoff, exit 0                                        |
| 500 / 502 / 503 burst (3 in a row)                     | backoff, exit 0                                        |
| token endpoint 503 burst                               | backoff, exit 0                                        |
| connection reset (twice)                               | "connection failed", retried, exit 0                   |
| timeout (answer after 1.5 s, HTTP_TIMEOUT=0.5)         | "no answer within 0.5 s", retried, exit 0              |
| HTML page / truncated JSON with 200 (twice)            | "not valid JSON", retried, never landed, exit 0        |
| access token expires mid-run                           | "refreshing it once", one new token, exit 0            |
| 429 with Retry-After: 86400                            | exit 1: "…86,400 s…RETRY_AFTER_MAX…run again after …"; |
|                                                        | earlier batches kept; the next run completes           |
| persistent 503 / reset / timeout / HTML / truncated    | exit 1, last line names the problem "still after N     |
|                                                        | attempts"; earlier batches kept; next run completes    |
| refresh token revoked (invalid_grant) at the start     | exit 2, one line naming SPOTIFY_REFRESH_TOKEN, no data |
|                                                        | request                                                |
| token expires mid-run and its refresh is revoked       | exit 2 with that line; earlier batches kept; after     |
|                                                        | re-authorising the next run completes                  |
| wrong client secret (invalid_client)                   | exit 2 naming SPOTIFY_CLIENT_SECRET, never printing it |
| nothing listening on the port                          | exit 1, "connection failed"                            |
| a batch garbled on every attempt, --skip-on-error      | exit 1, the other batches and endpoints landed         |
"""

from __future__ import annotations

import copy
import math
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from scripts.devkit.fakes import FakeSpotify, Fault
from scripts.devkit.worlds import SpotifyWorld, make_spotify_world
from tests.conftest import run_cli, spotify_env, write_history
from tests.invariants import Snapshot, Stopping, Transient, check_invariants, error_line, inject, snapshot

QUOTA_429 = {"error": {"status": 429, "message": "Too many requests", "reason": "QUOTA_EXCEEDED"}}
INVALID_GRANT = {"error": "invalid_grant", "error_description": "Refresh token revoked"}
PRIMED = 10  # keys per endpoint landed before any fault
PASS = Fault(path="/v1/artists", kind="hang", delay=0)  # the first artists batch passes untouched


def server_error(status: int) -> dict[str, object]:
    return {"error": {"status": status, "message": f"Server error {status}"}}


@pytest.fixture(scope="module")
def primed_raw(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """raw/ after ``spotify --limit 10`` over the world of the ``world`` fixture (same seed), landed once."""
    data = tmp_path_factory.mktemp("primed") / "data"
    w = make_spotify_world(n_artists=120, n_albums=45, seed=7)
    write_history(data, w.plays)
    fake = FakeSpotify()
    fake.entities.update(w.entities())
    fake.start()
    try:
        result = run_cli(["spotify", "--limit", str(PRIMED)], spotify_env(fake, data), data.parent)
    finally:
        fake.stop()
    assert result.returncode == 0, result.output
    yield data / "raw"


@pytest.fixture
def primed(world: SpotifyWorld, data_dir: Path, primed_raw: Path) -> Snapshot:
    """The data folder holds what an earlier run landed; returns its snapshot (the state before the fault)."""
    shutil.copytree(primed_raw, data_dir / "raw")
    before = check_invariants(data_dir)
    assert len(before.keys("spotify/artists")) == len(before.keys("spotify/albums")) == PRIMED
    assert before.keys("spotify/artists") <= set(world.artists) and before.keys("spotify/albums") <= set(world.albums)
    return before


def assert_everything_landed(data_dir: Path, world: SpotifyWorld, before: Snapshot) -> Snapshot:
    after = check_invariants(data_dir, before)
    assert after.keys("spotify/artists") == set(world.artists)
    assert after.keys("spotify/albums") == set(world.albums)
    return after


def unfaulted_requests(world: SpotifyWorld, before: Snapshot) -> int:
    """Data requests a run from ``before`` makes with no fault: batches of 50 artists and 20 albums."""
    artists = len(world.artists) - len(before.keys("spotify/artists"))
    albums = len(world.albums) - len(before.keys("spotify/albums"))
    return math.ceil(artists / 50) + math.ceil(albums / 20)


# -- faults that are waited out or retried: the run succeeds --------------------------------------------
TRANSIENT = {
    "429-retry-after-1s": Transient(
        (Fault(path="/v1/artists", status=429, body=QUOTA_429, headers={"Retry-After": "1"}),), "waiting 1.0 s", 1
    ),
    "429-no-retry-after": Transient(
        (Fault(path="/v1/artists", status=429, body=QUOTA_429),), "status 429 (Too many requests)", 1
    ),
    **{
        f"{s}-burst": Transient(
            (Fault(path="/v1/albums", status=s, body=server_error(s), times=3),), f"status {s} (Server error {s})", 3
        )
        for s in (500, 502, 503)
    },
    "token-503-burst": Transient(
        (Fault(path="/api/token", status=503, body=server_error(503), times=2),), "status 503", 0, token_requests=3
    ),
    "reset": Transient((Fault(path="/v1/artists", kind="reset", times=2),), "connection failed", 2),
    "timeout": Transient(
        (Fault(path="/v1/albums", kind="hang", delay=1.5),), "no answer within 0.5 s", 1, {"HTTP_TIMEOUT": "0.5"}
    ),
    "html": Transient((Fault(path="/v1/artists", kind="html", times=2),), "not valid JSON (text/html)", 2),
    "truncated-json": Transient(
        (Fault(path="/v1/artists", kind="truncate", times=2),), "not valid JSON (application/json)", 2
    ),
    "token-expires-mid-run": Transient(
        (PASS, Fault(path="/v1/artists", kind="expire_tokens")), "refreshing it once", 1, token_requests=2
    ),
}


@pytest.mark.parametrize("case", TRANSIENT.values(), ids=TRANSIENT.keys())
def test_transient_faults_are_waited_out_and_the_run_succeeds(
    world: SpotifyWorld, fake_spotify: FakeSpotify, data_dir: Path, primed: Snapshot, case: Transient
):
    faults = inject(fake_spotify, *case.faults)
    result = run_cli(["spotify"], spotify_env(fake_spotify, data_dir, **case.env), data_dir.parent)
    assert result.returncode == 0, result.output
    assert case.says in result.stderr
    assert [f.times for f in faults] == [0] * len(faults)  # every scripted fault happened
    assert fake_spotify.data_requests() == unfaulted_requests(world, primed) + case.retries
    assert fake_spotify.count("/api/token") == case.token_requests
    assert_everything_landed(data_dir, world, primed)


# -- faults that outlast the retries: the source stops with one clear line, keeping what landed ---------
STOPPING = {
    "429-retry-after-1-day": Stopping(
        Fault(path="/v1/artists", status=429, body=QUOTA_429, headers={"Retry-After": "86400"}),
        ("wait 86,400 s", "RETRY_AFTER_MAX=120", "everything fetched so far kept", "run again after"),
    ),
    "503-persistent": Stopping(
        Fault(path="/v1/artists", status=503, body=server_error(503), times=1000),
        ("status 503 (Server error 503)", "still after 3 attempts", "run again later"),
    ),
    "reset-persistent": Stopping(
        Fault(path="/v1/artists", kind="reset", times=1000), ("connection failed", "still after 3 attempts")
    ),
    "timeout-persistent": Stopping(
        Fault(path="/v1/artists", kind="hang", delay=1.5, times=1000),
        ("no answer within 0.5 s", "still after 2 attempts"),
        {"HTTP_TIMEOUT": "0.5", "HTTP_MAX_RETRIES": "1"},
    ),
    "html-persistent": Stopping(
        Fault(path="/v1/artists", kind="html", times=1000), ("not valid JSON (text/html)", "nothing of it was landed")
    ),
    "truncated-json-persistent": Stopping(
        Fault(path="/v1/artists", kind="truncate", times=1000), ("not valid JSON", "nothing of it was landed")
    ),
}


@pytest.mark.parametrize("case", STOPPING.values(), ids=STOPPING.keys())
def test_lasting_faults_stop_the_source_cleanly_keeping_every_earlier_batch(
    world: SpotifyWorld, fake_spotify: FakeSpotify, data_dir: Path, primed: Snapshot, case: Stopping
):
    env = spotify_env(fake_spotify, data_dir, **{"HTTP_MAX_RETRIES": "2", **case.env})
    inject(fake_spotify, PASS, case.fault)  # the first batch of this run lands before the fault
    result = run_cli(["spotify"], env, data_dir.parent)
    assert result.returncode == 1
    line = error_line(result)
    assert line.startswith("error: spotify: ") and all(s in line for s in case.says), line
    stopped = check_invariants(data_dir, primed)
    assert len(stopped.keys("spotify/artists")) == PRIMED + 50  # the earlier batch of this run stays
    assert stopped.keys("spotify/albums") == set(world.albums)  # asked before the artists, all landed
    api = [r.path for r in fake_spotify.requests if r.path.startswith("/v1/")]
    assert api[-1].startswith("/v1/artists")  # and nothing was asked after the fault

    fake_spotify.faults.clear()  # the server is fine again: the next run fetches the rest
    again = run_cli(["spotify"], env, data_dir.parent)
    assert again.returncode == 0, again.output
    assert_everything_landed(data_dir, world, stopped)


# -- credentials ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("description", ["Refresh token revoked", "Invalid refresh token"])
def test_revoked_refresh_token_exits_2_naming_what_to_renew(
    world: SpotifyWorld, fake_spotify: FakeSpotify, data_dir: Path, primed: Snapshot, description: str
):
    fake_spotify.add_fault(
        Fault(path="/api/token", status=400, body={"error": "invalid_grant", "error_description": description})
    )
    result = run_cli(["spotify"], spotify_env(fake_spotify, data_dir), data_dir.parent)
    assert result.returncode == 2
    line = error_line(result)
    assert "SPOTIFY_REFRESH_TOKEN" in line and description in line and "authorise the app again" in line
    assert fake_spotify.data_requests() == 0
    assert check_invariants(data_dir, primed) == primed


def test_refresh_token_revoked_mid_run_exits_2_keeping_earlier_batches(
    world: SpotifyWorld, fake_spotify: FakeSpotify, data_dir: Path, primed: Snapshot
):
    env = spotify_env(fake_spotify, data_dir)
    fake_spotify.add_fault(Fault(path="/api/token", kind="hang", delay=0))  # the first token is issued
    fake_spotify.add_fault(Fault(path="/api/token", status=400, body=INVALID_GRANT))  # its refresh is refused
    fake_spotify.add_fault(copy.deepcopy(PASS))
    fake_spotify.add_fault(Fault(path="/v1/artists", kind="expire_tokens"))
    result = run_cli(["spotify"], env, data_dir.parent)
    assert result.returncode == 2
    assert "refreshing it once" in result.stderr
    line = error_line(result)
    assert "invalid_grant: Refresh token revoked" in line and "SPOTIFY_REFRESH_TOKEN" in line
    assert fake_spotify.count("/api/token") == 2
    stopped = check_invariants(data_dir, primed)
    assert len(stopped.keys("spotify/artists")) == PRIMED + 50

    fake_spotify.faults.clear()  # authorised again
    assert run_cli(["spotify"], env, data_dir.parent).returncode == 0
    assert_everything_landed(data_dir, world, stopped)


def test_wrong_client_secret_exits_2(world: SpotifyWorld, fake_spotify: FakeSpotify, data_dir: Path, primed: Snapshot):
    env = spotify_env(fake_spotify, data_dir, SPOTIFY_CLIENT_SECRET="wrong")
    result = run_cli(["spotify"], env, data_dir.parent)
    assert result.returncode == 2
    line = error_line(result)
    assert "invalid_client" in line and "SPOTIFY_CLIENT_SECRET" in line
    assert "wrong" not in result.output
    assert check_invariants(data_dir, primed) == primed


def test_client_credentials_grant_without_a_refresh_token(
    world: SpotifyWorld, fake_spotify: FakeSpotify, data_dir: Path
):
    env = spotify_env(fake_spotify, data_dir)
    del env["SPOTIFY_REFRESH_TOKEN"]
    assert run_cli(["spotify"], env, data_dir.parent).returncode == 0
    [token_request] = [r for r in fake_spotify.requests if r.path == "/api/token"]
    assert b"grant_type=client_credentials" in token_request.body


# -- going past a bad batch, and no server at all ----------------------------------------------------------
def test_skip_on_error_goes_past_a_bad_batch(
    world: SpotifyWorld, fake_spotify: FakeSpotify, data_dir: Path, primed: Snapshot
):
    fake_spotify.add_fault(Fault(path="/v1/artists", kind="html", times=3))  # the first batch, every attempt
    env = spotify_env(fake_spotify, data_dir, HTTP_MAX_RETRIES="2")
    result = run_cli(["spotify", "--skip-on-error"], env, data_dir.parent)
    assert result.returncode == 1  # a batch failed...
    assert "batch skipped: --skip-on-error" in result.stderr
    skipped = check_invariants(data_dir, primed)
    assert len(skipped.keys("spotify/artists")) == len(world.artists) - 50  # ...the other batches landed
    assert skipped.keys("spotify/albums") == set(world.albums)  # and the run went on to the albums
    again = run_cli(["spotify"], env, data_dir.parent)
    assert again.returncode == 0
    assert_everything_landed(data_dir, world, skipped)


def test_a_dead_server_stops_the_source_with_a_clear_message(world: SpotifyWorld, data_dir: Path, primed: Snapshot):
    dead = FakeSpotify().start()
    dead.stop()  # nothing listens on that port any more
    env = spotify_env(dead, data_dir, HTTP_MAX_RETRIES="1")
    result = run_cli(["spotify"], env, data_dir.parent)
    assert result.returncode == 1
    assert "connection failed" in error_line(result)
    assert snapshot(data_dir) == primed
