"""The extractors read the history once: ``int_history__references`` summed from a cache of one summary per
history file (extractors/history_summary.py), equal to what ``dbt build`` computes over the whole history.

The history is the sample's (real Spotify ids and names) cut into files as a user's folder grows: an import of
the older listens, then polls, then a late file; the warehouse to compare with is the sample's own build."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import duckdb
import pytest

from extractors.catalog import Catalog
from extractors.config import load_settings

COLUMNS = (
    "track_id, track_uri, track_isrc, track_name, album_id, album_uri, album, artist_id, artist_mbid, artist, plays"
)


def split_history(source: Path, folder: Path, cuts: int = 3) -> list[Path]:
    """The rows of ``source`` cut by time into ``cuts`` files, oldest first (as imports and polls add them)."""
    folder.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    paths = []
    for n in range(cuts):
        path = folder / f"part-{n}.parquet"
        con.execute(
            f"copy (select * from read_parquet(?) qualify ntile({cuts}) over (order by played_at, track_name) = "
            f"{n + 1}) to '{path}' (format parquet)",
            [str(source)],
        )
        paths.append(path)
    con.close()
    return paths


def references(catalog: Catalog) -> list[tuple[Any, ...]]:
    catalog.forget_history()
    catalog.require_history()
    catalog.prepare_rules()
    return sorted(
        catalog.con.execute(f"select {COLUMNS} from int_history__references").fetchall(), key=lambda r: repr(r)
    )


def catalog_for(data_dir: Path, owns_data: bool = True) -> Catalog:
    return Catalog(load_settings(env={"DATA_DIR": str(data_dir)}), owns_data=owns_data)


@pytest.fixture
def history(sample: dict[str, Any], tmp_path: Path) -> tuple[Path, list[Path], list[tuple[Any, ...]]]:
    """A data folder whose history is the sample's in three files, and dbt's int_history__references of it."""
    data_dir = tmp_path / "data"
    built = sample["data_dir"]
    paths = split_history(
        built / "src" / "tracks_played" / "sample.parquet", data_dir / "src" / "tracks_played", cuts=3
    )
    shutil.copytree(built / "raw", data_dir / "raw")
    con: duckdb.DuckDBPyConnection = sample["con"]
    expected = sorted(con.execute(f"select {COLUMNS} from intermediate.int_history__references").fetchall(), key=repr)
    return data_dir, paths, expected


def test_the_sum_of_the_files_summaries_is_what_dbt_computes(history):
    data_dir, _paths, expected = history
    catalog = catalog_for(data_dir)
    try:
        assert references(catalog) == expected
        assert catalog.history_summary is not None
        assert (catalog.history_summary.files, catalog.history_summary.computed) == (3, 3)
        # some rows are in more than one file: their plays are summed, not listed twice
        assert sum(r[-1] for r in expected) == catalog.history_rows()
    finally:
        catalog.close()
    assert len(list((data_dir / "cache" / "history").glob("*.parquet"))) == 3


def test_a_second_run_reads_only_the_new_file(history):
    data_dir, paths, expected = history
    first = catalog_for(data_dir)
    try:
        references(first)
    finally:
        first.close()
    second = catalog_for(data_dir)
    try:
        assert references(second) == expected
        assert second.history_summary is not None and second.history_summary.computed == 0
        # the night's polls: the file of the newest listens again, as a new file
        shutil.copy2(paths[-1], paths[-1].with_name("polled.parquet"))
        grown = references(second)
        assert second.history_summary.computed == 1
        assert sum(r[-1] for r in grown) == second.history_rows() == sum(r[-1] for r in expected) + _rows(paths[-1])
    finally:
        second.close()


def test_deleting_the_cache_changes_nothing_but_the_work(history):
    data_dir, _paths, expected = history
    catalog = catalog_for(data_dir)
    try:
        references(catalog)
        shutil.rmtree(data_dir / "cache")
        assert references(catalog) == expected
        assert catalog.history_summary is not None and catalog.history_summary.computed == 3
    finally:
        catalog.close()


def test_a_file_replaced_or_removed_by_hand_is_noticed(history):
    data_dir, paths, expected = history
    catalog = catalog_for(data_dir)
    try:
        references(catalog)
        # replaced: the oldest file rewritten by hand without its first artist's plays (same name)
        con = duckdb.connect()
        artist = con.execute("select min(artist) from read_parquet(?)", [str(paths[0])]).fetchall()[0][0]
        edited = paths[0].with_name("edited.tmp-parquet")
        con.execute(f"copy (select * from read_parquet(?) where artist <> ?) to '{edited}' (format parquet)",
                    [str(paths[0]), artist])  # fmt: skip
        con.close()
        os.replace(edited, paths[0])
        after_edit = references(catalog)
        assert catalog.history_summary is not None and catalog.history_summary.computed == 1
        assert sum(r[-1] for r in after_edit) == catalog.history_rows()
        assert after_edit != expected
        assert len(list((data_dir / "cache" / "history").glob("*.parquet"))) == 3  # the old summary is gone
        # removed: its plays are gone from the rules, and its summary from the cache
        paths[0].unlink()
        after_removal = references(catalog)
        assert sum(r[-1] for r in after_removal) == catalog.history_rows() == _rows(paths[1]) + _rows(paths[2])
        assert len(list((data_dir / "cache" / "history").glob("*.parquet"))) == 2
    finally:
        catalog.close()


def test_only_a_run_holding_the_lock_removes_old_summaries(history):
    data_dir, paths, _expected = history
    catalog = catalog_for(data_dir, owns_data=False)  # `status`: it may run beside an import
    try:
        references(catalog)
        paths[2].unlink()
        references(catalog)
        assert catalog.history_summary is not None and catalog.history_summary.pruned == 0
    finally:
        catalog.close()
    assert len(list((data_dir / "cache" / "history").glob("*.parquet"))) == 3


def test_a_broken_or_half_written_summary_costs_only_time(history):
    data_dir, _paths, expected = history
    first = catalog_for(data_dir)
    try:
        references(first)
    finally:
        first.close()
    cache = sorted((data_dir / "cache" / "history").glob("*.parquet"))
    cache[0].write_bytes(b"PAR1 cut short by a full disk")
    (cache[1].with_name(cache[1].name + ".tmp")).write_bytes(b"PAR1 half")  # a crash while writing
    second = catalog_for(data_dir)
    try:
        assert references(second) == expected
        assert second.history_summary is not None and second.history_summary.computed == 1
    finally:
        second.close()
    assert not list((data_dir / "cache" / "history").glob("*.tmp"))


def _rows(path: Path) -> int:
    con = duckdb.connect()
    try:
        row = con.execute("select count(*) from read_parquet(?)", [str(path)]).fetchone()
        return int(row[0]) if row else 0
    finally:
        con.close()
