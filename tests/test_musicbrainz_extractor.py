"""The MusicBrainz extractor over real HTTP against the fake MusicBrainz on 127.0.0.1.

The fault cases start from a data folder in which an earlier ``musicbrainz --limit 10`` landed a little
of every step (``mb_primed``), inject the fault, run ``python -m extractors musicbrainz`` and check the
invariants of tests/invariants.py against that earlier state (every landed file readable, every key at most
once, nothing landed before lost or rewritten), and that what landed in the end equals what an unfaulted run
from the same state lands (``landed_equal``). MusicBrainz rate-limits with 503 (docs/apis.md);
429 and Retry-After are handled too, defensively.

| fault                                              | outcome                                                  |
|----------------------------------------------------|----------------------------------------------------------|
| 503 burst, JSON rate-limit body or HTML page       | backoff ("status 503 … waiting"), exit 0, never landed   |
| 503 with Retry-After: 1                            | waits 1.0 s, exit 0                                      |
| 429 burst / 500 burst / 502 burst                  | backoff, exit 0                                          |
| connection reset (twice)                           | "connection failed", retried, exit 0                     |
| timeout (answer after 1.5 s, HTTP_TIMEOUT=0.5)     | "no answer within 0.5 s", retried, exit 0                |
| HTML page / truncated JSON with 200 (twice)        | "not valid JSON", retried, never landed, exit 0          |
| 503 with Retry-After: 86400                        | exit 1: "…86,400 s…RETRY_AFTER_MAX…run again after …";   |
|                                                    | earlier batches kept; the next run completes             |
| persistent 503 / reset / truncated JSON            | exit 1, last line names the problem; earlier batches     |
|                                                    | kept; the next run completes                             |
| SIGKILL at seeded random points, 5 runs            | nothing landed is asked again; the last run completes    |
|                                                    | and the landed data equals an uninterrupted run's        |
| no MUSICBRAINZ_CONTACT                             | exit 2 naming it; `all` skips the source with that line  |
"""

from __future__ import annotations

import random
import shutil
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from extractors.catalog import Catalog
from extractors.config import load_settings
from extractors.sources.musicbrainz.extract import prepare_views
from scripts.devkit.fakes import Fault
from scripts.devkit.fakes.musicbrainz import RATE_LIMITED, FakeMusicBrainz
from scripts.devkit.worlds import MusicBrainzWorld, area_object, embedded, make_musicbrainz_world, mbid
from tests.conftest import landed, musicbrainz_env, run_cli, write_history
from tests.invariants import (
    Snapshot,
    Stopping,
    Transient,
    assert_same_as_an_unfaulted_run,
    check_invariants,
    error_line,
    inject,
    run_then_sigkill,
)

HTML_503 = b"<html><head><title>503 Service Temporarily Unavailable</title></head><body>nginx</body></html>"
PRIMED = 10  # ``--limit``: keys per step landed before any fault


def new_mb_world() -> MusicBrainzWorld:
    return make_musicbrainz_world(n_isrc=120, n_url=10, n_name=6, n_history=5, n_none=3, seed=11)


def serve(fake: FakeMusicBrainz, w: MusicBrainzWorld) -> FakeMusicBrainz:
    fake.artists.update(w.artists)
    fake.areas.update(w.areas)
    fake.recordings.extend(w.recordings)
    fake.urls.update(w.urls)
    fake.merged.update(w.merged)
    return fake


@pytest.fixture
def mb_world(data_dir: Path, fake_musicbrainz: FakeMusicBrainz) -> MusicBrainzWorld:
    w = new_mb_world()
    serve(fake_musicbrainz, w)
    write_history(data_dir, w.plays)
    return w


@dataclass(frozen=True)
class Primed:
    raw: Path  # raw/ after ``musicbrainz --limit 10``
    reference: Path  # the data folder after an uninterrupted run from there
    requests: int  # data requests of that uninterrupted run


@pytest.fixture(scope="module")
def mb_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Primed]:
    """Once per module: what ``--limit 10`` lands for ``mb_world``'s world, and an unfaulted run from there."""
    root = tmp_path_factory.mktemp("mb-primed")
    data = root / "data"
    w = new_mb_world()
    write_history(data, w.plays)
    fake = serve(FakeMusicBrainz(), w)
    fake.start()
    try:
        env = musicbrainz_env(fake, data)
        primed = run_cli(["musicbrainz", "--limit", str(PRIMED)], env, root)
        assert primed.returncode == 0, primed.output
        shutil.copytree(data / "raw", root / "primed-raw")
        fake.reset_log()
        rest = run_cli(["musicbrainz"], env, root)
        assert rest.returncode == 0, rest.output
        requests = fake.data_requests()
    finally:
        fake.stop()
    yield Primed(root / "primed-raw", data, requests)


