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
import math
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


def reporters(listen: Listen, day: int, windows: dict[str, tuple[int, int]]) -> set[str]:
    """The sources that report a listen of day ``day``: each source covers its window of days (first ≤ day
    < last) and reports by its own rule (polling: 30 s and more; scrobblers: what they scrobble)."""
    found = set()
    for source, (first, last) in windows.items():
        if not first <= day < last:
            continue
        if source == "spotify_recently_played" and not listen.counts_as_play:
            continue
        if source in ("lastfm", "listenbrainz", "librefm") and not listen.scrobbled:
            continue
        found.add(source)
    return found


def in_days(listens: list[Listen], first: int, last: int) -> list[Listen]:
    """The listens that started on days ``first`` ≤ day < ``last`` after the first listen's day."""
    day0 = listens[0].start.replace(hour=0, minute=0, second=0)
    return [x for x in listens if first <= (x.start - day0).days < last]


def utc(at: datetime) -> datetime:
    return at.replace(tzinfo=UTC)


# ------------------------------------------------------------------------------------- at scale, in SQL
# The same listening and the same renderings for the bench's million listens: DuckDB generates the listens and
# renders the sources in seconds, where the objects above would take minutes (mostly in write_rows' JSON).
# The rules are those of ``listening`` and ``_session_part`` (sessions of three parts: an album played through,
# a shuffle run with skips and the 29,999 / 30,000 ms pair, flicking through at 0-12 s, a track replayed at
# once; 1-3 s between listens; starts to the second; a tenth of the sessions offline, synced 1-20 days later),
# over any catalogue of albums; the renderings are those of ``extended``, ``account``, ``polled``, ``lastfm``
# and ``listenbrainz`` (tests/test_bench.py checks both against the Python ones).

CATALOGUE_COLUMNS = {
    "track_id": "varchar",
    "track_name": "varchar",
    "artist": "varchar",
    "artist_id": "varchar",
    "artist_mbid": "varchar",
    "track_isrc": "varchar",
    "album_id": "varchar",
    "album": "varchar",
    "duration_ms": "bigint",
}
# which of the listens in its window a source reports (``Listen.counts_as_play``, ``Listen.scrobbled``)
SCROBBLED_SQL = "duration_ms > 30000 and ms_played >= least(duration_ms // 2, 240000)"
SOURCE_RULES = {
    "spotify_extended_history": "true",
    "spotify_account_data": "true",
    "spotify_recently_played": "ms_played >= 30000",
    "listenbrainz": SCROBBLED_SQL,
    "lastfm": SCROBBLED_SQL,
}
_END = "(start + to_milliseconds(ms_played))"
_POLL_OFFSET = "to_milliseconds(-2500 + floor(5001 * _listens_u({seed}, k, 0, 'poll'))::bigint)"
# the columns each source writes (beyond those, ``artist_mbid`` where the catalogue has one: Last.fm scrobbles
# carry it, and the bench's worlds put the MBIDs their MusicBrainz expects from the history on every row)
RENDER = {
    "spotify_extended_history": {
        "track_id": "track_id", "track_uri": "'spotify:track:' || track_id", "track_name": "track_name",
        "album": "album", "artist": "artist", "artist_mbid": "artist_mbid",
        "played_at": f"date_trunc('second', coalesce(synced_at, {_END}))", "ms_played": "ms_played",
        "started_at": "start", "reason_start": "reason_start", "reason_end": "reason_end",
        "skipped": "case when n % 3 <> 0 then reason_end = 'fwdbtn' end", "shuffle": "shuffle",
        "offline": "synced_at is not null", "platform": "platform", "conn_country": "conn_country",
        "source_user": "'jdoe'",
    },
    "spotify_account_data": {
        "track_name": "track_name", "artist": "artist", "played_at": f"date_trunc('minute', {_END})",
        "ms_played": "ms_played",
    },
    "spotify_recently_played": {
        "track_id": "track_id", "track_uri": "'spotify:track:' || track_id", "track_isrc": "track_isrc",
        "track_name": "track_name", "album_id": "album_id", "album": "album", "artist_id": "artist_id",
        "artist_mbid": "artist_mbid", "artist": "artist", "duration_ms": "duration_ms",
        "played_at": f"{_END} + {_POLL_OFFSET}",
    },
    "lastfm": {
        "track_name": "track_name", "artist": "artist", "artist_mbid": "artist_mbid", "album": "album",
        "played_at": "start", "started_at": "start",
    },
    "listenbrainz": {
        "track_id": "case when n % 2 = 1 then track_id end", "track_name": "track_name", "artist": "artist",
        "album": "album", "duration_ms": "duration_ms", "played_at": "start", "started_at": "start",
    },
}  # fmt: skip


