"""The rules' tables kept between runs (extractors/rules_cache.py): a run computes only the rules whose inputs
changed, and what it reads back is exactly what it would compute.

Over the sample's history and its landed answers (real ids, names, MusicBrainz and OpenWeather answers)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import duckdb
import pytest

from extractors import rules
from extractors.catalog import Catalog
from extractors.config import load_settings
from tests.test_history_summary import split_history

TABLES = [m for m in rules.MODELS if m not in rules.REFERENCE_MODELS] + ["musicbrainz_artist_plays"]
# int_history__references has a cache of its own, per history file (tests/test_history_summary.py)
CACHED = [m for m in TABLES if m not in rules.HISTORY_MODELS]


def reading(source: tuple[str, str]) -> set[str]:
    """The cached rules that read ``source``, directly or through other rules."""
    plays = set().union(*(rules.model_inputs()[m] for m in rules.ARTIST_PLAYS_MODELS))
    inputs = {**rules.model_inputs(), "musicbrainz_artist_plays": plays}
    return {m for m in CACHED if source in inputs[m]}


HISTORY_RULES = reading(("history", "tracks_played"))


def tables(data_dir: Path, cached: bool = True) -> tuple[dict[str, list[tuple[Any, ...]]], Catalog]:
    """Every rule's rows (sorted) as a run sees them, and the closed catalog (its cache's restored/computed)."""
    if not cached:
        shutil.rmtree(data_dir / "cache", ignore_errors=True)
    catalog = Catalog(load_settings(env={"DATA_DIR": str(data_dir)}), owns_data=True)
    try:
        catalog.require_history()
        catalog.prepare_rules()
        rows = {name: sorted(catalog.con.execute(f"select * from {name}").fetchall(), key=repr) for name in TABLES}
    finally:
        catalog.close()
    return rows, catalog


@pytest.fixture
def data_dir(sample: dict[str, Any], tmp_path: Path) -> Path:
    built = sample["data_dir"]
    data_dir = tmp_path / "data"
    split_history(built / "src" / "tracks_played" / "sample.parquet", data_dir / "src" / "tracks_played", cuts=2)
    shutil.copytree(built / "raw", data_dir / "raw")
    return data_dir


def test_a_run_with_nothing_new_computes_no_rule(data_dir: Path):
    first, run = tables(data_dir)
    assert set(run.rules_cache.computed) == set(CACHED) and not run.rules_cache.restored
    again, run = tables(data_dir)
    assert run.rules_cache.computed == [] and set(run.rules_cache.restored) == set(CACHED)
    assert again == first
    assert any(rows for rows in first.values())  # the sample matches artists, tracks, cities: not empty tables


def test_a_new_landed_file_recomputes_only_the_rules_that_read_it(data_dir: Path):
    tables(data_dir)
    # a later run's geocoding answers (the same answers again, as a new batch file: the latest answer wins)
    geocode = data_dir / "raw" / "openweather" / "geocode"
    first = sorted(geocode.glob("*.parquet"))[0]
    shutil.copy2(first, geocode / "29991231T000000Z-abcdef-00000.parquet")
    after, run = tables(data_dir)
    readers = {
        m for m in TABLES if m != "musicbrainz_artist_plays" and ("openweather", "geocode") in rules.model_inputs()[m]
    }
    assert readers and set(run.rules_cache.computed) == readers
    assert set(run.rules_cache.restored) == set(CACHED) - readers
    fresh, _ = tables(data_dir, cached=False)
    assert after == fresh


def test_a_new_history_file_recomputes_only_the_rules_that_read_the_history(data_dir: Path):
    tables(data_dir)
    history = data_dir / "src" / "tracks_played"
    con = duckdb.connect()
    con.execute(
        f"copy (select * replace (played_at + interval 1 day as played_at) from read_parquet(?) limit 25) "
        f"to '{history / 'polled.parquet'}' (format parquet)",
        [str(sorted(history.glob("*.parquet"))[-1])],
    )
    con.close()
    after, run = tables(data_dir)
    assert set(run.rules_cache.computed) == HISTORY_RULES
    assert set(run.rules_cache.restored) == set(CACHED) - HISTORY_RULES
    fresh, _ = tables(data_dir, cached=False)
    assert after == fresh


def test_a_broken_cached_table_is_computed_again(data_dir: Path):
    first, _ = tables(data_dir)
    cache = data_dir / "cache" / "rules"
    broken = sorted(cache.glob("int_spotify__tracks-*.parquet"))
    assert len(broken) == 1
    broken[0].write_bytes(b"PAR1 cut short")
    again, run = tables(data_dir)
    assert again == first and run.rules_cache.computed == ["int_spotify__tracks"]


def test_tables_of_old_inputs_are_removed_and_others_kept(data_dir: Path):
    tables(data_dir)
    cache = data_dir / "cache" / "rules"
    before = {p.name for p in cache.glob("*.parquet")}
    history = data_dir / "src" / "tracks_played"
    sorted(history.glob("*.parquet"))[-1].unlink()
    tables(data_dir)
    after = {p.name for p in cache.glob("*.parquet")}
    history_files = {n for n in before if n.rsplit("-", 1)[0] in HISTORY_RULES}
    assert history_files and not history_files & after  # the rules of the old history: gone
    assert before - history_files <= after  # the landed-only rules: the same files, kept