@pytest.fixture
def mb_primed(mb_world: MusicBrainzWorld, data_dir: Path, mb_template: Primed) -> Snapshot:
    """The data folder holds what an earlier run landed; returns its snapshot (the state before the fault)."""
    shutil.copytree(mb_template.raw, data_dir / "raw")
    before = check_invariants(data_dir)
    assert len(before.keys("musicbrainz/isrc")) == len(before.keys("musicbrainz/artists")) == PRIMED
    assert before.keys("musicbrainz/areas")  # --limit is per step: every area level took 10
    return before


def requests_by_step(fake: FakeMusicBrainz) -> Counter[str]:
    return Counter(fake.requests_by_step())


def mapping(data_dir: Path) -> dict[str, tuple[str | None, str | None]]:
    """What the landed answers say about each Spotify artist (the extractor's own matching SQL)."""
    catalog = Catalog(load_settings(env={"DATA_DIR": str(data_dir)}))
    catalog.require_history()
    prepare_views(catalog)
    rows = catalog.con.execute(
        "select spotify_artist_id, matched_mbid, match_method from int_musicbrainz__spotify_artists_matched"
    )
    result = {r[0]: (r[1], r[2]) for r in rows.fetchall()}
    catalog.close()
    return result


def landed_keys(data_dir: Path, endpoint: str) -> set[str]:
    """The keys landed for one endpoint, after checking the invariants of the whole data folder."""
    return check_invariants(data_dir).keys(f"musicbrainz/{endpoint}")


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
    assert landed_keys(data_dir, "areas") == set().union(*mb_world.area_levels)

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


def test_url_lookups_ask_for_the_artist_relations_without_which_musicbrainz_sends_none(
    mb_world: MusicBrainzWorld, fake_musicbrainz: FakeMusicBrainz, data_dir: Path
):
    resource = next(iter(fake_musicbrainz.urls))
    bare = requests.get(f"{fake_musicbrainz.api_url}/url", params={"resource": resource, "fmt": "json"},
                        headers={"User-Agent": "test ( t@example.org )"}, timeout=10)  # fmt: skip
    assert bare.status_code == 200 and "relations" not in bare.json()  # the fake is as strict as the service
    fake_musicbrainz.reset_log()
    assert run_cli(["musicbrainz"], musicbrainz_env(fake_musicbrainz, data_dir), data_dir.parent).returncode == 0
    url_requests = [r for r in fake_musicbrainz.requests if r.path == "/ws/2/url"]
    assert url_requests and all(r.query.get("inc") == ["artist-rels"] for r in url_requests)
    matched = {key for key, status, _ in landed(data_dir, "url", "musicbrainz") if status == 200}
    assert matched and {m for m, (_, method) in mapping(data_dir).items() if method == "spotify_url"} <= matched


# -- faults that are waited out or retried: the run succeeds --------------------------------------------
TRANSIENT = {
    "503-json-burst": Transient(
        (Fault(path="/ws/2/recording", status=503, body=RATE_LIMITED, times=2),),
        "status 503 (Your requests are exceeding the allowable rate limit",
        2,
    ),
    "503-html-burst": Transient(
        (Fault(path="/ws/2/artist", status=503, body=HTML_503, times=2),), "status 503 (Service Unavailable)", 2
    ),
    "503-retry-after-1s": Transient(
        (Fault(path="/ws/2/area", status=503, body=RATE_LIMITED, headers={"Retry-After": "1"}),), "waiting 1.0 s", 1
    ),
    "429-burst": Transient((Fault(path="/ws/2/url", status=429, body=RATE_LIMITED, times=2),), "status 429", 2),
    **{
        f"{s}-burst": Transient((Fault(path="/ws/2/recording", status=s, body=HTML_503, times=3),), f"status {s}", 3)
        for s in (500, 502)
    },
    "reset": Transient((Fault(path="/ws/2/artist", kind="reset", times=2),), "connection failed", 2),
    "timeout": Transient(
        (Fault(path="/ws/2/recording", kind="hang", delay=1.5),), "no answer within 0.5 s", 1, {"HTTP_TIMEOUT": "0.5"}
    ),
    "html": Transient((Fault(path="/ws/2/area", kind="html", times=2),), "not valid JSON (text/html)", 2),
    "truncated-json": Transient(
        (Fault(path="/ws/2/recording", kind="truncate", times=2),), "not valid JSON (application/json)", 2
    ),
}


