"""What is there and what is missing: an in-memory DuckDB over the history and the landed parquet.

The warehouse file is never opened here, so ``dbt build`` or a dashboard holding it never blocks an
extraction. Every "which keys are missing" question is an anti-join in SQL.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import duckdb

from extractors import history_summary, queries, rules, rules_cache
from extractors.config import Settings
from extractors.errors import InputError
from extractors.landing import endpoint_dir

log = logging.getLogger(__name__)

# The contract's columns of tracks_played (docs/contracts.md), in order, with their DuckDB types.
TRACKS_PLAYED_COLUMNS: dict[str, str] = {
    "user_id": "varchar",
    "track_id": "varchar",
    "track_uri": "varchar",
    "track_isrc": "varchar",
    "track_name": "varchar",
    "album_id": "varchar",
    "album_uri": "varchar",
    "album": "varchar",
    "artist_id": "varchar",
    "artist_mbid": "varchar",
    "artist": "varchar",
    "duration_ms": "bigint",
    "played_at": "timestamp",
    "popularity": "double",
    "request_cursor": "varchar",
    "play_source": "varchar",
    # the listen's own facts, when the source gives them (older history files lack them: read as null)
    "ms_played": "bigint",
    "started_at": "timestamp",
    "reason_start": "varchar",
    "reason_end": "varchar",
    "skipped": "boolean",
    "shuffle": "boolean",
    "offline": "boolean",
    "platform": "varchar",
    "conn_country": "varchar",
    "source_user": "varchar",
}
REQUIRED_COLUMNS = ("track_name", "artist", "played_at")


def _utf8(text: str) -> bool:
    """False for a file name with bytes that are not UTF-8 (Python keeps them as surrogates)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


@dataclass(frozen=True)
class LandedSummary:
    endpoint: str
    found: int
    not_found: int
    files: int
    last_fetched: str | None


def parquet_files_in(directory: Path) -> list[Path]:
    """The ``*.parquet`` files directly in ``directory`` (none if it does not exist), as dbt's raw views glob
    them: the history's files, or one endpoint's landed answers."""
    return sorted(directory.glob("*.parquet")) if directory.is_dir() else []


