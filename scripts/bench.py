"""`make bench`: requests per new key, wall time and peak memory, on generated worlds of growing size.

Three tiers (1k listens / 100 artists, 100k / 1,000, 1M / 10,000), each a seeded history and the fake
Spotify, MusicBrainz and OpenWeather that know its artists, served on 127.0.0.1 with every rate limit at
zero, so the figures measure our code and not the politeness delay. Per tier: each extractor run as a user
runs it (``python -m extractors <source>``: requests made against the minimum possible at the API's batch
size, wall time, peak memory), the same run again (nothing new: it must make no request), ``dbt build`` on
what landed, and a no-op ``make enrich``. Then the import of a 500,000-row Extended Streaming History.
Prints one table and writes the same figures as JSON under ``data/bench/`` so runs can be compared.

Listens concentrate on albums, as real ones do. Each artist has albums of 10 to 12 tracks, 1 to 3 of which the
history never plays (Spotify lists them on the album all the same), and is given 1 to 3 albums' worth of played
tracks, as many as a history of its length can hear (scripts/devkit/worlds.py ``album_plays``: about one distinct
track per 3 listens, every track heard in the Extended history): the 100k and 1M tiers play ~7.4 tracks of each
11-track album and ~2.4 albums an artist (~18 tracks), and half their listens (51 %) are albums played through;
the 1k tier (and the smoke one) play ~3.5 tracks of one album an artist, a third of their listens albums played
through. The rest are shuffles, skips and replays over all the tracks (scripts/devkit/listens.py). Each tier logs
its figures (and its JSON keeps them, under ``history``).

Spotify in Development Mode (the tiers with ``dev_mode``): the run against a fake whose batch endpoints answer
403, so every id costs a request of its own. The row "spotify (dev)" gives the before and after: ``one_per_id``
(a request per played track, album and artist), ``requests`` (made: one track per album, whose answer names the
album, then the albums, whose answers list their tracks, then the artists) and ``saved_pct`` = 100 (1 -
requests / one_per_id); under 30 % on a tier the bench prints a TOO MANY REQUESTS line and exits with status 1.
Then "spotify (account data only)": the same listens as Spotify Account data alone gives them (no id: artist and
track names, ``endTime`` to the minute, ``msPlayed``), in a data dir of their own, the Spotify extractor (Development
Mode, so by search) and ``dbt build``: the share of the listens whose artist is resolved, that of those with a
Spotify track, the requests made and the track and artist searches among them.

A tier's history is N distinct listens of one person over the world's tracks (scripts/devkit/listens.py, generated
and rendered by DuckDB): albums played through, shuffles, skips (some at 0 ms), replays, offline listens,
reported by three overlapping sources as they report them: the Extended Streaming History for the first
80 % of the time, recently-played polling for the last 50 % (listens of 30 s and more), and Last.fm
scrobbles of everything scrobbled. After ``dbt build`` the warehouse must hold exactly those N listens and
their plays (``fact_track_played``): otherwise the bench prints a MISMATCH line and exits with status 1.

``--smoke`` runs one tiny tier and a 2,000-row import (the version ``make test`` runs).
"""

from __future__ import annotations

import json
import math
import os
import platform
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import click
import duckdb

from extractors import registry
from scripts.devkit.env import musicbrainz_env, spotify_env
from scripts.devkit.exports import write_extended_history
from scripts.devkit.fakes.musicbrainz import FakeMusicBrainz
from scripts.devkit.fakes.openweather import API_KEY, FakeOpenWeather, place
from scripts.devkit.fakes.spotify import FakeSpotify
from scripts.devkit.listens import listening_sql, load_catalogue, write_rows, write_sources_sql
from scripts.devkit.worlds import (
    CONCENTRATED_ALBUM_SIZES,
    CONCENTRATED_UNPLAYED,
    MusicBrainzWorld,
    album_plays,
    make_musicbrainz_world,
    spotify_entities_for,
    write_gazetteer,
)

REPO = Path(__file__).resolve().parent.parent
# how the artists of a history are known to MusicBrainz: ISRC, Spotify URL, name, MBID in the history, unknown
# (name and none: searched by name, enough of them in every tier for the name search's batches to show)
MATCH_SHARES = {"n_isrc": 80, "n_url": 4, "n_name": 10, "n_history": 3, "n_none": 3}
# MusicBrainz's batched name search: at most this many requests per artist searched by name (else the bench fails)
MAX_REQUESTS_PER_NAME_SEARCHED = 0.2
# the sources of every tier's history, and the share of the time each reports (scripts/devkit/listens.py renders them)
HISTORY_SOURCES = {"spotify_extended_history": (0.0, 0.8), "spotify_recently_played": (0.5, 1.0), "lastfm": (0.0, 1.0)}
HISTORY_END = datetime(2026, 1, 1)
# the distinct tracks of a history: one per this many listens (at most 1 to 3 albums' worth an artist, see
# album_plays): every one of them must be heard in the Extended history's 80 %, which picks each track once early
LISTENS_PER_TRACK = 3
# Spotify in Development Mode (one request per id): the share of the requests of one per played track, album and
# artist that asking one track per album, then the albums (which list their tracks), must save (else the bench fails)
MIN_DEV_SAVED_PCT = 30