@pytest.mark.parametrize("case", TRANSIENT.values(), ids=TRANSIENT.keys())
def test_transient_faults_are_waited_out_and_never_land(
    fake_musicbrainz: FakeMusicBrainz, data_dir: Path, mb_primed: Snapshot, mb_template: Primed, case: Transient
):
    faults = inject(fake_musicbrainz, *case.faults)
    result = run_cli(["musicbrainz"], musicbrainz_env(fake_musicbrainz, data_dir, **case.env), data_dir.parent)
    assert result.returncode == 0, result.output
    assert case.says in result.stderr and "waiting" in result.stderr
    assert [f.times for f in faults] == [0] * len(faults)  # every scripted fault happened
    assert fake_musicbrainz.data_requests() == mb_template.requests + case.retries
    assert_same_as_an_unfaulted_run(data_dir, mb_primed, mb_template.reference)


# -- faults that outlast the retries: the source stops with one clear line, keeping what landed ---------
STOPPING = {
    "503-retry-after-1-day": Stopping(
        Fault(path="/ws/2/recording", status=503, body=RATE_LIMITED, headers={"Retry-After": "86400"}),
        ("wait 86,400 s", "RETRY_AFTER_MAX=120", "everything fetched so far kept", "run again after"),
    ),
    "503-persistent": Stopping(
        Fault(path="/ws/2/recording", status=503, body=HTML_503, times=1000),
        ("status 503 (Service Unavailable)", "still after 3 attempts", "run again later"),
    ),
    "reset-persistent": Stopping(
        Fault(path="/ws/2/recording", kind="reset", times=1000), ("connection failed", "still after 3 attempts")
    ),
    "truncated-json-persistent": Stopping(
        Fault(path="/ws/2/recording", kind="truncate", times=1000), ("not valid JSON", "nothing of it was landed")
    ),
}


@pytest.mark.parametrize("case", STOPPING.values(), ids=STOPPING.keys())
def test_lasting_faults_stop_the_source_keeping_earlier_batches(
    mb_world: MusicBrainzWorld,
    fake_musicbrainz: FakeMusicBrainz,
    data_dir: Path,
    mb_primed: Snapshot,
    mb_template: Primed,
    case: Stopping,
):
    fake_musicbrainz.add_fault(Fault(path="/ws/2/recording", kind="hang", delay=0))  # the first batch passes
    inject(fake_musicbrainz, case.fault)
    env = musicbrainz_env(fake_musicbrainz, data_dir, HTTP_MAX_RETRIES="2")
    result = run_cli(["musicbrainz"], env, data_dir.parent)
    assert result.returncode == 1
    line = error_line(result)
    assert line.startswith("error: musicbrainz: ") and all(s in line for s in case.says), line
    stopped = check_invariants(data_dir, mb_primed)
    isrc = len(mb_primed.keys("musicbrainz/isrc"))
    assert len(stopped.keys("musicbrainz/isrc")) == isrc + 50  # the first ISRC batch of this run stays
    for endpoint in ("url", "artist_search", "artists", "areas"):  # and the source stopped there
        assert stopped.keys(f"musicbrainz/{endpoint}") == mb_primed.keys(f"musicbrainz/{endpoint}")

    fake_musicbrainz.faults.clear()  # the server is fine again: the next run fetches the rest
    assert run_cli(["musicbrainz"], env, data_dir.parent).returncode == 0
    assert_same_as_an_unfaulted_run(data_dir, stopped, mb_template.reference)
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


def entities(landed: Snapshot) -> set[str]:
    return landed.keys("musicbrainz/artists") | landed.keys("musicbrainz/areas")


