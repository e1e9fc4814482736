"""The geo extractor: the offline gazetteer first, OpenWeather over real HTTP only for what it misses.

The fault cases start from a data folder in which MusicBrainz answers and an earlier ``geo --limit 1``
landed (``geo_primed``), inject the fault into the fake OpenWeather on 127.0.0.1, run
``python -m extractors geo`` and check the invariants of tests/invariants.py against that earlier state
(every landed file readable, every key at most once, nothing landed before lost or rewritten), and that what
landed in the end equals what an unfaulted run from the same state lands (``landed_equal``).

| fault                                              | outcome                                                  |
|----------------------------------------------------|----------------------------------------------------------|
| 429 with Retry-After: 1                            | waits 1.0 s, exit 0                                      |
| 500 / 502 / 503 burst                              | backoff, exit 0                                          |
| connection reset (twice)                           | "connection failed", retried, exit 0                     |
| timeout (answer after 1.5 s, HTTP_TIMEOUT=0.5)     | "no answer within 0.5 s", retried, exit 0                |
| HTML page / truncated JSON with 200 (twice)        | "not valid JSON", retried, never landed, exit 0          |
| 429 without Retry-After (OpenWeather sends none)   | taken as 60 s: over RETRY_AFTER_MAX=30 exit 1, "wait 60  |
|                                                    | s … run again after"; earlier cities kept; next run ends |
| persistent 503 / reset / truncated JSON            | exit 1, last line names the problem; the cities answered |
|                                                    | before kept; the next run completes                      |
| a refused API key (401)                            | exit 2, one line naming OPENWEATHER_API_KEY, key hidden  |
| SIGKILL at seeded random points, 5 runs            | the last run completes and the landed data equals an     |
|                                                    | uninterrupted run's                                      |
"""

from __future__ import annotations

import copy
import random
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from scripts.devkit.env import base_env
from scripts.devkit.fakes import Fault
from scripts.devkit.fakes.musicbrainz import FakeMusicBrainz
from scripts.devkit.fakes.openweather import API_KEY, BLOCKED, FakeOpenWeather, place
from scripts.devkit.worlds import area_object, embedded, mbid, write_gazetteer
from tests.conftest import landed, musicbrainz_env, run_cli, write_history
from tests.invariants import (
    Snapshot,
    Stopping,
    Transient,
    assert_same_as_an_unfaulted_run,
    check_invariants,
    error_line,
    inject,
    landed_diff,
    landed_equal,
    run_then_sigkill,
)


@pytest.fixture(scope="module")
def geo_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, dict[str, str]]]:
    """Once per module: the data folder of ``geo_world`` with MusicBrainz's answers landed."""
    root = tmp_path_factory.mktemp("geo-world")
    data = root / "data"
    fake = FakeMusicBrainz()
    fake.start()
    try:
        extra = build_geo_world(root, data, fake)
    finally:
        fake.stop()
    yield data, extra


@pytest.fixture
def geo_world(data_dir: Path, geo_template: tuple[Path, dict[str, str]]) -> dict[str, str]:
    """Artists in: Houston (gazetteer), a municipality, a US Springfield and a GB 'Nowhere' (not in it), Niger, and
    Santo Amaro in Bahia (gazetteer) and in Pernambuco (not in it: asked for although the params is Bahia's too)."""
    template, extra = geo_template
    for folder in ("src", "raw"):
        shutil.copytree(template / folder, data_dir / folder)
    return extra


