{#
  The Spotify track id of a play: its track_id, else the id of its `spotify:track:<id>` URI (22 base-62
  characters; anything else is no id). The one definition: dbt models and the extractors (extractors/rules.py)
  render this macro. Plain SQL, no dbt-specific Jinja (docs/rules.md).
#}
{% macro spotify_track_id(track_id, track_uri) %}
    coalesce(
        nullif(trim({{ track_id }}), ''),
        nullif(regexp_extract({{ track_uri }}, '^spotify:track:([0-9A-Za-z]{22})$', 1), '')
    )
{% endmacro %}