@pytest.mark.slow
def test_sigkill_at_random_points_then_a_rerun_lands_what_an_uninterrupted_run_lands(
    mb_world: MusicBrainzWorld,
    fake_musicbrainz: FakeMusicBrainz,
    data_dir: Path,
    mb_primed: Snapshot,
    mb_template: Primed,
):
    fake_musicbrainz.add_fault(Fault(path="/ws/2/", kind="hang", delay=0.1, times=10**6))  # ~2 s a run
    env = musicbrainz_env(fake_musicbrainz, data_dir)
    rng = random.Random(3)
    before = mb_primed
    kills = 0
    for _ in range(5):
        fake_musicbrainz.reset_log()
        target = rng.randint(1, 3)  # killed on the arrival of the run's 1st to 3rd request
        kills += run_then_sigkill(["musicbrainz"], env, data_dir.parent, fake_musicbrainz, target)
        after = check_invariants(data_dir, before, killed=True)
        assert not asked_entities(fake_musicbrainz) & entities(before)  # nothing landed before was asked again
        before = after
    assert kills == 5  # each run lands at most 2 answers of the ~18 needed: every run is cut short
    fake_musicbrainz.reset_log()
    final = run_cli(["musicbrainz"], env, data_dir.parent)
    assert final.returncode == 0, final.output
    assert not asked_entities(fake_musicbrainz) & entities(before)
    assert_same_as_an_unfaulted_run(data_dir, before, mb_template.reference)
    assert mapping(data_dir) == mb_world.expected
    assert landed_keys(data_dir, "areas") == set().union(*mb_world.area_levels)


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
    assert landed_keys(data_dir, "areas") == {a_id, b_id}
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
    everything = run_cli(["all"], env, data_dir.parent)  # spotify is not configured either: nothing runs
    assert everything.returncode == 2
    assert "skipped musicbrainz: set MUSICBRAINZ_CONTACT" in everything.stderr
    assert "every source was skipped" in everything.stderr.strip().splitlines()[-1]
    assert fake_musicbrainz.data_requests() == 0


def test_artists_known_only_by_name_are_searched_by_name(fake_musicbrainz: FakeMusicBrainz, data_dir: Path):
    """Account-data and scrobble rows without ids: one batched name search for both names, then the artists."""
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
    assert landed_keys(data_dir, "artists") == {known}
    assert requests_by_step(fake_musicbrainz) == {"artist_search": 1, "artists": 1}
    fake_musicbrainz.reset_log()
    assert run_cli(["musicbrainz"], env, data_dir.parent).returncode == 0
    assert fake_musicbrainz.data_requests() == 0


# -- the name search in batches (extract.fetch_names) ---------------------------------------------------
SPECIAL = 'AC/DC "Live" (Tribute) OR x:y\\ && [1]'  # Lucene's special characters, quotes and a backslash
LONG_ACCENTED = "é" * 400  # 400 characters, 2,400 once URL-encoded: longer than a batch's query may be


def name_plays(names: dict[str, int]) -> list[dict[str, object]]:
    """Plays known only by name: ``plays`` of each name."""
    at = __import__("datetime").datetime(2025, 1, 1)
    return [
        {"track_name": f"t{n}", "artist": name, "played_at": at + __import__("datetime").timedelta(minutes=n + 100 * i)}
        for i, (name, plays) in enumerate(names.items())
        for n in range(plays)
    ]


def artist(fake: FakeMusicBrainz, name: str, rng: random.Random, **extra: object) -> str:
    mbid_ = mbid(rng)
    fake.artists[mbid_] = {"id": mbid_, "name": name, "sort-name": name, "life-span": {}, **extra}
    return mbid_


def name_searches(fake: FakeMusicBrainz) -> list[dict[str, str]]:
    return [{k: v[-1] for k, v in r.query.items()} for r in fake.requests if r.path == "/ws/2/artist"
            and r.query.get("query", [""])[0].startswith("artist:")]  # fmt: skip


def names_matched(data_dir: Path) -> dict[str, str | None]:
    catalog = Catalog(load_settings(env={"DATA_DIR": str(data_dir)}))
    catalog.require_history()
    prepare_views(catalog)
    rows = catalog.con.execute("select search_key, matched_mbid from int_musicbrainz__artist_names_matched")
    result = {r[0]: r[1] for r in rows.fetchall()}
    catalog.close()
    return result


def searches_landed(data_dir: Path) -> dict[str, tuple[int, dict]]:
    return {k: (s, __import__("json").loads(b)) for k, s, b in landed(data_dir, "artist_search", source="musicbrainz")}


