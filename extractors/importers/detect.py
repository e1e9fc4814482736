"""Which export a file is, from its content (never its name): the first element, line or header row.

Returns a ``Detected`` (a format this package reads), an ``Ignored`` (a file that comes with an export and is
not a listening history: the ReadMeFirst PDF, ListenBrainz's user.json and feedback.jsonl, an empty array) or an
``Unrecognised`` (anything else: Spotify's Userdata.json, Follow.json, Playlist1.json, …). Inside a folder or
zip both are left out of the import and listed; a file named on its own must be a history.
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
LIBREFM = "librefm"  # Libre.fm's CSV export (``Artist,Track,Album,Time``), also written by Maloja users

# Last.fm CSV header names (lower case) → the column they give; the first present name of a role wins.
LASTFM_ROLES: dict[str, tuple[str, ...]] = {
    "uts": ("uts", "date_uts", "unix_timestamp"),
    "time": ("utc_time", "timestamp", "date", "datetime", "time", "played_at", "scrobble_time"),
    "artist": ("artist", "artist_name", "artist name"),
    "artist_mbid": ("artist_mbid", "artist mbid", "artist_mbids"),
    "album": ("album", "album_name", "album name", "release", "release_name"),
    "track": ("track", "title", "track_name", "track name", "name"),
}
# Libre.fm writes a few comment lines above its header, as UTF-7 ("+ACM-" is "#"); other tools write "#"
COMMENT_PREFIXES = ("#", "+ACM-")
LASTFM_DATE_FORMATS = ("%d %b %Y %H:%M", "%d %b %Y, %H:%M", "%d %b %Y %H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M")


@dataclass(frozen=True)
class Detected:
    format: str  # EXTENDED, ACCOUNT, LISTENBRAINZ, LASTFM, LIBREFM
    layout: str  # array | newline_delimited | csv
    # CSV only: delimiter, whether there is a header, the column index of each role, and the number of
    # comment (or blank) lines above the header
    delimiter: str = ","
    header: bool = False
    columns: int = 0
    roles: dict[str, int] = field(default_factory=dict)
    skip: int = 0

    @property
    def group(self) -> tuple[object, ...]:
        """Files with the same group are read by one DuckDB scan."""
        roles = tuple(sorted(self.roles.items()))
        return (self.format, self.layout, self.delimiter, self.header, self.columns, roles, self.skip)

    def line(self, row: int) -> int:
        """The line of the file that holds data row ``row`` (1-based)."""
        return row + self.skip + (1 if self.header else 0)


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
        return _detect_object(text, len(head) < HEAD_BYTES)
    return _detect_csv(head.decode("utf-8", errors="replace").lstrip("\ufeff"))


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


def _detect_object(text: str, whole: bool) -> Detected | Ignored | Unrecognised:
    try:
        first = _first_value(text, 0)
    except ValueError:
        return Unrecognised("not valid JSON" if whole else "a JSON document over 1 MiB that is not a listening history")
    assert isinstance(first, dict)
    found = _classify_row(first)
    if found == LISTENBRAINZ:
        return Detected(found, "newline_delimited")
    if {"user_id", "username"} <= first.keys() and len(first) <= 4:
        return Ignored("ListenBrainz user details (user.json)")
    if "score" in first and ("recording_mbid" in first or "recording_msid" in first):
        return Ignored("ListenBrainz feedback (loved/hated recordings)")
    return Unrecognised(_keys_hint(first, "a JSON object"))


def _classify_row(row: dict[str, object]) -> str | None:
    keys = row.keys()
    if "ts" in keys and keys & {"spotify_track_uri", "master_metadata_track_name", "spotify_episode_uri", "ms_played"}:
        return EXTENDED
    if "endTime" in keys and (keys >= {"artistName", "trackName"} or keys >= {"podcastName", "episodeName"}):
        return ACCOUNT
    if "listened_at" in keys and "track_metadata" in keys:
        return LISTENBRAINZ
    return None


def _keys_hint(row: dict[str, object], what: str = "JSON rows") -> str:
    keys = ", ".join(list(row)[:6])
    return f"{what} with keys {keys}" if keys else f"{what} without keys"


def _detect_csv(text: str) -> Detected | Unrecognised:
    lines = text.splitlines()
    skip = comments = 0  # lines above the header: blank or comments
    while skip < len(lines) and (not lines[skip].strip() or lines[skip].lstrip().startswith(COMMENT_PREFIXES)):
        comments += bool(lines[skip].strip())
        skip += 1
    line = lines[skip] if skip < len(lines) else ""
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
        return Detected(_scrobble_source(names, roles, comments), "csv", delimiter, True, len(fields), roles, skip)
    if len(fields) == 4 and _is_lastfm_date(fields[3]):
        roles = {"artist": 0, "album": 1, "track": 2, "time": 3}
        return Detected(LASTFM, "csv", delimiter, False, 4, roles, skip)
    return Unrecognised(
        f"a CSV whose first row ({line[:60]!r}) is not a Last.fm or Libre.fm header or artist,album,track,date"
    )


def _scrobble_source(names: list[str], roles: dict[str, int], comments: int) -> str:
    """Libre.fm's shape (comment lines on top, or a ``Time`` column and no Last.fm ``uts``), else Last.fm."""
    if "uts" in roles:
        return LASTFM
    return LIBREFM if comments or names[roles["time"]] == "time" else LASTFM


def _is_lastfm_date(value: str) -> bool:
    for fmt in LASTFM_DATE_FORMATS:
        try:
            datetime.strptime(value.strip(), fmt)
            return True
        except ValueError:
            continue
    return False
