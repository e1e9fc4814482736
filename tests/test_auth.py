"""``python -m extractors auth spotify``: the authorisation-code flow with PKCE on a local callback, end to end.

The real command runs as a subprocess against the fake accounts service; the test plays the browser with
``requests`` (the authorise page's redirect is not followed: its Location is the command's callback).

| case                                                    | outcome                                                  |
|---------------------------------------------------------|----------------------------------------------------------|
| the user approves                                       | exit 0; state/spotify_token.json mode 600 with the       |
|                                                         | refresh token; never shown; recently-played polls with it|
|                                                         | (no SPOTIFY_REFRESH_TOKEN), a new one in .env wins       |
| redirect URI not registered (Spotify's 400 page)        | no callback: exit 2 after --timeout naming the URI       |
| the token endpoint: invalid_client / invalid_grant      | exit 2: check SPOTIFY_CLIENT_ID / register the URI /     |
|                                                         | run again                                                |
| the user declines (access_denied)                       | exit 2: you declined                                     |
| a callback with another state                           | exit 2 (possible CSRF), no token request                 |
| the port in use                                         | exit 2 naming the port and --port                        |
| no SPOTIFY_CLIENT_ID                                    | exit 2 naming it                                         |
| the token answer lacks user-read-recently-played        | exit 2 naming the scope                                  |
| Ctrl-C while waiting                                    | exit 130                                                 |
Every failure stores nothing. Plus the fake's wire formats, and the config checks' messages.
"""

from __future__ import annotations

import hashlib
import json
import queue
import signal
import socket
import stat
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import pytest
import requests

from extractors.config import Settings
from extractors.http import HttpClient
from extractors.sources.spotify import extract as spotify
from extractors.sources.spotify import recently_played
from extractors.sources.spotify.auth import code_challenge, new_code_verifier
from scripts.devkit.fakes import FakeSpotify
from scripts.devkit.fakes.base import Fault
from scripts.devkit.fakes.spotify import CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN, s256
from scripts.devkit.worlds import make_spotify_world
from tests.conftest import CliResult, run_cli, spotify_env

T0 = 1_760_000_000_000
AUTH_COMMAND = "uv run python -m extractors auth spotify"


# -- helpers ---------------------------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def callback_uri(port: int) -> str:
    return f"http://127.0.0.1:{port}/callback"


class AuthRun:
    """``auth spotify`` running as a subprocess; stdout is read as it comes, to find the URL to open."""

    def __init__(self, args: list[str], env: dict[str, str], cwd: Path) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "extractors", "auth", "spotify", *args],
            env=env,
            cwd=cwd,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
            # Ctrl-C as a terminal delivers it: a test runner started in the background (SIGINT ignored, which a
            # child inherits) must not make the command deaf to it
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.out: list[str] = []
        self.err: list[str] = []
        self.readers = [
            threading.Thread(target=self._read, args=(self.proc.stdout, self.out, True), daemon=True),
            threading.Thread(target=self._read, args=(self.proc.stderr, self.err, False), daemon=True),
        ]
        for reader in self.readers:
            reader.start()

    def _read(self, stream, into: list[str], announce: bool) -> None:  # type: ignore[no-untyped-def]
        for line in stream:
            into.append(line)
            if announce:
                self.lines.put(line)
        if announce:
            self.lines.put(None)

    def authorize_url(self) -> str:
        """The authorisation URL the command prints (waits for it; fails if the command ends first)."""
        while True:
            try:
                line = self.lines.get(timeout=60)
            except queue.Empty:
                self.proc.kill()
                pytest.fail("the command printed no authorisation URL within 60 s")
            if line is None:
                self.finish()
                pytest.fail(f"the command ended without an authorisation URL:\n{''.join(self.out + self.err)}")
            if "/authorize?" in line:
                return line.strip()

    def finish(self, timeout: float = 60) -> CliResult:
        try:
            self.proc.wait(timeout=timeout)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
        for reader in self.readers:
            reader.join(timeout=10)
        return CliResult(self.proc.returncode, "".join(self.out), "".join(self.err))


def authorise_in_browser(url: str) -> requests.Response:
    """The browser's GET of the authorise page (not following its redirect)."""
    return requests.get(url, allow_redirects=False, timeout=10)


def error_line(result: CliResult) -> str:
    lines = result.stderr.strip().splitlines()
    assert lines, result.output
    return lines[-1]


def token_file(data_dir: Path) -> Path:
    return data_dir / "state" / "spotify_token.json"


@pytest.fixture
def port() -> int:
    return free_port()


