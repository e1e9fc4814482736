"""Listens without Spotify ids matched by Spotify search, and albums answering for their tracks (issue 14).

Real HTTP against the fake Spotify in Development Mode (search limit 10, no batch endpoints), histories as the
exports give them: Spotify Account data (artist and title only), Last.fm scrobbles (with album names, some
with ISRCs as ListenBrainz rows carry them), and the Extended history (track URIs, album names, no album or
artist ids). The collisions the search must not fall for: two artists of one name, a cover under a name that
contains the artist's, and a remaster that Spotify ranks before the recording the listen names.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pytest

from extractors.catalog import Catalog
from extractors.config import load_settings
from extractors.sources.spotify import extract
from scripts.devkit.fakes import FakeSpotify
from scripts.devkit.worlds import album_object, artist_object, track_object
from tests.conftest import landed, run_cli, spotify_env, write_history
from tests.test_dbt_models import assert_ok, query, run_dbt

START = datetime(2025, 3, 1, 20, 0)


class World:
    """Artists, albums and tracks known to the fake Spotify, built by name."""

    def __init__(self) -> None:
        self.artists: dict[str, dict[str, Any]] = {}
        self.albums: dict[str, dict[str, Any]] = {}
        self.tracks: dict[str, dict[str, Any]] = {}
        self._n = 0

    def _id(self, prefix: str) -> str:
        self._n += 1
        return f"{prefix}{self._n:0>{22 - len(prefix)}}"

    def artist(self, name: str, popularity: int = 50) -> dict[str, Any]:
        artist = artist_object(self._id("Ar"), name, ["test pop"], popularity, 1000)
        self.artists[artist["id"]] = artist
        return artist

    def album(self, name: str, artist: dict[str, Any], titles: list[str], popularity: int = 50) -> list[str]:
        album = album_object(self._id("Al"), name, artist, "2001-01-01", "day")
        album["tracks"]["total"] = album["total_tracks"] = len(titles)
        self.albums[album["id"]] = album
        ids = []
        for n, title in enumerate(titles, 1):
            isrc = f"GBAAA{self._n:07d}"
            track = track_object(self._id("Tr"), title, artist, album, isrc, track_number=n, popularity=popularity)
            self.tracks[track["id"]] = track
            ids.append(track["id"])
        return ids

    def serve(self, fake: FakeSpotify) -> None:
        fake.entities.update({"artists": self.artists, "albums": self.albums, "tracks": self.tracks})
        fake.mode = "dev"


def account_rows(listens: list[tuple[str, str, int]]) -> list[dict[str, Any]]:
    """tracks_played rows as the Account data import writes them: names, msPlayed, the end minute; no ids."""
    rows = []
    at = START
    for artist, title, times in listens:
        for _ in range(times):
            at += timedelta(minutes=4)
            rows.append({"user_id": "me", "artist": artist, "track_name": title, "ms_played": 200_000,
                         "played_at": at, "play_source": "spotify_account_data"})  # fmt: skip
    return rows


@pytest.fixture
def names_world(fake_spotify: FakeSpotify) -> dict[str, Any]:
    w = World()
    radiohead = w.artist("Radiohead", 80)
    ok_computer = w.album("OK Computer", radiohead, ["Paranoid Android", "Karma Police", "No Surprises"])
    beatles = w.artist("The Beatles", 85)
    original = w.album("Help!", beatles, ["Yesterday"], popularity=30)
    remaster = w.album("Help! (Remastered)", beatles, ["Yesterday - Remastered 2009"], popularity=80)
    tribute = w.artist("The Beatles Revival Band", 10)
    cover = w.album("Tribute", tribute, ["Yesterday"], popularity=95)  # ranked first; not the listen's artist
    nirvana_us, nirvana_uk = w.artist("Nirvana", 80), w.artist("Nirvana", 20)
    teen_spirit = w.album("Nevermind", nirvana_us, ["Smells Like Teen Spirit"])
    rainbow = w.album("All of Us", nirvana_uk, ["Rainbow Chaser"])
    beyonce = w.artist("Beyoncé", 90)
    halo = w.album("I Am... Sasha Fierce", beyonce, ["Halo"])
    summit = w.artist("John Summit", 60)
    go_back = w.album("Go Back", summit, ["Go Back"])
    sigur = w.artist("Sigur Rós", 60)  # found by an artist search: the fake has no track of the listen's title
    w.serve(fake_spotify)
    return {
        "world": w, "ok_computer": ok_computer, "original": original[0], "remaster": remaster[0],
        "cover": cover[0], "nirvana_us": nirvana_us["id"], "nirvana_uk": nirvana_uk["id"],
        "teen_spirit": teen_spirit[0], "rainbow": rainbow[0], "halo": halo[0], "go_back": go_back[0],
        "sigur": sigur["id"], "beyonce": beyonce["id"],
    }  # fmt: skip


ACCOUNT_LISTENS = [
    ("Radiohead", "Karma Police", 6),
    ("Radiohead", "Paranoid Android", 3),
    ("The Beatles", "Yesterday", 5),
    ("Nirvana", "Smells Like Teen Spirit", 4),
    ("Nirvana", "Rainbow Chaser", 2),
    ("Beyonce", "Halo", 7),  # no accent, as some exports spell it
    ("John Summit", "Go Back (feat. Julia Church)", 1),
    ("Sigur Rós", "Untitled #9 (Live at Nowhere)", 2),
    ("Totally Unknown Band", "Demo Tape", 1),
]


def test_account_data_only_history_is_matched_by_search(
    names_world: dict[str, Any], fake_spotify: FakeSpotify, data_dir: Path
) -> None:
    write_history(data_dir, account_rows(ACCOUNT_LISTENS))
    env = spotify_env(fake_spotify, data_dir)
    before = run_cli(["status"], env, data_dir.parent)
    assert (
        "searches still to make: 9 track, 0 artist; up to 7 more (0 by name after an ISRC finds nothing, 7 artist)"
        in (before.stdout)
    ), before.output
    result = run_cli(["spotify"], env, data_dir.parent)
    assert result.returncode == 0, result.output

    searches = fake_spotify.searches
    tracks_asked = [s["q"] for s in searches if s["type"] == "track"]
    # each pair once, the most-played first, by its cleaned title and credited artist; never over the dev limit
    assert tracks_asked == [
        'track:"Halo" artist:"Beyonce"', 'track:"Karma Police" artist:"Radiohead"',
        'track:"Yesterday" artist:"The Beatles"', 'track:"Smells Like Teen Spirit" artist:"Nirvana"',
        'track:"Paranoid Android" artist:"Radiohead"', 'track:"Rainbow Chaser" artist:"Nirvana"',
        'track:"Untitled #9 (Live at Nowhere)" artist:"Sigur Rós"', 'track:"Go Back" artist:"John Summit"',
        'track:"Demo Tape" artist:"Totally Unknown Band"',
    ]  # fmt: skip
    assert {s["limit"] for s in searches} == {"10"}
    # one artist search each for the two artists none of whose tracks matched
    assert sorted(s["q"] for s in searches if s["type"] == "artist") == [
        'artist:"Sigur Rós"',
        'artist:"Totally Unknown Band"',
    ]
    statuses = {key: status for key, status, _ in landed(data_dir, "track_searches")}
    assert Counter(statuses.values()) == {200: 7, 404: 2}  # a miss is a not found like any other key
    assert {key: status for key, status, _ in landed(data_dir, "artist_searches")} == {
        "artist:sigur ros": 200,
        "artist:totally unknown band": 404,
    }
    # the artists and albums of the matched tracks are then looked up, one request each
    artists = {key for key, status, _ in landed(data_dir, "artists") if status == 200}
    w = names_world
    assert artists == {
        w["world"].tracks[w["ok_computer"][0]]["artists"][0]["id"], w["nirvana_us"], w["nirvana_uk"],
        w["beyonce"], w["world"].tracks[w["go_back"]]["artists"][0]["id"], w["sigur"],
        w["world"].tracks[w["original"]]["artists"][0]["id"],
    }  # fmt: skip
    assert fake_spotify.count("/v1/tracks") == 0  # the search answers are the tracks: no lookup

    fake_spotify.reset_log()
    assert run_cli(["spotify"], env, data_dir.parent).returncode == 0
    assert fake_spotify.data_requests() == 0  # nothing asked twice

    status = run_cli(["status"], env, data_dir.parent)
    assert status.returncode == 0, status.output
    lines = [line.strip() for line in status.stdout.splitlines()]
    assert "rows without Spotify ids or MBIDs: 31, matched 30 (97 %)" in lines
    assert {"by title and artist search: 28", "by artist search (artist only): 2", "not found: 1"} <= set(lines)
    assert "searches still to make: 0 track, 0 artist" in lines

    # the warehouse: every listen but the unknown band's has its artist; how each was matched is recorded
    assert_ok(run_dbt(data_dir))
    db = data_dir / "music_tracker.duckdb"
    rows = query(
        db,
        """select a.artist_name, t.track_id, f.track_match, f.artist_match, a.artist_id, count(*)
           from main.fact_track_played f join main.dim_artist a using (artist_key)
           join main.dim_track t using (track_key)
           group by all""",
    )
    by_title = {}
    for artist_name, track_id, track_match, artist_match, artist_id, n in rows:
        by_title[(artist_name, track_id)] = (track_match, artist_match, artist_id, n)
    assert by_title[("The Beatles", w["original"])][:2] == ("track_search", "spotify_track")  # not the remaster
    assert by_title[("Nirvana", w["teen_spirit"])][2] == w["nirvana_us"]
    assert by_title[("Nirvana", w["rainbow"])][2] == w["nirvana_uk"]  # the namesake, by its song
    assert by_title[("Beyoncé", w["halo"])][3] == 7
    assert by_title[("John Summit", w["go_back"])][0] == "track_search"
    assert by_title[("Sigur Rós", None)][:3] == (None, "artist_search", w["sigur"])
    assert by_title[("Totally Unknown Band", None)][:2] == (None, "unmatched")
    enriched = sum(n for (_, _), (_, match, _, n) in by_title.items() if match != "unmatched")
    assert enriched == sum(times for *_, times in ACCOUNT_LISTENS) - 1


def test_isrc_is_searched_before_the_names_and_a_known_pair_is_not_searched(
    names_world: dict[str, Any], fake_spotify: FakeSpotify, data_dir: Path
) -> None:
    w = names_world
    karma = w["world"].tracks[w["ok_computer"][1]]
    no_surprises = w["ok_computer"][2]
    rows = [
        # Last.fm / ListenBrainz rows: names and album, one with the recording's ISRC, one with a stale ISRC
        {"user_id": "me", "artist": "Radiohead", "track_name": "Karma Police", "album": "OK Computer",
         "track_isrc": karma["external_ids"]["isrc"], "played_at": START, "play_source": "listenbrainz"},
        {"user_id": "me", "artist": "Radiohead", "track_name": "Paranoid Android", "album": "OK Computer",
         "track_isrc": "USXXX9999999", "played_at": START + timedelta(minutes=5), "play_source": "listenbrainz"},
        # a name-only scrobble of a track the Extended history also plays with its id: no search
        {"user_id": "me", "artist": "Radiohead", "track_name": "No Surprises", "album": "OK Computer",
         "played_at": START + timedelta(minutes=10), "play_source": "lastfm"},
        {"user_id": "me", "artist": "Radiohead", "track_name": "No Surprises", "album": "OK Computer",
         "track_uri": f"spotify:track:{no_surprises}", "played_at": START + timedelta(days=1),
         "play_source": "spotify_extended_history", "ms_played": 200_000},
    ]  # fmt: skip
    write_history(data_dir, rows)
    result = run_cli(["spotify"], spotify_env(fake_spotify, data_dir), data_dir.parent)
    assert result.returncode == 0, result.output
    assert [s["q"] for s in fake_spotify.searches] == [
        f"isrc:{karma['external_ids']['isrc']}",
        "isrc:USXXX9999999",  # the ISRCs first
        'track:"Paranoid Android" artist:"Radiohead"',  # the stale ISRC found nothing: then the names
    ]
    statuses = {key: status for key, status, _ in landed(data_dir, "track_searches")}
    assert statuses == {
        f"isrc:{karma['external_ids']['isrc']}": 200,
        "isrc:USXXX9999999": 404,
        "track:radiohead|paranoid android": 200,
    }

    catalog = Catalog(load_settings(env={"DATA_DIR": str(data_dir)}))
    try:
        catalog.require_history()
        extract.prepare_views(catalog)
        matched = dict(
            catalog.con.execute("select pair_key, match_route from int_spotify__track_searches_matched").fetchall()
        )
    finally:
        catalog.close()
    assert matched == {
        "track:radiohead|karma police": "isrc_search",
        "track:radiohead|paranoid android": "track_search",
        "track:radiohead|no surprises": "history_name",
    }


def test_albums_answer_for_their_tracks(fake_spotify: FakeSpotify, data_dir: Path) -> None:
    """An Extended history (track URIs, album names, no album or artist ids) of two albums played through, one
    of 60 tracks, and a single: one track request per album, the albums, one page of the long album."""
    w = World()
    band = w.artist("The Long Band")
    first = w.album("First Album", band, [f"Song {n}" for n in range(1, 11)])
    long = w.album("Long Album", band, [f"Long {n}" for n in range(1, 61)])
    single = w.album("A Single", band, ["The Single"])
    w.serve(fake_spotify)
    played = [*first[:8], long[2], long[10], long[54], long[59], *single]
    rows = []
    for n, track_id in enumerate(played):
        track = w.tracks[track_id]
        for repeat in range(1 + (track_id == long[2]) + (track_id == first[4])):  # a favourite on each album
            rows.append({"user_id": "me", "track_uri": track["uri"], "track_name": track["name"],
                         "album": track["album"]["name"], "artist": "The Long Band", "ms_played": 200_000,
                         "played_at": START + timedelta(minutes=4 * n, seconds=repeat)})  # fmt: skip
    write_history(data_dir, rows)
    result = run_cli(["spotify"], spotify_env(fake_spotify, data_dir), data_dir.parent)
    assert result.returncode == 0, result.output

    api = [r.path for r in fake_spotify.requests if r.path.startswith("/v1/")]
    assert sorted(p for p in api if p.startswith("/v1/tracks/")) == sorted(
        f"/v1/tracks/{t}"
        for t in (first[4], long[2], single[0])  # the most-played of each album
    )
    assert sorted(p for p in api if p.startswith("/v1/albums/")) == sorted(
        [f"/v1/albums/{a}" for a in {w.tracks[t]["album"]["id"] for t in (first[0], long[0], single[0])}]
        + [f"/v1/albums/{w.tracks[long[0]]['album']['id']}/tracks"]  # tracks 51-60 of the long one
    )
    one_per_id = len(played) + 3 + 1  # tracks, albums, the artist
    batch_tries = ["/v1/tracks", "/v1/albums", "/v1/artists"]  # each answered 403 once: one id per request since
    assert [p for p in api if p in batch_tries] == batch_tries
    assert len(api) - 3 == 3 + 3 + 1 + 1 < 0.7 * one_per_id

    catalog = Catalog(load_settings(env={"DATA_DIR": str(data_dir)}))
    try:
        catalog.require_history()
        extract.prepare_views(catalog)
        known = dict(catalog.con.execute("select track_id, album_id from int_spotify__tracks").fetchall())
        assert extract.missing_keys(catalog, "tracks") == []
    finally:
        catalog.close()
    assert all(known[t] == w.tracks[t]["album"]["id"] for t in played)

    fake_spotify.reset_log()
    assert run_cli(["spotify"], spotify_env(fake_spotify, data_dir), data_dir.parent).returncode == 0
    assert fake_spotify.data_requests() == 0


def test_search_answers_are_landed_raw(names_world: dict[str, Any], fake_spotify: FakeSpotify, data_dir: Path) -> None:
    """What lands is Spotify's answer as sent (the cover and the remaster included), not our choice of it."""
    write_history(data_dir, account_rows([("The Beatles", "Yesterday", 1)]))
    assert run_cli(["spotify"], spotify_env(fake_spotify, data_dir), data_dir.parent).returncode == 0
    [(key, status, body)] = landed(data_dir, "track_searches")
    answer = json.loads(body)
    names = [(item["name"], item["artists"][0]["name"]) for item in answer["tracks"]["items"]]
    assert (key, status) == ("track:the beatles|yesterday", 200)
    assert names[0] == ("Yesterday", "The Beatles Revival Band") and ("Yesterday", "The Beatles") in names
    con = duckdb.connect()
    assert con.execute("select json_valid(?)", [body]).fetchone() == (True,)


