"""One listen, one row: the same listens reported by five sources are counted once, and two real listens are
never merged (scripts/devkit/listens.py generates what a person heard and how each source reports it).

The world: 40 days of one person's listening. Extended history covers days 0-25, Account data 15-40,
recently-played polling 30-40, Last.fm every scrobble, ListenBrainz days 10-20. Every listen is in Extended
history or Account data, so the warehouse must find exactly the listens that happened, each with the
sources that reported it, its length, its start and whether it counts as a play.
"""

from __future__ import annotations

import itertools
import random
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from scripts.devkit import listens as world
from tests.test_dbt_models import assert_ok, run_dbt

DAYS = 40
WINDOWS = {
    "spotify_extended_history": (0, 25),
    "spotify_account_data": (15, 40),
    "spotify_recently_played": (30, 40),
    "lastfm": (0, 40),
    "listenbrainz": (10, 20),
}


def reporters(listen: world.Listen, day: int) -> set[str]:
    return world.reporters(listen, day, WINDOWS)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict:
    data_dir = tmp_path_factory.mktemp("listens") / "data"
    history = data_dir / "src" / "tracks_played"
    truth = world.listening(seed=11, days=DAYS)
    rng = random.Random(5)
    day0 = truth[0].start.replace(hour=0, minute=0, second=0)
    renders = {
        "spotify_extended_history": world.extended,
        "spotify_account_data": world.account,
        "spotify_recently_played": lambda xs: world.polled(xs, rng),
        "lastfm": world.lastfm,
        "listenbrainz": world.listenbrainz,
    }
    for source, (first, last) in WINDOWS.items():
        world.write_rows(history / f"{source}.parquet", renders[source](world.in_days(truth, first, last)))
    assert_ok(run_dbt(data_dir, "build"))
    con = duckdb.connect(str(data_dir / "music_tracker.duckdb"), read_only=True)
    yield {"con": con, "truth": truth, "day0": day0}
    con.close()


def test_every_listen_once(built: dict) -> None:
    con, truth = built["con"], built["truth"]
    rows = con.execute("select count(*) from staging.stg_history__tracks_played").fetchone()[0]
    assert rows > 2 * len(truth)  # most listens are reported more than once
    assert con.execute("select count(*) from main.fact_track_played").fetchone()[0] == len(truth)
    listens = con.execute("select count(*) from intermediate.int_listens__rows_combined_into_listens").fetchone()
    assert listens[0] == len(truth)


def test_each_listen_names_the_sources_that_reported_it(built: dict) -> None:
    con, truth, day0 = built["con"], built["truth"], built["day0"]
    expected = Counter(",".join(sorted(reporters(x, (x.start - day0).days))) for x in truth)
    found = Counter(dict(con.execute("select sources, count(*) from main.fact_track_played group by 1").fetchall()))
    assert found == expected
    assert len(expected) >= 6  # the world really mixes the sources


def test_plays_are_listens_of_30_seconds_or_more(built: dict) -> None:
    con, truth = built["con"], built["truth"]
    plays = sum(x.counts_as_play for x in truth)
    assert 0 < plays < len(truth)
    assert any(x.ms_played == 29_999 for x in truth) and any(x.ms_played == 30_000 for x in truth)
    assert any(x.ms_played == 0 for x in truth)
    assert con.execute("select count(*) from main.fact_track_played where counts_as_play").fetchone()[0] == plays
    assert con.execute("select count(*) from main.report_track_plays").fetchone()[0] == plays


def test_minutes_are_minutes_listened(built: dict) -> None:
    con, truth = built["con"], built["truth"]
    minutes = sum(x.ms_played for x in truth) / 60_000
    found = con.execute("select sum(minutes_played), sum(ms_played) from main.fact_track_played").fetchone()
    assert found[0] == pytest.approx(minutes, abs=1e-6)
    assert found[1] == sum(x.ms_played for x in truth)


def test_each_listen_keeps_its_own_facts(built: dict) -> None:
    """Start, length and (from the Extended history) skip, platform and country of every listen."""
    con, truth, day0 = built["con"], built["truth"], built["day0"]
    found = Counter(
        con.execute(
            "select artist, track_name, started_at, ms_played, platform, conn_country "
            "from intermediate.int_listens__rows_combined_into_listens "
            "where sources like '%spotify_extended_history%' or sources like '%lastfm%'"
        ).fetchall()
    )
    expected = Counter(
        (
            x.track.artist,
            x.track.name,
            x.start,
            x.ms_played if ({"spotify_extended_history", "spotify_account_data"} & reporters(x, d)) else None,
            x.platform if "spotify_extended_history" in reporters(x, d) else None,
            x.conn_country if "spotify_extended_history" in reporters(x, d) else None,
        )
        for x in truth
        if {"spotify_extended_history", "lastfm"} & reporters(x, d := (x.start - day0).days)
    )
    assert found == expected