@dataclass(frozen=True)
class Generated:
    """What ``listening_sql`` generated: the listens some source reports, of them the plays, and all heard."""

    listens: int
    plays: int
    heard: int  # also the listens no source reports (skips after the Extended history ends)
    first: datetime
    last: datetime
    windows: dict[str, tuple[datetime, datetime]]  # each source's, [from, to): the last to the end of all


def _macros(con: duckdb.DuckDBPyConnection) -> None:
    # a uniform number in [0, 1) from its arguments: the same on every run and every thread count
    con.execute(
        "create or replace temp macro _listens_u(s, a, b, salt) as hash(s, a, b, salt)::double / 18446744073709551616.0"
    )


def load_catalogue(con: duckdb.DuckDBPyConnection, tracks: Iterable[dict], table: str = "catalogue") -> int:
    """Albums as a table: ``tracks`` are dicts of ``CATALOGUE_COLUMNS`` (absent ones null), album after album,
    each album's tracks in order."""
    tracks = list(tracks)
    params = [list(range(len(tracks)))] + [[t.get(c) for t in tracks] for c in CATALOGUE_COLUMNS]
    columns = ", ".join(f"unnest(${i + 2}::{t}[]) as {c}" for i, (c, t) in enumerate(CATALOGUE_COLUMNS.items()))
    con.execute(f"create or replace table {table} as select unnest($1::bigint[]) as n, {columns}", params)
    return len(tracks)


def listening_sql(
    con: duckdb.DuckDBPyConnection,
    listens: int,
    seed: int,
    *,
    catalogue: str = "catalogue",
    into: str = "listens",
    start: datetime = datetime(2024, 3, 1),
    sessions_per_day: int = 2,
    windows: dict[str, tuple[float, float]] | None = None,
) -> Generated:
    """One person's listening over the albums of table ``catalogue`` (``load_catalogue``), as table ``into``:
    exactly ``listens`` listens that some source reports, in order (``k``), with one boolean column per source
    of ``windows``: whether the listen lies in that source's window, given as fractions of the whole time
    (default: Extended history the first 80 %, recently-played the last 50 %, Last.fm all of it). What the
    source then reports of its window is ``SOURCE_RULES`` (``render_sql``). The first listens of shuffles and
    skips go once through the whole catalogue, so every track is heard early; later ones favour some tracks.

    Sessions are laid out over the day (from 7:00, ``sessions_per_day`` of them) and never overlap: a session
    that would start before the previous one ended waits for it.
    """
    windows = windows or {"spotify_extended_history": (0.0, 0.8), "spotify_recently_played": (0.5, 1.0),
                          "lastfm": (0.0, 1.0)}  # fmt: skip
    _macros(con)
    n_tracks, n_albums, album_size = con.execute(
        f"select count(*), count(distinct album_id), count(*) / count(distinct album_id) from {catalogue}"
    ).fetchall()[0]
    per_part = 0.4 * album_size + 0.3 * 6.5 + 0.2 * 5 + 0.1 * 2
    parts = math.ceil(listens / per_part * 1.25) + 30
    while True:
        heard = _heard(con, seed, catalogue, parts, n_tracks, n_albums, start, sessions_per_day)
        if _reported(con, windows, heard) >= listens:
            break
        parts *= 2
    # the fewest listens heard that hold ``listens`` reported ones, the windows taken over their time
    lo, hi = listens, heard
    while lo < hi:
        mid = (lo + hi) // 2
        lo, hi = (lo, mid) if _reported(con, windows, mid) >= listens else (mid + 1, hi)
    # the time the windows divide: from the first start to the last end of those listens
    t0, t1 = con.execute(
        f"select min(start), max(start + to_milliseconds(ms_played)) from _listens_heard where k < {lo}"
    ).fetchall()[0]
    flags = ", ".join(f'{_in_window(lo_, hi_)} as "{s}"' for s, (lo_, hi_) in windows.items())
    reported = " or ".join(f'("{s}" and {SOURCE_RULES[s]})' for s in windows)
    con.execute(
        f"""
        create or replace table {into} as
        with span as (select min(start_s) as t0, max(end_s) as t1 from _listens_heard where k < {lo}),
        flagged as (
            select h.*, {flags}
            from _listens_heard as h, span
            where k < {lo}
        ),
        marked as (
            select *, {reported} as reported from flagged
        ),
        counted as (
            select *, sum(reported::int) over (order by k rows unbounded preceding) as reported_before
            from marked
        )
        select * exclude (start_s, end_s, reported_before, part, i)
        from counted
        where reported_before < {listens} or (reported_before = {listens} and reported)
        order by k
        """
    )
    con.execute("drop table _listens_heard")
    found = con.execute(
        f"select count(*) filter (where reported), count(*) filter (where reported and ms_played >= 30000), "
        f"count(*), min(start), max({_END}) from {into}"
    ).fetchall()[0]
    return Generated(
        listens=found[0], plays=found[1], heard=found[2], first=found[3], last=found[4],
        windows={s: (t0 + (t1 - t0) * lo_, t0 + (t1 - t0) * hi_) for s, (lo_, hi_) in windows.items()},
    )  # fmt: skip


