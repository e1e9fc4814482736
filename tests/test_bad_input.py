r"""Bad input, tried systematically: each case ends in a clear error or in correct handling, never a traceback.

Every case runs the real CLI (``python -m extractors …``, a subprocess) against the fake APIs on 127.0.0.1.
"Exit 2, one line" means: status 2, stderr is the single line ``error: …`` naming the file (and the row or
column) and what to do, no Traceback, no request made, and every file landed or imported before is still
there, byte for byte, and readable. The tables list the cases as ``pytest -v`` shows them (test[id]).

History files in ``data/src/tracks_played/`` (what the extractors read):

| test_unreadable_history_file_exits_2[…] | for spotify, musicbrainz, status and import alike                     |
|-----------------------------------------|-----------------------------------------------------------------------|
| zero-byte                               | exit 2, one line "<file>: not a readable parquet file (…); replace or |
|                                         | remove it"; import writes nothing                                     |
| truncated-half (of a real file)         | the same                                                              |
| file-name-not-utf8 (h\xe9.parquet)      | exit 2, one line "<file>: the file name is not UTF-8 …; rename the    |
|                                         | file" (was: "not a readable parquet file", a Python encoding error)   |

| test_zero_row_history_file[…]           |                                                                       |
|-----------------------------------------|-----------------------------------------------------------------------|
| alone                                   | nothing to do: spotify, musicbrainz, status exit 0; 0 requests        |
| next-to-a-history                       | exit 0; every key of the other file lands                             |

| test_wrong_column_type[…]               | (was: every value silently read as null)                              |
|-----------------------------------------|-----------------------------------------------------------------------|
| played_at-varchar-words ('yesterday')   | exit 2, one line: file, column, its type, an example value, "write    |
|                                         | played_at as TIMESTAMP (UTC) … or move the file out of …"             |
| played_at-bigint-epoch-ms               | exit 2, one line (a number is not a time)                             |
| duration_ms-text-words ('3:35')         | exit 2, one line naming duration_ms and BIGINT                        |
| played_at-varchar-iso                   | read as that TIMESTAMP; exit 0, every key lands                       |
| duration_ms-text-digits ('215000')      | read as 215000; exit 0                                                |
| track_name-integer (42)                 | read as '42'; exit 0                                                  |
| artist_id-integer (12345)               | read as '12345': not a Spotify id, skipped with a warning, never sent |

Import inputs (``python -m extractors import``). Exports are UTF-8; other bytes are reported, not guessed at:
a wrong guess would silently change every accented name and break matching and de-duplication.

| test_import_input_not_utf8[…]           | (was: DuckDB's message, or "cannot be read with the other files")     |
|-----------------------------------------|-----------------------------------------------------------------------|
| lastfm-csv-cp1252                       | exit 2, one line: file, "row 3 (line 4): byte 0xe9 is not UTF-8       |
|                                         | text", how to convert it (iconv); nothing written                     |
| lastfm-csv-latin1-headerless            | the same, "row 2: byte 0xf6 …"                                        |
| extended-json-invalid-utf8              | the same, "row 2 (line 20): …" (row of the array, line of the file)   |
| listenbrainz-jsonl-invalid-utf8         | the same, "row 3: …"                                                  |
| test_utf8_names_imported_intact         | quotes, commas, accents, CJK, emoji, backslash: imported intact       |
| test_import_file_name_not_utf8          | imported; the report prints the name's own bytes                      |

| test_plays_before_2000_or_in_the_future_are_skipped[…] (was: imported as they are)                              |
|-----------------------------------------------------------------------------------------------------------------|
| lastfm-csv-uts, lastfm-csv-timestamp, lastfm-csv-headerless, extended-json, account-data, listenbrainz-jsonl,   |
| each with plays of 1970-01-01 (a Unix time 0: was "not a time", the whole file refused) and 1999-12-31 23:59    |
| (skipped), 2000-01-01 00:00, 2021 and an hour from now (imported) and 2099 (skipped): the report says "read 6   |
| rows: 3 plays, 3 skipped (date before 2000 2, date in the future 1)", per file too; importing again adds        |
| nothing                                                                                                         |

Long names and injection-looking text:

| test                                    | expected outcome                                                      |
|-----------------------------------------|-----------------------------------------------------------------------|
| test_long_names_imported_intact         | 10,000-character artist and track (JSON and CSV): landed intact       |
| test_long_names_not_searched_by_name    | names over 500 characters are not searched (one warning line, no      |
|                                         | request; was: a 10 kB query); 500 characters and short names are      |
| test_lucene_in_a_name_sent_as_a_phrase  | ``Foo" OR arid:(*`` goes out as the one phrase                        |
|                                         | ``artist:"Foo\" OR arid:(*"``                                         |
| test_isrc_and_mbid_injection_never_sent | ``USRC1') or 1=1; drop table x;--``, ``X) OR isrc:(*``, an MBID       |
|                                         | ``x' or 1=1 --``: filtered by the patterns, never in a request; a     |
|                                         | padded lower-case ISRC is normalised and asked; exit 0, keys land     |
| test_spotify_id_injection_never_sent    | quote and SQL, ``../../v1/me/player``, two ids joined by a comma,     |
|                                         | ``%2F``, a bad track_uri: skipped with a warning showing the text     |
|                                         | (was: '' for a bad uri), never in a request; exit 0, keys land        |
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from extractors.catalog import Catalog
from extractors.config import load_settings
from scripts.devkit.fakes import FakeSpotify
from scripts.devkit.fakes.musicbrainz import FakeMusicBrainz
from scripts.devkit.worlds import MusicBrainzWorld, SpotifyWorld, make_musicbrainz_world, make_spotify_world
from tests.conftest import (
    REPO,
    CliResult,
    landed,
    musicbrainz_env,
    run_cli,
    spotify_env,
    write_history,
)

SPOTIFY_ID = re.compile(r"^[0-9A-Za-z]{22}$")
HISTORY = Path("src") / "tracks_played"


# -- helpers ----------------------------------------------------------------------------------------------
def one_error_line(result: CliResult) -> str:
    """Exit 2 with exactly one stderr line ``error: …`` and no traceback; the line."""
    assert result.returncode == 2, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: "), lines[0]
    return lines[0]


def snapshot(data_dir: Path) -> dict[str, str]:
    """sha256 of every file under src/ and raw/ (the history and everything landed)."""
    files = [p for top in ("src", "raw") for p in sorted((data_dir / top).rglob("*")) if p.is_file()]
    return {str(p.relative_to(data_dir)): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


def assert_kept(data_dir: Path, before: dict[str, str], *put: Path) -> None:
    """Every file of ``before`` is still there, unchanged and readable; nothing was added but the files ``put``."""
    after = snapshot(data_dir)
    assert {k: v for k, v in after.items() if k in before} == before
    assert set(after) - set(before) == {str(p.relative_to(data_dir)) for p in put}
    con = duckdb.connect()
    for name in before:
        if name.endswith(".parquet"):
            con.execute("select count(*) from read_parquet(?)", [str(data_dir / name)]).fetchone()
    con.close()


def env_for(fake_spotify: FakeSpotify, fake_musicbrainz: FakeMusicBrainz, data_dir: Path) -> dict[str, str]:
    """Both fakes configured: every command of the CLI can run."""
    env = spotify_env(fake_spotify, data_dir)
    env.update({k: v for k, v in musicbrainz_env(fake_musicbrainz, data_dir).items() if k.startswith("MUSICBRAINZ_")})
    return env


def import_env() -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("SPOTIFY_", "MUSICBRAINZ_", "OPENWEATHER_"))}
    return {**base, "PYTHONPATH": str(REPO), "LOG_LEVEL": "WARNING"}


def run_import(data_dir: Path, *paths: Path) -> CliResult:
    return run_cli(["import", *map(str, paths), "--data-path", str(data_dir)], import_env(), data_dir.parent)


def history_rows(data_dir: Path, columns: str) -> list[tuple]:
    folder = data_dir / HISTORY
    if not list(folder.glob("*.parquet")):
        return []
    con = duckdb.connect()
    con.execute("set timezone = 'UTC'")
    try:
        query = f"select {columns} from read_parquet('{folder}/*.parquet', union_by_name = true)"
        return con.execute(query).fetchall()
    finally:
        con.close()


def landed_keys(data_dir: Path, endpoint: str, source: str = "spotify") -> set[str]:
    keys = [k for k, _, _ in landed(data_dir, endpoint, source)]
    assert len(keys) == len(set(keys)), f"{endpoint}: a key landed twice"
    return set(keys)


def sent(fake: FakeSpotify | FakeMusicBrainz) -> list[str]:
    """Every request as the server saw it: the raw path and every decoded query value."""
    return [r.path + " " + " ".join(v for values in r.query.values() for v in values) for r in fake.requests]


SMALL = {"n_artists": 8, "n_albums": 4, "seed": 3}


def small_world() -> SpotifyWorld:
    return make_spotify_world(**SMALL)


@pytest.fixture(scope="module")
def landed_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder where a spotify run landed everything of the small world (built once, copied per test)."""
    data_dir = tmp_path_factory.mktemp("template") / "data"
    world = small_world()
    write_history(data_dir, world.plays)
    fake = FakeSpotify()
    fake.entities.update(world.entities())
    fake.start()
    try:
        result = run_cli(["spotify"], spotify_env(fake, data_dir), data_dir.parent)
    finally:
        fake.stop()
    assert result.returncode == 0, result.output
    assert landed_keys(data_dir, "artists") == set(world.artists)
    return data_dir


