"""End to end, as a user does it: one month of listening (scripts/devkit/listens.py) exported by four services in
their real file formats (scripts/devkit/listen_exports.py) and polled from recently-played, all imported with
``python -m extractors import`` into one history, built with ``dbt build``: every listen is counted once,
with the sources that reported it, and ``status`` says how the rows became listens.

Windows: Extended history days 0-20, Account data 10-30, ListenBrainz 5-15, Last.fm every scrobble,
polling 20-30 (written as the poller writes it).
"""

from __future__ import annotations

import os
import random
from collections import Counter

import duckdb
import pytest

from scripts.devkit import listen_exports as exports
from scripts.devkit import listens as world
from tests.conftest import REPO, run_cli
from tests.test_dbt_models import assert_ok, run_dbt

DAYS = 30
WINDOWS = {
    "spotify_extended_history": (0, 20),
    "spotify_account_data": (10, 30),
    "listenbrainz": (5, 15),
    "lastfm": (0, 30),
    "spotify_recently_played": (20, 30),
}


def reporters(listen: world.Listen, day: int) -> str:
    return ",".join(sorted(world.reporters(listen, day, WINDOWS)))


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> dict:
    root = tmp_path_factory.mktemp("imported")
    data_dir, downloads = root / "data", root / "downloads"
    truth = world.listening(seed=21, days=DAYS)
    day0 = truth[0].start.replace(hour=0, minute=0, second=0)

    def part(source: str) -> list[world.Listen]:
        return world.in_days(truth, *WINDOWS[source])

    exports.extended_history(downloads / "Spotify Extended Streaming History", part("spotify_extended_history"))
    exports.account_data(downloads / "MyData", part("spotify_account_data"))
    exports.listenbrainz_jsonl(downloads / "listenbrainz" / "listens.jsonl", part("listenbrainz"))
    exports.lastfm_csv(downloads / "lastfm.csv", part("lastfm"))
    polled = world.polled(part("spotify_recently_played"), random.Random(2), user_id="alex")
    world.write_rows(data_dir / "src" / "tracks_played" / "recently-played-1.parquet", polled)
    env = {**os.environ, "PYTHONPATH": str(REPO), "USER_ID": "alex"}
    result = run_cli(["import", str(downloads), "--data-path", str(data_dir)], env, root)
    assert result.returncode == 0, result.output
    assert_ok(run_dbt(data_dir, "build"))
    status = run_cli(["status", "--data-path", str(data_dir)], env, root)
    con = duckdb.connect(str(data_dir / "music_tracker.duckdb"), read_only=True)
    yield {"con": con, "truth": truth, "day0": day0, "import": result.stdout, "status": status}
    con.close()


def test_every_listen_once_with_its_sources(imported: dict) -> None:
    con, truth, day0 = imported["con"], imported["truth"], imported["day0"]
    expected = Counter(reporters(x, (x.start - day0).days) for x in truth)
    found = Counter(dict(con.execute("select sources, count(*) from main.fact_track_played group by 1").fetchall()))
    assert found == expected
    assert sum(found.values()) == len(truth)
    assert con.execute("select distinct user_id from main.fact_track_played").fetchall() == [("alex",)]


def test_plays_and_minutes(imported: dict) -> None:
    con, truth = imported["con"], imported["truth"]
    plays, minutes = con.execute(
        "select count(*) filter (where counts_as_play), sum(minutes_played) from main.fact_track_played"
    ).fetchone()
    assert plays == sum(x.counts_as_play for x in truth)
    assert minutes == pytest.approx(sum(x.ms_played for x in truth) / 60_000, abs=1e-6)


def test_import_and_status_say_what_happened(imported: dict) -> None:
    truth, day0 = imported["truth"], imported["day0"]
    short = sum(
        1
        for x in truth
        if not x.counts_as_play
        for source in ("spotify_extended_history", "spotify_account_data")
        if source in reporters(x, (x.start - day0).days)
    )
    assert f"{short} listens under 30 s (kept; not counted as plays)" in imported["import"]
    status = imported["status"]
    assert status.returncode == 0, status.output
    rows = sum(len(reporters(x, (x.start - day0).days).split(",")) for x in truth)
    merged = rows - len(truth)
    several = sum(1 for x in truth if "," in reporters(x, (x.start - day0).days))
    assert f"{len(truth)} listens from {rows} reported rows ({merged} merged: {several} listens" in status.stdout
    plays = sum(x.counts_as_play for x in truth)
    assert f"{plays} plays, {len(truth) - plays} listens under 30 s" in status.stdout
