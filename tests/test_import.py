"""``python -m extractors import``: every export format, imported twice, counted exactly, each listen with the
facts its source gives; malformed rows skipped and named (``--strict``: they stop the import); folders and zips
as Spotify ships them, their other files left out; bad input stops the import with one line naming the file
and row, and leaves tracks_played byte-identical; a killed import leaves the history as before or as after."""

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
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from scripts.devkit.exports import (
    EXACT_MS,
    REASONS_START,
    ExportCounts,
    listenbrainz_listen,
    make_tracks,
    write_account_data,
    write_account_package,
    write_extended_history,
    write_extended_video,
    write_extended_zip,
    write_lastfm_csv,
    write_librefm_csv,
    write_listenbrainz,
)
from tests.conftest import REPO, CliResult, run_cli, write_history

READ = re.compile(
    r"^read (\d+) rows?: (\d+) plays?(?:, (\d+) listens? under 30 s \(kept; not counted as plays\))?, (\d+) skipped"
    r"(?: \((.*)\))?$",
    re.M,
)
DONE = re.compile(r"^(?:imported|dry run: would import) (\d+) new listens?, (\d+) duplicates? ignored", re.M)
FACTS = (
    "ms_played, started_at, reason_start, reason_end, skipped, shuffle, offline, platform, conn_country, source_user"
)


def env(**extra: str) -> dict[str, str]:
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SPOTIFY_", "MUSICBRAINZ_", "OPENWEATHER_")) and k != "USER_ID"
    }
    return {**base, "PYTHONPATH": str(REPO), "LOG_LEVEL": "WARNING", **extra}


def run_import(data_dir: Path, *args: object, **extra_env: str) -> CliResult:
    return run_cli(["import", *map(str, args), "--data-path", str(data_dir)], env(**extra_env), data_dir.parent)