def test_names_are_searched_many_a_request_with_the_single_searchs_decisions(
    fake_musicbrainz: FakeMusicBrainz, data_dir: Path
):
    """120 names known to MusicBrainz, a decoy, namesakes, Lucene syntax, a name too long to share a query and
    one of no words: 3 batched requests for 123 names; the namesakes, the long name and '!!!' alone."""
    rng = random.Random(14)
    bands = {f"Band {i}": artist(fake_musicbrainz, f"Band {i}", rng) for i in range(120)}
    artist(fake_musicbrainz, "Decoy Names", rng)  # similar, not the same name: never accepted
    artist(fake_musicbrainz, "The Decoy Name", rng)
    twins = [artist(fake_musicbrainz, "Twin", rng, disambiguation=d) for d in ("UK duo", "US duo")]
    special = artist(fake_musicbrainz, SPECIAL, rng)
    long_one = artist(fake_musicbrainz, LONG_ACCENTED, rng)
    bang = artist(fake_musicbrainz, "!!!", rng)
    names = {**dict.fromkeys(bands, 1), "Decoy Name": 1, "Twin": 1, SPECIAL: 1, LONG_ACCENTED: 1, "!!!": 1}
    write_history(data_dir, name_plays(names))
    env = musicbrainz_env(fake_musicbrainz, data_dir)
    result = run_cli(["musicbrainz"], env, data_dir.parent)
    assert result.returncode == 0, result.output

    # 123 short names: 3 batches (50, 50, 23); then 'Twin' (two artists of that name), the long name, '!!!'
    searches = name_searches(fake_musicbrainz)
    batched = [s for s in searches if " OR " in s["query"] and s["limit"] == "100"]
    assert [s["query"].count('artist:"') for s in batched] == [50, 50, 23]
    assert all(len(__import__("urllib.parse").parse.quote_plus(s["query"])) <= 2000 for s in batched)
    singles = [s["query"] for s in searches if s not in batched]
    assert sorted(singles) == sorted(['artist:"Twin"', f'artist:"{LONG_ACCENTED}"', 'artist:"!!!"'])
    assert requests_by_step(fake_musicbrainz) == {"artist_search": 6, "artists": 2}
    assert (
        'artist:"AC/DC \\"Live\\" (Tribute) OR x:y\\\\ && [1]"'
        in batched[0]["query"] + batched[1]["query"] + (batched[2]["query"])
    )

    landed_ = searches_landed(data_dir)
    assert len(landed_) == len(names)  # every key once
    decoy_status, decoy_body = landed_["name:decoy name"]
    assert decoy_status == 404 and decoy_body == {"artists": [], "count": 0, "batched": True}
    status, body = landed_[f"name:{SPECIAL.lower()}"]
    assert status == 200 and body["batched"] is True and [a["id"] for a in body["artists"]] == [special]
    assert all(landed_[f"name:{b.lower()}"][1]["batched"] for b in bands)
    twin_status, twin_body = landed_["name:twin"]
    assert twin_status == 200 and "batched" not in twin_body  # the single search's answer, as landed before
    assert {a["id"] for a in twin_body["artists"] if a["name"] == "Twin"} == set(twins)

    matched = names_matched(data_dir)
    assert matched == {
        **{f"name:{b.lower()}": m for b, m in bands.items()},
        "name:decoy name": None,
        "name:twin": twins[0],  # the single search's choice: the same score, MusicBrainz's order
        f"name:{SPECIAL.lower()}": special,
        "name:" + "e" * 400: long_one,  # keys are normalized names: accents stripped
        "name:!!!": bang,
    }
    fake_musicbrainz.reset_log()
    assert run_cli(["musicbrainz"], env, data_dir.parent).returncode == 0
    assert fake_musicbrainz.data_requests() == 0


def test_a_batch_pages_through_more_than_100_results(fake_musicbrainz: FakeMusicBrainz, data_dir: Path):
    rng = random.Random(15)
    common = artist(fake_musicbrainz, "Common", rng)
    for k in range(150):  # 150 artists whose names hold the phrase "Common": partial matches, never accepted
        artist(fake_musicbrainz, f"Common Tribute {k}", rng)
    rare = artist(fake_musicbrainz, "Rare", rng)
    write_history(data_dir, name_plays({"Common": 2, "Rare": 1}))
    result = run_cli(["musicbrainz"], musicbrainz_env(fake_musicbrainz, data_dir), data_dir.parent)
    assert result.returncode == 0, result.output
    searches = name_searches(fake_musicbrainz)
    assert [(s["query"], s["offset"]) for s in searches] == [
        ('artist:"Common" OR artist:"Rare"', o) for o in ["0", "100"]
    ]
    assert requests_by_step(fake_musicbrainz) == {"artist_search": 2, "artists": 1}
    landed_ = searches_landed(data_dir)
    assert landed_["name:common"][0] == 200 and [a["id"] for a in landed_["name:common"][1]["artists"]] == [common]
    assert landed_["name:common"][1]["count"] == 1
    assert names_matched(data_dir) == {"name:common": common, "name:rare": rare}