def build_geo_world(root: Path, data_dir: Path, fake_musicbrainz: FakeMusicBrainz) -> dict[str, str]:
    rng = random.Random(8)
    us = area_object(mbid(rng), "United States", "Country", None, iso_3166_1_codes=["US"])
    es = area_object(mbid(rng), "Spain", "Country", None, iso_3166_1_codes=["ES"])
    gb = area_object(mbid(rng), "United Kingdom", "Country", None, iso_3166_1_codes=["GB"])
    ne = area_object(mbid(rng), "Niger", "Country", None, iso_3166_1_codes=["NE"])
    br = area_object(mbid(rng), "Brazil", "Country", None, iso_3166_1_codes=["BR"])
    bahia = area_object(mbid(rng), "Bahia", "Subdivision", br, iso_3166_2_codes=["BR-BA"])
    pernambuco = area_object(mbid(rng), "Pernambuco", "Subdivision", br, iso_3166_2_codes=["BR-PE"])
    # one params, two subdivisions: the gazetteer has Bahia's Santo Amaro, not Pernambuco's
    santo_amaro_ba = area_object(mbid(rng), "Santo Amaro", "City", bahia)
    santo_amaro_pe = area_object(mbid(rng), "Santo Amaro", "City", pernambuco)
    texas = area_object(mbid(rng), "Texas", "Subdivision", us, iso_3166_2_codes=["US-TX"])
    illinois = area_object(mbid(rng), "Illinois", "Subdivision", us, iso_3166_2_codes=["US-IL"])
    catalonia = area_object(mbid(rng), "Catalonia", "Subdivision", es, iso_3166_2_codes=["ES-CT"])
    houston = area_object(mbid(rng), "Houston", "City", texas)
    springfield = area_object(mbid(rng), "Springfield", "City", illinois)
    smalltown = area_object(mbid(rng), "Smalltown Municipality", "Municipality", catalonia)
    nowhere = area_object(mbid(rng), "Nowhere", "City", gb)
    for area in (us, es, gb, ne, texas, illinois, catalonia, houston, springfield, smalltown, nowhere,
                 br, bahia, pernambuco, santo_amaro_ba, santo_amaro_pe):  # fmt: skip
        fake_musicbrainz.areas[area["id"]] = area
    plays = []
    for i, area in enumerate((houston, smalltown, springfield, nowhere, ne, santo_amaro_ba, santo_amaro_pe)):
        artist = mbid(rng)
        fake_musicbrainz.artists[artist] = {"id": artist, "name": f"A{i}", "area": embedded(area), "life-span": {}}
        plays.append(
            {"track_name": "t", "artist": f"A{i}", "artist_mbid": artist, "played_at": datetime(2025, 1, i + 1)}
        )
    write_history(data_dir, plays)
    assert run_cli(["musicbrainz"], musicbrainz_env(fake_musicbrainz, data_dir), data_dir.parent).returncode == 0
    reference = write_gazetteer(
        root / "reference",
        [
            (1, "Houston", "US", "TX", 29.76, -95.36, ["houston"]),
            (2, "Springfield", "US", "MO", 37.21, -93.29, ["springfield"]),  # another state: not a match
            (3, "Smalltown", "GB", None, 50.0, -1.0, ["smalltown"]),  # another country: not a match
            (4, "Santo Amaro", "BR", None, -12.55, -38.71, ["santo amaro"]),
            (5, "Recife", "BR", None, -8.05, -34.88, ["recife"]),  # the gazetteer knows BR-PE
        ],
        {4: "BR-BA", 5: "BR-PE"},
    )
    return {"REFERENCE_DIR": str(reference)}


def geo_env(fake: FakeOpenWeather | None, data_dir: Path, extra: dict[str, str], **more: str) -> dict[str, str]:
    env = base_env(data_dir, **{"HTTP_BACKOFF_BASE": "0.01", **extra, **more})
    if fake is not None:
        env.update({"OPENWEATHER_API_URL": fake.url, "OPENWEATHER_API_KEY": API_KEY, "OPENWEATHER_MIN_INTERVAL": "0"})
    return env


# Santo Amaro,BR: the gazetteer answers it in Bahia, not in Pernambuco (its Santo Amaro is Bahia's)
MISSING = ["Nowhere,GB", "Santo Amaro,BR", "Smalltown,ES", "Springfield,IL,US"]


def test_without_a_key_the_gazetteer_answers_and_the_rest_is_counted(geo_world, data_dir: Path):
    result = run_cli(["openweather"], geo_env(None, data_dir, geo_world), data_dir.parent)
    assert result.returncode == 0, result.output
    assert "2 of 6 cities known to the offline gazetteer" in result.stdout
    assert "4 cities remain without coordinates: set OPENWEATHER_API_KEY" in result.stdout
    assert landed(data_dir, "geocode", source="openweather") == []


