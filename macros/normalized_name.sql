{#
  A name as compared across sources (Spotify, MusicBrainz, the history): trimmed, accents stripped,
  lowercased, so 'Beyoncé', ' BEYONCE ' and 'beyonce' compare equal. Letters that are not a base letter plus
  a combining accent (ø, ß, ł) are kept as they are. Null stays null.
#}
{% macro normalized_name(col) %}
    lower(strip_accents(trim({{ col }})))
{% endmacro %}