def parse(result: CliResult) -> dict[str, object]:
    assert result.returncode == 0, result.output
    read, done = READ.search(result.stdout), DONE.search(result.stdout)
    assert read and done, result.stdout
    reasons: Counter[str] = Counter()
    for part in (read.group(5) or "").split(", "):
        if part:
            name, n = part.rsplit(" ", 1)
            reasons[name] = int(n)
    assert sum(reasons.values()) == int(read.group(4)), result.stdout
    return {
        "rows": int(read.group(1)),
        "plays": int(read.group(2)),
        "short": int(read.group(3) or 0),
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


def expected(export: ExportCounts) -> dict[str, object]:
    """The counts the report must give for ``export`` imported into an empty history."""
    return {
        "rows": export.rows,
        "plays": export.counted_plays,
        "short": export.short,
        "skipped": export.skipped,
        "imported": export.new_plays,
        "duplicates": export.duplicates,
    }


def assert_imported_twice(data_dir: Path, export: ExportCounts, *paths: object) -> str:
    """The first import adds every new listen; the second reads the same and adds nothing. The first's output."""
    output = run_import(data_dir, *paths)
    first = parse(output)
    assert first == expected(export)
    assert len(history(data_dir)) == export.new_plays
    files = sorted((data_dir / "src" / "tracks_played").glob("*.parquet"))
    second = parse(run_import(data_dir, *paths))
    assert second == {**first, "imported": 0, "duplicates": export.plays}
    assert sorted((data_dir / "src" / "tracks_played").glob("*.parquet")) == files
    assert len(history(data_dir)) == export.new_plays
    return output.stdout


def _utc(value: datetime | None) -> datetime | None:
    return None if value is None else value.replace(tzinfo=None)


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
    assert (counts.skipped["incognito"], counts.short) == (5, 42)  # incognito rows skipped; short listens kept
    assert older.skipped["audiobook"] == 0  # endsong files have no audiobook_* fields
    assert_imported_twice(data_dir, counts, export)

    rows = history(data_dir, f"track_id, track_uri, played_at, user_id, play_source, duration_ms, {FACTS}")
    assert {(r[0], _utc(r[2])) for r in rows} == {(t, _utc(w)) for t, w in current.plays_at + older.plays_at}
    assert all(r[1] == f"spotify:track:{r[0]}" and r[4] == "spotify_extended_history" for r in rows)
    assert all(r[5] is None for r in rows)  # ms_played is not the track's length
    assert Counter(r[3] for r in rows) == {"me": counts.plays}  # the person, whatever the export's username
    # every listen's own facts: how long, when it began (offline_timestamp, else ts - ms_played), who, offline
    listens = {(x.track_id, x.played_at): x for x in current.listens + older.listens}
    got = {(r[0], _utc(r[2])): (r[6], _utc(r[7]), r[15], r[12]) for r in rows}
    assert got == {k: (x.ms_played, x.started_at, x.source_user, x.offline) for k, x in listens.items()}
    assert {0, 29_999, 30_000} <= {r[6] for r in rows} and set(EXACT_MS.values()) == {0, 29_999, 30_000}
    assert sum(r[6] < 30_000 for r in rows) == counts.short
    offline = [x for x in listens.values() if x.offline]
    assert len(offline) == 47 and all(x.played_at - x.started_at > timedelta(hours=1) for x in offline)
    # endsong's username on three rows in four, "" on the others: one person, the name kept as source_user
    assert Counter(r[15] for r in rows) == {None: current.plays + 34, "listener42": older.plays - 34}
    assert {r[8] for r in rows} <= set(REASONS_START) and {r[14] for r in rows} == {"SG"}
    assert {r[10] for r in rows if r[15] is not None} == {None}  # endsong: skipped is null


def test_extended_history_row_fields_and_offline_timestamp_units(tmp_path: Path, data_dir: Path):
    raw = json.loads(next(iter(write_extended_history(tmp_path, 200, seed=5).files)).read_text())
    older = json.loads(write_extended_history(tmp_path / "o", 200, seed=6, endsong=True).files[0].read_text())
    # the generator's quirks are the real ones
    assert {"username", "ip_addr_decrypted", "user_agent_decrypted"} <= older[0].keys()
    assert not any(k.startswith("audiobook_") for k in older[0]) and "audiobook_uri" in raw[0]
    assert {r["skipped"] for r in older} == {None} and {r["skipped"] for r in raw} == {True, False}
    assert {r["username"] for r in older} == {"listener42", ""}
    assert {r["incognito_mode"] for r in raw} == {True, False}
    assert 0 in {r["offline_timestamp"] for r in older} and None in {r["offline_timestamp"] for r in raw}
    seconds = [r["offline_timestamp"] for r in raw if r["offline_timestamp"]]
    millis = [r["offline_timestamp"] for r in older if r["offline_timestamp"]]
    assert all(1e9 < v < 1e11 for v in seconds) and all(1e12 < v < 1e14 for v in millis)

    # both units normalise to the same kind of time: the listen's start, close to ``ts`` minus ``ms_played`` for
    # an online listen, hours to a year before ``ts`` for an offline one (``ts`` is when it was synced)
    from extractors.queries import macro

    con = duckdb.connect()

    def normalised(value: object) -> datetime:
        sql = f"select {macro('epoch_to_timestamp', 'v')} from (select ?::varchar as v)"
        row = con.execute(sql, [str(value)]).fetchone()
        assert row
        return row[0]

    assert normalised(1716446730) == datetime(2024, 5, 23, 6, 45, 30)  # seconds (2024 row)
    assert normalised(1572964071330) == datetime(2019, 11, 5, 14, 27, 51, 330000)  # milliseconds (endsong row)
    assert normalised(1e20) is None and normalised("soon") is None  # out of range or not a number: no error
    for row in raw + older:
        if row["offline_timestamp"]:
            at = normalised(row["offline_timestamp"])
            end = datetime.fromisoformat(row["ts"].replace("Z", "+00:00")).replace(tzinfo=None)
            gap = (end - at).total_seconds() - row["ms_played"] / 1000
            assert gap > 3000 if row["offline"] else abs(gap) < 10


def _facts_rows() -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    """An endsong file and a current file whose rows each carry one quirk, and what each must become."""
    base = {
        "platform": "Android OS 9 API 28 (samsung, SM-G960F)",
        "ms_played": 215000,
        "conn_country": "DE",
        "ip_addr_decrypted": "10.0.0.1",
        "user_agent_decrypted": "unknown",
        "master_metadata_track_name": "Jóga",
        "master_metadata_album_artist_name": "Björk",
        "master_metadata_album_album_name": "Homogenic",
        "spotify_track_uri": "spotify:track:1C3wXbQDP3Gw1jXN5lNFrr",
        "episode_name": None,
        "episode_show_name": None,
        "spotify_episode_uri": None,
        "reason_start": "clickrow",
        "reason_end": "trackdone",
        "shuffle": 1,
        "skipped": 0,
        "offline": False,
        "offline_timestamp": 0,
        "incognito_mode": False,
    }
    endsong = [
        # listened offline on 2023-03-19 (offline_timestamp, ms), synced 2024-04-20 (ts)
        {**base, "ts": "2024-04-20T08:15:02Z", "username": "listener42", "offline": True,
         "offline_timestamp": 1679212800000},
        # skipped at once; offline_timestamp 0 means unknown: ts - 0 ms; username empty on this row
        {**base, "ts": "2024-04-20T09:00:00Z", "username": "", "ms_played": 0, "skipped": 1, "shuffle": 0,
         "reason_end": "fwdbtn"},
        # one millisecond short of 30 s: 09:05:00 - 29.999 s, cut to the second
        {**base, "ts": "2024-04-20T09:05:00Z", "username": "listener42", "ms_played": 29999, "skipped": None,
         "offline_timestamp": None},
        # exactly 30 s, and no offline_timestamp field at all
        {k: v for k, v in {**base, "ts": "2024-04-20T09:10:00Z", "username": "listener42", "ms_played": 30000}.items()
         if k != "offline_timestamp"},
        # a private session: skipped, counted
        {**base, "ts": "2024-04-20T09:20:00Z", "username": "listener42", "incognito_mode": True},
        # offline_timestamp after ts is not a start: ts - ms_played
        {**base, "ts": "2024-04-20T10:00:00Z", "username": "listener42", "ms_played": 60000,
         "offline_timestamp": 1713607500000},
    ]  # fmt: skip
    current = [
        {
            **{k: v for k, v in base.items() if not k.endswith("_decrypted")},
            "ip_addr": "38.150.1.2",
            "ts": "2024-05-23T06:49:10Z",
            "ms_played": 220000,
            "conn_country": "SE",
            "platform": "ios",
            "shuffle": False,
            "skipped": False,
            "offline_timestamp": 1716446730,  # seconds: 06:45:30
            "audiobook_title": None,
            "audiobook_uri": None,
            "audiobook_chapter_uri": None,
            "audiobook_chapter_title": None,
        }
    ]
    return endsong, current


def test_extended_listen_facts_land_exactly(tmp_path: Path, data_dir: Path):
    endsong, current = _facts_rows()
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "endsong_0.json").write_text(json.dumps(endsong, indent=2))
    (tmp_path / "in" / "Streaming_History_Audio_2024_1.json").write_text(json.dumps(current, indent=4))
    result = run_import(data_dir, tmp_path / "in")
    counts = parse(result)
    assert counts == {
        "rows": 7,
        "plays": 4,
        "short": 2,
        "skipped": Counter({"incognito": 1}),
        "imported": 6,
        "duplicates": 0,
    }
    assert (
        f"  {tmp_path / 'in' / 'endsong_0.json'}: 6 rows, 3 plays, 2 listens under 30 s, 1 skipped (incognito 1)"
        in (result.stdout.splitlines())
    )
    assert "read 7 rows: 4 plays, 2 listens under 30 s (kept; not counted as plays), 1 skipped (incognito 1)" in (
        result.stdout.splitlines()
    )
    rows = history(data_dir, f"played_at, user_id, track_id, {FACTS}")
    common = ("me", "1C3wXbQDP3Gw1jXN5lNFrr")
    assert sorted(rows) == [
        (datetime(2024, 4, 20, 8, 15, 2), *common, 215000, datetime(2023, 3, 19, 8, 0), "clickrow", "trackdone",
         False, True, True, "Android OS 9 API 28 (samsung, SM-G960F)", "DE", "listener42"),
        (datetime(2024, 4, 20, 9, 0), *common, 0, datetime(2024, 4, 20, 9, 0), "clickrow", "fwdbtn",
         True, False, False, "Android OS 9 API 28 (samsung, SM-G960F)", "DE", None),
        (datetime(2024, 4, 20, 9, 5), *common, 29999, datetime(2024, 4, 20, 9, 4, 30), "clickrow", "trackdone",
         None, True, False, "Android OS 9 API 28 (samsung, SM-G960F)", "DE", "listener42"),
        (datetime(2024, 4, 20, 9, 10), *common, 30000, datetime(2024, 4, 20, 9, 9, 30), "clickrow", "trackdone",
         False, True, False, "Android OS 9 API 28 (samsung, SM-G960F)", "DE", "listener42"),
        (datetime(2024, 4, 20, 10, 0), *common, 60000, datetime(2024, 4, 20, 9, 59), "clickrow", "trackdone",
         False, True, False, "Android OS 9 API 28 (samsung, SM-G960F)", "DE", "listener42"),
        (datetime(2024, 5, 23, 6, 49, 10), *common, 220000, datetime(2024, 5, 23, 6, 45, 30), "clickrow",
         "trackdone", False, False, False, "ios", "SE", None),
    ]  # fmt: skip


