"""A fake Spotify Web API and accounts service, as they answer in 2026 (docs/apis.md, "Spotify").

``mode="extended"``: the batch endpoints work (an extended-quota app). ``mode="dev"``: an app in
Development Mode: batch endpoints answer 403, and artists lose followers/popularity, albums lose
label/popularity/available_markets.

Recently played (``GET /v1/me/player/recently-played``) shows only the user's newest 50 listens, as Spotify
does: ``after``/``before`` page within those 50 and never further back (spotify/web-api#764, #627, #1405).

The accounts service answers the refresh-token grant for the refresh tokens it has issued (``REFRESH_TOKEN``,
those of :meth:`FakeSpotify.authorise` and those the authorisation-code grant issued). With
``rotate_refresh_tokens`` it rotates them as Spotify did for PKCE apps: each refresh answer carries a new
``refresh_token`` and the one used is revoked (``invalid_grant: Refresh token revoked`` if sent again).
``refresh_tokens_received`` records every refresh token sent to it.

The authorisation-code flow with PKCE, as Spotify speaks it: ``GET /authorize`` checks the client id, the
redirect URI against the app's registered ``redirect_uris`` (exact, except that a loopback IP literal registered
without a port matches any port, as Spotify allows), ``response_type=code`` and an S256 ``code_challenge``, and
answers 400 with an HTML page (``INVALID_CLIENT: Invalid redirect URI`` ...) when one is wrong, as Spotify's page
does. Otherwise the simulated user answers at once: approves (302 to ``<redirect_uri>?code=…&state=…``) or, with
``user_declines``, declines (302 to ``<redirect_uri>?error=access_denied&state=…``). ``POST /api/token`` with
``grant_type=authorization_code`` takes each code once, checks the redirect URI and the ``code_verifier``
against the challenge, and answers the tokens with the scope the user granted (``granted_scope``, else what was
asked), or 400 ``invalid_grant`` / ``invalid_client`` with Spotify's descriptions.

Search (``GET /v1/search?q=…&type=track,artist&limit=&offset=&market=``) answers Spotify's envelope: one paging
object per type asked, keyed by its plural (``{"tracks": {…}, "artists": {…}}``), ``limit`` per type, ``next``
the same query at ``offset + limit`` while more remain (``href``/``next`` spell the query ``query=``, as Spotify's
do; the fake takes ``query`` for ``q`` so a client can follow them). Items are full objects, trimmed by the mode
as the lookups are. ``q`` holds field filters ``isrc:X``, ``track:``, ``artist:``, ``album:`` (a word or a
``"quoted phrase"``), ``year:1999`` / ``year:1990-1999`` and free words; matching folds case and accents, and a
filter matches when each of its words is one of the field's words (``track:"Yesterday"`` finds "Yesterday -
Remastered 2009"; ``artist:`` matches any of a track's artists; ``isrc:`` is exact). A filter that does not apply
to a type (``track:``/``isrc:`` for artists) matches none of that type. Results come by the stored entity's
``popularity`` (even in dev mode, where the answer hides it), highest first, then by id: a popular remaster or
cover comes before the original, as on the real service. Types ``track``, ``artist`` and ``album`` search the
stores; Spotify's other types (``playlist``, ``show``, …) answer empty pages; anything else is 400 "Bad search
type field". ``limit`` is 1..50 (default 20), in dev mode 1..10 (default 5, the 2026 Development Mode cap),
else 400 "Invalid limit"; ``offset`` 0..1000. Every search's query parameters are recorded in ``searches``.

Albums carry their tracks as Spotify's do: ``GET /v1/albums/{id}`` (and each album of ``/v1/albums?ids=``) has
``tracks``, a paging object of simplified tracks (a track without ``album``, ``external_ids``, ``popularity``), the
first 50, with ``next`` = ``…/albums/{id}/tracks?offset=50&limit=50`` while more remain; ``GET
/v1/albums/{id}/tracks?offset=&limit=`` (limit 1..50, default 20) pages the same list. An album's tracks are those
its stored object lists in ``tracks.items`` (a recording; each built from the stored track when the fake has it,
so edits to the stored tracks show), else every stored track whose ``album.id`` is the album, by disc, track
number and id; then ``total_tracks`` and ``tracks.total`` are their number. A recording whose items are only
the sampled tracks keeps its recorded ``total`` (data/sample/README.md), and ``next`` goes only as far as the
tracks the fake knows. The fake indexes the stores on first use and again when one of them is replaced or
changes size; call :meth:`FakeSpotify.reindex` after editing a stored entity's names, ISRC or album in place.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import itertools
import json
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Self
from urllib.parse import parse_qs, urlencode, urlsplit

from scripts.devkit.fakes.base import FakeServer, Fault, Reply, Request
from scripts.devkit.fakes.musicbrainz import normalized

CLIENT_ID = "test-client-id"
CLIENT_SECRET = "test-client-secret"
REFRESH_TOKEN = "test-refresh-token"
RECENTLY_PLAYED_WINDOW = 50  # the listens Spotify keeps for the API: the newest 50
RECENTLY_PLAYED_MAX_LIMIT = 50
ID_RE = re.compile(r"^[0-9A-Za-z]{22}$")
BATCH_MAX = {"artists": 50, "albums": 20, "tracks": 50}
USER_SCOPE = "user-read-recently-played"  # what /me/player/recently-played needs
KNOWN_SCOPES = frozenset(
    {
        "user-read-recently-played",
        "user-top-read",
        "user-read-playback-position",
        "user-read-playback-state",
        "user-read-currently-playing",
        "user-library-read",
        "user-follow-read",
        "user-read-private",
        "user-read-email",
        "playlist-read-private",
    }
)
DEV_MODE_REMOVED = {
    "artists": ("followers", "popularity"),
    "albums": ("label", "popularity", "available_markets"),
    "tracks": ("available_markets", "popularity"),
}
SEARCH_TYPES = ("track", "artist", "album")  # the types the fake searches
EMPTY_SEARCH_TYPES = ("playlist", "show", "episode", "audiobook")  # Spotify's other types: the fake has none
SEARCH_LIMIT = {"extended": (20, 50), "dev": (5, 10)}  # (default, max); Development Mode since Feb 2026
SEARCH_MAX_OFFSET = 1000
ALBUM_TRACKS_PAGE = 50  # the tracks embedded in an album object
ALBUM_TRACKS_MAX_LIMIT = 50
SIMPLE_TRACK_DROPS = ("album", "external_ids", "popularity")  # a simplified track object: the full one without
QUERY_TERM = re.compile(r'(\w+):"([^"]*)"?|(\w+):(\S+)|"([^"]*)"?|(\S+)')
FILTERS_OF = {  # the field filters that apply to each searched type
    "track": {"track", "artist", "album", "isrc", "year"},
    "artist": {"artist"},
    "album": {"artist", "album", "year"},
}


def _error(status: int, message: str, **extra: Any) -> Reply:
    return Reply.json(status, {"error": {"status": status, "message": message, **extra}})


def _oauth_error(error: str, description: str) -> Reply:
    """The token endpoint's error shape (not the Web API's)."""
    return Reply.json(400, {"error": error, "error_description": description})


def _page(status: int, text: str) -> Reply:
    """Spotify's accounts pages answer a bad authorise request with an HTML page naming the problem."""
    body = f"<!DOCTYPE html><html><head><title>Error</title></head><body><h1>{text}</h1></body></html>"
    return Reply(status, body.encode(), {"Content-Type": "text/html; charset=utf-8"})


