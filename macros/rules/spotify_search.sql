{#
  Matching listens that carry no Spotify track id (Account data, Last.fm, ListenBrainz) to Spotify by search
  (docs/name-matching.md). A listen is searched by its (credited artist, cleaned title) pair, or by its ISRC;
  a search result is accepted only when its title and first artist equal the listen's, compared by
  match_key. The one definition: dbt models and the Spotify extractor (extractors/rules.py) render these
  macros. Plain SQL, no dbt-specific Jinja (docs/rules.md).
#}

{#
  A name compared case-, accent- and punctuation-insensitively: normalized_name, then every character that is
  neither a letter, a digit nor a space removed and spaces collapsed ('AC/DC' and 'ac dc'? no: 'acdc' and
  'ac dc' differ; 'Guns N’ Roses' and "Guns N' Roses" and 'guns n roses' are equal). A name made only of
  punctuation ('!!!') keeps its normalized_name. Null and '' give null.
#}
{% macro match_key(col) %}
    coalesce(
        nullif(trim(regexp_replace(
            regexp_replace({{ normalized_name(col) }}, '[^\p{L}\p{N}\s]', '', 'g'), '\s+', ' ', 'g'
        )), ''),
        nullif({{ normalized_name(col) }}, '')
    )
{% endmacro %}


{#
  The artist a listen credits, without its featured guests: 'Drake feat. Rihanna' -> 'Drake',
  'Calvin Harris (feat. Ellie Goulding)' -> 'Calvin Harris'. '&', ',' and 'and' are kept: 'Simon & Garfunkel'
  is one artist.
#}
{% macro credited_artist(col) %}
    nullif(trim(regexp_replace({{ col }}, '(?i)\s*[\(\[]?\s*\b(?:feat\.?|ft\.?|featuring)\s.*$', '')), '')
{% endmacro %}


{#
  The first credited artist of a history artist string, as the original system's unmatched-artist recovery
  cleaned it (also the key of the first credited name a track search accepts): cut at "feat.", "ft.", "featuring" (also inside brackets), "&", ",", " x " and " and " and keep
  the first part, trimmed. 'Jay-Z & Kanye West' -> 'Jay-Z'; 'Drake feat. Rihanna' -> 'Drake'. Null stays null.
#}
{% macro primary_artist_name(col) %}
    nullif(trim(regexp_split_to_array(
        {{ col }},
        '(?i)\s*[\(\[]?\s*\b(?:feat\.?|ft\.?|featuring)\s+|\s+(?:x|and)\s+|\s*[&,]\s*'
    )[1]), '')
{% endmacro %}


{#
  A track title without what differs between a listen and Spotify's name for the same recording: featured
  guests ('Go Back (feat. Julia Church)', 'Song - feat. X', 'Song [with Y]') and remaster notes ('Yesterday -
  Remastered 2009', 'Song - 2011 Remaster', 'Song (Remastered)', 'Song - Digital Remaster'). Everything else
  stays: a live version, a remix or an edit is another recording.
#}
{% macro cleaned_title(col) %}
    nullif(trim(regexp_replace(regexp_replace(regexp_replace(
        {{ col }},
        '(?i)\s*[\(\[]\s*(?:feat\.?|ft\.?|featuring|with)\s[^\)\]]*[\)\]]', '', 'g'),
        '(?i)\s+[-–—]\s+(?:feat\.?|ft\.?|featuring)\s.*$', ''),
        '(?i)(?:\s+[-–—]\s+|\s*[\(\[])(?:\d{4}\s+)?(?:digital(?:ly)?\s+)?remaster(?:ed)?(?:\s+version)?(?:\s+\d{4})?[\)\]]?\s*$',
        ''
    )), '')
{% endmacro %}


{#
  Whether a play is one a search may match: it carries no Spotify track id, no artist id and no artist MBID
  (a play with any of them reaches its artist without a search). `track_id` is the play's track id as
  spotify_track_id gives it. The one definition: the search keys, the artist maps, the warehouse's listens and
  `status` all ask it.
#}
{% macro is_name_only(track_id, artist_id, artist_mbid) %}
    ({{ track_id }} is null and nullif(trim({{ artist_id }}), '') is null and nullif(trim({{ artist_mbid }}), '') is null)
{% endmacro %}


{# The search key of a (artist, title) pair: 'track:<artist match key>|<title match key>'; null without both. #}
{% macro track_search_key(artist, title) %}
    'track:' || {{ match_key(credited_artist(artist)) }} || '|' || {{ match_key(cleaned_title(title)) }}
{% endmacro %}


{# The search key of an ISRC: 'isrc:<ISRC>' (upper case), null unless it is a well-formed ISRC. #}
{% macro isrc_search_key(isrc) %}
    case
        when regexp_full_match(upper(trim({{ isrc }})), '[A-Z]{2}[A-Z0-9]{3}[0-9]{7}')
            then 'isrc:' || upper(trim({{ isrc }}))
    end
{% endmacro %}


{# The search key of an artist's exact name: 'artist:<match key of the credited artist>'. #}
{% macro artist_search_key(artist) %}
    'artist:' || {{ match_key(credited_artist(artist)) }}
{% endmacro %}


{#
  Whether a track search result is the listen's recording: its cleaned title has the listen's title key, and
  its first artist the listen's artist key (`artist_key`) or the key of the listen's first credited name
  (`first_artist_key`: 'Simon & Garfunkel' searched, 'Simon & Garfunkel' or a listen credited 'Jay-Z & Linkin
  Park' answered by Jay-Z).
#}
{% macro track_search_accepts(result_title, result_artist, title_key, artist_key, first_artist_key) %}
    coalesce(
        {{ match_key(cleaned_title(result_title)) }} = {{ title_key }}
        and {{ match_key(result_artist) }} in ({{ artist_key }}, {{ first_artist_key }}),
        false
    )
{% endmacro %}