def test_an_offline_listen_is_dated_when_it_was_heard(built: dict) -> None:
    con, truth = built["con"], built["truth"]
    offline = [x for x in truth[: len(truth) // 2] if x.synced_at is not None]
    assert offline, "the world has offline listens"
    x = offline[0]
    found = con.execute(
        "select started_at, played_at, offline from main.fact_track_played where started_at = ? and ms_played = ?",
        [x.start, x.ms_played],
    ).fetchall()
    assert found == [(x.start, x.end, True)]


def test_replays_and_namesakes_stay_apart(built: dict) -> None:
    """A track replayed at once is two listens; "Higher" by two artists in one minute is two listens.

    Counted around each such pair: the listens of that track the warehouse has within a minute of the pair
    are as many as really happened there (a listen only Account data reports is dated to its minute).
    """
    con, truth = built["con"], built["truth"]
    replays = [(a, b) for a, b in itertools.pairwise(truth) if a.track == b.track]
    assert len(replays) > 10
    higher = [x for x in truth if x.track.name == "Higher" and x.ms_played == 10_000]
    assert len({x.track.artist for x in higher}) == 2
    pairs = replays + [(a, b) for a, b in itertools.pairwise(higher) if b.start - a.start < timedelta(minutes=1)]
    assert len(pairs) > len(replays)
    for a, b in pairs:
        low, high = a.start - timedelta(minutes=1), b.end + timedelta(minutes=1)
        for track in {a.track, b.track}:
            happened = sum(1 for x in truth if x.track == track and low <= x.start <= high)
            found = con.execute(
                "select count(*) from intermediate.int_listens__rows_combined_into_listens "
                "where track_name = ? and artist = ? and started_at between ? and ?",
                [track.name, track.artist, low, high],
            ).fetchone()[0]
            assert found == happened, (track.name, track.artist, a.start)


def test_an_export_imported_again_after_upgrading_counts_once(tmp_path: Path) -> None:
    """A history file from before ms_played was kept (old columns only, the export's username as user_id)
    and the same export imported again with its facts: each listen once, with the new row's facts."""
    data_dir = tmp_path / "data"
    history = data_dir / "src" / "tracks_played"
    truth = world.listening(seed=3, days=2)
    new_rows = list(world.extended(truth))
    old_columns = ("track_id", "track_uri", "track_name", "album", "artist", "played_at", "play_source")
    old_rows = [{"user_id": "jdoe", **{c: r[c] for c in old_columns}} for r in new_rows]
    world.write_rows(history / "import-old.parquet", old_rows)
    con = duckdb.connect()
    columns = [r[0] for r in con.execute(f"describe select * from '{history / 'import-old.parquet'}'").fetchall()]
    con.close()
    world.write_rows(history / "import-new.parquet", new_rows)
    select = "+int_listens__rows_combined_into_listens"
    assert_ok(run_dbt(data_dir, "build", "--select", select, "--indirect-selection", "cautious"))
    con = duckdb.connect(str(data_dir / "music_tracker.duckdb"), read_only=True)
    try:
        found = con.execute(
            "select count(*), count(distinct user_id), min(user_id), sum(ms_played), count(*) filter "
            "(where reported_rows = 1) from intermediate.int_listens__rows_combined_into_listens"
        ).fetchone()
    finally:
        con.close()
    assert "ms_played" in columns  # write_rows writes every contract column: the old file's are null
    assert found == (len(truth), 1, "me", sum(x.ms_played for x in truth), len(truth))


def test_min_play_seconds_decides_what_is_a_play(tmp_path: Path) -> None:
    """Listens of 15, 25 and 35 s and one of unknown length: 2 plays by default (30 s), 3 with 20 s."""
    data_dir = tmp_path / "data"
    at = datetime(2025, 5, 1, 12, 0)
    rows = [
        {"track_name": f"T{n}", "artist": "A", "played_at": at + timedelta(minutes=n), "ms_played": ms,
         "play_source": "spotify_account_data"}
        for n, ms in enumerate([15_000, 25_000, 35_000, None])
    ]  # fmt: skip
    world.write_rows(data_dir / "src" / "tracks_played" / "h.parquet", rows)
    # the second build: only what reads min_play_seconds on the way to the fact (the rest is built)
    again = "int_plays_resolved+,+fact_track_played"
    found = []
    for select, extra in (("+fact_track_played", []), (again, ["--vars", "{min_play_seconds: 20}"])):
        assert_ok(run_dbt(data_dir, "build", "--select", select, "--indirect-selection", "cautious", *extra))
        con = duckdb.connect(str(data_dir / "music_tracker.duckdb"), read_only=True)
        try:
            found.append(
                con.execute("select count(*) filter (where counts_as_play) from main.fact_track_played").fetchone()[0]
            )
        finally:
            con.close()
    assert found == [2, 3]
