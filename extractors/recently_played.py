"""Live listening: Spotify's ``GET /me/player/recently-played``, polled (e.g. every ten minutes by cron).

Each poll asks for the plays after the saved cursor (epoch ms), newest first, following ``next`` to older
pages while a page is full and still newer than the cursor. The answers land raw (every artist of a track
kept), the plays are derived from the landed JSON in DuckDB and appended to ``tracks_played`` (deduplicated
by the play key), and only then is the cursor advanced. A crash between the two re-fetches on the next
poll, and the play key keeps those plays from counting twice.
"""

from __future__ import annotations

import json
import logging
import os
import signal
from datetime import datetime
from pathlib import Path

from extractors.catalog import Catalog
from extractors.config import Settings
from extractors.errors import BadResponseError, ConfigError, ForbiddenError, ReauthorizeError
from extractors.history import append_plays
from extractors.landing import Lander, Record
from extractors.run import RunOptions, SourceResult
from extractors.spotify import SpotifyExtractor

log = logging.getLogger(__name__)

LIMIT = 50
MAX_PAGES = 20


def crash_point(name: str) -> None:
    """Fault injection for the crash tests: ``RWS_CRASH_AT=<name>`` kills the process right here."""
    if os.environ.get("RWS_CRASH_AT") == name:
        os.kill(os.getpid(), signal.SIGKILL)


def cursor_path(settings: Settings) -> Path:
    return settings.data_dir / "state" / "recently_played.json"


def read_cursor(settings: Settings) -> int | None:
    path = cursor_path(settings)
    if not path.exists():
        return None
    try:
        return int(json.loads(path.read_text())["after"])
    except (ValueError, KeyError, TypeError):
        raise ConfigError(f"{path}: not a valid cursor file; delete it to start from the latest 50 plays") from None


def write_cursor(settings: Settings, after_ms: int) -> None:
    path = cursor_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps({"after": str(after_ms)}) + "\n")
    os.replace(tmp, path)


# The plays of the landed answers, in the contract's columns (the first artist goes to artist_id).
PLAYS_SQL = """
select
    $1 as user_id,
    body -> 'track' ->> 'id' as track_id,
    body -> 'track' ->> 'uri' as track_uri,
    body -> 'track' -> 'external_ids' ->> 'isrc' as track_isrc,
    body -> 'track' ->> 'name' as track_name,
    body -> 'track' -> 'album' ->> 'id' as album_id,
    body -> 'track' -> 'album' ->> 'uri' as album_uri,
    body -> 'track' -> 'album' ->> 'name' as album,
    body -> 'track' -> 'artists' -> 0 ->> 'id' as artist_id,
    body -> 'track' -> 'artists' -> 0 ->> 'name' as artist,
    try_cast(body -> 'track' ->> 'duration_ms' as bigint) as duration_ms,
    cast(cast(body ->> 'played_at' as timestamptz) at time zone 'UTC' as timestamp) as played_at,
    try_cast(body -> 'track' ->> 'popularity' as double) as popularity,
    $2 as request_cursor,
    'spotify_recently_played' as play_source
from read_parquet($3)
where status = 200
"""


def poll(settings: Settings, catalog: Catalog, run_id: str, user_id: str | None) -> SourceResult:
    if not settings.spotify_refresh_token or not settings.spotify_client_id:
        raise ConfigError(
            "recently-played: set SPOTIFY_CLIENT_ID and SPOTIFY_REFRESH_TOKEN (authorization-code flow with the "
            "user-read-recently-played scope) in the environment or .env"
        )
    spotify = SpotifyExtractor(settings, catalog, RunOptions(), run_id)
    result = SourceResult("recently-played")
    try:
        after = read_cursor(settings)
        items = fetch(spotify, after)
        result.requests = spotify.api.requests_made
        if not items:
            log.info("recently-played: no new plays since the last poll")
            return result
        records = [Record(f"{i['played_at']}|{(i.get('track') or {}).get('id')}", 200, i) for i in items]
        landed = Lander(settings.raw_dir, "spotify", "recently_played", run_id).write(records)
        assert landed is not None
        crash_point("after-landing")
        appended = append_plays(
            catalog,
            PLAYS_SQL,
            f"recently-played-{run_id}",
            params=[user_id, str(after) if after is not None else None, str(landed)],
        )
        crash_point("after-plays")
        newest = max(_ms(i) for i in items)
        write_cursor(settings, newest)
        tally = result.endpoint("recently_played")
        tally.found = appended.imported
        result.notes.append(f"{len(items)} plays fetched, {appended.imported} new, {appended.duplicates} known")
        return result
    finally:
        spotify.close()


def fetch(spotify: SpotifyExtractor, after: int | None) -> list[dict]:
    """Every play after the cursor (all of the last 50 on a first poll)."""
    params = {"limit": str(LIMIT)}
    if after is not None:
        params["after"] = str(after)
    items: list[dict] = []
    try:
        body = spotify.get("/me/player/recently-played", params).body
        for _ in range(MAX_PAGES):
            page = body.get("items") if isinstance(body, dict) else None
            if not isinstance(page, list):
                raise BadResponseError("spotify: recently-played answered without 'items'; nothing landed")
            items.extend(page)
            full = len(page) >= LIMIT and body.get("next")
            if not full or after is None:
                break
            oldest = min(_ms(i) for i in page)
            if oldest <= after:
                break
            body = spotify.get("/me/player/recently-played", {"limit": str(LIMIT), "before": str(oldest)}).body
    except ForbiddenError:
        raise ReauthorizeError(
            "recently-played: Spotify refused /me/player/recently-played (403): the refresh token needs the "
            "user-read-recently-played scope; authorise again and renew SPOTIFY_REFRESH_TOKEN"
        ) from None
    seen: set[tuple[str, str]] = set()
    unique = []
    for item in items:
        key = (str(item.get("played_at")), str((item.get("track") or {}).get("id")))
        if key not in seen and (after is None or _ms(item) > after):
            seen.add(key)
            unique.append(item)
    return unique


def _ms(item: dict) -> int:
    return int(datetime.fromisoformat(str(item["played_at"]).replace("Z", "+00:00")).timestamp() * 1000)
