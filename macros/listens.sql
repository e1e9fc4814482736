{#
  What the listen models (models/intermediate/int_listens__*.sql) know about each source of the history.
  See docs/listens.md for the rules in words.

  - rank: the order in which sources are merged and whose facts win (0 = richest). Every play_source value
    not listed here ranks last, as 'other'.
  - records: which moment of the listen the source's played_at is: 'end' (Spotify: ts, endTime,
    recently-played played_at) or 'start' (Last.fm, ListenBrainz).
  - precision_seconds: how far played_at may lie from the true moment, beyond merge_tolerance_seconds:
    Account data's endTime is cut to the minute.
  - min_ms_played: the shortest listen the source reports at all. Spotify's recently-played lists streams of
    30 s and more; a scrobbler (Last.fm, ListenBrainz, Libre.fm) scrobbles a track only after 30 s and half
    its length or 4 minutes. So a scrobble is never the report of a 6-second skip of the same track just
    before the real listen.
#}
{% macro listen_sources() %}
  {{ return([
      {'source': 'spotify_extended_history', 'rank': 0, 'records': 'end',   'precision_seconds': 0,  'min_ms_played': 0},
      {'source': 'spotify_account_data',     'rank': 1, 'records': 'end',   'precision_seconds': 60, 'min_ms_played': 0},
      {'source': 'spotify_recently_played',  'rank': 2, 'records': 'end',   'precision_seconds': 0,  'min_ms_played': 30000},
      {'source': 'listenbrainz',             'rank': 3, 'records': 'start', 'precision_seconds': 0,  'min_ms_played': 30000},
      {'source': 'lastfm',                   'rank': 4, 'records': 'start', 'precision_seconds': 0,  'min_ms_played': 30000},
      {'source': 'librefm',                  'rank': 5, 'records': 'start', 'precision_seconds': 0,  'min_ms_played': 30000},
  ]) }}
{% endmacro %}


{# rank of the sources not in listen_sources() #}
{% macro other_source_rank() %}{{ return(listen_sources() | length) }}{% endmacro %}


{#
  A CASE over play_source giving one attribute of listen_sources() (`other` for sources not listed).
#}
{% macro listen_source_attribute(col, attribute, other) %}
    case {{ col }}
    {%- for s in listen_sources() %}
        when {{ sql_string(s.source) }} then {{ sql_string(s[attribute]) if s[attribute] is string else s[attribute] }}
    {%- endfor %}
        else {{ sql_string(other) if other is string else other }}
    end
{% endmacro %}


{#
  A track as listeners compare it across sources: artist and title as normalized_name() compares names
  (lowercased, accents stripped), with every character that is not a letter or digit removed, so "Don't Stop (Live)" by "Beyoncé" equals
  "dont stop live" by "BEYONCE". Null when either is missing.
#}
{% macro listen_name_key(artist, title) %}
    nullif(
        {{ letters_and_digits(normalized_name("coalesce(" ~ artist ~ ", '')")) }}
        || chr(31)
        || {{ letters_and_digits(normalized_name("coalesce(" ~ title ~ ", '')")) }},
        chr(31)
    )
{% endmacro %}


{# a text with every character that is not a letter or a digit removed #}
{% macro letters_and_digits(col) %}regexp_replace({{ col }}, '[^\p{L}\p{N}]+', '', 'g'){% endmacro %}


{# seconds since the epoch of a TIMESTAMP, as DOUBLE #}
{% macro epoch_seconds(col) %}epoch({{ col }})::double{% endmacro %}
