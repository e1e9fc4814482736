"""Spotify: tracks (to learn a play's artist and album), artists and albums, only for the missing ids; and
searches for the listens that carry no Spotify id at all (docs/name-matching.md).

Batch endpoints first (``/tracks?ids=`` 50, ``/artists?ids=`` 50, ``/albums?ids=`` 20). An app in
Development Mode gets 403 from them since 2026-03: after the first 403 an endpoint switches to one request
per id (``/artists/{id}``) for the rest of the run. ``null`` entries and 404s land as "not found".

The steps of a run (:data:`STEPS`), each asking DuckDB what is still missing after the ones before:
track searches (by ISRC, then by artist and title: two passes), one track per album the history names, the
albums (whose answers list their tracks: the album's other tracks need no request), the further pages of
long albums' track lists, the remaining tracks, the albums of those, artist searches for artists none of whose
tracks a search matched, and the artists.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from extractors import __version__, queries, rules
from extractors.catalog import Catalog
from extractors.config import Settings
from extractors.errors import (
    BadResponseError,
    ConfigError,
    ForbiddenError,
    ReauthorizeError,
    TokenExpiredError,
)
from extractors.http import HttpClient, Response
from extractors.landing import Lander, Record, write_json
from extractors.run import RunOptions, SourceResult, extract_in_batches, land

log = logging.getLogger(__name__)

SOURCE = "spotify"
SPOTIFY_ID = "^[0-9A-Za-z]{22}$"
EXPIRY_MARGIN = 60.0


@dataclass(frozen=True)
class Endpoint:
    name: str
    batch_size: int  # ids per batch request (and per landed file); searches and pages: keys per landed file
    key_format: str = SPOTIFY_ID  # a regex: keys of another shape are never sent


TRACKS = Endpoint("tracks", 50)
ARTISTS = Endpoint("artists", 50)
ALBUMS = Endpoint("albums", 20)
TRACK_SEARCHES = Endpoint("track_searches", 50, "^(isrc|track):.+$")
ARTIST_SEARCHES = Endpoint("artist_searches", 50, "^artist:.+$")
ALBUM_TRACKS = Endpoint("album_tracks", 50, "^[0-9A-Za-z]{22}:[0-9]+$")
ENDPOINTS = (TRACK_SEARCHES, TRACKS, ALBUMS, ALBUM_TRACKS, ARTIST_SEARCHES, ARTISTS)
SEARCH_LIMIT = 10  # results per search: the most Development Mode allows (2026)
ALBUM_PAGE = 50  # tracks per album track-list page: the most the API gives


@dataclass(frozen=True)
class Step:
    """One pass over an endpoint: the keys its ``wanted`` query (sql/<wanted>.sql) wants now."""

    endpoint: Endpoint
    wanted: str
    label: str


STEPS = (
    Step(TRACK_SEARCHES, "wanted_track_searches", "track searches"),
    Step(TRACK_SEARCHES, "wanted_track_searches", "track searches by name (ISRCs not found)"),
    Step(TRACKS, "wanted_tracks_first", "tracks (one per album)"),
    Step(ALBUMS, "wanted_albums", "albums"),
    Step(ALBUM_TRACKS, "wanted_album_tracks", "album track-list pages"),
    Step(TRACKS, "wanted_tracks", "tracks (not on a landed album)"),
    Step(ALBUMS, "wanted_albums", "albums (of those tracks)"),
    Step(ARTIST_SEARCHES, "wanted_artist_searches", "artist searches"),
    Step(ARTISTS, "wanted_artists", "artists"),
)


# What is missing is SQL (sql/), over the table spotify_plays and the rules' views (extractors/rules.py:
# int_spotify__tracks, the track and artist searches): for each step the keys it wants (key, plays).
def wanted_sql(name: str) -> str:
    return queries.of(__file__, name, wanted_tracks=queries.of(__file__, "wanted_tracks"))


def prepare_views(catalog: Catalog) -> None:
    """(Re)create the landed views (landed_spotify_albums among them), the rules' tables over them and the table
    the wanted queries read (spotify_plays: the history's ids, once per change of the history)."""
    catalog.prepare_rules()
    catalog.derived_table("spotify_plays", queries.of(__file__, "plays"), (("history", "tracks_played"),))


def step_keys(catalog: Catalog, step: Step, retry_not_found: bool = False) -> list[str]:
    """The keys ``step`` asks for now, most-played first (needs ``catalog.require_history()`` first)."""
    prepare_views(catalog)
    endpoint = step.endpoint
    return catalog.missing_keys(SOURCE, endpoint.name, wanted_sql(step.wanted), endpoint.key_format, retry_not_found)


def missing_keys(catalog: Catalog, endpoint: str, retry_not_found: bool = False) -> list[str]:
    """The keys of ``endpoint`` still missing as of now (what ``status`` counts): its last step's wanted keys."""
    step = [s for s in STEPS if s.endpoint.name == endpoint][-1]
    return step_keys(catalog, step, retry_not_found)


def malformed_keys(catalog: Catalog, endpoint: str) -> list[str]:
    """The ids of ``endpoint`` the history references that are not Spotify ids (never sent)."""
    prepare_views(catalog)
    return catalog.keys(queries.common("malformed_keys", wanted=wanted_sql(f"wanted_{endpoint}"), valid=SPOTIFY_ID))


def search_requests(catalog: Catalog, keys: list[str]) -> dict[str, dict[str, str | None]]:
    """For each search key: its query ``q`` and what a result must equal (sql/search_requests.sql), as of the
    last :func:`prepare_views` (the step's own: what a step searches does not change while it runs)."""
    sql = f"select * from ({queries.of(__file__, 'search_requests')}) where key in (select unnest($keys))"
    cursor = catalog.con.execute(sql, {"keys": keys})
    columns = [d[0] for d in cursor.description or []]
    return {row[0]: dict(zip(columns, row, strict=True)) for row in cursor.fetchall()}


ROUTES = {
    "history_name": "the same names with an id elsewhere in the history",
    "isrc_search": "ISRC search",
    "track_search": "title and artist search",
    "artist_search": "artist search (artist only)",
}


def match_lines(catalog: Catalog) -> list[str]:
    """``status``: the history's rows without Spotify ids by how they were matched, and what the searches not
    made yet would cost (docs/name-matching.md)."""
    prepare_views(catalog)
    routes = dict(catalog.con.execute(queries.of(__file__, "match_status")).fetchall())
    named = sum(n for route, n in routes.items() if route != "ids")
    if not named:
        return ["rows without Spotify ids or MBIDs: none (nothing to search)"]
    matched = sum(routes.get(route, 0) for route in ROUTES)
    lines = [f"rows without Spotify ids or MBIDs: {named}, matched {matched} ({100 * matched / named:.0f} %)"]
    lines += [f"  by {label}: {routes[route]}" for route, label in ROUTES.items() if routes.get(route)]
    for route in ("not found", "not asked yet", "no title"):
        if routes.get(route):
            lines.append(f"  {route}: {routes[route]}")
    searches = len(step_keys(catalog, STEPS[0]))
    artists = len(step_keys(catalog, STEPS[-2]))
    row = catalog.con.execute(queries.of(__file__, "match_costs")).fetchone()
    fallbacks, maybe = (int(row[0]), int(row[1])) if row else (0, 0)
    lines.append(
        f"searches still to make: {searches} track, {artists} artist"
        + (
            f"; up to {fallbacks + maybe} more ({fallbacks} by name after an ISRC finds nothing, {maybe} artist)"
            if fallbacks or maybe
            else ""
        )
    )
    return lines


AUTH_COMMAND = "uv run python -m extractors auth spotify"
TOKEN_FILE = "spotify_token.json"
SCOPE = "user-read-recently-played"  # what GET /me/player/recently-played needs


def token_path(settings: Settings) -> Path:
    """Where the refresh token of ``auth spotify`` (or one Spotify rotated) is kept: mode 600, never shown."""
    return settings.data_dir / "state" / TOKEN_FILE


def env_token_sha(settings: Settings) -> str | None:
    """The sha256 of ``SPOTIFY_REFRESH_TOKEN``, the origin a kept token must name to be used (None: unset)."""
    token = settings.spotify_refresh_token
    return hashlib.sha256(token.get_secret_value().encode()).hexdigest() if token else None


@dataclass(frozen=True)
class KeptToken:
    """The token file's content: ``refresh_token``, ``from_sha256`` and ``authorised_at``/``scope`` (written by
    ``auth spotify``) or ``rotated_at`` (written when Spotify rotated the token)."""

    refresh_token: str
    payload: dict[str, Any]


def read_kept_token(settings: Settings) -> tuple[KeptToken | None, str | None]:
    """The kept refresh token, when the file holds one for this configuration; else None and why not.

    The reason is None (no file), ``"unreadable"`` or ``"other origin"``: the file's ``from_sha256`` is not
    the sha256 of the current ``SPOTIFY_REFRESH_TOKEN`` (null when none was set), so the user has put another
    token in .env since, or removed it. Logs nothing: ``status`` and the config checks call it too.
    """
    try:
        data = json.loads(token_path(settings).read_text())
        token, origin = data["refresh_token"], data["from_sha256"]
    except FileNotFoundError:
        return None, None
    except (OSError, ValueError, KeyError, TypeError):
        return None, "unreadable"
    if not isinstance(token, str) or not token:
        return None, "unreadable"
    if origin != env_token_sha(settings):
        return None, "other origin"
    return KeptToken(token, data), None


def has_refresh_token(settings: Settings) -> bool:
    """A refresh token is at hand: ``SPOTIFY_REFRESH_TOKEN``, or one kept by ``auth spotify``."""
    return bool(settings.spotify_refresh_token) or read_kept_token(settings)[0] is not None


def check_config(settings: Settings) -> str | None:
    """None when a token can be had; else the one line saying exactly what is missing."""
    client_id, secret = settings.spotify_client_id, settings.spotify_client_secret
    refresh = has_refresh_token(settings)
    if client_id and (secret or refresh):
        return None
    if client_id:
        return (
            "spotify: SPOTIFY_CLIENT_ID is set but SPOTIFY_CLIENT_SECRET is not: set it (or run "
            f"`{AUTH_COMMAND}` for a refresh token)"
        )
    if secret or refresh:
        what = "SPOTIFY_CLIENT_SECRET" if secret else "SPOTIFY_REFRESH_TOKEN"
        if not secret and not settings.spotify_refresh_token:
            what = f"the refresh token kept in {token_path(settings)}"
        return (
            f"spotify: {what} is set but SPOTIFY_CLIENT_ID is not: set it in the environment or .env (Spotify "
            "developer dashboard → your app → settings)"
        )
    return (
        "spotify: set SPOTIFY_CLIENT_ID and SPOTIFY_CLIENT_SECRET in the environment or .env (see .env.example); "
        f"for your own plays run `{AUTH_COMMAND}` too"
    )


def user_agent() -> str:
    return f"rws-music/{__version__}"


class SpotifyAuth:
    """Access tokens: the refresh-token grant when there is a refresh token, else client credentials.

    The refresh token is ``SPOTIFY_REFRESH_TOKEN``, or the one kept in ``DATA_DIR/state/spotify_token.json``
    (mode 600 from its creation, written to a temporary file and renamed) with the sha256 of the
    ``SPOTIFY_REFRESH_TOKEN`` it descends from (null: none was set). ``auth spotify`` writes that file; so does
    a run when Spotify rotates the token (a ``refresh_token`` in the refresh answer, as PKCE apps get; the one
    sent is then revoked). A run uses the kept token only while the environment still holds the token it
    descends from: with no SPOTIFY_REFRESH_TOKEN, the one ``auth spotify`` kept; and a user who puts another
    token in .env gets that one used. Tokens are never printed or logged.
    """

    TOKEN_FILE = TOKEN_FILE

    def __init__(self, settings: Settings, http: HttpClient, clock: Callable[[], float] = time.monotonic):
        problem = check_config(settings)
        if problem:
            raise ConfigError(problem)
        self.settings = settings
        self.http = http
        self.clock = clock
        self.token_path = token_path(settings)
        self._origin = env_token_sha(settings)
        env_token = settings.spotify_refresh_token
        self.refresh_token = env_token.get_secret_value() if env_token else None  # sent in each refresh
        self.stored = False  # the refresh token is the kept one (from ``auth spotify`` or a rotation)
        self._kept_payload: dict[str, Any] = {}
        kept = self._read_kept()
        if kept:
            self.refresh_token, self.stored = kept.refresh_token, True
            self._kept_payload = kept.payload
        self._token: str | None = None
        self._expires_at = 0.0

    def _read_kept(self) -> KeptToken | None:
        """The refresh token kept for this configuration, or None (saying why when a file is there)."""
        kept, why = read_kept_token(self.settings)
        path = self.token_path
        fallback = "SPOTIFY_REFRESH_TOKEN" if self.settings.spotify_refresh_token else "no refresh token"
        if why == "unreadable":
            log.warning(
                "spotify: %s is not a readable token file; using %s (run `%s` for a new one)",
                path,
                fallback,
                AUTH_COMMAND,
            )
        elif why == "other origin" and self.settings.spotify_refresh_token:
            log.info("spotify: SPOTIFY_REFRESH_TOKEN changed since %s was written; using the new one", path)
        elif why == "other origin":
            log.info(
                "spotify: the token kept in %s descends from a SPOTIFY_REFRESH_TOKEN no longer set; not used", path
            )
        if kept:
            log.debug("spotify: using the refresh token kept in %s", path)
        return kept

    def _keep(self, token: str) -> None:
        """Store a rotated refresh token for the next run: mode 600 from creation, atomically.

        What ``auth spotify`` recorded (``authorised_at``, ``scope``) stays: the same authorisation goes on.
        """
        path = self.token_path
        payload = {
            **{k: v for k, v in self._kept_payload.items() if k in ("authorised_at", "scope")},
            "refresh_token": token,
            "from_sha256": self._origin,
            "rotated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        try:
            write_json(path, payload, mode=0o600)
        except OSError as exc:
            log.error(
                "spotify: Spotify rotated the refresh token but it could not be kept in %s (%s); the next run will "
                "need a new refresh token (run `%s` again) unless this run's is kept",
                path,
                exc.strerror or type(exc).__name__,
                AUTH_COMMAND,
            )
            return
        self._kept_payload = payload
        log.info("spotify: Spotify rotated the refresh token; the new one is kept in %s for the next run", path)

    def token(self) -> str:
        if self._token is None or self.clock() >= self._expires_at - EXPIRY_MARGIN:
            self.refresh()
        assert self._token is not None
        return self._token

    def refresh(self) -> None:
        s = self.settings
        headers: dict[str, str] = {"Content-Type": "application/x-www-form-urlencoded"}
        # a token `auth spotify` got (PKCE, a public client) is refreshed as PKCE: the client id in the body, no
        # Basic header, even when a client secret is set for the catalog endpoints
        pkce = not s.spotify_client_secret or (self.stored and "authorised_at" in self._kept_payload)
        client_id = s.spotify_client_id.get_secret_value() if s.spotify_client_id else ""
        if s.spotify_client_secret and not (self.refresh_token and pkce):
            pair = f"{client_id}:{s.spotify_client_secret.get_secret_value()}".encode()
            headers["Authorization"] = "Basic " + base64.b64encode(pair).decode()
        if self.refresh_token:
            data = {"grant_type": "refresh_token", "refresh_token": self.refresh_token}
            if pkce:
                data["client_id"] = client_id
            what = f"the refresh token kept in {self.token_path}" if self.stored else "SPOTIFY_REFRESH_TOKEN"
        else:
            data = {"grant_type": "client_credentials"}
            what = "SPOTIFY_CLIENT_ID / SPOTIFY_CLIENT_SECRET"
        try:
            resp = self.http.post(
                f"{s.spotify_accounts_url}/api/token", data=data, headers=headers, accept_statuses=(400, 401)
            )
        except (TokenExpiredError, ForbiddenError) as exc:
            raise ReauthorizeError(f"spotify: the token endpoint refused {what} ({exc.status}); renew it") from None
        body = resp.body if isinstance(resp.body, dict) else {}
        if resp.status != 200 or not body.get("access_token"):
            error = body.get("error") or f"status {resp.status}"
            detail = body.get("error_description")
            reason = f"{error}: {detail}" if detail else str(error)
            again = f"authorise the app again: run `{AUTH_COMMAND}` (or put a new SPOTIFY_REFRESH_TOKEN in .env)"
            if error == "invalid_grant" and self.stored:
                raise ReauthorizeError(
                    f"spotify: the refresh token kept in {self.token_path} was refused ({reason}; refresh tokens "
                    f"last 6 months); {again}"
                )
            if error == "invalid_grant":
                raise ReauthorizeError(
                    f"spotify: the refresh token SPOTIFY_REFRESH_TOKEN was refused ({reason}; refresh tokens last "
                    f"6 months); {again}"
                )
            if error in ("invalid_client", "unauthorized_client"):
                what = "SPOTIFY_CLIENT_ID / SPOTIFY_CLIENT_SECRET"
            raise ReauthorizeError(
                f"spotify: the token endpoint refused {what} ({reason}); check them in .env "
                "(Spotify developer dashboard → your app → settings)"
            )
        self._token = str(body["access_token"])
        self._expires_at = self.clock() + float(body.get("expires_in") or 3600)
        rotated = body.get("refresh_token")  # absent from most refresh answers: keep the one we have
        if self.refresh_token and isinstance(rotated, str) and rotated and rotated != self.refresh_token:
            self.refresh_token, self.stored = rotated, True
            self._keep(rotated)
        log.debug("spotify: new access token, valid %s s", body.get("expires_in"))


class SpotifyExtractor:
    def __init__(self, settings: Settings, catalog: Catalog, options: RunOptions, run_id: str) -> None:
        self.settings = settings
        self.catalog = catalog
        self.options = options
        self.run_id = run_id
        self.accounts = HttpClient.from_settings("spotify", settings, user_agent=user_agent())
        self.api = HttpClient.from_settings(
            "spotify", settings, min_interval=settings.spotify_min_interval, user_agent=user_agent()
        )
        self.auth = SpotifyAuth(settings, self.accounts)
        self.single_mode: set[str] = set()
        self.reported_malformed: set[str] = set()
        self.asked: dict[str, set[str]] = {}  # the keys each endpoint was asked this run
        self.result = SourceResult(SOURCE)

    def close(self) -> None:
        self.accounts.close()
        self.api.close()

    # -- requests -------------------------------------------------------------------------------------
    def get(self, path: str, params: dict[str, str] | None = None, accept: tuple[int, ...] = (404,)) -> Response:
        """GET an API path with a valid token; a 401 refreshes the token once and retries. ``accept``: the
        statuses that are answers (data), not errors."""
        url = f"{self.settings.spotify_api_url}{path}"
        try:
            return self.api.get(
                url, params=params, headers={"Authorization": f"Bearer {self.auth.token()}"}, accept_statuses=accept
            )
        except TokenExpiredError:
            log.info("spotify: access token expired or revoked (401); refreshing it once")
        self.auth.refresh()
        try:
            return self.api.get(
                url, params=params, headers={"Authorization": f"Bearer {self.auth.token()}"}, accept_statuses=accept
            )
        except TokenExpiredError:
            raise ReauthorizeError(
                "spotify: 401 even with a fresh access token; check SPOTIFY_CLIENT_ID / SPOTIFY_CLIENT_SECRET "
                "and authorise the app again"
            ) from None

    def fetch_batch(self, endpoint: Endpoint, ids: list[str]) -> list[Record]:
        resp = self.get(f"/{endpoint.name}", {"ids": ",".join(ids)})
        items = resp.body.get(endpoint.name) if isinstance(resp.body, dict) else None
        if not isinstance(items, list) or len(items) != len(ids):
            raise BadResponseError(
                f"spotify: {resp.url} answered without a list of {len(ids)} {endpoint.name}; nothing landed"
            )
        return [
            Record(key, 200, item) if item else Record(key, 404, None) for key, item in zip(ids, items, strict=True)
        ]

    def fetch_one(self, endpoint: Endpoint, key: str) -> Record:
        """One id: 404 is "not found", and so is 400 "invalid id" (an id Spotify does not accept, e.g. one the
        history holds that only looks like an id): both land with their status and body, never a stop."""
        resp = self.get(f"/{endpoint.name}/{key}", accept=(400, 404))
        if resp.status in (400, 404):
            return Record(key, resp.status, resp.body)
        if not isinstance(resp.body, dict):
            raise BadResponseError(f"spotify: {resp.url} answered without a JSON object; nothing landed")
        return Record(key, 200, resp.body)

    def fetch_chunk(self, endpoint: Endpoint, ids: list[str], lander: Lander) -> list[Record]:
        """Fetch one batch of ids and land it; what was fetched before an error is landed too."""
        if endpoint.name not in self.single_mode:
            try:
                records = self.fetch_batch(endpoint, ids)
            except ForbiddenError:
                self.single_mode.add(endpoint.name)
                log.warning(
                    "spotify: /%s?ids= answered 403 (batch endpoints are gone for apps in Development Mode "
                    "since 2026-03); asking one id per request for the rest of this run",
                    endpoint.name,
                )
            else:
                self.land(endpoint, lander, records)
                return records
        records = []
        try:
            for key in ids:
                records.append(self.fetch_one(endpoint, key))
        finally:
            self.land(endpoint, lander, records)
        return records

    def land(self, endpoint: Endpoint, lander: Lander, records: list[Record]) -> None:
        land(lander, records, self.result, endpoint.name)

    def search(self, key: str, wanted: dict[str, str | None]) -> Record:
        """One search: landed as found (200) when a result is accepted (rules.spotify_search_accepts), else as
        not found (404, the body kept), like any other key; a 400 (a query Spotify refuses) lands as itself."""
        kind = "artist" if key.startswith("artist:") else "track"
        params = {"q": str(wanted["q"]), "type": kind, "limit": str(SEARCH_LIMIT)}
        resp = self.get("/search", params, accept=(400, 404))
        if resp.status in (400, 404):
            return Record(key, resp.status, resp.body)
        if not isinstance(resp.body, dict) or not isinstance(resp.body.get(f"{kind}s"), dict):
            raise BadResponseError(f"spotify: {resp.url} answered without {kind}s; nothing landed")
        accepted = rules.spotify_search_accepts(self.catalog.con, resp.body, wanted)
        return Record(key, 200 if accepted else 404, resp.body)

    def album_page(self, key: str) -> Record:
        """One page of an album's track list, key ``<album id>:<offset>``."""
        album_id, offset = key.split(":")
        resp = self.get(f"/albums/{album_id}/tracks", {"offset": offset, "limit": str(ALBUM_PAGE)}, accept=(400, 404))
        if resp.status in (400, 404):
            return Record(key, resp.status, resp.body)
        if not isinstance(resp.body, dict) or not isinstance(resp.body.get("items"), list):
            raise BadResponseError(f"spotify: {resp.url} answered without a page of tracks; nothing landed")
        return Record(key, 200, resp.body)

    def fetch_each(
        self, endpoint: Endpoint, keys: list[str], lander: Lander, requests: dict[str, dict[str, str | None]]
    ) -> list[Record]:
        """Searches and album pages: one request per key; what was fetched before an error is landed too."""
        records: list[Record] = []
        try:
            for key in keys:
                if endpoint is ALBUM_TRACKS:
                    records.append(self.album_page(key))
                else:
                    records.append(self.search(key, requests[key]))
        finally:
            self.land(endpoint, lander, records)
        return records

    # -- the run --------------------------------------------------------------------------------------
    def missing(self, step: Step) -> list[str]:
        keys = step_keys(self.catalog, step, self.options.retry_not_found)
        endpoint = step.endpoint.name
        if endpoint in ("tracks", "albums", "artists") and step.wanted == f"wanted_{endpoint}":
            malformed = malformed_keys(self.catalog, endpoint)
            if malformed and endpoint not in self.reported_malformed:
                self.reported_malformed.add(endpoint)
                log.warning(
                    "spotify: %d %s ids in tracks_played are not Spotify ids and are skipped (e.g. %r)",
                    len(malformed),
                    endpoint,
                    malformed[0][:60],
                )
        return keys

    def run(self) -> SourceResult:
        self.catalog.require_history()
        try:
            for step in STEPS:
                self.extract(step)
        finally:
            self.result.requests = self.api.requests_made
        return self.result

    def extract(self, step: Step) -> None:
        endpoint = step.endpoint
        asked = self.asked.setdefault(endpoint.name, set())
        keys = [key for key in self.missing(step) if key not in asked]  # --retry-not-found: once a run
        if self.options.limit is not None:  # at most --limit keys of an endpoint a run, over all its steps
            keys = keys[: max(0, self.options.limit - len(asked))]
        if not keys:
            log.debug("spotify: no %s missing", step.label)
            return
        log.info("spotify: %d %s missing", len(keys), step.label)
        asked.update(keys)
        lander = Lander(self.settings.raw_dir, SOURCE, endpoint.name, self.run_id)
        each = endpoint in (TRACK_SEARCHES, ARTIST_SEARCHES, ALBUM_TRACKS)
        requests = search_requests(self.catalog, keys) if endpoint in (TRACK_SEARCHES, ARTIST_SEARCHES) else {}
        try:
            extract_in_batches(
                f"spotify {step.label}",
                keys,
                endpoint.batch_size,
                lambda ids: (
                    self.fetch_each(endpoint, ids, lander, requests)
                    if each
                    else self.fetch_chunk(endpoint, ids, lander)
                ),
                self.result,
                endpoint.name,
                self.options,
            )
        finally:
            lander.close()


def extract(settings: Settings, catalog: Catalog, options: RunOptions, run_id: str) -> SourceResult:
    extractor = SpotifyExtractor(settings, catalog, options, run_id)
    try:
        return extractor.run()
    finally:
        extractor.close()