@dataclass(frozen=True)
class Tier:
    plays: int  # distinct listens in the history
    artists: int
    days: int  # about how many days they span (sets how many sessions a day, World.sessions_per_day)
    dev_mode: bool = True  # also Spotify in Development Mode (one request per id: slow by design at 10k)

    @property
    def name(self) -> str:
        return f"{_short(self.plays)}/{_short(self.artists)}"


# the daily case (issue 16): the new listens of a night, on top of each tier's history
DAILY_LISTENS = 100
DAILY_EXTRACT_GOAL_X = 2  # issue 16: the daily extraction within 2x of the same on an empty history
# the report's goal on every tier (issue 15): built in under 30 s, a file under 5 MB
REPORT_GOAL_S, REPORT_GOAL_MB = 30, 5
TIERS = (Tier(1_000, 100, 30), Tier(100_000, 1_000, 730), Tier(1_000_000, 10_000, 3650, dev_mode=False))
SMOKE_TIERS = (Tier(400, 40, 30),)
IMPORT_ROWS, SMOKE_IMPORT_ROWS = 500_000, 2_000


def _short(n: int) -> str:
    return f"{n // 1_000_000}M" if n >= 1_000_000 else f"{n // 1000}k" if n >= 1000 else str(n)


@dataclass
class Measure:
    wall_s: float
    peak_mib: float
    output: str


# Runs the command and writes the peak RSS of it and its descendants. A process forked from this bench (large:
# it holds the worlds) would start with the bench's RSS as its own peak, so the command is forked from this
# small process instead.
PEAK_WRAPPER = """
import resource, subprocess, sys
code = subprocess.call(sys.argv[2:])
open(sys.argv[1], "w").write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))
sys.exit(code)
"""


def measure(command: list[str], env: dict[str, str], cwd: Path) -> Measure:
    """Run ``command``; wall seconds and the peak RSS of it and its descendants. Exits on failure."""
    with tempfile.TemporaryDirectory(prefix="rws-bench-") as tmp:
        peak_file, out_file = Path(tmp) / "peak", Path(tmp) / "out"
        with out_file.open("w") as out:
            start = time.perf_counter()
            wrapped = [sys.executable, "-c", PEAK_WRAPPER, str(peak_file), *command]
            code = subprocess.run(wrapped, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT).returncode
            wall = time.perf_counter() - start
        output = out_file.read_text()
        peak_kib = int(peak_file.read_text()) if peak_file.exists() else 0
    if code != 0:
        tail = "\n  ".join(output.strip().splitlines()[-5:])
        sys.exit(f"bench: `{' '.join(command)}` failed with exit status {code}:\n  {tail}")
    return Measure(round(wall, 2), round(peak_kib / 1024, 1), output)


@dataclass
class World:
    """One tier: a history, what each fake API knows, and the minimum requests each source needs."""

    tier: Tier
    mb: MusicBrainzWorld
    plays: list[dict[str, Any]]  # one per played track: the MusicBrainz world's and the artists' further tracks
    spotify: dict[str, dict[str, dict[str, Any]]]
    geocode: dict[str, list[dict[str, Any]]]
    cities: int  # distinct cities of the artists
    cities_missing: int  # ...that the offline gazetteer does not know
    keys: dict[str, int] = field(default_factory=dict)
    minimum: dict[str, int] = field(default_factory=dict)
    shape: dict[str, float] = field(default_factory=dict)  # played tracks, albums, artists, and per album / artist

    @property
    def sessions_per_day(self) -> int:
        """A session is three parts (listening_sql): an album played through (its played tracks) 4 times in 10,
        else ~3 listens; ~93 % of the listens heard are reported."""
        per_session = 3 * (0.4 * self.shape["played_per_album"] + 3.15) * 0.93
        return max(1, round(self.tier.plays / self.tier.days / per_session))


