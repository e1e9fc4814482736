"""Which export a file is, from its content (never its name): the first element, line or header row.

Returns a ``Detected`` (a format this package reads), an ``Ignored`` (a file that comes with an export and is
not a listening history: the ReadMeFirst PDF, ListenBrainz's user.json and feedback.jsonl) or None.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

HEAD_BYTES = 1 << 20  # the first element of every known export is far smaller

EXTENDED = "spotify_extended_history"
ACCOUNT = "spotify_account_data"
LISTENBRAINZ = "listenbrainz"
LASTFM = "lastfm"

# Last.fm CSV header names (lower case) → the column they give; the first present name of a role wins.
LASTFM_ROLES: dict[str, tuple[str, ...]] = {
    "uts": ("uts", "date_uts", "unix_timestamp"),
    "time": ("utc_time", "timestamp", "date", "datetime", "time", "played_at", "scrobble_time"),
    "artist": ("artist", "artist_name", "artist name"),
    "artist_mbid": ("artist_mbid", "artist mbid", "artist_mbids"),
    "album": ("album", "album_name", "album name", "release", "release_name"),
    "track": ("track", "title", "track_name", "track name", "name"),
}
LASTFM_DATE_FORMATS = ("%d %b %Y %H:%M", "%d %b %Y, %H:%M", "%d %b %Y %H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M")


@dataclass(frozen=True)
class Detected:
    format: str  # EXTENDED, ACCOUNT, LISTENBRAINZ, LASTFM
    layout: str  # array | newline_delimited | csv
    # Last.fm CSV only: delimiter, whether there is a header, and the column index of each role
    delimiter: str = ","
    header: bool = False
    columns: int = 0
    roles: dict[str, int] = field(default_factory=dict)

    @property
    def group(self) -> tuple[object, ...]:
        """Files with the same group are read by one DuckDB scan."""
        return (self.format, self.layout, self.delimiter, self.header, self.columns, tuple(sorted(self.roles.items())))


@dataclass(frozen=True)
class Ignored:
    why: str


@dataclass(frozen=True)
class Unrecognised:
    why: str


def detect(path: Path) -> Detected | Ignored | Unrecognised:
    with open(path, "rb") as fh:
        head = fh.read(HEAD_BYTES)
    if head.startswith(b"%PDF"):
        return Ignored("a PDF document")
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8")):
        return Ignored("an image")
    if b"\x00" in head[:4096]:
        return Unrecognised("a binary file")
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n")
    if not text:
        return Unrecognised("an empty file")
    if text[0] == "[":
        return _detect_array(text, len(head) < HEAD_BYTES)
    if text[0] == "{":
        return _detect_object(text)
    return _detect_csv(text)


def _first_value(text: str, start: int) -> object:
    value, _ = json.JSONDecoder().raw_decode(text, start)
    return value


def _detect_array(text: str, whole: bool) -> Detected | Ignored | Unrecognised:
    start = 1
    while start < len(text) and text[start] in " \t\r\n":
        start += 1
    if text[start : start + 1] == "]":
        return Ignored("an empty JSON array")
    try:
        first = _first_value(text, start)
    except ValueError:
        return Unrecognised("not valid JSON" if whole else "a JSON array whose first element is not valid JSON")
    if not isinstance(first, dict):
        return Unrecognised(f"a JSON array of {type(first).__name__}, not of rows")
    found = _classify_row(first)
    return Detected(found, "array") if found else Unrecognised(_keys_hint(first))


def _detect_object(text: str) -> Detected | Ignored | Unrecognised:
    try:
        first = _first_value(text, 0)
    except ValueError:
        return Unrecognised("not valid JSON")
    assert isinstance(first, dict)
    found = _classify_row(first)
    if found == LISTENBRAINZ:
        return Detected(found, "newline_delimited")
    if {"user_id", "username"} <= first.keys() and len(first) <= 4:
        return Ignored("ListenBrainz user details (user.json)")
    if "score" in first and ("recording_mbid" in first or "recording_msid" in first):
        return Ignored("ListenBrainz feedback (loved/hated recordings)")
    return Unrecognised(_keys_hint(first))


def _classify_row(row: dict[str, object]) -> str | None:
    keys = row.keys()
    if "ts" in keys and keys & {"spotify_track_uri", "master_metadata_track_name", "spotify_episode_uri", "ms_played"}:
        return EXTENDED
    if "endTime" in keys and (keys >= {"artistName", "trackName"} or keys >= {"podcastName", "episodeName"}):
        return ACCOUNT
    if "listened_at" in keys and "track_metadata" in keys:
        return LISTENBRAINZ
    return None


def _keys_hint(row: dict[str, object]) -> str:
    keys = ", ".join(list(row)[:6])
    return f"JSON rows with keys {keys}" if keys else "JSON rows without keys"


def _detect_csv(text: str) -> Detected | Unrecognised:
    line = text.splitlines()[0] if text else ""
    delimiter = max(",;\t", key=line.count)
    if not line.count(delimiter):
        return Unrecognised("neither JSON nor a CSV with a header or artist,album,track,date rows")
    fields = next(csv.reader([line], delimiter=delimiter))
    names = [f.strip().lower() for f in fields]
    roles: dict[str, int] = {}
    for role, candidates in LASTFM_ROLES.items():
        for candidate in candidates:
            if candidate in names:
                roles[role] = names.index(candidate)
                break
    if {"artist", "track"} <= roles.keys() and roles.keys() & {"uts", "time"}:
        return Detected(LASTFM, "csv", delimiter, True, len(fields), roles)
    if len(fields) == 4 and _is_lastfm_date(fields[3]):
        roles = {"artist": 0, "album": 1, "track": 2, "time": 3}
        return Detected(LASTFM, "csv", delimiter, False, 4, roles)
    return Unrecognised(f"a CSV whose first row ({line[:60]!r}) is not a Last.fm header or artist,album,track,date")


def _is_lastfm_date(value: str) -> bool:
    for fmt in LASTFM_DATE_FORMATS:
        try:
            datetime.strptime(value.strip(), fmt)
            return True
        except ValueError:
            continue
    return False
