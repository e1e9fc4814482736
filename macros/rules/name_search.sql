{#
  Whether a MusicBrainz name-search result is the artist searched for: the same normalized_name as the
  artist's name key, and a score of at least 90. `score` is an INTEGER expression (null: rejected),
  `result_name` the result's name, `name_key` the artist's normalized name, `batched` a BOOLEAN expression:
  whether the result comes from a batched search (`artist:"A" OR artist:"B" …`, the body's `"batched": true`).
  A batched result's score is relative to the whole OR query, not to its own name, so it is not compared: a
  result of exactly the searched name counts as the 100 a single search gives an exact match. (The extractor
  lands a batched answer only when it holds at most one artist of that exact name; a homonym is searched
  alone, so choosing between namesakes by score stays a single search's decision.)
  Read by int_musicbrainz__spotify_artists_matched, int_musicbrainz__artist_names_matched and the MusicBrainz
  extractor (which lands a search as found or not found by it, extractors/rules.py). Plain SQL, no
  dbt-specific Jinja (docs/rules.md).
#}
{% macro name_search_accepts(score, result_name, name_key, batched='false') %}
    coalesce(
        ({{ batched }} or {{ score }} >= 90) and {{ normalized_name(result_name) }} = {{ name_key }}, false
    )
{% endmacro %}
