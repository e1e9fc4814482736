"""The geo extractor: the offline gazetteer first, OpenWeather over real HTTP only for what it misses."""

from __future__ import annotations

import os
import random
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from tests.conftest import REPO, landed, musicbrainz_env, run_cli, write_history
from tests.fakes import Fault
from tests.fakes.musicbrainz import FakeMusicBrainz
from tests.fakes.openweather import API_KEY, BLOCKED, FakeOpenWeather, place
from tests.worlds import area_object, embedded, mbid


def write_gazetteer(folder: Path, cities: list[tuple[int, str, str, str | None, float, float, list[str]]]) -> Path:
    """A stand-in gazetteer in the reference layout: (geonameid, name, country, state, lat, lon, name keys)."""
    folder.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    con.execute(
        "create table c (geonameid bigint, name varchar, country_code varchar, admin1_code varchar, "
        "state_code varchar, latitude double, longitude double, population bigint)"
    )
    con.execute("create table n (geonameid bigint, name_key varchar)")
    for gid, name, country, state, lat, lon, keys in cities:
        con.execute("insert into c values (?, ?, ?, ?, ?, ?, ?, 100000)", [gid, name, country, state, state, lat, lon])
        for key in keys:
            con.execute("insert into n values (?, ?)", [gid, key])
    con.execute(f"copy c to '{folder}/gazetteer_cities.parquet' (format parquet)")
    con.execute(f"copy n to '{folder}/gazetteer_names.parquet' (format parquet)")
    con.close()
    return folder


@pytest.fixture
def geo_world(tmp_path: Path, data_dir: Path, fake_musicbrainz: FakeMusicBrainz) -> dict[str, str]:
    """Artists in: Houston (gazetteer), a municipality, a US Springfield and a GB 'Nowhere' (not in it), Niger."""
    rng = random.Random(8)
    us = area_object(mbid(rng), "United States", "Country", None, iso_3166_1_codes=["US"])
    es = area_object(mbid(rng), "Spain", "Country", None, iso_3166_1_codes=["ES"])
    gb = area_object(mbid(rng), "United Kingdom", "Country", None, iso_3166_1_codes=["GB"])
    ne = area_object(mbid(rng), "Niger", "Country", None, iso_3166_1_codes=["NE"])
    texas = area_object(mbid(rng), "Texas", "Subdivision", us, iso_3166_2_codes=["US-TX"])
    illinois = area_object(mbid(rng), "Illinois", "Subdivision", us, iso_3166_2_codes=["US-IL"])
    catalonia = area_object(mbid(rng), "Catalonia", "Subdivision", es, iso_3166_2_codes=["ES-CT"])
    houston = area_object(mbid(rng), "Houston", "City", texas)
    springfield = area_object(mbid(rng), "Springfield", "City", illinois)
    smalltown = area_object(mbid(rng), "Smalltown Municipality", "Municipality", catalonia)
    nowhere = area_object(mbid(rng), "Nowhere", "City", gb)
    for area in (us, es, gb, ne, texas, illinois, catalonia, houston, springfield, smalltown, nowhere):
        fake_musicbrainz.areas[area["id"]] = area
    plays = []
    for i, area in enumerate((houston, smalltown, springfield, nowhere, ne)):
        artist = mbid(rng)
        fake_musicbrainz.artists[artist] = {"id": artist, "name": f"A{i}", "area": embedded(area), "life-span": {}}
        plays.append(
            {"track_name": "t", "artist": f"A{i}", "artist_mbid": artist, "played_at": datetime(2025, 1, i + 1)}
        )
    write_history(data_dir, plays)
    assert run_cli(["musicbrainz"], musicbrainz_env(fake_musicbrainz, data_dir), data_dir.parent).returncode == 0
    reference = write_gazetteer(
        tmp_path / "reference",
        [
            (1, "Houston", "US", "TX", 29.76, -95.36, ["houston"]),
            (2, "Springfield", "US", "MO", 37.21, -93.29, ["springfield"]),  # another state: not a match
            (3, "Smalltown", "GB", None, 50.0, -1.0, ["smalltown"]),  # another country: not a match
        ],
    )
    return {"REFERENCE_DIR": str(reference)}


