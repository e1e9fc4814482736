"""Local time (docs/local-time.md): the seed country_timezones and the macros of macros/local_time.sql.

The seed is checked as a file (and against a fresh run of scripts/make_reference.py); the macros through the real
dbt: `dbt seed` once into a temporary DATA_DIR, then `dbt show --inline` with the macros, under different
LISTENER_TIMEZONE / TZ / --vars settings.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from scripts import make_reference
from tests.test_dbt_models import REPO, assert_ok, run_dbt

SEED = REPO / "seeds" / "country_timezones.csv"


# ---------------------------------------------------------------------------------------------- the seed


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    with SEED.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def by_name(rows: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    return {row["timezone"]: row for row in rows}


def test_the_seed_is_what_make_reference_writes(tmp_path: Path) -> None:
    path = tmp_path / "country_timezones.csv"
    make_reference.write_csv(path, make_reference.build_country_timezones())
    assert path.read_bytes() == SEED.read_bytes(), "run `uv run python -m scripts.make_reference`"


def test_columns_and_grain(rows: list[dict[str, str]], by_name: dict[str, dict[str, str]]) -> None:
    assert list(rows[0]) == ["timezone", "country_code", "zones_in_country", "alias_of"]
    assert len(by_name) == len(rows)
    assert 400 < len(rows) < 1000


@pytest.mark.parametrize(
    ("country", "zones"),
    [("DE", 1), ("FR", 1), ("JP", 1), ("GB", 1), ("IN", 1), ("MY", 1), ("US", 16), ("RU", 23), ("AU", 9)],
)
def test_zones_in_country(by_name: dict[str, dict[str, str]], country: str, zones: int) -> None:
    counts = {row["zones_in_country"] for row in by_name.values() if row["country_code"] == country}
    assert counts == {str(zones)}


def test_brazil_has_several_zones(by_name: dict[str, dict[str, str]]) -> None:
    assert int(by_name["America/Sao_Paulo"]["zones_in_country"]) > 1


@pytest.mark.parametrize(
    ("name", "country", "alias_of"),
    [
        ("Europe/Berlin", "DE", ""),
        ("Europe/Busingen", "DE", "Europe/Berlin"),  # a zone of DE with Berlin's clock since 2000
        ("Asia/Tokyo", "JP", ""),
        ("Japan", "JP", "Asia/Tokyo"),
        ("Europe/Kyiv", "UA", ""),
        ("Europe/Kiev", "UA", "Europe/Kyiv"),
        ("US/Eastern", "US", "America/New_York"),
        ("Asia/Calcutta", "IN", "Asia/Kolkata"),
        ("Europe/Copenhagen", "DK", ""),  # in zone.tab, though tzdata links it to Europe/Berlin
        ("Iceland", "IS", "Atlantic/Reykjavik"),  # tzdata links it to Africa/Abidjan (CI)
        ("Etc/UTC", "", ""),
        ("UTC", "", ""),
        ("CET", "", ""),
        ("Etc/GMT-1", "", ""),
    ],
)
def test_names(by_name: dict[str, dict[str, str]], name: str, country: str, alias_of: str) -> None:
    row = by_name[name]
    assert (row["country_code"], row["alias_of"]) == (country, alias_of)
    assert (row["zones_in_country"] == "") == (country == "")


def test_one_zone_per_clock_and_aliases_point_to_a_zone_of_their_country(
    by_name: dict[str, dict[str, str]],
) -> None:
    zones: dict[str, list[str]] = {}
    for row in by_name.values():
        if row["country_code"] and not row["alias_of"]:
            zones.setdefault(row["country_code"], []).append(row["timezone"])
    for row in by_name.values():
        if not row["country_code"]:
            assert row["alias_of"] == "" and row["zones_in_country"] == ""
            continue
        assert int(row["zones_in_country"]) == len(zones[row["country_code"]]), row
        if row["alias_of"]:
            target = by_name[row["alias_of"]]
            assert (target["country_code"], target["alias_of"]) == (row["country_code"], ""), row


def test_every_name_is_known_to_duckdb_and_every_country_is_a_country(rows: list[dict[str, str]]) -> None:
    con = duckdb.connect()
    known = {name for (name,) in con.execute("select name from pg_timezone_names()").fetchall()}
    assert sorted({row["timezone"] for row in rows} - known) == []
    with (REPO / "seeds" / "countries.csv").open(encoding="utf-8", newline="") as fh:
        countries = {row["country_code"] for row in csv.DictReader(fh)}
    assert sorted({row["country_code"] for row in rows if row["country_code"]} - countries) == []


# ---------------------------------------------------------------------------------------------- the macros

# (case, played_at UTC, conn_country SQL, expected local wall clock) with Europe/Berlin as the home zone
BERLIN_CASES = [
    ("home, no country", "2024-07-01 20:30:00", "null", "2024-07-01T22:30:00"),
    ("travel: Japan (one zone)", "2024-07-01 20:30:00", "'JP'", "2024-07-02T05:30:00"),
    ("lower-case code", "2024-07-01 20:30:00", "'jp'", "2024-07-02T05:30:00"),
    ("US has several zones: home", "2024-07-01 20:30:00", "'US'", "2024-07-01T22:30:00"),
    ("the home country", "2024-07-01 20:30:00", "'DE'", "2024-07-01T22:30:00"),
    ("unknown country", "2024-07-01 20:30:00", "'ZZ'", "2024-07-01T22:30:00"),
    ("travel: Britain in summer", "2024-07-01 20:30:00", "'GB'", "2024-07-01T21:30:00"),
    ("travel: Britain in winter", "2024-01-15 20:30:00", "'GB'", "2024-01-15T20:30:00"),
    ("last second of CET, March", "2024-03-31 00:59:59", "'DE'", "2024-03-31T01:59:59"),
    ("first second of CEST", "2024-03-31 01:00:00", "'DE'", "2024-03-31T03:00:00"),
    ("last second of CEST, October", "2024-10-27 00:59:59", "null", "2024-10-27T02:59:59"),
    ("first second of CET", "2024-10-27 01:00:00", "null", "2024-10-27T02:00:00"),
]


def show(data_dir: Path, sql: str, *args: str) -> subprocess.CompletedProcess[str]:
    return run_dbt(data_dir, "--quiet", "show", "--inline", sql, "--output", "json", "--limit", "100", *args)


def shown(data_dir: Path, sql: str, *args: str) -> list[dict]:
    result = show(data_dir, sql, *args)
    assert_ok(result)
    return json.loads(result.stdout)["show"]


def cases_sql(cases: list[tuple[str, str, str, str]]) -> str:
    values = ",\n".join(f"({i}, timestamp '{ts}', {conn})" for i, (_, ts, conn, _) in enumerate(cases))
    return f"""
        select
            i,
            {{{{ local_time('played_at', 'conn_country') }}}} as local_time,
            {{{{ local_timezone('conn_country') }}}} as local_timezone,
            {{{{ to_local_time('played_at') }}}} as home_time,
            '{{{{ listener_timezone() }}}}' as listener_timezone,
            current_setting('TimeZone') as session_timezone
        from (values {values}) as listens (i, played_at, conn_country)
        order by i
    """


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A DATA_DIR whose warehouse holds the seed country_timezones (what the macros read)."""
    data_dir = tmp_path_factory.mktemp("local_time")
    assert_ok(run_dbt(data_dir, "seed", "--select", "country_timezones"))
    return data_dir


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """run_dbt passes os.environ on: each test sets LISTENER_TIMEZONE / TZ here (none of the user's)."""
    monkeypatch.delenv("LISTENER_TIMEZONE", raising=False)
    monkeypatch.delenv("TZ", raising=False)
    yield monkeypatch