@pytest.fixture
def auth_env(fake_spotify: FakeSpotify, data_dir: Path, port: int) -> dict[str, str]:
    """SPOTIFY_CLIENT_ID only (no secret, no refresh token), the fake's URLs, every log line shown."""
    env = spotify_env(fake_spotify, data_dir, LOG_LEVEL="DEBUG")
    del env["SPOTIFY_CLIENT_SECRET"], env["SPOTIFY_REFRESH_TOKEN"]
    fake_spotify.redirect_uris.append(callback_uri(port))
    return env


def start(env: dict[str, str], data_dir: Path, port: int, *extra: str) -> AuthRun:
    args = ["--no-browser", "--port", str(port), "--data-path", str(data_dir), *extra]
    return AuthRun(args, env, data_dir.parent)  # cwd: the temporary folder, no .env there


def assert_failed_and_nothing_stored(result: CliResult, data_dir: Path, fake: FakeSpotify) -> str:
    assert result.returncode == 2, result.output
    line = error_line(result)
    assert line.startswith("error: auth spotify: ")
    assert not list(data_dir.glob("state/spotify_token.json*"))  # nor a temporary file of it
    for token in fake.issued_refresh_tokens:
        assert token not in result.output
    return line


# -- the flow, end to end --------------------------------------------------------------------------------------
def test_authorise_keeps_the_refresh_token_and_polling_uses_it(
    fake_spotify: FakeSpotify, data_dir: Path, port: int, auth_env: dict[str, str], open_umask: None
):
    run = start(auth_env, data_dir, port)
    url = run.authorize_url()
    assert run.out[0].rstrip().endswith(f"Redirect URIs): {callback_uri(port)}")  # the first thing it prints
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}" == fake_spotify.url and parts.path == "/authorize"
    query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    assert query["client_id"] == CLIENT_ID and query["response_type"] == "code"
    assert query["redirect_uri"] == callback_uri(port)
    assert query["code_challenge_method"] == "S256" and len(query["code_challenge"]) == 43
    assert query["scope"] == "user-read-recently-played" and len(query["state"]) >= 16

    consent = authorise_in_browser(url)
    assert consent.status_code == 302
    location = consent.headers["Location"]
    assert location.startswith(callback_uri(port) + "?code=")
    page = requests.get(location, timeout=10)
    assert page.status_code == 200 and "Authorised: you can close this tab" in page.text
    result = run.finish()
    assert result.returncode == 0, result.output

    [issued] = fake_spotify.issued_refresh_tokens
    path = token_file(data_dir)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    kept = json.loads(path.read_text())
    assert kept["refresh_token"] == issued and kept["from_sha256"] is None
    assert kept["scope"] == "user-read-recently-played" and kept["authorised_at"]
    assert not list(path.parent.glob("*.tmp"))
    [exchange] = [r for r in fake_spotify.requests if r.path == "/api/token"]
    form = {k: v[-1] for k, v in parse_qs(exchange.body.decode()).items()}
    assert form["grant_type"] == "authorization_code" and form["client_id"] == CLIENT_ID
    assert s256(form["code_verifier"]) == query["code_challenge"] and "Authorization" not in exchange.headers
    assert issued not in result.output and "token-1" not in result.output  # LOG_LEVEL=DEBUG: every log line
    assert str(path) in result.stdout and "readable only by you" in result.stdout
    assert "uv run python -m extractors recently-played" in result.stdout and "make ingest" in result.stdout

    world = make_spotify_world(n_artists=3, n_albums=3, seed=5)  # then polling, with only SPOTIFY_CLIENT_ID
    fake_spotify.entities.update(world.entities())
    for i, track in enumerate(world.tracks):
        fake_spotify.play(T0 + i * 200_000, track)
    polled = run_cli(["recently-played"], auth_env, data_dir.parent)
    assert polled.returncode == 0, polled.output
    assert fake_spotify.refresh_tokens_received == [issued]
    assert f"{len(world.tracks)} new" in polled.stdout
    assert issued not in polled.output

    # with a client secret set too (for the catalog), the token `auth spotify` got is still refreshed as PKCE:
    # the client id in the body and no Basic header (a public client's token)
    fake_spotify.requests.clear()
    with_secret = {**auth_env, "SPOTIFY_CLIENT_SECRET": CLIENT_SECRET}
    assert run_cli(["recently-played"], with_secret, data_dir.parent).returncode == 0
    [refresh] = [r for r in fake_spotify.requests if r.path == "/api/token"]
    form = {k: v[-1] for k, v in parse_qs(refresh.body.decode()).items()}
    assert form["grant_type"] == "refresh_token" and form["client_id"] == CLIENT_ID
    assert "Authorization" not in refresh.headers
    assert fake_spotify.refresh_tokens_received == [issued, issued]

    with_env_token = {**auth_env, "SPOTIFY_REFRESH_TOKEN": REFRESH_TOKEN}  # a token put in .env later wins
    assert run_cli(["recently-played"], with_env_token, data_dir.parent).returncode == 0
    assert fake_spotify.refresh_tokens_received == [issued, issued, REFRESH_TOKEN]