def geo_env(fake: FakeOpenWeather | None, data_dir: Path, extra: dict[str, str], **more: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SPOTIFY_", "MUSICBRAINZ_", "OPENWEATHER_"))}
    env.update({"PYTHONPATH": str(REPO), "DATA_DIR": str(data_dir), "HTTP_BACKOFF_BASE": "0.01", **extra, **more})
    if fake is not None:
        env.update({"OPENWEATHER_API_URL": fake.url, "OPENWEATHER_API_KEY": API_KEY, "OPENWEATHER_MIN_INTERVAL": "0"})
    return env


MISSING = ["Nowhere,GB", "Smalltown,ES", "Springfield,IL,US"]


def test_without_a_key_the_gazetteer_answers_and_the_rest_is_counted(geo_world, data_dir: Path):
    result = run_cli(["geo"], geo_env(None, data_dir, geo_world), data_dir.parent)
    assert result.returncode == 0, result.output
    assert "1 cities known to the offline gazetteer" in result.stdout
    assert "3 cities remain without coordinates: set OPENWEATHER_API_KEY" in result.stdout
    assert landed(data_dir, "geocode", source="openweather") == []


def test_only_the_cities_the_gazetteer_misses_cost_one_request_each(geo_world, data_dir: Path):
    with FakeOpenWeather() as fake:
        assert isinstance(fake, FakeOpenWeather)
        fake.add("Springfield,IL,US", [place("Springfield", 37.2, -93.3, "US", "Missouri"),
                                       place("Springfield", 39.8, -89.65, "US", "Illinois")])  # fmt: skip
        fake.add("Smalltown,ES", [place("Smalltown", 41.49, 1.87, "ES", "Catalonia", en="Smalltown")])
        env = geo_env(fake, data_dir, geo_world)
        result = run_cli(["geo"], env, data_dir.parent)
        assert result.returncode == 0, result.output
        assert sorted(r.query["q"][0] for r in fake.requests) == MISSING
        assert all(r.query["limit"] == ["5"] for r in fake.requests)
        rows = {key: (status, body) for key, status, body in landed(data_dir, "geocode", source="openweather")}
        assert rows["Nowhere,GB"] == (404, "[]")  # OpenWeather's [] is "not found", not an error
        assert rows["Springfield,IL,US"][0] == 200 and "Illinois" in rows["Springfield,IL,US"][1]

        fake.reset_log()
        assert run_cli(["geo"], env, data_dir.parent).returncode == 0
        assert fake.data_requests() == 0
        assert run_cli(["geo", "--retry-not-found"], env, data_dir.parent).returncode == 0
        assert [r.query["q"][0] for r in fake.requests] == ["Nowhere,GB"]


def test_a_bad_key_is_one_clear_line_and_exit_2(geo_world, data_dir: Path):
    with FakeOpenWeather(api_key="the-right-key") as fake:
        assert isinstance(fake, FakeOpenWeather)
        result = run_cli(["geo"], geo_env(fake, data_dir, geo_world), data_dir.parent)
    assert result.returncode == 2
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("error: openweather") and "OPENWEATHER_API_KEY" in last
    assert API_KEY not in result.output and "Traceback" not in result.output
    assert landed(data_dir, "geocode", source="openweather") == []


def test_429_without_retry_after_stops_cleanly_keeping_what_landed(geo_world, data_dir: Path):
    with FakeOpenWeather() as fake:
        assert isinstance(fake, FakeOpenWeather)
        fake.add_fault(Fault(path="/geo/", kind="hang", delay=0))  # the first city passes
        fake.add_fault(Fault(path="/geo/", status=429, body=BLOCKED, times=100))
        env = geo_env(fake, data_dir, geo_world, RETRY_AFTER_MAX="30")
        result = run_cli(["geo"], env, data_dir.parent)
        assert result.returncode == 1
        assert "wait 60 s" in result.stderr and "run again after" in result.stderr
        assert [k for k, _, _ in landed(data_dir, "geocode", source="openweather")] == ["Nowhere,GB"]
        fake.faults.clear()
        fake.reset_log()
        assert run_cli(["geo"], env, data_dir.parent).returncode == 0
        assert sorted(r.query["q"][0] for r in fake.requests) == MISSING[1:]


def test_429_with_a_short_retry_after_is_waited_out(geo_world, data_dir: Path):
    with FakeOpenWeather() as fake:
        assert isinstance(fake, FakeOpenWeather)
        fake.add_fault(Fault(path="/geo/", status=429, body=BLOCKED, headers={"Retry-After": "1"}))
        result = run_cli(["geo"], geo_env(fake, data_dir, geo_world), data_dir.parent)
        assert result.returncode == 0, result.output
        assert fake.data_requests() == len(MISSING) + 1