def test_extended_history_zip_with_readme_pdf_and_video(tmp_path: Path, data_dir: Path):
    archive = tmp_path / "my_spotify_data.zip"
    counts = write_extended_zip(archive, 300, n_files=2, seed=7, video_rows=9)
    assert counts.skipped["video"] == 9
    output = assert_imported_twice(data_dir, counts, archive)
    folder = f"{archive}:Spotify Extended Streaming History"
    assert f"left out: {folder}/ReadMeFirst_ExtendedStreamingHistory.pdf (a PDF document)" in output.splitlines()
    assert f"{folder}/Streaming_History_Video_" in output


def test_account_data_music_and_podcasts(tmp_path: Path, data_dir: Path):
    counts = write_account_data(
        tmp_path / "MyData", 120, 15, seed=8, per_file=50, repeat_in_same_minute=3, copies=3, unknown_tracks=2
    )
    assert len(counts.files) == 4 and counts.duplicates == 3
    assert_imported_twice(data_dir, counts, tmp_path / "MyData")
    rows = history(data_dir, "play_source, track_id, user_id, second(played_at), started_at, ms_played")
    assert {r[:5] for r in rows} == {("spotify_account_data", None, "me", 0, None)}  # no ids; endTime has minutes
    music = [r for f in counts.files if "_music_" in f.name for r in json.loads(f.read_text())]
    distinct = {json.dumps(r) for r in music if r["trackName"] != "Unknown Track"}  # a copied row once
    assert Counter(r[5] for r in rows) == Counter(json.loads(r)["msPlayed"] for r in distinct)
    assert Counter(r[5] for r in rows)[1_000] == 3  # the replays in the same minute are listens of their own