def _in_window(lo: float, hi: float) -> str:
    at = "(start_s - t0) / greatest(t1 - t0, 1e-9)"
    return f"({at} >= {lo} and ({at} < {hi} or {hi} >= 1))"


def _reported(con: duckdb.DuckDBPyConnection, windows: dict[str, tuple[float, float]], heard: int) -> int:
    """How many of the first ``heard`` listens some source reports, the windows taken over their time."""
    reported = " or ".join(f"({_in_window(lo, hi)} and {SOURCE_RULES[s]})" for s, (lo, hi) in windows.items())
    found = con.execute(
        f"""
        with first as (select start_s, end_s, ms_played, duration_ms from _listens_heard where k < {heard}),
        span as (select min(start_s) as t0, max(end_s) as t1 from first)
        select count(*) from first, span where {reported}
        """
    ).fetchall()[0]
    return int(found[0])


def _heard(
    con: duckdb.DuckDBPyConnection,
    seed: int,
    catalogue: str,
    parts: int,
    n_tracks: int,
    n_albums: int,
    start: datetime,
    sessions_per_day: int,
) -> int:
    """Table ``_listens_heard``: every listen of ``parts`` session parts; returns how many."""
    slot = 16 * 3600 // sessions_per_day  # seconds between the planned starts of two sessions of a day
    con.execute(
        f"""
        create or replace temp table _listens_heard as
        with tracks as (
            select
                *,
                row_number() over (partition by album_id order by n) - 1 as pos,
                row_number() over (order by _listens_u({seed}, n, 0, 'track'), n) - 1 as track_rank
            from {catalogue}
        ),
        albums as (
            select album_id, count(*) as size,
                row_number() over (order by _listens_u({seed}, min(n), 0, 'album'), min(n)) - 1 as album_rank
            from {catalogue}
            group by album_id
        ),
        part_kinds as (
            select
                range as part,
                case
                    when _listens_u({seed}, range, 0, 'kind') < 0.4 then 'album'
                    when _listens_u({seed}, range, 0, 'kind') < 0.7 then 'shuffle'
                    when _listens_u({seed}, range, 0, 'kind') < 0.9 then 'skips'
                    else 'replay'
                end as kind,
                floor({n_albums} * pow(_listens_u({seed}, range, 0, 'album'), 2))::bigint as album_rank
            from range({parts})
        ),
        parts as (
            select
                p.part,
                p.kind,
                case p.kind when 'album' then a.album_id end as album_id,
                case p.kind
                    when 'album' then a.size
                    when 'shuffle' then 4 + floor(6 * _listens_u({seed}, p.part, 0, 'length'))::bigint
                    when 'skips' then 5
                    else 2
                end as size
            from part_kinds as p
            join albums as a using (album_rank)
        ),
        slots as (
            select part, kind, album_id, unnest(range(size)) as i from parts
        ),
        -- the tracks picked one by one (a replay picks once): the first pass goes through every track
        picks as (
            select part, i, row_number() over (order by part, i) - 1 as pick
            from slots
            where kind in ('shuffle', 'skips') or (kind = 'replay' and i = 0)
        ),
        picked as (
            select
                part,
                i,
                case
                    when pick < {n_tracks} then pick
                    else least({n_tracks} - 1, floor({n_tracks} * pow(_listens_u({seed}, pick, 0, 'pick'), 2)))::bigint
                end as track_rank
            from picks
        ),
        keyed as (
            select s.part, s.i, s.kind, coalesce(by_album.n, by_pick.n) as n
            from slots as s
            left join picked as p on p.part = s.part and p.i = case when s.kind = 'replay' then 0 else s.i end
            left join tracks as by_album on by_album.album_id = s.album_id and by_album.pos = s.i
            left join tracks as by_pick on by_pick.track_rank = p.track_rank
        ),
        heard as (
            select k.part, k.i, k.kind, t.*
            from keyed as k
            join tracks as t using (n)
        ),
        played as (
            select
                *,
                case kind
                    when 'skips' then [0, 0, 1500, 4000, 12000][1 + floor(5 * _listens_u({seed}, part, i, 'ms'))::int]
                    when 'shuffle' then (
                        [duration_ms, duration_ms, 2000 + floor(23001 * _listens_u({seed}, part, i, 'short'))::bigint,
                         29999, 30000, 0][1 + floor(6 * _listens_u({seed}, part, i, 'ms'))::int]
                    )
                    else duration_ms
                end as ms_played,
                part // 3 as session
            from heard
        ),
        stepped as (
            select
                *,
                -- a listen starts, to the second, 1-3 s after the one before it ended
                ms_played // 1000 + 1 + floor(3 * _listens_u({seed}, part, i, 'gap'))::bigint as step
            from played
        ),
        in_session as (
            select *, coalesce(sum(step) over (partition by session order by part, i rows between unbounded
                preceding and 1 preceding), 0) as offset_s
            from stepped
        ),
        sessions as (
            select
                session,
                sum(step) + 60 as busy,  -- the session and a minute's pause
                (session // {sessions_per_day}) * 86400 + 7 * 3600 + (session % {sessions_per_day}) * {slot}
                    + floor(_listens_u({seed}, session, 0, 'jitter') * {slot} / 2)::bigint as planned,
                ['android', 'ios', 'osx', 'windows'][1 + floor(4 * _listens_u({seed}, session, 0, 'platform'))::int]
                    as platform,
                _listens_u({seed}, session, 0, 'offline') < 0.1 as offline
            from in_session
            group by session
        ),
        -- a session starts as planned or when the one before it is over (Lindley's recursion, in closed form)
        queued as (
            select
                *,
                coalesce(sum(busy) over (order by session rows between unbounded preceding and 1 preceding), 0)
                    - (planned - first_value(planned) over (order by session)) as backlog
            from sessions
        ),
        started as (
            select
                session, platform, offline,
                planned + backlog - least(0, min(backlog) over (order by session)) as session_s
            from queued
        )
        select
            row_number() over (order by l.part, l.i) - 1 as k,
            l.part,
            l.i,
            l.track_id, l.track_name, l.artist, l.artist_id, l.artist_mbid, l.track_isrc, l.album_id, l.album,
            l.duration_ms,
            timestamp '{start:%Y-%m-%d %H:%M:%S}' + to_seconds(s.session_s + l.offset_s) as start,
            l.ms_played,
            case
                when l.kind = 'album' and l.i = 0 then 'clickrow'
                when l.kind = 'album' then 'trackdone'
                when l.kind = 'shuffle' and l.i = 0 then 'playbtn'
                when l.kind in ('shuffle', 'skips') then 'fwdbtn'
                when l.i = 0 then 'clickrow'
                else 'backbtn'
            end as reason_start,
            case
                when l.kind = 'album' then 'trackdone'
                when l.kind = 'shuffle' and l.ms_played = l.duration_ms then 'trackdone'
                when l.kind in ('shuffle', 'skips') then 'fwdbtn'
                when l.i = 0 then 'backbtn'
                else 'trackdone'
            end as reason_end,
            l.kind = 'shuffle' as shuffle,
            s.platform,
            case when ((s.session_s + l.offset_s) // 86400) % 17 = 0 then 'JP' else 'DE' end as conn_country,
            case
                when s.offline then timestamp '{start:%Y-%m-%d %H:%M:%S}' + to_seconds(s.session_s + l.offset_s)
                    + to_days(1 + floor(20 * _listens_u({seed}, l.part, l.i, 'synced'))::int)
            end as synced_at,
            (s.session_s + l.offset_s)::double as start_s,
            (s.session_s + l.offset_s + l.ms_played / 1000.0)::double as end_s
        from in_session as l
        join started as s using (session)
        order by k
        """
    )
    return int(con.execute("select count(*) from _listens_heard").fetchall()[0][0])


