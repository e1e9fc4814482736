"""`dbt build` end to end on landed raw parquet (Spotify slice) and on a fresh, empty DATA_DIR.

Each build runs dbt as a subprocess from the repository root with its own DATA_DIR, DUCKDB_PATH, target and
log paths under tmp_path, so these tests never touch `data/`, `target/` or `logs/` and can run in parallel.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
DBT_TIMEOUT = 300


# ---------------------------------------------------------------------------------------------- helpers


def dbt_executable() -> str:
    candidate = Path(sys.executable).parent / "dbt"
    if candidate.exists():
        return str(candidate)
    found = shutil.which("dbt")
    if not found:
        pytest.fail(
            f"dbt is missing: neither {candidate} nor `dbt` on PATH; install the locked environment "
            "(`uv sync --frozen`, or `make setup`) and run the tests with `uv run --frozen pytest`",
            pytrace=False,
        )
    return found


def run_dbt(data_dir: Path, *args: str, unit_tests: bool = False) -> subprocess.CompletedProcess[str]:
    """Run dbt (default `build`) from the repo root against data_dir; target/logs go under data_dir.

    dbt's unit tests are left out (``unit_tests=True`` keeps them): they read their own fixtures, never the
    data, so they give the same answer in every build and run once, in conftest's empty_build (checked by
    test_every_unit_test_passes)."""
    env = {
        **os.environ,
        "DATA_DIR": str(data_dir),
        "DUCKDB_PATH": str(data_dir / "music_tracker.duckdb"),
        "DBT_PROFILES_DIR": str(REPO),
        "DBT_TARGET_PATH": str(data_dir / "dbt_target"),
        "DBT_LOG_PATH": str(data_dir / "dbt_logs"),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "DBT_USE_COLORS": "false",
    }
    if not unit_tests:
        env["DBT_EXCLUDE_RESOURCE_TYPES"] = "unit_test"
    else:
        env.pop("DBT_EXCLUDE_RESOURCE_TYPES", None)
    return subprocess.run(
        [dbt_executable(), *(args or ("build",))],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=DBT_TIMEOUT,
        check=False,
    )


def last_run_log(data_dir: Path) -> str:
    """The debug log of the last dbt run against data_dir (run_dbt's DBT_LOG_PATH), from its "Running with dbt="
    line. dbt rotates dbt.log at 10 MB (dbt.log.1 ... dbt.log.5, the oldest last): a run may start in a rotated
    file, so they are read oldest first."""
    logs = data_dir / "dbt_logs"
    files = [logs / f"dbt.log.{n}" for n in range(5, 0, -1)] + [logs / "dbt.log"]
    log = "".join(path.read_text(errors="replace") for path in files if path.is_file())
    return log[log.rindex("Running with dbt=") :]


def assert_ok(result: subprocess.CompletedProcess[str]) -> None:
    assert result.returncode == 0, (
        f"dbt failed ({result.returncode}):\n{result.stdout[-6000:]}\n{result.stderr[-3000:]}"
    )


def write_landed(data_dir: Path, endpoint: str, name: str, rows: list[tuple], *, body_as_json: bool = True) -> Path:
    """One landed batch file: rows of (key, status, fetched_at ISO string, body dict or None)."""
    directory = data_dir / "raw" / "spotify" / endpoint
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    body_type = "json" if body_as_json else "varchar"
    con = duckdb.connect()
    try:
        con.execute("create table batch (key varchar, status smallint, fetched_at timestamptz, body varchar)")
        con.executemany(
            "insert into batch values (?, ?, ?::timestamptz, ?)",
            [(k, s, f, None if b is None else json.dumps(b)) for k, s, f, b in rows],
        )
        con.execute(
            f"copy (select key, status, fetched_at, body::{body_type} as body from batch) to '{path}' (format parquet)"
        )
    finally:
        con.close()
    return path


def write_parquet(path: Path, select_sql: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    try:
        con.execute(f"copy ({select_sql}) to '{path}' (format parquet)")
    finally:
        con.close()
    return path


def query(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


COUNT_EVERY_RELATION = """
import json, sys
import duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
relations = con.execute(
    "select table_schema, table_name, table_type from information_schema.tables "
    "where table_catalog = current_database() order by 1, 2"
).fetchall()
out = []
for schema, name, kind in relations:
    try:
        rows = con.execute(f'select count(*) from "{schema}"."{name}"').fetchone()[0]
    except duckdb.Error as exc:
        rows = f"{type(exc).__name__}: {exc}".splitlines()[0]
    out.append([schema, name, kind, rows])
print(json.dumps(out))
"""


def relations_from(db: Path, cwd: Path) -> dict[str, dict[str, tuple[str, int | str]]]:
    """Every relation of the warehouse as a process started in cwd sees it (a notebook, a SQL client
    elsewhere): {schema: {name: (table type, count(*) or the error it raised)}}."""
    proc = subprocess.run(
        [sys.executable, "-c", COUNT_EVERY_RELATION, str(db.resolve())],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    found: dict[str, dict[str, tuple[str, int | str]]] = {}
    for schema, name, kind, rows in json.loads(proc.stdout):
        found.setdefault(schema, {})[name] = (kind, rows)
    return found


def column_types(db: Path, table: str) -> dict[str, str]:
    """Column types of a relation: `name` in schema main, or `schema.name`."""
    schema, _, name = table.rpartition(".")
    rows = query(
        db,
        "select column_name, data_type from information_schema.columns "
        "where table_schema = ? and table_name = ? order by ordinal_position",
        [schema or "main", name],
    )
    return dict(rows)


# ---------------------------------------------------------------------------------------------- fixtures

COLD_WAR_KIDS = {
    "external_urls": {"spotify": "https://open.spotify.com/artist/6VDdCwrBM4qQaGxoAyxyJC"},
    "followers": {"href": None, "total": 326125},
    "genres": [
        "garage rock",
        "indie folk",
        "indie pop",
        "indie rock",
        "indietronica",
        "la indie",
        "modern rock",
        "piano rock",
        "shimmer pop",
        "stomp and holler",
    ],
    "href": "https://api.spotify.com/v1/artists/6VDdCwrBM4qQaGxoAyxyJC",
    "id": "6VDdCwrBM4qQaGxoAyxyJC",
    "images": [{"height": 640, "url": "https://i.scdn.co/image/84c1", "width": 640}],
    "name": "Cold War Kids",
    "popularity": 70,
    "type": "artist",
    "uri": "spotify:artist:6VDdCwrBM4qQaGxoAyxyJC",
}

DEV_MODE_ARTIST = {  # an app in development mode after 2026-03-09: no followers, popularity, genres
    "external_urls": {"spotify": "https://open.spotify.com/artist/0LyfQWJT6nXafLPZqxe9Of"},
    "href": "https://api.spotify.com/v1/artists/0LyfQWJT6nXafLPZqxe9Of",
    "id": "0LyfQWJT6nXafLPZqxe9Of",
    "images": [],
    "name": "Various Artists",
    "type": "artist",
    "uri": "spotify:artist:0LyfQWJT6nXafLPZqxe9Of",
}

NOT_FOUND_KEY = "0000000000000000000404"


def album(album_id: str, name: str, release_date: str, precision: str, **extra) -> dict:
    body = {
        "album_type": "album",
        "artists": [{"id": "6VDdCwrBM4qQaGxoAyxyJC", "name": "Cold War Kids", "type": "artist"}],
        "external_ids": {"upc": f"upc-{album_id}"},
        "genres": [],
        "id": album_id,
        "name": name,
        "release_date": release_date,
        "release_date_precision": precision,
        "total_tracks": 11,
        "type": "album",
        "uri": f"spotify:album:{album_id}",
    }
    body.update(extra)
    return body


@pytest.fixture(scope="module")
def built_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("dbt_data")

    # artists: two batches; the second re-answers a key (latest wins) and holds a 404
    write_landed(
        data_dir,
        "artists",
        "20260101T000000Z-abcd-0000.parquet",
        [
            ("6VDdCwrBM4qQaGxoAyxyJC", 200, "2025-06-01 10:00:00+00", COLD_WAR_KIDS),
            ("0LyfQWJT6nXafLPZqxe9Of", 200, "2026-01-01 00:00:00+00", {**DEV_MODE_ARTIST, "name": "Old Name"}),
        ],
    )
    write_landed(
        data_dir,
        "artists",
        "20260401T000000Z-ef01-0000.parquet",
        [
            ("0LyfQWJT6nXafLPZqxe9Of", 200, "2026-04-01 00:00:00+00", DEV_MODE_ARTIST),
            (NOT_FOUND_KEY, 404, "2026-04-01 00:00:00+00", {"error": {"status": 404, "message": "not found"}}),
        ],
        body_as_json=False,  # a body stored as plain VARCHAR must read the same way
    )

    write_landed(
        data_dir,
        "albums",
        "20260101T000000Z-abcd-0000.parquet",
        [
            (
                "album_year",
                200,
                "2026-01-01 00:00:00+00",
                album("album_year", "Year", "1981", "year", label="Some Label", popularity=40),
            ),
            ("album_month", 200, "2026-01-01 00:00:00+00", album("album_month", "Month", "1981-12", "month")),
            ("album_day", 200, "2026-01-01 00:00:00+00", album("album_day", "Day", "2013-06-18", "day")),
            ("album_zero", 200, "2026-01-01 00:00:00+00", album("album_zero", "Zero", "0000", "year")),
            ("album_404", 404, "2026-01-01 00:00:00+00", None),
        ],
    )

    write_landed(
        data_dir,
        "tracks",
        "20260101T000000Z-abcd-0000.parquet",
        [
            (
                "6NPVjNh8Jhru9xOmyQigds",
                200,
                "2026-01-01 00:00:00+00",
                {
                    "album": {"id": "album_day", "name": "Day"},
                    "artists": [
                        {"id": "2RdwBSPQiwcmiDo9kixcl8", "name": "Pharrell Williams"},
                        {"id": "6VDdCwrBM4qQaGxoAyxyJC", "name": "Cold War Kids"},
                    ],
                    "duration_ms": 233305,
                    "external_ids": {"isrc": "USQ4E1300686"},
                    "id": "6NPVjNh8Jhru9xOmyQigds",
                    "name": "Happy",
                    "popularity": 89,
                },
            )
        ],
    )

    # history: one file with every contract column, one lacking the optional ones
    history = data_dir / "src" / "tracks_played"
    write_parquet(
        history / "history-full.parquet",
        """
        select
            'u1' as user_id, '6NPVjNh8Jhru9xOmyQigds' as track_id, 'spotify:track:6NPVjNh8Jhru9xOmyQigds' as track_uri,
            'USQ4E1300686' as track_isrc, 'Happy' as track_name, 'album_day' as album_id,
            'spotify:album:album_day' as album_uri, 'Day' as album, '2RdwBSPQiwcmiDo9kixcl8' as artist_id,
            null::varchar as artist_mbid, 'Pharrell Williams' as artist, 233305::bigint as duration_ms,
            timestamp '2026-01-02 03:04:05' as played_at, 89.0::double as popularity,
            'cursor-1' as request_cursor, 'recently_played' as play_source
        """,
    )
    write_parquet(
        history / "history-minimal.parquet",
        """
        select 'Scream' as track_name, 'CeeLo Green' as artist, timestamp '2025-12-31 23:59:59' as played_at
        """,
    )

    # DATA_DIR relative to the repository root, as the default `data` is: the raw views must name the
    # folder in full so the warehouse opens from any other folder (test_every_relation_opens_from_any_folder)
    result = run_dbt(Path(os.path.relpath(data_dir, REPO)))
    assert_ok(result)
    return data_dir / "music_tracker.duckdb"


# ---------------------------------------------------------------------------------------------- tests


def test_spotify_artists_full_and_dev_mode(built_warehouse: Path) -> None:
    rows = {
        r[0]: r
        for r in query(
            built_warehouse,
            "select artist_id, artist_name, artist_mbid, artist_popularity, followers, genres from spotify_artists",
        )
    }
    assert set(rows) == {"6VDdCwrBM4qQaGxoAyxyJC", "0LyfQWJT6nXafLPZqxe9Of"}  # the 404 key is absent
    assert rows["6VDdCwrBM4qQaGxoAyxyJC"] == (
        "6VDdCwrBM4qQaGxoAyxyJC",
        "Cold War Kids",
        None,
        70,
        326125,
        COLD_WAR_KIDS["genres"],
    )
    # dev-mode answer (the latest of the two for that key): nulls and an empty genre list
    assert rows["0LyfQWJT6nXafLPZqxe9Of"] == ("0LyfQWJT6nXafLPZqxe9Of", "Various Artists", None, None, None, [])


def test_spotify_artists_types(built_warehouse: Path) -> None:
    assert column_types(built_warehouse, "spotify_artists") == {
        "artist_id": "VARCHAR",
        "artist_name": "VARCHAR",
        "artist_mbid": "VARCHAR",
        "artist_popularity": "INTEGER",
        "followers": "BIGINT",
        "genres": "VARCHAR[]",
        "fetched_at": "TIMESTAMP WITH TIME ZONE",
    }


def test_not_found_key_absent_everywhere(built_warehouse: Path) -> None:
    assert query(
        built_warehouse, "select count(*) from staging.stg_spotify__artists where artist_id = ?", [NOT_FOUND_KEY]
    ) == [(0,)]
    assert query(built_warehouse, "select count(*) from spotify_albums where album_id = 'album_404'") == [(0,)]
    # ...but the raw view still holds it
    assert query(built_warehouse, "select status from raw.spotify_artists where key = ?", [NOT_FOUND_KEY]) == [(404,)]


def test_spotify_artist_genre(built_warehouse: Path) -> None:
    rows = query(built_warehouse, "select artist_id, genre, artist_name from spotify_artist_genre order by genre")
    assert [r[1] for r in rows] == sorted(COLD_WAR_KIDS["genres"])
    assert {(r[0], r[2]) for r in rows} == {("6VDdCwrBM4qQaGxoAyxyJC", "Cold War Kids")}


def test_spotify_albums_release_dates(built_warehouse: Path) -> None:
    rows = {
        r[0]: r[1:]
        for r in query(
            built_warehouse,
            "select album_id, release_date, release_date_precision, label, upc, artist_id, total_tracks "
            "from spotify_albums",
        )
    }
    assert rows["album_year"] == (
        date(1981, 1, 1),
        "year",
        "Some Label",
        "upc-album_year",
        "6VDdCwrBM4qQaGxoAyxyJC",
        11,
    )
    assert rows["album_month"][:2] == (date(1981, 12, 1), "month")
    assert rows["album_day"][:2] == (date(2013, 6, 18), "day")
    assert rows["album_zero"][:2] == (None, "year")
    assert rows["album_month"][2] is None  # no label (dev mode)
    assert column_types(built_warehouse, "spotify_albums")["release_date"] == "DATE"


def test_stg_spotify_tracks(built_warehouse: Path) -> None:
    assert query(
        built_warehouse,
        "select track_id, track_name, album_id, artist_id, artist_ids, isrc, duration_ms, track_popularity "
        "from staging.stg_spotify__tracks",
    ) == [
        (
            "6NPVjNh8Jhru9xOmyQigds",
            "Happy",
            "album_day",
            "2RdwBSPQiwcmiDo9kixcl8",
            ["2RdwBSPQiwcmiDo9kixcl8", "6VDdCwrBM4qQaGxoAyxyJC"],
            "USQ4E1300686",
            233305,
            89,
        )
    ]


def test_stg_history_tracks_played(built_warehouse: Path) -> None:
    rows = query(
        built_warehouse,
        "select track_name, artist, played_at, user_id, track_isrc, duration_ms, popularity "
        "from staging.stg_history__tracks_played order by played_at",
    )
    assert [(r[0], r[1], r[2].isoformat()) for r in rows] == [
        ("Scream", "CeeLo Green", "2025-12-31T23:59:59"),
        ("Happy", "Pharrell Williams", "2026-01-02T03:04:05"),
    ]
    assert rows[0][3:] == (None, None, None, None)  # the file without optional columns
    assert rows[1][3:] == ("u1", "USQ4E1300686", 233305, 89.0)
    types = column_types(built_warehouse, "staging.stg_history__tracks_played")
    assert types["played_at"] == "TIMESTAMP"
    assert types["duration_ms"] == "BIGINT"
    assert types["popularity"] == "DOUBLE"
    assert types["ms_played"] == "BIGINT"
    assert types["started_at"] == "TIMESTAMP"
    assert types["skipped"] == "BOOLEAN"
    assert len(types) == 27  # the 16 columns of the original schema, the listen's 10 facts and its file
    assert types["source_file"] == "VARCHAR"


def test_every_relation_opens_from_any_folder(built_warehouse: Path, tmp_path: Path) -> None:
    # built with a relative DATA_DIR; opened from elsewhere, the views over the landed parquet still read it
    found = relations_from(built_warehouse, tmp_path)
    errors = {f"{schema}.{name}": rows for schema, names in found.items() for name, (_, rows) in names.items()
              if isinstance(rows, str)}  # fmt: skip
    assert errors == {}
    assert found["staging"]["stg_history__tracks_played"] == ("VIEW", 2)
    assert found["raw"]["spotify_artists"] == ("VIEW", 4)
    assert {kind for kind, _ in found["main"].values()} == {"BASE TABLE"}


def test_fresh_empty_data_dir_builds_empty_tables(empty_build: Path, tmp_path: Path) -> None:
    db = empty_build / "music_tracker.duckdb"  # conftest's: `dbt build` of an empty DATA_DIR, shared
    for table in ("spotify_artists", "spotify_albums", "spotify_artist_genre", "staging.stg_history__tracks_played"):
        assert query(db, f"select count(*) from {table}") == [(0,)], table
    assert column_types(db, "spotify_artists")["genres"] == "VARCHAR[]"
    raw_views = {r[0] for r in query(db, "select table_name from information_schema.tables where table_schema = 'raw'")}
    assert {"tracks_played", "spotify_artists", "spotify_albums", "spotify_tracks"} <= raw_views

    # a warehouse built before the schemas: its staging, intermediate and seed relations were in main too;
    # the next dbt run drops those stale copies (and nothing else of main); on a copy of the shared warehouse
    db = Path(shutil.copy2(db, tmp_path / "music_tracker.duckdb"))
    con = duckdb.connect(str(db))
    try:
        con.execute("create view main.stg_history__tracks_played as select 1 as played_at")
        con.execute("create table main.int_plays_resolved as select 1 as play_key")
        con.execute("create table main.countries as select 'NA' as country_code")
        con.execute("create table main.my_own_notes as select 1 as n")
    finally:
        con.close()
    assert_ok(run_dbt(tmp_path, "run", "--select", "spotify_artists"))
    main = {r[0] for r in query(db, "select table_name from information_schema.tables where table_schema = 'main'")}
    assert {"stg_history__tracks_played", "int_plays_resolved", "countries"} & main == set()
    assert {"my_own_notes", "spotify_artists", "fact_track_played"} <= main
    assert query(db, "select count(*) from reference.countries")[0][0] > 200


def renamed_models() -> dict[str, str]:
    """Former name -> current name of the renamed models (macros/drop_renamed_relations.sql)."""
    text = (REPO / "macros" / "drop_renamed_relations.sql").read_text(encoding="utf-8")
    return dict(re.findall(r"'(\w+)': '(\w+)',", text))


def warehouse_with(empty_build: Path, tmp_path: Path, *statements: str) -> Path:
    """A copy of the empty build's warehouse in tmp_path, with ``statements`` run on it (the rows a test adds)."""
    db = Path(shutil.copy2(empty_build / "music_tracker.duckdb", tmp_path / "music_tracker.duckdb"))
    con = duckdb.connect(str(db))
    try:
        for statement in statements:
            con.execute(statement)
    finally:
        con.close()
    return db


def test_relations_of_renamed_models_are_dropped(empty_build: Path, tmp_path: Path) -> None:
    # a warehouse built before a model was renamed: its relation under the former name (schema intermediate, or
    # main before the schemas) would stay there, stale; the next dbt run drops it (and nothing else)
    renamed = renamed_models()
    assert len(renamed) >= 12
    assert set(renamed) & set(renamed.values()) == set()  # a former name is never a current one
    former = sorted(renamed)
    db = warehouse_with(
        empty_build,
        tmp_path,
        *(f"create view intermediate.{name} as select 1 as n" for name in former[::2]),
        *(f"create table intermediate.{name} as select 1 as n" for name in former[1::2]),
        f"create table main.{former[0]} as select 1 as n",
        "create table intermediate.my_own_notes as select 1 as n",
    )
    assert_ok(run_dbt(tmp_path, "run", "--select", "spotify_artists"))
    found = set(query(db, "select table_schema, table_name from information_schema.tables"))
    assert {name for _, name in found} & set(former) == set()
    assert ("intermediate", "my_own_notes") in found
    assert {("intermediate", name) for name in renamed.values()} <= found


def stored_failures(db: Path, table_prefix: str, column: str = "failed_checks") -> list[tuple[Any, ...]]:
    """``column`` of the rows a failing data test stored (``--store-failures``) in its one audit table whose name
    starts with ``table_prefix``, sorted."""
    (audit,) = query(
        db,
        "select table_schema || '.' || table_name from information_schema.tables "
        f"where starts_with(table_name, '{table_prefix}')",
    )
    return sorted(query(db, f"select {column} from {audit[0]}"))


def failing_data_tests(project: Path, *selectors: str) -> str:
    """``dbt test --store-failures`` of ``selectors`` on the warehouse in ``project``, which must fail; its output."""
    result = run_dbt(project, "test", "--select", *selectors, "--store-failures")
    assert result.returncode == 1, result.stdout[-3000:]
    return result.stdout


def test_row_checks_names_the_rules_a_row_breaks(empty_build: Path, tmp_path: Path) -> None:
    # one row_checks test holds a model's rules on single rows (tests/generic/row_checks.sql): not null,
    # greater than zero, expressions; a row breaking any of them fails it, and the failure says which rules
    db = warehouse_with(
        empty_build,
        tmp_path,
        "insert into main.report_genres_by_hour (hour, genre, genre_rank, plays, minutes, share_of_hour) values "
        "(25, 'rock', 1, 0, 1.5, 1.0), (3, null, 2, 4, 9.0, 1.0), (4, 'jazz', 3, 2, 3.0, 0.5), "
        "(5, 'pop', null, 1, 2.0, 1.0)",
    )
    output = failing_data_tests(tmp_path, "report_genres_by_hour,test_name:row_checks")
    assert re.search(r"FAIL 3 row_checks_report_genres_by_hour", output), output[-3000:]
    assert stored_failures(db, "row_checks_report_genres") == [
        ("genre is null",),
        ("genre_rank is null",),  # a null in an expression passes it, as in dbt's expression_is_true
        ("plays <= 0; not (hour between 0 and 23)",),
    ]


def test_row_checks_accepted_values_and_keys(empty_build: Path, tmp_path: Path) -> None:
    # accepted values (a null passes, as in dbt's accepted_values; numbers unquoted) and keys: a column is a
    # key on its own (nulls not compared, as in dbt's unique), a list of columns a composite key; the failure
    # names the key, the value held twice and by how many rows
    db = warehouse_with(
        empty_build,
        tmp_path,
        "insert into main.dim_album (album_key, album_id, album_name) values "
        "('k1', 'a1', 'One'), ('k2', 'a1', 'One again'), ('k3', null, 'x'), ('k4', null, 'y')",
        # the clock already has all 168 hours of the week: Sunday 3:00 is now in 3 rows
        "insert into main.report_clock (weekday, weekday_name, hour, plays, minutes) values "
        "(8, 'Someday', 1, 1, 1.0), (null, 'Unknown', 2, 1, 1.0), (7, 'Sunday', 3, 1, 1.0), "
        "(7, 'Sunday', 3, 2, 2.0)",
    )
    output = failing_data_tests(tmp_path, "dim_album,test_name:row_checks", "report_clock,test_name:row_checks")
    assert re.search(r"FAIL 1 row_checks_dim_album", output), output[-3000:]
    assert re.search(r"FAIL 3 row_checks_report_clock", output), output[-3000:]
    assert stored_failures(db, "row_checks_dim_al") == [("key (album_id) = (a1) in 2 rows",)]
    assert stored_failures(db, "row_checks_report_cl") == [
        ("key (weekday, hour) = (7, 3) in 3 rows",),
        ("weekday is not an accepted value",),
        ("weekday is null",),
    ]


def test_row_checks_references_name_the_values_missing(empty_build: Path, tmp_path: Path) -> None:
    # references (dbt's relationships, one per column in the model's one row_checks test): a non-null value
    # missing from the other model fails, named with how many rows hold it; a null passes; a reference's
    # `where` checks only the rows it keeps (mbz_artist_location's params: only the rows with coordinates)
    db = warehouse_with(
        empty_build,
        tmp_path,
        "insert into main.mbz_artist_info (artist_mbid, name) values ('mb-known', 'Known')",
        "insert into main.mbz_artist_location (artist_mbid, params, lat) values "
        "('mb-known', null, null), ('mb-ghost', null, null), ('mb-known-2', 'Nowhere,XX', null), "
        "('mb-ghost-2', 'Atlantis,XX', 10.5)",
    )
    output = failing_data_tests(tmp_path, "mbz_artist_location,test_name:row_checks")
    assert re.search(r"FAIL 4 row_checks_mbz_artist_location", output), output[-3000:]
    assert stored_failures(db, "row_checks_mbz_artist_loc") == [
        ("artist_mbid = mb-ghost is not in mbz_artist_info.artist_mbid (1 rows)",),
        ("artist_mbid = mb-ghost-2 is not in mbz_artist_info.artist_mbid (1 rows)",),
        ("artist_mbid = mb-known-2 is not in mbz_artist_info.artist_mbid (1 rows)",),
        ("params = Atlantis,XX is not in cities_with_lat_long.params (1 rows)",),
    ]


@pytest.mark.parametrize("matched_keys", [("a", "b"), ("a", "c")])
def test_the_merge_names_only_deduplicated_rows(
    empty_build: Path, tmp_path: Path, matched_keys: tuple[str, str]
) -> None:
    # the merge's row keys are the deduplicated rows' keys, old rows too: row_checks checks the newest write
    # only, assert_every_reported_row_is_in_one_listen every row by the sums of the keys' hashes. A key swapped
    # for one the rows do not hold keeps every count and still fails; the same keys do not raise that problem.
    db = warehouse_with(
        empty_build,
        tmp_path,
        "insert into intermediate.int_listens__rows_deduplicated (row_key, built_at) values "
        "('a', '2026-01-01'), ('b', '2026-01-01')",
        "insert into intermediate.int_listens__rows_matched_to_listens (listen_key, row_key, built_at) values "
        f"('a', '{matched_keys[0]}', '2026-01-01'), ('a', '{matched_keys[1]}', '2026-01-01')",
    )
    test = "assert_every_reported_row_is_in_one_listen"
    failing_data_tests(tmp_path, test)  # the history is empty and there is no listen: it fails whatever the keys
    problems = {problem for (problem,) in stored_failures(db, test, column="problem")}
    swapped = "int_listens__rows_matched_to_listens holds a row_key that int_listens__rows_deduplicated does not"
    assert (swapped in problems) == (matched_keys == ("a", "c")), problems
    assert "a reported row is in no listen, or in two" not in problems


def test_unique_among_new_rows_checks_the_newest_rows_against_all(empty_build: Path, tmp_path: Path) -> None:
    # the incremental listen models' keys (tests/generic/unique_among_new_rows.sql): a row of the newest build
    # whose key an older row holds fails; two older rows were tested when they were written and are not read
    db = warehouse_with(
        empty_build,
        tmp_path,
        "insert into intermediate.int_listens__rows_deduplicated (row_key, built_at) values "
        "('old-twice', '2026-01-01'), ('old-twice', '2026-01-01'), ('old', '2026-01-01'), "
        "('old', '2026-02-01'), ('new', '2026-02-01')",
    )
    failing_data_tests(tmp_path, "int_listens__rows_deduplicated,test_name:unique_among_new_rows")
    assert stored_failures(db, "unique_among_new_rows_int_list", column="row_key, n_rows") == [("old", 2)]


def test_every_unit_test_passes(empty_build: Path) -> None:
    """dbt's unit tests (unit_tests: in the models' yml), once for the whole run, in the shared empty build
    (conftest's empty_build, the one build run with them): every one defined ran and passed."""
    defined = set()
    for path in (REPO / "models").rglob("*.yml"):
        for test in (yaml.safe_load(path.read_text()) or {}).get("unit_tests", []):
            defined.add(f"{test['model']}::{test['name']}")
    results = [
        r
        for r in json.loads((empty_build / "dbt_target" / "run_results.json").read_text())["results"]
        if r["unique_id"].startswith("unit_test.")
    ]
    ran = {r["unique_id"].split(".", 2)[2].replace(".", "::", 1) for r in results}
    assert ran == defined and defined
    assert {r["status"] for r in results} == {"pass"}
