"""The fake Spotify's search and albums' tracks over real HTTP on 127.0.0.1, and the albums of
spotify_entities_for: they answer as Spotify does (/work/shared/api-shapes.md §1)."""

from __future__ import annotations

import base64
import random
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from scripts.devkit.fakes import FakeSpotify
from scripts.devkit.fakes.spotify import CLIENT_ID, CLIENT_SECRET
from scripts.devkit.worlds import (
    album_object,
    artist_object,
    make_musicbrainz_world,
    spotify_entities_for,
    spotify_id,
    track_object,
    with_tracks,
)

SIMPLE_TRACK_KEYS = {
    "artists", "disc_number", "duration_ms", "explicit", "external_urls", "href", "id", "is_local", "name",
    "preview_url", "track_number", "type", "uri",
}  # fmt: skip
PAGING_KEYS = {"href", "items", "limit", "next", "offset", "previous", "total"}


class Catalogue:
    """A small hand-made Spotify: artists, albums and tracks by name."""

    def __init__(self, seed: int = 11) -> None:
        self.rng = random.Random(seed)
        self.artists: dict[str, dict[str, Any]] = {}
        self.albums: dict[str, dict[str, Any]] = {}
        self.tracks: dict[str, dict[str, Any]] = {}
        self.named: dict[str, dict[str, Any]] = {}  # the entities the tests name

    def artist(self, name: str, popularity: int) -> dict[str, Any]:
        artist = artist_object(spotify_id(self.rng), name, [], popularity, 1000)
        self.artists[artist["id"]] = artist
        return artist

    def album(self, name: str, artist: dict[str, Any]) -> dict[str, Any]:
        album = album_object(spotify_id(self.rng), name, artist, "1965-08-06", "day")
        self.albums[album["id"]] = album
        return album

    def track(
        self, name: str, artist: dict[str, Any], album: dict[str, Any], isrc: str, popularity: int = 50, number: int = 1
    ) -> dict[str, Any]:
        track = track_object(
            spotify_id(self.rng), name, artist, album, isrc, track_number=number, popularity=popularity
        )
        self.tracks[track["id"]] = track
        return track

    def fake(self, mode: str = "extended") -> FakeSpotify:
        return FakeSpotify(self.artists, self.albums, self.tracks, mode=mode)


@pytest.fixture
def catalogue() -> Catalogue:
    c = Catalogue()
    beatles, covers = c.artist("The Beatles", 90), c.artist("Ray Charles", 70)
    soda = c.artist("Soda Stéreo", 65)
    grunge, sixties = c.artist("Nirvana", 85), c.artist("Nirvana", 20)  # the Seattle band and the 1960s UK one
    c.named |= {
        "yesterday": c.track("Yesterday", beatles, c.album("Help!", beatles), "GBAYE0601477", popularity=60),
        "remaster": c.track("Yesterday - Remastered 2009", beatles, c.album("Help! (Remastered)", beatles),
                            "GBAYE0601693", popularity=80),
        "cover": c.track("Yesterday", covers, c.album("Ray Sings", covers), "USRC16700001", popularity=95),
        "cancion": c.track("Canción Animal", soda, c.album("Canción Animal", soda), "ARF039000101", popularity=40),
        "grunge": grunge,
        "sixties": sixties,
        "teen": c.track("Smells Like Teen Spirit", grunge, c.album("Nevermind", grunge), "USGF19942501", 88),
        "rainbow": c.track("Rainbow Chaser", sixties, c.album("The Story of Simon Simopath", sixties),
                           "GBUM71600001", 15),
    }  # fmt: skip
    return c


def token(fake: FakeSpotify) -> str:
    basic = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
    answer = requests.post(
        f"{fake.url}/api/token",
        data={"grant_type": "client_credentials"},
        headers={"Authorization": f"Basic {basic}"},
        timeout=5,
    )
    assert answer.status_code == 200, answer.text
    return str(answer.json()["access_token"])


class Client:
    def __init__(self, fake: FakeSpotify) -> None:
        self.fake, self.headers = fake, {"Authorization": f"Bearer {token(fake)}"}

    def get(self, url: str, **params: Any) -> requests.Response:
        if not url.startswith("http"):
            url = f"{self.fake.api_url}{url}"
        return requests.get(url, params=params or None, headers=self.headers, timeout=5)

    def search_error(self, **params: object) -> tuple[int, str]:
        answer = self.get("/search", **params)
        return answer.status_code, answer.json()["error"]["message"]

    def search(self, q: str, type: str = "track", **params: object) -> dict[str, Any]:
        answer = self.get("/search", q=q, type=type, **params)
        assert answer.status_code == 200, answer.text
        body: dict[str, Any] = answer.json()
        return body


@pytest.fixture
def served(catalogue: Catalogue) -> Iterator[Client]:
    with catalogue.fake() as fake:
        yield Client(fake)


