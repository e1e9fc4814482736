"""scripts/build_stamp.py: after a successful build (``mark_pending``, the build, ``mark_built``) the warehouse
is fresh until one of the inputs it watches changes. Each case below changes exactly one of them and the
stamp must say stale; changing nothing (or something it does not read) must leave it fresh.

Everything happens in temporary folders: DATA_DIR, REFERENCE_DIR and the other settings come from the
(monkeypatched) environment, and the dbt project is a small copy (REPO monkeypatched), never the real one.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from scripts import build_stamp

PROJECT = {
    "dbt_project.yml": "name: rws_music\n",
    "profiles.yml": "rws_music: {}\n",
    "uv.lock": "version = 1\n",
    "models/staging/stg_a.sql": "select 1 as a\n",
    "models/_models.yml": "version: 2\n",
    "macros/m.sql": "{% macro m() %}1{% endmacro %}\n",
    "seeds/countries.csv": "code\nDE\n",
    "tests/generic/g.sql": "{% test g(model) %}select 1 where false{% endtest %}\n",
    "tests/singular/s.sql": "select 1 where false\n",
}
DATA = {
    "src/tracks_played/history.parquet": b"PAR1 plays PAR1",
    "raw/spotify/artists/batch-1.parquet": b"PAR1 artists PAR1",
    "raw/musicbrainz/areas/batch-1.parquet": b"PAR1 areas PAR1",
}
SETTINGS = {
    "DATA_DIR": None,  # set to the temporary data folder
    "DUCKDB_PATH": None,  # set to the temporary warehouse
    "REFERENCE_DIR": None,  # set to the temporary reference folder
    "USER_ID": "me",
    "LISTENER_TIMEZONE": "Europe/Berlin",
    "TZ": "UTC",
}


class World:
    def __init__(self, root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.root, self.monkeypatch = root, monkeypatch
        self.repo, self.data, self.reference = root / "repo", root / "data", root / "reference"
        self.warehouse = self.data / "music_tracker.duckdb"
        for name, text in PROJECT.items():
            self.write(self.repo / name, text.encode())
        for name, content in DATA.items():
            self.write(self.data / name, content)
        self.write(self.reference / "gazetteer_cities.parquet", b"PAR1 cities PAR1")
        monkeypatch.setattr(build_stamp, "REPO", self.repo)
        for name, value in SETTINGS.items():
            monkeypatch.setenv(name, value or "")
        monkeypatch.setenv("DATA_DIR", str(self.data))
        monkeypatch.setenv("DUCKDB_PATH", str(self.warehouse))
        monkeypatch.setenv("REFERENCE_DIR", str(self.reference))

    @staticmethod
    def write(path: Path, content: bytes) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)

    def build(self) -> None:
        """What `make dbt` does: pending, dbt build (writes the warehouse), commit."""
        build_stamp.mark_pending()
        self.write(self.warehouse, b"a warehouse")
        build_stamp.mark_built()


def rewrite_same_size(path: Path) -> None:
    """Same length, other bytes, a later mtime (a file replaced by one of the same size)."""
    content = path.read_bytes()
    path.write_bytes(content[::-1])
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


def append(path: Path) -> None:
    path.write_bytes(path.read_bytes() + b"\n-- changed\n")


STALE: dict[str, Callable[[World], None]] = {
    # data files under src/ and raw/ (and the offline gazetteer): new, changed, removed
    "a new parquet under src": lambda w: w.write(w.data / "src/tracks_played/import-2.parquet", b"PAR1 new PAR1"),
    "a new parquet under raw": lambda w: w.write(w.data / "raw/spotify/albums/batch-1.parquet", b"PAR1 al PAR1"),
    "a parquet under src grew": lambda w: append(w.data / "src/tracks_played/history.parquet"),
    "a parquet under src replaced, same size": lambda w: rewrite_same_size(
        w.data / "src/tracks_played/history.parquet"
    ),
    "a parquet under raw grew": lambda w: append(w.data / "raw/spotify/artists/batch-1.parquet"),
    "a parquet under raw replaced, same size": lambda w: rewrite_same_size(
        w.data / "raw/musicbrainz/areas/batch-1.parquet"
    ),
    "a parquet under src removed": lambda w: (w.data / "src/tracks_played/history.parquet").unlink(),
    "a parquet under raw removed": lambda w: (w.data / "raw/spotify/artists/batch-1.parquet").unlink(),
    "the gazetteer changed": lambda w: append(w.reference / "gazetteer_cities.parquet"),
    # the dbt project, by content
    **{f"{name} changed": (lambda w, name=name: append(w.repo / name)) for name in PROJECT},
    "a model added": lambda w: w.write(w.repo / "models/marts/new_mart.sql", b"select 2 as b\n"),
    "a model removed": lambda w: (w.repo / "models/staging/stg_a.sql").unlink(),
    "a singular test added": lambda w: w.write(w.repo / "tests/singular/t2.sql", b"select 1 where false\n"),
    "a model rewritten, same size and mtime": lambda w: (
        (w.repo / "models/staging/stg_a.sql").write_text("select 2 as a\n"),
        os.utime(w.repo / "models/staging/stg_a.sql", ns=(0, 0)),
    ),
    # the settings dbt reads
    "DATA_DIR spelt otherwise": lambda w: w.monkeypatch.setenv("DATA_DIR", str(w.root / "repo" / ".." / "data")),
    "DUCKDB_PATH changed": lambda w: w.monkeypatch.setenv("DUCKDB_PATH", str(w.root / "elsewhere.duckdb")),
    "USER_ID changed": lambda w: w.monkeypatch.setenv("USER_ID", "someone"),
    "LISTENER_TIMEZONE changed": lambda w: w.monkeypatch.setenv("LISTENER_TIMEZONE", "Asia/Tokyo"),
    "LISTENER_TIMEZONE unset": lambda w: w.monkeypatch.delenv("LISTENER_TIMEZONE"),
    "TZ changed": lambda w: w.monkeypatch.setenv("TZ", "America/New_York"),
    "REFERENCE_DIR changed": lambda w: w.monkeypatch.setenv("REFERENCE_DIR", str(w.root / "other_reference")),
    # the warehouse, by hand
    "the warehouse changed": lambda w: append(w.warehouse),
    "the warehouse replaced, same size": lambda w: rewrite_same_size(w.warehouse),
    "the warehouse deleted": lambda w: w.warehouse.unlink(),
    # a build that failed: pending, and no commit
    "a build that failed": lambda w: build_stamp.mark_pending(),
    "the stamp deleted": lambda w: (w.data / build_stamp.STAMP).unlink(),
}

FRESH: dict[str, Callable[[World], None]] = {
    "nothing": lambda w: None,
    "a file that is not parquet under src": lambda w: w.write(w.data / "src/tracks_played/notes.txt", b"x"),
    "a file outside src, raw and the reference": lambda w: w.write(w.data / "exports/report.html", b"<html>"),
    "a project file dbt does not read": lambda w: w.write(w.repo / "README.md", b"# readme\n"),
    "a setting dbt does not read": lambda w: w.monkeypatch.setenv("LOG_LEVEL", "DEBUG"),
    "a project file read again with the same content": lambda w: (w.repo / "macros/m.sql").write_text(
        PROJECT["macros/m.sql"]
    ),
}


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> World:
    w = World(tmp_path, monkeypatch)
    assert not build_stamp.is_fresh()  # never built
    w.build()
    assert build_stamp.is_fresh()
    return w


@pytest.mark.parametrize("change", list(STALE))
def test_each_input_it_watches_makes_the_warehouse_stale(world: World, change: str):
    STALE[change](world)
    assert not build_stamp.is_fresh()


@pytest.mark.parametrize("change", list(FRESH))
def test_what_it_does_not_watch_leaves_the_warehouse_fresh(world: World, change: str):
    FRESH[change](world)
    assert build_stamp.is_fresh()


def test_a_play_landed_during_the_build_is_seen_by_the_next_run(world: World):
    build_stamp.mark_pending()
    world.write(world.data / "src/tracks_played/landed-during-build.parquet", b"PAR1 late PAR1")
    append(world.warehouse)  # the build writes the warehouse
    build_stamp.mark_built()
    assert not build_stamp.is_fresh()
    world.build()  # the next run builds again, and then it is fresh
    assert build_stamp.is_fresh()


def test_a_failed_build_then_a_successful_one_is_fresh_again(world: World):
    append(world.data / "src/tracks_played/history.parquet")
    build_stamp.mark_pending()  # the build fails: no commit
    assert not build_stamp.is_fresh()
    world.build()
    assert build_stamp.is_fresh()


def test_commit_without_pending_records_nothing(world: World):
    (world.data / build_stamp.STAMP).unlink()
    build_stamp.mark_built()  # no pending record: nothing to keep
    assert not (world.data / build_stamp.STAMP).exists()
    assert not build_stamp.is_fresh()


# What the next build selects after each change (issue 16: a night's listens rebuild what the history feeds, a
# landing what its endpoint feeds; anything else, the whole project).
HISTORY, ARTISTS = "source:history.tracks_played+", "source:spotify.artists+"
SELECTED: dict[str, list[str] | None] = {
    "a new parquet under src": [HISTORY],
    "a new parquet under raw": ["source:spotify.albums+"],
    "a parquet under src grew": [HISTORY],
    "a parquet under src replaced, same size": [HISTORY],
    "a parquet under raw grew": [ARTISTS],
    "a parquet under raw replaced, same size": ["source:musicbrainz.areas+"],
    "a parquet under src removed": [HISTORY],
    "a parquet under raw removed": [ARTISTS],
}


@pytest.mark.parametrize("change", list(STALE))
def test_a_build_selects_only_what_changed_data_feeds(world: World, change: str):
    STALE[change](world)
    assert build_stamp.selection(build_stamp.inputs()) == SELECTED.get(change)  # None: the whole project


def test_changes_to_several_sources_select_each_of_them(world: World):
    STALE["a new parquet under src"](world)
    STALE["a parquet under raw grew"](world)
    STALE["a new parquet under raw"](world)
    assert build_stamp.selection(build_stamp.inputs()) == [HISTORY, "source:spotify.albums+", ARTISTS]
    world.build()
    assert build_stamp.selection(build_stamp.inputs()) == []  # built: nothing to select


@pytest.mark.parametrize(
    "name",
    [
        "raw/spotify/not_an_endpoint/batch-1.parquet",  # a folder no extractor lands
        "raw/nosuchsource/artists/batch-1.parquet",
        "raw/stray.parquet",
        "src/elsewhere/history.parquet",  # not the history's folder
    ],
)
def test_a_data_file_outside_the_known_layout_rebuilds_everything(world: World, name: str):
    world.write(world.data / name, b"PAR1 x PAR1")
    assert build_stamp.selection(build_stamp.inputs()) is None


def test_a_data_change_with_the_project_changed_too_rebuilds_everything(world: World):
    STALE["a new parquet under src"](world)
    append(world.repo / "models/staging/stg_a.sql")
    assert build_stamp.selection(build_stamp.inputs()) is None


def test_a_file_landed_between_the_selection_and_the_build_is_selected_by_the_next_build(world: World):
    # make enrich reads the inputs once: it selects from them and records them; a history file landing after
    # that reading (a `make ingest` beside it) was not selected, so it must not be recorded as built
    world.write(world.data / "raw/spotify/albums/batch-1.parquet", b"PAR1 al PAR1")
    now = build_stamp.inputs()
    assert build_stamp.selection(now) == ["source:spotify.albums+"]
    world.write(world.data / "src/tracks_played/landed-meanwhile.parquet", b"PAR1 late PAR1")
    build_stamp.mark_pending(now)
    append(world.warehouse)  # the build writes the warehouse
    build_stamp.mark_built()
    assert build_stamp.selection(build_stamp.inputs()) == [HISTORY]
