"""Deterministic synthetic Spotify worlds: entities in the real API shape and a history referencing them."""

from __future__ import annotations

import itertools
import math
import random
import string
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb

from extractors.sources.musicbrainz.extract import NAME_BATCH
from scripts.devkit.fakes.spotify import ALBUM_TRACKS_PAGE, simple_track

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


def track_object(
    track_id: str,
    name: str,
    artist: dict[str, Any],
    album: dict[str, Any],
    isrc: str,
    *,
    track_number: int = 1,
    popularity: int = 50,
) -> dict[str, Any]:
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
        "popularity": popularity,
        "preview_url": None,
        "track_number": track_number,
        "type": "track",
        "uri": f"spotify:track:{track_id}",
    }


def with_tracks(album: dict[str, Any], tracks: list[dict[str, Any]]) -> dict[str, Any]:
    """``album`` holding ``tracks`` (full track objects, in album order) as Spotify's album object does: their
    number in ``total_tracks`` and ``tracks.total``, the first page of simplified tracks in ``tracks.items``."""
    page = f"https://api.spotify.com/v1/albums/{album['id']}/tracks?offset={{}}&limit={ALBUM_TRACKS_PAGE}".format
    album["total_tracks"] = len(tracks)
    album["tracks"] = {
        "href": page(0),
        "items": [simple_track(t) for t in tracks[:ALBUM_TRACKS_PAGE]],
        "limit": ALBUM_TRACKS_PAGE,
        "next": page(ALBUM_TRACKS_PAGE) if len(tracks) > ALBUM_TRACKS_PAGE else None,
        "offset": 0,
        "previous": None,
        "total": len(tracks),
    }
    return album


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


# -- MusicBrainz ------------------------------------------------------------------------------------------
PART_OF = "de7cc874-8b1b-3a05-8272-f3834c968fb7"
AREA_TYPE_IDS = {
    "Country": "06dd0ae4-8c74-30bb-b43d-95dcedf961de",
    "Subdivision": "fd3d44c5-80a1-3842-9745-2c4972d35afa",
    "City": "6fd8f29a-3d0a-32fc-980d-ea697b69da78",
    "Municipality": "17246454-5ac4-36a1-b81a-4753eb2c4b74",
    "County": "bcecec27-21b9-38b7-a4c9-cb4cb1f4e3d4",
}


def mbid(rng: random.Random) -> str:
    h = "".join(rng.choice("0123456789abcdef") for _ in range(32))
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def embedded(area: dict[str, Any]) -> dict[str, Any]:
    """An area as embedded in an artist lookup: ``"type": null``, ISO codes on countries only."""
    item = {"id": area["id"], "name": area["name"], "sort-name": area["sort-name"], "disambiguation": ""}
    item.update({"type": None, "type-id": None})
    if "iso-3166-1-codes" in area:
        item["iso-3166-1-codes"] = area["iso-3166-1-codes"]
    return item


def area_object(
    area_id: str, name: str, kind: str, parent: dict[str, Any] | None, **codes: list[str]
) -> dict[str, Any]:
    area: dict[str, Any] = {"id": area_id, "name": name, "sort-name": name, "disambiguation": ""}
    area.update(
        {"type": kind, "type-id": AREA_TYPE_IDS[kind], "life-span": {"begin": None, "end": None, "ended": False}}
    )
    for key, value in codes.items():
        area[key.replace("_", "-")] = value
    area["relations"] = []
    if parent is not None:
        link: dict[str, Any] = {"type": "part of", "type-id": PART_OF, "direction": "backward", "target-type": "area"}
        link.update({"begin": None, "end": None, "ended": False, "attributes": [], "area": embedded(parent)})
        link["area"]["type"] = parent["type"]
        area["relations"].append(link)
    return area


