"""One person's real listening, and how each source reports it: the ground truth of the merge tests and the bench.

``listening(seed, days)`` generates what a person really heard, the way people listen: sessions of albums
played through (``trackdone``), skips after a few seconds (``fwdbtn``, some at 0 ms), a track replayed at
once (``backbtn``), shuffle runs, a 29,999 / 30,000 ms pair, offline listens synced days later, travel
(``conn_country``), and "Higher" by two artists skipped in the same minute.

Each source then reports its share of it as ``tracks_played`` rows, exactly as our importers and the
poller write them (docs/importing.md):

- Extended Streaming History: every listen; ``played_at`` = ``ts`` (the end, or the sync time of an offline
  listen, to the second), ``started_at`` = ``offline_timestamp`` (the start, to the second), ``ms_played``.
- Account data: every listen; ``played_at`` = ``endTime`` (the end cut to the minute), ``ms_played``; no ids.
- recently-played: listens of 30 s and more; ``played_at`` = the end, a few seconds off the export's ``ts``,
  with milliseconds; ids; no ``ms_played``.
- Last.fm and ListenBrainz: scrobbles (half the track or 4 minutes listened); ``played_at`` = the start;
  Last.fm without ids, ListenBrainz with a Spotify id on some.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb

BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
SOURCES = ("spotify_extended_history", "spotify_account_data", "spotify_recently_played", "listenbrainz", "lastfm")
PLATFORMS = ("android", "ios", "osx", "windows")


def spotify_id(rng: random.Random) -> str:
    return "".join(rng.choice(BASE62) for _ in range(22))


@dataclass(frozen=True)
class Track:
    id: str
    name: str
    artist: str
    artist_id: str
    album: str
    album_id: str
    duration_ms: int


@dataclass(frozen=True)
class Listen:
    track: Track
    start: datetime  # UTC, naive, whole seconds
    ms_played: int
    reason_start: str
    reason_end: str
    shuffle: bool
    platform: str
    conn_country: str
    synced_at: datetime | None = None  # an offline listen: when it reached Spotify

    @property
    def end(self) -> datetime:
        return self.start + timedelta(milliseconds=self.ms_played)

    @property
    def skipped(self) -> bool:
        return self.reason_end == "fwdbtn"

    @property
    def counts_as_play(self) -> bool:
        return self.ms_played >= 30_000

    @property
    def scrobbled(self) -> bool:
        """Last.fm's rule: a track over 30 s, listened for half its length or 4 minutes."""
        return self.track.duration_ms > 30_000 and self.ms_played >= min(self.track.duration_ms // 2, 240_000)


def catalogue(rng: random.Random, artists: int = 12, albums_per_artist: int = 2) -> list[list[Track]]:
    """Albums (lists of tracks in order); two artists share a title, "Higher"."""
    names = ["Lemaitre", "Ummet Ozcan", "Björk", "Sigur Rós", "Beyoncé", "Cold War Kids", "The National", "Caetano"]
    names += [f"Artist {i}" for i in range(len(names), artists)]
    words = ["Midnight", "City", "Lights", "Blue", "Summer", "Rain", "Echo", "Golden", "Heart", "Don't Stop (Live)"]
    albums = []
    for artist in names[:artists]:
        artist_id = spotify_id(rng)
        for a in range(albums_per_artist):
            album, album_id = f"{artist} Album {a + 1}", spotify_id(rng)
            tracks = []
            for t in range(rng.randint(6, 12)):
                title = "Higher" if (t == 0 and a == 0 and artist in ("Lemaitre", "Ummet Ozcan")) else None
                title = title or f"{rng.choice(words)} {rng.choice(words)} {a}{t}"
                duration = rng.randint(95_000, 330_000)
                tracks.append(Track(spotify_id(rng), title, artist, artist_id, album, album_id, duration))
            albums.append(tracks)
    return albums


def listening(seed: int, days: int, start: datetime = datetime(2024, 3, 1), sessions_per_day: int = 2) -> list[Listen]:
    """What one person heard over ``days`` days, in order, never two listens at once."""
    rng = random.Random(seed)
    albums = catalogue(rng)
    everything = [t for album in albums for t in album]
    higher = [t for t in everything if t.name == "Higher"]
    listens: list[Listen] = []
    for day in range(days):
        for session in range(sessions_per_day):
            at = start + timedelta(days=day, hours=8 + session * 9 + rng.randint(0, 3), minutes=rng.randint(0, 59))
            platform, country = rng.choice(PLATFORMS), ("DE" if day % 17 else "JP")
            offline = rng.random() < 0.1
            for kind in rng.choices(["album", "shuffle", "skips", "replay", "higher"], [4, 3, 2, 1, 0.3], k=3):
                batch = _session_part(rng, kind, albums, everything, higher)
                for track, ms, reason_start, reason_end in batch:
                    synced = at + timedelta(days=rng.randint(1, 20)) if offline else None
                    listens.append(
                        Listen(track, at, ms, reason_start, reason_end, kind == "shuffle", platform, country, synced)
                    )
                    at += timedelta(milliseconds=ms)
                    at = (at + timedelta(seconds=rng.randint(1, 3))).replace(microsecond=0)
    return listens


def _session_part(
    rng: random.Random, kind: str, albums: list[list[Track]], everything: list[Track], higher: list[Track]
) -> list[tuple[Track, int, str, str]]:
    if kind == "album":  # an album played through
        return [
            (t, t.duration_ms, "trackdone" if i else "clickrow", "trackdone") for i, t in enumerate(rng.choice(albums))
        ]
    if kind == "shuffle":  # shuffle, some skipped, one right on the 30 s boundary
        out = []
        for i in range(rng.randint(4, 9)):
            t = rng.choice(everything)
            ms = rng.choice([t.duration_ms, t.duration_ms, rng.randint(2_000, 25_000), 29_999, 30_000, 0])
            out.append((t, ms, "fwdbtn" if i else "playbtn", "trackdone" if ms == t.duration_ms else "fwdbtn"))
        return out
    if kind == "skips":  # flicking through: 0 ms and a few seconds
        return [
            (rng.choice(everything), rng.choice([0, 0, 1_500, 4_000, 12_000]), "fwdbtn", "fwdbtn") for _ in range(5)
        ]
    if kind == "replay":  # one track twice in a row
        t = rng.choice(everything)
        return [(t, t.duration_ms, "clickrow", "backbtn"), (t, t.duration_ms, "backbtn", "trackdone")]
    # "Higher" by two artists, each skipped after ten seconds: the same title twice in one minute
    return [(t, 10_000, "clickrow", "fwdbtn") for t in higher]


# --------------------------------------------------------------------------------------- the sources


def _second(at: datetime) -> datetime:
    return at.replace(microsecond=0)


def extended(listens: Iterable[Listen], user_id: str = "me") -> Iterator[dict]:
    for n, x in enumerate(listens):
        t = x.track
        yield {
            "user_id": user_id, "track_id": t.id, "track_uri": f"spotify:track:{t.id}", "track_name": t.name,
            "album": t.album, "artist": t.artist, "played_at": _second(x.synced_at or x.end),
            "ms_played": x.ms_played, "started_at": x.start, "reason_start": x.reason_start,
            "reason_end": x.reason_end, "skipped": x.skipped if n % 3 else None, "shuffle": x.shuffle,
            "offline": x.synced_at is not None, "platform": x.platform, "conn_country": x.conn_country,
            "source_user": "jdoe", "play_source": "spotify_extended_history",
        }  # fmt: skip


def account(listens: Iterable[Listen], user_id: str = "me") -> Iterator[dict]:
    for x in listens:
        yield {
            "user_id": user_id, "track_name": x.track.name, "artist": x.track.artist,
            "played_at": x.end.replace(second=0, microsecond=0), "ms_played": x.ms_played,
            "play_source": "spotify_account_data",
        }  # fmt: skip


def polled(listens: Iterable[Listen], rng: random.Random, user_id: str = "me") -> Iterator[dict]:
    for x in listens:
        if not x.counts_as_play:
            continue
        t = x.track
        off = timedelta(milliseconds=rng.randint(-2_500, 2_500))
        yield {
            "user_id": user_id, "track_id": t.id, "track_uri": f"spotify:track:{t.id}", "track_name": t.name,
            "album_id": t.album_id, "album": t.album, "artist_id": t.artist_id, "artist": t.artist,
            "duration_ms": t.duration_ms, "played_at": x.end + off, "play_source": "spotify_recently_played",
        }  # fmt: skip


def lastfm(listens: Iterable[Listen], user_id: str = "me") -> Iterator[dict]:
    for x in listens:
        if x.scrobbled:
            yield {
                "user_id": user_id, "track_name": x.track.name, "artist": x.track.artist, "album": x.track.album,
                "played_at": x.start, "started_at": x.start, "play_source": "lastfm",
            }  # fmt: skip


def listenbrainz(listens: Iterable[Listen], user_id: str = "me") -> Iterator[dict]:
    for n, x in enumerate(listens):
        if x.scrobbled:
            t = x.track
            yield {
                "user_id": user_id, "track_id": t.id if n % 2 else None, "track_name": t.name, "artist": t.artist,
                "album": t.album, "duration_ms": t.duration_ms, "played_at": x.start, "started_at": x.start,
                "play_source": "listenbrainz",
            }  # fmt: skip


def write_rows(path: Path, rows: Iterable[dict]) -> int:
    """tracks_played rows as one parquet file (the contract's columns and types; absent ones null)."""
    from extractors.catalog import TRACKS_PLAYED_COLUMNS

    path.parent.mkdir(parents=True, exist_ok=True)
    text = path.with_suffix(".jsonl")
    n = 0
    with open(text, "w") as fh:
        for row in rows:
            fh.write(json.dumps(row, default=lambda v: v.isoformat(sep=" ")) + "\n")
            n += 1
    columns = "{" + ", ".join(f"'{c}': '{t}'" for c, t in TRACKS_PLAYED_COLUMNS.items()) + "}"
    con = duckdb.connect()
    try:
        con.execute(
            f"copy (select * from read_json(?, format = 'newline_delimited', columns = {columns})) "
            "to ? (format parquet)",
            [str(text), str(path)],
        )
    finally:
        con.close()
    text.unlink()
    return n


def in_days(listens: list[Listen], first: int, last: int) -> list[Listen]:
    """The listens that started on days ``first`` ≤ day < ``last`` after the first listen's day."""
    day0 = listens[0].start.replace(hour=0, minute=0, second=0)
    return [x for x in listens if first <= (x.start - day0).days < last]


def utc(at: datetime) -> datetime:
    return at.replace(tzinfo=UTC)
