"""The MusicBrainz extractor over real HTTP against the fake MusicBrainz on 127.0.0.1."""

from __future__ import annotations

import itertools
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from extractors.catalog import Catalog
from extractors.config import load_settings
from extractors.musicbrainz import ARTIST_MAP, prepare_views
from tests.conftest import landed, musicbrainz_env, run_cli, write_history
from tests.fakes import Fault
from tests.fakes.musicbrainz import RATE_LIMITED, FakeMusicBrainz
from tests.worlds import MusicBrainzWorld, area_object, embedded, make_musicbrainz_world, mbid

HTML_503 = b"<html><head><title>503 Service Temporarily Unavailable</title></head><body>nginx</body></html>"


@pytest.fixture
def mb_world(data_dir: Path, fake_musicbrainz: FakeMusicBrainz) -> MusicBrainzWorld:
    w = make_musicbrainz_world(n_isrc=120, n_url=10, n_name=6, n_history=5, n_none=3, seed=11)
    fake_musicbrainz.artists.update(w.artists)
    fake_musicbrainz.areas.update(w.areas)
    fake_musicbrainz.recordings.extend(w.recordings)
    fake_musicbrainz.urls.update(w.urls)
    fake_musicbrainz.merged.update(w.merged)
    write_history(data_dir, w.plays)
    return w


def requests_by_step(fake: FakeMusicBrainz) -> Counter[str]:
    steps: Counter[str] = Counter()
    for r in fake.requests:
        query = r.query.get("query", [""])[0]
        if r.path == "/ws/2/recording":
            steps["isrc"] += 1
        elif r.path == "/ws/2/url":
            steps["url"] += 1
        elif r.path == "/ws/2/artist" and query.startswith("artist:"):
            steps["artist_search"] += 1
        elif r.path.startswith("/ws/2/artist"):
            steps["artists"] += 1
        elif r.path.startswith("/ws/2/area"):
            steps["areas"] += 1
    return steps


def mapping(data_dir: Path) -> dict[str, tuple[str | None, str | None]]:
    """What the landed answers say about each Spotify artist (the extractor's own matching SQL)."""
    catalog = Catalog(load_settings(env={"DATA_DIR": str(data_dir)}))
    catalog.require_history()
    prepare_views(catalog)
    rows = catalog.con.execute(f"with {ARTIST_MAP} select spotify_artist_id, mbid, match_method from artist_map")
    result = {r[0]: (r[1], r[2]) for r in rows.fetchall()}
    catalog.close()
    return result


def keys_once(data_dir: Path, endpoint: str) -> set[str]:
    keys = [k for k, _, _ in landed(data_dir, endpoint, source="musicbrainz")]
    assert len(keys) == len(set(keys)), f"{endpoint}: a key landed twice"
    return set(keys)


def test_batched_requests_match_the_minimum_and_a_rerun_makes_none(
    mb_world: MusicBrainzWorld, fake_musicbrainz: FakeMusicBrainz, data_dir: Path
):
    env = musicbrainz_env(fake_musicbrainz, data_dir)
    result = run_cli(["musicbrainz"], env, data_dir.parent)
    assert result.returncode == 0, result.output
    assert requests_by_step(fake_musicbrainz) == mb_world.expected_requests()
    artists = len(mb_world.expected)
    naive = 2 * artists  # one ISRC lookup and one artist lookup each, before any area
    assert fake_musicbrainz.data_requests() < naive / 6
    assert mapping(data_dir) == mb_world.expected
    assert keys_once(data_dir, "areas") == set().union(*mb_world.area_levels)

    fake_musicbrainz.reset_log()
    again = run_cli(["musicbrainz"], env, data_dir.parent)
    assert again.returncode == 0, again.output
    assert fake_musicbrainz.data_requests() == 0


def test_second_credit_is_chosen_when_its_name_matches(mb_world: MusicBrainzWorld, fake_musicbrainz, data_dir):
    assert run_cli(["musicbrainz"], musicbrainz_env(fake_musicbrainz, data_dir), data_dir.parent).returncode == 0
    two_credits = [r for r in mb_world.recordings if len(r["artist-credit"]) == 2]
    assert two_credits
    isrc_to_spotify = {p["track_isrc"]: p["artist_id"] for p in mb_world.plays}
    found = mapping(data_dir)
    for recording in two_credits:
        spotify_id = isrc_to_spotify[recording["isrcs"][0]]
        assert found[spotify_id] == (recording["artist-credit"][1]["artist"]["id"], "isrc")


