"""Writes ``data/sample/exports/``: the Spotify Extended Streaming History the sample's listener would download,
so that ``make demo`` imports it on top of the polled sample history and shows the warehouse counting each
listen once.

The export re-reports the sample's polled listens of its last 60 days as Spotify's export does (``ts`` a second
or two off the polled ``played_at``, ``ms_played``, reasons, platform, country, ``offline_timestamp``), and adds
what polling never sees: skips of a few seconds before the listen that followed, a 0 ms tap, an offline
listen synced days later, incognito listens and a podcast episode. ``ReadMeFirst_ExtendedStreamingHistory.pdf``
comes with it, as in the real zip. Seeded: running it again writes the same files.

    uv run python -m scripts.make_sample_exports [--out FOLDER]   (default data/sample/exports)
"""

from __future__ import annotations

import argparse
import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "data" / "sample"
EXPORT = Path("my_spotify_data") / "Spotify Extended Streaming History"
DAYS = 60


def _iso(at: datetime) -> str:
    return at.strftime("%Y-%m-%dT%H:%M:%SZ")


def _row(track: tuple, end: datetime, ms: int, rng: random.Random, **extra: object) -> dict[str, object]:
    track_id, name, artist, album = track
    start = end - timedelta(milliseconds=ms)
    row: dict[str, object] = {
        "ts": _iso(end), "platform": "android", "ms_played": ms, "conn_country": "BR",
        "ip_addr": "192.0.2.10", "master_metadata_track_name": name, "master_metadata_album_artist_name": artist,
        "master_metadata_album_album_name": album, "spotify_track_uri": f"spotify:track:{track_id}",
        "episode_name": None, "episode_show_name": None, "spotify_episode_uri": None, "audiobook_title": None,
        "audiobook_uri": None, "audiobook_chapter_uri": None, "audiobook_chapter_title": None,
        "reason_start": "trackdone", "reason_end": "trackdone", "shuffle": rng.random() < 0.3,
        "skipped": False, "offline": False, "offline_timestamp": int(start.replace(tzinfo=UTC).timestamp()),
        "incognito_mode": False,
    }  # fmt: skip
    row.update(extra)
    return row


def build(rng: random.Random) -> list[dict[str, object]]:
    con = duckdb.connect()
    polled = con.execute(
        f"""
        with h as (select * from read_parquet('{SAMPLE / "tracks_played.parquet"}'))
        select track_id, track_name, artist, album, played_at, duration_ms
        from h
        where play_source = 'spotify_recently_played'
            and played_at > (select max(played_at) from h) - interval {DAYS} day
        order by played_at
        """
    ).fetchall()
    con.close()
    rows: list[dict[str, object]] = []
    for n, (track_id, name, artist, album, played_at, duration_ms) in enumerate(polled):
        track = (track_id, name, artist, album)
        end = (played_at + timedelta(milliseconds=rng.randint(-2500, 2500))).replace(microsecond=0)
        start = end - timedelta(milliseconds=duration_ms)
        if n % 7 == 3:  # skipped the track before this one after a few seconds
            skip = polled[n - 1][:4] if n else track
            rows.append(_row(skip, start - timedelta(seconds=1), rng.choice([0, 3200, 8100, 17500]), rng,
                             reason_end="fwdbtn", skipped=True))  # fmt: skip
        if n % 23 == 5:  # played offline, synced a few days later
            synced = end + timedelta(days=rng.randint(2, 9))
            rows.append(_row(track, synced, duration_ms, rng, offline=True,
                             offline_timestamp=int(start.replace(tzinfo=UTC).timestamp())))  # fmt: skip
            continue
        rows.append(_row(track, end, duration_ms, rng, reason_start=rng.choice(["trackdone", "clickrow", "fwdbtn"])))
    last = polled[-1]
    after = last[4] + timedelta(hours=3)
    for k in range(3):  # incognito: the person kept these out of the history
        rows.append(_row(last[:4], after + timedelta(minutes=4 * k), 200000, rng, incognito_mode=True))
    episode = _row((None, None, None, None), after + timedelta(hours=1), 1500000, rng)
    episode.update(
        spotify_track_uri=None, episode_name="Episode 12: Tropicália", episode_show_name="Music History Podcast",
        spotify_episode_uri="spotify:episode:4rOoJ6Egrf8K2IrywzwOMk",
    )  # fmt: skip
    rows.append(episode)
    return sorted(rows, key=lambda r: str(r["ts"]))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=SAMPLE / "exports", help="the exports folder to write")
    out = parser.parse_args(argv).out / EXPORT
    rows = build(random.Random(7))
    out.mkdir(parents=True, exist_ok=True)
    path = out / "Streaming_History_Audio_2026_0.json"
    path.write_text(json.dumps(rows, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    pdf = out / "ReadMeFirst_ExtendedStreamingHistory.pdf"
    pdf.write_bytes(b"%PDF-1.4\n% rws-music sample: stands in for Spotify's read-me\n%%EOF\n")
    print(f"{path}: {len(rows)} rows; {pdf.name}")


if __name__ == "__main__":
    main()