def ids(page: dict[str, Any]) -> list[str]:
    return [item["id"] for item in page["items"]]


# -- search --------------------------------------------------------------------------------------------------
def test_search_by_isrc_finds_the_one_track_case_insensitively(catalogue: Catalogue, served: Client) -> None:
    body = served.search("isrc:gbaye0601477")
    assert set(body) == {"tracks"}
    page = body["tracks"]
    assert set(page) == PAGING_KEYS
    assert ids(page) == [catalogue.named["yesterday"]["id"]]
    assert page["items"][0] == catalogue.named["yesterday"]  # the full track object
    assert (page["total"], page["next"], page["previous"], page["offset"], page["limit"]) == (1, None, None, 0, 20)
    assert served.search("isrc:GBAYE0601478")["tracks"]["items"] == []


def test_search_by_track_and_artist_folds_case_and_accents_with_or_without_quotes(
    catalogue: Catalogue, served: Client
) -> None:
    cancion = [catalogue.named["cancion"]["id"]]
    assert ids(served.search('track:"cancion animal" artist:"SODA STEREO"')["tracks"]) == cancion
    assert ids(served.search("track:canción artist:soda")["tracks"]) == cancion
    assert ids(served.search("cancion soda")["tracks"]) == cancion  # free words: over track, artist and album
    assert ids(served.search('track:"cancion animal" artist:"Soda Stereo Tribute"')["tracks"]) == []
    assert ids(served.search('track:"Animal Cancion Extra"')["tracks"]) == []  # every word of a filter


def test_a_popular_remaster_and_cover_come_before_the_original(catalogue: Catalogue) -> None:
    c = catalogue
    with catalogue.fake(mode="dev") as fake:  # dev mode hides popularity; the order still follows it
        client = Client(fake)
        page = client.search('track:"Yesterday"', limit=10)["tracks"]
        assert ids(page) == [c.named["cover"]["id"], c.named["remaster"]["id"], c.named["yesterday"]["id"]]
        assert all("popularity" not in item and "available_markets" not in item for item in page["items"])
        beatles = client.search('track:"Yesterday" artist:"The Beatles"')["tracks"]
        assert ids(beatles) == [c.named["remaster"]["id"], c.named["yesterday"]["id"]]
        assert beatles["limit"] == 5  # dev mode's default


def test_two_artists_of_one_name_are_both_found(catalogue: Catalogue, served: Client) -> None:
    c = catalogue
    grunge, sixties = c.named["grunge"], c.named["sixties"]
    artists = served.search('artist:"Nirvana"', type="artist")
    assert set(artists) == {"artists"}
    assert ids(artists["artists"]) == [grunge["id"], sixties["id"]]  # by popularity
    assert artists["artists"]["items"][0] == grunge
    assert ids(served.search("nirvana", type="artist")["artists"]) == [grunge["id"], sixties["id"]]
    tracks = served.search('artist:"nirvana"')["tracks"]
    assert ids(tracks) == [c.named["teen"]["id"], c.named["rainbow"]["id"]]
    both = served.search("artist:nirvana", type="track,artist")
    assert set(both) == {"tracks", "artists"} and both["artists"]["total"] == 2 and both["tracks"]["total"] == 2
    assert served.search("isrc:USGF19942501", type="artist")["artists"]["items"] == []  # no ISRC on artists


def test_search_pages_follow_next_to_the_end(served: Client, catalogue: Catalogue) -> None:
    artist = catalogue.artist("Prolific", 50)
    album = catalogue.album("Everything", artist)
    made = [catalogue.track(f"Song {i}", artist, album, f"QZAAA25{i:05d}", popularity=i % 7) for i in range(25)]
    expected = [t["id"] for t in sorted(made, key=lambda t: (-t["popularity"], t["id"]))]
    page = served.search("artist:prolific", limit=10, market="GB")["tracks"]
    assert page["total"] == 25 and page["previous"] is None
    assert "query=artist%3Aprolific" in page["href"] and "market=GB" in page["next"]
    seen, pages = ids(page), 1
    while page["next"]:
        answer = served.get(page["next"])
        assert answer.status_code == 200, answer.text
        page = answer.json()["tracks"]
        seen += ids(page)
        pages += 1
        assert page["previous"] is not None
    assert pages == 3 and seen == expected
    assert page["offset"] == 20 and len(page["items"]) == 5


