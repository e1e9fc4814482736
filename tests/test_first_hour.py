"""A new user's first hour: the mistakes people make first get a line that says what to do.

- a `.env` whose names are misspelt (`SPOTIFY_ID`, `MB_CONTACT`): each is named with "did you mean …?", and a
  run in which every source was skipped for its configuration exits 2 saying what to set (a cron job set up
  this way must not succeed silently, forever);
- one source configured is a working run (exit 0), the others skipped with their line;
- geo before MusicBrainz ever answered says where cities come from, not "every city is known";
- `status` on a data folder that does not exist is an error, not a report of an empty folder;
- `make enrich` with no history says so in one line, points at the import, and builds nothing.
"""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime
from pathlib import Path

from extractors.config import unknown_variable_warnings
from scripts.devkit.env import base_env
from scripts.devkit.fakes.musicbrainz import FakeMusicBrainz
from tests.conftest import REPO, musicbrainz_env, run_cli, write_history


def plain_env(data_dir: Path) -> dict[str, str]:
    return base_env(data_dir)  # no credential of any source


def a_history(data_dir: Path) -> None:
    write_history(
        data_dir,
        [
            {
                "track_name": "Blue in Green",
                "artist": "Miles Davis",
                "played_at": datetime(2024, 3, 1, 21, 5, tzinfo=UTC),
            },
            {"track_name": "So What", "artist": "Miles Davis", "played_at": datetime(2024, 3, 1, 21, 15, tzinfo=UTC)},
        ],
    )


def test_misspelt_names_in_dotenv_are_named_and_a_run_that_fetches_nothing_exits_2(tmp_path: Path):
    data_dir = tmp_path / "data"
    a_history(data_dir)
    (tmp_path / ".env").write_text(
        "# my settings\nSPOTIFY_ID=id-4f2a9\nSPOTIFY_SECRET=secret-77c1e\nMB_CONTACT=me@example.org\n"
        "LOG_LEVEL=INFO\nEDITOR=vim\n"
    )
    result = run_cli(["all"], plain_env(data_dir), tmp_path)
    assert result.returncode == 2, result.output
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert (
        f"warning: {tmp_path / '.env'}: SPOTIFY_ID is not a setting of rws-music; did you mean SPOTIFY_CLIENT_ID?"
        in (warnings)
    )
    assert any("MB_CONTACT" in w and "did you mean MUSICBRAINZ_CONTACT?" in w for w in warnings), warnings
    assert any("SPOTIFY_SECRET" in w and "did you mean SPOTIFY_CLIENT_SECRET?" in w for w in warnings), warnings
    assert not any("LOG_LEVEL" in w or "EDITOR" in w for w in warnings), warnings  # ours, and not ours to judge
    assert "id-4f2a9" not in result.output and "secret-77c1e" not in result.output  # values are never shown
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("error: every source was skipped for its configuration"), last
    assert "skipped spotify" in result.stderr and "skipped musicbrainz" in result.stderr


def test_one_configured_source_is_a_working_run(tmp_path: Path, fake_musicbrainz: FakeMusicBrainz):
    data_dir = tmp_path / "data"
    a_history(data_dir)
    result = run_cli(["all"], musicbrainz_env(fake_musicbrainz, data_dir), tmp_path)
    assert result.returncode == 0, result.output
    assert "skipped spotify" in result.stderr and "every source was skipped" not in result.stderr
    assert "musicbrainz:" in result.stdout


def test_geo_before_musicbrainz_ever_answered_says_where_cities_come_from(tmp_path: Path):
    data_dir = tmp_path / "data"
    a_history(data_dir)
    result = run_cli(["openweather"], plain_env(data_dir), tmp_path)
    assert result.returncode == 0, result.output
    assert "no artist cities yet: they come from MusicBrainz's answers (run musicbrainz)" in result.stdout
    assert "known to the gazetteer" not in result.output


def test_status_says_what_each_unconfigured_source_needs(tmp_path: Path):
    data_dir = tmp_path / "data"
    a_history(data_dir)
    result = run_cli(["status"], plain_env(data_dir), tmp_path)
    assert result.returncode == 0, result.output
    assert "\nspotify: not configured: set SPOTIFY_CLIENT_ID and SPOTIFY_CLIENT_SECRET" in result.stdout
    assert "\nmusicbrainz: not configured: set MUSICBRAINZ_CONTACT" in result.stdout
    assert "\nopenweather:\n" in result.stdout  # needs nothing


def test_status_of_a_missing_data_folder_is_an_error(tmp_path: Path):
    missing = tmp_path / "nowhere"
    result = run_cli(["status", "--data-path", str(missing)], plain_env(tmp_path), tmp_path)
    assert result.returncode == 2, result.output
    assert result.stderr.strip().splitlines()[-1].startswith(f"error: {missing}: no such data folder")
    assert not missing.exists()
    assert "tracks_played:" not in result.stdout


def test_the_warnings_look_only_at_dotenv_and_at_our_prefixes_in_the_environment(tmp_path: Path):
    env_file = tmp_path / ".env"
    env_file.write_text("DATADIR=/srv/music\nDBT_PROFILES_DIR=.\nSPOTIFY_CLIENT_ID=x\nMUSICBRAINZ_EMAIL=me@x.org\n")
    environ = {"USER": "ann", "PATH": "/bin", "SPOTIFY_TOKEN": "t", "SPOTIFY_CLIENT_SECRET": "s", "HOME": "/home/ann"}
    lines = unknown_variable_warnings(env_file, environ)
    assert lines == [
        f"{env_file}: DATADIR is not a setting of rws-music; did you mean DATA_DIR?",
        f"{env_file}: MUSICBRAINZ_EMAIL is not a setting of rws-music; did you mean MUSICBRAINZ_CONTACT?",
        "the environment: SPOTIFY_TOKEN is not a setting of rws-music; did you mean SPOTIFY_REFRESH_TOKEN?",
    ]
    assert unknown_variable_warnings(tmp_path / "absent.env", {"SPOTIFY_CLIENT_ID": "x"}) == []


def test_dotenv_example_holds_only_our_names(tmp_path: Path):
    assert unknown_variable_warnings(REPO / ".env.example", {}) == []


def test_make_enrich_without_a_history_says_so_in_one_line(tmp_path: Path):
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    env = plain_env(data_dir)
    env.update({"ENRICH_LOCK": str(tmp_path / "enrich.lock"), "DBT_TARGET_PATH": str(tmp_path / "target"),
                "MAKEFLAGS": ""})  # fmt: skip
    done = subprocess.run(["make", "--no-print-directory", "enrich"], cwd=REPO, env=env, capture_output=True, text=True,
                          timeout=300)  # fmt: skip
    assert done.returncode == 0, done.stderr
    lines = [line for line in done.stdout.splitlines() if not line.startswith("created .env")]
    assert len(lines) == 1, done.stdout
    assert "no listening history yet" in lines[0] and "python -m extractors import" in lines[0]
    assert done.stderr == ""
    assert not (data_dir / "music_tracker.duckdb").exists()


def test_the_demo_summary_never_cuts_a_name_and_says_how_many_it_left_out():
    from scripts.demo import names_within

    names = ["Björk", "Sigur Rós", "Of Monsters and Men", "Ólafur Arnalds", "Kaleo"]
    assert names_within(names, 60) == ", ".join(names)  # all fit: all shown
    assert names_within(names, 30) == "Björk, Sigur Rós and 3 more"
    assert (
        names_within(["A name longer than the width allows", "B"], 10)
        == "A name longer than the width allows and 1 more"
    )
