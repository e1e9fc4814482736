"""The listens of scripts/devkit/listens.py written as the real export files each service gives its users, for the
end-to-end test: ``python -m extractors import`` reads these, exactly as a user's own exports.

- Spotify Extended Streaming History: ``Streaming_History_Audio_<years>_<n>.json``, a JSON array with the
  current field names (``ts`` the end or the sync time, ``offline_timestamp`` in seconds, ``incognito_mode``).
- Spotify Account data: ``StreamingHistory_music_<n>.json`` (``endTime`` to the minute, ``msPlayed``).
- Last.fm: the CSV of lastfm-to-csv style exporters (``uts,utc_time,artist,artist_mbid,album,album_mbid,
  track,track_mbid``), the scrobble time being the start.
- ListenBrainz: the export's JSONL (``listened_at`` the start, ``additional_info.spotify_id`` on some).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from datetime import UTC
from pathlib import Path

from scripts.devkit.listens import Listen


def _iso(at) -> str:
    return at.replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def _epoch(at) -> int:
    return int(at.replace(tzinfo=UTC).timestamp())


def extended_history(folder: Path, listens: Iterable[Listen], per_file: int = 500) -> list[Path]:
    rows = []
    for x in listens:
        t = x.track
        rows.append(
            {
                "ts": _iso(x.synced_at or x.end), "platform": x.platform, "ms_played": x.ms_played,
                "conn_country": x.conn_country, "ip_addr": "192.0.2.1",
                "master_metadata_track_name": t.name, "master_metadata_album_artist_name": t.artist,
                "master_metadata_album_album_name": t.album, "spotify_track_uri": f"spotify:track:{t.id}",
                "episode_name": None, "episode_show_name": None, "spotify_episode_uri": None,
                "audiobook_title": None, "audiobook_uri": None, "audiobook_chapter_uri": None,
                "audiobook_chapter_title": None, "reason_start": x.reason_start, "reason_end": x.reason_end,
                "shuffle": x.shuffle, "skipped": x.skipped, "offline": x.synced_at is not None,
                "offline_timestamp": _epoch(x.start), "incognito_mode": False,
            }
        )  # fmt: skip
    return _chunks(folder, "Streaming_History_Audio_2024_{n}.json", rows, per_file)


def account_data(folder: Path, listens: Iterable[Listen], per_file: int = 500) -> list[Path]:
    rows = [
        {
            "endTime": x.end.strftime("%Y-%m-%d %H:%M"),
            "artistName": x.track.artist,
            "trackName": x.track.name,
            "msPlayed": x.ms_played,
        }
        for x in listens
    ]
    return _chunks(folder, "StreamingHistory_music_{n}.json", rows, per_file)


def lastfm_csv(path: Path, listens: Iterable[Listen]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(["uts", "utc_time", "artist", "artist_mbid", "album", "album_mbid", "track", "track_mbid"])
        for x in sorted((x for x in listens if x.scrobbled), key=lambda x: x.start, reverse=True):
            out.writerow(
                [_epoch(x.start), x.start.strftime("%d %b %Y, %H:%M"), x.track.artist, "", x.track.album, "",
                 x.track.name, ""]
            )  # fmt: skip
    return path


def listenbrainz_jsonl(path: Path, listens: Iterable[Listen]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        for n, x in enumerate(x for x in listens if x.scrobbled):
            info: dict[str, object] = {"duration_ms": x.track.duration_ms, "submission_client": "Pano Scrobbler"}
            if n % 2:
                info["spotify_id"] = f"https://open.spotify.com/track/{x.track.id}"
            listen = {
                "listened_at": _epoch(x.start),
                "track_metadata": {
                    "artist_name": x.track.artist,
                    "track_name": x.track.name,
                    "release_name": x.track.album,
                    "additional_info": info,
                },
            }
            fh.write(json.dumps(listen, ensure_ascii=False) + "\n")
    return path


def _chunks(folder: Path, pattern: str, rows: list[dict], per_file: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n, start in enumerate(range(0, len(rows), per_file)):
        path = folder / pattern.format(n=n)
        path.write_text(json.dumps(rows[start : start + per_file], ensure_ascii=False, indent=1), encoding="utf-8")
        paths.append(path)
    return paths