def test_a_batch_beyond_the_page_cap_is_split(fake_musicbrainz: FakeMusicBrainz, data_dir: Path):
    """320 partial matches of "Crowd": 3 pages do not hold them (a namesake could hide on page 4), so the batch
    is split: "Crowd" alone is a single search, the other two one batch."""
    rng = random.Random(16)
    crowd = artist(fake_musicbrainz, "Crowd", rng)
    for k in range(320):
        artist(fake_musicbrainz, f"Crowd Member {k}", rng)
    solo = {n: artist(fake_musicbrainz, n, rng) for n in ("Solo A", "Solo B")}
    write_history(data_dir, name_plays({"Crowd": 3, "Solo A": 2, "Solo B": 1}))
    result = run_cli(["musicbrainz"], musicbrainz_env(fake_musicbrainz, data_dir), data_dir.parent)
    assert result.returncode == 0, result.output
    searches = [(s["query"], s.get("offset"), s["limit"]) for s in name_searches(fake_musicbrainz)]
    three = 'artist:"Crowd" OR artist:"Solo A" OR artist:"Solo B"'
    assert searches == [
        (three, "0", "100"), (three, "100", "100"), (three, "200", "100"),
        ('artist:"Crowd"', None, "10"),
        ('artist:"Solo A" OR artist:"Solo B"', "0", "100"),
    ]  # fmt: skip
    assert names_matched(data_dir) == {
        "name:crowd": crowd,
        "name:solo a": solo["Solo A"],
        "name:solo b": solo["Solo B"],
    }


def test_a_crash_mid_batch_loses_only_that_batch(fake_musicbrainz: FakeMusicBrainz, data_dir: Path, tmp_path: Path):
    """Killed on a batch's second page, then on the namesake's single search after the batch landed: each
    rerun asks only for what is missing, and the end is what an uninterrupted run lands."""
    rng = random.Random(17)
    artist(fake_musicbrainz, "Common", rng)
    for k in range(150):
        artist(fake_musicbrainz, f"Common Tribute {k}", rng)
    for _ in range(2):
        artist(fake_musicbrainz, "Twin", rng)
    artist(fake_musicbrainz, "Rare", rng)
    plays = name_plays({"Common": 3, "Twin": 2, "Rare": 1})
    reference = tmp_path / "reference" / "data"
    write_history(reference, plays)
    assert run_cli(["musicbrainz"], musicbrainz_env(fake_musicbrainz, reference), reference.parent).returncode == 0
    # the reference: 2 pages of the batch, Twin's single search, the artists
    assert requests_by_step(fake_musicbrainz) == {"artist_search": 3, "artists": 1}

    write_history(data_dir, plays)
    env = musicbrainz_env(fake_musicbrainz, data_dir)
    fake_musicbrainz.add_fault(Fault(path="/ws/2/", kind="hang", delay=0.3, times=10**6))  # time to be killed
    fake_musicbrainz.reset_log()
    assert run_then_sigkill(["musicbrainz"], env, data_dir.parent, fake_musicbrainz, 2)  # on the 2nd page
    first = check_invariants(data_dir, killed=True)
    assert first.keys("musicbrainz/artist_search") == set()  # the batch in flight: nothing of it
    fake_musicbrainz.reset_log()
    assert run_then_sigkill(["musicbrainz"], env, data_dir.parent, fake_musicbrainz, 3)  # on Twin's single
    second = check_invariants(data_dir, first, killed=True)
    assert second.keys("musicbrainz/artist_search") == {"name:common", "name:rare"}  # the batch landed
    fake_musicbrainz.faults.clear()
    fake_musicbrainz.reset_log()
    assert run_cli(["musicbrainz"], env, data_dir.parent).returncode == 0
    assert name_searches(fake_musicbrainz) == [{"query": 'artist:"Twin"', "limit": "10", "fmt": "json"}]
    assert_same_as_an_unfaulted_run(data_dir, second, reference)