@pytest.mark.parametrize("as_zip", [False, True], ids=["MyData-folder", "my_spotify_data-zip"])
def test_account_data_package_as_spotify_ships_it(tmp_path: Path, data_dir: Path, as_zip: bool):
    target = tmp_path / ("my_spotify_data.zip" if as_zip else "MyData")
    counts = write_account_package(target, 40, 5, seed=30, as_zip=as_zip)
    assert len(counts.left_out) == 10 and "Read_Me_First.pdf" in counts.left_out
    output = assert_imported_twice(data_dir, counts, target)
    prefix = f"{target}:MyData/" if as_zip else f"{target}/"
    left_out = sorted(line for line in output.splitlines() if line.startswith("left out: "))
    assert [line.split(" (")[0] for line in left_out] == [
        f"left out: {prefix}{name}" for name in sorted(counts.left_out)
    ]
    assert f"left out: {prefix}Userdata.json (a JSON object with keys username, email, country," in output
    assert f"left out: {prefix}Marquee.json (JSON rows with keys artistName, segment)" in output
    assert f"left out: {prefix}Read_Me_First.pdf (a PDF document)" in output
    assert f"  {prefix}StreamingHistory_podcast_0.json: 5 rows, 0 plays, 5 skipped (podcast 5)" in output


@pytest.mark.parametrize("as_zip", [False, True], ids=["folder", "zip"])
def test_a_folder_or_zip_without_any_history_exits_2(tmp_path: Path, data_dir: Path, existing: str, as_zip: bool):
    target = tmp_path / ("my_spotify_data.zip" if as_zip else "MyData")
    write_account_package(target, 0, as_zip=as_zip)  # StreamingHistory_music_0.json is an empty array
    line = one_error_line(run_import(data_dir, target))
    kind = "zip" if as_zip else "folder"
    assert line.startswith(f"error: {target}: no listening history in this {kind} (none of its 11 files is one: "), line
    assert "Follow.json, Identity.json, Inferences.json, Marquee.json, Payments.json and 6 more); expected Spotify" in (
        line
    )
    assert line.endswith("nothing was written"), line
    assert folder_hash(data_dir) == existing
    # next to a folder with a history it still stops: that folder was named to be imported
    write_listenbrainz(tmp_path / "lb" / "listens.json", 5, seed=31)
    line = one_error_line(run_import(data_dir, tmp_path / "lb", target))
    assert line.startswith(f"error: {target}: no listening history in this {kind}"), line
    assert folder_hash(data_dir) == existing


@pytest.mark.parametrize("layout", ["array", "jsonl", "zip"])
def test_listenbrainz_exports(tmp_path: Path, data_dir: Path, layout: str):
    path = tmp_path / {"array": "listens.json", "jsonl": "listens.jsonl", "zip": "export.zip"}[layout]
    counts = write_listenbrainz(path, 90, seed=9, layout=layout)
    output = assert_imported_twice(data_dir, counts, path)
    if layout == "zip":
        assert f"left out: {path}:user.json (ListenBrainz user details (user.json))" in output
        assert f"left out: {path}:feedback.jsonl (ListenBrainz feedback (loved/hated recordings))" in output
    rows = history(data_dir, f"track_id, track_uri, track_isrc, artist_mbid, duration_ms, album, play_source, {FACTS}")
    assert {r[6] for r in rows} == {"listenbrainz"}
    # every third listen has no Spotify id, every second an ISRC, three in four an MBID mapping
    assert sum(r[0] is not None for r in rows) == 60 and all(r[1] == f"spotify:track:{r[0]}" for r in rows if r[0])
    assert sum(r[2] is not None for r in rows) == 45
    assert sum(r[3] is not None for r in rows) == 67
    assert all(r[4] and r[5] for r in rows)
    # listened_at is the start; duration_ms is the track's length, not how long it was played
    starts = history(data_dir, "count(*) filter (where started_at = played_at), count(ms_played), min(source_user)")
    assert starts == [(90, 0, "listener42")]


def test_listenbrainz_listens_imported_from_spotify_keep_ms_played(tmp_path: Path, data_dir: Path):
    """ListenBrainz's own importer of a Spotify Extended Streaming History keeps Spotify's ``ts`` (the end) as
    listened_at and says ``ms_played``: the listen began ms_played earlier."""
    tracks = make_tracks(3, seed=32)
    end = datetime(2023, 6, 1, 20, 0, 0, tzinfo=UTC)
    listens = [
        listenbrainz_listen(tracks[0], end, ms_played=200_500),
        listenbrainz_listen(tracks[1], end + timedelta(minutes=5), ms_played=12_000),
        listenbrainz_listen(tracks[2], end + timedelta(minutes=10)),  # submitted live: listened_at is the start
    ]
    path = tmp_path / "listens.jsonl"
    write_listenbrainz(path, 0, layout="jsonl", listens=listens)
    assert parse(run_import(data_dir, path))["short"] == 1
    rows = history(data_dir, "played_at, started_at, ms_played, duration_ms, track_id")
    assert sorted(r[:4] for r in rows) == [
        (datetime(2023, 6, 1, 20, 0), datetime(2023, 6, 1, 19, 56, 39), 200_500, tracks[0].duration_ms),
        (datetime(2023, 6, 1, 20, 5), datetime(2023, 6, 1, 20, 4, 48), 12_000, tracks[1].duration_ms),
        (datetime(2023, 6, 1, 20, 10), datetime(2023, 6, 1, 20, 10), None, tracks[2].duration_ms),
    ]
    assert {r[4] for r in rows} == {t.id for t in tracks}


