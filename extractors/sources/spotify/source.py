"""Spotify as the registry sees it (extractors/registry.py)."""

from __future__ import annotations

from extractors.registry import Source
from extractors.sources.spotify import extract, recently_played
from extractors.sources.spotify.auth import auth

SOURCE = Source(
    name="spotify",
    help="""Spotify tracks, artists and albums that tracks_played references and that have no answer yet.

    Listens with names only (Account data, Last.fm) are searched: by ISRC, else by title and artist (each
    pair once, most-played first; a result counts only when its title and first artist equal the listen's),
    and an artist none of whose tracks matched by its exact name. Tracks are fetched when a play has a track
    id but no artist or album id: one per album first, as the album's answer lists its other tracks. Uses
    the batch endpoints (50 artists, 20 albums, 50 tracks a request) and, for an app in Development Mode
    (batch answers 403), one request per id. Needs SPOTIFY_CLIENT_ID with SPOTIFY_CLIENT_SECRET, or a refresh token
    (`auth spotify` keeps one; or SPOTIFY_REFRESH_TOKEN).
    """,
    endpoints=tuple(endpoint.name for endpoint in extract.ENDPOINTS),
    check_config=extract.check_config,
    extract=extract.extract,
    missing=extract.missing_keys,
    commands=(recently_played.command, auth),
    status_lines=lambda settings: [recently_played.status_line(settings)],
    catalog_lines=extract.match_lines,
)
