"""`make demo`: the whole pipeline on the bundled sample, offline.

Copies the sample history (polled plays and scrobbles) into ``data/demo/src/``, imports the listener's
Extended Streaming History download on top of it (``data/sample/exports/``: the same listens again, and the
skips polling never sees), serves the recorded API answers of ``data/sample/``
on 127.0.0.1 with the same fake servers the tests use, runs ``python -m extractors all`` and ``dbt build``
against them exactly as a user would, then prints where the warehouse is and a few lines of what it holds.
``DEMO_SPOTIFY_MODE=dev make demo`` plays an app in Spotify's Development Mode (no batch endpoints).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb

from extractors.config import OUR_PREFIXES
from extractors.registry import sources
from scripts.devkit.fakes import FAKES, FakeServer
from scripts.report import DEMO_DIR, write_report

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "data" / "sample"
DEMO = DEMO_DIR  # data/demo (scripts/report.py finds the demo's warehouse there)


def step(title: str) -> None:
    print(f"\n== {title}", flush=True)


def run(command: list[str], env: dict[str, str]) -> None:
    print("$ " + " ".join(command), flush=True)
    result = subprocess.run(command, env=env, cwd=REPO, stdin=subprocess.DEVNULL)
    if result.returncode != 0:
        sys.exit(f"demo: `{' '.join(command)}` failed with exit status {result.returncode}")


def requests(fakes: dict[str, FakeServer]) -> str:
    counts = [f"{fake.data_requests()} {fake.title}" for fake in fakes.values()]
    return f"({', '.join(counts[:-1])} and {counts[-1]} requests)"


def prepare() -> None:
    if DEMO.exists():
        shutil.rmtree(DEMO)
    history = DEMO / "src" / "tracks_played"
    history.mkdir(parents=True)
    shutil.copy2(SAMPLE / "tracks_played.parquet", history / "sample.parquet")


TOP_COUNTRIES = 10


def names_within(names: list[str], width: int) -> str:
    """As many whole names as fit in ``width`` characters, then how many more: never a name cut in two."""
    if len(", ".join(names)) <= width:
        return ", ".join(names)
    shown: list[str] = []
    for name in names:
        if shown and len(", ".join([*shown, name]) + f" and {len(names) - len(shown) - 1} more") > width:
            break
        shown.append(name)
    return ", ".join(shown) + f" and {len(names) - len(shown)} more"


def show(warehouse: Path) -> None:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        step(f"the warehouse: {warehouse.relative_to(REPO)}")
        tables = con.execute(
            "select table_name from information_schema.tables where table_schema = 'main' "
            "and table_type = 'BASE TABLE' order by 1"
        ).fetchall()
        for (table,) in tables:
            (rows,) = con.execute(f'select count(*) from main."{table}"').fetchone() or (0,)
            print(f"  {table:<28} {rows:>6} rows")
        step("listens and plays (a play: at least 30 s listened, or of unknown length)")
        reported, listens, plays, skips, merged = con.execute(
            """
            select
                coalesce(sum(reported_rows), 0),
                coalesce(sum(listens), 0),
                coalesce(sum(plays), 0),
                coalesce(sum(short_listens), 0),
                coalesce(sum(listens) filter (where sources like '%,%'), 0)
            from main.report_listen_sources
            """
        ).fetchone() or (0, 0, 0, 0, 0)
        print(f"  {reported} rows reported by the sources are {listens} listens ({merged} reported by several)")
        print(f"  {plays} plays and {skips} listens under 30 s (kept for skip statistics, not counted as plays)")
        for sources, n in con.execute(
            "select sources, sum(listens) from main.report_listen_sources group by 1 order by 2 desc, 1"
        ).fetchall():
            print(f"  {n:>6} listens from {sources}")
        step("most played artists, with their Spotify genres")
        top = con.execute(
            """
            with plays as (
                select artist_key, count(*) as plays, sum(minutes_played) as minutes
                from main.fact_track_played
                where counts_as_play
                group by 1
            )
            select a.artist_name, p.plays, p.minutes, array_to_string(s.genres[1:3], ', ')
            from plays as p
            join main.dim_artist as a using (artist_key)
            left join main.spotify_artists as s using (artist_id)
            order by p.plays desc, a.artist_name limit 8
            """
        ).fetchall()
        for name, n, minutes, genres in top:
            print(f"  {name:<30} {n:>4} plays {minutes:>6.0f} min  {genres or '-'}")
        step("how each Spotify artist was matched to MusicBrainz")
        for method, artists in con.execute(
            "select coalesce(match_method, 'not found'), count(*) "
            "from intermediate.int_musicbrainz__spotify_artists_matched group by 1 order by 2 desc"
        ).fetchall():
            print(f"  {method:<12} {artists:>4} artists")
        step("where the artists come from (area, else end area, else begin area)")
        countries = con.execute(
            """
            select continent, country_name, count(*), list(artist_name order by artist_name)
            from main.mbz_artist_location
            where country_code is not null
            group by 1, 2 order by 3 desc, 2
            """
        ).fetchall()
        for continent, country, artists, names in countries[:TOP_COUNTRIES]:
            print(f"  {continent or '?':<14} {country or '?':<16} {artists:>3}  {names_within(names, 60)}")
        if len(countries) > TOP_COUNTRIES:
            rest = countries[TOP_COUNTRIES:]
            print(
                f"  … and {len(rest)} more countries with {sum(r[2] for r in rest)} artists "
                f"({len(countries)} in all: select * from mbz_artist_location)"
            )
        sources = dict(
            con.execute(
                "select coalesce(coordinates_source, 'none'), count(*) from main.mbz_artist_location group by 1"
            ).fetchall()
        )
        print(
            f"  coordinates: {sources.get('gazetteer', 0)} from the offline gazetteer, "
            f"{sources.get('openweather', 0)} from OpenWeather, {sources.get('none', 0)} without (country-only areas)"
        )
        step("albums by release-date precision")
        for precision, albums, oldest in con.execute(
            "select release_date_precision, count(*), min(release_date) from main.spotify_albums group by 1 order by 1"
        ).fetchall():
            print(f"  {precision:<6} {albums:>4} albums, oldest {oldest}")
    finally:
        con.close()


def main() -> None:
    mode = os.environ.get("DEMO_SPOTIFY_MODE", "extended")
    step(f"copy the bundled sample history to {DEMO.relative_to(REPO)}/src/")
    prepare()
    # one fake per source of the registry, serving its recorded answers (data/sample/recordings/<source>/)
    options: dict[str, dict[str, str]] = {"spotify": {"mode": mode}}
    fakes: dict[str, FakeServer] = {}
    warehouse = DEMO / "music_tracker.duckdb"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith((*OUR_PREFIXES, "DUCKDB_PATH"))},
        "DATA_DIR": str(DEMO),
        "DUCKDB_PATH": str(warehouse),
    }
    try:
        for name in sources():
            fake = FAKES[name].from_recordings(SAMPLE / "recordings" / name, **options.get(name, {})).start()
            fakes[name] = fake
            env.update(fake.settings())
            print(
                f"recorded {fake.title} answers served on {fake.url}" + (f" ({mode} mode)" if name in options else "")
            )
        step("import the listener's Spotify Extended Streaming History download (data/sample/exports/)")
        exports = (SAMPLE / "exports").relative_to(REPO)
        run([sys.executable, "-m", "extractors", "import", str(exports), "--user-id", "sample-user"], env)
        step("extract: only the keys the history references and nothing has answered yet")
        run([sys.executable, "-m", "extractors", "all"], env)
        print(requests(fakes))
        step("a second run finds nothing missing and makes no request")
        for fake in fakes.values():
            fake.reset_log()
        run([sys.executable, "-m", "extractors", "all"], env)
        print(requests(fakes))
    finally:
        for fake in fakes.values():
            fake.stop()
    step("dbt build: parse the landed JSON inside DuckDB, build the models, run the tests")
    run([str(Path(sys.executable).parent / "dbt"), "build", "--quiet"], env)
    show(warehouse)
    print(f"\nDone. The warehouse is {warehouse} (DuckDB 2.x; open it read-only while exploring).")
    step("the report: every chart of the marts in one offline HTML file")
    report = write_report(warehouse)
    print(f"{report} ({report.stat().st_size / 1e6:.1f} MB): open it in a browser, no network needed")


if __name__ == "__main__":
    main()
