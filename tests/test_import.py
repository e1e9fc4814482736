"""``python -m extractors import``: every export format, imported twice, counted exactly; bad input stops the
import with one line naming the file and row, and leaves tracks_played byte-identical; a killed import leaves
the history as before or as after."""

from __future__ import annotations

import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from tests.conftest import REPO, CliResult, run_cli, write_history
from tests.exports import (
    ExportCounts,
    listenbrainz_listen,
    make_tracks,
    write_account_data,
    write_extended_history,
    write_extended_video,
    write_extended_zip,
    write_lastfm_csv,
    write_listenbrainz,
)

READ = re.compile(r"^read (\d+) rows?: (\d+) plays?, (\d+) skipped(?: \((.*)\))?$", re.M)
DONE = re.compile(r"^(?:imported|dry run: would import) (\d+) new plays, (\d+) duplicates ignored", re.M)


def env() -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("SPOTIFY_", "MUSICBRAINZ_", "OPENWEATHER_"))}
    return {**base, "PYTHONPATH": str(REPO), "LOG_LEVEL": "WARNING"}


def run_import(data_dir: Path, *args: object) -> CliResult:
    return run_cli(["import", *map(str, args), "--data-path", str(data_dir)], env(), data_dir.parent)


def parse(result: CliResult) -> dict[str, object]:
    assert result.returncode == 0, result.output
    read, done = READ.search(result.stdout), DONE.search(result.stdout)
    assert read and done, result.stdout
    reasons: Counter[str] = Counter()
    for part in (read.group(4) or "").split(", "):
        if part:
            name, n = part.rsplit(" ", 1)
            reasons[name] = int(n)
    return {
        "rows": int(read.group(1)),
        "plays": int(read.group(2)),
        "skipped": reasons,
        "imported": int(done.group(1)),
        "duplicates": int(done.group(2)),
    }


def history(data_dir: Path, columns: str = "*", where: str = "true") -> list[tuple]:
    folder = data_dir / "src" / "tracks_played"
    if not list(folder.glob("*.parquet")):
        return []
    con = duckdb.connect()
    con.execute("set timezone = 'UTC'")
    try:
        return con.execute(
            f"select {columns} from read_parquet('{folder}/*.parquet', union_by_name = true) where {where}"
        ).fetchall()
    finally:
        con.close()


def folder_hash(data_dir: Path) -> str:
    digest = hashlib.sha256()
    folder = data_dir / "src" / "tracks_played"
    for path in sorted(folder.rglob("*")) if folder.exists() else []:
        digest.update(str(path.relative_to(folder)).encode())
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def assert_imported_twice(data_dir: Path, export: ExportCounts, *paths: object) -> str:
    """The first import adds every new play; the second reads the same and adds nothing. The first's output."""
    output = run_import(data_dir, *paths)
    first = parse(output)
    assert first == {
        "rows": export.rows,
        "plays": export.plays,
        "skipped": export.skipped,
        "imported": export.new_plays,
        "duplicates": export.duplicates,
    }
    assert len(history(data_dir)) == export.new_plays
    files = sorted((data_dir / "src" / "tracks_played").glob("*.parquet"))
    second = parse(run_import(data_dir, *paths))
    assert second == {**first, "imported": 0, "duplicates": export.plays}
    assert sorted((data_dir / "src" / "tracks_played").glob("*.parquet")) == files
    assert len(history(data_dir)) == export.new_plays
    return output.stdout


