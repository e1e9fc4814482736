"""Landing: the contract's columns, atomic files, and never a landed file replaced."""

from __future__ import annotations

from pathlib import Path

import duckdb

from extractors.landing import Lander, Record, remove_stale_temp_files


def test_two_landers_of_one_run_never_overwrite_each_other(tmp_path: Path):
    first = Lander(tmp_path, "musicbrainz", "areas", "20261124T000000Z-abcdef")
    first.write([Record("a", 200, {"id": "a"})])
    second = Lander(tmp_path, "musicbrainz", "areas", "20261124T000000Z-abcdef")  # the next area level
    second.write([Record("b", 200, {"id": "b"})])
    second.write([Record("c", 404, None)])
    folder = tmp_path / "musicbrainz" / "areas"
    assert sorted(p.name for p in folder.iterdir()) == [
        "20261124T000000Z-abcdef-00000.parquet",
        "20261124T000000Z-abcdef-00001.parquet",
        "20261124T000000Z-abcdef-00002.parquet",
    ]
    rows = duckdb.sql(f"select key, status, body::varchar from '{folder}/*.parquet' order by key").fetchall()
    assert rows == [("a", 200, '{"id": "a"}'), ("b", 200, '{"id": "b"}'), ("c", 404, None)]


def test_an_empty_batch_writes_nothing_and_stale_temp_files_are_swept(tmp_path: Path):
    lander = Lander(tmp_path, "spotify", "artists", "run")
    assert lander.write([]) is None
    assert not (tmp_path / "spotify").exists()
    lander.write([Record("k", 200, {"name": "Björk"})])
    stale = tmp_path / "spotify" / "artists" / "run-00001.parquet.tmp"
    stale.write_bytes(b"half a file")
    assert remove_stale_temp_files(tmp_path) == 1
    assert not stale.exists()
    body = duckdb.sql(f"select body ->> 'name' from '{tmp_path}/spotify/artists/*.parquet'").fetchall()
    assert body == [("Björk",)]