@pytest.mark.slow
def test_berlin_home_travel_and_dst(seeded: Path, env: pytest.MonkeyPatch) -> None:
    env.setenv("LISTENER_TIMEZONE", "Europe/Berlin")
    got = shown(seeded, cases_sql(BERLIN_CASES))
    assert [row["local_time"] for row in got] == [expected for *_, expected in BERLIN_CASES], [
        (case, row["local_time"]) for (case, *_), row in zip(BERLIN_CASES, got, strict=True)
    ]
    zones = {case: row["local_timezone"] for (case, *_), row in zip(BERLIN_CASES, got, strict=True)}
    assert zones["travel: Japan (one zone)"] == "Asia/Tokyo"
    assert zones["US has several zones: home"] == "Europe/Berlin"
    # to_local_time: the home zone, no travel rule
    assert got[1]["home_time"] == "2024-07-01T22:30:00"
    assert {(row["listener_timezone"], row["session_timezone"]) for row in got} == {("Europe/Berlin", "UTC")}


@pytest.mark.slow
def test_a_link_name_finds_its_home_country(seeded: Path, env: pytest.MonkeyPatch) -> None:
    # Japan (a link to Asia/Tokyo): home is JP, so a listen from JP is at home and one from DE a journey to Berlin.
    env.setenv("LISTENER_TIMEZONE", "Japan")
    got = shown(seeded, cases_sql([("", "2024-07-01 20:30:00", "'JP'", ""), ("", "2024-07-01 20:30:00", "'DE'", "")]))
    assert [(row["local_timezone"], row["local_time"]) for row in got] == [
        ("Japan", "2024-07-02T05:30:00"),
        ("Europe/Berlin", "2024-07-01T22:30:00"),
    ]


