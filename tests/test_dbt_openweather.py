"""`dbt build` of the geography: countries and continents of areas, geocoding queries, city coordinates from
the offline gazetteer or landed OpenWeather answers, and every artist's location.

The reference seeds (countries, country_aliases, us_states) are the repository's own. The gazetteer is a tiny
stand-in written into the test's folder, read through the dbt var `reference_dir` (the environment variable
REFERENCE_DIR works too), so which city the gazetteer knows is decided here:

  - Houston (TX): in the gazetteer (and a smaller Houston in Mississippi); an OpenWeather answer landed too:
    the gazetteer wins.
  - Long Beach (CA, also part of Los Angeles County): three gazetteer cities named Long Beach, the Californian.
  - Portland (OR): not in the gazetteer; OpenWeather answers Portland, Maine first, then Portland, Oregon:
    the state is matched by its full name.
  - Abingdon (Oxfordshire, England): `Abingdon,GB`, in the gazetteer.
  - London (England): not in the gazetteer; OpenWeather answers Chelsea (GB) and London (CA): no coordinates.
  - Bergen Municipality (Vestland): `Bergen,NO`; OpenWeather answers Bergen in the Netherlands first.
  - Sant Esteve Sesrovires (a Municipality in Catalonia): OpenWeather answered 404 `[]`: no coordinates.
  - Cologne (North Rhine-Westphalia): the gazetteer's Köln, by its alternate name.
  - San Juan (Puerto Rico, a territory part of the United States): country PR, sovereign US, gazetteer.
  - Niger: a Country without any ISO code, found by its exact alias (NE, never NG); Australia: a country only.
Artists: one per area, one whose location is its end area, one its begin area, one without any area.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from tests.test_dbt_models import REPO, assert_ok, column_types, query, run_dbt, write_parquet
from tests.test_dbt_musicbrainz import artist_lookup, embedded, lookup_area, part_of, write_mbz

FETCHED = "2026-11-24 09:00:00+00"

A_US = "a0000000-0000-4000-8000-0000000000us"
A_TX = "a0000000-0000-4000-8000-0000000000tx"
A_HOUSTON = "a0000000-0000-4000-8000-000000000hou"
A_CA = "a0000000-0000-4000-8000-0000000000ca"
A_LA_COUNTY = "a0000000-0000-4000-8000-000000000lac"
A_LONG_BEACH = "a0000000-0000-4000-8000-000000000lbc"
A_OR = "a0000000-0000-4000-8000-0000000000or"
A_PORTLAND = "a0000000-0000-4000-8000-000000000pdx"
A_UK = "a0000000-0000-4000-8000-0000000000gb"
A_ENGLAND = "a0000000-0000-4000-8000-000000000eng"
A_OXFORDSHIRE = "a0000000-0000-4000-8000-000000000oxf"
A_ABINGDON = "a0000000-0000-4000-8000-000000000abg"
A_LONDON = "a0000000-0000-4000-8000-000000000lon"
A_NORWAY = "a0000000-0000-4000-8000-0000000000no"
A_VESTLAND = "a0000000-0000-4000-8000-000000000ves"
A_BERGEN = "a0000000-0000-4000-8000-000000000bgo"
A_SPAIN = "a0000000-0000-4000-8000-0000000000es"
A_CATALONIA = "a0000000-0000-4000-8000-000000000cat"
A_SANT_ESTEVE = "a0000000-0000-4000-8000-000000000ses"
A_GERMANY = "a0000000-0000-4000-8000-0000000000de"
A_NRW = "a0000000-0000-4000-8000-000000000nrw"
A_COLOGNE = "a0000000-0000-4000-8000-000000000cgn"
A_PUERTO_RICO = "a0000000-0000-4000-8000-0000000000pr"
A_SAN_JUAN = "a0000000-0000-4000-8000-000000000sju"
A_NIGER = "a0000000-0000-4000-8000-0000000000ne"
A_BRAZIL = "a0000000-0000-4000-8000-0000000000br"
A_BAHIA = "a0000000-0000-4000-8000-0000000br-ba"
A_SAO_PAULO_STATE = "a0000000-0000-4000-8000-0000000br-sp"
A_PERNAMBUCO = "a0000000-0000-4000-8000-0000000br-pe"
A_SANTO_AMARO_BA = "a0000000-0000-4000-8000-00000000saba"
A_SANTO_AMARO_SP = "a0000000-0000-4000-8000-00000000sasp"
A_SANTO_AMARO_PE = "a0000000-0000-4000-8000-00000000sape"
A_BRANDENBURG = "a0000000-0000-4000-8000-000000000bbg"
A_FRANKFURT_ODER = "a0000000-0000-4000-8000-000000000ffo"
A_AUSTRALIA = "a0000000-0000-4000-8000-0000000000au"


def mbid(n: int) -> str:
    return f"b0000000-0000-4000-8000-{n:012d}"


# artist -> (name, area, end area, begin area)
ARTISTS: dict[str, tuple[str, str | None, str | None, str | None]] = {
    mbid(1): ("Houston Artist", A_HOUSTON, None, None),
    mbid(2): ("Ended In Long Beach", None, A_LONG_BEACH, A_LONDON),
    mbid(3): ("Born In Portland", None, None, A_PORTLAND),
    mbid(4): ("Abingdon Band", A_ABINGDON, None, None),
    mbid(5): ("London Band", A_LONDON, None, None),
    mbid(6): ("Bergen Band", A_BERGEN, None, None),
    mbid(7): ("Catalan Band", A_SANT_ESTEVE, None, None),
    mbid(8): ("Cologne Band", A_COLOGNE, None, A_HOUSTON),
    mbid(9): ("San Juan Singer", A_SAN_JUAN, None, None),
    mbid(10): ("Niger Singer", A_NIGER, None, None),
    mbid(11): ("Australian Band", A_AUSTRALIA, None, None),
    mbid(12): ("Nowhere Band", None, None, None),
    mbid(13): ("Bahia Band", A_SANTO_AMARO_BA, None, None),
    mbid(14): ("Sao Paulo Band", A_SANTO_AMARO_SP, None, None),
    mbid(15): ("Pernambuco Band", A_SANTO_AMARO_PE, None, None),
    mbid(16): ("Oder Band", A_FRANKFURT_ODER, None, None),
}
SP_HOUSTON = "1xHoustonArtistSpotify"
SP_SAN_JUAN = "1xSanJuanSingerSpotify"


def sql_str(value: str | None) -> str:
    return "null" if value is None else "'" + value.replace("'", "''") + "'"


def areas() -> list[dict]:
    """The landed areas (lookup shape), each with its `part of` parents."""

    def area(area_id: str, name: str, area_type: str, parents: list[dict] | None = None, **codes) -> dict:
        return lookup_area(area_id, name, area_type, [part_of("backward", p) for p in parents or []], **codes)

    us = embedded(A_US, "United States", "Country", **{"iso-3166-1-codes": ["US"]})
    tx = embedded(A_TX, "Texas", "Subdivision", **{"iso-3166-2-codes": ["US-TX"]})
    ca = embedded(A_CA, "California", "Subdivision", **{"iso-3166-2-codes": ["US-CA"]})
    oregon = embedded(A_OR, "Oregon", "Subdivision", **{"iso-3166-2-codes": ["US-OR"]})
    uk = embedded(A_UK, "United Kingdom", "Country", **{"iso-3166-1-codes": ["GB"]})
    england = embedded(A_ENGLAND, "England", "Subdivision", **{"iso-3166-2-codes": ["GB-ENG"]})
    norway = embedded(A_NORWAY, "Norway", "Country", **{"iso-3166-1-codes": ["NO"]})
    vestland = embedded(A_VESTLAND, "Vestland", "Subdivision", **{"iso-3166-2-codes": ["NO-46"]})
    spain = embedded(A_SPAIN, "Spain", "Country", **{"iso-3166-1-codes": ["ES"]})
    catalonia = embedded(A_CATALONIA, "Catalonia", "Subdivision", **{"iso-3166-2-codes": ["ES-CT"]})
    germany = embedded(A_GERMANY, "Germany", "Country", **{"iso-3166-1-codes": ["DE"]})
    nrw = embedded(A_NRW, "North Rhine-Westphalia", "Subdivision", **{"iso-3166-2-codes": ["DE-NW"]})
    brazil = embedded(A_BRAZIL, "Brazil", "Country", **{"iso-3166-1-codes": ["BR"]})
    bahia = embedded(A_BAHIA, "Bahia", "Subdivision", **{"iso-3166-2-codes": ["BR-BA"]})
    sao_paulo = embedded(A_SAO_PAULO_STATE, "São Paulo", "Subdivision", **{"iso-3166-2-codes": ["BR-SP"]})
    pernambuco = embedded(A_PERNAMBUCO, "Pernambuco", "Subdivision", **{"iso-3166-2-codes": ["BR-PE"]})
    brandenburg = embedded(A_BRANDENBURG, "Brandenburg", "Subdivision", **{"iso-3166-2-codes": ["DE-BB"]})
    puerto_rico = embedded(
        A_PUERTO_RICO, "Puerto Rico", "Country", **{"iso-3166-1-codes": ["PR"], "iso-3166-2-codes": ["US-PR"]}
    )
    return [
        area(A_US, "United States", "Country", **{"iso-3166-1-codes": ["US"]}),
        area(A_TX, "Texas", "Subdivision", [us], **{"iso-3166-2-codes": ["US-TX"]}),
        area(A_HOUSTON, "Houston", "City", [tx]),
        area(A_CA, "California", "Subdivision", [us], **{"iso-3166-2-codes": ["US-CA"]}),
        area(A_LA_COUNTY, "Los Angeles County", "County", [ca]),
        area(A_LONG_BEACH, "Long Beach", "City", [embedded(A_LA_COUNTY, "Los Angeles County", "County"), ca]),
        area(A_OR, "Oregon", "Subdivision", [us], **{"iso-3166-2-codes": ["US-OR"]}),
        area(A_PORTLAND, "Portland", "City", [oregon]),
        area(A_UK, "United Kingdom", "Country", **{"iso-3166-1-codes": ["GB"]}),
        area(A_ENGLAND, "England", "Subdivision", [uk], **{"iso-3166-2-codes": ["GB-ENG"]}),
        area(A_OXFORDSHIRE, "Oxfordshire", "County", [england]),
        area(A_ABINGDON, "Abingdon", "City", [embedded(A_OXFORDSHIRE, "Oxfordshire", "County")]),
        area(A_LONDON, "London", "City", [england]),
        area(A_NORWAY, "Norway", "Country", **{"iso-3166-1-codes": ["NO"]}),
        area(A_VESTLAND, "Vestland", "Subdivision", [norway], **{"iso-3166-2-codes": ["NO-46"]}),
        area(A_BERGEN, "Bergen Municipality", "Municipality", [vestland]),
        area(A_SPAIN, "Spain", "Country", **{"iso-3166-1-codes": ["ES"]}),
        area(A_CATALONIA, "Catalonia", "Subdivision", [spain], **{"iso-3166-2-codes": ["ES-CT"]}),
        area(A_SANT_ESTEVE, "Sant Esteve Sesrovires", "Municipality", [catalonia]),
        area(A_GERMANY, "Germany", "Country", **{"iso-3166-1-codes": ["DE"]}),
        area(A_NRW, "North Rhine-Westphalia", "Subdivision", [germany], **{"iso-3166-2-codes": ["DE-NW"]}),
        area(A_COLOGNE, "Cologne", "City", [nrw]),
        area(
            A_PUERTO_RICO, "Puerto Rico", "Country", [us], **{"iso-3166-1-codes": ["PR"], "iso-3166-2-codes": ["US-PR"]}
        ),
        area(A_SAN_JUAN, "San Juan", "City", [puerto_rico]),
        area(A_NIGER, "Niger", "Country"),  # no ISO code at all
        # one name, three subdivisions: the gazetteer knows Bahia's and São Paulo's, not Pernambuco's
        area(A_BRAZIL, "Brazil", "Country", **{"iso-3166-1-codes": ["BR"]}),
        area(A_BAHIA, "Bahia", "Subdivision", [brazil], **{"iso-3166-2-codes": ["BR-BA"]}),
        area(A_SAO_PAULO_STATE, "São Paulo", "Subdivision", [brazil], **{"iso-3166-2-codes": ["BR-SP"]}),
        area(A_PERNAMBUCO, "Pernambuco", "Subdivision", [brazil], **{"iso-3166-2-codes": ["BR-PE"]}),
        area(A_SANTO_AMARO_BA, "Santo Amaro", "City", [bahia]),
        area(A_SANTO_AMARO_SP, "Santo Amaro", "City", [sao_paulo]),
        area(A_SANTO_AMARO_PE, "Santo Amaro", "City", [pernambuco]),
        # "Frankfurt" names both Frankfurts (an alternate name of each): the one in Brandenburg is (Oder)
        area(A_BRANDENBURG, "Brandenburg", "Subdivision", [germany], **{"iso-3166-2-codes": ["DE-BB"]}),
        area(A_FRANKFURT_ODER, "Frankfurt", "City", [brandenburg]),
        area(A_AUSTRALIA, "Australia", "Country", **{"iso-3166-1-codes": ["AU"]}),
    ]


AREAS = areas()
AREA_NAMES = {body["id"]: body["name"] for body in AREAS}


def area_ref(area_id: str) -> dict:
    """An area as an artist answer embeds it (lookup shape: untyped)."""
    return {"id": area_id, "name": AREA_NAMES[area_id], "sort-name": AREA_NAMES[area_id], "type": None}


def ow(name: str, lat: float, lon: float, country: str, state: str | None = None, **local_names: str) -> dict:
    """One OpenWeather geocoding result."""
    item: dict = {"name": name}
    if local_names:
        item["local_names"] = local_names
    item.update({"lat": lat, "lon": lon, "country": country})
    if state:
        item["state"] = state
    return item


GEOCODE_ANSWERS: list[tuple[str, int, list]] = [
    # also in the gazetteer, which wins
    ("Houston,TX,US", 200, [ow("Houston", 29.7589382, -95.3676974, "US", "Texas", en="Houston")]),
    (
        "Portland,OR,US",
        200,
        [
            ow("Portland", 43.6573605, -70.2586618, "US", "Maine", en="Portland"),
            ow("Portland", 45.5202471, -122.674194, "US", "Oregon", en="Portland", ascii="Portland"),
        ],
    ),
    (
        "London,GB",
        200,
        [
            ow("Chelsea", 51.4875167, -0.1687007, "GB", "England", en="Chelsea"),
            ow("London", 42.9832406, -81.243372, "CA", "Ontario", en="London"),
        ],
    ),
    (
        "Bergen,NO",
        200,
        [
            ow("Bergen", 52.6696, 4.7042, "NL", "North Holland", en="Bergen"),
            ow("Bergen", 60.3943055, 5.3259192, "NO", "Vestland", en="Bergen", ascii="Bergen"),
        ],
    ),
    ("Sant Esteve Sesrovires,ES", 404, []),
    # asked for Pernambuco's Santo Amaro (the gazetteer has none there): São Paulo's first, then Pernambuco's
    (
        "Santo Amaro,BR",
        200,
        [
            ow("Santo Amaro", -23.6523, -46.7084, "BR", "São Paulo"),
            ow("Santo Amaro", -8.0476, -34.8770, "BR", "Pernambuco"),
        ],
    ),
]

# the stand-in gazetteer: geonameid, name, country, admin1, state_code, lat, lon, population, alternate names
# (subdivision_code: SUBDIVISIONS by geonameid, else US-<state_code>)
GAZETTEER = [
    (4699066, "Houston", "US", "TX", "TX", 29.76328, -95.36327, 2314157, []),
    (4430400, "Houston", "US", "MS", "MS", 33.89845, -89.00284, 3500, []),
    (4434069, "Long Beach", "US", "MS", "MS", 30.35048, -89.15282, 15555, []),
    (5125086, "Long Beach", "US", "NY", "NY", 40.58844, -73.65791, 33550, []),
    (5367929, "Long Beach", "US", "CA", "CA", 33.76696, -118.18923, 474140, []),
    (4975802, "Portland", "US", "ME", "ME", 43.65737, -70.2589, 66881, []),
    (2657780, "Abingdon", "GB", "ENG", None, 51.67109, -1.28278, 38676, []),
    (2886242, "Köln", "DE", "07", None, 50.93333, 6.95, 1024621, ["Cologne", "Koeln"]),
    (4568127, "San Juan", "PR", "127", None, 18.46633, -66.10572, 418140, []),
    (2759154, "Bergen", "NL", "07", None, 52.66917, 4.70417, 29715, []),
    (3449310, "Santo Amaro", "BR", "27", None, -23.6523, -46.7084, 85349, []),
    (3449319, "Santo Amaro", "BR", "05", None, -12.54667, -38.71194, 56012, []),
    (3390760, "Recife", "BR", "30", None, -8.05389, -34.88111, 1478098, []),
    (2925533, "Frankfurt am Main", "DE", "05", None, 50.11552, 8.68417, 650000, ["Frankfurt"]),
    (2925535, "Frankfurt (Oder)", "DE", "11", None, 52.34714, 14.55062, 57107, ["Frankfurt"]),
]
SUBDIVISIONS = {
    2886242: "DE-NW",
    2657780: "GB-ENG",
    3449310: "BR-SP",
    3449319: "BR-BA",
    3390760: "BR-PE",
    2925533: "DE-HE",
    2925535: "DE-BB",
}


def write_gazetteer(reference_dir: Path) -> None:
    reference_dir.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    try:
        con.execute(
            "create table cities (geonameid bigint, name varchar, country_code varchar, admin1_code varchar, "
            "state_code varchar, subdivision_code varchar, latitude double, longitude double, population bigint)"
        )
        con.executemany(
            "insert into cities values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(*row[:5], SUBDIVISIONS.get(row[0], f"US-{row[4]}" if row[4] else None), *row[5:8]) for row in GAZETTEER],
        )
        con.execute("create table names (geonameid bigint, name_key varchar)")
        con.executemany(
            "insert into names values (?, lower(strip_accents(trim(?))))",
            [(row[0], name) for row in GAZETTEER for name in [row[1], *row[8]]],
        )
        con.execute(f"copy cities to '{reference_dir / 'gazetteer_cities.parquet'}' (format parquet)")
        con.execute(f"copy names to '{reference_dir / 'gazetteer_names.parquet'}' (format parquet)")
    finally:
        con.close()


def write_openweather(data_dir: Path, name: str, rows: list[tuple[str, int, str, list]]) -> Path:
    """One landed OpenWeather batch: rows of (key, status, fetched_at ISO string, body array)."""
    directory = data_dir / "raw" / "openweather" / "geocode"
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    con = duckdb.connect()
    try:
        con.execute("create table batch (key varchar, status smallint, fetched_at timestamptz, body varchar)")
        con.executemany(
            "insert into batch values (?, ?, ?::timestamptz, ?)", [(k, s, f, json.dumps(b)) for k, s, f, b in rows]
        )
        con.execute(
            f"copy (select key, status, fetched_at, body::json as body from batch) to '{path}' (format parquet)"
        )
    finally:
        con.close()
    return path


def land_world(data_dir: Path) -> None:
    # one scrobble per artist (its MBID); two of them also carry a Spotify artist id
    spotify_ids = {mbid(1): SP_HOUSTON, mbid(9): SP_SAN_JUAN}
    plays = ", ".join(
        f"('{artist_id}', {sql_str(spotify_ids.get(artist_id))}, {sql_str(name)}, "
        f"timestamp '2026-01-01 10:00:00' + interval {n} minute)"
        for n, (artist_id, (name, *_)) in enumerate(ARTISTS.items())
    )
    write_parquet(
        data_dir / "src" / "tracks_played" / "history.parquet",
        "select 'u1' as user_id, 'Song' as track_name, artist_mbid, artist_id, artist, played_at "
        f"from (values {plays}) as t(artist_mbid, artist_id, artist, played_at)",
    )
    write_mbz(
        data_dir,
        "areas",
        "20261124T090000Z-0000-0000.parquet",
        [(body["id"], 200, FETCHED, body) for body in AREAS],
    )
    write_mbz(
        data_dir,
        "artists",
        "20261124T090000Z-0000-0000.parquet",
        [
            (
                artist_id,
                200,
                FETCHED,
                artist_lookup(
                    artist_id,
                    name,
                    area=area_ref(area) if area else None,
                    **{
                        "end-area": area_ref(end) if end else None,
                        "begin-area": area_ref(begin) if begin else None,
                    },
                ),
            )
            for artist_id, (name, area, end, begin) in ARTISTS.items()
        ],
    )
    write_openweather(
        data_dir,
        "20261124T090000Z-0000-0000.parquet",
        [(key, status, FETCHED, body) for key, status, body in GEOCODE_ANSWERS],
    )


def reference_vars(reference_dir: Path) -> tuple[str, str]:
    return ("--vars", json.dumps({"reference_dir": str(reference_dir)}))


@pytest.fixture(scope="module")
def geo_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("dbt_geo")
    write_gazetteer(data_dir / "reference")
    land_world(data_dir)
    result = run_dbt(data_dir, "build", *reference_vars(data_dir / "reference"))
    assert_ok(result)
    return data_dir / "music_tracker.duckdb"


# ---------------------------------------------------------------------------------------------- tests

# area -> (country_code, sovereign_country_code, continent_code, continent, state_code, params)
EXPECTED_AREAS = {
    A_HOUSTON: ("US", "US", "NA", "North America", "TX", "Houston,TX,US"),
    A_LONG_BEACH: ("US", "US", "NA", "North America", "CA", "Long Beach,CA,US"),
    A_PORTLAND: ("US", "US", "NA", "North America", "OR", "Portland,OR,US"),
    A_ABINGDON: ("GB", "GB", "EU", "Europe", "ENG", "Abingdon,GB"),
    A_LONDON: ("GB", "GB", "EU", "Europe", "ENG", "London,GB"),
    A_BERGEN: ("NO", "NO", "EU", "Europe", "46", "Bergen,NO"),
    A_SANT_ESTEVE: ("ES", "ES", "EU", "Europe", "CT", "Sant Esteve Sesrovires,ES"),
    A_COLOGNE: ("DE", "DE", "EU", "Europe", "NW", "Cologne,DE"),
    A_SAN_JUAN: ("PR", "US", "NA", "North America", None, "San Juan,PR"),
    A_NIGER: ("NE", "NE", "AF", "Africa", None, None),
    A_SANTO_AMARO_BA: ("BR", "BR", "SA", "South America", "BA", "Santo Amaro,BR"),
    A_SANTO_AMARO_SP: ("BR", "BR", "SA", "South America", "SP", "Santo Amaro,BR"),
    A_FRANKFURT_ODER: ("DE", "DE", "EU", "Europe", "BB", "Frankfurt,DE"),
    A_AUSTRALIA: ("AU", "AU", "OC", "Oceania", None, None),
    A_TX: ("US", "US", "NA", "North America", "TX", None),
    A_US: ("US", "US", "NA", "North America", None, None),
}


def test_area_hierarchy_countries_continents_params(geo_warehouse: Path) -> None:
    rows = {
        r[0]: r[1:]
        for r in query(
            geo_warehouse,
            "select area_id, country_code, sovereign_country_code, continent_code, continent, state_code, params "
            "from mbz_area_hierarchy",
        )
    }
    for area_id, expected in EXPECTED_AREAS.items():
        assert rows[area_id] == expected, AREA_NAMES[area_id]
    # every landed area reaches a country with a continent
    assert all(r[0] and r[2] and r[3] for r in rows.values()), rows
    types = column_types(geo_warehouse, "mbz_area_hierarchy")
    assert list(types)[-7:] == [
        "subdivision_code",
        "state_code",
        "country_code",
        "sovereign_country_code",
        "continent_code",
        "continent",
        "params",
    ]


def test_territory_keeps_its_own_country(geo_warehouse: Path) -> None:
    assert query(
        geo_warehouse,
        "select area_type, country_id, country_name, country_code, sovereign_country_code, continent "
        "from mbz_area_hierarchy where area_id = ?",
        [A_SAN_JUAN],
    ) == [("City", A_PUERTO_RICO, "Puerto Rico", "PR", "US", "North America")]


def test_cities_with_lat_long(geo_warehouse: Path) -> None:
    rows = {
        r[0]: r[1:]
        for r in query(
            geo_warehouse,
            "select params, city_name, state_code, country_code, lat, long, source from cities_with_lat_long "
            "where subdivision_code is null or params not in ('Santo Amaro,BR', 'Frankfurt,DE')",
        )
    }
    assert rows == {
        # the gazetteer before the landed OpenWeather answer
        "Houston,TX,US": ("Houston", "TX", "US", 29.76328, -95.36327, "gazetteer"),
        # three gazetteer cities named Long Beach: the Californian
        "Long Beach,CA,US": ("Long Beach", "CA", "US", 33.76696, -118.18923, "gazetteer"),
        # OpenWeather: Portland, Maine first, then Oregon, matched by the state's full name
        "Portland,OR,US": ("Portland", "OR", "US", 45.5202471, -122.674194, "openweather"),
        "Abingdon,GB": ("Abingdon", None, "GB", 51.67109, -1.28278, "gazetteer"),
        # OpenWeather: the Dutch Bergen first, then the Norwegian; the gazetteer's Bergen is Dutch too
        "Bergen,NO": ("Bergen", None, "NO", 60.3943055, 5.3259192, "openweather"),
        # by the gazetteer's alternate name of Köln
        "Cologne,DE": ("Cologne", None, "DE", 50.93333, 6.95, "gazetteer"),
        "San Juan,PR": ("San Juan", None, "PR", 18.46633, -66.10572, "gazetteer"),
    }
    # London,GB: OpenWeather answered Chelsea (a neighbour) and London, Canada; Sant Esteve: 404 `[]`
    assert "London,GB" not in rows
    assert "Sant Esteve Sesrovires,ES" not in rows
    assert column_types(geo_warehouse, "cities_with_lat_long") == {
        "params": "VARCHAR",
        "subdivision_code": "VARCHAR",
        "city_name": "VARCHAR",
        "state_code": "VARCHAR",
        "country_code": "VARCHAR",
        "lat": "DOUBLE",
        "long": "DOUBLE",
        "source": "VARCHAR",
    }


def test_openweather_results_parsed(geo_warehouse: Path) -> None:
    rows = query(
        geo_warehouse,
        "select params, result_position, name, country_code, state from staging.stg_openweather__geocode "
        "order by params, result_position",
    )
    assert [(r[0], r[1]) for r in rows] == [
        ("Bergen,NO", 1),
        ("Bergen,NO", 2),
        ("Houston,TX,US", 1),
        ("London,GB", 1),
        ("London,GB", 2),
        ("Portland,OR,US", 1),
        ("Portland,OR,US", 2),
        ("Santo Amaro,BR", 1),
        ("Santo Amaro,BR", 2),
    ]  # the 404 has no row
    assert rows[3][2:] == ("Chelsea", "GB", "England")


LOCATION_COLUMNS = (
    "artist_name, spotify_artist_id, location_from, location_area_id, area_name, area_type, city_name, "
    "municipality_name, county_name, subdivision_name, subdivision_code, state_code, country_name, country_code, "
    "sovereign_country_code, continent_code, continent, params, lat, long, coordinates_source"
)


def locations(db: Path) -> dict[str, dict]:
    names = [c.strip() for c in LOCATION_COLUMNS.split(",")]
    rows = query(db, f"select artist_mbid, {LOCATION_COLUMNS} from mbz_artist_location")
    return {r[0]: dict(zip(names, r[1:], strict=True)) for r in rows}


def test_artist_location_every_artist(geo_warehouse: Path) -> None:
    by_artist = locations(geo_warehouse)
    assert set(by_artist) == set(ARTISTS)
    # continent and country for every artist with an area
    for artist_id, (name, area, end, begin) in ARTISTS.items():
        location = by_artist[artist_id]
        assert location["artist_name"] == name
        if area or end or begin:
            assert location["country_code"] and location["continent"], (name, location)
        else:
            assert location == {**dict.fromkeys(location), "artist_name": name}, location
    assert {a: (v["country_code"], v["continent"]) for a, v in by_artist.items()} == {
        mbid(1): ("US", "North America"),
        mbid(2): ("US", "North America"),
        mbid(3): ("US", "North America"),
        mbid(4): ("GB", "Europe"),
        mbid(5): ("GB", "Europe"),
        mbid(6): ("NO", "Europe"),
        mbid(7): ("ES", "Europe"),
        mbid(8): ("DE", "Europe"),
        mbid(9): ("PR", "North America"),
        mbid(10): ("NE", "Africa"),
        mbid(11): ("AU", "Oceania"),
        mbid(12): (None, None),
        mbid(13): ("BR", "South America"),
        mbid(14): ("BR", "South America"),
        mbid(15): ("BR", "South America"),
        mbid(16): ("DE", "Europe"),
    }


def test_artist_location_area_end_area_begin_area(geo_warehouse: Path) -> None:
    by_artist = locations(geo_warehouse)
    assert {a: (v["location_from"], v["location_area_id"]) for a, v in by_artist.items()} == {
        mbid(1): ("area", A_HOUSTON),
        mbid(2): ("end_area", A_LONG_BEACH),  # the end area before the begin area (London)
        mbid(3): ("begin_area", A_PORTLAND),
        mbid(4): ("area", A_ABINGDON),
        mbid(5): ("area", A_LONDON),
        mbid(6): ("area", A_BERGEN),
        mbid(7): ("area", A_SANT_ESTEVE),
        mbid(8): ("area", A_COLOGNE),  # the area before the begin area (Houston)
        mbid(9): ("area", A_SAN_JUAN),
        mbid(10): ("area", A_NIGER),
        mbid(11): ("area", A_AUSTRALIA),
        mbid(12): (None, None),
        mbid(13): ("area", A_SANTO_AMARO_BA),
        mbid(14): ("area", A_SANTO_AMARO_SP),
        mbid(15): ("area", A_SANTO_AMARO_PE),
        mbid(16): ("area", A_FRANKFURT_ODER),
    }


def test_same_named_cities_are_told_apart_by_the_subdivision(geo_warehouse: Path) -> None:
    """One params, three subdivisions: each Santo Amaro gets its own coordinates; "Frankfurt" in Brandenburg
    is Frankfurt (Oder), not the larger Frankfurt am Main; Pernambuco's Santo Amaro, which the gazetteer does
    not have (it has Recife, so it knows BR-PE), is not given the larger one of São Paulo but OpenWeather's
    result in Pernambuco."""
    rows = {
        (r[0], r[1]): r[2:]
        for r in query(
            geo_warehouse,
            "select params, subdivision_code, lat, long, source from cities_with_lat_long "
            "where params in ('Santo Amaro,BR', 'Frankfurt,DE')",
        )
    }
    assert rows == {
        ("Santo Amaro,BR", "BR-BA"): (-12.54667, -38.71194, "gazetteer"),
        ("Santo Amaro,BR", "BR-SP"): (-23.6523, -46.7084, "gazetteer"),
        ("Santo Amaro,BR", "BR-PE"): (-8.0476, -34.877, "openweather"),
        ("Frankfurt,DE", "DE-BB"): (52.34714, 14.55062, "gazetteer"),
    }
    by_artist = locations(geo_warehouse)
    assert [(by_artist[mbid(n)]["lat"], by_artist[mbid(n)]["coordinates_source"]) for n in (13, 14, 15, 16)] == [
        (-12.54667, "gazetteer"),
        (-23.6523, "gazetteer"),
        (-8.0476, "openweather"),
        (52.34714, "gazetteer"),
    ]


def test_artist_location_full_rows(geo_warehouse: Path) -> None:
    by_artist = locations(geo_warehouse)
    assert by_artist[mbid(2)] == {
        "artist_name": "Ended In Long Beach",
        "spotify_artist_id": None,
        "location_from": "end_area",
        "location_area_id": A_LONG_BEACH,
        "area_name": "Long Beach",
        "area_type": "City",
        "city_name": "Long Beach",
        "municipality_name": None,
        "county_name": "Los Angeles County",
        "subdivision_name": "California",
        "subdivision_code": "US-CA",
        "state_code": "CA",
        "country_name": "United States",
        "country_code": "US",
        "sovereign_country_code": "US",
        "continent_code": "NA",
        "continent": "North America",
        "params": "Long Beach,CA,US",
        "lat": 33.76696,
        "long": -118.18923,
        "coordinates_source": "gazetteer",
    }
    bergen = by_artist[mbid(6)]
    assert (bergen["area_type"], bergen["municipality_name"], bergen["city_name"], bergen["params"]) == (
        "Municipality",
        "Bergen Municipality",
        None,
        "Bergen,NO",
    )
    assert (bergen["lat"], bergen["long"], bergen["coordinates_source"]) == (60.3943055, 5.3259192, "openweather")
    san_juan = by_artist[mbid(9)]
    assert (san_juan["spotify_artist_id"], san_juan["country_name"], san_juan["sovereign_country_code"]) == (
        SP_SAN_JUAN,
        "Puerto Rico",
        "US",
    )
    assert by_artist[mbid(1)]["spotify_artist_id"] == SP_HOUSTON
    # known place, unknown coordinates: London (fuzzy answers only), Sant Esteve (404), no city (Niger)
    for artist_id, params in ((mbid(5), "London,GB"), (mbid(7), "Sant Esteve Sesrovires,ES"), (mbid(10), None)):
        location = by_artist[artist_id]
        assert (location["params"], location["lat"], location["long"], location["coordinates_source"]) == (
            params,
            None,
            None,
            None,
        )
    niger = by_artist[mbid(10)]
    assert (niger["area_type"], niger["country_name"], niger["country_code"], niger["continent_code"]) == (
        "Country",
        "Niger",
        "NE",
        "AF",
    )
    types = column_types(geo_warehouse, "mbz_artist_location")
    assert (types["lat"], types["long"], types["artist_mbid"]) == ("DOUBLE", "DOUBLE", "VARCHAR")


def test_reference_dir_from_environment_and_missing_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Empty DATA_DIR, REFERENCE_DIR pointing at a folder without files: every geo relation builds, empty."""
    monkeypatch.setenv("REFERENCE_DIR", str(tmp_path / "no_reference_here"))
    assert_ok(run_dbt(tmp_path))
    db = tmp_path / "music_tracker.duckdb"
    for table in (
        "reference.gazetteer_cities",
        "reference.gazetteer_names",
        "raw.openweather_geocode",
        "staging.stg_openweather__geocode",
        "cities_with_lat_long",
        "mbz_artist_location",
        "mbz_area_hierarchy",
    ):
        assert query(db, f"select count(*) from {table}") == [(0,)], table
    assert column_types(db, "cities_with_lat_long")["lat"] == "DOUBLE"
    cities = query(
        db,
        "select column_name, data_type from information_schema.columns "
        "where table_schema = 'reference' and table_name = 'gazetteer_cities' order by ordinal_position",
    )
    assert cities == [
        ("geonameid", "BIGINT"),
        ("name", "VARCHAR"),
        ("country_code", "VARCHAR"),
        ("admin1_code", "VARCHAR"),
        ("state_code", "VARCHAR"),
        ("subdivision_code", "VARCHAR"),
        ("latitude", "DOUBLE"),
        ("longitude", "DOUBLE"),
        ("population", "BIGINT"),
    ]
    # the seeds load with every code as text ('NA' stays North America's code)
    assert query(db, "select continent_code from reference.countries where country_code = 'US'") == [("NA",)]