@pytest.fixture
def landed_world(landed_template: Path, data_dir: Path, fake_spotify: FakeSpotify) -> SpotifyWorld:
    """``data_dir`` holds the small world's history and its landed answers; the fake knows the world."""
    for top in ("src", "raw"):
        shutil.copytree(landed_template / top, data_dir / top)
    world = small_world()
    fake_spotify.entities.update(world.entities())
    return world


# -- history files that cannot be read ----------------------------------------------------------------------
def shown(path: Path) -> str:
    """A path as an error line shows it (stderr escapes bytes that are not UTF-8)."""
    return str(path).encode("utf-8", "backslashreplace").decode()


UNREADABLE = [
    pytest.param("broken.parquet", lambda good: b"", "not a readable parquet file (", id="zero-byte"),
    pytest.param(
        "broken.parquet", lambda good: good[: len(good) // 2], "not a readable parquet file (", id="truncated-half"
    ),
    pytest.param(
        os.fsdecode(b"h\xe9.parquet"), lambda good: good, "the file name is not UTF-8", id="file-name-not-utf8"
    ),
]


@pytest.mark.parametrize("name, damage, message", UNREADABLE)
def test_unreadable_history_file_exits_2(
    name: str,
    damage: Callable[[bytes], bytes],
    message: str,
    landed_world: SpotifyWorld,
    fake_spotify: FakeSpotify,
    fake_musicbrainz: FakeMusicBrainz,
    data_dir: Path,
    tmp_path: Path,
):
    good = (data_dir / HISTORY / "history.parquet").read_bytes()
    before = snapshot(data_dir)
    broken = data_dir / HISTORY / name
    broken.write_bytes(damage(good))
    export = tmp_path / "scrobbles.csv"
    export.write_text("uts,artist,album,track\n1700000000,Abba,Arrival,Dancing Queen\n")
    env = env_for(fake_spotify, fake_musicbrainz, data_dir)
    for args in (["spotify"], ["musicbrainz"], ["status"], ["import", str(export)]):
        line = one_error_line(run_cli(args, env, data_dir.parent))
        assert line.startswith(f"error: {shown(broken)}: {message}"), (args, line)
        assert line.endswith(
            ("replace or remove it and run again", "rename the file (e.g. to plain ASCII) and run again")
        )
        assert_kept(data_dir, before, broken)
    assert fake_spotify.requests == [] and fake_musicbrainz.requests == []


@pytest.mark.parametrize("with_history", [False, True], ids=["alone", "next-to-a-history"])
def test_zero_row_history_file(
    with_history: bool, fake_spotify: FakeSpotify, fake_musicbrainz: FakeMusicBrainz, data_dir: Path
):
    world = small_world()
    fake_spotify.entities.update(world.entities())
    if with_history:
        write_history(data_dir, world.plays)
    write_history(data_dir, [], name="empty.parquet")
    empty = data_dir / HISTORY / "empty.parquet"
    assert duckdb.connect().execute("select count(*) from read_parquet(?)", [str(empty)]).fetchone() == (0,)
    env = env_for(fake_spotify, fake_musicbrainz, data_dir)
    outputs = {}
    for command in ("spotify", "musicbrainz", "status"):
        result = run_cli([command], env, data_dir.parent)
        assert result.returncode == 0, result.output
        assert "Traceback" not in result.output
        outputs[command] = result.stdout
    plays = len(world.plays) if with_history else 0
    assert f"tracks_played: {plays} rows in {2 if with_history else 1} file(s)" in outputs["status"]
    if with_history:
        assert landed_keys(data_dir, "artists") == set(world.artists)
        assert landed_keys(data_dir, "albums") == set(world.albums)
    else:
        assert "spotify: nothing missing; 0 requests" in outputs["spotify"]
        assert fake_spotify.data_requests() == 0 and fake_musicbrainz.data_requests() == 0


# -- wrong column types ---------------------------------------------------------------------------------------
# (id, the bad file's columns as SQL, None if handled, else the words the error line must hold)
TYPE_CASES = [
    ("played_at-varchar-words", "'yesterday' as played_at", ["played_at is VARCHAR", "'yesterday'", "TIMESTAMP (UTC)"]),
    ("played_at-bigint-epoch-ms", "1735689600000::bigint as played_at", ["played_at is BIGINT", "'1735689600000'"]),
    (
        "duration_ms-text-words",
        "timestamp '2025-03-01 12:00' as played_at, '3:35' as duration_ms",
        ["duration_ms is VARCHAR", "'3:35'", "write duration_ms as BIGINT"],
    ),
    ("played_at-varchar-iso", "'2025-03-01 12:00:00' as played_at", None),
    ("duration_ms-text-digits", "timestamp '2025-03-01 12:00' as played_at, '215000' as duration_ms", None),
    ("track_name-integer", "timestamp '2025-03-01 12:00' as played_at, 42 as track_name", None),
    ("artist_id-integer", "timestamp '2025-03-01 12:00' as played_at, 12345::bigint as artist_id", None),
]


def _typed_file(data_dir: Path, columns: str) -> Path:
    path = data_dir / HISTORY / "typed.parquet"
    defaults = {"track_name": "'Bad Song'", "artist": "'Bad Artist'"}
    extra = ", ".join(f"{sql} as {name}" for name, sql in defaults.items() if not re.search(rf"as {name}\b", columns))
    con = duckdb.connect()
    con.execute(f"copy (select {extra}, {columns} from range(3)) to '{path}' (format parquet)")
    con.close()
    return path


@pytest.mark.parametrize("columns, expected", [c[1:] for c in TYPE_CASES], ids=[c[0] for c in TYPE_CASES])
def test_wrong_column_type(
    columns: str,
    expected: list[str] | None,
    landed_template: Path,
    fake_spotify: FakeSpotify,
    data_dir: Path,
):
    world = small_world()
    fake_spotify.entities.update(world.entities())
    env = spotify_env(fake_spotify, data_dir)
    if expected is not None:  # a history whose answers landed before; the bad file comes after
        for top in ("src", "raw"):
            shutil.copytree(landed_template / top, data_dir / top)
        before = snapshot(data_dir)
        bad = _typed_file(data_dir, columns)
        for args in (["spotify"], ["status"]):
            line = one_error_line(run_cli(args, env, data_dir.parent))
            assert line.startswith(f"error: {bad}: column "), line
            assert "3 of its values cannot be read" in line and f"move the file out of {bad.parent}" in line, line
            for words in expected:
                assert words in line, (words, line)
        assert fake_spotify.requests == []
        assert_kept(data_dir, before, bad)
        return

    write_history(data_dir, world.plays)
    _typed_file(data_dir, columns)
    result = run_cli(["spotify"], env, data_dir.parent)
    assert result.returncode == 0, result.output
    assert "Traceback" not in result.output
    assert landed_keys(data_dir, "artists") == set(world.artists)
    assert landed_keys(data_dir, "albums") == set(world.albums)
    assert not any("12345" in s for s in sent(fake_spotify))
    if "artist_id" in columns:
        assert "1 artists ids in tracks_played are not Spotify ids and are skipped (e.g. '12345')" in result.stderr
    # the values as the extractors read them
    catalog = Catalog(load_settings(env={"DATA_DIR": str(data_dir)}))
    try:
        catalog.require_history()
        rows = catalog.con.execute(
            "select track_name, played_at, duration_ms, artist_id from tracks_played where artist = 'Bad Artist'"
        ).fetchall()
    finally:
        catalog.close()
    assert len(rows) == 3
    name, played_at, duration, artist_id = rows[0]
    assert played_at == datetime(2025, 3, 1, 12, 0)
    assert name == ("42" if "track_name" in columns else "Bad Song")
    assert duration == (215000 if "duration_ms" in columns else None)
    assert artist_id == ("12345" if "artist_id" in columns else None)


# -- import: encodings ----------------------------------------------------------------------------------------
LASTFM_HEADER = "uts,utc_time,artist,artist_mbid,album,album_mbid,track,track_mbid\n"


def _extended_row(when: str, track: str, artist: str, n: int) -> dict[str, object]:
    return {
        "ts": when,
        "platform": "android",
        "ms_played": 180000,
        "conn_country": "SE",
        "master_metadata_track_name": track,
        "master_metadata_album_artist_name": artist,
        "master_metadata_album_album_name": "Album",
        "spotify_track_uri": f"spotify:track:{n:022d}",
        "episode_name": None,
        "episode_show_name": None,
        "spotify_episode_uri": None,
    }


def _extended_bytes(rows: list[dict[str, object]]) -> bytes:
    return json.dumps(rows, indent=4, ensure_ascii=False).encode()


def _cp1252_csv(folder: Path) -> Path:
    path = folder / "scrobbles.csv"
    rows = ["1700000000,,Abba,,Arrival,,Dancing Queen,", "1700000300,,Muse,,Drones,,Dead Inside,"]
    rows.append("1700000600,,Beyoncé,,Lemonade,,Formation,")
    path.write_bytes((LASTFM_HEADER + "\n".join(rows) + "\n").encode("cp1252"))
    return path


def _latin1_headerless(folder: Path) -> Path:
    path = folder / "lastfm.csv"
    text = "Abba,Arrival,Dancing Queen,31 Jan 2021 12:34\nBjörk,Homogenic,Jóga,31 Jan 2021 12:40\n"
    path.write_bytes(text.encode("latin-1"))
    return path


def _extended_invalid(folder: Path) -> Path:
    path = folder / "Streaming_History_Audio_2024.json"
    rows = [_extended_row(f"2024-05-23T06:4{i}:10Z", f"SONGMARK{i}", "Artist", i) for i in range(3)]
    data = _extended_bytes(rows).replace(b"SONGMARK1", b"Caf\xe9 \xff")
    path.write_bytes(data)
    return path


def _listenbrainz_invalid(folder: Path) -> Path:
    path = folder / "listens.jsonl"
    listens = [
        {"listened_at": 1700000000 + i * 300, "track_metadata": {"artist_name": "A", "track_name": f"MARK{i}"}}
        for i in range(4)
    ]
    data = "".join(json.dumps(listen) + "\n" for listen in listens).encode()
    path.write_bytes(data.replace(b"MARK2", b"T\xe9"))
    return path


@pytest.mark.parametrize(
    "make, where",
    [
        (_cp1252_csv, "row 3 (line 4): byte 0xe9 is not UTF-8 text"),
        (_latin1_headerless, "row 2: byte 0xf6 is not UTF-8 text"),
        (_extended_invalid, "row 2 (line 20): byte 0xe9 is not UTF-8 text"),  # pretty-printed: 13 lines a row
        (_listenbrainz_invalid, "row 3: byte 0xe9 is not UTF-8 text"),
    ],
    ids=[
        "lastfm-csv-cp1252",
        "lastfm-csv-latin1-headerless",
        "extended-json-invalid-utf8",
        "listenbrainz-jsonl-invalid-utf8",
    ],
)
def test_import_input_not_utf8(make: Callable[[Path], Path], where: str, tmp_path: Path, data_dir: Path):
    write_history(data_dir, [{"track_name": "Old", "artist": "Someone", "played_at": datetime(2010, 1, 1)}])
    before = snapshot(data_dir)
    folder = tmp_path / "in"
    folder.mkdir()
    path = make(folder)
    line = one_error_line(run_import(data_dir, path))
    assert line.startswith(f"error: {path}: {where}; "), line
    assert "must be UTF-8" in line and "iconv" in line and line.endswith("nothing was written"), line
    assert_kept(data_dir, before)


def test_utf8_names_imported_intact(tmp_path: Path, data_dir: Path):
    names = ['Don\'t Stop "Live"', "Björk, Sigur Rós & Friends", "坂本龍一", "🎵 Intro", "AC\\DC Tribute"]
    path = tmp_path / "scrobbles.csv"
    rows = [
        f'{1700000000 + 300 * i},,"{n.replace(chr(34), 2 * chr(34))}",,Album,,"{n.replace(chr(34), 2 * chr(34))}",'
        for i, n in enumerate(names)
    ]
    path.write_text("\ufeff" + LASTFM_HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    result = run_import(data_dir, path)
    assert result.returncode == 0, result.output
    assert sorted(history_rows(data_dir, "artist, track_name")) == sorted((n, n) for n in names)


def test_import_file_name_not_utf8(tmp_path: Path, data_dir: Path):
    folder = tmp_path / "in"
    folder.mkdir()
    name = b"Streaming_History_Audio_\xe9.json"
    with open(os.path.join(os.fsencode(folder), name), "wb") as fh:
        fh.write(_extended_bytes([_extended_row("2024-05-23T06:49:10Z", "Song", "Artist", 1)]))
    # run_cli decodes output as UTF-8: here the report prints the name's own bytes, as a terminal shows them
    proc = subprocess.run(
        [sys.executable, "-m", "extractors", "import", str(folder), "--data-path", str(data_dir)],
        env=import_env(),
        cwd=tmp_path,
        capture_output=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stderr == b""
    assert b"  " + os.fsencode(folder) + b"/" + name + b": 1 row, 1 play\n" in proc.stdout, proc.stdout
    assert b"imported 1 new listen, 0 duplicates ignored" in proc.stdout
    assert history_rows(data_dir, "track_name") == [("Song",)]


# -- import: 1970 and the future ---------------------------------------------------------------------------------
def _times() -> list[datetime]:
    """1970-01-01 and 1999-12-31 23:59 (skipped), 2000-01-01 00:00, 2021, an hour from now (kept), 2099 (skipped)."""
    soon = (datetime.now(UTC) + timedelta(hours=1)).replace(second=0, microsecond=0, tzinfo=None)
    return [
        datetime(1970, 1, 1),
        datetime(1999, 12, 31, 23, 59),
        datetime(2000, 1, 1),
        datetime(2021, 6, 1, 12, 0),
        soon,
        datetime(2099, 1, 1),
    ]


KEPT = slice(2, 5)


def _epoch(when: datetime) -> int:
    return int(when.replace(tzinfo=UTC).timestamp())


def _write_times(fmt: str, folder: Path, times: list[datetime]) -> Path:
    if fmt == "lastfm-csv-uts":
        path = folder / "scrobbles.csv"
        rows = [f'{_epoch(t)},"{t:%d %b %Y, %H:%M}",Artist {i},,Album,,Track {i},' for i, t in enumerate(times)]
        path.write_text(LASTFM_HEADER + "\n".join(rows) + "\n")
    elif fmt == "lastfm-csv-timestamp":  # a Unix time in a "timestamp" column: 1970 is "0"
        path = folder / "scrobbles.csv"
        rows = [f'"Artist {i}","Track {i}","Album","{_epoch(t)}"' for i, t in enumerate(times)]
        path.write_text('"artist","track","album","timestamp"\n' + "\n".join(rows) + "\n")
    elif fmt == "lastfm-csv-headerless":
        path = folder / "lastfm.csv"
        path.write_text("".join(f"Artist {i},Album,Track {i},{t:%d %b %Y %H:%M}\n" for i, t in enumerate(times)))
    elif fmt == "extended-json":
        path = folder / "Streaming_History_Audio_2024.json"
        rows = [_extended_row(f"{t:%Y-%m-%dT%H:%M:%S}Z", f"Track {i}", f"Artist {i}", i) for i, t in enumerate(times)]
        path.write_bytes(_extended_bytes(rows))
    elif fmt == "account-data":
        path = folder / "StreamingHistory_music_0.json"
        rows = [
            {
                "endTime": f"{t:%Y-%m-%d %H:%M}",
                "artistName": f"Artist {i}",
                "trackName": f"Track {i}",
                "msPlayed": 180000,
            }
            for i, t in enumerate(times)
        ]
        path.write_text(json.dumps(rows))
    elif fmt == "listenbrainz-jsonl":
        path = folder / "listens.jsonl"
        path.write_text(
            "".join(
                json.dumps(
                    {
                        "listened_at": _epoch(t),
                        "track_metadata": {"artist_name": f"Artist {i}", "track_name": f"Track {i}"},
                    }
                )
                + "\n"
                for i, t in enumerate(times)
            )
        )
    else:
        raise ValueError(fmt)
    return path


@pytest.mark.parametrize(
    "fmt",
    [
        "lastfm-csv-uts",
        "lastfm-csv-timestamp",
        "lastfm-csv-headerless",
        "extended-json",
        "account-data",
        "listenbrainz-jsonl",
    ],
)
def test_plays_before_2000_or_in_the_future_are_skipped(fmt: str, tmp_path: Path, data_dir: Path):
    times = _times()
    path = _write_times(fmt, tmp_path, times)
    expected_line = "read 6 rows: 3 plays, 3 skipped (date before 2000 2, date in the future 1)"
    first = run_import(data_dir, path)
    assert first.returncode == 0, first.output
    assert expected_line in first.stdout.splitlines(), first.stdout
    assert f"  {path}: 6 rows, 3 plays, 3 skipped (date before 2000 2, date in the future 1)" in first.stdout
    assert "imported 3 new listens, 0 duplicates ignored" in first.stdout
    assert sorted(r[0] for r in history_rows(data_dir, "played_at")) == times[KEPT]
    assert sorted(r[0] for r in history_rows(data_dir, "track_name")) == ["Track 2", "Track 3", "Track 4"]

    again = run_import(data_dir, path)
    assert again.returncode == 0, again.output
    assert expected_line in again.stdout.splitlines()
    assert "imported 0 new listens, 3 duplicates ignored" in again.stdout
    assert len(history_rows(data_dir, "1")) == 3


# -- 10,000-character names --------------------------------------------------------------------------------------
LONG_ARTIST = "Ä" + "long artist name " * 588 + "end"  # 10,000 characters, one of them not ASCII
LONG_TRACK = ('a track, with "quotes" and commas; ' * 286)[:9999] + "!"
assert len(LONG_ARTIST) == len(LONG_TRACK) == 10_000


def test_long_names_imported_intact(tmp_path: Path, data_dir: Path):
    (tmp_path / "in").mkdir()
    extended = tmp_path / "in" / "Streaming_History_Audio_2024.json"
    extended.write_bytes(_extended_bytes([_extended_row("2024-05-23T06:49:10Z", LONG_TRACK, LONG_ARTIST, 1)]))
    csv_path = tmp_path / "in" / "scrobbles.csv"
    quoted_track = '"' + LONG_TRACK.replace('"', '""') + '"'
    csv_path.write_text(LASTFM_HEADER + f"1700000000,,{LONG_ARTIST},,Album,,{quoted_track},\n")
    result = run_import(data_dir, tmp_path / "in")
    assert result.returncode == 0, result.output
    assert "imported 2 new listens" in result.stdout
    rows = history_rows(data_dir, "artist, track_name, play_source")
    assert sorted(r[2] for r in rows) == ["lastfm", "spotify_extended_history"]
    assert all(r[0] == LONG_ARTIST and r[1] == LONG_TRACK for r in rows)


def _mb_history(data_dir: Path, fake: FakeMusicBrainz, extra: list[dict[str, object]]) -> MusicBrainzWorld:
    w = make_musicbrainz_world(n_isrc=6, n_url=2, n_name=2, n_history=1, n_none=1, seed=5, n_cities=4)
    fake.artists.update(w.artists)
    fake.areas.update(w.areas)
    fake.recordings.extend(w.recordings)
    fake.urls.update(w.urls)
    fake.merged.update(w.merged)
    write_history(data_dir, w.plays + extra)
    return w


def world_mbids(world: MusicBrainzWorld) -> set[str]:
    """The artists MusicBrainz must fetch for the world (its truth): those its steps find, those the history names."""
    return {m for m, _ in world.expected.values() if m} | {
        p["artist_mbid"] for p in world.plays if p.get("artist_mbid")
    }


def test_long_names_not_searched_by_name(fake_musicbrainz: FakeMusicBrainz, data_dir: Path):
    at = datetime(2025, 6, 1)
    edge = "n" * 500  # the longest name still searched
    extra = [
        {"track_name": "t1", "artist": LONG_ARTIST, "played_at": at},  # known by name only
        {"track_name": "t2", "artist": "x" * 10_000, "artist_id": "7" * 22, "played_at": at},  # a Spotify artist
        {"track_name": "t3", "artist": edge, "played_at": at},
        {"track_name": "t4", "artist": "Short Name", "played_at": at},
    ]
    world = _mb_history(data_dir, fake_musicbrainz, extra)
    result = run_cli(["musicbrainz"], musicbrainz_env(fake_musicbrainz, data_dir), data_dir.parent)
    assert result.returncode == 0, result.output
    assert "Traceback" not in result.output
    queries = [r.query.get("query", [""])[0] for r in fake_musicbrainz.requests]
    assert not any("long artist name" in q or "xxxxxxxxxx" in q for q in queries)
    assert "musicbrainz: 2 artist names longer than 500 characters are not searched by name" in result.stderr
    # the names searched share one batched query (the 500-character name fits in its 2,000 characters)
    [batch] = [q for q in queries if q.startswith("artist:")]
    assert f'artist:"{edge}"' in batch.split(" OR ") and 'artist:"Short Name"' in batch.split(" OR ")
    searched = landed_keys(data_dir, "artist_search", "musicbrainz")
    assert {"name:short name", f"name:{edge}", "7" * 22} - searched == {"7" * 22}
    assert "7" * 22 in landed_keys(data_dir, "url", "musicbrainz")  # its other steps still ran
    # the rest of the history was matched as usual: exactly the world's artists were fetched
    assert landed_keys(data_dir, "artists", "musicbrainz") == world_mbids(world)


# -- injection-looking ids -----------------------------------------------------------------------------------
def test_lucene_in_a_name_sent_as_a_phrase(fake_musicbrainz: FakeMusicBrainz, data_dir: Path):
    name = 'Foo" OR arid:(*'
    write_history(data_dir, [{"track_name": "t", "artist": name, "played_at": datetime(2025, 1, 1)}])
    result = run_cli(["musicbrainz"], musicbrainz_env(fake_musicbrainz, data_dir), data_dir.parent)
    assert result.returncode == 0, result.output
    searches = [r.query["query"][0] for r in fake_musicbrainz.requests if r.path == "/ws/2/artist"]
    assert searches == ['artist:"Foo\\" OR arid:(*"']
    assert landed(data_dir, "artist_search", "musicbrainz")[0][:2] == ('name:foo" or arid:(*', 404)


BAD_ISRCS = ["USRC1') or 1=1; drop table x;--", "X) OR isrc:(*", "GB-AYE-06-01498"]
BAD_MBID = "x' or 1=1 --"


def test_isrc_and_mbid_injection_never_sent(fake_musicbrainz: FakeMusicBrainz, data_dir: Path):
    at = datetime(2025, 6, 1)
    extra = [
        {
            "track_name": f"i{n}",
            "artist": f"Injected {n}",
            "artist_id": f"{n}" * 22,
            "track_isrc": isrc,
            "played_at": at,
        }
        for n, isrc in enumerate(BAD_ISRCS, 1)
    ]
    extra.append(
        {"track_name": "p", "artist": "Padded", "artist_id": "9" * 22, "track_isrc": " gbaye0601498 ", "played_at": at}
    )
    extra.append({"track_name": "m", "artist": "Injected MBID", "artist_mbid": BAD_MBID, "played_at": at})
    world = _mb_history(data_dir, fake_musicbrainz, extra)
    result = run_cli(["musicbrainz"], musicbrainz_env(fake_musicbrainz, data_dir), data_dir.parent)
    assert result.returncode == 0, result.output
    assert "Traceback" not in result.output and " ERROR " not in result.stderr
    assert f"{len(BAD_ISRCS)} ISRCs in tracks_played are malformed and not asked" in result.stderr
    assert '1 MBIDs in tracks_played are malformed and not asked (e.g. "x\' or 1=1 --")' in result.stderr
    requests = sent(fake_musicbrainz)
    for needle in ("1=1", "drop table", "isrc:(*", "GB-AYE", "--"):
        assert not any(needle in r for r in requests), needle
    good_isrcs = {p["track_isrc"] for p in world.plays if world.expected[p["artist_id"]][1] != "history"}
    assert landed_keys(data_dir, "isrc", "musicbrainz") == good_isrcs | {"GBAYE0601498"}
    # every artist the world knows was still matched and fetched
    artists = landed_keys(data_dir, "artists", "musicbrainz")
    assert artists == world_mbids(world)
    assert all(re.fullmatch(r"[0-9a-f-]{36}", k) for k in artists)
    # the artists with a bad ISRC went on to the URL step instead (no valid ISRC to try)
    # (with the world's artists that no ISRC matched, and the padded one: its ISRC is valid but unknown)
    after_isrc = {key for key, (_, method) in world.expected.items() if method in ("spotify_url", "name_search", None)}
    assert landed_keys(data_dir, "url", "musicbrainz") == after_isrc | {f"{n}" * 22 for n in (1, 2, 3, 9)}


SPOTIFY_INJECTIONS = {
    "artist_id": "0OdUWJ0sBjDrqHygGUXeCF' or 1=1; drop table x;--",
    "track_id": "../../v1/me/player",
    "album_id": "AAAAAAAAAAAAAAAAAAAAAA,BBBBBBBBBBBBBBBBBBBBBB",
    "track_uri": "spotify:track:xyz' OR '1'='1",
}


def test_spotify_id_injection_never_sent(fake_spotify: FakeSpotify, data_dir: Path):
    world = small_world()
    fake_spotify.entities.update(world.entities())
    at = datetime(2025, 6, 1)
    extra = [
        {"track_name": "x", "artist": "y", "played_at": at, column: value}
        for column, value in SPOTIFY_INJECTIONS.items()
    ]
    extra.append({"track_name": "z", "artist": "y", "played_at": at, "artist_id": "4Z8W4fKeB5YxbusRsdQVPb%2F..%2Fme"})
    write_history(data_dir, world.plays + extra)
    result = run_cli(["spotify"], spotify_env(fake_spotify, data_dir), data_dir.parent)
    assert result.returncode == 0, result.output
    assert "Traceback" not in result.output
    assert "2 artists ids in tracks_played are not Spotify ids and are skipped" in result.stderr
    assert "2 tracks ids in tracks_played are not Spotify ids and are skipped (e.g. '../../v1/me/player')" in (
        result.stderr
    )
    assert "1 albums ids in tracks_played are not Spotify ids and are skipped" in result.stderr
    requests = sent(fake_spotify)
    for needle in ("'", "1=1", "drop", "..", "AAAAAAAAAAAAAAAAAAAAAA", "BBBBBBBBBBBBBBBBBBBBBB", "%", "xyz", "player"):
        assert not any(needle in r for r in requests), needle
    assert landed_keys(data_dir, "artists") == set(world.artists)
    assert landed_keys(data_dir, "albums") == set(world.albums)
    for endpoint in ("tracks", "artists", "albums"):
        assert all(SPOTIFY_ID.match(k) for k in landed_keys(data_dir, endpoint))