@pytest.mark.slow
def test_a_home_zone_of_no_country_makes_every_one_zone_country_a_journey(
    seeded: Path, env: pytest.MonkeyPatch
) -> None:
    env.setenv("LISTENER_TIMEZONE", "UTC")
    got = shown(seeded, cases_sql([("", "2024-07-01 20:30:00", "'DE'", ""), ("", "2024-07-01 20:30:00", "'US'", "")]))
    assert [(row["local_timezone"], row["local_time"]) for row in got] == [
        ("Europe/Berlin", "2024-07-01T22:30:00"),
        ("UTC", "2024-07-01T20:30:00"),
    ]


@pytest.mark.slow
def test_unset_is_the_machine_zone_from_tz(seeded: Path, env: pytest.MonkeyPatch) -> None:
    env.setenv("TZ", "Asia/Tokyo")
    got = shown(seeded, cases_sql(BERLIN_CASES[:1]))
    assert (got[0]["listener_timezone"], got[0]["local_time"], got[0]["session_timezone"]) == (
        "Asia/Tokyo",
        "2024-07-02T05:30:00",
        "UTC",
    )


@pytest.mark.slow
def test_unset_is_the_machine_zone_from_etc_localtime(seeded: Path, env: pytest.MonkeyPatch) -> None:
    # what DuckDB (ICU) makes of this machine's /etc/localtime, asked in a process of its own without TZ
    code = "import duckdb; print(duckdb.sql(\"select current_setting('TimeZone')\").fetchall()[0][0])"
    machine = subprocess.run(
        [sys.executable, "-c", code],
        env={key: value for key, value in os.environ.items() if key != "TZ"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    got = shown(seeded, "select '{{ listener_timezone() }}' as zone, current_setting('TimeZone') as session")
    assert got == [{"zone": machine, "session": "UTC"}]


@pytest.mark.slow
def test_the_dbt_vars_come_before_the_environment(seeded: Path, env: pytest.MonkeyPatch) -> None:
    env.setenv("LISTENER_TIMEZONE", "Asia/Tokyo")
    sql = "select '{{ listener_timezone() }}' as zone"
    # the name is spelled as DuckDB lists it
    assert shown(seeded, sql, "--vars", "{listener_timezone: america/new_york}") == [{"zone": "America/New_York"}]
    assert shown(seeded, sql, "--vars", "{timezone: Europe/Lisbon}") == [{"zone": "Europe/Lisbon"}]  # deprecated
    # (without a var the environment's: test_berlin_home_travel_and_dst)


@pytest.mark.slow
def test_an_unknown_zone_fails_the_build_naming_listener_timezone(seeded: Path, env: pytest.MonkeyPatch) -> None:
    env.setenv("LISTENER_TIMEZONE", "Mars/Olympus")
    result = show(seeded, "select {{ local_time('current_timestamp::timestamp', \"'JP'\") }} as t")
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "LISTENER_TIMEZONE: 'Mars/Olympus' (from the environment variable LISTENER_TIMEZONE)" in output
    assert "is not a time zone name DuckDB knows" in output