@pytest.mark.parametrize("header", [True, False])
def test_lastfm_csv(tmp_path: Path, data_dir: Path, header: bool):
    counts = write_lastfm_csv(tmp_path / "scrobbles.csv", 80, seed=10, header=header)
    assert_imported_twice(data_dir, counts, tmp_path / "scrobbles.csv")
    rows = history(data_dir, f"artist_mbid, album, play_source, played_at, {FACTS}")
    assert {r[2] for r in rows} == {"lastfm"}
    assert sum(r[0] is not None for r in rows) == (53 if header else 0)  # empty artist_mbid is null
    assert min(r[3] for r in rows) > datetime(2012, 2, 1)
    assert all(r[5] == r[3] for r in rows)  # a scrobble's time is when the listen began
    assert {r[4:5] + r[6:] for r in rows} == {(None,) * 9}  # nothing else is known


@pytest.mark.parametrize("layout", ["uts", "timestamp", "headerless"])
def test_lastfm_broken_1970_scrobbles_are_skipped_not_refused(tmp_path: Path, data_dir: Path, layout: str):
    """Last.fm's broken scrobbles say 0 (Unix time) or "01 Jan 1970 00:00": plays before 2000, counted and
    skipped; the file's other scrobbles are imported (was: "date '0' is not a time", the whole file refused)."""
    path = tmp_path / "scrobbles.csv"
    header, shape = (False, "uts") if layout == "headerless" else (True, layout)
    counts = write_lastfm_csv(path, 60, seed=33, header=header, layout=shape, broken=7)
    assert counts.skipped == {"date before 2000": 7}
    if layout == "timestamp":
        assert '"0","1970-01-01T00:00:00+00:00"' in path.read_text()
    assert_imported_twice(data_dir, counts, path)


@pytest.mark.parametrize(
    "comments, iso, album_column",
    [("utf7", False, True), ("hash", False, True), ("none", True, True), ("utf7", False, False)],
    ids=["librefm-export", "hash-comments", "iso-times", "no-album-column"],
)
def test_librefm_and_maloja_csv(tmp_path: Path, data_dir: Path, comments: str, iso: bool, album_column: bool):
    path = tmp_path / "export.csv"
    counts = write_librefm_csv(path, 40, seed=34, comments=comments, iso=iso, album_column=album_column)
    output = assert_imported_twice(data_dir, counts, path)
    assert "Libre.fm / Maloja scrobbles (CSV): 1 file, 40 rows" in output
    rows = history(data_dir, "play_source, played_at, started_at, album, artist, track_name")
    assert {r[0] for r in rows} == {"librefm"} and all(r[2] == r[1] for r in rows)
    assert min(r[1] for r in rows) > datetime(2023, 7, 1)
    assert sum(r[3] is None for r in rows) == (10 if album_column else 40)  # every fourth album is empty
    assert 'Don\'t Stop "Live"' in {r[4] for r in rows}  # a quoted name with quotes


def test_librefm_export_file(data_dir: Path):
    """A small file in the shape of Libre.fm's export (tests/data/import/librefm_export.csv), row by row."""
    path = REPO / "tests" / "data" / "import" / "librefm_export.csv"
    result = run_import(data_dir, path)
    assert parse(result) == {
        "rows": 5,
        "plays": 4,
        "short": 0,
        "skipped": Counter({"malformed": 1}),
        "imported": 4,
        "duplicates": 0,
    }
    assert f"  {path}: 1 malformed row skipped (row 4 (line 8): a scrobble without a track name)" in result.stdout
    assert sorted(history(data_dir, "artist, track_name, album, played_at, started_at, play_source")) == [
        ("Björk", "Jóga", "Homogenic", datetime(2023, 7, 26, 4, 30), datetime(2023, 7, 26, 4, 30), "librefm"),
        ("Sigur Rós", "Hoppípolla", None, datetime(2023, 7, 26, 4, 36, 40), datetime(2023, 7, 26, 4, 36, 40),
         "librefm"),
        ("The Horrors", "New Ice Age", "Primary Colours", datetime(2023, 7, 26, 4, 26), datetime(2023, 7, 26, 4, 26),
         "librefm"),
        ("Vega Trails", "Old Friend, The Sea", "Sierra Tracks", datetime(2025, 10, 15, 12, 54, 15),
         datetime(2025, 10, 15, 12, 54, 15), "librefm"),
    ]  # fmt: skip


def test_format_comes_from_content_not_name(tmp_path: Path, data_dir: Path):
    ext = write_extended_history(tmp_path, 50, seed=11).files[0].rename(tmp_path / "history.csv")
    lfm = write_lastfm_csv(tmp_path / "scrobbles.json", 20, seed=12).files[0]
    result = run_import(data_dir, ext, lfm)
    assert "Spotify Extended Streaming History: 1 file" in result.stdout
    assert "Last.fm scrobbles (CSV): 1 file, 20 rows" in result.stdout


