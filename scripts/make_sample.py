"""Regenerate the bundled sample under ``data/sample/`` from its catalogue, byte for byte the same on every run.

    uv run python -m scripts.make_sample            # rewrites data/sample/
    uv run python -m scripts.make_sample --out DIR  # writes DIR instead (tests)

``data/sample/catalogue.json`` holds only what varies: artists, albums and their sampled tracks, MusicBrainz areas
and artists, how the history is drawn. This script derives the rest (fabricated ids, URLs, images, ISRCs, UPCs,
popularity), writes the API answers, the plays and what the MusicBrainz enrichment must find, and copies the
catalogue along. ``data/sample/README.md`` describes the files and their deliberate cases.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import shutil
import unicodedata
import uuid
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

DEFAULT_OUT = Path(__file__).resolve().parents[1] / "data" / "sample"
CATALOGUE = DEFAULT_OUT / "catalogue.json"
SEED, USER_ID = 2026, "sample-user"
API, OPEN = "https://api.spotify.com/v1", "https://open.spotify.com"
B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
EXPORT_FILE = "Streaming_History_Audio_2024-2026_0.json"  # the request_cursor of extended-history rows
RECENT, EXTENDED = "spotify_recently_played", "spotify_extended_history"
# the contract columns of tracks_played (docs/contracts.md), in order: strings but for the typed ones
COLUMNS = ("user_id", "track_id", "track_uri", "track_isrc", "track_name", "album_id", "album_uri", "album",
           "artist_id", "artist_mbid", "artist", "duration_ms", "played_at", "popularity", "request_cursor",
           "play_source")  # fmt: skip
TYPED = {"duration_ms": (pa.int64(), "bigint"), "played_at": (pa.timestamp("us"), "timestamp"),
         "popularity": (pa.float64(), "double")}  # fmt: skip
# An area's walk up takes a current parent first, the best ranked type first (the rule of the dbt models).
PARENT_RANK = {"Subdivision": 1, "County": 2, "Municipality": 3, "District": 4, "Island": 5, "City": 6, "Country": 8}
# The order of an area's fields: as a relation's target, in its own lookup, embedded in an artist (untyped)
TARGET_AREA = "id name sort-name type type-id disambiguation codes life-span"
AREA_LOOKUP = "id name sort-name disambiguation type type-id life-span codes"
EMBEDDED_AREA = "id name sort-name disambiguation type type-id codes"
Obj = dict[str, Any]


def number(*parts: object) -> int:
    return int.from_bytes(hashlib.sha256(":".join(["rws-music-sample", *map(str, parts)]).encode()).digest(), "big")


def small(*parts: object) -> int:
    return number(*parts) >> 192  # the first 8 bytes of the digest


def fake_id(kind: str, key: str) -> str:
    """A fabricated 22-character base62 Spotify-style id, stable for (kind, key)."""
    n = number(kind, key)
    return "".join(B62[n // 62**i % 62] for i in range(22))


def gtin(body: str) -> str:
    """Append the GS1 check digit to a UPC-A (11 digits) or EAN-13 (12 digits) body."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return body + str((10 - total % 10) % 10)


def normalized(name: str) -> str:
    """Case- and accent-insensitive form of a name (what the MusicBrainz extractor compares)."""
    return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c)).casefold().strip()


def life_span(begin: str | None = None, end: str | None = None) -> Obj:
    return {"begin": begin, "end": end, "ended": end is not None}