def test_only_the_cities_the_gazetteer_misses_cost_one_request_each(geo_world, data_dir: Path):
    with FakeOpenWeather() as fake:
        assert isinstance(fake, FakeOpenWeather)
        fake.add("Springfield,IL,US", [place("Springfield", 37.2, -93.3, "US", "Missouri"),
                                       place("Springfield", 39.8, -89.65, "US", "Illinois")])  # fmt: skip
        fake.add("Smalltown,ES", [place("Smalltown", 41.49, 1.87, "ES", "Catalonia", en="Smalltown")])
        fake.add("Santo Amaro,BR", [place("Santo Amaro", -23.65, -46.71, "BR", "São Paulo"),
                                    place("Santo Amaro", -8.05, -34.88, "BR", "Pernambuco")])  # fmt: skip
        env = geo_env(fake, data_dir, geo_world)
        result = run_cli(["openweather"], env, data_dir.parent)
        assert result.returncode == 0, result.output
        assert sorted(r.query["q"][0] for r in fake.requests) == MISSING
        assert all(r.query["limit"] == ["5"] for r in fake.requests)
        rows = {key: (status, body) for key, status, body in landed(data_dir, "geocode", source="openweather")}
        assert rows["Nowhere,GB"] == (404, "[]")  # OpenWeather's [] is "not found", not an error
        assert rows["Springfield,IL,US"][0] == 200 and "Illinois" in rows["Springfield,IL,US"][1]

        fake.reset_log()
        assert run_cli(["openweather"], env, data_dir.parent).returncode == 0
        assert fake.data_requests() == 0
        assert run_cli(["openweather", "--retry-not-found"], env, data_dir.parent).returncode == 0
        assert [r.query["q"][0] for r in fake.requests] == ["Nowhere,GB"]


def test_a_bad_key_is_one_clear_line_and_exit_2(geo_world, data_dir: Path):
    with FakeOpenWeather(api_key="the-right-key") as fake:
        assert isinstance(fake, FakeOpenWeather)
        result = run_cli(["openweather"], geo_env(fake, data_dir, geo_world), data_dir.parent)
    assert result.returncode == 2
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("error: openweather") and "OPENWEATHER_API_KEY" in last
    assert API_KEY not in result.output and "Traceback" not in result.output
    assert landed(data_dir, "geocode", source="openweather") == []
    check_invariants(data_dir)


# -- faults ------------------------------------------------------------------------------------------------
ANSWERS = {
    "Springfield,IL,US": [place("Springfield", 37.2, -93.3, "US", "Missouri"),
                          place("Springfield", 39.8, -89.65, "US", "Illinois")],
    "Smalltown,ES": [place("Smalltown", 41.49, 1.87, "ES", "Catalonia", en="Smalltown")],
}  # fmt: skip


def openweather(answers: dict[str, list[dict[str, Any]]] | None = None) -> FakeOpenWeather:
    fake = FakeOpenWeather()
    for query, results in (ANSWERS if answers is None else answers).items():
        fake.add(query, copy.deepcopy(results))
    return fake


@dataclass(frozen=True)
class Primed:
    data: Path  # the data folder after ``geo --limit 1`` (MISSING[0] geocoded)
    reference: Path  # after an uninterrupted run from there
    requests: int  # requests of that run


@pytest.fixture(scope="module")
def geo_primed_template(
    tmp_path_factory: pytest.TempPathFactory, geo_template: tuple[Path, dict[str, str]]
) -> Iterator[Primed]:
    template, extra = geo_template
    root = tmp_path_factory.mktemp("geo-primed")
    primed, reference = root / "primed", root / "reference"
    for folder in ("src", "raw"):
        shutil.copytree(template / folder, primed / folder)
    fake = openweather()
    fake.start()
    try:
        assert run_cli(["openweather", "--limit", "1"], geo_env(fake, primed, extra), root).returncode == 0
        shutil.copytree(primed, reference)
        fake.reset_log()
        assert run_cli(["openweather"], geo_env(fake, reference, extra), root).returncode == 0
        requests = fake.data_requests()
    finally:
        fake.stop()
    yield Primed(primed, reference, requests)


