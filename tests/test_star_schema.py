"""The star schema and the reports on the bundled sample: tie-outs between the history, the facts, the dims
and the parquet exports. The sample is extracted and built exactly as tests/test_sample_pipeline.py does (its
`sample` fixture, session-scoped in conftest.py: built once for the whole run)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

PLAY_KEY = (
    "concat_ws(chr(31), coalesce(user_id, ''), strftime(date_trunc('second', played_at), '%Y-%m-%dT%H:%M:%S'), "
    "coalesce(track_id, track_name))"
)
REPORTS = ("report_track_plays", "report_artist_genre_plays")


def scalar(con: duckdb.DuckDBPyConnection, sql: str):
    return con.execute(sql).fetchone()[0]


def test_every_play_once_in_the_fact(sample):
    con = sample["con"]
    assert scalar(con, "select count(*) from staging.stg_history__tracks_played") == 417
    assert scalar(con, f"select count(distinct {PLAY_KEY}) from staging.stg_history__tracks_played") == 416
    assert scalar(con, "select count(*) from main.fact_track_played") == 416
    assert scalar(con, "select count(distinct play_key) from main.fact_track_played") == 416


def test_every_fact_row_has_its_dims(sample):
    con = sample["con"]
    orphans = scalar(
        con,
        """
        select count(*) from main.fact_track_played as f
        left join main.dim_date as d using (date_key)
        left join main.dim_time as t using (time_key)
        left join main.dim_artist as a using (artist_key)
        left join main.dim_track as k using (track_key)
        where d.date_key is null or t.time_key is null or a.artist_key is null or k.track_key is null
        """,
    )
    assert orphans == 0
    assert scalar(con, "select count(*) from main.dim_time") == 1440
    # every day from the first to the last play, once
    first, last, days = con.execute("select min(date_day), max(date_day), count(*) from main.dim_date").fetchone()
    assert (first, last) == (date(2024, 1, 10), date(2026, 11, 19)) and (last - first).days + 1 == days == 1045
    assert scalar(con, "select count(*) from main.fact_track_played where album_key is not null") == 416


def test_minutes_per_artist_tie_out(sample):
    con = sample["con"]
    mismatches = con.execute(
        """
        with per_artist as (
            select artist_key, count(*) as plays, coalesce(sum(minutes_played), 0) as minutes
            from main.fact_track_played where counts_as_play group by artist_key
        )
        select g.artist_key, g.genre, g.plays, p.plays, g.minutes, p.minutes
        from main.fact_artist_genre as g
        join per_artist as p using (artist_key)
        where g.plays <> p.plays or abs(g.minutes - p.minutes) > 1e-9
        """
    ).fetchall()
    assert mismatches == []
    # minutes are minutes listened: ms_played where a source measured it, else never more than the track
    assert scalar(con, "select count(*) from main.fact_track_played where ms_played is not null") == 0
    longer = "select count(*) from main.fact_track_played where minutes_played * 60000 > duration_ms + 1e-6"
    assert scalar(con, longer) == 0
    full = "select count(*) from main.fact_track_played where abs(minutes_played * 60000 - duration_ms) < 1e-6"
    # of 416: the others end early, at the next listen (7 scrobbles know their length from the track they were
    # matched to: 5 by the same names with an id elsewhere in the history, 2 by a track search)
    assert scalar(con, full) == 380
    total = scalar(con, "select sum(minutes_played) from main.fact_track_played where counts_as_play")
    # (1793.28 before name-only listens were matched: the 7 scrobbles' lengths were estimates)
    assert total == pytest.approx(1808.73647)
    assert scalar(con, "select sum(minutes_played) from main.report_track_plays") == pytest.approx(total)
    # the overview: all time is the plays and their hours; the years add up to it
    overview = con.execute(
        "select plays, hours_listened from main.report_overview where period = 'all time'"
    ).fetchone()
    plays = scalar(con, "select count(*) from main.fact_track_played where counts_as_play")
    assert overview == (plays, pytest.approx(total / 60))
    assert scalar(con, "select sum(plays) from main.report_overview where year is not null") == plays
    # the clock: every hour of the week once, the plays and minutes all there
    assert con.execute("select count(*), sum(plays), sum(minutes) from main.report_clock").fetchone() == (
        168,
        plays,
        pytest.approx(total),
    )
    # every played artist with a genre is in fact_artist_genre
    missing = scalar(
        con,
        """
        select count(distinct f.artist_key) from main.fact_track_played as f
        join main.dim_artist as a using (artist_key)
        where a.primary_genre is not null
          and f.artist_key not in (select artist_key from main.fact_artist_genre)
        """,
    )
    assert missing == 0


def test_unmatched_artists_are_recovered(sample):
    con = sample["con"]
    rows = dict(
        con.execute(
            """
            select artist_match, count(*) from main.fact_track_played group by artist_match
            """
        ).fetchall()
    )
    assert rows == {"history": 354, "mbid": 24, "name": 2, "spotify_track": 27, "unmatched": 9}
    # the 7 scrobbles without an MBID: their names are played with a Spotify id elsewhere (5), or searched (2)
    tracks = dict(con.execute("select track_match, count(*) from main.fact_track_played group by 1").fetchall())
    assert tracks == {"history": 375, "history_name": 5, "track_search": 2, None: 34}
    # scrobbles carry no Spotify id: the MBID finds Björk's Spotify artist
    by_name = dict(
        con.execute(
            """
            select a.artist_name, max(a.artist_id) from main.fact_track_played as f
            join main.dim_artist as a using (artist_key) where f.artist_match = 'mbid' group by 1
            """
        ).fetchall()
    )
    assert by_name.get("Björk")


def test_dim_artist_carries_genre_and_location(sample):
    con = sample["con"]
    assert scalar(con, "select count(*) - count(distinct artist_key) from main.dim_artist") == 0
    row = con.execute(
        """select country_code, sovereign_country_code, continent from main.dim_artist
           where artist_name = 'Bad Bunny'"""
    ).fetchone()
    assert row == ("PR", "US", "North America")
    assert scalar(con, "select count(*) from main.dim_artist where primary_genre is not null") == 37
    assert scalar(con, "select count(*) from main.dim_artist where lat is not null and long is not null") == 31
    # the primary genre is one of the artist's genres
    assert (
        scalar(
            con,
            """select count(*) from main.dim_artist as a
           where primary_genre is not null and not exists (
               select 1 from main.dim_artist_genre as g
               where g.artist_key = a.artist_key and g.genre = a.primary_genre and g.is_primary)""",
        )
        == 0
    )


def test_exports_are_readable_parquet_with_the_same_rows(sample):
    con = sample["con"]
    exports = Path(sample["data_dir"]) / "exports"
    for report in REPORTS:
        path = exports / f"{report}.parquet"
        assert path.is_file(), path
        exported = duckdb.connect().execute(f"select count(*) from read_parquet('{path}')").fetchone()[0]
        assert exported == scalar(con, f"select count(*) from main.{report}"), report
    assert scalar(con, "select count(*) from main.report_track_plays") == 416
    assert scalar(con, "select count(*) from main.report_artist_genre_plays") == 135


def test_empty_data_dir_builds_empty_star_and_exports(empty_build: Path):
    con = duckdb.connect(str(empty_build / "music_tracker.duckdb"), read_only=True)
    try:
        for table in ("fact_track_played", "dim_artist", "dim_date", "fact_artist_genre", *REPORTS):
            assert scalar(con, f"select count(*) from main.{table}") == 0, table
        assert scalar(con, "select count(*) from main.dim_time") == 1440
    finally:
        con.close()
    for report in REPORTS:
        path = empty_build / "exports" / f"{report}.parquet"
        assert duckdb.connect().execute(f"select count(*) from read_parquet('{path}')").fetchone()[0] == 0