def test_search_answers_400_as_spotify_does(catalogue: Catalogue) -> None:
    for mode, most in (("dev", 10), ("extended", 50)):
        with catalogue.fake(mode=mode) as fake:
            client = Client(fake)
            error = client.search_error
            assert error(type="track") == (400, "No search query")
            assert error(q="  ", type="track") == (400, "No search query")
            assert error(q="yesterday") == (400, "Missing parameter type")
            assert error(q="yesterday", type="tracks") == (400, "Bad search type field")
            assert error(q="yesterday", type="track", limit=most + 1) == (400, "Invalid limit")
            assert error(q="yesterday", type="track", limit=0) == (400, "Invalid limit")
            assert error(q="yesterday", type="track", limit="ten") == (400, "Invalid limit")
            assert error(q="yesterday", type="track", offset=1001)[0] == 400
            assert client.get("/search", q="yesterday", type="track", limit=most).status_code == 200
            assert client.get("/search", q="yesterday", type="track", offset=1000).status_code == 200
            assert client.search("yesterday", type="playlist")["playlists"]["items"] == []
            assert len(fake.searches) == 11
            assert fake.searches[2] == {"q": "yesterday"}
            assert fake.searches[4] == {"q": "yesterday", "type": "track", "limit": str(most + 1)}


def test_searches_are_recorded(catalogue: Catalogue, served: Client) -> None:
    served.search("isrc:GBAYE0601477")
    served.search('track:"Yesterday"', type="track,artist", limit=3)
    assert served.fake.searches == [
        {"q": "isrc:GBAYE0601477", "type": "track"},
        {"q": 'track:"Yesterday"', "type": "track,artist", "limit": "3"},
    ]


# -- albums carry their tracks -------------------------------------------------------------------------------
def long_album(c: Catalogue, n: int = 60) -> dict[str, Any]:
    artist = c.artist("Box Set Band", 30)
    album = c.album("The Complete Recordings", artist)
    for i in range(n):  # stored out of order, two discs
        number = n - i
        track = c.track(f"Take {number}", artist, album, f"QZBBB25{number:05d}", number=(number - 1) % 30 + 1)
        track["disc_number"] = 1 + (number - 1) // 30
    return album


def test_an_album_embeds_its_first_50_tracks_and_its_tracks_page_to_the_end(catalogue: Catalogue) -> None:
    album = long_album(catalogue)
    in_order = [
        t["id"] for t in sorted(catalogue.tracks.values(), key=lambda t: (t["disc_number"], t["track_number"], t["id"]))
        if t["album"]["id"] == album["id"]
    ]  # fmt: skip
    for mode in ("extended", "dev"):
        with catalogue.fake(mode=mode) as fake:
            client = Client(fake)
            got = client.get(f"/albums/{album['id']}")
            assert got.status_code == 200, got.text
            body = got.json()
            assert body["total_tracks"] == 60
            page = body["tracks"]
            assert set(page) == PAGING_KEYS
            assert page["href"] == f"{fake.api_url}/albums/{album['id']}/tracks?offset=0&limit=50"
            assert page["next"] == f"{fake.api_url}/albums/{album['id']}/tracks?offset=50&limit=50"
            assert (page["total"], page["limit"], page["offset"], len(page["items"])) == (60, 50, 0, 50)
            seen = ids(page)
            while page["next"]:
                page = client.get(page["next"]).json()
                seen += ids(page)
            assert seen == in_order
            assert [t["name"] for t in client.get(f"/albums/{album['id']}/tracks").json()["items"][:2]] == [
                "Take 1", "Take 2",
            ]  # fmt: skip
            page, seen = client.get(f"/albums/{album['id']}/tracks", limit=7).json(), []
            assert page["limit"] == 7 and page["total"] == 60
            while True:
                seen += ids(page)
                if not page["next"]:
                    break
                page = client.get(page["next"]).json()
            assert seen == in_order
            assert catalogue.albums[album["id"]]["tracks"]["items"] == []  # the store is not changed
    with catalogue.fake() as fake:
        several = Client(fake).get("/albums", ids=album["id"]).json()["albums"][0]
        assert several["tracks"]["total"] == 60 and ids(several["tracks"]) == in_order[:50]


def test_album_tracks_are_simplified_track_objects(catalogue: Catalogue) -> None:
    c = catalogue
    for mode in ("extended", "dev"):
        with catalogue.fake(mode=mode) as fake:
            client = Client(fake)
            album_id = c.named["yesterday"]["album"]["id"]
            [embedded] = client.get(f"/albums/{album_id}").json()["tracks"]["items"]
            [paged] = client.get(f"/albums/{album_id}/tracks").json()["items"]
            assert embedded == paged
            assert set(embedded) == SIMPLE_TRACK_KEYS and "album" not in embedded
            assert embedded == {k: v for k, v in c.named["yesterday"].items() if k in SIMPLE_TRACK_KEYS}


def test_album_tracks_answers_400_and_404_as_spotify_does(catalogue: Catalogue, served: Client) -> None:
    album_id = next(iter(catalogue.albums))
    assert served.get(f"/albums/{album_id}/tracks", limit=51).json()["error"] == {
        "status": 400, "message": "Invalid limit",
    }  # fmt: skip
    assert served.get(f"/albums/{album_id}/tracks", limit=0).status_code == 400
    assert served.get(f"/albums/{'x' * 22}/tracks").json()["error"] == {"status": 404, "message": "Resource not found"}
    assert served.get("/albums/not-an-id/tracks").json()["error"] == {"status": 400, "message": "invalid id"}