@pytest.fixture
def geo_primed(geo_world: dict[str, str], data_dir: Path, geo_primed_template: Primed) -> Snapshot:
    """The data folder holds MusicBrainz's answers and one geocoded city; returns its snapshot."""
    geocode = Path("raw", "openweather")
    shutil.copytree(geo_primed_template.data / geocode, data_dir / geocode)
    before = check_invariants(data_dir)
    assert before.keys("openweather/geocode") == {MISSING[0]}
    return before


@pytest.fixture
def fake_openweather() -> Iterator[FakeOpenWeather]:
    fake = openweather()
    fake.start()
    try:
        yield fake
    finally:
        fake.stop()


def server_error(status: int) -> dict[str, object]:
    return {"cod": status, "message": "Internal error"}


TRANSIENT = {
    "429-retry-after-1s": Transient(
        (Fault(path="/geo/", status=429, body=BLOCKED, headers={"Retry-After": "1"}),), "waiting 1.0 s", 1
    ),
    **{
        f"{s}-burst": Transient(
            (Fault(path="/geo/", status=s, body=server_error(s), times=3),), f"status {s} (Internal error)", 3
        )
        for s in (500, 502, 503)
    },
    "reset": Transient((Fault(path="/geo/", kind="reset", times=2),), "connection failed", 2),
    "timeout": Transient(
        (Fault(path="/geo/", kind="hang", delay=1.5),), "no answer within 0.5 s", 1, {"HTTP_TIMEOUT": "0.5"}
    ),
    "html": Transient((Fault(path="/geo/", kind="html", times=2),), "not valid JSON (text/html)", 2),
    "truncated-json": Transient(
        (Fault(path="/geo/", kind="truncate", times=2),), "not valid JSON (application/json)", 2
    ),
}


@pytest.mark.parametrize("case", TRANSIENT.values(), ids=TRANSIENT.keys())
def test_transient_faults_are_waited_out_and_never_land(
    geo_world: dict[str, str],
    fake_openweather: FakeOpenWeather,
    data_dir: Path,
    geo_primed: Snapshot,
    geo_primed_template: Primed,
    case: Transient,
):
    faults = inject(fake_openweather, *case.faults)
    result = run_cli(["openweather"], geo_env(fake_openweather, data_dir, geo_world, **case.env), data_dir.parent)
    assert result.returncode == 0, result.output
    assert case.says in result.stderr and "waiting" in result.stderr
    assert [f.times for f in faults] == [0] * len(faults)  # every scripted fault happened
    assert fake_openweather.data_requests() == geo_primed_template.requests + case.retries
    assert_same_as_an_unfaulted_run(data_dir, geo_primed, geo_primed_template.reference)


STOPPING = {
    "429-without-retry-after": Stopping(
        Fault(path="/geo/", status=429, body=BLOCKED, times=100),
        ("wait 60 s", "RETRY_AFTER_MAX=30", "run again after"),
        {"RETRY_AFTER_MAX": "30"},
    ),
    "503-persistent": Stopping(
        Fault(path="/geo/", status=503, body=server_error(503), times=100),
        ("status 503 (Internal error)", "still after 3 attempts", "run again later"),
    ),
    "reset-persistent": Stopping(Fault(path="/geo/", kind="reset", times=100), ("connection failed",)),
    "truncated-json-persistent": Stopping(
        Fault(path="/geo/", kind="truncate", times=100), ("not valid JSON", "nothing of it was landed")
    ),
}


