"""The smoke version of `make bench`: one tiny tier end to end, and the figures it must hold (its world is
seeded: the exact figures are the generator's); and the SQL renderer of its histories (scripts/devkit/listens.py)
against the Python one that tests/test_listens.py checks the warehouse with.

The full bench (1k/100k/1M listens) is `make bench`; timings are printed there and never asserted here.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
import pytest

from scripts import bench
from scripts.devkit import listens as world
from tests.conftest import REPO


@pytest.mark.slow
def test_smoke_bench_prints_the_table_and_writes_json_with_minimum_requests(tmp_path: Path):
    done = subprocess.run(
        [sys.executable, "-m", "scripts.bench", "--smoke", "--out", str(tmp_path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:] + done.stdout[-3000:]
    [path] = tmp_path.glob("bench-smoke-*.json")
    assert f"written to {path}" in done.stdout
    result = json.loads(path.read_text())
    assert result["smoke"] is True and result["machine"]["cpus"] == os.cpu_count()
    rows = {r["step"]: r for r in result["rows"]}
    assert set(rows) == {
        "spotify (extended)", "musicbrainz", "openweather", "dbt build", "make enrich (no-op)", "spotify (dev)",
        "spotify (account data only)", "import (extended history)", "report", "daily: extract (+100)",
        "daily: dbt build (+100)",
    }  # fmt: skip
    header = done.stdout.splitlines()[0].split()
    assert header[:3] == ["tier", "step", "new"] and "minimum" in header and "peak" in header

    for step in ("spotify (extended)", "musicbrainz", "openweather"):
        r = rows[step]
        assert r["requests"] == r["minimum_requests"], f"{step}: {r['requests']} requests, minimum {r}"
        assert r["noop_requests"] == 0, f"{step}: a run with nothing new made {r['noop_requests']} requests"
        assert r["requests_per_key"] == round(r["requests"] / r["new_keys"], 4)
        assert r["peak_mib"] > 0
    # the seeded world of the smoke tier (400 listens, 40 artists; 133 tracks played on 40 albums): its keys (the
    # played tracks, their albums and artists) and the fewest requests that fetch them (Spotify: one track per
    # album, the albums, which list their tracks, and the artists)
    expected = {
        "spotify (extended)": (213, 1 + 2 + 1),
        "musicbrainz": (40, 8),
        "openweather": (27, 13),
        "spotify (dev)": (213, 40 + 40 + 40),
    }
    assert {step: (rows[step]["new_keys"], rows[step]["minimum_requests"]) for step in expected} == expected
    # (13 geocoding requests for 27 cities: the offline gazetteer knows the others)
    # MusicBrainz's name search: 5 artists no ISRC nor URL matched, one batched request (it was one each)
    mb = rows["musicbrainz"]
    assert mb["requests_by_step"] == {"isrc": 1, "url": 1, "artist_search": 1, "artists": 2, "areas": 3}
    assert (mb["name_searched"], mb["name_search_requests"]) == (5, 1)
    assert mb["requests_per_name_searched"] == 0.2 and "mismatch" not in mb
    dev = rows["spotify (dev)"]
    assert dev["requests"] == dev["minimum_requests"] + 3  # one 403 per batch endpoint (tracks, artists, albums)
    # Development Mode, before (one request per played track, album and artist) and after
    assert dev["one_per_id"] == 133 + 40 + 40 == dev["new_keys"]
    assert dev["saved_pct"] == round(100 * (1 - dev["requests"] / dev["one_per_id"]), 1) == 42.3
    assert dev["saved_pct"] >= 30 and "mismatch" not in dev and "TOO MANY" not in done.stdout
    assert f"{dev['requests']} requests where one per id would make 213: 42.3 % saved" in done.stdout
    # the same listens as Account data alone (names, no id): found by search, every artist and track (the fake
    # knows them all); a search per (artist, title) pair (93: each artist's first two tracks share a title), then
    # the albums and the artists one by one (after a 403 each)
    account = rows["spotify (account data only)"]
    assert account["history_rows"] == account["listens"] == 400
    assert 390 <= account["warehouse_listens"] <= 400  # endTime to the minute: a rare listen twice in one minute
    assert account["artist_share"] > 0.9 and account["track_share"] > 0.9
    assert (account["track_searches"], account["artist_searches"]) == (93, 0)
    assert account["requests"] == 93 + (40 + 1) + (40 + 1)

    # the report of the tier's warehouse: one file, its size measured (the goal at 1M plays: under 5 MB)
    report = rows["report"]
    assert 0.5 < report["report_mb"] < 5 and report["wall_s"] > 0
    assert f"report {report['tier']}: {report['wall_s']} s, {report['report_mb']} MB (goal: under 30 s and 5 MB)" in (
        done.stdout
    )
    # the daily case: a night's 100 listens of known tracks; nothing to fetch, and the warehouse has them all
    extract, daily = rows["daily: extract (+100)"], rows["daily: dbt build (+100)"]
    assert extract["requests"] == 0 and set(extract["by_source_s"]) == {"spotify", "musicbrainz", "openweather"}
    built = rows["dbt build"]
    assert daily["warehouse_listens"] == built["warehouse_listens"] + 100 and daily["mismatch"] is None
    assert daily["warehouse_plays"] == built["warehouse_plays"] + 100  # polled listens: every one a play
    assert daily["selected"] == ["history.tracks_played"]  # make enrich's build: what the history feeds, no more
    assert extract["empty_history_s"] > 0 and set(extract["empty_by_source_s"]) == set(extract["by_source_s"])
    line = f"daily {daily['tier']}: 100 new listens: the extractors 0 requests in {extract['wall_s']} s ("
    assert line in done.stdout
    enrich = rows["make enrich (no-op)"]
    assert enrich["noop_requests"] == 0 and enrich["dbt_skipped"] is True
    assert enrich["sources_asked"] == ["spotify", "musicbrainz", "openweather"]  # each ran, found nothing new
    imported = rows["import (extended history)"]
    assert imported["plays_imported"] == imported["plays_expected"] == 1687  # of 2,000 rows, the plays
    assert imported["noop_requests"] == 0  # a re-import adds no play

    # the history: 400 distinct listens reported by three overlapping sources, each counted once
    built = rows["dbt build"]
    assert "MISMATCH" not in done.stdout and built["mismatch"] is None
    assert built["warehouse_listens"] == built["listens"] == 400
    assert built["warehouse_plays"] == built["plays_generated"] == 241  # the generator's (seeded) plays
    assert built["history"]["rows"] == {"spotify_extended_history": 363, "spotify_recently_played": 102, "lastfm": 208}
    assert built["history_rows"] == 673 and built["history"]["heard"] == 431
    # listens concentrate on albums: a third of them in albums played through (albums of 11 tracks, 3.3 played:
    # 400 listens cannot hear much more of 40 artists' albums), half of them in the full bench's larger tiers
    assert built["history"]["album_share"] == 0.333
    assert built["history"]["world"] == {
        "tracks": 133, "albums": 40, "artists": 40, "tracks_per_album": 11.03, "played_per_album": 3.33,
        "albums_per_artist": 1.0,
    }  # fmt: skip
    assert built["dbt"]["by_kind_s"].keys() == {"operation", "model", "unit_test", "seed", "test"}
    assert len(built["dbt"]["slowest"]) == 10


def test_album_worlds_concentrate_plays_on_albums_and_keep_musicbrainz_as_it_was(tmp_path: Path):
    """A full-bench tier's world (100k listens, 1,000 artists): artists' played tracks fill 1 to 3 albums of 10 to 12
    tracks, and every track of an artist carries the ISRC and MBID its MusicBrainz world resolves to that artist."""
    tier = bench.TIERS[1]
    made = bench.make_world(tier, tmp_path)
    shape = made.shape
    assert shape["artists"] == 1000 and 15_000 <= shape["tracks"] <= 20_000
    assert 2.0 <= shape["albums_per_artist"] <= 2.8 and 7 <= shape["played_per_album"] <= 8
    assert 10 <= shape["tracks_per_album"] <= 12
    albums: dict[str, set[str]] = {}
    for track in bench.catalogue(made):
        albums.setdefault(track["artist_id"], set()).add(track["album_id"])
    assert {len(a) for a in albums.values()} <= {1, 2, 3, 4}  # (a last album takes what the others left)
    first: dict[str, tuple[str, str | None]] = {}
    for play in made.mb.plays:
        first.setdefault(play["artist_id"], (play["track_isrc"], play["artist_mbid"]))
    assert {p["artist_id"]: (p["track_isrc"], p["artist_mbid"]) for p in made.plays} == first  # one ISRC an artist
    assert len({p["track_id"] for p in made.plays}) == len(made.plays) == shape["tracks"]
    assert {t["track_id"] for t in bench.catalogue(made)} == {p["track_id"] for p in made.plays}
    # the keys: played tracks, their albums and artists (the albums' unplayed tracks are no key)
    assert made.keys["spotify"] == shape["tracks"] + shape["albums"] + shape["artists"]
    assert len(made.spotify["tracks"]) > shape["tracks"]
    assert made.minimum["spotify (dev)"] == 2 * shape["albums"] + shape["artists"]


RENDERERS: dict[str, Callable[[list[world.Listen]], Iterator[dict]]] = {
    "spotify_extended_history": world.extended,
    "spotify_account_data": world.account,
    "spotify_recently_played": lambda xs: world.polled(xs, random.Random(1)),
    "lastfm": world.lastfm,
    "listenbrainz": world.listenbrainz,
}


@pytest.mark.parametrize("source", list(RENDERERS))
def test_sql_renders_each_source_as_the_python_renderer_does(source: str):
    truth = world.listening(seed=3, days=12)
    con = duckdb.connect()
    world.listens_table(con, truth)
    found = con.execute(world.render_sql(source))
    columns = [d[0] for d in found.description]
    rows = [dict(zip(columns, r, strict=True)) for r in found.fetchall()]
    expected = list(RENDERERS[source](truth))
    assert len(rows) == len(expected) > 100
    for got, want in zip(rows, expected, strict=True):
        if source == "spotify_recently_played":  # each a random offset of up to 2.5 s from the end
            assert abs((got.pop("played_at") - want.pop("played_at")).total_seconds()) <= 5
        assert got == {c: want.get(c) for c in got}
    con.close()
