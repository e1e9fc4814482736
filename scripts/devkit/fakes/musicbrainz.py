"""A fake MusicBrainz WS/2 (JSON) as it answers in 2026 (docs/apis.md, "MusicBrainz").

It holds artists and areas as LOOKUP objects (what ``/artist/<id>?inc=genres+tags+aliases`` and
``/area/<id>?inc=area-rels`` return: embedded areas with ``"type": null``, the ``begin_area`` duplicates,
negative counts) and derives the SEARCH shapes from them as the real search server does: search items carry
``score``, tags but no genres, embedded areas with their type, and area relations nested as
``relation-list``. Lucene-style batched queries are understood: ``isrc:(A OR B)``, ``arid:(…)``,
``aid:(…)``, ``artist:"Name"`` and OR-ed phrases ``artist:"A" OR artist:"B" …`` (see :meth:`phrase_search`).
A request without a User-Agent gets 403, as on the real service.
"""

from __future__ import annotations

import copy
import functools
import json
import math
import re
import unicodedata
from pathlib import Path
from typing import Any, Self

from scripts.devkit.fakes.base import FakeServer, Reply, Request

LIST_QUERY = re.compile(r"^\s*(\w+):\((.*)\)\s*$", re.S)
PHRASE_QUERY = re.compile(r'^\s*(\w+):"((?:[^"\\]|\\.)*)"\s*$', re.S)
PHRASE = r'(\w+):"((?:[^"\\]|\\.)*)"'
OR_PHRASES = re.compile(rf"^\s*{PHRASE}(?:\s+OR\s+{PHRASE})+\s*$", re.S)  # two or more OR-ed phrases
NEXT_PHRASE = re.compile(rf"\s*(?:OR\s+)?{PHRASE}", re.S)
MAX_QUERY = 5000  # characters of a query; longer: 400, as the real server refuses very long ones (414/400)
RATE_LIMITED = {
    "error": "Your requests are exceeding the allowable rate limit. Please see "
    "https://musicbrainz.org/doc/XML_Web_Service/Rate_Limiting for more information.",
    "help": "For usage, please see: https://musicbrainz.org/development/mmd",
}
NOT_FOUND = {"error": "Not Found", "help": "For usage, please see: https://musicbrainz.org/development/mmd"}


