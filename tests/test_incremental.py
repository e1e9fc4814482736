"""The incremental build gives exactly the tables of a full rebuild (docs/incremental.md).

One warehouse is built step by step, as a person's history grows: polled listens and a Last.fm import; then
new polls; then a file replaced by hand (a poll fewer, one moved: a change far smaller than the islands it
touches); then an Extended Streaming History export and Account data imported weeks late, covering the days
polling already reported (offline listens dated days before their sync); then enrichment landing after the
listens were built (Spotify tracks with another length and album, Spotify artists for name-only listens) with
new polls; then a file removed, an export imported again under another name and tracks answered again.
After every step `dbt build` updates the warehouse incrementally, and a copy of the same data is built from
nothing with `dbt build --full-refresh`: every table of schemas main and intermediate (the listen models,
int_plays_resolved, fact_track_played, the dims and reports) must hold the same rows, column by column, as
multisets (built_at, when a row was written, aside).
"""

from __future__ import annotations

import random
import re
import shutil
from datetime import timedelta
from pathlib import Path

import duckdb
import pytest

from scripts.devkit import listens as world
from scripts.enrich import PARALLEL_THREADS
from tests.test_dbt_models import assert_ok, last_run_log, run_dbt, write_landed

DAYS = 34
# the columns that say when a row was written, not what it holds
BOOKKEEPING = {"built_at"}
# the incremental models' bookkeeping tables (macros/listens_incremental.sql), not models
SIDE_TABLES = ("listens_",)


def spotify_track(track: world.Track, duration_ms: int, album_id: str) -> dict:
    return {
        "album": {"id": album_id, "name": track.album},
        "artists": [{"id": track.artist_id, "name": track.artist}],
        "duration_ms": duration_ms,
        "id": track.id,
        "name": track.name,
        "popularity": 50,
    }


def spotify_artist(artist_id: str, name: str, genres: tuple[str, ...] = ("indie",)) -> dict:
    return {
        "id": artist_id,
        "name": name,
        "genres": list(genres),
        "popularity": 40,
        "followers": {"total": 1000},
        "images": [],
        "type": "artist",
        "uri": f"spotify:artist:{artist_id}",
    }


def tables(db: Path) -> list[tuple[str, str]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_type = 'BASE TABLE' and table_schema in ('main', 'intermediate') order by all"
        ).fetchall()
    finally:
        con.close()
    return [(s, t) for s, t in rows if not t.startswith(SIDE_TABLES)]


def differences(incremental: Path, full: Path) -> dict[str, tuple[int, int, int]]:
    """Per table whose rows differ: (rows only in the incremental build, rows only in the full one, rows)."""
    found = tables(full)
    assert tables(incremental) == found, "the two builds hold different tables"
    con = duckdb.connect()
    try:
        con.execute(f"attach '{incremental}' as inc (read_only)")
        con.execute(f"attach '{full}' as ref (read_only)")
        out = {}
        for schema, table in found:
            columns = con.execute(
                "select column_name, data_type from information_schema.columns where table_catalog = 'ref' "
                "and table_schema = ? and table_name = ? order by ordinal_position",
                [schema, table],
            ).fetchall()
            # a sum of doubles differs in its last bits from one run to the next (parallel aggregation): doubles
            # are compared to 6 decimals, rounded twice (once shifted by a quarter of the last place), so that
            # two sums a hair apart on either side of a rounding boundary still compare equal one way
            counts = []
            for shift in (0, 2.5e-7):
                cols = ", ".join(
                    f'round("{c}" + {shift}, 6)' if t in ("DOUBLE", "FLOAT") else f'"{c}"'
                    for c, t in columns
                    if c not in BOOKKEEPING
                )
                a, b = f"inc.{schema}.{table}", f"ref.{schema}.{table}"
                only = [
                    con.execute(
                        f"select count(*) from (select {cols} from {x} except all select {cols} from {y})"
                    ).fetchone()[0]
                    for x, y in ((a, b), (b, a))
                ]
                counts.append((*only, con.execute(f"select count(*) from {b}").fetchone()[0]))
            best = min(counts, key=lambda c: c[0] + c[1])
            if best[0] or best[1]:
                out[f"{schema}.{table}"] = best
        return out
    finally:
        con.close()


