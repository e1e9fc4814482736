"""OpenWeather as the registry sees it (extractors/registry.py)."""

from __future__ import annotations

from extractors.registry import Source
from extractors.sources.openweather import extract

SOURCE = Source(
    name="openweather",
    help="""Coordinates for the city of every artist (area, else end area, else begin area).

    Each city's geocoding query is `City,CC`, or `City,ST,US` in the United States. The offline gazetteer
    (GeoNames, bundled) answers most cities with no key and no request; OpenWeather's geocoding API is asked
    only for the cities it does not know, and only with OPENWEATHER_API_KEY (without it the run says how
    many cities remain without coordinates). Run it after `musicbrainz`. (`geo` is its former name.)
    """,
    endpoints=extract.ENDPOINTS,
    check_config=extract.check_config,
    extract=extract.extract,
    missing=extract.missing_keys,
    needs_config=False,  # without a key the offline gazetteer still answers
    aliases=("geo",),
)