# -- several formats together ---------------------------------------------------------------------------
def test_the_same_listens_from_two_formats(tmp_path: Path, data_dir: Path):
    """Spotify's history and a ListenBrainz export that holds some of the same listens, imported together and
    again in the other order: the second import adds nothing. (Whether the history keeps one row or one per
    source for a listen two sources report is the history's key, ``extractors.history``; the warehouse merges.)"""
    tracks = make_tracks(30, seed=13)
    ext = write_extended_history(tmp_path / "spotify", 60, seed=13, tracks=tracks, mix={"music": 1.0}, keep_plays=True)
    by_id = {t.id: t for t in tracks}
    # ListenBrainz imported the first 20 of the same listens, saw 10 others live, and 5 of its own
    same = [listenbrainz_listen(by_id[x.track_id], x.played_at, ms_played=x.ms_played) for x in ext.listens[:20]]
    live = [listenbrainz_listen(by_id[x.track_id], x.played_at) for x in ext.listens[20:30]]
    own = [
        listenbrainz_listen(t, datetime(2024, 1, 1, 12, i, tzinfo=UTC), spotify=False) for i, t in enumerate(tracks[:5])
    ]
    lb = write_listenbrainz(tmp_path / "lb" / "listens.jsonl", 0, layout="jsonl", listens=same + live + own)
    result = parse(run_import(data_dir, tmp_path / "spotify", tmp_path / "lb"))
    assert result["plays"] + result["short"] == ext.plays + lb.plays
    assert result["imported"] + result["duplicates"] == ext.plays + lb.plays
    assert result["imported"] >= ext.plays + 15  # the live listens do not say how long they lasted: new rows
    rows = history(data_dir, "play_source, track_id, played_at, ms_played, started_at")
    assert len(rows) == result["imported"]
    assert {(r[1], _utc(r[2])) for r in rows if r[0] == "spotify_extended_history"} == {
        (x.track_id, x.played_at) for x in ext.listens
    }
    # a listen ListenBrainz took from the same Spotify history says the same: track, second, ms_played, start
    spotify = {(r[1], _utc(r[2])): (r[3], _utc(r[4])) for r in rows if r[0] == "spotify_extended_history"}
    for r in rows:
        if r[0] == "listenbrainz" and r[3] is not None:
            assert spotify[(r[1], _utc(r[2]))][0] == r[3]
    # imported again in the other order, nothing new
    again = parse(run_import(data_dir, tmp_path / "lb", tmp_path / "spotify"))
    assert (again["imported"], again["duplicates"]) == (0, ext.plays + lb.plays)
    assert len(history(data_dir)) == result["imported"]


def test_user_id_is_the_person_and_username_is_source_user(tmp_path: Path, data_dir: Path):
    write_extended_history(tmp_path / "x", 40, seed=14, mix={"music": 1.0})
    write_extended_history(tmp_path / "x" / "old", 40, seed=15, endsong=True, mix={"music": 1.0}, username="olduser")
    parse(run_import(data_dir, tmp_path / "x", "--user-id", "ana"))
    assert Counter(r for r in history(data_dir, "user_id, source_user")) == {
        ("ana", None): 50,  # 40 current rows (no username) and the 10 endsong rows whose username is ""
        ("ana", "olduser"): 30,
    }
    # without --user-id: USER_ID from the environment
    other = data_dir.parent / "other"
    write_listenbrainz(tmp_path / "lb.json", 5, seed=35)
    parse(run_import(other, tmp_path / "lb.json", USER_ID="bo"))
    assert set(history(other, "user_id, source_user")) == {("bo", "listener42")}


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


def test_a_history_file_from_before_the_new_columns_still_reads(tmp_path: Path, data_dir: Path):
    """A tracks_played file written before ms_played, started_at, … existed sits next to a new import's file:
    the history reads both (union by name), the old rows with those columns null."""
    from extractors.catalog import Catalog
    from extractors.config import load_settings

    folder = data_dir / "src" / "tracks_played"
    folder.mkdir(parents=True)
    old = folder / "import-20240101T000000Z-000000.parquet"
    duckdb.connect().execute(
        "copy (select 'me' as user_id, '0000000000000000000001' as track_id, 'Old Song' as track_name, "
        "'Old Artist' as artist, timestamp '2019-05-01 10:00:00' as played_at, "
        "'spotify_extended_history' as play_source) to ? (format parquet)",
        [str(old)],
    )
    endsong, _ = _facts_rows()
    (tmp_path / "endsong_0.json").write_text(json.dumps(endsong[:1]))
    assert parse(run_import(data_dir, tmp_path / "endsong_0.json"))["imported"] == 1
    assert len(list(folder.glob("*.parquet"))) == 2
    status = run_cli(["status", "--data-path", str(data_dir)], env(), tmp_path)
    assert "tracks_played: 2 rows in 2 file(s)" in status.stdout, status.output
    catalog = Catalog(load_settings(str(data_dir)))
    try:
        catalog.require_history()
        rows = catalog.con.execute(
            "select track_name, ms_played, started_at, offline, source_user from tracks_played order by played_at"
        ).fetchall()
    finally:
        catalog.close()
    assert rows == [
        ("Old Song", None, None, None, None),
        ("Jóga", 215000, datetime(2023, 3, 19, 8, 0), True, "listener42"),
    ]


