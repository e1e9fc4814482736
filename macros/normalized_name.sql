{#
  A name as compared across sources (Spotify, MusicBrainz, the history): whitespace runs collapsed to one
  space, trimmed, accents stripped, lowercased, and 'ß' (and 'ẞ') spelt 'ss', so 'Beyoncé', ' BEYONCE ' and
  'beyonce' compare equal, and so do 'Straße' and 'STRASSE'. Other letters that are not a base letter plus a
  combining accent (ø, ł) are kept as they are. Null stays null.
  The one definition: the extractors render this macro too (extractors/rules.py) and never normalise a name in
  Python (docs/rules.md).
#}
{% macro normalized_name(col) %}
    replace(lower(strip_accents(trim(regexp_replace({{ col }}, '\s+', ' ', 'g')))), 'ß', 'ss')
{% endmacro %}


{#
  A place name as the reference data keys it (seeds/country_aliases.csv `alias`, the gazetteer's
  `name_key`): whitespace runs collapsed to one space, trimmed, accents stripped, lowercased, so
  ' São  Paulo ' and 'sao paulo' compare equal. Only equal keys match: never a substring or a fuzzy match
  ('niger' is not 'nigeria'). Null stays null. ('ß' is kept: the gazetteer's keys, written by
  scripts/make_reference.py, keep it.)
#}
{% macro place_name_key(col) %}
    lower(strip_accents(trim(regexp_replace({{ col }}, '\s+', ' ', 'g'))))
{% endmacro %}
