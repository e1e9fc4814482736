"""``python -m extractors auth spotify``: authorise this app for your Spotify account, once.

Spotify's authorisation-code flow with PKCE (no client secret needed), on a callback served on this machine:

1. a random ``code_verifier`` (86 characters of the unreserved set), its ``code_challenge``
   (base64url(sha256(verifier)) without padding, method S256) and a random ``state``;
2. a one-request HTTP server on ``127.0.0.1:<port>``; the redirect URI is ``http://127.0.0.1:<port>/callback``
   (Spotify refuses ``localhost``; a loopback IP literal may use http) and must be registered in the app's
   settings exactly;
3. the user opens ``{accounts}/authorize?…&scope=user-read-recently-played&state=…`` and approves; Spotify
   sends the browser back to the callback with ``code`` and the same ``state`` (anything else: nothing stored);
4. ``POST {accounts}/api/token`` with ``grant_type=authorization_code``, the code, the redirect URI, the client
   id and the verifier;
5. the refresh token is kept in ``DATA_DIR/state/spotify_token.json`` (mode 600, atomically) with
   ``from_sha256`` (sha256 of SPOTIFY_REFRESH_TOKEN if one is set, else null), ``authorised_at`` and ``scope``;
   the extractors' SpotifyAuth picks it up from there. It is never printed or logged.

See docs/spotify-auth.md.
"""

from __future__ import annotations

import base64
import errno
import hashlib
import html
import logging
import os
import queue
import secrets
import sys
import threading
import webbrowser
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, urlencode, urlsplit

import click

from extractors.commands import reported_errors, settings_for
from extractors.config import Settings
from extractors.errors import ConfigError, ForbiddenError, ReauthorizeError, TokenExpiredError
from extractors.http import HttpClient
from extractors.landing import write_json
from extractors.sources.spotify.extract import SCOPE, env_token_sha, token_path, user_agent

log = logging.getLogger(__name__)

CALLBACK_PATH = "/callback"
DASHBOARD = "Spotify developer dashboard → your app → settings"


def redirect_uri(port: int) -> str:
    return f"http://127.0.0.1:{port}{CALLBACK_PATH}"


def new_code_verifier() -> str:
    """86 random characters of ``[A-Za-z0-9_-]`` (RFC 7636 allows 43 to 128 of the unreserved set)."""
    return secrets.token_urlsafe(64)


def code_challenge(verifier: str) -> str:
    """base64url(sha256(verifier)) without padding: the S256 challenge."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def authorize_url(accounts_url: str, client_id: str, redirect: str, challenge: str, state: str) -> str:
    query = {
        "client_id": client_id,
        "response_type": "code",
        "redirect_uri": redirect,
        "code_challenge_method": "S256",
        "code_challenge": challenge,
        "scope": SCOPE,
        "state": state,
    }
    return f"{accounts_url}/authorize?{urlencode(query, quote_via=quote)}"


# -- the callback ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Callback:
    """What the browser brought back: a code, or Spotify's ``error``, or a ``state`` that is not ours."""

    code: str | None = None
    error: str | None = None
    state_ok: bool = True


PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>rws-music: {title}</title></head>
<body style="font-family: sans-serif; max-width: 40em; margin: 3em auto">
<h1>{title}</h1><p>{text}</p></body></html>
"""


class CallbackServer:
    """A threaded HTTP server on 127.0.0.1 that waits for one ``GET /callback`` (other paths: 404)."""

    def __init__(self, port: int, state: str) -> None:
        self.state = state
        self.results: queue.Queue[Callback] = queue.Queue()
        self._answered = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:  # the query holds the code: never logged
                pass

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                if parts.path != CALLBACK_PATH:
                    self.reply(404, "Not found", "This is the rws-music authorisation callback; nothing here.")
                    return
                if server._answered.is_set():
                    self.reply(409, "Already answered", "An answer came back already: look at the terminal.")
                    return
                query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
                callback = server.judge(query)
                server._answered.set()
                status, title, text = server.page(callback)
                self.reply(status, title, text)
                server.results.put(callback)  # after the page went out: the command may exit right away

            def reply(self, status: int, title: str, text: str) -> None:
                body = PAGE.format(title=html.escape(title), text=html.escape(text)).encode()
                self.send_response(status)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.httpd.daemon_threads = True
        self._thread = threading.Thread(target=self.httpd.serve_forever, args=(0.1,), daemon=True)

    def judge(self, query: dict[str, str]) -> Callback:
        if not secrets.compare_digest(query.get("state", "").encode(), self.state.encode()):
            return Callback(state_ok=False)
        if query.get("error"):
            return Callback(error=query["error"])
        if query.get("code"):
            return Callback(code=query["code"])
        return Callback(error="no code in the callback")

    @staticmethod
    def page(callback: Callback) -> tuple[int, str, str]:
        if not callback.state_ok:
            return (
                400,
                "Not authorised",
                "This answer does not carry the state this command sent (a forged or stale link?): nothing was "
                "stored. Run the command again.",
            )
        if callback.error == "access_denied":
            return 200, "Not authorised", "You declined access in Spotify's page: nothing was stored."
        if callback.error:
            return 400, "Not authorised", f"Spotify answered: {callback.error}. Nothing was stored."
        return 200, "Authorised: you can close this tab", "The terminal says where the token is kept."

    def start(self) -> None:
        self._thread.start()

    def wait(self, timeout: float) -> Callback | None:
        """The callback, or None when none came within ``timeout`` seconds (Ctrl-C raises KeyboardInterrupt)."""
        try:
            return self.results.get(timeout=timeout)
        except queue.Empty:
            return None

    def close(self) -> None:
        if self._thread.is_alive():
            self.httpd.shutdown()
        self.httpd.server_close()


def listen(port: int, state: str) -> CallbackServer:
    try:
        return CallbackServer(port, state)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise ConfigError(
                f"auth spotify: port {port} on 127.0.0.1 is already in use (another program, or this command "
                f"still running): stop it, or choose another with --port and register "
                f"http://127.0.0.1:<that port>{CALLBACK_PATH} in the app's Redirect URIs"
            ) from None
        raise ConfigError(
            f"auth spotify: cannot listen on 127.0.0.1 port {port} ({exc.strerror or exc}): choose another with --port"
        ) from None


# -- the browser ---------------------------------------------------------------------------------------------
def can_open_browser() -> bool:
    """False on a Linux machine without a display (and no BROWSER): webbrowser would start a text browser."""
    if os.environ.get("BROWSER"):
        return True
    if sys.platform.startswith("linux"):
        return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return True


def open_browser(url: str, echo: Callable[..., None]) -> None:
    """Open ``url`` in a thread: a browser that blocks (a text one) must not stop the wait for the callback."""

    def run() -> None:
        try:
            opened = webbrowser.open(url)
        except Exception:  # webbrowser.Error, or whatever a broken browser setup raises
            opened = False
        if not opened:
            echo("Could not open a browser here: open the URL above yourself.", err=True)

    threading.Thread(target=run, name="browser", daemon=True).start()


# -- the exchange ----------------------------------------------------------------------------------------------
def exchange(settings: Settings, code: str, redirect: str, verifier: str) -> dict[str, Any]:
    """``POST /api/token`` for the code (PKCE: the client id in the body, no secret); the answer, or one line."""
    client_id = settings.spotify_client_id.get_secret_value() if settings.spotify_client_id else ""
    data = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": redirect,
        "client_id": client_id,
        "code_verifier": verifier,
    }
    http = HttpClient.from_settings("spotify", settings, user_agent=user_agent())
    try:
        resp = http.post(
            f"{settings.spotify_accounts_url}/api/token",
            data=data,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            accept_statuses=(400, 401),
        )
    except (TokenExpiredError, ForbiddenError) as exc:
        raise ReauthorizeError(
            f"auth spotify: the token endpoint refused the code ({exc.status}); nothing stored: run the command again"
        ) from None
    finally:
        http.close()
    body = resp.body if isinstance(resp.body, dict) else {}
    if resp.status == 200 and body.get("access_token"):
        return body
    error = str(body.get("error") or f"status {resp.status}")
    detail = body.get("error_description")
    reason = f"{error}: {detail}" if detail else error
    if error == "invalid_client":
        raise ConfigError(
            f"auth spotify: Spotify does not know this client ({reason}): check SPOTIFY_CLIENT_ID in .env against "
            f"the Client ID in the {DASHBOARD}"
        )
    if error == "invalid_grant" and "redirect" in str(detail).lower():
        raise ConfigError(
            f"auth spotify: Spotify refused the redirect URI ({reason}): add exactly {redirect} to the app's "
            f"Redirect URIs ({DASHBOARD}) and run the command again"
        )
    if error == "invalid_grant":
        raise ReauthorizeError(
            f"auth spotify: Spotify refused the authorisation ({reason}); nothing stored: run the command again"
        )
    raise ReauthorizeError(f"auth spotify: the token endpoint answered {reason}; nothing stored: run the command again")


# -- the whole flow --------------------------------------------------------------------------------------------
def authorise(
    settings: Settings,
    port: int,
    timeout: float,
    browser: bool,
    echo: Callable[..., None] = click.echo,
) -> Path:
    """Run the flow and keep the refresh token; the token file's path. Raises ExtractorError with one line."""
    client_id = settings.spotify_client_id
    if not client_id:
        raise ConfigError(
            "auth spotify: SPOTIFY_CLIENT_ID is not set: copy the Client ID of your app from the "
            f"{DASHBOARD} into .env (SPOTIFY_CLIENT_ID=...); no client secret is needed"
        )
    redirect = redirect_uri(port)
    verifier = new_code_verifier()
    state = secrets.token_urlsafe(24)
    url = authorize_url(
        settings.spotify_accounts_url, client_id.get_secret_value(), redirect, code_challenge(verifier), state
    )
    server = listen(port, state)
    try:
        server.start()
        echo(f"Redirect URI (register it exactly in the {DASHBOARD} → Redirect URIs): {redirect}")
        echo(f"Open this URL in a browser and approve access ({SCOPE}):")
        echo(url)
        if browser and can_open_browser():
            open_browser(url, echo)
        elif browser:
            echo("No display here: open the URL above on a machine with a browser (see docs/spotify-auth.md).")
        echo(f"Waiting up to {timeout:g} s for Spotify to send the browser back to {redirect} (Ctrl-C stops) ...")
        callback = server.wait(timeout)
    finally:
        server.close()
    if callback is None:
        raise ConfigError(
            f"auth spotify: nothing came back to {redirect} within {timeout:g} s; if Spotify's page said "
            f'"INVALID_CLIENT: Invalid redirect URI", add exactly {redirect} to the app\'s Redirect URIs '
            f'({DASHBOARD}) and run the command again; if it said "Invalid client", check SPOTIFY_CLIENT_ID in .env'
        )
    if not callback.state_ok:
        raise ReauthorizeError(
            "auth spotify: the callback's state is not the one this command sent (a forged or stale link: possible "
            "CSRF); nothing stored: run the command again and use the URL it prints"
        )
    if callback.error == "access_denied":
        raise ReauthorizeError(
            "auth spotify: you declined access in Spotify's page; run the command again to authorise"
        )
    if callback.error or not callback.code:
        raise ReauthorizeError(
            f"auth spotify: Spotify sent the browser back with error={callback.error}; nothing stored: run the "
            "command again"
        )
    log.debug("auth spotify: exchanging the authorisation code")
    body = exchange(settings, callback.code, redirect, verifier)
    scope = body["scope"] if isinstance(body.get("scope"), str) else ""
    if SCOPE not in scope.split():
        raise ReauthorizeError(
            f"auth spotify: Spotify granted the scope {scope or '(none)'!r} but not {SCOPE}, which polling "
            "recently-played needs; nothing stored: run the command again and approve what it asks for"
        )
    refresh = body.get("refresh_token")
    if not isinstance(refresh, str) or not refresh:
        raise ReauthorizeError(
            "auth spotify: Spotify's token answer holds no refresh token; nothing stored: run the command again"
        )
    path = token_path(settings)
    payload = {
        "refresh_token": refresh,
        "from_sha256": env_token_sha(settings),
        "authorised_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "scope": scope,
    }
    try:
        write_json(path, payload, mode=0o600)
    except OSError as exc:
        raise ConfigError(
            f"auth spotify: the refresh token could not be written to {path} ({exc.strerror or exc}); nothing "
            "stored: make DATA_DIR/state writable (or give another --data-path) and run the command again"
        ) from None
    return path


