{#
  Whether a MusicBrainz name-search result is the artist searched for: a score of at least 90 and the same
  normalized_name as the artist's name key. `score` is an INTEGER expression (null: rejected), `result_name`
  the result's name, `name_key` the artist's normalized name. Read by int_musicbrainz__spotify_artists_matched,
  int_musicbrainz__artist_names_matched and the MusicBrainz extractor (which lands a search as found or not
  found by it, extractors/rules.py). Plain SQL, no dbt-specific Jinja (docs/rules.md).
#}
{% macro name_search_accepts(score, result_name, name_key) %}
    coalesce({{ score }} >= 90 and {{ normalized_name(result_name) }} = {{ name_key }}, false)
{% endmacro %}
