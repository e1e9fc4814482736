"""The smoke version of `make bench`: one tiny tier end to end, and the figures it must hold; and the SQL
generator of its histories (scripts/devkit/listens.py) against the Python one.

The full bench (1k/100k/1M listens) is `make bench`; timings are printed there and never asserted here.
"""

from __future__ import annotations

import itertools
import json
import random
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import duckdb
import pytest

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
    assert result["smoke"] is True and result["machine"]["cpus"] >= 1
    rows = {r["step"]: r for r in result["rows"]}
    assert set(rows) == {
        "spotify (extended)", "musicbrainz", "openweather", "dbt build", "make enrich (no-op)", "spotify (dev)",
        "import (extended history)",
    }  # fmt: skip
    header = done.stdout.splitlines()[0].split()
    assert header[:3] == ["tier", "step", "new"] and "minimum" in header and "peak" in header

    for step in ("spotify (extended)", "musicbrainz", "openweather"):
        r = rows[step]
        assert r["requests"] == r["minimum_requests"], f"{step}: {r['requests']} requests, minimum {r}"
        assert r["noop_requests"] == 0, f"{step}: a run with nothing new made {r['noop_requests']} requests"
        assert 0 < r["requests_per_key"] < 1
        assert r["peak_mib"] > 0
    assert rows["openweather"]["minimum_requests"] < rows["openweather"]["new_keys"]  # the gazetteer answers some
    dev = rows["spotify (dev)"]
    assert dev["minimum_requests"] <= dev["requests"] <= dev["minimum_requests"] + 3  # one 403 per batch endpoint

    enrich = rows["make enrich (no-op)"]
    assert enrich["noop_requests"] == 0 and enrich["dbt_skipped"] is True
    assert enrich["sources_asked"] == ["spotify", "musicbrainz", "geo"]  # each ran, found nothing new
    imported = rows["import (extended history)"]
    assert imported["plays_imported"] == imported["plays_expected"] > 0
    assert imported["noop_requests"] == 0  # a re-import adds no play

    # the history: 400 distinct listens reported by three overlapping sources, each counted once
    built = rows["dbt build"]
    assert "MISMATCH" not in done.stdout and built["mismatch"] is None
    assert built["warehouse_listens"] == built["listens"] == 400
    assert 0 < built["warehouse_plays"] == built["plays_generated"] < 400
    assert built["history"]["rows"].keys() == {"spotify_extended_history", "spotify_recently_played", "lastfm"}
    assert built["history_rows"] == sum(built["history"]["rows"].values()) > 1.3 * built["listens"]
    assert built["dbt"]["by_kind_s"].keys() >= {"model", "test"} and len(built["dbt"]["slowest"]) == 10


RENDERERS = {
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


def test_sql_listening_is_real_listening_over_any_catalogue():
    """Exactly the listens asked for that a source reports, never two at once, every track heard in the
    Extended history, with the shapes of ``listening``: albums through, skips at 0 ms, 29,999 / 30,000 ms,
    replays, offline listens."""
    rng = random.Random(2)
    albums = [[world.spotify_id(rng) for _ in range(rng.randint(1, 9))] for _ in range(30)]
    tracks = [
        {"track_id": t, "track_name": f"Song {a}.{n}", "artist": f"Artist {a}", "album_id": f"album {a}",
         "album": f"Album {a}", "duration_ms": rng.randint(95_000, 330_000)}
        for a, ids in enumerate(albums) for n, t in enumerate(ids)
    ]  # fmt: skip
    con = duckdb.connect()
    world.load_catalogue(con, tracks)
    generated = world.listening_sql(con, 1_500, seed=4, start=datetime(2025, 1, 1), sessions_per_day=3)
    listens = con.execute(
        "select k, track_id, start, ms_played, reason_start, reason_end, synced_at, reported, "
        "spotify_extended_history, spotify_recently_played, lastfm from listens order by k"
    ).fetchall()
    assert generated.listens == sum(x[7] for x in listens) == 1_500 < generated.heard == len(listens)
    assert generated.plays == sum(x[7] and x[3] >= 30_000 for x in listens)
    for a, b in itertools.pairwise(listens):
        assert b[2] >= a[2] + timedelta(milliseconds=a[3]) and b[2].microsecond == 0
    assert {x[1] for x in listens if x[8]} == {t["track_id"] for t in tracks}
    assert {0, 29_999, 30_000} <= {x[3] for x in listens}
    assert sum(a[1] == b[1] and a[5] == "backbtn" for a, b in itertools.pairwise(listens)) > 10
    assert any(x[6] is not None for x in listens)
    through = [x[1] for x in listens if x[4] in ("clickrow", "trackdone") and x[5] == "trackdone"]
    assert any(through[i : i + len(a)] == a for a in albums if len(a) > 3 for i in range(len(through)))
    # the windows: Extended history the first 80 % of the time, recently-played the last 50 %, Last.fm all
    extended, polled = generated.windows["spotify_extended_history"], generated.windows["spotify_recently_played"]
    whole = polled[1] - extended[0]
    assert extended[0] == generated.first and polled[1] >= generated.last
    second = timedelta(seconds=1)
    assert abs(extended[1] - extended[0] - whole * 0.8) < second > abs(polled[0] - extended[0] - whole / 2)
    assert max(x[2] for x in listens if x[8]) < extended[1] <= min(x[2] for x in listens if not x[8])
    assert polled[0] <= min(x[2] for x in listens if x[9]) and max(x[2] for x in listens if not x[9]) < polled[0]
    assert all(x[10] for x in listens)
    unreported = [x for x in listens if not x[7]]
    assert unreported and all(not x[8] and x[3] < 30_000 for x in unreported)
    con.close()