@pytest.mark.parametrize("case", STOPPING.values(), ids=STOPPING.keys())
def test_lasting_faults_stop_the_source_keeping_the_cities_answered_before(
    geo_world: dict[str, str],
    fake_openweather: FakeOpenWeather,
    data_dir: Path,
    geo_primed: Snapshot,
    geo_primed_template: Primed,
    case: Stopping,
):
    fake_openweather.add_fault(Fault(path="/geo/", kind="hang", delay=0))  # the first city passes
    inject(fake_openweather, case.fault)
    env = geo_env(fake_openweather, data_dir, geo_world, **{"HTTP_MAX_RETRIES": "2", **case.env})
    result = run_cli(["openweather"], env, data_dir.parent)
    assert result.returncode == 1
    line = error_line(result)
    assert line.startswith("error: openweather: ") and all(s in line for s in case.says), line
    stopped = check_invariants(data_dir, geo_primed)
    assert stopped.keys("openweather/geocode") == set(MISSING[:2])  # the city answered before the fault stays

    fake_openweather.faults.clear()  # the server is fine again: the next run asks for the rest only
    fake_openweather.reset_log()
    assert run_cli(["openweather"], env, data_dir.parent).returncode == 0
    assert [r.query["q"][0] for r in fake_openweather.requests] == MISSING[2:]
    assert_same_as_an_unfaulted_run(data_dir, stopped, geo_primed_template.reference)


# -- SIGKILL at random points -----------------------------------------------------------------------------
def many_cities_world(
    root: Path, data_dir: Path, n_cities: int = 110, n_known: int = 10
) -> tuple[dict[str, str], FakeOpenWeather]:
    """``n_cities`` GB cities with an artist each, the first ``n_known`` in the gazetteer; OpenWeather knows
    every other one of the rest (the others answer ``[]``). MusicBrainz's answers are landed in ``data_dir``."""
    rng = random.Random(21)
    gb = area_object(mbid(rng), "United Kingdom", "Country", None, iso_3166_1_codes=["GB"])
    cities = [area_object(mbid(rng), f"Town {i:03d}", "City", gb) for i in range(n_cities)]
    mb = FakeMusicBrainz()
    mb.areas.update({a["id"]: a for a in (gb, *cities)})
    plays = []
    for i, city in enumerate(cities):
        artist = mbid(rng)
        mb.artists[artist] = {"id": artist, "name": f"B{i}", "area": embedded(city), "life-span": {}}
        plays.append({"track_name": "t", "artist": f"B{i}", "artist_mbid": artist,
                      "played_at": datetime(2025, 1, 1) + timedelta(minutes=i)})  # fmt: skip
    write_history(data_dir, plays)
    with mb:
        result = run_cli(["musicbrainz"], musicbrainz_env(mb, data_dir), data_dir.parent)
    assert result.returncode == 0, result.output
    known = [(i, f"Town {i:03d}", "GB", None, 50.0 + i / 100, -1.0, [f"town {i:03d}"]) for i in range(n_known)]
    reference = write_gazetteer(root / "reference", known)
    answers = {
        f"Town {i:03d},GB": [place(f"Town {i:03d}", 51.0 + i / 100, -2.0, "GB", "England")]
        for i in range(n_known, n_cities, 2)
    }
    return {"REFERENCE_DIR": str(reference)}, openweather(answers)


@pytest.mark.slow
def test_sigkill_at_random_points_then_a_rerun_lands_what_an_uninterrupted_run_lands(tmp_path: Path, data_dir: Path):
    extra, fake = many_cities_world(tmp_path, data_dir)
    uninterrupted = tmp_path / "uninterrupted"
    for folder in ("src", "raw"):
        shutil.copytree(data_dir / folder, uninterrupted / folder)
    with fake:
        assert run_cli(["openweather"], geo_env(fake, uninterrupted, extra), tmp_path).returncode == 0
        assert len(check_invariants(uninterrupted).keys("openweather/geocode")) == 100

        fake.add_fault(Fault(path="/geo/", kind="hang", delay=0.03, times=10**6))  # 100 cities: ~3 s a run
        env = geo_env(fake, data_dir, extra)
        rng = random.Random(20261124)
        before = check_invariants(data_dir)
        kills = 0
        for _ in range(5):
            target = fake.data_requests() + rng.randint(1, 15)  # killed on the n-th city's request
            kills += run_then_sigkill(["openweather"], env, data_dir.parent, fake, target)
            before = check_invariants(data_dir, before, killed=True)
        assert kills == 5  # at most 75 of the 100 cities asked: every run is cut short
        final = run_cli(["openweather"], env, data_dir.parent)
        assert final.returncode == 0, final.output
    check_invariants(data_dir, before)
    assert landed_equal(data_dir, uninterrupted), landed_diff(data_dir, uninterrupted)
