"""The bundled sample end to end, as `make demo` runs it: recorded answers → extractors → dbt build."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from scripts import make_sample, make_sample_exports
from tests.conftest import REPO, SAMPLE, landed
from tests.test_dbt_models import relations_from


def digest(folder: Path, exclude: str | None = None) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
        and p.suffix in {".json", ".parquet", ".pdf"}
        and not (exclude and p.relative_to(folder).parts[0] == exclude)
    }


def test_regenerating_the_sample_reproduces_the_committed_files(tmp_path: Path):
    make_sample.main(["--out", str(tmp_path)])
    assert digest(tmp_path) == digest(SAMPLE, exclude="exports")


def test_regenerating_the_sample_export_reproduces_the_committed_files(tmp_path: Path):
    make_sample_exports.main(["--out", str(tmp_path)])
    assert digest(tmp_path) == digest(SAMPLE / "exports")
    assert len(digest(tmp_path)) == 2


def test_sample_requests_are_the_minimum_and_a_rerun_makes_none(sample):
    # Spotify: 1 track search (the one scrobbled title without an MBID that no other row plays with its id),
    # 11 tracks (1 batch), 37 artists (1 batch), 51 albums (3 batches of 20)
    assert sample["requests"]["spotify"] == 1 + 1 + 1 + 3
    # MusicBrainz: 1 ISRC batch, 1 URL batch, 1 batched name search of 4 names (3 found, 1 not), 1 artist batch,
    # and one area batch for each level of the deepest hierarchy (district → city → subdivision → country, ...)
    assert sample["requests"]["musicbrainz"] == 1 + 1 + 1 + 1 + 5
    # OpenWeather: only the one city the offline gazetteer does not know
    assert sample["geocoded"] == ["Sant Esteve Sesrovires,ES"]
    assert sample["rerun"] == {"spotify": 0, "musicbrainz": 0, "openweather": 0}
    not_found = {
        k
        for endpoint in ("tracks", "artists", "albums")
        for k, s, _ in landed(sample["data_dir"], endpoint)
        if s != 200
    }
    assert not_found == {"0GoneFromSpotify0Track", "0GoneFromSpotify0Artst", "0GoneFromSpotify0Album"}


def test_sample_fills_the_spotify_tables(sample):
    con = sample["con"]
    counts = {
        t: con.execute(f"select count(*) from main.{t}").fetchone()[0]
        for t in ("spotify_artists", "spotify_albums", "spotify_artist_genre")
    }
    assert counts["spotify_artists"] == 36 and counts["spotify_albums"] == 50
    assert counts["spotify_artist_genre"] == 117
    # an artist reachable only through a fetched track made it in, with no genres from Spotify
    assert con.execute("select genres from main.spotify_artists where artist_name = 'Mdou Moctar'").fetchall() == [
        ([],)
    ]
    precisions = {
        r[0] for r in con.execute("select distinct release_date_precision from main.spotify_albums").fetchall()
    }
    assert precisions == {"year", "month", "day"}


def test_every_sample_artist_gets_the_right_mbid_method_and_country(sample):
    expected = json.loads((SAMPLE / "expected_musicbrainz.json").read_text())
    con = sample["con"]
    rows = con.execute(
        """
        with artists as (
            select m.spotify_artist_id as key, m.artist_mbid, m.match_method, i.area_id, i.end_area_id,
                   i.begin_area_id
            from intermediate.int_musicbrainz__spotify_artists_matched as m
            left join main.mbz_artist_info as i using (artist_mbid)
            union all
            select artist_mbid, artist_mbid, match_method, area_id, end_area_id, begin_area_id
            from main.mbz_artist_info where spotify_artist_id is null
        )
        -- the artist's area, else its end area, else its begin area
        select a.key, a.artist_mbid, a.match_method, h.country_code, h.subdivision_code
        from artists as a
        left join main.mbz_area_hierarchy as h
            on h.area_id = coalesce(a.area_id, a.end_area_id, a.begin_area_id)
        """
    ).fetchall()
    got = {r[0]: {"artist_mbid": r[1], "match_method": r[2], "country_code": r[3], "subdivision_code": r[4]}
           for r in rows}  # fmt: skip
    want = {
        key: {k: e[k] for k in ("artist_mbid", "match_method", "country_code", "subdivision_code")}
        for key, e in expected.items()
    }
    assert got == want


def test_the_second_credit_wins_when_its_name_matches(sample):
    con = sample["con"]
    [(method, name)] = con.execute(
        """
        select m.match_method, i.name from intermediate.int_musicbrainz__spotify_artists_matched as m
        join main.mbz_artist_info as i using (artist_mbid)
        where m.artist_name = 'Angélique Kidjo'
        """
    ).fetchall()
    assert (method, name) == ("isrc", "Angélique Kidjo")


def test_hierarchy_cases_of_the_sample(sample):
    con = sample["con"]
    by_name = {
        r[0]: r[1:]
        for r in con.execute(
            """select area_name, area_type, county_name, subdivision_name, subdivision_code, state_code,
                      country_code, city_name from main.mbz_area_hierarchy"""
        ).fetchall()
    }
    assert by_name["Houston"][3:6] == ("US-TX", "TX", "US")
    assert by_name["Abingdon"][1:3] == ("Oxfordshire", "England") and by_name["Abingdon"][5] == "GB"
    assert by_name["Niger"][0] == "Country" and by_name["Niger"][5] == "NE"
    assert by_name["Berlin"][5] == "DE"  # the current parent, not the ended East Germany
    assert by_name["Vega Baja"][5] == "PR"


def test_every_sample_artist_with_an_area_has_continent_country_and_coordinates(sample):
    con = sample["con"]
    rows = con.execute(
        """select artist_name, area_type, continent, country_code, params, lat, long, coordinates_source
           from main.mbz_artist_location where location_area_id is not null"""
    ).fetchall()
    assert len(rows) == 37
    for name, area_type, continent, country, params, lat, long, source in rows:
        assert continent and country, name
        if params:  # every city: the gazetteer, or OpenWeather for the one it does not know
            assert lat is not None and long is not None, name
            assert source == ("openweather" if params == "Sant Esteve Sesrovires,ES" else "gazetteer"), name
        else:
            assert area_type == "Country", name
    continents = {r[2] for r in rows}
    assert continents == {"Africa", "Asia", "Europe", "North America", "Oceania", "South America"}


def test_geography_cases_of_the_sample(sample):
    con = sample["con"]
    by_artist = {
        r[0]: r[1:]
        for r in con.execute(
            """select artist_name, country_code, sovereign_country_code, continent, state_code, params, lat, long
               from main.mbz_artist_location"""
        ).fetchall()
    }
    assert by_artist["Bad Bunny"][:3] == ("PR", "US", "North America")  # a territory keeps its own code
    assert by_artist["Beyoncé"][3:5] == ("TX", "Houston,TX,US")
    assert by_artist["Mdou Moctar"][:1] == ("NE",) and by_artist["Mdou Moctar"][4] is None  # Niger, not Nigeria
    assert by_artist["Rosalía"][4] == "Sant Esteve Sesrovires,ES"
    lat, long = by_artist["Rosalía"][5:]
    assert (round(lat, 2), round(long, 2)) == (41.49, 1.87)  # the Spanish result, not the Andorran neighbour


# what a person queries (design.md, "Output tables"): schema main, tables only
CONTRACT_TABLES = {
    "spotify_artists", "spotify_albums", "spotify_artist_genre", "mbz_artist_info", "mbz_artist_genre",
    "mbz_area_hierarchy", "cities_with_lat_long", "mbz_artist_location",
}  # fmt: skip
STAR_SCHEMA = {
    "dim_artist", "dim_album", "dim_track", "dim_artist_genre", "dim_date", "dim_time", "fact_track_played",
    "fact_artist_genre",
}  # fmt: skip
REPORTS = {
    "report_track_plays", "report_artist_genre_plays", "report_listen_sources", "report_overview", "report_clock",
    # issue 15: the marts of the HTML report (docs/report.md)
    "report_top_items", "report_listening_by_period", "report_artist_first_last", "report_sessions",
    "report_streaks", "report_skips", "report_genres_by_hour", "report_origin_countries", "report_origin_continents",
    "report_origin_cities", "report_release_decades", "report_music_age", "report_year_in_review", "report_travel",
    "report_played_abroad",
}  # fmt: skip
SEEDS = {"countries", "country_aliases", "country_timezones", "us_states", "subdivision_parents", "mask_artists"}


def test_schemas_hold_what_they_should_and_main_opens_from_any_folder(sample, tmp_path: Path):
    found = relations_from(sample["data_dir"] / "music_tracker.duckdb", tmp_path)
    layout = {schema: {(name, kind) for name, (kind, _) in names.items()} for schema, names in found.items()}
    # main: the contract tables, the star schema and the reports, every one a table
    assert layout["main"] == {(name, "BASE TABLE") for name in CONTRACT_TABLES | STAR_SCHEMA | REPORTS}
    # staging and intermediate models (the star schema's helpers too) in schemas of their own
    assert {name for name, _ in layout["staging"]} == {
        "stg_gazetteer__cities", "stg_gazetteer__names", "stg_history__tracks_played", "stg_musicbrainz__areas",
        "stg_musicbrainz__artist_searches", "stg_musicbrainz__artists", "stg_musicbrainz__isrc_recordings",
        "stg_musicbrainz__spotify_urls", "stg_openweather__geocode", "stg_spotify__albums", "stg_spotify__artists",
        "stg_spotify__tracks", "stg_spotify__track_searches", "stg_spotify__artist_searches",
        "stg_spotify__album_tracks",
    }  # fmt: skip
    # the landed answers parsed once into tables; the history and the gazetteer stay views over their files
    views = {"stg_history__tracks_played", "stg_gazetteer__cities", "stg_gazetteer__names"}
    assert {name for name, kind in layout["staging"] if kind == "VIEW"} == views
    assert {kind for name, kind in layout["staging"] if name not in views} == {"BASE TABLE"}
    # the islands kept between builds exist once a build has added rows to a history already built
    kept_islands = {"listens_history_islands", "listens_history_islands_of"}
    assert {name for name, _ in layout["intermediate"]} - kept_islands == {
        "int_listens__rows_combined_into_listens", "int_listens__rows_deduplicated",
        "int_listens__rows_matched_to_listens", "int_musicbrainz__area_parents_ranked",
        "int_musicbrainz__artist_names_matched", "int_musicbrainz__artists_deduplicated",
        "int_musicbrainz__spotify_artists_matched", "int_openweather__city_candidates_ranked",
        "int_openweather__geocode_queries_parsed", "int_spotify__track_search_keys",
        "int_spotify__track_searches_matched", "int_spotify__artist_searches_matched", "int_spotify__tracks",
        "int_artist_genres_ranked", "int_artists_combined", "int_plays_resolved", "int_history__references",
        "int_listens__rows_windowed", "int_plays_lookups",
        # the incremental tables over the plays (models/intermediate/plays)
        "int_listening_sessions", "int_artist_runs", "int_listening_days", "int_plays_yearly",
        # the incremental listen models' bookkeeping (docs/incremental.md)
        "listens_history_changes", "listens_history_ranges", "listens_history_seen", "listens_incremental_log",
        "listens_incremental_state", "listens_lookups_applied", "listens_plays_recompute", "listens_history_files",
        # and int_history__references' counts per history file (macros/history_references_incremental.sql)
        "listens_history_references",
        # and report_track_plays' (macros/report_track_plays_incremental.sql)
        "listens_report_dims_seen", "listens_report_plays_recompute",
        # and the tables' over the plays (macros/plays_incremental.sql)
        "listens_fact_changes", "listens_fact_seen", "listens_recompute_int_listening_sessions",
        "listens_recompute_int_artist_runs", "listens_recompute_int_listening_days",
        "listens_recompute_int_plays_yearly",
    }  # fmt: skip
    assert all(name.startswith(("int_", "listens_")) for name, _ in layout["intermediate"])
    # the seeds beside the offline gazetteer; the views over the landed parquet
    assert layout["reference"] == {(name, "BASE TABLE") for name in SEEDS} | {
        ("gazetteer_cities", "VIEW"),
        ("gazetteer_names", "VIEW"),
    }
    assert {name for name, _ in layout["raw"]} == {
        "musicbrainz_areas", "musicbrainz_artist_search", "musicbrainz_artists", "musicbrainz_isrc", "musicbrainz_url",
        "openweather_geocode", "spotify_albums", "spotify_artists", "spotify_tracks", "tracks_played",
        "spotify_track_searches", "spotify_artist_searches", "spotify_album_tracks",
    }  # fmt: skip
    assert set(layout) == {"main", "staging", "intermediate", "reference", "raw"}
    # opened from another folder, every relation reads (tables hold their rows; views name their files in full)
    errors = {f"{schema}.{name}": rows for schema, names in found.items() for name, (_, rows) in names.items()
              if isinstance(rows, str)}  # fmt: skip
    assert errors == {}
    assert (
        found["main"]["fact_track_played"][1]
        == sample["con"].execute("select count(*) from main.fact_track_played").fetchone()[0]
    )
    assert found["staging"]["stg_history__tracks_played"][1] == 417  # the sample's rows


def test_the_readme_queries_answer_on_the_sample(sample):
    """Each ```sql block of the README runs as written and answers its question with rows that make sense."""
    import re

    blocks = re.findall(r"```sql\n(.*?)```", (REPO / "README.md").read_text(), re.S)
    assert len(blocks) == 3, "the README answers its three questions with one query each"
    where, genres, night = (sample["con"].execute(sql).fetchall() for sql in blocks)
    con = sample["con"]
    plays = con.execute("select count(*) from fact_track_played where counts_as_play").fetchone()[0]
    assert sum(row[2] for row in where) == plays  # every play is somewhere (a null country included)
    assert {row[0] for row in where} == {"Africa", "Asia", "Europe", "North America", "Oceania", "South America", None}
    assert genres and genres[0][1] == max(row[1] for row in genres) and genres[0][0] is not None
    (at_night,) = con.execute(
        "select count(*) from fact_track_played join dim_time using (time_key) where counts_as_play and hour < 6"
    ).fetchone()
    assert at_night == 37
    # the 20 most played at night, most first: every play of them at night, of the 37
    assert [row[2] for row in night] == [3, 2, 2, 2, 2] + [1] * 15
    assert night[0][:2] == ("Tame Impala", "Elephant")