# -- the commands --------------------------------------------------------------------------------------------
@click.group()
def auth() -> None:
    """Authorise the app for an API that needs your consent (Spotify's recently-played)."""


@auth.command("spotify")
@click.option(
    "--port",
    type=click.IntRange(1, 65535),
    default=8888,
    show_default=True,
    help="Port of the local callback: the redirect URI is http://127.0.0.1:<port>/callback.",
)
@click.option("--no-browser", is_flag=True, help="Only print the URL to open (headless machine; see the doc).")
@click.option(
    "--timeout",
    type=click.FloatRange(min=1),
    default=300,
    show_default=True,
    help="Seconds to wait for the browser to come back to the callback.",
)
@click.option(
    "--data-path",
    type=click.Path(file_okay=False),
    default=None,
    help="Data folder holding src/ and raw/ (default: $DATA_DIR, else ./data).",
)
def spotify(port: int, no_browser: bool, timeout: float, data_path: str | None) -> None:
    """Authorise this app to read your Spotify listening (scope user-read-recently-played), once.

    \b
    1. In the Spotify developer dashboard (your app → settings → Redirect URIs) add exactly
       http://127.0.0.1:<port>/callback (8888 unless --port); put the app's Client ID in .env as
       SPOTIFY_CLIENT_ID (no client secret needed: PKCE).
    2. Run this command, open the URL it prints (it tries your browser unless --no-browser) and approve.
    3. Spotify sends the browser back to the callback; the refresh token is kept in
       DATA_DIR/state/spotify_token.json, readable only by you, never printed. `make ingest` and
       `python -m extractors recently-played` use it from then on.

    On a machine without a browser: --no-browser, open the URL elsewhere, and forward the port first
    (ssh -L 8888:127.0.0.1:8888 host). Refresh tokens last 6 months: when polling says invalid_grant, run
    this again. Exit status: 0 authorised; 2 not (the line says why; nothing stored); 130 interrupted.
    See docs/spotify-auth.md.
    """
    settings = settings_for(data_path)
    with reported_errors("nothing stored; run the command again to authorise"):
        path = authorise(settings, port, timeout, browser=not no_browser)
    click.echo(f"Authorised. The refresh token is kept in {path} (readable only by you).")
    click.echo("`make ingest` and `uv run python -m extractors recently-played` will use it.")
    if settings.spotify_refresh_token:
        click.echo(
            "SPOTIFY_REFRESH_TOKEN is set too: the kept token is used while it stays as it is now; put another "
            "one there and that one is used; remove it and run this command again."
        )