class Sample:
    def __init__(self, cat: Obj) -> None:
        self.cat, self.ids, self.plays_ = cat, cat["mb_ids"], cat["plays"]
        self.artists, self.albums, self.areas, self.mb_artists = (
            cat[k] for k in ("artists", "albums", "mb_areas", "mb_artists")
        )
        for key, artist in self.artists.items():
            artist |= {"key": key, "id": artist.get("spotify_id") or fake_id("artist", key)}
        self.tracks: dict[tuple[str, int], Obj] = {}
        for key, al in self.albums.items():
            al |= {"key": key, "id": al.get("spotify_id") or fake_id("album", key), "type": al.get("type", "album")}
            serial = f"{al['isrc_prefix']}{int(al['released'][:4]) % 100:02d}{small('isrc', key) % 900 + 100:03d}"
            base = self.artists[al["artist"]]["popularity"] - 12
            al["tracks"] = [
                {"number": n, "name": name, "duration_ms": ms, **(x[0] if x else {}), "isrc": f"{serial}{n:02d}",
                 "id": fake_id("track", f"{key}:{n}"), "popularity": max(0, min(100, base + small("pop", key, n) % 20))}
                for n, name, ms, *x in al["tracks"]
            ]  # fmt: skip
            self.tracks |= {(key, t["number"]): t for t in al["tracks"]}
        for t in self.tracks.values():  # one recording under two track ids
            if "same_recording_as" in t:
                t["isrc"] = self.track_at(t["same_recording_as"])["isrc"]
        self.area_ids = {k: a.get("mbid") or self.mb_id("area", k) for k, a in self.areas.items()}
        self.artist_ids = {k: self.artists.get(k, {}).get("mbid") or self.mb_id("artist", k) for k in self.mb_artists}

    def track_at(self, where: list[Any]) -> Obj:
        return self.tracks[(where[0], where[1])]

    # -- Spotify: full objects, every object's keys in alphabetical order as Spotify sends them -----------------
    def link(self, kind: str, sid: str, name: str, **more: Any) -> Obj:
        return {"external_urls": {"spotify": f"{OPEN}/{kind}/{sid}"}, "href": f"{API}/{kind}s/{sid}", "id": sid,
                "name": name, "type": kind, "uri": f"spotify:{kind}:{sid}", **more}  # fmt: skip

    def images(self, kind: str, sid: str, *sizes: int) -> list[Obj]:
        url = "https://i.scdn.co/image/{}".format
        return [{"height": s, "url": url(hashlib.sha1(f"{kind}:{sid}:{s}".encode()).hexdigest()), "width": s}
                for s in sizes]  # fmt: skip

    def artist(self, a: Obj, full: bool = False) -> Obj:
        more = {"followers": {"href": None, "total": a["followers"]}, "genres": a["genres"],
                "images": self.images("artist", a["id"], 640, 320, 160), "popularity": a["popularity"]}  # fmt: skip
        return self.link("artist", a["id"], a["name"], **(more if full else {}))

    def album(self, al: Obj, full: bool = False) -> Obj:
        date, markets, label = al["released"], self.cat["spotify_markets"], al["label"]
        precision = {4: "year", 7: "month", 10: "day"}[len(date)]
        out = self.link("album", al["id"], al["name"], album_type=al["type"], available_markets=markets,
                        artists=[self.artist(self.artists[al["artist"]])], release_date_precision=precision,
                        images=self.images("album", al["id"], 640, 300, 64), release_date=date,
                        total_tracks=al["total_tracks"])  # fmt: skip
        if not full:
            return out
        upc = f"{small('upc', al['key']):020d}"[: 11 if al["isrc_prefix"][:2] in ("US", "QM") else 12]  # UPC-A, EAN
        return out | {
            "copyrights": [{"text": f"{c} {date[:4]} {label}", "type": t} for c, t in (("©", "C"), ("℗", "P"))],
            "external_ids": {"upc": gtin(upc)}, "genres": [], "label": label,
            "popularity": max(0, self.artists[al["artist"]]["popularity"] - 8 - small("alb", al["key"]) % 15),
            "tracks": {"href": f"{API}/albums/{al['id']}/tracks?offset=0&limit=50", "limit": 50, "next": None,
                       "items": [self.track(al, t) for t in al["tracks"]],  # only the sampled ones
                       "offset": 0, "previous": None, "total": al["total_tracks"]},
        }  # fmt: skip

    def track(self, al: Obj, t: Obj, full: bool = False) -> Obj:
        out = self.link("track", t["id"], t["name"], available_markets=self.cat["spotify_markets"], disc_number=1,
                        artists=[self.artist(self.artists[k]) for k in (al["artist"], *t.get("also", ()))],
                        duration_ms=t["duration_ms"], explicit=t.get("explicit", False), is_local=False,
                        preview_url=None, track_number=t["number"])  # fmt: skip
        more = {"album": self.album(al), "external_ids": {"isrc": t["isrc"]}, "popularity": t["popularity"]}
        return out | more if full else out

    def spotify(self) -> dict[str, Obj]:
        answers = {
            "artists": {a["id"]: self.artist(a, full=True) for a in self.artists.values()},
            "albums": {al["id"]: self.album(al, full=True) for al in self.albums.values()},
            "tracks": {t["id"]: self.track(al, t, full=True) for al in self.albums.values() for t in al["tracks"]},
        }
        return {name: {k: json.loads(json.dumps(v, sort_keys=True)) for k, v in objs.items()}
                for name, objs in answers.items()}  # fmt: skip

    # -- the plays -------------------------------------------------------------------------------------------
    def plays(self, rng: random.Random) -> list[Obj]:
        p, rows, seen = self.plays_, list[Obj](), set[tuple[datetime, str]]()
        first, last = datetime.fromisoformat(p["first_day"]), datetime.fromisoformat(p["last_day"])

        def when(whole_seconds: bool) -> datetime:
            day = first + timedelta(days=int(((last - first).days + 1) * rng.random() ** 0.85))  # more lately
            hour = rng.choices(range(24), weights=p["hour_weights"])[0]
            ms = 0 if whole_seconds else rng.randrange(1000)
            return day + timedelta(hours=hour, minutes=rng.randrange(60), seconds=rng.randrange(60), milliseconds=ms)

        def add(al: Obj | None = None, t: Obj | None = None, **fields: Any) -> None:
            row: Obj = dict.fromkeys(COLUMNS) | {"user_id": USER_ID}
            if al and t:
                row |= {"track_name": t["name"], "album": al["name"], "artist": self.artists[al["artist"]]["name"]}
            row |= fields
            row |= {f"{k}_uri": f"spotify:{k}:{row[f'{k}_id']}" for k in ("track", "album") if row[f"{k}_id"]}
            row["request_cursor"] = EXPORT_FILE if row["play_source"] == EXTENDED else None
            identity = row["track_id"] or row["track_name"]  # never two plays of one track at one instant
            while row["played_at"] is None or (row["played_at"], identity) in seen:
                row["played_at"] = when(row["play_source"] in (EXTENDED, "lastfm"))
            seen.add((row["played_at"], identity))
            rows.append(row)

        def pick(artist: str, hidden: bool = False) -> tuple[Obj, Obj]:
            albums = [al for al in self.albums.values() if al["artist"] == artist and (hidden or not al.get("hidden"))]
            choices = [(al, t) for al in albums for t in al["tracks"]]
            return rng.choices(choices, weights=[t["popularity"] + 5 for _, t in choices])[0]

        for a in self.artists.values():  # full rows: favourites, then the long tail
            for _ in range(a["plays"] if "plays" in a else rng.randint(1, 3)):
                al, t = pick(a["key"])
                add(al, t, track_id=t["id"], track_isrc=t["isrc"], album_id=al["id"], artist_id=a["id"],
                    duration_ms=t["duration_ms"], popularity=float(t["popularity"]), play_source=RECENT)  # fmt: skip
        for album, n, times in p["track_only"]:
            for _ in range(times):
                t = self.tracks[(album, n)]
                add(self.albums[album], t, track_id=t["id"], play_source=EXTENDED)
        for artist, times in p["scrobbles"].items():  # titles without Spotify's remaster suffixes
            for _ in range(times):
                al, t = pick(artist, hidden=True)
                title, mbid = t["name"].removesuffix(" - Remastered 2009"), self.artists[artist].get("mbid")
                add(al, t, track_name=title, album=al["name"].removesuffix(" (Remastered)"), artist_mbid=mbid,
                    play_source="lastfm")  # fmt: skip
        for gone in p["gone"]:  # a track, an artist and an album Spotify does not know
            for _ in range(gone.get("times", 1)):
                add(**{k: v for k, v in gone.items() if k != "times"})
        rows.sort(key=lambda r: (r["played_at"], r["play_source"], r["track_id"] or r["track_name"]))
        recent = [r for r in rows if r["play_source"] == RECENT]
        after = first - timedelta(days=1)  # recently-played answers 50 plays a request; a row keeps its cursor
        for start in range(0, len(recent), 50):
            batch = recent[start : start + 50]
            for r in batch:
                r["request_cursor"] = str((after - datetime(1970, 1, 1)) // timedelta(milliseconds=1))
            after = batch[-1]["played_at"]
        scrobbles = [r for r in rows if r["play_source"] == "lastfm"]
        for i, r in enumerate(sorted(scrobbles, key=lambda r: r["played_at"], reverse=True)):
            r["request_cursor"] = f"page={i // 200 + 1}"
        history = self.artists[p["history_mbid"]["artist"]]  # the first full rows already carry the MBID
        for r in [r for r in recent if r["artist_id"] == history["id"]][: p["history_mbid"]["rows"]]:
            r["artist_mbid"] = history["mbid"]
        original = rng.choice([i for i, r in enumerate(rows) if r["play_source"] == RECENT])
        rows.insert(original + 1, dict(rows[original]))  # one exact duplicate, right after the original
        return rows

    # -- MusicBrainz (docs/apis.md) --------------------------------------------------------------------------
    def mb_id(self, kind: str, key: str) -> str:
        """Every fabricated MusicBrainz id: uuid5 of the catalogue's namespace and "<kind>:<key>"."""
        return str(uuid.uuid5(uuid.UUID(self.ids["namespace"]), f"{kind}:{key}"))

    def area(self, key: str, order: str, typed: bool = True) -> Obj:
        """An area's fields in the given order. Codes: ISO 3166-1 on a Country, 3166-2 on a Subdivision."""
        a = self.areas[key]
        codes = {"Country": "iso-3166-1-codes", "Subdivision": "iso-3166-2-codes"}.get(a["type"])
        fields = {"id": self.area_ids[key], "name": a["name"], "sort-name": a.get("sort_name", a["name"]),
                  "type": a["type"] if typed else None, "type-id": self.ids["area_types"][a["type"]] if typed else None,
                  "disambiguation": "", "life-span": life_span(*a.get("life", [])),
                  "codes": {codes: [a["code"]]} if codes and a.get("code") else {}}  # fmt: skip
        return {k: v for f in order.split() for k, v in (fields[f] if f == "codes" else {f: fields[f]}).items()}

    def relation(self, kind: str, direction: str, target: str, obj: Obj, *life: str) -> Obj:
        return {"type": kind, "type-id": self.ids[kind.replace(" ", "_")], "direction": direction,
                "target-type": target, **life_span(*life), "attributes": [], "attribute-values": {},
                "source-credit": "", "target-credit": "", target: obj}  # fmt: skip

    def area_lookup(self, key: str) -> Obj:
        """``/area/<id>?inc=area-rels``: parents "backward"; a Subdivision or County lists its children too."""
        a = self.areas[key]
        parents: list[tuple[str, str, list[str]]] = [(p, "backward", []) for p in a.get("parents", [])]
        parents += [(p, "backward", life) for p, *life in a.get("historical", [])]  # ended ones too
        if a["type"] in ("Subdivision", "County"):
            parents += [(k, "forward", []) for k in sorted(self.areas) if key in self.areas[k].get("parents", [])]
        relations = [self.relation("part of", d, "area", self.area(p, TARGET_AREA), *life) for p, d, life in parents]
        return self.area(key, AREA_LOOKUP) | {"relations": relations}

    def place(self, key: str) -> tuple[str | None, str | None]:
        """(country code, subdivision code) of an area: walk the preferred current parent up to a Country."""
        node, path, sides, subdivision = self.areas[key], [key], [], None
        while node["type"] != "Country":
            subdivision = subdivision or (node.get("code") if node["type"] == "Subdivision" else None)
            parents = node.get("parents") or [p for p, _, _ in node.get("historical", [])]
            if not parents:
                break
            chosen = min(parents, key=lambda p: (PARENT_RANK.get(self.areas[p]["type"], 7), self.area_ids[p]))
            assert chosen not in path
            sides += [p for p in node.get("parents", []) if p != chosen]
            node, path = self.areas[chosen], [*path, chosen]
        # a current parent the walk did not take can still name the subdivision
        sides = [self.areas[p].get("code") for p in sides if self.areas[p]["type"] == "Subdivision"]
        sub = subdivision or next(iter(sides), None)
        country = node["code"] if node["type"] == "Country" else None
        return country or (sub[:2] if sub else None), sub

    def artist_name(self, key: str) -> str:
        return self.mb_artists[key].get("name") or self.artists[key]["name"]

    def credited(self, key: str, **more: Any) -> Obj:
        a = self.mb_artists[key]
        out = {"id": self.artist_ids[key], "name": self.artist_name(key), "sort-name": a["sort_name"]}
        return out | ({"disambiguation": a["disambiguation"]} if a.get("disambiguation") else {}) | more

    def artist_lookup(self, key: str) -> Obj:
        """``/artist/<mbid>?inc=genres+tags+aliases``. A genre is also a tag, with the same count."""
        a, ids = self.mb_artists[key], self.ids
        where = ("area", "begin_area", "end_area")
        area, begin, end = (a.get(f) and self.area(a[f], EMBEDDED_AREA, typed=False) for f in where)
        real = key in self.artists  # fabricated ISNIs and IPIs only for the catalogue's artists, not the decoys
        genres = sorted(a["genres"].items())
        return {
            "id": self.artist_ids[key], "name": self.artist_name(key), "sort-name": a["sort_name"], "type": a["type"],
            "type-id": ids["artist_types"][a["type"]], "gender": a.get("gender"),
            "gender-id": ids["genders"].get(a.get("gender")),
            "country": area and area.get("iso-3166-1-codes", [None])[0], "disambiguation": a.get("disambiguation", ""),
            "isnis": [f"000000{small('isni', key) % 10**10:010d}"] if real else [],
            "ipis": [f"{small('ipi', key) % 10**11:011d}"] if real and a["type"] == "Person" else [],
            "area": area, "begin-area": begin, "begin_area": begin, "end-area": end, "end_area": end,
            "life-span": life_span(*a["life"]),
            "aliases": [{"name": x["name"], "sort-name": x.get("sort_name", x["name"]), "type": x["type"],
                         "type-id": ids["alias_types"][x["type"]], "locale": x.get("locale"),
                         "primary": x.get("primary"), **life_span(x.get("begin"), x.get("end"))}
                        for x in a.get("aliases", [])],
            "genres": [{"id": ids["genres"].get(name) or self.mb_id("genre", name), "name": name,
                        "disambiguation": "", "count": count} for name, count in genres],
            "tags": [{"count": c, "name": n} for n, c in sorted([*genres, *a.get("tags", {}).items()])],
        }  # fmt: skip

    def recording(self, al: Obj, t: Obj) -> Obj:
        """An item of an ISRC search (``/recording?query=isrc:(…)``)."""
        keys = [al["artist"], *t.get("also", ())]
        names = [t.get("mb_credited_as")] + [None] * len(keys)  # the name on this recording, else the usual one
        credits = [{"name": names[i] or self.mb_artists[k].get("credited_as") or self.artist_name(k),
                    "joinphrase": "" if i == len(keys) - 1 else (" feat. " if i == 0 else " & "),
                    "artist": self.credited(k)} for i, k in enumerate(keys)]  # fmt: skip
        title = al["name"].removesuffix(" (Remastered)")
        primary = "Single" if al["type"] == "single" else "Album"
        group: Obj = {"id": self.mb_id("release-group", al["key"]), "primary-type": primary}
        group |= {"secondary-types": ["Compilation"]} if al["type"] == "compilation" else {}
        also = [self.track_at(t["mb_also_isrc_of"])["isrc"]] if "mb_also_isrc_of" in t else []
        return {
            "id": self.mb_id("recording", f"{al['key']}:{t['number']}"), "score": 100,
            "title": t["name"].removesuffix(" - Remastered 2009"),
            "length": t["duration_ms"] + small("mb-length", al["key"], t["number"]) % 1601 - 800, "video": None,
            **({"disambiguation": t["mb_disambiguation"]} if "mb_disambiguation" in t else {}),
            "artist-credit": credits, "first-release-date": t.get("mb_first_released", al["released"]),
            "releases": [{"id": self.mb_id("release", al["key"]), "status-id": self.ids["official"], "count": 1,
                          "title": title, "status": "Official", "release-group": group | {"title": title},
                          "date": al["released"], "track-count": al["total_tracks"]}],
            "isrcs": [t["isrc"], *also],
        }  # fmt: skip

    def url(self, key: str) -> tuple[str, Obj]:
        """``/url?resource=<Spotify artist URL>&inc=artist-rels``."""
        a, resource = self.mb_artists[key], f"{OPEN}/artist/{self.artists[key]['spotify_id']}"
        artist = self.credited(key, disambiguation=a.get("disambiguation", ""), type=a["type"],
                               **{"type-id": self.ids["artist_types"][a["type"]]})  # fmt: skip
        relation = self.relation("free streaming", "backward", "artist", artist)
        return resource, {"id": self.mb_id("url", resource), "resource": resource, "relations": [relation]}

    def musicbrainz(self) -> dict[str, Any]:
        return {
            "artists": {self.artist_ids[k]: self.artist_lookup(k) for k in self.mb_artists},
            "areas": {self.area_ids[k]: self.area_lookup(k) for k in self.areas},
            "recordings": [self.recording(al, t) for al in self.albums.values()
                           if self.mb_artists[al["artist"]].get("isrc_recordings", True)
                           for t in al["tracks"] if not t.get("mb_unknown")],
            "urls": dict(sorted(self.url(k) for k, a in self.mb_artists.items() if a.get("spotify_url"))),
        }  # fmt: skip

    def expected(self, rows: list[Obj], mb: dict[str, Any]) -> dict[str, Obj]:
        """For every Spotify artist of the history (and every MBID only scrobbles name): the MBID, how it is
        found (history > isrc > spotify_url > name_search) and where the artist comes from."""
        by_track = {t["id"]: (al, t) for al in self.albums.values() for t in al["tracks"]}
        plays: dict[str, Obj] = {}
        for row in rows:
            al, t = by_track.get(row["track_id"], (None, None))
            sid = row["artist_id"] or (al and self.artists[al["artist"]]["id"])
            if sid:
                seen = plays.setdefault(sid, {"isrcs": set(), "mbids": [], "names": []})
                seen["isrcs"] |= {row["track_isrc"] or (t and t["isrc"])} - {None}
                seen["mbids"] += [row["artist_mbid"]] if row["artist_mbid"] else []
                seen["names"].append(row["artist"])

        def most(values: list[str]) -> str | None:
            return max(sorted(set(values)), key=values.count) if values else None

        spotify_names = {a["id"]: a["name"] for a in self.artists.values()}
        out: dict[str, Obj] = {}
        for sid, seen in sorted(plays.items()):
            wanted = normalized(spotify_names.get(sid) or most(seen["names"]) or "")
            isrc = [c["artist"]["id"] for r in mb["recordings"] if seen["isrcs"] & set(r["isrcs"])
                    for c in r["artist-credit"]
                    if wanted in map(normalized, (c["name"], c["artist"]["name"]))]  # fmt: skip
            url = mb["urls"].get(f"{OPEN}/artist/{sid}", {"relations": [{"artist": {"id": None}}]})
            name = [self.artist_ids[k] for k in self.mb_artists if normalized(self.artist_name(k)) == wanted]
            found = [(most(seen["mbids"]), "history"), (most(isrc), "isrc"),
                     (url["relations"][0]["artist"]["id"], "spotify_url"),
                     (next(iter(name), None), "name_search")]  # fmt: skip
            out[sid] = self.located(sid, *next((f for f in found if f[0]), (None, None)))
        only_scrobbled = {r["artist_mbid"] for r in rows if r["artist_mbid"]} - {e["artist_mbid"] for e in out.values()}
        for mbid in sorted(only_scrobbled):
            out[mbid] = self.located(None, mbid, "history")
        return out

    def located(self, sid: str | None, mbid: str | None, method: str | None) -> Obj:
        """The artist's area, else its end area, else its begin area."""
        a: Obj = next((self.mb_artists[k] for k, v in self.artist_ids.items() if v == mbid), {}) if mbid else {}
        area = a.get("area") or a.get("end_area") or a.get("begin_area")
        country, subdivision = self.place(area) if area else (None, None)
        return {"spotify_artist_id": sid, "artist_mbid": mbid, "match_method": method, "country_code": country,
                "area_name": area and self.areas[area]["name"], "subdivision_code": subdivision}  # fmt: skip


def write_json(path: Path, obj: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(obj, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def write_parquet(path: Path, rows: list[Obj]) -> None:
    """Through DuckDB, single-threaded and in UTC, so the bytes are the same on every run."""
    table = pa.Table.from_pylist(rows, schema=pa.schema([(c, TYPED.get(c, (pa.string(),))[0]) for c in COLUMNS]))
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with duckdb.connect(":memory:") as con:
        con.execute("set threads = 1")
        con.execute("set timezone = 'UTC'")
        con.register("plays_arrow", table)
        select = ", ".join(f"cast({c} as {TYPED.get(c, (None, 'varchar'))[1]}) as {c}" for c in COLUMNS)
        con.execute(f"copy (select {select} from plays_arrow) to '{tmp}' (format parquet, compression zstd)")
    tmp.replace(path)


def generate(out: Path, catalogue: Path = CATALOGUE) -> dict[str, int]:
    cat = json.loads(catalogue.read_text(encoding="utf-8"))
    sample = Sample(cat)
    spotify, rows, mb = sample.spotify(), sample.plays(random.Random(SEED)), sample.musicbrainz()
    files = {f"recordings/spotify/{k}.json": v for k, v in spotify.items()}
    files |= {f"recordings/musicbrainz/{k}.json": v for k, v in mb.items()}
    files |= {"recordings/openweather/geocode.json": cat["openweather_geocode"]}
    files |= {"expected_musicbrainz.json": sample.expected(rows, mb)}
    for name, obj in files.items():
        write_json(out / name, obj)
    write_parquet(out / "tracks_played.parquet", rows)
    if (out / catalogue.name).resolve() != catalogue.resolve():  # the folder carries what it was made from
        shutil.copyfile(catalogue, out / catalogue.name)
    return {name: len(obj) for name, obj in files.items()} | {"tracks_played.parquet": len(rows)}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Regenerate the bundled sample (deterministic).")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"output folder (default {DEFAULT_OUT})")
    args = parser.parse_args(argv)
    counts = generate(args.out)
    print(", ".join(f"{k}: {v}" for k, v in counts.items()), "->", args.out)


if __name__ == "__main__":
    main()