# -- each format, imported twice ------------------------------------------------------------------------
def test_extended_history_current_older_and_video(tmp_path: Path, data_dir: Path):
    export = tmp_path / "export"
    current = write_extended_history(export, 400, n_files=3, seed=1, keep_plays=True)
    older = write_extended_history(
        export / "old", 150, seed=2, endsong=True, start=datetime(2012, 5, 1, tzinfo=UTC), keep_plays=True
    )
    video = write_extended_video(export, 12, seed=3)
    counts = current.merge(older).merge(video)
    assert counts.skipped["podcast"] and counts.skipped["audiobook"] and counts.skipped["no track metadata"]
    assert older.skipped["audiobook"] == 0  # endsong files have no audiobook_* fields
    assert_imported_twice(data_dir, counts, export)

    rows = history(data_dir, "track_id, track_uri, played_at, user_id, play_source, duration_ms")
    assert {(r[0], r[2].replace(tzinfo=UTC)) for r in rows} == set(current.plays_at + older.plays_at)
    assert all(r[1] == f"spotify:track:{r[0]}" and r[4] == "spotify_extended_history" for r in rows)
    assert all(r[5] is None for r in rows)  # ms_played is not the track's length
    users = Counter(r[3] for r in rows)
    assert users == {None: current.plays, "listener42": older.plays}  # endsong's username


def test_extended_history_row_fields_and_offline_timestamp_units(tmp_path: Path, data_dir: Path):
    raw = json.loads(next(iter(write_extended_history(tmp_path, 200, seed=5).files)).read_text())
    older = json.loads(write_extended_history(tmp_path / "o", 200, seed=6, endsong=True).files[0].read_text())
    # the generator's quirks are the real ones
    assert {"username", "ip_addr_decrypted", "user_agent_decrypted"} <= older[0].keys()
    assert not any(k.startswith("audiobook_") for k in older[0]) and "audiobook_uri" in raw[0]
    assert {r["skipped"] for r in older} == {None} and {r["skipped"] for r in raw} == {True, False}
    seconds = [r["offline_timestamp"] for r in raw if r["offline_timestamp"]]
    millis = [r["offline_timestamp"] for r in older if r["offline_timestamp"]]
    assert all(1e9 < v < 1e11 for v in seconds) and all(1e12 < v < 1e14 for v in millis)

    # both units normalise to the same kind of time, close to the play's start (``ts`` minus ``ms_played``)
    from extractors.importers.formats import epoch_to_timestamp

    con = duckdb.connect()

    def normalised(value: object) -> datetime:
        row = con.execute(f"select {epoch_to_timestamp('v')} from (select ?::varchar as v)", [str(value)]).fetchone()
        assert row
        return row[0]

    assert normalised(1716446730) == datetime(2024, 5, 23, 6, 45, 30)  # seconds (2024 row)
    assert normalised(1572964071330) == datetime(2019, 11, 5, 14, 27, 51, 330000)  # milliseconds (endsong row)
    for row in raw + older:
        if row["offline_timestamp"]:
            at = normalised(row["offline_timestamp"])
            end = datetime.fromisoformat(row["ts"].replace("Z", "+00:00")).replace(tzinfo=None)
            assert abs((end - at).total_seconds() - row["ms_played"] / 1000) < 10


def test_extended_history_zip_with_readme_pdf_and_video(tmp_path: Path, data_dir: Path):
    archive = tmp_path / "my_spotify_data.zip"
    counts = write_extended_zip(archive, 300, n_files=2, seed=7, video_rows=9)
    assert counts.skipped["video"] == 9
    output = assert_imported_twice(data_dir, counts, archive)
    assert "ReadMeFirst_ExtendedStreamingHistory.pdf: a PDF document" in output
    assert f"{archive}:Spotify Extended Streaming History/Streaming_History_Video_" in output


def test_account_data_music_and_podcasts(tmp_path: Path, data_dir: Path):
    counts = write_account_data(
        tmp_path / "MyData", 120, 15, seed=8, per_file=50, repeat_in_same_minute=3, unknown_tracks=2
    )
    assert len(counts.files) == 4 and counts.duplicates == 3
    assert_imported_twice(data_dir, counts, tmp_path / "MyData")
    rows = history(data_dir, "play_source, track_id, user_id, second(played_at)")
    assert {r[0] for r in rows} == {"spotify_account_data"}
    assert {(r[1], r[2], r[3]) for r in rows} == {(None, None, 0)}  # no ids; endTime has minutes