def make_world(tier: Tier, reference: Path) -> World:
    counts = {k: max(1, tier.artists * v // 100) for k, v in MATCH_SHARES.items()}
    counts["n_isrc"] = tier.artists - sum(v for k, v in counts.items() if k != "n_isrc")
    mb = make_musicbrainz_world(**counts, seed=tier.artists, n_cities=max(30, tier.artists // 4))
    plays = album_plays(mb.plays, tier.plays / tier.artists / LISTENS_PER_TRACK, seed=tier.artists)
    spotify = spotify_entities_for(
        plays, seed=tier.artists, album_sizes=CONCENTRATED_ALBUM_SIZES, unplayed_per_album=CONCENTRATED_UNPLAYED
    )
    durations = random.Random(tier.artists)
    for track in spotify["tracks"].values():  # tracks of many lengths, as the listens play them
        track["duration_ms"] = durations.randint(95_000, 330_000)
    # the artists' cities (their area, when it is a city): the gazetteer knows every other one
    matched = {mb.merged.get(m, m) for m, _ in mb.expected.values() if m}
    areas = {mb.artists[m]["area"]["id"] for m in matched}
    cities = sorted((a for a in areas if mb.areas[a]["type"] == "City"), key=lambda a: mb.areas[a]["name"])
    known: list[tuple[int, str, str, str | None, float, float, list[str]]] = []
    geocode: dict[str, list[dict[str, Any]]] = {}
    for n, area_id in enumerate(cities):
        name, subdivision = mb.areas[area_id]["name"], mb.areas[area_id]["relations"][0]["area"]
        parent = mb.areas[subdivision["id"]]
        country = parent["iso-3166-2-codes"][0][:2]
        state = parent["iso-3166-2-codes"][0][3:] if country == "US" else None
        lat, lon = round(-60 + (n * 7.31) % 120, 4), round(-170 + (n * 13.7) % 340, 4)
        if n % 2 == 0:
            known.append((n + 1, name, country, state, lat, lon, [name.lower()]))
        else:
            geocode[f"{name},{state + ',' if state else ''}{country}"] = [
                place(name, lat, lon, country, parent["name"])
            ]
    write_gazetteer(reference, known)
    world = World(tier, mb, plays, spotify, geocode, cities=len(cities), cities_missing=len(geocode))
    # the ids the history plays (spotify["tracks"] holds the albums' unplayed tracks too)
    played = catalogue(world)
    n_tracks, n_albums = len({p["track_id"] for p in played}), len({p["album_id"] for p in played})
    n_artists = len({p["artist_id"] for p in played})
    world.keys = {
        "spotify": n_tracks + n_artists + n_albums,
        "musicbrainz": len(mb.expected),
        "openweather": len(cities),
    }
    world.minimum = {
        # one track per album (its answer names the album), the albums (their answers list their tracks: the
        # other tracks need no request), the artists: at the batch endpoints' sizes, or one request each
        "spotify (extended)": math.ceil(n_albums / 50) + math.ceil(n_albums / 20) + math.ceil(n_artists / 50),
        "spotify (dev)": 2 * n_albums + n_artists,
        "musicbrainz": sum(mb.expected_requests().values()),
        "openweather": len(geocode),
    }
    album_tracks = [spotify["albums"][a]["total_tracks"] for a in {p["album_id"] for p in played}]
    world.shape = {
        "tracks": n_tracks,
        "albums": n_albums,
        "artists": n_artists,
        "tracks_per_album": round(sum(album_tracks) / n_albums, 2),
        "played_per_album": round(n_tracks / n_albums, 2),
        "albums_per_artist": round(n_albums / n_artists, 2),
    }
    return world


@dataclass
class History:
    """What a tier's history holds: its distinct listens and plays, and the rows each source reported."""

    listens: int
    plays: int
    heard: int  # with the skips no source reports (after the Extended history ends)
    rows: dict[str, int]
    first: datetime
    last: datetime
    generate_s: float
    album_share: float  # of the listens, those of albums played through (a session part that plays an album)
    account_rows: int  # the listens as Spotify Account data (StreamingHistory_music) renders them

    @property
    def history_rows(self) -> int:
        return sum(self.rows.values())


def catalogue(world: World) -> list[dict[str, Any]]:
    """The world's played tracks, album after album, each album's in track order, as the listens play them:
    their ids, ISRCs and MBIDs (the ``artist_mbid`` that MusicBrainz expects the history to give) are those its
    fake APIs know. The albums' unplayed tracks are not in it: the history never plays them."""
    plays = {p["track_id"]: p for p in world.plays}
    tracks = []
    for album in world.spotify["albums"].values():
        for item in album["tracks"]["items"]:
            if (play := plays.get(item["id"])) is None:
                continue
            tracks.append(
                {**{k: play[k] for k in ("track_id", "track_name", "artist", "artist_id", "artist_mbid", "track_isrc")},
                 "album_id": album["id"], "album": album["name"],
                 "duration_ms": world.spotify["tracks"][item["id"]]["duration_ms"]}
            )  # fmt: skip
    return tracks


# a listen of a session part that plays an album through (listening_sql's reasons: clickrow, then trackdone)
ALBUM_LISTEN = "reason_end = 'trackdone' and reason_start in ('clickrow', 'trackdone')"


def write_history(data_dir: Path, world: World, account_dir: Path) -> History:
    """``tier.plays`` distinct listens over the world's tracks, one parquet file per source that reports them;
    and the same listens as Spotify Account data alone renders them (no ids, ``endTime`` to the minute), as
    ``account_dir/spotify_account_data.parquet``."""
    tier = world.tier
    start = time.perf_counter()
    con = duckdb.connect()
    try:
        n_tracks = load_catalogue(con, catalogue(world))
        generated = listening_sql(
            con, tier.plays, seed=tier.plays, start=HISTORY_END - timedelta(days=tier.days),
            sessions_per_day=world.sessions_per_day, windows=HISTORY_SOURCES,
        )  # fmt: skip
        # every track is in the Extended history without its artist and album ids: the extractors ask for all
        found = con.execute("select count(distinct track_id) from listens where spotify_extended_history").fetchall()
        if found[0][0] != n_tracks:
            sys.exit(f"bench: the Extended history of tier {tier.name} plays {found[0][0]} of {n_tracks} tracks")
        rows = write_sources_sql(con, data_dir / "src" / "tracks_played", HISTORY_SOURCES, seed=tier.plays)
        found = con.execute(f"select avg(({ALBUM_LISTEN})::int) from listens where reported").fetchall()
        album_share = round(float(found[0][0]), 3)
        con.execute("create table account as select *, reported as spotify_account_data from listens")
        account = write_sources_sql(con, account_dir, ["spotify_account_data"], listens="account", seed=tier.plays)
    finally:
        con.close()
    return History(
        generated.listens, generated.plays, generated.heard, rows, generated.first, generated.last,
        round(time.perf_counter() - start, 2), album_share, account["spotify_account_data"],
    )  # fmt: skip


def warehouse_listens(duckdb_path: Path) -> tuple[int, int]:
    """The listens and plays of ``fact_track_played``."""
    con = duckdb.connect(str(duckdb_path), read_only=True)
    try:
        found = con.execute("select count(*), count(*) filter (where counts_as_play) from main.fact_track_played")
        listens, plays = found.fetchall()[0]
    finally:
        con.close()
    return int(listens), int(plays)


def dbt_timings(target: Path, n: int = 10) -> dict[str, Any]:
    """Where the last build's time went (run_results.json): dbt's elapsed time, the seconds of each kind of
    node (models, tests, ...; two threads run at once) and the ``n`` slowest nodes."""
    found = json.loads((target / "run_results.json").read_text())
    kinds: dict[str, float] = {}
    for r in found["results"]:
        kind = r["unique_id"].split(".")[0]
        kinds[kind] = round(kinds.get(kind, 0.0) + r["execution_time"], 2)
    slowest = sorted(found["results"], key=lambda r: -r["execution_time"])[:n]
    return {
        "elapsed_s": round(found["elapsed_time"], 2),
        "by_kind_s": kinds,
        "slowest": [
            {"node": " ".join(r["unique_id"].split(".")[i] for i in (0, 2)), "s": round(r["execution_time"], 2)}
            for r in slowest
        ],
    }


@dataclass
class Fakes:
    spotify: FakeSpotify
    musicbrainz: FakeMusicBrainz
    openweather: FakeOpenWeather

    def requests(self) -> dict[str, int]:
        return {
            "spotify": self.spotify.data_requests(),
            "musicbrainz": self.musicbrainz.data_requests(),
            "openweather": self.openweather.data_requests(),
        }

    def reset(self) -> None:
        for fake in (self.spotify, self.musicbrainz, self.openweather):
            fake.reset_log()


@contextmanager
def serve(world: World, spotify_mode: str = "extended") -> Iterator[Fakes]:
    mb = world.mb
    with ExitStack() as stack:
        spotify = FakeSpotify(mode=spotify_mode)
        spotify.entities.update(world.spotify)
        fakes = Fakes(
            stack.enter_context(spotify),
            stack.enter_context(FakeMusicBrainz(mb.artists, mb.areas, mb.recordings, mb.urls, mb.merged)),
            stack.enter_context(FakeOpenWeather(world.geocode)),
        )
        yield fakes


def environment(fakes: Fakes, root: Path) -> dict[str, str]:
    data_dir = root / "data"
    env = spotify_env(fakes.spotify, data_dir, LOG_LEVEL="WARNING")
    env.update({k: v for k, v in musicbrainz_env(fakes.musicbrainz, data_dir).items() if k.startswith("MUSIC")})
    env.update(
        {
            "OPENWEATHER_API_URL": fakes.openweather.url,
            "OPENWEATHER_API_KEY": API_KEY,
            "OPENWEATHER_MIN_INTERVAL": "0",
            "REFERENCE_DIR": str(root / "reference"),
            "DUCKDB_PATH": str(data_dir / "music_tracker.duckdb"),
            "DBT_TARGET_PATH": str(root / "dbt-target"),
            "DBT_LOG_PATH": str(root / "dbt-logs"),
            "ENRICH_LOCK": str(root / "enrich.lock"),
        }
    )
    return env


def row(tier: Tier, step: str, **figures: Any) -> dict[str, Any]:
    keys, requests = figures.get("new_keys"), figures.get("requests")
    if keys and requests is not None:
        figures["requests_per_key"] = round(requests / keys, 4)
    return {"tier": tier.name, "plays": tier.plays, "artists": tier.artists, "step": step, **figures}


def name_search_figures(mb: MusicBrainzWorld, by_step: dict[str, int]) -> dict[str, Any]:
    """MusicBrainz's requests per step, and those of the name search per artist it searched by name."""
    searched = mb.name_searched()
    made = by_step.get("artist_search", 0)
    return {
        "requests_by_step": by_step,
        "name_searched": searched,
        "name_search_requests": made,
        "requests_per_name_searched": round(made / searched, 4) if searched else 0.0,
    }


def bench_tier(tier: Tier, log: Any) -> list[dict[str, Any]]:
    rows = []
    with tempfile.TemporaryDirectory(prefix="rws-bench-") as tmp:
        root = Path(tmp)
        start = time.perf_counter()
        world = make_world(tier, root / "reference")
        account_root = root / "account"
        history = write_history(root / "data", world, account_root / "data" / "src" / "tracks_played")
        shape = world.shape
        log(
            f"tier {tier.name}: world generated in {time.perf_counter() - start:.1f} s; history of "
            f"{history.listens:,} listens ({history.plays:,} plays) from {history.first:%Y-%m-%d} to "
            f"{history.last:%Y-%m-%d} as {history.history_rows:,} rows "
            f"({', '.join(f'{s} {n:,}' for s, n in history.rows.items())}) in {history.generate_s} s; "
            f"{shape['tracks']:,} tracks played on {shape['albums']:,} albums of {shape['artists']:,} artists "
            f"({shape['played_per_album']} played of {shape['tracks_per_album']} tracks an album, "
            f"{shape['albums_per_artist']} albums an artist), {history.album_share:.0%} of the listens in albums "
            "played through"
        )
        python = [sys.executable, "-m", "extractors"]
        with serve(world) as fakes:
            env = environment(fakes, root)
            for source in registry.sources():  # every source of the registry, in order
                step = "spotify (extended)" if source == "spotify" else source
                key = source
                fakes.reset()
                first = measure([*python, source], env, REPO)
                made = fakes.requests()[key]
                by_step = fakes.musicbrainz.requests_by_step() if source == "musicbrainz" else {}
                fakes.reset()
                again = measure([*python, source], env, REPO)
                rows.append(
                    row(tier, step, new_keys=world.keys[key], requests=made, minimum_requests=world.minimum[step],
                        wall_s=first.wall_s, peak_mib=first.peak_mib,
                        noop_requests=fakes.requests()[key], noop_wall_s=again.wall_s)
                )  # fmt: skip
                log(f"  {step}: {made} requests (minimum {world.minimum[step]}) in {first.wall_s} s")
                if by_step:
                    rows[-1].update(name_search_figures(world.mb, by_step))
                    log(f"  {step} by step: {by_step}; {rows[-1]['requests_per_name_searched']} requests per "
                        f"artist searched by name ({rows[-1]['name_searched']} artists)")  # fmt: skip
                    if rows[-1]["requests_per_name_searched"] > MAX_REQUESTS_PER_NAME_SEARCHED:
                        rows[-1]["mismatch"] = (
                            f"TOO MANY REQUESTS tier {tier.name}: {rows[-1]['requests_per_name_searched']} MusicBrainz "
                            f"requests per artist searched by name, more than {MAX_REQUESTS_PER_NAME_SEARCHED}"
                        )
                        log(rows[-1]["mismatch"])
            stamp = [sys.executable, "-m", "scripts.build_stamp"]
            measure([*stamp, "pending"], env, REPO)  # as `make dbt` does: the next `make enrich` knows this build
            built = measure([str(Path(sys.executable).parent / "dbt"), "build", "--quiet"], env, REPO)
            measure([*stamp, "commit"], env, REPO)
            found, plays = warehouse_listens(Path(env["DUCKDB_PATH"]))
            timings = dbt_timings(Path(env["DBT_TARGET_PATH"]))
            mismatch = None
            if (found, plays) != (history.listens, history.plays):
                mismatch = (
                    f"MISMATCH tier {tier.name}: the warehouse has {found:,} listens ({plays:,} plays); the history "
                    f"holds {history.listens:,} distinct listens ({history.plays:,} plays) in "
                    f"{history.history_rows:,} rows"
                )
                log(mismatch)
            rows.append(
                row(tier, "dbt build", new_keys=tier.plays, wall_s=built.wall_s, peak_mib=built.peak_mib,
                    listens=history.listens, history_rows=history.history_rows, warehouse_listens=found,
                    plays_generated=history.plays, warehouse_plays=plays, mismatch=mismatch,
                    history={"heard": history.heard, "rows": history.rows, "first": history.first.isoformat(),
                             "last": history.last.isoformat(), "generate_s": history.generate_s,
                             "sessions_per_day": world.sessions_per_day, "album_share": history.album_share,
                             "world": world.shape},
                    dbt=timings)
            )  # fmt: skip
            log(
                f"  dbt build: {built.wall_s} s, {built.peak_mib} MiB; {found:,} listens, {plays:,} plays; slowest: "
                + ", ".join(f"{m['node']} {m['s']} s" for m in timings["slowest"][:5])
            )
            report = root / "report.html"
            drawn = measure(
                [sys.executable, "-m", "scripts.report", "--warehouse", env["DUCKDB_PATH"], "--out", str(report)],
                env,
                REPO,
            )
            report_mb = round(report.stat().st_size / 1e6, 2) if report.is_file() else None
            rows.append(row(tier, "report", wall_s=drawn.wall_s, peak_mib=drawn.peak_mib, report_mb=report_mb))
            log(f"  report: {drawn.wall_s} s, {report_mb} MB, {drawn.peak_mib} MiB")
            fakes.reset()
            make = ["make", "--no-print-directory", "enrich", "ENV_FILE="]
            enrich = measure(make, env, REPO)
            noop = sum(fakes.requests().values())
            skipped = "dbt build skipped" in enrich.output
            sources = [
                line.split(":")[0] for line in enrich.output.splitlines() if "nothing missing; 0 requests" in line
            ]
            rows.append(
                row(tier, "make enrich (no-op)", noop_requests=noop, noop_wall_s=enrich.wall_s,
                    peak_mib=enrich.peak_mib, dbt_skipped=skipped, sources_asked=sources)
            )  # fmt: skip
            log(f"  no-op make enrich: {noop} requests in {enrich.wall_s} s")
        if tier.dev_mode:
            dev_root = root / "dev"
            shutil.copytree(root / "data" / "src" / "tracks_played", dev_root / "data" / "src" / "tracks_played")
            with serve(world, spotify_mode="dev") as fakes:
                dev = measure([*python, "spotify"], environment(fakes, dev_root), REPO)
                made = fakes.requests()["spotify"]
            # before: one request per played track, album and artist; after: what the extractor made
            one_per_id = world.keys["spotify"]
            saved = round(100 * (1 - made / one_per_id), 1)
            rows.append(
                row(tier, "spotify (dev)", new_keys=world.keys["spotify"], requests=made,
                    minimum_requests=world.minimum["spotify (dev)"], one_per_id=one_per_id, saved_pct=saved,
                    wall_s=dev.wall_s, peak_mib=dev.peak_mib)
            )  # fmt: skip
            log(
                f"  spotify (dev): {made} requests in {dev.wall_s} s, where one request per id would make "
                f"{one_per_id} ({shape['tracks']} tracks, {shape['albums']} albums, {shape['artists']} artists): "
                f"{saved} % saved"
            )
            if saved < MIN_DEV_SAVED_PCT:
                rows[-1]["mismatch"] = (
                    f"TOO MANY REQUESTS tier {tier.name}: Spotify in Development Mode made {made} requests, "
                    f"{saved} % fewer than one per id ({one_per_id}); at least {MIN_DEV_SAVED_PCT} % fewer expected"
                )
                log(rows[-1]["mismatch"])
            rows.append(bench_account_data(world, history, account_root, root / "reference", log))
        with serve(world) as fakes:  # after the dev run, which copies the history: the daily file is not in it
            rows += bench_daily(world, history, environment(fakes, root), fakes, root, log)
    return rows


def daily_listens(world: World, history: History, n: int = DAILY_LISTENS) -> list[dict[str, Any]]:
    """The next evening's ``n`` listens as ``make ingest`` lands them (Spotify's recently-played: every id, no
    ms_played): albums played through from the catalogue's start, one after the other, the day after the
    history's last listen. Nothing in them is new to the APIs: a daily run should cost what is new, nothing."""
    tracks = catalogue(world)
    at = datetime.combine(history.last.date() + timedelta(days=1), datetime.min.time()) + timedelta(hours=19)
    out = []
    for track in (tracks * (n // len(tracks) + 1))[:n]:
        at += timedelta(milliseconds=track["duration_ms"] + 2_000)
        out.append(
            {"user_id": "me", "track_id": track["track_id"], "track_uri": f"spotify:track:{track['track_id']}",
             "track_name": track["track_name"], "album_id": track["album_id"], "album": track["album"],
             "artist_id": track["artist_id"], "artist": track["artist"], "duration_ms": track["duration_ms"],
             "played_at": at, "play_source": "spotify_recently_played"}
        )  # fmt: skip
    return out


def bench_daily(
    world: World, history: History, env: dict[str, str], fakes: Fakes, root: Path, log: Any
) -> list[dict[str, Any]]:
    """The daily case (issue 16): a night's new listens on top of the tier's built warehouse, then every
    extractor (nothing to fetch: each should cost about what it costs on an empty history) and the ``dbt build``
    ``make enrich`` runs (incremental listen models, no unit tests), beside the full build's figures."""
    tier = world.tier
    new = daily_listens(world, history)
    write_rows(root / "data" / "src" / "tracks_played" / "daily.parquet", new)
    python = [sys.executable, "-m", "extractors"]
    fakes.reset()
    walls = {source: measure([*python, source], env, REPO).wall_s for source in registry.sources()}
    made = sum(fakes.requests().values())
    # the yardstick: the same extractors over the same landed answers with only the night's listens as the
    # history (issue 16: a daily run within 2x of that, whatever the years of history behind it)
    empty = root / "empty-history" / "data"
    shutil.rmtree(empty.parent, ignore_errors=True)
    write_rows(empty / "src" / "tracks_played" / "daily.parquet", new)
    shutil.copytree(root / "data" / "raw", empty / "raw")
    empty_env = {**env, "DATA_DIR": str(empty), "DUCKDB_PATH": str(empty / "music_tracker.duckdb")}
    for _ in range(2):  # the second time: with its caches, as the tier's own runs have theirs
        empty_walls = {source: measure([*python, source], empty_env, REPO).wall_s for source in registry.sources()}
    shutil.rmtree(empty.parent, ignore_errors=True)
    # make enrich's build step: what the night's listens feed (build_stamp.selection), no unit tests
    built = measure([sys.executable, "-m", "scripts.enrich", "--build-only"], env, REPO)
    # what the build selected (scripts/enrich.py's summary line: "(what new data in history.tracks_played feeds)")
    scope = re.search(r"\(what new data in (.+?) feeds\)", built.output)
    selected = scope.group(1).split(", ") if scope else ["everything"]
    found, plays = warehouse_listens(Path(env["DUCKDB_PATH"]))
    expected = (history.listens + len(new), history.plays + len(new))
    mismatch = None
    if (found, plays) != expected:
        mismatch = (
            f"MISMATCH tier {tier.name}: after {len(new)} new listens the warehouse has {found:,} listens "
            f"({plays:,} plays); expected {expected[0]:,} ({expected[1]:,} plays)"
        )
        log(mismatch)
    log(
        f"  daily (+{len(new)} listens): extractors {made} requests in {round(sum(walls.values()), 2)} s "
        f"({', '.join(f'{s} {w} s' for s, w in walls.items())}), {round(sum(empty_walls.values()), 2)} s with only "
        f"the night as the history; dbt build of what {', '.join(selected)} feeds {built.wall_s} s, "
        f"{built.peak_mib} MiB"
    )
    return [
        row(tier, f"daily: extract (+{len(new)})", new_keys=0, requests=made, wall_s=round(sum(walls.values()), 2),
            by_source_s=walls, empty_history_s=round(sum(empty_walls.values()), 2), empty_by_source_s=empty_walls),
        row(tier, f"daily: dbt build (+{len(new)})", new_keys=len(new), wall_s=built.wall_s, peak_mib=built.peak_mib,
            warehouse_listens=found, warehouse_plays=plays, mismatch=mismatch, selected=selected),
    ]  # fmt: skip


def account_figures(duckdb_path: Path) -> dict[str, Any]:
    """The listens of ``fact_track_played`` and the shares of them whose artist, whose Spotify track, is known."""
    con = duckdb.connect(str(duckdb_path), read_only=True)
    try:
        found = con.execute(
            "select count(*), count(*) filter (where artist_match <> 'unmatched'), "
            "count(*) filter (where track_match is not null) from main.fact_track_played"
        ).fetchall()
        listens, artists, tracks = found[0]
        by = con.execute(
            "select artist_match, coalesce(track_match, 'none'), count(*) from main.fact_track_played "
            "group by all order by all"
        ).fetchall()
    finally:
        con.close()
    return {
        "warehouse_listens": int(listens),
        "artist_share": round(artists / listens, 4) if listens else 0.0,
        "track_share": round(tracks / listens, 4) if listens else 0.0,
        "listens_by_match": {f"{a}/{t}": int(n) for a, t, n in by},
    }


def bench_account_data(world: World, history: History, root: Path, reference: Path, log: Any) -> dict[str, Any]:
    """The tier's listens as Spotify Account data alone gives them (StreamingHistory_music: ``endTime``,
    ``artistName``, ``trackName``, ``msPlayed``; no Spotify id), in a data dir of their own: the Spotify extractor
    against the fake in Development Mode (it must find them by search), then ``dbt build``. MusicBrainz stays out."""
    tier = world.tier
    python = [sys.executable, "-m", "extractors"]
    with serve(world, spotify_mode="dev") as fakes:
        env = environment(fakes, root)
        env["REFERENCE_DIR"] = str(reference)
        extracted = measure([*python, "spotify"], env, REPO)
        made = fakes.requests()["spotify"]
        kinds = [s.get("type", "") for s in fakes.spotify.searches]
    built = measure([str(Path(sys.executable).parent / "dbt"), "build", "--quiet"], env, REPO)
    figures = account_figures(Path(env["DUCKDB_PATH"]))
    searches = {"track_searches": kinds.count("track"), "artist_searches": kinds.count("artist")}
    log(
        f"  account data only: {history.account_rows:,} rows, {figures['warehouse_listens']:,} listens; "
        f"{figures['artist_share']:.1%} with their artist, {figures['track_share']:.1%} with a Spotify track; "
        f"{made} requests ({searches['track_searches']} track searches, {searches['artist_searches']} artist "
        f"searches) in {extracted.wall_s} s; dbt build {built.wall_s} s"
    )
    return row(
        tier, "spotify (account data only)", requests=made, wall_s=extracted.wall_s, peak_mib=extracted.peak_mib,
        listens=history.listens, history_rows=history.account_rows, **figures, **searches,
        dbt_wall_s=built.wall_s, dbt_peak_mib=built.peak_mib,
    )  # fmt: skip


def bench_import(n_rows: int) -> dict[str, Any]:
    """An Extended Streaming History of ``n_rows`` rows in 40 files (~500 MB at 500k), imported twice."""
    with tempfile.TemporaryDirectory(prefix="rws-bench-") as tmp:
        export, data_dir = Path(tmp) / "export", Path(tmp) / "data"
        n_files = max(1, min(40, n_rows // 12_500))
        counts = write_extended_history(export, n_rows, n_files=n_files, seed=n_rows, pretty=True)
        size_mib = sum(p.stat().st_size for p in counts.files) / 2**20
        env = {"PYTHONPATH": str(REPO), "PATH": os.environ.get("PATH", ""), "LOG_LEVEL": "WARNING"}
        command = [sys.executable, "-m", "extractors", "import", str(export), "--data-path", str(data_dir)]
        first = measure(command, env, REPO)
        imported = _history_rows(data_dir)
        again = measure(command, env, REPO)
        added = _history_rows(data_dir) - imported
        return {
            "tier": f"{_short(n_rows)} rows",
            "step": "import (extended history)",
            "new_keys": n_rows,
            "wall_s": first.wall_s,
            "peak_mib": first.peak_mib,
            "noop_requests": added,  # plays a re-import added: must be 0
            "noop_wall_s": again.wall_s,
            "plays_expected": counts.new_plays,
            "plays_imported": imported,
            "rows_per_s": round(n_rows / first.wall_s),
            "files": len(counts.files),
            "json_mib": round(size_mib, 1),
        }


def _history_rows(data_dir: Path) -> int:
    con = duckdb.connect()
    try:
        found = con.execute(f"select count(*) from read_parquet('{data_dir}/src/tracks_played/*.parquet')").fetchone()
    finally:
        con.close()
    return int(found[0]) if found else 0


COLUMNS = [
    ("tier", "tier", 9, "<"),
    ("step", "step", 25, "<"),
    ("new_keys", "new keys", 8, ">"),
    ("requests", "requests", 8, ">"),
    ("minimum_requests", "minimum", 8, ">"),
    ("requests_per_key", "req/key", 7, ">"),
    ("requests_per_name_searched", "req/name", 8, ">"),
    ("one_per_id", "1 per id", 8, ">"),
    ("saved_pct", "saved %", 7, ">"),
    ("wall_s", "wall s", 7, ">"),
    ("peak_mib", "peak MiB", 8, ">"),
    ("noop_requests", "no-op req", 9, ">"),
    ("noop_wall_s", "no-op s", 7, ">"),
    ("listens", "listens", 9, ">"),
    ("history_rows", "hist rows", 9, ">"),
    ("warehouse_listens", "wh listens", 10, ">"),
    ("warehouse_plays", "wh plays", 9, ">"),
    ("artist_share", "artist ok", 9, ">"),
    ("track_share", "track ok", 8, ">"),
    ("report_mb", "report MB", 9, ">"),
]


def table(rows: list[dict[str, Any]]) -> str:
    header = " ".join(f"{title:{align}{width}}" for _, title, width, align in COLUMNS)
    lines = [header, "-" * len(header)]
    for r in rows:
        cells = ("" if r.get(key) is None else str(r[key]) for key, *_ in COLUMNS)
        lines.append(" ".join(f"{c:{align}{width}}" for c, (_, _, width, align) in zip(cells, COLUMNS, strict=True)))
    return "\n".join(lines)


def machine() -> dict[str, Any]:
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
        "cpus": os.cpu_count(),
        "memory_gib": round(memory, 1),
        "platform": platform.platform(),
    }


@click.command(help=__doc__)
@click.option("--smoke", is_flag=True, help="One tiny tier and a small import: the version `make test` runs.")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=REPO / "data" / "bench",
    show_default=True,
    help="Folder of the JSON results (one file per run).",
)
def main(smoke: bool, out: Path) -> None:
    if shutil.which("make") is None:
        raise click.ClickException("`make` is not on PATH: the no-op `make enrich` step needs it")
    start = time.perf_counter()
    rows: list[dict[str, Any]] = []
    for tier in SMOKE_TIERS if smoke else TIERS:
        rows += bench_tier(tier, log=lambda line: click.echo(line, err=True))
    click.echo(f"import of {SMOKE_IMPORT_ROWS if smoke else IMPORT_ROWS:,} rows", err=True)
    rows.append(bench_import(SMOKE_IMPORT_ROWS if smoke else IMPORT_ROWS))
    click.echo(table(rows))
    for r in rows:
        if r["step"] == "spotify (dev)":
            click.echo(
                f"\nspotify (dev) {r['tier']}: {r['requests']:,} requests where one per id would make "
                f"{r['one_per_id']:,}: {r['saved_pct']} % saved (at least {MIN_DEV_SAVED_PCT} %)"
            )
        if r["step"] == "spotify (account data only)":
            click.echo(
                f"account data only {r['tier']}: {r['warehouse_listens']:,} listens, {r['artist_share']:.1%} with "
                f"their artist, {r['track_share']:.1%} with a Spotify track; {r['requests']:,} requests "
                f"({r['track_searches']:,} track searches, {r['artist_searches']:,} artist searches)"
            )
        if r["step"].startswith("daily: dbt build"):
            full = next(x for x in rows if x["tier"] == r["tier"] and x["step"] == "dbt build")
            extract = next(x for x in rows if x["tier"] == r["tier"] and x["step"].startswith("daily: extract"))
            ratio = extract["wall_s"] / max(extract["empty_history_s"], 0.01)
            click.echo(
                f"daily {r['tier']}: {r['new_keys']} new listens: the extractors {extract['requests']} requests in "
                f"{extract['wall_s']} s ({ratio:.1f}x their {extract['empty_history_s']} s with only the night as "
                f"the history; goal: within {DAILY_EXTRACT_GOAL_X}x), dbt build {r['wall_s']} s (the full build "
                f"{full['wall_s']} s)"
            )
        if r["step"] == "report":
            click.echo(
                f"report {r['tier']}: {r['wall_s']} s, {r['report_mb']} MB "
                f"(goal: under {REPORT_GOAL_S} s and {REPORT_GOAL_MB} MB)"
            )
        if r["step"].startswith("import"):
            click.echo(
                f"\nimport: {r['json_mib']} MiB of JSON in {r['files']} files, {r['rows_per_s']:,} rows/s, "
                f"{r['plays_imported']:,} plays (expected {r['plays_expected']:,}); a re-import took "
                f"{r['noop_wall_s']} s and added {r['noop_requests']}"
            )
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"bench-{'smoke-' if smoke else ''}{datetime.now(UTC):%Y%m%dT%H%M%SZ}.json"
    result = {"machine": machine(), "smoke": smoke, "total_s": round(time.perf_counter() - start, 1), "rows": rows}
    path.write_text(json.dumps(result, indent=1) + "\n")
    click.echo(f"\nwritten to {path}")
    mismatches = [r["mismatch"] for r in rows if r.get("mismatch")]
    for line in mismatches:
        click.echo(line)
    if mismatches:
        sys.exit(1)


if __name__ == "__main__":
    main()
