{#
  Whether a MusicBrainz name-search result is the artist searched for: a score of at least 90 and the same
  normalized_name as the artist's name key. `score` is an INTEGER expression (null: rejected), `result_name`
  the result's name, `name_key` the artist's normalized name. Read by int_mbz_spotify_artist_map,
  int_mbz_name_artist_map and the MusicBrainz extractor (which lands a search as found or not found by it,
  extractors/rules.py). Plain SQL, no dbt-specific Jinja (docs/rules.md).
#}
{% macro name_search_accepts(score, result_name, name_key) %}
    coalesce({{ score }} >= 90 and {{ normalized_name(result_name) }} = {{ name_key }}, false)
{% endmacro %}
