"""The fault suite's invariant checks (tests/invariants.py) catch what they claim to catch."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import duckdb
import pytest

from extractors.landing import Lander, Record
from tests.invariants import check_invariants, landed_diff, landed_equal, snapshot


def land(data_dir: Path, endpoint: str, run_id: str, *records: Record) -> Path:
    source, name = endpoint.split("/")
    written = Lander(data_dir / "raw", source, name, run_id).write(list(records))
    assert written is not None
    return written


@pytest.fixture
def landed_dir(tmp_path: Path) -> Path:
    data = tmp_path / "a"
    land(data, "spotify/artists", "run1", Record("x", 200, {"id": "x"}), Record("y", 404, None))
    land(data, "musicbrainz/areas", "run1", Record("x", 200, {"id": "x"}))  # same key, another endpoint: fine
    return data


def test_a_clean_folder_passes_and_its_snapshot_holds_every_row(landed_dir: Path):
    snap = check_invariants(landed_dir)
    assert snap.keys("spotify/artists") == {"x", "y"}
    assert snap.endpoints() == {"spotify/artists", "musicbrainz/areas"}
    assert sorted(snap.rows())[0] == ("musicbrainz/areas", "x", 200, '{"id": "x"}')
    assert check_invariants(landed_dir, snap) == snap
    assert check_invariants(landed_dir.parent / "nothing-there") == snapshot(landed_dir.parent / "nothing-there")


def test_a_key_landed_twice_in_one_endpoint_fails(landed_dir: Path):
    land(landed_dir, "spotify/artists", "run2", Record("y", 200, {"id": "y"}))
    with pytest.raises(AssertionError, match=re.escape("spotify/artists: y (2 times)")):
        check_invariants(landed_dir)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("run1-00001.parquet.tmp", b"half", "temporary files left"),
        ("notes.txt", b"hello", "stray file"),
        ("run1-00001.parquet", b"PAR1 not really", "not readable by DuckDB"),
    ],
)
def test_leftovers_and_unreadable_files_fail(landed_dir: Path, name: str, content: bytes, message: str):
    (landed_dir / "raw" / "spotify" / "artists" / name).write_bytes(content)
    with pytest.raises(AssertionError, match=message):
        check_invariants(landed_dir)


def test_a_temp_file_is_tolerated_only_right_after_a_kill(landed_dir: Path):
    (landed_dir / "raw" / "spotify" / "artists" / "run2-00000.parquet.tmp").write_bytes(b"half")
    assert check_invariants(landed_dir, killed=True).temp_files == ("spotify/artists/run2-00000.parquet.tmp",)


def test_a_file_with_other_columns_fails(landed_dir: Path):
    target = landed_dir / "raw" / "spotify" / "artists" / "other.parquet"
    duckdb.connect().execute(f"copy (select 'k' as key, 200 as status) to '{target}' (format parquet)")
    with pytest.raises(AssertionError, match="columns"):
        check_invariants(landed_dir)


def test_a_lost_or_rewritten_file_fails_against_the_snapshot_before(landed_dir: Path):
    before = snapshot(landed_dir)
    [artists] = (landed_dir / "raw" / "spotify" / "artists").glob("*.parquet")
    land(landed_dir, "spotify/albums", "run2", Record("z", 200, {"id": "z"}))  # adding is fine
    check_invariants(landed_dir, before)
    artists.unlink()
    with pytest.raises(AssertionError, match="lost after the fault"):
        check_invariants(landed_dir, before)
    land(landed_dir, "spotify/artists", "run1", Record("x", 200, {"id": "x", "changed": True}))
    shutil.move(next((landed_dir / "raw" / "spotify" / "artists").glob("*.parquet")), artists)
    with pytest.raises(AssertionError, match="rewritten after the fault"):
        check_invariants(landed_dir, before)


def test_landed_equal_ignores_runs_and_files_but_not_answers(landed_dir: Path, tmp_path: Path):
    other = tmp_path / "b"  # the same answers, split over other files of other runs
    land(other, "spotify/artists", "runA", Record("y", 404, None))
    land(other, "spotify/artists", "runB", Record("x", 200, {"id": "x"}))
    land(other, "musicbrainz/areas", "runC", Record("x", 200, {"id": "x"}))
    assert landed_equal(landed_dir, other)
    land(other, "spotify/albums", "runD", Record("q", 200, {"id": "q"}))
    assert not landed_equal(landed_dir, other)
    assert "1 only in" in landed_diff(landed_dir, other) and "spotify/albums q 200" in landed_diff(landed_dir, other)
    different = tmp_path / "c"
    land(different, "spotify/artists", "run1", Record("x", 200, {"id": "x", "name": "new"}), Record("y", 404, None))
    land(different, "musicbrainz/areas", "run1", Record("x", 200, {"id": "x"}))
    assert not landed_equal(landed_dir, different)  # same keys, another body
