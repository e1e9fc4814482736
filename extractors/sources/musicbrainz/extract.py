"""MusicBrainz: who each artist is and where they come from, at a fraction of the requests.

MusicBrainz allows one request a second, so the request count is the run time. Every step asks a SEARCH
endpoint for up to 100 keys at once (Lucene ``isrc:(A OR B …)``, ``arid:(…)``, ``aid:(…)``, or up to 100
``resource`` parameters of a URL lookup) and falls back to single lookups only for the keys a batch did not
answer. The steps, each over what DuckDB says is still missing:

1. ``isrc``: recordings for one ISRC of every Spotify artist not yet matched (history MBIDs need none);
2. ``url``: the ``https://open.spotify.com/artist/<id>`` URL entities, for artists the ISRCs did not match;
3. ``artist_search``: a name search for every artist still unmatched, up to 50 names a request
   (``artist:"A" OR artist:"B" …``, see :meth:`MusicBrainzExtractor.fetch_names`): each name gets the results
   of exactly its name (accepted) or none (landed as not found); a name with two artists of exactly that name,
   or whose phrase alone is too long to share a query, gets a single search as before (accepted only at
   score ≥ 90 with an exact case/accent-insensitive name);
4. ``artists``: every MBID the history carries or the steps above matched;
5. ``areas``: every area those artists reference, then their ``part of`` parents, level by level.

Which artist a recording, URL or search result belongs to is decided once, by dbt's models
(``int_musicbrainz__spotify_artists_matched``, ``int_musicbrainz__artist_names_matched``,
``int_musicbrainz__area_parents_ranked``), which this module executes over the landed JSON on the catalog's
in-memory DuckDB (extractors/rules.py, docs/rules.md): it asks only about what those rules leave unmatched.
Whether a name search found the artist (landed as 200 or 404) compares names with the same SQL
(macros/normalized_name.sql), computed by DuckDB.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import quote_plus

from extractors import __version__, queries, rules
from extractors.catalog import Catalog
from extractors.config import Settings
from extractors.errors import BadResponseError, ConfigError
from extractors.http import HttpClient, Response
from extractors.landing import Lander, Record
from extractors.run import RunOptions, SourceResult, extract_in_batches, land

log = logging.getLogger(__name__)

SOURCE = "musicbrainz"
ENDPOINTS = ("isrc", "url", "artist_search", "artists", "areas")
ISRC_BATCH = 50  # an ISRC can have several recordings: 50 keeps most answers within one page of 100
SEARCH_BATCH = 100
PAGE = 100
MAX_AREA_DEPTH = 10
# batched name searches: at most this many names a request, a query of at most this many characters once
# URL-encoded (MusicBrainz refuses very long URLs: 414/400), and this many pages of 100 results before the
# batch is split in two (a truncated answer could hide a namesake: see fetch_names)
NAME_BATCH = 50
NAME_QUERY_MAX = 2000
NAME_PAGES_MAX = 3
# longer names are not searched (logged): far beyond any real artist's, and the URL of their query would be
# refused (414) or meaningless; the plays keep the whole name
MAX_SEARCH_NAME = 500
UUID_RE = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
ISRC_RE = "^[A-Z]{2}[A-Z0-9]{3}[0-9]{7}$"
SPOTIFY_ID_RE = "^[0-9A-Za-z]{22}$"
SPOTIFY_ARTIST_URL = "https://open.spotify.com/artist/"


# The decisions are dbt's models, executed here (extractors/rules.py, docs/rules.md):
#   musicbrainz_artist_plays                  each play's Spotify artist, MBID, name and ISRC
#                                             (macros/rules/artist_plays.sql)
#   int_musicbrainz__spotify_artists_matched  the MBID of every Spotify artist (matched_mbid; null: still unmatched)
#   int_musicbrainz__artist_names_matched     the MBID of every name-only artist (search_key: its name search's key)
#   int_musicbrainz__area_parents_ranked      the `part of` parents of every landed area
# What follows only says which keys to ask for next.


# What each step wants is SQL (sql/wanted_<endpoint>.sql): (key, plays) over the views above.
KEY_FORMATS = {
    "isrc": ISRC_RE,
    "url": SPOTIFY_ID_RE,
    "artist_search": "[0-9A-Za-z]{22}|name:.+",
    "artists": UUID_RE,
    "areas": UUID_RE,
}


def query(name: str, **values: object) -> str:
    """One of this source's queries (sql/<name>.sql) with the key patterns and limits it may use."""
    return queries.of(
        __file__,
        name,
        isrc_re=ISRC_RE,
        spotify_id_re=SPOTIFY_ID_RE,
        max_search_name=MAX_SEARCH_NAME,
        **values,
    )


