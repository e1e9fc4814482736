"""`make bench`: request counts, wall time and peak memory of the extractors against the fake APIs.

Worlds are generated deterministically (seeded); rate limits are set to zero so the figures measure our
code, not the politeness delay. Prints one table and writes the same figures as JSON under data/bench/.
"""

from __future__ import annotations

import json
import math
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from tests.conftest import musicbrainz_env, spotify_env, write_history
from tests.exports import write_extended_history
from tests.fakes.musicbrainz import FakeMusicBrainz
from tests.fakes.spotify import FakeSpotify
from tests.worlds import make_musicbrainz_world, make_spotify_world

REPO = Path(__file__).resolve().parent.parent
SIZES = [(100, 50), (1_000, 500), (5_000, 2_000)]


def timed(command: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float, int]:
    """Wall seconds, peak RSS in MiB of the child, exit status."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    proc = subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True)
    wall = time.perf_counter() - start
    peak = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    if proc.returncode != 0:
        sys.exit(f"bench: {' '.join(command)} failed: {proc.stderr.strip().splitlines()[-1:]}")
    return wall, peak, proc.returncode


def bench_spotify(n_artists: int, n_albums: int, mode: str) -> dict[str, object]:
    world = make_spotify_world(n_artists, n_albums, seed=n_artists)
    with tempfile.TemporaryDirectory() as tmp, FakeSpotify(mode=mode) as fake:
        assert isinstance(fake, FakeSpotify)
        data_dir = Path(tmp) / "data"
        fake.entities.update(world.entities())
        write_history(data_dir, world.plays)
        env = spotify_env(fake, data_dir, LOG_LEVEL="WARNING")
        command = [sys.executable, "-m", "extractors", "spotify"]
        wall, peak, _ = timed(command, env, Path(tmp))
        requests = fake.data_requests()
        fake.reset_log()
        noop_wall, _, _ = timed(command, env, Path(tmp))
        keys = n_artists + n_albums
        minimum = math.ceil(n_artists / 50) + math.ceil(n_albums / 20) if mode == "extended" else keys
        return {
            "source": f"spotify ({mode})",
            "new_keys": keys,
            "requests": requests,
            "minimum_requests": minimum,
            "requests_per_key": round(requests / keys, 4),
            "wall_s": round(wall, 2),
            "peak_mib": round(peak, 1),
            "noop_requests": fake.data_requests(),
            "noop_wall_s": round(noop_wall, 2),
        }


def bench_musicbrainz(n_artists: int) -> dict[str, object]:
    """New artists: 90% matched by ISRC, 4% by Spotify URL, 2% by name, 3% by history MBID, 1% unknown."""
    parts = {"n_isrc": 90, "n_url": 4, "n_name": 2, "n_history": 3, "n_none": 1}
    counts = {k: n_artists * v // 100 for k, v in parts.items()}
    world = make_musicbrainz_world(**counts, seed=n_artists, n_cities=max(30, n_artists // 4))
    keys = sum(counts.values())
    with (
        tempfile.TemporaryDirectory() as tmp,
        FakeMusicBrainz(world.artists, world.areas, world.recordings, world.urls, world.merged) as fake,
    ):
        assert isinstance(fake, FakeMusicBrainz)
        data_dir = Path(tmp) / "data"
        write_history(data_dir, world.plays)
        env = musicbrainz_env(fake, data_dir, LOG_LEVEL="WARNING")
        command = [sys.executable, "-m", "extractors", "musicbrainz"]
        wall, peak, _ = timed(command, env, Path(tmp))
        requests = fake.data_requests()
        fake.reset_log()
        noop_wall, _, _ = timed(command, env, Path(tmp))
        areas = len(set().union(*world.area_levels))
        return {
            "source": "musicbrainz",
            "new_keys": keys,
            "requests": requests,
            "minimum_requests": sum(world.expected_requests().values()),
            "requests_per_key": round(requests / keys, 4),
            "one_lookup_per_key": 2 * keys + areas,  # ISRC lookup + artist lookup each, one lookup per area
            "wall_s": round(wall, 2),
            "peak_mib": round(peak, 1),
            "noop_requests": fake.data_requests(),
            "noop_wall_s": round(noop_wall, 2),
        }


def bench_import(n_rows: int = 500_000, n_files: int = 40) -> dict[str, object]:
    """A ten-year extended streaming history (~500 MB of JSON in ~40 files), imported, then imported again."""
    with tempfile.TemporaryDirectory() as tmp:
        export, data_dir = Path(tmp) / "export", Path(tmp) / "data"
        start = time.perf_counter()
        counts = write_extended_history(export, n_rows, n_files=n_files, seed=n_rows, pretty=True)
        generate_s = time.perf_counter() - start
        size_mib = sum(p.stat().st_size for p in counts.files) / 2**20
        env = {"PYTHONPATH": str(REPO), "PATH": os.environ.get("PATH", ""), "LOG_LEVEL": "WARNING"}
        command = [sys.executable, "-m", "extractors", "import", str(export), "--data-path", str(data_dir)]
        wall, peak, _ = timed(command, env, Path(tmp))
        imported = _history_rows(data_dir)
        again_wall, again_peak, _ = timed(command, env, Path(tmp))
        added = _history_rows(data_dir) - imported
        if imported != counts.new_plays or added:
            sys.exit(f"bench: import wrote {imported} plays (expected {counts.new_plays}), re-import added {added}")
        return {
            "source": f"import ({n_rows // 1000}k rows)",
            "new_keys": n_rows,
            "requests": 0,
            "minimum_requests": 0,
            "requests_per_key": 0,
            "wall_s": round(wall, 2),
            "peak_mib": round(peak, 1),
            "noop_requests": added,
            "noop_wall_s": round(again_wall, 2),
            "rows_per_s": round(n_rows / wall),
            "plays_imported": imported,
            "files": len(counts.files),
            "json_mib": round(size_mib),
            "generate_s": round(generate_s, 2),
            "reimport_peak_mib": round(again_peak, 1),
        }


def _history_rows(data_dir: Path) -> int:
    con = duckdb.connect()
    try:
        row = con.execute(f"select count(*) from read_parquet('{data_dir}/src/tracks_played/*.parquet')").fetchone()
    finally:
        con.close()
    return int(row[0]) if row else 0


def bench_dbt(plays: int = 1_000_000, artists: int = 20_000) -> dict[str, object]:
    """`dbt build` on a generated history of ``plays`` plays of ``artists`` Spotify artists (landed answers)."""
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) / "data"
        history = data_dir / "src" / "tracks_played"
        landed = data_dir / "raw" / "spotify" / "artists"
        history.mkdir(parents=True)
        landed.mkdir(parents=True)
        con = duckdb.connect()
        con.execute("set timezone = 'UTC'")
        # artist i: a 22-character id, a name, two genres of 40; tracks: 5 per artist; plays skewed to few artists
        con.execute(
            f"""
            create table artists as
            select i, left(md5(i::varchar) || md5((i + 1)::varchar), 22) as artist_id, 'Artist ' || i as name
            from range({artists}) as t(i)
            """
        )
        con.execute(
            f"""
            copy (
                select artist_id as key, 200::smallint as status, timestamptz '2026-01-01' as fetched_at,
                       json_object('id', artist_id, 'name', name, 'type', 'artist', 'popularity', i % 100,
                                   'followers', json_object('total', i * 7),
                                   'genres', [('genre ' || (i % 40)), ('genre ' || ((i * 7) % 40))]) as body
                from artists
            ) to '{landed}/bench-00000.parquet' (format parquet)
            """
        )
        con.execute(
            f"""
            copy (
                select 'u' as user_id, left(md5('t' || (a.i * 5 + p % 5)), 22) as track_id,
                       'Track ' || (a.i * 5 + p % 5) as track_name, a.artist_id, a.name as artist,
                       (150000 + (p % 7) * 30000)::bigint as duration_ms,
                       timestamp '2016-01-01' + to_seconds(p * 311) as played_at,
                       'bench' as play_source
                from range({plays}) as t(p)
                join artists as a on a.i = floor(pow((p * 0.6180339887) % 1, 3) * {artists})::bigint
            ) to '{history}/bench.parquet' (format parquet)
            """
        )
        con.close()
        env = {**os.environ, "DATA_DIR": str(data_dir), "DUCKDB_PATH": str(data_dir / "music_tracker.duckdb")}
        env.update({"DBT_TARGET_PATH": str(Path(tmp) / "target"), "DBT_LOG_PATH": str(Path(tmp) / "logs")})
        dbt = str(Path(sys.executable).parent / "dbt")
        wall, peak, _ = timed([dbt, "build", "--quiet"], env, REPO)
        return {
            "source": f"dbt build ({plays // 1000}k plays)",
            "new_keys": plays,
            "requests": 0,
            "minimum_requests": 0,
            "requests_per_key": 0,
            "wall_s": round(wall, 2),
            "peak_mib": round(peak, 1),
            "noop_requests": 0,
            "noop_wall_s": 0,
            "artists": artists,
        }


def main() -> None:
    rows = [bench_spotify(a, b, mode) for a, b in SIZES for mode in ("extended", "dev")]
    rows += [bench_musicbrainz(n) for n in (100, 1_000, 5_000)]
    rows.append(bench_import())
    rows.append(bench_dbt())
    header = (
        f"{'source':<20} {'new keys':>8} {'requests':>8} {'minimum':>8} {'req/key':>8} "
        f"{'wall s':>7} {'peak MiB':>8} {'no-op req':>9} {'no-op s':>7}"
    )
    print(header)
    print("-" * len(header))
    for r in rows:
        print(
            f"{r['source']:<20} {r['new_keys']:>8} {r['requests']:>8} {r['minimum_requests']:>8} "
            f"{r['requests_per_key']:>8} {r['wall_s']:>7} {r['peak_mib']:>8} {r['noop_requests']:>9} "
            f"{r['noop_wall_s']:>7}"
        )
    for r in rows:
        if "rows_per_s" in r:
            print(
                f"{r['source']}: {r['json_mib']} MiB of JSON in {r['files']} files, {r['rows_per_s']} rows/s, "
                f"{r['plays_imported']} plays; re-import: {r['noop_wall_s']} s, {r['noop_requests']} plays added"
            )
    out = REPO / "data" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"bench-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.json"
    path.write_text(json.dumps({"machine": {"python": sys.version.split()[0]}, "rows": rows}, indent=1) + "\n")
    print(f"\nwritten to {path.relative_to(REPO)}")


if __name__ == "__main__":
    main()
