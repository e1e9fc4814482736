"""The raw views (macros/create_raw_views.sql): written again only when their statement changes.

Every dbt run makes sure schema `raw` has one view per landed table (and schema `reference` one per gazetteer
file). A view's statement depends on whether its folder had files when the run started, so a folder's first
file changes it; a night's build, with nothing of that changed, must write no view at all.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from tests.test_dbt_models import assert_ok, last_run_log, query, run_dbt, write_landed

ARTIST = {"id": "6VDdCwrBM4qQaGxoAyxyJC", "name": "Cold War Kids", "genres": ["indie rock"], "type": "artist"}


def views(db: Path) -> dict[str, str]:
    return dict(
        query(
            db,
            "select schema_name || '.' || view_name, comment from duckdb_views() "
            "where schema_name in ('raw', 'reference')",
        )
    )


def count(db: Path, relation: str) -> int:
    return query(db, f"select count(*) from {relation}")[0][0]


def views_written_by_last_run(data: Path) -> list[str]:
    """The raw and reference views the last dbt run's log shows it (re)creating."""
    last = last_run_log(data)
    return sorted(
        {
            line.split("create or replace view ", 1)[1].split(" ", 1)[0]
            for line in last.splitlines()
            if "create or replace view raw." in line or "create or replace view reference." in line
        }
    )


def test_raw_views_are_written_again_only_when_their_statement_changes(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    db = data / "music_tracker.duckdb"
    select = ("run", "--select", "stg_history__tracks_played")

    assert_ok(run_dbt(data, *select))  # a fresh checkout: no file anywhere
    first = views(db)
    assert {"raw.tracks_played", "raw.spotify_artists", "raw.musicbrainz_artists"} <= set(first)
    assert all(str(comment).startswith("rws-music view ") for comment in first.values()), first
    assert count(db, "raw.spotify_artists") == 0

    # nothing changed: no view is written again
    assert_ok(run_dbt(data, *select))
    assert views_written_by_last_run(data) == []
    assert views(db) == first

    # Spotify's first artist lands: the view made while its folder was empty reads nothing until dbt runs
    write_landed(data, "artists", "20260101T000000Z-0001-0000.parquet", [(ARTIST["id"], 200, "2026-01-01", ARTIST)])
    assert count(db, "raw.spotify_artists") == 0
    assert_ok(run_dbt(data, *select))
    assert views_written_by_last_run(data) == ["raw.spotify_artists"]
    assert count(db, "raw.spotify_artists") == 1
    second = views(db)
    assert second["raw.spotify_artists"] != first["raw.spotify_artists"]
    assert {k: v for k, v in second.items() if k != "raw.spotify_artists"} == {
        k: v for k, v in first.items() if k != "raw.spotify_artists"
    }

    # a view dropped by hand is made again
    con = duckdb.connect(str(db))
    con.execute("drop view raw.spotify_artists")
    con.close()
    assert_ok(run_dbt(data, *select))
    assert views_written_by_last_run(data) == ["raw.spotify_artists"]
    assert views(db) == second