REPO_GAZETTEER = REPO / "data" / "reference" / "gazetteer_cities.parquet"


def test_repository_gazetteer(tmp_path: Path) -> None:
    """The same world against the repository's own gazetteer (the default reference_dir), which is committed."""
    assert REPO_GAZETTEER.exists(), f"{REPO_GAZETTEER} is missing: regenerate it with python -m scripts.make_reference"
    land_world(tmp_path)
    assert_ok(run_dbt(tmp_path))
    db = tmp_path / "music_tracker.duckdb"
    rows = {r[0]: r[1:] for r in query(db, "select params, lat, long, source from cities_with_lat_long")}
    for params, (lat, long) in {
        "Houston,TX,US": (29.76, -95.36),
        "Long Beach,CA,US": (33.77, -118.19),
        "Portland,OR,US": (45.52, -122.68),
        "London,GB": (51.51, -0.13),
        "Bergen,NO": (60.39, 5.32),
        "Cologne,DE": (50.93, 6.95),
        "San Juan,PR": (18.47, -66.11),
    }.items():
        assert params in rows, params
        assert rows[params][0] == pytest.approx(lat, abs=0.05), params
        assert rows[params][1] == pytest.approx(long, abs=0.05), params
        assert rows[params][2] == "gazetteer", params
    # GeoNames' own admin1 codes, mapped to ISO 3166-2 by scripts/make_reference.py, tell the namesakes apart
    by_subdivision = {
        (r[0], r[1]): (round(r[2], 2), round(r[3], 2), r[4])
        for r in query(
            db,
            "select params, subdivision_code, lat, long, source from cities_with_lat_long "
            "where params in ('Santo Amaro,BR', 'Frankfurt,DE')",
        )
    }
    assert by_subdivision == {
        ("Santo Amaro,BR", "BR-BA"): (-12.55, -38.71, "gazetteer"),
        ("Santo Amaro,BR", "BR-SP"): (-23.65, -46.7, "gazetteer"),  # the district of the city of São Paulo
        ("Santo Amaro,BR", "BR-PE"): (-8.05, -34.88, "openweather"),  # none in the gazetteer's Pernambuco
        ("Frankfurt,DE", "DE-BB"): (52.35, 14.55, "gazetteer"),
    }