@dataclass
class MusicBrainzWorld:
    """Artists of a history, split by how MusicBrainz will know them, and the MusicBrainz that knows them."""

    plays: list[dict[str, Any]] = field(default_factory=list)
    artists: dict[str, dict[str, Any]] = field(default_factory=dict)  # MB lookups by MBID
    areas: dict[str, dict[str, Any]] = field(default_factory=dict)
    recordings: list[dict[str, Any]] = field(default_factory=list)
    urls: dict[str, dict[str, Any]] = field(default_factory=dict)
    merged: dict[str, str] = field(default_factory=dict)
    expected: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)  # spotify id -> (mbid, method)
    area_levels: list[set[str]] = field(default_factory=list)  # area ids to fetch, level by level

    def name_searched(self) -> int:
        """The artists the MusicBrainz step ``artist_search`` searches by name (no ISRC nor URL matched them)."""
        return sum(m in ("name_search", None) for _, m in self.expected.values())

    def expected_requests(self, isrc_batch: int = 50, batch: int = 100) -> dict[str, int]:
        methods = [m for _, m in self.expected.values()]
        not_history = sum(m != "history" for m in methods)
        after_isrc = sum(m in ("spotify_url", "name_search", None) for m in methods)
        mbids = {m for m, _ in self.expected.values() if m} | {
            p["artist_mbid"] for p in self.plays if p.get("artist_mbid")
        }
        return {
            "isrc": math.ceil(not_history / isrc_batch),
            "url": math.ceil(after_isrc / batch),
            "artist_search": math.ceil(self.name_searched() / NAME_BATCH),  # short names: 50 a request
            "artists": math.ceil(len(mbids) / batch) + len(self.merged),
            "areas": sum(math.ceil(len(level) / batch) for level in self.area_levels),
        }