def test_user_agent_names_the_app_and_the_contact(mb_world, fake_musicbrainz: FakeMusicBrainz, data_dir: Path):
    assert run_cli(["musicbrainz"], musicbrainz_env(fake_musicbrainz, data_dir), data_dir.parent).returncode == 0
    agents = {r.headers["User-Agent"] for r in fake_musicbrainz.requests}
    assert agents == {"rws-music/0.1.0 ( listener@example.org )"}
    assert all(r.query.get("fmt") == ["json"] for r in fake_musicbrainz.requests)


def test_min_interval_is_kept_between_every_two_requests(mb_world, fake_musicbrainz: FakeMusicBrainz, data_dir):
    env = musicbrainz_env(fake_musicbrainz, data_dir, MUSICBRAINZ_MIN_INTERVAL="0.2")
    assert run_cli(["musicbrainz", "--limit", "3"], env, data_dir.parent).returncode == 0
    arrivals = [r.at for r in fake_musicbrainz.requests]
    assert len(arrivals) >= 4
    assert min(b - a for a, b in itertools.pairwise(arrivals)) >= 0.19


@pytest.mark.parametrize("body", [RATE_LIMITED, HTML_503], ids=["json-503", "html-503"])
def test_503s_are_retried_with_backoff_and_never_land(mb_world, fake_musicbrainz: FakeMusicBrainz, data_dir, body):
    fake_musicbrainz.add_fault(Fault(path="/ws/2/recording", status=503, body=body, times=2))
    result = run_cli(["musicbrainz"], musicbrainz_env(fake_musicbrainz, data_dir), data_dir.parent)
    assert result.returncode == 0, result.output
    assert "status 503" in result.stderr and "waiting" in result.stderr
    assert requests_by_step(fake_musicbrainz)["isrc"] == mb_world.expected_requests()["isrc"] + 2
    assert mapping(data_dir) == mb_world.expected
    keys_once(data_dir, "isrc")


def test_persistent_503_stops_the_source_keeping_earlier_batches(mb_world, fake_musicbrainz, data_dir: Path):
    fake_musicbrainz.add_fault(Fault(path="/ws/2/recording", kind="hang", delay=0))  # the first batch passes
    fake_musicbrainz.add_fault(Fault(path="/ws/2/recording", status=503, body=HTML_503, times=1000))
    env = musicbrainz_env(fake_musicbrainz, data_dir, HTTP_MAX_RETRIES="2")
    result = run_cli(["musicbrainz"], env, data_dir.parent)
    assert result.returncode == 1
    assert "status 503" in result.stderr.strip().splitlines()[-1] and "Traceback" not in result.output
    assert len(keys_once(data_dir, "isrc")) == 50
    fake_musicbrainz.faults.clear()
    assert run_cli(["musicbrainz"], env, data_dir.parent).returncode == 0
    assert mapping(data_dir) == mb_world.expected


def asked_entities(fake: FakeMusicBrainz) -> set[str]:
    """Artist and area MBIDs the requests in the log asked for (batched or single)."""
    asked: set[str] = set()
    for r in fake.requests:
        query = r.query.get("query", [""])[0]
        if query.startswith(("aid:", "arid:")):
            asked.update(query.split(":(", 1)[1].rstrip(")").split(" OR "))
        elif r.path.startswith(("/ws/2/area/", "/ws/2/artist/")):
            asked.add(r.path.rsplit("/", 1)[1])
    return asked