@pytest.mark.parametrize("layout", ["array", "jsonl", "zip"])
def test_listenbrainz_exports(tmp_path: Path, data_dir: Path, layout: str):
    path = tmp_path / {"array": "listens.json", "jsonl": "listens.jsonl", "zip": "export.zip"}[layout]
    counts = write_listenbrainz(path, 90, seed=9, layout=layout)
    assert_imported_twice(data_dir, counts, path)
    rows = history(data_dir, "track_id, track_uri, track_isrc, artist_mbid, duration_ms, album, play_source")
    assert {r[6] for r in rows} == {"listenbrainz"}
    # every third listen has no Spotify id, every second an ISRC, three in four an MBID mapping
    assert sum(r[0] is not None for r in rows) == 60 and all(r[1] == f"spotify:track:{r[0]}" for r in rows if r[0])
    assert sum(r[2] is not None for r in rows) == 45
    assert sum(r[3] is not None for r in rows) == 67
    assert all(r[4] and r[5] for r in rows)


@pytest.mark.parametrize("header", [True, False])
def test_lastfm_csv(tmp_path: Path, data_dir: Path, header: bool):
    counts = write_lastfm_csv(tmp_path / "scrobbles.csv", 80, seed=10, header=header)
    assert_imported_twice(data_dir, counts, tmp_path / "scrobbles.csv")
    rows = history(data_dir, "artist_mbid, album, play_source, played_at")
    assert {r[2] for r in rows} == {"lastfm"}
    assert sum(r[0] is not None for r in rows) == (53 if header else 0)  # empty artist_mbid is null
    assert min(r[3] for r in rows) > datetime(2012, 2, 1)


def test_format_comes_from_content_not_name(tmp_path: Path, data_dir: Path):
    ext = write_extended_history(tmp_path, 50, seed=11).files[0].rename(tmp_path / "history.csv")
    lfm = write_lastfm_csv(tmp_path / "scrobbles.json", 20, seed=12).files[0]
    result = run_import(data_dir, ext, lfm)
    assert "Spotify Extended Streaming History: 1 file" in result.stdout
    assert "Last.fm scrobbles (CSV): 1 file, 20 rows" in result.stdout


# -- several formats together ---------------------------------------------------------------------------
def test_the_same_play_from_two_formats_is_counted_once(tmp_path: Path, data_dir: Path):
    tracks = make_tracks(30, seed=13)
    ext = write_extended_history(tmp_path / "spotify", 60, seed=13, tracks=tracks, mix={"music": 1.0}, keep_plays=True)
    by_id = {t.id: t for t in tracks}
    # ListenBrainz saw the first 20 of the same plays (same track id, same second) and 5 of its own
    same = [listenbrainz_listen(by_id[tid], when) for tid, when in ext.plays_at[:20]]
    own = [
        listenbrainz_listen(t, datetime(2024, 1, 1, 12, i, tzinfo=UTC), spotify=False) for i, t in enumerate(tracks[:5])
    ]
    lb = write_listenbrainz(tmp_path / "lb" / "listens.jsonl", 0, layout="jsonl", listens=same + own)
    result = parse(run_import(data_dir, tmp_path / "spotify", tmp_path / "lb"))
    assert result["plays"] == ext.plays + lb.plays
    assert (result["imported"], result["duplicates"]) == (ext.plays + 5, 20)
    assert len(history(data_dir)) == ext.plays + 5
    # imported again in the other order, nothing new
    again = parse(run_import(data_dir, tmp_path / "lb", tmp_path / "spotify"))
    assert (again["imported"], again["duplicates"]) == (0, ext.plays + lb.plays)


def test_user_id_option_fills_only_missing_users(tmp_path: Path, data_dir: Path):
    write_extended_history(tmp_path / "x", 40, seed=14, mix={"music": 1.0})
    write_extended_history(tmp_path / "x" / "old", 40, seed=15, endsong=True, mix={"music": 1.0}, username="olduser")
    parse(run_import(data_dir, tmp_path / "x", "--user-id", "me"))
    assert Counter(r[0] for r in history(data_dir, "user_id")) == {"me": 40, "olduser": 40}


