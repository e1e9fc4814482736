{#
  One row per play of the listening history (a play loaded twice counts once) with what identifies its artist:
    spotify_artist_id  the history's artist_id, else the first artist of the Spotify track of its track_id or
                       `spotify:track:` URI (spotify_track_id), else (a play with names only) of the track its
                       (artist, title) pair was matched to, else the artist an exact-name artist search found;
    play_artist_name   the name the play gives, play_name_key its normalized_name;
    artist_mbid        the MBID the play carries, lower-cased (null when empty);
    isrc               the history's ISRC, else the landed track's, upper-cased (null when empty).
  `plays` is a relation shaped like stg_history__tracks_played, `spotify_tracks` like int_spotify__tracks,
  `track_matches` like int_spotify__track_searches_matched, `artist_matches` like
  int_spotify__artist_searches_matched.
  Read by int_musicbrainz__spotify_artists_matched and int_musicbrainz__artist_names_matched, and by the
  MusicBrainz extractor (the view musicbrainz_artist_plays, extractors/rules.py). Plain SQL, no dbt-specific Jinja
  (docs/rules.md).
#}
{% macro artist_plays(plays, spotify_tracks, track_matches, artist_matches) %}
    select
        coalesce(
            nullif(trim(deduplicated.artist_id), ''), landed_tracks.artist_id, artist_matches.artist_id
        ) as spotify_artist_id,
        deduplicated.artist as play_artist_name,
        {{ normalized_name('deduplicated.artist') }} as play_name_key,
        nullif(lower(trim(deduplicated.artist_mbid)), '') as artist_mbid,
        nullif(upper(trim(coalesce(deduplicated.track_isrc, landed_tracks.isrc))), '') as isrc
    from (
        select
            *,
            {{ spotify_track_id('track_id', 'track_uri') }} as play_track_id,
            -- the search keys of a play with names only (int_spotify__track_search_keys searches those alone)
            case
                when {{ is_name_only(spotify_track_id('track_id', 'track_uri'), 'artist_id', 'artist_mbid') }}
                    then {{ track_search_key('artist', 'track_name') }}
            end as pair_key,
            case
                when {{ is_name_only(spotify_track_id('track_id', 'track_uri'), 'artist_id', 'artist_mbid') }}
                    then {{ artist_search_key('artist') }}
            end as artist_search_key
        from {{ plays }}
        qualify row_number() over (
            partition by user_id, played_at, coalesce({{ spotify_track_id('track_id', 'track_uri') }}, track_name)
            order by artist_id nulls last, artist_mbid nulls last, track_isrc nulls last, artist nulls last
        ) = 1
    ) as deduplicated
    left join {{ track_matches }} as track_matches
        on track_matches.pair_key = deduplicated.pair_key
    left join {{ spotify_tracks }} as landed_tracks
        on landed_tracks.track_id = coalesce(deduplicated.play_track_id, track_matches.track_id)
    left join {{ artist_matches }} as artist_matches
        on artist_matches.artist_search_key = deduplicated.artist_search_key
{% endmacro %}


{#
  A well-formed MBID (lower-case UUID): only those count as a play's evidence and are ever asked for.
#}
{% macro is_mbid(col) %}
    coalesce(regexp_full_match({{ col }}, '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'), false)
{% endmacro %}
