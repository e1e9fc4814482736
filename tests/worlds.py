"""Deterministic synthetic Spotify worlds: entities in the real API shape and a history referencing them."""

from __future__ import annotations

import random
import string
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

ALPHABET = string.ascii_letters + string.digits


def spotify_id(rng: random.Random) -> str:
    return "".join(rng.choice(ALPHABET) for _ in range(22))


def artist_object(artist_id: str, name: str, genres: list[str], popularity: int, followers: int) -> dict[str, Any]:
    return {
        "external_urls": {"spotify": f"https://open.spotify.com/artist/{artist_id}"},
        "followers": {"href": None, "total": followers},
        "genres": genres,
        "href": f"https://api.spotify.com/v1/artists/{artist_id}",
        "id": artist_id,
        "images": [],
        "name": name,
        "popularity": popularity,
        "type": "artist",
        "uri": f"spotify:artist:{artist_id}",
    }


def simple_artist(artist: dict[str, Any]) -> dict[str, Any]:
    return {k: artist[k] for k in ("external_urls", "href", "id", "name", "type", "uri")}


def album_object(album_id: str, name: str, artist: dict[str, Any], release: str, precision: str) -> dict[str, Any]:
    return {
        "album_type": "album",
        "artists": [simple_artist(artist)],
        "available_markets": ["GB", "US"],
        "copyrights": [{"text": f"2020 {name}", "type": "C"}],
        "external_ids": {"upc": "0" * 12},
        "external_urls": {"spotify": f"https://open.spotify.com/album/{album_id}"},
        "genres": [],
        "href": f"https://api.spotify.com/v1/albums/{album_id}",
        "id": album_id,
        "images": [],
        "label": "Test Label",
        "name": name,
        "popularity": 10,
        "release_date": release,
        "release_date_precision": precision,
        "total_tracks": 1,
        "tracks": {"href": "", "items": [], "limit": 50, "next": None, "offset": 0, "previous": None, "total": 1},
        "type": "album",
        "uri": f"spotify:album:{album_id}",
    }


def track_object(track_id: str, name: str, artist: dict[str, Any], album: dict[str, Any], isrc: str) -> dict[str, Any]:
    keys = "album_type artists external_urls href id images name release_date release_date_precision total_tracks"
    simple_album = {k: album[k] for k in [*keys.split(), "type", "uri"]}
    return {
        "album": simple_album,
        "artists": [simple_artist(artist)],
        "disc_number": 1,
        "duration_ms": 200_000,
        "explicit": False,
        "external_ids": {"isrc": isrc},
        "external_urls": {"spotify": f"https://open.spotify.com/track/{track_id}"},
        "href": f"https://api.spotify.com/v1/tracks/{track_id}",
        "id": track_id,
        "is_local": False,
        "name": name,
        "popularity": 50,
        "preview_url": None,
        "track_number": 1,
        "type": "track",
        "uri": f"spotify:track:{track_id}",
    }


@dataclass
class SpotifyWorld:
    artists: dict[str, dict[str, Any]] = field(default_factory=dict)
    albums: dict[str, dict[str, Any]] = field(default_factory=dict)
    tracks: dict[str, dict[str, Any]] = field(default_factory=dict)
    plays: list[dict[str, Any]] = field(default_factory=list)

    def entities(self) -> dict[str, dict[str, dict[str, Any]]]:
        return {"artists": self.artists, "albums": self.albums, "tracks": self.tracks}


def make_spotify_world(n_artists: int, n_albums: int, seed: int = 1) -> SpotifyWorld:
    """``n_artists`` artists and ``n_albums`` albums (album i by artist i mod n), one track each album,
    and a play for every artist and every album: the history references exactly these ids."""
    rng = random.Random(seed)
    world = SpotifyWorld()
    artist_list = []
    for i in range(n_artists):
        aid = spotify_id(rng)
        artist = artist_object(aid, f"Artist {i}", [f"genre {i % 7}", "test pop"], i % 100, 1000 + i)
        world.artists[aid] = artist
        artist_list.append(artist)
    start = datetime(2025, 1, 1)
    for j in range(n_albums):
        artist = artist_list[j % n_artists]
        album_id, track_id = spotify_id(rng), spotify_id(rng)
        album = album_object(album_id, f"Album {j}", artist, f"20{j % 25:02d}-0{1 + j % 9}-1{j % 9}", "day")
        world.albums[album_id] = album
        world.tracks[track_id] = track_object(track_id, f"Song {j}", artist, album, f"GBAAA25{j:05d}")
        world.plays.append(
            {
                "user_id": "u",
                "track_id": track_id,
                "track_name": f"Song {j}",
                "album_id": album_id,
                "album": f"Album {j}",
                "artist_id": artist["id"],
                "artist": artist["name"],
                "played_at": start + timedelta(minutes=j),
            }
        )
    for i, artist in enumerate(artist_list[n_albums:]):  # artists without an album in the history
        world.plays.append(
            {
                "user_id": "u",
                "track_name": f"Loose {i}",
                "artist_id": artist["id"],
                "artist": artist["name"],
                "played_at": start + timedelta(days=1, minutes=i),
            }
        )
    return world