def listens_table(con: duckdb.DuckDBPyConnection, listens: list[Listen], into: str = "listens") -> None:
    """Python listens (``listening``) as the table ``listening_sql`` makes, every source's window holding all."""
    _macros(con)
    columns: dict[str, tuple[str, list]] = {
        "k": ("bigint", list(range(len(listens)))),
        **{c: (t, [getattr(x.track, {"track_id": "id", "track_name": "name"}.get(c, c), None) for x in listens])
           for c, t in CATALOGUE_COLUMNS.items()},
        "start": ("timestamp", [x.start for x in listens]),
        "ms_played": ("bigint", [x.ms_played for x in listens]),
        "reason_start": ("varchar", [x.reason_start for x in listens]),
        "reason_end": ("varchar", [x.reason_end for x in listens]),
        "shuffle": ("boolean", [x.shuffle for x in listens]),
        "platform": ("varchar", [x.platform for x in listens]),
        "conn_country": ("varchar", [x.conn_country for x in listens]),
        "synced_at": ("timestamp", [x.synced_at for x in listens]),
    }  # fmt: skip
    select = ", ".join(f"unnest(${n + 1}::{t}[]) as {c}" for n, (c, (t, _)) in enumerate(columns.items()))
    everywhere = ", ".join(f'true as "{s}"' for s in SOURCES)
    con.execute(
        f"create or replace table {into} as select *, {everywhere} from (select {select})",
        [values for _, values in columns.values()],
    )


