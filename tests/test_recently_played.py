"""Live polling of recently-played against the fake Spotify, which, like Spotify, shows only the newest 50
listens: one request a poll, every play once, the cursor advanced after the plays are written, crashes lose
nothing, and more than 50 listens since the last poll are reported as a gap (stdout, warning, ``status``)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import requests

from scripts.devkit.fakes import FakeSpotify
from scripts.devkit.worlds import make_spotify_world
from tests.conftest import run_cli, spotify_env, write_history

T0 = 1_760_000_000_000  # epoch ms: 2025-10-09 08:53:20 UTC
STEP = 200_000  # a listen every 200 s (the world's tracks last 200 s)


def history(data_dir: Path) -> list[tuple]:
    folder = data_dir / "src" / "tracks_played"
    if not folder.is_dir() or not list(folder.glob("*.parquet")):
        return []
    return duckdb.sql(
        f"select played_at, track_id, artist_id, play_source from '{folder}/*.parquet' order by played_at"
    ).fetchall()


def setup_world(fake: FakeSpotify, data_dir: Path) -> list[str]:
    w = make_spotify_world(n_artists=5, n_albums=5, seed=4)
    fake.entities.update(w.entities())
    return list(w.tracks)


def listen(fake: FakeSpotify, tracks: list[str], numbers: range) -> None:
    for i in numbers:
        fake.play(T0 + i * STEP, tracks[i % len(tracks)])


def polls(fake: FakeSpotify) -> list[dict[str, list[str]]]:
    return [r.query for r in fake.requests if r.path == "/v1/me/player/recently-played"]


def epoch_ms(played_at: datetime) -> int:
    return round(played_at.replace(tzinfo=UTC).timestamp() * 1000)  # TIMESTAMP columns are UTC


def cursor(data_dir: Path) -> str:
    return json.loads((data_dir / "state" / "recently_played.json").read_text())["after"]


def status_line(env: dict[str, str], data_dir: Path) -> str:
    result = run_cli(["status"], env, data_dir.parent)
    assert result.returncode == 0, result.output
    return next(line for line in result.stdout.splitlines() if line.startswith("recently-played:"))


# -- the fake answers as Spotify does ----------------------------------------------------------------------
def test_the_fake_shows_only_the_newest_50_listens_as_spotify_does(fake_spotify: FakeSpotify, data_dir: Path):
    tracks = setup_world(fake_spotify, data_dir)
    listen(fake_spotify, tracks, range(80))
    token = requests.post(
        f"{fake_spotify.url}/api/token",
        data={"grant_type": "refresh_token", "refresh_token": "test-refresh-token", "client_id": "test-client-id"},
        timeout=5,
    ).json()["access_token"]

    def get(**params: object) -> requests.Response:
        return requests.get(
            f"{fake_spotify.api_url}/me/player/recently-played",
            params=params,
            headers={"Authorization": f"Bearer {token}"},
            timeout=5,
        )

    newest = get(limit=50).json()
    assert [i["played_at"] for i in newest["items"]][:2] == ["2025-10-09T13:16:40.000Z", "2025-10-09T13:13:20.000Z"]
    assert len(newest["items"]) == 50
    oldest = T0 + 30 * STEP  # the 50th newest of 80
    assert newest["cursors"] == {"after": str(T0 + 79 * STEP), "before": str(oldest)}
    assert newest["next"].endswith(f"?before={oldest}&limit=50")  # a full page has next, as Spotify answers
    beyond = get(limit=50, before=oldest).json()  # following it: nothing, never further back than 50
    assert beyond["items"] == [] and beyond["next"] is None and beyond["cursors"] is None
    assert len(get(limit=50, after=T0).json()["items"]) == 50  # listens 1..29 are gone for the API
    within = get(limit=10, before=T0 + 40 * STEP).json()  # before pages within the 50
    assert len(within["items"]) == 10 and within["cursors"]["before"] == str(oldest)
    short = get(limit=50, after=T0 + 70 * STEP).json()
    assert len(short["items"]) == 9 and short["next"] is None
    assert short["cursors"] == {"after": str(T0 + 79 * STEP), "before": str(T0 + 71 * STEP)}
    assert get().json()["limit"] == 20
    for bad in ({"limit": 51}, {"limit": 0}, {"after": 1, "before": 2}):
        answer = get(**bad)
        assert answer.status_code == 400 and answer.json()["error"]["status"] == 400
    assert get(limit=51).json()["error"]["message"] == "Invalid limit"


# -- polling ------------------------------------------------------------------------------------------------
def test_first_poll_takes_the_newest_50_and_reports_no_gap(fake_spotify: FakeSpotify, data_dir: Path):
    tracks = setup_world(fake_spotify, data_dir)
    listen(fake_spotify, tracks, range(80))
    env = spotify_env(fake_spotify, data_dir)
    assert status_line(env, data_dir) == "recently-played: never polled"
    first = run_cli(["recently-played"], env, data_dir.parent)
    assert first.returncode == 0, first.output
    assert "50 new" in first.stdout and "first poll" in first.stdout
    assert "may be missing" not in first.output
    assert polls(fake_spotify) == [{"limit": ["50"]}]  # one request, no cursor
    rows = history(data_dir)
    assert len(rows) == 50 and epoch_ms(rows[0][0]) == T0 + 30 * STEP
    assert cursor(data_dir) == str(T0 + 79 * STEP)
    assert status_line(env, data_dir).endswith("; no gap")


def test_fewer_than_50_since_the_cursor_land_with_one_request_and_no_gap(fake_spotify: FakeSpotify, data_dir):
    tracks = setup_world(fake_spotify, data_dir)
    env = spotify_env(fake_spotify, data_dir)
    listen(fake_spotify, tracks, range(30))
    first = run_cli(["recently-played"], env, data_dir.parent)
    assert first.returncode == 0, first.output
    assert "30 new" in first.stdout and "first poll" not in first.stdout  # 30 < 50: all there is
    assert cursor(data_dir) == str(T0 + 29 * STEP)

    listen(fake_spotify, tracks, range(30, 79))  # 49 more: the newest 50 reach back to the cursor
    second = run_cli(["recently-played"], env, data_dir.parent)
    assert second.returncode == 0, second.output
    assert "49 new" in second.stdout and "1 requests" in second.stdout
    assert "may be missing" not in second.output
    assert polls(fake_spotify)[-1] == {"limit": ["50"], "after": [str(T0 + 29 * STEP)]}
    rows = history(data_dir)
    assert len(rows) == 79 and len({r[:2] for r in rows}) == 79
    assert {r[3] for r in rows} == {"spotify_recently_played"}
    assert all(r[2] for r in rows)  # the first artist of each track
    assert cursor(data_dir) == str(T0 + 78 * STEP)

    third = run_cli(["recently-played"], env, data_dir.parent)  # nothing new
    assert third.returncode == 0 and len(history(data_dir)) == 79
    assert "no new plays" in third.stderr
    assert status_line(env, data_dir).endswith("; no gap")


def test_more_than_50_since_the_cursor_land_50_and_report_the_gap(fake_spotify: FakeSpotify, data_dir: Path):
    tracks = setup_world(fake_spotify, data_dir)
    env = spotify_env(fake_spotify, data_dir)
    listen(fake_spotify, tracks, range(30))
    assert run_cli(["recently-played"], env, data_dir.parent).returncode == 0  # cursor: 10:30:00

    listen(fake_spotify, tracks, range(30, 100))  # 70 more (cron stopped): Spotify shows the newest 50 only
    second = run_cli(["recently-played"], env, data_dir.parent)
    assert second.returncode == 0, second.output
    assert len(polls(fake_spotify)) == 2  # one request a poll: there is nothing further back to page to
    rows = history(data_dir)
    assert len(rows) == 80  # 30 + exactly 50: listens 30..49 are lost for the API
    assert epoch_ms(rows[30][0]) == T0 + 50 * STEP
    assert "50 new" in second.stdout
    gap = (
        "recently-played: listens between 2025-10-09 10:30:00 UTC and 2025-10-09 11:40:00 UTC may be missing: "
        "Spotify shows only the newest 50 and at least 50 were played since the last poll; a Spotify Extended "
        "Streaming History export (python -m extractors import) fills the gap"
    )
    assert gap in second.stdout.splitlines()
    assert f"WARNING {gap}" in second.stderr
    recorded = json.loads((data_dir / "state" / "recently_played_polls.json").read_text())["gaps"]
    assert [(g["from"], g["to"]) for g in recorded] == [("2025-10-09T10:30:00.000Z", "2025-10-09T11:40:00.000Z")]
    assert cursor(data_dir) == str(T0 + 99 * STEP)

    shown = status_line(env, data_dir)
    assert shown.startswith("recently-played: last poll ")
    assert shown.endswith(
        "; last gap: listens between 2025-10-09 10:30:00 UTC and 2025-10-09 11:40:00 UTC may be missing "
        "(import an Extended export)"
    )
    third = run_cli(["recently-played"], env, data_dir.parent)  # back to normal: no new gap, the last one stays
    assert third.returncode == 0 and "may be missing" not in third.output
    assert status_line(env, data_dir).split("; ", 1)[1] == shown.split("; ", 1)[1]


def test_a_gap_found_by_a_poll_killed_before_the_cursor_moved_is_found_again(fake_spotify: FakeSpotify, data_dir):
    tracks = setup_world(fake_spotify, data_dir)
    env = spotify_env(fake_spotify, data_dir)
    listen(fake_spotify, tracks, range(30))
    assert run_cli(["recently-played"], env, data_dir.parent).returncode == 0
    listen(fake_spotify, tracks, range(30, 100))
    killed = run_cli(["recently-played"], {**env, "RWS_CRASH_AT": "after-plays"}, data_dir.parent)
    assert killed.returncode == -9
    assert cursor(data_dir) == str(T0 + 29 * STEP)  # the cursor never moved
    final = run_cli(["recently-played"], env, data_dir.parent)
    assert final.returncode == 0, final.output
    assert "2025-10-09 10:30:00 UTC and 2025-10-09 11:40:00 UTC may be missing" in final.stdout
    assert "0 new, 50 known" in final.stdout and len(history(data_dir)) == 80
    recorded = json.loads((data_dir / "state" / "recently_played_polls.json").read_text())["gaps"]
    assert len(recorded) == 1


def test_every_polled_play_belongs_to_the_person_and_has_no_length(fake_spotify: FakeSpotify, data_dir: Path):
    tracks = setup_world(fake_spotify, data_dir)
    listen(fake_spotify, tracks, range(3))
    env = spotify_env(fake_spotify, data_dir, USER_ID="ana")
    assert run_cli(["recently-played"], env, data_dir.parent).returncode == 0
    listen(fake_spotify, tracks, range(3, 5))
    assert run_cli(["recently-played", "--user-id", "bo"], env, data_dir.parent).returncode == 0
    folder = data_dir / "src" / "tracks_played"
    rows = duckdb.sql(
        f"select user_id, play_source, started_at, ms_played, request_cursor from '{folder}/*.parquet' "
        "order by played_at"
    ).fetchall()
    assert (
        rows
        == [("ana", "spotify_recently_played", None, None, None)] * 3
        + [("bo", "spotify_recently_played", None, None, str(T0 + 2 * STEP))] * 2
    )


def test_all_artists_of_a_track_are_kept_in_the_landed_json(fake_spotify: FakeSpotify, data_dir: Path):
    tracks = setup_world(fake_spotify, data_dir)
    featured = fake_spotify.entities["tracks"][tracks[0]]
    featured["artists"].append({"id": "F" * 22, "name": "Featured", "type": "artist"})
    fake_spotify.play(T0, tracks[0])
    assert run_cli(["recently-played"], spotify_env(fake_spotify, data_dir), data_dir.parent).returncode == 0
    folder = data_dir / "raw" / "spotify" / "recently_played"
    names = duckdb.sql(f"select body -> 'track' -> 'artists' ->> '$[*].name' from '{folder}/*.parquet'").fetchall()
    assert names[0][0][-1] == "Featured"
    assert history(data_dir)[0][2] == featured["artists"][0]["id"]


def test_a_kill_between_fetch_and_write_loses_nothing(fake_spotify: FakeSpotify, data_dir: Path):
    tracks = setup_world(fake_spotify, data_dir)
    for i in range(10):
        fake_spotify.play(T0 + i * 1000, tracks[i % 5])
    env = spotify_env(fake_spotify, data_dir)
    for point in ("after-landing", "after-plays"):
        killed = run_cli(["recently-played"], {**env, "RWS_CRASH_AT": point}, data_dir.parent)
        assert killed.returncode == -9
    assert not (data_dir / "state" / "recently_played.json").exists()  # the cursor never moved
    assert len(history(data_dir)) == 10  # written once by the run killed after writing
    final = run_cli(["recently-played"], env, data_dir.parent)
    assert final.returncode == 0, final.output
    assert len(history(data_dir)) == 10 and "0 new" in final.stdout
    assert (data_dir / "state" / "recently_played.json").exists()


def test_plays_already_in_the_history_are_not_added_again(fake_spotify: FakeSpotify, data_dir: Path):
    tracks = setup_world(fake_spotify, data_dir)
    fake_spotify.play(T0 + 5_123, tracks[0])  # 08:53:25.123 in the live API ...
    artist = fake_spotify.entities["tracks"][tracks[0]]["artists"][0]["name"]
    polled = datetime.fromtimestamp((T0 + 5_000) / 1000, UTC).replace(tzinfo=None)  # ... a row of whole seconds
    row = {"user_id": "me", "track_id": tracks[0], "track_name": "x", "artist": artist, "played_at": polled}
    row["play_source"] = "spotify_recently_played"  # polled before, e.g. before the cursor file was lost
    write_history(data_dir, [row])
    result = run_cli(["recently-played"], spotify_env(fake_spotify, data_dir, USER_ID="me"), data_dir.parent)
    assert result.returncode == 0, result.output
    assert len(history(data_dir)) == 1 and "1 known" in result.stdout


def test_without_a_refresh_token_it_says_what_to_set(fake_spotify: FakeSpotify, data_dir: Path):
    env = spotify_env(fake_spotify, data_dir)
    del env["SPOTIFY_REFRESH_TOKEN"]
    result = run_cli(["recently-played"], env, data_dir.parent)
    assert result.returncode == 2
    assert "SPOTIFY_REFRESH_TOKEN" in result.stderr.strip().splitlines()[-1]
    assert fake_spotify.count("") == 0
