"""Deterministic generators of real-looking listening-history exports, for the import tests and the bench.

Every generator is seeded, uses the exports' real file names and field names with their quirks, writes JSON
text row by row (a ten-year history is ~500 MB: no giant Python lists), and returns the counts an import
must report: rows read, listens kept (``plays``) and those under 30 s (``short``), and rows to skip by reason.

- Spotify Extended Streaming History: ``Streaming_History_Audio_<years>_<n>.json`` (current, with
  ``audiobook_*``), ``endsong_<n>.json`` (older: ``username`` on most rows and "" on the others,
  ``ip_addr_decrypted``, ``user_agent_decrypted``, no ``audiobook_*``, ``offline_timestamp`` in milliseconds
  and 0 when unknown, ``skipped`` null), ``Streaming_History_Video_<years>.json``; podcast, audiobook,
  no-metadata and incognito rows mixed in; 0-ms listens and the 29,999 / 30,000 ms boundary (``EXACT_MS``);
  offline listens synced hours to a year after they began (``ts`` far after ``offline_timestamp``).
- Spotify Account data: ``StreamingHistory_music_<n>.json`` and ``StreamingHistory_podcast_<n>.json``, and
  the whole package as it arrives (``MyData/`` or ``my_spotify_data.zip`` with ``Userdata.json``,
  ``Follow.json``, ``Playlist1.json``, ``YourLibrary.json``, ``SearchQueries.json``, ``Inferences.json``,
  ``Identity.json``, ``Payments.json``, ``Marquee.json``, ``Read_Me_First.pdf``).
- ListenBrainz: a JSON array (the old export), JSONL, and the export zip (``listens/YYYY/M.jsonl``,
  ``user.json``, ``feedback.jsonl``); listens its own importer took from a Spotify history (``ms_played``).
- Last.fm CSV: with a header (``uts,utc_time,artist,artist_mbid,album,album_mbid,track,track_mbid`` or
  ``artist,track,album,timestamp,date``), the headerless ``artist,album,track,date`` form, and Last.fm's broken
  scrobbles of 1970 (Unix time 0).
- Libre.fm CSV: ``Artist,Track,Album,Time`` below Libre.fm's UTF-7 comment lines (``+ACM- …``) or ``#`` lines,
  Unix seconds or ISO times, with or without the album column.
"""

from __future__ import annotations

import csv
import io
import json
import random
import uuid
import zipfile
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
WORDS = [
    *("Go Back", "Midnight", "City", "Lights", "Blue", "Summer", "Rain", "Echo", "Golden", "Heart", "Dream", "Fire"),
    *("Ocean", "Wild", "Silver", "Paper", "Ghost", "Velvet", "Neon", "Sun", "Moon", "River", "Stone", "Glass"),
    *("Electric", "Gravity", "Honey", "Shadow", "Winter", "Crystal"),
]
# names with the characters that break naive parsers: quotes, commas, accents, CJK, emoji, backslash
ODD_NAMES = ['Don\'t Stop "Live"', "Björk, Sigur Rós & Friends", "東京 Night", "AC\\DC Tribute", "🎵 Intro", "Beyoncé"]
PLATFORMS = ["Android OS 4.2.2 API 17 (samsung, GT-I9195)", "osx", "ios", "iOS 12.1.4 (iPhone9,1)", "windows"]
REASONS_START = ["trackdone", "fwdbtn", "backbtn", "clickrow", "playbtn", "remote", "appload"]
REASONS_END = ["trackdone", "fwdbtn", "backbtn", "endplay", "logout", "unexpected-exit", "trackerror"]
# the mix of a real extended history: mostly music, some podcasts, a few audiobooks, some rows without metadata,
# a few listened in a private session (incognito_mode)
EXTENDED_MIX = {"music": 0.84, "podcast": 0.08, "audiobook": 0.02, "no_metadata": 0.05, "incognito": 0.01}
# reasons the importer reports for skipped rows
SKIP_PODCAST, SKIP_AUDIOBOOK, SKIP_VIDEO, SKIP_NO_METADATA = "podcast", "audiobook", "video", "no track metadata"
SKIP_INCOGNITO, SKIP_MALFORMED, SKIP_TOO_EARLY = "incognito", "malformed", "date before 2000"
SHORT_MS = 30_000  # listens under this are kept, and are not plays
# ms_played of music rows by their number (mod 50): a listen skipped at once, and both sides of the 30 s line
EXACT_MS = {7: 0, 17: 29_999, 27: 30_000}