def make_musicbrainz_world(
    n_isrc: int, n_url: int, n_name: int, n_history: int, n_none: int, seed: int = 1, n_cities: int = 30
) -> MusicBrainzWorld:
    """A history of Spotify artists with ISRCs, and a MusicBrainz that knows them through one path each.

    Every artist plays twice. ``isrc`` artists have a recording for their ISRC, a quarter of them credited
    second behind a decoy artist; ``url`` ones only a Spotify URL relation; ``name`` ones only their name;
    ``history`` ones carry ``artist_mbid`` in the history (one of them a merged, old MBID); ``none`` ones are
    unknown (a fuzzy namesake scores under 90). Areas: cities under subdivisions under countries; a few
    artists have a country as their area.
    """
    rng = random.Random(seed)
    w = MusicBrainzWorld()
    countries = []
    for c in range(6):
        code = ["GB", "US", "NG", "JP", "BR", "AU"][c]
        countries.append(area_object(mbid(rng), f"Country {code}", "Country", None, iso_3166_1_codes=[code]))
    subdivisions = [
        area_object(mbid(rng), f"State {s}", "Subdivision", countries[s % 6],
                    iso_3166_2_codes=[f"{countries[s % 6]['iso-3166-1-codes'][0]}-S{s}"])
        for s in range(12)
    ]  # fmt: skip
    cities = [area_object(mbid(rng), f"City {i}", "City", subdivisions[i % 12]) for i in range(n_cities)]
    for area in [*countries, *subdivisions, *cities]:
        w.areas[area["id"]] = area
    decoy_id = mbid(rng)
    start = datetime(2025, 1, 1)
    kinds = ["isrc"] * n_isrc + ["url"] * n_url + ["name"] * n_name + ["history"] * n_history + ["none"] * n_none
    referenced: set[str] = set()
    for i, kind in enumerate(kinds):
        spotify = spotify_id(rng)
        artist_mbid = mbid(rng)
        name = f"Ärtist {i}" if i % 7 == 0 else f"Artist {i}"
        area = countries[i % 6] if i % 10 == 0 else cities[i % n_cities]
        begin = cities[(i * 7) % n_cities]
        if kind != "none":
            referenced |= {area["id"], begin["id"]}
        isrc = f"QZ{'ABC'[i % 3]}{'XY'[i % 2]}{i % 10}25{i:05d}"
        if kind != "none":
            w.artists[artist_mbid] = {
                "id": artist_mbid, "name": name, "sort-name": name, "type": "Person", "gender": "Female",
                "country": area.get("iso-3166-1-codes", [None])[0], "disambiguation": "",
                "area": embedded(area), "begin-area": embedded(begin), "begin_area": embedded(begin),
                "end-area": None, "end_area": None, "life-span": {"begin": "1990", "end": None, "ended": False},
                "aliases": [], "genres": [{"id": "g1", "name": f"genre {i % 5}", "count": 3},
                                          {"id": "g2", "name": "reggae", "count": -1}],
                "tags": [{"count": 2, "name": f"tag {i % 4}"}, {"count": 0, "name": "seen live"}],
            }  # fmt: skip
        if kind == "isrc":
            credits = [{"name": name, "joinphrase": "", "artist": {"id": artist_mbid, "name": name, "sort-name": name}}]
            if i % 4 == 1:  # the Spotify artist is credited second: the first credit is somebody else
                decoy = {"id": decoy_id, "name": "Someone Else", "sort-name": "Else, Someone"}
                credits.insert(0, {"name": "Someone Else", "joinphrase": " & ", "artist": decoy})
            credited = name.upper() if i % 9 == 0 else name  # credited names differ in case at times
            credits[-1]["name"] = credited
            w.recordings.append({"id": mbid(rng), "score": 100, "title": f"Song {i}", "length": 200000,
                                 "artist-credit": credits, "isrcs": [isrc]})  # fmt: skip
        if kind == "url":
            resource = f"https://open.spotify.com/artist/{spotify}"
            rel = {"type": "free streaming", "direction": "backward", "target-type": "artist",
                   "artist": {"id": artist_mbid, "name": name, "sort-name": name}}  # fmt: skip
            w.urls[resource] = {"id": mbid(rng), "resource": resource, "relations": [rel]}
        if kind == "none":  # only a fuzzy namesake exists
            other = mbid(rng)
            w.artists[other] = {"id": other, "name": f"{name} Tribute Band", "sort-name": name, "type": "Group",
                                "area": embedded(area), "life-span": {"ended": False}}  # fmt: skip
        history_mbid = None
        if kind == "history":
            history_mbid = artist_mbid
            if not w.merged:  # the history carries an old MBID that MusicBrainz merged into the current one
                history_mbid = mbid(rng)
                w.merged[history_mbid] = artist_mbid
        expected_mbid = None if kind == "none" else (history_mbid or artist_mbid)
        method = {"isrc": "isrc", "url": "spotify_url", "name": "name_search", "history": "history"}.get(kind)
        w.expected[spotify] = (expected_mbid, method)
        for n in range(2):
            w.plays.append({
                "user_id": "u", "track_id": spotify_id(rng), "track_isrc": isrc, "track_name": f"Song {i}",
                "artist_id": spotify, "artist": name, "artist_mbid": history_mbid,
                "played_at": start + timedelta(minutes=2 * i + n),
            })  # fmt: skip
    # the levels in which the areas get fetched: referenced ones, then parents not yet fetched
    fetched: set[str] = set()
    level = referenced
    while level:
        w.area_levels.append(level)
        fetched |= level
        parents = {r["area"]["id"] for a in level for r in w.areas[a]["relations"] if r["direction"] == "backward"}
        level = parents - fetched
    return w


ALBUM_SIZES = (8, 14)  # tracks on an album of spotify_entities_for
UNPLAYED_PER_ALBUM = (1, 4)  # ...of which the history never plays at least this many


def unplayed_isrc(n: int) -> str:
    """The ISRC of the n-th track a history never plays: registrant ``Z..``, which no history nor MusicBrainz
    world uses (unique below 67.6 million)."""
    high, low = divmod(n, 100_000)
    first, second = divmod(high, 26)
    return f"QMZ{string.ascii_uppercase[first]}{string.ascii_uppercase[second]}26{low:05d}"


