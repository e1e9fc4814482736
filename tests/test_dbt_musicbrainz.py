"""`dbt build` on landed MusicBrainz raw parquet (all five endpoints, both answer shapes of artists and areas).

The synthetic world:
  - Snoop Dogg: a play carries his MBID (history); his artist answers: an old search item, then a lookup.
  - Daft Punk and Pharrell Williams: one ISRC whose recording credits Daft Punk first and Pharrell second,
    played once as each artist (isrc; Pharrell's credit is the second one).
  - Beyoncé: a play with no artist_id whose landed Spotify track gives the artist and the ISRC; MusicBrainz
    credits "BEYONCE" (isrc, accent and case ignored).
  - Cold War Kids: MusicBrainz links its Spotify page (spotify_url) and a name search also finds it.
  - Tamara Mumford: only a name search at 100 (name_search); Low Score: a search at 85 (rejected); Not Found:
    a 404 search answer with a perfect result (ignored).
  - Burzum: a scrobble with an MBID and no Spotify id (an MBID-only artist); its answer is a search item.
  - A merged MBID: a scrobble carries the old id, the lookup answers the new one.
Areas: United States (lookup, Country), California (search item, target only), Los Angeles County (lookup),
Long Beach (lookup: County + Subdivision parents, an ended parent, a child), Bergen (search item under a
Subdivision that is not landed), a two-area cycle, and a 404.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from tests.test_dbt_models import assert_ok, column_types, query, run_dbt, write_landed, write_parquet

# MBIDs (shortened but unique; MusicBrainz never checks their form here)
MB_SNOOP = "f90e8b26-9e52-4669-a5c9-e28529c47894"
MB_DAFT = "056e4f3e-d505-4dad-8ec1-d04f521cbb56"
MB_PHARRELL = "149e6720-4e4a-41a4-afca-6d29083fc091"
MB_BEY = "859d0860-d480-4efd-970c-c05d5f1776b8"
MB_CWK = "e9f5d8e0-0000-4000-8000-00000000c0c0"
MB_CWK_SEARCH = "e9f5d8e0-0000-4000-8000-0000000bad00"
MB_MUMFORD = "a1b2c3d4-0000-4000-8000-00000000a0a0"
MB_LOW = "a1b2c3d4-0000-4000-8000-000000000085"
MB_BURZUM = "49cd96a6-42c3-44f6-ba2a-cd9301046b96"
MB_MERGED_OLD = "00000000-0000-4000-8000-0000000001d0"
MB_MERGED_NEW = "00000000-0000-4000-8000-0000000001e0"

SP_SNOOP = "7hJcb9fa4alzcOq3EaNPoG"
SP_DAFT = "4tZwfgrHOc3mvqYlEYSvVi"
SP_PHARRELL = "2RdwBSPQiwcmiDo9kixcl8"
SP_BEY = "6vWDO969PvNqNYHIOW5v0m"
SP_CWK = "6VDdCwrBM4qQaGxoAyxyJC"
SP_MUMFORD = "1xMumfordSpotifyId0001"
SP_LOW = "1xLowScoreSpotifyId001"
SP_404 = "1xNotFoundSpotifyId001"

ISRC_GET_LUCKY = "USQX91300108"
ISRC_BEY = "USSM10603618"

AREA_US = "489ce91b-6658-3307-9877-795b68554c98"
AREA_CA = "ae0110b6-13d4-4998-9116-5b926287aa23"
AREA_LA_COUNTY = "bc4a2d2d-0000-4000-8000-00000000c0un"
AREA_LONG_BEACH = "e183ffae-1d35-4c78-b552-957535e40af1"
AREA_OLD_PARENT = "01d00000-0000-4000-8000-0000000001d0"
AREA_CHILD = "c41d0000-0000-4000-8000-00000000c41d"
AREA_BERGEN = "34268a86-54ec-487d-afa3-1afe3266a382"
AREA_VESTLAND = "f0a1b2c3-0000-4000-8000-00000000ve57"
AREA_LIMOUSIS = "6943f80d-1bd7-4495-8d05-5dc8da1fa6b2"
AREA_CYCLE_A = "cccc0000-0000-4000-8000-00000000000a"
AREA_CYCLE_B = "cccc0000-0000-4000-8000-00000000000b"
AREA_404 = "dead0000-0000-4000-8000-000000000404"

PART_OF = "de7cc874-8b1b-3a05-8272-f3834c968fb7"
FETCHED = "2026-11-24 09:00:00+00"


# ---------------------------------------------------------------------------------------------- helpers


def write_mbz(data_dir: Path, endpoint: str, name: str, rows: list[tuple]) -> Path:
    """One landed MusicBrainz batch: rows of (key, status, fetched_at ISO string, body or None)."""
    directory = data_dir / "raw" / "musicbrainz" / endpoint
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    con = duckdb.connect()
    try:
        con.execute("create table batch (key varchar, status smallint, fetched_at timestamptz, body varchar)")
        con.executemany(
            "insert into batch values (?, ?, ?::timestamptz, ?)",
            [(k, s, f, None if b is None else json.dumps(b)) for k, s, f, b in rows],
        )
        con.execute(
            f"copy (select key, status, fetched_at, body::json as body from batch) to '{path}' (format parquet)"
        )
    finally:
        con.close()
    return path


def credit(name: str, mbid: str, artist_name: str | None = None, joinphrase: str = "") -> dict:
    return {
        "name": name,
        "joinphrase": joinphrase,
        "artist": {"id": mbid, "name": artist_name or name, "sort-name": artist_name or name, "disambiguation": ""},
    }


def recording(rec_id: str, title: str, isrcs: list[str], credits: list[dict]) -> dict:
    return {"id": rec_id, "score": 100, "title": title, "length": 248000, "artist-credit": credits, "isrcs": isrcs}


def lookup_area(area_id: str, name: str, area_type: str, relations: list[dict] | None = None, **codes) -> dict:
    body = {
        "id": area_id,
        "name": name,
        "sort-name": name,
        "disambiguation": "",
        "type": area_type,
        "type-id": "6fd8f29a-3d0a-32fc-980d-ea697b69da78",
        "life-span": {"begin": None, "end": None, "ended": False},
        "relations": relations or [],
    }
    body.update(codes)
    return body


def part_of(direction: str, area: dict, *, ended: bool = False) -> dict:
    """A flat lookup relation: backward = the parent, forward = a child."""
    return {
        "type": "part of",
        "type-id": PART_OF,
        "direction": direction,
        "target-type": "area",
        "begin": None,
        "end": "1990" if ended else None,
        "ended": ended,
        "attributes": [],
        "area": area,
    }


def embedded(area_id: str, name: str, area_type: str | None, **codes) -> dict:
    return {"id": area_id, "name": name, "sort-name": name, "type": area_type, **codes}


SNOOP_LOOKUP = {
    "id": MB_SNOOP,
    "name": "Snoop Dogg",
    "sort-name": "Snoop Dogg",
    "type": "Person",
    "gender": "Male",
    "country": "US",
    "disambiguation": "US rapper",
    "area": {
        "id": AREA_US,
        "name": "United States",
        "sort-name": "United States",
        "type": None,
        "iso-3166-1-codes": ["US"],
    },
    "begin-area": {"id": AREA_LONG_BEACH, "name": "Long Beach", "sort-name": "Long Beach", "type": None},
    "begin_area": {"id": AREA_LONG_BEACH, "name": "Long Beach", "sort-name": "Long Beach", "type": None},
    "end-area": None,
    "end_area": None,
    "life-span": {"begin": "1971-10-20", "end": None, "ended": False},
    "genres": [
        {"id": "g1", "name": "hip hop", "disambiguation": "", "count": 13},
        {"id": "g2", "name": "gangsta rap", "disambiguation": "", "count": 7},
        {"id": "g3", "name": "g-funk", "disambiguation": "", "count": 5},
        {"id": "g4", "name": "reggae", "disambiguation": "", "count": -1},
    ],
    "tags": [{"count": 4, "name": "Hip Hop"}, {"count": 0, "name": "pop"}, {"count": 2, "name": "west coast"}],
    "aliases": [
        {"name": "Snoop Lion", "sort-name": "Snoop Lion", "type": "Artist name", "locale": None, "primary": None}
    ],
}

SNOOP_SEARCH_OLD = {  # an older search item for the same MBID: the later lookup wins
    "id": MB_SNOOP,
    "score": 100,
    "name": "Snoop Doggy Dogg",
    "sort-name": "Snoop Doggy Dogg",
    "type": "Person",
    "life-span": {"ended": None},
    "tags": [{"count": 99, "name": "old tag"}],
}

BURZUM_SEARCH = {  # a search item: score, tags, typed areas, no genres
    "id": MB_BURZUM,
    "type": "Group",
    "score": 100,
    "name": "Burzum",
    "sort-name": "Burzum",
    "area": {
        "id": AREA_LIMOUSIS,
        "type": "City",
        "name": "Limousis",
        "sort-name": "Limousis",
        "life-span": {"ended": None},
    },
    "begin-area": {
        "id": AREA_BERGEN,
        "type": "City",
        "name": "Bergen",
        "sort-name": "Bergen",
        "life-span": {"ended": None},
    },
    "disambiguation": "Norwegian black metal",
    "life-span": {"begin": "1987", "end": "2018-06-01", "ended": True},
    "tags": [
        {"count": 15, "name": "black metal"},
        {"count": 8, "name": "dungeon synth"},
        {"count": -2, "name": "ambient"},
    ],
}


def artist_lookup(mbid: str, name: str, **extra) -> dict:
    body = {
        "id": mbid,
        "name": name,
        "sort-name": name,
        "type": "Person",
        "disambiguation": "",
        "area": None,
        "begin-area": None,
        "begin_area": None,
        "end-area": None,
        "end_area": None,
        "life-span": {"begin": None, "end": None, "ended": False},
        "genres": [],
        "tags": [],
        "aliases": [],
    }
    body.update(extra)
    return body


def artist_search_item(mbid: str, name: str, score: int = 100, **extra) -> dict:
    body = {"id": mbid, "type": "Person", "score": score, "name": name, "sort-name": name, "life-span": {"ended": None}}
    body.update(extra)
    return body


def search_answer(*artists: dict) -> dict:
    return {"created": "2026-11-24T09:00:00.000Z", "count": len(artists), "offset": 0, "artists": list(artists)}


def spotify_artist(artist_id: str, name: str) -> dict:
    return {"id": artist_id, "name": name, "genres": [], "uri": f"spotify:artist:{artist_id}", "type": "artist"}


HISTORY_SQL = f"""
select * from (values
    ('u1', 'trk_snoop', null, 'Drop It Like It''s Hot', '{SP_SNOOP}', '{MB_SNOOP}', 'Snoop Dogg',
        timestamp '2026-01-01 10:00:00'),
    ('u1', 'trk_snoop2', null, 'Gin and Juice', '{SP_SNOOP}', null, 'Snoop Dogg', timestamp '2026-01-01 10:05:00'),
    ('u1', 'trk_lucky', '{ISRC_GET_LUCKY}', 'Get Lucky', '{SP_DAFT}', null, 'Daft Punk',
        timestamp '2026-01-01 11:00:00'),
    -- the same play loaded twice (two rows: it weighs two plays in the artist map)
    ('u1', 'trk_lucky', '{ISRC_GET_LUCKY}', 'Get Lucky', '{SP_DAFT}', null, 'Daft Punk',
        timestamp '2026-01-01 11:00:00'),
    ('u1', 'trk_lucky2', '{ISRC_GET_LUCKY}', 'Get Lucky (Radio Edit)', '{SP_PHARRELL}', null, 'Pharrell Williams',
        timestamp '2026-01-01 11:10:00'),
    ('u1', 'trk_bey', null, 'Irreplaceable', null, null, 'Beyonce', timestamp '2026-01-01 12:00:00'),
    ('u1', 'trk_cwk', null, 'Hang Me Up to Dry', '{SP_CWK}', null, 'Cold War Kids', timestamp '2026-01-01 13:00:00'),
    ('u1', 'trk_mum', null, 'Aria', '{SP_MUMFORD}', null, 'Tamara Mumford', timestamp '2026-01-01 14:00:00'),
    ('u1', 'trk_low', null, 'Low', '{SP_LOW}', null, 'Low Score', timestamp '2026-01-01 15:00:00'),
    ('u1', 'trk_404', null, 'Nope', '{SP_404}', null, 'Not Found', timestamp '2026-01-01 16:00:00'),
    ('u2', null, null, 'Dunkelheit', null, '{MB_BURZUM}', 'Burzum', timestamp '2025-05-01 00:00:00'),
    ('u2', null, null, 'Merged Song', null, '{MB_MERGED_OLD}', 'Merged Artist', timestamp '2025-05-02 00:00:00')
) as t(user_id, track_id, track_isrc, track_name, artist_id, artist_mbid, artist, played_at)
"""


@pytest.fixture(scope="module")
def mbz_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("dbt_mbz")
    write_parquet(data_dir / "src" / "tracks_played" / "history.parquet", HISTORY_SQL)

    # Spotify: names of two artists, the track that gives Beyoncé's play its artist and ISRC
    write_landed(
        data_dir,
        "artists",
        "20261124T090000Z-0000-0000.parquet",
        [
            (SP_BEY, 200, FETCHED, spotify_artist(SP_BEY, "Beyoncé")),
            (SP_CWK, 200, FETCHED, spotify_artist(SP_CWK, "Cold War Kids")),
            (SP_SNOOP, 200, FETCHED, spotify_artist(SP_SNOOP, "Snoop Dogg")),
        ],
    )
    write_landed(
        data_dir,
        "tracks",
        "20261124T090000Z-0000-0000.parquet",
        [
            (
                "trk_bey",
                200,
                FETCHED,
                {
                    "id": "trk_bey",
                    "name": "Irreplaceable",
                    "album": {"id": "alb_bey"},
                    "artists": [{"id": SP_BEY, "name": "Beyoncé"}],
                    "external_ids": {"isrc": ISRC_BEY},
                },
            )
        ],
    )

    write_mbz(
        data_dir,
        "isrc",
        "20261124T090000Z-0000-0000.parquet",
        [
            (
                ISRC_GET_LUCKY,
                200,
                FETCHED,
                [
                    recording(
                        "rec-lucky",
                        "Get Lucky",
                        [ISRC_GET_LUCKY],
                        [
                            credit("Daft Punk", MB_DAFT, joinphrase=" feat. "),
                            credit("Pharrell Williams", MB_PHARRELL),
                        ],
                    ),
                    # another ISRC of the same batched answer: not this key's recording
                    recording("rec-other", "Other", ["XXX000000001"], [credit("Daft Punk", "mbid-wrong")]),
                ],
            ),
            (
                ISRC_BEY,
                200,
                FETCHED,
                [recording("rec-bey", "Irreplaceable", [ISRC_BEY], [credit("BEYONCE", MB_BEY, "Beyonce")])],
            ),
            ("NOTFOUND0001", 404, FETCHED, None),
        ],
    )

    write_mbz(
        data_dir,
        "url",
        "20261124T090000Z-0000-0000.parquet",
        [
            (
                SP_CWK,
                200,
                FETCHED,
                {
                    "id": "url-cwk",
                    "resource": f"https://open.spotify.com/artist/{SP_CWK}",
                    "relations": [
                        {
                            "type": "free streaming",
                            "direction": "backward",
                            "target-type": "artist",
                            "artist": {"id": MB_CWK, "name": "Cold War Kids", "sort-name": "Cold War Kids"},
                        }
                    ],
                },
            ),
            (SP_MUMFORD, 404, FETCHED, {"error": "Not Found"}),
        ],
    )

    write_mbz(
        data_dir,
        "artist_search",
        "20261124T090000Z-0000-0000.parquet",
        [
            (SP_CWK, 200, FETCHED, search_answer(artist_search_item(MB_CWK_SEARCH, "Cold War Kids", 100))),
            (
                SP_MUMFORD,
                200,
                FETCHED,
                search_answer(
                    artist_search_item("mbid-mumford-and-sons", "Mumford & Sons", 92),
                    artist_search_item(MB_MUMFORD, "Tamara Mumford", 100, country="US"),
                ),
            ),
            (SP_LOW, 200, FETCHED, search_answer(artist_search_item(MB_LOW, "Low Score", 85))),
            (SP_404, 404, FETCHED, search_answer(artist_search_item("mbid-404", "Not Found", 100))),
        ],
    )

    write_mbz(
        data_dir,
        "artists",
        "20261124T090000Z-0000-0000.parquet",
        [
            (MB_SNOOP, 200, "2026-01-01 00:00:00+00", SNOOP_SEARCH_OLD),
            (MB_BURZUM, 200, FETCHED, BURZUM_SEARCH),
            (
                MB_PHARRELL,
                200,
                FETCHED,
                artist_search_item(MB_PHARRELL, "Pharrell Williams", 100, tags=[{"count": 3, "name": "neo soul"}]),
            ),
            (MB_MUMFORD, 200, FETCHED, artist_search_item(MB_MUMFORD, "Tamara Mumford", 100, country="US")),
            ("00000000-0000-4000-8000-000000000404", 404, FETCHED, {"error": "Not Found"}),
        ],
    )
    write_mbz(
        data_dir,
        "artists",
        "20261124T100000Z-0000-0000.parquet",
        [
            (MB_SNOOP, 200, FETCHED, SNOOP_LOOKUP),
            (
                MB_DAFT,
                200,
                FETCHED,
                artist_lookup(
                    MB_DAFT,
                    "Daft Punk",
                    type="Group",
                    genres=[{"id": "h", "name": "house", "count": 9}, {"id": "f", "name": "french house", "count": 6}],
                    tags=[{"count": 5, "name": "house"}, {"count": 0, "name": "robots"}],
                    **{"life-span": {"begin": "1993", "end": "2021-02-22", "ended": True}},
                ),
            ),
            (MB_BEY, 200, FETCHED, artist_lookup(MB_BEY, "Beyoncé", gender="Female")),
            (MB_CWK, 200, FETCHED, artist_lookup(MB_CWK, "Cold War Kids", type="Group")),
            (MB_MERGED_OLD, 200, FETCHED, artist_lookup(MB_MERGED_NEW, "Merged Artist")),
        ],
    )

    ca = embedded(AREA_CA, "California", "Subdivision", **{"iso-3166-2-codes": ["US-CA"]})
    la_county = embedded(AREA_LA_COUNTY, "Los Angeles County", "County")
    write_mbz(
        data_dir,
        "areas",
        "20261124T090000Z-0000-0000.parquet",
        [
            (
                AREA_US,
                200,
                FETCHED,
                lookup_area(
                    AREA_US, "United States", "Country", [part_of("forward", ca)], **{"iso-3166-1-codes": ["US"]}
                ),
            ),
            (
                AREA_CA,
                200,
                FETCHED,
                {  # a search item: relation-list, scalar target, no target-type, no embedded area
                    "id": AREA_CA,
                    "type": "Subdivision",
                    "score": 100,
                    "name": "California",
                    "sort-name": "California",
                    "iso-3166-2-codes": ["US-CA"],
                    "life-span": {"ended": None},
                    "relation-list": [
                        {
                            "relations": [
                                {"type": "part of", "type-id": PART_OF, "direction": "backward", "target": AREA_US}
                            ]
                        }
                    ],
                },
            ),
            (
                AREA_LA_COUNTY,
                200,
                FETCHED,
                lookup_area(AREA_LA_COUNTY, "Los Angeles County", "County", [part_of("backward", ca)]),
            ),
            (
                AREA_LONG_BEACH,
                200,
                FETCHED,
                lookup_area(
                    AREA_LONG_BEACH,
                    "Long Beach",
                    "City",
                    [
                        part_of("backward", embedded(AREA_OLD_PARENT, "Old Parent", "Subdivision"), ended=True),
                        part_of("backward", la_county),
                        part_of("backward", ca),
                        part_of("forward", embedded(AREA_CHILD, "Naples", "District")),
                    ],
                ),
            ),
            (
                AREA_BERGEN,
                200,
                FETCHED,
                {
                    "id": AREA_BERGEN,
                    "type": "City",
                    "score": 100,
                    "name": "Bergen",
                    "sort-name": "Bergen",
                    "life-span": {"ended": None},
                    "relation-list": [
                        {
                            "relations": [
                                {
                                    "type": "part of",
                                    "direction": "backward",
                                    "target": AREA_VESTLAND,
                                    "area": embedded(
                                        AREA_VESTLAND, "Vestland", "Subdivision", **{"iso-3166-2-codes": ["NO-46"]}
                                    ),
                                }
                            ]
                        }
                    ],
                },
            ),
            (
                AREA_CYCLE_A,
                200,
                FETCHED,
                lookup_area(
                    AREA_CYCLE_A, "Cycle A", "City", [part_of("backward", embedded(AREA_CYCLE_B, "Cycle B", None))]
                ),
            ),
            (
                AREA_CYCLE_B,
                200,
                FETCHED,
                lookup_area(
                    AREA_CYCLE_B, "Cycle B", "District", [part_of("backward", embedded(AREA_CYCLE_A, "Cycle A", None))]
                ),
            ),
            (AREA_404, 404, FETCHED, {"error": "Not Found"}),
        ],
    )

    result = run_dbt(data_dir)
    assert_ok(result)
    return data_dir / "music_tracker.duckdb"


# ---------------------------------------------------------------------------------------------- tests


def test_artist_map_mbid_and_method(mbz_warehouse: Path) -> None:
    rows = {
        r[0]: r[1:]
        for r in query(
            mbz_warehouse,
            "select spotify_artist_id, artist_name, artist_mbid, match_method, play_count "
            "from intermediate.int_musicbrainz__spotify_artists_matched",
        )
    }
    assert rows == {
        SP_SNOOP: ("Snoop Dogg", MB_SNOOP, "history", 2),
        SP_DAFT: ("Daft Punk", MB_DAFT, "isrc", 2),  # a row loaded twice weighs two (the rules count rows)
        SP_PHARRELL: ("Pharrell Williams", MB_PHARRELL, "isrc", 1),  # the second credit
        SP_BEY: ("Beyoncé", MB_BEY, "isrc", 1),  # artist and ISRC from the Spotify track; BEYONCE matches
        SP_CWK: ("Cold War Kids", MB_CWK, "spotify_url", 1),  # beats the name search
        SP_MUMFORD: ("Tamara Mumford", MB_MUMFORD, "name_search", 1),
        SP_LOW: ("Low Score", None, None, 1),  # score 85
        SP_404: ("Not Found", None, None, 1),  # a 404 search answer is not read
    }


def test_spotify_artists_artist_mbid(mbz_warehouse: Path) -> None:
    assert dict(query(mbz_warehouse, "select artist_id, artist_mbid from spotify_artists")) == {
        SP_BEY: MB_BEY,
        SP_CWK: MB_CWK,
        SP_SNOOP: MB_SNOOP,
    }


def test_mbz_artist_info(mbz_warehouse: Path) -> None:
    rows = {
        r[0]: r[1:]
        for r in query(
            mbz_warehouse,
            "select artist_mbid, spotify_artist_id, name, match_method from mbz_artist_info",
        )
    }
    assert rows == {
        MB_SNOOP: (SP_SNOOP, "Snoop Dogg", "history"),  # the lookup, not the older search item
        MB_DAFT: (SP_DAFT, "Daft Punk", "isrc"),
        MB_PHARRELL: (SP_PHARRELL, "Pharrell Williams", "isrc"),
        MB_BEY: (SP_BEY, "Beyoncé", "isrc"),
        MB_CWK: (SP_CWK, "Cold War Kids", "spotify_url"),
        MB_MUMFORD: (SP_MUMFORD, "Tamara Mumford", "name_search"),
        MB_BURZUM: (None, "Burzum", "history"),  # MBID-only (a scrobble)
        MB_MERGED_NEW: (None, "Merged Artist", "history"),  # the scrobble's old MBID, answered as the new one
    }
    snoop = query(
        mbz_warehouse,
        "select sort_name, type, gender, country, disambiguation, area_id, area_name, begin_area_id, "
        "begin_area_name, end_area_id, life_span_begin, life_span_end, life_span_ended "
        "from mbz_artist_info where artist_mbid = ?",
        [MB_SNOOP],
    )
    assert snoop == [
        (
            "Snoop Dogg",
            "Person",
            "Male",
            "US",
            "US rapper",
            AREA_US,
            "United States",
            AREA_LONG_BEACH,
            "Long Beach",
            None,
            "1971-10-20",
            None,
            False,
        )
    ]
    burzum = query(
        mbz_warehouse,
        "select type, area_name, begin_area_id, begin_area_name, life_span_begin, life_span_end, life_span_ended, "
        "disambiguation from mbz_artist_info where artist_mbid = ?",
        [MB_BURZUM],
    )
    assert burzum == [("Group", "Limousis", AREA_BERGEN, "Bergen", "1987", "2018-06-01", True, "Norwegian black metal")]
    # the search item without `ended`: not ended, no empty disambiguation
    assert query(
        mbz_warehouse, "select country, life_span_ended from mbz_artist_info where artist_mbid = ?", [MB_MUMFORD]
    ) == [("US", False)]
    assert query(mbz_warehouse, "select disambiguation from mbz_artist_info where artist_mbid = ?", [MB_CWK]) == [
        (None,)
    ]
    assert column_types(mbz_warehouse, "mbz_artist_info")["life_span_ended"] == "BOOLEAN"


def test_requested_mbid_mapping_and_shapes(mbz_warehouse: Path) -> None:
    rows = query(
        mbz_warehouse,
        "select requested_mbid, artist_mbid, answer_shape from staging.stg_musicbrainz__artists "
        "order by requested_mbid",
    )
    shapes = {r[0]: (r[1], r[2]) for r in rows}
    assert shapes[MB_MERGED_OLD] == (MB_MERGED_NEW, "lookup")
    assert shapes[MB_SNOOP] == (MB_SNOOP, "lookup")  # the latest answer
    assert shapes[MB_BURZUM] == (MB_BURZUM, "search")
    assert len(rows) == 8  # the 404 is absent


def test_mbz_artist_genre(mbz_warehouse: Path) -> None:
    rows = query(
        mbz_warehouse,
        "select artist_mbid, genre, source, count, spotify_artist_id, artist_name from mbz_artist_genre "
        "order by artist_mbid, source, genre",
    )
    by_artist: dict[str, set] = {}
    for mbid, genre, source, count, *_ in rows:
        by_artist.setdefault(mbid, set()).add((genre, source, count))
        assert count > 0
    assert by_artist[MB_SNOOP] == {
        ("hip hop", "genre", 13),
        ("gangsta rap", "genre", 7),
        ("g-funk", "genre", 5),
        ("hip hop", "tag", 4),  # tags lowercased
        ("west coast", "tag", 2),
    }  # reggae (-1) and pop (0) dropped; the old search item's tag is not used
    assert by_artist[MB_DAFT] == {("house", "genre", 9), ("french house", "genre", 6), ("house", "tag", 5)}
    assert by_artist[MB_BURZUM] == {("black metal", "tag", 15), ("dungeon synth", "tag", 8)}
    assert by_artist[MB_PHARRELL] == {("neo soul", "tag", 3)}
    assert MB_BEY not in by_artist
    assert {(r[0], r[4], r[5]) for r in rows if r[0] == MB_SNOOP} == {(MB_SNOOP, SP_SNOOP, "Snoop Dogg")}
    assert {(r[4], r[5]) for r in rows if r[0] == MB_BURZUM} == {(None, "Burzum")}


HIERARCHY_COLUMNS = (
    "area_type, city_name, county_name, district_name, subdivision_id, subdivision_name, country_id, country_name, "
    "subdivision_code, state_code, country_code"
)


def hierarchy(db: Path, area_id: str) -> tuple:
    rows = query(db, f"select {HIERARCHY_COLUMNS} from mbz_area_hierarchy where area_id = ?", [area_id])
    assert len(rows) == 1, area_id
    return rows[0]


def test_area_hierarchy_city_with_county_and_subdivision(mbz_warehouse: Path) -> None:
    # Long Beach: County and Subdivision parents (and an ended one); California only says `target` (search)
    assert hierarchy(mbz_warehouse, AREA_LONG_BEACH) == (
        "City",
        "Long Beach",
        "Los Angeles County",
        None,
        AREA_CA,
        "California",
        AREA_US,
        "United States",
        "US-CA",
        "CA",
        "US",
    )
    assert hierarchy(mbz_warehouse, AREA_LA_COUNTY) == (
        "County",
        None,
        "Los Angeles County",
        None,
        AREA_CA,
        "California",
        AREA_US,
        "United States",
        "US-CA",
        "CA",
        "US",
    )
    assert hierarchy(mbz_warehouse, AREA_CA) == (
        "Subdivision",
        None,
        None,
        None,
        AREA_CA,
        "California",
        AREA_US,
        "United States",
        "US-CA",
        "CA",
        "US",
    )


def test_area_hierarchy_country_itself(mbz_warehouse: Path) -> None:
    assert hierarchy(mbz_warehouse, AREA_US) == (
        "Country",
        None,
        None,
        None,
        None,
        None,
        AREA_US,
        "United States",
        None,
        None,
        "US",
    )


def test_area_hierarchy_subdivision_code_without_country(mbz_warehouse: Path) -> None:
    # Bergen (search item) under Vestland, which did not land: the country code comes from NO-46
    assert hierarchy(mbz_warehouse, AREA_BERGEN) == (
        "City",
        "Bergen",
        None,
        None,
        AREA_VESTLAND,
        "Vestland",
        None,
        None,
        "NO-46",
        "46",
        "NO",
    )


def test_area_hierarchy_cycle_terminates(mbz_warehouse: Path) -> None:
    assert hierarchy(mbz_warehouse, AREA_CYCLE_A) == (
        "City",
        "Cycle A",
        None,
        "Cycle B",
        None,
        None,
        None,
        None,
        None,
        None,
        None,
    )
    assert hierarchy(mbz_warehouse, AREA_CYCLE_B) == (
        "District",
        "Cycle A",
        None,
        "Cycle B",
        None,
        None,
        None,
        None,
        None,
        None,
        None,
    )


def test_area_parents_both_shapes(mbz_warehouse: Path) -> None:
    rows = query(
        mbz_warehouse,
        "select parent_id, parent_type, relation_ended, parent_rank "
        "from intermediate.int_musicbrainz__area_parents_ranked where area_id = ? order by parent_rank",
        [AREA_LONG_BEACH],
    )
    # the child (forward) is not a parent; the ended parent comes last
    assert rows == [
        (AREA_CA, "Subdivision", False, 1),
        (AREA_LA_COUNTY, "County", False, 2),
        (AREA_OLD_PARENT, "Subdivision", True, 3),
    ]
    assert query(
        mbz_warehouse,
        "select parent_id, parent_type from intermediate.int_musicbrainz__area_parents_ranked where area_id = ?",
        [AREA_CA],
    ) == [(AREA_US, "Country")]  # search shape: type from the landed United States
    assert query(mbz_warehouse, "select count(*) from mbz_area_hierarchy") == [(7,)]  # the 404 is absent


def test_isrc_recordings_keep_only_the_isrcs_recordings(mbz_warehouse: Path) -> None:
    rows = query(
        mbz_warehouse,
        "select isrc, recording_id, credit_position, credited_name, artist_mbid, artist_name "
        "from staging.stg_musicbrainz__isrc_recordings order by isrc, recording_id, credit_position",
    )
    assert rows == [
        (ISRC_GET_LUCKY, "rec-lucky", 1, "Daft Punk", MB_DAFT, "Daft Punk"),
        (ISRC_GET_LUCKY, "rec-lucky", 2, "Pharrell Williams", MB_PHARRELL, "Pharrell Williams"),
        (ISRC_BEY, "rec-bey", 1, "BEYONCE", MB_BEY, "Beyonce"),
    ]


def test_fresh_empty_data_dir_builds_empty_mbz_tables(empty_build: Path) -> None:
    db = empty_build / "music_tracker.duckdb"  # the run's shared build of an empty DATA_DIR (read only)
    for table in (
        "mbz_artist_info",
        "mbz_artist_genre",
        "mbz_area_hierarchy",
        "intermediate.int_musicbrainz__spotify_artists_matched",
    ):
        assert query(db, f"select count(*) from {table}") == [(0,)], table
    raw_views = {r[0] for r in query(db, "select table_name from information_schema.tables where table_schema = 'raw'")}
    assert {
        "musicbrainz_isrc",
        "musicbrainz_url",
        "musicbrainz_artist_search",
        "musicbrainz_artists",
        "musicbrainz_areas",
    } <= raw_views
    types = column_types(db, "mbz_area_hierarchy")
    assert list(types)[:4] == ["area_id", "area_type", "area_name", "area_sort_name"]
    assert {"country_code", "state_code", "subdivision_code", "county_id", "island_name"} <= set(types)
    assert {"sovereign_country_code", "continent_code", "continent", "params"} <= set(types)  # the geography