def test_dry_run_reports_and_writes_nothing(tmp_path: Path, data_dir: Path):
    counts = write_listenbrainz(tmp_path / "l.json", 30, seed=16)
    dry = run_import(data_dir, tmp_path / "l.json", "--dry-run")
    assert parse(dry)["imported"] == 30 and "nothing written" in dry.stdout
    assert not (data_dir / "src" / "tracks_played").exists() or not history(data_dir)
    parse(run_import(data_dir, tmp_path / "l.json"))
    before = folder_hash(data_dir)
    again = parse(run_import(data_dir, tmp_path / "l.json", "--dry-run"))
    assert (again["imported"], again["duplicates"]) == (0, counts.plays)
    assert folder_hash(data_dir) == before


# -- bad input: exit 2, one line naming file (and row), nothing written -----------------------------------
@pytest.fixture
def existing(data_dir: Path) -> str:
    write_history(data_dir, [{"track_name": "Old", "artist": "Someone", "played_at": datetime(2010, 1, 1)}])
    return folder_hash(data_dir)


def one_error_line(result: CliResult) -> str:
    assert result.returncode == 2, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.mark.parametrize(
    "name, content, why",
    [
        ("Userdata.json", '{"username": "x", "email": "a@b.c", "country": "SE"}', "JSON rows with keys username"),
        ("Playlist1.json", '[{"name": "My list", "items": []}]', "JSON rows with keys name, items"),
        ("notes.txt", "just some text\nnothing else\n", "neither JSON nor a CSV"),
        ("other.csv", "id,value\n1,2\n", "not a Last.fm header"),
        ("empty.json", "", "an empty file"),
    ],
)
def test_unrecognised_file_exits_2_naming_it(tmp_path: Path, data_dir: Path, existing: str, name, content, why):
    write_listenbrainz(tmp_path / "in" / "good.json", 10, seed=17)
    (tmp_path / "in" / name).write_text(content)
    line = one_error_line(run_import(data_dir, tmp_path / "in"))
    assert line.startswith(f"error: {tmp_path / 'in' / name}: not a listening history") and why in line, line
    assert folder_hash(data_dir) == existing