def render_sql(source: str, listens: str = "listens", seed: int = 0, user_id: str = "me") -> str:
    """A query of the ``tracks_played`` rows ``source`` writes of the listens of table ``listens`` in its
    window (``listening_sql`` or ``listens_table``), in order, with the contract's columns and types."""
    from extractors.catalog import TRACKS_PLAYED_COLUMNS

    given = {"user_id": f"'{user_id}'", **RENDER[source], "play_source": f"'{source}'"}
    columns = ", ".join(
        f"cast({given[c].format(seed=seed)} as {t}) as {c}" if c in given else f"null::{t} as {c}"
        for c, t in TRACKS_PLAYED_COLUMNS.items()
    )
    return f"""
        select {columns}
        from (select *, row_number() over (order by k) - 1 as n from {listens} where "{source}")
        where {SOURCE_RULES[source]}
        order by k
    """


def write_sources_sql(
    con: duckdb.DuckDBPyConnection, folder: Path, sources: Iterable[str], listens: str = "listens", seed: int = 0
) -> dict[str, int]:
    """``<folder>/<source>.parquet`` for each source (``render_sql``); the rows each holds."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = {}
    for source in sources:
        path = folder / f"{source}.parquet"
        con.execute(f"copy ({render_sql(source, listens, seed)}) to '{path}' (format parquet)")
        rows[source] = int(con.execute(f"select count(*) from read_parquet('{path}')").fetchall()[0][0])
    return rows