def spotify_entities_for(
    plays: list[dict[str, Any]],
    seed: int = 1,
    album_sizes: tuple[int, int] = ALBUM_SIZES,
    unplayed_per_album: tuple[int, int] = UNPLAYED_PER_ALBUM,
) -> dict[str, dict[str, dict[str, Any]]]:
    """What Spotify knows about the ids of a history without album ids (a MusicBrainz world's plays): every
    artist, their albums, and every played track (with its ISRC) on one of its artist's albums.

    Albums are of realistic size: 8 to 14 tracks (seeded), and 1 to 4 of them at least are tracks the history
    never plays (stored in ``tracks`` too, with their own ISRCs, as real albums hold tracks one never played).
    An artist's played tracks fill their albums in the order the history first plays them, each album taking up
    to its size less its unplayed tracks; the last album is topped up with unplayed tracks. So an artist's
    listens concentrate on their first albums, and on a few tracks of each: a MusicBrainz world's artist plays 2
    tracks, both on their one album of 8 to 14 tracks. Track numbers are the tracks' places on the album (played
    and unplayed shuffled); albums' ``total_tracks`` and ``tracks`` (total and simplified items) list them all.
    Played tracks come first in ``tracks``, in the order the history first plays them, then the unplayed ones.
    ``album_sizes`` and ``unplayed_per_album`` (inclusive ranges) change the 8 to 14 and the 1 to 4.
    """
    rng = random.Random(f"spotify albums {seed}")  # not random.Random(seed): the history's own ids came from that
    artists: dict[str, dict[str, Any]] = {}
    played: dict[str, list[dict[str, Any]]] = {}  # artist id -> the first play of each of their tracks
    seen: set[str] = set()
    for play in plays:
        aid = play["artist_id"]
        if aid not in artists:
            n = len(artists)
            artists[aid] = artist_object(aid, play["artist"], [f"genre {n % 7}", "test pop"], n % 100, 1000 + n)
            played[aid] = []
        if play.get("track_id") and play["track_id"] not in seen:
            seen.add(play["track_id"])
            played[aid].append(play)
    albums: dict[str, dict[str, Any]] = {}
    played_tracks: dict[str, dict[str, Any]] = {}
    unplayed: dict[str, dict[str, Any]] = {}

    def new_id() -> str:  # an id no played track, album or unplayed track has
        while (sid := spotify_id(rng)) in seen or sid in albums or sid in unplayed:
            pass
        return sid

    for n, (aid, artist) in enumerate(artists.items()):
        todo = played[aid]
        for volume in itertools.count():
            size, spare = rng.randint(*album_sizes), rng.randint(*unplayed_per_album)
            on_it, todo = todo[: size - spare], todo[size - spare :]
            slots: list[dict[str, Any] | None] = [*on_it, *[None] * (size - len(on_it))]  # None: an unplayed track
            rng.shuffle(slots)
            name = f"Album {n}" if volume == 0 else f"Album {n}.{volume + 1}"
            release = f"20{(n + volume) % 25:02d}-0{1 + n % 9}-01"
            album = album_object(new_id(), name, artist, release, "day")
            album["total_tracks"] = size  # before the tracks copy it into their simplified album
            tracks = []
            for number, slot in enumerate(slots, start=1):
                if slot is None:
                    tid, k = new_id(), len(unplayed)
                    isrc = unplayed_isrc(k)
                    track = track_object(tid, f"B-side {k}", artist, album, isrc, track_number=number, popularity=20)
                    unplayed[tid] = track
                else:
                    tid = slot["track_id"]
                    track = track_object(
                        tid, slot["track_name"], artist, album, slot["track_isrc"], track_number=number
                    )
                    played_tracks[tid] = track
                tracks.append(track)
            albums[album["id"]] = with_tracks(album, tracks)
            if not todo:
                break
    in_play_order = {p["track_id"]: played_tracks[p["track_id"]] for p in plays if p.get("track_id")}
    return {"artists": artists, "albums": albums, "tracks": in_play_order | unplayed}


# -- album-concentrated histories -------------------------------------------------------------------------
CONCENTRATED_ALBUM_SIZES = (10, 12)  # tracks on an album of an album-concentrated world (spotify_entities_for)
CONCENTRATED_UNPLAYED = (1, 3)  # ...of which the history never plays this many
ALBUMS_PER_ARTIST = (1, 3)  # the albums' worth of tracks an artist's listens go to, at the fullest


def track_suffix(n: int) -> str:
    """The letters that tell an artist's ``n``-th extra track (n >= 1) from their first: b, c, ..., z, ba, bb, ...
    ("Song 4b": a word of its own, so no track's title is all the words of another's, as search matches them)."""
    letters = ""
    while True:
        n, r = divmod(n, 26)
        letters = string.ascii_lowercase[r] + letters
        if not n:
            return letters