def test_an_unregistered_redirect_uri_times_out_naming_the_uri(
    fake_spotify: FakeSpotify, data_dir: Path, port: int, auth_env: dict[str, str]
):
    fake_spotify.redirect_uris.clear()
    fake_spotify.redirect_uris.append("http://127.0.0.1:1/callback")  # another port: Spotify matches exactly
    run = start(auth_env, data_dir, port, "--timeout", "2")
    page = authorise_in_browser(run.authorize_url())  # what the user sees: Spotify's error page, no redirect
    assert page.status_code == 400 and "INVALID_CLIENT: Invalid redirect URI" in page.text
    line = assert_failed_and_nothing_stored(run.finish(), data_dir, fake_spotify)
    assert "nothing came back" in line and "INVALID_CLIENT: Invalid redirect URI" in line
    assert f"add exactly {callback_uri(port)} to the app's Redirect URIs" in line
    assert "SPOTIFY_CLIENT_ID" in line
    assert fake_spotify.count("/api/token") == 0


def test_a_loopback_uri_registered_without_port_takes_any_port(
    fake_spotify: FakeSpotify, data_dir: Path, port: int, auth_env: dict[str, str]
):
    fake_spotify.redirect_uris[:] = ["http://127.0.0.1/callback"]  # Spotify allows dynamic loopback ports
    run = start(auth_env, data_dir, port)
    consent = authorise_in_browser(run.authorize_url())
    assert consent.status_code == 302
    assert requests.get(consent.headers["Location"], timeout=10).status_code == 200
    result = run.finish()
    assert result.returncode == 0, result.output
    assert token_file(data_dir).exists()


@pytest.mark.parametrize(
    ("error", "description", "expected"),
    [
        ("invalid_client", "Invalid client", "check SPOTIFY_CLIENT_ID in .env"),
        ("invalid_grant", "Invalid redirect URI", "add exactly {uri} to the app's Redirect URIs"),
        ("invalid_grant", "Invalid authorization code", "nothing stored: run the command again"),
        ("invalid_grant", "code_verifier was incorrect", "nothing stored: run the command again"),
    ],
)
def test_the_token_endpoint_refusing_says_what_to_do(
    fake_spotify: FakeSpotify,
    data_dir: Path,
    port: int,
    auth_env: dict[str, str],
    error: str,
    description: str,
    expected: str,
):
    body = {"error": error, "error_description": description}
    fake_spotify.add_fault(Fault(path="/api/token", status=400, body=body))
    run = start(auth_env, data_dir, port)
    consent = authorise_in_browser(run.authorize_url())
    assert requests.get(consent.headers["Location"], timeout=10).status_code == 200
    line = assert_failed_and_nothing_stored(run.finish(), data_dir, fake_spotify)
    assert f"{error}: {description}" in line and expected.format(uri=callback_uri(port)) in line
    assert fake_spotify.count("/api/token") == 1  # a 400 is an answer, not something to retry


def test_the_user_declining_stores_nothing(
    fake_spotify: FakeSpotify, data_dir: Path, port: int, auth_env: dict[str, str]
):
    fake_spotify.user_declines = True
    run = start(auth_env, data_dir, port)
    consent = authorise_in_browser(run.authorize_url())
    assert "error=access_denied" in consent.headers["Location"]
    page = requests.get(consent.headers["Location"], timeout=10)
    assert "declined" in page.text
    line = assert_failed_and_nothing_stored(run.finish(), data_dir, fake_spotify)
    assert line == ("error: auth spotify: you declined access in Spotify's page; run the command again to authorise")
    assert fake_spotify.count("/api/token") == 0


def test_a_callback_with_another_state_stores_nothing(
    fake_spotify: FakeSpotify, data_dir: Path, port: int, auth_env: dict[str, str]
):
    run = start(auth_env, data_dir, port)
    location = authorise_in_browser(run.authorize_url()).headers["Location"]
    parts = urlsplit(location)
    query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    forged = urlunsplit(parts._replace(query=urlencode({**query, "state": "forged-state"})))
    page = requests.get(forged, timeout=10)
    assert page.status_code == 400 and "nothing was stored" in page.text
    line = assert_failed_and_nothing_stored(run.finish(), data_dir, fake_spotify)
    assert "state" in line and "CSRF" in line
    assert fake_spotify.count("/api/token") == 0  # the code was never exchanged