@dataclass(frozen=True)
class Track:
    id: str
    name: str
    artist: str
    album: str
    isrc: str
    artist_mbid: str
    recording_mbid: str
    duration_ms: int

    @property
    def uri(self) -> str:
        return f"spotify:track:{self.id}"


@dataclass(frozen=True)
class Listen:
    """One kept listen as the import must write it (kept when ``keep_plays``)."""

    track_id: str | None
    played_at: datetime  # naive UTC, whole seconds
    started_at: datetime | None  # naive UTC, whole seconds
    ms_played: int | None
    source_user: str | None = None
    offline: bool = False


@dataclass
class ExportCounts:
    """What an import of the generated files must report.

    ``plays`` counts every listen kept (offered to the history, before duplicates are removed), ``short`` those
    of them under 30 s: the report calls ``plays - short`` plays and ``short`` listens under 30 s.
    """

    files: list[Path] = field(default_factory=list)
    rows: int = 0
    plays: int = 0  # music listens offered (before duplicates are removed)
    duplicates: int = 0  # listens that repeat an earlier listen of the same export (same key)
    skipped: Counter[str] = field(default_factory=Counter)
    plays_at: list[tuple[str | None, datetime]] = field(default_factory=list)  # (track id, played_at) kept when asked
    short: int = 0  # listens offered with ms_played under 30,000
    listens: list[Listen] = field(default_factory=list)  # kept when asked
    left_out: list[str] = field(default_factory=list)  # files of the export that are not a history

    @property
    def new_plays(self) -> int:
        """Listens the first import writes."""
        return self.plays - self.duplicates

    @property
    def counted_plays(self) -> int:
        """What the report calls plays: listens of 30 s or more, or of unknown length."""
        return self.plays - self.short

    def merge(self, other: ExportCounts) -> ExportCounts:
        return ExportCounts(
            self.files + other.files,
            self.rows + other.rows,
            self.plays + other.plays,
            self.duplicates + other.duplicates,
            self.skipped + other.skipped,
            self.plays_at + other.plays_at,
            self.short + other.short,
            self.listens + other.listens,
            self.left_out + other.left_out,
        )