def test_a_recorded_album_lists_its_recorded_tracks_and_keeps_its_total(catalogue: Catalogue) -> None:
    c = catalogue
    album = catalogue.albums[c.named["yesterday"]["album"]["id"]]
    with_tracks(album, [c.named["yesterday"]])
    album["tracks"]["total"] = album["total_tracks"] = 14  # a recording of the sampled tracks only
    with catalogue.fake() as fake:
        client = Client(fake)
        body = client.get(f"/albums/{album['id']}").json()
        assert (body["total_tracks"], body["tracks"]["total"], body["tracks"]["next"]) == (14, 14, None)
        assert ids(body["tracks"]) == [c.named["yesterday"]["id"]]
        c.named["yesterday"]["duration_ms"] = 123_456  # a change to the stored track shows in the album's tracks
        assert client.get(f"/albums/{album['id']}/tracks").json()["items"][0]["duration_ms"] == 123_456


# -- spotify_entities_for ------------------------------------------------------------------------------------
def test_spotify_entities_put_played_tracks_on_albums_of_real_size_with_unplayed_tracks() -> None:
    mb = make_musicbrainz_world(n_isrc=20, n_url=2, n_name=3, n_history=2, n_none=1, seed=8)
    many = [  # an artist with many played tracks: several albums
        {"artist_id": "A" * 22, "artist": "Prolific", "track_id": f"{i:022d}", "track_name": f"Hit {i}",
         "track_isrc": f"QZCCC25{i:05d}"}
        for i in range(40)
    ]  # fmt: skip
    plays = mb.plays + many
    e = spotify_entities_for(plays, seed=8)
    assert e == spotify_entities_for(plays, seed=8)  # deterministic
    assert e != spotify_entities_for(plays, seed=9)
    played = {p["track_id"] for p in plays}
    assert set(e["artists"]) == {p["artist_id"] for p in plays}
    assert list(e["tracks"])[: len(played)] == list(dict.fromkeys(p["track_id"] for p in plays))  # played first
    assert played <= set(e["tracks"])
    isrcs = {p["track_isrc"] for p in plays}
    unplayed = {t: v for t, v in e["tracks"].items() if t not in played}
    assert len({v["external_ids"]["isrc"] for v in unplayed.values()}) == len(unplayed)
    assert not isrcs & {v["external_ids"]["isrc"] for v in unplayed.values()}
    by_artist: dict[str, int] = {}
    for album in e["albums"].values():
        on_it = [t for t in e["tracks"].values() if t["album"]["id"] == album["id"]]
        assert 8 <= album["total_tracks"] <= 14
        assert album["total_tracks"] == album["tracks"]["total"] == len(album["tracks"]["items"]) == len(on_it)
        assert [t["track_number"] for t in album["tracks"]["items"]] == list(range(1, len(on_it) + 1))
        assert {t["id"] for t in album["tracks"]["items"]} == {t["id"] for t in on_it}
        assert all("album" not in t and "external_ids" not in t for t in album["tracks"]["items"])
        assert all(t["album"]["total_tracks"] == album["total_tracks"] for t in on_it)
        assert sum(t["id"] not in played for t in on_it) >= 1  # tracks the history never plays
        by_artist[album["artists"][0]["id"]] = by_artist.get(album["artists"][0]["id"], 0) + 1
    assert by_artist["A" * 22] >= 3  # 40 played tracks: on several albums
    assert {n for a, n in by_artist.items() if a != "A" * 22} == {1}  # two played tracks: one album
    assert all(t["artists"][0]["id"] == p["artist_id"] for p in plays for t in [e["tracks"][p["track_id"]]])


def test_the_fake_serves_spotify_entities_albums_with_their_tracks() -> None:
    mb = make_musicbrainz_world(n_isrc=5, n_url=1, n_name=1, n_history=1, n_none=1, seed=3)
    e = spotify_entities_for(mb.plays, seed=3)
    with FakeSpotify(e["artists"], e["albums"], e["tracks"], mode="dev") as fake:
        client = Client(fake)
        for album_id, album in e["albums"].items():
            body = client.get(f"/albums/{album_id}").json()
            assert body["total_tracks"] == album["total_tracks"]
            assert ids(body["tracks"]) == [t["id"] for t in album["tracks"]["items"]]
        play = mb.plays[0]
        found = client.search(f"isrc:{play['track_isrc']}")["tracks"]
        assert {play["track_id"], mb.plays[1]["track_id"]} == set(ids(found))  # one recording, two track ids