def test_truncated_file_exits_2_naming_it(tmp_path: Path, data_dir: Path, existing: str):
    files = write_extended_history(tmp_path / "in", 300, n_files=3, seed=18).files
    data = files[1].read_bytes()
    files[1].write_bytes(data[: len(data) // 2])
    line = one_error_line(run_import(data_dir, tmp_path / "in"))
    assert line.startswith(f"error: {files[1]}: row ") and "truncated" in line, line
    assert folder_hash(data_dir) == existing


def test_not_json_after_a_good_start_exits_2(tmp_path: Path, data_dir: Path, existing: str):
    path = tmp_path / "x.jsonl"
    good = json.dumps(listenbrainz_listen(make_tracks(1)[0], datetime(2024, 1, 1, tzinfo=UTC)))
    path.write_text(good + "\n" + good + "\n{not json\n")
    line = one_error_line(run_import(data_dir, path))
    assert line.startswith(f"error: {path}: row 3: "), line
    assert folder_hash(data_dir) == existing


def _extended_with(tmp_path: Path, row: int, **changes: object) -> Path:
    path = write_extended_history(tmp_path / "in", 30, seed=19, mix={"music": 1.0}).files[0]
    rows = json.loads(path.read_text())
    rows[row - 1].update(changes)
    path.write_text(json.dumps(rows))
    return path


@pytest.mark.parametrize(
    "make, row, message",
    [
        (lambda p: _extended_with(p, 17, ts="yesterday"), "row 17", "ts 'yesterday' is not an ISO-8601"),
        (
            lambda p: _extended_with(p, 5, master_metadata_track_name=None),
            "row 5",
            "without master_metadata_track_name",
        ),
        (lambda p: _extended_with(p, 30, ts=None), "row 30", "ts missing is not"),
        (lambda p: _extended_with(p, 2, ts=12), "row 2", "ts '12'"),
    ],
)
def test_malformed_extended_row_exits_2_naming_file_and_row(
    tmp_path: Path, data_dir: Path, existing: str, make, row, message
):
    path = make(tmp_path)
    line = one_error_line(run_import(data_dir, tmp_path / "in"))
    assert line.startswith(f"error: {path}: {row}: ") and message in line and "nothing was written" in line, line
    assert folder_hash(data_dir) == existing


def test_malformed_rows_in_other_formats(tmp_path: Path, data_dir: Path, existing: str):
    lb = write_listenbrainz(tmp_path / "lb.jsonl", 10, seed=20, layout="jsonl").files[0]
    lines = lb.read_text().splitlines()
    bad = json.loads(lines[6])
    bad["listened_at"] = "soon"
    lines[6] = json.dumps(bad)
    lb.write_text("\n".join(lines) + "\n")
    line = one_error_line(run_import(data_dir, lb))
    assert line.startswith(f"error: {lb}: row 7: listened_at 'soon' is not a Unix time"), line

    csv_path = write_lastfm_csv(tmp_path / "s.csv", 10, seed=21, header=False).files[0]
    rows = csv_path.read_text().splitlines()
    rows[3] = rows[3].rsplit(",", 1)[0] + ",31 Febtember 2021"
    csv_path.write_text("\n".join(rows) + "\n")
    line = one_error_line(run_import(data_dir, csv_path))
    assert line.startswith(f"error: {csv_path}: row 4: date '31 Febtember 2021' is not a time"), line

    header = write_lastfm_csv(tmp_path / "h.csv", 10, seed=22).files[0]
    rows = header.read_text().splitlines()
    rows[2] = "1328107769,x,,,album,,track,"  # data row 2, line 3: no artist
    header.write_text("\n".join(rows) + "\n")
    line = one_error_line(run_import(data_dir, header))
    assert line.startswith(f"error: {header}: row 2 (line 3): a scrobble without an artist"), line

    account = write_account_data(tmp_path / "acc", 10, seed=23).files[0]
    data = json.loads(account.read_text())
    data[8]["endTime"] = "2019-13-45 99:99"
    account.write_text(json.dumps(data))
    line = one_error_line(run_import(data_dir, account))
    assert line.startswith(f"error: {account}: row 9: endTime '2019-13-45 99:99'"), line
    assert folder_hash(data_dir) == existing


def test_help_explains_the_formats(data_dir: Path):
    result = run_cli(["import", "--help"], env(), data_dir.parent)
    assert result.returncode == 0
    for needle in (
        "Streaming_History_Audio_",
        "endsong_",
        "StreamingHistory_music_",
        "ListenBrainz",
        "Last.fm",
        "--dry-run",
        "--user-id",
        "--data-path",
    ):
        assert needle in result.stdout, needle


# -- a killed import ------------------------------------------------------------------------------------
def _start(command: list[str], cwd: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(command, env=env(), cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


@pytest.mark.slow
def test_sigkill_leaves_no_half_file_and_the_next_run_sweeps_tmp(tmp_path: Path, data_dir: Path):
    counts = write_extended_history(tmp_path / "in", 60_000, n_files=4, seed=24)
    folder = data_dir / "src" / "tracks_played"
    command = [sys.executable, "-m", "extractors", "import", str(tmp_path / "in"), "--data-path", str(data_dir)]

    # killed at various moments: the history is empty or complete, never in between
    for delay in (0.2, 0.4, 0.6, 0.8, 1.0, 1.5):
        proc = _start(command, tmp_path)
        time.sleep(delay)
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
        proc.wait()
        parquet = list(folder.glob("*.parquet"))
        assert len(parquet) <= 1
        assert len(history(data_dir)) == (counts.new_plays if parquet else 0)
        for path in parquet:  # start the next attempt from an empty history
            path.unlink()

    # killed while it writes its file (as soon as the temporary file appears): a .tmp left, and no history
    for _ in range(10):
        for path in folder.iterdir() if folder.is_dir() else []:
            path.unlink()
        proc = _start(command, tmp_path)
        while proc.poll() is None and not (folder.is_dir() and any(p.suffix == ".tmp" for p in folder.iterdir())):
            pass
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        if not list(folder.glob("*.parquet")):
            break
    else:
        pytest.fail("never caught the import while it wrote its file")
    assert [p.name for p in folder.iterdir()] and all(p.suffix == ".tmp" for p in folder.iterdir())
    assert history(data_dir) == []
    status = run_cli(["status", "--data-path", str(data_dir)], env(), tmp_path)
    assert "tracks_played: 0 rows in 0 file(s)" in status.stdout, status.output  # the .tmp is not history

    # the next import removes the half-written file and imports everything, once
    final = run_import(data_dir, tmp_path / "in")
    assert "removed 1 half-written file left by an interrupted import" in final.stdout
    assert parse(final)["imported"] == counts.new_plays
    assert len(history(data_dir)) == counts.new_plays
    assert [p.suffix for p in folder.iterdir()] == [".parquet"]


# -- the pieces, directly -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "layout, content, expected",
    [
        ("array", '[{"a": 1}, {"a": 2}, {"a": ', "row 3: the file ends in the middle of the row (truncated)"),
        ("array", '[{"a": 1}, {x}, {"a": 2}]', "row 2: not valid JSON"),
        ("array", '[{"a": 1}, 3]', "row 2: a number, not a JSON object"),
        ("array", '[{"a": 1} {"a": 2}]', "row 1: expected ',' or ']' after the row"),
        ("array", '[{"a": 1}, {"a": 2}', "row 2: the file ends after the row, without the closing ']' (truncated)"),
        ("array", '[{"a": 1}]', None),
        ("newline_delimited", '{"a": 1}\n\n{"a": 2}\n{nope\n', "row 3 (line 4): not valid JSON"),
        ("newline_delimited", '{"a": 1}\n["a"]\n', "row 2: a list, not a JSON object"),
    ],
)
def test_locating_the_bad_row_of_a_damaged_json_file(tmp_path: Path, layout: str, content: str, expected):
    from extractors.importers.locate import locate_json_error

    path = tmp_path / "f.json"
    path.write_text(content)
    found = locate_json_error(path, layout)
    assert found == expected if expected is None else (found or "").startswith(expected), found


@pytest.mark.parametrize(
    "content, expected",
    [
        ('[\n  {"ts": "2024-05-23T06:49:10Z", "ms_played": 1}]', ("spotify_extended_history", "array")),
        (
            '[{"endTime": "2019-03-04 21:23", "artistName": "a", "trackName": "t", "msPlayed": 1}]',
            ("spotify_account_data", "array"),
        ),
        (
            '[{"endTime": "2019-03-04 21:23", "podcastName": "p", "episodeName": "e", "msPlayed": 1}]',
            ("spotify_account_data", "array"),
        ),
        ('{"listened_at": 1, "track_metadata": {}}\n', ("listenbrainz", "newline_delimited")),
        ("\ufeffuts,utc_time,artist,album,track\n", ("lastfm", "csv")),
        ("Artist;Album;Track;Date\n", ("lastfm", "csv")),  # a header, ';'-separated
        ("id,value\n1,2\n", None),
        ("a,b,c,31 Jan 2021 12:34\n", ("lastfm", "csv")),
        ("[]", "an empty JSON array"),
        ('{"user_id": 1, "username": "x"}', "ListenBrainz user details (user.json)"),
        ("%PDF-1.4", "a PDF document"),
    ],
)
def test_detection_by_content(tmp_path: Path, content: str, expected):
    from extractors.importers.detect import Detected, Ignored, Unrecognised, detect

    path = tmp_path / "no-hint-in-the-name"
    path.write_text(content)
    found = detect(path)
    if expected is None:
        assert isinstance(found, Unrecognised)
    elif isinstance(expected, str):
        assert isinstance(found, Ignored) and found.why == expected
    else:
        assert isinstance(found, Detected) and (found.format, found.layout) == expected