def album_plays(plays: list[dict[str, Any]], tracks_per_artist: float, seed: int = 1) -> list[dict[str, Any]]:
    """``plays`` (a MusicBrainz world's: each artist's two tracks) with more played tracks for every artist, so
    that a history over them concentrates on albums, as real ones do (lay them out with
    ``spotify_entities_for(..., CONCENTRATED_ALBUM_SIZES, CONCENTRATED_UNPLAYED)``: albums of 10 to 12 tracks, 1 to 3
    of them never played, an artist's played tracks filling their albums in order).

    Each artist is drawn 1 to 3 albums' worth of played tracks (7 to 11 an album, ~18 an artist on average) and gets
    ``fill`` of it, ``fill = min(1, tracks_per_artist / 18)``, and never fewer than the two they have: a history of
    many listens per artist plays most of each of their 1 to 3 albums, a short one a few tracks of one album each.
    An extra track has a new Spotify id, the title of the artist's first track with a letter (``Song 4b``), and the
    artist's ISRC and MBID as their first play gives them: every track of an artist carries the ISRC their
    MusicBrainz world resolves to that artist, so MusicBrainz still sees one ISRC per artist and matches the same
    artists with the same requests (``MusicBrainzWorld.expected``, ``expected_requests``). Each artist's extra
    tracks follow their own, in order; the returned list holds one play per track (new dicts; ``plays`` is kept).
    """
    rng = random.Random(f"album plays {seed}")
    mean = (
        (ALBUMS_PER_ARTIST[0] + ALBUMS_PER_ARTIST[1])
        / 2
        * (sum(CONCENTRATED_ALBUM_SIZES) / 2 - sum(CONCENTRATED_UNPLAYED) / 2)
    )
    fill = min(1.0, tracks_per_artist / mean)
    by_artist: dict[str, list[dict[str, Any]]] = {}
    for play in plays:
        by_artist.setdefault(play["artist_id"], []).append(dict(play))
    taken = {p["track_id"] for p in plays if p.get("track_id")}
    out: list[dict[str, Any]] = []
    for own in by_artist.values():
        albums = rng.randint(*ALBUMS_PER_ARTIST)
        full = sum(rng.randint(*CONCENTRATED_ALBUM_SIZES) - rng.randint(*CONCENTRATED_UNPLAYED) for _ in range(albums))
        first, last = own[0], own[-1]
        out += own
        for n in range(1, max(len(own), round(full * fill)) - len(own) + 1):
            while (track_id := spotify_id(rng)) in taken:
                pass
            taken.add(track_id)
            out.append({
                **first, "track_id": track_id, "track_name": f"{first['track_name']}{track_suffix(n)}",
                "played_at": last["played_at"] + timedelta(seconds=n),
            })  # fmt: skip
    return out


# -- geography -------------------------------------------------------------------------------------------
def write_gazetteer(
    folder: Path,
    cities: list[tuple[int, str, str, str | None, float, float, list[str]]],
    subdivisions: dict[int, str] | None = None,
) -> Path:
    """A stand-in gazetteer in the reference layout: (geonameid, name, country, state, lat, lon, name keys); the
    subdivision_code of a city is ``subdivisions[geonameid]``, else US-<state> for a US state, else null."""
    folder.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    con.execute(
        "create table c (geonameid bigint, name varchar, country_code varchar, admin1_code varchar, "
        "state_code varchar, subdivision_code varchar, latitude double, longitude double, population bigint)"
    )
    con.execute("create table n (geonameid bigint, name_key varchar)")
    for gid, name, country, state, lat, lon, keys in cities:
        subdivision = (subdivisions or {}).get(gid, f"US-{state}" if country == "US" and state else None)
        con.execute(
            "insert into c values (?, ?, ?, ?, ?, ?, ?, ?, 100000)",
            [gid, name, country, state, state, subdivision, lat, lon],
        )
        for key in keys:
            con.execute("insert into n values (?, ?)", [gid, key])
    con.execute(f"copy c to '{folder}/gazetteer_cities.parquet' (format parquet)")
    con.execute(f"copy n to '{folder}/gazetteer_names.parquet' (format parquet)")
    con.close()
    return folder
