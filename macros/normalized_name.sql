{#
  A name as compared across sources (Spotify, MusicBrainz, the history): trimmed, accents stripped,
  lowercased, so 'Beyoncé', ' BEYONCE ' and 'beyonce' compare equal. Letters that are not a base letter plus
  a combining accent (ø, ß, ł) are kept as they are. Null stays null.
#}
{% macro normalized_name(col) %}
    lower(strip_accents(trim({{ col }})))
{% endmacro %}


{#
  A place name as the reference data keys it (seeds/country_aliases.csv `alias`, the gazetteer's
  `name_key`): whitespace runs collapsed to one space, trimmed, accents stripped, lowercased, so
  ' São  Paulo ' and 'sao paulo' compare equal. Only equal keys match: never a substring or a fuzzy match
  ('niger' is not 'nigeria'). Null stays null.
#}
{% macro place_name_key(col) %}
    lower(strip_accents(trim(regexp_replace({{ col }}, '\s+', ' ', 'g'))))
{% endmacro %}