def test_a_port_in_use_says_which_and_how_to_choose_another(
    fake_spotify: FakeSpotify, data_dir: Path, port: int, auth_env: dict[str, str]
):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", port))
        taken.listen()
        result = run_cli(["auth", "spotify", "--no-browser", "--port", str(port)], auth_env, data_dir.parent)
    line = assert_failed_and_nothing_stored(result, data_dir, fake_spotify)
    assert f"port {port}" in line and "--port" in line
    assert "/authorize?" not in result.stdout  # no URL to open when nothing can answer it
    assert fake_spotify.count("") == 0


def test_without_a_client_id_it_names_it(fake_spotify: FakeSpotify, data_dir: Path, auth_env: dict[str, str]):
    del auth_env["SPOTIFY_CLIENT_ID"]
    result = run_cli(["auth", "spotify", "--no-browser"], auth_env, data_dir.parent)
    line = assert_failed_and_nothing_stored(result, data_dir, fake_spotify)
    assert "SPOTIFY_CLIENT_ID" in line and "developer dashboard" in line
    assert result.stdout == ""


def test_a_token_without_the_scope_is_not_kept(
    fake_spotify: FakeSpotify, data_dir: Path, port: int, auth_env: dict[str, str]
):
    fake_spotify.granted_scope = "user-read-email"  # the user unticked it, or the app asked for another
    run = start(auth_env, data_dir, port)
    consent = authorise_in_browser(run.authorize_url())
    assert requests.get(consent.headers["Location"], timeout=10).status_code == 200
    line = assert_failed_and_nothing_stored(run.finish(), data_dir, fake_spotify)
    assert "user-read-recently-played" in line and "user-read-email" in line and "run the command again" in line


def test_ctrl_c_while_waiting_exits_130_storing_nothing(
    fake_spotify: FakeSpotify, data_dir: Path, port: int, auth_env: dict[str, str]
):
    run = start(auth_env, data_dir, port)
    run.authorize_url()  # it is waiting for the callback now
    run.proc.send_signal(signal.SIGINT)
    result = run.finish()
    assert result.returncode == 130, result.output
    assert "nothing stored" in error_line(result)
    assert not token_file(data_dir).exists()


# -- the fake speaks Spotify's formats ------------------------------------------------------------------------
def test_the_fake_authorise_page_and_code_grant_check_what_spotify_checks(fake_spotify: FakeSpotify):
    redirect = "http://127.0.0.1:8888/callback"
    fake_spotify.redirect_uris.append(redirect)
    verifier = new_code_verifier()
    assert 43 <= len(verifier) <= 128 and set(verifier) <= set(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"
    )
    good = {
        "client_id": CLIENT_ID,
        "response_type": "code",
        "redirect_uri": redirect,
        "code_challenge_method": "S256",
        "code_challenge": code_challenge(verifier),
        "scope": "user-read-recently-played",
        "state": "s1",
    }

    def authorize(**changes: str | None) -> requests.Response:
        params = {k: v for k, v in {**good, **changes}.items() if v is not None}
        return requests.get(f"{fake_spotify.url}/authorize", params=params, allow_redirects=False, timeout=5)

    for changes, text in [
        ({"client_id": "nobody"}, "INVALID_CLIENT: Invalid client"),
        ({"redirect_uri": "http://localhost:8888/callback"}, "INVALID_CLIENT: Invalid redirect URI"),
        ({"code_challenge": None}, "code_challenge must be provided"),
        ({"code_challenge_method": "plain"}, "code_challenge_method must be S256"),
        ({"response_type": "token"}, "response_type must be code"),
    ]:
        page = authorize(**changes)
        assert page.status_code == 400 and text in page.text and page.headers["Content-Type"].startswith("text/html")
    assert "error=invalid_scope" in authorize(scope="user-read-everything").headers["Location"]

    def code() -> str:
        location = authorize().headers["Location"]
        assert location.startswith(redirect + "?") and "state=s1" in location
        return parse_qs(urlsplit(location).query)["code"][0]

    def exchange(**changes: str) -> requests.Response:
        form = {
            "grant_type": "authorization_code",
            "redirect_uri": redirect,
            "client_id": CLIENT_ID,
            "code_verifier": verifier,
            **changes,
        }
        return requests.post(f"{fake_spotify.url}/api/token", data=form, timeout=5)

    def refused(answer: requests.Response) -> tuple[int, str, str]:
        return answer.status_code, answer.json()["error"], answer.json()["error_description"]

    assert refused(exchange(code=code(), client_id="nobody")) == (400, "invalid_client", "Invalid client")
    assert refused(exchange(code="made-up")) == (400, "invalid_grant", "Invalid authorization code")
    assert refused(exchange(code=code(), redirect_uri="http://127.0.0.1:9999/callback")) == (
        400,
        "invalid_grant",
        "Invalid redirect URI",
    )
    assert refused(exchange(code=code(), code_verifier=new_code_verifier())) == (
        400,
        "invalid_grant",
        "code_verifier was incorrect",
    )
    one_time = code()
    tokens = exchange(code=one_time)
    assert tokens.status_code == 200
    body = tokens.json()
    assert body["token_type"] == "Bearer" and body["expires_in"] == 3600
    assert body["scope"] == "user-read-recently-played" and body["refresh_token"] and body["access_token"]
    assert refused(exchange(code=one_time)) == (400, "invalid_grant", "Invalid authorization code")  # used

    refreshed = requests.post(  # PKCE refresh: the client id in the body, no secret
        f"{fake_spotify.url}/api/token",
        data={"grant_type": "refresh_token", "refresh_token": body["refresh_token"], "client_id": CLIENT_ID},
        timeout=5,
    )
    assert refreshed.status_code == 200 and refreshed.json()["scope"] == "user-read-recently-played"

    fake_spotify.user_declines = True
    assert authorize().headers["Location"] == f"{redirect}?error=access_denied&state=s1"