# -- bad input: left out, skipped and named, or exit 2 with one line and nothing written --------------------
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


NOT_HISTORY = [
    ("Userdata.json", '{"username": "x", "email": "a@b.c", "country": "SE"}', "a JSON object with keys username"),
    ("Playlist1.json", '[{"name": "My list", "items": []}]', "JSON rows with keys name, items"),
    ("notes.txt", "just some text\nnothing else\n", "neither JSON nor a CSV"),
    ("other.csv", "id,value\n1,2\n", "a CSV whose first row ('id,value') is not a Last.fm or Libre.fm header"),
    ("empty.json", "", "an empty file"),
    ("ReadMeFirst.pdf", "%PDF-1.4\n%%EOF\n", "a PDF document"),
]


@pytest.mark.parametrize("name, content, why", NOT_HISTORY)
def test_a_file_in_a_folder_that_is_not_a_history_is_left_out(tmp_path: Path, data_dir: Path, name, content, why):
    write_listenbrainz(tmp_path / "in" / "good.json", 10, seed=17)
    (tmp_path / "in" / name).write_text(content)
    result = run_import(data_dir, tmp_path / "in")
    assert parse(result)["imported"] == 10
    left_out = [line for line in result.stdout.splitlines() if line.startswith("left out: ")]
    assert len(left_out) == 1 and left_out[0].startswith(f"left out: {tmp_path / 'in' / name} ({why}"), left_out


@pytest.mark.parametrize("name, content, why", NOT_HISTORY)
def test_a_file_named_on_its_own_that_is_not_a_history_exits_2(
    tmp_path: Path, data_dir: Path, existing: str, name, content, why
):
    good = write_listenbrainz(tmp_path / "good.json", 10, seed=17).files[0]
    (tmp_path / name).write_text(content)
    line = one_error_line(run_import(data_dir, good, tmp_path / name))
    assert line.startswith(f"error: {tmp_path / name}: not a listening history this command reads ({why}"), line
    assert line.endswith("Leave the file out and run again; nothing was written"), line
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


def _extended_with(tmp_path: Path, *changes: tuple[int, dict[str, object]]) -> Path:
    path = write_extended_history(tmp_path / "in", 30, seed=19, mix={"music": 1.0}).files[0]
    rows = json.loads(path.read_text())
    for row, change in changes:
        rows[row - 1].update(change)
    path.write_text(json.dumps(rows))
    return path


MALFORMED_EXTENDED = [
    ((17, {"ts": "yesterday"}), "row 17", "ts 'yesterday' is not an ISO-8601 UTC time like 2024-05-23T06:49:10Z"),
    ((5, {"master_metadata_track_name": None}), "row 5", "a track (spotify:track:"),
    ((30, {"ts": None}), "row 30", "ts missing is not an ISO-8601"),
    ((2, {"ts": 12}), "row 2", "ts '12' is not"),
]


@pytest.mark.parametrize("change, row, message", MALFORMED_EXTENDED)
def test_a_malformed_extended_row_is_skipped_and_named(tmp_path: Path, data_dir: Path, change, row, message):
    path = _extended_with(tmp_path, change)
    result = run_import(data_dir, tmp_path / "in")
    counts = parse(result)
    assert counts["skipped"] == {"malformed": 1} and counts["imported"] == 29
    assert f"  {path}: 1 malformed row skipped ({row}: {message}" in result.stdout, result.stdout
    assert len(history(data_dir)) == 29


@pytest.mark.parametrize("change, row, message", MALFORMED_EXTENDED)
def test_strict_stops_at_a_malformed_extended_row(tmp_path: Path, data_dir: Path, existing: str, change, row, message):
    path = _extended_with(tmp_path, change)
    line = one_error_line(run_import(data_dir, tmp_path / "in", "--strict"))
    assert line.startswith(f"error: {path}: {row}: {message}") and line.endswith("nothing was written"), line
    assert folder_hash(data_dir) == existing


def test_many_malformed_rows_are_counted_and_the_first_named(tmp_path: Path, data_dir: Path):
    bad = [(n, {"ts": "x"}) for n in (17, 30)] + [(n, {"master_metadata_album_artist_name": ""}) for n in (3, 4, 9)]
    path = _extended_with(tmp_path, *bad)
    result = run_import(data_dir, path)
    assert parse(result)["skipped"] == {"malformed": 5}
    line = f"  {path}: 5 malformed rows skipped (row 3: a track (spotify:track:"
    assert (
        line in result.stdout
        and "without master_metadata_album_artist_name; also row 4, row 9, row 17 and 1 more)" in (result.stdout)
    )
    line = one_error_line(run_import(data_dir, path, "--strict"))
    assert line.startswith(f"error: {path}: row 3: a track") and "(5 malformed rows in all)" in line, line