def full_copy(data_dir: Path, into: Path) -> Path:
    """The same history and landed answers in a fresh folder, built from nothing with --full-refresh."""
    if into.exists():
        shutil.rmtree(into)
    into.mkdir(parents=True)
    for part in ("src", "raw"):
        if (data_dir / part).exists():
            shutil.copytree(data_dir / part, into / part)
    # the data tests run on the incremental builds; the reference needs only its tables
    assert_ok(run_dbt(into, "build", "--full-refresh", "--exclude-resource-type", "test"))
    return into


@pytest.fixture(scope="module")
def steps(tmp_path_factory: pytest.TempPathFactory) -> dict:
    root = tmp_path_factory.mktemp("incremental")
    truth = world.listening(seed=23, days=DAYS)
    rng = random.Random(3)
    return {"root": root, "data": root / "data", "truth": truth, "rng": rng}


def synced(data: Path) -> tuple[set[str], set[str]]:
    """The synced tables (macros/synced_table.sql) the last dbt run compared with their model, and those of them
    it wrote rows to (from its log)."""
    last = last_run_log(data)
    compared = set(re.findall(r'create or replace temp table "(\w+)__synced_new"', last))
    written = set(re.findall(r'delete from "[^"]+"\."[^"]+"\."(\w+)" where hash\(', last))
    return compared, written


