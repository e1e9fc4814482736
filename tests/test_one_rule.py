"""One rule, one place (issue 13, item 1): the extractors and dbt decide alike, on the same landed data.

The world holds every case on which the two copies of the rules used to drift:
  - 'Die Straße' and 'DIE STRASSE', known only by name: one artist (Python's casefold said 'ss', SQL's lower
    kept 'ß'), searched once under 'name:die strasse';
  - accents and case: Spotify says 'Beyoncé', the play 'Beyonce', MusicBrainz credits ' BEYONCÉ ';
  - equal evidence: a Spotify URL linked to two artists of the same name (MusicBrainz's order decides, not
    the smaller MBID), two ISRCs crediting one namesake each (the smaller MBID), and a name search with two
    results of the same name and score (MusicBrainz's order);
  - a history row with only a track URI (no track_id, no artist_id): its landed track gives the artist;
  - an upper-cased MBID in the history;
  - an area with two Subdivision parents, only one of them landed (the landed one is walked), and an area whose
    only parent is not landed (its relation still gives the country).
The extractor's side is what it asks DuckDB in memory (extractors/rules.py over the landed parquet); dbt's
side is the warehouse `dbt build` writes. Both must hold the same rows, and the expected ones.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractors import rules
from extractors.catalog import Catalog
from extractors.config import load_settings
from extractors.sources.musicbrainz import extract as musicbrainz
from extractors.sources.openweather import extract as geo
from tests.test_dbt_models import assert_ok, query, run_dbt, write_landed, write_parquet
from tests.test_dbt_musicbrainz import (
    artist_lookup,
    artist_search_item,
    credit,
    embedded,
    lookup_area,
    part_of,
    recording,
    search_answer,
    spotify_artist,
    write_mbz,
)

FETCHED = "2026-11-24 09:00:00+00"


def mbid(n: int) -> str:
    return f"00000000-0000-4000-8000-{n:012x}"


SP_BEY = "6vWDO969PvNqNYHIOW5v0m"
SP_URL_TIE = "1xUrlTieSpotifyId00001"
SP_ISRC_TIE = "1xIsrcTieSpotifyId0001"
SP_URI = "1xUriOnlySpotifyId0001"
SP_HIST = "1xHistorySpotifyId0001"
TRACK_URI_ONLY = "0123456789abcdefABCDEF"
TRACK_BEY = "1BeyTrackIdxxxxxxxxxxx"

ISRC_BEY = "USSM10603618"
ISRC_TIE_A = "GBAAA0000001"
ISRC_TIE_B = "GBAAA0000002"
ISRC_URI = "GBAAA0000003"

MB_BEY = mbid(0xB1)
MB_URL_FIRST = mbid(0x2F)  # listed first by MusicBrainz, the larger MBID
MB_URL_SECOND = mbid(0x21)
MB_ISRC_A = mbid(0x3A)
MB_ISRC_B = mbid(0x3B)
MB_URI = mbid(0x41)
MB_HIST = mbid(0xABC)
MB_STRASSE_FIRST = mbid(0x5F)  # MusicBrainz's first result, the larger MBID
MB_STRASSE_SECOND = mbid(0x51)

AREA_US = "489ce91b-6658-3307-9877-795b68554c98"
AREA_CA = "ae0110b6-13d4-4998-9116-5b926287aa23"
AREA_NOT_LANDED_SUB = "00000000-aaaa-4000-8000-000000000001"  # sorts before AREA_CA
AREA_LONG_BEACH = "e183ffae-1d35-4c78-b552-957535e40af1"
AREA_BERGEN = "34268a86-54ec-487d-afa3-1afe3266a382"
AREA_VESTLAND = "f0a1b2c3-0000-4000-8000-000000000046"

HISTORY_SQL = f"""
select * from (values
    ('u', '{TRACK_BEY}', null, null, 'Irreplaceable', '{SP_BEY}', null, 'Beyonce', timestamp '2026-01-01 10:00:00'),
    ('u', 'trk_tie_url', null, null, 'Tie', '{SP_URL_TIE}', null, 'Twin Name', timestamp '2026-01-01 10:01:00'),
    ('u', 'trk_tie_a', null, '{ISRC_TIE_A}', 'A', '{SP_ISRC_TIE}', null, 'Isrc Twin', timestamp '2026-01-01 10:02:00'),
    ('u', 'trk_tie_b', null, '{ISRC_TIE_B}', 'B', '{SP_ISRC_TIE}', null, 'Isrc Twin', timestamp '2026-01-01 10:03:00'),
    -- only a track URI: no track_id, no artist_id, no ISRC
    ('u', null, 'spotify:track:{TRACK_URI_ONLY}', null, 'Via Uri', null, null, 'Uri Artist',
        timestamp '2026-01-01 10:04:00'),
    -- an upper-cased MBID
    ('u', 'trk_hist', null, null, 'Hist', '{SP_HIST}', '  {MB_HIST.upper()} ', 'Hist Artist',
        timestamp '2026-01-01 10:05:00'),
    -- known only by name, two spellings of one name
    ('u', null, null, null, 'S1', null, null, 'Die Straße', timestamp '2026-01-01 10:06:00'),
    ('u', null, null, null, 'S2', null, null, 'Die Straße', timestamp '2026-01-01 10:07:00'),
    ('u', null, null, null, 'S3', null, null, 'DIE  STRASSE', timestamp '2026-01-01 10:08:00')
) as t(user_id, track_id, track_uri, track_isrc, track_name, artist_id, artist_mbid, artist, played_at)
"""


def land_world(data_dir: Path) -> None:
    write_parquet(data_dir / "src" / "tracks_played" / "history.parquet", HISTORY_SQL)
    batch = "20261124T090000Z-0000-0000.parquet"
    write_landed(data_dir, "artists", batch, [(SP_BEY, 200, FETCHED, spotify_artist(SP_BEY, "Beyoncé"))])
    write_landed(
        data_dir,
        "tracks",
        batch,
        [
            (
                TRACK_BEY,
                200,
                FETCHED,
                {"id": TRACK_BEY, "artists": [{"id": SP_BEY}], "external_ids": {"isrc": ISRC_BEY}},
            ),
            (
                TRACK_URI_ONLY,
                200,
                FETCHED,
                {"id": TRACK_URI_ONLY, "artists": [{"id": SP_URI}], "external_ids": {"isrc": ISRC_URI}},
            ),
        ],
    )
    write_mbz(
        data_dir,
        "isrc",
        batch,
        [
            (
                ISRC_BEY,
                200,
                FETCHED,
                [recording("rec-bey", "Irreplaceable", [ISRC_BEY], [credit(" BEYONCÉ ", MB_BEY)])],
            ),
            (ISRC_TIE_A, 200, FETCHED, [recording("rec-a", "A", [ISRC_TIE_A], [credit("Isrc Twin", MB_ISRC_B)])]),
            (ISRC_TIE_B, 200, FETCHED, [recording("rec-b", "B", [ISRC_TIE_B], [credit("ISRC TWIN", MB_ISRC_A)])]),
            (ISRC_URI, 200, FETCHED, [recording("rec-uri", "Via Uri", [ISRC_URI], [credit("Uri Artist", MB_URI)])]),
        ],
    )
    url_relation = {"type": "free streaming", "target-type": "artist", "direction": "backward"}
    write_mbz(
        data_dir,
        "url",
        batch,
        [
            (
                SP_URL_TIE,
                200,
                FETCHED,
                {
                    "id": "url-tie",
                    "resource": f"https://open.spotify.com/artist/{SP_URL_TIE}",
                    "relations": [
                        {**url_relation, "artist": {"id": MB_URL_FIRST, "name": "Twin Name"}},
                        {**url_relation, "artist": {"id": MB_URL_SECOND, "name": "twin name"}},
                    ],
                },
            )
        ],
    )
    write_mbz(
        data_dir,
        "artist_search",
        batch,
        [
            (
                "name:die strasse",
                200,
                FETCHED,
                search_answer(
                    artist_search_item(MB_STRASSE_FIRST, "Die Strasse"),
                    artist_search_item(MB_STRASSE_SECOND, "die straße"),
                ),
            )
        ],
    )
    write_mbz(
        data_dir,
        "artists",
        batch,
        [
            (
                MB_BEY,
                200,
                FETCHED,
                artist_lookup(MB_BEY, "Beyoncé", area=embedded(AREA_LONG_BEACH, "Long Beach", None)),
            ),
            (MB_URI, 200, FETCHED, artist_lookup(MB_URI, "Uri Artist", area=embedded(AREA_BERGEN, "Bergen", None))),
        ],
    )
    us = embedded(AREA_US, "United States", "Country", **{"iso-3166-1-codes": ["US"]})
    ca = embedded(AREA_CA, "California", "Subdivision", **{"iso-3166-2-codes": ["US-CA"]})
    other = embedded(AREA_NOT_LANDED_SUB, "Elsewhere", "Subdivision", **{"iso-3166-2-codes": ["US-ZZ"]})
    vestland = embedded(AREA_VESTLAND, "Vestland", "Subdivision", **{"iso-3166-2-codes": ["NO-46"]})
    write_mbz(
        data_dir,
        "areas",
        batch,
        [
            (AREA_US, 200, FETCHED, lookup_area(AREA_US, "United States", "Country", **{"iso-3166-1-codes": ["US"]})),
            (
                AREA_CA,
                200,
                FETCHED,
                lookup_area(
                    AREA_CA, "California", "Subdivision", [part_of("backward", us)], **{"iso-3166-2-codes": ["US-CA"]}
                ),
            ),
            (
                AREA_LONG_BEACH,
                200,
                FETCHED,
                lookup_area(
                    AREA_LONG_BEACH, "Long Beach", "City", [part_of("backward", other), part_of("backward", ca)]
                ),
            ),
            (AREA_BERGEN, 200, FETCHED, lookup_area(AREA_BERGEN, "Bergen", "City", [part_of("backward", vestland)])),
        ],
    )


EXPECTED_SPOTIFY = {
    SP_BEY: (MB_BEY, "isrc"),
    SP_URL_TIE: (MB_URL_FIRST, "spotify_url"),
    SP_ISRC_TIE: (MB_ISRC_A, "isrc"),
    SP_URI: (MB_URI, "isrc"),
    SP_HIST: (MB_HIST, "history"),
}
EXPECTED_NAMES = {"name:die strasse": (MB_STRASSE_FIRST, "name_search")}
EXPECTED_PARAMS = {
    AREA_LONG_BEACH: "Long Beach,CA,US",
    AREA_BERGEN: "Bergen,NO",
    AREA_CA: None,
    AREA_US: None,
}

SPOTIFY_SQL = (
    "select spotify_artist_id, matched_mbid, match_method from {}int_musicbrainz__spotify_artists_matched order by 1"
)
NAMES_SQL = "select search_key, matched_mbid, match_method from {}int_musicbrainz__artist_names_matched order by 1"
PARAMS_SQL = "select area_id, params from {}mbz_area_hierarchy order by 1"


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    data_dir = tmp_path_factory.mktemp("one_rule")
    reference_dir = data_dir / "reference"  # no gazetteer: every city is OpenWeather's
    reference_dir.mkdir()
    land_world(data_dir)
    assert_ok(run_dbt(data_dir, "build", "--vars", json.dumps({"reference_dir": str(reference_dir)})))
    return data_dir, reference_dir


def extractor_catalog(data_dir: Path, reference_dir: Path) -> Catalog:
    catalog = Catalog(load_settings(env={"DATA_DIR": str(data_dir), "REFERENCE_DIR": str(reference_dir)}))
    catalog.require_history()
    musicbrainz.prepare_views(catalog)
    return catalog


def test_both_sides_choose_the_same_mbids_and_params(world: tuple[Path, Path]) -> None:
    data_dir, reference_dir = world
    db = data_dir / "music_tracker.duckdb"
    catalog = extractor_catalog(data_dir, reference_dir)
    try:
        for sql in (SPOTIFY_SQL, NAMES_SQL, PARAMS_SQL):
            extractor_rows = catalog.con.execute(sql.format("")).fetchall()
            schema = "main." if "hierarchy" in sql else "intermediate."
            assert extractor_rows == query(db, sql.format(schema)), sql
        spotify = {r[0]: (r[1], r[2]) for r in catalog.con.execute(SPOTIFY_SQL.format("")).fetchall()}
        names = {r[0]: (r[1], r[2]) for r in catalog.con.execute(NAMES_SQL.format("")).fetchall()}
        params = dict(catalog.con.execute(PARAMS_SQL.format("")).fetchall())
    finally:
        catalog.close()
    assert spotify == EXPECTED_SPOTIFY
    assert names == EXPECTED_NAMES
    assert params == EXPECTED_PARAMS


def test_what_the_extractors_ask_next_follows_the_same_rows(world: tuple[Path, Path]) -> None:
    data_dir, reference_dir = world
    db = data_dir / "music_tracker.duckdb"
    catalog = extractor_catalog(data_dir, reference_dir)
    try:
        # every artist is matched: no search is left to make, 'Die Straße' is not searched a second time
        assert musicbrainz.missing_keys(catalog, "artist_search", retry_not_found=True) == []
        assert musicbrainz.missing_keys(catalog, "isrc", retry_not_found=True) == []
        # the MBIDs the maps chose and the history's (lower-cased) are the artists to look up
        assert set(musicbrainz.missing_keys(catalog, "artists")) == {
            MB_URL_FIRST,
            MB_ISRC_A,
            MB_HIST,
            MB_STRASSE_FIRST,
        }
        # the landed parent is walked; the one not landed is not asked for (a current parent of a landed area
        # is: the hierarchy may need it later)
        assert musicbrainz.missing_keys(catalog, "areas") == sorted([AREA_NOT_LANDED_SUB, AREA_VESTLAND])
        geocode = geo.missing_keys(catalog, "geocode")
    finally:
        catalog.close()
    located = query(db, "select distinct params from main.mbz_artist_location where params is not null order by 1")
    assert geocode == [r[0] for r in located] == ["Bergen,NO", "Long Beach,CA,US"]


def test_one_normalisation_computed_by_duckdb() -> None:
    import duckdb

    con = duckdb.connect()
    try:
        names = ["Straße", "STRASSE", " Beyoncé ", "BEYONCE", "Die  Straße", None, "ẞ"]
        assert rules.normalized(con, names) == ["strasse", "strasse", "beyonce", "beyonce", "die strasse", None, "ss"]
        # a name search lands as found by the maps' own rule (macros/rules/name_search.sql)
        assert rules.search_accepts(con, "Die Straße", [(85, "Die Straße"), (100, "DIE  STRASSE")])
        assert not rules.search_accepts(con, "Die Straße", [(89, "Die Strasse"), (100, "Die Strassen")])
        assert not rules.search_accepts(con, "Die Straße", [(None, "Die Strasse")])
        # a batched answer's score is relative to the whole OR query: not compared; the name still is
        assert rules.search_accepts(con, "Die Straße", [(41, "DIE  STRASSE")], batched=True)
        assert rules.search_accepts(con, "Die Straße", [(None, "Die Strasse")], batched=True)
        assert not rules.search_accepts(con, "Die Straße", [(100, "Die Strassen")], batched=True)
        assert not rules.search_accepts(con, "Die Straße", [], batched=True)
    finally:
        con.close()
    # the extractors normalise no name in Python: the macro is the one definition
    for module in (musicbrainz, geo):
        source = Path(module.__file__ or "").read_text(encoding="utf-8")
        assert "casefold" not in source and "unicodedata" not in source


def test_the_rules_are_the_dbt_project_files() -> None:
    # the extractors execute the models dbt builds, and the macros both render, unchanged
    for name in rules.MODELS:
        assert rules.model_path(name).is_relative_to(rules.ROOT / "models")
    macros = set(rules.environment().globals)
    assert {
        "normalized_name",
        "place_name_key",
        "spotify_track_id",
        "artist_plays",
        "name_search_accepts",
        "location_area_id",
    } <= macros