def normalized(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()


_normalized = functools.lru_cache(maxsize=100_000)(normalized)  # the fake's name index, cheap at 10k artists


def _words(text: str) -> list[str]:
    """Lucene's tokens of a name: its words, case- and accent-folded."""
    return re.findall(r"\w+", _normalized(text))


def _contains(words: list[str], phrase: tuple[str, ...]) -> bool:
    n = len(phrase)
    return any(tuple(words[i : i + n]) == phrase for i in range(len(words) - n + 1))


def _bad_request(message: str) -> Reply:
    return Reply.json(400, {"error": message, "help": NOT_FOUND["help"]})


class FakeMusicBrainz(FakeServer):
    def __init__(
        self,
        artists: dict[str, dict[str, Any]] | None = None,
        areas: dict[str, dict[str, Any]] | None = None,
        recordings: list[dict[str, Any]] | None = None,
        urls: dict[str, dict[str, Any]] | None = None,
        merged: dict[str, str] | None = None,
    ) -> None:
        super().__init__()
        self.artists = artists or {}
        self.areas = areas or {}
        self.recordings = recordings or []
        self.urls = urls or {}
        self.merged = merged or {}  # old MBID -> current MBID: lookups follow, search knows only the current
        self._by_isrc: dict[str, list[int]] = {}  # ISRC -> positions in recordings (rebuilt when they grow)
        self._indexed = 0
        self._by_word: dict[str, set[str]] = {}
        self._words_indexed = 0

    @classmethod
    def from_recordings(cls, folder: Path, **options: Any) -> Self:
        def load(name: str, default: Any) -> Any:
            path = folder / f"{name}.json"
            return json.loads(path.read_text()) if path.exists() else default

        return cls(load("artists", {}), load("areas", {}), load("recordings", []), load("urls", {}), **options)

    title = "MusicBrainz"

    @property
    def api_url(self) -> str:
        return f"{self.url}/ws/2"

    def settings(self) -> dict[str, str]:
        return {
            "MUSICBRAINZ_API_URL": self.api_url,
            "MUSICBRAINZ_CONTACT": "listener@example.org",
            "MUSICBRAINZ_MIN_INTERVAL": "0",  # the real service needs 1 s; a fake needs none
        }

    def data_requests(self) -> int:
        return self.count("/ws/2/")

    def requests_by_step(self) -> dict[str, int]:
        """The requests in the log by the extractor's step that makes them (its endpoints)."""
        steps: dict[str, int] = {}
        for r in self.requests:
            query = r.query.get("query", [""])[0]
            if r.path == "/ws/2/recording":
                step = "isrc"
            elif r.path == "/ws/2/url":
                step = "url"
            elif r.path == "/ws/2/artist" and query.startswith("artist:"):
                step = "artist_search"
            elif r.path.startswith("/ws/2/artist"):
                step = "artists"
            elif r.path.startswith("/ws/2/area"):
                step = "areas"
            else:
                continue
            steps[step] = steps.get(step, 0) + 1
        return steps

    # -- routing --------------------------------------------------------------------------------------
    def handle(self, request: Request) -> Reply:
        if not request.headers.get("User-Agent"):
            return Reply.json(403, {"error": "User-Agent header required"})
        if request.method != "GET" or not request.path.startswith("/ws/2/"):
            return Reply.json(404, NOT_FOUND)
        q = {k: v[-1] for k, v in request.query.items()}
        if q.get("fmt") != "json":
            return _bad_request("this fake only speaks fmt=json")
        try:
            limit = int(q.get("limit", "25"))
            offset = int(q.get("offset", "0"))
        except ValueError:
            return _bad_request("limit and offset must be integers")
        if not 1 <= limit <= 100:
            return _bad_request("limit must be between 1 and 100")
        parts = request.path.removeprefix("/ws/2/").strip("/").split("/")
        entity = parts[0]
        if len(parts) == 2:
            return self.lookup(entity, parts[1], q)
        if entity == "url":
            return self.url_lookup(request.query.get("resource", []), q.get("inc", ""))
        if "query" not in q:
            return _bad_request("query is required")
        return self.search(entity, q["query"], limit, offset)

    # -- lookups --------------------------------------------------------------------------------------
    def lookup(self, entity: str, mbid: str, q: dict[str, str]) -> Reply:
        if entity == "artist":
            inc = set(q.get("inc", "").split("+")) - {""}
            if inc - {"genres", "tags", "aliases"}:
                return _bad_request(f"{', '.join(sorted(inc))} is not a valid inc parameter for the artist resource.")
            found = self.artists.get(self.merged.get(mbid, mbid))
            if found is None:
                return Reply.json(404, NOT_FOUND)
            body = copy.deepcopy(found)
            for key in ("genres", "tags", "aliases"):
                if key not in inc:
                    body.pop(key, None)
            return Reply.json(200, body)
        if entity == "area":
            found = self.areas.get(mbid)
            if found is None:
                return Reply.json(404, NOT_FOUND)
            body = copy.deepcopy(found)
            if "area-rels" not in q.get("inc", ""):
                body.pop("relations", None)
            return Reply.json(200, body)
        return Reply.json(404, NOT_FOUND)

    def url_lookup(self, resources: list[str], inc: str) -> Reply:
        """The URL entities of ``resources``; their relations only with ``inc=artist-rels``, as MusicBrainz does."""
        if not resources:
            return _bad_request("resource is required")
        if len(resources) > 100:
            return _bad_request("at most 100 resource parameters")
        includes = set(inc.split("+")) - {""}
        if includes - {"artist-rels", "release-rels", "recording-rels", "label-rels"}:
            return _bad_request(f"{', '.join(sorted(includes))} is not a valid inc parameter for the url resource.")
        found = [copy.deepcopy(self.urls[r]) for r in resources if r in self.urls]
        for url in found:
            url["relations"] = [
                rel for rel in url.get("relations") or [] if f"{rel.get('target-type')}-rels" in includes
            ]
            if not url["relations"]:
                url.pop("relations")
        if len(resources) == 1:
            return Reply.json(200, found[0]) if found else Reply.json(404, NOT_FOUND)
        return Reply.json(200, {"url-count": len(found), "url-offset": 0, "urls": found})

    # -- searches -------------------------------------------------------------------------------------
    def search(self, entity: str, query: str, limit: int, offset: int) -> Reply:
        if len(query) > MAX_QUERY:
            return _bad_request(f"the query is longer than {MAX_QUERY} characters")
        if OR_PHRASES.match(query):
            clauses = [(m.group(1), re.sub(r"\\(.)", r"\1", m.group(2))) for m in NEXT_PHRASE.finditer(query)]
            if entity != "artist" or {field for field, _ in clauses} != {"artist"}:
                return _bad_request(f"unsupported search {entity}?query=…: OR-ed phrases of artist only")
            scored = self.phrase_search([phrase for _, phrase in clauses])
            window = [self.artist_item(artist, score) for score, artist in scored[offset : offset + limit]]
            return self.page("artists", [{}] * offset + window, limit, offset, count=len(scored))
        listed = LIST_QUERY.match(query)
        phrase = PHRASE_QUERY.match(query)
        if listed:
            field, values = listed.group(1), [v.strip().strip('"') for v in listed.group(2).split(" OR ")]
        elif phrase:
            field, values = phrase.group(1), [re.sub(r"\\(.)", r"\1", phrase.group(2))]
        else:
            return _bad_request(f"this fake does not understand the query {query!r}")
        if entity == "recording" and field == "isrc":
            positions = sorted({n for v in values for n in self.recordings_by_isrc().get(v.upper(), [])})
            hits = [{**copy.deepcopy(self.recordings[n]), "score": 100} for n in positions]
            return self.page("recordings", hits, limit, offset)
        if entity == "artist" and field == "arid":
            wanted = set(values)
            hits = [self.artist_item(a, 100) for mbid, a in self.artists.items() if mbid in wanted]
            return self.page("artists", hits, limit, offset)
        if entity == "artist" and field == "artist":
            scored = self.name_search(values[0])  # items built for the page only: cheap at 10k artists
            window = [self.artist_item(artist, score) for score, artist in scored[offset : offset + limit]]
            return self.page("artists", [{}] * offset + window, limit, offset, count=len(scored))
        if entity == "area" and field == "aid":
            wanted = set(values)
            hits = [self.area_item(a) for area_id, a in self.areas.items() if area_id in wanted]
            return self.page("areas", hits, limit, offset)
        return _bad_request(f"unsupported search {entity}?query={field}:…")

    def recordings_by_isrc(self) -> dict[str, list[int]]:
        if self._indexed != len(self.recordings):
            self._by_isrc = {}
            for n, recording in enumerate(self.recordings):
                for isrc in {i.upper() for i in recording.get("isrcs", [])}:
                    self._by_isrc.setdefault(isrc, []).append(n)
            self._indexed = len(self.recordings)
        return self._by_isrc

    @staticmethod
    def page(kind: str, hits: list[dict[str, Any]], limit: int, offset: int, count: int | None = None) -> Reply:
        return Reply.json(
            200,
            {
                "created": "2026-11-24T09:00:00.000Z",
                "count": len(hits) if count is None else count,
                "offset": offset,
                kind: hits[offset : offset + limit],
            },
        )

    def name_search(self, name: str) -> list[tuple[int, dict[str, Any]]]:
        wanted = normalized(name)
        scored = []
        for artist in self.artists.values():
            names = [artist["name"], *(a.get("name", "") for a in artist.get("aliases") or [])]
            keys = [_normalized(n) for n in names]
            if keys[0] == wanted:
                score = 100
            elif wanted in keys[1:]:
                score = 96
            elif any(wanted in k or k in wanted for k in keys if k):
                score = 85 if wanted in keys[0] else 70
            elif set(wanted.split()) & set(keys[0].split()):
                score = 55
            else:
                continue
            scored.append((score, artist))
        return sorted(scored, key=lambda hit: (-hit[0], hit[1]["name"]))

    def phrase_search(self, phrases: list[str]) -> list[tuple[int, dict[str, Any]]]:
        """``artist:"A" OR artist:"B" …`` as Lucene answers it: an artist is a hit when one phrase's words occur
        in a row in its name or an alias (whole words: "Artist 5" is not in "Artist 50"). Its score is relative
        to the WHOLE query, as MusicBrainz's are: each matching clause adds its own score (100 for the exact
        name, 96 for an exact alias, less the more other words the name has) weighted by how rare the phrase is
        (the fewer artists it matches, the more it weighs: Lucene's idf), and the best hit of the query scores
        100. So an exact match of a common phrase can score far below 90 in a batch, while scoring 100 alone."""
        clauses = [tuple(_words(p)) for p in phrases]
        matches: dict[tuple[str, ...], list[tuple[float, dict[str, Any]]]] = {c: [] for c in clauses if c}
        index = self.artists_by_word()
        for clause, hits in matches.items():
            for mbid in sorted(set.intersection(*(index.get(w, set()) for w in clause))):
                artist = self.artists[mbid]
                names = [_words(artist["name"]), *(_words(a.get("name", "")) for a in artist.get("aliases") or [])]
                best = 0.0
                for n, words in enumerate(names):
                    if _contains(words, clause):
                        exact = len(words) == len(clause)
                        best = max(best, (100 if n == 0 else 96) if exact else 80 * len(clause) / len(words))
                if best:
                    hits.append((best, artist))
        total = len(self.artists) + 1
        raw: dict[str, float] = {}
        by_id: dict[str, dict[str, Any]] = {}
        for hits in matches.values():
            idf = 1 + math.log(total / (1 + len(hits)))
            for score, artist in hits:
                raw[artist["id"]] = raw.get(artist["id"], 0.0) + score * idf
                by_id[artist["id"]] = artist
        top = max(raw.values(), default=1.0)
        scored = [(max(1, round(100 * r / top)), by_id[i]) for i, r in raw.items()]
        return sorted(scored, key=lambda hit: (-hit[0], hit[1]["name"], hit[1]["id"]))

    def artists_by_word(self) -> dict[str, set[str]]:
        """word -> the MBIDs of the artists with it in their name or an alias (rebuilt when artists change)."""
        if self._words_indexed != len(self.artists):
            self._by_word = {}
            for mbid, artist in self.artists.items():
                for name in [artist["name"], *(a.get("name", "") for a in artist.get("aliases") or [])]:
                    for word in _words(name):
                        self._by_word.setdefault(word, set()).add(mbid)
            self._words_indexed = len(self.artists)
        return self._by_word

    def embedded_area(self, area: dict[str, Any] | None) -> dict[str, Any] | None:
        if not area:
            return None
        full = self.areas.get(area["id"], {})
        item = {k: v for k, v in area.items() if k not in ("type", "type-id")}
        item.update({"type": full.get("type"), "type-id": full.get("type-id"), "life-span": {"ended": None}})
        return item

    def artist_item(self, artist: dict[str, Any], score: int) -> dict[str, Any]:
        """A search result: score, tags but no genres, typed areas, no underscore duplicates."""
        item: dict[str, Any] = {"id": artist["id"], "type": artist.get("type"), "type-id": artist.get("type-id")}
        item["score"] = score
        for key in ("gender-id", "name", "sort-name", "gender", "country", "disambiguation", "isnis"):
            if artist.get(key) is not None:
                item[key] = artist[key]
        for key in ("area", "begin-area", "end-area"):
            embedded = self.embedded_area(artist.get(key))
            if embedded:
                item[key] = embedded
        item["life-span"] = copy.deepcopy(artist.get("life-span", {"ended": None}))
        if artist.get("aliases"):
            item["aliases"] = copy.deepcopy(artist["aliases"])
        if artist.get("tags"):
            item["tags"] = copy.deepcopy(artist["tags"])
        return item

    def area_item(self, area: dict[str, Any]) -> dict[str, Any]:
        """An area search result: relations nested as relation-list, with a scalar target."""
        item = {k: copy.deepcopy(v) for k, v in area.items() if k not in ("relations", "disambiguation")}
        item["score"] = 100
        relations = []
        for rel in area.get("relations") or []:
            target = (rel.get("area") or {}).get("id")
            nested = {"type": rel.get("type"), "type-id": rel.get("type-id"), "direction": rel.get("direction")}
            nested.update({"target": target, "area": copy.deepcopy(rel.get("area"))})
            if rel.get("ended"):
                nested["ended"] = True
            relations.append(nested)
        if relations:
            item["relation-list"] = [{"relations": relations}]
        return item