def islands_kept(db: Path) -> bool:
    """Whether the warehouse keeps the islands of the history rows it has seen for the next build
    (listens_history_islands_of holds their count and hash sum)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        found = con.execute(
            "select count(*) from information_schema.tables "
            "where table_schema = 'intermediate' and table_name = 'listens_history_islands_of'"
        ).fetchall()[0][0]
        return (
            bool(found)
            and con.execute("select count(*) from intermediate.listens_history_islands_of").fetchall()[0][0] == 1
        )
    finally:
        con.close()


def assert_kept_islands_hold(db: Path) -> None:
    """Islands kept for the next build are those of the rows seen: the count and hash sum they say they belong
    to are the seen rows', and cutting the seen rows' merge intervals again, here in Python, gives them."""
    if not islands_kept(db):
        return
    con = duckdb.connect(str(db), read_only=True)
    try:
        n, hash_sum = con.execute("select n, hash_sum from intermediate.listens_history_islands_of").fetchall()[0]
        seen = con.execute(
            "select count(*), sum(cast(row_hash as hugeint)) from intermediate.listens_history_seen"
        ).fetchall()[0]
        intervals = con.execute(
            "select merge_lo, merge_hi from intermediate.listens_history_seen order by merge_lo, merge_hi"
        ).fetchall()
        kept = con.execute("select lo, hi from intermediate.listens_history_islands order by lo").fetchall()
    finally:
        con.close()
    assert (n, hash_sum) == (seen[0], seen[1] or 0), "the islands kept name other rows than those seen"
    cut: list[list[float]] = []
    for lo, hi in intervals:
        if cut and lo <= cut[-1][1]:
            cut[-1][1] = max(cut[-1][1], hi)
        else:
            cut.append([lo, hi])
    assert kept == [tuple(island) for island in cut], "the islands kept are not those of the rows seen"


def build_and_compare(steps: dict, name: str) -> dict[str, tuple[int, int, int]]:
    data = steps["data"]
    # several nodes at once, as make enrich builds a night's new data (scripts/enrich.py: PARALLEL_THREADS): the
    # models' bookkeeping must hold when independent models and their tests run side by side
    assert_ok(run_dbt(data, "build", "--threads", str(PARALLEL_THREADS)))
    assert_kept_islands_hold(data / "music_tracker.duckdb")
    full = full_copy(data, steps["root"] / f"full_{name}")
    return differences(data / "music_tracker.duckdb", full / "music_tracker.duckdb")


def replace_by_hand(path: Path) -> None:
    """The file rewritten with one row in its middle gone and a row five later moved by a minute."""
    con = duckdb.connect()
    try:
        cursor = con.execute(f"select * from '{path}' order by played_at")
        names = [d[0] for d in cursor.description]
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    finally:
        con.close()
    middle = len(rows) // 2
    del rows[middle]
    rows[middle + 5]["played_at"] += timedelta(minutes=1)
    world.write_rows(path, rows)


def history(steps: dict) -> Path:
    return steps["data"] / "src" / "tracks_played"


def test_incremental_equals_full_refresh(steps: dict) -> None:
    truth, rng = steps["truth"], steps["rng"]
    src = history(steps)

    # 1. polled listens of days 20-26, and a Last.fm import of days 0-26
    world.write_rows(src / "polled_1.parquet", world.polled(world.in_days(truth, 20, 26), rng))
    world.write_rows(src / "lastfm_1.parquet", world.lastfm(world.in_days(truth, 0, 26)))
    assert build_and_compare(steps, "1_polls") == {}

    # 2. a few new polls and scrobbles (days 26-28), and scrobbles of days 32-34 no other source reports
    world.write_rows(src / "polled_2.parquet", world.polled(world.in_days(truth, 26, 28), rng))
    world.write_rows(src / "lastfm_2.parquet", world.lastfm(world.in_days(truth, 26, 28)))
    world.write_rows(src / "lastfm_lone.parquet", world.lastfm(world.in_days(truth, 32, 34)))
    assert build_and_compare(steps, "2_new_polls") == {}

    # 3. a file replaced by hand, a little changed: one poll in the middle of day 22 gone, one moved by a
    #    minute (its neighbours' windows, narrowed by the polls either side of them, change too)
    replace_by_hand(src / "polled_1.parquet")
    assert build_and_compare(steps, "3_replaced") == {}

    # 4. an Extended history export of days 0-27 and Account data of days 15-28, imported late: they cover
    #    the weeks polling and Last.fm reported; offline listens are synced days after they were heard
    world.write_rows(src / "extended.parquet", world.extended(world.in_days(truth, 0, 27)))
    world.write_rows(src / "account.parquet", world.account(world.in_days(truth, 15, 28)))
    assert build_and_compare(steps, "4_late_exports") == {}

    # 5. enrichment lands after the listens were built: Spotify tracks (another length and album than the
    #    history says, which moves a listen's estimated start and the minutes of the listen before it) and
    #    Spotify artists (name-only scrobbles find their artist); and new polls (days 28-30)
    tracks = sorted({x.track.id: x.track for x in truth}.values(), key=lambda t: t.id)
    landed = [
        (t.id, 200, "2026-01-01 00:00:00+00", spotify_track(t, t.duration_ms + 45_000, f"album_{t.album_id}"))
        for t in tracks[::3]
    ]
    write_landed(steps["data"], "tracks", "20260101T000000Z-0001-0000.parquet", landed)
    artists = sorted({(t.artist_id, t.artist) for t in tracks})
    write_landed(
        steps["data"],
        "artists",
        "20260101T000000Z-0001-0000.parquet",
        [(a, 200, "2026-01-01 00:00:00+00", spotify_artist(a, n)) for a, n in artists[::2]],
    )
    world.write_rows(src / "polled_3.parquet", world.polled(world.in_days(truth, 28, 30), rng))
    # the polls only add rows: this build starts from the islands step 4 kept, and must keep them right
    assert islands_kept(steps["data"] / "music_tracker.duckdb")
    assert build_and_compare(steps, "5_enrichment") == {}
    # the tables the landing changed took only their changed rows (and still equal a full rebuild, above)
    compared, written = synced(steps["data"])
    assert {"spotify_artists", "dim_artist", "dim_track"} <= written <= compared

    # 6. files removed (one overlapping other sources, one of listens nobody else reported: their sessions,
    #    runs and days are gone with nothing left near them to recompute), an export imported again under
    #    another name with ids the first import lacked, and some tracks answered again later (a newer batch
    #    wins): their length changes once more
    (src / "lastfm_2.parquet").unlink()
    (src / "lastfm_lone.parquet").unlink()
    again = [
        {**row, "artist_id": x.track.artist_id, "album_id": x.track.album_id}
        for row, x in zip(world.account(world.in_days(truth, 15, 28)), world.in_days(truth, 15, 28), strict=True)
    ]
    world.write_rows(src / "account_again.parquet", again)
    write_landed(
        steps["data"],
        "tracks",
        "20260201T000000Z-0002-0000.parquet",
        [
            (k, s, "2026-02-01 00:00:00+00", {**b, "duration_ms": b["duration_ms"] - 90_000})
            for k, s, _, b in landed[::2]
        ],
    )
    assert build_and_compare(steps, "6_reloaded") == {}

    # 7. artists answered again with other genres: the dims change, no listen does (report_track_plays
    #    writes their plays again, with the new primary genre)
    write_landed(
        steps["data"],
        "artists",
        "20260301T000000Z-0003-0000.parquet",
        [(a, 200, "2026-03-01 00:00:00+00", spotify_artist(a, n, ("shoegaze", "dream pop"))) for a, n in artists],
    )
    assert build_and_compare(steps, "7_genres") == {}


def test_a_build_with_nothing_new_recomputes_no_listen(steps: dict) -> None:
    """After the steps above, a build with nothing new rewrites no row of the listen models."""
    data = steps["data"]
    if not (data / "music_tracker.duckdb").exists():
        pytest.skip("needs the warehouse of test_incremental_equals_full_refresh")
    before = _written(data)
    assert_ok(run_dbt(data, "build"))
    assert _written(data) == before
    # the synced tables (macros/synced_table.sql) were computed and compared, and none was written again (a
    # report's sums of minutes may differ in their last bits from one run to the next: DuckDB adds doubles in
    # parallel, in no fixed order, and such a row is written again)
    compared, written = synced(data)
    unchanged = {"dim_track", "dim_artist", "dim_album", "int_spotify__tracks", "spotify_artists", "mbz_artist_info"}
    assert unchanged | {"report_overview"} <= compared
    assert not written & unchanged, written
    # int_history__references counted no file again and wrote no combination again (no history file changed)
    last = last_run_log(data)
    assert "create or replace temp table history_references_gone" in last
    assert "into intermediate.listens_history_references" not in last
    assert 'delete from "music_tracker"."intermediate"."int_history__references"' not in last


# the incremental models that order the plays in time (macros/plays_incremental.sql)
ORDERED_PLAYS = ("int_listening_sessions", "int_artist_runs", "int_listening_days", "int_plays_yearly")


def test_report_track_plays_follows_fact_built_out_of_order(steps: dict) -> None:
    """report_track_plays (and the models that order the plays in time) built between int_plays_resolved and
    fact_track_played (a `--select` of a few models at a time): the listens fact_track_played copies afterwards
    still reach them on their next build. The dims are built first, so no dim row changes between the report's
    two builds to bring it those listens instead."""
    data = steps["data"]
    if not (data / "music_tracker.duckdb").exists():
        pytest.skip("needs the warehouse of test_incremental_equals_full_refresh")
    truth, rng = steps["truth"], steps["rng"]
    world.write_rows(history(steps) / "polled_4.parquet", world.polled(world.in_days(truth, 30, 32), rng))
    # `run`: between the steps the warehouse is half built, which the data tests would rightly fail
    dims = ("+dim_artist", "+dim_album", "+dim_track", "+dim_date", "+dim_time")
    readers = ("report_track_plays", *ORDERED_PLAYS)
    for selected in (dims, readers, ("fact_track_played",), readers):
        assert_ok(run_dbt(data, "run", "--select", *selected))
    full = full_copy(data, steps["root"] / "full_out_of_order")
    found = differences(data / "music_tracker.duckdb", full / "music_tracker.duckdb")
    checked = ("main.fact_track_played", "main.report_track_plays", *(f"intermediate.{m}" for m in ORDERED_PLAYS))
    assert {t: d for t, d in found.items() if t in checked} == {}


def _written(data: Path) -> dict[str, object]:
    con = duckdb.connect(str(data / "music_tracker.duckdb"), read_only=True)
    try:
        return {
            t: con.execute(f"select max(built_at), count(*) from intermediate.{t}").fetchone()
            for t in (
                "int_listens__rows_deduplicated",
                "int_listens__rows_matched_to_listens",
                "int_listens__rows_combined_into_listens",
                "int_plays_resolved",
                *ORDERED_PLAYS,
            )
        }
    finally:
        con.close()
