"""The matching rules, read from the dbt project and executed on the extractors' in-memory DuckDB.

Which MBID a Spotify artist or a name-only artist gets, and which geocoding query (``params``) an area gets,
are decided once: by the dbt models listed in :data:`MODELS` (and the macros of ``macros/rules/`` and
``macros/normalized_name.sql`` they call). ``dbt build`` compiles them into the warehouse; the extractors
render the very same files with jinja2 (``ref``/``source``/``config`` resolved to the views of
:class:`~extractors.catalog.Catalog`) and create each one as a view, so "what is still missing" is asked of
exactly the answer dbt will give. docs/rules.md says where each rule lives.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import duckdb
import jinja2

from extractors.rules_cache import RulesCache

ROOT = Path(__file__).resolve().parent.parent
MACRO_FILES = ("macros/normalized_name.sql", "macros/latest_answers.sql")
MACRO_DIR = "macros/rules"

# The models the extractors execute, in dependency order (staging parses the landed JSON; the rest decide).
MODELS = (
    "int_history__references",
    "stg_spotify__tracks",
    "stg_spotify__artists",
    "stg_spotify__track_searches",
    "stg_spotify__artist_searches",
    "stg_spotify__album_tracks",
    "int_spotify__track_search_keys",
    "int_spotify__track_searches_matched",
    "int_spotify__tracks",
    "int_spotify__artist_searches_matched",
    "stg_musicbrainz__isrc_recordings",
    "stg_musicbrainz__spotify_urls",
    "stg_musicbrainz__artist_searches",
    "stg_musicbrainz__artists",
    "stg_musicbrainz__areas",
    "stg_gazetteer__cities",
    "stg_gazetteer__names",
    "stg_openweather__geocode",
    "int_musicbrainz__artists_deduplicated",
    "int_musicbrainz__spotify_artists_matched",
    "int_musicbrainz__artist_names_matched",
    "int_musicbrainz__area_parents_ranked",
    "mbz_area_hierarchy",
    "int_openweather__geocode_queries_parsed",
    "int_openweather__city_candidates_ranked",
)
# Models the catalog computes itself, from its per-file cache (extractors/history_summary.py), before refresh
HISTORY_MODELS = {"int_history__references": ("history", "tracks_played")}
# Rule data: the seeds (every column VARCHAR, as seeds/_seeds.yml loads them)
SEEDS = ("countries", "country_aliases", "us_states", "subdivision_parents")
# dbt sources -> the catalog's views
SOURCES = {
    ("history", "tracks_played"): "tracks_played",
    ("gazetteer", "cities"): "gazetteer_cities",
    ("gazetteer", "names"): "gazetteer_names",
}


def _source(source: str, table: str) -> str:
    return SOURCES.get((source, table), f"landed_{source}_{table}")


def _config(*_args: Any, **_kwargs: Any) -> str:
    return ""


@cache
def environment() -> jinja2.Environment:
    """jinja2 with the rule macros as globals and dbt's ref/source/config bound to the catalog's views."""
    env = jinja2.Environment(undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    env.globals.update(ref=lambda name: name, source=_source, config=_config)
    files = [ROOT / f for f in MACRO_FILES] + sorted((ROOT / MACRO_DIR).glob("*.sql"))
    # a module sees the globals of when it was made: twice, so that every macro can call every other one
    for _ in range(2):
        for path in files:
            env.globals.update(macros_in(env, path))
    return env


def macros_in(env: jinja2.Environment, path: Path) -> dict[str, Any]:
    """The macros a file of jinja defines, by name, as ``env`` renders them."""
    module = env.from_string(path.read_text(encoding="utf-8")).module
    return {k: v for k, v in vars(module).items() if isinstance(v, jinja2.runtime.Macro)}


@cache
def model_path(name: str) -> Path:
    found = sorted((ROOT / "models").rglob(f"{name}.sql"))
    if len(found) != 1:
        raise FileNotFoundError(f"dbt model {name}: {len(found)} files under {ROOT / 'models'}")
    return found[0]


def render_model(name: str, **bindings: Any) -> str:
    """The SQL of one dbt model as the extractors run it (``ref('x')`` is the view ``x``); ``bindings`` may
    replace ``ref`` or ``source`` (e.g. to read one history file)."""
    template = environment().from_string(model_path(name).read_text(encoding="utf-8"))
    return template.render(**bindings).strip().rstrip(";")


def render_macro(name: str, *args: str) -> str:
    """The SQL one rule macro expands to, e.g. ``render_macro('normalized_name', 'n')``."""
    macro: Any = environment().globals[name]
    return str(macro(*args)).strip()


@cache
def model_inputs() -> dict[str, frozenset[tuple[str, str]]]:
    """For each model of :data:`MODELS`, every dbt source it reads, directly or through the models it refs:
    what must have changed for its table to need computing again (:func:`refresh`)."""
    inputs: dict[str, frozenset[tuple[str, str]]] = {}
    for name in MODELS:
        used: set[tuple[str, str]] = set()

        def source(source: str, table: str, used: set[tuple[str, str]] = used) -> str:
            used.add((source, table))
            return _source(source, table)

        def ref(model: str, used: set[tuple[str, str]] = used) -> str:
            used.update(inputs.get(model, frozenset()))
            return model

        if name in HISTORY_MODELS:
            used.add(HISTORY_MODELS[name])
        else:
            text = model_path(name).read_text(encoding="utf-8")
            environment().from_string(text).render(source=source, ref=ref)
        inputs[name] = frozenset(used)
    return inputs


@cache
def landed_inputs() -> tuple[tuple[str, str], ...]:
    """The landed endpoints, (source, endpoint), that the rules read: every ``source()`` of :data:`MODELS` but
    the history and the gazetteer; the catalog creates their ``landed_*`` views before :func:`install`."""
    used = set().union(*model_inputs().values())
    return tuple(sorted(used - set(SOURCES)))


# The relations artist_plays (macros/rules/artist_plays.sql) reads, in its arguments' order
ARTIST_PLAYS_MODELS = (
    "int_history__references",
    "int_spotify__tracks",
    "int_spotify__track_searches_matched",
    "int_spotify__artist_searches_matched",
)
# Models that read only reference data (the offline gazetteer): computed once, by install
REFERENCE_MODELS = ("stg_gazetteer__cities", "stg_gazetteer__names")


def install(con: duckdb.DuckDBPyConnection) -> None:
    """Create the seeds and the reference models on ``con``, once; :func:`refresh` then computes the others."""
    for seed in SEEDS:
        path = str(ROOT / "seeds" / f"{seed}.csv").replace("'", "''")
        con.execute(
            f"create or replace temp view {seed} as "
            f"select * from read_csv('{path}', header = true, all_varchar = true, nullstr = '')"
        )
    for name in REFERENCE_MODELS:
        con.execute(f"create or replace temp table {name} as\n{render_model(name)}")


def refresh(
    con: duckdb.DuckDBPyConnection,
    changed: set[tuple[str, str]] | None = None,
    cache: RulesCache | None = None,
    identities: dict[tuple[str, str], str] | None = None,
) -> None:
    """Compute the models of :data:`MODELS` as temporary tables on ``con``, in dependency order, from what the
    catalog's ``int_history__references`` table (:data:`HISTORY_MODELS`, computed by the catalog first), its
    ``landed_*`` and ``gazetteer_*`` views hold now (call again after landing).

    ``changed``: the dbt sources, (source, table), whose files changed since the last refresh; only the models
    reading one of them (directly or through another model) are computed again. None: every model.

    Tables, not views: a view would be computed again inside every query that reads it, and the rules read one
    another (the artist maps read the Spotify matches, which read the track searches ...), so each question
    would recompute the whole chain several times over.

    ``cache`` (with ``identities``, the identity of each input's files): a table whose inputs are what they were
    when it was kept is read from the cache instead of computed (extractors/rules_cache.py)."""
    inputs = model_inputs()
    plays_inputs = frozenset().union(*(inputs[m] for m in ARTIST_PLAYS_MODELS))
    wanted = [
        (name, render_model(name, artist_plays=_shared_artist_plays), inputs[name])
        for name in MODELS
        if name not in REFERENCE_MODELS and name not in HISTORY_MODELS and (changed is None or inputs[name] & changed)
    ]
    # the plays as both artist maps see them (macros/rules/artist_plays.sql), for the MusicBrainz steps and for
    # the maps themselves (computed once, not once in each)
    if changed is None or plays_inputs & changed:
        readers = [i for i, (name, _, _) in enumerate(wanted) if name.startswith("int_musicbrainz__")]
        plays = ("musicbrainz_artist_plays", render_macro("artist_plays", *ARTIST_PLAYS_MODELS), plays_inputs)
        wanted.insert(min(readers, default=len(wanted)), plays)  # before the first artist map
    for name, sql, used in wanted:
        path = None
        if cache is not None and identities is not None:
            path = cache.path(name, [f"{key}={identities[key]}" for key in sorted(used)])
            if cache.restore(con, name, path):
                continue
        con.execute(f"create or replace temp table {name} as\n{sql}")
        if cache is not None and path is not None:
            cache.save(con, name, path)


def _shared_artist_plays(*relations: str) -> str:
    """``artist_plays`` in the models :func:`refresh` computes: the table ``musicbrainz_artist_plays`` (the same
    macro over the same relations, computed once before the models that call it), else the macro itself."""
    if relations == ARTIST_PLAYS_MODELS:
        return "select * from musicbrainz_artist_plays"
    return render_macro("artist_plays", *relations)


def normalized(con: duckdb.DuckDBPyConnection, names: list[str | None]) -> list[str | None]:
    """Names as the rules compare them (macros/normalized_name.sql), computed by DuckDB, in order."""
    row = con.execute(f"select list_transform(?::varchar[], lambda n: {render_macro('normalized_name', 'n')})", [names])
    result = row.fetchone()
    return list(result[0]) if result else []


def search_accepts(
    con: duckdb.DuckDBPyConnection, name: str, hits: list[tuple[object, object]], batched: bool = False
) -> bool:
    """Whether any (score, name) result of a name search for ``name`` is the artist, by the rule the artist maps
    apply (macros/rules/name_search.sql), computed by DuckDB: a search lands as found exactly when they match.
    ``batched``: the results are the share of a batched search (their scores are not compared)."""
    scores = [None if score is None else str(score) for score, _ in hits]
    names = [None if found is None else str(found) for _, found in hits]
    accepts = render_macro(
        "name_search_accepts", "try_cast(s as integer)", "n", render_macro("normalized_name", "$name"), "$batched"
    )
    row = con.execute(
        f"select coalesce(bool_or({accepts}), false) from (select unnest($scores::varchar[]) as s, "
        "unnest($names::varchar[]) as n)",
        {"name": name, "scores": scores, "names": names, "batched": batched},
    ).fetchone()
    return bool(row and row[0])


@cache
def _spotify_accepts_sql(kind: str) -> str:
    """The query :func:`spotify_search_accepts` runs for a track or an artist search (rendered once)."""
    if kind == "artist":
        items = "$.artists.items[*]"
        accepts = render_macro("match_key", "r ->> '$.name'") + " = $artist_key"
    else:
        items = "$.tracks.items[*]"
        accepts = render_macro(
            "track_search_accepts",
            "r ->> '$.name'",
            "r ->> '$.artists[0].name'",
            "$title_key",
            "$artist_key",
            "$first_artist_key",
        )
        accepts += " and ($isrc::varchar is null or upper(r ->> '$.external_ids.isrc') = $isrc::varchar)"
    return f"select coalesce(bool_or({accepts}), false) from (select unnest(cast($body as json) -> '{items}') as r)"


def spotify_search_accepts(con: duckdb.DuckDBPyConnection, body: object, wanted: dict[str, str | None]) -> bool:
    """Whether a Spotify search answer holds the result ``wanted`` asks for, by the rule the matching models apply
    (macros/rules/spotify_search.sql), computed by DuckDB: a search lands as found exactly when they match.

    ``wanted`` is a row of the Spotify extractor's search_requests.sql: a track search has ``title_key``,
    ``artist_key``, ``first_artist_key`` and, searched by ISRC, ``isrc``; an artist search only ``artist_key``."""
    kind = "artist" if wanted.get("title_key") is None else "track"
    params: dict[str, object] = {"body": json.dumps(body), "artist_key": wanted.get("artist_key")}
    if kind == "track":
        params.update({k: wanted.get(k) for k in ("title_key", "first_artist_key", "isrc")})
    row = con.execute(_spotify_accepts_sql(kind), params).fetchone()
    return bool(row and row[0])