def test_the_code_challenge_is_rfc_7636s_s256():
    # RFC 7636 appendix B's example
    assert (
        code_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk") == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
    )


# -- the config checks -----------------------------------------------------------------------------------------
def settings(tmp_path: Path, **values: str) -> Settings:
    return Settings(data_dir=tmp_path / "data", **values)  # type: ignore[arg-type]


def keep(tmp_path: Path, origin: str | None) -> None:
    path = tmp_path / "data" / "state" / "spotify_token.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"refresh_token": "kept-token", "from_sha256": origin, "authorised_at": "x"}))


def test_check_config_says_exactly_what_is_missing(tmp_path: Path):
    assert spotify.check_config(settings(tmp_path, spotify_client_id="id")) == (
        "spotify: SPOTIFY_CLIENT_ID is set but SPOTIFY_CLIENT_SECRET is not: set it (or run "
        f"`{AUTH_COMMAND}` for a refresh token)"
    )
    secret_only = spotify.check_config(settings(tmp_path, spotify_client_secret="secret"))
    assert secret_only is not None
    assert secret_only.startswith("spotify: SPOTIFY_CLIENT_SECRET is set but SPOTIFY_CLIENT_ID is not: set it")
    nothing = spotify.check_config(settings(tmp_path))
    assert nothing is not None and "\n" not in nothing
    assert nothing.startswith("spotify: set SPOTIFY_CLIENT_ID and SPOTIFY_CLIENT_SECRET")
    assert spotify.check_config(settings(tmp_path, spotify_client_id="id", spotify_client_secret="s")) is None
    assert spotify.check_config(settings(tmp_path, spotify_client_id="id", spotify_refresh_token="r")) is None


def test_a_kept_token_counts_as_a_refresh_token(tmp_path: Path):
    only_id = settings(tmp_path, spotify_client_id="id")
    line = recently_played.check_config(only_id)
    assert line is not None and AUTH_COMMAND in line and "SPOTIFY_REFRESH_TOKEN" in line
    no_id = recently_played.check_config(settings(tmp_path))
    assert no_id is not None and "SPOTIFY_CLIENT_ID" in no_id and AUTH_COMMAND in no_id

    keep(tmp_path, None)  # what `auth spotify` writes when no SPOTIFY_REFRESH_TOKEN is set
    assert spotify.check_config(only_id) is None and recently_played.check_config(only_id) is None
    kept_no_id = spotify.check_config(settings(tmp_path))
    assert kept_no_id is not None and "is set but SPOTIFY_CLIENT_ID is not" in kept_no_id
    auth = spotify.SpotifyAuth(only_id, HttpClient("spotify"))
    assert auth.refresh_token == "kept-token" and auth.stored

    keep(tmp_path, hashlib.sha256(b"an env token since removed").hexdigest())  # descends from another token
    assert recently_played.check_config(only_id) is not None
    with_env = settings(tmp_path, spotify_client_id="id", spotify_refresh_token="another")
    assert spotify.SpotifyAuth(with_env, HttpClient("spotify")).refresh_token == "another"