def _redirect(uri: str, params: dict[str, str]) -> Reply:
    return Reply(302, b"", {"Location": f"{uri}{'&' if '?' in uri else '?'}{urlencode(params)}"})


def simple_track(track: dict[str, Any]) -> dict[str, Any]:
    """The simplified track object (as in an album's ``tracks``): the full one without album, ISRC, popularity."""
    return {k: v for k, v in track.items() if k not in SIMPLE_TRACK_DROPS}


def words(text: str) -> frozenset[str]:
    """The words of a name as search sees them: case- and accent-folded."""
    return frozenset(re.findall(r"\w+", normalized(text)))


@dataclass
class Query:
    """A search's ``q``: its field filters (each a set of words, ``isrc`` and ``year`` as given) and free words."""

    filters: dict[str, list[frozenset[str]]] = field(default_factory=dict)
    isrc: list[str] = field(default_factory=list)
    years: list[tuple[int, int]] = field(default_factory=list)
    free: frozenset[str] = frozenset()

    @classmethod
    def parse(cls, q: str) -> Query:
        query, free = cls(), set[str]()
        for m in QUERY_TERM.finditer(q):
            name = (m.group(1) or m.group(3) or "").lower()
            value = m.group(2) if m.group(1) else m.group(4) if m.group(3) else m.group(5) or m.group(6) or ""
            if name == "isrc":
                query.isrc.append(value.strip().upper())
            elif name == "year" and re.fullmatch(r"\d{4}(-\d{4})?", value):
                first, _, last = value.partition("-")
                query.years.append((int(first), int(last or first)))
            elif name in ("track", "artist", "album"):
                query.filters.setdefault(name, []).append(words(value))
            else:  # free words, and fields the fake does not know (Spotify reads those as words too)
                free |= words(f"{name} {value}")
        query.free = frozenset(free)
        return query

    def fields(self) -> set[str]:
        return set(self.filters) | ({"isrc"} if self.isrc else set()) | ({"year"} if self.years else set())