def test_kill_and_rerun_fetches_no_artist_or_area_twice(mb_world, fake_musicbrainz: FakeMusicBrainz, data_dir):
    fake_musicbrainz.add_fault(Fault(path="/ws/2/", kind="hang", delay=0.05, times=10**6))
    env = musicbrainz_env(fake_musicbrainz, data_dir)
    rng = random.Random(3)
    for attempt in range(5):
        landed_before = keys_once(data_dir, "artists") | keys_once(data_dir, "areas")
        fake_musicbrainz.reset_log()
        proc = subprocess.Popen(
            [sys.executable, "-m", "extractors", "musicbrainz"],
            env=env,
            cwd=data_dir.parent,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        if attempt < 4:
            time.sleep(rng.uniform(0.5, 1.5))
            proc.send_signal(signal.SIGKILL)
        assert proc.wait(timeout=120) in (0, -signal.SIGKILL)
        # whatever landed before this run was not asked for again
        assert not asked_entities(fake_musicbrainz) & landed_before
    for endpoint in ("isrc", "url", "artist_search", "artists", "areas"):
        keys_once(data_dir, endpoint)
    assert mapping(data_dir) == mb_world.expected
    assert keys_once(data_dir, "areas") == set().union(*mb_world.area_levels)


def test_area_cycles_and_depth_are_bounded(fake_musicbrainz: FakeMusicBrainz, data_dir: Path):
    rng = random.Random(5)
    a_id, b_id = mbid(rng), mbid(rng)
    a = area_object(a_id, "Ouroboros City", "City", None)
    b = area_object(b_id, "Ouroboros State", "Subdivision", a, iso_3166_2_codes=["XX-OU"])
    a_parent = area_object(a_id, "Ouroboros City", "City", b)
    fake_musicbrainz.areas.update({a_id: a_parent, b_id: b})
    artist = mbid(rng)
    fake_musicbrainz.artists[artist] = {"id": artist, "name": "Snake", "area": embedded(a), "life-span": {}}
    write_history(data_dir, [{"track_name": "t", "artist": "Snake", "artist_mbid": artist,
                              "played_at": __import__("datetime").datetime(2025, 1, 1)}])  # fmt: skip
    result = run_cli(["musicbrainz"], musicbrainz_env(fake_musicbrainz, data_dir), data_dir.parent)
    assert result.returncode == 0, result.output
    assert keys_once(data_dir, "areas") == {a_id, b_id}
    assert requests_by_step(fake_musicbrainz)["areas"] == 2


def test_isrc_batches_follow_pagination(fake_musicbrainz: FakeMusicBrainz, data_dir: Path):
    w = make_musicbrainz_world(n_isrc=3, n_url=0, n_name=0, n_history=0, n_none=0, seed=2)
    fake_musicbrainz.artists.update(w.artists)
    fake_musicbrainz.areas.update(w.areas)
    isrc = w.plays[0]["track_isrc"]
    rec = w.recordings[0]
    # 150 versions of the same recording share one ISRC: two pages of 100
    fake_musicbrainz.recordings.extend({**rec, "id": f"{i:08d}-0000-4000-8000-000000000000"} for i in range(150))
    fake_musicbrainz.recordings.extend(w.recordings[1:])
    write_history(data_dir, w.plays)
    assert run_cli(["musicbrainz"], musicbrainz_env(fake_musicbrainz, data_dir), data_dir.parent).returncode == 0
    assert requests_by_step(fake_musicbrainz)["isrc"] == 2
    [(_, status, body)] = [row for row in landed(data_dir, "isrc", source="musicbrainz") if row[0] == isrc]
    assert status == 200 and body.count('"isrcs"') == 150


def test_missing_contact_exits_2_by_name_and_is_skipped_by_all(mb_world, fake_musicbrainz, data_dir: Path):
    env = musicbrainz_env(fake_musicbrainz, data_dir)
    del env["MUSICBRAINZ_CONTACT"]
    named = run_cli(["musicbrainz"], env, data_dir.parent)
    assert named.returncode == 2 and "MUSICBRAINZ_CONTACT" in named.stderr.strip().splitlines()[-1]
    everything = run_cli(["all"], env, data_dir.parent)
    assert everything.returncode == 0
    assert "skipped musicbrainz: set MUSICBRAINZ_CONTACT" in everything.stderr
    assert fake_musicbrainz.data_requests() == 0


def test_artists_known_only_by_name_are_searched_by_name(fake_musicbrainz: FakeMusicBrainz, data_dir: Path):
    """Account-data and scrobble rows without ids: one name search per artist, then the artist batch."""
    rng = random.Random(9)
    known, other = mbid(rng), mbid(rng)
    fake_musicbrainz.artists[known] = {"id": known, "name": "Cesária Évora", "life-span": {}}
    fake_musicbrainz.artists[other] = {"id": other, "name": "Cesaria Evora Tribute", "life-span": {}}
    when = __import__("datetime").datetime
    plays = [
        {"track_name": "Sodade", "artist": "Cesaria Evora", "played_at": when(2025, 1, 1)},  # no accents
        {"track_name": "Petit pays", "artist": "Cesária Évora", "played_at": when(2025, 1, 2)},
        {"track_name": "?", "artist": "Nobody Knows Me", "played_at": when(2025, 1, 3)},
    ]
    write_history(data_dir, plays)
    env = musicbrainz_env(fake_musicbrainz, data_dir)
    result = run_cli(["musicbrainz"], env, data_dir.parent)
    assert result.returncode == 0, result.output
    searches = {k: s for k, s, _ in landed(data_dir, "artist_search", source="musicbrainz")}
    assert searches == {"name:cesaria evora": 200, "name:nobody knows me": 404}
    assert keys_once(data_dir, "artists") == {known}
    assert requests_by_step(fake_musicbrainz) == {"artist_search": 2, "artists": 1}
    fake_musicbrainz.reset_log()
    assert run_cli(["musicbrainz"], env, data_dir.parent).returncode == 0
    assert fake_musicbrainz.data_requests() == 0