def test_lastfm_only_history_every_pair_asked_once(fake_spotify: FakeSpotify, data_dir: Path, tmp_path: Path) -> None:
    """A Last.fm CSV without MBIDs (artist, track, album, time), imported as a user imports it, over tracks with
    awkward names (quotes, a backslash, an emoji, CJK, a multi-artist credit): every (artist, title) pair is
    searched once, found, and its artist and album looked up; nothing else is asked."""
    from scripts.devkit.exports import make_tracks, write_lastfm_csv

    path = tmp_path / "scrobbles.csv"
    write_lastfm_csv(path, 150, seed=5, layout="timestamp")
    w = World()
    artists: dict[str, dict[str, Any]] = {}
    albums: dict[tuple[str, str], list[str]] = {}
    for track in make_tracks(max(20, 150 // 5), 5):  # the tracks the CSV's scrobbles are drawn from
        artists.setdefault(track.artist, w.artist(track.artist))
        albums.setdefault((track.artist, track.album), []).append(track.name)
    for (artist, album), titles in albums.items():
        w.album(album, artists[artist], titles)
    w.serve(fake_spotify)
    env = spotify_env(fake_spotify, data_dir)
    imported = run_cli(["import", str(path), "--data-path", str(data_dir)], env, data_dir.parent)
    assert imported.returncode == 0, imported.output

    result = run_cli(["spotify"], env, data_dir.parent)
    assert result.returncode == 0, result.output
    con = duckdb.connect()
    pairs = con.execute(
        f"select count(distinct (artist, track_name)) from '{data_dir}/src/tracks_played/*.parquet'"
    ).fetchone()
    asked = Counter(s["q"] for s in fake_spotify.searches)
    assert pairs is not None and len(asked) == pairs[0] and set(asked.values()) == {1}
    statuses = Counter(status for _, status, _ in landed(data_dir, "track_searches"))
    assert statuses == {200: pairs[0]}  # every awkward name found
    assert landed(data_dir, "artist_searches") == []
    found_albums = {
        json.loads(b)["tracks"]["items"][0]["album"]["id"] for _, _, b in landed(data_dir, "track_searches")
    }
    assert {k for k, s, _ in landed(data_dir, "albums") if s == 200} == found_albums
    # Development Mode: one request per search, album and artist, and one 403 per batch endpoint tried
    artists_found = {k for k, s, _ in landed(data_dir, "artists") if s == 200}
    assert fake_spotify.data_requests() == pairs[0] + len(found_albums) + len(artists_found) + 2

    status = run_cli(["status"], env, data_dir.parent)
    assert "rows without Spotify ids or MBIDs: 150, matched 150 (100 %)" in status.stdout, status.output


def test_search_failures_keep_what_landed(
    names_world: dict[str, Any], fake_spotify: FakeSpotify, data_dir: Path
) -> None:
    """A search Spotify refuses (400) lands as that answer, a not found, and the run goes on; a server that keeps
    failing stops the source with one line, keeping the searches landed before it; the next run asks the rest."""
    from scripts.devkit.fakes import Fault

    write_history(data_dir, account_rows(ACCOUNT_LISTENS))
    env = spotify_env(fake_spotify, data_dir, HTTP_MAX_RETRIES="1")
    fake_spotify.add_fault(Fault(path="/v1/search", status=400, body={"error": {"status": 400, "message": "q"}}))
    result = run_cli(["spotify", "--limit", "3"], env, data_dir.parent)
    assert result.returncode == 0, result.output
    first = {key: status for key, status, _ in landed(data_dir, "track_searches")}
    assert first == {"track:beyonce|halo": 400, "track:radiohead|karma police": 200, "track:the beatles|yesterday": 200}

    fake_spotify.add_fault(Fault(path="/v1/search", status=503, times=1000))
    stopped = run_cli(["spotify"], env, data_dir.parent)
    assert stopped.returncode == 1
    assert stopped.stderr.strip().splitlines()[-1].startswith("error: spotify: ")
    assert {key: status for key, status, _ in landed(data_dir, "track_searches")} == first  # nothing lost

    fake_spotify.faults.clear()
    assert run_cli(["spotify"], env, data_dir.parent).returncode == 0
    after = {key: status for key, status, _ in landed(data_dir, "track_searches")}
    assert len(after) == 9 and after["track:beyonce|halo"] == 400  # a not found is not asked again