def _id(rng: random.Random, n: int = 22) -> str:
    return "".join(rng.choice(BASE62) for _ in range(n))


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def make_tracks(n: int, seed: int = 0) -> list[Track]:
    """``n`` distinct tracks; every 50th has an awkward name."""
    rng = random.Random(seed)
    artists = [
        (ODD_NAMES[i % len(ODD_NAMES)] if i % 17 == 0 else f"The {rng.choice(WORDS)} {rng.choice(WORDS)}s", _uuid(rng))
        for i in range(max(1, n // 8))
    ]
    tracks = []
    for i in range(n):
        artist, mbid = artists[i % len(artists)]
        name = ODD_NAMES[i % len(ODD_NAMES)] if i % 50 == 0 else f"{rng.choice(WORDS)} {rng.choice(WORDS)} {i}"
        tracks.append(
            Track(
                id=_id(rng),
                name=name,
                artist=artist,
                album=f"{rng.choice(WORDS)} {rng.choice(WORDS)}",
                isrc=f"US{rng.choice('ABCDEFGH')}{rng.randint(10, 99)}{rng.randint(10, 25)}{rng.randint(0, 99999):05d}",
                artist_mbid=mbid,
                recording_mbid=_uuid(rng),
                duration_ms=rng.randint(90_000, 420_000),
            )
        )
    return tracks


def _iso(when: datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def _epoch(when: datetime) -> int:
    return int(when.timestamp())


def _j(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


class _JsonArrayWriter:
    """Writes a JSON array one pre-serialised element at a time (the layout of Spotify's files)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.fh = open(path, "w", encoding="utf-8")  # noqa: SIM115 - closed in close()
        self.fh.write("[")
        self.first = True

    def write(self, element: str) -> None:
        self.fh.write("\n  " if self.first else ",\n  ")
        self.fh.write(element)
        self.first = False

    def close(self) -> None:
        self.fh.write("\n]\n")
        self.fh.close()


# -- Spotify Extended Streaming History -----------------------------------------------------------------
@dataclass(frozen=True)
class _Row:
    text: str
    ms_played: int
    started_at: datetime  # what the import must take as the start (naive UTC, whole seconds)
    source_user: str | None
    offline: bool


def _second(when: datetime) -> datetime:
    return when.replace(microsecond=0, tzinfo=None)


def _extended_row(
    rng: random.Random,
    kind: str,
    ts: datetime,
    track: Track,
    endsong: bool,
    username: str,
    seq: int,
    pretty: bool,
    ms_played: int | None = None,
) -> _Row:
    if ms_played is None:
        ms_played = rng.randint(0, track.duration_ms) if rng.random() < 0.3 else track.duration_ms
    start = ts - timedelta(milliseconds=ms_played)
    started_at = _second(start)  # without an offline_timestamp: ts - ms_played
    chance = rng.random()
    offline = False
    if chance < 0.2:  # no start recorded: null in current exports, 0 in endsong files
        offline_ts = "0" if endsong else "null"
    else:
        if chance < 0.28:  # listened offline, synced (ts) hours to a year later
            offline = True
            start -= timedelta(seconds=rng.randint(3600, 400 * 86400))
        if endsong:  # older exports: milliseconds
            millis = int(start.timestamp() * 1000) - rng.randint(0, 5000)
            offline_ts, started_at = str(millis), _second(datetime.fromtimestamp(millis // 1000, UTC))
        else:  # current exports: seconds
            seconds = _epoch(start) - rng.randint(0, 5)
            offline_ts, started_at = str(seconds), _second(datetime.fromtimestamp(seconds, UTC))
    track_fields = episode_fields = ("null", "null", "null")
    audiobook_fields = ("null", "null")
    uri = "null"
    if kind in ("music", "incognito"):
        track_fields = (_j(track.name), _j(track.artist), _j(track.album))
        uri = _j(track.uri)
    elif kind == "podcast" or kind == "video":
        episode_fields = (
            _j(f"Episode {seq}: {rng.choice(WORDS)}"),
            _j(f"The {rng.choice(WORDS)} Show"),
            _j(f"spotify:episode:{_id(rng)}"),
        )
    elif kind == "audiobook":
        audiobook_fields = (_j(f"{rng.choice(WORDS)} Book"), _j(f"spotify:audiobook:{_id(rng)}"))
    parts = [f'"ts": "{_iso(ts)}"']
    # endsong files name the account, on some rows only (the others say ""), as a real export did
    user = (username if seq % 4 else "") if endsong else None
    if endsong:
        parts.append(f'"username": {_j(user)}')
    parts += [f'"platform": {_j(rng.choice(PLATFORMS))}', f'"ms_played": {ms_played}', '"conn_country": "SG"']
    if endsong:
        parts += [
            f'"ip_addr_decrypted": "10.{seq % 250}.{rng.randint(0, 250)}.{rng.randint(1, 250)}"',
            '"user_agent_decrypted": "unknown"',
        ]
    else:
        parts.append(f'"ip_addr": "38.150.{seq % 250}.{rng.randint(1, 250)}"')
    parts += [
        f'"master_metadata_track_name": {track_fields[0]}',
        f'"master_metadata_album_artist_name": {track_fields[1]}',
        f'"master_metadata_album_album_name": {track_fields[2]}',
        f'"spotify_track_uri": {uri}',
        f'"episode_name": {episode_fields[0]}',
        f'"episode_show_name": {episode_fields[1]}',
        f'"spotify_episode_uri": {episode_fields[2]}',
    ]
    if not endsong:
        chapter = f'"spotify:chapter:{_id(rng)}"' if kind == "audiobook" else "null"
        parts += [
            f'"audiobook_title": {audiobook_fields[0]}',
            f'"audiobook_uri": {audiobook_fields[1]}',
            f'"audiobook_chapter_uri": {chapter}',
            f'"audiobook_chapter_title": {_j("Chapter 1") if kind == "audiobook" else "null"}',
        ]
    skipped = "null" if endsong else ("true" if ms_played < 30_000 else "false")
    parts += [
        f'"reason_start": "{rng.choice(REASONS_START)}"',
        f'"reason_end": "{rng.choice(REASONS_END)}"',
        f'"shuffle": {"true" if rng.random() < 0.4 else "false"}',
        f'"skipped": {skipped}',
        f'"offline": {"true" if offline else "false"}',
        f'"offline_timestamp": {offline_ts}',
        f'"incognito_mode": {"true" if kind == "incognito" else "false"}',
    ]
    # pretty: Spotify's own layout, one key a line
    text = "{\n    " + ",\n    ".join(parts) + "\n  }" if pretty else "{" + ", ".join(parts) + "}"
    return _Row(text, ms_played, started_at, user or None, offline)


def _split(n: int, parts: int) -> list[int]:
    base, extra = divmod(n, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


def write_extended_history(
    folder: Path,
    n_rows: int,
    *,
    n_files: int = 1,
    seed: int = 0,
    start: datetime = datetime(2015, 1, 1, tzinfo=UTC),
    endsong: bool = False,
    mix: dict[str, float] | None = None,
    tracks: list[Track] | None = None,
    username: str = "listener42",
    keep_plays: bool = False,
    pretty: bool = False,
) -> ExportCounts:
    """A history of ``n_rows`` rows in ``n_files`` files, one play every 31 s to 20 min (~10 years for 500k).

    ``endsong`` writes the older format (``endsong_<n>.json``). Audiobook rows do not exist there. ``pretty``
    puts every key on its own line, as Spotify's files do (~1 KB a row). Music rows number 7, 17 and 27 of
    every 50 last 0, 29,999 and 30,000 ms (``EXACT_MS``); about 8 % were listened offline and synced later
    (``offline_timestamp`` hours to a year before ``ts``); ``incognito`` rows (in the default mix) are music rows
    with ``incognito_mode: true``.
    """
    rng = random.Random(seed)
    mix = dict(mix or EXTENDED_MIX)
    if endsong:
        mix["music"] += mix.pop("audiobook", 0.0)
    kinds, weights = list(mix), list(mix.values())
    tracks = tracks or make_tracks(max(50, min(20_000, n_rows // 25)), seed)
    counts = ExportCounts()
    ts = start
    seq = music = 0
    sizes = _split(n_rows, n_files)
    for index, size in enumerate(sizes):
        first_year = ts.year
        rows: list[tuple[str, datetime, Track]] = []
        chunk_start = ts
        # decide timestamps first so the file name can carry the years, as Spotify's names do
        for _ in range(size):
            ts = ts + timedelta(seconds=rng.randint(31, 1200))
            rows.append((rng.choices(kinds, weights)[0], ts, rng.choice(tracks)))
        last_year = ts.year if size else chunk_start.year
        years = f"{first_year}" if first_year == last_year else f"{first_year}-{last_year}"
        name = f"endsong_{index}.json" if endsong else f"Streaming_History_Audio_{years}_{index}.json"
        path = folder / name
        writer = _JsonArrayWriter(path)
        for kind, when, track in rows:
            seq += 1
            exact = EXACT_MS.get(music % 50) if kind == "music" else None
            row = _extended_row(rng, kind, when, track, endsong, username, seq, pretty, exact)
            writer.write(row.text)
            counts.rows += 1
            if kind == "music":
                music += 1
                counts.plays += 1
                counts.short += row.ms_played < SHORT_MS
                if keep_plays:
                    counts.plays_at.append((track.id, when))
                    counts.listens.append(
                        Listen(track.id, _second(when), row.started_at, row.ms_played, row.source_user, row.offline)
                    )
            else:
                counts.skipped[SKIP_NO_METADATA if kind == "no_metadata" else kind] += 1
        writer.close()
        counts.files.append(path)
    return counts


def write_extended_video(folder: Path, n_rows: int, *, seed: int = 0, start: datetime | None = None) -> ExportCounts:
    """``Streaming_History_Video_<years>.json``: video podcast episodes, and a few rows without metadata."""
    rng = random.Random(seed)
    ts = start or datetime(2021, 3, 1, tzinfo=UTC)
    track = make_tracks(1, seed)[0]
    rows = []
    for i in range(n_rows):
        ts += timedelta(seconds=rng.randint(60, 4000))
        rows.append(_extended_row(rng, "video" if i % 7 else "no_metadata", ts, track, False, "", i, False).text)
    first = (start or datetime(2021, 3, 1)).year
    path = folder / f"Streaming_History_Video_{first if first == ts.year else f'{first}-{ts.year}'}.json"
    writer = _JsonArrayWriter(path)
    for row in rows:
        writer.write(row)
    writer.close()
    return ExportCounts(files=[path], rows=n_rows, skipped=Counter({SKIP_VIDEO: n_rows}))


README_PDF = b"%PDF-1.4\n% ReadMeFirst\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def write_extended_zip(
    zip_path: Path, n_rows: int, *, n_files: int = 2, seed: int = 0, video_rows: int = 5
) -> ExportCounts:
    """The zip Spotify sends: one folder with the audio files, a video file and a ReadMeFirst PDF."""
    staging = zip_path.parent / f".{zip_path.stem}-staging"
    counts = write_extended_history(staging, n_rows, n_files=n_files, seed=seed)
    if video_rows:
        counts = counts.merge(write_extended_video(staging, video_rows, seed=seed + 1))
    with zipfile.ZipFile(zip_path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        folder = "Spotify Extended Streaming History"
        zf.writestr(f"{folder}/ReadMeFirst_ExtendedStreamingHistory.pdf", README_PDF)
        for path in counts.files:
            zf.write(path, f"{folder}/{path.name}")
            path.unlink()
    staging.rmdir()
    counts.files = [zip_path]
    return counts


# -- Spotify Account data -------------------------------------------------------------------------------
def write_account_data(
    folder: Path,
    n_music: int,
    n_podcast: int = 0,
    *,
    seed: int = 0,
    start: datetime = datetime(2019, 3, 4, 21, 0, tzinfo=UTC),
    per_file: int = 10_000,
    repeat_in_same_minute: int = 0,
    copies: int = 0,
    unknown_tracks: int = 0,
) -> ExportCounts:
    """``StreamingHistory_music_<n>.json`` (+ ``_podcast_``): ``endTime`` in UTC minutes, ``msPlayed``, no ids.

    ``repeat_in_same_minute`` listens replay the previous listen's track in the same minute for 1 s (another
    listen: its ms_played differs); ``copies`` rows repeat an earlier row exactly (as two overlapping
    downloads do: a duplicate); ``unknown_tracks`` rows are local files ("Unknown Artist" / "Unknown Track"),
    skipped.
    """
    rng = random.Random(seed)
    tracks = make_tracks(max(20, n_music // 10), seed)
    counts = ExportCounts()
    ts = start
    music: list[str] = []

    def listen(row: str, ms: int) -> None:
        music.append(row)
        counts.plays += 1
        counts.short += ms < SHORT_MS

    for i in range(n_music):
        ts += timedelta(seconds=rng.randint(120, 1800))
        track = rng.choice(tracks)
        ms = rng.randint(0, track.duration_ms)
        listen(_account_music(ts, track.artist, track.name, ms), ms)
        if i < repeat_in_same_minute:
            listen(_account_music(ts, track.artist, track.name, 1_000), 1_000)
        if i < copies:
            listen(_account_music(ts, track.artist, track.name, ms), ms)
            counts.duplicates += 1
    for _ in range(unknown_tracks):
        ts += timedelta(seconds=rng.randint(120, 1800))
        music.append(_account_music(ts, "Unknown Artist", "Unknown Track", 180_000))
        counts.skipped[SKIP_NO_METADATA] += 1
    counts.rows += len(music)
    for index in range(0, max(1, len(music)), per_file):
        path = folder / f"StreamingHistory_music_{index // per_file}.json"
        writer = _JsonArrayWriter(path)
        for row in music[index : index + per_file]:
            writer.write(row)
        writer.close()
        counts.files.append(path)
    if n_podcast:
        path = folder / "StreamingHistory_podcast_0.json"
        writer = _JsonArrayWriter(path)
        for i in range(n_podcast):
            ts += timedelta(seconds=rng.randint(600, 7200))
            writer.write(
                "{"
                + f'"endTime": "{ts:%Y-%m-%d %H:%M}", "podcastName": {_j(f"The {rng.choice(WORDS)} Show")}, '
                + f'"episodeName": {_j(f"Episode {i}")}, "msPlayed": {rng.randint(0, 3_600_000)}'
                + "}"
            )
        writer.close()
        counts.files.append(path)
        counts.rows += n_podcast
        counts.skipped[SKIP_PODCAST] += n_podcast
    return counts


# the files of Spotify's Account data package that are not a listening history, with their real shapes
# (support.spotify.com "Understanding my data"), as (name, content)
ACCOUNT_PACKAGE_EXTRAS: list[tuple[str, str | bytes]] = [
    (
        "Userdata.json",
        _j(
            {
                "username": "listener42",
                "email": "listener@example.com",
                "country": "SE",
                "createdFromFacebook": False,
                "facebookUid": None,
                "birthdate": "1990-05-01",
                "gender": "female",
                "postalCode": None,
                "mobileNumber": None,
                "mobileOperator": None,
                "mobileBrand": None,
                "creationTime": "2013-01-05",
            }
        ),
    ),
    ("Follow.json", _j({"followerCount": 3, "followingUsersCount": 5, "dismissingUsersCount": 0})),
    (
        "Playlist1.json",
        _j(
            {
                "playlists": [
                    {
                        "name": "Sommar",
                        "lastModifiedDate": "2021-03-04",
                        "items": [
                            {
                                "track": {
                                    "trackName": "Jóga",
                                    "artistName": "Björk",
                                    "albumName": "Homogenic",
                                    "trackUri": "spotify:track:1C3wXbQDP3Gw1jXN5lNFrr",
                                },
                                "episode": None,
                                "audiobook": None,
                                "localTrack": None,
                                "addedDate": "2021-03-04",
                            }
                        ],
                        "description": None,
                        "numberOfFollowers": 0,
                    }
                ]
            }
        ),
    ),
    (
        "YourLibrary.json",
        _j(
            {
                "tracks": [
                    {
                        "artist": "Björk",
                        "album": "Homogenic",
                        "track": "Jóga",
                        "uri": "spotify:track:1C3wXbQDP3Gw1jXN5lNFrr",
                    }
                ],
                "albums": [],
                "shows": [],
                "episodes": [],
                "bannedTracks": [],
                "artists": [],
                "bannedArtists": [],
                "other": [],
            }
        ),
    ),
    (
        "SearchQueries.json",
        _j(
            [
                {
                    "platform": "ANDROID",
                    "searchTime": "2021-03-04T21:23:45.123Z[UTC]",
                    "searchQuery": "björk",
                    "searchInteractionURIs": ["spotify:artist:7w29UYBi0qsHi5RTcv3lmA"],
                }
            ]
        ),
    ),
    ("Inferences.json", _j({"inferences": ["1P_Custom_Spotify_Wrapped_Listener", "3P_Music_Lovers"]})),
    (
        "Identity.json",
        _j(
            {
                "displayName": "Listener",
                "firstName": "",
                "lastName": "",
                "imageUrl": "",
                "largeImageUrl": "",
                "tasteMaker": False,
                "verified": False,
            }
        ),
    ),
    ("Payments.json", _j({"payment_method": "Credit card", "creation_date": "2019-01-01", "country": "SE"})),
    ("Marquee.json", _j([{"artistName": "Björk", "segment": "Previously Active Listeners"}])),
    ("Read_Me_First.pdf", b"%PDF-1.4\n% Read Me First\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"),
]


def write_account_package(
    target: Path, n_music: int, n_podcast: int = 0, *, seed: int = 0, as_zip: bool = False
) -> ExportCounts:
    """Spotify's Account data as it arrives: ``MyData/`` with the history and every other file of the package.

    ``as_zip`` writes ``target`` as the zip (``my_spotify_data.zip`` holding ``MyData/…``); else ``target`` is
    the folder. ``left_out`` names the files that are not a history.
    """
    folder = target.parent / f".{target.name}-staging" / "MyData" if as_zip else target
    counts = write_account_data(folder, n_music, n_podcast, seed=seed)
    for name, content in ACCOUNT_PACKAGE_EXTRAS:
        path = folder / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
        counts.left_out.append(name)
    if as_zip:
        with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for path in sorted(folder.iterdir()):
                zf.write(path, f"MyData/{path.name}")
                path.unlink()
        folder.rmdir()
        folder.parent.rmdir()
        counts.files = [target]
    else:
        counts.files = sorted(folder.iterdir())
    return counts


def _account_music(ts: datetime, artist: str, track: str, ms: int) -> str:
    return (
        f'{{"endTime": "{ts:%Y-%m-%d %H:%M}", "artistName": {_j(artist)}, "trackName": {_j(track)}, "msPlayed": {ms}}}'
    )


# -- ListenBrainz ---------------------------------------------------------------------------------------
def listenbrainz_listen(
    track: Track,
    when: datetime,
    *,
    rng: random.Random | None = None,
    spotify: bool = True,
    mapped: bool = True,
    isrc: bool = True,
    user_name: str = "listener42",
    ms_played: int | None = None,
) -> dict[str, object]:
    """One listen as the ListenBrainz export writes it.

    With ``ms_played`` it is a listen ListenBrainz's own importer took from a Spotify Extended Streaming
    History: ``listened_at`` is then Spotify's ``ts`` (``when``: the end of the listen) and
    ``additional_info.ms_played`` says how long it lasted.
    """
    rng = rng or random.Random(_epoch(when))
    client = "ListenBrainz Spotify Importer" if spotify else "Pano Scrobbler"
    info: dict[str, object] = {
        "submission_client": "ListenBrainz Archive Importer" if ms_played is not None else client,
        "music_service": "spotify.com" if spotify or ms_played is not None else None,
        "artist_names": [track.artist],
        "duration_ms": track.duration_ms,
        "recording_msid": _uuid(rng),
    }
    if ms_played is not None:
        info["ms_played"] = ms_played
    if spotify:
        info["spotify_id"] = f"https://open.spotify.com/track/{track.id}"
        info["origin_url"] = f"https://open.spotify.com/track/{track.id}"
    if isrc:
        info["isrc"] = track.isrc
    metadata: dict[str, object] = {
        "artist_name": track.artist,
        "track_name": track.name,
        "release_name": track.album,
        "additional_info": info,
    }
    if mapped:
        metadata["mbid_mapping"] = {
            "artist_mbids": [track.artist_mbid],
            "artists": [{"artist_mbid": track.artist_mbid, "artist_credit_name": track.artist, "join_phrase": ""}],
            "recording_mbid": track.recording_mbid,
            "recording_name": track.name,
            "release_mbid": _uuid(rng),
            "caa_id": rng.randint(1, 10**10),
        }
    return {
        "inserted_at": _epoch(when) + rng.randint(1, 600),
        "listened_at": _epoch(when),
        "recording_msid": info["recording_msid"],
        "track_metadata": metadata,
        "user_name": user_name,
    }


def _listens(n: int, seed: int, start: datetime) -> Iterator[tuple[datetime, dict[str, object]]]:
    rng = random.Random(seed)
    tracks = make_tracks(max(20, n // 5), seed)
    ts = start
    for i in range(n):
        ts += timedelta(seconds=rng.randint(60, 3600))
        listen = listenbrainz_listen(
            rng.choice(tracks), ts, rng=rng, spotify=i % 3 != 0, mapped=i % 4 != 0, isrc=i % 2 == 0
        )
        yield ts, listen


def write_listenbrainz(
    path: Path,
    n: int,
    *,
    seed: int = 0,
    layout: str = "array",
    start: datetime = datetime(2020, 6, 1, tzinfo=UTC),
    listens: Iterable[dict[str, object]] | None = None,
) -> ExportCounts:
    """``layout``: ``array`` (one JSON array), ``jsonl`` (a listen a line) or ``zip`` (the export archive)."""
    items = list(listens) if listens is not None else [listen for _, listen in _listens(n, seed, start)]
    counts = ExportCounts(files=[path], rows=len(items), plays=len(items))
    path.parent.mkdir(parents=True, exist_ok=True)
    if layout == "array":
        writer = _JsonArrayWriter(path)
        for listen in items:
            writer.write(_j(listen))
        writer.close()
    elif layout == "jsonl":
        path.write_text("".join(_j(listen) + "\n" for listen in items), encoding="utf-8")
    elif layout == "zip":
        months: dict[str, list[str]] = {}
        for listen in items:
            when = datetime.fromtimestamp(int(listen["listened_at"]), UTC)  # type: ignore[call-overload]
            months.setdefault(f"listens/{when.year}/{when.month}.jsonl", []).append(_j(listen))
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("user.json", _j({"user_id": 4242, "username": "listener42"}))
            zf.writestr(
                "feedback.jsonl",
                _j({"recording_mbid": _uuid(random.Random(seed)), "recording_msid": None, "score": 1, "created": 1}),
            )
            for member, lines in sorted(months.items()):
                zf.writestr(member, "\n".join(lines) + "\n")
    else:
        raise ValueError(f"unknown layout {layout!r}")
    return counts


# -- Last.fm CSV ----------------------------------------------------------------------------------------
LASTFM_LAYOUTS = {
    # lastfm.ghan.nl / lastfm-to-csv: Unix time, the UTC time in words, MBIDs
    "uts": ["uts", "utc_time", "artist", "artist_mbid", "album", "album_mbid", "track", "track_mbid"],
    # a command-line exporter's: every value quoted, Unix time and ISO date
    "timestamp": ["artist", "track", "album", "timestamp", "date"],
}


def write_lastfm_csv(
    path: Path,
    n: int,
    *,
    seed: int = 0,
    header: bool = True,
    layout: str = "uts",
    broken: int = 0,
    start: datetime = datetime(2012, 2, 1, tzinfo=UTC),
) -> ExportCounts:
    """``header`` with ``layout`` ``uts`` (``uts,utc_time,artist,artist_mbid,album,album_mbid,track,track_mbid``)
    or ``timestamp`` (``artist,track,album,timestamp,date``); else the headerless ``artist,album,track,date``
    ("31 Jan 2021 12:34") form. Newest scrobble first, as exported. ``broken`` more scrobbles are Last.fm's
    broken ones of "01 Jan 1970 00:00" (Unix time 0): skipped as dated before 2000.
    """
    rng = random.Random(seed)
    tracks = make_tracks(max(20, n // 5), seed)
    ts = start
    rows = []
    step = max(1, (n + broken) // max(1, broken))
    broken_at = set(range(1, n + broken, step)[:broken])
    for i in range(n + broken):
        ts += timedelta(seconds=rng.randint(61, 3600))
        track = rng.choice(tracks)
        when = datetime(1970, 1, 1, tzinfo=UTC) if i in broken_at else ts
        mbid = track.artist_mbid if i % 3 else ""
        if not header:
            rows.append([track.artist, track.album if i % 5 else "", track.name, f"{when:%d %b %Y %H:%M}"])
        elif layout == "uts":
            rows.append(
                [str(_epoch(when)), f"{when:%d %b %Y, %H:%M}", track.artist, mbid, track.album, "", track.name, ""]
            )
        else:
            rows.append([track.artist, track.name, track.album, str(_epoch(when)), when.isoformat()])
    assert sum(1 for r in rows if "1970" in ",".join(r)) == broken
    buffer = io.StringIO()
    out = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_ALL if layout == "timestamp" else csv.QUOTE_MINIMAL)
    if header:
        out.writerow(LASTFM_LAYOUTS[layout])
    out.writerows(reversed(rows))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return ExportCounts(
        files=[path], rows=n + broken, plays=n, skipped=Counter({SKIP_TOO_EARLY: broken} if broken else {})
    )


# -- Libre.fm CSV ---------------------------------------------------------------------------------------
def write_librefm_csv(
    path: Path,
    n: int,
    *,
    seed: int = 0,
    comments: str = "utf7",
    iso: bool = False,
    album_column: bool = True,
    start: datetime = datetime(2023, 7, 1, tzinfo=UTC),
) -> ExportCounts:
    """Libre.fm's export: ``Artist,Track,Album,Time`` (Unix seconds; ``iso``: ISO-8601 text), oldest first.

    ``comments``: ``utf7`` puts Libre.fm's own lines on top, written in UTF-7 (``+ACM- Data export from
    Libre.fm,,,``: "+ACM-" is "#", "+AC0-" is "-"); ``hash`` puts ``#`` lines there (as a Maloja user's file has);
    ``none`` starts with the header. Some albums are empty; names with commas or quotes are quoted.
    """
    rng = random.Random(seed)
    tracks = make_tracks(max(20, n // 5), seed)
    width = 4 if album_column else 3
    lines: list[str] = []
    if comments == "utf7":
        lines += [
            "+ACM- Data export from Libre.fm" + "," * (width - 1),
            "+ACM- 2025+AC0-07+AC0-23 15:05:47 +AC0-0400" + "," * (width - 1),
            "+ACM- cabot.local" + "," * (width - 1),
        ]
    elif comments == "hash":
        lines += ["# exported scrobbles", "# one a line, oldest first"]
    buffer = io.StringIO()
    out = csv.writer(buffer, lineterminator="\n")
    out.writerow(["Artist", "Track", "Album", "Time"] if album_column else ["Artist", "Track", "Time"])
    ts = start
    for i in range(n):
        ts += timedelta(seconds=rng.randint(61, 3600))
        track = rng.choice(tracks)
        when = _iso(ts) if iso else str(_epoch(ts))
        album = [track.album if i % 4 else ""] if album_column else []
        out.writerow([track.artist, track.name, *album, when])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(line + "\n" for line in lines) + buffer.getvalue(), encoding="utf-8")
    return ExportCounts(files=[path], rows=n, plays=n)