@dataclass
class SearchEntry:
    """What search matches of one stored entity: the words of its fields (artists: one set per artist)."""

    id: str
    popularity: int
    name: frozenset[str]
    artists: list[frozenset[str]]
    album: frozenset[str] = frozenset()
    isrc: str = ""
    year: int | None = None

    def matches(self, kind: str, query: Query) -> bool:
        if not query.fields() <= FILTERS_OF[kind]:
            return False
        own = {"track": self.name, "album": self.album if kind == "track" else self.name}
        for name, wanted in query.filters.items():
            for phrase in wanted:
                if name == "artist" and not any(phrase <= a for a in self.artists):
                    return False
                if name != "artist" and not phrase <= own[name]:
                    return False
        if query.isrc and any(i != self.isrc for i in query.isrc):
            return False
        if query.years and (self.year is None or not all(a <= self.year <= b for a, b in query.years)):
            return False
        return query.free <= self.name.union(self.album, *self.artists)


def _year(album: dict[str, Any] | None) -> int | None:
    date = (album or {}).get("release_date") or ""
    return int(date[:4]) if date[:4].isdigit() else None


@dataclass
class Index:
    """The stores as search and the album tracks read them, built once per version of the stores."""

    stores: tuple[dict[str, Any], ...]
    sizes: tuple[int, ...]
    search: dict[str, list[SearchEntry]]  # by type, in answer order: popularity desc, then id
    album_tracks: dict[str, list[str]]  # album id -> ids of the stored tracks on it, in album order
    # by type, each word (and `isrc:<ISRC>`) -> the positions in `search` of the entries that have it
    postings: dict[str, dict[str, set[int]]] = field(default_factory=dict)

    def candidates(self, kind: str, query: Query) -> list[SearchEntry]:
        """The entries that have every word the query names, in answer order: a superset of its matches."""
        entries = self.search.get(kind, [])
        needed = set(query.free) | {w for phrases in query.filters.values() for p in phrases for w in p}
        needed |= {f"isrc:{i}" for i in query.isrc}
        if not needed:
            return entries
        postings = self.postings.get(kind, {})
        found = set.intersection(*(postings.get(w, set()) for w in needed))
        return [entries[i] for i in sorted(found)]

    @classmethod
    def build(cls, entities: dict[str, dict[str, dict[str, Any]]]) -> Index:
        def names(entity: dict[str, Any]) -> list[frozenset[str]]:
            return [words(a.get("name") or "") for a in entity.get("artists") or []]

        search: dict[str, list[SearchEntry]] = {"track": [], "artist": [], "album": []}
        album_tracks: dict[str, list[tuple[int, int, str]]] = {}
        for tid, t in entities["tracks"].items():
            album = t.get("album") or {}
            isrc = ((t.get("external_ids") or {}).get("isrc") or "").upper()
            name, on = words(t.get("name") or ""), words(album.get("name") or "")
            search["track"].append(SearchEntry(tid, t.get("popularity") or 0, name, names(t), on, isrc, _year(album)))
            if album.get("id"):
                place = (t.get("disc_number") or 1, t.get("track_number") or 0, tid)
                album_tracks.setdefault(album["id"], []).append(place)
        for aid, a in entities["artists"].items():
            name = words(a.get("name") or "")
            search["artist"].append(SearchEntry(aid, a.get("popularity") or 0, name, [name]))
        for aid, al in entities["albums"].items():
            search["album"].append(
                SearchEntry(aid, al.get("popularity") or 0, words(al.get("name") or ""), names(al), year=_year(al))
            )
        postings: dict[str, dict[str, set[int]]] = {}
        for kind, entries in search.items():
            entries.sort(key=lambda e: (-e.popularity, e.id))
            words_of = postings.setdefault(kind, {})
            for i, e in enumerate(entries):
                for w in e.name.union(e.album, *e.artists) | ({f"isrc:{e.isrc}"} if e.isrc else set()):
                    words_of.setdefault(w, set()).add(i)
        stores = tuple(entities[k] for k in ("artists", "albums", "tracks"))
        return cls(
            stores,
            tuple(map(len, stores)),
            search,
            {album: [tid for *_, tid in sorted(places)] for album, places in album_tracks.items()},
            postings,
        )

    def current(self, entities: dict[str, dict[str, dict[str, Any]]]) -> bool:
        stores = tuple(entities[k] for k in ("artists", "albums", "tracks"))
        same = all(a is b for a, b in zip(stores, self.stores, strict=True))
        return same and self.sizes == tuple(map(len, stores))