def _listenbrainz_with_empty_names(tmp_path: Path) -> Path:
    """Five listens, the second and fourth with an empty track name (as a real export had)."""
    listens = [
        listenbrainz_listen(t, datetime(2024, 3, 1, 12, 4 * i, tzinfo=UTC)) for i, t in enumerate(make_tracks(5, 36))
    ]
    for i in (1, 3):
        listens[i]["track_metadata"]["track_name"] = ""  # type: ignore[index]
    return write_listenbrainz(tmp_path / "listens.jsonl", 0, layout="jsonl", listens=listens).files[0]


def test_listenbrainz_listens_without_a_name_are_skipped(tmp_path: Path, data_dir: Path, existing: str):
    path = _listenbrainz_with_empty_names(tmp_path)
    line = one_error_line(run_import(data_dir, path, "--strict"))
    assert line.startswith(f"error: {path}: row 2: a listen without track_metadata.track_name (2 malformed rows"), line
    assert folder_hash(data_dir) == existing
    result = run_import(data_dir, path)
    assert (parse(result)["imported"], parse(result)["skipped"]) == (3, {"malformed": 2})
    expected_line = (
        f"  {path}: 2 malformed rows skipped (row 2: a listen without track_metadata.track_name; also row 4)"
    )
    assert expected_line in result.stdout.splitlines()


def _lb_bad_time(tmp_path: Path) -> Path:
    lb = write_listenbrainz(tmp_path / "lb.jsonl", 10, seed=20, layout="jsonl").files[0]
    lines = lb.read_text().splitlines()
    bad = json.loads(lines[6])
    bad["listened_at"] = "soon"
    lines[6] = json.dumps(bad)
    lb.write_text("\n".join(lines) + "\n")
    return lb


def _lastfm_bad_date(tmp_path: Path) -> Path:
    path = write_lastfm_csv(tmp_path / "s.csv", 10, seed=21, header=False).files[0]
    rows = path.read_text().splitlines()
    rows[3] = rows[3].rsplit(",", 1)[0] + ",31 Febtember 2021"
    path.write_text("\n".join(rows) + "\n")
    return path


def _lastfm_no_artist(tmp_path: Path) -> Path:
    path = write_lastfm_csv(tmp_path / "h.csv", 10, seed=22).files[0]
    rows = path.read_text().splitlines()
    rows[2] = "1328107769,x,,,album,,track,"  # data row 2, line 3: no artist
    path.write_text("\n".join(rows) + "\n")
    return path


def _account_bad_end(tmp_path: Path) -> Path:
    path = write_account_data(tmp_path / "acc", 10, seed=23).files[0]
    data = json.loads(path.read_text())
    data[8]["endTime"] = "2019-13-45 99:99"
    path.write_text(json.dumps(data))
    return path


@pytest.mark.parametrize(
    "make, where",
    [
        (_lb_bad_time, "row 7: listened_at 'soon' is not a Unix time"),
        (_lastfm_bad_date, "row 4: date '31 Febtember 2021' is not a time"),
        (_lastfm_no_artist, "row 2 (line 3): a scrobble without an artist"),
        (_account_bad_end, "row 9: endTime '2019-13-45 99:99' is not a UTC time"),
    ],
    ids=["listenbrainz", "lastfm-headerless", "lastfm-header", "account-data"],
)
def test_malformed_rows_in_other_formats(tmp_path: Path, data_dir: Path, existing: str, make, where: str):
    path = make(tmp_path)
    line = one_error_line(run_import(data_dir, path, "--strict"))
    assert line.startswith(f"error: {path}: {where}"), line
    assert folder_hash(data_dir) == existing
    result = run_import(data_dir, path)
    assert (parse(result)["imported"], parse(result)["skipped"]) == (9, {"malformed": 1})
    assert f"  {path}: 1 malformed row skipped ({where}" in result.stdout, result.stdout


def test_help_explains_the_formats(data_dir: Path):
    result = run_cli(["import", "--help"], env(), data_dir.parent)
    assert result.returncode == 0
    for needle in (
        "Streaming_History_Audio_",
        "endsong_",
        "StreamingHistory_music_",
        "ListenBrainz",
        "Last.fm",
        "Libre.fm",
        "incognito",
        "left out",
        "--strict",
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
        ("artist,track,album,timestamp,date\n", ("lastfm", "csv")),
        ("\n\nuts,utc_time,artist,album,track\n", ("lastfm", "csv")),  # blank lines are not Libre.fm's comments
        ("Artist,Track,Album,Time\n", ("librefm", "csv")),
        ("+ACM- Data export from Libre.fm,,,\n+ACM- host,,,\nArtist,Track,Album,Time\n", ("librefm", "csv")),
        ("# a comment\n\n#another\nArtist,Track,Time\n", ("librefm", "csv")),
        ("userid,Artist,track,Album,time\n", ("librefm", "csv")),
        ("Artist;Album;Track;Date\n", ("lastfm", "csv")),  # a header, ';'-separated
        ("id,value\n1,2\n", None),
        ("a,b,c,31 Jan 2021 12:34\n", ("lastfm", "csv")),
        ("[]", "an empty JSON array"),
        ('{"followerCount": 3, "followingUsersCount": 5}', None),
        ("+ACM- Data export from Libre.fm,,,\nnothing,else\n", None),
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