def prepare_views(catalog: Catalog) -> None:
    """(Re)create the landed views, and the rules' views over them (extractors/rules.py)."""
    catalog.prepare_rules()


def missing_keys(catalog: Catalog, endpoint: str, retry_not_found: bool = False) -> list[str]:
    """The keys of ``endpoint`` to ask for now, most-played first (needs ``catalog.require_history()`` first)."""
    prepare_views(catalog)
    return catalog.missing_keys(SOURCE, endpoint, query(f"wanted_{endpoint}"), KEY_FORMATS[endpoint], retry_not_found)


def check_config(settings: Settings) -> str | None:
    if settings.musicbrainz_contact:
        return None
    return (
        "musicbrainz: set MUSICBRAINZ_CONTACT (your e-mail address or a URL) in the environment or .env: "
        "MusicBrainz requires a contact in the User-Agent"
    )


def user_agent(contact: str) -> str:
    return f"rws-music/{__version__} ( {contact} )"


def lucene_list(field: str, values: list[str]) -> str:
    return f"{field}:({' OR '.join(values)})"


def lucene_phrase(field: str, value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'{field}:"{escaped}"'


class MusicBrainzExtractor:
    def __init__(self, settings: Settings, catalog: Catalog, options: RunOptions, run_id: str) -> None:
        problem = check_config(settings)
        if problem:
            raise ConfigError(problem)
        self.settings = settings
        self.catalog = catalog
        self.options = options
        self.run_id = run_id
        self.http = HttpClient.from_settings(
            "musicbrainz",
            settings,
            min_interval=settings.musicbrainz_min_interval,
            # HTTP_TIMEOUT as set: its default of 30 s covers the 5-30 s answers reported under load
            timeout=settings.http_timeout,
            user_agent=user_agent(settings.musicbrainz_contact or ""),
        )
        self.result = SourceResult(SOURCE)

    def close(self) -> None:
        self.http.close()

    def get(self, path: str, params: dict[str, Any]) -> Response:
        resp = self.http.get(f"{self.settings.musicbrainz_api_url}/{path}", params={**params, "fmt": "json"})
        if resp.status == 200 and not isinstance(resp.body, dict):
            raise BadResponseError(f"musicbrainz: {resp.url} answered without a JSON object; nothing landed")
        return resp

    def search(self, entity: str, query: str, kind: str, max_pages: int | None = None) -> list[dict[str, Any]] | None:
        """Every result of a search, following ``offset`` while ``count`` says there are more; None when
        ``max_pages`` pages did not hold them all."""
        results: list[dict[str, Any]] = []
        offset = 0
        pages = 0
        while True:
            if max_pages is not None and pages == max_pages:
                return None
            body = self.get(entity, {"query": query, "limit": PAGE, "offset": offset}).body
            pages += 1
            page = body.get(kind)
            if not isinstance(page, list):
                raise BadResponseError(f"musicbrainz: a {entity} search answered without '{kind}'; nothing landed")
            results.extend(page)
            offset += len(page)
            if not page or offset >= int(body.get("count") or 0):
                return results

    def search_all(self, entity: str, query: str, kind: str) -> list[dict[str, Any]]:
        results = self.search(entity, query, kind)
        assert results is not None  # no page cap
        return results

    # -- the steps ------------------------------------------------------------------------------------
    def fetch_isrcs(self, isrcs: list[str], lander: Lander) -> None:
        recordings = self.search_all("recording", lucene_list("isrc", isrcs), "recordings")
        records = []
        for isrc in isrcs:
            hits = [r for r in recordings if isrc in {str(i).upper() for i in r.get("isrcs") or []}]
            records.append(Record(isrc, 200, hits) if hits else Record(isrc, 404, None))
        land(lander, records, self.result, "isrc")

    def fetch_urls(self, spotify_ids: list[str], lander: Lander) -> None:
        resources = [SPOTIFY_ARTIST_URL + i for i in spotify_ids]
        resp = self.get("url", {"resource": resources, "inc": "artist-rels"})
        if resp.status == 404:
            urls: list[dict[str, Any]] = []
        elif "urls" in resp.body:
            urls = resp.body["urls"]
        else:
            urls = [resp.body]  # one resource: the URL entity itself
        by_resource = {u.get("resource"): u for u in urls if isinstance(u, dict)}
        records = [
            Record(i, 200, by_resource[r]) if r in by_resource else Record(i, 404, None)
            for i, r in zip(spotify_ids, resources, strict=True)
        ]
        land(lander, records, self.result, "url")

    def fetch_name(self, spotify_id: str, name: str, lander: Lander) -> None:
        """One name, one search (``limit=10``): accepted by score and exact name."""
        body = self.get("artist", {"query": lucene_phrase("artist", name), "limit": 10}).body
        hits = [h for h in body.get("artists") or [] if isinstance(h, dict)]
        # the maps' rule (macros/rules/name_search.sql, computed by DuckDB), never a Python twin of it
        accepted = rules.search_accepts(self.catalog.con, name, [(h.get("score"), h.get("name")) for h in hits])
        land(lander, [Record(spotify_id, 200 if accepted else 404, body)], self.result, "artist_search")

    def fetch_names(self, keys: list[str], names: dict[str, str], lander: Lander) -> None:
        """Name searches for ``keys`` (Spotify ids or ``name:…``), many names a request.

        Names are packed in order into queries ``artist:"A" OR artist:"B" …`` (phrases escaped as
        :func:`lucene_phrase` does) of at most :data:`NAME_BATCH` names and :data:`NAME_QUERY_MAX` URL-encoded
        characters; a name alone in its query, too long to share one, or without a letter or digit (a phrase
        of no words matches nothing) gets today's single search (:meth:`fetch_name`). See :meth:`fetch_batch`.
        """
        batch: list[str] = []
        length = 0
        for key in keys:
            phrase = lucene_phrase("artist", names[key])
            cost = len(quote_plus(phrase)) + len("+OR+")
            if cost > NAME_QUERY_MAX or not re.search(r"\w", names[key]):
                self.fetch_name(key, names[key], lander)
                continue
            if batch and (len(batch) == NAME_BATCH or length + cost > NAME_QUERY_MAX):
                self.fetch_batch(batch, names, lander)
                batch, length = [], 0
            batch.append(key)
            length += cost
        if batch:
            self.fetch_batch(batch, names, lander)

    def fetch_batch(self, keys: list[str], names: dict[str, str], lander: Lander) -> None:
        """One batched name search: every result of the OR query (up to :data:`NAME_PAGES_MAX` pages) goes to
        the keys whose name it has exactly (``normalized_name``, computed by DuckDB). Each key lands its share,
        ``{"artists": [results of its name], "count": n, "batched": true}``, as found when the rule accepts it
        (macros/rules/name_search.sql: a batched result's score is relative to the whole query and is not
        compared) and as not found when the batch holds no artist of its name — without a request of its
        own, since every artist a single search for it could accept is a result of the batch too.
        A key with two or more artists of its exact name (namesakes) gets a single search instead, which
        chooses between them by score as always. A batch whose results do not fit in the page cap is split in
        two (a namesake could sit on a page not read); a batch of one name is a single search."""
        if len(keys) == 1:
            self.fetch_name(keys[0], names[keys[0]], lander)
            return
        phrases = list(dict.fromkeys(lucene_phrase("artist", names[k]) for k in keys))
        hits = self.search("artist", " OR ".join(phrases), "artists", max_pages=NAME_PAGES_MAX)
        if hits is None:
            half = len(keys) // 2
            log.info("musicbrainz: a name search of %d names has more results than %d pages: split", len(keys),
                     NAME_PAGES_MAX)  # fmt: skip
            self.fetch_batch(keys[:half], names, lander)
            self.fetch_batch(keys[half:], names, lander)
            return
        hits = [h for h in hits if isinstance(h, dict)]
        keyed = rules.normalized(self.catalog.con, [names[k] for k in keys])
        found = rules.normalized(self.catalog.con, [None if h.get("name") is None else str(h["name"]) for h in hits])
        records: list[Record] = []
        namesakes: list[str] = []
        for key, name_key in zip(keys, keyed, strict=True):
            own = [h for h, n in zip(hits, found, strict=True) if n is not None and n == name_key]
            if len({h.get("id") for h in own}) > 1:
                namesakes.append(key)
                continue
            pairs = [(h.get("score"), h.get("name")) for h in own]
            accepted = rules.search_accepts(self.catalog.con, names[key], pairs, batched=True)
            body = {"artists": own, "count": len(own), "batched": True}
            records.append(Record(key, 200 if accepted else 404, body))
        land(lander, records, self.result, "artist_search")
        for key in namesakes:
            self.fetch_name(key, names[key], lander)

    def fetch_entities(self, entity: str, endpoint: str, ids: list[str], lander: Lander) -> None:
        """Artists or areas: one search for the batch, then single lookups for what it did not answer."""
        field, kind, inc = {
            "artist": ("arid", "artists", "genres+tags+aliases"),
            "area": ("aid", "areas", "area-rels"),
        }[entity]
        found = {r.get("id"): r for r in self.search_all(entity, lucene_list(field, ids), kind)}
        answered = [Record(i, 200, found[i]) for i in ids if i in found]
        land(lander, answered, self.result, endpoint)
        singles: list[Record] = []
        try:
            for i in (i for i in ids if i not in found):
                resp = self.get(f"{entity}/{i}", {"inc": inc})
                singles.append(Record(i, 200, resp.body) if resp.status == 200 else Record(i, 404, resp.body))
        finally:
            land(lander, singles, self.result, endpoint)

    def warn_long_names(self) -> None:
        """Say which unmatched names are too long to search by name (wanted_artist_search leaves them out)."""
        long_names = self.catalog.keys(query("long_names"))
        if long_names:
            log.warning(
                "musicbrainz: %d artist names longer than %d characters are not searched by name (e.g. %r…, "
                "%d characters); fix the artist in tracks_played if it is wrong",
                len(long_names),
                MAX_SEARCH_NAME,
                long_names[0][:40],
                len(long_names[0]),
            )

    def warn_malformed(self) -> None:
        """Say which ISRCs and MBIDs of the history are malformed: they are never sent (the patterns filter them)."""
        prepare_views(self.catalog)
        for what, column, pattern in (("ISRCs", "isrc", ISRC_RE), ("MBIDs", "artist_mbid", UUID_RE)):
            bad = self.catalog.keys(query("malformed_history_ids", column=column, pattern=pattern))
            if bad:
                log.warning(
                    "musicbrainz: %d %s in tracks_played are malformed and not asked (e.g. %r); fix them in the "
                    "history if the artist should be matched by them",
                    len(bad),
                    what,
                    bad[0][:60],
                )

    def step(self, endpoint: str, size: int, fetch: Callable[[list[str], Lander], None]) -> int:
        keys = missing_keys(self.catalog, endpoint, self.options.retry_not_found)
        if self.options.limit is not None:
            keys = keys[: self.options.limit]
        if not keys:
            log.info("musicbrainz: no %s missing", endpoint)
            return 0
        log.info("musicbrainz: %d %s missing", len(keys), endpoint)
        lander = Lander(self.settings.raw_dir, SOURCE, endpoint, self.run_id)
        try:
            extract_in_batches(
                f"musicbrainz {endpoint}",
                keys,
                size,
                lambda ids: fetch(ids, lander),
                self.result,
                endpoint,
                self.options,
            )
        finally:
            lander.close()
        return len(keys)

    def run(self) -> SourceResult:
        self.catalog.require_history()
        try:
            self.warn_malformed()
            self.step("isrc", ISRC_BATCH, self.fetch_isrcs)
            self.step("url", SEARCH_BATCH, self.fetch_urls)
            prepare_views(self.catalog)
            names = dict(self.catalog.keys_and_values(query("search_names")))
            self.warn_long_names()
            # 4 batches' worth of names at a time: the names searched alone leave the batches full
            self.step("artist_search", 4 * NAME_BATCH, lambda ids, lander: self.fetch_names(ids, names, lander))
            self.step(
                "artists", SEARCH_BATCH, lambda ids, lander: self.fetch_entities("artist", "artists", ids, lander)
            )
            for _ in range(MAX_AREA_DEPTH):
                fetched = self.step(
                    "areas", SEARCH_BATCH, lambda ids, lander: self.fetch_entities("area", "areas", ids, lander)
                )
                if not fetched:
                    break
            else:
                log.warning("musicbrainz: area hierarchy deeper than %d levels; stopped there", MAX_AREA_DEPTH)
        finally:
            self.result.requests = self.http.requests_made
        return self.result


def extract(settings: Settings, catalog: Catalog, options: RunOptions, run_id: str) -> SourceResult:
    extractor = MusicBrainzExtractor(settings, catalog, options, run_id)
    try:
        return extractor.run()
    finally:
        extractor.close()