class Catalog:
    """An in-memory DuckDB with views ``tracks_played`` and ``landed_<source>_<endpoint>``."""

    def __init__(self, settings: Settings, owns_data: bool = False) -> None:
        """``owns_data``: the caller holds the data folder's lock (run.data_lock), so the catalog may tidy its
        cache (remove the summaries of history files that are gone)."""
        self.settings = settings
        self.owns_data = owns_data
        self.history_summary: history_summary.SummaryStats | None = None  # the last one prepare_rules made
        self.rules_cache = rules_cache.RulesCache(
            settings.data_dir / "cache" / "rules", rules_cache.rules_version(rules.ROOT), prune=owns_data
        )
        self.con = duckdb.connect(":memory:")
        self.con.execute("set timezone = 'UTC'")
        self._history_files: list[Path] | None = None
        self._history_checked = False  # the tracks_played view is over the files history_files() lists
        self._rules_installed = False
        # the rules' inputs as of the last prepare_rules, (source, table) -> the identities of their files
        self._identities: dict[tuple[str, str], str] = {}
        self._derived: dict[str, tuple[str, ...]] = {}  # derived_table's tables: name -> what made it

    def close(self) -> None:
        """Close the connection; a run holding the data folder's lock also removes the rules' cached tables this
        run did not use (extractors/rules_cache.py)."""
        self.con.close()
        if self._rules_installed:
            self.rules_cache.tidy()

    # -- the listening history ------------------------------------------------------------------------
    def history_files(self) -> list[Path]:
        if self._history_files is None:
            self._history_files = parquet_files_in(self.settings.tracks_played_dir)
        return self._history_files

    def forget_history(self) -> None:
        """Look for history files again (after a new one was written)."""
        self._history_files = None
        self._history_checked = False

    def require_history(self) -> None:
        """Create the ``tracks_played`` view, or raise InputError naming the file and the problem.

        Once per list of history files: called again (``status`` counts rows, then rows per source), it reuses
        the view it checked; ``forget_history`` makes the next call look again."""
        if self._history_checked:
            return
        directory = self.settings.tracks_played_dir
        files = self.history_files()
        if not files:
            raise InputError(
                f"{directory}: no listening history yet; import your export first (uv run python -m extractors "
                "import PATH…) or poll Spotify (make ingest), or set DATA_DIR / --data-path to the folder that "
                "holds src/"
            )
        for path in files:
            if not _utf8(str(path)):
                raise InputError(
                    f"{path}: the file name is not UTF-8 text, so DuckDB cannot open it; rename the file "
                    "(e.g. to plain ASCII) and run again"
                )
            try:
                types = {
                    row[0]: row[1]
                    for row in self.con.execute("describe select * from read_parquet(?)", [str(path)]).fetchall()
                }
            except duckdb.Error as exc:
                first = str(exc).strip().splitlines()[0]
                raise InputError(
                    f"{path}: not a readable parquet file ({first}); replace or remove it and run again"
                ) from None
            missing = [c for c in REQUIRED_COLUMNS if c not in types]
            if missing:
                raise InputError(
                    f"{path}: required column {', '.join(missing)} missing (tracks_played needs "
                    f"{', '.join(REQUIRED_COLUMNS)}); fix the file or move it out of {directory}"
                )
            self._check_types(path, types)
        self.con.execute(queries.common("tracks_played", files=[str(p) for p in files], columns=TRACKS_PLAYED_COLUMNS))
        try:
            self.con.execute("select count(*) from tracks_played").fetchone()
        except duckdb.Error as exc:
            first = str(exc).strip().splitlines()[0]
            raise InputError(f"{directory}: the history cannot be read ({first}); fix or remove the file") from None
        self._history_checked = True

    def _check_types(self, path: Path, types: dict[str, str]) -> None:
        """A contract column of another type is fine if every value casts; else InputError naming the column.

        (The view reads with ``try_cast``: without this check a ``played_at`` of 'yesterday' would silently
        become null.) Only columns whose type differs from the contract are scanned, so a normal file costs
        nothing here.
        """
        for column, wanted in TRACKS_PLAYED_COLUMNS.items():
            found = types.get(column)
            if found is None or found.lower() == wanted:
                continue
            row = self.con.execute(
                queries.common("uncastable_values", column=column, type=wanted, path=str(path))
            ).fetchone()
            if row and row[0]:
                expected = "TIMESTAMP (UTC)" if wanted == "timestamp" else wanted.upper()
                raise InputError(
                    f"{path}: column {column} is {found} and {row[0]} of its values cannot be read as "
                    f"{wanted.upper()} (e.g. {row[1]!r}); write {column} as {expected} (columns in README) "
                    f"or move the file out of {self.settings.tracks_played_dir}, then run again"
                )

    def history_rows(self) -> int:
        if not self.history_files():
            return 0
        self.require_history()
        row = self.con.execute("select count(*) from tracks_played").fetchone()
        return int(row[0]) if row else 0

    # -- landed raw data ------------------------------------------------------------------------------
    def landed(self, source: str, endpoint: str) -> str:
        """(Re)create and return the view over one endpoint's landed files; call again after landing."""
        view = f"landed_{source}_{endpoint}"
        directory = endpoint_dir(self.settings.raw_dir, source, endpoint)
        files = parquet_files_in(directory)
        try:
            self.con.execute(queries.common("landed", view=view, files=[str(p) for p in files]))
            self.con.execute(f"select count(*) from {view}").fetchone()
        except duckdb.Error as exc:
            first = str(exc).strip().splitlines()[0]
            bad = self._first_unreadable(files)
            where = bad or directory
            raise InputError(
                f"{where}: a landed file cannot be read ({first}); move it out of {directory} "
                "and run again (its keys will be fetched again)"
            ) from None
        return view

    def reference(self, reference_dir: Path) -> None:
        """Views ``gazetteer_cities`` and ``gazetteer_names`` over the offline gazetteer (empty if absent)."""
        for view in ("gazetteer_cities", "gazetteer_names"):
            path = reference_dir / f"{view}.parquet"
            try:
                self.con.execute(queries.common(view, path=str(path) if path.is_file() else None))
            except duckdb.Error as exc:
                first = str(exc).strip().splitlines()[0]
                raise InputError(f"{path}: the gazetteer cannot be read ({first}); regenerate it") from None

    def prepare_rules(self) -> None:
        """(Re)create every landed view the rules read, and the rules' tables over them (extractors/rules.py).

        The rules are dbt's own models, rendered and computed on this connection: what the extractors ask for
        next is decided by exactly the SQL that builds the warehouse (docs/rules.md). Call again after landing:
        the tables hold what was landed when they were computed."""
        # what the rules read, each input as the identities of its files (rules_cache.file_identity): the history's
        # (a file replaced by hand keeps its name), every landed file (append-only: name and size), the gazetteer
        identities = {("history", "tracks_played"): "|".join(map(rules_cache.file_identity, self.history_files()))}
        for source, endpoint in rules.landed_inputs():
            files = parquet_files_in(endpoint_dir(self.settings.raw_dir, source, endpoint))
            identities[(source, endpoint)] = "|".join(rules_cache.file_identity(f, append_only=True) for f in files)
        for table in ("cities", "names"):
            path = self.settings.reference_dir / f"gazetteer_{table}.parquet"
            identities[("gazetteer", table)] = rules_cache.file_identity(path) if path.is_file() else "absent"
        changed = {key for key, identity in identities.items() if self._identities.get(key) != identity}
        if not changed:
            return  # nothing landed since they were computed
        for source, endpoint in rules.landed_inputs():
            if (source, endpoint) in changed:
                self.landed(source, endpoint)
        if ("history", "tracks_played") in changed:
            # the rules read the history only as int_history__references: the cached files' sums, and the new
            # files' own (extractors/history_summary.py); the history's rows are not read again
            self.history_summary = history_summary.load(
                self.con, self.history_files(), self.settings.history_cache_dir, TRACKS_PLAYED_COLUMNS,
                prune=self.owns_data,
            )  # fmt: skip
        if not self._rules_installed:
            self.reference(self.settings.reference_dir)
            rules.install(self.con)
            self._rules_installed = True
            rules.refresh(self.con, None, self.rules_cache, identities)
        else:
            rules.refresh(self.con, changed, self.rules_cache, identities)
        self._identities = identities

    def _first_unreadable(self, files: list[Path]) -> Path | None:
        for path in files:
            try:
                self.con.execute("select count(*) from read_parquet(?)", [str(path)]).fetchone()
            except duckdb.Error:
                return path
        return None

    def done_keys_sql(self, source: str, endpoint: str, retry_not_found: bool) -> str:
        """SQL for the keys not to ask again: any landed 200, and recent not-founds unless retrying."""
        return queries.common(
            "done_keys",
            landed=self.landed(source, endpoint),
            retry_not_found=retry_not_found,
            retry_days=int(self.settings.not_found_retry_days),
        )

    def missing_keys(self, source: str, endpoint: str, wanted: str, valid: str, retry_not_found: bool) -> list[str]:
        """The keys of ``wanted`` (SQL of key, plays; it may read ``done``, the done keys) in the format ``valid``
        (a regex) that are not done yet, most-played first (extractors/sql/missing_keys.sql)."""
        done = self.done_keys_sql(source, endpoint, retry_not_found)
        return self.keys(queries.common("missing_keys", wanted=wanted, done=done, valid=valid))

    def derived_table(self, name: str, sql: str, inputs: tuple[tuple[str, str], ...]) -> None:
        """(Re)create the temporary table ``name`` of an extractor's own SQL over the rules' tables when one of its
        ``inputs`` (the rules' inputs it reads, e.g. the history) changed since: once per change, not once per
        query that reads it, and kept between runs in the rules' cache (after :meth:`prepare_rules`)."""
        made = (sql, *(f"{key}={self._identities.get(key, '')}" for key in sorted(inputs)))
        if self._derived.get(name) == made:
            return
        path = self.rules_cache.path(name, made)
        if not self.rules_cache.restore(self.con, name, path):
            self.con.execute(f"create or replace temp table {name} as\n{sql}")
            self.rules_cache.save(self.con, name, path)
        self._derived[name] = made

    def create_view(self, name: str, sql: str) -> None:
        """(Re)create a temporary view on this connection."""
        self.con.execute(f"create or replace temp view {name} as\n{sql}")

    def summary(self, source: str, endpoint: str) -> LandedSummary:
        view = self.landed(source, endpoint)
        row = self.con.execute(queries.common("landed_summary", landed=view)).fetchone()
        directory = endpoint_dir(self.settings.raw_dir, source, endpoint)
        files = len(parquet_files_in(directory))
        assert row is not None
        return LandedSummary(endpoint, int(row[0]), int(row[1]), files, row[2])

    def keys(self, sql: str, params: list[object] | None = None) -> list[str]:
        return [row[0] for row in self.con.execute(sql, params or []).fetchall()]

    def keys_and_values(self, sql: str) -> list[tuple[str, str]]:
        return [(row[0], row[1]) for row in self.con.execute(sql).fetchall()]
