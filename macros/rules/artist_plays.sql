{#
  What identifies the artist of the history's rows, one row per row of `plays` (int_history__references: the
  history's distinct ids and names, `plays` rows each), with its weight `plays`:
    spotify_artist_id  the history's artist_id, else the first artist of the Spotify track of its track_id or
                       `spotify:track:` URI (spotify_track_id), else (a play with names only) of the track its
                       (artist, title) pair was matched to, else the artist an exact-name artist search found;
    play_artist_name   the name the play gives, play_name_key its normalized_name;
    artist_mbid        the MBID the play carries, lower-cased (null when empty);
    isrc               the history's ISRC, else the landed track's, upper-cased (null when empty);
    plays              how many history rows give it: a count of plays is `sum(plays)`, never `count(*)`.
  `plays` is a relation shaped like int_history__references, `spotify_tracks` like int_spotify__tracks,
  `track_matches` like int_spotify__track_searches_matched, `artist_matches` like
  int_spotify__artist_searches_matched.
  Read by int_musicbrainz__spotify_artists_matched and int_musicbrainz__artist_names_matched, and by the
  MusicBrainz extractor (the table musicbrainz_artist_plays, extractors/rules.py). Plain SQL, no dbt-specific
  Jinja (docs/rules.md).
#}
{% macro artist_plays(plays, spotify_tracks, track_matches, artist_matches) %}
    select
        coalesce(
            nullif(trim(referenced.artist_id), ''), landed_tracks.artist_id, artist_matches.artist_id
        ) as spotify_artist_id,
        referenced.artist as play_artist_name,
        names.play_name_key,
        nullif(lower(trim(referenced.artist_mbid)), '') as artist_mbid,
        nullif(upper(trim(coalesce(referenced.track_isrc, landed_tracks.isrc))), '') as isrc,
        referenced.plays
    from (
        select
            *,
            {{ spotify_track_id('track_id', 'track_uri') }} as play_track_id,
            {{ is_name_only(spotify_track_id('track_id', 'track_uri'), 'artist_id', 'artist_mbid') }} as name_only
        from {{ plays }}
    ) as referenced
    -- the names' keys, computed once per distinct name (or pair) instead of once per row: a name is on many
    -- rows (at 1M listens: 10k artists on 370k rows), and the keys are chains of regular expressions
    left join (
        select
            artist,
            {{ normalized_name('artist') }} as play_name_key,
            {{ artist_search_key('artist') }} as artist_search_key
        from (select distinct artist from {{ plays }}) as distinct_names
    ) as names
        on names.artist is not distinct from referenced.artist
    -- the search keys of a play with names only (int_spotify__track_search_keys searches those alone)
    left join (
        select
            artist,
            track_name,
            {{ track_search_key('artist', 'track_name') }} as pair_key
        from (
            select distinct artist, track_name
            from {{ plays }}
            where {{ is_name_only(spotify_track_id('track_id', 'track_uri'), 'artist_id', 'artist_mbid') }}
        ) as distinct_pairs
    ) as pairs
        on referenced.name_only
        and pairs.artist is not distinct from referenced.artist
        and pairs.track_name is not distinct from referenced.track_name
    left join {{ track_matches }} as track_matches
        on track_matches.pair_key = pairs.pair_key
    left join {{ spotify_tracks }} as landed_tracks
        on landed_tracks.track_id = coalesce(referenced.play_track_id, track_matches.track_id)
    left join {{ artist_matches }} as artist_matches
        on referenced.name_only
        and artist_matches.artist_search_key = names.artist_search_key
{% endmacro %}


{#
  A well-formed MBID (lower-case UUID): only those count as a play's evidence and are ever asked for.
#}
{% macro is_mbid(col) %}
    coalesce(regexp_full_match({{ col }}, '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'), false)
{% endmacro %}