def _paging(
    items: list[Any], limit: int, offset: int, total: int, more: bool, url: Callable[[int], str]
) -> dict[str, Any]:
    """Spotify's paging object; ``url(offset)`` spells the page of ``limit`` at an offset (href, next, previous)."""
    return {
        "href": url(offset),
        "items": items,
        "limit": limit,
        "next": url(offset + limit) if more else None,
        "offset": offset,
        "previous": url(max(0, offset - limit)) if offset > 0 else None,
        "total": total,
    }


def s256(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


class FakeSpotify(FakeServer):
    def __init__(
        self,
        artists: dict[str, dict[str, Any]] | None = None,
        albums: dict[str, dict[str, Any]] | None = None,
        tracks: dict[str, dict[str, Any]] | None = None,
        mode: str = "extended",
        token_ttl: int = 3600,
    ) -> None:
        super().__init__()
        self.entities: dict[str, dict[str, dict[str, Any]]] = {
            "artists": artists or {},
            "albums": albums or {},
            "tracks": tracks or {},
        }
        self.mode = mode
        self.token_ttl = token_ttl
        self.refresh_token_revoked = False  # every refresh token refused (the user revoked the app)
        self.refresh_tokens: set[str] = {REFRESH_TOKEN}  # the refresh tokens the grant accepts
        self.rotate_refresh_tokens = False
        self.refresh_tokens_received: list[str] = []  # what each refresh-token grant sent, in order
        self.valid_tokens: set[str] = set()
        self.user_tokens: set[str] = set()  # issued by the refresh-token grant: may read /me/...
        self.plays: list[tuple[int, str]] = []  # (played_at epoch ms, track id) of the user's listening
        # well-formed ids the Web API still refuses with 400 "invalid id" (seen for ids of removed content)
        self.invalid_ids: set[str] = set()
        self._counter = itertools.count(1)
        self._rotations = itertools.count(1)
        self._rotated_out: set[str] = set()  # refresh tokens replaced by a rotation: revoked
        # the authorisation-code flow
        self.client_ids: set[str] = {CLIENT_ID}
        self.redirect_uris: list[str] = []  # the app's registered Redirect URIs (dashboard → settings)
        self.user_declines = False  # the simulated user clicks "Cancel" on the consent page
        self.granted_scope: str | None = None  # what the user grants (None: what the app asked for)
        self.issued_refresh_tokens: list[str] = []  # by the authorisation-code grant, in order
        self.refresh_scopes: dict[str, str] = {}  # the scope of each refresh token (default: USER_SCOPE)
        self._codes: dict[str, dict[str, str]] = {}  # one-time code -> client_id, redirect_uri, challenge, scope
        self._used_codes: set[str] = set()
        self._code_numbers = itertools.count(1)
        self.searches: list[dict[str, str]] = []  # the query parameters of every search, in order
        self._index: Index | None = None
        self._index_lock = threading.Lock()

    @classmethod
    def from_recordings(cls, folder: Path, **options: Any) -> Self:
        def load(name: str) -> dict[str, dict[str, Any]]:
            path = folder / f"{name}.json"
            return json.loads(path.read_text()) if path.exists() else {}

        return cls(load("artists"), load("albums"), load("tracks"), **options)

    title = "Spotify"

    @property
    def api_url(self) -> str:
        return f"{self.url}/v1"

    def settings(self) -> dict[str, str]:
        return {
            "SPOTIFY_API_URL": self.api_url,
            "SPOTIFY_ACCOUNTS_URL": self.url,
            "SPOTIFY_CLIENT_ID": CLIENT_ID,
            "SPOTIFY_CLIENT_SECRET": CLIENT_SECRET,
            "SPOTIFY_REFRESH_TOKEN": REFRESH_TOKEN,
            "SPOTIFY_MIN_INTERVAL": "0",
        }

    def data_requests(self) -> int:
        """Requests to the Web API (token requests excluded)."""
        return self.count("/v1/")

    def on_fault(self, fault: Fault) -> None:
        if fault.kind == "expire_tokens":
            self.valid_tokens.clear()

    # -- routing --------------------------------------------------------------------------------------
    def handle(self, request: Request) -> Reply:
        if request.path == "/api/token" and request.method == "POST":
            return self.token(request)
        if request.path == "/authorize" and request.method == "GET":
            return self.authorize(request)
        if request.method != "GET" or not request.path.startswith("/v1/"):
            return _error(404, "Service not found")
        auth = request.headers.get("Authorization", "")
        if not auth.startswith("Bearer "):
            return _error(401, "No token provided")
        if auth.removeprefix("Bearer ") not in self.valid_tokens:
            return _error(401, "The access token expired")
        if request.path == "/v1/me/player/recently-played":
            token = auth.removeprefix("Bearer ")
            if token not in self.user_tokens:
                return _error(403, "Insufficient client scope")  # a client-credentials token
            return self.recently_played(request)
        parts = request.path.removeprefix("/v1/").strip("/").split("/")
        kind = parts[0]
        if parts == ["search"]:
            return self.search(request)
        if kind not in self.entities:
            return _error(404, "Service not found")
        if len(parts) == 1:
            return self.several(kind, request)
        if len(parts) == 2:
            return self.one(kind, parts[1])
        if len(parts) == 3 and kind == "albums" and parts[2] == "tracks":
            return self.album_tracks_page(parts[1], request)
        return _error(404, "Service not found")

    def view(self, kind: str, entity: dict[str, Any]) -> dict[str, Any]:
        if self.mode != "dev":
            return entity
        trimmed = copy.deepcopy(entity)
        for name in DEV_MODE_REMOVED[kind]:
            trimmed.pop(name, None)
        return trimmed

    def several(self, kind: str, request: Request) -> Reply:
        if self.mode == "dev":
            return _error(403, "Forbidden")
        ids = [i for i in ",".join(request.query.get("ids", [])).split(",") if i]
        if not ids:
            return _error(400, "invalid id")
        if len(ids) > BATCH_MAX[kind]:
            return _error(400, "Too many ids requested")
        if any(not ID_RE.match(i) for i in ids):
            return _error(400, "invalid id")
        store = self.entities[kind]
        return Reply.json(200, {kind: [self.answer(kind, store[i]) if i in store else None for i in ids]})

    def one(self, kind: str, entity_id: str) -> Reply:
        if not ID_RE.match(entity_id) or entity_id in self.invalid_ids:
            return _error(400, "invalid id")
        entity = self.entities[kind].get(entity_id)
        if entity is None:
            return _error(404, "Resource not found")
        return Reply.json(200, self.answer(kind, entity))

    def answer(self, kind: str, entity: dict[str, Any]) -> dict[str, Any]:
        """The object a lookup answers: as the mode shows it, an album with its tracks' first page."""
        if kind != "albums":
            return self.view(kind, entity)
        album = dict(self.view(kind, entity))
        tracks, total = self.album_tracks(entity)
        album["tracks"] = self.album_page(entity["id"], tracks, total, 0, ALBUM_TRACKS_PAGE)
        if not (entity.get("tracks") or {}).get("items") and tracks:
            album["total_tracks"] = total
        return album

    # -- indexes: search, and the tracks of each album -------------------------------------------------
    def index(self) -> Index:
        with self._index_lock:
            if self._index is None or not self._index.current(self.entities):
                self._index = Index.build(self.entities)
            return self._index

    def reindex(self) -> None:
        """Index the stores again (after a stored entity's names, ISRC or album changed in place)."""
        with self._index_lock:
            self._index = None

    # -- albums' tracks --------------------------------------------------------------------------------
    def album_tracks(self, album: dict[str, Any]) -> tuple[list[dict[str, Any]], int]:
        """The album's simplified tracks the fake knows, and its number of tracks (``tracks.total``).

        A recorded album lists its tracks (each built from the stored track when there is one); otherwise they
        are the stored tracks on it. A recording of only some tracks keeps its recorded total."""
        stored = self.entities["tracks"]
        recorded = (album.get("tracks") or {}).get("items") or []
        if recorded:
            items = [simple_track(stored[t["id"]]) if t.get("id") in stored else t for t in recorded]
            given = (album.get("tracks") or {}).get("total") or album.get("total_tracks") or 0
            return items, max(len(items), given)
        ids = self.index().album_tracks.get(album.get("id") or "", [])
        items = [simple_track(stored[t]) for t in ids if t in stored]
        return items, len(items)

    def album_page(
        self, album_id: str, tracks: list[dict[str, Any]], total: int, offset: int, limit: int
    ) -> dict[str, Any]:
        def url(at: int) -> str:
            return f"{self.api_url}/albums/{album_id}/tracks?{urlencode({'offset': at, 'limit': limit})}"

        items = [self.view("tracks", t) for t in tracks[offset : offset + limit]]
        return _paging(items, limit, offset, total, offset + limit < len(tracks), url)

    def album_tracks_page(self, album_id: str, request: Request) -> Reply:
        """``GET /v1/albums/{id}/tracks``: a page of the album's simplified tracks."""
        q = {k: v[-1] for k, v in request.query.items()}
        if not ID_RE.match(album_id) or album_id in self.invalid_ids:
            return _error(400, "invalid id")
        try:
            limit = int(q.get("limit", "20"))
        except ValueError:
            return _error(400, "Invalid limit")
        if not 1 <= limit <= ALBUM_TRACKS_MAX_LIMIT:
            return _error(400, "Invalid limit")
        try:
            offset = int(q.get("offset", "0"))
        except ValueError:
            return _error(400, "Invalid offset")
        if offset < 0:
            return _error(400, "Invalid offset")
        album = self.entities["albums"].get(album_id)
        if album is None:
            return _error(404, "Resource not found")
        tracks, total = self.album_tracks(album)
        return Reply.json(200, self.album_page(album_id, tracks, total, offset, limit))

    # -- search ----------------------------------------------------------------------------------------
    def search(self, request: Request) -> Reply:
        """``GET /v1/search``: one paging object per type asked (see the module's docstring)."""
        q = {k: v[-1] for k, v in request.query.items()}
        with self.lock:
            self.searches.append(dict(q))
        text = (q.get("q") or q.get("query") or "").strip()
        if not text:
            return _error(400, "No search query")
        if not q.get("type"):
            return _error(400, "Missing parameter type")
        types = [t.strip() for t in q["type"].split(",")]
        if not all(t in SEARCH_TYPES or t in EMPTY_SEARCH_TYPES for t in types):
            return _error(400, "Bad search type field")
        default, most = SEARCH_LIMIT["dev" if self.mode == "dev" else "extended"]
        try:
            limit = int(q.get("limit", str(default)))
        except ValueError:
            return _error(400, "Invalid limit")
        if not 1 <= limit <= most:
            return _error(400, "Invalid limit")
        try:
            offset = int(q.get("offset", "0"))
        except ValueError:
            return _error(400, "Invalid offset")
        if not 0 <= offset <= SEARCH_MAX_OFFSET:
            return _error(400, "Invalid offset")
        query = Query.parse(text)
        index = self.index()
        extra = {"market": q["market"]} if "market" in q else {}
        body: dict[str, Any] = {}
        for kind in dict.fromkeys(types):  # each type once, in the order asked

            def url(at: int, kind: str = kind) -> str:
                params = {"query": text, "offset": at, "limit": limit, "type": kind, **extra}
                return f"{self.api_url}/search?{urlencode(params)}"

            found = [e.id for e in index.candidates(kind, query) if e.matches(kind, query)]
            store = self.entities[f"{kind}s"] if kind in SEARCH_TYPES else {}
            page = [self.view(f"{kind}s", store[i]) for i in found[offset : offset + limit] if i in store]
            body[f"{kind}s"] = _paging(page, limit, offset, len(found), offset + limit < len(found), url)
        return Reply.json(200, body)

    def play(self, played_at_ms: int, track_id: str) -> None:
        with self.lock:
            self.plays.append((played_at_ms, track_id))

    def recently_played(self, request: Request) -> Reply:
        """As Spotify answers it: of the user's newest 50 listens only, newest first.

        ``after``/``before`` are exclusive cursors in epoch ms (not both); ``limit`` 1..50 (default 20), else
        400 "Invalid limit" (the Web API's message for a limit out of range). A full page has ``next`` (the
        same query with ``before`` = its oldest listen), even when nothing older is left to show, as Spotify
        answers; a shorter page has ``next`` null. ``cursors`` is ``{"after": newest, "before": oldest}``
        (strings), null for an empty page.
        """
        q = {k: v[-1] for k, v in request.query.items()}
        if "after" in q and "before" in q:
            return _error(400, "Only one of after or before can be specified")
        try:
            limit = int(q.get("limit", "20"))
        except ValueError:
            return _error(400, "Invalid limit")
        if not 1 <= limit <= RECENTLY_PLAYED_MAX_LIMIT:
            return _error(400, "Invalid limit")
        try:
            after = int(q["after"]) if "after" in q else None
            before = int(q["before"]) if "before" in q else None
        except ValueError:
            return _error(400, "Invalid cursor")
        with self.lock:
            plays = sorted(self.plays, reverse=True)[:RECENTLY_PLAYED_WINDOW]
        if after is not None:
            plays = [p for p in plays if p[0] > after]
        if before is not None:
            plays = [p for p in plays if p[0] < before]
        page = plays[:limit]
        items = []
        for ms, track_id in page:
            when = datetime.fromtimestamp(ms / 1000, UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}Z"
            track = self.entities["tracks"].get(track_id) or {"id": track_id, "name": "?", "artists": []}
            items.append({"track": track, "played_at": when, "context": None})
        base = f"{self.api_url}/me/player/recently-played"
        full = bool(page) and len(page) == limit
        return Reply.json(
            200,
            {
                "items": items,
                "next": f"{base}?{urlencode({'before': page[-1][0], 'limit': limit})}" if full else None,
                "cursors": {"after": str(page[0][0]), "before": str(page[-1][0])} if page else None,
                "limit": limit,
                "href": f"{base}?{urlencode(q)}" if q else base,
            },
        )

    # -- accounts -------------------------------------------------------------------------------------
    def authorise(self, refresh_token: str) -> None:
        """The user authorises the app again: ``refresh_token`` is issued (the earlier ones stay valid)."""
        with self.lock:
            self.refresh_tokens.add(refresh_token)

    def registered(self, redirect_uri: str) -> bool:
        """Exact match; a loopback IP literal registered without a port matches it with any port."""
        if redirect_uri in self.redirect_uris:
            return True
        parts = urlsplit(redirect_uri)
        if parts.scheme != "http" or parts.hostname not in ("127.0.0.1", "::1") or parts.port is None:
            return False
        return parts._replace(netloc=parts.netloc.rsplit(":", 1)[0]).geturl() in self.redirect_uris

    def authorize(self, request: Request) -> Reply:
        """The consent page: its errors are HTML pages; the user's answer is a redirect to the app."""
        q = {k: v[-1] for k, v in request.query.items()}
        if q.get("client_id") not in self.client_ids:
            return _page(400, "INVALID_CLIENT: Invalid client")
        redirect_uri = q.get("redirect_uri", "")
        if not self.registered(redirect_uri):
            return _page(400, "INVALID_CLIENT: Invalid redirect URI")
        if q.get("response_type") != "code":
            return _page(400, "unsupported_response_type: response_type must be code")
        if not q.get("code_challenge"):
            return _page(400, "INVALID_REQUEST: code_challenge must be provided")
        if q.get("code_challenge_method") != "S256":
            return _page(400, "INVALID_REQUEST: code_challenge_method must be S256")
        back = {"state": q["state"]} if "state" in q else {}
        scopes = q.get("scope", "").split()
        unknown = [s for s in scopes if s not in KNOWN_SCOPES]
        if unknown:
            return _redirect(redirect_uri, {"error": "invalid_scope", **back})
        if self.user_declines:
            return _redirect(redirect_uri, {"error": "access_denied", **back})
        code = f"auth-code-{next(self._code_numbers)}"
        granted = " ".join(scopes) if self.granted_scope is None else self.granted_scope
        with self.lock:
            self._codes[code] = {
                "client_id": q["client_id"],
                "redirect_uri": redirect_uri,
                "challenge": q["code_challenge"],
                "scope": granted,
            }
        return _redirect(redirect_uri, {"code": code, **back})

    def exchange_code(self, form: dict[str, str], client_id: str) -> Reply:
        """``grant_type=authorization_code``: each code once, for the same client, redirect URI and verifier."""
        code = form.get("code", "")
        with self.lock:
            issued = self._codes.get(code)
            used = code in self._used_codes
            self._used_codes.add(code)
        if issued is None or used or issued["client_id"] != client_id:
            return _oauth_error("invalid_grant", "Invalid authorization code")
        if form.get("redirect_uri") != issued["redirect_uri"]:
            return _oauth_error("invalid_grant", "Invalid redirect URI")
        if s256(form.get("code_verifier", "")) != issued["challenge"]:
            return _oauth_error("invalid_grant", "code_verifier was incorrect")
        scope = issued["scope"]
        token = f"token-{next(self._counter)}"
        with self.lock:
            refresh = f"authorised-refresh-token-{len(self.issued_refresh_tokens) + 1}"
            self.valid_tokens.add(token)
            if USER_SCOPE in scope.split():
                self.user_tokens.add(token)
            self.refresh_tokens.add(refresh)
            self.refresh_scopes[refresh] = scope
            self.issued_refresh_tokens.append(refresh)
        return Reply.json(
            200,
            {
                "access_token": token,
                "token_type": "Bearer",
                "expires_in": self.token_ttl,
                "refresh_token": refresh,
                "scope": scope,
            },
        )

    def token(self, request: Request) -> Reply:
        form = {k: v[0] for k, v in parse_qs(request.body.decode()).items()}
        auth = request.headers.get("Authorization", "")
        grant = form.get("grant_type")
        if auth.startswith("Basic "):
            client_id, _, secret = base64.b64decode(auth[6:]).decode().partition(":")
            if client_id != CLIENT_ID or secret != CLIENT_SECRET:
                return _oauth_error("invalid_client", "Invalid client")
        elif form.get("client_id") not in self.client_ids or grant not in ("refresh_token", "authorization_code"):
            return _oauth_error("invalid_client", "Invalid client")  # PKCE: the client id in the body
        else:
            client_id = form["client_id"]
        if grant == "authorization_code":
            return self.exchange_code(form, client_id)
        rotated: str | None = None
        scope = USER_SCOPE
        if grant == "refresh_token":
            sent = form.get("refresh_token", "")
            with self.lock:
                self.refresh_tokens_received.append(sent)
                known = sent in self.refresh_tokens
                revoked = self.refresh_token_revoked or sent in self._rotated_out
                scope = self.refresh_scopes.get(sent, USER_SCOPE)
                if known and not revoked and self.rotate_refresh_tokens:
                    rotated = f"rotated-refresh-token-{next(self._rotations)}"
                    self.refresh_tokens.discard(sent)
                    self._rotated_out.add(sent)
                    self.refresh_tokens.add(rotated)
                    self.refresh_scopes[rotated] = scope
            if revoked:
                return _oauth_error("invalid_grant", "Refresh token revoked")
            if not known:
                return _oauth_error("invalid_grant", "Invalid refresh token")
        elif grant != "client_credentials":
            return Reply.json(
                400, {"error": "unsupported_grant_type", "error_description": "grant_type parameter is missing"}
            )
        token = f"token-{next(self._counter)}"
        with self.lock:
            self.valid_tokens.add(token)
            if grant == "refresh_token" and USER_SCOPE in scope.split():
                self.user_tokens.add(token)
        body: dict[str, Any] = {"access_token": token, "token_type": "Bearer", "expires_in": self.token_ttl}
        if grant == "refresh_token":
            body["scope"] = scope
        if rotated:
            body["refresh_token"] = rotated
        return Reply.json(200, body)
